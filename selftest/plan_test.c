// SPDX-License-Identifier: MIT
// plan_test.c — selftests of which tests a run selects: --list, --filter
// globs (repeatable; a leading '-' excludes), --test exact ids
// (repeatable), CORDON_FILTER, always in test order whatever the order of
// the options. What a run ran is read from its TAP report (outcomes.h).
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

/* The order fixture's ids, in test order. */
#define ORDER_IDS                                                             \
    "order/zulu\norder/alpha\nearly/mike\norder/bravo\norder/alpha_two\n"     \
    "aardvark/first_line\norder/yankee\n"

/* select_ids runs the order fixture with args and returns the ids of the
 * tests it ran and passed, from its report, or with --list among args the
 * ids it listed. */
static char *
select_ids(const char *const *args, const char *env1, int *code)
{
    const char *const env[] = {env1, NULL};
    bool list = false;
    char *ids;

    for (size_t i = 0; args[i] != NULL; i++)
        list = list || strcmp(args[i], "--list") == 0;
    if (list) {
        struct st_run r;

        if (st_run_fixture(&r, "order", args, env) != 0)
            return NULL;
        *code = r.code;
        ids = strdup(r.out);
        st_free(&r);
    } else {
        struct st_outcomes o;

        if (st_outcomes(&o, "order", args, env) != 0) {
            EXPECT_EQ(0, 1, "%s", o.why);
            st_outcomes_free(&o);
            return NULL;
        }
        *code = o.run.code;
        ids = st_outcomes_ids(&o, "PASS");
        st_outcomes_free(&o);
    }
    return ids;
}

#define EXPECT_SELECTS(env1, want, ...)                                       \
    do {                                                                      \
        static const char *const args_[] = {__VA_ARGS__, NULL};               \
        int code_ = -1;                                                       \
        char *ids_ = select_ids(args_, env1, &code_);                         \
        EXPECT_EQ(code_, 0);                                                  \
        EXPECT_STREQ(ids_, want);                                             \
        free(ids_);                                                           \
    } while (0)

TEST(plan, list_prints_ids_in_test_order_and_runs_nothing)
{
    static const char *const args[] = {"--list", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "order", args, NULL), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_STREQ(r.out, ORDER_IDS);
    EXPECT_STREQ(r.err, "");
    st_free(&r);
}

TEST(plan, list_with_a_filter)
{
    EXPECT_SELECTS(NULL, "order/alpha\norder/alpha_two\n", "--list",
                   "--filter", "order/alpha*");
    EXPECT_SELECTS(NULL, "order/zulu\norder/yankee\n", "--filter",
                   "-order/[ab]*", "--list", "--filter", "order/*");
}

TEST(plan, without_selection_everything_runs_in_test_order)
{
    EXPECT_SELECTS(NULL, ORDER_IDS, "-j2");
}

TEST(plan, filters_add_up_in_test_order)
{
    EXPECT_SELECTS(NULL, "order/alpha\nearly/mike\norder/alpha_two\n",
                   "--filter", "early/*", "--filter", "order/a*");
    EXPECT_SELECTS(NULL, "order/zulu\norder/yankee\n", "--filter", "order/*",
                   "--filter", "-order/[ab]*");
}

TEST(plan, exclusions_alone_keep_the_rest)
{
    EXPECT_SELECTS(NULL, "early/mike\naardvark/first_line\n", "--filter",
                   "-order/*");
}

TEST(plan, test_ids_are_exact_and_add_up)
{
    EXPECT_SELECTS(NULL, "order/zulu\norder/yankee\n", "--test",
                   "order/yankee", "--test", "order/zulu");
    EXPECT_SELECTS(NULL, "order/alpha\n", "--test", "order/alpha");
    /* An id and a filter select the union. */
    EXPECT_SELECTS(NULL, "order/zulu\nearly/mike\n", "--filter", "early/*",
                   "--test", "order/zulu");
}

TEST(plan, filter_from_the_environment)
{
    EXPECT_SELECTS("CORDON_FILTER=early/*", "early/mike\n", "--list");
    /* The flag replaces its twin rather than adding to it. */
    EXPECT_SELECTS("CORDON_FILTER=early/*", "order/zulu\n", "--list",
                   "--filter", "order/zulu");
}
