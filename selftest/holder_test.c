// SPDX-License-Identifier: MIT
// holder_test.c — selftests of the suite holder, the process that runs a
// SUITE(.once) and forks the suite's tests from itself, against onces and
// tests that do what user code does: ignore SIGCHLD, start a server or a
// helper, skip, fail or assert (forked and with --no-fork), ask for a
// tmpdir, look at the signal mask, silence stdout and stderr, fork a
// child that returns; and tests that fork a helper whose ASSERT_ fails or
// that stop the holder. Each verdict is read from the run's reports
// (outcomes.h); every run has a limit after which the harness kills it
// with everything below it; and the runs that start processes are checked
// for leftovers: this process, a child subreaper, counts what outlived the
// runner.
#include <cordon.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outcomes.h"
#include "testproc/testproc.h"

/* run starts fixture with args and env within limit seconds, waits for
 * it and checks that nothing of the run outlived it. Returns
 * st_outcomes_finish's result, for the caller to assert once it has
 * checked what does not need the reports. */
static int
run(struct st_outcomes *o, const char *fixture, const char *const *args,
    const char *const *env, double limit)
{
    struct st_launch launch = {.args = args, .env = env, .limit = limit};
    bool adopted = st_adopt();
    int rc = st_outcomes_finish(o, st_outcomes_start(o, fixture, &launch));

    st_expect_nothing_left(adopted);
    return rc;
}

/* A once that sets SIGCHLD to SIG_IGN makes the kernel reap the tests the
 * holder forks: the holder must still see them end, within their 2 s. */
TEST(holder, a_once_that_ignores_sigchld_still_gets_its_tests_judged,
     .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "holder_sigchld", args, env, 15);
    EXPECT_LT(o.seconds, 6.0, "the run took %.3f s", o.seconds);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_word(&o, "sigchld/first", "PASS", NULL);
    st_expect_word(&o, "sigchld/second", "PASS", NULL);
    st_outcomes_free(&o);
}

/* A server the once starts is the suite's: every test reaches it, none is
 * blamed for it, and it ends with the run. */
TEST(holder, a_server_the_once_starts_serves_every_test_of_the_suite,
     .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    struct st_mark pid_file = st_mark_make("HOLDER_SERVER_PID", "server.pid");
    const char *const env[] = {ST_ASAN_OPTIONS, pid_file.env, NULL};
    struct st_launch launch = {.args = args, .env = env, .limit = 15};
    bool adopted = st_adopt();
    struct st_outcomes o;
    char *text;
    long server = 0;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "holder_server",
                                                  &launch));
    /* A server that died after the runner ended is a zombie of this
     * process (the subreaper) until reaped, and kill(pid, 0) finds it. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    text = st_read_file(pid_file.path, NULL);
    EXPECT_NOT_NULL(text, "the once wrote no %s", pid_file.path);
    /* Where it could not be adopted (qemu-user refuses a subreaper), it is
     * init's zombie until init reaps it, if ever: a zombie has ended. */
    if (text != NULL && sscanf(text, "%ld", &server) == 1 && server > 0) {
        char state = '?';
        pid_t parent;

        if (kill((pid_t)server, 0) == 0 &&
            st_proc_stat((pid_t)server, &state, &parent) == 0)
            EXPECT_EQ(state, 'Z', "the server %ld outlived the run",
                      server);
        else
            EXPECT_EQ(kill((pid_t)server, 0), -1,
                      "the server %ld outlived the run", server);
    }
    free(text);
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_outcome(&o, "server/is_reachable_by_the_first_test", "PASS",
                      "", "", NULL, NULL);
    st_expect_outcome(&o, "server/is_reachable_by_the_second_test", "PASS",
                      "", "", NULL, NULL);
    EXPECT_NULL(strstr(o.run.out, "process running"), "%s", o.run.out);
    EXPECT_NULL(strstr(o.run.out, "processes running"), "%s", o.run.out);
    st_outcomes_free(&o);
    st_mark_free(&pid_file);
}

/* A helper a crashing once started is that once's: its suite's tests are
 * CRASHes naming the once, the next test the worker runs is not blamed for
 * the helper, and the helper does not outlive the run. */
TEST(holder, a_crashed_once_s_helper_is_nobody_else_s, .timeout = 60)
{
    ST_NEEDS_SUBREAPER();
    static const char *const args[] = {"-j1", NULL};
    static const char *const crashed =
        "suite setup once() crashed: killed by SIGSEGV (Segmentation fault)";
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "holder_crash_helper", args, env, 15);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    st_expect_outcome(&o, "crashes/first", "CRASH", crashed, "", NULL, NULL);
    st_expect_outcome(&o, "crashes/second", "CRASH", crashed, "", NULL,
                      NULL);
    st_expect_outcome(&o, "next/passes", "PASS", "", "", NULL, NULL);
    st_outcomes_free(&o);
}

/* SKIP() in a once skips every test of its suite, for its reason. */
TEST(holder, a_once_that_skips_skips_its_suite, .timeout = 60)
{
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "holder_skip", NULL, env, 15);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 77, "%s", o.run.out);
    st_expect_word(&o, "database/inserts", "SKIP", "no database");
    st_expect_word(&o, "database/queries", "SKIP", "no database");
    EXPECT_EQ(st_outcome_count(&o, "SKIP"), (size_t)2, "%s", o.tap);
    st_outcomes_free(&o);
}

/* A once that ends through ASSERT_, FAIL() or SKIP(): with --no-fork the
 * run goes on to its summary, reports and exit code, and every test gets
 * the verdict a forked run of the same fixture gives it. */
static const struct once_ending {
    const char *label;
    const char *filter, *also; /* --filter, and another unless NULL */
    int code;                  /* the run's exit code */
    const char *word;          /* the suite's tests' verdict */
    const char *reason;        /* what their reason contains */
    size_t n;                  /* tests run */
} once_endings[] = {
    {"assert", "asserts/*", "after/*", 1, "FAIL", "no data file", 3},
    {"fail", "fails/*", "after/*", 1, "FAIL", "no configuration", 3},
    {"skip", "skips/*", NULL, 77, "SKIP", "no database", 2},
};

/* run_once_ending runs the holder_once_ends fixture for case c, with
 * --no-fork when no_fork. */
static int
run_once_ending(struct st_outcomes *o, const struct once_ending *c,
                bool no_fork)
{
    const char *args[8];
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    size_t n = 0;

    if (no_fork)
        args[n++] = "--no-fork";
    args[n++] = "--filter";
    args[n++] = c->filter;
    if (c->also != NULL) {
        args[n++] = "--filter";
        args[n++] = c->also;
    }
    args[n] = NULL;
    return run(o, "holder_once_ends", args, env, 15);
}

TEST_P_LABELED(holder, no_fork_once_ends_as_forked, once_endings, label,
               .timeout = 60)
{
    struct st_outcomes forked, inline_;
    int rc_forked, rc_inline;
    char *summary;

    rc_forked = run_once_ending(&forked, param, false);
    rc_inline = run_once_ending(&inline_, param, true);
    EXPECT_EQ(inline_.run.code, param->code, "--no-fork: stdout: %s\n"
              "stderr: %s", inline_.run.out, inline_.run.err);
    summary = st_line(inline_.run.out, "cordon: ");
    EXPECT_NOT_NULL(summary, "--no-fork printed no summary: %s",
                    inline_.run.out);
    free(summary);
    ASSERT_EQ(rc_inline, 0, "--no-fork: %s", inline_.why);
    ASSERT_EQ(rc_forked, 0, "forked: %s", forked.why);
    EXPECT_EQ(forked.run.code, param->code, "forked: %s", forked.run.out);
    ASSERT_EQ(forked.n, param->n, "%s", forked.tap);
    EXPECT_EQ(inline_.n, forked.n, "--no-fork: %s", inline_.tap);
    for (size_t i = 0; i < forked.n; i++) {
        const struct st_outcome *f = &forked.tests[i];
        const struct st_outcome *t = st_outcome(&inline_, f->id);

        /* The suite's own tests: the filter without its last "*". */
        if (strncmp(f->id, param->filter, strlen(param->filter) - 1) == 0)
            st_expect_word(&forked, f->id, param->word, param->reason);
        EXPECT_NOT_NULL(t, "--no-fork did not report %s", f->id);
        if (t != NULL) {
            EXPECT_STREQ(t->word, f->word, "%s with --no-fork (reason "
                         "\"%s\") and forked (reason \"%s\")", f->id,
                         t->reason, f->reason);
            if (strcmp(f->word, param->word) == 0)
                EXPECT_STRCONTAINS(t->reason, param->reason, "%s", f->id);
        }
    }
    st_outcomes_free(&forked);
    st_outcomes_free(&inline_);
}

/* cordon_tmpdir() is a test's: called in a once, it gives NULL, and makes
 * no directory (the run's TMPDIR, one of its own, stays empty). */
TEST(holder, a_once_gets_no_tmpdir, .timeout = 60)
{
    char *tmp = st_tmpdir();
    char *tmp_env = st_format("TMPDIR=%s", tmp);
    char *list = st_format("ls -A '%s'", tmp);
    char *clean = st_format("rm -rf '%s'", tmp);
    const char *const env[] = {ST_ASAN_OPTIONS, tmp_env, NULL};
    struct st_outcomes o;
    char *left = NULL;
    int rc;

    rc = run(&o, "holder_tmpdir", NULL, env, 15);
    EXPECT_EQ(st_shell(list, &left), 0);
    EXPECT_STREQ(left != NULL ? left : "(ls failed)", "",
                 "left in the run's TMPDIR %s", tmp);
    free(left);
    EXPECT_EQ(st_shell(clean, &left), 0, "%s", left);
    free(left);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_outcome(&o, "tmpdir/once_got_none", "PASS", "", "", NULL,
                      NULL);
    st_outcomes_free(&o);
    free(tmp);
    free(tmp_env);
    free(list);
    free(clean);
}

/* A once runs with none of the signals the runner's processes block
 * blocked. */
TEST(holder, a_once_runs_with_no_signal_blocked, .timeout = 60)
{
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "holder_sigmask", NULL, env, 15);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_outcome(&o, "sigmask/once_had_nothing_blocked", "PASS", "", "",
                      NULL, NULL);
    st_outcomes_free(&o);
}

/* A helper of a test in a .once suite whose ASSERT_ fails fails the test,
 * and does not finish it: the teardown runs once, in the test's process. */
TEST(holder, a_helper_s_failed_assert_does_not_run_the_teardown,
     .timeout = 60)
{
    struct st_mark log = st_mark_make("HOLDER_TEARDOWN_LOG", "teardown.log");
    const char *const env[] = {ST_ASAN_OPTIONS, log.env, NULL};
    struct st_outcomes o;
    char *text;
    int rc;

    rc = run(&o, "holder_helper_assert", NULL, env, 15);
    text = st_read_file(log.path, NULL);
    EXPECT_STREQ(text != NULL ? text : "(no file)", "teardown\n",
                 "the teardown's log");
    free(text);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    st_expect_word(&o, "helper/asserts_in_a_helper", "FAIL", NULL);
    if (st_outcome(&o, "helper/asserts_in_a_helper") != NULL)
        EXPECT_STRCONTAINS(st_outcome(&o, "helper/asserts_in_a_helper")
                               ->reason, "checked in a helper");
    st_outcomes_free(&o);
    st_mark_free(&log);
}

/* A test that stops its holder is a CRASH once the holder has not answered
 * past the test's deadline (1 s + the kill grace), not after the worker's
 * much longer patience; the tests after it run and pass. */
TEST(holder, a_test_that_stops_its_holder_crashes_alone, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "holder_stops_holder", args, env, 15);
    EXPECT_LT(o.seconds, 6.0, "the run took %.3f s", o.seconds);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    st_expect_word(&o, "stops/its_holder", "CRASH", "stopped its supervisor");
    st_expect_word(&o, "stops/runs_after_1", "PASS", NULL);
    st_expect_word(&o, "after/runs_after_2", "PASS", NULL);
    st_outcomes_free(&o);
}

/* A once that puts /dev/null on its stdout and stderr does not silence
 * its suite's tests: each one's output is its own, in the reports. */
TEST(holder, a_once_that_silences_itself_does_not_silence_its_tests,
     .timeout = 60)
{
    const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "holder_quiet_once", NULL, env, 15);
    ASSERT_EQ(rc, 0, "%s", o.why);
    ASSERT_TRUE(o.junit);
    st_expect_outcome(&o, "quiet/first", "PASS", "", "", "out of first\n",
                      "err of first\n");
    st_expect_outcome(&o, "quiet/second", "PASS", "", "", "out of second\n",
                      "err of second\n");
    st_outcomes_free(&o);
}

/* A child a once forks that returns from once, as its parent does, does
 * not serve the suite too: each test runs exactly once, and passes. Three
 * runs, as which of the two gets to a test first is a race. */
TEST(holder, a_once_s_child_that_returns_runs_no_test, .timeout = 90)
{
    static const char *const args[] = {"-j1", NULL};
    static const char *const names[] = {"first", "second", "third"};

    for (int round = 1; round <= 3; round++) {
        struct st_mark log = st_mark_make("HOLDER_RUNS_LOG", "runs.log");
        const char *const env[] = {ST_ASAN_OPTIONS, log.env, NULL};
        struct st_outcomes o;
        char *text;
        int rc;

        rc = run(&o, "holder_child_returns", args, env, 15);
        text = st_read_file(log.path, NULL);
        for (size_t i = 0; i < 3; i++)
            EXPECT_EQ(st_count(text != NULL ? text : "", names[i]),
                      (size_t)1, "round %d: runs of forked/%s; the log: %s",
                      round, names[i], text != NULL ? text : "(none)");
        free(text);
        ASSERT_EQ(rc, 0, "round %d: %s", round, o.why);
        EXPECT_EQ(o.run.code, 0, "round %d: %s", round, o.run.out);
        EXPECT_EQ(st_outcome_count(&o, "EXIT"), (size_t)0, "round %d: %s",
                  round, o.tap);
        EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)3, "round %d: %s",
                  round, o.tap);
        st_outcomes_free(&o);
        st_mark_free(&log);
    }
}

/* A thread once starts that lives on (a pool, a logger) must not make the
 * holder miss its tests' ends (the signal of a child's end may go to that
 * thread), nor may any test's sweep reap what that thread forks. */
TEST(holder, a_once_thread_neither_slows_nor_loses_children, .timeout = 60)
{
    static const char *const args[] = {"-j1", "--timeout", "0", NULL};
    struct st_outcomes o;
    int rc = run(&o, "holder_threads", args, NULL, 20);

    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "%s", o.run.err);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)80, "%s", o.tap);
    EXPECT_LT(o.seconds, 10.0, "80 quick tests took %.3f s", o.seconds);
    st_outcomes_free(&o);
}

/* A once that closes every descriptor above 2 fails its suite with the
 * reason, at once; the next suite runs. */
TEST(holder, a_once_that_closes_descriptors_fails_its_suite, .timeout = 60)
{
    struct st_outcomes o;
    int rc = run(&o, "holder_closes_fds", NULL, NULL, 15);

    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_word(&o, "closes/first", "FAIL",
                   "closed or replaced the descriptors");
    st_expect_word(&o, "closes/second", "FAIL",
                   "closed or replaced the descriptors");
    st_expect_word(&o, "after_closes/runs", "PASS", NULL);
    EXPECT_LT(o.seconds, 5.0, "the run took %.3f s", o.seconds);
    st_outcomes_free(&o);
}

/* A once runs under the run's memory limit, as its tests do. */
TEST(holder, a_once_runs_under_the_memory_limit, .timeout = 60)
{
    static const char *const args[] = {"--memory-limit", "128M", NULL};
    struct st_outcomes o;
    int rc;

    if (ST_ASAN)
        SKIP("AddressSanitizer sets no memory limit (it needs the address "
             "space)");
    if (cordon__limits_ignored())
        SKIP("this system ignores setrlimit(RLIMIT_AS) (qemu-user does): "
             "no memory limit can be seen to work");
    rc = run(&o, "holder_big_once", args, NULL, 15);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, "big/uses_it", "FAIL",
                   "suite setup once() failed");
    st_outcomes_free(&o);
}

/* Nothing a test of a suite leaves escapes its sweep: not a helper moved
 * into the holder's own group, nor a daemon among hundreds of fixture
 * processes. */
TEST(holder, a_leftover_cannot_hide_among_the_suite_s_processes,
     .timeout = 60)
{
    ST_NEEDS_SUBREAPER();
    static const char *const args[] = {"-j1", NULL};
    struct st_outcomes o;
    int rc = run(&o, "holder_escapes", args, NULL, 20);

    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, "joins/moves_a_helper_into_the_holder_s_group",
                   "FAIL", "left 1 process running (killed)");
    st_expect_word(&o, "joins/runs_after", "PASS", NULL);
    st_expect_word(&o, "crowded/leaves_a_daemon", "FAIL",
                   "left 1 process running (killed)");
    st_expect_word(&o, "crowded/runs_after", "PASS", NULL);
    st_outcomes_free(&o);
}
