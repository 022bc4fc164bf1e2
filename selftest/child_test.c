// SPDX-License-Identifier: MIT
// child_test.c — selftests of what happens inside a test process: setup,
// body and teardown in order and in that one process (teardown also after
// ASSERT_ and SKIP), the SIGALRM watchdog with a sub-second timeout, core
// dumps off unless --core-dumps, and --no-fork running tests in the
// runner's own process instead.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "support.h"

/* phases_of returns the phases the setup_teardown fixture logged for test
 * name, space-separated in the order they ran ("setup body teardown"), and
 * sets *pid to the process they ran in (-1 when not all in one). */
static char *
phases_of(const char *log, const char *name, long *pid)
{
    char *out = calloc(1, strlen(log) + 1);
    size_t n = strlen(name);

    *pid = 0;
    for (const char *p = log; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        char phase[64];
        long who;

        if (strncmp(p, name, n) == 0 && p[n] == ' ' &&
            sscanf(p + n + 1, "%63s %ld", phase, &who) == 2) {
            if (*out != '\0')
                strcat(out, " ");
            strcat(out, phase);
            *pid = (*pid == 0 || *pid == who) ? who : -1;
        }
        p = nl ? nl + 1 : NULL;
    }
    return out;
}

TEST(child, setup_body_teardown_run_in_the_test_process)
{
    char *dir = st_tmpdir();
    char *log_path = st_format("%s/log", dir);
    char *env_log = st_format("SETUP_TEARDOWN_LOG=%s", log_path);
    const char *const env[] = {env_log, NULL};
    static const struct {
        const char *name, *phases;
    } want[] = {
        {"around_body", "setup body teardown"},
        {"after_assert", "setup body teardown"},
        {"after_skip", "setup body teardown"},
        {"setup_fails", "setup teardown"},
    };
    long pids[4];
    struct st_run r;
    pid_t runner;
    char *log;

    ASSERT_NOT_NULL(dir);
    runner = st_start_fixture(&r, "setup_teardown", NULL, env);
    ASSERT_EQ(st_wait(&r, runner), 0);
    EXPECT_EQ(r.code, 1, "%s", r.out);
    log = st_read_file(log_path, NULL);
    ASSERT_NOT_NULL(log);
    for (size_t i = 0; i < 4; i++) {
        char *phases = phases_of(log, want[i].name, &pids[i]);

        EXPECT_STREQ(phases, want[i].phases, "test %s; log:\n%s",
                     want[i].name, log);
        EXPECT_GT(pids[i], 0, "%s ran in one process", want[i].name);
        EXPECT_NE(pids[i], (long)runner, "%s ran in the runner",
                  want[i].name);
        for (size_t j = 0; j < i; j++)
            EXPECT_NE(pids[i], pids[j], "each test has its own process");
        free(phases);
    }
    EXPECT_NULL(strstr(log, "not reached"), "%s", log);
    /* Setup's state is the test process's own: the next test, without a
     * setup, still sees the initial value. */
    EXPECT_EQ(st_count(r.out, "PASS  setup_teardown/no_setup  "), (size_t)1,
              "%s", r.out);
    EXPECT_EQ(st_count(r.out, "PASS  setup_teardown/around_body  "),
              (size_t)1, "%s", r.out);
    /* Teardown's check passed after SKIP(), so it is still a skip. */
    EXPECT_EQ(st_count(r.out, "SKIP  setup_teardown/after_skip  "), (size_t)1,
              "%s", r.out);
    free(log);
    free(env_log);
    free(log_path);
    st_rmtree(dir);
    st_free(&r);
}

TEST(child, teardown_runs_after_an_assert_failure)
{
    static const char *const args[] = {"--test",
                                       "setup_teardown/after_assert", NULL};
    struct st_run r;
    char *where = st_where("setup_teardown.c", "mark:after_assert");
    char *want = st_format("      %s: ASSERT_EQ(strlen(\"abc\"), 4) failed: "
                           "strlen(\"abc\") is 3, expected 4\n"
                           "      stdout (83 bytes):\n"
                           "      | marker: after_assert setup\n"
                           "      | marker: after_assert body\n"
                           "      | marker: after_assert teardown\n", where);
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "setup_teardown", args, NULL), 0);
    EXPECT_EQ(r.code, 1);
    d = st_details(r.out, "FAIL  setup_teardown/after_assert  ");
    EXPECT_STREQ(d, want, "the teardown's marker follows the failure");
    free(d);
    free(want);
    free(where);
    st_free(&r);
}

TEST(child, a_failed_setup_skips_the_body_not_the_teardown)
{
    static const char *const args[] = {"--test", "setup_teardown/setup_fails",
                                       NULL};
    struct st_run r;
    char *where = st_where("setup_teardown.c", "mark:setup_fails");
    char *want = st_format("      %s: ASSERT_EQ(state, 1) failed: state is 0, "
                           "expected 1 -- setup fails on purpose\n", where);
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "setup_teardown", args, NULL), 0);
    EXPECT_EQ(r.code, 1);
    d = st_details(r.out, "FAIL  setup_teardown/setup_fails  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    /* The reason is setup's failure; teardown's own check comes second. */
    EXPECT_EQ(strncmp(d, want, strlen(want)), 0, "%s", d);
    EXPECT_NOT_NULL(strstr(d, "      | marker: setup_fails teardown\n"), "%s",
                    d);
    EXPECT_NULL(strstr(d, "| marker: setup_fails body"), "%s", d);
    free(d);
    free(want);
    free(where);
    st_free(&r);
}

TEST(child, watchdog_honours_a_sub_second_timeout, .timeout = 30)
{
    struct st_run r;
    char *line, *d;

    ASSERT_EQ(st_run_fixture(&r, "infinite_loop", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    line = st_line(r.out, "TIMEOUT infinite_loop/spins  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    /* Ended by its own SIGALRM at 0.3 s: neither rounded up to a second
     * nor left to the runner's kill one second later. */
    EXPECT_GE(st_seconds(line), 0.29, "%s", line);
    EXPECT_LT(st_seconds(line), 0.9, "%s", line);
    d = st_details(r.out, "TIMEOUT infinite_loop/spins  ");
    EXPECT_STREQ(d, "      exceeded 0.3 s timeout\n");
    free(d);
    free(line);
    st_free(&r);
}

TEST(child, no_fork_runs_tests_in_the_runner_one_by_one)
{
    static const char *const args[] = {"--no-fork", NULL};
    struct st_run r;
    pid_t runner;
    char *first, *second;

    runner = st_start_fixture(&r, "whoami", args, NULL);
    ASSERT_EQ(st_wait(&r, runner), 0);
    EXPECT_EQ(r.code, 0, "%s%s", r.out, r.err);
    /* Nothing is captured: each test's line comes just before its result,
     * in order, from the runner's pid, with state carried over. */
    first = st_format("whoami first pid=%ld runs=1 core=", (long)runner);
    second = st_format("whoami second pid=%ld runs=2 core=", (long)runner);
    EXPECT_NOT_NULL(strstr(r.out, first), "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, second), "%s", r.out);
    {
        const char *a = strstr(r.out, first), *b = strstr(r.out, "PASS  "
                                                          "whoami/first"),
                   *c = strstr(r.out, second),
                   *d = strstr(r.out, "PASS  whoami/second");

        EXPECT_TRUE(a && b && c && d && a < b && b < c && c < d, "%s",
                    r.out);
    }
    free(first);
    free(second);
    st_free(&r);
}

TEST(child, forked_tests_each_have_a_fresh_process)
{
    static const char *const env[] = {"WHOAMI_FAIL=1", NULL};
    struct st_run r;
    pid_t runner;
    long p1 = 0, p2 = 0;
    char *d1, *d2, *at;

    runner = st_start_fixture(&r, "whoami", NULL, env);
    ASSERT_EQ(st_wait(&r, runner), 0);
    EXPECT_EQ(r.code, 1);
    d1 = st_details(r.out, "FAIL  whoami/first  ");
    d2 = st_details(r.out, "FAIL  whoami/second  ");
    ASSERT_NOT_NULL(d1, "%s", r.out);
    ASSERT_NOT_NULL(d2, "%s", r.out);
    at = strstr(d1, "| whoami first pid=");
    ASSERT_NOT_NULL(at, "%s", d1);
    p1 = strtol(at + strlen("| whoami first pid="), NULL, 10);
    at = strstr(d2, "| whoami second pid=");
    ASSERT_NOT_NULL(at, "%s", d2);
    p2 = strtol(at + strlen("| whoami second pid="), NULL, 10);
    EXPECT_NE(p1, (long)runner);
    EXPECT_NE(p2, (long)runner);
    EXPECT_NE(p1, p2);
    EXPECT_NOT_NULL(strstr(d2, " runs=1 "), "no state carried over: %s", d2);
    /* Core dumps are off in a test process by default. */
    EXPECT_NOT_NULL(strstr(d1, " core=off\n"), "%s", d1);
    free(d1);
    free(d2);
    st_free(&r);
}

TEST(child, core_dumps_stay_on_with_core_dumps)
{
    static const char *const args[] = {"--core-dumps", NULL};
    /* ASan turns core dumps off in every process it starts, unless told
     * not to (the fixture crashes nothing, so no core is written). */
    static const char *const env[] = {
        "WHOAMI_FAIL=1", "ASAN_OPTIONS=disable_coredump=0:detect_leaks=0",
        NULL};
    struct rlimit core;
    struct st_run r;
    char *d;

    /* This test's own process has core dumps off (cordon lowers the soft
     * limit): turn them back on for the fixture, as far as the hard limit
     * allows. */
    ASSERT_EQ(getrlimit(RLIMIT_CORE, &core), 0);
    if (core.rlim_max == 0)
        SKIP("the hard RLIMIT_CORE is 0 here, so no run can have core "
             "dumps on");
    core.rlim_cur = core.rlim_max;
    ASSERT_EQ(setrlimit(RLIMIT_CORE, &core), 0);
    ASSERT_EQ(st_run_fixture(&r, "whoami", args, env), 0);
    d = st_details(r.out, "FAIL  whoami/first  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_NOT_NULL(strstr(d, " core=on\n"), "%s", d);
    free(d);
    st_free(&r);
    /* The same environment without the flag: off. */
    ASSERT_EQ(st_run_fixture(&r, "whoami", NULL, env), 0);
    d = st_details(r.out, "FAIL  whoami/first  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_NOT_NULL(strstr(d, " core=off\n"), "%s", d);
    free(d);
    st_free(&r);
}
