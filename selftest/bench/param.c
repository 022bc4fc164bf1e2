// SPDX-License-Identifier: MIT
// param.c — benchmark suite: one TEST_P over a static array of BENCH_N
// ints, as a large table-driven suite has it: BENCH_N tests,
// bench/cases[0] onwards, each checking its own case. What grows with N
// is cordon's own tables (the cases' entries, their ids, the plan and the
// results), so a run shows whether a test's cost grows with them. Built
// with BENCH_N = 2000, 10000, 30000 and 100000.
#include <cordon.h>

#if !defined(BENCH_N) || BENCH_N < 1
#error "define BENCH_N as the number of cases"
#endif

static const int cases[BENCH_N] = {1};

TEST_P(bench, cases, cases) { EXPECT_GE(*param, 0); }
