// SPDX-License-Identifier: MIT
// rss_linux.c — a library the benchmark preloads (LD_PRELOAD) into the
// program it times, to learn that one process's own peak resident set size.
// getrusage(RUSAGE_CHILDREN) in the benchmark gives the largest peak of the
// program and every descendant it waited for; a cordon test is a fork of
// the runner and shares its pages, so that maximum alone cannot tell the
// runner's memory from a test's. At exit, in the process whose pid is
// CORDON_BENCH_RSS_PID only (never in a forked test that calls exit()),
// this writes the VmHWM line of /proc/self/status, in KiB, to the file
// CORDON_BENCH_RSS_FILE. Linux only: the peak comes from /proc.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t rss_pid;
static char rss_file[4096];

/* rss_start takes its settings out of the environment, LD_PRELOAD
 * included, so that programs the timed one runs are neither probed nor
 * slowed down by loading this library again. */
__attribute__((constructor)) static void
rss_start(void)
{
    const char *pid = getenv("CORDON_BENCH_RSS_PID");
    const char *file = getenv("CORDON_BENCH_RSS_FILE");

    if (pid != NULL && file != NULL && strlen(file) < sizeof rss_file) {
        rss_pid = (pid_t)atol(pid);
        strcpy(rss_file, file);
    }
    unsetenv("CORDON_BENCH_RSS_PID");
    unsetenv("CORDON_BENCH_RSS_FILE");
    unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void
rss_finish(void)
{
    char line[256];
    long kib = -1;
    FILE *status;
    int fd;

    if (rss_pid == 0 || getpid() != rss_pid)
        return;
    status = fopen("/proc/self/status", "r");
    if (status == NULL)
        return;
    while (fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = atol(line + 6);
    fclose(status);
    if (kib < 0)
        return;
    fd = open(rss_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return;
    snprintf(line, sizeof line, "%ld\n", kib);
    if (write(fd, line, strlen(line)) < 0)
        perror("rss_linux: write");
    close(fd);
}
