// SPDX-License-Identifier: MIT
// valgrind.c — running under valgrind: knowing it (RUNNING_ON_VALGRIND, a
// client request from valgrind's header-only <valgrind/valgrind.h>, which
// costs a few instructions and does nothing natively), and giving tests
// the time valgrind's slowdown needs. What valgrind's error exit means for
// a verdict is outcome.c's. Built without the header, cordon never knows
// and never scales.
#include "result/result.h"

#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

/* How much slower tests run under valgrind's memcheck: its manual gives
 * 10-50 times for memcheck; 10 covers most test code, which spends its
 * time in system calls as much as in computing. */
#define VALGRIND_SCALE 10.0

bool
cordon__valgrind_running(void)
{
#ifdef HAVE_VALGRIND_H
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}

void
cordon__valgrind_adjust(struct cordon__config *cfg)
{
    if (!cordon__valgrind_running() || cfg->multiplier_chosen)
        return;
    cfg->timeout_multiplier = VALGRIND_SCALE;
    fprintf(stderr, "cordon: running under valgrind: timeouts are scaled "
            "by %g (set CORDON_TIMEOUT_MULTIPLIER to choose)\n",
            VALGRIND_SCALE);
}
