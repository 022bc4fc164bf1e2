// SPDX-License-Identifier: MIT
// interrupt_stall_test.c — selftests of interrupting a run whose output
// nobody reads: stdout a pipe with no reader draining it, the TAP stream
// on such a stdout, a JUnit report naming a FIFO nobody opens. A runner
// blocked in a write must still take SIGTERM: the reports that can be
// written are, the stalled one is given up about 2 s after the signal
// (named on stderr), and it exits 128 + signal; a second signal gives up
// at once. Also --no-fork: a signal ends the run after the running test,
// with the reports written.
#include <cordon.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outcomes.h"
#include "support.h"
#include "xml.h"

/* A pipe whose read end this process holds and never reads. */
static int stall_pipe[2] = {-1, -1};

static void
stdout_into_stall(void *arg)
{
    (void)arg;
    dup2(stall_pipe[1], STDOUT_FILENO);
    close(stall_pipe[0]);
    close(stall_pipe[1]);
}

/* stall_with_timer_signal_blocked is stdout_into_stall for a runner
 * started with every realtime signal blocked (the mask survives exec):
 * the one its stall timer uses must still reach it. */
static void
stall_with_timer_signal_blocked(void *arg)
{
    sigset_t rt;

    sigemptyset(&rt);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        sigaddset(&rt, sig);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    stdout_into_stall(arg);
}

static bool block_timer_signal;

struct stalled {
    char *dir;
    char junit[4096];
    char fifo[4096];
    struct st_run run;
    double first;  /* seconds from the first signal to the exit */
    double second; /* from the second signal to the exit */
};

/* run_stalled starts stalls_console with args and stdout stalled when
 * asked, signals it with SIGTERM after `after` seconds (and again `again`
 * seconds later when again > 0) and waits at most 15 s. */
static void
run_stalled(struct stalled *s, const char *const *args, bool stall,
            double after, double again)
{
    double t0, t1 = 0;
    pid_t pid;

    ASSERT_EQ(pipe(stall_pipe), 0);
    pid = st_start_fixture_with(&s->run, "stalls_console", args, NULL,
                                !stall ? NULL
                                : block_timer_signal
                                    ? stall_with_timer_signal_blocked
                                    : stdout_into_stall,
                                NULL);
    ASSERT_GT(pid, 0);
    st_sleep_ms((long)(after * 1000));
    t0 = st_now();
    kill(pid, SIGTERM);
    if (again > 0) {
        st_sleep_ms((long)(again * 1000));
        t1 = st_now();
        kill(pid, SIGTERM);
    }
    ASSERT_EQ(st_wait_until(&s->run, pid, 15.0), 0);
    s->first = st_now() - t0;
    s->second = st_now() - t1;
    close(stall_pipe[0]);
    close(stall_pipe[1]);
    EXPECT_FALSE(s->run.overran, "the runner did not end within 15 s of "
                 "SIGTERM while its output was stalled");
}

static void
stalled_init(struct stalled *s)
{
    memset(s, 0, sizeof *s);
    s->dir = st_tmpdir();
    ASSERT_NOT_NULL(s->dir);
    snprintf(s->junit, sizeof s->junit, "%s/report.xml", s->dir);
    snprintf(s->fifo, sizeof s->fifo, "%s/fifo.xml", s->dir);
}

static void
stalled_done(struct stalled *s)
{
    unlink(s->junit);
    unlink(s->fifo);
    EXPECT_EQ(rmdir(s->dir), 0, "files left in %s (temporary reports?)",
              s->dir);
    free(s->dir);
    st_free(&s->run);
}

/* expect_junit checks the JUnit report of the interrupted fixture: every
 * test in it, the sleeper interrupted. */
static void
expect_junit(const struct stalled *s)
{
    char why[512] = "";
    struct st_xml *x = st_xml_load(s->junit, why, sizeof why);

    ASSERT_NOT_NULL(x, "no valid JUnit report: %s", why);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s", why);
    EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)31);
    EXPECT_EQ(st_xml_count(x, "//testcase[@name='sleeps_a_minute']"
                              "/error[@type='interrupted']"),
              (size_t)1);
    st_xml_free(x);
}

/* stalled_stdout_ends checks that SIGTERM ends, within 3.5 s, a run whose
 * stdout nobody reads, with its JUnit report written. */
static void
stalled_stdout_ends(void)
{
    struct stalled s;
    const char *args[] = {"-j2", "--junit", NULL, NULL};

    stalled_init(&s);
    args[2] = s.junit;
    run_stalled(&s, args, true, 1.0, 0);
    EXPECT_EQ(s.run.code, 128 + SIGTERM, "stderr: %s", s.run.err);
    EXPECT_LT(s.first, 3.5, "seconds from SIGTERM to the exit");
    expect_junit(&s);
    stalled_done(&s);
}

TEST(interrupt_stall, sigterm_ends_a_run_whose_stdout_nobody_reads,
     .timeout = 30)
{
    stalled_stdout_ends();
}

TEST(interrupt_stall, the_stall_timer_gets_through_a_blocked_mask,
     .timeout = 30)
{
    block_timer_signal = true;
    stalled_stdout_ends();
}

TEST(interrupt_stall, sigterm_gives_up_a_tap_stream_nobody_reads,
     .timeout = 30)
{
    struct stalled s;
    const char *args[] = {"-j2", "--tap", "-", "--junit", NULL, NULL};

    stalled_init(&s);
    args[4] = s.junit;
    run_stalled(&s, args, true, 1.0, 0);
    EXPECT_EQ(s.run.code, 128 + SIGTERM, "stderr: %s", s.run.err);
    EXPECT_LT(s.first, 3.5, "seconds from SIGTERM to the exit");
    EXPECT_NOT_NULL(strstr(s.run.err, "cannot write TAP report '-'"),
                    "stderr: %s", s.run.err);
    expect_junit(&s);
    stalled_done(&s);
}

/* run_into_fifo runs the fixture with its JUnit report naming a FIFO that
 * nobody opens, signals it as run_stalled does and checks it exits by
 * the signal. */
static void
run_into_fifo(struct stalled *s, bool stall, double again)
{
    const char *args[] = {"-j2", "--junit", NULL, NULL};

    stalled_init(s);
    ASSERT_EQ(mkfifo(s->fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    args[2] = s->fifo;
    run_stalled(s, args, stall, 1.0, again);
    EXPECT_EQ(s->run.code, 128 + SIGTERM, "stderr: %s", s->run.err);
}

TEST(interrupt_stall, sigterm_gives_up_a_fifo_nobody_opens, .timeout = 30)
{
    struct stalled s;

    run_into_fifo(&s, false, 0);
    EXPECT_LT(s.first, 3.5, "seconds from SIGTERM to the exit");
    EXPECT_GT(s.first, 1.5, "the report was given up before its 2 s");
    EXPECT_NOT_NULL(strstr(s.run.err, "cannot write JUnit report"),
                    "stderr: %s", s.run.err);
    EXPECT_NOT_NULL(strstr(s.run.err, s.fifo), "stderr: %s", s.run.err);
    stalled_done(&s);
}

TEST(interrupt_stall, second_signal_gives_up_at_once, .timeout = 30)
{
    struct stalled s;

    run_into_fifo(&s, true, 0.4);
    EXPECT_LT(s.second, 0.8, "seconds from the second SIGTERM to the exit");
    stalled_done(&s);
}

/* after_the_last_test runs the passing fixture with its JUnit report in a
 * file and its TAP stream into a FIFO, waits until the JUnit report is
 * in place (every test has ended, the reports are being written: JUnit
 * first), sends SIGTERM `signals` times and then reads the FIFO when
 * read_fifo is set. */
static void
after_the_last_test(struct stalled *s, int signals, bool read_fifo,
                    char *tap, size_t tap_size)
{
    const char *args[] = {"-j2", "--junit", NULL, "--tap", NULL, NULL};
    pid_t pid;
    size_t len = 0;

    stalled_init(s);
    ASSERT_EQ(mkfifo(s->fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    args[2] = s->junit;
    args[4] = s->fifo;
    pid = st_start_fixture(&s->run, "pass", args, NULL);
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(st_wait_for_file(s->junit, 10.0), "no JUnit report");
    for (int i = 0; i < signals; i++) {
        kill(pid, SIGTERM);
        st_sleep_ms(100);
    }
    tap[0] = '\0';
    if (read_fifo) {
        int fd = open(s->fifo, O_RDONLY);
        ssize_t got;

        ASSERT_GE(fd, 0, "open the FIFO: %s", strerror(errno));
        while (len + 1 < tap_size &&
               (got = read(fd, tap + len, tap_size - 1 - len)) > 0)
            len += (size_t)got;
        tap[len] = '\0';
        close(fd);
    }
    ASSERT_EQ(st_wait_until(&s->run, pid, 15.0), 0);
}

/* A signal after the last test ended changes no result: the reports are
 * finished, the run's exit code is its tests', and stderr says so. */
TEST(interrupt_stall, a_signal_after_the_last_test_changes_no_result,
     .timeout = 30)
{
    struct stalled s;
    char tap[8192];
    char why[512] = "";
    struct st_xml *x;

    after_the_last_test(&s, 1, true, tap, sizeof tap);
    EXPECT_EQ(s.run.code, 0, "stdout: %s\nstderr: %s", s.run.out, s.run.err);
    EXPECT_NOT_NULL(strstr(tap, "1..3"), "TAP: %s", tap);
    EXPECT_NULL(strstr(tap, "interrupted"), "TAP: %s", tap);
    EXPECT_NULL(strstr(s.run.out, "interrupted"), "stdout: %s", s.run.out);
    EXPECT_NOT_NULL(strstr(s.run.err, "SIGTERM came after the last test"),
                    "stderr: %s", s.run.err);
    x = st_xml_load(s.junit, why, sizeof why);
    ASSERT_NOT_NULL(x, "no valid JUnit report: %s", why);
    EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)3);
    EXPECT_EQ(st_xml_count(x, "//error"), (size_t)0);
    st_xml_free(x);
    stalled_done(&s);
}

/* A report given up to a signal after the last test is named, and the
 * exit code is the signal's: the run did not end as it should have. */
TEST(interrupt_stall, a_report_given_up_after_the_last_test_exits_by_signal,
     .timeout = 30)
{
    struct stalled s;
    char tap[16];

    after_the_last_test(&s, 2, false, tap, sizeof tap);
    EXPECT_EQ(s.run.code, 128 + SIGTERM, "stderr: %s", s.run.err);
    EXPECT_NOT_NULL(strstr(s.run.err, "cannot write TAP report"),
                    "stderr: %s", s.run.err);
    EXPECT_NULL(strstr(s.run.err, "came after the last test"),
                "stderr: %s", s.run.err);
    stalled_done(&s);
}

/* read_until reads fd until text has gone by (false at its end first). */
static bool
read_until(int fd, const char *text)
{
    char buf[4096 + 64];
    size_t keep = 0, tlen = strlen(text);
    ssize_t got;

    while ((got = read(fd, buf + keep, sizeof buf - 1 - keep)) > 0) {
        size_t len = keep + (size_t)got;

        buf[len] = '\0';
        if (strstr(buf, text) != NULL)
            return true;
        keep = len < tlen ? len : tlen;
        memmove(buf, buf + len - keep, keep);
    }
    return false;
}

/* A stdout that nothing reads once the last test's line has gone by
 * stalls the runner in its recap; SIGTERM then makes it give the console
 * up, which the exit code says (128 + SIGTERM) and stderr names. */
TEST(interrupt_stall, a_console_given_up_after_the_last_test_exits_by_signal,
     .timeout = 30)
{
    const char *args[] = {"-j2", NULL};
    struct st_run r = {0};
    pid_t pid;

    ASSERT_EQ(pipe(stall_pipe), 0);
    pid = st_start_fixture_with(&r, "late_stall", args, NULL,
                                stdout_into_stall, NULL);
    ASSERT_GT(pid, 0);
    close(stall_pipe[1]);
    EXPECT_TRUE(read_until(stall_pipe[0], "late/zlast"),
                "no line of late/zlast");
    kill(pid, SIGTERM);
    ASSERT_EQ(st_wait_until(&r, pid, 15.0), 0);
    close(stall_pipe[0]);
    EXPECT_EQ(r.code, 128 + SIGTERM, "stderr: %s", r.err);
    EXPECT_STRCONTAINS(r.err, "the console was given up after the interrupt");
    EXPECT_NULL(strstr(r.err, "came after the last test"), "%s", r.err);
    EXPECT_NULL(strstr(r.err, "file size limit"), "%s", r.err);
    st_free(&r);
}

TEST(interrupt_stall, no_fork_sigint_ends_after_the_test_with_reports,
     .timeout = 30)
{
    char *dir = st_tmpdir(), junit[4096], why[512] = "";
    const char *args[] = {"--no-fork", "--junit", junit, NULL};
    struct st_run r = {0};
    struct st_xml *x;
    pid_t pid;

    ASSERT_NOT_NULL(dir);
    snprintf(junit, sizeof junit, "%s/report.xml", dir);
    pid = st_start_fixture(&r, "sleeps", args, NULL);
    ASSERT_GT(pid, 0);
    st_sleep_ms(200);
    kill(pid, SIGINT);
    ASSERT_EQ(st_wait_until(&r, pid, 10.0), 0);
    EXPECT_EQ(r.code, 128 + SIGINT, "stderr: %s", r.err);
    x = st_xml_load(junit, why, sizeof why);
    ASSERT_NOT_NULL(x, "no valid JUnit report: %s; stderr: %s", why, r.err);
    EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)2);
    EXPECT_EQ(st_xml_count(x, "//testcase[@name='half_second']/*"), (size_t)0,
              "the running test ran to its end");
    EXPECT_EQ(st_xml_count(x, "//testcase[@name='no_timeout']"
                              "/skipped[@message='not run: interrupted']"),
              (size_t)1);
    st_xml_free(x);
    unlink(junit);
    EXPECT_EQ(rmdir(dir), 0);
    free(dir);
    st_free(&r);
}

TEST(interrupt_stall, no_fork_test_that_never_ends_dies_of_the_signal,
     .timeout = 30)
{
    const char *args[] = {"--no-fork", NULL};
    struct st_run r = {0};
    double t0;
    pid_t pid;

    pid = st_start_fixture(&r, "infinite_loop", args, NULL);
    ASSERT_GT(pid, 0);
    st_sleep_ms(300);
    t0 = st_now();
    kill(pid, SIGTERM);
    ASSERT_EQ(st_wait_until(&r, pid, 10.0), 0);
    EXPECT_EQ(r.code, 128 + SIGTERM, "stderr: %s", r.err);
    EXPECT_LT(st_now() - t0, 3.5, "seconds from SIGTERM to the end");
    EXPECT_GT(st_now() - t0, 1.5, "the test had 2 s to end by itself");
    st_free(&r);
}
