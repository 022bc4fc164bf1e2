// SPDX-License-Identifier: MIT
// runner_test.c — selftests of whole runs as a user sees them: the exit
// code (0, 1, 77; 2 is config_test.c's), one console line per test in test
// order with its outcome word first, the details under tests that did not
// pass, the closing lines, and a transcript that does not depend on how
// many jobs ran it.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

TEST(runner, all_pass_exits_0)
{
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.out, "PASS  "), (size_t)3);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 3 passed, 0 failed, 0 skipped");
    free(last);
    EXPECT_STREQ(r.err, "");
    st_free(&r);
}

TEST(runner, a_failure_exits_1)
{
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "assert_fail", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 1 passed, 8 failed, 0 skipped");
    free(last);
    st_free(&r);
}

TEST(runner, skips_with_passes_exit_0)
{
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "disabled", NULL, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.out);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 1 passed, 0 failed, 2 skipped");
    free(last);
    st_free(&r);
}

TEST(runner, all_skipped_exits_77)
{
    static const char *const skips[] = {"--filter", "-skip/after_failure",
                                        NULL};
    static const char *const disabled[] = {"--test", "disabled/never_runs",
                                           NULL};
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "skip", skips, NULL), 0);
    EXPECT_EQ(r.code, 77, "%s", r.out);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 0 passed, 0 failed, 2 skipped");
    free(last);
    st_free(&r);

    ASSERT_EQ(st_run_fixture(&r, "disabled", disabled, NULL), 0);
    EXPECT_EQ(r.code, 77, "%s", r.out);
    st_free(&r);
}

/* The tests of the varied_durations fixture, in test order, with the
 * outcome each must get. */
static const struct {
    const char *word, *id;
} varied[] = {
    {"PASS", "varied/slow_pass"},     {"FAIL", "varied/quick_fail"},
    {"CRASH", "varied/medium_crash"}, {"PASS", "varied/quick_pass"},
    {"SKIP", "varied/slow_skip"},     {"EXIT", "varied/quick_exit"},
    {"TIMEOUT", "varied/timeout"},    {"PASS", "varied/medium_pass"},
    {"SKIP", "varied/disabled"},
};
#define NVARIED (sizeof varied / sizeof varied[0])

TEST(runner, one_line_per_test_in_test_order, .timeout = 30)
{
    struct st_run r;
    const char *at;
    char *line, *last;

    ASSERT_EQ(st_run_fixture(&r, "varied_durations", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    /* Every result line is "WORD" padded to five, a space, the id, and
     * the lines come in test order. */
    at = r.out;
    for (size_t i = 0; i < NVARIED; i++) {
        char *prefix = st_format("%-5s %s", varied[i].word, varied[i].id);
        char *with_sep = st_format("%s  ", prefix);
        const char *hit = strstr(at, with_sep);

        EXPECT_NOT_NULL(hit, "no line '%s' after the previous one in:\n%s",
                        with_sep, r.out);
        EXPECT_TRUE(hit == NULL || hit == r.out || hit[-1] == '\n',
                    "'%s' does not start a line", prefix);
        EXPECT_EQ(st_count(r.out, with_sep), (size_t)1);
        if (hit != NULL)
            at = hit + 1;
        free(prefix);
        free(with_sep);
    }
    /* A started test shows its time; a skip shows its reason last. */
    line = st_line(r.out, "PASS  varied/slow_pass  ");
    EXPECT_GE(st_seconds(line), 0.2, "%s", line);
    free(line);
    line = st_line(r.out, "SKIP  varied/slow_skip  ");
    ASSERT_NOT_NULL(line);
    EXPECT_GE(st_seconds(line), 0.1, "%s", line);
    EXPECT_NOT_NULL(strstr(line, " s  skipped after a while"), "%s", line);
    free(line);
    EXPECT_TRUE(st_has_line(r.out, "SKIP  varied/disabled  disabled"));
    /* The breakdown, then the closing line; F counts FAIL, CRASH,
     * TIMEOUT and EXIT. */
    line = st_line(r.out, "cordon: 9 tests in ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, " s: 3 pass, 1 fail, 1 crash, 1 timeout, "
                                 "1 exit, 2 skip"), "%s", line);
    free(line);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 3 passed, 4 failed, 2 skipped");
    free(last);
    EXPECT_STREQ(r.err, "", "the runner's own stderr stays quiet");
    st_free(&r);
}

TEST(runner, details_only_under_tests_that_did_not_pass, .timeout = 30)
{
    struct st_run r;
    char *d;
    char *where = st_where("varied_durations.c", "EXPECT_EQ(1 + 1, 3)");
    /* The failure is the reason, so it is not repeated above it; the
     * output of both streams follows. */
    char *want = st_format("      %s: EXPECT_EQ(1 + 1, 3) failed: 1 + 1 is "
                           "2, expected 3\n"
                           "      stdout (21 bytes):\n"
                           "      | quick_fail on stdout\n"
                           "      stderr (21 bytes):\n"
                           "      | quick_fail on stderr\n", where);

    ASSERT_EQ(st_run_fixture(&r, "varied_durations", NULL, crash_env), 0);
    d = st_details(r.out, "FAIL  varied/quick_fail  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_STREQ(d, want);
    free(d);
    d = st_details(r.out, "CRASH varied/medium_crash  ");
    EXPECT_STREQ(d, "      killed by SIGABRT (Aborted)\n");
    free(d);
    d = st_details(r.out, "EXIT  varied/quick_exit  ");
    EXPECT_STREQ(d, "      exited with status 3 before the test finished\n");
    free(d);
    d = st_details(r.out, "TIMEOUT varied/timeout  ");
    ASSERT_NOT_NULL(d);
    EXPECT_EQ(strncmp(d, "      exceeded 0.2 s timeout", 28), 0, "%s", d);
    free(d);
    for (const char *const *p = (const char *const[]){
             "PASS  varied/slow_pass  ", "PASS  varied/quick_pass  ",
             "SKIP  varied/slow_skip  ", "SKIP  varied/disabled  ", NULL};
         *p != NULL; p++) {
        d = st_details(r.out, *p);
        EXPECT_STREQ(d, "", "under '%s'", *p);
        free(d);
    }
    free(want);
    free(where);
    st_free(&r);
}

TEST(runner, output_shows_its_last_40_lines)
{
    static const char *const args[] = {"--test", "assert_fail/after_output",
                                       NULL};
    struct st_run r;
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "assert_fail", args, NULL), 0);
    d = st_details(r.out, "FAIL  assert_fail/after_output  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    /* 100 lines "out line N" are 1192 bytes; 61 to 100 are shown. */
    EXPECT_TRUE(st_has_line(d, "      stdout (last 40 lines of 1192 "
                               "bytes):"), "%s", d);
    EXPECT_EQ(st_count(d, "      | out line "), (size_t)40, "%s", d);
    EXPECT_FALSE(st_has_line(d, "      | out line 60"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      | out line 61"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      | out line 100"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      stderr (9 bytes):"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      | err line"), "%s", d);
    free(d);
    st_free(&r);
}

/* Results are printed in test order however the tests finish: with more
 * jobs the quick tests end before the slow ones before them, and still the
 * transcript is the same, times aside. */
TEST(runner, transcript_is_the_same_with_any_jobs, .timeout = 30)
{
    static const char *const jobs[][3] = {
        {"-j1", NULL}, {"-j2", NULL}, {"--jobs", "8", NULL}};
    char *stripped[3];
    double took[3];

    for (size_t i = 0; i < 3; i++) {
        struct st_run r;
        double t0 = st_now();

        ASSERT_EQ(st_run_fixture(&r, "varied_durations", jobs[i], crash_env),
                  0);
        took[i] = st_now() - t0;
        EXPECT_EQ(r.code, 1);
        stripped[i] = st_strip_times(r.out);
        st_free(&r);
    }
    /* The stripping leaves no time behind to make them differ. */
    EXPECT_NULL(strstr(stripped[0], " s\n"), "%s", stripped[0]);
    EXPECT_STREQ(stripped[1], stripped[0]);
    EXPECT_STREQ(stripped[2], stripped[0]);
    /* The fixture's tests sleep 0.75 s in all; with 8 jobs they overlap,
     * so they did finish out of order. */
    EXPECT_LT(took[2], took[0]);
    for (size_t i = 0; i < 3; i++)
        free(stripped[i]);
}

TEST(runner, a_pass_over_half_its_timeout_is_marked_slow, .timeout = 30)
{
    static const char *const args[] = {"--timeout", "0.8", NULL};
    struct st_run r;
    char *line;

    ASSERT_EQ(st_run_fixture(&r, "sleeps", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.out);
    line = st_line(r.out, "PASS  sleeps/half_second  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, " s  (slow: over half its 0.8 s timeout)"),
                    "%s", line);
    free(line);
    /* No timeout, nothing to be slow against. */
    line = st_line(r.out, "PASS  sleeps/no_timeout  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NULL(strstr(line, "slow"), "%s", line);
    free(line);
    st_free(&r);
}
