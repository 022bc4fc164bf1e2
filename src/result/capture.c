// SPDX-License-Identifier: MIT
// capture.c — where a test's stdout and stderr go: an unlinked temporary
// file per stream and worker, reused from test to test. A file, not a
// pipe, so a test printing 50 MB never blocks on a full pipe. When the test
// has ended, the capped excerpt (first and last halves of the limit, with a
// marker giving the bytes left out) is copied into the spool piece by
// piece: no process holds a test's output in memory.
#include "result/result.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *
cordon__capture_dir(const char **origin)
{
    static const char *const vars[] = {"TEST_TMPDIR", "TMPDIR"};

    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *dir = getenv(vars[i]);

        if (dir != NULL && *dir != '\0') {
            *origin = vars[i];
            return dir;
        }
    }
    *origin = "the default";
    return "/tmp";
}

int
cordon__capture_open(void)
{
    const char *origin, *dir = cordon__capture_dir(&origin);
    struct cordon__buf path = {0};
    int fd;

    cordon__buf_printf(&path, "%s/cordon-capture-XXXXXX", dir);
    fd = mkstemp(path.data);
    if (fd >= 0) {
        unlink(path.data);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    free(path.data);
    return fd;
}

/* copy_range copies n bytes of fd from off into the spool at to, through
 * a fixed buffer: nothing here grows with what a test printed. A file
 * that turns out shorter (the test is gone, but a truncation is not ruled
 * out) leaves the rest of the reservation as zero bytes. */
static int
copy_range(int fd, uint64_t off, uint64_t n, struct cordon__spool *sp,
           uint64_t to)
{
    char chunk[65536];

    while (n > 0) {
        size_t want = n < sizeof chunk ? (size_t)n : sizeof chunk;
        ssize_t r = pread(fd, chunk, want, (off_t)off);

        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? 0 : -1;
        if (cordon__spool_put(sp, to, chunk, (size_t)r) == -1)
            return -1;
        off += (uint64_t)r;
        to += (uint64_t)r;
        n -= (uint64_t)r;
    }
    return 0;
}

/* A range of a capture file kept in the excerpt. */
struct piece {
    uint64_t off;
    uint64_t len;
};

/* excerpt chooses what of total bytes is kept under limit: all of it, or
 * the first and last halves of the limit; and when a sanitizer report
 * starts at from (UINT64_MAX = none) and would be cut, the first half and
 * the report from its header on, itself cut in two halves of the limit
 * only when it is longer than the limit. Returns the number of pieces. */
static size_t
excerpt(uint64_t total, uint64_t limit, uint64_t from, struct piece p[3])
{
    uint64_t head = limit / 2, tail = limit - head;

    if (limit == 0 || total <= limit) {
        p[0] = (struct piece){0, total};
        return 1;
    }
    p[0] = (struct piece){0, head};
    if (from < head || from >= total - tail) {
        p[1] = (struct piece){total - tail, tail};
        return 2;
    }
    if (total - from <= limit) {
        p[1] = (struct piece){from, total - from};
        return 2;
    }
    p[1] = (struct piece){from, head};
    p[2] = (struct piece){total - tail, tail};
    return 3;
}

int
cordon__capture_spool_from(int fd, uint64_t limit, uint64_t from,
                           struct cordon__spool *sp, struct cordon__stream *s)
{
    struct stat st;
    struct piece p[3];
    char marker[3][96];
    int mlen[3] = {0, 0, 0}, rc = 0;
    uint64_t total, kept = 0, at;
    size_t n;

    *s = (struct cordon__stream){.span = {0, 0}};
    if (fstat(fd, &st) == -1)
        return -1;
    total = (uint64_t)st.st_size;
    s->total = total;
    if (total == 0)
        return cordon__capture_discard(fd);
    n = excerpt(total, limit, from, p);
    for (size_t i = 0; i < n; i++) {
        uint64_t next = i + 1 < n ? p[i + 1].off : total;
        uint64_t gap = next - (p[i].off + p[i].len);

        if (from >= p[i].off && from - p[i].off < p[i].len) {
            s->report = true;
            s->report_at = s->span.len + (from - p[i].off);
        }
        kept += p[i].len;
        if (gap > 0)
            mlen[i] = snprintf(marker[i], sizeof marker[i],
                               "\n[... cordon: %llu bytes of output "
                               "omitted ...]\n", (unsigned long long)gap);
        s->span.len += p[i].len + (uint64_t)mlen[i];
    }
    s->omitted = total - kept;
    s->span.off = at = cordon__spool_reserve(sp, s->span.len);
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (copy_range(fd, p[i].off, p[i].len, sp, at) == -1 ||
            (mlen[i] > 0 && cordon__spool_put(sp, at + p[i].len, marker[i],
                                              (size_t)mlen[i]) == -1))
            rc = -1;
        at += p[i].len + (uint64_t)mlen[i];
    }
    if (rc == -1)
        s->span.len = 0, s->report = false;
    /* Empty the file for the worker's next test. */
    if (cordon__capture_discard(fd) == -1)
        rc = -1;
    return rc;
}

int
cordon__capture_spool(int fd, uint64_t limit, struct cordon__spool *sp,
                      struct cordon__stream *s)
{
    return cordon__capture_spool_from(fd, limit, UINT64_MAX, sp, s);
}

/* cordon__capture_discard empties fd without keeping anything. */
int
cordon__capture_discard(int fd)
{
    struct stat st;

    /* Most tests print nothing: one fstat then. The file is opened for
     * appending, so after a truncation the next test writes from the
     * start without a seek, whatever the offset was. */
    if (fstat(fd, &st) == -1 || (st.st_size > 0 && ftruncate(fd, 0) == -1))
        return -1;
    /* A test that clears O_APPEND writes at the description's offset:
     * from the start, not past where the previous test ended, which
     * would leave it a hole of NUL bytes. */
    if (st.st_size > 0)
        lseek(fd, 0, SEEK_SET);
    /* The test shared this open file description: its file status flags
     * are whatever it left (fcntl(1, F_SETFL, O_NONBLOCK) clears
     * O_APPEND). The next test starts from the flags the file was opened
     * with, so it writes from the start of the emptied file. */
    return fcntl(fd, F_SETFL, O_APPEND);
}
