// SPDX-License-Identifier: MIT
// scheduler_test.c — selftests of the runner's loop: the deadline that
// ends a test which defeats its watchdog, output that is never held in
// memory nor allowed to block, up to --jobs tests at once, and many small
// tests reported in order.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "support.h"

TEST(scheduler, deadline_kills_a_test_that_defeats_sigalrm, .timeout = 30)
{
    static const char *const ids[] = {"ignores_sigalrm/ignores",
                                      "ignores_sigalrm/blocks"};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "ignores_sigalrm", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    for (size_t i = 0; i < 2; i++) {
        char *prefix = st_format("TIMEOUT %s  ", ids[i]);
        char *line = st_line(r.out, prefix);
        char *d = st_details(r.out, prefix);

        ASSERT_NOT_NULL(line, "%s", r.out);
        /* The watchdog at 0.3 s did nothing; the runner killed the
         * process group at timeout + 1 s of grace. */
        EXPECT_GE(st_seconds(line), 1.25, "%s", line);
        EXPECT_LT(st_seconds(line), 3.0, "%s", line);
        EXPECT_EQ(strncmp(d, "      exceeded 0.3 s timeout", 28), 0, "%s", d);
        free(d);
        free(line);
        free(prefix);
    }
    st_free(&r);
}

TEST(scheduler, output_of_50mb_neither_blocks_nor_bloats, .timeout = 30)
{
    struct st_run r;
    struct rusage ru;
    char *d, *last;

    ASSERT_EQ(st_run_fixture(&r, "output_50mb", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(st_count(r.out, "PASS  output_50mb/prints_and_passes  "),
              (size_t)1, "%s", r.out);
    d = st_details(r.out, "FAIL  output_50mb/prints_and_fails  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_TRUE(st_has_line(d, "      stdout (last 40 lines of 52428800 "
                               "bytes):"), "%.300s", d);
    EXPECT_EQ(st_count(d, "      | line "), (size_t)40);
    last = st_last_line(d);
    EXPECT_EQ(strncmp(last, "      | line 524287 ", 20), 0, "%s", last);
    free(last);
    free(d);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 1 passed, 1 failed, 0 skipped");
    free(last);
    /* The largest process below this test (the runner or one of its
     * tests) stayed far below the 100 MB printed: about 14 MB here, with
     * or without ASan. */
    ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
    EXPECT_LT(ru.ru_maxrss, 40L * 1024, "max RSS in KiB");
    st_free(&r);
}

/* rendezvous runs the rendezvous fixture, whose three tests pass only when
 * all three run at once, waiting wait seconds for each other. */
static void
rendezvous(struct st_run *r, const char *const *args, const char *jobs_env,
           const char *wait)
{
    char *dir = st_tmpdir();
    char *dir_env = st_format("RENDEZVOUS_DIR=%s", dir);
    char *wait_env = st_format("RENDEZVOUS_WAIT=%s", wait);
    const char *const env[] = {dir_env, wait_env, jobs_env, NULL};

    if (st_run_fixture(r, "rendezvous", args, env) != 0)
        r->code = -1;
    free(wait_env);
    free(dir_env);
    st_rmtree(dir);
}

TEST(scheduler, jobs_bounds_the_tests_run_at_once, .timeout = 30)
{
    static const char *const j1[] = {"-j1", NULL};
    static const char *const j2[] = {"--jobs", "2", NULL};
    static const char *const j3[] = {"--jobs=3", NULL};
    struct st_run r;

    rendezvous(&r, j1, NULL, "0.3");
    EXPECT_EQ(r.code, 1);
    EXPECT_NOT_NULL(strstr(r.out, "only 1 of 3 tests ran at once"), "%s",
                    r.out);
    EXPECT_NOT_NULL(strstr(r.out, "only 2 of 3 tests ran at once"), "%s",
                    r.out);
    EXPECT_EQ(st_count(r.out, "PASS  rendezvous/c  "), (size_t)1);
    st_free(&r);

    /* Two at once: a and b meet but wait for c in vain (one of them may
     * still see c arrive when the other's slot frees up). */
    rendezvous(&r, j2, NULL, "0.3");
    EXPECT_EQ(r.code, 1);
    EXPECT_NOT_NULL(strstr(r.out, "only 2 of 3 tests ran at once"), "%s",
                    r.out);
    EXPECT_NULL(strstr(r.out, "only 1 of 3"), "%s", r.out);
    EXPECT_EQ(st_count(r.out, "PASS  rendezvous/c  "), (size_t)1);
    st_free(&r);

    rendezvous(&r, j3, NULL, "10");
    EXPECT_EQ(r.code, 0, "%s", r.out);
    EXPECT_EQ(st_count(r.out, "PASS  rendezvous/"), (size_t)3);
    st_free(&r);
}

TEST(scheduler, jobs_from_the_environment, .timeout = 30)
{
    static const char *const j2[] = {"-j", "2", NULL};
    struct st_run r;

    rendezvous(&r, NULL, "CORDON_JOBS=3", "10");
    EXPECT_EQ(r.code, 0, "%s", r.out);
    st_free(&r);
    /* The flag wins over its twin. */
    rendezvous(&r, j2, "CORDON_JOBS=3", "0.3");
    EXPECT_EQ(r.code, 1, "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "only 2 of 3 tests ran at once"), "%s",
                    r.out);
    st_free(&r);
}

TEST(scheduler, a_thousand_tests_all_run_in_order, .timeout = 30)
{
    static const char *const args[] = {"-j2", NULL};
    struct st_run r;
    char *last;
    const char *at;

    /* Their speed is measured by selftest/bench, against a bare fork loop
     * on the same machine, not by a wall-clock bound here. */
    ASSERT_EQ(st_run_fixture(&r, "many", args, NULL), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(st_count(r.out, "PASS  many/t"), (size_t)1000);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 1000 passed, 0 failed, 0 skipped");
    free(last);
    /* Reported in order, t000 to t999. */
    at = r.out;
    for (int i = 0; i < 1000 && at != NULL; i++) {
        char *want = st_format("PASS  many/t%03d  ", i);

        at = strstr(at, want);
        EXPECT_NOT_NULL(at, "%s missing or out of order", want);
        free(want);
    }
    st_free(&r);
}

/* More slots than descriptors is a setup error with the fix named, not a
 * crash or a half-run. The limit is set in this test's own process and
 * inherited by the fixture. */
TEST(scheduler, many_jobs_need_few_descriptors_in_the_runner)
{
    /* Each worker opens its own capture files: 40 jobs fit in 64
     * descriptors, where one runner holding every slot's files did not. */
    static const char *const args[] = {"-j", "40", NULL};
    struct rlimit few = {64, 64};
    struct st_run r;
    char *last;

    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &few), 0);
    ASSERT_EQ(st_run_fixture(&r, "many", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 1000 passed, 0 failed, 0 skipped");
    free(last);
    st_free(&r);
}

/* only_stdio_and_8_fds leaves the fixture fds 0-2 and room for 5 more:
 * what the runner needs (spool, result pipe, signal pipe), not what a
 * worker needs besides (capture files, /dev/null). */
static void
only_stdio_and_8_fds(void *arg)
{
    struct rlimit few = {8, 8};

    (void)arg;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    setrlimit(RLIMIT_NOFILE, &few);
}

TEST(scheduler, too_few_descriptors_for_a_worker_is_exit_2)
{
    static const char *const args[] = {"-j", "2", NULL};
    struct st_run r;
    char *last;
    pid_t pid;

    pid = st_start_fixture_with(&r, "many", args, NULL, only_stdio_and_8_fds,
                                NULL);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(st_wait(&r, pid), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: cannot set up 2 test slots: Too many open "
                        "files (lower --jobs, or raise the open-file "
                        "limit)\n");
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 0 passed, 0 failed, 1000 skipped");
    free(last);
    st_free(&r);
}
