// SPDX-License-Identifier: MIT
// param_test.c — selftests of TEST_P and TEST_P_LABELED: one test per
// case, named by index or label, each listed, selected, run, retried and
// reported on its own, in index order where the definition stands; two
// cases with one id stop the binary at start.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

TEST(param, each_case_is_a_test_in_index_order)
{
    static const char *const args[] = {"--list", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "params", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "params/before\nparams/square[0]\nparams/square[1]\n"
                        "params/square[2]\nparams/length[empty]\n"
                        "params/length[abc]\nparams/length[2]\n"
                        "params/dies[0]\nparams/dies[1]\nparams/after\n");
    st_free(&r);
}

TEST(param, each_case_has_its_own_outcome_in_every_report)
{
    struct st_outcomes o;
    struct st_xml *x;
    char why[512] = "", *got;
    char *where = st_where("params.c", "EXPECT_EQ(param->in");
    char *failure = st_format("%s: EXPECT_EQ(param->in * param->in, "
                              "param->out) failed: expected param->in * "
                              "param->in == param->out, but param->in * "
                              "param->in is 9, param->out is 10", where);
    char *failures = st_format("%s\n", failure);

    ASSERT_EQ(st_outcomes(&o, "params", NULL, crash_env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "params/square[0]", "PASS", "", "", "in 1\n", "");
    st_expect_outcome(&o, "params/square[2]", "FAIL", failure, failures,
                      "in 3\n", "");
    st_expect_outcome(&o, "params/length[empty]", "PASS", "", "", "", "");
    st_expect_outcome(&o, "params/length[2]", "PASS", "", "", "", "");
    st_expect_outcome(&o, "params/dies[0]", "CRASH",
                      "killed by SIGSEGV (Segmentation fault), expected "
                      "SIGABRT", "", "", "");
    st_expect_outcome(&o, "params/dies[1]", "PASS", NULL, "", "", "");
    EXPECT_TRUE(st_has_line(o.run.out, "      | in 3"), "%s", o.run.out);
    EXPECT_NOT_NULL(strstr(o.run.out, "FAIL    params/square[2]  "), "%s",
                    o.run.out);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    got = st_xml_string(x, "string(//testcase[@name='square[2]']/@classname)");
    EXPECT_STREQ(got, "params");
    free(got);
    EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)10);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0, "%s",
                  why);
    st_xml_free(x);
    st_outcomes_free(&o);
    free(where);
    free(failure);
    free(failures);
}

TEST(param, a_case_is_selected_sharded_and_retried_on_its_own)
{
    static const char *const one[] = {"--test", "params/square[2]",
                                      "--retries", "1", NULL};
    static const char *const shard[] = {"--list", "--shard", "2/3", NULL};
    struct st_outcomes o;
    struct st_run r;

    ASSERT_EQ(st_outcomes(&o, "params", one, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.n, (size_t)1);
    st_expect_outcome(&o, "params/square[2]", "FAIL", NULL, NULL, NULL,
                      NULL);
    EXPECT_NOT_NULL(strstr(o.run.out, "failed on attempt 2 of 2"), "%s",
                    o.run.out);
    st_outcomes_free(&o);
    ASSERT_EQ(st_run_fixture(&r, "params", shard, NULL), 0);
    EXPECT_STREQ(r.out, "params/square[0]\nparams/length[empty]\n"
                        "params/dies[0]\n");
    st_free(&r);
}

TEST(param, two_cases_with_one_id_stop_the_binary)
{
    struct st_run r;
    char *where = st_where("params_duplicate.c", "TEST_P_LABELED");
    char *line = st_format("cordon: duplicate test id 'params/twice[same]' "
                           "defined at %s and %s (give the cases different "
                           "labels)", where, where);

    ASSERT_EQ(st_run_fixture(&r, "params_duplicate", NULL, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(st_has_line(r.err, line), "want %s\ngot %s", line, r.err);
    st_free(&r);
    free(where);
    free(line);
}

TEST(param, a_test_writing_over_memory_changes_no_other_test)
{
    static const char *const args[] = {"-j", "1", NULL};
    const struct st_outcome *scribbler;
    struct st_outcomes o;
    char id[64];

    ASSERT_EQ(st_outcomes(&o, "params_scribble", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)65);
    scribbler = st_outcome(&o, "scribble/writes_over_every_id_it_finds");
    ASSERT_NOT_NULL(scribbler, "%s", o.run.out);
    /* It must have found the runner's copies of the ids to write over, or
     * this proves nothing. */
    EXPECT_NOT_NULL(strstr(scribbler->out, "found "), "%s", scribbler->out);
    EXPECT_NULL(strstr(scribbler->out, "found 0,"), "%s", scribbler->out);
    for (int k = 0; k < 64; k++) {
        snprintf(id, sizeof id, "scribble/victim[%d]", k);
        st_expect_outcome(&o, id, "PASS", "", "", "", "");
    }
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)65, "%s", o.run.out);
    st_outcomes_free(&o);
}

TEST(param, each_of_a_hundred_thousand_cases_is_its_own)
{
    static const char *const list[] = {"--list", NULL};
    static const char *const some[] = {
        "--test", "big/cases[0]", "--test", "big/cases[54321]",
        "--test", "big/cases[99999]", NULL};
    struct st_outcomes o;
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "params_100k", list, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_EQ(st_count(r.out, "big/cases["), (size_t)100000);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "big/cases[99999]");
    free(last);
    st_free(&r);
    ASSERT_EQ(st_outcomes(&o, "params_100k", some, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)3);
    st_expect_outcome(&o, "big/cases[0]", "PASS", "", "", "case 0\n", "");
    st_expect_outcome(&o, "big/cases[54321]", "PASS", "", "", "case 54321\n",
                      "");
    st_expect_outcome(&o, "big/cases[99999]", "PASS", "", "", "case 99999\n",
                      "");
    st_outcomes_free(&o);
}

/* Many TEST_Ps are a handful of mappings, not one each: a test process
 * of params_many counts its own, and all 300 cases pass. */
TEST(param, many_test_ps_share_their_mappings)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "params_many", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)301);
    st_expect_word(&o, "many/few_mappings", "PASS", NULL);
    st_outcomes_free(&o);
}

/* A case's id as --list prints it is a filter that selects that case
 * alone, in --filter and in Bazel's TESTBRIDGE_TEST_ONLY, though its
 * brackets would be a character class in a glob. */
TEST(param, a_printed_case_id_selects_itself_as_a_filter)
{
    const char *const filter[] = {"--list", "--filter", "params/square[1]",
                                  "--filter", "params/length[abc]", NULL};
    const char *const exclude[] = {"--list", "--filter", "params/square*",
                                   "--filter", "-params/square[0]", NULL};
    const char *const list[] = {"--list", NULL};
    const char *const bazel[] = {"TESTBRIDGE_TEST_ONLY=params/dies[1]",
                                 NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "params", filter, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "params/square[1]\nparams/length[abc]\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "params", exclude, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "params/square[1]\nparams/square[2]\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "params", list, bazel), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "params/dies[1]\n");
    st_free(&r);
}
