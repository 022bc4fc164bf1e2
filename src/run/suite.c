// SPDX-License-Identifier: MIT
// suite.c — SUITE(name, options...): defaults for every test of a suite,
// from any file of the binary. SUITE() registers from a constructor, like
// TEST(); at start every test gets its suite's options wherever it left
// its own unset, so the rest of cordon (plan, worker, child, reports) sees
// only tests with their options in force. Two SUITE()s of one name must
// agree: one a test would silently follow is worse than a clear stop.
// Running a suite's .once in the worker is suite_once.c's.
#include "run/run.h"

#include <stdlib.h>
#include <string.h>

static struct cordon_impl_suite *head;
static struct cordon_impl_suite **tail = &head;

void
cordon_impl_register_suite(struct cordon_impl_suite *s)
{
    /* Constructors run before main: no allocation, no output here. */
    s->next_ = NULL;
    *tail = s;
    tail = &s->next_;
}

static bool
same_options(const struct cordon_suite_options *a,
             const struct cordon_suite_options *b)
{
    return a->timeout == b->timeout && a->setup == b->setup &&
           a->teardown == b->teardown && a->once == b->once &&
           a->retries == b->retries;
}

static int
by_name(const void *a, const void *b)
{
    const struct cordon_impl_suite *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

/* by_name_then_place orders suites by name, then as they registered
 * (link order), so a conflict names the two places in that order. */
static int
by_name_then_place(const void *a, const void *b)
{
    const struct cordon_impl_suite *const *x = a, *const *y = b;
    int c = by_name(a, b);
    const struct cordon_impl_suite *s;

    if (c != 0 || *x == *y)
        return c;
    for (s = head; s != *x && s != *y; s = s->next_)
        ;
    return s == *x ? -1 : 1;
}

/* defaults gives t the options of s it left unset. */
static void
defaults(struct cordon_impl_test *t, const struct cordon_impl_suite *s)
{
    struct cordon_test_options *o = &t->options;

    t->suite_ = s;
    if (o->timeout < 0)
        o->timeout = s->options.timeout;
    if (o->setup == NULL)
        o->setup = s->options.setup;
    if (o->teardown == NULL)
        o->teardown = s->options.teardown;
    if (o->retries < 0)
        o->retries = s->options.retries;
}

size_t
cordon__suite_apply(struct cordon_impl_test **tests, size_t n)
{
    struct cordon_impl_suite **all;
    size_t count = 0, unique = 0, problems = 0;

    for (struct cordon_impl_suite *s = head; s != NULL; s = s->next_)
        count++;
    if (count == 0)
        return 0;
    /* An array of pointers: each element is a pointer's size, as meant.
     * NOLINTNEXTLINE(bugprone-sizeof-expression) */
    all = cordon__xmalloc(count * sizeof *all);
    count = 0;
    for (struct cordon_impl_suite *s = head; s != NULL; s = s->next_)
        all[count++] = s;
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
    qsort(all, count, sizeof *all, by_name_then_place);
    for (size_t i = 0; i < count; i++) {
        if (unique > 0 && strcmp(all[unique - 1]->name, all[i]->name) == 0) {
            const struct cordon_impl_suite *a = all[unique - 1], *b = all[i];

            if (!same_options(&a->options, &b->options)) {
                cordon__error("SUITE(%s) at %s:%d and at %s:%d set different "
                              "options (give both the same options, or keep "
                              "one of them)", a->name, a->file, a->line,
                              b->file, b->line);
                problems++;
            }
            continue;
        }
        all[unique++] = all[i];
    }
    for (size_t i = 0; problems == 0 && i < n; i++) {
        struct cordon_impl_suite key = {.name = tests[i]->suite}, *k = &key;
        struct cordon_impl_suite **s =
            /* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
            bsearch(&k, all, unique, sizeof *all, by_name);

        if (s != NULL)
            defaults(tests[i], *s);
    }
    free(all);
    return problems;
}
