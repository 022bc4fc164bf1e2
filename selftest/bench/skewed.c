// SPDX-License-Identifier: MIT
// skewed.c — benchmark suite: 40 tests, of which every fourth (4 of the
// first 16) sleeps 0.4 s and the rest 25 ms: 2.5 s in all. Round-robin
// over 4 shards puts all four long tests in the last shard; a deal by an
// earlier run's times (--shard-by=durations:FILE) gives each shard one.
// Sleeps, not busy loops: a shard's time then does not depend on what
// else the machine runs.
#include <cordon.h>
#include <time.h>

static void
nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0)
        ;
}

#define SHORT(id) TEST(skewed, id) { nap(25); }
#define LONG(id) TEST(skewed, id) { nap(400); }

SHORT(t00) SHORT(t01) SHORT(t02) LONG(t03) SHORT(t04) SHORT(t05)
SHORT(t06) LONG(t07) SHORT(t08) SHORT(t09) SHORT(t10) LONG(t11)
SHORT(t12) SHORT(t13) SHORT(t14) LONG(t15) SHORT(t16) SHORT(t17)
SHORT(t18) SHORT(t19) SHORT(t20) SHORT(t21) SHORT(t22) SHORT(t23)
SHORT(t24) SHORT(t25) SHORT(t26) SHORT(t27) SHORT(t28) SHORT(t29)
SHORT(t30) SHORT(t31) SHORT(t32) SHORT(t33) SHORT(t34) SHORT(t35)
SHORT(t36) SHORT(t37) SHORT(t38) SHORT(t39)
