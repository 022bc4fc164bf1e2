// SPDX-License-Identifier: MIT
// child_test.c — selftests of what happens inside a test process: setup,
// body and teardown in order and in that one process (teardown also after
// ASSERT_ and SKIP), the SIGALRM watchdog with a sub-second timeout, core
// dumps off unless --core-dumps, and --no-fork running tests in the
// runner's own process instead. Verdicts and output are read from the
// reports (outcomes.h).
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "outcomes.h"

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
    struct st_launch launch = {.env = env};
    struct st_outcomes o;
    pid_t runner;
    char *log;

    ASSERT_NOT_NULL(dir);
    runner = st_outcomes_start(&o, "setup_teardown", &launch);
    ASSERT_EQ(st_outcomes_finish(&o, runner), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.tap);
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
    st_expect_outcome(&o, "setup_teardown/no_setup", "PASS", "", "", NULL,
                      NULL);
    st_expect_outcome(&o, "setup_teardown/around_body", "PASS", "", "",
                      NULL, NULL);
    /* Teardown's check passed after SKIP(), so it is still a skip. */
    st_expect_outcome(&o, "setup_teardown/after_skip", "SKIP", NULL, "",
                      NULL, NULL);
    free(log);
    free(env_log);
    free(log_path);
    st_rmtree(dir);
    st_outcomes_free(&o);
}

TEST(child, teardown_runs_after_an_assert_failure)
{
    static const char *const args[] = {"--test",
                                       "setup_teardown/after_assert", NULL};
    struct st_outcomes o;
    char *where = st_where("setup_teardown.c", "mark:after_assert");
    char *failure = st_format("%s: ASSERT_EQ(strlen(\"abc\"), 4) failed: "
                              "expected strlen(\"abc\") == 4, but "
                              "strlen(\"abc\") is 3", where);
    char *failures = st_format("%s\n", failure);

    ASSERT_EQ(st_outcomes(&o, "setup_teardown", args, NULL), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1);
    /* The teardown's marker follows the failure. */
    st_expect_outcome(&o, "setup_teardown/after_assert", "FAIL", failure,
                      failures,
                      "marker: after_assert setup\n"
                      "marker: after_assert body\n"
                      "marker: after_assert teardown\n", "");
    free(failures);
    free(failure);
    free(where);
    st_outcomes_free(&o);
}

TEST(child, a_failed_setup_skips_the_body_not_the_teardown)
{
    static const char *const args[] = {"--test", "setup_teardown/setup_fails",
                                       NULL};
    struct st_outcomes o;
    const struct st_outcome *t;
    char *where = st_where("setup_teardown.c", "mark:setup_fails");
    char *failure = st_format("%s: ASSERT_EQ(state, 1) failed: expected state "
                              "== 1, but state is 0 -- setup fails on "
                              "purpose", where);

    ASSERT_EQ(st_outcomes(&o, "setup_teardown", args, NULL), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1);
    t = st_outcome(&o, "setup_teardown/setup_fails");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL");
    /* The reason is setup's failure; teardown's own check comes second,
     * in the reason too. */
    EXPECT_EQ(strncmp(t->reason, failure, strlen(failure)), 0, "%s",
              t->reason);
    EXPECT_NOT_NULL(strstr(t->reason, "; teardown failed: "), "%s",
                    t->reason);
    EXPECT_EQ(strncmp(t->failures, failure, strlen(failure)), 0, "%s",
              t->failures);
    EXPECT_EQ(st_count(t->failures, "/"), (size_t)2, "%s", t->failures);
    EXPECT_NOT_NULL(strstr(t->out, "marker: setup_fails teardown\n"), "%s",
                    t->out);
    EXPECT_NULL(strstr(t->out, "marker: setup_fails body"), "%s", t->out);
    free(failure);
    free(where);
    st_outcomes_free(&o);
}

TEST(child, watchdog_honours_a_sub_second_timeout, .timeout = 30)
{
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "infinite_loop", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "infinite_loop/spins", "TIMEOUT",
                      "exceeded 0.3 s timeout", "", "", "");
    t = st_outcome(&o, "infinite_loop/spins");
    ASSERT_NOT_NULL(t);
    /* Ended by its own SIGALRM at 0.3 s: neither rounded up to a second
     * nor left to the runner's kill one second later. */
    EXPECT_GE(t->seconds, 0.29);
    EXPECT_LT(t->seconds, 0.9);
    st_outcomes_free(&o);
}

TEST(child, no_fork_runs_tests_in_the_runner_one_by_one)
{
    static const char *const args[] = {"--no-fork", NULL};
    struct st_launch launch = {.args = args};
    struct st_outcomes o;
    pid_t runner;
    char *first, *second;

    runner = st_outcomes_start(&o, "whoami", &launch);
    ASSERT_EQ(st_outcomes_finish(&o, runner), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s%s", o.run.out, o.run.err);
    st_expect_outcome(&o, "whoami/first", "PASS", "", "", NULL, NULL);
    st_expect_outcome(&o, "whoami/second", "PASS", "", "", NULL, NULL);
    /* Nothing is captured: each test's line reaches the runner's stdout
     * before its result does, in order, from the runner's pid, with
     * state carried over. */
    first = st_format("whoami first pid=%ld runs=1 core=", (long)runner);
    second = st_format("whoami second pid=%ld runs=2 core=", (long)runner);
    EXPECT_NOT_NULL(strstr(o.run.out, first), "%s", o.run.out);
    EXPECT_NOT_NULL(strstr(o.run.out, second), "%s", o.run.out);
    {
        const char *a = strstr(o.run.out, first),
                   *b = strstr(o.run.out, "whoami/first"),
                   *c = strstr(o.run.out, second),
                   *d = strstr(o.run.out, "whoami/second");

        EXPECT_TRUE(a && b && c && d && a < b && b < c && c < d, "%s",
                    o.run.out);
    }
    free(first);
    free(second);
    st_outcomes_free(&o);
}

/* pid_in returns the pid a whoami test printed ("whoami NAME pid=N"). */
static long
pid_in(const struct st_outcomes *o, const char *id, const char *name)
{
    const struct st_outcome *t = st_outcome(o, id);
    char *mark = st_format("whoami %s pid=", name);
    const char *at = t != NULL ? strstr(t->out, mark) : NULL;
    long pid = at != NULL ? strtol(at + strlen(mark), NULL, 10) : 0;

    EXPECT_NOT_NULL(at, "%s printed no pid: %s", id, t ? t->out : "");
    free(mark);
    return pid;
}

TEST(child, forked_tests_each_have_a_fresh_process)
{
    static const char *const env[] = {"WHOAMI_FAIL=1", NULL};
    struct st_launch launch = {.env = env};
    struct st_outcomes o;
    const struct st_outcome *t;
    pid_t runner;
    long p1, p2;

    runner = st_outcomes_start(&o, "whoami", &launch);
    ASSERT_EQ(st_outcomes_finish(&o, runner), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "whoami/first", "FAIL", NULL, NULL, NULL, NULL);
    st_expect_outcome(&o, "whoami/second", "FAIL", NULL, NULL, NULL, NULL);
    p1 = pid_in(&o, "whoami/first", "first");
    p2 = pid_in(&o, "whoami/second", "second");
    EXPECT_NE(p1, (long)runner);
    EXPECT_NE(p2, (long)runner);
    EXPECT_NE(p1, p2);
    t = st_outcome(&o, "whoami/second");
    ASSERT_NOT_NULL(t);
    EXPECT_NOT_NULL(strstr(t->out, " runs=1 "), "no state carried over: %s",
                    t->out);
    /* Core dumps are off in a test process by default. */
    t = st_outcome(&o, "whoami/first");
    ASSERT_NOT_NULL(t);
    EXPECT_NOT_NULL(strstr(t->out, " core=off\n"), "%s", t->out);
    st_outcomes_free(&o);
}

/* core_of returns what whoami/first printed (free it). */
static char *
core_of(const char *const *args, const char *const *env)
{
    struct st_outcomes o;
    const struct st_outcome *t;
    char *out;

    ASSERT_EQ(st_outcomes(&o, "whoami", args, env), 0, "%s", o.why);
    t = st_outcome(&o, "whoami/first");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    out = strdup(t->out);
    st_outcomes_free(&o);
    return out;
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
    char *out;

    /* This test's own process has core dumps off (cordon lowers the soft
     * limit): turn them back on for the fixture, as far as the hard limit
     * allows. */
    ASSERT_EQ(getrlimit(RLIMIT_CORE, &core), 0);
    if (core.rlim_max == 0)
        SKIP("the hard RLIMIT_CORE is 0 here, so no run can have core "
             "dumps on");
    core.rlim_cur = core.rlim_max;
    ASSERT_EQ(setrlimit(RLIMIT_CORE, &core), 0);
    out = core_of(args, env);
    EXPECT_NOT_NULL(strstr(out, " core=on\n"), "%s", out);
    free(out);
    /* The same environment without the flag: off. */
    out = core_of(NULL, env);
    EXPECT_NOT_NULL(strstr(out, " core=off\n"), "%s", out);
    free(out);
}
