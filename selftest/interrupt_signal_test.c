// SPDX-License-Identifier: MIT
// interrupt_signal_test.c — selftests of interrupted runs. The fixture
// interrupt_sleepers runs with -j2: one test passes, two sleep until
// killed (one ignores SIGTERM), each with a grandchild that ignores
// SIGTERM, and two never start. Once all four sleepers have published
// their pids, the runner gets SIGINT, SIGTERM or SIGHUP, and must: stop
// starting tests, SIGTERM the running tests' groups and SIGKILL them after
// a 1 s grace, report them as interrupted and the rest as not run, write
// every report, print the summary and exit 128 + signal, within 2 s and
// leaving no process behind. A second signal during the grace kills at
// once, and the reports are still written. Verdicts are read from the
// reports; the console of an interrupted run is report_console_test.c's.
#include <cordon.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "outcomes.h"
#include "support.h"
#include "xml.h"

/* The processes interrupt_sleepers starts that must all end. */
static const char *const sleepers[] = {
    "dies_on_sigterm", "dies_on_sigterm-grandchild",
    "ignores_sigterm", "ignores_sigterm-grandchild",
};
#define NSLEEPERS (sizeof sleepers / sizeof sleepers[0])

/* read_pid returns the pid in dir/name.pid, or 0 while there is none. */
static pid_t
read_pid(const char *dir, const char *name)
{
    char path[4096];
    char *text;
    long pid;

    snprintf(path, sizeof path, "%s/%s.pid", dir, name);
    text = st_read_file(path, NULL);
    pid = text != NULL ? strtol(text, NULL, 10) : 0;
    free(text);
    return (pid_t)pid;
}

/* adopt_orphans makes this process the one orphans of the fixture (its
 * tests' grandchildren) are given to, so their zombies can be reaped here
 * and kill(pid, 0) tells the truth on systems whose init does not reap.
 * Linux only; elsewhere init reaps them. Where the system refuses it
 * (qemu-user), the test skips, saying so. */
static void
adopt_orphans(void)
{
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
    char why[160];

    if (!st_adopt_orphans(why, sizeof why))
        SKIP("the fixture's orphans cannot be adopted to be counted: %s", why);
#endif
}

/* gone waits a little for pid to disappear, reaping adopted orphans, and
 * says whether kill(pid, 0) fails with ESRCH. A SIGKILLed process takes a
 * moment to go; one that survived would still be there after 0.5 s. */
static bool
gone(pid_t pid)
{
    double until = st_now() + 0.5;

    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (kill(pid, 0) == -1 && errno == ESRCH)
            return true;
        if (st_now() > until)
            return false;
        st_sleep_ms(5);
    }
}

struct interrupted {
    char *dir;
    char junit[4096];
    char tap[4096];
    struct st_run run;
    pid_t pids[NSLEEPERS];
    double seconds;       /* from the (first) signal to the runner's exit */
    double after_second;  /* from the second signal to the exit */
};

/* run_interrupted starts the fixture, waits until every sleeper runs,
 * signals the runner (twice when twice: the second once the first has
 * visibly been acted on) and waits for it. */
static void
run_interrupted(struct interrupted *it, int sig, bool twice)
{
    char var[4200];
    const char *env[] = {var, NULL};
    const char *args[] = {"-j2", "--junit", it->junit, "--tap", it->tap,
                          NULL};
    double deadline, t0, t1 = 0;
    size_t running = 0;
    pid_t pid;

    memset(it, 0, sizeof *it);
    it->dir = st_tmpdir();
    ASSERT_NOT_NULL(it->dir);
    snprintf(it->junit, sizeof it->junit, "%s/report.xml", it->dir);
    snprintf(it->tap, sizeof it->tap, "%s/report.tap", it->dir);
    snprintf(var, sizeof var, "INTERRUPT_DIR=%s", it->dir);
    adopt_orphans();
    pid = st_start_fixture(&it->run, "interrupt_sleepers", args, env);
    ASSERT_GT(pid, 0);
    deadline = st_now() + 5.0;
    while (running < NSLEEPERS && st_now() < deadline) {
        running = 0;
        for (size_t i = 0; i < NSLEEPERS; i++)
            running += (it->pids[i] = read_pid(it->dir, sleepers[i])) > 0;
        if (running < NSLEEPERS)
            st_sleep_ms(10);
    }
    t0 = st_now();
    kill(pid, sig);
    if (twice && running == NSLEEPERS) {
        /* dies_on_sigterm is reaped by the runner once it acted on the
         * first signal; the grace has 1 s to go. */
        ASSERT_TRUE(gone(it->pids[0]), "the first signal was ignored");
        t1 = st_now();
        kill(pid, sig);
    }
    ASSERT_EQ(st_wait(&it->run, pid), 0);
    it->seconds = st_now() - t0;
    it->after_second = st_now() - t1;
    ASSERT_EQ(running, NSLEEPERS, "the sleepers never all ran; stdout: %s",
              it->run.out);
}

static void
interrupted_done(struct interrupted *it)
{
    char path[4096];

    for (size_t i = 0; i < NSLEEPERS; i++) {
        snprintf(path, sizeof path, "%s/%s.pid", it->dir, sleepers[i]);
        unlink(path);
    }
    unlink(it->junit);
    unlink(it->tap);
    EXPECT_EQ(rmdir(it->dir), 0, "files left in %s (temporary reports?)",
              it->dir);
    free(it->dir);
    st_free(&it->run);
}

/* expect_no_survivor checks every sleeper ended, and kills those that
 * did not, so a failing run leaves nothing behind either. */
static void
expect_no_survivor(const struct interrupted *it)
{
    for (size_t i = 0; i < NSLEEPERS; i++) {
        bool ended = gone(it->pids[i]);

        if (!ended)
            kill(it->pids[i], SIGKILL);
        EXPECT_TRUE(ended, "%s (pid %ld) survived the run", sleepers[i],
                    (long)it->pids[i]);
    }
}

/* expect_junit checks the JUnit report of an interrupted run. */
static void
expect_junit(const struct interrupted *it)
{
    char why[512] = "";
    struct st_xml *x = st_xml_load(it->junit, why, sizeof why);
    char *s;

    ASSERT_NOT_NULL(x, "no valid JUnit report: %s", why);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s", why);
    EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)5);
    EXPECT_EQ(st_xml_count(x, "//testcase[@name='dies_on_sigterm' or "
                              "@name='ignores_sigterm']"
                              "/error[@type='interrupted']"),
              (size_t)2);
    EXPECT_EQ(st_xml_count(x, "//testcase[@name='never_started' or "
                              "@name='never_started_either']"
                              "/skipped[@message='not run: interrupted']"),
              (size_t)2);
    EXPECT_EQ(st_xml_count(x, "//testcase[@name='passes_first']/*"
                              "[not(self::system-out)]"),
              (size_t)0, "passes_first passed");
    s = st_xml_string(x, "string(//testcase[@name='dies_on_sigterm']"
                         "/system-out)");
    EXPECT_STREQ(s, "dies_on_sigterm is running\n", "output of a killed test");
    free(s);
    s = st_xml_string(x, "concat(sum(//testsuite/@tests), ' ', "
                         "sum(//testsuite/@failures), ' ', "
                         "sum(//testsuite/@errors), ' ', "
                         "sum(//testsuite/@skipped))");
    EXPECT_STREQ(s, "5 0 2 2", "tests failures errors skipped");
    free(s);
    st_xml_free(x);
}

static void
expect_tap(const struct interrupted *it, const char *signame)
{
    char *tap = st_read_file(it->tap, NULL);
    char comment[64];

    ASSERT_NOT_NULL(tap, "no TAP report");
    snprintf(comment, sizeof comment, "# interrupted by %s\n", signame);
    EXPECT_EQ(strncmp(tap, "TAP version 13\n1..5\nok 1 - interrupt/"
                           "passes_first\nnot ok 2 - interrupt/"
                           "dies_on_sigterm\n", 76), 0, "%s", tap);
    EXPECT_EQ(st_count(tap, "not ok 3 - interrupt/ignores_sigterm"),
              (size_t)1);
    EXPECT_EQ(st_count(tap, "  outcome: INTERRUPTED"), (size_t)2);
    EXPECT_EQ(st_count(tap, "ok 4 - interrupt/never_started # SKIP not run: "
                            "interrupted"), (size_t)1);
    EXPECT_EQ(st_count(tap, "ok 5 - interrupt/never_started_either # SKIP "
                            "not run: interrupted"), (size_t)1);
    EXPECT_NOT_NULL(strstr(tap, comment), "%s", tap);
    free(tap);
}

/* one_signal is the whole check for one interrupting signal. */
static void
one_signal(int sig, const char *signame)
{
    struct interrupted it;
    char *tap;

    run_interrupted(&it, sig, false);
    EXPECT_EQ(it.run.code, 128 + sig, "stderr: %s", it.run.err);
    EXPECT_LT(it.seconds, 2.0, "the run took %.3f s to stop", it.seconds);
    /* The test that ignores SIGTERM held out for the grace, then was
     * killed: SIGTERM first, SIGKILL after. */
    EXPECT_GE(it.seconds, 0.9, "no grace before SIGKILL");
    tap = st_read_file(it.tap, NULL);
    ASSERT_NOT_NULL(tap);
    EXPECT_NOT_NULL(strstr(tap, "dies_on_sigterm\n  ---\n  outcome: "
                                "INTERRUPTED\n  reason: \"interrupted while "
                                "running\"\n  signal: SIGTERM\n"), "%s", tap);
    EXPECT_NOT_NULL(strstr(tap, "ignores_sigterm\n  ---\n  outcome: "
                                "INTERRUPTED\n  reason: \"interrupted while "
                                "running\"\n  signal: SIGKILL\n"), "%s", tap);
    free(tap);
    expect_no_survivor(&it);
    expect_junit(&it);
    expect_tap(&it, signame);
    interrupted_done(&it);
}

TEST(interrupt, sigint_stops_the_run_cleanly)
{
    one_signal(SIGINT, "SIGINT");
}

TEST(interrupt, sigterm_stops_the_run_cleanly)
{
    one_signal(SIGTERM, "SIGTERM");
}

TEST(interrupt, sighup_stops_the_run_cleanly)
{
    one_signal(SIGHUP, "SIGHUP");
}

TEST(interrupt, second_signal_kills_at_once_and_still_reports)
{
    struct interrupted it;
    char *tap;

    run_interrupted(&it, SIGINT, true);
    EXPECT_EQ(it.run.code, 128 + SIGINT, "stderr: %s", it.run.err);
    EXPECT_LT(it.after_second, 0.5, "%.3f s after the second signal",
              it.after_second);
    EXPECT_LT(it.seconds, 0.9, "the grace ran its course (%.3f s)",
              it.seconds);
    tap = st_read_file(it.tap, NULL);
    ASSERT_NOT_NULL(tap);
    EXPECT_NOT_NULL(strstr(tap, "ignores_sigterm\n  ---\n  outcome: "
                                "INTERRUPTED\n  reason: \"interrupted while "
                                "running\"\n  signal: SIGKILL\n"), "%s", tap);
    free(tap);
    expect_no_survivor(&it);
    expect_junit(&it);
    expect_tap(&it, "SIGINT");
    interrupted_done(&it);
}
