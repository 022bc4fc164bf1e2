// SPDX-License-Identifier: MIT
// supervisor_test.c — selftests of what supervises a test process, against
// tests and environments that fight it: a test that leaves its process
// group, one that leaves a daemon behind, a helper that finishes "the test"
// in its own process, a runner whose stdout stalls or that is stopped, more
// jobs than the machine has cores, fork() failing, and a test that kills
// its own supervisor. Each verdict is read from the run's reports
// (outcomes.h), never from the console; every run has a limit after which
// the harness kills it with everything below it; and after every run this
// process, a child subreaper, counts what the run left behind: nothing may
// outlive it.
#include <cordon.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outcomes.h"

/* run_escaping starts fixture as launch says and waits for it, then
 * checks that it exited with code and that nothing of the run outlived
 * it but, on the posix stand-in, up to escaping helpers that left the
 * test's group (and are killed here). Returns
 * st_outcomes_finish's result, which the caller asserts once it has
 * checked what does not need the reports. */
static int
run_escaping(struct st_outcomes *o, const char *fixture,
             const struct st_launch *launch, int code, int escaping)
{
    bool adopted = st_adopt();
    int rc = st_outcomes_finish(o, st_outcomes_start(o, fixture, launch));
    char what[1024];

    EXPECT_EQ(o->run.code, code, "stderr: %s", o->run.err);
    if (ST_SUBREAPER || escaping == 0)
        st_expect_nothing_left(adopted);
    else if (adopted)
        EXPECT_LE(st_leftovers(what, sizeof what), escaping, "left: %s",
                  what);
    return rc;
}

/* run is run_escaping for a fixture nothing of which may escape. */
static int
run(struct st_outcomes *o, const char *fixture,
    const struct st_launch *launch, int code)
{
    return run_escaping(o, fixture, launch, code, 0);
}

/* A test that ignores SIGALRM and moves into another process group is
 * beyond both the watchdog and a kill of its group: it must still end at
 * its deadline (its 1 s timeout + the 1 s kill grace), with its helper. */
TEST(supervisor, a_test_that_leaves_its_group_times_out, .timeout = 60)
{
    static const char *const args[] = {"--test",
                                       "escapes_group/joins_a_helper_group",
                                       "--test", "escapes_group/runs_after",
                                       NULL};
    struct st_launch launch = {.args = args, .limit = 8};
    const struct st_outcome *t;
    struct st_outcomes o;
    int rc;

    /* Its helper, in a group of its own, escapes the posix stand-in. */
    rc = run_escaping(&o, "escapes_group", &launch, 1, 1);
    EXPECT_LT(o.seconds, 5.0, "the run took %.3f s", o.seconds);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, "escapes_group/joins_a_helper_group", "TIMEOUT",
                "exceeded 1 s timeout");
    t = st_outcome(&o, "escapes_group/joins_a_helper_group");
    if (t != NULL) {
        EXPECT_GE(t->seconds, 1.0, "ended before its timeout");
        EXPECT_LT(t->seconds, 4.0, "ended long after its deadline");
    }
    st_expect_word(&o, "escapes_group/runs_after", "PASS", NULL);
    st_outcomes_free(&o);
}

/* The same test with no timeout: SIGTERM to the runner must still stop
 * the run within the interrupt grace, with reports and nothing left. */
TEST(supervisor, a_test_that_leaves_its_group_is_interrupted, .timeout = 60)
{
    ST_NEEDS_SUBREAPER();
    static const char *const args[] = {"--test",
                                       "escapes_group/until_interrupted",
                                       NULL};
    struct st_mark mark = st_mark_make("ESCAPES_GROUP_MARK", "escaped");
    const char *const env[] = {mark.env, NULL};
    struct st_launch launch = {.args = args, .env = env, .limit = 8};
    bool adopted = st_adopt();
    struct st_outcomes o;
    double t0 = 0, took;
    bool escaped;
    pid_t pid;
    int rc;

    pid = st_outcomes_start(&o, "escapes_group", &launch);
    ASSERT_GT(pid, 0, "%s", o.why);
    escaped = st_wait_for_file(mark.path, 5);
    t0 = st_now();
    kill(pid, SIGTERM);
    rc = st_outcomes_finish(&o, pid);
    took = st_now() - t0;
    EXPECT_TRUE(escaped, "the test never left its group");
    EXPECT_LT(took, 2.5, "the run took %.3f s to stop after SIGTERM", took);
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 128 + SIGTERM, "stderr: %s", o.run.err);
    st_expect_word(&o, "escapes_group/until_interrupted", "INTERRUPTED", NULL);
    st_outcomes_free(&o);
    st_mark_free(&mark);
}

/* A helper that calls setsid() and lives on is killed when its test ends,
 * which fails that test; the tests after it in the same job slot see
 * neither its failed check nor its output. */
TEST(supervisor, a_daemon_is_killed_with_its_test, .timeout = 60)
{
    ST_NEEDS_SUBREAPER();
    static const char *const args[] = {"-j1", NULL};
    static const char *const later[] = {"daemonises/next_1",
                                        "daemonises/next_2",
                                        "daemonises/next_3"};
    struct st_launch launch = {.args = args, .limit = 10};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "daemonises", &launch, 1);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, "daemonises/starts_a_daemon", "FAIL",
                "left 1 process running (killed)");
    for (size_t i = 0; i < 3; i++) {
        char *own = st_format("%s output\n", strchr(later[i], '/') + 1);

        st_expect_own(&o, later[i], own);
        free(own);
    }
    st_outcomes_free(&o);
}

/* A helper forked by the test returns from the body, so its copy of the
 * runtime marks "the body finished"; only the test's own process may. */
TEST(supervisor, only_the_test_process_finishes_the_body, .timeout = 60)
{
    struct st_launch launch = {.limit = 10};
    struct st_outcomes o;
    int rc;

    rc = run(&o, "helper_returns", &launch, 1);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, "helper_returns/then_exit_0", "EXIT",
                "exited with status 0 before the test finished");
    st_expect_word(&o, "helper_returns/then_exit_3", "PASS", NULL);
    st_expect_word(&o, "helper_returns/then_returns", "PASS", NULL);
    st_outcomes_free(&o);
}

/* expect_quick_and_passing checks a quick_200 run: every test passed, in
 * about the 3 ms it took, however long the runner was held up. */
static void
expect_quick_and_passing(const struct st_outcomes *o)
{
    size_t slow = 0;

    EXPECT_EQ(o->run.code, 0, "stderr: %s", o->run.err);
    EXPECT_EQ(o->n, (size_t)200);
    EXPECT_EQ(st_outcome_count(o, "PASS"), (size_t)200, "TIMEOUT: %zu",
              st_outcome_count(o, "TIMEOUT"));
    for (size_t i = 0; i < o->n; i++) {
        const struct st_outcome *t = &o->tests[i];

        if (t->seconds < 0 || t->seconds >= 0.5) {
            if (slow++ < 5)
                EXPECT_LT(t->seconds, 0.5, "%s: %s, reason \"%s\"", t->id,
                          t->word, t->reason);
        }
    }
    EXPECT_EQ(slow, (size_t)0, "tests of 3 ms reported as 0.5 s or more");
}

/* to_pipe makes the write end of a pipe the runner's stdout. */
static void
to_pipe(void *arg)
{
    const int *p = arg;

    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
}

/* fill_pipe writes into fd until the pipe is full, so the next write of
 * whoever shares it blocks, and leaves fd blocking again. */
static void
fill_pipe(int fd)
{
    static const char junk[4096] = {0};
    int flags = fcntl(fd, F_GETFL);

    ASSERT_EQ(fcntl(fd, F_SETFL, flags | O_NONBLOCK), 0);
    while (write(fd, junk, sizeof junk) > 0)
        ;
    ASSERT_EQ(errno, EAGAIN);
    ASSERT_EQ(fcntl(fd, F_SETFL, flags), 0);
}

/* A runner whose stdout nobody reads for 3 s (a full pipe) is held up in
 * its first write; the tests it runs meanwhile are not slower for it. */
TEST(supervisor, a_stalled_stdout_does_not_slow_the_tests, .timeout = 60)
{
    static const char *const args[] = {"-j2", "--timeout", "1", NULL};
    int p[2];
    struct st_launch launch = {.args = args, .limit = 15, .prepare = to_pipe,
                               .arg = p};
    bool adopted = st_adopt();
    struct st_outcomes o;
    pid_t pid, drainer;
    int rc, status;

    ASSERT_EQ(pipe(p), 0);
    fill_pipe(p[1]);
    drainer = fork();
    ASSERT_GE(drainer, 0);
    if (drainer == 0) {
        char buf[4096];

        close(p[1]);
        alarm(20);
        st_sleep_ms(3000);
        while (read(p[0], buf, sizeof buf) > 0)
            ;
        _exit(0);
    }
    pid = st_outcomes_start(&o, "quick_200", &launch);
    close(p[0]);
    close(p[1]);
    ASSERT_GT(pid, 0, "%s", o.why);
    rc = st_outcomes_finish(&o, pid);
    EXPECT_EQ(waitpid(drainer, &status, 0), drainer);
    EXPECT_TRUE(WIFEXITED(status), "the drainer never saw the pipe close");
    EXPECT_GE(o.seconds, 2.9, "stdout did not stall the runner");
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    expect_quick_and_passing(&o);
    st_outcomes_free(&o);
}

/* A runner stopped for 2 s (SIGSTOP, then SIGCONT) while tests run does
 * not count the stop against them. */
TEST(supervisor, a_stopped_runner_does_not_slow_the_tests, .timeout = 60)
{
    static const char *const args[] = {"-j2", "--timeout", "1", NULL};
    struct st_mark mark = st_mark_make("QUICK_200_MARK", "running");
    const char *const env[] = {mark.env, NULL};
    struct st_launch launch = {.args = args, .env = env, .limit = 15};
    bool adopted = st_adopt();
    struct st_outcomes o;
    bool running;
    pid_t pid;
    int rc;

    pid = st_outcomes_start(&o, "quick_200", &launch);
    ASSERT_GT(pid, 0, "%s", o.why);
    running = st_wait_for_file(mark.path, 5);
    kill(pid, SIGSTOP);
    st_sleep_ms(2000);
    kill(pid, SIGCONT);
    rc = st_outcomes_finish(&o, pid);
    EXPECT_TRUE(running, "no test started within 5 s");
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    expect_quick_and_passing(&o);
    st_outcomes_free(&o);
    st_mark_free(&mark);
}

/* raise_nofile lifts the runner's open-file limit to its hard limit: the
 * job counts below are about time, not descriptors. */
static void
raise_nofile(void *arg)
{
    struct rlimit l;

    (void)arg;
    if (getrlimit(RLIMIT_NOFILE, &l) == 0) {
        l.rlim_cur = l.rlim_max;
        setrlimit(RLIMIT_NOFILE, &l);
    }
}

/* many_jobs runs 5000 empty tests with jobs at once and a 0.5 s timeout:
 * none may time out, however long the runner takes to go round them. */
static void
many_jobs(const char *jobs)
{
    const char *const args[] = {"-j", jobs, "--timeout", "0.5", NULL};
    struct st_launch launch = {.args = args, .limit = 50,
                               .prepare = raise_nofile};
    struct st_outcomes o;
    int rc;

    /* Under ASan every process maps terabytes of shadow memory: thousands
     * of them at once on a small machine are starved for seconds, which
     * is a timeout by any honest measure. */
    if (ST_ASAN)
        SKIP("thousands of AddressSanitizer processes at once starve each "
             "other; the plain builds check this");
    if (st_coverage_build())
        SKIP("thousands of processes merging gcov counters into one file "
             "at once starve each other; the plain builds check this");
    if (st_emulated_why() != NULL)
        SKIP("thousands of emulated processes at once, each translating "
             "its own code, starve each other (%s); the native builds "
             "check this", st_emulated_why());
    st_hold_machine(F_WRLCK);
    rc = run(&o, "many_5000", &launch, 0);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.n, (size_t)5000);
    EXPECT_EQ(st_outcome_count(&o, "TIMEOUT"), (size_t)0);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)5000);
    for (size_t i = 0, shown = 0; i < o.n && shown < 3; i++)
        if (strcmp(o.tests[i].word, "PASS") != 0) {
            shown++;
            EXPECT_STREQ(o.tests[i].word, "PASS", "%s: %s", o.tests[i].id,
                         o.tests[i].reason);
        }
    st_outcomes_free(&o);
}

/* One test, not two: run side by side on a 2-core machine, the two runs
 * (over 5000 processes each) starved each other's tests of the CPU for
 * more than their 0.5 s, which is a timeout by any wall clock. One after
 * the other, and apart from the other supervisor tests (st_hold_machine). */
TEST(supervisor, thousands_of_jobs_time_no_empty_test_out, .timeout = 120)
{
    many_jobs("1024");
    many_jobs("4096");
}


/* fork_fails runs fixture (three tests) as a user allowed nproc
 * processes: fork() fails before any test process exists. The run must
 * say so on one line, write its reports with every test skipped as not
 * run, exit 2, and do it at once rather than wait for a test to end. The
 * first unused uid from uid on is taken; each caller starts from its own,
 * as they may run at the same time. */
static void
fork_fails(uid_t uid, rlim_t nproc, const char *const *args,
           const char *fixture)
{
    struct st_as_user user = {uid, nproc};
    struct st_launch launch = {.args = args, .limit = 5, .open_dir = true,
                               .prepare = st_become, .arg = &user};
    char *tmpdir = st_tmpdir();
    char *tmpdir_env = st_format("TMPDIR=%s", tmpdir);
    /* Under ASan, LeakSanitizer's check at exit needs a thread the limit
     * does not allow, and would turn any exit into a fatal error. */
    const char *const env[] = {tmpdir_env, ST_ASAN_OPTIONS, NULL};
    struct st_outcomes o;
    int rc;

    if (st_coverage_build())
        SKIP("a coverage build's processes write their counters into the "
             "build tree, which the other user cannot; the other builds "
             "check this");
    if (st_own_threads_why() != NULL)
        SKIP("no fork() can be seen to fail under a process limit: %s",
             st_own_threads_why());
    if (geteuid() != 0)
        SKIP("needs root: RLIMIT_NPROC counts every process of the user, "
             "and this selftest's own parallel runs make that count "
             "unsteady for any uid but an unused one");
    while (st_processes_of(user.uid) > 0 && user.uid < uid + 20)
        user.uid++;
    ASSERT_LT(user.uid, uid + 20, "no unused uid from %ld on", (long)uid);
    /* The reports' directory is open to that user (open_dir), and so is
     * TMPDIR, for whatever the run keeps on disk. */
    ASSERT_NOT_NULL(tmpdir);
    ASSERT_EQ(chmod(tmpdir, 0777), 0);
    launch.env = env;
    rc = run(&o, fixture, &launch, 2);
    EXPECT_NE(o.run.code, 126, "%s", o.run.err);
    EXPECT_NE(o.run.code, 127, "the fixture is out of uid %ld's reach: %s",
              (long)user.uid, o.run.err);
    EXPECT_LT(o.seconds, 2.0, "the run took %.3f s", o.seconds);
    EXPECT_EQ(strncmp(o.run.err, "cordon: cannot start a test process:", 36),
              0, "stderr: %s", o.run.err);
    EXPECT_EQ(st_count(o.run.err, ""), (size_t)1, "one line: %s", o.run.err);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.plan, 3);
    EXPECT_EQ(st_outcome_count(&o, "SKIP"), (size_t)3, "%s", o.tap);
    st_outcomes_free(&o);
    st_rmtree(tmpdir);
    free(tmpdir_env);
}

TEST(supervisor, fork_failing_with_nothing_running_ends_the_run,
     .timeout = 60)
{
    fork_fails(54321, 1, NULL, "pass");
}

/* Room for the runner and the processes it may keep per job slot, but
 * none for a test process. */
TEST(supervisor, fork_failing_for_every_test_ends_the_run, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};

    fork_fails(54341, 2, args, "pass");
}

/* The same where the process that cannot be started is a suite holder:
 * an error and exit 2, not every test skipped and exit 77. */
TEST(supervisor, fork_failing_for_a_suite_holder_ends_the_run,
     .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};

    fork_fails(54361, 2, args, "holder_plain");
}

/* expect_crashes_alone runs fixture -j1, within limit seconds: its test
 * first, which fights its supervisor, must be a CRASH whose reason starts
 * with reason, and the fixture's runs_after_1 and runs_after_2 must pass
 * after it; the whole run must take less than most seconds unless most
 * is 0. */
static void
expect_crashes_alone(const char *fixture, const char *first,
                     const char *reason, double limit, double most)
{
    static const char *const args[] = {"-j1", NULL};
    struct st_launch launch = {.args = args, .limit = limit};
    struct st_outcomes o;
    int rc;

    rc = run(&o, fixture, &launch, 1);
    if (most > 0)
        EXPECT_LT(o.seconds, most, "the run took %.3f s", o.seconds);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, first, "CRASH", reason);
    for (int i = 1; i <= 2; i++) {
        char *after = st_format("%s/runs_after_%d", fixture, i);

        st_expect_word(&o, after, "PASS", NULL);
        free(after);
    }
    st_outcomes_free(&o);
}

/* A test that SIGKILLs its parent is a CRASH, alone: the run goes on to
 * the next tests, writes its reports and leaves the test no way to live
 * on. */
TEST(supervisor, a_test_that_kills_its_supervisor_crashes_alone,
     .timeout = 60)
{
    expect_crashes_alone("kills_supervisor",
                         "kills_supervisor/kills_its_parent",
                         "killed its supervisor", 10, 0);
}

/* A test that stops its worker cannot be killed by it: the coordinator
 * kills both two seconds past the test's deadline (timeout + 1 s), reports
 * the test and goes on with a new worker. */
TEST(supervisor, a_test_that_stops_its_supervisor_crashes_alone,
     .timeout = 60)
{
    expect_crashes_alone("stops_supervisor",
                         "stops_supervisor/stops_its_parent",
                         "stopped its supervisor", 15, 8.0);
}
