// SPDX-License-Identifier: MIT
// debugger.c — running under a debugger. A debugger that follows the
// parent (gdb's default) misses every breakpoint and crash in a forked
// test, and says only "Detaching after fork". So when one is attached
// (Linux: a non-zero TracerPid in /proc/self/status whose command is gdb,
// gdbserver or lldb) the run goes in-process, as --no-fork, with no
// timeouts, and says so once; --fork keeps forking. Other tracers (strace,
// ltrace, rr) follow forks themselves: the run is left as it is. Elsewhere
// nothing is detected and nothing changes.
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* is_debugger says a tracer's command name is a debugger's. */
static bool
is_debugger(const char *comm)
{
    static const char *const names[] = {"gdb", "gdbserver", "lldb",
                                        "lldb-server", "lldb-mi"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(comm, names[i]) == 0)
            return true;
    /* Debian names versioned ones lldb-14, lldb-server-14. */
    return strncmp(comm, "lldb-", 5) == 0;
}

bool
cordon__debugger_attached(void)
{
#ifdef __linux__
    FILE *f = fopen("/proc/self/status", "re");
    char line[256], path[64], comm[64] = "";
    long tracer = 0;

    if (f == NULL)
        return false;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "TracerPid:", 10) == 0) {
            tracer = strtol(line + 10, NULL, 10);
            break;
        }
    fclose(f); /* NOLINT(cert-err33-c): only read */
    if (tracer <= 0)
        return false;
    snprintf(path, sizeof path, "/proc/%ld/comm", tracer);
    f = fopen(path, "re");
    if (f == NULL)
        return false;
    if (fgets(comm, sizeof comm, f) != NULL)
        comm[strcspn(comm, "\n")] = '\0';
    fclose(f); /* NOLINT(cert-err33-c): only read */
    return is_debugger(comm);
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
