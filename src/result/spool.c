// SPDX-License-Identifier: MIT
// spool.c — where every text of a run waits for the reports: one unlinked
// temporary file, opened before the workers are forked so they all share
// it. A writer reserves room by adding to an end offset kept in shared
// memory and then pwrite()s into it, so workers never contend for a file
// offset and never wait on each other; the coordinator pread()s a span
// when it prints a result or writes a report. The run thus holds a fixed
// few hundred bytes per test in memory however much the tests print, and
// since the file is unlinked at once nothing is left on disk whatever
// happens to the run.
#include "result/result.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int
cordon__spool_open(struct cordon__spool *sp)
{
    int zero = open("/dev/zero", O_RDWR | O_CLOEXEC);
    void *p = MAP_FAILED;

    sp->end = NULL;
    sp->lost = NULL;
    sp->fd = cordon__capture_open();
    if (sp->fd < 0 || zero < 0)
        goto fail;
    /* Shared with every worker: see record.c for why /dev/zero. */
    p = mmap(NULL, sizeof *sp->end, PROT_READ | PROT_WRITE, MAP_SHARED, zero,
             0);
    if (p == MAP_FAILED)
        goto fail;
    close(zero);
    sp->end = p;
    /* The same page: mmap gave a whole one. */
    sp->lost = (atomic_int *)(void *)((char *)p + sizeof(uint64_t) * 2);
    atomic_store(sp->end, 0);
    atomic_store(sp->lost, 0);
    return 0;
fail:
    {
        int err = errno;

        if (zero >= 0)
            close(zero);
        if (sp->fd >= 0)
            close(sp->fd);
        sp->fd = -1;
        errno = err;
    }
    return -1;
}

void
cordon__spool_close(struct cordon__spool *sp)
{
    if (sp->end != NULL)
        munmap((void *)sp->end, sizeof *sp->end);
    if (sp->fd >= 0)
        close(sp->fd);
    sp->end = NULL;
    sp->lost = NULL;
    sp->fd = -1;
}

uint64_t
cordon__spool_reserve(struct cordon__spool *sp, uint64_t n)
{
    return atomic_fetch_add(sp->end, n);
}

int
cordon__spool_put(const struct cordon__spool *sp, uint64_t off,
                  const void *data, size_t n)
{
    const char *p = data;

    while (n > 0) {
        ssize_t w = pwrite(sp->fd, p, n, (off_t)off);

        if (w == -1 && errno == EINTR)
            continue;
        if (w <= 0) {
            int none = 0, err = w == 0 ? EIO : errno;

            if (sp->lost != NULL)
                atomic_compare_exchange_strong(sp->lost, &none, err);
            errno = err;
            return -1;
        }
        p += w;
        off += (uint64_t)w;
        n -= (size_t)w;
    }
    return 0;
}

int
cordon__spool_lost(const struct cordon__spool *sp)
{
    return sp->lost != NULL ? atomic_load(sp->lost) : 0;
}

struct cordon__span
cordon__spool_add(struct cordon__spool *sp, const void *data, size_t n)
{
    struct cordon__span s = {0, 0};

    if (n == 0 || sp->end == NULL)
        return s;
    s.off = cordon__spool_reserve(sp, n);
    if (cordon__spool_put(sp, s.off, data, n) == 0)
        s.len = n;
    return s;
}

int
cordon__spool_read(const struct cordon__spool *sp, struct cordon__span s,
                   struct cordon__buf *out)
{
    char chunk[16384];

    cordon__buf_add(out, "", 0);
    while (s.len > 0) {
        size_t want = s.len < sizeof chunk ? (size_t)s.len : sizeof chunk;
        ssize_t r = pread(sp->fd, chunk, want, (off_t)s.off);

        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        cordon__buf_add(out, chunk, (size_t)r);
        s.off += (uint64_t)r;
        s.len -= (uint64_t)r;
    }
    return 0;
}
