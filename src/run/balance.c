// SPDX-License-Identifier: MIT
// balance.c — shards balanced by time (--shard K/N --shard-by=
// durations:FILE): every selected test goes to exactly one of the N
// shards, whatever FILE says, and each shard's run keeps its own. The
// tests FILE times are dealt first, the longest first (ties by id), each
// to the shard with the least time so far (ties to the lowest shard):
// the greedy "longest processing time" rule, within 4/3 of the best
// possible longest shard. Shards of equal time take the one with the
// fewest tests first, so tests that took no measurable time (a JUnit
// time of 0.000) spread too. Tests FILE does not know (new, or renamed) are
// then dealt round-robin in test order, from the first shard. Ids in FILE
// that name no selected test are ignored. Everything depends on FILE and
// the selection only, so every shard of one run computes the same deal.
#include "run/run.h"

#include <stdlib.h>
#include <string.h>

struct job {
    size_t index; /* in the selection */
    const char *id;
    double seconds;
};

static int
by_id(const void *a, const void *b)
{
    return strcmp(((const struct cordon__timing *)a)->id,
                  ((const struct cordon__timing *)b)->id);
}

static int
longest_first(const void *a, const void *b)
{
    const struct job *x = a, *y = b;

    if (x->seconds != y->seconds)
        return x->seconds > y->seconds ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* The shards as a binary min-heap of (load, tests, shard number). */
struct heap {
    double *load;  /* by shard */
    size_t *count; /* tests dealt, by shard */
    size_t *order; /* heap of shard numbers */
    size_t n;
};

static bool
lighter(const struct heap *h, size_t a, size_t b)
{
    size_t s = h->order[a], t = h->order[b];

    if (h->load[s] != h->load[t])
        return h->load[s] < h->load[t];
    if (h->count[s] != h->count[t])
        return h->count[s] < h->count[t];
    return s < t;
}

static void
sift_down(struct heap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i, tmp;

        if (l < h->n && lighter(h, l, m))
            m = l;
        if (r < h->n && lighter(h, r, m))
            m = r;
        if (m == i)
            return;
        tmp = h->order[i];
        h->order[i] = h->order[m];
        h->order[m] = tmp;
        i = m;
    }
}

void
cordon__balance_deal(const struct cordon__timings *known, const char **ids,
                     size_t n, size_t shards, size_t *shard_of)
{
    struct cordon__timing *sorted = NULL;
    struct job *jobs = cordon__xmalloc((n ? n : 1) * sizeof *jobs);
    struct heap h = {cordon__xmalloc(shards * sizeof *h.load),
                     cordon__xmalloc(shards * sizeof *h.count),
                     cordon__xmalloc(shards * sizeof *h.order), shards};
    size_t njobs = 0, next = 0;

    /* The file's times by id, a test named twice at its longest. */
    if (known->n > 0) {
        sorted = cordon__xmalloc(known->n * sizeof *sorted);
        memcpy(sorted, known->items, known->n * sizeof *sorted);
        qsort(sorted, known->n, sizeof *sorted, by_id);
    }
    for (size_t i = 0; i < n; i++) {
        struct cordon__timing key = {.id = (char *)ids[i]}, *hit;

        shard_of[i] = SIZE_MAX;
        hit = sorted != NULL ? bsearch(&key, sorted, known->n,
                                       sizeof *sorted, by_id)
                             : NULL;
        if (hit == NULL)
            continue;
        /* bsearch finds any of equal ids: take the longest of them. */
        while (hit > sorted && strcmp(hit[-1].id, ids[i]) == 0)
            hit--;
        jobs[njobs] = (struct job){i, ids[i], hit->seconds};
        for (; hit < sorted + known->n && strcmp(hit->id, ids[i]) == 0;
             hit++)
            if (hit->seconds > jobs[njobs].seconds)
                jobs[njobs].seconds = hit->seconds;
        njobs++;
    }
    if (njobs > 0)
        qsort(jobs, njobs, sizeof *jobs, longest_first);
    for (size_t s = 0; s < shards; s++) {
        h.load[s] = 0;
        h.count[s] = 0;
        h.order[s] = s;
    }
    for (size_t j = 0; j < njobs; j++) {
        size_t s = h.order[0];

        shard_of[jobs[j].index] = s;
        h.load[s] += jobs[j].seconds;
        h.count[s]++;
        sift_down(&h, 0);
    }
    for (size_t i = 0; i < n; i++)
        if (shard_of[i] == SIZE_MAX)
            /* shards is 1 or more: plan.c balances only when
             * shard_total > 0.
             * NOLINTNEXTLINE(clang-analyzer-core.DivideZero) */
            shard_of[i] = next++ % shards;
    free(sorted);
    free(jobs);
    free(h.load);
    free(h.count);
    free(h.order);
}

long
cordon__balance_shard(const struct cordon__config *cfg,
                      struct cordon_impl_test **sel, size_t n)
{
    struct cordon__timings known;
    const char **ids;
    char *text;
    size_t *shard_of, kept = 0;

    if (cordon__timings_read(cfg->shard_times, &known) == -1)
        return -1;
    ids = cordon__xmalloc((n ? n : 1) * sizeof *ids);
    text = cordon__xmalloc((n ? n : 1) * (CORDON__MAX_ID + 1));
    shard_of = cordon__xmalloc((n ? n : 1) * sizeof *shard_of);
    for (size_t i = 0; i < n; i++)
        ids[i] = cordon__test_id(sel[i], text + i * (CORDON__MAX_ID + 1),
                                 CORDON__MAX_ID + 1);
    cordon__balance_deal(&known, ids, n, (size_t)cfg->shard_total, shard_of);
    /* The shard's tests stay in test order. */
    for (size_t i = 0; i < n; i++)
        if (shard_of[i] == (size_t)cfg->shard_index)
            sel[kept++] = sel[i];
    free(ids);
    free(text);
    free(shard_of);
    cordon__timings_free(&known);
    return (long)kept;
}
