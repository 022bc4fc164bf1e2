// SPDX-License-Identifier: MIT
// durations.c — the slowest tests of a run (--durations N, as pytest's),
// for the console after the recap and for the GitHub step summary: each
// with its time and its share of the time every test took together. The
// share is of that sum, not of the run's wall time: with -j above 1 tests
// overlap, and shares of the wall time would add up past 100 %.
#include "report/report.h"

#include <stdlib.h>

struct timed {
    double seconds;
    size_t index;
};

/* slower_first orders by time, the longest first, ties in test order. */
static int
slower_first(const void *a, const void *b)
{
    const struct timed *x = a, *y = b;

    if (x->seconds != y->seconds)
        return x->seconds > y->seconds ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

size_t
cordon__durations_slowest(const struct cordon__run *run, size_t limit,
                          size_t *out, double *sum)
{
    struct timed *t = cordon__xmalloc((run->n ? run->n : 1) * sizeof *t);
    size_t n = 0;

    *sum = 0;
    for (size_t i = 0; i < run->n; i++) {
        const struct cordon__result *r = &run->results[i];

        if (!r->started)
            continue;
        t[n++] = (struct timed){r->seconds, i};
        *sum += r->seconds;
    }
    if (n > 0)
        qsort(t, n, sizeof *t, slower_first);
    if (limit > 0 && limit < n)
        n = limit;
    for (size_t i = 0; i < n; i++)
        out[i] = t[i].index;
    free(t);
    return n;
}

double
cordon__durations_share(double seconds, double sum)
{
    return sum > 0 ? 100.0 * seconds / sum : 0;
}

void
cordon__durations_print(FILE *f, const struct cordon__run *run, long limit)
{
    size_t *slowest, n, ran = 0;
    double sum;
    char id[CORDON__MAX_ID + 1];

    if (limit < 0)
        return;
    slowest = cordon__xmalloc((run->n ? run->n : 1) * sizeof *slowest);
    n = cordon__durations_slowest(run, (size_t)limit, slowest, &sum);
    for (size_t i = 0; i < run->n; i++)
        ran += run->results[i].started;
    if (n == 0)
        fprintf(f, "cordon: no test ran, so none was slowest\n");
    else if (n == ran)
        fprintf(f, "cordon: the %zu test%s that ran, slowest first, with "
                "their share of the %.3f s all took together:\n", n,
                n == 1 ? "" : "s", sum);
    else
        fprintf(f, "cordon: the %zu slowest of %zu test%s that ran, with "
                "their share of the %.3f s all took together:\n", n, ran,
                ran == 1 ? "" : "s", sum);
    for (size_t i = 0; i < n; i++) {
        const struct cordon__result *r = &run->results[slowest[i]];

        fprintf(f, "  %9.3f s %5.1f%%  %s\n", r->seconds,
                cordon__durations_share(r->seconds, sum),
                cordon__test_id(r->test, id, sizeof id));
    }
    free(slowest);
}
