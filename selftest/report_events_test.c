// SPDX-License-Identifier: MIT
// report_events_test.c — selftests of what the JSON reports (--json,
// --ctrf) say about runs that go wrong around a test: a test that kills
// its worker or suite holder, a suite whose once is lost or fails, and
// whether a passing test's output is kept. Each stream is read by
// selftest/json_reports.py, which validates it against the schema and
// checks that a test that ran finished as the attempt, repetition and
// worker it started as, and that every suite-once that started finished.
#include <cordon.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* The reports of one run of a fixture: the event stream and CTRF, as
 * json_reports.py reads them, in a directory of their own. */
struct reports {
    struct st_run r;
    char *dir;
    char *events;
    char *ctrf;
};

/* run_reports runs fixture with args (NULL-terminated, at most 10) and
 * --json and --ctrf into a fresh directory, after st_need_jsonschema. */
static void
run_reports(struct reports *rp, const char *fixture,
            const char *const *args)
{
    char *events, *ctrf;
    const char *all[16];
    size_t n = 0;

    st_need_jsonschema(true);
    rp->dir = st_tmpdir();
    ASSERT_NOT_NULL(rp->dir);
    events = st_format("%s/events.jsonl", rp->dir);
    ctrf = st_format("%s/ctrf.json", rp->dir);
    for (; *args != NULL && n < 10; args++)
        all[n++] = *args;
    all[n++] = "--json";
    all[n++] = events;
    all[n++] = "--ctrf";
    all[n++] = ctrf;
    all[n] = NULL;
    ASSERT_EQ(st_run_fixture(&rp->r, fixture, all, NULL), 0);
    rp->events = st_json_check("events", ST_EVENTS_SCHEMA, events);
    rp->ctrf = st_json_check("ctrf", ST_CTRF_SCHEMA, ctrf);
    free(events);
    free(ctrf);
}

/* reports_free frees what run_reports made and removes its directory. */
static void
reports_free(struct reports *rp)
{
    free(rp->events);
    free(rp->ctrf);
    st_free(&rp->r);
    st_rmtree(rp->dir);
}

/* A test that took its worker or suite holder down with it ran: its
 * result says which attempt, repetition and worker, as its start did. */
TEST(report_events, a_lost_test_keeps_its_attempt_and_worker,
     .timeout = 90)
{
    static const char *const filters[] = {"lost/*", "lost_holder/*"};
    static const char *const ids[] = {"lost/kills_its_worker",
                                      "lost_holder/kills_its_holder"};

    for (size_t i = 0; i < 2; i++) {
        const char *args[] = {"--filter", filters[i], "--retries", "1",
                              "--repeat", "2", "-j", "2", NULL};
        struct reports rp;
        char *want;

        run_reports(&rp, "json_lost", args);
        EXPECT_EQ(rp.r.code, 1, "stderr: %s", rp.r.err);
        want = st_format("finished %s CRASH", ids[i]);
        EXPECT_TRUE(st_has_line(rp.events, want), "%s", rp.events);
        free(want);
        /* Lost at its first attempt of its first repetition: no retry
         * of a test that took its supervisor down. */
        want = st_format("attempt %s 1/2 1/2 ", ids[i]);
        EXPECT_TRUE(st_has_line_starting(rp.events, want), "%s", rp.events);
        free(want);
        want = st_format("extra %s 1/2 1/2 ", ids[i]);
        EXPECT_TRUE(st_has_line_starting(rp.ctrf, want), "%s", rp.ctrf);
        free(want);
        reports_free(&rp);
    }
}

/* A suite whose once failed gives its first test the once's run: attempt
 * 1 of its first repetition. */
TEST(report_events, a_failed_once_ran_as_the_first_attempt, .timeout = 60)
{
    const char *args[] = {"--filter", "lost_once_fails/*", "--retries", "1",
                          "--repeat", "2", NULL};
    struct reports rp;

    run_reports(&rp, "json_lost", args);
    EXPECT_EQ(rp.r.code, 1, "stderr: %s", rp.r.err);
    EXPECT_TRUE(st_has_line(rp.events,
                            "attempt lost_once_fails/never_runs 1/2 1/2 0"),
                "%s", rp.events);
    EXPECT_TRUE(st_has_line(rp.ctrf,
                            "extra lost_once_fails/never_runs 1/2 1/2 0 0 0"),
                "%s", rp.ctrf);
    reports_free(&rp);
}

/* A worker killed while it runs a suite's once: the once that started
 * finishes too, with the verdict its test got. */
TEST(report_events, a_once_whose_worker_died_finishes, .timeout = 60)
{
    const char *args[] = {"--filter", "lost_once/*", NULL};
    struct reports rp;

    run_reports(&rp, "json_lost", args);
    EXPECT_EQ(rp.r.code, 1, "stderr: %s", rp.r.err);
    EXPECT_TRUE(st_has_line(rp.events, "once lost_once started"), "%s",
                rp.events);
    EXPECT_TRUE(st_has_line(rp.events, "once lost_once finished CRASH"),
                "%s", rp.events);
    EXPECT_TRUE(st_has_line(rp.events, "finished lost_once/never_runs CRASH"),
                "%s", rp.events);
    reports_free(&rp);
}

/* A passing test's output is in --json and --ctrf with no other report
 * asked for; --report-output failed leaves its text out, and its bytes
 * are still the bytes it printed. */
TEST(report_events, a_passing_test_keeps_its_output, .timeout = 60)
{
    const char *all[] = {"--filter", "json/passes", NULL};
    const char *failed[] = {"--filter", "json/passes", "--report-output",
                            "failed", NULL};
    struct reports rp;

    run_reports(&rp, "json_events", all);
    EXPECT_EQ(rp.r.code, 0, "stderr: %s", rp.r.err);
    /* "plain output\n": 13 bytes. */
    EXPECT_TRUE(st_has_line(rp.events, "stdout json/passes \"plain "
                                       "output\\n\""), "%s", rp.events);
    EXPECT_TRUE(st_has_line(rp.events, "bytes json/passes stdout 13 0 13"),
                "%s", rp.events);
    EXPECT_TRUE(st_has_line(rp.ctrf, "extra json/passes 1/1 1/1 0 13 1"),
                "%s", rp.ctrf);
    reports_free(&rp);
    run_reports(&rp, "json_events", failed);
    EXPECT_EQ(rp.r.code, 0, "stderr: %s", rp.r.err);
    EXPECT_TRUE(st_has_line(rp.events, "bytes json/passes stdout 13 13 0"),
                "%s", rp.events);
    EXPECT_TRUE(st_has_line(rp.ctrf, "extra json/passes 1/1 1/1 0 13 0"),
                "%s", rp.ctrf);
    reports_free(&rp);
}

/* Failures past what a test's record holds are counted in
 * failures_dropped, and are no entry of failures. */
TEST(report_events, dropped_failures_are_counted_not_listed, .timeout = 60)
{
    const char *args[] = {"--filter", "lost_count/*", NULL};
    struct reports rp;

    run_reports(&rp, "json_lost", args);
    EXPECT_EQ(rp.r.code, 1, "stderr: %s", rp.r.err);
    EXPECT_TRUE(st_has_line(rp.events,
                            "counted lost_count/fails_a_hundred_times 32 68"),
                "%s", rp.events);
    EXPECT_NULL(strstr(rp.events, "not recorded"), "%s", rp.events);
    reports_free(&rp);
}

/* stdio_only closes every descriptor beyond 0-2 before the fixture
 * starts, so whatever a test then finds open is cordon's. */
static void
stdio_only(void *arg)
{
    (void)arg;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
}

/* The event stream is open while tests run; no test has it: one that
 * writes into every descriptor from 3 to 63 leaves it whole, and one
 * that lists its descriptors finds none beyond stdio. */
TEST(report_events, no_test_has_the_stream, .timeout = 60)
{
    char *dir = st_tmpdir(), *events, *said;

    st_need_jsonschema(true);
    ASSERT_NOT_NULL(dir);
    events = st_format("%s/events.jsonl", dir);
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        char j[8];
        const char *args[] = {"-j", j, "--json", events, NULL};
        struct st_run r;
        pid_t pid;

        snprintf(j, sizeof j, "%d", jobs);
        pid = st_start_fixture_with(&r, "stray_fds", args, NULL, stdio_only,
                                    NULL);
        ASSERT_TRUE(pid > 0);
        st_wait(&r, pid);
        EXPECT_EQ(r.code, 0, "-j %d: %s%s", jobs, r.out, r.err);
        said = st_json_check("events", ST_EVENTS_SCHEMA, events);
        EXPECT_TRUE(st_has_line(said, "finished "
                                      "stray_fds/has_no_descriptor_beyond_"
                                      "stdio PASS"), "%s", said);
        free(said);
        st_free(&r);
    }
    free(events);
    st_rmtree(dir);
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --json naming a FIFO that nobody opens: a signal gives it up after the
 * 2 s every stalled report gets, no test starts, and the other reports
 * are written, every test in them not run. */
TEST(report_events, a_fifo_nobody_opens_is_given_up_after_a_signal,
     .timeout = 60)
{
    char *dir = st_tmpdir(), *fifo, *ctrf, *said;
    const char *args[] = {"--filter", "json/passes", "--json", NULL,
                          "--ctrf", NULL, NULL};
    struct st_run r;
    double signalled;
    pid_t pid;

    st_need_jsonschema(true);
    ASSERT_NOT_NULL(dir);
    fifo = st_format("%s/events.fifo", dir);
    ctrf = st_format("%s/ctrf.json", dir);
    ASSERT_EQ(mkfifo(fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    args[3] = fifo;
    args[5] = ctrf;
    pid = st_start_fixture(&r, "json_events", args, NULL);
    ASSERT_GT(pid, 0);
    st_sleep_ms(500);
    signalled = now();
    kill(pid, SIGTERM);
    ASSERT_EQ(st_wait_until(&r, pid, 15.0), 0);
    EXPECT_LT(now() - signalled, 3.5, "seconds from SIGTERM to the exit");
    EXPECT_GT(now() - signalled, 1.5, "given up before its 2 s");
    EXPECT_EQ(r.code, 128 + SIGTERM, "stderr: %s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "cannot write JSON event stream"), "%s",
                    r.err);
    EXPECT_NOT_NULL(strstr(r.err, "given up after the interrupt"), "%s",
                    r.err);
    said = st_json_check("ctrf", ST_CTRF_SCHEMA, ctrf);
    EXPECT_TRUE(st_has_line(said, "test json/passes skipped SKIP"), "%s",
                said);
    free(said);
    free(fifo);
    free(ctrf);
    st_free(&r);
    st_rmtree(dir);
}

/* slow_nonblocking_stdout puts the fixture's stdout on a pipe of its own,
 * O_NONBLOCK, read by a child that starts a second late and copies it on
 * to the real stdout: the runner's writes meet a full pipe. */
static void
slow_nonblocking_stdout(void *arg)
{
    int p[2];
    pid_t pid;

    (void)arg;
    if (pipe(p) == -1)
        return;
    pid = fork();
    if (pid == 0) {
        char buf[4096];
        ssize_t n;

        close(p[1]);
        st_sleep_ms(1000);
        while ((n = read(p[0], buf, sizeof buf)) > 0) {
            if (write(STDOUT_FILENO, buf, (size_t)n) != n)
                _exit(1);
        }
        _exit(0);
    }
    close(p[0]);
    fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
    dup2(p[1], STDOUT_FILENO);
    close(p[1]);
}

/* --json - into a non-blocking pipe that fills: the runner waits for it
 * to drain, and the stream is whole. */
TEST(report_events, a_full_nonblocking_stdout_is_waited_for, .timeout = 60)
{
    /* Ten tests of 64 KiB each: ten times what a pipe holds. */
    const char *args[] = {"--filter", "heavy/t000*", "--json", "-", NULL};
    char *dir = st_tmpdir(), *path, *said;
    struct st_run r;
    pid_t pid;

    st_need_jsonschema(true);
    ASSERT_NOT_NULL(dir);
    pid = st_start_fixture_with(&r, "output_64k_each", args, NULL,
                                slow_nonblocking_stdout, NULL);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(st_wait_until(&r, pid, 50.0), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    path = st_format("%s/stdout.jsonl", dir);
    st_write_file(path, r.out);
    said = st_json_check("events", ST_EVENTS_SCHEMA, path);
    EXPECT_TRUE(st_has_line_starting(said, "run-finished "), "%s", said);
    free(said);
    free(path);
    st_free(&r);
    st_rmtree(dir);
}

/* closed_stdout puts the fixture's stdout on a pipe nobody reads. */
static void
closed_stdout(void *arg)
{
    int p[2];

    (void)arg;
    if (pipe(p) == -1)
        return;
    close(p[0]);
    dup2(p[1], STDOUT_FILENO);
    close(p[1]);
}

/* A stream whose reader went away is named for that, not for a full
 * disk; the tests still run and the other reports are written. */
TEST(report_events, a_reader_gone_is_named, .timeout = 60)
{
    char *dir = st_tmpdir(), *ctrf, *said;
    const char *args[] = {"--filter", "json/passes", "--json", "-", "--ctrf",
                          NULL, NULL};
    struct st_run r;
    pid_t pid;

    st_need_jsonschema(true);
    ASSERT_NOT_NULL(dir);
    ctrf = st_format("%s/ctrf.json", dir);
    args[5] = ctrf;
    pid = st_start_fixture_with(&r, "json_events", args, NULL, closed_stdout,
                                NULL);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(st_wait_until(&r, pid, 30.0), 0);
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "cannot write JSON event stream '-': "
                                  "Broken pipe (the reader of stdout went "
                                  "away"), "%s", r.err);
    EXPECT_NULL(strstr(r.err, "free some space"), "%s", r.err);
    said = st_json_check("ctrf", ST_CTRF_SCHEMA, ctrf);
    EXPECT_TRUE(st_has_line(said, "test json/passes passed PASS"), "%s",
                said);
    free(said);
    free(ctrf);
    st_free(&r);
    st_rmtree(dir);
}
