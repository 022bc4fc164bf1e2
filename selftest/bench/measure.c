// SPDX-License-Identifier: MIT
// measure.c — one timed run of a program (see measure.h). The program is
// started from a freshly forked intermediate process that does nothing but
// fork it, wait for it and call getrusage(RUSAGE_CHILDREN): that is the
// maximum peak RSS, and the total CPU time and minor page faults, over the
// program and every descendant it waited for, and nothing else, because
// the intermediate has no other children. The intermediate sends its figures back through a
// pipe and exits.
#include "measure.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the intermediate process reports. */
struct verdict {
    int status;     /* wait status of the program */
    bool timed_out; /* it was killed at the limit */
    bool no_fork;   /* the intermediate could not fork */
    double wall, cpu;
    long peak_kib;
    long minflt;
};

static volatile sig_atomic_t alarmed;

static void
on_alarm(int sig)
{
    (void)sig;
    alarmed = 1;
}

double
bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* start becomes the program: environment, descriptors, exec. */
static _Noreturn void
start(const struct bench_command *cmd, char *const argv[], const char *dir)
{
    char path[4096], pid[32];
    sigset_t none;
    int in, out;

    /* Its own process group, so that a hung run is killed whole. */
    setpgid(0, 0);
    /* A signal the driver blocks or ignores must not change the run. */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    snprintf(path, sizeof path, "%s/tmp", dir);
    setenv("TMPDIR", path, 1);
    if (cmd->probe != NULL) {
        snprintf(path, sizeof path, "%s/rss", dir);
        snprintf(pid, sizeof pid, "%ld", (long)getpid());
        setenv("LD_PRELOAD", cmd->probe, 1);
        setenv("CORDON_BENCH_RSS_PID", pid, 1);
        setenv("CORDON_BENCH_RSS_FILE", path, 1);
    }
    in = open("/dev/null", O_RDONLY);
    out = open(cmd->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 ||
        dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0) {
        perror("bench: cannot redirect the program");
        _exit(127);
    }
    close(in);
    close(out);
    execv(argv[0], argv);
    fprintf(stderr, "bench: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* intermediate forks the program, waits for it (killing it at the limit),
 * writes a struct verdict to fd and exits. */
static _Noreturn void
intermediate(const struct bench_command *cmd, char *const argv[],
             const char *dir, int fd)
{
    struct verdict v = {.status = -1};
    struct sigaction sa;
    struct rusage ru;
    double t0;
    pid_t pid;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: waitpid must stop */
    t0 = bench_now();
    pid = fork();
    if (pid == 0)
        start(cmd, argv, dir);
    if (pid < 0) {
        v.no_fork = true;
    } else {
        setpgid(pid, pid); /* whichever of the two runs first */
        alarm(cmd->limit);
        while (waitpid(pid, &v.status, 0) == -1) {
            if (errno != EINTR)
                break;
            if (alarmed && !v.timed_out) {
                kill(-pid, SIGKILL);
                v.timed_out = true;
            }
        }
        v.wall = bench_now() - t0;
        alarm(0);
        getrusage(RUSAGE_CHILDREN, &ru);
        v.cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
        v.peak_kib = ru.ru_maxrss; /* KiB on Linux and the BSDs */
        v.minflt = ru.ru_minflt;
    }
    if (write(fd, &v, sizeof v) != (ssize_t)sizeof v)
        _exit(1);
    _exit(0);
}

/* read_long reads one number from a file, or -1. */
static long
read_long(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = -1;

    if (f != NULL) {
        if (fscanf(f, "%ld", &n) != 1)
            n = -1;
        fclose(f);
    }
    return n;
}

/* remove_tree removes path and, if it is a directory, what is in it. */
static void
remove_tree(const char *path)
{
    struct stat st;
    DIR *d;

    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
        struct dirent *e;
        char sub[4096];

        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* count_left counts the entries of dir other than the names in keep
 * (NULL-terminated), printing each to stderr. */
static long
count_left(const char *dir, const char *const keep[])
{
    struct dirent *e;
    long n = 0;
    DIR *d = opendir(dir);

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        bool kept = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;

        for (int i = 0; !kept && keep[i] != NULL; i++)
            kept = strcmp(e->d_name, keep[i]) == 0;
        if (!kept) {
            fprintf(stderr, "bench: left behind: %s/%s\n", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

int
bench_measure(const struct bench_command *cmd, struct bench_sample *s,
              char *why, size_t why_size)
{
    static const char *const keep_top[] = {"tmp", "rss", "r.xml", NULL};
    static const char *const keep_none[] = {NULL};
    char *argv[BENCH_MAX_ARGS + 3];
    char dir[1024], path[4096], junit[4096];
    const char *base = getenv("TMPDIR");
    struct verdict v;
    struct stat st;
    int fds[2], argc = 0, result = -1;
    ssize_t got = 0;
    pid_t mid;

    memset(s, 0, sizeof *s);
    s->runner_kib = s->junit_bytes = -1;
    if (base == NULL || *base == '\0')
        base = "/tmp";
    if (snprintf(dir, sizeof dir, "%s/cordon-bench.XXXXXX", base) >=
        (int)sizeof dir) {
        snprintf(why, why_size, "TMPDIR is too long: %s", base);
        return -1;
    }
    if (mkdtemp(dir) == NULL) {
        snprintf(why, why_size, "cannot make a private directory: %s",
                 strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/tmp", dir);
    snprintf(junit, sizeof junit, "%s/r.xml", dir);
    if (mkdir(path, 0700) != 0 || pipe(fds) != 0) {
        snprintf(why, why_size, "cannot set up a run: %s", strerror(errno));
        goto out;
    }
    /* Only the intermediate may hold the pipe, not the program. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    while (cmd->argv[argc] != NULL) {
        argv[argc] = cmd->argv[argc];
        argc++;
    }
    if (cmd->junit) {
        argv[argc++] = "--junit";
        argv[argc++] = junit;
    }
    argv[argc] = NULL;

    mid = fork();
    if (mid == 0) {
        close(fds[0]);
        intermediate(cmd, argv, dir, fds[1]);
    }
    close(fds[1]);
    while (mid > 0 && got < (ssize_t)sizeof v) {
        ssize_t n = read(fds[0], (char *)&v + got, sizeof v - (size_t)got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    close(fds[0]);
    while (mid > 0 && waitpid(mid, NULL, 0) == -1 && errno == EINTR)
        ;
    if (mid < 0 || got != (ssize_t)sizeof v || v.no_fork) {
        snprintf(why, why_size, "cannot fork: %s", strerror(errno));
        goto out;
    }

    s->wall = v.wall;
    s->cpu = v.cpu;
    s->peak_kib = v.peak_kib;
    s->minflt = v.minflt;
    snprintf(path, sizeof path, "%s/rss", dir);
    s->runner_kib = read_long(path);
    snprintf(path, sizeof path, "%s/tmp", dir);
    s->left = count_left(dir, keep_top) + count_left(path, keep_none);
    if (cmd->junit)
        s->junit_bytes = stat(junit, &st) == 0 ? (long)st.st_size : 0;

    if (v.timed_out)
        snprintf(why, why_size, "killed after %u s (log: %s)", cmd->limit,
                 cmd->log);
    else if (WIFSIGNALED(v.status))
        snprintf(why, why_size, "killed by signal %d (log: %s)",
                 WTERMSIG(v.status), cmd->log);
    else if (!WIFEXITED(v.status) || WEXITSTATUS(v.status) != 0)
        snprintf(why, why_size, "exit status %d (log: %s)",
                 WIFEXITED(v.status) ? WEXITSTATUS(v.status) : -1, cmd->log);
    else
        result = 0;
out:
    remove_tree(dir);
    return result;
}
