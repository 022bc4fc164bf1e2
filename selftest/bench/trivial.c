// SPDX-License-Identifier: MIT
// trivial.c — benchmark suite: exactly BENCH_N empty passing tests,
// bench/t00000 onwards, so a run times nothing but cordon's own cost per
// test. Built twice, with BENCH_N = 2000 and 10000.
#include <cordon.h>

#define BENCH_ONE(id) TEST(bench, id) {}
#include "expand.h"
