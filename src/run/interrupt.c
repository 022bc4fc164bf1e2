// SPDX-License-Identifier: MIT
// interrupt.c — how the runner takes SIGINT, SIGTERM and SIGHUP from the
// moment its handlers are installed until its reports are written. A
// handler only counts the signal and wakes the coordinator through a
// self-pipe (SIGCHLD too, when asked). The interrupting signals are caught
// without SA_RESTART, so a runner blocked writing to a stdout, a TAP
// stream or a FIFO that nobody reads is woken by the signal; the first one
// also starts a timer that, once CORDON__STALL_GRACE has passed, fires
// every tenth of a second to wake any write still blocked. The timer is a
// POSIX per-process timer of its own, signalling CORDON__STALL_SIGNAL, so
// a caller of cordon_main that runs its own SIGALRM timer keeps it. A writer that
// is woken asks cordon__interrupt_give_up() whether to try again or to
// give its output up; a second signal gives up at once. From then on, a
// stdout or stderr that still cannot take a byte is replaced by /dev/null,
// so no later line blocks on it either. Under --no-fork the running test
// is the runner: a signal lets it end and stops the run after it, but a
// test still running when the grace is over, or a second signal, ends the
// process by the signal's own default action. Signals the caller ignores
// stay ignored (nohup).
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const int interrupting[] = {SIGINT, SIGTERM, SIGHUP};
#define NINTERRUPTING (sizeof interrupting / sizeof interrupting[0])

static int self_pipe[2] = {-1, -1};
static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t count;
static volatile sig_atomic_t expired;
static bool with_children;
static volatile sig_atomic_t inline_test;
static volatile sig_atomic_t lost[3]; /* by fd: replaced by /dev/null */
static int null_fd = -1;
static struct sigaction old_interrupting[NINTERRUPTING];
static struct sigaction old_child, old_alarm;
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
static timer_t stall_timer;
static bool have_timer;
#endif

static void
wake(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;

    (void)!write(self_pipe[1], &b, 1);
    errno = saved;
}

/* give_up is called once waiting is over: a stdout or stderr that cannot
 * take a byte now is put on /dev/null, and an in-process test that has
 * not ended makes the process end by the signal that interrupted it. */
static void
give_up(void)
{
    expired = 1;
    if (inline_test) {
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        sigset_t only;

        sigemptyset(&dfl.sa_mask);
        sigaction(first_signal, &dfl, NULL);
        sigemptyset(&only);
        sigaddset(&only, first_signal);
        sigprocmask(SIG_UNBLOCK, &only, NULL);
        /* raise() fails only for an invalid signal; this one was caught.
         * NOLINTNEXTLINE(cert-err33-c) */
        raise(first_signal);
    }
    for (int fd = 1; fd <= 2; fd++) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};

        if (lost[fd] || null_fd < 0 || poll(&p, 1, 0) != 0)
            continue;
        dup2(null_fd, fd);
        lost[fd] = 1;
    }
}

/* arm starts the stall timer: first after first_s seconds, then every
 * tenth of a second. timer_settime() is async-signal-safe (POSIX); where
 * there are no POSIX timers, setitimer() is a bare system call too. */
static void
arm(time_t first_s, long first_ns)
{
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    struct itimerspec it = {{0, 100 * 1000000L}, {first_s, first_ns}};

    if (have_timer)
        timer_settime(stall_timer, 0, &it, NULL);
#else
    struct itimerval it = {{0, 100 * 1000}, {first_s, first_ns / 1000}};

    setitimer(ITIMER_REAL, &it, NULL);
#endif
}

static void
disarm(void)
{
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    struct itimerspec off = {{0, 0}, {0, 0}};

    if (have_timer)
        timer_settime(stall_timer, 0, &off, NULL);
#else
    struct itimerval off = {{0, 0}, {0, 0}};

    setitimer(ITIMER_REAL, &off, NULL);
#endif
}

/* on_interrupt counts the signal; the first starts the stall timer. */
static void
on_interrupt(int sig)
{
    if (count < 2)
        count++;
    if (first_signal == 0) {
        first_signal = sig;
        arm(CORDON__STALL_GRACE, 0);
        wake(sig);
    } else {
        /* Waiting is over now: a write that blocks from here on is woken
         * within a tick too. */
        wake(sig);
        arm(0, 1000000L);
        give_up();
    }
}

/* on_stall takes the stall timer's signal; the same signal from anything
 * but that timer (sent by a test, say) changes nothing. */
static void
on_stall(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    if (info == NULL || info->si_code != SI_TIMER || first_signal == 0)
        return;
#else
    (void)info;
    if (first_signal == 0)
        return;
#endif
    give_up();
}

static void
catch(int sig, void (*handler)(int), int flags, struct sigaction *old)
{
    struct sigaction sa = {.sa_handler = handler, .sa_flags = flags};

    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, old);
}

int
cordon__interrupt_begin(bool children)
{
    if (self_pipe[0] >= 0)
        cordon__bug("interrupt handling begun twice");
    if (pipe(self_pipe) == -1)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(self_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(self_pipe[i], F_SETFL, O_NONBLOCK);
    }
    null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    first_signal = 0;
    count = 0;
    expired = 0;
    inline_test = 0;
    lost[1] = lost[2] = 0;
    with_children = children;
    {
        struct sigaction sa = {.sa_sigaction = on_stall,
                               .sa_flags = SA_SIGINFO};
        sigset_t stall;

        sigemptyset(&sa.sa_mask);
        sigaction(CORDON__STALL_SIGNAL, &sa, &old_alarm);
        /* The runner's own signal, whatever mask it was started with
         * (cordon_main gives the caller's mask back on return). */
        sigemptyset(&stall);
        sigaddset(&stall, CORDON__STALL_SIGNAL);
        sigprocmask(SIG_UNBLOCK, &stall, NULL);
    }
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    {
        struct sigevent ev;

        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_SIGNAL;
        ev.sigev_signo = CORDON__STALL_SIGNAL;
        have_timer = timer_create(CLOCK_MONOTONIC, &ev, &stall_timer) == 0;
    }
#endif
    if (children)
        catch(SIGCHLD, wake, SA_RESTART, &old_child);
    for (size_t i = 0; i < NINTERRUPTING; i++) {
        sigaction(interrupting[i], NULL, &old_interrupting[i]);
        /* nohup, or a shell that starts jobs with SIGINT ignored: what
         * the caller ignores stays ignored. */
        if (old_interrupting[i].sa_handler != SIG_IGN)
            catch(interrupting[i], on_interrupt, 0, NULL);
    }
    return 0;
}

int
cordon__interrupt_fd(void)
{
    return self_pipe[0];
}

void
cordon__interrupt_close_fds(void)
{
    close(self_pipe[0]);
    close(self_pipe[1]);
    if (null_fd >= 0)
        close(null_fd);
}

int
cordon__interrupt_signal(void)
{
    return first_signal;
}

bool
cordon__interrupt_give_up(void)
{
    return expired != 0;
}

bool
cordon__interrupt_lost(int fd)
{
    return fd >= 1 && fd <= 2 && lost[fd] != 0;
}

void
cordon__interrupt_inline(bool running)
{
    inline_test = running;
}

void
cordon__interrupt_end(void)
{
    if (self_pipe[0] < 0)
        return;
    /* Held while the handlers change: a signal now is taken by
     * cordon__coordinator_settle, like one that came before. */
    cordon__signals_hold();
    disarm();
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
    if (have_timer)
        timer_delete(stall_timer);
    have_timer = false;
#endif
    for (size_t i = 0; i < NINTERRUPTING; i++)
        sigaction(interrupting[i], &old_interrupting[i], NULL);
    if (with_children)
        sigaction(SIGCHLD, &old_child, NULL);
    sigaction(CORDON__STALL_SIGNAL, &old_alarm, NULL);
    cordon__interrupt_close_fds();
    self_pipe[0] = self_pipe[1] = null_fd = -1;
}
