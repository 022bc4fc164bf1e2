// SPDX-License-Identifier: MIT
// isolate.h — cordon_isolate()'s keeper: one call contained as a test is,
// without the runner.
#ifndef CORDON_ISOLATE_INTERNAL_H
#define CORDON_ISOLATE_INTERNAL_H

#include "common.h"


/* The default time limit of an isolated call, in seconds. */
#define CORDON__ISOLATE_TIMEOUT 10.0

#endif /* CORDON_ISOLATE_INTERNAL_H */
