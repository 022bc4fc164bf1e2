// SPDX-License-Identifier: MIT
// slot.c — one test in a job slot, as its supervisor (a worker, or a
// suite holder forked from it) runs it: claim it from the board, fork it
// (child.c), watch it against its deadline and the run's interruption,
// sweep what it leaves (sweep.c), judge it from the evidence and send the
// result whole, in one pipe write. The run time comes from the test's own
// clock and a timeout only from evidence (its watchdog, the deadline kill,
// its own run time), so a coordinator that is stalled on a slow console,
// or stopped, never turns a quick test into a TIMEOUT. The supervisor's
// shared memory (the board, the spool's end) is kept out of the test
// (MADV_DONTFORK, else unmapped in it), so nothing it writes reaches them.
#include "supervise/supervise.h"
#include "api/api.h"
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(struct cordon__message) <= 512,
               "a message must stay one atomic pipe write");

/* How long past its body a test process may take to end (its leak check,
 * its coverage dump) before it is killed, in seconds. */
#define AFTER_BODY 30.0

void
cordon__slot_leave(int status)
{
    cordon__coverage_flush();
    _exit(status);
}

void
cordon__slot_send(const struct cordon__slot *s,
                  const struct cordon__message *m)
{
    const char *p = (const char *)m;
    size_t left = sizeof *m;

    while (left > 0) {
        ssize_t n = write(s->fd, p, left);

        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            cordon__slot_leave(0); /* the coordinator is gone */
        p += n;
        left -= (size_t)n;
    }
}

void
cordon__slot_tell(const struct cordon__slot *s, int kind, size_t index,
                  const struct cordon__result *r)
{
    struct cordon__message m = {.kind = kind, .index = (long)index};

    if (!s->run->tell_starts)
        return;
    if (r != NULL)
        m.result = *r;
    m.result.test = s->run->tests[index];
    m.result.lane = (unsigned)(s->lane - s->board->lanes);
    cordon__slot_send(s, &m);
}

void
cordon__slot_wait(const struct cordon__slot *s, int pidfd, double at)
{
    struct timespec ts;
    double left;

    if (pidfd >= 0) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};

        left = at < 0 ? CORDON__SLOT_TICK : at - cordon__now();
        if (left > CORDON__SLOT_TICK)
            left = CORDON__SLOT_TICK;
        if (left > 0)
            poll(&p, 1, (int)(left * 1000.0) + 1);
        return;
    }
    if (at < 0) {
        sigwaitinfo(&s->waitset, NULL);
        return;
    }
    left = at - cordon__now();
    if (left <= 0)
        return;
    ts.tv_sec = (time_t)left;
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    sigtimedwait(&s->waitset, NULL, &ts);
}

void
cordon__slot_stop_seen(const siginfo_t *info, double *since)
{
    if (info->si_code == CLD_CONTINUED)
        *since = 0;
    else if (*since == 0)
        *since = cordon__now();
}

void
cordon__slot_stopped(pid_t pid, double *since)
{
    siginfo_t info;

    /* Stops and continues only (no WEXITED): an end stays to be reaped. */
    for (;;) {
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info,
                   WSTOPPED | WCONTINUED | WNOHANG) != 0 ||
            info.si_pid == 0)
            return;
        cordon__slot_stop_seen(&info, since);
    }
}

void
cordon__slot_hide(struct cordon__slot *s, bool hide)
{
    bool board = cordon__platform_dontfork(
        s->board, cordon__board_size(s->nlanes), hide);
    bool spool = cordon__platform_dontfork((void *)s->run->spool.end,
                                           sizeof *s->run->spool.end, hide);

    /* Advice taken is not advice followed (qemu-user): the probe says. */
    s->hidden = hide && board && spool && cordon__platform_dontfork_works();
}

bool
cordon__slot_seal(struct cordon__slot *s, bool seal)
{
    int prot = seal ? PROT_NONE : PROT_READ | PROT_WRITE;

    return mprotect(s->board, cordon__board_size(s->nlanes), prot) == 0 &&
           mprotect((void *)s->run->spool.end, sizeof *s->run->spool.end,
                    prot) == 0;
}

int
cordon__slot_capture(int target)
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

void
cordon__slot_renew(struct cordon__slot *s)
{
    struct cordon__record *fresh = cordon__record_map();

    if (fresh == NULL || cordon__slot_capture(STDOUT_FILENO) < 0 ||
        cordon__slot_capture(STDERR_FILENO) < 0) {
        /* The old ones serve, as they do where orphans are adopted. */
        if (fresh != NULL)
            cordon__record_unmap(fresh);
        return;
    }
    cordon__record_unmap(s->record);
    s->record = fresh;
    cordon__record_reset(fresh);
    cordon__backtrace_use(fresh);
}

bool
cordon__slot_take(struct cordon__slot *s, size_t *index)
{
    const struct cordon__run *run = s->run;

    for (;;) {
        long pos = atomic_load(&s->board->next);
        size_t i;

        /* A position no claim could have left (the board scribbled on)
         * ends this slot's work rather than index past the order. */
        if (atomic_load(&s->board->stop) != 0 || pos < 0 ||
            pos >= (long)run->n)
            return false;
        i = run->order ? run->order[pos] : (size_t)pos;
        atomic_store(&s->lane->pid, 0);
        atomic_store(&s->lane->since_ns, (long long)(cordon__now() * 1e9));
        atomic_store(&s->lane->claim, pos);
        atomic_store(&s->lane->index, (long)i);
        if (atomic_compare_exchange_strong(&s->board->next, &pos, pos + 1)) {
            *index = i;
            return true;
        }
    }
}

/* spawn_test is a cordon__slot_spawn start: it forks a test process. */
static pid_t
spawn_test(const void *cs)
{
    return cordon__child_spawn(cs);
}

pid_t
cordon__slot_spawn(struct cordon__slot *s, pid_t (*start)(const void *arg),
                   const void *arg)
{
    long delay_ms = 1;

    for (;;) {
        pid_t pid = start(arg);
        struct timespec ts;

        if (pid >= 0)
            return pid;
        if ((errno != EAGAIN && errno != ENOMEM) ||
            cordon__board_running(s->board, s->nlanes) == 0 ||
            atomic_load(&s->board->stop) != 0)
            return -1;
        ts.tv_sec = 0;
        ts.tv_nsec = delay_ms * 1000000L;
        nanosleep(&ts, NULL);
        if (delay_ms < 64)
            delay_ms *= 2;
    }
}

/* deadline_of is when the test must have ended: timeout + grace after its
 * own process started (by its own stamp), so a test that a loaded machine
 * has not even scheduled yet is not killed for it; until it has stamped,
 * the clock runs from the fork, and is looked at again then. A test whose
 * body is over has AFTER_BODY more for its leak check and coverage dump:
 * that is not its time. */
static double
deadline_of(const struct cordon__slot *s, pid_t pid, double forked,
            double timeout)
{
    const struct cordon__record *rec = s->record;
    long long started = atomic_load(&rec->started_ns);
    long long ended = atomic_load(&rec->ended_ns);
    double from = forked;

    if (atomic_load(&rec->owner) != (int)pid || started == 0) {
        if (cordon__now() >= forked + timeout + CORDON__KILL_GRACE)
            from = cordon__now(); /* not started yet: look again later */
        return from + timeout + CORDON__KILL_GRACE;
    }
    if (atomic_load(&rec->body_finished) == (int)pid && ended >= started)
        return (double)ended / 1e9 + AFTER_BODY;
    return (double)started / 1e9 + timeout + CORDON__KILL_GRACE;
}

/* watch waits until the test's own process has ended (it is then a zombie
 * still holding its pgid). It enforces the deadline (timeout + grace), and
 * the run's interruption: SIGTERM now, SIGKILL after the grace or at a
 * second interruption. */
static void
watch(struct cordon__slot *s, pid_t pid, int pidfd, double forked,
      double timeout, struct cordon__ending *e)
{
    double deadline = timeout > 0 ? forked + timeout + CORDON__KILL_GRACE : -1;
    double grace_until = -1;
    bool hard = false;

    e->timeout = timeout;
    /* A new test is rarely over already: wait first, then look. */
    cordon__slot_wait(s, pidfd, deadline);
    while (!cordon__child_ended(pid)) {
        double now = cordon__now(), at;
        int stop = atomic_load(&s->board->stop);

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
            deadline = deadline_of(s, pid, forked, timeout);
        if (!hard && deadline >= 0 && now >= deadline) {
            /* Checked after cordon__child_ended(): a supervisor that was
             * itself stopped past the deadline does not kill a test that
             * ended in time. */
            hard = e->killed = true;
            cordon__child_kill(pid, SIGKILL);
        }
        at = hard ? -1 : deadline;
        if (!hard && grace_until >= 0 && (at < 0 || grace_until < at))
            at = grace_until;
        cordon__slot_wait(s, pidfd, at);
    }
}

/* run_time is the test's run time by its own clock when it wrote its end,
 * else from its own start (or the fork) to when its end was seen. */
static double
run_time(const struct cordon__record *rec, pid_t pid, double forked,
         double seen)
{
    long long start = atomic_load(&rec->started_ns);
    long long end = atomic_load(&rec->ended_ns);

    if (atomic_load(&rec->owner) != (int)pid || start == 0)
        return seen - forked;
    if (end >= start)
        return (double)(end - start) / 1e9;
    return seen - (double)start / 1e9;
}

bool
cordon__slot_no_process(struct cordon__slot *s,
                        const struct cordon_impl_test *t,
                        struct cordon__result *r)
{
    int err = errno, none = 0;

    atomic_store(&s->lane->index, -1);
    if (atomic_load(&s->board->stop) != 0) {
        cordon__result_unrun(r, t, CORDON__UNRUN_INTERRUPTED, &s->run->spool);
        return true;
    }
    /* The first to fail says why; the coordinator reports it. */
    atomic_compare_exchange_strong(&s->board->fatal, &none, err);
    atomic_store(&s->board->stop, 1);
    cordon__result_unrun(r, t, CORDON__UNRUN_NO_PROCESS, &s->run->spool);
    return false;
}

/* attempt runs test index once into r: a cordon__attempt_fn. */
static bool
attempt(void *arg, size_t index, struct cordon__result *r)
{
    struct cordon__slot *s = arg;
    const struct cordon_impl_test *t = s->run->tests[index];
    struct cordon__child_setup cs = {
        .test = t,
        .record = s->record,
        .timeout = cordon__plan_timeout(s->run->cfg, t),
        .out_fd = s->out_fd,
        .err_fd = s->err_fd,
        .null_fd = s->null_fd,
        .close_fds = {s->fd, s->run->spool.fd, s->children_fd, -1},
        .lane_pid = s->hidden ? NULL : &s->lane->pid,
        .own_session = s->spare_group != 0,
        .engine_tmpdir = s->engine_tmpdir,
        .limits = cordon__limits_of(s->run->cfg, t),
    };
    struct cordon__sweep sweep = {.reaper = s->subreaper,
                                  .children_fd = s->children_fd,
                                  .keep = s->keep, .nkeep = s->nkeep,
                                  .spare_group = s->spare_group};
    struct cordon__ending e = {0};
    struct cordon__sanitizer_report report;
    const struct cordon__output output = {s->out_fd, s->err_fd};
    double forked;
    int status = 0, pidfd;
    pid_t pid;

    if (atomic_load(&s->board->stop) != 0) {
        cordon__result_unrun(r, t, CORDON__UNRUN_INTERRUPTED, &s->run->spool);
        return true;
    }
    if (!s->hidden) {
        /* Kept from the test by unmapping it there. */
        cs.unmap[0] = s->board;
        cs.unmap_size[0] = cordon__board_size(s->nlanes);
        cs.unmap[1] = (void *)s->run->spool.end;
        cs.unmap_size[1] = sizeof *s->run->spool.end;
    }
    atomic_store(&s->lane->pid, 0);
    atomic_store(&s->lane->since_ns, (long long)(cordon__now() * 1e9));
    atomic_store(&s->lane->attempt, r->attempt);
    atomic_store(&s->lane->repetition, r->repetition);
    atomic_store(&s->lane->index, (long)index);
    forked = cordon__now();
    if (s->run->tell_starts) {
        struct cordon__result now = {.attempt = r->attempt,
                                     .repetition = r->repetition,
                                     .began = forked};

        cordon__slot_tell(s, CORDON__MESSAGE_STARTED, index, &now);
    }
    /* From here the test may exist before its pid is known here: a worker
     * it stops or kills at once is then still reported as the test's. */
    atomic_store(&s->lane->pid, CORDON__LANE_FORKING);
    pid = cordon__slot_spawn(s, spawn_test, &cs);
    if (pid < 0) {
        atomic_store(&s->lane->pid, 0);
        return cordon__slot_no_process(s, t, r);
    }
    atomic_store(&s->lane->pid, (int)pid);
    /* In a suite holder, a thread once started may take the SIGCHLD this
     * process waits for: it waits on a pidfd there. A worker has no
     * thread but its own, and waits for the signal, which costs less. */
    pidfd = s->spare_group != 0 ? cordon__platform_pidfd(pid) : -1;
    watch(s, pid, pidfd, forked, cs.timeout, &e);
    if (pidfd >= 0)
        close(pidfd);
    /* Ended: from here the pid is reaped and may be reused, so nobody
     * may signal it by the lane any more. A coordinator slow to read the
     * result may also keep this process in write() for long; that is not
     * a stuck test. */
    atomic_store(&s->lane->pid, -1);
    e.seconds = run_time(s->record, pid, forked, cordon__now());
    cordon__sweep(pid, &status, &sweep);
    e.left_running = sweep.left;
    e.left_unfound = sweep.unfound;
    if (sweep.unfound)
        s->retire = true;
    cordon__ending_from_status(&e, status);
    e.finished = atomic_load(&s->record->body_finished) == (int)pid;
    e.valgrind = cordon__valgrind_running();
    if (cordon__sanitizer_scan(s->err_fd, &report) == 0 && report.found)
        e.sanitizer = &report;
    e.limits = cs.limits;
    cordon__result_build(r, t, &e, s->record, &output, s->run);
    r->began = forked;
    r->lane = (unsigned)(s->lane - s->board->lanes);
    /* The first attempt after a suite's once carries it, for the
     * timeline of the HTML report. */
    r->once_began = s->once_began;
    r->once_seconds = s->once_seconds;
    s->once_began = 0;
    cordon__tmpdir_settle(s->record, r, &s->run->spool);
    cordon__record_reset(s->record);
    /* What a test left outside its group may live on where nothing
     * adopts it: it keeps this test's record and files, not the next's. */
    if (!s->subreaper)
        cordon__slot_renew(s);
    return true;
}

bool
cordon__slot_run(struct cordon__slot *s, size_t index)
{
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};
    bool go = true;

    if (!cordon__retry_skip(s->run, index, &m.result))
        go = cordon__retry_test(s->run, index, attempt, s, &m.result);
    cordon__slot_send(s, &m);
    atomic_store(&s->lane->index, -1);
    atomic_store(&s->lane->pid, 0);
    if (s->retire)
        cordon__slot_leave(0);
    return go;
}
