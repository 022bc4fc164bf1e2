// SPDX-License-Identifier: MIT
// debugger.c — running under a debugger. A debugger that follows the
// parent (gdb's default) misses every breakpoint and crash in a forked
// test, and says only "Detaching after fork". So when one is attached
// (Linux: a non-zero TracerPid in /proc/self/status) the run goes
// in-process, as --no-fork, with no timeouts, and says so once; --fork
// keeps forking. Elsewhere nothing is detected and nothing changes.
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
cordon__debugger_attached(void)
{
#ifdef __linux__
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    bool traced = false;

    if (f == NULL)
        return false;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "TracerPid:", 10) == 0) {
            traced = strtol(line + 10, NULL, 10) != 0;
            break;
        }
    fclose(f);
    return traced;
#else
    return false;
#endif
}

void
cordon__debugger_adjust(struct cordon__config *cfg)
{
    if (cfg->no_fork || cfg->fork || !cordon__debugger_attached())
        return;
    cfg->no_fork = true;
    fprintf(stderr, "cordon: a debugger is attached: running the tests in "
            "this process, one after another, without timeouts (--fork to "
            "fork them)\n");
}
