// SPDX-License-Identifier: MIT
// sleep.c — benchmark suite: 16 tests that each sleep 0.5 s, so that a run
// with -j16 should take half a second plus cordon's cost of starting and
// reaping 16 tests at once; anything more is time lost in the scheduler.
#include <cordon.h>
#include <time.h>

static void
sleep_half_second(void)
{
    struct timespec ts = {0, 500 * 1000 * 1000};

    while (nanosleep(&ts, &ts) != 0)
        ;
}

#define SLEEP_ONE(id) TEST(sleep, id) { sleep_half_second(); }

SLEEP_ONE(t00) SLEEP_ONE(t01) SLEEP_ONE(t02) SLEEP_ONE(t03)
SLEEP_ONE(t04) SLEEP_ONE(t05) SLEEP_ONE(t06) SLEEP_ONE(t07)
SLEEP_ONE(t08) SLEEP_ONE(t09) SLEEP_ONE(t10) SLEEP_ONE(t11)
SLEEP_ONE(t12) SLEEP_ONE(t13) SLEEP_ONE(t14) SLEEP_ONE(t15)
