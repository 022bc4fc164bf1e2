// SPDX-License-Identifier: MIT
// roles_test.c — selftests of what each process role keeps to itself: a
// worker lost between taking a test and starting it (the test is reported,
// and fails the run), a test's environment without the run's settings,
// and a test that writes its own tmpdir path to make its worker remove
// something else.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outcomes.h"

TEST(roles, a_test_its_worker_took_and_lost_is_reported)
{
    static const char *const args[] = {"-j1", NULL};
    static const char *const env[] = {"LOST_CLAIM=1", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "seam_lost_claim", args, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "lost_claim/first", "PASS", "", NULL, NULL, NULL);
    /* Lost while it was being forked: CRASH, naming its worker (never a
     * SKIP "not run" with no cause, which passed the run). */
    st_expect_word(&o, "lost_claim/second", "CRASH", "worker");
    st_expect_outcome(&o, "lost_claim/third", "PASS", "", NULL, NULL, NULL);
    st_outcomes_free(&o);
}

/* The runs a test's environment is checked in: forked, and in-process. */
static const struct env_run {
    const char *label;
    const char *args[4];
} env_runs[] = {
    {"forked", {"--filter", "test_env/sees*", NULL}},
    {"no_fork", {"--filter", "test_env/sees*", "--no-fork", NULL}},
};

TEST_P_LABELED(roles, a_test_does_not_inherit_the_run_s_settings, env_runs,
               label)
{
    const char *const *args = param->args;
    char *dir = st_tmpdir();
    char *nested = st_format("CORDON_JUNIT=%s/nested.xml", dir);
    const char *const env[] = {nested, "CORDON_FILTER=test_env/*",
                               "KEPT_VARIABLE=1", "CORDON_USERS_OWN=1",
                               NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "seam_test_env", args, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "%s%s", o.run.out, o.run.err);
    st_expect_outcome(&o, "test_env/sees_no_run_settings", "PASS", "", NULL,
                      NULL, NULL);
    st_outcomes_free(&o);
    free(nested);
    st_rmtree(dir);
}

TEST(roles, a_scribbled_tmpdir_path_removes_nothing_else)
{
    static const char *const args[] = {"--filter", "test_env/steers*",
                                       NULL};
    char *dir = st_tmpdir();
    char *victim = st_format("%s/victim", dir);
    char *precious = st_format("%s/precious", victim);
    char *victim_env = st_format("VICTIM=%s", victim);
    char *tmp_env = st_format("TMPDIR=%s", dir);
    const char *const env[] = {victim_env, tmp_env, NULL};
    struct st_outcomes o;
    struct stat st;

    ASSERT_EQ(mkdir(victim, 0700), 0);
    st_write_file(precious, "keep me\n");
    ASSERT_EQ(st_outcomes(&o, "seam_test_env", args, env), 0, "%s", o.why);
    st_expect_outcome(&o, "test_env/steers_its_tmpdir_removal", "PASS", "",
                      NULL, NULL, NULL);
    EXPECT_EQ(stat(precious, &st), 0, "the worker removed %s", precious);
    st_outcomes_free(&o);
    /* What the test left: its own directory, the victim and its file. */
    {
        char *cmd = st_format("rm -rf '%s'", dir), *out = NULL;

        st_shell(cmd, &out);
        free(cmd);
        free(out);
    }
    free(victim);
    free(precious);
    free(victim_env);
    free(tmp_env);
    free(dir);
}

TEST(roles, a_function_that_kills_its_isolate_keeper_is_told_apart)
{
    ST_NEEDS_SUBREAPER();
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "seam_isolate_kill", NULL, NULL), 0, "%s",
              o.why);
    /* Its checks of the call's result all pass; the function's process,
     * dead with its keeper before the test ended, was left running by
     * no one: the worker reaps it without counting it. */
    st_expect_outcome(&o, "isolate_kill/the_function_kills_its_keeper",
                      "PASS", "", "", NULL, NULL);
    st_outcomes_free(&o);
}

/* --retries reruns a teardown's ERROR, and not a test that killed its
 * worker (it is reported once). */
TEST(roles, retries_rerun_an_error_and_not_a_lost_supervisor)
{
    static const char *const args[] = {"-j1", "--retries", "2", NULL};
    char *dir = st_tmpdir();
    char *env_dir = st_format("RETRIES_DIR=%s", dir);
    const char *const env[] = {env_dir, NULL};
    char *path, *kills;
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "retries_rules", args, env), 0, "%s", o.why);
    st_expect_word(&o, "retries_rules/teardown_fails_once", "FLAKY",
                   "passed on attempt 2 of 3");
    st_expect_word(&o, "retries_rules/kills_its_worker", "CRASH",
                   "killed its supervisor");
    st_expect_word(&o, "retries_rules/runs_after", "PASS", NULL);
    path = st_format("%s/kills", dir);
    kills = st_read_file(path, NULL);
    EXPECT_STREQ(kills != NULL ? kills : "", "run\n", "run once");
    free(kills);
    unlink(path);
    free(path);
    path = st_format("%s/teardown", dir);
    unlink(path);
    free(path);
    st_outcomes_free(&o);
    free(env_dir);
    st_rmtree(dir);
}

/* A test that clears O_APPEND on its stdout writes from the start of its
 * own capture, with nothing of the previous test's. */
TEST(roles, a_capture_holds_only_what_its_test_wrote)
{
    static const char *const args[] = {"-j1", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "capture_offset", args, NULL), 0, "%s", o.why);
    st_expect_outcome(&o, "capture_offset/clears_o_append", "FAIL", NULL,
                      NULL, "mine\n", NULL);
    st_outcomes_free(&o);
}

/* A passing test's cordon_tmpdir() is removed whatever modes the test left
 * in it, when the run is no root's (root would not notice them). */
TEST(roles, a_locked_tmpdir_is_removed_all_the_same)
{
    struct st_as_user user = {65534, 4096};
    struct st_launch launch = {.open_dir = true, .prepare = st_become,
                               .arg = &user};
    char *dir, *tmp_env, *cmd, *out = NULL;
    struct st_outcomes o;

    if (geteuid() != 0)
        SKIP("needs root, to run the fixture as uid 65534 (root reads and "
             "removes any mode)");
    if (st_coverage_build())
        SKIP("a coverage build's processes write their counters into the "
             "build tree, which uid 65534 cannot");
    dir = st_tmpdir();
    ASSERT_EQ(chmod(dir, 0777), 0);
    tmp_env = st_format("TMPDIR=%s", dir);
    {
        const char *const env[] = {tmp_env, NULL};

        launch.env = env;
        ASSERT_EQ(st_outcomes_finish(&o, st_outcomes_start(&o, "tmpdir_modes",
                                                           &launch)),
                  0, "%s", o.why);
    }
    st_expect_word(&o, "tmpdir_modes/leaves_locked_directories", "PASS",
                   NULL);
    cmd = st_format("ls -A '%s'", dir);
    st_shell(cmd, &out);
    EXPECT_STREQ(out != NULL ? out : "", "", "left in TMPDIR");
    free(out);
    free(cmd);
    cmd = st_format("chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);
    st_shell(cmd, &out);
    free(out);
    free(cmd);
    free(tmp_env);
    free(dir);
    st_outcomes_free(&o);
}
