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
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long past a test's own deadline (timeout + grace) a worker may take
 * to report it before the coordinator takes it for stuck: a stopped worker
 * (its test sent it SIGSTOP) soon; one that merely got no CPU on a machine
 * running thousands of jobs, much later. */
#define WORKER_MARGIN 2.0
#define WORKER_STARVED 30.0

static const int interrupting[] = {SIGINT, SIGTERM, SIGHUP};

#define NINTERRUPTING (sizeof interrupting / sizeof interrupting[0])

struct coordinator {
    struct cordon__run *run;
    const struct cordon__observer *obs;
    struct cordon__board *board;
    size_t board_size;
    pid_t *workers;    /* by lane; 0 = none */
    int *lost;         /* by lane: killed by the coordinator as stuck */
    size_t alive;
    int rfd, wfd;      /* the result pipe */
    char partial[sizeof(struct cordon__message)];
    size_t npartial;
    size_t emitted;
    int signals;
    double interrupted_at;
    int setup_error;   /* errno of a worker that could not set up */
    struct cordon__record *blank;
};

static struct cordon__board *
map_board(size_t nlanes, size_t *size)
{
    int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    struct cordon__board *b;
    void *p;

    *size = sizeof *b + nlanes * sizeof b->lanes[0];
    if (fd < 0)
        return NULL;
    p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return NULL;
    b = p;
    b->nlanes = nlanes;
    for (size_t i = 0; i < nlanes; i++)
        atomic_store(&b->lanes[i].index, -1);
    return b;
}

/* unrun_why is why tests left without a result did not run. */
static enum cordon__unrun
unrun_why(const struct coordinator *c)
{
    return atomic_load(&c->board->fatal) != 0 || c->setup_error != 0
               ? CORDON__UNRUN_NO_PROCESS : CORDON__UNRUN_INTERRUPTED;
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
        cordon__worker_main(c->run, c->board, lane, c->wfd);
    }
    err = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid == -1) {
        errno = err;
        return -1;
    }
    c->workers[lane] = pid;
    c->lost[lane] = 0;
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

static void
take_message(struct coordinator *c, const struct cordon__message *m)
{
    if (m->kind == CORDON__MESSAGE_SETUP_FAILED) {
        if (c->setup_error == 0)
            c->setup_error = m->error ? m->error : EIO;
        atomic_store(&c->board->stop, 1);
        return;
    }
    if (m->kind != CORDON__MESSAGE_RESULT || m->index < 0 ||
        (size_t)m->index >= c->run->n)
        cordon__bug("a worker sent a message that is not one");
    c->run->results[m->index] = m->result;
    c->run->results[m->index].done = true;
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

/* lost_test reports the test a dead worker was running. */
static void
lost_test(struct coordinator *c, size_t lane, int status)
{
    struct cordon__lane *l = &c->board->lanes[lane];
    long index = atomic_load(&l->index);
    pid_t pid = (pid_t)atomic_load(&l->pid);
    struct cordon__ending e = {0};
    const struct cordon_impl_test *t;

    atomic_store(&l->index, -1);
    if (index < 0 || (size_t)index >= c->run->n ||
        c->run->results[index].done)
        return;
    if (pid > 0)
        cordon__child_kill(pid, SIGKILL);
    t = c->run->tests[index];
    e.lost_worker = c->lost[lane] ? -1
                    : WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    e.timeout = cordon__plan_timeout(c->run->cfg, t);
    e.seconds = cordon__now() - (double)atomic_load(&l->since_ns) / 1e9;
    if (pid == 0) {
        /* It died before its test had a process: the test never ran. */
        cordon__result_unrun(&c->run->results[index], t,
                             CORDON__UNRUN_NO_PROCESS, &c->run->spool);
        return;
    }
    cordon__result_build(&c->run->results[index], t, &e, c->blank, NULL,
                         c->run);
    cordon__retry_note(c->run, (size_t)index, &c->run->results[index]);
}

/* lane_of finds the lane of a worker pid; nlanes when it is no worker. */
static size_t
lane_of(const struct coordinator *c, pid_t pid)
{
    size_t lane = 0;

    while (lane < c->board->nlanes && c->workers[lane] != pid)
        lane++;
    return lane;
}

/* ended_worker returns the lane of a worker that has ended, or nlanes.
 * waitid(P_ALL, WNOWAIT) names an ended child without reaping it; only
 * when that child is not a worker (the caller's own) are the workers
 * asked one by one. */
static size_t
ended_worker(struct coordinator *c)
{
    siginfo_t info;

    memset(&info, 0, sizeof info);
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid != 0) {
        size_t lane = lane_of(c, info.si_pid);

        if (lane < c->board->nlanes)
            return lane;
        for (lane = 0; lane < c->board->nlanes; lane++)
            if (c->workers[lane] != 0 && cordon__child_ended(c->workers[lane]))
                return lane;
    }
    return c->board->nlanes;
}

/* reap_workers collects workers that ended; a worker that died with work
 * left is replaced. */
static void
reap_workers(struct coordinator *c)
{
    size_t lane;

    while ((lane = ended_worker(c)) < c->board->nlanes) {
        pid_t pid = c->workers[lane];
        int status;

        while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
            ;
        c->workers[lane] = 0;
        c->alive--;
        /* Its last result may still be in the pipe. */
        read_messages(c);
        lost_test(c, lane, status);
        if (atomic_load(&c->board->stop) == 0 &&
            atomic_load(&c->board->next) < (long)c->run->n &&
            start_worker(c, lane) == -1 && c->alive == 0) {
            int none = 0;

            atomic_compare_exchange_strong(&c->board->fatal, &none, errno);
            atomic_store(&c->board->stop, 1);
        }
    }
}

/* stuck_at is when a worker's test should have been reported by, or -1. */
static double
stuck_at(const struct coordinator *c, size_t lane)
{
    const struct cordon__lane *l = &c->board->lanes[lane];
    long index = atomic_load(&l->index);
    double timeout, since;

    if (c->workers[lane] == 0 || index < 0 || (size_t)index >= c->run->n ||
        atomic_load(&l->pid) <= 0)
        return -1;
    since = (double)atomic_load(&l->since_ns) / 1e9;
    if (c->signals > 0)
        return c->interrupted_at + CORDON__KILL_GRACE + WORKER_MARGIN;
    timeout = cordon__plan_timeout(c->run->cfg, c->run->tests[index]);
    if (timeout <= 0)
        return -1;
    return since + timeout + CORDON__KILL_GRACE + WORKER_MARGIN;
}

/* police kills workers past their test's deadline: one its test stopped
 * (SIGSTOP to its parent) cannot kill the test itself. */
static void
police(struct coordinator *c, double now)
{
    for (size_t lane = 0; lane < c->board->nlanes; lane++) {
        double at = stuck_at(c, lane);
        pid_t test = (pid_t)atomic_load(&c->board->lanes[lane].pid);

        if (at < 0 || now < at || c->lost[lane] ||
            (now < at + WORKER_STARVED &&
             !cordon__platform_stopped(c->workers[lane])))
            continue;
        c->lost[lane] = 1;
        kill(c->workers[lane], SIGKILL);
        if (test > 0)
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

    for (size_t lane = 0; lane < c->board->nlanes; lane++) {
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
    for (size_t lane = 0; lane < c->board->nlanes; lane++)
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
    for (size_t lane = 0; lane < c->board->nlanes; lane++) {
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
        if (!c->run->results[i].done)
            cordon__result_unrun(&c->run->results[i], c->run->tests[i],
                                 unrun_why(c), &c->run->spool);
    emit(c);
}

static int
start_workers(struct coordinator *c)
{
    for (size_t lane = 0; lane < c->board->nlanes; lane++)
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
                      c->board->nlanes, strerror(c->setup_error),
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

    c.board = map_board(jobs, &c.board_size);
    c.workers = calloc(jobs, sizeof *c.workers);
    c.lost = calloc(jobs, sizeof *c.lost);
    c.blank = cordon__record_map();
    if (c.board == NULL || c.workers == NULL || c.lost == NULL ||
        c.blank == NULL || pipe(p) == -1) {
        cordon__error("cannot set up the run: %s (lower --jobs, or raise "
                      "the memory or open-file limit)", strerror(errno));
        for (size_t i = 0; i < run->n; i++)
            cordon__result_unrun(&run->results[i], run->tests[i],
                                 CORDON__UNRUN_NO_PROCESS, &run->spool);
        goto out;
    }
    cordon__record_reset(c.blank);
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
    run->first_failed = &c.board->first_failed;
    start_workers(&c);
    loop(&c);
    settle_rest(&c);
    report_fatal(&c);
    rc = atomic_load(&c.board->fatal) != 0 || c.setup_error != 0 ? -1 : 0;
out:
    if (c.rfd >= 0)
        close(c.rfd);
    if (c.wfd >= 0)
        close(c.wfd);
    cordon__record_unmap(c.blank);
    run->first_failed = NULL;
    if (c.board != NULL)
        munmap(c.board, c.board_size);
    free(c.workers);
    free(c.lost);
    return rc;
}

/* What an attempt without fork needs. */
struct inline_run {
    struct cordon__run *run;
    struct cordon__record *rec;
    const struct cordon_impl_suite **once_ran; /* suites whose once ran */
    char **once_failed;                        /* and why it failed, or NULL */
    size_t nonce;
};

/* once_inline runs the once of test index's suite, the first time one of
 * its tests comes, in this process (--no-fork: a crash ends the run).
 * Returns why it failed (a failed check), else NULL. */
static const char *
once_inline(struct inline_run *in, size_t index)
{
    const struct cordon_impl_suite *s = in->run->tests[index]->suite_;
    struct cordon__ending e = {.exited = true};
    char reason[512];

    if (s == NULL || s->options.once == NULL)
        return NULL;
    for (size_t i = 0; i < in->nonce; i++)
        if (in->once_ran[i] == s)
            return in->once_failed[i];
    in->once_ran = cordon__xrealloc(in->once_ran, (in->nonce + 1) *
                                                      sizeof *in->once_ran);
    in->once_failed = cordon__xrealloc(in->once_failed,
                                       (in->nonce + 1) *
                                           sizeof *in->once_failed);
    in->once_ran[in->nonce] = s;
    in->once_failed[in->nonce] = NULL;
    cordon__record_current = in->rec;
    s->options.once();
    cordon__record_current = NULL;
    if (cordon__record_count(in->rec, CORDON__ENTRY_FAILURE) > 0) {
        cordon__outcome_once(&e, in->rec, reason, sizeof reason);
        in->once_failed[in->nonce] = cordon__xstrdup(reason);
    }
    cordon__record_reset(in->rec);
    return in->once_failed[in->nonce++];
}

/* attempt_inline runs test index once in this process: a
 * cordon__attempt_fn. */
static bool
attempt_inline(void *arg, size_t index, struct cordon__result *r)
{
    struct inline_run *in = arg;
    const struct cordon_impl_test *t = in->run->tests[index];
    struct cordon__child_setup cs = {.test = t, .record = in->rec,
                                     .out_fd = -1, .err_fd = -1,
                                     .null_fd = -1,
                                     .close_fds = {-1, -1, -1, -1}};
    struct cordon__ending e = {.exited = true};
    double t0 = cordon__now();
    char why[128];

    if (cordon__interrupt_signal() != 0) {
        cordon__result_unrun(r, t, CORDON__UNRUN_INTERRUPTED,
                             &in->run->spool);
        return true;
    }
    if (cordon__outcome_needs_fork(&t->options, why, sizeof why)) {
        /* Its death would end the run, and every test after it. */
        cordon__result_skip(r, t, why, &in->run->spool);
        return true;
    }
    cordon__interrupt_inline(true);
    cordon__child_run_inline(&cs);
    cordon__interrupt_inline(false);
    e.seconds = cordon__now() - t0;
    e.finished = atomic_load(&in->rec->body_finished) == (int)getpid();
    cordon__result_build(r, t, &e, in->rec, NULL, in->run);
    cordon__tmpdir_settle(in->rec, r, &in->run->spool);
    cordon__record_reset(in->rec);
    return true;
}

/* run_inline runs every test in this process (--no-fork), in execution
 * order, handing results on in test order as they complete. A signal
 * stops the run once the running test has ended (interrupt.c). */
static int
run_inline(struct cordon__run *run, const struct cordon__observer *obs)
{
    struct inline_run in = {.run = run, .rec = cordon__record_map()};
    atomic_long first_failed = 0;
    size_t emitted = 0;

    if (in.rec == NULL)
        return -1;
    cordon__record_reset(in.rec);
    run->first_failed = &first_failed;
    for (size_t k = 0; k < run->n; k++) {
        size_t i = run->order ? run->order[k] : k;

        const char *once_failed;

        if (cordon__retry_skip(run, i, &run->results[i]))
            ;
        else if ((once_failed = once_inline(&in, i)) != NULL)
            cordon__result_verdict(&run->results[i], run->tests[i],
                                   CORDON_OUTCOME_FAIL, 0, once_failed,
                                   &run->spool);
        else
            cordon__retry_test(run, i, attempt_inline, &in,
                               &run->results[i]);
        run->results[i].done = true;
        while (emitted < run->n && run->results[emitted].done)
            obs->result(obs->arg, run, emitted++);
    }
    run->interrupt_signal = cordon__interrupt_signal();
    run->first_failed = NULL;
    cordon__record_unmap(in.rec);
    for (size_t i = 0; i < in.nonce; i++)
        free(in.once_failed[i]);
    free(in.once_failed);
    free(in.once_ran);
    return 0;
}

void
cordon__coordinator_settle(struct cordon__run *run)
{
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    struct sigaction old[NINTERRUPTING];
    bool was_pending[NINTERRUPTING] = {0};
    sigset_t pending;

    /* The handlers stay until the reports are written: a signal during
     * them gives up a report nobody reads (interrupt.c). */
    cordon__interrupt_end();
    if (run->interrupt_signal == 0)
        run->interrupt_signal = cordon__interrupt_signal();
    sigemptyset(&ignore.sa_mask);
    sigpending(&pending);
    for (size_t i = 0; i < NINTERRUPTING; i++) {
        if (!sigismember(&pending, interrupting[i]))
            continue;
        if (run->interrupt_signal == 0)
            run->interrupt_signal = interrupting[i];
        /* Ignoring a pending signal discards it (POSIX sigaction). */
        was_pending[i] = true;
        sigaction(interrupting[i], &ignore, &old[i]);
    }
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

    if (run->cfg->no_fork) {
        if (cordon__interrupt_begin(false) == -1) {
            cordon__error("cannot create the runner's pipe: %s (raise the "
                          "open-file limit)", strerror(errno));
            return -1;
        }
        cordon__signals_release();
        return run_inline(run, obs);
    }
    if (jobs > run->n)
        jobs = run->n;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, &old);
    rc = run_forked(run, obs, jobs ? jobs : 1);
    sigaction(SIGXFSZ, &old, NULL);
    return rc;
}
