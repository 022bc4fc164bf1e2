// SPDX-License-Identifier: MIT
// capture.c — where a test's stdout and stderr go: an unlinked temporary
// file per stream and job slot, reused from test to test. A file, not a
// pipe, so a test printing 50 MB never blocks on a full pipe and the runner
// never holds more than the capped excerpt it keeps (first and last halves
// of the limit, with a marker giving the bytes left out).
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
cordon__capture_open(void)
{
    const char *dir = getenv("TEST_TMPDIR");
    struct cordon__buf path = {0};
    int fd;

    if (dir == NULL || *dir == '\0')
        dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
    cordon__buf_printf(&path, "%s/cordon-capture-XXXXXX", dir);
    fd = mkstemp(path.data);
    if (fd >= 0) {
        unlink(path.data);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    free(path.data);
    return fd;
}

/* read_at reads exactly n bytes at off unless the file is shorter. */
static size_t
read_at(int fd, char *dst, size_t n, off_t off)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = pread(fd, dst + got, n - got, off + (off_t)got);

        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

int
cordon__capture_take(int fd, size_t limit, struct cordon__capture *c)
{
    struct stat st;
    size_t total, head, tail;
    char marker[96];
    int mlen = 0;

    *c = (struct cordon__capture){0};
    if (fstat(fd, &st) == -1)
        return -1;
    total = (size_t)st.st_size;
    c->total = total;
    if (total == 0)
        goto out;
    head = total;
    tail = 0;
    if (limit > 0 && total > limit) {
        head = limit / 2;
        tail = limit - head;
        c->omitted = total - head - tail;
        mlen = snprintf(marker, sizeof marker,
                        "\n[... cordon: %zu bytes of output omitted ...]\n",
                        c->omitted);
    }
    c->data = cordon__xmalloc(head + (size_t)mlen + tail + 1);
    c->len = read_at(fd, c->data, head, 0);
    if (tail > 0) {
        memcpy(c->data + c->len, marker, (size_t)mlen);
        c->len += (size_t)mlen;
        c->len += read_at(fd, c->data + c->len, tail, (off_t)(total - tail));
    }
    c->data[c->len] = '\0';
out:
    /* Empty the file for the slot's next test. */
    return cordon__capture_discard(fd);
}

void
cordon__capture_free(struct cordon__capture *c)
{
    free(c->data);
    *c = (struct cordon__capture){0};
}

/* cordon__capture_discard empties fd without keeping anything. */
int
cordon__capture_discard(int fd)
{
    struct stat st;

    /* The offset is shared with the finished test's descriptors, so it is
     * rewound too. Most tests print nothing: skip the truncation then. */
    if (fstat(fd, &st) == -1 || (st.st_size > 0 && ftruncate(fd, 0) == -1) ||
        lseek(fd, 0, SEEK_SET) == -1)
        return -1;
    return 0;
}
