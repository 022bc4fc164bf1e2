// SPDX-License-Identifier: MIT
// platform_linux.c — Linux-only extras of the supervisor. A test process
// dies with its worker (PR_SET_PDEATHSIG), and a worker with the
// coordinator. A worker is a child subreaper (PR_SET_CHILD_SUBREAPER): what
// a test leaves behind — helpers in other process groups, daemons that
// called setsid() — is re-parented to the worker rather than to init, so
// the worker can find it through /proc/self/task/PID/children (or, on a
// kernel without that file, the process table), kill it and reap it before
// the next test starts. Built instead of platform_posix.c
// when CMake finds prctl.
#define _GNU_SOURCE
#include "supervise/supervise.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* control calls prctl() with all four of its arguments, each an unsigned
 * long as the kernel reads them: prctl() is variadic, and on i386, where
 * they are passed on the stack, the ones a shorter call leaves out are
 * whatever the stack holds there (valgrind's "Syscall param prctl(arg3)
 * contains uninitialised byte(s)" in every run). */
static int
control(int option, unsigned long value)
{
    return prctl(option, value, 0UL, 0UL, 0UL);
}

void
cordon__platform_child_init(void)
{
    control(PR_SET_PDEATHSIG, SIGKILL);
}

bool
cordon__platform_worker_init(void)
{
    control(PR_SET_PDEATHSIG, SIGKILL);
    return control(PR_SET_CHILD_SUBREAPER, 1) == 0;
}

/* stat_of reads the state and parent of a process from /proc/PID/stat;
 * false when it is gone. The command name may hold anything, ')' too, so
 * the fields are read after its last ')'. */
static bool
stat_of(const char *pid, char *state, long *ppid)
{
    char path[64], buf[512];
    FILE *f;
    size_t n;
    char *close_paren;

    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    f = fopen(path, "re");
    if (f == NULL)
        return false;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f); /* NOLINT(cert-err33-c): only read */
    buf[n] = '\0';
    close_paren = strrchr(buf, ')');
    return close_paren != NULL &&
           /* The kernel's numbers; a line that does not parse fails the == 2.
            * NOLINTNEXTLINE(cert-err34-c) */
           sscanf(close_paren + 1, " %c %ld", state, ppid) == 2;
}

/* cordon__platform_dontfork_works: asked once, of a page of its own and
 * a child that looks for it. qemu-user accepts MADV_DONTFORK and ignores
 * it. */
bool
cordon__platform_dontfork_works(void)
{
    static int known; /* 0 unknown, 1 works, -1 does not */
    long size = sysconf(_SC_PAGESIZE);
    void *page;
    pid_t pid;
    int status = 0;

    if (known != 0)
        return known > 0;
    known = -1;
    page = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return false;
    if (madvise(page, (size_t)size, MADV_DONTFORK) == 0) {
        pid = fork();
        /* In the child the page is gone: advice on it fails (ENOMEM). */
        if (pid == 0)
            _exit(madvise(page, (size_t)size, MADV_NORMAL) == 0 ? 1 : 0);
        if (pid > 0 && waitpid(pid, &status, 0) == pid &&
            WIFEXITED(status) && WEXITSTATUS(status) == 0)
            known = 1;
    }
    munmap(page, (size_t)size);
    return known > 0;
}

bool
cordon__platform_dontfork(void *addr, size_t len, bool hide)
{
    return madvise(addr, len, hide ? MADV_DONTFORK : MADV_DOFORK) == 0;
}

int
cordon__platform_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, (long)pid, 0L);
#else
    (void)pid;
    return -1;
#endif
}

/* Whether the coordinator's process was a subreaper before the run (a
 * program may be one for reasons of its own). */
static int was_reaper;

bool
cordon__platform_reaper_begin(void)
{
    if (control(PR_GET_CHILD_SUBREAPER, (unsigned long)&was_reaper) != 0)
        was_reaper = 0;
    return was_reaper != 0 || control(PR_SET_CHILD_SUBREAPER, 1) == 0;
}

void
cordon__platform_reaper_end(void)
{
    if (!was_reaper)
        control(PR_SET_CHILD_SUBREAPER, 0);
}

int
cordon__platform_children_open(void)
{
    char path[64];

    /* A worker has one thread, whose id is its pid; the file lists the
     * children of that thread, zombies included. */
    snprintf(path, sizeof path, "/proc/self/task/%ld/children",
             (long)getpid());
    return open(path, O_RDONLY | O_CLOEXEC);
}

/* The highest pid Linux can give (PID_MAX_LIMIT on 64-bit systems). */
#define PID_LIMIT 4194304

/* from_probe finds this process's children without /proc: waitid() on a
 * pid that is no child fails with ECHILD, and on a child (running or a
 * zombie, left as it is by WNOWAIT) succeeds. One system call per pid
 * (about a second for all of them), and only where children are known to
 * exist and /proc cannot list them. */
static size_t
from_probe(pid_t *pids, size_t max)
{
    siginfo_t info;
    size_t n = 0;

    memset(&info, 0, sizeof info);
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return 0; /* no child at all */
    for (long p = 2; p <= PID_LIMIT; p++) {
        if (waitid(P_PID, (id_t)p, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
            continue;
        if (n < max)
            pids[n] = (pid_t)p;
        n++;
    }
    return n;
}

/* from_process_table scans every /proc/PID/stat for this parent. */
static size_t
from_process_table(pid_t *pids, size_t max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    long self = (long)getpid();
    size_t n = 0;
    bool mounted = false;

    if (d == NULL)
        return from_probe(pids, max);
    while ((e = readdir(d)) != NULL) {
        char state;
        long ppid;

        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        /* A pid the kernel wrote: a number, no error to report.
         * NOLINTNEXTLINE(cert-err34-c) */
        if (atol(e->d_name) == self)
            mounted = true;
        if (stat_of(e->d_name, &state, &ppid) && ppid == self) {
            if (n < max)
                /* NOLINTNEXTLINE(cert-err34-c): as above */
                pids[n] = (pid_t)atol(e->d_name);
            n++;
        }
    }
    closedir(d);
    /* An empty /proc (a mount point with nothing mounted on it) lists
     * not even this process. */
    return mounted ? n : from_probe(pids, max);
}

size_t
cordon__platform_children(int fd, pid_t *pids, size_t max)
{
    char buf[4096];
    ssize_t len;
    size_t n = 0;

    if (fd < 0)
        return from_process_table(pids, max);
    /* A seq_file: reading it from offset 0 again lists the children as
     * they are now, one system call per look. */
    do
        len = pread(fd, buf, sizeof buf - 1, 0);
    while (len == -1 && errno == EINTR);
    if (len < 0)
        return from_process_table(pids, max);
    buf[len] = '\0';
    for (char *p = buf, *end; *p != '\0'; p = end) {
        long pid = strtol(p, &end, 10);

        if (end == p)
            break;
        if (n < max)
            pids[n] = (pid_t)pid;
        n++;
    }
    /* More children than fit one read: the table says how many. */
    if ((size_t)len == sizeof buf - 1)
        return from_process_table(pids, max);
    return n;
}
