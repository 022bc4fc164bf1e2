// SPDX-License-Identifier: MIT
// maps.c — reads this process's /proc/self/maps (Linux), a line at a time,
// into what a crash report needs of each mapping: its addresses, the file
// behind it and that file's identity. A test process's crash handler calls
// it (backtrace.c), so it allocates nothing, keeps no state outside the
// reader it is given, and calls only async-signal-safe functions: open(),
// read(), close() and byte copies, no stdio, no locale. Where there is no
// /proc (or it reads otherwise), opening fails and nothing is known.
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int
cordon__maps_open(struct cordon__maps *m)
{
    do
        m->fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    while (m->fd == -1 && errno == EINTR);
    m->len = m->pos = 0;
    m->skip = false;
    return m->fd == -1 ? -1 : 0;
}

void
cordon__maps_close(struct cordon__maps *m)
{
    if (m->fd != -1)
        close(m->fd);
    m->fd = -1;
}

/* fill reads more after what is left of buf; false at the end. */
static bool
fill(struct cordon__maps *m)
{
    ssize_t r;

    if (m->pos > 0) {
        memmove(m->buf, m->buf + m->pos, m->len - m->pos);
        m->len -= m->pos;
        m->pos = 0;
    }
    if (m->fd == -1 || m->len >= sizeof m->buf - 1)
        return false;
    do
        r = read(m->fd, m->buf + m->len, sizeof m->buf - 1 - m->len);
    while (r == -1 && errno == EINTR);
    if (r <= 0)
        return false;
    m->len += (size_t)r;
    return true;
}

/* hex reads a hexadecimal number at *p and moves past it; false when
 * there is none. */
static bool
hex(const char **p, uintmax_t *out)
{
    const char *s = *p;
    uintmax_t v = 0;

    for (;; s++) {
        unsigned d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else
            break;
        v = v * 16 + d;
    }
    if (s == *p)
        return false;
    *out = v;
    *p = s;
    return true;
}

static bool
decimal(const char **p, uintmax_t *out)
{
    const char *s = *p;
    uintmax_t v = 0;

    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uintmax_t)(*s - '0');
    if (s == *p)
        return false;
    *out = v;
    *p = s;
    return true;
}

static bool
expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

static void
blanks(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* parse reads "start-end perms offset major:minor inode path" (proc(5)). */
static bool
parse(const char *s, struct cordon__maps_line *l)
{
    uintmax_t start, end, offset, major, minor, inode;
    const char *perms;

    if (!hex(&s, &start) || !expect(&s, '-') || !hex(&s, &end) ||
        !expect(&s, ' '))
        return false;
    for (perms = s; *s != ' ' && *s != '\0'; s++)
        ;
    l->exec = s - perms >= 3 && perms[2] == 'x';
    blanks(&s);
    if (!hex(&s, &offset) || !expect(&s, ' ') || !hex(&s, &major) ||
        !expect(&s, ':') || !hex(&s, &minor) || !expect(&s, ' ') ||
        !decimal(&s, &inode))
        return false;
    blanks(&s);
    l->start = (uintptr_t)start;
    l->end = (uintptr_t)end;
    l->offset = (uint64_t)offset;
    l->device = (uint64_t)major << 32 | (uint64_t)minor;
    l->inode = (uint64_t)inode;
    l->path = s;
    l->file = s[0] == '/' && (inode != 0 || major != 0 || minor != 0);
    return true;
}

bool
cordon__maps_next(struct cordon__maps *m, struct cordon__maps_line *l)
{
    for (;;) {
        char *line, *nl = memchr(m->buf + m->pos, '\n', m->len - m->pos);
        bool cut = false, tail = m->skip;

        while (nl == NULL && fill(m))
            nl = memchr(m->buf, '\n', m->len);
        if (nl == NULL && m->pos == m->len)
            return false;
        line = m->buf + m->pos;
        if (nl != NULL) {
            *nl = '\0';
            m->pos = (size_t)(nl - m->buf) + 1;
        } else {
            /* A line longer than the buffer (a path near PATH_MAX) is
             * what fits of it, its rest skipped; the last line may have
             * no newline. */
            cut = m->len - m->pos >= sizeof m->buf - 1;
            m->buf[m->len] = '\0';
            m->pos = m->len;
        }
        m->skip = cut;
        if (!tail && parse(line, l)) {
            l->whole = !cut;
            return true;
        }
    }
}
