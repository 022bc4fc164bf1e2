// SPDX-License-Identifier: MIT
// board.c — the board: the memory the coordinator and its job slots
// share, mapped MAP_SHARED before the workers are forked. Each slot
// claims its next test from it and says in its lane what it runs; the
// coordinator reads the lanes to report the test of a worker that died.
// A test process never keeps it mapped (slot.c unmaps it in the test), and
// a suite holder seals it while its once runs (holder.c). How many lanes
// it has is kept by each process, never read from it.
#include "supervise/supervise.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

size_t
cordon__board_size(size_t nlanes)
{
    return sizeof(struct cordon__board) +
           nlanes * sizeof(struct cordon__lane);
}

struct cordon__board *
cordon__board_map(size_t nlanes)
{
    size_t size = cordon__board_size(nlanes);
    /* /dev/zero shared: anonymous shared memory within POSIX.1-2008. */
    int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    struct cordon__board *b;
    void *p;

    if (fd < 0)
        return NULL;
    /* Found here, before the workers are forked, for them to inherit. */
    (void)cordon__platform_dontfork_works();
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return NULL;
    b = p;
    for (size_t i = 0; i < nlanes; i++) {
        atomic_store(&b->lanes[i].index, -1);
        atomic_store(&b->lanes[i].claim, -1);
    }
    return b;
}

void
cordon__board_unmap(struct cordon__board *b, size_t nlanes)
{
    if (b != NULL)
        munmap(b, cordon__board_size(nlanes));
}

int
cordon__board_running(const struct cordon__board *b, size_t nlanes)
{
    int n = 0;

    for (size_t i = 0; i < nlanes; i++)
        if (atomic_load(&b->lanes[i].pid) > 0)
            n++;
    return n;
}
