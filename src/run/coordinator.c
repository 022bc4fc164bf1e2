// SPDX-License-Identifier: MIT
// coordinator.c — the runner's side of a run. It forks one worker per job
// slot at start (worker.c), while it is still small, and from then on
// never forks a test itself: workers take tests from the shared board and
// send back finished results over one pipe. The coordinator hands results
// on in test order, answers SIGINT, SIGTERM and SIGHUP (interrupt.c
// passes them on through a self-pipe, like SIGCHLD), and watches the workers: one that dies, or
// stops answering past its test's deadline, is killed with its test,
// replaced, and its test reported as what it was (a test that killed or
// stopped its supervisor). Nothing it does — a slow console, a stop —
// changes a test's verdict: the verdict is the worker's.
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long past a test's own deadline (timeout + grace) a worker may take
 * to report it before the coordinator takes it for stuck: a stopped worker
 * (its test sent it SIGSTOP) soon; one that merely got no CPU on a machine
 * running thousands of jobs, much later. */
#define WORKER_MARGIN 2.0
#define WORKER_STARVED 30.0
/* How many of the caller's own children the coordinator tells apart from
 * the strays its workers leave it. */
#define MAX_OWN 1024

static const int interrupting[] = {SIGINT, SIGTERM, SIGHUP};

#define NINTERRUPTING (sizeof interrupting / sizeof interrupting[0])

struct coordinator {
    struct cordon__run *run;
    const struct cordon__observer *obs;
    struct cordon__board *board;
    size_t nlanes;     /* the board's lanes: kept here, never read from the
                          board, which tests and onces may scribble on */
    pid_t *workers;    /* by lane; 0 = none */
    int *lost;         /* by lane: killed by the coordinator as stuck */
    double *stopped;   /* by lane: since when its worker is stopped, 0 =
                          not stopped */
    long *once_for;    /* by lane: 1 + the test whose suite's once it told
                          started and not finished, 0 = none */
    double *once_at;   /* by lane: when that once started */
    pid_t *own;        /* the caller's children when the run began, and
                          the workers: all but these are strays */
    size_t nown, cap_own;
    bool reaper;       /* the coordinator adopts orphans (Linux) */
    size_t alive;
    int rfd, wfd;      /* the result pipe */
    char partial[sizeof(struct cordon__message)];
    size_t npartial;
    size_t emitted;
    int signals;
    double interrupted_at;
    int setup_error;   /* errno of a worker that could not set up */
};

/* unrun_why is why tests left without a result did not run. */
static enum cordon__unrun
unrun_why(const struct coordinator *c)
{
    if (atomic_load(&c->board->fatal) != 0 || c->setup_error != 0)
        return CORDON__UNRUN_NO_PROCESS;
    if (c->signals > 0 || atomic_load(&c->board->stop) != 0)
        return CORDON__UNRUN_INTERRUPTED;
    /* No cause: a worker was lost with the test (the OOM killer between
     * its claim and its start, say). That fails the run. */
    return CORDON__UNRUN_LOST;
}

static int
start_worker(struct coordinator *c, size_t lane)
{
    sigset_t all, old;
    pid_t pid;
    int err;

    /* Buffered console output would otherwise be written twice. */
    fflush(NULL);
    /* Blocked across fork(), so the new worker never runs the
     * coordinator's handlers (it would write into their pipe); it sets its
     * own signal state before it unblocks. */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid = fork();
    if (pid == 0) {
        cordon__interrupt_close_fds();
        close(c->rfd);
        /* O_CLOEXEC does not reach across fork(): closed here, it is in
         * no worker, holder or test, which could write into it. */
        if (c->run->report_fd > STDERR_FILENO)
            close(c->run->report_fd);
        cordon__worker_main(c->run, c->board, c->nlanes, lane, c->wfd);
    }
    err = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid == -1) {
        errno = err;
        return -1;
    }
    c->workers[lane] = pid;
    c->lost[lane] = 0;
    c->stopped[lane] = 0;
    c->alive++;
    return 0;
}

/* emit hands on every result that is done and has all before it done. */
static void
emit(struct coordinator *c)
{
    struct cordon__run *run = c->run;

    while (c->emitted < run->n && run->results[c->emitted].done) {
        c->obs->result(c->obs->arg, run, c->emitted);
        c->emitted++;
    }
}

/* arrived tells the observer that test index's result has come, as it
 * comes (emit hands results on in test order). */
static void
arrived(struct coordinator *c, size_t index)
{
    if (c->obs->finished != NULL)
        c->obs->finished(c->obs->arg, c->run, index);
}

static void
take_message(struct coordinator *c, const struct cordon__message *m)
{
    const struct cordon__observer *obs = c->obs;

    if (m->kind == CORDON__MESSAGE_SETUP_FAILED) {
        if (c->setup_error == 0)
            c->setup_error = m->error ? m->error : EIO;
        atomic_store(&c->board->stop, 1);
        return;
    }
    if (m->index < 0 || (size_t)m->index >= c->run->n)
        cordon__bug("a worker sent a message that is not one");
    switch (m->kind) {
    case CORDON__MESSAGE_RESULT:
        c->run->results[m->index] = m->result;
        c->run->results[m->index].done = true;
        arrived(c, (size_t)m->index);
        return;
    case CORDON__MESSAGE_STARTED:
        if (obs->started != NULL)
            obs->started(obs->arg, c->run, (size_t)m->index, &m->result);
        return;
    case CORDON__MESSAGE_ONCE_STARTED:
    case CORDON__MESSAGE_ONCE_ENDED:
        if (m->result.lane < c->nlanes) {
            bool started = m->kind == CORDON__MESSAGE_ONCE_STARTED;

            c->once_for[m->result.lane] = started ? m->index + 1 : 0;
            c->once_at[m->result.lane] = cordon__now();
        }
        if (obs->once != NULL)
            obs->once(obs->arg, c->run, (size_t)m->index, m->result.lane,
                      m->kind == CORDON__MESSAGE_ONCE_ENDED ? &m->result
                                                            : NULL);
        return;
    default:
        cordon__bug("a worker sent a message that is not one");
    }
}

/* read_messages takes every whole message waiting in the result pipe. A
 * read shorter than asked for has emptied the pipe: no second read is
 * needed to learn that. */
static void
read_messages(struct coordinator *c)
{
    char buf[64 * sizeof(struct cordon__message)];
    bool more = true;

    while (more) {
        size_t have = c->npartial, at = 0;
        ssize_t n;

        memcpy(buf, c->partial, have);
        n = read(c->rfd, buf + have, sizeof buf - have);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        more = (size_t)n == sizeof buf - have;
        have += (size_t)n;
        for (; have - at >= sizeof(struct cordon__message);
             at += sizeof(struct cordon__message)) {
            struct cordon__message m;

            memcpy(&m, buf + at, sizeof m);
            take_message(c, &m);
        }
        c->npartial = have - at;
        memcpy(c->partial, buf + at, c->npartial);
    }
}

/* claimed_elsewhere says another live worker's lane holds test index. */
static bool
claimed_elsewhere(const struct coordinator *c, size_t lane, long index)
{
    for (size_t i = 0; i < c->nlanes; i++)
        if (i != lane && c->workers[i] != 0 &&
            atomic_load(&c->board->lanes[i].index) == index)
            return true;
    return false;
}

/* lost_test reports the test a dead worker was running, or had claimed
 * and not started (its claim then counts only when it took effect). */
static void
lost_test(struct coordinator *c, size_t lane, int status)
{
    struct cordon__lane *l = &c->board->lanes[lane];
    long index = atomic_load(&l->index);
    pid_t pid = (pid_t)atomic_load(&l->pid);
    struct cordon__lost lost = {
        .stopped = c->lost[lane] != 0, .status = status,
        .started = pid != 0,
        .since = (double)atomic_load(&l->since_ns) / 1e9};

    atomic_store(&l->index, -1);
    atomic_store(&l->pid, 0);
    if (index < 0 || (size_t)index >= c->run->n ||
        c->run->results[index].done)
        return;
    if (pid > 0 && !c->reaper)
        cordon__child_kill(pid, SIGKILL);
    if (pid == 0 && (atomic_load(&l->claim) >= atomic_load(&c->board->next) ||
                     claimed_elsewhere(c, lane, index)))
        return; /* its claim did not take: the test is still to run */
    cordon__result_lost(&c->run->results[index], c->run->tests[index],
                        &lost, c->run);
    c->run->results[index].lane = (unsigned)lane;
    cordon__retry_place(c->run, (size_t)index, atomic_load(&l->attempt),
                        atomic_load(&l->repetition),
                        &c->run->results[index]);
    cordon__retry_note(c->run, (size_t)index, &c->run->results[index]);
    arrived(c, (size_t)index);
}

/* lost_once tells the observer that the once a dead worker was running
 * has ended with it: every suite-once that started finishes. */
static void
lost_once(struct coordinator *c, size_t lane, int status)
{
    long index = c->once_for[lane] - 1;
    struct cordon__result r = {.outcome = CORDON_OUTCOME_CRASH,
                               .started = true, .lane = (unsigned)lane,
                               .exit_status = -1};
    char why[128];

    if (index < 0 || (size_t)index >= c->run->n)
        return;
    c->once_for[lane] = 0;
    if (c->lost[lane])
        snprintf(why, sizeof why, "its worker stopped answering while the "
                 "suite's once ran, and was killed");
    else if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "its worker was killed by %s while the "
                 "suite's once ran", cordon__signal_name(WTERMSIG(status)));
    else
        snprintf(why, sizeof why, "its worker exited with status %d while "
                 "the suite's once ran", WEXITSTATUS(status));
    r.reason = cordon__spool_add(&c->run->spool, why, strlen(why));
    r.began = c->once_at[lane];
    r.seconds = cordon__now() - r.began;
    if (c->obs->once != NULL)
        c->obs->once(c->obs->arg, c->run, (size_t)index, (unsigned)lane, &r);
}

/* lane_of finds the lane of a worker pid; nlanes when it is no worker. */
static size_t
lane_of(const struct coordinator *c, pid_t pid)
{
    size_t lane = 0;

    while (lane < c->nlanes && c->workers[lane] != pid)
        lane++;
    return lane;
}

/* is_own says pid is one of the caller's children from before the run. */
static bool
is_own(const struct coordinator *c, pid_t pid)
{
    for (size_t i = 0; i < c->nown; i++)
        if (c->own[i] == pid)
            return true;
    return false;
}

/* sweep_strays kills and reaps what a dead worker left to the coordinator:
 * every child that is no worker and none of the caller's. */
static void
sweep_strays(struct coordinator *c)
{
    size_t n = c->nown;

    if (!c->reaper)
        return;
    for (size_t lane = 0; lane < c->nlanes; lane++)
        if (c->workers[lane] != 0 && n < c->cap_own)
            c->own[n++] = c->workers[lane];
    cordon__sweep_strays(c->own, n);
}

/* ended_worker returns the lane of a worker that has ended, or nlanes.
 * waitid(P_ALL, WNOWAIT) names an ended child without reaping it; only
 * when that child is not a worker (the caller's own) are the workers
 * asked one by one. */
static size_t
ended_worker(struct coordinator *c)
{
    siginfo_t info;

    for (;;) {
        size_t lane;

        memset(&info, 0, sizeof info);
        if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
            info.si_pid == 0)
            return c->nlanes;
        lane = lane_of(c, info.si_pid);
        if (lane < c->nlanes)
            return lane;
        if (c->reaper && !is_own(c, info.si_pid)) {
            /* An orphan a dead worker left to the coordinator (a test
             * process that died with it): reaped here. */
            waitpid(info.si_pid, NULL, WNOHANG);
            continue;
        }
        for (lane = 0; lane < c->nlanes; lane++)
            if (c->workers[lane] != 0 && cordon__child_ended(c->workers[lane]))
                return lane;
        return c->nlanes;
    }
}

/* reap_workers collects workers that ended; a worker that died with work
 * left is replaced. */
static void
reap_workers(struct coordinator *c)
{
    size_t lane;

    while ((lane = ended_worker(c)) < c->nlanes) {
        pid_t pid = c->workers[lane];
        int status;

        while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
            ;
        c->workers[lane] = 0;
        c->alive--;
        /* Its last result may still be in the pipe. */
        read_messages(c);
        lost_test(c, lane, status);
        lost_once(c, lane, status);
        /* A worker that ended by itself took nothing with it; one that was
         * killed may have left its tests' orphans here. */
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            sweep_strays(c);
        if (atomic_load(&c->board->stop) == 0 &&
            atomic_load(&c->board->next) < (long)c->run->n &&
            start_worker(c, lane) == -1 && c->alive == 0) {
            int none = 0;

            atomic_compare_exchange_strong(&c->board->fatal, &none, errno);
            atomic_store(&c->board->stop, 1);
        }
    }
}

/* stuck_at is when a worker's test should have been reported by, or -1:
 * a worker stopped (its test sent it SIGSTOP) is taken for lost after
 * CORDON__STOP_LIMIT, whatever its test's timeout; one that merely got no
 * CPU, WORKER_STARVED past its test's deadline. */
static double
stuck_at(const struct coordinator *c, size_t lane)
{
    const struct cordon__lane *l = &c->board->lanes[lane];
    long index = atomic_load(&l->index);
    double timeout, since, at;

    if (c->workers[lane] == 0 || index < 0 || (size_t)index >= c->run->n)
        return -1;
    if (c->stopped[lane] > 0)
        return c->stopped[lane] + CORDON__STOP_LIMIT;
    if (atomic_load(&l->pid) <= 0)
        return -1;
    since = (double)atomic_load(&l->since_ns) / 1e9;
    if (c->signals > 0)
        return c->interrupted_at + CORDON__KILL_GRACE + WORKER_MARGIN +
               WORKER_STARVED;
    timeout = cordon__plan_timeout(c->run->cfg, c->run->tests[index]);
    if (timeout <= 0)
        return -1;
    at = since + timeout + CORDON__KILL_GRACE + WORKER_MARGIN;
    return at + WORKER_STARVED;
}

/* track_stops notes which workers stopped or continued since the last
 * look: one waitid() per change, not per worker (a run may have
 * thousands), and no /proc. */
static void
track_stops(struct coordinator *c)
{
    for (;;) {
        siginfo_t info;
        size_t lane;

        memset(&info, 0, sizeof info);
        if (waitid(P_ALL, 0, &info, WSTOPPED | WCONTINUED | WNOHANG) != 0 ||
            info.si_pid == 0)
            return;
        lane = lane_of(c, info.si_pid);
        if (lane < c->nlanes)
            cordon__slot_stop_seen(&info, &c->stopped[lane]);
    }
}

/* police kills workers that are stuck: one its test stopped cannot kill
 * the test itself. */
static void
police(struct coordinator *c, double now)
{
    track_stops(c);
    for (size_t lane = 0; lane < c->nlanes; lane++) {
        double at;
        pid_t test = (pid_t)atomic_load(&c->board->lanes[lane].pid);

        if (c->workers[lane] == 0 || c->lost[lane])
            continue;
        at = stuck_at(c, lane);
        if (at < 0 || now < at)
            continue;
        c->lost[lane] = 1;
        kill(c->workers[lane], SIGKILL);
        /* Where the test dies with its worker (the parent-death signal)
         * and what it leaves comes here to be swept, it is not signalled
         * by pid: a suite holder between the two would report it, and
         * take the next test into the lane. */
        if (test > 0 && !c->reaper)
            cordon__child_kill(test, SIGKILL);
    }
}

/* poll_timeout is how long the loop may sleep. A worker starts tests
 * without telling the coordinator, so a deadline may appear at any time:
 * the loop looks at the lanes at least once a TICK. */
#define TICK 1.0

static int
poll_timeout(const struct coordinator *c, double now)
{
    double soonest = now + (c->obs->tick > 0 ? c->obs->tick : TICK);

    for (size_t lane = 0; lane < c->nlanes; lane++) {
        double at = stuck_at(c, lane);

        if (at >= 0 && !c->lost[lane] && at < soonest)
            soonest = at;
    }
    return soonest <= now ? 0 : (int)((soonest - now) * 1000.0) + 1;
}

/* interrupt stops the run: workers start nothing more and SIGTERM their
 * test now, SIGKILL after the grace; a second signal kills at once. */
static void
interrupt(struct coordinator *c, int sig)
{
    if (c->signals++ == 0) {
        c->run->interrupt_signal = sig;
        c->interrupted_at = cordon__now();
        atomic_store(&c->board->stop, 1);
    } else {
        atomic_store(&c->board->stop, 2);
    }
    for (size_t lane = 0; lane < c->nlanes; lane++)
        if (c->workers[lane] != 0)
            kill(c->workers[lane], SIGTERM);
}

/* drain_signals takes the signals the handler passed on; true when a
 * SIGCHLD was among them (a worker may have ended). */
static bool
drain_signals(struct coordinator *c)
{
    unsigned char buf[64];
    bool child = false;
    ssize_t n;

    while ((n = read(cordon__interrupt_fd(), buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == SIGCHLD)
                child = true;
            else
                interrupt(c, buf[i]);
        }
    return child;
}

/* show_running marks the tests workers are running, for the live line. */
static void
show_running(struct coordinator *c)
{
    for (size_t lane = 0; lane < c->nlanes; lane++) {
        const struct cordon__lane *l = &c->board->lanes[lane];
        long index = atomic_load(&l->index);

        if (index >= 0 && (size_t)index < c->run->n &&
            !c->run->results[index].done) {
            c->run->results[index].started = true;
            c->run->results[index].running_since =
                (double)atomic_load(&l->since_ns) / 1e9;
        }
    }
}

static void
loop(struct coordinator *c)
{
    while (c->alive > 0) {
        struct pollfd p[2] = {{.fd = c->rfd, .events = POLLIN},
                              {.fd = cordon__interrupt_fd(),
                               .events = POLLIN}};

        bool child = false;

        if (poll(p, 2, poll_timeout(c, cordon__now())) == -1 &&
            errno != EINTR)
            cordon__bug("poll on the result pipe failed");
        if (p[1].revents != 0)
            child = drain_signals(c);
        if (p[0].revents != 0)
            read_messages(c);
        if (child)
            reap_workers(c);
        police(c, cordon__now());
        show_running(c);
        emit(c);
        if (c->obs->progress != NULL)
            c->obs->progress(c->obs->arg, c->run, c->emitted);
    }
    read_messages(c);
}

/* settle_rest gives every test left without a result its reason. */
static void
settle_rest(struct coordinator *c)
{
    for (size_t i = 0; i < c->run->n; i++)
        if (!c->run->results[i].done) {
            cordon__result_unrun(&c->run->results[i], c->run->tests[i],
                                 unrun_why(c), &c->run->spool);
            arrived(c, i);
        }
    emit(c);
}

static int
start_workers(struct coordinator *c)
{
    for (size_t lane = 0; lane < c->nlanes; lane++)
        if (start_worker(c, lane) == -1) {
            if (c->alive == 0) {
                atomic_store(&c->board->fatal, errno);
                atomic_store(&c->board->stop, 1);
                return -1;
            }
            break; /* run with the workers there are */
        }
    return 0;
}

static void
report_fatal(const struct coordinator *c)
{
    int fatal = atomic_load(&c->board->fatal);

    if (c->setup_error != 0)
        cordon__error("cannot set up %zu test slots: %s (%s)",
                      c->nlanes, strerror(c->setup_error),
                      c->setup_error == EMFILE || c->setup_error == ENFILE ||
                              c->setup_error == ENOMEM
                          ? "lower --jobs, or raise the open-file limit"
                          : "check that TMPDIR is a writable directory");
    else if (fatal != 0)
        cordon__error("cannot start a test process: %s (lower --jobs or "
                      "raise the process limit)", strerror(fatal));
}

static int
run_forked(struct cordon__run *run, const struct cordon__observer *obs,
           size_t jobs)
{
    struct coordinator c = {.run = run, .obs = obs, .rfd = -1, .wfd = -1};
    int p[2], rc = -1;

    c.board = cordon__board_map(jobs);
    c.nlanes = jobs;
    c.workers = calloc(jobs, sizeof *c.workers);
    c.lost = calloc(jobs, sizeof *c.lost);
    c.stopped = calloc(jobs, sizeof *c.stopped);
    c.once_for = calloc(jobs, sizeof *c.once_for);
    c.once_at = calloc(jobs, sizeof *c.once_at);
    c.cap_own = MAX_OWN + jobs;
    c.own = calloc(c.cap_own, sizeof *c.own);
    if (c.board == NULL || c.workers == NULL || c.lost == NULL ||
        c.stopped == NULL || c.once_for == NULL || c.once_at == NULL ||
        c.own == NULL || pipe(p) == -1) {
        cordon__error("cannot set up the run: %s (lower --jobs, or raise "
                      "the memory or open-file limit)", strerror(errno));
        for (size_t i = 0; i < run->n; i++) {
            cordon__result_unrun(&run->results[i], run->tests[i],
                                 CORDON__UNRUN_NO_PROCESS, &run->spool);
            arrived(&c, i);
        }
        goto out;
    }
    /* A child subreaper too (Linux), so what a test leaves behind when it
     * kills its worker comes here and is swept, rather than to init. The
     * caller's own children, from before the run, are never touched. */
    c.reaper = cordon__platform_reaper_begin();
    if (c.reaper) {
        size_t n = cordon__platform_children(-1, c.own, MAX_OWN);

        c.nown = n < MAX_OWN ? n : MAX_OWN;
    }
    c.rfd = p[0];
    c.wfd = p[1];
    fcntl(c.rfd, F_SETFD, FD_CLOEXEC);
    fcntl(c.wfd, F_SETFD, FD_CLOEXEC);
    fcntl(c.rfd, F_SETFL, O_NONBLOCK);
    if (cordon__interrupt_begin(true) == -1) {
        cordon__error("cannot create the runner's pipe: %s (raise the "
                      "open-file limit)", strerror(errno));
        c.setup_error = errno;
        settle_rest(&c);
        goto out;
    }
    /* The handlers are in place: a signal held since cordon_main began
     * is taken now, and stops the run before it starts. */
    cordon__signals_release();
    /* Taken before the first worker starts, or a worker could start a
     * test before the loop reads the signal. */
    drain_signals(&c);
    run->first_failed = &c.board->first_failed;
    start_workers(&c);
    loop(&c);
    sweep_strays(&c);
    settle_rest(&c);
    report_fatal(&c);
    rc = atomic_load(&c.board->fatal) != 0 || c.setup_error != 0 ? -1 : 0;
out:
    if (c.rfd >= 0)
        close(c.rfd);
    if (c.wfd >= 0)
        close(c.wfd);
    if (c.reaper)
        cordon__platform_reaper_end();
    run->first_failed = NULL;
    cordon__board_unmap(c.board, c.nlanes);
    free(c.workers);
    free(c.lost);
    free(c.stopped);
    free(c.once_for);
    free(c.once_at);
    free(c.own);
    return rc;
}

void
cordon__coordinator_settle(struct cordon__run *run, void (*held)(void *),
                           void *arg)
{
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    struct sigaction old[NINTERRUPTING];
    bool was_pending[NINTERRUPTING] = {0};
    sigset_t pending;

    /* The handlers stay until the reports are written: a signal during
     * them gives up a report nobody reads (interrupt.c). */
    cordon__interrupt_end();
    if (run->interrupt_signal == 0)
        run->late_signal = cordon__interrupt_signal();
    sigemptyset(&ignore.sa_mask);
    sigpending(&pending);
    for (size_t i = 0; i < NINTERRUPTING; i++) {
        if (!sigismember(&pending, interrupting[i]))
            continue;
        if (run->interrupt_signal == 0 && run->late_signal == 0)
            run->late_signal = interrupting[i];
        /* Ignoring a pending signal discards it (POSIX sigaction). */
        was_pending[i] = true;
        sigaction(interrupting[i], &ignore, &old[i]);
    }
    if (held != NULL)
        held(arg);
    cordon__signals_release();
    for (size_t i = 0; i < NINTERRUPTING; i++)
        if (was_pending[i])
            sigaction(interrupting[i], &old[i], NULL);
}

int
cordon__coordinator_run(struct cordon__run *run,
                        const struct cordon__observer *obs)
{
    size_t jobs = (size_t)run->cfg->jobs;
    /* Past a file size limit (ulimit -f) a spool write raises SIGXFSZ,
     * which would kill the coordinator or a worker; ignored, the write
     * fails with EFBIG and only that text is lost. Tests get the caller's
     * disposition back (signals.c). */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    int rc;

    run->tell_starts = obs->started != NULL || obs->once != NULL;
    if (run->cfg->no_fork) {
        if (cordon__interrupt_begin(false) == -1) {
            cordon__error("cannot create the runner's pipe: %s (raise the "
                          "open-file limit)", strerror(errno));
            return -1;
        }
        cordon__signals_release();
        return cordon__inline_run(run, obs);
    }
    if (jobs > run->n)
        jobs = run->n;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, &old);
    rc = run_forked(run, obs, jobs ? jobs : 1);
    sigaction(SIGXFSZ, &old, NULL);
    return rc;
}
