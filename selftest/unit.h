// SPDX-License-Identifier: MIT
// unit.h — what the unit tests of internals (*_unit_test.c) share: a
// shared record, mapped fresh for each test by st_unit_map_record (a
// test's .setup) and unmapped by st_unit_unmap_record (its .teardown).
// Each test has a process of its own, so the record starts over.
#ifndef CORDON_SELFTEST_UNIT_H
#define CORDON_SELFTEST_UNIT_H

#include "api/api.h"
#include "cli/cli.h"
#include "isolate/isolate.h"
#include "report/report.h"
#include "supervise/supervise.h"

extern struct cordon__record *st_unit_rec;
void st_unit_map_record(void);
void st_unit_unmap_record(void);

#endif
