// SPDX-License-Identifier: MIT
// sink.c — where a report streams to: a file descriptor behind a fixed
// buffer. A report of ten thousand tests with 64 KiB of output each is
// 640 MiB; written through a sink it costs the runner one buffer, however
// large it grows. The sink owns the write loop (EINTR, partial writes) and
// keeps the first error, after which it writes nothing more: a reporter
// writes on and asks once, at the end, whether every byte got out. It does
// not own the descriptor: reports.c opens, syncs, renames and closes it.
#include "report/report.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
cordon__sink_init(struct cordon__sink *s, int fd)
{
    s->fd = fd;
    s->err = 0;
    s->len = 0;
}

/* put writes n bytes straight to the descriptor, keeping the first error. */
static void
put(struct cordon__sink *s, const char *data, size_t n)
{
    while (n > 0 && s->err == 0) {
        ssize_t w = write(s->fd, data, n);

        /* Woken by a signal: try again, unless the run was interrupted
         * and nobody read this for too long. */
        if (w == -1 && errno == EINTR && !cordon__interrupt_give_up())
            continue;
        /* A descriptor someone made O_NONBLOCK (stdout is shared with
         * whoever started the run) that is full: wait until it takes
         * bytes, as a blocking write would, and as interruptibly. */
        if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = {.fd = s->fd, .events = POLLOUT};

            if (poll(&p, 1, -1) != -1 || errno != EINTR ||
                !cordon__interrupt_give_up())
                continue;
        }
        if (w <= 0) {
            /* write() returning 0 for a non-zero count says nothing went
             * out and sets no errno: call it what it is to the user. */
            s->err = w == 0 ? EIO : errno;
            break;
        }
        data += w;
        n -= (size_t)w;
    }
}

void
cordon__sink_add(struct cordon__sink *s, const char *data, size_t n)
{
    if (s->err != 0)
        return;
    if (s->len + n > sizeof s->buf) {
        put(s, s->buf, s->len);
        s->len = 0;
        /* What cannot share the buffer skips it: one copy fewer. */
        if (n >= sizeof s->buf) {
            put(s, data, n);
            return;
        }
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
}

void
cordon__sink_printf(struct cordon__sink *s, const char *fmt, ...)
{
    char small[512];
    char *big;
    va_list ap;
    int n;

    va_start(ap, fmt);
    /* ap is started on the line above: clang 14's valist checker loses
     * track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (s->err == 0)
            s->err = errno != 0 ? errno : EINVAL;
        return;
    }
    if ((size_t)n < sizeof small) {
        cordon__sink_add(s, small, (size_t)n);
        return;
    }
    big = cordon__xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cordon__sink_add(s, big, (size_t)n);
    free(big);
}

int
cordon__sink_flush(struct cordon__sink *s)
{
    put(s, s->buf, s->len);
    s->len = 0;
    if (s->err != 0) {
        errno = s->err;
        return -1;
    }
    return 0;
}
