// SPDX-License-Identifier: MIT
// runner_test.c — selftests of whole runs as the reports give them: the
// exit code (0, 1, 77; 2 is config_test.c's), one verdict per test in test
// order, the reason, failures and output of tests that did not pass, and
// verdicts that do not depend on how many jobs ran them. Verdicts are read
// from the TAP and JUnit reports (outcomes.h); how the console lays the
// same run out is report_console_test.c's subject.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

TEST(runner, all_pass_exits_0)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "pass", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stderr: %s", o.run.err);
    EXPECT_EQ(o.n, (size_t)3);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)3, "%s", o.tap);
    EXPECT_STREQ(o.run.err, "");
    st_outcomes_free(&o);
}

TEST(runner, a_failure_exits_1)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "assert_fail", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    EXPECT_EQ(o.n, (size_t)9);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)1, "%s", o.tap);
    EXPECT_EQ(st_outcome_count(&o, "FAIL"), (size_t)8, "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(runner, skips_with_passes_exit_0)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "disabled", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)3);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)1, "%s", o.tap);
    EXPECT_EQ(st_outcome_count(&o, "SKIP"), (size_t)2, "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(runner, all_skipped_exits_77)
{
    static const char *const skips[] = {"--filter", "-skip/after_failure",
                                        NULL};
    static const char *const disabled[] = {"--test", "disabled/never_runs",
                                           NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "skip", skips, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 77, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)2);
    EXPECT_EQ(st_outcome_count(&o, "SKIP"), (size_t)2, "%s", o.tap);
    st_outcomes_free(&o);

    ASSERT_EQ(st_outcomes(&o, "disabled", disabled, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 77, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)1);
    st_outcomes_free(&o);
}

TEST(runner, one_verdict_per_test_in_test_order, .timeout = 30)
{
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "varied_durations", NULL, crash_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1);
    EXPECT_EQ(o.plan, (long)st_nvaried);
    ASSERT_EQ(o.n, st_nvaried, "%s", o.tap);
    for (size_t i = 0; i < st_nvaried; i++) {
        EXPECT_EQ(o.tests[i].number, (long)i + 1);
        EXPECT_STREQ(o.tests[i].id, st_varied[i].id, "test %zu", i + 1);
        EXPECT_STREQ(o.tests[i].word, st_varied[i].word, "%s",
                     st_varied[i].id);
    }
    /* A started test has its time; a disabled one never ran. */
    t = st_outcome(&o, "varied/slow_pass");
    ASSERT_NOT_NULL(t);
    EXPECT_GE(t->seconds, 0.2);
    t = st_outcome(&o, "varied/slow_skip");
    ASSERT_NOT_NULL(t);
    EXPECT_GE(t->seconds, 0.1);
    EXPECT_STREQ(t->reason, "skipped after a while");
    t = st_outcome(&o, "varied/disabled");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->reason, "disabled");
    EXPECT_STREQ(o.run.err, "", "the runner's own stderr stays quiet");
    st_outcomes_free(&o);
}

TEST(runner, reasons_of_tests_that_did_not_pass, .timeout = 30)
{
    struct st_outcomes o;
    const struct st_outcome *t;
    char *where = st_where("varied_durations.c", "EXPECT_EQ(1 + 1, 3)");
    char *failure = st_format("%s: EXPECT_EQ(1 + 1, 3) failed: expected 1 + 1 "
                              "== 3, but 1 + 1 is 2", where);
    char *failures = st_format("%s\n", failure);

    ASSERT_EQ(st_outcomes(&o, "varied_durations", NULL, crash_env), 0, "%s",
              o.why);
    /* The failure is the reason; the output of both streams is kept. */
    st_expect_outcome(&o, "varied/quick_fail", "FAIL", failure, failures,
                      "quick_fail on stdout\n", "quick_fail on stderr\n");
    st_expect_outcome(&o, "varied/medium_crash", "CRASH",
                      "killed by SIGABRT (Aborted)", "", "", "");
    st_expect_outcome(&o, "varied/quick_exit", "EXIT",
                      "exited with status 3 before the test finished", "",
                      "", "");
    st_expect_outcome(&o, "varied/timeout", "TIMEOUT", NULL, "", "", "");
    t = st_outcome(&o, "varied/timeout");
    ASSERT_NOT_NULL(t);
    EXPECT_EQ(strncmp(t->reason, "exceeded 0.2 s timeout", 22), 0, "%s",
              t->reason);
    /* Tests that passed or were skipped have no reason to give. */
    st_expect_outcome(&o, "varied/slow_pass", "PASS", "", "", "", "");
    st_expect_outcome(&o, "varied/quick_pass", "PASS", "", "", "", "");
    st_expect_outcome(&o, "varied/disabled", "SKIP", "disabled", "", "", "");
    free(failures);
    free(failure);
    free(where);
    st_outcomes_free(&o);
}

TEST(runner, a_failed_test_keeps_all_its_output)
{
    static const char *const args[] = {"--test", "assert_fail/after_output",
                                       NULL};
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "assert_fail", args, NULL), 0, "%s", o.why);
    t = st_outcome(&o, "assert_fail/after_output");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL");
    /* 100 lines "out line N" are 1192 bytes, under the report's cap: all
     * of them, not just the console's last 40. */
    EXPECT_EQ(strlen(t->out), (size_t)1192, "%s", t->out);
    EXPECT_EQ(st_count(t->out, "out line "), (size_t)100);
    EXPECT_TRUE(st_has_line(t->out, "out line 1"));
    EXPECT_TRUE(st_has_line(t->out, "out line 100"));
    EXPECT_STREQ(t->err, "err line\n");
    st_outcomes_free(&o);
}

/* verdicts returns "id word reason" of every test, a line each. */
static char *
verdicts(const struct st_outcomes *o)
{
    char *all = strdup("");

    for (size_t i = 0; i < o->n; i++) {
        char *more = st_format("%s%s %s %s\n", all, o->tests[i].id,
                               o->tests[i].word, o->tests[i].reason);

        free(all);
        all = more;
    }
    return all;
}

/* Verdicts come in test order however the tests finish: with more jobs
 * the quick tests end before the slow ones before them, and still each
 * test gets the same verdict in the same place. */
TEST(runner, verdicts_are_the_same_with_any_jobs, .timeout = 30)
{
    static const char *const jobs[][3] = {
        {"-j1", NULL}, {"-j2", NULL}, {"--jobs", "8", NULL}};
    char *seen[3];
    double took[3];

    for (size_t i = 0; i < 3; i++) {
        struct st_outcomes o;

        ASSERT_EQ(st_outcomes(&o, "varied_durations", jobs[i], crash_env), 0,
                  "%s", o.why);
        took[i] = o.seconds;
        EXPECT_EQ(o.run.code, 1);
        EXPECT_EQ(o.n, st_nvaried);
        seen[i] = verdicts(&o);
        st_outcomes_free(&o);
    }
    EXPECT_STREQ(seen[1], seen[0]);
    EXPECT_STREQ(seen[2], seen[0]);
    /* The fixture's tests sleep 0.75 s in all; with 8 jobs they overlap,
     * so they did finish out of order. */
    EXPECT_LT(took[2], took[0]);
    for (size_t i = 0; i < 3; i++)
        free(seen[i]);
}
