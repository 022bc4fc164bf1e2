// SPDX-License-Identifier: MIT
// signals.c — the signal state a test process inherits. The runner changes
// dispositions for itself (SIGPIPE ignored, handlers for SIGCHLD, SIGINT,
// SIGTERM, SIGHUP) and its workers block signals they wait for; a test must
// see none of that. What the process had when cordon_main began is saved
// once, and each test process starts from it: a signal the caller set to
// ignored (nohup, a CI agent ignoring SIGINT) stays ignored in the tests,
// and one it left at its default is at its default.
#include "internal.h"

#include <signal.h>

static const int changed[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGPIPE,
                              SIGALRM, SIGQUIT, SIGXFSZ, SIGUSR1};
static struct sigaction saved[sizeof changed / sizeof changed[0]];
static sigset_t saved_mask;
static bool have_saved;

void
cordon__signals_save(void)
{
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++)
        sigaction(changed[i], NULL, &saved[i]);
    sigprocmask(SIG_SETMASK, NULL, &saved_mask);
    have_saved = true;
}

void
cordon__signals_restore(void)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};

    sigemptyset(&dfl.sa_mask);
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++)
        sigaction(changed[i], have_saved ? &saved[i] : &dfl, NULL);
    if (have_saved) {
        sigprocmask(SIG_SETMASK, &saved_mask, NULL);
    } else {
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
    }
}

bool
cordon__signals_ignored(int sig)
{
    for (size_t i = 0; have_saved && i < sizeof changed / sizeof changed[0];
         i++)
        if (changed[i] == sig)
            return saved[i].sa_handler == SIG_IGN;
    return false;
}
