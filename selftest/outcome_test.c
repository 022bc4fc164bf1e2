// SPDX-License-Identifier: MIT
// outcome_test.c — selftests of how each way a test process can end is
// classified and explained, end to end: a fixture per behaviour, and the
// outcome word and reason the console prints for each of its tests.
// Fixtures that die of a signal on purpose run with ST_ASAN_OPTIONS, so
// under AddressSanitizer the signal still reaches cordon.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* expect_result checks that the console has the line "WORD  id  ..." and
 * that the details under it are exactly details. */
#define expect_result(out, word, id, details)                                 \
    do {                                                                      \
        char *prefix_ = st_format("%-5s %s  ", word, id);                     \
        char *d_ = st_details(out, prefix_);                                  \
        EXPECT_NOT_NULL(d_, "no line '%s' in:\n%s", prefix_, out);            \
        if (d_ != NULL)                                                       \
            EXPECT_STREQ(d_, details, "under '%s'", prefix_);                 \
        free(d_);                                                             \
        free(prefix_);                                                        \
    } while (0)

TEST(outcome, segv_is_a_crash_named_by_its_signal)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "segv", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "CRASH", "segv/writes_protected_page",
                  "      killed by SIGSEGV (Segmentation fault)\n"
                  "      stdout (25 bytes):\n"
                  "      | printed before the crash\n");
    /* The crash ended only its own test. */
    expect_result(r.out, "PASS", "segv/passes_after", "");
    st_free(&r);
}

TEST(outcome, abort_is_a_crash)
{
    struct st_run r;
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "abort", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "CRASH", "abort/calls_abort",
                  "      killed by SIGABRT (Aborted)\n");
    d = st_details(r.out, "CRASH abort/failed_assert  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_EQ(strncmp(d, "      killed by SIGABRT (Aborted)\n", 34), 0, "%s",
              d);
    EXPECT_NOT_NULL(strstr(d, "Assertion `two == 3' failed."),
                    "assert()'s message on stderr is shown:\n%s", d);
    free(d);
    st_free(&r);
}

TEST(outcome, stack_overflow_is_a_crash, .timeout = 30)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "stack_overflow", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "CRASH", "stack_overflow/recurses_forever",
                  "      killed by SIGSEGV (Segmentation fault)\n");
    st_free(&r);
}

TEST(outcome, exit_before_the_end_is_exit_even_with_status_0)
{
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "exit0_midtest", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "EXIT", "exit0_midtest/exit_zero",
                  "      exited with status 0 before the test finished\n"
                  "      stdout (23 bytes):\n"
                  "      | printed before exit(0)\n");
    expect_result(r.out, "EXIT", "exit0_midtest/exit_five",
                  "      exited with status 5 before the test finished\n");
    expect_result(r.out, "EXIT", "exit0_midtest/underscore_exit_zero",
                  "      exited with status 0 before the test finished\n");
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 0 passed, 3 failed, 0 skipped");
    free(last);
    st_free(&r);
}

TEST(outcome, expected_signal_passes_only_by_that_signal)
{
    struct st_run r;
    char *where = st_where("expected_signal.c", "mark:check_failed_first");
    char *failure = st_format("      %s: EXPECT_EQ(1, 2) failed: 1, expected "
                              "2\n", where);

    ASSERT_EQ(st_run_fixture(&r, "expected_signal", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "PASS", "expected_signal/aborts", "");
    expect_result(r.out, "PASS", "expected_signal/segfaults", "");
    expect_result(r.out, "CRASH", "expected_signal/other_signal",
                  "      killed by SIGUSR1 (User defined signal 1), expected "
                  "SIGABRT\n");
    expect_result(r.out, "FAIL", "expected_signal/returns",
                  "      expected SIGABRT, test returned\n");
    expect_result(r.out, "FAIL", "expected_signal/exits",
                  "      expected SIGABRT, exited with status 2\n");
    /* The signal came, but a check had failed before it. */
    expect_result(r.out, "FAIL", "expected_signal/check_failed_first",
                  failure);
    free(failure);
    free(where);
    st_free(&r);
}

TEST(outcome, expected_exit_passes_only_by_that_status)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "expected_exit", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "PASS", "expected_exit/exits_three", "");
    expect_result(r.out, "FAIL", "expected_exit/exits_four",
                  "      expected exit status 3, got 4\n");
    expect_result(r.out, "PASS", "expected_exit/exits_zero", "");
    expect_result(r.out, "FAIL", "expected_exit/returns",
                  "      expected exit status 3, test returned\n");
    expect_result(r.out, "CRASH", "expected_exit/aborts",
                  "      killed by SIGABRT (Aborted), expected exit status "
                  "3\n");
    st_free(&r);
}

TEST(outcome, skip_with_and_without_a_reason)
{
    struct st_run r;
    char *line, *want, *where;

    ASSERT_EQ(st_run_fixture(&r, "skip", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1, "skip/after_failure fails");
    line = st_line(r.out, "SKIP  skip/with_reason  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_GE(st_seconds(line), 0.0, "%s", line);
    EXPECT_NOT_NULL(strstr(line, " s  needs 3 widgets"), "%s", line);
    EXPECT_EQ(strlen(strstr(line, " s  needs 3 widgets")),
              strlen(" s  needs 3 widgets"), "the reason ends the line");
    free(line);
    /* No reason: where SKIP() was called. */
    where = st_where("skip.c", "mark:skip_bare");
    want = st_format(" s  skipped at %s", where);
    line = st_line(r.out, "SKIP  skip/without_reason  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, want), "%s (want %s)", line, want);
    free(line);
    free(want);
    free(where);
    /* SKIP() after a failed check is a FAIL with that check as reason. */
    where = st_where("skip.c", "mark:skip_after_failure");
    want = st_format("      %s: EXPECT_EQ(1, 2) failed: 1, expected 2\n",
                     where);
    expect_result(r.out, "FAIL", "skip/after_failure", want);
    free(want);
    free(where);
    EXPECT_NULL(strstr(r.out, "must not be printed"));
    st_free(&r);
}

TEST(outcome, disabled_tests_are_skipped_and_never_run)
{
    static const char *const no_fork[] = {"--no-fork", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "disabled", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.out);
    expect_result(r.out, "PASS", "disabled/runs", "");
    /* Not started, so no time: the reason follows the id. */
    EXPECT_TRUE(st_has_line(r.out, "SKIP  disabled/never_runs  disabled"),
                "%s", r.out);
    EXPECT_TRUE(st_has_line(r.out, "SKIP  disabled/with_other_options  "
                                   "disabled"), "%s", r.out);
    st_free(&r);
    /* In the runner's own process a disabled body (abort) would end the
     * run: it finishes, so the body never ran. */
    ASSERT_EQ(st_run_fixture(&r, "disabled", no_fork, crash_env), 0);
    EXPECT_EQ(r.code, 0, "%s%s", r.out, r.err);
    EXPECT_TRUE(st_has_line(r.out, "SKIP  disabled/never_runs  disabled"),
                "%s", r.out);
    st_free(&r);
}

TEST(outcome, no_short_names_still_has_every_long_name)
{
    struct st_run r;
    char *where = st_where("no_short_names.c", "CORDON_FAIL(");
    char *want = st_format("      %s: FAIL(): long name FAIL 1\n", where);
    char *line;

    ASSERT_EQ(st_run_fixture(&r, "no_short_names", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    expect_result(r.out, "PASS", "no_short_names/every_check", "");
    expect_result(r.out, "FAIL", "no_short_names/fails", want);
    line = st_line(r.out, "SKIP  no_short_names/skips  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, " s  long name SKIP"), "%s", line);
    free(line);
    free(want);
    free(where);
    st_free(&r);
}
