// SPDX-License-Identifier: MIT
// record.c — the result record a test process fills and the runner reads
// after the process is gone. It lives in a MAP_SHARED anonymous mapping made
// before fork(), so nothing the test does to its fds, its stdio or its exit
// path can lose it. Writers reserve an entry with one atomic add and publish
// it with a release store; the runner reads only published entries.
#include "result/result.h"

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

struct cordon__record *cordon__record_current;

struct cordon__record *
cordon__record_map(void)
{
    /* A MAP_SHARED mapping of /dev/zero is anonymous shared memory, and
     * unlike MAP_ANONYMOUS it is within POSIX.1-2008. */
    int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    void *p;

    if (fd < 0)
        return NULL;
    p = mmap(NULL, sizeof(struct cordon__record), PROT_READ | PROT_WRITE,
             MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

void
cordon__record_unmap(struct cordon__record *r)
{
    if (r != NULL)
        munmap(r, sizeof *r);
}

void
cordon__record_reset(struct cordon__record *r)
{
    unsigned used = atomic_load(&r->reserved);

    /* Only the entries a test reserved were touched: the rest of the
     * record's pages stay untouched (most tests record nothing). A test
     * may have scribbled on the counter, so it is bounded. */
    if (used > CORDON__RECORD_ENTRIES)
        used = CORDON__RECORD_ENTRIES;
    for (size_t i = 0; i < used; i++)
        atomic_store(&r->entries[i].ready, 0);
    atomic_store(&r->reserved, 0);
    atomic_store(&r->dropped, 0);
    atomic_store(&r->owner, 0);
    atomic_store(&r->body_finished, 0);
    atomic_store(&r->ended_by_assert, 0);
    atomic_store(&r->started_ns, 0);
    atomic_store(&r->ended_ns, 0);
    atomic_store(&r->checkpoint_file, 0);
    atomic_store(&r->checkpoint_line, 0);
    atomic_store(&r->crash.taken, 0);
    atomic_store(&r->crash.signal, 0);
    r->tmpdir[0] = '\0';
    atomic_store(&r->teardown_from, 0);
}

void
cordon__record_teardown(struct cordon__record *r)
{
    if (atomic_load(&r->owner) == (int)getpid())
        atomic_store(&r->teardown_from, atomic_load(&r->reserved) + 1);
}

void
cordon__record_stamp(atomic_llong *at)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    atomic_store(at, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

void
cordon__record_add(struct cordon__record *r, enum cordon__entry_kind kind,
                   const char *text)
{
    static const char mark[] = " [...]";
    unsigned slot = atomic_fetch_add(&r->reserved, 1);
    struct cordon__record_entry *e;
    size_t n = strlen(text);

    if (slot >= CORDON__RECORD_ENTRIES) {
        atomic_fetch_add(&r->dropped, 1);
        return;
    }
    e = &r->entries[slot];
    e->kind = kind;
    if (n >= sizeof e->text) {
        n = sizeof e->text - sizeof mark;
        memcpy(e->text, text, n);
        memcpy(e->text + n, mark, sizeof mark);
    } else {
        memcpy(e->text, text, n + 1);
    }
    atomic_store_explicit(&e->ready, 1, memory_order_release);
}

unsigned
cordon__record_count(const struct cordon__record *r,
                     enum cordon__entry_kind kind)
{
    unsigned n = 0;

    for (size_t i = 0; i < CORDON__RECORD_ENTRIES; i++)
        if (atomic_load_explicit(&r->entries[i].ready, memory_order_acquire) &&
            r->entries[i].kind == (int)kind)
            n++;
    return n;
}

const char *
cordon__record_text(const struct cordon__record *r, size_t i)
{
    const struct cordon__record_entry *e = &r->entries[i];

    /* The test process may have overwritten the terminator; reading past
     * the entry is never an option, so an unterminated text is taken as
     * absent rather than read on. */
    if (memchr(e->text, '\0', sizeof e->text) == NULL)
        return "[cordon: unterminated record text]";
    return e->text;
}

const char *
cordon__record_first(const struct cordon__record *r,
                     enum cordon__entry_kind kind)
{
    for (size_t i = 0; i < CORDON__RECORD_ENTRIES; i++)
        if (atomic_load_explicit(&r->entries[i].ready, memory_order_acquire) &&
            r->entries[i].kind == (int)kind)
            return cordon__record_text(r, i);
    return NULL;
}
