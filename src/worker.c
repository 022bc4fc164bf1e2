// SPDX-License-Identifier: MIT
// worker.c — one job slot's supervisor: a small process the coordinator
// forks at start, before anything accumulates, that takes tests from the
// board one at a time, forks each (child.c), watches it and judges it. It
// is the reaper of everything its test starts (a child subreaper on
// Linux), so when the test's own process has ended it kills the test's
// group and every process re-parented to it and reaps them all before the
// next test: a slot's capture files and record are never reused while
// anything of the previous test lives. The run time comes from the test's
// own clock and a timeout only from evidence (its watchdog, the deadline
// kill, its own run time), so a coordinator that is stalled on a slow
// console, or stopped, never turns a quick test into a TIMEOUT. The result
// is built here, whole, and sent to the coordinator in one pipe write.
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(struct cordon__message) <= 512,
               "a message must stay one atomic pipe write");

struct worker {
    struct cordon__run *run;
    struct cordon__board *board;
    struct cordon__lane *lane;
    int fd;          /* result pipe */
    int out_fd;      /* capture files */
    int err_fd;
    int null_fd;
    int children_fd; /* platform_children's file */
    bool subreaper;
    struct cordon__record *record;
    sigset_t waitset; /* SIGCHLD, SIGTERM: blocked, taken by sigtimedwait */
    const struct cordon_impl_suite *holding; /* a suite holder's suite */
    long handoff;    /* the next test to run, -1 = take one from the board */
    struct once_failed *failed; /* suites whose once failed here */
    size_t nfailed;
};

/* A suite whose .once failed in this worker, and what its tests get. */
struct once_failed {
    const struct cordon_impl_suite *suite;
    enum cordon_outcome outcome;
    int signal;
    char reason[512];
};

/* A suite holder that ended with the suite's once failing by a failed
 * EXPECT_ exits with this status; its record says which. */
#define ONCE_FAILED_STATUS 87

static _Noreturn void
leave(int status)
{
    cordon__coverage_flush();
    _exit(status);
}

static void
send(const struct worker *w, const struct cordon__message *m)
{
    const char *p = (const char *)m;
    size_t left = sizeof *m;

    while (left > 0) {
        ssize_t n = write(w->fd, p, left);

        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            leave(0); /* the coordinator is gone: nobody to run for */
        p += n;
        left -= (size_t)n;
    }
}

/* set_up_signals: a worker takes no part in the coordinator's signal
 * handling. It keeps the caller's dispositions, so its test processes
 * need not change them, and blocks instead: SIGCHLD and SIGTERM (the
 * coordinator's "stop" nudge), taken synchronously with sigtimedwait();
 * SIGINT and SIGHUP from a terminal, which reach the coordinator, who
 * decides; SIGPIPE and SIGXFSZ, so that a gone coordinator or a file size
 * limit is an error from write(), not a death. */
static void
set_up_signals(struct worker *w)
{
    static const int others[] = {SIGINT, SIGHUP, SIGPIPE, SIGXFSZ};
    sigset_t blocked;

    sigemptyset(&w->waitset);
    sigaddset(&w->waitset, SIGCHLD);
    sigaddset(&w->waitset, SIGTERM);
    blocked = w->waitset;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        sigaddset(&blocked, others[i]);
    /* The coordinator forked this worker with every signal blocked. */
    cordon__signals_for_worker(&blocked);
}

/* spawn forks the test, retrying while other tests run: a fork that fails
 * for want of processes succeeds once one of them ends. With nothing
 * running, waiting cannot help: -1. */
static pid_t
spawn(struct worker *w, const struct cordon__child_setup *cs)
{
    long delay_ms = 1;

    for (;;) {
        pid_t pid = cordon__child_spawn(cs);
        struct timespec ts;

        if (pid >= 0)
            return pid;
        if ((errno != EAGAIN && errno != ENOMEM) ||
            atomic_load(&w->board->running) == 0 ||
            atomic_load(&w->board->stop) != 0)
            return -1;
        ts.tv_sec = 0;
        ts.tv_nsec = delay_ms * 1000000L;
        nanosleep(&ts, NULL);
        if (delay_ms < 64)
            delay_ms *= 2;
    }
}

/* wait_signal sleeps until SIGCHLD or SIGTERM, or until at (-1 = none). */
static void
wait_signal(const struct worker *w, double at)
{
    struct timespec ts;
    double left;

    if (at < 0) {
        sigwaitinfo(&w->waitset, NULL);
        return;
    }
    left = at - cordon__now();
    if (left <= 0)
        return;
    ts.tv_sec = (time_t)left;
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    sigtimedwait(&w->waitset, NULL, &ts);
}

/* deadline_of is when the test must have ended: timeout + grace after its
 * own process started (by its own stamp), so a test that a loaded machine
 * has not even scheduled yet is not killed for it; until it has stamped,
 * the clock runs from the fork, and is looked at again then. */
static double
deadline_of(const struct worker *w, pid_t pid, double forked, double timeout)
{
    long long started = atomic_load(&w->record->started_ns);
    double from = forked;

    if (atomic_load(&w->record->owner) == (int)pid && started != 0)
        from = (double)started / 1e9;
    else if (cordon__now() >= forked + timeout + CORDON__KILL_GRACE)
        from = cordon__now(); /* not started yet: look again a timeout on */
    return from + timeout + CORDON__KILL_GRACE;
}

/* watch waits until the test's own process has ended (it is then a zombie
 * still holding its pgid). It enforces the deadline (timeout + grace), and
 * the run's interruption: SIGTERM now, SIGKILL after the grace or at a
 * second interruption. */
static void
watch(struct worker *w, pid_t pid, double forked, double timeout,
      struct cordon__ending *e)
{
    double deadline = timeout > 0 ? forked + timeout + CORDON__KILL_GRACE : -1;
    double grace_until = -1;
    bool hard = false;

    e->timeout = timeout;
    /* A new test is rarely over already: wait first, then look. */
    wait_signal(w, deadline);
    while (!cordon__child_ended(pid)) {
        double now = cordon__now(), at;
        int stop = atomic_load(&w->board->stop);

        if (stop > 0 && !e->interrupted) {
            e->interrupted = true;
            grace_until = now + CORDON__KILL_GRACE;
            cordon__child_kill(pid, SIGTERM);
        }
        if (!hard && ((stop > 1) || (e->interrupted && now >= grace_until))) {
            hard = true;
            cordon__child_kill(pid, SIGKILL);
        }
        if (!hard && deadline >= 0 && now >= deadline)
            deadline = deadline_of(w, pid, forked, timeout);
        if (!hard && deadline >= 0 && now >= deadline) {
            /* Checked after cordon__child_ended(): a worker that was itself stopped
             * past the deadline does not kill a test that ended in time. */
            hard = e->killed = true;
            cordon__child_kill(pid, SIGKILL);
        }
        at = hard ? -1 : deadline;
        if (!hard && grace_until >= 0 && (at < 0 || grace_until < at))
            at = grace_until;
        wait_signal(w, at);
    }
}

/* run_time is the test's run time by its own clock when it wrote its end,
 * else from its own start (or the fork) to when its end was seen. */
static double
run_time(const struct worker *w, pid_t pid, double forked, double seen)
{
    const struct cordon__record *rec = w->record;
    long long start = atomic_load(&rec->started_ns);
    long long end = atomic_load(&rec->ended_ns);

    if (atomic_load(&rec->owner) != (int)pid || start == 0)
        return seen - forked;
    if (end >= start)
        return (double)(end - start) / 1e9;
    return seen - (double)start / 1e9;
}

/* ending_from_status fills in how a process ended from its wait status. */
static void
ending_from_status(struct cordon__ending *e, int status)
{
    e->signaled = WIFSIGNALED(status);
    e->signal = e->signaled ? WTERMSIG(status) : 0;
    e->exited = WIFEXITED(status);
    e->status = e->exited ? WEXITSTATUS(status) : 0;
}

/* attempt runs test index once into r: a cordon__attempt_fn. */
static bool
attempt(void *arg, size_t index, struct cordon__result *r)
{
    struct worker *w = arg;
    const struct cordon_impl_test *t = w->run->tests[index];
    struct cordon__child_setup cs = {
        .test = t,
        .record = w->record,
        .timeout = cordon__plan_timeout(w->run->cfg, t),
        .out_fd = w->out_fd,
        .err_fd = w->err_fd,
        .null_fd = w->null_fd,
        .close_fds = {w->fd, w->run->spool.fd, w->children_fd, -1},
        .lane_pid = &w->lane->pid,
        .limits = cordon__limits_of(w->run->cfg, t),
    };
    struct cordon__ending e = {0};
    struct cordon__sanitizer_report report;
    const struct cordon__output output = {w->out_fd, w->err_fd};
    double forked;
    int status = 0;
    pid_t pid;

    if (atomic_load(&w->board->stop) != 0) {
        cordon__result_unrun(r, t, CORDON__UNRUN_INTERRUPTED, &w->run->spool);
        return true;
    }
    atomic_store(&w->lane->pid, 0);
    atomic_store(&w->lane->since_ns, (long long)(cordon__now() * 1e9));
    atomic_store(&w->lane->index, (long)index);
    forked = cordon__now();
    pid = spawn(w, &cs);
    if (pid < 0) {
        int err = errno;

        atomic_store(&w->lane->index, -1);
        if (atomic_load(&w->board->stop) != 0) {
            cordon__result_unrun(r, t, CORDON__UNRUN_INTERRUPTED,
                                 &w->run->spool);
            return true;
        }
        /* The first to fail says why; the coordinator reports it. */
        {
            int none = 0;

            atomic_compare_exchange_strong(&w->board->fatal, &none, err);
        }
        atomic_store(&w->board->stop, 1);
        cordon__result_unrun(r, t, CORDON__UNRUN_NO_PROCESS, &w->run->spool);
        return false;
    }
    atomic_store(&w->lane->pid, (int)pid);
    atomic_fetch_add(&w->board->running, 1);
    watch(w, pid, forked, cs.timeout, &e);
    e.seconds = run_time(w, pid, forked, cordon__now());
    e.left_running = cordon__sweep(pid, &status, w->subreaper,
                                   w->children_fd);
    atomic_fetch_sub(&w->board->running, 1);
    ending_from_status(&e, status);
    e.finished = atomic_load(&w->record->body_finished) == (int)pid;
    e.valgrind = cordon__valgrind_running();
    if (cordon__sanitizer_scan(w->err_fd, &report) == 0 && report.found)
        e.sanitizer = &report;
    e.limits = cs.limits;
    cordon__result_build(r, t, &e, w->record, &output, w->run);
    cordon__tmpdir_settle(w->record, r, &w->run->spool);
    cordon__record_reset(w->record);
    /* Reporting: a coordinator slow to read the pipe may keep this
     * worker in write() for long; that is not a stuck test. */
    atomic_store(&w->lane->pid, -1);
    return true;
}

/* run_one runs test index as often as the run asks (retry.c) and sends
 * its result; false when no process could be started with nothing else
 * running (the run cannot go on). */
static bool
run_one(struct worker *w, size_t index)
{
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};
    bool go = true;

    if (!cordon__retry_skip(w->run, index, &m.result))
        go = cordon__retry_test(w->run, index, attempt, w, &m.result);
    send(w, &m);
    atomic_store(&w->lane->index, -1);
    return go;
}

/* open_capture opens a capture file onto fd (0-2) of the worker itself:
 * every test process then inherits its stdin, stdout and stderr as they
 * are, with nothing to redirect. Appending, so a file emptied between
 * tests needs no seek (pwrite is not used on these). */
static int
open_capture(int target)
{
    int fd = cordon__capture_open();

    if (fd < 0)
        return -1;
    fcntl(fd, F_SETFL, O_APPEND);
    if (dup2(fd, target) == -1) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    close(fd);
    return target;
}

/* limit_core turns core dumps off for every test of this worker at once:
 * the soft limit only, so nothing a test runs could turn them back on
 * beyond the hard limit it had. */
static void
limit_core(void)
{
    struct rlimit core;

    if (getrlimit(RLIMIT_CORE, &core) == 0) {
        core.rlim_cur = 0;
        setrlimit(RLIMIT_CORE, &core);
    }
}

static int
set_up(struct worker *w)
{
    int null_fd;

    w->out_fd = w->err_fd = w->null_fd = w->children_fd = -1;
    w->subreaper = cordon__platform_worker_init();
    if (w->subreaper)
        w->children_fd = cordon__platform_children_open();
    if (!w->run->cfg->core_dumps)
        limit_core();
    null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0)
        return -1;
    if (null_fd != STDIN_FILENO) {
        dup2(null_fd, STDIN_FILENO);
        close(null_fd);
    }
    w->null_fd = STDIN_FILENO;
    if ((w->out_fd = open_capture(STDOUT_FILENO)) < 0 ||
        (w->err_fd = open_capture(STDERR_FILENO)) < 0 ||
        (w->record = cordon__record_map()) == NULL)
        return -1;
    cordon__record_reset(w->record);
    cordon__child_warm_up();
    cordon__backtrace_warm_up(w->record);
    return 0;
}

/* take gives the next test to run: one a suite holder left, else the
 * next on the board (in execution order); false when none is left or the
 * run stops. */
static bool
take(struct worker *w, size_t *index)
{
    long next;

    if (w->handoff >= 0) {
        *index = (size_t)w->handoff;
        w->handoff = -1;
        return true;
    }
    if (atomic_load(&w->board->stop) != 0)
        return false;
    next = atomic_fetch_add(&w->board->next, 1);
    if (next >= (long)w->run->n)
        return false;
    *index = w->run->order ? w->run->order[next] : (size_t)next;
    return true;
}

static bool hold(struct worker *w, const struct cordon_impl_suite *s,
                 size_t index);

/* serve runs tests until none is left. A suite holder serves its suite's
 * tests only: at another's, it leaves that test to its worker and ends. */
static _Noreturn void
serve(struct worker *w)
{
    size_t index;

    while (take(w, &index)) {
        const struct cordon_impl_suite *s = w->run->tests[index]->suite_;
        bool go;

        if (w->holding != NULL && s != w->holding) {
            atomic_store(&w->lane->handoff, (long)index + 1);
            break;
        }
        if (w->holding == NULL && s != NULL && s->options.once != NULL)
            go = hold(w, s, index);
        else
            go = run_one(w, index);
        if (!go)
            break;
    }
    leave(0);
}

/* once_timeout is the time a suite's once may take: its .timeout, else
 * the run's, scaled like a test's. */
static double
once_timeout(const struct worker *w, const struct cordon_impl_suite *s)
{
    struct cordon_impl_test probe = {.options = {.timeout =
                                                     s->options.timeout}};

    return cordon__plan_timeout(w->run->cfg, &probe);
}

/* become_holder is the suite holder's life: it runs the suite's once under
 * a watchdog, with checks recorded in the worker's record, and, when once
 * returned with no failed check, serves the suite's tests, forking each
 * from itself, so each inherits what once built. It reaps what they leave
 * as its worker does (the subreaper role is not inherited). Its worker
 * judges a once that failed from how it ended. */
static _Noreturn void
become_holder(struct worker *w, const struct cordon_impl_suite *s,
              size_t index, double timeout)
{
    struct itimerval none = {{0, 0}, {0, 0}};

    w->holding = s;
    w->handoff = (long)index;
    w->subreaper = cordon__platform_worker_init();
    if (w->children_fd >= 0)
        close(w->children_fd);
    w->children_fd = w->subreaper ? cordon__platform_children_open() : -1;
    atomic_store(&w->record->owner, (int)getpid());
    cordon__record_current = w->record;
    cordon__child_arm_watchdog(timeout);
    s->options.once();
    setitimer(ITIMER_REAL, &none, NULL);
    cordon__record_current = NULL;
    if (cordon__record_count(w->record, CORDON__ENTRY_FAILURE) > 0 ||
        atomic_load(&w->record->dropped) > 0)
        leave(ONCE_FAILED_STATUS);
    cordon__record_reset(w->record);
    /* What once printed is nobody's test output. */
    cordon__capture_discard(w->out_fd);
    cordon__capture_discard(w->err_fd);
    atomic_store(&w->lane->once_done, 1);
    serve(w);
}

/* wait_holder waits for a suite holder to end, SIGKILLing it when its
 * once outlives its timeout and grace, or when the run stops before its
 * once is done; passes the run's stop on to it. Returns its wait status. */
static int
wait_holder(struct worker *w, pid_t pid, double timeout,
            struct cordon__ending *e)
{
    double deadline = timeout > 0 ? cordon__now() + timeout +
                                        CORDON__KILL_GRACE : -1;
    int status = 0, stop_sent = 0;

    while (!cordon__child_ended(pid)) {
        bool done = atomic_load(&w->lane->once_done) != 0;
        int stop = atomic_load(&w->board->stop);

        if (!done && !e->killed && deadline >= 0 &&
            cordon__now() >= deadline) {
            e->killed = true;
            kill(pid, SIGKILL);
        }
        if (stop > stop_sent) {
            stop_sent = stop;
            if (!done) {
                e->interrupted = true;
                kill(pid, SIGKILL);
            } else {
                kill(pid, SIGTERM);
            }
        }
        wait_signal(w, done ? -1 : deadline);
    }
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
        ;
    return status;
}

/* once_failure judges a suite holder that ended before its once returned,
 * remembers the verdict for the suite's other tests here, and sends it as
 * test index's result, with what once printed. */
static void
once_failure(struct worker *w, const struct cordon_impl_suite *s,
             size_t index, int status, struct cordon__ending *e)
{
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};
    struct once_failed f = {.suite = s};
    uint64_t limit = (uint64_t)w->run->cfg->output_limit;

    ending_from_status(e, status);
    f.outcome = cordon__outcome_once(e, w->record, f.reason,
                                     sizeof f.reason);
    f.signal = f.outcome == CORDON_OUTCOME_CRASH ? e->signal : 0;
    cordon__record_reset(w->record);
    w->failed = cordon__xrealloc(w->failed, (w->nfailed + 1) *
                                                sizeof *w->failed);
    w->failed[w->nfailed++] = f;
    cordon__result_verdict(&m.result, w->run->tests[index], f.outcome,
                           f.signal, f.reason, &w->run->spool);
    /* The once ran for this test: its time is this test's. */
    m.result.started = true;
    m.result.seconds = e->seconds;
    m.result.timeout = e->timeout;
    cordon__capture_spool(w->out_fd, limit, &w->run->spool, &m.result.out);
    cordon__capture_spool(w->err_fd, limit, &w->run->spool, &m.result.err);
    cordon__retry_note(w->run, index, &m.result);
    send(w, &m);
    atomic_store(&w->lane->index, -1);
}

/* die_like ends this worker the way its suite holder ended while it ran a
 * test: the coordinator then reports that test as one that killed its
 * supervisor, and replaces the worker. */
static _Noreturn void
die_like(int status)
{
    sigset_t set;

    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, WTERMSIG(status));
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(WTERMSIG(status));
    }
    leave(1);
}

/* hold runs test index, the first of a run of suite s's tests, in a new
 * suite holder (become_holder), or gives it the verdict of s's once that
 * already failed in this worker. Once per run of the suite's tests this
 * worker takes: with the suite's tests together in test order, once per
 * worker. */
static bool
hold(struct worker *w, const struct cordon_impl_suite *s, size_t index)
{
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};
    struct cordon__ending e = {0};
    double timeout = once_timeout(w, s);
    pid_t pid;
    int status;

    for (size_t i = 0; i < w->nfailed; i++)
        if (w->failed[i].suite == s) {
            if (!cordon__retry_skip(w->run, index, &m.result)) {
                cordon__result_verdict(&m.result, w->run->tests[index],
                                       w->failed[i].outcome,
                                       w->failed[i].signal,
                                       w->failed[i].reason, &w->run->spool);
                cordon__retry_note(w->run, index, &m.result);
            }
            send(w, &m);
            return true;
        }
    if (cordon__retry_skip(w->run, index, &m.result)) {
        send(w, &m);
        return true;
    }
    atomic_store(&w->lane->once_done, 0);
    atomic_store(&w->lane->handoff, 0);
    atomic_store(&w->lane->pid, 0);
    atomic_store(&w->lane->since_ns, (long long)(cordon__now() * 1e9));
    atomic_store(&w->lane->index, (long)index);
    e.timeout = timeout;
    e.seconds = cordon__now();
    pid = fork();
    if (pid == 0)
        become_holder(w, s, index, timeout);
    if (pid < 0) {
        atomic_store(&w->lane->index, -1);
        cordon__result_unrun(&m.result, w->run->tests[index],
                             CORDON__UNRUN_NO_PROCESS, &w->run->spool);
        send(w, &m);
        return true;
    }
    status = wait_holder(w, pid, timeout, &e);
    e.seconds = cordon__now() - e.seconds;
    if (atomic_load(&w->lane->once_done) == 0) {
        once_failure(w, s, index, status, &e);
        return true;
    }
    if (atomic_load(&w->lane->index) >= 0)
        die_like(status);
    w->handoff = atomic_load(&w->lane->handoff) - 1;
    return true;
}

void
cordon__worker_main(struct cordon__run *run, struct cordon__board *board,
                    size_t lane, int fd)
{
    struct worker w = {.run = run, .board = board,
                       .lane = &board->lanes[lane], .fd = fd, .handoff = -1};
    pid_t coordinator = getppid();

    set_up_signals(&w);
    cordon__signals_prepare();
    if (set_up(&w) == -1) {
        struct cordon__message m = {.kind = CORDON__MESSAGE_SETUP_FAILED,
                                    .index = -1, .error = errno};

        send(&w, &m);
        leave(0);
    }
    /* The coordinator may have died before the death signal was armed. */
    if (getppid() != coordinator)
        leave(0);
    serve(&w);
}
