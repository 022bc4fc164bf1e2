// SPDX-License-Identifier: MIT
// seams_test.c — selftests of the seams of supervision: what one test does
// to what it shares with the next (its stdout's file status flags, the
// shared memory it can see), a test that runs out of memory or is slow to
// leave after its body, a main() with its own SIGALRM timer, a run without
// /proc or under strace, tests that stop or kill their supervisor (no
// timeout, a daemon left behind, an isolate keeper, fork() failing after).
// Each runs a seam_* fixture as a subprocess within a launch limit, reads
// the verdicts from the reports (outcomes.h) and, where processes may
// outlive the run, counts them as a child subreaper.
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
#include "testproc/testproc.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* A run under a wrapper command (unshare, strace): prepare execs the
 * wrapper with the fixture and the arguments st_outcomes_start chose
 * (its report paths, in o, filled before it forks), then launch's. */
struct wrapped {
    const char *const *wrapper; /* NULL-terminated, before the fixture */
    const char *fixture;
    const char *const *args;
    const struct st_outcomes *o;
};

static void
exec_wrapped(void *arg)
{
    const struct wrapped *w = arg;
    char *argv[64];
    size_t n = 0;

    for (size_t i = 0; w->wrapper[i] != NULL && n < 50; i++)
        argv[n++] = (char *)w->wrapper[i];
    argv[n++] = (char *)st_fixture(w->fixture);
    argv[n++] = "--tap";
    argv[n++] = (char *)w->o->tap_path;
    if (!w->o->tap_only) {
        argv[n++] = "--junit";
        argv[n++] = (char *)w->o->junit_path;
    }
    for (size_t i = 0; w->args != NULL && w->args[i] != NULL && n < 63; i++)
        argv[n++] = (char *)w->args[i];
    argv[n] = NULL;
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Row 6: the capture of one test does not inherit the file status flags
 * the test before it set on its stdout. */
TEST(seams, cleared_o_append_does_not_reach_the_next_capture, .timeout = 30)
{
    static const char *const args[] = {"-j1", NULL};
    struct st_launch launch = {.args = args, .limit = 10};
    const struct st_outcome *b;
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes_finish(&o, st_outcomes_start(&o,
                                  "seam_capture_flags", &launch)), 0,
              "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "stderr: %s", o.run.err);
    b = st_outcome(&o, "seam_capture_flags/b_prints_and_fails");
    ASSERT_NOT_NULL(b, "%s", o.tap);
    EXPECT_STREQ(b->word, "FAIL");
    ASSERT_NOT_NULL(b->out, "no JUnit system-out");
    /* A NUL the capture held shows in the report as \x00. */
    EXPECT_TRUE(strstr(b->out, "\\x00") == NULL,
                "NUL bytes in the next test's output: %.300s", b->out);
    EXPECT_EQ(strncmp(b->out, "hello-b\n", 8), 0,
              "the next test's output does not start with its own text: "
              "%.300s", b->out);
    st_outcomes_free(&o);
}

/* Row 11: a test that runs out of memory and says so is a FAIL with its
 * message, and its process leaves without running atexit handlers. */
TEST(seams, failing_out_of_memory_is_a_fail, .timeout = 30)
{
    static const char *const args[] = {"-j1", "--memory-limit", "64M", NULL};
    struct st_mark mark = st_mark_make("SEAM_ATEXIT_MARK", "atexit-ran");
    const char *const env[] = {mark.env, NULL};
    struct st_launch launch = {.args = args, .env = env, .limit = 15};
    const struct st_outcome *t;
    struct st_outcomes o;

    if (cordon__limits_ignored())
        SKIP("this system ignores setrlimit(RLIMIT_AS) (qemu-user does): "
             "no memory limit can be seen to work");
    if (ST_ASAN || st_coverage_build())
        st_mark_free(&mark);
    if (ST_ASAN)
        SKIP("memory limits are ignored under AddressSanitizer");
    if (st_coverage_build())
        SKIP("a coverage build's test process writes its counters at the "
             "end, which needs the memory this test used up");
    ASSERT_EQ(st_outcomes_finish(&o, st_outcomes_start(&o, "seam_oom_fail",
                                                       &launch)), 0,
              "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "stderr: %s", o.run.err);
    t = st_outcome(&o, "seam_oom_fail/fails_when_malloc_runs_out");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL", "reason \"%s\", failures \"%s\"", t->reason,
                 t->failures);
    EXPECT_TRUE(strstr(t->failures, "out of memory") != NULL ||
                    strstr(t->reason, "out of memory") != NULL,
                "no \"out of memory\": reason \"%s\", failures \"%s\"",
                t->reason, t->failures);
    EXPECT_NE(access(mark.path, F_OK), 0,
              "the test's atexit handler ran in the test process");
    st_expect_word(&o, "seam_oom_fail/runs_after", "PASS", NULL);
    st_outcomes_free(&o);
    st_mark_free(&mark);
}

/* Row 12: time spent after the body (the gcov dump before _exit) is not
 * the test's: a body that ended in time is no timeout. */
TEST(seams, a_slow_exit_after_the_body_is_no_timeout, .timeout = 30)
{
    struct st_launch launch = {.limit = 10};
    struct st_outcomes o;

    if (st_coverage_build())
        SKIP("a coverage build's libgcov defines __gcov_dump, which the "
             "fixture's weak one then does not replace");
    st_hold_machine(F_RDLCK);
    ASSERT_EQ(st_outcomes_finish(&o, st_outcomes_start(&o, "seam_slow_flush",
                                                       &launch)), 0,
              "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stderr: %s", o.run.err);
    st_expect_word(&o, "seam_slow_flush/finishes_in_time", "PASS", NULL);
    st_outcomes_free(&o);
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

/* Row 13: a main() with its own repeating SIGALRM timer: the TAP report,
 * read slowly from a pipe, arrives whole, and the program's SIGALRM
 * handler and SIGPIPE disposition are its own again afterwards. */
TEST(seams, a_main_with_its_own_sigalrm_gets_the_whole_tap, .timeout = 60)
{
    static const char *const args[] = {"--tap", "-", "-j2", NULL};
    char *dir = st_tmpdir();
    char *copy = st_format("%s/tap", dir);
    struct st_run r;
    char *tap, *plan, *line;
    long n = -1;
    size_t oks;
    int p[2], status;
    pid_t pid, reader;

    if (access(st_fixture("seam_sigalrm_main"), X_OK) != 0)
        FAIL("fixture seam_sigalrm_main is not built: add "
             "fixtures/parts/seam_sigalrm_main.c to selftest/CMakeLists.txt "
             "as isolate_plain is (cordon::cordon, no cordon::main)");
    ASSERT_EQ(pipe(p), 0);
    reader = fork();
    ASSERT_GE(reader, 0);
    if (reader == 0) {
        /* 4 KiB every 5 ms: about 0.8 s for the report, so the runner's
         * writes block over and over while its timer fires. */
        char buf[4096];
        int fd = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ssize_t got;

        close(p[1]);
        alarm(40);
        while ((got = read(p[0], buf, sizeof buf)) != 0) {
            if (got < 0)
                continue;
            (void)!write(fd, buf, (size_t)got);
            st_sleep_ms(5);
        }
        _exit(0);
    }
    pid = st_start_fixture_with(&r, "seam_sigalrm_main", args, NULL, to_pipe,
                                p);
    close(p[0]);
    close(p[1]);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(st_wait_until(&r, pid, 30), 0);
    EXPECT_EQ(waitpid(reader, &status, 0), reader);
    EXPECT_FALSE(r.overran, "the run was still going after 30 s");
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    tap = st_read_file(copy, NULL);
    ASSERT_NOT_NULL(tap);
    plan = st_line(tap, "1..");
    EXPECT_NOT_NULL(plan, "no plan line; TAP ends: %.300s",
                    strlen(tap) > 300 ? tap + strlen(tap) - 300 : tap);
    if (plan != NULL)
        n = strtol(plan + 3, NULL, 10);
    EXPECT_EQ(n, 601L);
    oks = st_count(tap, "ok ") + st_count(tap, "not ok ");
    EXPECT_EQ((long)oks, n, "test lines in %zu bytes of TAP", strlen(tap));
    line = st_line(r.err, "after cordon_main:");
    EXPECT_NOT_NULL(line, "stderr: %.600s", r.err);
    if (line != NULL)
        EXPECT_STREQ(line, "after cordon_main: SIGALRM handler kept, called "
                           "yes, SIGPIPE as before");
    free(line);
    free(plan);
    free(tap);
    st_free(&r);
    unlink(copy);
    free(copy);
    st_rmtree(dir);
}

/* Row 14: without /proc, a daemon a test leaves is still found and
 * killed, the test fails for it, and the next test runs. */
TEST(seams, a_daemon_is_killed_without_proc, .timeout = 60)
{
    ST_NEEDS_SUBREAPER();
    static const char *const wrapper[] = {
        "unshare", "-m", "sh", "-c", "umount -l /proc && exec \"$0\" \"$@\"",
        NULL};
    static const char *const args[] = {"-j1", NULL};
    struct st_outcomes o;
    struct wrapped w = {wrapper, "seam_daemon_noproc", args, &o};
    struct st_launch launch = {.limit = 15, .prepare = exec_wrapped,
                               .arg = &w};
    bool adopted;
    int rc;

    if (st_hide_proc_why() != NULL)
        SKIP("%s", st_hide_proc_why());
    adopted = st_adopt();
    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "seam_daemon_noproc",
                                                  &launch));
    EXPECT_LT(o.seconds, 5.0, "the run took %.3f s", o.seconds);
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "stderr: %s", o.run.err);
    st_expect_word(&o, "seam_daemon_noproc/starts_a_daemon", "FAIL", "running");
    st_expect_word(&o, "seam_daemon_noproc/runs_after", "PASS", NULL);
    st_outcomes_free(&o);
}

/* Row 15: a tracer that follows forks (strace -f) is no debugger: the run
 * keeps forking, the crash is a CRASH and the run ends with its summary. */
TEST(seams, a_crash_under_strace_is_a_crash, .timeout = 60)
{
    static const char *const wrapper[] = {"strace", "-f", "-o", "/dev/null",
                                          NULL};
    struct st_outcomes o;
    struct wrapped w = {wrapper, "seam_crash_traced", NULL, &o};
    struct st_launch launch = {.env = crash_env, .limit = 20,
                               .prepare = exec_wrapped, .arg = &w};
    char *out = NULL;
    int rc;

    if (!st_command_found("strace"))
        SKIP("strace is not installed");
    if (st_shell("strace -f -o /dev/null true", &out) != 0) {
        char *why = st_format("strace cannot trace here: %.200s",
                              out ? out : "");

        free(out);
        SKIP("%s", why);
    }
    free(out);
    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "seam_crash_traced",
                                                  &launch));
    EXPECT_EQ(o.run.code, 1, "stderr: %s", o.run.err);
    EXPECT_NOT_NULL(strstr(o.run.out, "cordon: 2 tests in "),
                    "no summary; stdout: %.600s", o.run.out);
    EXPECT_TRUE(strstr(o.run.err, "debugger") == NULL &&
                    strstr(o.run.err, "in this process") == NULL &&
                    strstr(o.run.err, "without fork") == NULL,
                "it says it runs without forking: %s", o.run.err);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_expect_word(&o, "seam_crash_traced/crashes", "CRASH", "SIGSEGV");
    st_expect_word(&o, "seam_crash_traced/passes", "PASS", NULL);
    st_outcomes_free(&o);
}

/* Row 16: a test that writes 0xff over every shared mapping it can see
 * does not end the run: summary, reports, an exit code of 0 or 1, and the
 * tests after it pass. */
TEST(seams, scribbled_shared_memory_does_not_end_the_run, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    struct st_launch launch = {.args = args, .env = crash_env, .limit = 15};
    bool adopted = st_adopt();
    struct st_outcomes o;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "seam_scribbles_shared",
                                                  &launch));
    st_expect_nothing_left(adopted);
    EXPECT_TRUE(o.run.code == 0 || o.run.code == 1, "exit code %d; stderr: "
                "%.600s", o.run.code, o.run.err);
    EXPECT_NOT_NULL(strstr(o.run.out, "cordon: 3 tests in "),
                    "no summary; stdout ends: %.600s",
                    o.run.out_len > 600 ? o.run.out + o.run.out_len - 600
                                        : o.run.out);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.plan, 3);
    EXPECT_EQ(o.n, (size_t)3);
    st_expect_word(&o, "seam_scribbles_shared/runs_after_1", "PASS", NULL);
    st_expect_word(&o, "seam_scribbles_shared/runs_after_2", "PASS", NULL);
    st_outcomes_free(&o);
}

/* Row 17: a test with no timeout that stops its worker is found out
 * anyway, within seconds, and the run goes on. */
TEST(seams, a_stopped_supervisor_without_a_timeout_is_found, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    struct st_launch launch = {.args = args, .limit = 15};
    bool adopted = st_adopt();
    struct st_outcomes o;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "seam_stops_untimed",
                                                  &launch));
    EXPECT_LT(o.seconds, 5.0, "the run took %.3f s", o.seconds);
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "stderr: %s", o.run.err);
    st_expect_word(&o, "seam_stops_untimed/stops_its_parent", "CRASH",
                "stopped its supervisor");
    st_expect_word(&o, "seam_stops_untimed/runs_after_1", "PASS", NULL);
    st_expect_word(&o, "seam_stops_untimed/runs_after_2", "PASS", NULL);
    st_outcomes_free(&o);
}

/* Row 18: cordon_isolate() comes back at its timeout even when the
 * function stopped the keeper watching it (the fixture's test checks the
 * ending and the time itself). */
TEST(seams, a_stopped_isolate_keeper_still_times_out, .timeout = 60)
{
    struct st_launch launch = {.limit = 15};
    bool adopted = st_adopt();
    struct st_outcomes o;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "seam_isolate_stop",
                                                  &launch));
    st_expect_nothing_left(adopted);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stderr: %s", o.run.err);
    st_expect_word(&o, "seam_isolate_stop/a_stopped_keeper_times_out", "PASS",
                NULL);
    st_outcomes_free(&o);
}

/* Row 23: a daemon started by a test that then kills its worker does not
 * outlive the run; the test is a CRASH and the run goes on. */
TEST(seams, a_daemon_does_not_outlive_a_killed_worker, .timeout = 60)
{
    ST_NEEDS_SUBREAPER();
    static const char *const args[] = {"-j1", NULL};
    struct st_mark mark = st_mark_make("SEAM_DAEMON_PID", "daemon.pid");
    const char *const env[] = {mark.env, NULL};
    struct st_launch launch = {.args = args, .env = env, .limit = 15};
    bool adopted = st_adopt();
    struct st_outcomes o;
    char *text, state = '?';
    long daemon = -1;
    pid_t parent;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o,
                                  "seam_kills_worker_daemon", &launch));
    text = st_read_file(mark.path, NULL);
    if (text != NULL)
        daemon = strtol(text, NULL, 10);
    EXPECT_GT(daemon, 0L, "the daemon never wrote its pid");
    /* Gone, or a zombie this process (the subreaper) has yet to reap. */
    if (daemon > 0 && st_proc_stat((pid_t)daemon, &state, &parent) == 0)
        EXPECT_EQ(state, 'Z', "the daemon (pid %ld) outlived the run",
                  daemon);
    st_expect_nothing_left(adopted);
    free(text);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "stderr: %s", o.run.err);
    st_expect_word(&o,
                "seam_kills_worker_daemon/starts_a_daemon_then_kills_its_worker",
                "CRASH", "killed its supervisor");
    st_expect_word(&o, "seam_kills_worker_daemon/runs_after_1", "PASS", NULL);
    st_expect_word(&o, "seam_kills_worker_daemon/runs_after_2", "PASS", NULL);
    st_outcomes_free(&o);
    st_mark_free(&mark);
}


/* fill_slots runs as user u, outside the run, in a process group of its
 * own: it takes every process slot the user has left and every one that
 * comes free, and creates full once fork() first fails. Ends by SIGKILL
 * to its group (the caller's) or its alarm. */
static pid_t
fill_slots(const struct st_as_user *u, const char *full)
{
    pid_t pid = fork();

    if (pid > 0)
        setpgid(pid, pid);
    if (pid != 0)
        return pid;
    setpgid(0, 0);
    st_become((void *)u);
    alarm(30);
    for (bool told = false;;) {
        pid_t child = fork();

        if (child == 0) {
            alarm(30);
            for (;;)
                pause();
        }
        if (child < 0 && !told) {
            close(open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644));
            told = true;
        }
    }
}

/* Row 8 (best effort): a test kills its worker while its user has no
 * process left (another process of that user, outside the run, takes
 * every slot that comes free): the runner cannot fork again, and must end
 * at once with one error line and exit code 2, leaving nothing behind. */
TEST(seams, fork_failing_after_a_killed_worker_ends_the_run, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    /* A user no other test runs as: the limit counts all its processes. */
    struct st_as_user user = {65529, 0};
    char *dir, *started, *go, *full, *env_started, *env_go, *env_tmpdir;
    struct st_launch launch = {.args = args, .limit = 8, .open_dir = true,
                               .prepare = st_become, .arg = &user};
    struct st_outcomes o;
    bool adopted, ran, filled;
    pid_t pid, filler;
    int rc;

    if (geteuid() != 0)
        SKIP("needs root, to run the fixture as another user with a process "
             "limit");
    if (st_coverage_build())
        SKIP("a coverage build's processes write their counters into the "
             "build tree, which another user cannot");
    if (st_own_threads_why() != NULL)
        SKIP("a process limit cannot be counted on: %s",
             st_own_threads_why());
    dir = st_tmpdir();
    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(chmod(dir, 0777), 0);
    started = st_format("%s/started", dir);
    go = st_format("%s/go", dir);
    full = st_format("%s/full", dir);
    env_started = st_format("SEAM_FORK_STARTED=%s", started);
    env_go = st_format("SEAM_FORK_GO=%s", go);
    env_tmpdir = st_format("TMPDIR=%s", dir);
    {
        const char *const env[] = {env_started, env_go, env_tmpdir,
                                   ST_ASAN_OPTIONS, NULL};

        launch.env = env;
        /* The runner, its worker, the test, the filler and a few more. */
        user.nproc = (rlim_t)st_processes_of(user.uid) + 8;
        adopted = st_adopt();
        pid = st_outcomes_start(&o, "seam_fork_exhausted", &launch);
        ASSERT_GT(pid, 0, "%s", o.why);
        ran = st_wait_for_file(started, 5);
        filler = fill_slots(&user, full);
        filled = filler > 0 && st_wait_for_file(full, 5);
        close(open(go, O_WRONLY | O_CREAT | O_TRUNC, 0644));
        rc = st_outcomes_finish(&o, pid);
    }
    /* The filler is this test's, not the run's: gone before the count,
     * all of its group at once so that none forks another. */
    if (filler > 0) {
        kill(-filler, SIGKILL);
        waitpid(filler, NULL, 0);
    }
    EXPECT_TRUE(ran, "the test never started");
    EXPECT_TRUE(filled, "the filler never ran out of processes");
    st_expect_nothing_left(adopted);
    EXPECT_NE(o.run.code, 126, "%s", o.run.err);
    EXPECT_NE(o.run.code, 127, "the fixture is out of uid %ld's reach: %s",
              (long)user.uid, o.run.err);
    EXPECT_EQ(o.run.code, 2, "stderr: %s", o.run.err);
    EXPECT_LT(o.seconds, 2.5, "the run took %.3f s", o.seconds);
    EXPECT_EQ(st_count(o.run.err, "cordon: cannot start a test process:"),
              (size_t)1, "stderr: %s", o.run.err);
    EXPECT_EQ(st_count(o.run.err, ""), (size_t)1, "one line: %s", o.run.err);
    ASSERT_EQ(rc, 0, "%s", o.why);
    st_outcomes_free(&o);
    unlink(started);
    unlink(go);
    unlink(full);
    free(started);
    free(go);
    free(full);
    free(env_started);
    free(env_go);
    free(env_tmpdir);
    st_rmtree(dir);
}
