// SPDX-License-Identifier: MIT
// suite_test.c — selftests of SUITE(): its setup, teardown and timeout
// reach every test of the suite, in any file, unless the test sets its
// own; two SUITE()s of one name that disagree stop the binary at start.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

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

/* A run of the suite_once fixture, logging each once to a file. */
struct once_run {
    struct st_outcomes o;
    char *dir;
    char *log;
    char *env_log;
};

static void
run_once_fixture(struct once_run *r, const char *const *args)
{
    const char *env[] = {ST_ASAN_OPTIONS, NULL, NULL};

    r->dir = st_tmpdir();
    r->log = st_format("%s/once.log", r->dir);
    r->env_log = st_format("ONCE_LOG=%s", r->log);
    env[1] = r->env_log;
    ASSERT_EQ(st_outcomes(&r->o, "suite_once", args, env), 0, "%s",
              r->o.why);
}

static void
once_run_free(struct once_run *r)
{
    st_outcomes_free(&r->o);
    st_rmtree(r->dir);
    free(r->log);
    free(r->env_log);
}

TEST(suite, once_runs_once_and_its_tests_inherit_what_it_built)
{
    static const char *const args[] = {"-j1", NULL};
    struct once_run r;
    char *log;

    run_once_fixture(&r, args);
    st_expect_outcome(&r.o, "table/is_built", "PASS", "", "", "", "");
    st_expect_outcome(&r.o, "table/gets_its_own_copy", "PASS", "", "", "",
                      "");
    st_expect_outcome(&r.o, "table/is_unchanged_by_another_test", "PASS",
                      "", "", "table[10] is 100\n", "");
    st_expect_outcome(&r.o, "between/runs_in_the_worker", "PASS", "", "", "",
                      "");
    st_expect_outcome(&r.o, "after/still_runs", "PASS", "", "", "", "");
    log = st_read_file(r.log, NULL);
    EXPECT_STREQ(log, "table\n");
    free(log);
    once_run_free(&r);
}

TEST(suite, once_runs_at_most_once_per_worker)
{
    static const char *const args[] = {"-j2", NULL};
    struct once_run r;
    char *log;

    run_once_fixture(&r, args);
    st_expect_outcome(&r.o, "table/is_built", "PASS", "", "", "", "");
    log = st_read_file(r.log, NULL);
    ASSERT_NOT_NULL(log);
    EXPECT_TRUE(strcmp(log, "table\n") == 0 ||
                strcmp(log, "table\ntable\n") == 0, "%s", log);
    free(log);
    once_run_free(&r);
}

TEST(suite, a_failed_once_fails_every_test_of_its_suite)
{
    static const char *const args[] = {"-j2", NULL};
    static const char *const crashed =
        "suite setup once() crashed: killed by SIGSEGV (Segmentation fault)";
    struct once_run r;
    char *expect_at = st_where("suite_once.c", "EXPECT_EQ(1 + 1, 3)");
    char *assert_at = st_where("suite_once.c", "ASSERT_TRUE(0");
    char *failed = st_format("suite setup once() failed: %s: EXPECT_EQ(1 + "
                             "1, 3) failed: expected 1 + 1 == 3, but 1 + 1 "
                             "is 2", expect_at);
    char *asserted = st_format("suite setup once() failed: %s: ASSERT_TRUE(0)"
                               " failed: 0 is false -- no data file",
                               assert_at);
    struct st_xml *x;
    char why[512] = "", *got;

    run_once_fixture(&r, args);
    EXPECT_EQ(r.o.run.code, 1);
    st_expect_outcome(&r.o, "crashes/first", "CRASH", crashed, "",
                      "about to crash\n", "");
    /* Its output goes with the first test of the suite each worker
     * took: with two workers, maybe this one too. */
    st_expect_outcome(&r.o, "crashes/second", "CRASH", crashed, "", NULL,
                      "");
    st_expect_outcome(&r.o, "fails/first", "FAIL", failed, "", NULL, NULL);
    st_expect_outcome(&r.o, "asserts/first", "FAIL", asserted, "", NULL,
                      NULL);
    st_expect_outcome(&r.o, "slow/first", "TIMEOUT",
                      "suite setup once() exceeded 0.3 s timeout", "", NULL,
                      NULL);
    st_expect_outcome(&r.o, "slow/second", "TIMEOUT",
                      "suite setup once() exceeded 0.3 s timeout", "", NULL,
                      NULL);
    st_expect_outcome(&r.o, "after/still_runs", "PASS", "", "", "", "");
    EXPECT_TRUE(st_has_line(r.o.run.out, "      suite setup once() crashed: "
                                         "killed by SIGSEGV (Segmentation "
                                         "fault)"), "%s", r.o.run.out);
    x = st_xml_load(r.o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    got = st_xml_string(x, "string(//testcase[@classname='crashes' and "
                           "@name='second']/error/@type)");
    EXPECT_STREQ(got, "SIGSEGV");
    free(got);
    EXPECT_EQ(st_xml_count(x, "//testcase[@classname='fails']/failure"),
              (size_t)1);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0, "%s",
                  why);
    st_xml_free(x);
    once_run_free(&r);
    free(expect_at);
    free(assert_at);
    free(failed);
    free(asserted);
}

TEST(suite, once_without_fork_runs_in_the_runner)
{
    static const char *const args[] = {"--no-fork", "--filter", "fails/*",
                                       "--filter", "after/*", NULL};
    struct once_run r;
    const struct st_outcome *t;

    run_once_fixture(&r, args);
    t = st_outcome(&r.o, "fails/first");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->word, "FAIL");
    EXPECT_NOT_NULL(strstr(t->reason, "suite setup once() failed: "), "%s",
                    t->reason);
    st_expect_outcome(&r.o, "after/still_runs", "PASS", "", "", NULL, NULL);
    once_run_free(&r);
}

TEST(suite, a_fault_in_a_teardown_is_an_error_naming_it)
{
    struct st_outcomes o;
    const char *env[] = {ST_ASAN_OPTIONS, NULL};
    char *expect_at = st_where("teardown_faults.c", "EXPECT_EQ(2 + 2");
    char *assert_at = st_where("teardown_faults.c", "ASSERT_TRUE(0");
    char *expect_failure = st_format("%s: EXPECT_EQ(2 + 2, 5) failed: "
                                     "expected 2 + 2 == 5, but 2 + 2 is 4 "
                                     "-- clean-up check", expect_at);
    char *expect_reason = st_format("teardown failed: %s", expect_failure);
    char *assert_reason = st_format("teardown failed: %s: ASSERT_TRUE(0) "
                                    "failed: 0 is false -- could not remove "
                                    "the file", assert_at);
    struct st_xml *x;
    char why[512] = "", *got;

    ASSERT_EQ(st_outcomes(&o, "teardown_faults", NULL, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "teardown_faults/crash", "ERROR",
                      "teardown crashed: killed by SIGSEGV (Segmentation "
                      "fault)", "", "", "");
    st_expect_outcome(&o, "teardown_faults/failed_expect", "ERROR",
                      expect_reason, NULL, "", "");
    st_expect_outcome(&o, "teardown_faults/failed_assert", "ERROR",
                      assert_reason, NULL, "", "");
    st_expect_outcome(&o, "suite_teardown/gets_the_error", "ERROR",
                      expect_reason, NULL, "", "");
    st_expect_outcome(&o, "teardown_faults/clean", "PASS", "", "", "", "");
    st_expect_outcome(&o, "teardown_faults/body_failed_first", "FAIL", NULL,
                      NULL, "", "");
    EXPECT_TRUE(st_has_line(o.run.out, "      teardown crashed: killed by "
                                       "SIGSEGV (Segmentation fault)"),
                "%s", o.run.out);
    EXPECT_NOT_NULL(strstr(o.run.out, "0 exit, 0 skip, 4 error\n"), "%s",
                    o.run.out);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    got = st_xml_string(x, "string(//testcase[@name='crash']/error/@type)");
    EXPECT_STREQ(got, "teardown");
    free(got);
    got = st_xml_string(x, "string(sum(//testsuite/@errors))");
    EXPECT_STREQ(got, "4");
    free(got);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0, "%s",
                  why);
    st_xml_free(x);
    st_outcomes_free(&o);
    free(expect_at);
    free(assert_at);
    free(expect_failure);
    free(expect_reason);
    free(assert_reason);
}
