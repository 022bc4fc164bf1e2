// SPDX-License-Identifier: MIT
// coverage.c — getting gcov counters out of test processes, in a build
// with CORDON_COVERAGE (which defines CORDON_COVERAGE_BUILD). gcov writes
// its .gcda files from an atexit handler, and a test process never runs
// one: it leaves through _exit(), or dies by the watchdog's SIGALRM or a
// crash signal. So the child flushes before _exit() (child.c calls
// cordon__coverage_flush), and cordon__coverage_child_init installs
// handlers that flush, then re-raise the signal with its default action,
// so the wait status, and the verdict, stay what they would have been.
// Without CORDON_COVERAGE_BUILD no handler is ever installed, and the
// flush before _exit() reaches the gcov runtime through weak references:
// a user's code built with --coverage and linked with a plain libcordon
// gets its counters written from every test process that returns, and a
// binary without coverage calls nothing.
#include "testproc/testproc.h"

#include <cordon.h>

/* The binary's own flush functions, handed over by its tests'
 * registration (the header): a shared libcordon cannot see a gcov
 * runtime linked into the binary, whose symbols are hidden. */
static void (*binary_dump)(void);
static void (*binary_exit)(void);

void
cordon_impl_coverage(void (*dump)(void), void (*exit_)(void))
{
    binary_dump = dump;
    binary_exit = exit_;
}

/* flush_binary writes the binary's counters when its gcov runtime is not
 * the one libcordon reaches itself (own_dump, own_exit: its weak
 * references, NULL where it has none). Two runtimes are two sets of
 * counters: libcordon's, and the binary's. */
static void
flush_binary(void (*own_dump)(void), void (*own_exit)(void))
{
    if (binary_dump != NULL && binary_dump != own_dump)
        binary_dump();
    else if (binary_dump == NULL && binary_exit != NULL &&
             binary_exit != own_exit)
        binary_exit();
}

#ifdef CORDON_COVERAGE_BUILD

#include <signal.h>
#include <unistd.h>

/* libgcov (GCC >= 11) and compiler-rt: write every counter now. Declared
 * here because no header declares it; the name is the runtime's. */
extern void __gcov_dump(void);

/* Seconds a crash handler's flush may take before the process gives up
 * on it: a crash inside malloc can leave a lock that the dump needs. */
#define FLUSH_GRACE 2

/* The signals that end a test process with counters to save. */
static const int fatal_signals[] = {SIGALRM, SIGSEGV, SIGBUS, SIGILL,
                                    SIGFPE,  SIGABRT, SIGTRAP, SIGSYS};

static volatile sig_atomic_t dying_signal;

/* What runs after __gcov_dump() cannot be counted: the counters are
 * already written, and the process dies before it could write them again.
 * lcov is told so with its exclusion markers. */
/* LCOV_EXCL_START */
static void
die_by(int sig)
{
    struct sigaction dfl;

    dfl.sa_handler = SIG_DFL;
    dfl.sa_flags = 0;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
    /* A signal whose default is to be ignored cannot get here; a blocked
     * one could, so make sure the process still ends by it. */
    sigprocmask(SIG_SETMASK, &dfl.sa_mask, NULL);
    _exit(128 + sig);
}

static void
on_fatal(int sig)
{
    /* A second signal while flushing (the grace alarm, or the flush
     * itself crashing) ends the process by the first. */
    if (dying_signal != 0)
        die_by(dying_signal);
    dying_signal = sig;
    if (sig != SIGALRM)
        alarm(FLUSH_GRACE);
    __gcov_dump();
    flush_binary(__gcov_dump, NULL);
    die_by(sig);
}
/* LCOV_EXCL_STOP */

void
cordon__coverage_flush(void)
{
    __gcov_dump(); /* LCOV_EXCL_LINE: counted after the dump */
    flush_binary(__gcov_dump, NULL); /* LCOV_EXCL_LINE */
}

void
cordon__coverage_child_init(void)
{
    /* An alternate stack, so a stack overflow's SIGSEGV still flushes. */
    static char alt[256 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    struct sigaction sa;

    sigaltstack(&ss, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        sigaction(fatal_signals[i], &sa, NULL);
}

#else

/* Weak, so a binary without coverage links and they are NULL. libgcov
 * (GCC) keeps __gcov_dump in an archive member of its own, which a weak
 * reference does not pull in; __gcov_exit, the destructor every
 * instrumented file registers, is always there and writes the same
 * counters. compiler-rt (clang) has __gcov_dump beside its init. */
/* Names libgcov chose, declared, not defined, here:
 * NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
extern void __gcov_dump(void) __attribute__((weak));
extern void __gcov_exit(void) __attribute__((weak));
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

void
cordon__coverage_flush(void)
{
    if (__gcov_dump != NULL)
        __gcov_dump();
    else if (__gcov_exit != NULL)
        __gcov_exit();
    flush_binary(__gcov_dump, __gcov_exit);
}

void
cordon__coverage_child_init(void)
{
}

#endif
