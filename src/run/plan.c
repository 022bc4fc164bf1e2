// SPDX-License-Identifier: MIT
// plan.c — which registered tests this run executes, in test order:
// --test ids, --filter globs (fnmatch; a leading '-' excludes) and the
// shard (round-robin here; by time in balance.c). A pattern equal to a
// test's id is that id and nothing else, as --list prints it, before it is
// a glob: "url/port[tls]" or "files/each[a.json]" selects that test, not
// the class of characters its brackets would make. An include pattern or
// id that selects nothing is a usage error, because a typo there would
// otherwise pass an empty run.
#include "run/run.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* matches says whether pattern selects id: equal to it when the pattern
 * is an id (literal), else as an fnmatch glob. */
static bool
matches(const char *pattern, bool literal, const char *id)
{
    return literal ? strcmp(pattern, id) == 0 : fnmatch(pattern, id, 0) == 0;
}

/* pattern is filter f without its '-', if any. */
static const char *
pattern(const struct cordon__config *cfg, size_t f)
{
    return cfg->filters[f] + (cfg->filters[f][0] == '-');
}

static bool
selected(const struct cordon__config *cfg, const char *id,
         const bool *literal, bool *hit_filter, bool *hit_id)
{
    bool any_include = cfg->nids > 0, in = false;

    for (size_t i = 0; i < cfg->nfilters; i++) {
        if (cfg->filters[i][0] == '-')
            continue;
        any_include = true;
        if (matches(pattern(cfg, i), literal[i], id))
            in = hit_filter[i] = true;
    }
    for (size_t i = 0; i < cfg->nids; i++)
        if (strcmp(cfg->ids[i], id) == 0)
            in = hit_id[i] = true;
    if (!any_include)
        in = true;
    for (size_t i = 0; in && i < cfg->nfilters; i++)
        if (cfg->filters[i][0] == '-' &&
            matches(pattern(cfg, i), literal[i], id))
            in = false;
    return in;
}

long
cordon__plan_select(const struct cordon__config *cfg,
                    struct cordon_impl_test **all, size_t n,
                    struct cordon_impl_test ***out)
{
    bool *hit_filter = calloc(cfg->nfilters + 1, sizeof *hit_filter);
    bool *hit_id = calloc(cfg->nids + 1, sizeof *hit_id);
    bool *literal = calloc(cfg->nfilters + 1, sizeof *literal);
    struct cordon_impl_test **sel =
        /* An array of pointers: each element is a pointer's size, as meant.
         * NOLINTNEXTLINE(bugprone-sizeof-expression) */
        cordon__tables_new((n ? n : 1) * sizeof *sel);
    size_t k = 0, matched = 0;
    bool by_time = cfg->shard_total > 0 && cfg->shard_times != NULL;
    long result = -1;
    const char *origin = cfg->filter_origin ? cfg->filter_origin : "--filter";
    char id[CORDON__MAX_ID + 1];

    if (hit_filter == NULL || hit_id == NULL || literal == NULL)
        cordon__bug("out of memory selecting tests");
    for (size_t i = 0; cfg->nfilters > 0 && i < n; i++) {
        cordon__test_id(all[i], id, sizeof id);
        for (size_t f = 0; f < cfg->nfilters; f++)
            literal[f] |= strcmp(pattern(cfg, f), id) == 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!selected(cfg, cordon__test_id(all[i], id, sizeof id), literal,
                      hit_filter, hit_id))
            continue;
        /* Sharding is round-robin over the selected tests, so every shard
         * gets a similar mix and the union of all shards is the selection. */
        if (cfg->shard_total == 0 || by_time ||
            (long)(matched % (size_t)cfg->shard_total) == cfg->shard_index)
            sel[k++] = all[i];
        matched++;
    }
    for (size_t i = 0; i < cfg->nfilters; i++)
        if (cfg->filters[i][0] != '-' && !hit_filter[i]) {
            cordon__usage_error("%s '%s' matches no test (see --list for "
                                "the ids)", origin, cfg->filters[i]);
            goto out;
        }
    for (size_t i = 0; i < cfg->nids; i++)
        if (!hit_id[i]) {
            cordon__usage_error("--test '%s' is not a test id (see --list for "
                                "the ids)", cfg->ids[i]);
            goto out;
        }
    /* Exclusions alone can leave nothing too: "-*" is a typo as well. */
    if (matched == 0 && n > 0 && cfg->nfilters > 0) {
        cordon__usage_error("%s: the exclusions leave no test to run (see "
                            "--list for the ids)", origin);
        goto out;
    }
    if (by_time && (result = cordon__balance_shard(cfg, sel, k)) < 0)
        goto out;
    *out = sel;
    sel = NULL;
    result = by_time ? result : (long)k;
out:
    cordon__tables_free(sel);
    free(hit_filter);
    free(hit_id);
    free(literal);
    return result;
}

double
cordon__plan_timeout(const struct cordon__config *cfg,
                     const struct cordon_impl_test *t)
{
    double s = t->options.timeout < 0 ? cfg->timeout : t->options.timeout;

    /* Bounded, so every conversion of it (to time_t, to ms) is defined:
     * a test's .timeout is not checked like the command line's. */
    s *= cfg->timeout_multiplier;
    if (!(s >= 0))
        return 0;
    return s > CORDON__MAX_TIMEOUT ? CORDON__MAX_TIMEOUT : s;
}
