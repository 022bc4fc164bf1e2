// SPDX-License-Identifier: MIT
// child.c — everything between fork() and _exit() in a test process: its
// own process group, the caller's signal state, stdin from /dev/null,
// stdout/stderr into the capture files and none of cordon's other
// descriptors, core dumps off, the SIGALRM watchdog, its own start and end
// time in the record, and running setup, body and teardown with a jump
// back for ASSERT_/FAIL/SKIP. Its worker never calls into this file after
// fork() except to spawn the next test.
#include "testproc/testproc.h"

#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The exit status of a test process whose ASSERT_ failed in a thread other
 * than the test's own; the record says why, so the value is only a hint. */
#define THREAD_ASSERT_STATUS 86

static jmp_buf jump;
/* _exit through a pointer bound when the program was loaded: called
 * through the PLT it would be resolved lazily in every test process (the
 * one library call a worker cannot bind for its tests in advance, as it
 * cannot call it), paging in the dynamic linker's lookup each time. */
static void (*volatile exit_now)(int) = _exit;
static _Thread_local bool in_test_thread;
static bool forked;
static bool in_once;
/* How a forked process leaves after an ASSERT_ it cannot unwind. */
static int leave_status = THREAD_ASSERT_STATUS;

/* leave_process ends this process with its output flushed and its
 * coverage counters written: a helper of the test's or of once's, or a
 * test process whose ASSERT_ cannot unwind. */
static _Noreturn void
leave_process(int status)
{
    fflush(NULL);
    cordon__coverage_flush();
    exit_now(status);
    _exit(status); /* not reached; says so to the compiler */
}

void
cordon__child_leave(void)
{
    struct cordon__record *rec = cordon__record_current;

    if (rec != NULL && atomic_load(&rec->owner) != (int)getpid()) {
        /* A helper process the test forked: its failure is recorded, but
         * it is not the test. It must not unwind into the test's frames
         * and run the teardown a second time. */
        leave_process(1);
    }
    if (rec != NULL)
        atomic_store(&rec->ended_by_assert, 1);
    cordon__unwind_run();
    if (in_test_thread)
        longjmp(jump, 1);
    /* Another thread of the test cannot unwind the test's stack: end the
     * whole test process now. Teardown does not run (documented). */
    if (forked)
        leave_process(leave_status);
    fflush(NULL);
    abort();
}

void
cordon__child_detach(void)
{
    /* The test's record is shared with its worker: a wild write of the
     * isolated function's must not reach the test's verdict. */
    cordon__record_unmap(cordon__record_current);
    cordon__record_current = NULL;
    cordon__unwind_forget();
    in_test_thread = false;
    forked = true;
    leave_status = 1;
}

/* run_phases runs setup, body and teardown and says whether all three
 * returned. Teardown runs after an ASSERT_ failure or SKIP() in setup or
 * body. */
static bool
run_phases(const struct cordon__child_setup *cs)
{
    const struct cordon_impl_test *t = cs->test;
    volatile bool finished = false;

    cordon__record_current = cs->record;
    in_test_thread = true;
    if (setjmp(jump) == 0) {
        if (t->options.setup != NULL)
            cordon__trampoline_void(t->options.setup);
        if (t->param_body_ != NULL)
            cordon__trampoline_param(t->param_body_, t->param_);
        else
            cordon__trampoline_void(t->body);
        finished = true;
    }
    /* setjmp stands alone in its statement (C11 7.13.1.1). The teardown
     * runs once, in the test's own process: a helper the test forked that
     * returned from the body is not the test. */
    if (t->options.teardown != NULL &&
        atomic_load(&cs->record->owner) == (int)getpid()) {
        cordon__record_teardown(cs->record);
        if (setjmp(jump) == 0)
            cordon__trampoline_void(t->options.teardown);
        else
            finished = false;
    }
    in_test_thread = false;
    cordon__record_current = NULL;
    return finished;
}

void
cordon__child_run_once(const struct cordon_impl_suite *s,
                       struct cordon__record *rec)
{
    locale_t runner = uselocale(LC_GLOBAL_LOCALE);
    /* Which process is the holder is known from its own memory, not from
     * the record: once may write over the record, which is once's to
     * ruin, but must not make its holder take itself for a helper. */
    static pid_t holder;

    holder = getpid();
    cordon__record_current = rec;
    in_test_thread = true;
    in_once = true;
    if (setjmp(jump) == 0)
        cordon__trampoline_void(s->options.once);
    /* setjmp stands alone in its statement (C11 7.13.1.1). A process once
     * forked that returned (or failed a check) is not the suite's: it
     * ends here, as a test's helper does. */
    if (getpid() != holder)
        leave_process(0);
    in_once = false;
    in_test_thread = false;
    cordon__record_current = NULL;
    uselocale(runner);
}

bool
cordon__child_in_once(void)
{
    return in_once;
}

/* mark_end records, for the test's own process only, that its body
 * finished and when it ended. A helper the test forked that returns from
 * the body instead of calling _exit() runs this same code on the same
 * shared record, and must not speak for the test. */
static void
mark_end(const struct cordon__child_setup *cs, bool finished)
{
    pid_t self = getpid();

    if (atomic_load(&cs->record->owner) != (int)self)
        return;
    if (finished)
        atomic_store(&cs->record->body_finished, (int)self);
    cordon__record_stamp(&cs->record->ended_ns);
}

void
cordon__child_run_inline(const struct cordon__child_setup *cs)
{
    locale_t runner = uselocale(LC_GLOBAL_LOCALE);
    bool finished;

    atomic_store(&cs->record->owner, (int)getpid());
    finished = run_phases(cs);
    mark_end(cs, finished);
    fflush(NULL);
    uselocale(runner);
}

#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
/* The watchdog: a POSIX timer of the test process's own, so that the
 * test's alarm() or setitimer() neither replaces nor cancels it, and its
 * SIGALRM says SI_TIMER where theirs says otherwise (outcome.c tells a
 * timeout from the test's own alarm by that). */
static timer_t watchdog;
static bool have_watchdog;
#endif

void
cordon__child_arm_watchdog(double timeout)
{
    struct itimerval it = {{0, 0}, {0, 0}};

    if (timeout <= 0)
        return;
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    {
        struct sigevent ev;
        struct itimerspec ts = {{0, 0}, {0, 0}};

        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_SIGNAL;
        ev.sigev_signo = SIGALRM;
        ts.it_value.tv_sec = (time_t)timeout;
        ts.it_value.tv_nsec = (long)((timeout - (double)(time_t)timeout) *
                                     1e9);
        if (ts.it_value.tv_sec == 0 && ts.it_value.tv_nsec == 0)
            ts.it_value.tv_nsec = 1;
        if (!have_watchdog &&
            timer_create(CLOCK_MONOTONIC, &ev, &watchdog) == 0)
            have_watchdog = true;
        if (have_watchdog && timer_settime(watchdog, 0, &ts, NULL) == 0)
            return;
    }
#endif
    it.it_value.tv_sec = (time_t)timeout;
    it.it_value.tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) *
                                        1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
}

void
cordon__child_disarm_watchdog(void)
{
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    if (have_watchdog) {
        timer_delete(watchdog);
        have_watchdog = false;
        return;
    }
#endif
    {
        static const struct itimerval none;

        setitimer(ITIMER_REAL, &none, NULL);
    }
}

/* redirect puts fd on target and closes the original: a test process
 * keeps none of cordon's own descriptors. */
static void
redirect(int fd, int target)
{
    if (fd < 0)
        return;
    if (fd != target) {
        dup2(fd, target);
        close(fd);
    }
}

static _Noreturn void
child_main(const struct cordon__child_setup *cs)
{
    bool finished;

    pid_t self = getpid();

    /* First of all: a test that kills its worker at once must still be
     * found by the coordinator. */
    if (cs->lane_pid != NULL)
        atomic_store(cs->lane_pid, (int)self);
    atomic_store(&cs->record->owner, (int)self);
    for (size_t i = 0; i < 2; i++)
        if (cs->unmap[i] != NULL)
            munmap(cs->unmap[i], cs->unmap_size[i]);
    forked = true;
    /* The runner writes its numbers in "C"; the test runs in the
     * program's own locale. */
    uselocale(LC_GLOBAL_LOCALE);
    if (!cs->own_session || setsid() == -1)
        setpgid(0, 0);
    cordon__signals_restore();
    cordon__coverage_child_init();
    cordon__backtrace_child_init(cs->test->options.signal);
    cordon__platform_child_init();
    redirect(cs->null_fd, STDIN_FILENO);
    redirect(cs->out_fd, STDOUT_FILENO);
    redirect(cs->err_fd, STDERR_FILENO);
    for (size_t i = 0; i < sizeof cs->close_fds / sizeof cs->close_fds[0];
         i++)
        if (cs->close_fds[i] > STDERR_FILENO)
            close(cs->close_fds[i]);
    if (cs->limit_core) {
        struct rlimit core;

        /* The soft limit only: with the hard one at 0 too, nothing run
         * from the test could turn dumps back on, not even a cordon binary
         * given --core-dumps. */
        if (getrlimit(RLIMIT_CORE, &core) == 0) {
            core.rlim_cur = 0;
            setrlimit(RLIMIT_CORE, &core);
        }
    }
    cordon__engine_tmpdir(cs->engine_tmpdir, cs->test);
    cordon__limits_apply(&cs->limits);
    /* The test's own clock starts with its watchdog: a worker or a
     * coordinator that is slow to look, or a machine slow to schedule a
     * new process, must not make its run time longer. */
    cordon__leakcheck_start();
    cordon__record_stamp(&cs->record->started_ns);
    cordon__child_arm_watchdog(cs->timeout);
    finished = run_phases(cs);
    /* The test is over: what follows (its output flushed, the leak check,
     * the coverage dump) is not its time, and no SIGALRM of the watchdog
     * may land in it. */
    cordon__child_disarm_watchdog();
    fflush(NULL);
    mark_end(cs, finished);
    /* After the end is stamped: the check is not the test's run time. */
    if (finished)
        cordon__leakcheck_run();
    cordon__coverage_flush();
    exit_now(0);
    _exit(0); /* not reached; says so to the compiler */
}

void
cordon__child_warm_up(void)
{
    static jmp_buf warm;
    struct itimerval none = {{0, 0}, {0, 0}};
    struct sigaction sa;
    sigset_t mask;

    /* Each call binds a symbol the test process calls; the results are
     * of no use. setpgid(-1, ...) fails with EINVAL, the rest change
     * nothing in a worker (it has no timer armed). */
    (void)getpid();
    (void)setpgid(-1, 0);
    (void)sigaction(SIGALRM, NULL, &sa);
    (void)sigprocmask(SIG_BLOCK, NULL, &mask);
    (void)setitimer(ITIMER_REAL, &none, NULL);
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    {
        struct sigevent ev;
        timer_t t;

        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_NONE;
        if (timer_create(CLOCK_MONOTONIC, &ev, &t) == 0) {
            struct itimerspec off = {{0, 0}, {0, 0}};

            (void)timer_settime(t, 0, &off, NULL);
            (void)timer_delete(t);
        }
    }
#endif
    (void)getenv("TEST_TMPDIR");
    if (setjmp(warm) == 0)
        longjmp(warm, 1);
}

void
cordon__child_kill(pid_t pid, int sig)
{
    /* The pid as well as the group: a test may have moved itself into
     * another group to escape a group kill. */
    kill(-pid, sig);
    kill(pid, sig);
}

bool
cordon__child_ended(pid_t pid)
{
    siginfo_t info;

    memset(&info, 0, sizeof info);
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid != 0;
}

pid_t
cordon__child_spawn(const struct cordon__child_setup *cs)
{
    pid_t pid;

    /* No fflush(NULL) here: a worker never writes through stdio (the
     * coordinator flushed before forking it), and locking every stream
     * would copy the C library's page that holds them, once per test. */
    pid = fork();
    if (pid == 0)
        child_main(cs);
    /* The child makes its own group, first thing. The parent does not
     * set it too: done late, that would move back a test that had already
     * moved itself into another group. Every kill signals the pid as well
     * as the group, so nothing depends on the group existing yet. */
    return pid;
}
