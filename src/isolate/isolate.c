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
//
// A call is taken in steps (open, fork, poll, collect, close: isolate.h)
// so that cordon_isolate_each() (each.c) can have several in flight. A
// crash of the function is caught by backtrace.c's handlers, which write
// its frames into a record in the shared memory; the keeper names them
// (symbolize.c), as a worker does a test's. A sanitizer's report in its
// stderr is found by the caller with the scan a worker uses
// (sanitizer.c).
#include "isolate/isolate.h"
#include "result/result.h"
#include "supervise/supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the keeper tells the caller, in a MAP_SHARED mapping of its own
 * that the function's process unmaps before it calls the function: no
 * wild write of the function's can forge the verdict, the errno or the
 * frames the caller gets. Pages of the frames' text that nothing writes
 * cost nothing. */
struct cordon__isolate_shared {
    atomic_int done;     /* the keeper wrote everything below */
    int error;           /* errno of the keeper's fork, 0 = it forked */
    int status;          /* wait status of the function's process */
    int timed_out;
    int keeper_signal;   /* the keeper died first, by this (caller's word) */
    atomic_int pid;      /* the function's process, 0 = not forked yet */
    unsigned left;
    double seconds;
    char backtrace[CORDON__ISOLATE_BACKTRACE]; /* named frames, "" = none */
};

/* What the function's process writes for its keeper, in a mapping of its
 * own, apart from the data buffer's: its return and its crash handler's
 * record. The function can scribble over it; the keeper reads it bounded
 * and writes only named frames of it, and only after a crash. */
struct cordon__isolate_fnside {
    atomic_int returned; /* the call's token: its function returned */
    struct cordon__record rec; /* its crash handler's, when asked for */
};

/* The data buffer of the isolated function running in this process. */
static void *data_here;
/* In the function's process: where it marks its return. */
static struct cordon__isolate_fnside *returning;
static int returning_token;

/* new_token gives a call the word its function's process writes when the
 * function returns: one no wild write of the same byte over and over
 * (memset) spells, nor zero. A deliberate forger can read it; a buggy
 * function does not. */
static int
new_token(void)
{
    static unsigned count;
    uint64_t us = (uint64_t)(cordon__now() * 1e6);
    uint32_t t = ((uint32_t)getpid() * 2654435761u ^ (uint32_t)us ^
                  (++count * 40503u)) & 0x7fffffffu;

    /* Bytes all alike: make the second differ (and t not zero). */
    if ((t & 0xff) * 0x01010101u == t)
        t ^= 0x100u;
    return (int)t;
}

/* shared_map maps size zeroed bytes shared with the processes forked
 * after it, or returns NULL with errno set. /dev/zero shared: anonymous
 * shared memory within POSIX.1-2008. */
static void *
shared_map(size_t size)
{
    int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    void *p;
    int err;

    if (fd < 0)
        return NULL;
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    err = errno;
    close(fd);
    errno = err;
    return p == MAP_FAILED ? NULL : p;
}

void *
cordon_isolate_data(void)
{
    return data_here;
}

/* forget drops another call's memory and descriptors from this process
 * (a keeper), leaving the caller's copy of its state as it was. */
static void
forget(const struct cordon__isolate_call *c)
{
    if (c->sh != NULL)
        munmap(c->sh, sizeof *c->sh);
    if (c->fs != NULL)
        munmap(c->fs, sizeof *c->fs);
    if (c->data != NULL)
        munmap(c->data, c->data_size);
    if (c->out_fd >= 0)
        close(c->out_fd);
    if (c->err_fd >= 0)
        close(c->err_fd);
    if (c->pidfd >= 0)
        close(c->pidfd);
}

void
cordon__isolate_close(struct cordon__isolate_call *c)
{
    forget(c);
    c->sh = NULL;
    c->fs = NULL;
    c->data = NULL;
    c->out_fd = c->err_fd = c->pidfd = -1;
}

int
cordon__isolate_open(struct cordon__isolate_call *c,
                     const struct cordon_isolate_options *opts,
                     bool backtrace, uintptr_t stop)
{
    int err;

    memset(c, 0, sizeof *c);
    c->out_fd = c->err_fd = c->pidfd = -1;
    c->timeout = CORDON__ISOLATE_TIMEOUT;
    c->output_limit = CORDON__DEFAULT_OUTPUT_LIMIT;
    c->backtrace = backtrace;
    c->stop = stop;
    c->token = new_token();
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
    c->sh = shared_map(sizeof *c->sh);
    if (c->sh != NULL)
        c->fs = shared_map(sizeof *c->fs);
    if (c->fs != NULL && c->data_size > 0)
        c->data = shared_map(c->data_size);
    if (c->sh == NULL || c->fs == NULL ||
        (c->data_size > 0 && c->data == NULL)) {
        err = errno;
        cordon__isolate_close(c);
        errno = err;
        return -1;
    }
    c->out_fd = cordon__capture_open();
    if (c->out_fd >= 0)
        c->err_fd = cordon__capture_open();
    if (c->err_fd < 0) {
        err = errno;
        cordon__isolate_close(c);
        errno = err;
        return -1;
    }
    return 0;
}

/* The most handlers of the caller's a keeper sets aside. */
#define CAUGHT_MAX 64

/* The caller's signal state, as the keeper found it: the function's
 * process gets it back. */
struct caller_signals {
    sigset_t mask;
    struct sigaction chld;
    size_t ncaught;              /* handlers the keeper set aside */
    int caught[CAUGHT_MAX];
    struct sigaction caught_as[CAUGHT_MAX];
};

/* handlers_aside sets aside, in the keeper, every handler of the caller's
 * (but SIGCHLD's, the keeper's own business): a handler is the caller's
 * code. A signal the caller catches is one it means for itself (a
 * kill(0, ...) reaches its whole group, the keeper too): the keeper
 * ignores it, as it ignores what the caller ignores (nohup). A fault's
 * signal (SIGSEGV, ...: a sanitizer's handlers) is at its default, as an
 * ignored fault would loop. */
static void
handlers_aside(struct caller_signals *cs)
{
    struct sigaction ign;

    memset(&ign, 0, sizeof ign);
    sigemptyset(&ign.sa_mask);
    cs->ncaught = 0;
    for (int sig = 1; sig <= SIGRTMAX && cs->ncaught < CAUGHT_MAX; sig++) {
        struct sigaction now;
        bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
                     sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;

        ign.sa_handler = fault ? SIG_DFL : SIG_IGN;
        if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD ||
            sigaction(sig, NULL, &now) != 0 || now.sa_handler == SIG_DFL ||
            now.sa_handler == SIG_IGN || sigaction(sig, &ign, NULL) != 0)
            continue;
        cs->caught[cs->ncaught] = sig;
        cs->caught_as[cs->ncaught++] = now;
    }
}

/* become_function turns a new process of the keeper into the isolated
 * function's: its own group, the caller's signal state, stdout and stderr
 * into the capture files, no core dumps, no part of any running test. */
static void
become_function(const struct cordon__isolate_call *c,
                const struct caller_signals *cs, int children_fd,
                pid_t keeper)
{
    struct rlimit core;

    setpgid(0, 0);
    sigaction(SIGCHLD, &cs->chld, NULL);
    for (size_t i = 0; i < cs->ncaught; i++)
        sigaction(cs->caught[i], &cs->caught_as[i], NULL);
    sigprocmask(SIG_SETMASK, &cs->mask, NULL);
    cordon__platform_child_init();
    /* A keeper killed before this process could learn to die with it
     * (the caller gave up on the call at once) left it an orphan that
     * nobody knows of: it ends here. */
    if (getppid() != keeper)
        _exit(127);
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
    /* Its pid, before the function can run and kill its keeper: the
     * caller then kills its group by it (on Linux it also dies with its
     * keeper; elsewhere nothing else would). */
    atomic_store(&c->sh->pid, (int)getpid());
    /* The keeper's word is none of the function's business. */
    munmap(c->sh, sizeof *c->sh);
    data_here = c->data;
    returning = c->fs;
    returning_token = c->token;
    /* The crash handlers speak only for the record's owner. */
    if (c->backtrace)
        atomic_store(&c->fs->rec.owner, (int)getpid());
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

/* name_frames writes the function's crash, when its handler caught one,
 * as named frames into the shared memory: one that ended it by a signal,
 * or that a handler after cordon's (a sanitizer's) turned into an exit.
 * Not after a return or a timeout (SIGKILL has no handler). */
static void
name_frames(const struct cordon__isolate_call *c, int status)
{
    struct cordon__isolate_shared *sh = c->sh;
    const struct cordon__isolate_fnside *fs = c->fs;
    int sig = atomic_load_explicit(&fs->rec.crash.signal,
                                   memory_order_acquire);
    struct cordon__buf text;
    /* The function is called directly, not through a trampoline: its
     * frames end at its own. */
    struct cordon__cut cut = {.stops = &c->stop, .nstops = 1};

    if (!c->backtrace || sig == 0 || sh->timed_out ||
        atomic_load(&fs->returned) == c->token ||
        (WIFSIGNALED(status) && WTERMSIG(status) != sig))
        return;
    cordon__buf_fixed(&text, sh->backtrace, sizeof sh->backtrace);
    cordon__symbolize(&fs->rec.crash, &cut, &text);
    sh->backtrace[sizeof sh->backtrace - 1] = '\0';
}

/* keep runs in the keeper: it returns only in the function's process
 * (true); the keeper itself leaves through _exit. */
static bool
keep(const struct cordon__isolate_call *c)
{
    struct cordon__isolate_shared *sh = c->sh;
    struct sigaction dfl;
    struct caller_signals cs;
    sigset_t chld;
    bool reaper = cordon__platform_worker_init();
    int children_fd = reaper ? cordon__platform_children_open() : -1;
    struct cordon__sweep sweep = {.reaper = reaper,
                                  .children_fd = children_fd};
    double start, deadline;
    int status = 0;
    pid_t pid, keeper;

    /* Other calls' descriptors and memory are none of this one's
     * business: its function must not read, nor forge, their word. */
    for (size_t i = 0; i < c->nothers; i++)
        forget(c->others[i]);
    if (c->backtrace)
        cordon__backtrace_isolate(&c->fs->rec);
    /* SIGCHLD at its default and blocked, so sigtimedwait sees it and no
     * caller's handler or SIG_IGN steals the status. */
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &cs.chld);
    handlers_aside(&cs);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &cs.mask);
    start = cordon__now();
    deadline = c->timeout > 0 ? start + c->timeout : 0;
    keeper = getpid();
    pid = fork();
    if (pid == 0) {
        become_function(c, &cs, children_fd, keeper);
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
    name_frames(c, status);
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

/* copy_text sets *to to a new copy of the n bytes of text, terminated;
 * false when out of memory. */
static bool
copy_text(const char **to, const char *text, size_t n)
{
    char *p = malloc(n + 1);

    if (p != NULL) {
        memcpy(p, text, n);
        p[n] = '\0';
    }
    *to = p;
    return p != NULL;
}

/* judge fills out's ending from the keeper's word and the function's
 * stderr: a sanitizer's report names a death that was not a return or a
 * timeout (ASan's exit status 1, UBSan's abort), as it makes a test a
 * CRASH (outcome.c); status and signal still say how the process ended. */
static int
judge(const struct cordon__isolate_call *c, struct cordon_isolated *out)
{
    const struct cordon__isolate_shared *sh = c->sh;
    struct cordon__sanitizer_report rep;
    int st = sh->status;
    bool returned = atomic_load(&c->fs->returned) == c->token &&
                    WIFEXITED(st) &&
                    WEXITSTATUS(st) == 0;

    if (sh->timed_out) {
        out->end = CORDON_ISOLATE_TIMED_OUT;
    } else if (sh->keeper_signal != 0) {
        out->end = CORDON_ISOLATE_SIGNALED;
        out->signal = sh->keeper_signal;
    } else if (WIFSIGNALED(st)) {
        out->end = CORDON_ISOLATE_SIGNALED;
        out->signal = WTERMSIG(st);
    } else if (returned) {
        out->end = CORDON_ISOLATE_RETURNED;
    } else {
        out->end = CORDON_ISOLATE_EXITED;
        out->status = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    }
    if (cordon__sanitizer_scan(c->err_fd, &rep) == 0 && rep.found) {
        if (!copy_text(&out->sanitizer, rep.what, strlen(rep.what)))
            return -1;
        if (out->end == CORDON_ISOLATE_SIGNALED ||
            out->end == CORDON_ISOLATE_EXITED)
            out->end = CORDON_ISOLATE_SANITIZER;
    }
    if (c->backtrace && sh->backtrace[0] != '\0' &&
        !copy_text(&out->backtrace, sh->backtrace,
                   strnlen(sh->backtrace, sizeof sh->backtrace)))
        return -1;
    return 0;
}

int
cordon__isolate_collect(const struct cordon__isolate_call *c,
                        struct cordon_isolated *out)
{
    const struct cordon__isolate_shared *sh = c->sh;

    memset(out, 0, sizeof *out);
    if (!atomic_load(&sh->done)) {
        /* Not ended yet: a bug of the caller's. */
        errno = ECHILD;
        return -1;
    }
    if (sh->error != 0) {
        errno = sh->error;
        return -1;
    }
    out->seconds = sh->seconds;
    out->left_running = sh->left;
    if (judge(c, out) != 0 ||
        read_capture(c->out_fd, c->output_limit, &out->out, &out->out_len,
                     &out->out_total) != 0 ||
        read_capture(c->err_fd, c->output_limit, &out->err, &out->err_len,
                     &out->err_total) != 0)
        goto fail;
    if (c->data_size > 0) {
        out->data = malloc(c->data_size);
        if (out->data == NULL)
            goto fail;
        memcpy(out->data, c->data, c->data_size);
        out->data_size = c->data_size;
    }
    return 0;
fail:
    cordon_isolated_free(out);
    errno = ENOMEM;
    return -1;
}

/* function_pid is the pid of c's function as its shared memory says, 0
 * when not forked yet. Only the keeper and the function, before it calls
 * anything of the user's, write it; still, a pid that would make a kill
 * of its group hit every process (1, or the caller's own) is none. */
static pid_t
function_pid(const struct cordon__isolate_call *c)
{
    pid_t fn = (pid_t)atomic_load(&c->sh->pid);

    return fn > 1 && fn != getpid() ? fn : 0;
}

/* The longest the caller waits for a killed function to end. */
#define GONE_WAIT_MS 200

/* gone kills the function fn of a keeper that died and, where the system
 * can tell (a pidfd), waits until it has ended: the call then returns
 * after it, so the test's worker finds it dead, not left running. */
static void
gone(pid_t fn)
{
    int fd = cordon__platform_pidfd(fn);

    cordon__child_kill(fn, SIGKILL);
    if (fd >= 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};

        while (poll(&p, 1, GONE_WAIT_MS) == -1 && errno == EINTR)
            ;
        close(fd);
    }
}

/* ended records the keeper's end: a keeper the function killed took the
 * function with it (it dies with its keeper), which ended by that signal.
 * status -1: reaped elsewhere, or killed here for overrunning. A keeper
 * that died before it wrote its word, whose status the caller's own
 * SIGCHLD handling took (SIG_IGN, or a handler that reaps), was killed:
 * by SIGKILL, as nothing else the keeper does not handle is told. Its
 * function's group goes with it. */
static int
ended(struct cordon__isolate_call *c, int status)
{
    if (!atomic_load(&c->sh->done)) {
        pid_t fn = function_pid(c);

        if (fn > 0)
            gone(fn);
        c->sh->keeper_signal = status != -1 && WIFSIGNALED(status)
                                   ? WTERMSIG(status) : SIGKILL;
        c->sh->seconds = cordon__now() - c->began;
        atomic_store(&c->sh->done, 1);
    }
    c->keeper = 0;
    return 1;
}

/* The keeper is waited for by pid only (the caller may have children of
 * its own), never in a blocking waitpid(): a keeper its function stopped
 * (SIGSTOP) would never end. One stopped for CORDON__STOP_LIMIT is
 * continued, and then times the function out itself; one that still has
 * not ended CORDON__STOP_LIMIT after its deadline and grace is killed
 * with the function, which then counts as having overrun. ECHILD means
 * the caller's own SIGCHLD handling reaped the keeper: it has ended, and
 * the shared memory says how. */
int
cordon__isolate_poll(struct cordon__isolate_call *c)
{
    int status = 0;
    double now;
    pid_t r;

    if (c->keeper <= 0)
        return 1;
    r = waitpid(c->keeper, &status, WNOHANG);
    if (r == c->keeper)
        return ended(c, status);
    if (r == -1 && errno != EINTR)
        return ended(c, -1);
    now = cordon__now();
    cordon__slot_stopped(c->keeper, &c->stopped);
    if (c->stopped > 0 && now >= c->stopped + CORDON__STOP_LIMIT) {
        kill(c->keeper, SIGCONT);
        c->stopped = 0;
    }
    if (c->limit > 0 && now >= c->limit) {
        pid_t fn = function_pid(c);

        kill(c->keeper, SIGKILL);
        if (fn > 0)
            cordon__child_kill(fn, SIGKILL);
        while (waitpid(c->keeper, NULL, 0) == -1 && errno == EINTR)
            ;
        if (!atomic_load(&c->sh->done)) {
            c->sh->timed_out = 1;
            c->sh->seconds = now - c->began;
            atomic_store(&c->sh->done, 1);
        }
        return ended(c, -1);
    }
    return 0;
}

/* The keeper of an abandoned call gets this long to sweep its killed
 * function (and, on Linux, what it started) before it is killed too. */
#define ABANDON_GRACE 1.0

void
cordon__isolate_abandon(struct cordon__isolate_call *c)
{
    if (c->keeper > 0) {
        pid_t fn = function_pid(c);
        double until = cordon__now() + ABANDON_GRACE;
        pid_t r;

        /* Killing the function lets its keeper reap and sweep it, as after
         * a timeout; a keeper that has not forked it yet, or does not end,
         * is killed. */
        if (fn > 0) {
            cordon__child_kill(fn, SIGKILL);
            kill(c->keeper, SIGCONT);
        }
        while ((r = waitpid(c->keeper, NULL, WNOHANG)) == 0 && fn > 0 &&
               cordon__now() < until) {
            struct timespec ts = {0, 1000000L};

            nanosleep(&ts, NULL);
        }
        if (r == 0) {
            kill(c->keeper, SIGKILL);
            while (waitpid(c->keeper, NULL, 0) == -1 && errno == EINTR)
                ;
        }
        c->keeper = 0;
    }
    cordon__isolate_close(c);
}

int
cordon__isolate_next_ms(struct cordon__isolate_call *c)
{
    double left = CORDON__SLOT_TICK;
    long us;

    if (c->limit > 0 && c->limit - cordon__now() < left)
        left = c->limit - cordon__now();
    us = left > 0 ? (long)(left * 1e6) : 0;
    if (c->pidfd < 0) {
        /* No pidfd: look again soon, then less often, as a call of a
         * few milliseconds should not wait for a tick. */
        if (us > c->pause_us)
            us = c->pause_us;
        if (c->pause_us < 10000)
            c->pause_us *= 2;
    }
    return (int)((us + 999) / 1000);
}

int
cordon__isolate_fork(struct cordon__isolate_call *c)
{
    fflush(NULL);
    c->began = cordon__now();
    c->keeper = fork();
    if (c->keeper == 0) {
        keep(c);
        return 1;
    }
    if (c->keeper < 0) {
        c->keeper = 0;
        return -1;
    }
    c->limit = c->timeout > 0 ? c->began + c->timeout + CORDON__KILL_GRACE +
                                    3 * CORDON__STOP_LIMIT : 0;
    c->pause_us = 20;
    c->pidfd = cordon__platform_pidfd(c->keeper);
    return 0;
}

/* wait_call sleeps until the keeper of c may have ended. */
static void
wait_call(struct cordon__isolate_call *c)
{
    int ms = cordon__isolate_next_ms(c);

    if (c->pidfd >= 0) {
        struct pollfd p = {.fd = c->pidfd, .events = POLLIN};

        poll(&p, 1, ms);
    } else {
        struct timespec ts = {.tv_sec = ms / 1000,
                              .tv_nsec = (long)(ms % 1000) * 1000000L};

        nanosleep(&ts, NULL);
    }
}

void
cordon__isolate_warm_up(void)
{
    cordon__backtrace_warm_unwinder();
}

/* start runs one call. Returns 1 in the function's process, 0 in the
 * caller once the function has ended (out filled), -1 with errno set. */
static int
start(const struct cordon_isolate_options *opts, bool backtrace,
      uintptr_t stop, struct cordon_isolated *out)
{
    struct cordon__isolate_call c;
    int rc, err;

    if (backtrace)
        cordon__isolate_warm_up();
    if (cordon__isolate_open(&c, opts, backtrace, stop) != 0)
        return -1;
    rc = cordon__isolate_fork(&c);
    if (rc != 0) {
        err = errno;
        if (rc < 0)
            cordon__isolate_close(&c);
        errno = err;
        return rc;
    }
    while (cordon__isolate_poll(&c) == 0)
        wait_call(&c);
    rc = cordon__isolate_collect(&c, out);
    err = errno;
    cordon__isolate_close(&c);
    errno = err;
    return rc;
}

void
cordon__isolate_leave(void)
{
    fflush(NULL);
    if (returning != NULL)
        atomic_store(&returning->returned, returning_token);
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
    rc = start(opts, true, (uintptr_t)fn, out);
    if (rc == 1) {
        fn(arg);
        cordon__isolate_leave();
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
    /* Ours, malloc()ed: const only to the caller. */
    free((void *)(uintptr_t)r->sanitizer);
    free((void *)(uintptr_t)r->backtrace);
    r->out = r->err = NULL;
    r->data = NULL;
    r->sanitizer = r->backtrace = NULL;
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
    /* A death check only compares how the statement died: no frames. */
    rc = start(NULL, false, 0, r);
    if (rc == 0)
        replay(r);
    return rc;
}

void
cordon_impl_death_end(void)
{
    cordon__isolate_leave();
}
