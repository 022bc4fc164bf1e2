// SPDX-License-Identifier: MIT
// scheduler_test.c — selftests of the runner's loop: the deadline that
// ends a test which defeats its watchdog, output that is never held in
// memory nor allowed to block, up to --jobs tests at once, and many small
// tests reported in order. Verdicts are read from the reports
// (outcomes.h).
#include <cordon.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "outcomes.h"

TEST(scheduler, deadline_kills_a_test_that_defeats_sigalrm, .timeout = 30)
{
    static const char *const ids[] = {"ignores_sigalrm/ignores",
                                      "ignores_sigalrm/blocks"};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "ignores_sigalrm", NULL, NULL), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1);
    for (size_t i = 0; i < 2; i++) {
        const struct st_outcome *t = st_outcome(&o, ids[i]);

        ASSERT_NOT_NULL(t, "%s", o.tap);
        EXPECT_STREQ(t->word, "TIMEOUT", "%s", ids[i]);
        /* The watchdog at 0.3 s did nothing; the runner killed the
         * process group at timeout + 1 s of grace. */
        EXPECT_GE(t->seconds, 1.25, "%s", ids[i]);
        EXPECT_LT(t->seconds, 3.0, "%s", ids[i]);
        EXPECT_EQ(strncmp(t->reason, "exceeded 0.3 s timeout", 22), 0, "%s",
                  t->reason);
    }
    st_outcomes_free(&o);
}

TEST(scheduler, output_of_50mb_neither_blocks_nor_bloats, .timeout = 30)
{
    struct st_outcomes o;
    struct rusage ru;
    const struct st_outcome *t;
    const char *tail;

    ASSERT_EQ(st_outcomes(&o, "output_50mb", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "output_50mb/prints_and_passes", "PASS", "", "",
                      NULL, "");
    t = st_outcome(&o, "output_50mb/prints_and_fails");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL");
    /* The report holds the first and last 32 KiB of the 52428800 bytes,
     * the last line whole. */
    EXPECT_NOT_NULL(strstr(t->out, "\n[... cordon: 52363264 bytes of "
                                   "output omitted ...]\n"), "%.300s",
                    t->out);
    EXPECT_EQ(strncmp(t->out, "line 000000 ", 12), 0, "%.40s", t->out);
    tail = t->out + strlen(t->out);
    while (tail > t->out && tail[-1] == '\n')
        tail--;
    while (tail > t->out && tail[-1] != '\n')
        tail--;
    EXPECT_EQ(strncmp(tail, "line 524287 ", 12), 0, "%s", tail);
    st_outcomes_free(&o);
    /* The largest process below this test (the runner or one of its
     * tests) stayed far below the 100 MB printed: about 14 MB here, with
     * or without ASan. */
    ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
    EXPECT_LT(ru.ru_maxrss, 40L * 1024, "max RSS in KiB");
}

/* rendezvous runs the rendezvous fixture, whose three tests pass only when
 * all three run at once, waiting wait seconds for each other, and checks
 * that the runner exited with code. */
static void
rendezvous(struct st_outcomes *o, const char *const *args,
           const char *jobs_env, const char *wait, int code)
{
    char *dir = st_tmpdir();
    char *dir_env = st_format("RENDEZVOUS_DIR=%s", dir);
    char *wait_env = st_format("RENDEZVOUS_WAIT=%s", wait);
    const char *const env[] = {dir_env, wait_env, jobs_env, NULL};
    int rc = st_outcomes(o, "rendezvous", args, env);

    free(wait_env);
    free(dir_env);
    st_rmtree(dir);
    ASSERT_EQ(rc, 0, "%s", o->why);
    EXPECT_EQ(o->run.code, code, "%s", o->tap);
}

/* met says how many tests of a rendezvous run saw n of 3 at once. */
static size_t
met(const struct st_outcomes *o, int n)
{
    char *want = st_format("only %d of 3 tests ran at once", n);
    size_t count = 0;

    for (size_t i = 0; i < o->n; i++)
        count += strstr(o->tests[i].reason, want) != NULL;
    free(want);
    return count;
}

TEST(scheduler, jobs_bounds_the_tests_run_at_once, .timeout = 30)
{
    static const char *const j1[] = {"-j1", NULL};
    static const char *const j2[] = {"--jobs", "2", NULL};
    static const char *const j3[] = {"--jobs=3", NULL};
    struct st_outcomes o;

    rendezvous(&o, j1, NULL, "0.3", 1);
    EXPECT_EQ(met(&o, 1), (size_t)1, "%s", o.tap);
    EXPECT_EQ(met(&o, 2), (size_t)1, "%s", o.tap);
    st_expect_outcome(&o, "rendezvous/c", "PASS", NULL, NULL, NULL, NULL);
    st_outcomes_free(&o);

    /* Two at once: a and b meet but wait for c in vain (one of them may
     * still see c arrive when the other's slot frees up). */
    rendezvous(&o, j2, NULL, "0.3", 1);
    EXPECT_GE(met(&o, 2), (size_t)1, "%s", o.tap);
    EXPECT_EQ(met(&o, 1), (size_t)0, "%s", o.tap);
    st_expect_outcome(&o, "rendezvous/c", "PASS", NULL, NULL, NULL, NULL);
    st_outcomes_free(&o);

    rendezvous(&o, j3, NULL, "10", 0);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)3, "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(scheduler, jobs_from_the_environment, .timeout = 30)
{
    static const char *const j2[] = {"-j", "2", NULL};
    struct st_outcomes o;

    rendezvous(&o, NULL, "CORDON_JOBS=3", "10", 0);
    st_outcomes_free(&o);
    /* The flag wins over its twin. */
    rendezvous(&o, j2, "CORDON_JOBS=3", "0.3", 1);
    EXPECT_GE(met(&o, 2), (size_t)1, "%s", o.tap);
    st_outcomes_free(&o);
}

/* expect_many checks a run of the many fixture: its 1000 tests passed,
 * reported in order, t000 to t999. */
static void
expect_many(const struct st_outcomes *o)
{
    EXPECT_EQ(o->plan, 1000);
    ASSERT_EQ(o->n, (size_t)1000);
    EXPECT_EQ(st_outcome_count(o, "PASS"), (size_t)1000);
    for (size_t i = 0; i < o->n; i++) {
        char *want = st_format("many/t%03zu", i);
        bool same = strcmp(o->tests[i].id, want) == 0;

        EXPECT_TRUE(same, "test %zu is %s, not %s", i + 1, o->tests[i].id,
                    want);
        free(want);
        if (!same)
            break;
    }
}

TEST(scheduler, a_thousand_tests_all_run_in_order, .timeout = 30)
{
    static const char *const args[] = {"-j2", NULL};
    struct st_outcomes o;

    /* Their speed is measured by selftest/bench, against a bare fork loop
     * on the same machine, not by a wall-clock bound here. */
    ASSERT_EQ(st_outcomes(&o, "many", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0);
    expect_many(&o);
    st_outcomes_free(&o);
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
    struct st_outcomes o;

    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &few), 0);
    ASSERT_EQ(st_outcomes(&o, "many", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.err);
    expect_many(&o);
    st_outcomes_free(&o);
}

/* only_stdio_and_7_fds leaves the fixture fds 0-2 and room for 4 more:
 * the runner's spool and result pipe fit, its signal pipe does not. A
 * worker needs fewer of the runner's limit than the runner itself (it
 * closes the runner's pipes and keeps its capture files on 0-2). */
static void
only_stdio_and_7_fds(void *arg)
{
    struct rlimit few = {7, 7};

    (void)arg;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    setrlimit(RLIMIT_NOFILE, &few);
}

TEST(scheduler, too_few_descriptors_for_the_runner_is_exit_2)
{
    static const char *const args[] = {"-j", "2", NULL};
    struct st_launch launch = {.args = args, .tap_only = true,
                               .prepare = only_stdio_and_7_fds};
    struct st_outcomes o;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "many", &launch));
    EXPECT_EQ(o.run.code, 2);
    EXPECT_STREQ(o.run.err, "cordon: cannot create the runner's pipe: Too "
                            "many open files (raise the open-file limit)\n");
    /* The report still says what happened to each test: not run. */
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.n, (size_t)1000);
    EXPECT_EQ(st_outcome_count(&o, "SKIP"), (size_t)1000, "%.500s", o.tap);
    st_outcomes_free(&o);
}
