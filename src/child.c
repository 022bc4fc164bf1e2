// SPDX-License-Identifier: MIT
// child.c — everything between fork() and _exit() in a test process: its
// own process group, stdin from /dev/null, stdout/stderr into the capture
// files, core dumps off, the SIGALRM watchdog, and running setup, body and
// teardown with a jump back for ASSERT_/FAIL/SKIP. The runner never calls
// into this file after fork() except to spawn the next test.
#include "internal.h"

#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

/* The exit status of a test process whose ASSERT_ failed in a thread other
 * than the test's own; the record says why, so the value is only a hint. */
#define THREAD_ASSERT_STATUS 86

static jmp_buf jump;
static _Thread_local bool in_test_thread;
static bool forked;

void
cordon__child_leave(void)
{
    if (cordon__record_current != NULL)
        atomic_store(&cordon__record_current->ended_by_assert, 1);
    if (in_test_thread)
        longjmp(jump, 1);
    /* Another thread of the test cannot unwind the test's stack: end the
     * whole test process now. Teardown does not run (documented). */
    fflush(NULL);
    if (forked) {
        cordon__coverage_flush();
        _exit(THREAD_ASSERT_STATUS);
    }
    abort();
}

/* run_phases runs setup, body and teardown. Teardown runs after an ASSERT_
 * failure or SKIP() in setup or body; the record's body_finished is set
 * only when all three returned. */
static void
run_phases(const struct cordon__child_setup *cs)
{
    const struct cordon_impl_test *t = cs->test;
    volatile bool finished = false;

    cordon__record_current = cs->record;
    in_test_thread = true;
    if (setjmp(jump) == 0) {
        if (t->options.setup != NULL)
            t->options.setup();
        t->body();
        finished = true;
    }
    if (t->options.teardown != NULL && setjmp(jump) == 0)
        t->options.teardown();
    else if (t->options.teardown != NULL)
        finished = false;
    if (finished)
        atomic_store(&cs->record->body_finished, 1);
    in_test_thread = false;
    cordon__record_current = NULL;
}

void
cordon__child_run_inline(const struct cordon__child_setup *cs)
{
    run_phases(cs);
    fflush(NULL);
}

static void
arm_watchdog(double timeout)
{
    struct itimerval it = {{0, 0}, {0, 0}};

    if (timeout <= 0)
        return;
    it.it_value.tv_sec = (time_t)timeout;
    it.it_value.tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) *
                                        1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
}

/* reset_signals undoes what the runner set up for itself: handlers become
 * defaults (SIGPIPE too, which the runner ignores), nothing is blocked. */
static void
reset_signals(void)
{
    static const int sigs[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP,
                               SIGPIPE, SIGALRM, SIGQUIT};
    struct sigaction sa = {.sa_handler = SIG_DFL};
    sigset_t none;

    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static _Noreturn void
child_main(const struct cordon__child_setup *cs)
{
    forked = true;
    setpgid(0, 0);
    reset_signals();
    cordon__coverage_child_init();
    cordon__platform_child_init();
    if (cs->null_fd >= 0)
        dup2(cs->null_fd, STDIN_FILENO);
    if (cs->out_fd >= 0)
        dup2(cs->out_fd, STDOUT_FILENO);
    if (cs->err_fd >= 0)
        dup2(cs->err_fd, STDERR_FILENO);
    if (!cs->core_dumps) {
        struct rlimit core;

        /* The soft limit only: with the hard one at 0 too, nothing run
         * from the test could turn dumps back on, not even a cordon binary
         * given --core-dumps. */
        if (getrlimit(RLIMIT_CORE, &core) == 0) {
            core.rlim_cur = 0;
            setrlimit(RLIMIT_CORE, &core);
        }
    }
    cordon__testenv_child(cs->test);
    arm_watchdog(cs->timeout);
    run_phases(cs);
    fflush(NULL);
    cordon__coverage_flush();
    _exit(0);
}

pid_t
cordon__child_spawn(const struct cordon__child_setup *cs)
{
    pid_t pid;

    /* Buffered runner output would otherwise be written twice. */
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        child_main(cs);
    /* Also set here, so the group exists before the parent might kill it,
     * whichever process runs first. It fails harmlessly (EACCES, ESRCH)
     * when the child got there first or has already ended. */
    if (pid > 0)
        (void)setpgid(pid, pid);
    return pid;
}
