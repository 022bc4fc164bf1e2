// SPDX-License-Identifier: MIT
// junit_dir_test.c — selftests of --junit-dir DIR and CORDON_JUNIT_DIR:
// each run writes a complete JUnit report of its own into DIR, named
// after the binary and what it ran, so the runs CTest makes (one test
// each) leave a report apiece instead of replacing one file; the name is
// the same for the same selection, so a run again replaces its report.
// Also the rules around it: one JUnit destination at a time, an absolute
// directory under CTest, the directory made when missing.
#include <cordon.h>

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* report_outcomes crashes and exits on purpose (see ST_ASAN_OPTIONS). */
#define ENV_MAX 4

/* run_in runs fixture with args and, in its environment, the
 * NULL-terminated NAME=VALUE entries of more and ASan's options; ends the
 * test when it cannot start. */
static void
run_in(struct st_run *r, const char *fixture, const char *const *args,
       const char *const *more)
{
    const char *env[ENV_MAX + 2] = {ST_ASAN_OPTIONS};
    size_t n = 1;

    for (size_t i = 0; more != NULL && more[i] != NULL && n <= ENV_MAX; i++)
        env[n++] = more[i];
    env[n] = NULL;
    ASSERT_EQ(st_run_fixture(r, fixture, args, env), 0);
}

/* xml_files returns the names of the *.xml files in dir, sorted, a name
 * a line ("" for none); free() it. */
static char *
xml_files(const char *dir)
{
    char *cmd = st_format("cd '%s' && ls -1 | grep '\\.xml$' || true", dir);
    char *out = NULL;

    ASSERT_EQ(st_shell(cmd, &out), 0, "%s", cmd);
    free(cmd);
    return out;
}

/* only_report returns the path of the one *.xml file in dir; free() it. */
static char *
only_report(const char *dir)
{
    char *names = xml_files(dir), *path;

    ASSERT_EQ(st_count(names, ""), (size_t)1, "not one report in %s: %s",
              dir, names);
    names[strcspn(names, "\n")] = '\0';
    path = st_format("%s/%s", dir, names);
    free(names);
    return path;
}

/* testcases returns how many testcases the report at path holds, after
 * checking it against the schema; (size_t)-1 when it cannot be read. */
static size_t
testcases(const char *path)
{
    char why[512] = "";
    struct st_xml *x = st_xml_load(path, why, sizeof why);
    size_t n;

    EXPECT_NOT_NULL(x, "%s: %s", path, why);
    if (x == NULL)
        return (size_t)-1;
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s: %s", path, why);
    n = st_xml_count(x, "//testcase");
    st_xml_free(x);
    return n;
}

TEST(junit_dir, one_complete_report_per_run_the_same_name_again)
{
    char *dir = st_tmpdir(), *var, *names, *again;
    const char *alpha[] = {"--filter", "alpha/*", NULL};
    const char *beta[] = {"--filter", "beta/*", NULL};
    const char *env[2] = {NULL, NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    var = st_format("CORDON_JUNIT_DIR=%s", dir);
    env[0] = var;
    run_in(&r, "report_outcomes", alpha, env);
    EXPECT_EQ(r.code, 1, "%s", r.err);
    st_free(&r);
    run_in(&r, "report_outcomes", beta, env);
    EXPECT_EQ(r.code, 1, "%s", r.err);
    st_free(&r);
    names = xml_files(dir);
    ASSERT_EQ(st_count(names, ""), (size_t)2, "%s", names);
    {
        char *first = st_format("%s/%.*s", dir, (int)strcspn(names, "\n"),
                                names);
        char *second = st_format("%s/%s", dir, strchr(names, '\n') + 1);

        second[strlen(second) - 1] = '\0';
        /* Which is which: the names hold a hash after the binary. */
        EXPECT_EQ(testcases(first) + testcases(second), (size_t)8);
        EXPECT_TRUE(testcases(first) == 5 || testcases(first) == 3);
        free(first);
        free(second);
    }
    /* The same selection again replaces its report. */
    run_in(&r, "report_outcomes", alpha, env);
    st_free(&r);
    again = xml_files(dir);
    EXPECT_STREQ(again, names);
    free(again);
    free(names);
    free(var);
    st_rmtree(dir);
}

TEST(junit_dir, names_the_report_after_the_binary_and_the_test)
{
    char *dir = st_tmpdir(), *var, *path;
    const char *one[] = {"--test", "alpha/skips", NULL};
    const char *flag[] = {"--test", "alpha/skips", "--junit-dir", NULL, NULL};
    const char *env[2] = {NULL, NULL};
    struct st_run r;
    regex_t re;

    ASSERT_NOT_NULL(dir);
    var = st_format("CORDON_JUNIT_DIR=%s", dir);
    env[0] = var;
    run_in(&r, "report_outcomes", one, env);
    EXPECT_EQ(r.code, 77, "%s", r.err);
    st_free(&r);
    path = only_report(dir);
    ASSERT_EQ(regcomp(&re, "/report_outcomes\\.alpha_skips\\.[0-9a-f]{16}"
                           "\\.xml$", REG_EXTENDED | REG_NOSUB), 0);
    EXPECT_EQ(regexec(&re, path, 0, NULL, 0), 0, "%s", path);
    regfree(&re);
    EXPECT_EQ(testcases(path), (size_t)1);
    unlink(path);
    free(path);
    /* The flag writes the same file. */
    flag[3] = dir;
    run_in(&r, "report_outcomes", flag, NULL);
    EXPECT_EQ(r.code, 77, "%s", r.err);
    st_free(&r);
    path = only_report(dir);
    EXPECT_EQ(testcases(path), (size_t)1);
    free(path);
    free(var);
    st_rmtree(dir);
}

/* Under CTest every test is a run of its own: a report file would be
 * replaced by each (refused, with the fix: the directory), a directory
 * takes one report per test. CTest runs each test in its own working
 * directory, so a relative one is refused. */
TEST(junit_dir, under_ctest_a_report_per_test_in_an_absolute_directory)
{
    char *dir = st_tmpdir(), *var, *path;
    const char *one[] = {"--test", "pass/one", NULL};
    const char *env[3] = {"CORDON_CTEST=1", NULL, NULL};
    const char *relative[] = {"CORDON_CTEST=1", "CORDON_JUNIT_DIR=junit",
                              NULL};
    const char *file[] = {"CORDON_CTEST=1", "CORDON_JUNIT=all.xml", NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    var = st_format("CORDON_JUNIT_DIR=%s", dir);
    env[1] = var;
    ASSERT_EQ(st_run_fixture(&r, "pass", one, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    st_free(&r);
    path = only_report(dir);
    EXPECT_EQ(testcases(path), (size_t)1);
    free(path);

    ASSERT_EQ(st_run_fixture(&r, "pass", one, relative), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: CORDON_JUNIT_DIR 'junit' is relative, and "
                        "CTest runs each test in a directory of its own "
                        "(give an absolute path, e.g. "
                        "CORDON_JUNIT_DIR=$PWD/junit)\n");
    EXPECT_EQ(access("junit", F_OK), -1, "nothing may be made");
    st_free(&r);

    ASSERT_EQ(st_run_fixture(&r, "pass", one, file), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: "), (size_t)1, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "CORDON_JUNIT_DIR="), "the fix: %s",
                    r.err);
    st_free(&r);
    free(var);
    st_rmtree(dir);
}

TEST(junit_dir, one_junit_destination_and_a_flag_wins_over_a_variable)
{
    char *dir = st_tmpdir(), *file, *var_dir, *var_file;
    const char *flags[] = {"--junit", NULL, "--junit-dir", NULL, NULL};
    const char *dir_flag[] = {"--junit-dir", NULL, NULL};
    const char *both_env[] = {NULL, NULL, NULL};
    const char *file_env[] = {NULL, NULL};
    struct st_run r;
    char *path;

    ASSERT_NOT_NULL(dir);
    file = st_format("%s/one.xml", dir);
    var_dir = st_format("CORDON_JUNIT_DIR=%s", dir);
    var_file = st_format("CORDON_JUNIT=%s", file);

    flags[1] = file;
    flags[3] = dir;
    ASSERT_EQ(st_run_fixture(&r, "pass", flags, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, ""), (size_t)1, "one line: %s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "cordon: --junit and --junit-dir both "
                                  "name the JUnit report (give one)"),
                    "%s", r.err);
    st_free(&r);

    both_env[0] = var_dir;
    both_env[1] = var_file;
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, both_env), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NOT_NULL(strstr(r.err, "cordon: CORDON_JUNIT and "
                                  "CORDON_JUNIT_DIR both name the JUnit "
                                  "report (give one)"), "%s", r.err);
    st_free(&r);
    path = xml_files(dir);
    EXPECT_STREQ(path, "", "no test may run");
    free(path);

    /* --junit-dir wins over CORDON_JUNIT. */
    dir_flag[1] = dir;
    file_env[0] = var_file;
    ASSERT_EQ(st_run_fixture(&r, "pass", dir_flag, file_env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_EQ(access(file, F_OK), -1, "CORDON_JUNIT won over --junit-dir");
    path = only_report(dir);
    EXPECT_EQ(testcases(path), (size_t)3);
    unlink(path);
    free(path);
    st_free(&r);

    /* --junit wins over CORDON_JUNIT_DIR. */
    flags[2] = NULL;
    both_env[1] = NULL;
    ASSERT_EQ(st_run_fixture(&r, "pass", flags, both_env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_EQ(testcases(file), (size_t)3);
    path = xml_files(dir);
    EXPECT_STREQ(path, "one.xml\n");
    free(path);
    st_free(&r);
    free(file);
    free(var_dir);
    free(var_file);
    st_rmtree(dir);
}

TEST(junit_dir, makes_the_directory_but_not_its_parents)
{
    char *dir = st_tmpdir(), *made, *deep, *var, *path, *cmd;
    const char *env[2] = {NULL, NULL};
    struct st_run r;
    struct stat st;

    ASSERT_NOT_NULL(dir);
    made = st_format("%s/junit", dir);
    deep = st_format("%s/no/such/junit", dir);
    var = st_format("CORDON_JUNIT_DIR=%s", made);
    env[0] = var;
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    st_free(&r);
    ASSERT_EQ(stat(made, &st), 0, "%s was not made", made);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    path = only_report(made);
    free(path);
    free(var);

    var = st_format("CORDON_JUNIT_DIR=%s", deep);
    env[0] = var;
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 2);
    path = st_format("cordon: cannot make the JUnit directory '%s': No such "
                     "file or directory (create its parent, or pass another "
                     "--junit-dir)\n", deep);
    EXPECT_STREQ(r.err, path);
    EXPECT_EQ(r.out_len, (size_t)0, "no test may run: %s", r.out);
    free(path);
    st_free(&r);

    cmd = st_format("rm -rf '%s'", dir);
    EXPECT_EQ(st_shell(cmd, &path), 0, "%s", path);
    free(path);
    free(cmd);
    free(var);
    free(made);
    free(deep);
    free(dir);
}

/* Bazel's XML_OUTPUT_FILE gives way to the directory, as to --junit. */
TEST(junit_dir, wins_over_xml_output_file)
{
    char *dir = st_tmpdir(), *bazel, *var_dir, *var_bazel, *path;
    const char *env[3] = {NULL, NULL, NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    bazel = st_format("%s/bazel.out", dir);
    var_bazel = st_format("XML_OUTPUT_FILE=%s", bazel);
    var_dir = st_format("CORDON_JUNIT_DIR=%s", dir);
    env[0] = var_bazel;
    env[1] = var_dir;
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    st_free(&r);
    EXPECT_EQ(access(bazel, F_OK), -1, "XML_OUTPUT_FILE won");
    path = only_report(dir);
    EXPECT_EQ(testcases(path), (size_t)3);
    free(path);
    free(bazel);
    free(var_bazel);
    free(var_dir);
    st_rmtree(dir);
}
