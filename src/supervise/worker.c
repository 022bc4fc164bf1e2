// SPDX-License-Identifier: MIT
// worker.c — a job slot's supervisor: a small process the coordinator
// forks at start, before anything accumulates, that takes tests from the
// board one at a time and runs each in a test process of its own
// (slot.c), or hands a run of a SUITE()'s tests to a suite holder
// (holder.c). It is the reaper of everything its tests start (a child
// subreaper on Linux), so a slot's capture files and record are never
// reused while anything of the previous test lives; where nothing adopts
// a test's orphans, each test gets new ones (cordon__slot_renew). Its signal state is
// set once, here: the caller's dispositions, and blocked what it waits for
// (taken with sigtimedwait) or must not die of.
#include "supervise/supervise.h"
#include "cli/cli.h"
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

/* A suite whose .once failed in this worker. */
struct once_failed {
    const struct cordon_impl_suite *suite;
    struct cordon__once_verdict verdict;
};

struct worker {
    struct cordon__slot slot;
    long handoff;    /* the next test to run, -1 = take one from the board */
    struct once_failed *failed; /* suites whose once failed here */
    size_t nfailed;
};

/* set_up_signals: a worker takes no part in the coordinator's signal
 * handling. It keeps the caller's dispositions, so its test processes
 * need not change them, and blocks instead: SIGCHLD and SIGTERM (the
 * coordinator's "stop" nudge), taken synchronously with sigtimedwait();
 * SIGINT and SIGHUP from a terminal, which reach the coordinator, who
 * decides; SIGPIPE and SIGXFSZ, so that a gone coordinator or a file size
 * limit is an error from write(), not a death. */
static void
set_up_signals(struct cordon__slot *s)
{
    static const int others[] = {SIGINT, SIGHUP, SIGPIPE, SIGXFSZ};

    sigemptyset(&s->waitset);
    sigaddset(&s->waitset, SIGCHLD);
    sigaddset(&s->waitset, SIGTERM);
    s->blocked = s->waitset;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        sigaddset(&s->blocked, others[i]);
    /* The coordinator forked this worker with every signal blocked. */
    cordon__signals_for_worker(&s->blocked);
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
set_up(struct cordon__slot *s)
{
    int null_fd;

    s->out_fd = s->err_fd = s->null_fd = s->children_fd = -1;
    cordon__testenv_scrub(false);
    s->engine_tmpdir = cordon__engine_tmpdir_base();
    s->subreaper = cordon__platform_worker_init();
    if (s->subreaper)
        s->children_fd = cordon__platform_children_open();
    if (!s->run->cfg->core_dumps)
        limit_core();
    null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0)
        return -1;
    if (null_fd != STDIN_FILENO) {
        dup2(null_fd, STDIN_FILENO);
        close(null_fd);
    }
    s->null_fd = STDIN_FILENO;
    if ((s->out_fd = cordon__slot_capture(STDOUT_FILENO)) < 0 ||
        (s->err_fd = cordon__slot_capture(STDERR_FILENO)) < 0 ||
        (s->record = cordon__record_map()) == NULL)
        return -1;
    cordon__record_reset(s->record);
    cordon__slot_hide(s, true);
    cordon__child_warm_up();
    cordon__backtrace_warm_up(s->record);
    return 0;
}

/* known_failure gives test index the verdict of its suite's once, which
 * already failed in this worker; false when it has not. */
static bool
known_failure(struct worker *w, const struct cordon_impl_suite *s,
              size_t index)
{
    struct cordon__slot *slot = &w->slot;
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};

    for (size_t i = 0; i < w->nfailed; i++) {
        const struct cordon__once_verdict *v = &w->failed[i].verdict;

        if (w->failed[i].suite != s)
            continue;
        if (!cordon__retry_skip(slot->run, index, &m.result)) {
            cordon__result_verdict(&m.result, slot->run->tests[index],
                                   v->outcome, v->signal, v->reason,
                                   &slot->run->spool);
            cordon__retry_note(slot->run, index, &m.result);
        }
        cordon__slot_send(slot, &m);
        atomic_store(&slot->lane->index, -1);
        return true;
    }
    return false;
}

/* hold runs test index, the first of a run of suite s's tests, in a suite
 * holder, or gives it the verdict of s's once that already failed here.
 * Once per run of the suite's tests this worker takes: with the suite's
 * tests together in test order, once per worker. */
static bool
hold(struct worker *w, const struct cordon_impl_suite *s, size_t index)
{
    struct cordon__message m = {.kind = CORDON__MESSAGE_RESULT,
                                .index = (long)index};
    struct cordon__once_verdict v;
    int rc;

    if (known_failure(w, s, index))
        return true;
    if (cordon__retry_skip(w->slot.run, index, &m.result)) {
        cordon__slot_send(&w->slot, &m);
        atomic_store(&w->slot.lane->index, -1);
        return true;
    }
    rc = cordon__holder_run(&w->slot, s, index, &w->handoff, &v);
    /* What the suite's once started outside its group may live on where
     * nothing adopts it, with this worker's record and files. */
    if (!w->slot.subreaper)
        cordon__slot_renew(&w->slot);
    if (rc == 0) {
        w->failed = cordon__xrealloc(w->failed, (w->nfailed + 1) *
                                                    sizeof *w->failed);
        w->failed[w->nfailed].suite = s;
        w->failed[w->nfailed].verdict = v;
        w->nfailed++;
    }
    if (w->slot.retire)
        cordon__slot_leave(0);
    return rc >= 0;
}

/* serve runs tests until none is left or the run cannot go on. */
static _Noreturn void
serve(struct worker *w)
{
    for (;;) {
        const struct cordon_impl_suite *s;
        size_t index;
        bool go;

        if (w->handoff >= 0) {
            index = (size_t)w->handoff;
            w->handoff = -1;
        } else if (!cordon__slot_take(&w->slot, &index)) {
            break;
        }
        s = w->slot.run->tests[index]->suite_;
        if (s != NULL && s->options.once != NULL)
            go = hold(w, s, index);
        else
            go = cordon__slot_run(&w->slot, index);
        if (!go)
            break;
    }
    cordon__slot_leave(0);
}

void
cordon__worker_main(struct cordon__run *run, struct cordon__board *board,
                    size_t nlanes, size_t lane, int fd)
{
    struct worker w = {.slot = {.run = run, .board = board,
                                .nlanes = nlanes,
                                .lane = &board->lanes[lane], .fd = fd},
                       .handoff = -1};
    pid_t coordinator = getppid();

    set_up_signals(&w.slot);
    cordon__signals_prepare();
    if (set_up(&w.slot) == -1) {
        struct cordon__message m = {.kind = CORDON__MESSAGE_SETUP_FAILED,
                                    .index = -1, .error = errno};

        cordon__slot_send(&w.slot, &m);
        cordon__slot_leave(0);
    }
    /* The coordinator may have died before the death signal was armed. */
    if (getppid() != coordinator)
        cordon__slot_leave(0);
    serve(&w);
}
