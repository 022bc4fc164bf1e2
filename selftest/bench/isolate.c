// SPDX-License-Identifier: MIT
// isolate.c — benchmark program: N calls that each burn 10 ms of CPU
// time, made through cordon_isolate() one after another ("loop N") or
// through cordon_isolate_each() with J jobs ("each N J"), from a plain
// main() as a program sweeping a corpus would. Each call spins until its
// process has used 10 ms of CPU (see burn.h), so the work is the same at
// any clock speed and under any contention. Exits 1 when a call does not
// return, 2 on a usage error.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "burn.h"

#define BURN_SECONDS 0.010

static void
one(void *arg)
{
    (void)arg;
    bench_burn(BURN_SECONDS);
}

static void
nth(size_t i, void *arg)
{
    (void)i;
    (void)arg;
    bench_burn(BURN_SECONDS);
}

static void
count(size_t i, const struct cordon_isolated *r, void *ctx)
{
    (void)i;
    if (r->end != CORDON_ISOLATE_RETURNED)
        *(int *)ctx = 1;
}

int
main(int argc, char **argv)
{
    int failed = 0;
    long n;

    if (argc < 3 || (strcmp(argv[1], "loop") != 0 &&
                     (strcmp(argv[1], "each") != 0 || argc < 4))) {
        fprintf(stderr, "usage: isolate loop N | isolate each N JOBS\n");
        return 2;
    }
    n = strtol(argv[2], NULL, 10);
    if (strcmp(argv[1], "loop") == 0) {
        for (long i = 0; i < n; i++) {
            struct cordon_isolated r;

            if (cordon_isolate(one, NULL, NULL, &r) != 0)
                return 1;
            count((size_t)i, &r, &failed);
            cordon_isolated_free(&r);
        }
    } else if (cordon_isolate_each((size_t)n, nth, NULL, NULL,
                                   (unsigned)strtoul(argv[3], NULL, 10),
                                   count, &failed) != 0) {
        return 1;
    }
    return failed;
}
