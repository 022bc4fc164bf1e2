// SPDX-License-Identifier: MIT
// isolate.c — cordon_isolate(): run one function in a forked, time-limited
// process and say how it ended, for tests and for any program that must
// call a crash-prone library. Three processes take part. The caller forks
// a keeper and waits for it by pid; the keeper forks the function's
// process into a group of its own, watches it against the deadline, then
// sweeps it (sweep.c: the group, and on Linux, where the keeper is a child
// subreaper, everything it started) and writes how it ended into shared
// memory before it exits. The caller's signal dispositions, mask and
// SIGCHLD handling are never touched: the keeper does its waiting, and
// what the caller learns comes from the shared memory, so even a caller
// whose own SIGCHLD handler reaps the keeper first gets its answer. The
// death checks (EXPECT_SIGNAL, EXPECT_EXIT_STATUS) run their statement
// through the same start, returning in the function's process.
#include "isolate/isolate.h"
#include "supervise/supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the keeper tells the caller, in a MAP_SHARED mapping; the
 * function's data buffer follows it. */
struct shared {
    atomic_int done;     /* the keeper wrote everything below */
    atomic_int returned; /* the function's process returned from it */
    int error;           /* errno of the keeper's fork, 0 = it forked */
    int status;          /* wait status of the function's process */
    int timed_out;
    atomic_int pid;      /* the function's process, 0 = not forked yet */
    unsigned left;
    double seconds;
};

/* Where the data buffer starts: after the header, aligned for anything. */
#define DATA_OFFSET                                                           \
    ((sizeof(struct shared) + sizeof(max_align_t) - 1) /                      \
     sizeof(max_align_t) * sizeof(max_align_t))

/* One isolated call, as the caller sets it up. */
struct call {
    struct shared *sh;
    size_t map_size;
    size_t data_size;
    size_t output_limit;
    double timeout; /* 0 = none */
    int out_fd;
    int err_fd;
};

/* The data buffer of the isolated function running in this process. */
static void *data_here;
/* In the function's process: the shared memory, to mark its return. */
static struct shared *returning;

void *
cordon_isolate_data(void)
{
    return data_here;
}

static void
close_call(struct call *c)
{
    if (c->sh != NULL)
        munmap(c->sh, c->map_size);
    if (c->out_fd >= 0)
        close(c->out_fd);
    if (c->err_fd >= 0)
        close(c->err_fd);
    c->sh = NULL;
    c->out_fd = c->err_fd = -1;
}

/* open_call makes the shared memory and the capture files. */
static int
open_call(struct call *c, const struct cordon_isolate_options *opts)
{
    int fd, err;

    memset(c, 0, sizeof *c);
    c->out_fd = c->err_fd = -1;
    c->timeout = CORDON__ISOLATE_TIMEOUT;
    c->output_limit = CORDON__DEFAULT_OUTPUT_LIMIT;
    if (opts != NULL) {
        if (opts->timeout < 0)
            c->timeout = 0;
        else if (opts->timeout > 0)
            c->timeout = opts->timeout < CORDON__MAX_TIMEOUT
                             ? opts->timeout : CORDON__MAX_TIMEOUT;
        c->data_size = opts->data_size;
        if (opts->output_limit > 0)
            c->output_limit = opts->output_limit;
    }
    if (c->data_size > SIZE_MAX - DATA_OFFSET) {
        errno = EINVAL;
        return -1;
    }
    c->map_size = DATA_OFFSET + c->data_size;
    /* /dev/zero shared: anonymous shared memory within POSIX.1-2008. */
    fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    c->sh = mmap(NULL, c->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                 0);
    err = errno;
    close(fd);
    if (c->sh == MAP_FAILED) {
        c->sh = NULL;
        errno = err;
        return -1;
    }
    c->out_fd = cordon__capture_open();
    if (c->out_fd >= 0)
        c->err_fd = cordon__capture_open();
    if (c->err_fd < 0) {
        err = errno;
        close_call(c);
        errno = err;
        return -1;
    }
    return 0;
}

/* become_function turns a new process of the keeper into the isolated
 * function's: its own group, the caller's signal state, stdout and stderr
 * into the capture files, no core dumps, no part of any running test. */
static void
become_function(const struct call *c, const sigset_t *mask,
                const struct sigaction *chld, int children_fd)
{
    struct rlimit core;

    setpgid(0, 0);
    sigaction(SIGCHLD, chld, NULL);
    sigprocmask(SIG_SETMASK, mask, NULL);
    cordon__platform_child_init();
    if (children_fd >= 0)
        close(children_fd);
    dup2(c->out_fd, STDOUT_FILENO);
    dup2(c->err_fd, STDERR_FILENO);
    close(c->out_fd);
    close(c->err_fd);
    if (getrlimit(RLIMIT_CORE, &core) == 0) {
        core.rlim_cur = 0;
        setrlimit(RLIMIT_CORE, &core);
    }
    data_here = c->data_size > 0 ? (char *)c->sh + DATA_OFFSET : NULL;
    returning = c->sh;
    cordon__child_detach();
}

/* ended_or_waited waits up to 100 ms, or until the deadline, for SIGCHLD
 * (blocked in the keeper); says whether pid has ended. */
static bool
ended_or_waited(pid_t pid, const sigset_t *chld, double deadline)
{
    double left = 0.1;
    struct timespec ts;

    if (cordon__child_ended(pid))
        return true;
    if (deadline > 0 && deadline - cordon__now() < left)
        left = deadline - cordon__now();
    if (left <= 0)
        return false;
    ts.tv_sec = (time_t)left;
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    sigtimedwait(chld, NULL, &ts);
    return cordon__child_ended(pid);
}

/* keep runs in the keeper: it returns only in the function's process
 * (true); the keeper itself leaves through _exit. */
static bool
keep(const struct call *c)
{
    struct shared *sh = c->sh;
    struct sigaction dfl, chld_old;
    sigset_t chld, mask_old;
    bool reaper = cordon__platform_worker_init();
    int children_fd = reaper ? cordon__platform_children_open() : -1;
    struct cordon__sweep sweep = {.reaper = reaper,
                                  .children_fd = children_fd};
    double start, deadline;
    int status = 0;
    pid_t pid;

    /* SIGCHLD at its default and blocked, so sigtimedwait sees it and no
     * caller's handler or SIG_IGN steals the status. */
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &chld_old);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &mask_old);
    start = cordon__now();
    deadline = c->timeout > 0 ? start + c->timeout : 0;
    pid = fork();
    if (pid == 0) {
        become_function(c, &mask_old, &chld_old, children_fd);
        return true;
    }
    if (pid < 0) {
        sh->error = errno;
        atomic_store(&sh->done, 1);
        _exit(0);
    }
    atomic_store(&sh->pid, (int)pid);
    while (!ended_or_waited(pid, &chld, deadline)) {
        if (deadline > 0 && cordon__now() >= deadline) {
            sh->timed_out = 1;
            cordon__child_kill(pid, SIGKILL);
            break;
        }
    }
    sh->seconds = cordon__now() - start;
    cordon__sweep(pid, &status, &sweep);
    sh->left = sweep.left;
    sh->status = status;
    atomic_store(&sh->done, 1);
    cordon__coverage_flush();
    _exit(0);
}

/* read_capture copies the first limit bytes fd holds into a new string. */
static int
read_capture(int fd, size_t limit, char **text, size_t *len, size_t *total)
{
    struct stat st;
    size_t want, got = 0;

    if (fstat(fd, &st) != 0)
        return -1;
    *total = (size_t)st.st_size;
    want = *total < limit ? *total : limit;
    *text = malloc(want + 1);
    if (*text == NULL)
        return -1;
    while (got < want) {
        ssize_t n = pread(fd, *text + got, want - got, (off_t)got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    (*text)[got] = '\0';
    *len = got;
    return 0;
}

/* collect fills out from what the keeper left; -1 with errno set. */
static int
collect(const struct call *c, struct cordon_isolated *out)
{
    const struct shared *sh = c->sh;
    int st = sh->status;

    memset(out, 0, sizeof *out);
    if (!atomic_load(&sh->done)) {
        /* The keeper was killed before it could say anything. */
        errno = ECHILD;
        return -1;
    }
    if (sh->error != 0) {
        errno = sh->error;
        return -1;
    }
    out->seconds = sh->seconds;
    out->left_running = sh->left;
    if (sh->timed_out) {
        out->end = CORDON_ISOLATE_TIMED_OUT;
    } else if (WIFSIGNALED(st)) {
        out->end = CORDON_ISOLATE_SIGNALED;
        out->signal = WTERMSIG(st);
    } else if (atomic_load(&sh->returned) && WIFEXITED(st) &&
               WEXITSTATUS(st) == 0) {
        out->end = CORDON_ISOLATE_RETURNED;
    } else {
        out->end = CORDON_ISOLATE_EXITED;
        out->status = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    }
    if (read_capture(c->out_fd, c->output_limit, &out->out, &out->out_len,
                     &out->out_total) != 0 ||
        read_capture(c->err_fd, c->output_limit, &out->err, &out->err_len,
                     &out->err_total) != 0)
        goto fail;
    if (c->data_size > 0) {
        out->data = malloc(c->data_size);
        if (out->data == NULL)
            goto fail;
        memcpy(out->data, (const char *)c->sh + DATA_OFFSET, c->data_size);
        out->data_size = c->data_size;
    }
    return 0;
fail:
    cordon_isolated_free(out);
    errno = ENOMEM;
    return -1;
}

/* wait_keeper waits for the keeper to end, by pid only (the caller may
 * have children of its own), polling rather than sleeping in waitpid():
 * a keeper its function stopped (SIGSTOP) would never end. One stopped
 * for CORDON__STOP_LIMIT is continued, and then times the function out
 * itself; one that still has not ended CORDON__STOP_LIMIT after its
 * deadline and grace is killed with the function, which then counts as
 * having overrun. ECHILD means the caller's own SIGCHLD handling reaped
 * the keeper: it has ended, and the shared memory says how. */
static int
wait_keeper(const struct call *c, pid_t keeper)
{
    double began = cordon__now(), stopped = 0;
    double limit = c->timeout > 0 ? began + c->timeout +
                                        CORDON__KILL_GRACE +
                                        3 * CORDON__STOP_LIMIT : -1;
    long pause_us = 20;

    for (;;) {
        struct timespec ts;
        double now;
        int status = 0;
        pid_t r = waitpid(keeper, &status, WNOHANG);

        if (r == keeper)
            return status;
        if (r == -1 && errno != EINTR)
            return -1;
        now = cordon__now();
        cordon__slot_stopped(keeper, &stopped);
        if (stopped > 0 && now >= stopped + CORDON__STOP_LIMIT) {
            kill(keeper, SIGCONT);
            stopped = 0;
        }
        if (limit > 0 && now >= limit) {
            pid_t fn = (pid_t)atomic_load(&c->sh->pid);

            kill(keeper, SIGKILL);
            if (fn > 0)
                cordon__child_kill(fn, SIGKILL);
            while (waitpid(keeper, NULL, 0) == -1 && errno == EINTR)
                ;
            if (!atomic_load(&c->sh->done)) {
                c->sh->timed_out = 1;
                c->sh->seconds = now - began;
                atomic_store(&c->sh->done, 1);
            }
            return -1;
        }
        ts.tv_sec = 0;
        ts.tv_nsec = pause_us * 1000L;
        nanosleep(&ts, NULL);
        if (pause_us < 10000)
            pause_us *= 2;
    }
}

/* start forks the keeper. Returns 1 in the function's process, 0 in the
 * caller once the function has ended (out filled), -1 with errno set. */
static int
start(const struct cordon_isolate_options *opts, struct cordon_isolated *out)
{
    struct call c;
    pid_t keeper;
    int rc, err, status;

    if (open_call(&c, opts) != 0)
        return -1;
    fflush(NULL);
    keeper = fork();
    if (keeper == 0) {
        keep(&c);
        return 1;
    }
    if (keeper < 0) {
        err = errno;
        close_call(&c);
        errno = err;
        return -1;
    }
    status = wait_keeper(&c, keeper);
    /* A keeper the function killed took the function with it (it dies
     * with its keeper): it ended by that signal. */
    if (!atomic_load(&c.sh->done) && status != -1 && WIFSIGNALED(status)) {
        c.sh->status = status;
        atomic_store(&c.sh->done, 1);
    }
    rc = collect(&c, out);
    err = errno;
    close_call(&c);
    errno = err;
    return rc;
}

/* leave_function ends the function's process after it returned. */
static _Noreturn void
leave_function(void)
{
    fflush(NULL);
    if (returning != NULL)
        atomic_store(&returning->returned, 1);
    cordon__coverage_flush();
    _exit(0);
}

int
cordon_isolate(void (*fn)(void *), void *arg,
               const struct cordon_isolate_options *opts,
               struct cordon_isolated *out)
{
    int rc;

    if (fn == NULL || out == NULL) {
        errno = EINVAL;
        return -1;
    }
    rc = start(opts, out);
    if (rc == 1) {
        fn(arg);
        leave_function();
    }
    return rc;
}

void
cordon_isolated_free(struct cordon_isolated *r)
{
    if (r == NULL)
        return;
    free(r->out);
    free(r->err);
    free(r->data);
    r->out = r->err = NULL;
    r->data = NULL;
}

/* replay writes the statement's output on the test's own streams, so the
 * reports show it with the test's. */
static void
replay(const struct cordon_isolated *r)
{
    if (r->out_len > 0)
        /* The console, as printf: a failed write has nowhere to be reported.
         * NOLINTNEXTLINE(cert-err33-c) */
        fwrite(r->out, 1, r->out_len, stdout);
    if (r->err_len > 0)
        /* NOLINTNEXTLINE(cert-err33-c): as above */
        fwrite(r->err, 1, r->err_len, stderr);
    fflush(NULL);
}

int
cordon_impl_death_begin(struct cordon_isolated *r)
{
    int rc;

    memset(r, 0, sizeof *r);
    rc = start(NULL, r);
    if (rc == 0)
        replay(r);
    return rc;
}

void
cordon_impl_death_end(void)
{
    leave_function();
}
