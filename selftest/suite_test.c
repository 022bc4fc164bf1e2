// SPDX-License-Identifier: MIT
// suite_test.c — selftests of SUITE(): its setup, teardown and timeout
// reach every test of the suite, in any file, unless the test sets its
// own; two SUITE()s of one name that disagree stop the binary at start.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(suite, defaults_reach_every_test_of_the_suite)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "suite_defaults", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    st_expect_outcome(&o, "defaults/gets_setup_and_teardown", "PASS", "", "",
                      "suite setup\nbody\nsuite teardown\n", "");
    st_expect_outcome(&o, "defaults/in_another_file", "PASS", "", "",
                      "suite setup\nbody\nsuite teardown\n", "");
    st_expect_outcome(&o, "plain/has_no_suite_options", "PASS", "", "",
                      "body\n", "");
    st_expect_outcome(&o, "defaults/times_out_by_the_suite", "TIMEOUT",
                      "exceeded 0.3 s timeout", "", "suite setup\n", "");
    EXPECT_NOT_NULL(strstr(o.run.out, "TIMEOUT defaults/times_out_by_the_"
                                      "suite"), "%s", o.run.out);
    st_outcomes_free(&o);
}

TEST(suite, a_test_s_own_options_win)
{
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "suite_defaults", NULL, NULL), 0, "%s", o.why);
    st_expect_outcome(&o, "defaults/own_setup_wins", "PASS", "", "",
                      "own setup\nbody\nsuite teardown\n", "");
    /* 0.5 s against the suite's 0.3 s: its own 3 s timeout held. */
    st_expect_outcome(&o, "defaults/own_timeout_wins", "PASS", "", "", NULL,
                      NULL);
    t = st_outcome(&o, "defaults/own_timeout_wins");
    ASSERT_NOT_NULL(t);
    EXPECT_GE(t->seconds, 0.45);
    st_outcomes_free(&o);
}

TEST(suite, list_shows_the_suite_s_timeout)
{
    static const char *const args[] = {"--list", "-v", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "suite_defaults", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_TRUE(st_has_line(r.out, "defaults/gets_setup_and_teardown\t0.3"),
                "%s", r.out);
    EXPECT_TRUE(st_has_line(r.out, "defaults/own_timeout_wins\t3"), "%s",
                r.out);
    EXPECT_TRUE(st_has_line(r.out, "plain/has_no_suite_options\t10"), "%s",
                r.out);
    st_free(&r);
}

TEST(suite, disagreeing_suites_stop_the_binary_at_start)
{
    struct st_run r;
    char *first = st_where("suite_conflict.c", "SUITE(clash");
    char *second = st_where("parts/suite_conflict_second.c", "SUITE(clash");
    char *line = st_format("cordon: SUITE(clash) at %s and at %s set "
                           "different options (give both the same options, "
                           "or keep one of them)", first, second);

    ASSERT_EQ(st_run_fixture(&r, "suite_conflict", NULL, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(st_has_line(r.err, line), "want %s\ngot %s", line, r.err);
    EXPECT_STREQ(r.out, "");
    st_free(&r);
    free(first);
    free(second);
    free(line);
}
