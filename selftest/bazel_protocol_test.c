// SPDX-License-Identifier: MIT
// bazel_protocol_test.c — selftests of the test-engine protocol
// (src/testenv.c) with the variables Bazel and GoogleTest set, simulated:
// sharding (TEST_ and GTEST_ pairs, and --shard) deals every test to
// exactly one shard; a bad pair is exit 2 before any file is touched; the
// status file is touched and the premature-exit file lives exactly as
// long as the run; TESTBRIDGE_TEST_ONLY filters; XML_OUTPUT_FILE is a
// default --junit; every test process gets its own TMPDIR under
// TEST_TMPDIR. The fixture is fixtures/bazel_protocol.c.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#define FIXTURE "bazel_protocol"
#define NTESTS 7

/* remove_tree removes path and everything under it, then frees path: the
 * per-test TMPDIRs are a level deeper than st_rmtree goes. */
static void
remove_tree(char *path)
{
    DIR *dir = opendir(path);
    struct dirent *d;
    struct stat st;

    while (dir != NULL && (d = readdir(dir)) != NULL) {
        char *child;

        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
            continue;
        child = st_format("%s/%s", path, d->d_name);
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(child);
        else {
            unlink(child);
            free(child);
        }
    }
    if (dir != NULL)
        closedir(dir);
    rmdir(path);
    free(path);
}

/* run_tap runs the fixture with args and env and reads its TAP report.
 * No JUnit report is asked for: --junit would take the place of
 * XML_OUTPUT_FILE, which some of these runs are about. */
static void
run_tap(struct st_outcomes *o, const char *const *args,
        const char *const *env)
{
    struct st_launch launch = {.args = args, .env = env, .tap_only = true};

    ASSERT_EQ(st_outcomes_finish(o, st_outcomes_start(o, FIXTURE, &launch)),
              0, "%s", o->why);
}

/* ran appends to ids ("\n"-separated, starting with "\n") the id of every
 * test a run reports, whatever its outcome. */
static void
ran(char **ids, const struct st_outcomes *o)
{
    char *listed = st_outcomes_ids(o, NULL);
    char *more = st_format("%s%s", *ids, listed);

    free(listed);
    free(*ids);
    *ids = more;
}

/* occurrences counts id in a list made by ran(). */
static size_t
occurrences(const char *ids, const char *id)
{
    char *needle = st_format("\n%s\n", id);
    size_t n = 0;

    for (const char *p = ids; (p = strstr(p, needle)) != NULL; p++)
        n++;
    free(needle);
    return n;
}

/* check_union runs shard k of n for k in 0..n-1, with the environment
 * that make_env(k, n) returns, and checks the union of what the shards
 * ran is every test exactly once. */
static void
check_union(size_t n, char **(*make_env)(size_t k, size_t n, const char *dir),
            const char *const *(*make_args)(size_t k, size_t n))
{
    struct st_run r;
    char *dir = st_tmpdir(), *all = strdup("\n");
    char *status = st_format("%s/status", dir);

    ASSERT_EQ(st_run_fixture(&r, FIXTURE, (const char *[]){"--list", NULL},
                             NULL), 0);
    ASSERT_EQ(r.code, 0, "stderr: %s", r.err);
    for (size_t k = 0; k < n; k++) {
        char **env = make_env(k, n, dir);
        struct st_outcomes s;

        run_tap(&s, make_args(k, n), (const char *const *)env);
        EXPECT_EQ(s.run.code, 0, "shard %zu of %zu: %s", k, n, s.run.err);
        ran(&all, &s);
        st_outcomes_free(&s);
        for (size_t i = 0; env[i] != NULL; i++)
            free(env[i]);
        free(env);
    }
    for (const char *p = r.out; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        char *id = strndup(p, nl ? (size_t)(nl - p) : strlen(p));

        EXPECT_EQ(occurrences(all, id), (size_t)1, "'%s' over %zu shards",
                  id, n);
        free(id);
        p = nl ? nl + 1 : p + strlen(p);
    }
    EXPECT_EQ(st_count(r.out, ""), (size_t)NTESTS);
    EXPECT_EQ(st_count(all + 1, ""), (size_t)NTESTS, "ran:%s", all);
    free(status);
    free(all);
    st_free(&r);
    remove_tree(dir);
}

static const char *const *
no_args(size_t k, size_t n)
{
    (void)k;
    (void)n;
    return NULL;
}

/* bazel_env is what Bazel sets for shard k of n of a test. */
static char **
bazel_env(size_t k, size_t n, const char *dir)
{
    char **env = calloc(7, sizeof *env);

    env[0] = st_format("TEST_TOTAL_SHARDS=%zu", n);
    env[1] = st_format("TEST_SHARD_INDEX=%zu", k);
    env[2] = st_format("TEST_SHARD_STATUS_FILE=%s/status%zu", dir, k);
    env[3] = st_format("TEST_PREMATURE_EXIT_FILE=%s/premature%zu", dir, k);
    env[4] = st_format("TEST_TMPDIR=%s", dir);
    env[5] = st_format("XML_OUTPUT_FILE=%s/test%zu.xml", dir, k);
    return env;
}

static char **
gtest_env(size_t k, size_t n, const char *dir)
{
    char **env = calloc(3, sizeof *env);

    (void)dir;
    env[0] = st_format("GTEST_TOTAL_SHARDS=%zu", n);
    env[1] = st_format("GTEST_SHARD_INDEX=%zu", k);
    return env;
}

static char **
empty_env(size_t k, size_t n, const char *dir)
{
    (void)k;
    (void)n;
    (void)dir;
    return calloc(1, sizeof(char *));
}

static const char *const *
shard_args(size_t k, size_t n)
{
    static char spec[32];
    static const char *args[] = {"--shard", spec, NULL};

    snprintf(spec, sizeof spec, "%zu/%zu", k + 1, n);
    return args;
}

TEST(bazel_protocol, test_shards_cover_every_test_once)
{
    for (size_t n = 1; n <= 4; n++)
        check_union(n, bazel_env, no_args);
}

TEST(bazel_protocol, gtest_shards_cover_every_test_once)
{
    check_union(3, gtest_env, no_args);
    check_union(NTESTS + 2, gtest_env, no_args);
}

TEST(bazel_protocol, shard_flag_counts_from_one)
{
    check_union(3, empty_env, shard_args);
}

TEST(bazel_protocol, status_file_touched_and_premature_file_removed)
{
    char *dir = st_tmpdir();
    char *status = st_format("%s/status", dir);
    char *premature = st_format("%s/premature", dir);
    char *e1 = st_format("TEST_SHARD_STATUS_FILE=%s", status);
    char *e2 = st_format("TEST_PREMATURE_EXIT_FILE=%s", premature);
    char *e3 = st_format("PREMATURE_FILE=%s", premature);
    const char *const env[] = {e1, e2, e3, "TEST_TOTAL_SHARDS=2",
                               "TEST_SHARD_INDEX=0", NULL};
    struct st_outcomes o;

    run_tap(&o, NULL, env);
    EXPECT_EQ(o.run.code, 0, "%s%s", o.run.out, o.run.err);
    EXPECT_EQ(access(status, F_OK), 0, "status file not touched");
    EXPECT_NE(access(premature, F_OK), 0, "premature-exit file left");
    /* The fixture's engine/premature_exit_file_exists_while_running is in
     * shard 0 of 2 (the fifth test) and saw the file during the run. */
    st_expect_outcome(&o, "engine/premature_exit_file_exists_while_running",
                      "PASS", NULL, NULL, NULL, NULL);
    st_outcomes_free(&o);
    free(e1);
    free(e2);
    free(e3);
    free(status);
    free(premature);
    remove_tree(dir);
}

/* usage_error runs the fixture with env and checks exit 2, a one-line
 * message naming want, and no status file. */
static void
usage_error(const char *const *env, const char *want)
{
    char *dir = st_tmpdir();
    char *status = st_format("%s/status", dir);
    char *e = st_format("TEST_SHARD_STATUS_FILE=%s", status);
    const char *all[8] = {e};
    size_t n = 1;
    struct st_run r;

    for (size_t i = 0; env[i] != NULL && n < 7; i++)
        all[n++] = env[i];
    all[n] = NULL;
    ASSERT_EQ(st_run_fixture(&r, FIXTURE, NULL, all), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE, "%s", r.out);
    EXPECT_EQ(st_count(r.err, "cordon: "), (size_t)1, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, want), "%s", r.err);
    EXPECT_STREQ(r.out, "");
    EXPECT_NE(access(status, F_OK), 0, "status file touched on error");
    st_free(&r);
    free(e);
    free(status);
    remove_tree(dir);
}

TEST(bazel_protocol, half_a_pair_is_a_usage_error)
{
    usage_error((const char *[]){"TEST_TOTAL_SHARDS=3", NULL},
                "TEST_TOTAL_SHARDS is set but TEST_SHARD_INDEX is not");
    usage_error((const char *[]){"TEST_SHARD_INDEX=0", NULL},
                "TEST_SHARD_INDEX is set but TEST_TOTAL_SHARDS is not");
    usage_error((const char *[]){"GTEST_SHARD_INDEX=1", NULL},
                "GTEST_SHARD_INDEX is set but GTEST_TOTAL_SHARDS is not");
}

TEST(bazel_protocol, bad_numbers_are_usage_errors)
{
    usage_error((const char *[]){"TEST_TOTAL_SHARDS=3", "TEST_SHARD_INDEX=3",
                                 NULL},
                "TEST_SHARD_INDEX: '3' is not a shard of TEST_TOTAL_SHARDS=3");
    usage_error((const char *[]){"TEST_TOTAL_SHARDS=3", "TEST_SHARD_INDEX=-1",
                                 NULL},
                "TEST_SHARD_INDEX: '-1'");
    usage_error((const char *[]){"GTEST_TOTAL_SHARDS=0",
                                 "GTEST_SHARD_INDEX=0", NULL},
                "GTEST_TOTAL_SHARDS: '0' is not a number of shards");
    usage_error((const char *[]){"TEST_TOTAL_SHARDS=two",
                                 "TEST_SHARD_INDEX=0", NULL},
                "TEST_TOTAL_SHARDS: 'two'");
}

TEST(bazel_protocol, unwritable_engine_files_are_usage_errors)
{
    char *dir = st_tmpdir();
    char *status = st_format("TEST_SHARD_STATUS_FILE=%s/no/such/dir", dir);
    char *premature = st_format("TEST_PREMATURE_EXIT_FILE=%s/no/such", dir);
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, FIXTURE, NULL,
                             (const char *[]){status, NULL}), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE, "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.err, "cannot create TEST_SHARD_STATUS_FILE"),
                    "%s", r.err);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, FIXTURE, NULL,
                             (const char *[]){premature, NULL}), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE, "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.err, "cannot create TEST_PREMATURE_EXIT_FILE"),
                    "%s", r.err);
    EXPECT_EQ(st_count(r.err, "cordon: "), (size_t)1, "%s", r.err);
    st_free(&r);
    free(status);
    free(premature);
    remove_tree(dir);
}

TEST(bazel_protocol, empty_shard_passes)
{
    const char *const env[] = {"TEST_TOTAL_SHARDS=20", "TEST_SHARD_INDEX=19",
                               NULL};
    struct st_outcomes o;
    char *ids = strdup("\n");

    run_tap(&o, NULL, env);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.err);
    ran(&ids, &o);
    EXPECT_STREQ(ids, "\n");
    free(ids);
    st_outcomes_free(&o);
}

TEST(bazel_protocol, all_skipped_shard_passes)
{
    /* Shard 4 of 7 holds engine/premature_exit_file_exists_while_running
     * alone, which skips without its variable: 0, not 77, as engines
     * that shard know only 0 as success. */
    const char *const env[] = {"GTEST_TOTAL_SHARDS=7", "GTEST_SHARD_INDEX=4",
                               NULL};
    struct st_outcomes o;

    run_tap(&o, NULL, env);
    EXPECT_EQ(o.run.code, 0, "%s%s", o.run.out, o.run.err);
    EXPECT_EQ(o.n, (size_t)1, "%s", o.tap);
    st_expect_outcome(&o, "engine/premature_exit_file_exists_while_running",
                      "SKIP", NULL, NULL, NULL, NULL);
    st_outcomes_free(&o);
}

TEST(bazel_protocol, command_line_shard_wins)
{
    const char *const env[] = {"TEST_TOTAL_SHARDS=3", "TEST_SHARD_INDEX=2",
                               "GTEST_TOTAL_SHARDS=3", "GTEST_SHARD_INDEX=1",
                               NULL};
    struct st_outcomes o;
    char *ids = strdup("\n");

    run_tap(&o, (const char *[]){"--shard", "1/1", NULL}, env);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.err);
    ran(&ids, &o);
    EXPECT_EQ(st_count(ids + 1, ""), (size_t)NTESTS, "%s", ids);
    free(ids);
    st_outcomes_free(&o);
}

TEST(bazel_protocol, testbridge_test_only_filters)
{
    const char *const env[] = {"TESTBRIDGE_TEST_ONLY=alpha/*", NULL};
    struct st_outcomes o;
    char *ids = strdup("\n");

    run_tap(&o, NULL, env);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.err);
    ran(&ids, &o);
    EXPECT_STREQ(ids, "\nalpha/one\nalpha/two\n");
    free(ids);
    st_outcomes_free(&o);

    /* A selection of the user's own wins over the engine's filter. */
    ids = strdup("\n");
    run_tap(&o, (const char *[]){"--test", "beta/four", NULL}, env);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.err);
    ran(&ids, &o);
    EXPECT_STREQ(ids, "\nbeta/four\n");
    free(ids);
    st_outcomes_free(&o);
}

TEST(bazel_protocol, every_test_process_gets_its_own_tmpdir)
{
    char *dir = st_tmpdir();
    char *e = st_format("TEST_TMPDIR=%s", dir);
    const char *const env[] = {e, NULL};
    struct st_outcomes o;

    run_tap(&o, (const char *[]){"--filter", "engine/tmpdir*", NULL}, env);
    EXPECT_EQ(o.run.code, 0, "%s%s", o.run.out, o.run.err);
    st_expect_outcome(&o, "engine/tmpdir_is_its_own", "PASS", NULL, NULL,
                      NULL, NULL);
    st_expect_outcome(&o, "engine/tmpdir_is_its_own_too", "PASS", NULL, NULL,
                      NULL, NULL);
    st_outcomes_free(&o);
    free(e);
    /* Without TEST_TMPDIR, TMPDIR is left alone and those tests skip. */
    run_tap(&o, (const char *[]){"--filter", "engine/tmpdir*", NULL}, NULL);
    EXPECT_EQ(o.run.code, CORDON_EXIT_ALL_SKIPPED, "%s%s", o.run.out,
              o.run.err);
    EXPECT_EQ(st_outcome_count(&o, "SKIP"), (size_t)2, "%s", o.tap);
    st_outcomes_free(&o);
    remove_tree(dir);
}

/* count counts the occurrences of needle in text. */
static size_t
count(const char *text, const char *needle)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* junit_of runs the fixture with args and env and returns the report at
 * path (NULL when none was written). */
static char *
junit_of(const char *const *args, const char *const *env, const char *path)
{
    struct st_run r;
    char *xml;

    if (st_run_fixture(&r, FIXTURE, args, env) != 0)
        return NULL;
    xml = st_read_file(path, NULL);
    st_free(&r);
    return xml;
}

TEST(bazel_protocol, xml_output_file_is_a_default_junit_path)
{
    char *dir = st_tmpdir();
    char *flag = st_format("%s/flag.xml", dir);
    char *engine = st_format("%s/engine.xml", dir);
    char *e = st_format("XML_OUTPUT_FILE=%s", engine);
    const char *const env[] = {e, NULL};
    char *by_flag = junit_of((const char *[]){"--junit", flag, NULL}, NULL,
                             flag);
    char *by_engine = junit_of(NULL, env, engine);
    char *both;

    ASSERT_NOT_NULL(by_flag, "--junit wrote no report");
    ASSERT_NOT_NULL(by_engine, "XML_OUTPUT_FILE got no report");
    EXPECT_EQ(count(by_engine, "<testcase"), (size_t)NTESTS);
    EXPECT_EQ(count(by_flag, "<testcase"), (size_t)NTESTS);
    unlink(engine);
    /* --junit wins over the engine's path. */
    both = junit_of((const char *[]){"--junit", flag, NULL}, env, flag);
    EXPECT_NOT_NULL(both);
    EXPECT_NE(access(engine, F_OK), 0, "XML_OUTPUT_FILE written too");
    free(both);
    free(by_flag);
    free(by_engine);
    free(e);
    free(flag);
    free(engine);
    remove_tree(dir);
}
