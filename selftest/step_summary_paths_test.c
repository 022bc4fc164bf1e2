// SPDX-License-Identifier: MIT
// step_summary_paths_test.c — selftests of where the GitHub step summary
// goes: a path that cannot be appended to is exit 2 before any test runs,
// and a FIFO nobody opens is given up after a signal, as a report is.
#include <cordon.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outcomes.h"

TEST(step_summary_paths, missing_directory_is_exit_2_before_the_run)
{
    char *dir = st_tmpdir(), *env, *want;
    const char *envs[3] = {"GITHUB_ACTIONS=true", NULL, NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    env = st_format("GITHUB_STEP_SUMMARY=%s/no/such/summary.md", dir);
    envs[1] = env;
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, envs), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NULL(strstr(r.out, "PASS"), "no test ran:\n%s", r.out);
    want = st_format("cordon: cannot append the GitHub step summary to "
                     "'%s/no/such/summary.md': No such file or directory "
                     "(GITHUB_STEP_SUMMARY must name a writable file; "
                     "--annotations=none writes none)\n", dir);
    EXPECT_STREQ(r.err, want);
    free(want);
    free(env);
    st_free(&r);
    st_rmtree(dir);
}

TEST(step_summary_paths, unread_fifo_is_given_up_after_a_signal,
     .timeout = 30)
{
    char *dir = st_tmpdir(), *fifo, *env;
    const char *envs[3] = {"GITHUB_ACTIONS=true", NULL, NULL};
    struct st_run r;
    double t0;
    pid_t pid;

    ASSERT_NOT_NULL(dir);
    fifo = st_format("%s/summary.fifo", dir);
    ASSERT_EQ(mkfifo(fifo, 0600), 0);
    env = st_format("GITHUB_STEP_SUMMARY=%s", fifo);
    envs[1] = env;
    pid = st_start_fixture(&r, "pass", NULL, envs);
    ASSERT_GT(pid, 0);
    st_sleep_ms(500);
    t0 = st_now();
    kill(pid, SIGTERM);
    st_wait_until(&r, pid, 10);
    EXPECT_FALSE(r.overran, "still blocked 10 s after SIGTERM");
    EXPECT_LT(st_now() - t0, 6.0);
    EXPECT_EQ(r.code, 128 + SIGTERM, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "given up after the interrupt"), "%s",
                    r.err);
    free(env);
    free(fifo);
    st_free(&r);
    st_rmtree(dir);
}
