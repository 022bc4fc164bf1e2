// SPDX-License-Identifier: MIT
// report_streaming_test.c — selftests of what writing the reports costs
// the processes of a run: reports stream into their destination, so the
// runner's memory does not grow with the output the tests printed (2000
// tests of 64 KiB each: a 128 MiB JUnit report, and no process of the run
// above 32 MiB); and libxml2 is loaded only to write a JUnit report, so no
// test process maps it, and a libxml2 that cannot be loaded is one line
// and exit 2 after the run, with the other reports written.
//
// How libcordon reaches libxml2 is a build option (CORDON_LIBXML2=dlopen,
// the default, or link); the tests read the build's choice from its
// CMakeCache.txt and expect what that choice promises.
#include <cordon.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

TEST(report_streaming, test_processes_do_not_map_libxml2)
{
    const char *mode = st_libxml2_mode();
    char *dir = st_tmpdir(), *path, *out, why[256] = "";
    const char *args[] = {"--junit", NULL, NULL};
    struct st_run r;
    struct st_xml *x;

    ASSERT_NOT_NULL(dir);
    ASSERT_TRUE(strcmp(mode, "dlopen") == 0 || strcmp(mode, "link") == 0,
                "CORDON_LIBXML2 is '%s' in the build's cache", mode);
    path = st_format("%s/report.xml", dir);
    args[1] = path;
    ASSERT_EQ(st_run_fixture(&r, "maps_libxml2", args, NULL), 0);
    if (r.code == 77)
        SKIP("%s", "no /proc/self/maps to look into");
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    /* The JUnit report is written all the same: libxml2 came after. */
    x = st_xml_load(path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s; stderr: %s", why, r.err);
    out = st_xml_string(x, "string(//testcase[@name='libxml2']/system-out)");
    EXPECT_STREQ(out, strcmp(mode, "dlopen") == 0 ? "libxml2: not mapped\n"
                                                  : "libxml2: mapped\n",
                 "CORDON_LIBXML2=%s", mode);
    free(out);
    st_xml_free(x);
    st_free(&r);
    free(path);
    st_rmtree(dir);
}

/* With an unloadable libxml2.so.2 first on the library path, the runner
 * cannot write its JUnit report: the tests still run, the TAP report is
 * written, the previous JUnit report stays, and one line names the
 * library and the fix. A build that links libxml2 cannot even start its
 * binaries so, which is why it skips. */
TEST(report_streaming, unloadable_libxml2_is_one_line_and_exit_2)
{
    char *dir = st_tmpdir(), *fake, *junit, *tap, *var, *text, *expect;
    const char *args[] = {"--junit", NULL, "--tap", NULL, NULL};
    const char *env[] = {NULL, NULL};
    struct st_run r;

    if (strcmp(st_libxml2_mode(), "dlopen") != 0)
        SKIP("CORDON_LIBXML2=%s: libxml2 is linked, not loaded",
             st_libxml2_mode());
    ASSERT_NOT_NULL(dir);
    fake = st_format("%s/libxml2.so.2", dir);
    junit = st_format("%s/report.xml", dir);
    tap = st_format("%s/report.tap", dir);
    var = st_format("LD_LIBRARY_PATH=%s", dir);
    /* An empty file: dlopen() refuses it as too short to be a library. */
    st_write_file(fake, "");
    st_write_file(junit, "previous report\n");
    args[1] = junit;
    args[3] = tap;
    env[0] = var;
    ASSERT_EQ(st_run_fixture(&r, "pass", args, env), 0);
    EXPECT_EQ(r.code, 2, "stderr: %s", r.err);
    expect = st_format("cordon: cannot write JUnit report '%s': cannot load "
                       "libxml2: ", junit);
    EXPECT_EQ(st_count(r.err, expect), (size_t)1, "%s", r.err);
    EXPECT_EQ(st_count(r.err, ""), (size_t)1, "one line: %s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "libxml2.so.2"), "names the library: %s",
                    r.err);
    EXPECT_NOT_NULL(strstr(r.err, "(install libxml2"), "says the fix: %s",
                    r.err);
    EXPECT_NOT_NULL(strstr(r.out, "cordon: 3 passed, 0 failed, 0 skipped"),
                    "the tests ran: %s", r.out);
    text = st_read_file(junit, NULL);
    EXPECT_STREQ(text, "previous report\n");
    free(text);
    text = st_read_file(tap, NULL);
    ASSERT_NOT_NULL(text, "the TAP report was not written");
    EXPECT_EQ(strncmp(text, "TAP version 13\n1..3\n", 20), 0, "%s", text);
    free(text);
    unlink(fake);
    unlink(tap);
    st_free(&r);
    free(expect);
    free(fake);
    free(junit);
    free(tap);
    free(var);
    st_rmtree(dir);
}

/* drain reads fd to its end and returns the bytes read; *count is how
 * often needle occurs in them, and end holds their last size - 1 bytes. */
static long long
drain(int fd, const char *needle, size_t *count, char *end, size_t size)
{
    size_t keep = strlen(needle) - 1, have = 0;
    long long total = 0;
    char buf[65536 + 64];
    ssize_t n;

    *count = 0;
    end[0] = '\0';
    /* Each chunk follows the last keep bytes of the one before, so a
     * needle cut in two by a read is still found, and found once. */
    while ((n = read(fd, buf + have, sizeof buf - 64)) > 0) {
        size_t len = have + (size_t)n;

        total += n;
        buf[len] = '\0';
        for (const char *p = buf; (p = strstr(p, needle)) != NULL; p++)
            (*count)++;
        snprintf(end, size, "%s",
                 buf + (len > size - 1 ? len - (size - 1) : 0));
        have = len < keep ? len : keep;
        memmove(buf, buf + len - have, have);
    }
    return n < 0 ? -1 : total;
}

/* A streamed run: the JUnit report goes into a FIFO this test reads, so
 * its whole content is checked without writing it to disk, and the TAP
 * report into a file. */
struct streamed {
    char *dir, *fifo, *tap;
    struct st_run r;
    long long bytes;  /* of the JUnit report */
    size_t count;     /* of the needle in it */
    char end[64];     /* its last bytes */
    char *tap_text;
};

/* run_streamed runs fixture with args then "--junit FIFO --tap FILE",
 * drains the FIFO counting needle, and checks that the largest process
 * of the run (runner, worker or test) stayed under 32 MiB. ru_maxrss of
 * RUSAGE_CHILDREN is the largest of them: this test process waits for
 * nothing but the fixture, which waits for every other. */
static void
run_streamed(struct streamed *s, const char *fixture, const char **args,
             size_t nargs, const char *needle)
{
    const long limit_kib = 32 * 1024;
    const char *all[16];
    struct rusage ru;
    pid_t pid;
    int fd;

    if (ST_ASAN)
        SKIP("%s", "AddressSanitizer's shadow memory and quarantine are "
                   "not the runner's");
    ST_NEEDS_NATIVE("measuring the runner's peak memory");
    memset(s, 0, sizeof *s);
    s->dir = st_tmpdir();
    ASSERT_NOT_NULL(s->dir);
    s->fifo = st_format("%s/report.fifo", s->dir);
    s->tap = st_format("%s/report.tap", s->dir);
    ASSERT_EQ(mkfifo(s->fifo, 0600), 0);
    ASSERT_LT(nargs, (size_t)11);
    memcpy(all, args, nargs * sizeof *args);
    all[nargs] = "--junit";
    all[nargs + 1] = s->fifo;
    all[nargs + 2] = "--tap";
    all[nargs + 3] = s->tap;
    all[nargs + 4] = NULL;
    pid = st_start_fixture(&s->r, fixture, all, NULL);
    ASSERT_GT(pid, 0);
    /* Opens when the runner starts its report, after the tests ran. */
    fd = open(s->fifo, O_RDONLY);
    ASSERT_GE(fd, 0, "%s: %s", s->fifo, strerror(errno));
    s->bytes = drain(fd, needle, &s->count, s->end, sizeof s->end);
    close(fd);
    ASSERT_EQ(st_wait_until(&s->r, pid, 100), 0);
    ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
    /* Linux counts ru_maxrss in KiB. */
    EXPECT_LT(ru.ru_maxrss, limit_kib, "peak RSS %ld KiB", ru.ru_maxrss);
    EXPECT_NOT_NULL(strstr(s->end, "</testsuites>\n"), "the report ends: %s",
                    s->end);
    s->tap_text = st_read_file(s->tap, NULL);
    ASSERT_NOT_NULL(s->tap_text);
}

static void
streamed_done(struct streamed *s)
{
    unlink(s->fifo);
    unlink(s->tap);
    st_free(&s->r);
    free(s->fifo);
    free(s->tap);
    free(s->tap_text);
    st_rmtree(s->dir);
}

/* 2000 tests print 64 KiB each, and the JUnit report that keeps all of it
 * is 128 MiB. Rendered in memory before it was written, it took the runner
 * to 258 MiB; streamed, it stays under 32 MiB. */
TEST(report_streaming, peak_memory_stays_flat_with_output, .timeout = 120)
{
    const char *args[] = {"-j", "2", "--filter", "heavy/t0*", "--filter",
                          "heavy/t1*"};
    struct streamed s;

    run_streamed(&s, "output_64k_each", args, 6, "<testcase ");
    EXPECT_EQ(s.r.code, 0, "stderr: %s", s.r.err);
    EXPECT_NOT_NULL(strstr(s.r.out, "cordon: 2000 passed, 0 failed, "
                                    "0 skipped"), "%.300s", s.r.out);
    /* The whole report got out: every test, every byte, and its end. */
    EXPECT_EQ(s.count, (size_t)2000);
    EXPECT_GT(s.bytes, 2000LL * 65536, "JUnit report of %lld bytes", s.bytes);
    EXPECT_NOT_NULL(strstr(s.end, "</testcase>\n  </testsuite>\n"
                                  "</testsuites>\n"),
                    "the report ends: %s", s.end);
    EXPECT_EQ(st_count(s.tap_text, "ok "), (size_t)2000);
    EXPECT_TRUE(st_has_line(s.tap_text, "ok 2000 - heavy/t1999"));
    streamed_done(&s);
}

/* With --output-limit 0 a report keeps a test's whole output, however
 * large: it is read back from the spool and written a piece at a time.
 * One test printing 50 MB once took the runner over 150 MiB (its output
 * read whole, then sanitised and escaped whole); streamed, it stays under
 * 32 MiB, and both reports hold every line. */
TEST(report_streaming, one_uncapped_output_is_never_held_whole,
     .timeout = 120)
{
    const char *args[] = {"--filter", "output_50mb/prints_and_fails",
                          "--output-limit", "0"};
    const size_t lines = 50 * 1024 * 1024 / 100;
    struct streamed s;

    run_streamed(&s, "output_50mb", args, 4, "\nline ");
    EXPECT_EQ(s.r.code, 1, "stderr: %s", s.r.err);
    /* Every line but the first follows a line break. */
    EXPECT_EQ(s.count, lines - 1);
    EXPECT_GT(s.bytes, 50LL * 1024 * 1024, "JUnit report of %lld bytes",
              s.bytes);
    EXPECT_EQ(st_count(s.tap_text, "    line "), lines);
    EXPECT_NOT_NULL(strstr(s.tap_text, "\n    line 524287 "));
    streamed_done(&s);
}
