// SPDX-License-Identifier: MIT
// signals.c — the signal state a test process inherits. The runner changes
// dispositions for itself (SIGPIPE ignored, handlers for SIGCHLD, SIGINT,
// SIGTERM, SIGHUP) and its workers block signals they wait for; a test must
// see none of that. What the process had when cordon_main began is saved
// once, and each test process starts from it: a signal the caller set to
// ignored (nohup, a CI agent ignoring SIGINT) stays ignored in the tests,
// and one it left at its default is at its default. Only SIGALRM is always
// at its default and unblocked: it is the watchdog's. A worker works out
// once which dispositions differ from its own, so a new test process
// changes only those. A worker keeps the caller's dispositions itself and
// blocks what it must not die of, so that list is usually empty.
#include "testproc/testproc.h"

#include <signal.h>

#define NCHANGED 10
/* The last is CORDON__STALL_SIGNAL, no constant: set at the first save
 * (until then 0, a signal no loop below touches). */
static int changed[NCHANGED] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGPIPE,
                                SIGALRM, SIGQUIT, SIGXFSZ, SIGUSR1, 0};
#define MEANINGFUL (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTART |  \
                    SA_NODEFER | SA_RESETHAND)

static struct sigaction saved[NCHANGED];
static sigset_t saved_mask;
static bool have_saved;
/* What a worker's test processes must change, worked out once. */
static size_t todo[NCHANGED];
static size_t ntodo;
static sigset_t test_mask;
static bool prepared;

/* wanted is what a test process starts with for changed[i]: the saved
 * disposition, but SIGALRM at its default, for the watchdog. */
static struct sigaction
wanted(size_t i)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};

    sigemptyset(&dfl.sa_mask);
    if (changed[i] == SIGALRM || !have_saved)
        return dfl;
    return saved[i];
}

void
cordon__signals_save(void)
{
    changed[NCHANGED - 1] = CORDON__STALL_SIGNAL == SIGALRM
                                ? SIGUSR1 : CORDON__STALL_SIGNAL;
    for (size_t i = 0; i < NCHANGED; i++)
        sigaction(changed[i], NULL, &saved[i]);
    sigprocmask(SIG_SETMASK, NULL, &saved_mask);
    have_saved = true;
}

void
cordon__signals_for_worker(const sigset_t *blocked)
{
    for (size_t i = 0; i < NCHANGED; i++) {
        struct sigaction want = have_saved ? saved[i] : wanted(i);

        if (changed[i] == 0)
            continue;
        /* A worker must see its children end: never auto-reaped. */
        if (changed[i] == SIGCHLD) {
            if (want.sa_handler == SIG_IGN)
                want.sa_handler = SIG_DFL;
            want.sa_flags &= ~SA_NOCLDWAIT;
        }
        sigaction(changed[i], &want, NULL);
    }
    sigprocmask(SIG_SETMASK, blocked, NULL);
}

void
cordon__signals_prepare(void)
{
    ntodo = 0;
    for (size_t i = 0; i < NCHANGED; i++) {
        struct sigaction now, want = wanted(i);

        if (changed[i] == 0)
            continue;
        sigaction(changed[i], NULL, &now);
        /* Only the flags POSIX gives a meaning: the C library adds its
         * own (SA_RESTORER) to every disposition it installs. */
        if (now.sa_handler != want.sa_handler ||
            (now.sa_flags & MEANINGFUL) != (want.sa_flags & MEANINGFUL))
            todo[ntodo++] = i;
    }
    if (have_saved)
        test_mask = saved_mask;
    else
        sigemptyset(&test_mask);
    sigdelset(&test_mask, SIGALRM);
    prepared = true;
}

void
cordon__signals_restore(void)
{
    if (!prepared)
        cordon__signals_prepare();
    for (size_t i = 0; i < ntodo; i++) {
        struct sigaction want = wanted(todo[i]);

        sigaction(changed[todo[i]], &want, NULL);
    }
    sigprocmask(SIG_SETMASK, &test_mask, NULL);
}

static const int interrupting[] = {SIGINT, SIGTERM, SIGHUP};

void
cordon__signals_hold(void)
{
    sigset_t hold;

    sigemptyset(&hold);
    for (size_t i = 0; i < sizeof interrupting / sizeof interrupting[0]; i++)
        sigaddset(&hold, interrupting[i]);
    sigprocmask(SIG_BLOCK, &hold, NULL);
}

void
cordon__signals_give_back(void)
{
    if (!have_saved)
        return;
    for (size_t i = 0; i < NCHANGED; i++)
        sigaction(changed[i], &saved[i], NULL);
    sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

void
cordon__signals_release(void)
{
    sigset_t mask;

    if (!have_saved)
        return;
    /* The caller's mask, but for the runner's stall timer signal, which
     * must get through while the runner runs (given back on return). */
    mask = saved_mask;
    sigdelset(&mask, CORDON__STALL_SIGNAL);
    sigprocmask(SIG_SETMASK, &mask, NULL);
}
