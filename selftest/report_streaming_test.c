// SPDX-License-Identifier: MIT
// report_streaming_test.c — selftests of what writing the reports costs
// the processes of a run: reports stream into their destination, so the
// runner's memory does not grow with the output the tests printed (2000
// tests of 64 KiB each: a 128 MiB JUnit report, and no process of the run
// above 32 MiB).
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

/* 2000 tests print 64 KiB each, and the JUnit report that keeps all of it
 * is 128 MiB. Rendered in memory before it was written, it took the runner
 * to 258 MiB; streamed, the largest process of the run (runner, worker or
 * test) stays under 32 MiB. ru_maxrss of RUSAGE_CHILDREN is the largest
 * of them: this test process waits for nothing but the fixture, which
 * waits for every other. The report goes into a FIFO this test reads, so
 * its whole content is checked without 128 MiB of disk writes. */
TEST(report_streaming, peak_memory_stays_flat_with_output, .timeout = 120)
{
    const long limit_kib = 32 * 1024;
    char *dir = st_tmpdir(), *fifo, *tap, *text;
    const char *args[] = {"-j", "2", "--filter", "heavy/t0*", "--filter",
                          "heavy/t1*", "--junit", NULL, "--tap", NULL,
                          NULL};
    char end[64];
    struct rusage ru;
    struct st_run r;
    size_t testcases;
    long long bytes;
    pid_t pid;
    int fd;

    if (ST_ASAN)
        SKIP("%s", "AddressSanitizer's shadow memory and quarantine are "
                   "not the runner's");
    ASSERT_NOT_NULL(dir);
    fifo = st_format("%s/report.fifo", dir);
    tap = st_format("%s/report.tap", dir);
    ASSERT_EQ(mkfifo(fifo, 0600), 0);
    args[7] = fifo;
    args[9] = tap;
    pid = st_start_fixture(&r, "output_64k_each", args, NULL);
    ASSERT_GT(pid, 0);
    /* Opens when the runner starts its report, after the tests ran. */
    fd = open(fifo, O_RDONLY);
    ASSERT_GE(fd, 0, "%s: %s", fifo, strerror(errno));
    bytes = drain(fd, "<testcase ", &testcases, end, sizeof end);
    close(fd);
    ASSERT_EQ(st_wait_until(&r, pid, 100), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    EXPECT_NOT_NULL(strstr(r.out, "cordon: 2000 passed, 0 failed, 0 skipped"),
                    "%.300s", r.out);
    ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
    /* Linux counts ru_maxrss in KiB. */
    EXPECT_LT(ru.ru_maxrss, limit_kib, "peak RSS %ld KiB", ru.ru_maxrss);
    /* The whole report got out: every test, every byte, and its end. */
    EXPECT_EQ(testcases, (size_t)2000);
    EXPECT_GT(bytes, 2000LL * 65536, "JUnit report of %lld bytes", bytes);
    EXPECT_NOT_NULL(strstr(end, "</testcase>\n  </testsuite>\n"
                                "</testsuites>\n"),
                    "the report ends: %s", end);
    text = st_read_file(tap, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(st_count(text, "ok "), (size_t)2000);
    EXPECT_TRUE(st_has_line(text, "ok 2000 - heavy/t1999"));
    free(text);
    unlink(fifo);
    unlink(tap);
    st_free(&r);
    free(fifo);
    free(tap);
    st_rmtree(dir);
}
