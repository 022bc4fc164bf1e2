// SPDX-License-Identifier: MIT
// scheduler.c — the runner's event loop: up to --jobs test processes in
// flight, each in a job slot with its own result record and capture files.
// Children's ends arrive through SIGCHLD, whose handler only writes a byte
// to a self-pipe; the loop sleeps in poll() until that byte or the nearest
// deadline, then reaps by pid (never -1: a user's main may have children of
// its own). Results are handed on in test order as soon as they and every
// test before them are done. SIGINT, SIGTERM and SIGHUP take the same
// self-pipe and stop the run cleanly.
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int self_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;

    (void)!write(self_pipe[1], &b, 1);
    errno = saved;
}

static const int caught[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP};

struct slot {
    pid_t pid; /* 0 = free */
    size_t index;
    double start;
    double timeout;
    bool killed;      /* SIGKILLed at the deadline */
    bool interrupted; /* was running when the run was interrupted */
    int out_fd;
    int err_fd;
    struct cordon__record *record;
};

struct loop {
    struct cordon__run *run;
    struct slot *slots;
    size_t nslots;
    size_t running;
    size_t next;    /* next test to start */
    size_t emitted; /* results handed to cb so far */
    int null_fd;
    double grace_until; /* after an interruption: SIGKILL at this time */
    int signals;        /* interrupting signals received */
    const struct cordon__observer *obs;
    struct sigaction old[sizeof caught / sizeof caught[0]];
};

static int
install_signals(struct loop *l)
{
    struct sigaction sa = {.sa_handler = on_signal,
                           .sa_flags = SA_RESTART | SA_NOCLDSTOP};

    if (pipe(self_pipe) == -1)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(self_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(self_pipe[i], F_SETFL, O_NONBLOCK);
    }
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaction(caught[i], &sa, &l->old[i]);
    return 0;
}

static const int interrupting[] = {SIGINT, SIGTERM, SIGHUP};
static sigset_t mask_before_settle;

/* restore_signals puts the runner's own signal handling back, except that
 * the interrupting signals stay blocked until the reports are written
 * (cordon__scheduler_settle): a Ctrl-C then must not cost a report. */
static void
restore_signals(struct loop *l)
{
    sigset_t block;

    sigemptyset(&block);
    for (size_t i = 0; i < sizeof interrupting / sizeof interrupting[0]; i++)
        sigaddset(&block, interrupting[i]);
    sigprocmask(SIG_BLOCK, &block, &mask_before_settle);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaction(caught[i], &l->old[i], NULL);
    close(self_pipe[0]);
    close(self_pipe[1]);
    self_pipe[0] = self_pipe[1] = -1;
}

static bool
keeps_output(const struct cordon__config *cfg, enum cordon_outcome o)
{
    return cfg->junit_path != NULL || cfg->tap_path != NULL ||
           cordon__outcome_failed(o);
}

/* emit hands on every result that is done and has all before it done. */
static void
emit(struct loop *l)
{
    struct cordon__run *run = l->run;

    while (l->emitted < run->n && run->results[l->emitted].done) {
        l->obs->result(l->obs->arg, &run->results[l->emitted], l->emitted);
        l->emitted++;
    }
}

static void
finish(struct loop *l, struct slot *s, int status)
{
    struct cordon__result *r = &l->run->results[s->index];
    const struct cordon__config *cfg = l->run->cfg;
    struct cordon__ending e = {
        .signaled = WIFSIGNALED(status),
        .signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0,
        .exited = WIFEXITED(status),
        .status = WIFEXITED(status) ? WEXITSTATUS(status) : 0,
        .timeout = s->timeout,
        .killed = s->killed && !s->interrupted,
        .interrupted = s->interrupted,
    };

    r->seconds = cordon__now() - s->start;
    /* Past the timeout is a timeout, even if the test ended by itself
     * within the kill grace. */
    e.timed_out = s->timeout > 0 && (s->killed || r->seconds >= s->timeout);
    cordon__result_fill(r, &e, s->record);
    if (keeps_output(cfg, r->outcome)) {
        cordon__capture_take(s->out_fd, (size_t)cfg->output_limit, &r->out);
        cordon__capture_take(s->err_fd, (size_t)cfg->output_limit, &r->err);
    } else {
        cordon__capture_discard(s->out_fd);
        cordon__capture_discard(s->err_fd);
    }
    cordon__record_reset(s->record);
    s->pid = 0;
    l->running--;
}

/* reap collects every ended child. The group is killed while the child is
 * still a zombie (so its pgid cannot be reused yet): a test leaves no
 * process of its own behind. */
static void
reap(struct loop *l)
{
    for (size_t i = 0; i < l->nslots; i++) {
        struct slot *s = &l->slots[i];
        siginfo_t info;
        int status;

        if (s->pid == 0)
            continue;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG | WNOWAIT)
                == -1 || info.si_pid == 0)
            continue;
        kill(-s->pid, SIGKILL);
        while (waitpid(s->pid, &status, 0) == -1 && errno == EINTR)
            ;
        finish(l, s, status);
    }
}

/* skip_disabled settles the next test without a process when it is
 * disabled, and says whether it did. */
static bool
skip_disabled(struct loop *l)
{
    struct cordon__result *r = &l->run->results[l->next];

    if (!r->test->options.disabled)
        return false;
    snprintf(r->reason, sizeof r->reason, "disabled");
    r->outcome = CORDON_OUTCOME_SKIP;
    r->done = true;
    l->next++;
    return true;
}

static int
start(struct loop *l, struct slot *s)
{
    struct cordon__run *run = l->run;
    struct cordon__result *r = &run->results[l->next];
    struct cordon__child_setup cs = {
        .test = r->test,
        .record = s->record,
        .timeout = cordon__plan_timeout(run->cfg, r->test),
        .out_fd = s->out_fd,
        .err_fd = s->err_fd,
        .null_fd = l->null_fd,
        .core_dumps = run->cfg->core_dumps,
    };
    pid_t pid;
    double t0;

    r->timeout = cs.timeout;
    /* The clock starts before fork(): the child arms its SIGALRM watchdog
     * as soon as it runs, possibly before the parent returns from fork(),
     * and a start taken after would make a watchdog kill look shorter
     * than the timeout (a CRASH by SIGALRM instead of a TIMEOUT). */
    t0 = cordon__now();
    pid = cordon__child_spawn(&cs);
    if (pid == -1)
        return -1;
    *s = (struct slot){.pid = pid, .index = l->next, .start = t0,
                       .timeout = cs.timeout, .out_fd = s->out_fd,
                       .err_fd = s->err_fd, .record = s->record};
    r->started = true;
    l->next++;
    l->running++;
    return 0;
}

static struct slot *
free_slot(struct loop *l)
{
    for (size_t i = 0; i < l->nslots; i++)
        if (l->slots[i].pid == 0)
            return &l->slots[i];
    return NULL;
}

/* fill_slots starts tests while slots are free. Returns -1 when a fork
 * failed with nothing running (so waiting would not help). */
static int
fill_slots(struct loop *l)
{
    struct slot *s;

    while (l->signals == 0 && l->next < l->run->n &&
           (s = free_slot(l)) != NULL) {
        if (skip_disabled(l) || start(l, s) == 0)
            continue;
        if (l->running > 0)
            return 0; /* retry when a slot frees up */
        cordon__usage_error("cannot start a test process: %s (lower --jobs "
                            "or raise the process limit)", strerror(errno));
        return -1;
    }
    return 0;
}

/* poll_timeout is the wait until the nearest deadline, in ms (-1 = none). */
static int
poll_timeout(const struct loop *l, double now)
{
    double soonest = -1;

    for (size_t i = 0; i < l->nslots; i++) {
        const struct slot *s = &l->slots[i];
        double at;

        if (s->pid == 0 || s->killed)
            continue;
        if (l->signals > 0)
            at = l->grace_until;
        else if (s->timeout > 0)
            at = s->start + s->timeout + CORDON__KILL_GRACE;
        else
            continue;
        if (soonest < 0 || at < soonest)
            soonest = at;
    }
    if (soonest < 0)
        return -1;
    return soonest <= now ? 0 : (int)((soonest - now) * 1000.0) + 1;
}

static void
kill_overdue(struct loop *l, double now)
{
    for (size_t i = 0; i < l->nslots; i++) {
        struct slot *s = &l->slots[i];
        bool overdue = s->timeout > 0 &&
                       now >= s->start + s->timeout + CORDON__KILL_GRACE;
        bool grace_over = l->signals > 0 && now >= l->grace_until;

        if (s->pid == 0 || s->killed || !(overdue || grace_over))
            continue;
        kill(-s->pid, SIGKILL);
        s->killed = true;
    }
}

/* interrupt stops the run: no new tests, SIGTERM to every running test's
 * group now and SIGKILL after the grace; a second signal kills at once. */
static void
interrupt(struct loop *l, int sig)
{
    double now = cordon__now();

    if (l->signals++ == 0) {
        l->run->interrupt_signal = sig;
        l->grace_until = now + CORDON__KILL_GRACE;
        for (size_t i = 0; i < l->nslots; i++)
            if (l->slots[i].pid != 0) {
                l->slots[i].interrupted = true;
                kill(-l->slots[i].pid, SIGTERM);
            }
        return;
    }
    l->grace_until = now;
}

static void
drain(struct loop *l)
{
    unsigned char buf[64];
    ssize_t n;

    while ((n = read(self_pipe[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != SIGCHLD)
                interrupt(l, buf[i]);
}

static void
mark_not_run(struct loop *l)
{
    for (size_t i = l->next; i < l->run->n; i++) {
        struct cordon__result *r = &l->run->results[i];

        r->outcome = CORDON_OUTCOME_SKIP;
        snprintf(r->reason, sizeof r->reason, "not run: interrupted");
        r->done = true;
    }
    l->next = l->run->n;
}

static int
open_slots(struct loop *l, size_t n)
{
    l->slots = calloc(n, sizeof *l->slots);
    if (l->slots == NULL)
        return -1;
    l->nslots = n;
    for (size_t i = 0; i < n; i++) {
        struct slot *s = &l->slots[i];

        s->out_fd = s->err_fd = -1;
        s->record = cordon__record_map();
        if (s->record == NULL || (s->out_fd = cordon__capture_open()) < 0 ||
            (s->err_fd = cordon__capture_open()) < 0)
            return -1;
    }
    return 0;
}

static void
close_slots(struct loop *l)
{
    for (size_t i = 0; l->slots != NULL && i < l->nslots; i++) {
        cordon__record_unmap(l->slots[i].record);
        if (l->slots[i].out_fd >= 0)
            close(l->slots[i].out_fd);
        if (l->slots[i].err_fd >= 0)
            close(l->slots[i].err_fd);
    }
    free(l->slots);
}

static int
run_forked(struct loop *l)
{
    int rc = 0;

    while (rc == 0) {
        double now;
        int ms;

        rc = fill_slots(l);
        if (l->signals > 0)
            mark_not_run(l);
        emit(l);
        if (l->running == 0 && l->next == l->run->n)
            break;
        now = cordon__now();
        ms = poll_timeout(l, now);
        {
            struct pollfd p = {.fd = self_pipe[0], .events = POLLIN};
            if (poll(&p, 1, ms) == -1 && errno != EINTR)
                cordon__bug("poll on the self-pipe failed");
        }
        drain(l);
        reap(l);
        kill_overdue(l, cordon__now());
        if (l->obs->progress != NULL)
            l->obs->progress(l->obs->arg, l->run->results, l->run->n,
                             l->emitted);
    }
    return rc;
}

static int
run_inline(struct loop *l)
{
    struct cordon__record *rec = cordon__record_map();

    if (rec == NULL)
        return -1;
    for (; l->next < l->run->n; ) {
        struct cordon__result *r = &l->run->results[l->next];
        struct cordon__child_setup cs = {.test = r->test, .record = rec,
                                         .out_fd = -1, .err_fd = -1,
                                         .null_fd = -1};
        struct cordon__ending e = {.exited = true};
        double t0 = cordon__now();

        if (skip_disabled(l)) {
            emit(l);
            continue;
        }
        r->started = true;
        cordon__child_run_inline(&cs);
        r->seconds = cordon__now() - t0;
        cordon__result_fill(r, &e, rec);
        cordon__record_reset(rec);
        l->next++;
        emit(l);
    }
    cordon__record_unmap(rec);
    return 0;
}

void
cordon__scheduler_settle(struct cordon__run *run)
{
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    struct sigaction old[sizeof interrupting / sizeof interrupting[0]];
    bool was_pending[sizeof interrupting / sizeof interrupting[0]] = {0};
    sigset_t pending;

    if (run->cfg->no_fork)
        return;
    sigemptyset(&ignore.sa_mask);
    sigpending(&pending);
    for (size_t i = 0; i < sizeof interrupting / sizeof interrupting[0]; i++) {
        if (!sigismember(&pending, interrupting[i]))
            continue;
        if (run->interrupt_signal == 0)
            run->interrupt_signal = interrupting[i];
        /* Ignoring a pending signal discards it (POSIX sigaction). */
        was_pending[i] = true;
        sigaction(interrupting[i], &ignore, &old[i]);
    }
    sigprocmask(SIG_SETMASK, &mask_before_settle, NULL);
    for (size_t i = 0; i < sizeof interrupting / sizeof interrupting[0]; i++)
        if (was_pending[i])
            sigaction(interrupting[i], &old[i], NULL);
}

int
cordon__scheduler_run(struct cordon__run *run,
                      const struct cordon__observer *obs)
{
    struct loop l = {.run = run, .obs = obs, .null_fd = -1};
    size_t jobs = (size_t)run->cfg->jobs;
    int rc = -1;

    if (run->cfg->no_fork)
        return run_inline(&l);
    sigprocmask(SIG_SETMASK, NULL, &mask_before_settle);
    if (jobs > run->n)
        jobs = run->n;
    l.null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (l.null_fd < 0 || open_slots(&l, jobs ? jobs : 1) == -1) {
        int err = errno;

        cordon__usage_error("cannot set up %zu test slots: %s (%s)", jobs,
                            strerror(err),
                            err == EMFILE || err == ENFILE || err == ENOMEM
                                ? "lower --jobs, or raise the open-file limit"
                                : "check that TMPDIR is a writable directory");
        goto out;
    }
    if (install_signals(&l) == -1) {
        cordon__usage_error("cannot create the runner's pipe: %s",
                            strerror(errno));
        goto out;
    }
    rc = run_forked(&l);
    restore_signals(&l);
out:
    close_slots(&l);
    if (l.null_fd >= 0)
        close(l.null_fd);
    return rc;
}
