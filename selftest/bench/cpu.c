// SPDX-License-Identifier: MIT
// cpu.c — benchmark suite: 40 tests that each burn 25 ms of CPU time, so
// -j2 against -j1 shows how much of a second core a CPU-bound suite gets.
// Each test spins until its process has used 25 ms of CPU, not for a fixed
// amount of work, so the total work is the same at any clock speed and
// under any contention.
#include <cordon.h>
#include <time.h>

#define BURN_SECONDS 0.025

static double
cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
burn(void)
{
    volatile unsigned long sink = 1;
    double end = cpu_seconds() + BURN_SECONDS;

    /* Reading the CPU clock is a system call: check it every few
     * thousand rounds of arithmetic, not every round. */
    while (cpu_seconds() < end)
        for (int i = 0; i < 10000; i++)
            sink = sink * 6364136223846793005ul + 1442695040888963407ul;
}

#define CPU_ONE(id) TEST(cpu, id) { burn(); }
#define CPU_TEN(p)                                                            \
    CPU_ONE(t##p##0) CPU_ONE(t##p##1) CPU_ONE(t##p##2) CPU_ONE(t##p##3)       \
    CPU_ONE(t##p##4) CPU_ONE(t##p##5) CPU_ONE(t##p##6) CPU_ONE(t##p##7)       \
    CPU_ONE(t##p##8) CPU_ONE(t##p##9)

CPU_TEN(0) CPU_TEN(1) CPU_TEN(2) CPU_TEN(3)
