// SPDX-License-Identifier: MIT
// cpu.c — benchmark suite: 40 tests that each burn 25 ms of CPU time, so
// -j2 against -j1 shows how much of a second core a CPU-bound suite gets.
// Each test spins until its process has used 25 ms of CPU, not for a fixed
// amount of work, so the total work is the same at any clock speed and
// under any contention.
#include <cordon.h>

#include "burn.h"

#define BURN_SECONDS 0.025

#define CPU_ONE(id) TEST(cpu, id) { bench_burn(BURN_SECONDS); }
#define CPU_TEN(p)                                                            \
    CPU_ONE(t##p##0) CPU_ONE(t##p##1) CPU_ONE(t##p##2) CPU_ONE(t##p##3)       \
    CPU_ONE(t##p##4) CPU_ONE(t##p##5) CPU_ONE(t##p##6) CPU_ONE(t##p##7)       \
    CPU_ONE(t##p##8) CPU_ONE(t##p##9)

CPU_TEN(0) CPU_TEN(1) CPU_TEN(2) CPU_TEN(3)
