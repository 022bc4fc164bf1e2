// SPDX-License-Identifier: MIT
// report_files_test.c — selftests of how report files are written: every
// destination is checked before any test runs (exit 2, one line, nothing
// run); a report replaces its previous version by rename, leaving no
// temporary file; a write error exits 2 and keeps the previous report;
// a FIFO is written into and a symbolic link followed, never replaced.
//
// The write error is a real one: the runner inherits RLIMIT_FSIZE from
// the test, so writing the JUnit report past 16 KiB fails with EFBIG
// partway through, as a full disk fails with ENOSPC; with SIGXFSZ at its
// default, as under "ulimit -f", the runner must not die of it either.
// Directory permissions would not do: the selftest may run as root.
#include <cordon.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* listing returns the names in dir, sorted, joined by spaces (static
 * storage), so a test can see at a glance what a run left behind. */
static const char *
listing(const char *dir)
{
    static char out[4096];
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    DIR *d = opendir(dir);

    out[0] = '\0';
    if (d == NULL)
        return "(no directory)";
    while ((e = readdir(d)) != NULL && n < 64)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strncat(out, " ", sizeof out - strlen(out) - 1);
        strncat(out, names[i], sizeof out - strlen(out) - 1);
        free(names[i]);
    }
    return out;
}

/* expect_refused runs report_marker with flag set to path and expects the
 * run refused before any test: exit 2, one line naming the report, no
 * console output, no marker, nothing new in dir. */
static void
expect_refused(const char *dir, const char *flag, const char *path,
               const char *what)
{
    char marker[4096], var[4200], before[4096];
    const char *env[] = {var, NULL};
    const char *args[] = {flag, path, NULL};
    char prefix[128];
    struct st_run r;

    snprintf(marker, sizeof marker, "%s/marker", dir);
    snprintf(var, sizeof var, "REPORT_MARKER=%s", marker);
    snprintf(before, sizeof before, "%s", listing(dir));
    snprintf(prefix, sizeof prefix, "cordon: cannot write %s report '%s'",
             what, path);
    ASSERT_EQ(st_run_fixture(&r, "report_marker", args, env), 0);
    EXPECT_EQ(r.code, 2, "%s '%s': stderr: %s", flag, path, r.err);
    EXPECT_EQ(st_count(r.err, prefix), (size_t)1, "%s", r.err);
    EXPECT_EQ(st_count(r.err, ""), (size_t)1, "one line: %s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0, "no test may run: %s", r.out);
    EXPECT_EQ(access(marker, F_OK), -1, "a test ran despite '%s'", path);
    EXPECT_STREQ(listing(dir), before, "%s '%s' left a file", flag, path);
    st_free(&r);
}

TEST(report_files, unwritable_destinations_stop_the_run_first)
{
    static const char *const flags[][2] = {{"--junit", "JUnit"},
                                           {"--tap", "TAP"}};
    char *dir = st_tmpdir();
    char missing[4096], under_file[4096], file[4096];

    ASSERT_NOT_NULL(dir);
    snprintf(file, sizeof file, "%s/plain-file", dir);
    st_write_file(file, "x\n");
    snprintf(missing, sizeof missing, "%s/no-such-dir/report", dir);
    snprintf(under_file, sizeof under_file, "%s/plain-file/report", dir);
    for (size_t i = 0; i < 2; i++) {
        expect_refused(dir, flags[i][0], missing, flags[i][1]);
        expect_refused(dir, flags[i][0], under_file, flags[i][1]);
        expect_refused(dir, flags[i][0], dir, flags[i][1]);
        expect_refused(dir, flags[i][0], "", flags[i][1]);
    }
    st_rmtree(dir);
}

TEST(report_files, environment_twin_is_checked_too)
{
    char *dir = st_tmpdir();
    char var[4200], marker[4200];
    const char *env[] = {var, marker, NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    snprintf(var, sizeof var, "CORDON_JUNIT=%s/missing/report.xml", dir);
    snprintf(marker, sizeof marker, "REPORT_MARKER=%s/marker", dir);
    ASSERT_EQ(st_run_fixture(&r, "report_marker", NULL, env), 0);
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.err, "cordon: cannot write JUnit report"),
              (size_t)1, "%s", r.err);
    /* The advice follows the cause: here, a directory that is missing. */
    EXPECT_NOT_NULL(strstr(r.err, ": No such file or directory (create the "
                                  "directory, or pass another --junit "
                                  "path)\n"), "%s", r.err);
    EXPECT_STREQ(listing(dir), "", "no test may run");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_files, one_bad_destination_stops_all_reports)
{
    char *dir = st_tmpdir();
    char junit[4096], tap[4096], var[4200];
    const char *env[] = {var, NULL};
    const char *args[] = {"--junit", junit, "--tap", tap, NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    snprintf(junit, sizeof junit, "%s/report.xml", dir);
    snprintf(tap, sizeof tap, "%s/missing/report.tap", dir);
    snprintf(var, sizeof var, "REPORT_MARKER=%s/marker", dir);
    ASSERT_EQ(st_run_fixture(&r, "report_marker", args, env), 0);
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.err, "cordon: cannot write TAP report"), (size_t)1,
              "%s", r.err);
    /* The JUnit probe left nothing, and no test made its marker. */
    EXPECT_STREQ(listing(dir), "");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_files, reports_replace_the_previous_by_rename)
{
    char *dir = st_tmpdir();
    char junit[4096], tap[4096], old[4096];
    const char *args[] = {"--junit", junit, "--tap", tap, NULL};
    struct st_run r;
    struct stat st;
    char *text;

    ASSERT_NOT_NULL(dir);
    snprintf(junit, sizeof junit, "%s/report.xml", dir);
    snprintf(tap, sizeof tap, "%s/report.tap", dir);
    snprintf(old, sizeof old, "%s/old.xml", dir);
    st_write_file(junit, "previous report\n");
    /* A second name for the previous report's inode: a report rewritten
     * in place would change it too, one renamed over it does not. */
    ASSERT_EQ(link(junit, old), 0);
    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    text = st_read_file(junit, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "<?xml", 5), 0, "%s", text);
    free(text);
    text = st_read_file(old, NULL);
    EXPECT_STREQ(text, "previous report\n");
    free(text);
    EXPECT_STREQ(listing(dir), "old.xml report.tap report.xml",
                 "temporary files left behind");
    ASSERT_EQ(stat(junit, &st), 0);
    EXPECT_EQ(st.st_mode & 0044, (unsigned)0044, "mode %o: readable by all",
              (unsigned)st.st_mode & 0777);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_files, write_error_keeps_the_previous_report)
{
    /* 16 KiB fits each test's 4 KiB output and the TAP report, not the
     * 24 KiB JUnit report that holds all six outputs. */
    struct rlimit fsize = {16 * 1024, 16 * 1024};
    char *dir = st_tmpdir();
    char junit[4096], tap[4096], expect[4400];
    const char *args[] = {"--filter", "bulky/prints_4096_*", "--junit",
                          junit, "--tap", tap, NULL};
    struct st_run r;
    char *text;

    ASSERT_NOT_NULL(dir);
    snprintf(junit, sizeof junit, "%s/report.xml", dir);
    snprintf(tap, sizeof tap, "%s/report.tap", dir);
    st_write_file(junit, "previous report\n");
    /* Ignored, SIGXFSZ turns the write past the limit into EFBIG. The
     * disposition and the limit pass through fork and exec. */
    signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &fsize), 0);
    ASSERT_EQ(st_run_fixture(&r, "report_bulky", args, NULL), 0);
    snprintf(expect, sizeof expect, "cordon: cannot write JUnit report '%s': "
             "%s (raise the file size limit (ulimit -f), or pass another "
             "--junit path)", junit, strerror(EFBIG));
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.err, expect), (size_t)1, "%s", r.err);
    /* The run itself went on to its summary. */
    EXPECT_NOT_NULL(strstr(r.out, "cordon: 6 passed, 0 failed, 0 skipped"),
                    "%s", r.out);
    text = st_read_file(junit, NULL);
    EXPECT_STREQ(text, "previous report\n", "the previous report is gone");
    free(text);
    /* The other report did fit, and was written. */
    text = st_read_file(tap, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "TAP version 13\n1..6\nok 1 - ", 26), 0, "%s",
              text);
    free(text);
    EXPECT_STREQ(listing(dir), "report.tap report.xml",
                 "temporary files left behind");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_files, file_size_limit_is_a_write_error_not_a_death)
{
    /* As under "ulimit -f 16": SIGXFSZ left at its default, which would
     * end the runner in the middle of the write. */
    struct rlimit fsize = {16 * 1024, 16 * 1024};
    char *dir = st_tmpdir();
    char junit[4096], expect[4400];
    const char *args[] = {"--filter", "bulky/prints_4096_*", "--junit",
                          junit, NULL};
    struct st_run r;
    char *text;

    ASSERT_NOT_NULL(dir);
    snprintf(junit, sizeof junit, "%s/report.xml", dir);
    st_write_file(junit, "previous report\n");
    signal(SIGXFSZ, SIG_DFL);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &fsize), 0);
    ASSERT_EQ(st_run_fixture(&r, "report_bulky", args, NULL), 0);
    snprintf(expect, sizeof expect, "cordon: cannot write JUnit report '%s': "
             "%s (raise the file size limit (ulimit -f), or pass another "
             "--junit path)", junit, strerror(EFBIG));
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.err, expect), (size_t)1, "%s", r.err);
    text = st_read_file(junit, NULL);
    EXPECT_STREQ(text, "previous report\n");
    free(text);
    EXPECT_STREQ(listing(dir), "report.xml", "temporary files left behind");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_files, fifo_is_written_into_not_replaced)
{
    char *dir = st_tmpdir();
    char fifo[4096], buf[8192];
    const char *args[] = {"--junit", fifo, NULL};
    struct st_run r;
    struct stat st;
    size_t len = 0;
    ssize_t n;
    int fd;

    ASSERT_NOT_NULL(dir);
    snprintf(fifo, sizeof fifo, "%s/report.fifo", dir);
    ASSERT_EQ(mkfifo(fifo, 0600), 0);
    /* A reader is there first, so the runner's open does not wait. */
    fd = open(fifo, O_RDONLY | O_NONBLOCK);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    while (len < sizeof buf - 1 &&
           (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    close(fd);
    EXPECT_NOT_NULL(strstr(buf, "<testsuites name=\"pass\""), "read: %s",
                    buf);
    ASSERT_EQ(lstat(fifo, &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode), "the FIFO was replaced by a file");
    EXPECT_STREQ(listing(dir), "report.fifo");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_files, symbolic_link_is_followed_not_replaced)
{
    char *dir = st_tmpdir();
    char real_dir[4096], real[4096], link_path[4096];
    const char *args[] = {"--junit", link_path, NULL};
    struct st_run r;
    struct stat st;
    char *text;

    ASSERT_NOT_NULL(dir);
    snprintf(real_dir, sizeof real_dir, "%s/real", dir);
    snprintf(real, sizeof real, "%s/real/report.xml", dir);
    snprintf(link_path, sizeof link_path, "%s/latest.xml", dir);
    ASSERT_EQ(mkdir(real_dir, 0700), 0);
    st_write_file(real, "previous report\n");
    ASSERT_EQ(symlink("real/report.xml", link_path), 0);
    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    ASSERT_EQ(lstat(link_path, &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode), "the link was replaced by a file");
    text = st_read_file(real, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "<?xml", 5), 0, "%s", text);
    free(text);
    EXPECT_STREQ(listing(dir), "latest.xml real");
    EXPECT_STREQ(listing(real_dir), "report.xml");
    st_free(&r);
    unlink(real);
    rmdir(real_dir);
    st_rmtree(dir);
}
