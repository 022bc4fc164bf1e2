// SPDX-License-Identifier: MIT
// build.c — the merged report cordon-junit-merge writes: of the reports
// of each test (one suite of one binary, one name) the latest is kept; the
// cases are ordered by source file, line and name, the order a binary's
// own report has when its sources link in name order; each group is one
// <testsuite>, in the order of its first case, with its counts and time
// made again from its cases, as a test binary's own report has them, and
// the properties that mark it merged; the root's time is the suites'.
#include "merge/merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The merge whose entries qsort()'s comparators read. */
static struct cordon__merge *sorting;

/* by_test groups the reports of one test (one suite of one binary, one
 * name) together, oldest report first. */
static int
by_test(const void *a, const void *b)
{
    const struct cordon__merge_entry *x =
        &sorting->entries[*(const size_t *)a];
    const struct cordon__merge_entry *y =
        &sorting->entries[*(const size_t *)b];
    int c;

    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if ((c = strcmp(x->name, y->name)) != 0)
        return c;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* natural compares names with runs of digits as numbers, so that the
 * cases of a parameterized test come as case/2 before case/10. */
static int
natural(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            const char *x = a, *y = b;
            size_t lx, ly;

            while (*x == '0')
                x++;
            while (*y == '0')
                y++;
            for (lx = 0; x[lx] >= '0' && x[lx] <= '9'; lx++)
                ;
            for (ly = 0; y[ly] >= '0' && y[ly] <= '9'; ly++)
                ;
            if (lx != ly)
                return lx < ly ? -1 : 1;
            if (strncmp(x, y, lx) != 0)
                return strncmp(x, y, lx);
            a = x + lx;
            b = y + ly;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return (*a != '\0') - (*b != '\0');
}

/* by_source is the output order: by source file and line, the order a
 * binary's own report has (files in link order, which is often the
 * files' order by name), then by name; cases without a file (another
 * tool's) in the order their reports had them. */
static int
by_source(const void *a, const void *b)
{
    const struct cordon__merge_entry *x =
        &sorting->entries[*(const size_t *)a];
    const struct cordon__merge_entry *y =
        &sorting->entries[*(const size_t *)b];
    int c;

    if ((c = strcmp(x->file, y->file)) != 0)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->file[0] != '\0' && (c = natural(x->name, y->name)) != 0)
        return c;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* later says whether the cases of one test that report rank a holds win
 * over those of report rank b: the report whose run began later, then the
 * file written later; on a full tie the outcome that did not pass (a
 * failure or error, then a skip), so that a tie never hides a failure;
 * then the later rank, one of its order by path. failed_a and failed_b
 * are the worst outcomes each holds. */
static bool
later(const struct cordon__merge *m, size_t a, int failed_a, size_t b,
      int failed_b)
{
    int c = cordon__merge_age(&m->inputs[a], &m->inputs[b]);

    if (c != 0)
        return c > 0;
    if (failed_a != failed_b)
        return failed_a > failed_b;
    return a > b;
}

static bool
same_test(const struct cordon__merge *m, size_t a, size_t b)
{
    return m->entries[a].group == m->entries[b].group &&
           strcmp(m->entries[a].name, m->entries[b].name) == 0;
}

/* drop_older keeps, of the reports of each test, the latest (see later):
 * a test run again replaces its result. Two cases of one name in one
 * report are both kept. */
static void
drop_older(struct cordon__merge *m, size_t *idx, size_t n)
{
    sorting = m;
    qsort(idx, n, sizeof *idx, by_test);
    for (size_t i = 0, j; i < n; i = j) {
        size_t best = SIZE_MAX;
        int best_failed = 0;

        /* The test's cases come report by report, in rank order. */
        for (j = i; j < n && same_test(m, idx[i], idx[j]);) {
            size_t rank = m->entries[idx[j]].rank;
            int failed = 0;

            for (; j < n && same_test(m, idx[i], idx[j]) &&
                   m->entries[idx[j]].rank == rank;
                 j++)
                if (m->entries[idx[j]].failed > failed)
                    failed = m->entries[idx[j]].failed;
            if (best == SIZE_MAX ||
                later(m, rank, failed, best, best_failed)) {
                best = rank;
                best_failed = failed;
            }
        }
        for (size_t k = i; k < j; k++)
            if (m->entries[idx[k]].rank != best)
                m->entries[idx[k]].dropped = true;
    }
}

static bool
has_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            xmlStrcmp(c->name, BAD_CAST name) == 0)
            return true;
    return false;
}

static void
set_count(xmlNodePtr node, const char *name, size_t n)
{
    char v[32];

    snprintf(v, sizeof v, "%zu", n);
    xmlNewProp(node, BAD_CAST name, BAD_CAST v);
}

/* millis is seconds in whole milliseconds, the precision of a time. */
static long long
millis(double seconds)
{
    return seconds > 0 ? (long long)(seconds * 1000 + 0.5) : 0;
}

static void
set_time(xmlNodePtr node, long long ms)
{
    char v[64];

    snprintf(v, sizeof v, "%lld.%03lld", ms / 1000, ms % 1000);
    xmlNewProp(node, BAD_CAST "time", BAD_CAST v);
}

static void
add_property(xmlNodePtr props, const char *name, const char *value)
{
    xmlNodePtr p = xmlNewChild(props, NULL, BAD_CAST "property", NULL);

    xmlNewProp(p, BAD_CAST "name", BAD_CAST name);
    xmlNewProp(p, BAD_CAST "value", BAD_CAST value);
}

/* mark_merged gives suite the properties that say it is merged, of how
 * many reports, and when the latest run among those it keeps began
 * (latest, NULL: none of them says): read again, the merged report is
 * as new as that run. */
static void
mark_merged(xmlNodePtr suite, size_t reports,
            const struct cordon__merge_input *latest)
{
    xmlNodePtr props = xmlNewChild(suite, NULL, BAD_CAST "properties", NULL);
    char v[64];

    snprintf(v, sizeof v, "%zu", reports);
    add_property(props, CORDON__MERGE_MERGED, v);
    if (latest != NULL) {
        struct tm tm;
        size_t len;

        gmtime_r(&latest->started.tv_sec, &tm);
        len = strftime(v, sizeof v, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(v + len, sizeof v - len, ".%09ldZ",
                 (long)latest->started.tv_nsec);
        add_property(props, CORDON__MERGE_STARTED, v);
    }
}

void
cordon__merge_build(struct cordon__merge *m)
{
    size_t *idx = cordon__merge_xrealloc(NULL, m->nentries * sizeof *idx),
           n = 0, kept;
    size_t *order = cordon__merge_xrealloc(NULL, m->ngroups * sizeof *order);
    xmlNodePtr root = xmlNewDocNode(m->out, NULL, BAD_CAST "testsuites", NULL);
    xmlNodePtr *suites =
        /* An array of pointers: each element is a pointer's size, as meant.
         * NOLINTNEXTLINE(bugprone-sizeof-expression) */
        cordon__merge_xrealloc(NULL, m->ngroups * sizeof *suites);
    const struct cordon__merge_input *latest = NULL;
    long long ms = 0;

    xmlDocSetRootElement(m->out, root);
    if (m->root_name != NULL && !m->names_differ && m->root_name[0] != '\0')
        xmlNewProp(root, BAD_CAST "name", BAD_CAST m->root_name);

    for (size_t i = 0; i < m->nentries; i++)
        idx[n++] = i;
    drop_older(m, idx, n);
    kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct cordon__merge_entry *e = &m->entries[idx[i]];

        if (e->dropped) {
            xmlFreeNode(e->node);
            e->node = NULL;
        } else {
            idx[kept++] = idx[i];
        }
    }
    qsort(idx, kept, sizeof *idx, by_source);
    for (size_t g = 0; g < m->ngroups; g++)
        m->groups[g].lead = SIZE_MAX;
    for (size_t i = kept; i-- > 0;)
        m->groups[m->entries[idx[i]].group].lead = i;

    /* The groups in the order of their first cases; a group whose every
     * case was dropped has none and no place. */
    n = 0;
    for (size_t g = 0; g < m->ngroups; g++)
        if (m->groups[g].lead != SIZE_MAX)
            order[n++] = g;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i;
             j > 0 && m->groups[order[j - 1]].lead > m->groups[order[j]].lead;
             j--) {
            size_t t = order[j];

            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < kept; i++) {
        struct cordon__merge_entry *e = &m->entries[idx[i]];
        struct cordon__merge_group *g = &m->groups[e->group];
        char *time = cordon__merge_prop(e->node, "time");

        g->tests++;
        g->failures += has_child(e->node, "failure");
        g->errors += has_child(e->node, "error");
        g->skipped += has_child(e->node, "skipped");
        g->seconds += strtod(time, NULL);
        free(time);
        if (m->inputs[e->rank].timed &&
            (latest == NULL ||
             cordon__merge_age(&m->inputs[e->rank], latest) > 0))
            latest = &m->inputs[e->rank];
    }
    /* The root's time is its suites', each test's once: a report read
     * twice, or read again in a merged report, adds nothing. */
    for (size_t i = 0; i < n; i++)
        ms += millis(m->groups[order[i]].seconds);
    set_time(root, ms);
    for (size_t i = 0; i < n; i++) {
        struct cordon__merge_group *g = &m->groups[order[i]];
        xmlNodePtr s = xmlNewChild(root, NULL, BAD_CAST "testsuite", NULL);

        suites[order[i]] = s;
        xmlNewProp(s, BAD_CAST "name", BAD_CAST g->suite);
        set_count(s, "tests", g->tests);
        set_count(s, "failures", g->failures);
        set_count(s, "errors", g->errors);
        set_count(s, "skipped", g->skipped);
        set_time(s, millis(g->seconds));
        if (g->timestamp[0] != '\0')
            xmlNewProp(s, BAD_CAST "timestamp", BAD_CAST g->timestamp);
        if (g->hostname[0] != '\0')
            xmlNewProp(s, BAD_CAST "hostname", BAD_CAST g->hostname);
        mark_merged(s, m->ninputs, latest);
    }
    for (size_t i = 0; i < kept; i++) {
        struct cordon__merge_entry *e = &m->entries[idx[i]];

        xmlAddChild(suites[e->group], e->node);
        e->node = NULL;
    }
    free(suites);
    free(order);
    free(idx);
}
