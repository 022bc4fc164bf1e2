// SPDX-License-Identifier: MIT
// burn.h — the CPU-bound work of the benchmark's suites and programs:
// bench_burn spins until its process has used the given CPU time, not for
// a fixed amount of work, so the work is the same at any clock speed and
// under any contention.
#ifndef CORDON_BENCH_BURN_H
#define CORDON_BENCH_BURN_H

#include <time.h>

/* bench_cpu_seconds is the CPU time this process has used. */
static inline double
bench_cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* bench_burn returns once this process has used seconds more CPU time. */
static inline void
bench_burn(double seconds)
{
    volatile unsigned long sink = 1;
    double end = bench_cpu_seconds() + seconds;

    /* Reading the CPU clock is a system call: check it every few
     * thousand rounds of arithmetic, not every round. */
    while (bench_cpu_seconds() < end)
        for (int i = 0; i < 10000; i++)
            sink = sink * 6364136223846793005ul + 1442695040888963407ul;
}

#endif
