// SPDX-License-Identifier: MIT
// platform_linux.c — Linux-only extras for a test process: it dies with the
// runner (PR_SET_PDEATHSIG), so a runner killed by SIGKILL leaves no test
// behind. Built instead of platform_posix.c when CMake finds prctl.
#define _GNU_SOURCE
#include "internal.h"

#include <signal.h>
#include <sys/prctl.h>

void
cordon__platform_child_init(void)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}
