// SPDX-License-Identifier: MIT
// holder.c — the suite holder: a process of its own per run of a SUITE()'s
// tests with a .once, forked by a worker. Its life is three states:
//   ONCE   contained like a test (a process group of its own, the test's
//          signal state, a watchdog, a jump back for ASSERT_/FAIL/SKIP,
//          the board and the spool's end sealed), it runs the suite's
//          once;
//   SERVE  with its supervisor's state back (signals, descriptors), it
//          runs the suite's tests as the board hands them out, forking
//          each from itself, so each inherits what once built; what once
//          started is the suite's fixture processes, which no test's
//          sweep touches;
//   END    at another suite's test (handed to its worker) or at the end
//          of the run it exits, and its worker sweeps it like a test: its
//          group and everything it adopted, fixture processes included.
// Its worker polices it as the coordinator polices a worker: the once's
// deadline, the run's interruption, a holder its test stopped; and it
// reports the test a holder took down with it. A once that fails, skips,
// crashes or times out gives every test of the suite its verdict.
#include "supervise/supervise.h"
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* A suite holder whose once failed a check or skipped exits with this
 * status; its record says which. */
#define ONCE_FAILED_STATUS 87
/* How many fixture processes a holder tells from a test's leftovers. */
#define MAX_FIXTURES 256
/* How often a worker looks at its holder when no signal wakes it. */
#define LOOK 0.5

/* as_test is how the run's settings see a suite's once: a test with the
 * suite's .timeout (else the run's, scaled like a test's) and the run's
 * limits. */
static struct cordon_impl_test
as_test(const struct cordon_impl_suite *s)
{
    return (struct cordon_impl_test){
        .options = {.timeout = s->options.timeout}};
}

/* once_failed says the record holds what makes once fail or skip. */
static bool
once_failed(const struct cordon__record *rec)
{
    return cordon__record_count(rec, CORDON__ENTRY_FAILURE) > 0 ||
           cordon__record_count(rec, CORDON__ENTRY_SKIP) > 0 ||
           atomic_load(&rec->dropped) > 0;
}

/* A descriptor the holder needs after once, as it was before: once may
 * close it (closing every fd above 2 is a common idiom) or put a file of
 * its own on its number. */
struct kept_fd {
    int fd;
    dev_t dev;
    ino_t ino;
};

static void
note_fd(struct kept_fd *k, int fd)
{
    struct stat st;

    k->fd = fd;
    if (fd < 0 || fstat(fd, &st) != 0) {
        k->fd = -1;
        return;
    }
    k->dev = st.st_dev;
    k->ino = st.st_ino;
}

/* still_there says fd k is open on the same file as before once. */
static bool
still_there(const struct kept_fd *k)
{
    struct stat st;

    return k->fd < 0 || (fstat(k->fd, &st) == 0 && st.st_dev == k->dev &&
                         st.st_ino == k->ino);
}

/* run_once is the ONCE state, in the holder: s's once with the test's
 * signal state and descriptors of its own, under a watchdog and the run's
 * memory limits; then the supervisor's state back. Never returns when
 * once did not let the suite's tests run. */
static void
run_once(struct cordon__slot *h, const struct cordon_impl_suite *s,
         double timeout)
{
    struct cordon_impl_test probe = as_test(s);
    /* The memory limit only: what once allocates, its tests inherit, and
     * count against theirs. A CPU or file size limit would outlast once
     * in the holder, which serves the whole suite. */
    struct cordon__limits limits = {
        .memory = cordon__limits_of(h->run->cfg, &probe).memory};
    struct kept_fd kept[6];
    int saved[3];
    bool whole = true, sealed;

    /* What once does to stdin, stdout and stderr (a server it starts
     * pointing them at /dev/null) is undone before the first test. */
    for (int fd = 0; fd < 3; fd++) {
        saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
        note_fd(&kept[fd], saved[fd]);
    }
    note_fd(&kept[3], h->fd);
    note_fd(&kept[4], h->run->spool.fd);
    note_fd(&kept[5], h->children_fd);
    atomic_store(&h->record->owner, (int)getpid());
    cordon__signals_restore();
    cordon__limits_apply(&limits);
    /* What the holder shares with its worker and the coordinator (the
     * board, the spool's end) is no part of once's: sealed, a wild write
     * of once faults in once, and is once's crash, instead of turning up
     * as a lane, a claim or an offset the run then trusts. Its tests never
     * have them (hidden, or unmapped in each, by cordon__slot_hide). */
    sealed = cordon__slot_seal(h, true);
    cordon__child_arm_watchdog(timeout);
    cordon__child_run_once(s, h->record);
    cordon__child_disarm_watchdog();
    if (sealed && !cordon__slot_seal(h, false))
        cordon__slot_leave(CORDON__ONCE_BROKE_MEMORY);
    cordon__signals_for_worker(&h->blocked);
    cordon__signals_prepare();
    for (size_t i = 0; i < 5; i++)
        whole = whole && still_there(&kept[i]);
    if (!whole)
        cordon__slot_leave(CORDON__ONCE_BROKE_FDS);
    for (int fd = 0; fd < 3; fd++)
        if (saved[fd] >= 0) {
            dup2(saved[fd], fd);
            close(saved[fd]);
        }
    /* The list of children is opened again: a file once put on its
     * number must never be read as one. */
    if (still_there(&kept[5]) && h->children_fd >= 0)
        close(h->children_fd);
    h->children_fd = h->subreaper ? cordon__platform_children_open() : -1;
    if (once_failed(h->record))
        cordon__slot_leave(ONCE_FAILED_STATUS);
}

/* holder_main is the suite holder's life, from its fork to its exit. */
static _Noreturn void
holder_main(const struct cordon__slot *w, const struct cordon_impl_suite *s,
            size_t index, double timeout)
{
    static pid_t fixtures[MAX_FIXTURES];
    struct cordon__slot h = *w;
    size_t next = index, n;
    double once_began;

    setpgid(0, 0);
    cordon__slot_hide(&h, true);
    h.subreaper = cordon__platform_worker_init();
    if (h.children_fd >= 0)
        close(h.children_fd);
    h.children_fd = h.subreaper ? cordon__platform_children_open() : -1;
    h.once_began = cordon__now();
    once_began = h.once_began;
    run_once(&h, s, timeout);
    h.once_seconds = cordon__now() - h.once_began;
    /* As once left the environment, which its tests inherit. */
    h.engine_tmpdir = cordon__engine_tmpdir_base();
    /* SERVE: what once started lives for the suite. Listed from the
     * process table, so children of once's other threads count too. */
    n = cordon__platform_children(-1, fixtures, MAX_FIXTURES);
    h.keep = fixtures;
    h.nkeep = n < MAX_FIXTURES ? n : MAX_FIXTURES;
    /* What once's threads fork from now on is in this group too: the
     * suite's, never a test's leftover, and never reaped by a sweep. */
    h.spare_group = getpgrp();
    cordon__record_reset(h.record);
    /* What once printed is nobody's test output. */
    cordon__capture_discard(h.out_fd);
    cordon__capture_discard(h.err_fd);
    atomic_store(&h.lane->once_done, 1);
    {
        struct cordon__result passed = {
            .outcome = CORDON_OUTCOME_PASS, .started = true,
            .began = once_began, .seconds = cordon__now() - once_began};

        cordon__slot_tell(&h, CORDON__MESSAGE_ONCE_ENDED, index, &passed);
    }
    for (;;) {
        if (!cordon__slot_run(&h, next) || !cordon__slot_take(&h, &next))
            break;
        if (h.run->tests[next]->suite_ != s) {
            /* END: another suite's test is its worker's to run. */
            atomic_store(&h.lane->handoff, (long)next + 1);
            break;
        }
    }
    cordon__slot_leave(0);
}

/* What a new suite holder starts from. */
struct start {
    const struct cordon__slot *w;
    const struct cordon_impl_suite *s;
    size_t index;
    double timeout;
};

/* start_holder is a cordon__slot_spawn start: it forks a suite holder. */
static pid_t
start_holder(const void *arg)
{
    const struct start *st = arg;
    pid_t pid = fork();

    if (pid == 0)
        holder_main(st->w, st->s, st->index, st->timeout);
    return pid;
}

/* watch_holder waits until the holder has ended. It kills it when its once
 * outlives its timeout and grace, when the run stops before its once is
 * done, or when it has been stopped (by its test) for CORDON__STOP_LIMIT;
 * it passes the run's stop on to it otherwise. */
static void
watch_holder(struct cordon__slot *w, pid_t pid, double timeout,
             struct cordon__ending *e, bool *stopped)
{
    double deadline = timeout > 0 ? cordon__now() + timeout +
                                        CORDON__KILL_GRACE : -1;
    double stopped_since = 0;
    int stop_sent = 0;

    while (!cordon__child_ended(pid)) {
        bool done = atomic_load(&w->lane->once_done) != 0;
        int stop = atomic_load(&w->board->stop);
        double now = cordon__now(), at = now + LOOK;

        cordon__slot_stopped(pid, &stopped_since);
        if (!*stopped && stopped_since > 0 &&
            now >= stopped_since + CORDON__STOP_LIMIT) {
            pid_t test = (pid_t)atomic_load(&w->lane->pid);

            *stopped = true;
            cordon__child_kill(pid, SIGKILL);
            if (test > 0)
                cordon__child_kill(test, SIGKILL);
        }
        if (!done && !e->killed && deadline >= 0 && now >= deadline) {
            e->killed = true;
            cordon__child_kill(pid, SIGKILL);
        }
        if (stop > stop_sent) {
            stop_sent = stop;
            if (!done) {
                e->interrupted = true;
                cordon__child_kill(pid, SIGKILL);
            } else {
                kill(pid, SIGTERM); /* it stops its test itself */
            }
        }
        if (!done && deadline >= 0 && deadline < at)
            at = deadline;
        if (stopped_since > 0 && stopped_since + CORDON__STOP_LIMIT < at)
            at = stopped_since + CORDON__STOP_LIMIT;
        /* The worker has no thread but its own: SIGCHLD reaches it. */
        cordon__slot_wait(w, -1, at);
    }
}

/* spool_capture puts what the holder's tests wrote since the last one
 * into r, as the run keeps it. */
static void
spool_capture(struct cordon__slot *w, struct cordon__result *r)
{
    uint64_t limit = w->run->cfg->output_limit;

    cordon__capture_spool(w->out_fd, limit, &w->run->spool, &r->out);
    cordon__capture_spool(w->err_fd, limit, &w->run->spool, &r->err);
}

/* once_failure judges a suite holder that ended before its once let the
 * tests run into *v, and sends it as test index's result, with what once
 * printed. */
static void
once_failure(struct cordon__slot *w, size_t index, int status,
             struct cordon__ending *e, struct cordon__once_verdict *v)
{
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};

    cordon__ending_from_status(e, status);
    v->outcome = cordon__outcome_once(e, w->record, v->reason,
                                      sizeof v->reason);
    v->signal = v->outcome == CORDON_OUTCOME_CRASH ? e->signal : 0;
    cordon__result_verdict(&m.result, w->run->tests[index], v->outcome,
                           v->signal, v->reason, &w->run->spool);
    /* Where once was when it crashed or timed out, for the test it ran
     * for; the suite's other tests get the verdict alone. */
    m.result.timeout = e->timeout;
    cordon__symbolize_once(&m.result, w->record,
                           w->run->tests[index]->suite_, &w->run->spool);
    cordon__record_reset(w->record);
    /* The once ran for this test: its time is this test's. */
    m.result.started = true;
    m.result.seconds = e->seconds;
    m.result.began = cordon__now() - e->seconds;
    m.result.lane = (unsigned)(w->lane - w->board->lanes);
    m.result.timeout = e->timeout;
    /* The once ran as the test's first attempt; the suite's other tests
     * never ran. */
    cordon__retry_place(w->run, index, 1, 1, &m.result);
    spool_capture(w, &m.result);
    cordon__retry_note(w->run, index, &m.result);
    cordon__slot_tell(w, CORDON__MESSAGE_ONCE_ENDED, index, &m.result);
    cordon__slot_send(w, &m);
    atomic_store(&w->lane->index, -1);
}

/* lost_test reports the test a holder was running when it ended: it took
 * the test down with it (how it ended: its wait status, or stopped). */
static void
lost_test(struct cordon__slot *w, int status, bool stopped)
{
    long index = atomic_load(&w->lane->index);
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = index};
    struct cordon__lane *l = w->lane;
    struct cordon__lost lost = {
        .holder = true, .stopped = stopped, .status = status,
        .started = atomic_load(&l->pid) != 0,
        .since = (double)atomic_load(&l->since_ns) / 1e9};

    if (index < 0 || (size_t)index >= w->run->n)
        return;
    cordon__result_lost(&m.result, w->run->tests[index], &lost, w->run);
    m.result.lane = (unsigned)(l - w->board->lanes);
    cordon__retry_place(w->run, (size_t)index, atomic_load(&l->attempt),
                        atomic_load(&l->repetition), &m.result);
    cordon__retry_note(w->run, (size_t)index, &m.result);
    cordon__record_reset(w->record);
    /* What was written before the holder ended (the failure of a check in
     * a thread once started, which takes the holder down) is the test's
     * to show. */
    spool_capture(w, &m.result);
    cordon__slot_send(w, &m);
    atomic_store(&l->index, -1);
    atomic_store(&l->pid, 0);
}

int
cordon__holder_run(struct cordon__slot *w, const struct cordon_impl_suite *s,
                   size_t index, long *handoff,
                   struct cordon__once_verdict *v)
{
    struct cordon__sweep sweep = {.reaper = w->subreaper,
                                  .children_fd = w->children_fd};
    struct cordon__ending e = {0};
    struct cordon_impl_test probe = as_test(s);
    double timeout = cordon__plan_timeout(w->run->cfg, &probe), started;
    bool stopped = false;
    int status = 0;
    pid_t pid;

    *handoff = -1;
    atomic_store(&w->lane->once_done, 0);
    atomic_store(&w->lane->handoff, 0);
    atomic_store(&w->lane->pid, 0);
    atomic_store(&w->lane->since_ns, (long long)(cordon__now() * 1e9));
    atomic_store(&w->lane->index, (long)index);
    e.timeout = timeout;
    started = cordon__now();
    cordon__slot_tell(w, CORDON__MESSAGE_ONCE_STARTED, index, NULL);
    {
        const struct start start = {w, s, index, timeout};

        /* The holder shares the board and the spool with its worker. */
        cordon__slot_hide(w, false);
        pid = cordon__slot_spawn(w, start_holder, &start);
        cordon__slot_hide(w, true);
    }
    if (pid < 0) {
        struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                    .index = (long)index};
        bool go = cordon__slot_no_process(w, w->run->tests[index],
                                          &m.result);

        cordon__slot_tell(w, CORDON__MESSAGE_ONCE_ENDED, index, &m.result);
        cordon__slot_send(w, &m);
        return go ? 1 : -1;
    }
    watch_holder(w, pid, timeout, &e, &stopped);
    /* Swept like a test: its group (the fixture processes in it) and all
     * it leaves, so nothing of the suite is blamed on the next test. */
    cordon__sweep(pid, &status, &sweep);
    if (sweep.unfound)
        w->retire = true;
    e.seconds = cordon__now() - started;
    if (atomic_load(&w->lane->once_done) == 0) {
        once_failure(w, index, status, &e, v);
        return 0;
    }
    *handoff = atomic_load(&w->lane->handoff) - 1;
    /* Only a test of the run is handed back: anything else in the lane
     * (scribbled by what once left running) is taken for none. */
    if (*handoff >= (long)w->run->n)
        *handoff = -1;
    if (*handoff < 0)
        lost_test(w, status, stopped);
    return 1;
}
