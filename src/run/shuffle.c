// SPDX-License-Identifier: MIT
// shuffle.c — the execution order of a --shuffle run: a Fisher-Yates
// permutation of the planned tests drawn from a 64-bit seed with
// splitmix64, which is a few lines, has no state beyond the seed and gives
// the same order for the same seed on every system and C library (rand()
// would not). Only the order tests start in changes: results are still
// handed on and reported in test order.
#include "run/run.h"

#include <time.h>
#include <unistd.h>

/* splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), as published by Vigna. */
static uint64_t
next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint64_t
cordon__shuffle_seed(void)
{
    struct timespec ts;
    uint64_t state;

    clock_gettime(CLOCK_REALTIME, &ts);
    state = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    state ^= (uint64_t)getpid() << 32;
    /* Printed for the user to type back: keep it to at most ten digits. */
    return next(&state) % 10000000000u;
}

size_t *
cordon__shuffle_order(size_t n, uint64_t seed)
{
    size_t *order = cordon__tables_new((n ? n : 1) * sizeof *order);
    uint64_t state = seed;

    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        /* The modulo bias is below 2^-40 for any n a run can have. */
        size_t j = (size_t)(next(&state) % i);
        size_t tmp = order[i - 1];

        order[i - 1] = order[j];
        order[j] = tmp;
    }
    return order;
}
