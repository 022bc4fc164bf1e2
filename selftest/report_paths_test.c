// SPDX-License-Identifier: MIT
// report_paths_test.c — selftests of where reports may go, checked before
// any test runs: --junit and --tap naming one file, however spelled (the
// same name, ./name, an absolute path, a symbolic link, a directory
// reached through a link), is a usage error (exit 2, one line, nothing
// run, the previous file untouched); two files of their own are fine.
// And a report that could be created but never renamed into place (a
// file of another user's in a directory with the sticky bit, as in /tmp)
// is refused up front too, which takes root to set up.
#include <cordon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "support.h"

/* expect_same_file runs report_marker with --junit junit --tap tap (from
 * the current directory) and expects it refused before any test ran. */
static void
expect_same_file(const char *dir, const char *junit, const char *tap)
{
    char *marker = st_format("%s/marker", dir);
    char *var = st_format("REPORT_MARKER=%s", marker);
    char *text, *previous = st_format("%s/d/r.xml", dir);
    const char *env[] = {var, NULL};
    const char *args[] = {"--junit", junit, "--tap", tap, NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "report_marker", args, env), 0);
    EXPECT_EQ(r.code, 2, "--junit %s --tap %s: stderr: %s", junit, tap,
              r.err);
    EXPECT_EQ(st_count(r.err, "cordon: --junit '"), (size_t)1, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "are the same file"), "%s", r.err);
    EXPECT_EQ(st_count(r.err, ""), (size_t)1, "one line: %s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0, "no test may run: %s", r.out);
    EXPECT_EQ(access(marker, F_OK), -1, "a test ran for --junit %s --tap %s",
              junit, tap);
    text = st_read_file(previous, NULL);
    EXPECT_STREQ(text, "previous report\n", "--junit %s --tap %s", junit,
                 tap);
    free(text);
    unlink(marker);
    st_free(&r);
    free(previous);
    free(var);
    free(marker);
}

TEST(report_paths, one_file_for_both_reports_is_a_usage_error)
{
    char *dir = st_tmpdir(), *sub, *absolute;

    ASSERT_NOT_NULL(dir);
    sub = st_format("%s/d", dir);
    absolute = st_format("%s/d/r.xml", dir);
    ASSERT_EQ(mkdir(sub, 0700), 0);
    ASSERT_EQ(chdir(dir), 0);
    st_write_file("d/r.xml", "previous report\n");
    ASSERT_EQ(symlink("d", "link-to-d"), 0);
    ASSERT_EQ(symlink("r.xml", "d/latest.xml"), 0);
    expect_same_file(dir, "d/r.xml", "d/r.xml");
    expect_same_file(dir, "d/r.xml", "./d/r.xml");
    expect_same_file(dir, "d/r.xml", "d/../d/r.xml");
    expect_same_file(dir, absolute, "d/r.xml");
    expect_same_file(dir, "d/latest.xml", "d/r.xml");
    expect_same_file(dir, "d/r.xml", "link-to-d/r.xml");
    /* The same, where no file is yet. */
    expect_same_file(dir, "d/new.xml", "./link-to-d/new.xml");
    EXPECT_EQ(access("d/new.xml", F_OK), -1);
    unlink("link-to-d");
    unlink("d/latest.xml");
    unlink("d/r.xml");
    rmdir(sub);
    free(absolute);
    free(sub);
    st_rmtree(dir);
}

TEST(report_paths, a_file_for_each_report_is_fine)
{
    char *dir = st_tmpdir(), *text;
    const char *args[] = {"--junit", "r.xml", "--tap", "r.tap", NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(chdir(dir), 0);
    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    text = st_read_file("r.xml", NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "<?xml", 5), 0, "%s", text);
    free(text);
    text = st_read_file("r.tap", NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "TAP version 13\n", 15), 0, "%s", text);
    free(text);
    st_free(&r);
    st_rmtree(dir);
}

/* become makes the fixture's process the user *(uid_t *)uid (its group
 * the same number) before it execs. */
static void
become(void *uid)
{
    uid_t id = *(uid_t *)uid;

    if (setgid((gid_t)id) != 0 || setuid(id) != 0) {
        fprintf(stderr, "cannot become user %ld: %s\n", (long)id,
                strerror(errno));
        _exit(127);
    }
}

/* as_user runs report_marker as user uid with --junit path. */
static void
as_user(struct st_run *r, uid_t uid, const char *path, const char *marker)
{
    char *var = st_format("REPORT_MARKER=%s", marker);
    const char *env[] = {var, NULL};
    const char *args[] = {"--junit", path, NULL};
    pid_t pid = st_start_fixture_with(r, "report_marker", args, env, become,
                                      &uid);

    ASSERT_GT(pid, 0);
    ASSERT_EQ(st_wait_until(r, pid, 30), 0);
    free(var);
}

TEST(report_paths, a_file_the_rename_cannot_replace_stops_the_run_first)
{
    const uid_t owner = 65534, other = 65531;
    char *dir = st_tmpdir(), *sticky, *path, *marker, *text, *expect;
    struct st_run r;

    if (geteuid() != 0)
        SKIP("%s", "needs root, to give the previous report another owner");
    if (st_coverage_build())
        SKIP("%s", "a coverage build's runner, as another user, cannot "
             "write its counters into the build tree and says so on stderr; "
             "the other builds check this");
    ASSERT_NOT_NULL(dir);
    sticky = st_format("%s/sticky", dir);
    path = st_format("%s/r.xml", sticky);
    marker = st_format("%s/marker", sticky);
    ASSERT_EQ(chmod(dir, 0711), 0);
    ASSERT_EQ(mkdir(sticky, 0700), 0);
    ASSERT_EQ(chmod(sticky, 01777), 0);
    st_write_file(path, "previous report\n");
    ASSERT_EQ(chown(path, owner, (gid_t)owner), 0);

    /* Another user could create the temporary file there, not rename it
     * over the owner's report. */
    as_user(&r, other, path, marker);
    expect = st_format("cordon: cannot write JUnit report '%s': %s: it "
                       "belongs to another user", path, strerror(EPERM));
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.err, expect), (size_t)1, "%s", r.err);
    EXPECT_EQ(st_count(r.err, ""), (size_t)1, "one line: %s", r.err);
    EXPECT_EQ(access(marker, F_OK), -1, "a test ran first");
    text = st_read_file(path, NULL);
    EXPECT_STREQ(text, "previous report\n");
    free(text);
    st_free(&r);

    /* Its owner may. */
    unlink(marker);
    as_user(&r, owner, path, marker);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    text = st_read_file(path, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "<?xml", 5), 0, "%s", text);
    free(text);
    st_free(&r);

    unlink(marker);
    unlink(path);
    rmdir(sticky);
    free(expect);
    free(marker);
    free(path);
    free(sticky);
    st_rmtree(dir);
}
