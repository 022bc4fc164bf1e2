// SPDX-License-Identifier: MIT
// unit.h — what the unit tests of internals (*_unit_test.c) share: a
// shared record, mapped fresh for each test by st_unit_map_record (a
// test's .setup) and unmapped by st_unit_unmap_record (its .teardown).
// Each test has a process of its own, so the record starts over. Also a
// sanitizer report parsed from text, as from a test's stderr, and a
// report's stacks folded for the console.
#ifndef CORDON_SELFTEST_UNIT_H
#define CORDON_SELFTEST_UNIT_H

#include <stddef.h>
#include <stdlib.h>

#include "api/api.h"
#include "cli/cli.h"
#include "isolate/isolate.h"
#include "report/report.h"
#include "result/result.h"
#include "supervise/supervise.h"

extern struct cordon__record *st_unit_rec;
void st_unit_map_record(void);
void st_unit_unmap_record(void);

/* st_unit_sanitizer_parse writes text to a temporary file and parses it
 * into rep with cordon__sanitizer_parse; the test fails when it cannot. */
void st_unit_sanitizer_parse(const char *text,
                             struct cordon__sanitizer_report *rep);

/* st_unit_fold returns in with cordon's frames folded by
 * cordon__fold_frames (free it), and in *stacks how many stacks it
 * folded. */
char *st_unit_fold(const char *in, size_t *stacks);

/* ST_EXPECT_FOLD expects in to fold to want, in nstacks stacks; a failure
 * names the line of the test that says so. */
#define ST_EXPECT_FOLD(in, want, nstacks)                                     \
    do {                                                                      \
        size_t st_stacks_;                                                    \
        char *st_folded_ = st_unit_fold((in), &st_stacks_);                   \
                                                                              \
        EXPECT_STREQ(st_folded_, (want));                                     \
        EXPECT_EQ(st_stacks_, (size_t)(nstacks));                             \
        free(st_folded_);                                                     \
    } while (0)

#endif
