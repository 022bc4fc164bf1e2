// SPDX-License-Identifier: MIT
// outcome_test.c — selftests of how each way a test process can end is
// classified and explained, end to end: a fixture per behaviour, and the
// outcome, reason, failures and output the reports give each of its tests
// (read through outcomes.h; how the console shows them is
// report_console_test.c's). Fixtures that die of a signal on purpose run
// with ST_ASAN_OPTIONS, so under AddressSanitizer the signal still reaches
// cordon.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* run runs fixture with args and the crash environment, reads its reports
 * into o and checks that the runner exited with code; a run without
 * reports ends the test. */
static void
run(struct st_outcomes *o, const char *fixture, const char *const *args,
    int code)
{
    ASSERT_EQ(st_outcomes(o, fixture, args, crash_env), 0, "%s", o->why);
    EXPECT_EQ(o->run.code, code, "%s: stdout:\n%s\nstderr:\n%s", fixture,
              o->run.out, o->run.err);
}

/* failure_at is the one failure line a check at mark in fixture file
 * gives, with text after "file:line". */
static char *
failure_at(const char *file, const char *mark, const char *text)
{
    char *where = st_where(file, mark);
    char *line = st_format("%s%s", where, text);

    free(where);
    return line;
}

TEST(outcome, segv_is_a_crash_named_by_its_signal)
{
    struct st_outcomes o;

    run(&o, "segv", NULL, 1);
    st_expect_outcome(&o, "segv/writes_protected_page", "CRASH",
                      "killed by SIGSEGV (Segmentation fault)", "",
                      "printed before the crash\n", "");
    /* The crash ended only its own test. */
    st_expect_outcome(&o, "segv/passes_after", "PASS", "", "", "", "");
    st_outcomes_free(&o);
}

TEST(outcome, abort_is_a_crash)
{
    struct st_outcomes o;
    const struct st_outcome *t;

    run(&o, "abort", NULL, 1);
    st_expect_outcome(&o, "abort/calls_abort", "CRASH",
                      "killed by SIGABRT (Aborted)", "", "", "");
    st_expect_outcome(&o, "abort/failed_assert", "CRASH",
                      "killed by SIGABRT (Aborted)", "", "", NULL);
    t = st_outcome(&o, "abort/failed_assert");
    ASSERT_NOT_NULL(t);
    EXPECT_NOT_NULL(strstr(t->err, "Assertion `two == 3' failed."),
                    "assert()'s message on stderr is kept:\n%s", t->err);
    st_outcomes_free(&o);
}

TEST(outcome, stack_overflow_is_a_crash, .timeout = 30)
{
    struct st_outcomes o;

    run(&o, "stack_overflow", NULL, 1);
    st_expect_outcome(&o, "stack_overflow/recurses_forever", "CRASH",
                      "killed by SIGSEGV (Segmentation fault)", "", "", "");
    st_outcomes_free(&o);
}

TEST(outcome, exit_before_the_end_is_exit_even_with_status_0)
{
    struct st_outcomes o;

    run(&o, "exit0_midtest", NULL, 1);
    st_expect_outcome(&o, "exit0_midtest/exit_zero", "EXIT",
                      "exited with status 0 before the test finished", "",
                      "printed before exit(0)\n", "");
    st_expect_outcome(&o, "exit0_midtest/exit_five", "EXIT",
                      "exited with status 5 before the test finished", "",
                      "", "");
    st_expect_outcome(&o, "exit0_midtest/underscore_exit_zero", "EXIT",
                      "exited with status 0 before the test finished", "",
                      "", "");
    EXPECT_EQ(o.n, (size_t)3);
    st_outcomes_free(&o);
}

TEST(outcome, expected_signal_passes_only_by_that_signal)
{
    struct st_outcomes o;
    char *failure = failure_at("expected_signal.c", "mark:check_failed_first",
                               ": EXPECT_EQ(1, 2) failed: expected 1 == 2");
    char *failures = st_format("%s\n", failure);

    run(&o, "expected_signal", NULL, 1);
    st_expect_outcome(&o, "expected_signal/aborts", "PASS", "", "", "", "");
    st_expect_outcome(&o, "expected_signal/segfaults", "PASS", "", "", "",
                      "");
    st_expect_outcome(&o, "expected_signal/other_signal", "CRASH",
                      "killed by SIGUSR1 (User defined signal 1), expected "
                      "SIGABRT", "", "", "");
    st_expect_outcome(&o, "expected_signal/returns", "FAIL",
                      "expected SIGABRT, test returned", "", "", "");
    st_expect_outcome(&o, "expected_signal/exits", "FAIL",
                      "expected SIGABRT, exited with status 2", "", "", "");
    /* The signal came, but a check had failed before it. */
    st_expect_outcome(&o, "expected_signal/check_failed_first", "FAIL",
                      failure, failures, "", "");
    free(failures);
    free(failure);
    st_outcomes_free(&o);
}

TEST(outcome, expected_exit_passes_only_by_that_status)
{
    struct st_outcomes o;

    run(&o, "expected_exit", NULL, 1);
    st_expect_outcome(&o, "expected_exit/exits_three", "PASS", "", "", "",
                      "");
    st_expect_outcome(&o, "expected_exit/exits_four", "FAIL",
                      "expected exit status 3, got 4", "", "", "");
    st_expect_outcome(&o, "expected_exit/exits_zero", "PASS", "", "", "",
                      "");
    st_expect_outcome(&o, "expected_exit/returns", "FAIL",
                      "expected exit status 3, test returned", "", "", "");
    st_expect_outcome(&o, "expected_exit/aborts", "CRASH",
                      "killed by SIGABRT (Aborted), expected exit status 3",
                      "", "", "");
    st_outcomes_free(&o);
}

TEST(outcome, skip_with_and_without_a_reason)
{
    struct st_outcomes o;
    char *where, *reason, *failure, *failures;

    /* 1: skip/after_failure fails. */
    run(&o, "skip", NULL, 1);
    st_expect_outcome(&o, "skip/with_reason", "SKIP", "needs 3 widgets", "",
                      "", "");
    /* No reason: where SKIP() was called. */
    where = st_where("skip.c", "mark:skip_bare");
    reason = st_format("skipped at %s", where);
    st_expect_outcome(&o, "skip/without_reason", "SKIP", reason, "", "", "");
    /* SKIP() after a failed check is a FAIL with that check as reason. */
    failure = failure_at("skip.c", "mark:skip_after_failure",
                         ": EXPECT_EQ(1, 2) failed: expected 1 == 2");
    failures = st_format("%s\n", failure);
    st_expect_outcome(&o, "skip/after_failure", "FAIL", failure, failures,
                      "", "");
    EXPECT_NULL(strstr(o.tap, "must not be printed"));
    free(failures);
    free(failure);
    free(reason);
    free(where);
    st_outcomes_free(&o);
}

TEST(outcome, disabled_tests_are_skipped_and_never_run)
{
    static const char *const no_fork[] = {"--no-fork", NULL};
    struct st_outcomes o;

    run(&o, "disabled", NULL, 0);
    st_expect_outcome(&o, "disabled/runs", "PASS", "", "", "", "");
    st_expect_outcome(&o, "disabled/never_runs", "SKIP", "disabled", "", "",
                      "");
    st_expect_outcome(&o, "disabled/with_other_options", "SKIP", "disabled",
                      "", "", "");
    st_outcomes_free(&o);
    /* In the runner's own process a disabled body (abort) would end the
     * run: it finishes, so the body never ran. */
    run(&o, "disabled", no_fork, 0);
    st_expect_outcome(&o, "disabled/never_runs", "SKIP", "disabled", "", "",
                      "");
    st_outcomes_free(&o);
}

TEST(outcome, no_short_names_still_has_every_long_name)
{
    struct st_outcomes o;
    char *failure = failure_at("no_short_names.c", "CORDON_FAIL(",
                               ": FAIL(): long name FAIL 1");
    char *failures = st_format("%s\n", failure);

    run(&o, "no_short_names", NULL, 1);
    st_expect_outcome(&o, "no_short_names/every_check", "PASS", "", "", "",
                      "");
    st_expect_outcome(&o, "no_short_names/fails", "FAIL", failure, failures,
                      "", "");
    st_expect_outcome(&o, "no_short_names/skips", "SKIP", "long name SKIP",
                      "", "", "");
    st_expect_outcome(&o, "no_short_names/by_index[1]", "PASS", "", "", "",
                      "");
    st_expect_outcome(&o, "no_short_names/by_label[two]", "PASS", "", "", "",
                      "");
    free(failures);
    free(failure);
    st_outcomes_free(&o);
}
