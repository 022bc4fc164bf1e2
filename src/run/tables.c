// SPDX-License-Identifier: MIT
// tables.c — the memory of the run's tables that grow with the number of
// tests: the cases of every TEST_P with their ids, the registry's order,
// the plan, the shuffled order, and the scratch arrays that build them.
// None of it is private memory of the process that forks. Each worker and
// suite holder forks a test process for every test, and fork() copies the
// page-table entries of every private page its parent has touched: tables
// kept on the heap would make every fork cost more with every test the
// binary has. A MAP_SHARED mapping has no page-table entries to copy (a
// process faults in only the pages it reads), so here an array is a
// MAP_SHARED mapping of /dev/zero of its own (anonymous shared memory
// within POSIX.1-2008), unmapped when freed, and what is kept for the
// life of the process (a TEST_P's cases and ids are made once, cordon_main
// may run again) is packed into shared blocks. Once the run is planned the
// coordinator seals the lot read-only: the processes forked from it see
// the same pages, and a test's wild write through a stray pointer ends in
// SIGSEGV, its own crash, never in another test's entry.
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A mapping of the tables. The list of them is private memory of each
 * process, apart from the tables themselves: a test process that makes
 * or frees a table of its own (the selftest's unit tests do) changes its
 * own list, never its parent's. */
struct table {
    void *addr;
    size_t size;
};

/* A block of what is kept is this large, or larger for one thing that
 * is. Packed, so that a binary of thousands of TEST_Ps has a handful of
 * mappings, not one each: every mapping costs every fork. */
#define BLOCK ((size_t)256 * 1024)

static struct table *tables;
static size_t ntables, cap;
static char *kept;       /* the block things kept are packed into, or NULL */
static size_t kept_left; /* bytes free at its end */
static bool sealed;

/* map_zero maps size bytes of /dev/zero, rounded up to pages into *size;
 * NULL with errno set. */
static void *
map_zero(size_t *size, int flags)
{
    long page = sysconf(_SC_PAGESIZE);
    void *p;
    int fd, err;

    if (page <= 0)
        page = 4096;
    if (*size > SIZE_MAX - (size_t)page) {
        errno = ENOMEM;
        return NULL;
    }
    *size = (*size + (size_t)page - 1) / (size_t)page * (size_t)page;
    if (*size == 0)
        *size = (size_t)page;
    fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    p = mmap(NULL, *size, PROT_READ | PROT_WRITE, flags, fd, 0);
    err = errno;
    close(fd);
    errno = err;
    return p == MAP_FAILED ? NULL : p;
}

static _Noreturn void
out_of_memory(size_t size)
{
    cordon__error("out of memory for the run's tables, %zu bytes: %s (run "
                  "fewer tests at once with --filter or --shard)", size,
                  strerror(errno));
    exit(CORDON_EXIT_USAGE);
}

void *
cordon__tables_new(size_t size)
{
    size_t mapped = size;
    void *p = map_zero(&mapped, MAP_SHARED);

    if (p == NULL)
        out_of_memory(size);
    if (ntables == cap) {
        cap = cap ? 2 * cap : 16;
        tables = cordon__xrealloc(tables, cap * sizeof *tables);
    }
    tables[ntables++] = (struct table){p, mapped};
    return p;
}

void
cordon__tables_free(void *p)
{
    for (size_t i = 0; p != NULL && i < ntables; i++) {
        if (tables[i].addr != p)
            continue;
        munmap(p, tables[i].size);
        tables[i] = tables[--ntables];
        return;
    }
    if (p != NULL)
        cordon__bug("a table freed that is none");
}

void *
cordon__tables_keep(size_t size, size_t align)
{
    size_t pad = kept != NULL ? (align - (uintptr_t)kept % align) % align : 0;
    char *p;

    /* A sealed block is read-only: while sealed, a new one. */
    if (kept == NULL || sealed || kept_left < pad ||
        kept_left - pad < size) {
        size_t block = size > BLOCK ? size : BLOCK;

        kept = cordon__tables_new(block);
        kept_left = block;
        pad = 0;
    }
    p = kept + pad;
    kept = p + size;
    kept_left -= pad + size;
    return p;
}

void
cordon__tables_sort(void *base, size_t n, size_t size,
                    int (*cmp)(const void *, const void *, const void *),
                    const void *arg)
{
    char *tmp, *from = base, *to;

    if (n < 2)
        return;
    tmp = to = cordon__tables_new(n * size);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = mid + width < n ? mid + width : n;
            size_t a = lo, b = mid, k = lo;

            while (a < mid && b < hi) {
                const char *next = cmp(from + b * size, from + a * size,
                                       arg) < 0
                                       ? from + b++ * size
                                       : from + a++ * size;

                memcpy(to + k++ * size, next, size);
            }
            if (a < mid)
                memcpy(to + k * size, from + a * size, (mid - a) * size);
            else if (b < hi)
                memcpy(to + k * size, from + b * size, (hi - b) * size);
        }
        to = from;
        from = from == (char *)base ? tmp : base;
    }
    if (from != (char *)base)
        memcpy(base, from, n * size);
    cordon__tables_free(tmp);
}

const char *
cordon__tables_id(const char *text)
{
    size_t len = strlen(text) + 1;

    return memcpy(cordon__tables_keep(len, 1), text, len);
}

void *
cordon__tables_fresh(size_t size)
{
    /* MAP_PRIVATE: written by this process alone. Only the size, in a
     * line of its own in front, is written here, so a process forked
     * before the rest is written copies one page of it. */
    size_t mapped = size + 64;
    char *p = size > SIZE_MAX - 64 ? NULL : map_zero(&mapped, MAP_PRIVATE);

    if (p == NULL)
        return NULL;
    memcpy(p, &mapped, sizeof mapped);
    return p + 64;
}

void
cordon__tables_fresh_free(void *p)
{
    size_t mapped;

    if (p == NULL)
        return;
    memcpy(&mapped, (char *)p - 64, sizeof mapped);
    munmap((char *)p - 64, mapped);
}

void
cordon__tables_seal(bool seal)
{
    int prot = seal ? PROT_READ : PROT_READ | PROT_WRITE;

    if (seal == sealed)
        return;
    sealed = seal;
    for (size_t i = 0; i < ntables; i++)
        if (mprotect(tables[i].addr, tables[i].size, prot) != 0)
            cordon__bug("mprotect of the run's tables failed");
}
