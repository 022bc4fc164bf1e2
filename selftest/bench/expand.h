// SPDX-License-Identifier: MIT
// expand.h — expands BENCH_ONE(id) once for each generated test id, t00000
// up to t<BENCH_N - 1> in order, where it is included, so that one line of
// a benchmark source makes a suite of exactly BENCH_N tests, the same for
// cordon and for each peer framework. Define BENCH_N (a multiple of 1000,
// at most 10000) and BENCH_ONE(id) first. It has no include guard on
// purpose: a peer includes it twice, once to define its tests and once to
// register them.
#if !defined(BENCH_N) || BENCH_N < 1000 || BENCH_N > 10000 ||                \
    BENCH_N % 1000 != 0
#error "define BENCH_N as a multiple of 1000 from 1000 to 10000"
#endif

/* Ids are built digit by digit by pasting, so the preprocessor alone makes
 * them: the 2-digit thousands prefix, then hundreds, tens and units. */
#ifndef BENCH_EXPAND_1000
#define BENCH_EXPAND_1(p) BENCH_ONE(t##p)
#define BENCH_EXPAND_10(p)                                                    \
    BENCH_EXPAND_1(p##0) BENCH_EXPAND_1(p##1) BENCH_EXPAND_1(p##2)            \
    BENCH_EXPAND_1(p##3) BENCH_EXPAND_1(p##4) BENCH_EXPAND_1(p##5)            \
    BENCH_EXPAND_1(p##6) BENCH_EXPAND_1(p##7) BENCH_EXPAND_1(p##8)            \
    BENCH_EXPAND_1(p##9)
#define BENCH_EXPAND_100(p)                                                   \
    BENCH_EXPAND_10(p##0) BENCH_EXPAND_10(p##1) BENCH_EXPAND_10(p##2)         \
    BENCH_EXPAND_10(p##3) BENCH_EXPAND_10(p##4) BENCH_EXPAND_10(p##5)         \
    BENCH_EXPAND_10(p##6) BENCH_EXPAND_10(p##7) BENCH_EXPAND_10(p##8)         \
    BENCH_EXPAND_10(p##9)
#define BENCH_EXPAND_1000(p)                                                  \
    BENCH_EXPAND_100(p##0) BENCH_EXPAND_100(p##1) BENCH_EXPAND_100(p##2)      \
    BENCH_EXPAND_100(p##3) BENCH_EXPAND_100(p##4) BENCH_EXPAND_100(p##5)      \
    BENCH_EXPAND_100(p##6) BENCH_EXPAND_100(p##7) BENCH_EXPAND_100(p##8)      \
    BENCH_EXPAND_100(p##9)
#endif

BENCH_EXPAND_1000(00)
#if BENCH_N >= 2000
BENCH_EXPAND_1000(01)
#endif
#if BENCH_N >= 3000
BENCH_EXPAND_1000(02)
#endif
#if BENCH_N >= 4000
BENCH_EXPAND_1000(03)
#endif
#if BENCH_N >= 5000
BENCH_EXPAND_1000(04)
#endif
#if BENCH_N >= 6000
BENCH_EXPAND_1000(05)
#endif
#if BENCH_N >= 7000
BENCH_EXPAND_1000(06)
#endif
#if BENCH_N >= 8000
BENCH_EXPAND_1000(07)
#endif
#if BENCH_N >= 9000
BENCH_EXPAND_1000(08)
#endif
#if BENCH_N >= 10000
BENCH_EXPAND_1000(09)
#endif
