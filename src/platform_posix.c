// SPDX-License-Identifier: MIT
// platform_posix.c — the portable stand-in for platform_linux.c: a test
// process needs nothing beyond POSIX.1-2008 here.
#include "internal.h"

void
cordon__platform_child_init(void)
{
}
