// SPDX-License-Identifier: MIT
// platform_posix.c — the portable stand-in for platform_linux.c. Without a
// subreaper, what a test leaves outside its process group is re-parented to
// init and cannot be found by its worker: the worker still kills the test's
// group and pid, and the README says what escapes.
#include "supervise/supervise.h"

void
cordon__platform_child_init(void)
{
}

bool
cordon__platform_worker_init(void)
{
    return false;
}

int
cordon__platform_children_open(void)
{
    return -1;
}

size_t
cordon__platform_children(int fd, pid_t *pids, size_t max)
{
    (void)fd;
    (void)pids;
    (void)max;
    return 0;
}

bool
cordon__platform_dontfork(void *addr, size_t len, bool hide)
{
    (void)addr;
    (void)len;
    (void)hide;
    return false;
}

bool
cordon__platform_dontfork_works(void)
{
    return false;
}

int
cordon__platform_pidfd(pid_t pid)
{
    (void)pid;
    return -1;
}

bool
cordon__platform_reaper_begin(void)
{
    return false;
}

void
cordon__platform_reaper_end(void)
{
}
