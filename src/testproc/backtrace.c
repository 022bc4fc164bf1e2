// SPDX-License-Identifier: MIT
// backtrace.c — the test process's side of a crash report: handlers for
// the crash signals and the watchdog's SIGALRM that write, into the shared
// record, the signal, si_addr and the raw return addresses of the thread
// that got it, then let the signal end the process as it would have
// without them (the wait status stays the ground truth). Nothing here
// turns an address into a name: the handler runs in a process that may be
// broken, so it only copies numbers, with async-signal-safe calls, on an
// alternate stack (a stack overflow is a crash like any other). Its worker,
// which is healthy and shares most of the mappings, names them
// (symbolize.c); for the ones it may not share (a library the test
// dlopen()ed), the handler notes which file, mapped where, holds each
// frame (modules.c).
//
// The frames come from glibc's backtrace(), which unwinds through the
// signal frame with the binary's unwind tables (.eh_frame, present without
// -g). Its first call dlopen()s libgcc_s, which is not safe in a handler,
// so a worker calls it once before forking any test. Where it is missing
// (no <execinfo.h>), the report has the signal and address only.
//
// The worker installs the crash signals' handlers once, for itself and
// every test process it forks; a test process adds only SIGALRM's (the
// caller's dispositions are restored for it in each, signals.c), so
// the per-test cost is one sigaction().
#include "testproc/testproc.h"

#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef CORDON_HAVE_EXECINFO
#include <execinfo.h>
#endif

/* The alternate stack: untouched pages of .bss cost nothing until a
 * handler runs on them. The unwinder needs a few KiB; a chained handler
 * (coverage.c's, a sanitizer's) may want more. */
static char alt_stack[256 * 1024];

static const int handled[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL,
                              SIGABRT, SIGTRAP, SIGSYS,  SIGALRM};
#define NHANDLED (sizeof handled / sizeof handled[0])

/* What each signal had before cordon's handler: called after the capture
 * (coverage.c's flush, a handler the program installed before
 * cordon_main), or SIG_DFL. */
static struct sigaction previous[NHANDLED];
static struct cordon__record *record;
static volatile sig_atomic_t dying;

/* registers_of reads the interrupted instruction's address and stack
 * pointer from the signal's context, where this system's context is
 * known; both are 0 elsewhere. */
static void
registers_of(const void *context, uintptr_t *pc, uintptr_t *sp)
{
    const ucontext_t *uc = context;

    *pc = *sp = 0;
    if (uc == NULL)
        return;
#if defined(__linux__) && defined(__x86_64__) && defined(REG_RIP)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__linux__) && defined(__i386__) && defined(REG_EIP)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
    *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_ESP];
#elif defined(__linux__) && defined(__aarch64__)
    *pc = (uintptr_t)uc->uc_mcontext.pc;
    *sp = (uintptr_t)uc->uc_mcontext.sp;
#endif
}

/* capture copies the frames from the interrupted one on into c. The
 * handler's own frames and the signal trampoline come first in what the
 * unwinder sees; they end where the interrupted instruction's address
 * appears. Where it cannot be told, the two frames of the handler and the
 * trampoline are dropped. */
static void
capture(struct cordon__crash *c, const void *context)
{
    uintptr_t pc;
#ifdef CORDON_HAVE_EXECINFO
    void *raw[CORDON__CRASH_FRAMES + 8];
    int n = backtrace(raw, (int)(sizeof raw / sizeof raw[0]));
    int from = n > 2 ? 2 : n;
    unsigned k = 0;

    registers_of(context, &pc, &c->sp);
    for (int i = 0; i < n && i < 8; i++)
        if (pc != 0 && (uintptr_t)raw[i] == pc) {
            from = i;
            break;
        }
    if (pc != 0 && (from >= n || (uintptr_t)raw[from] != pc))
        c->frames[k++] = pc; /* the unwinder lost it: keep the fault */
    for (int i = from; i < n && k < CORDON__CRASH_FRAMES; i++)
        c->frames[k++] = (uintptr_t)raw[i];
    c->nframes = k;
#else
    registers_of(context, &pc, &c->sp);
    c->nframes = 0;
    if (pc != 0)
        c->frames[c->nframes++] = pc;
#endif
}

/* set_default puts sig back to its default action. */
static void
set_default(int sig)
{
    struct sigaction dfl;

    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
}

/* die_by ends the process by sig with its default action. */
static _Noreturn void
die_by(int sig)
{
    sigset_t none;

    set_default(sig);
    raise(sig);
    /* Blocked (the handler's mask), it is delivered once unblocked. */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    _exit(128 + sig);
}

static size_t
index_of(int sig)
{
    for (size_t i = 0; i < NHANDLED; i++)
        if (handled[i] == sig)
            return i;
    return 0;
}

static void
on_signal(int sig, siginfo_t *info, void *context)
{
    struct cordon__record *rec = record;
    const struct sigaction *prev = &previous[index_of(sig)];
    int none = 0;

    /* A fault inside this handler (or in the handler it chains to) ends
     * the process by the first signal. */
    if (dying != 0)
        die_by(dying);
    dying = sig;
    /* Only the test's own process speaks in its record: a helper it forked
     * inherits the handler and the mapping, and the first capture wins. */
    if (rec != NULL && atomic_load(&rec->owner) == (int)getpid() &&
        atomic_compare_exchange_strong(&rec->crash.taken, &none, 1)) {
        capture(&rec->crash, context);
        cordon__modules_note(&rec->crash);
        rec->crash.code = info != NULL ? info->si_code : 0;
        rec->crash.addr = info != NULL ? (uintptr_t)info->si_addr : 0;
        atomic_store_explicit(&rec->crash.signal, sig, memory_order_release);
    }
    if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        sigaction(sig, prev, NULL);
        dying = 0;
        if (prev->sa_flags & SA_SIGINFO)
            prev->sa_sigaction(sig, info, context);
        else
            prev->sa_handler(sig);
        return;
    }
    /* A fault the kernel raised (si_code > 0) happens again when the
     * handler returns, now with the default action: the process dies of
     * it where it happened, as a core dump or a debugger would show. */
    if (info != NULL && info->si_code > 0 &&
        (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL)) {
        set_default(sig);
        return;
    }
    die_by(sig);
}

/* install puts cordon's handler on handled[i], keeping what was there in
 * previous[i] (when keep); a signal the program ignores stays ignored. */
static void
install(size_t i, bool keep)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    /* SA_NODEFER: a fault inside the handler re-enters it and dies by
     * the first signal, instead of the kernel killing the process with
     * the second while it is blocked. */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(handled[i], &sa, keep ? &previous[i] : NULL) == 0 &&
        keep && previous[i].sa_handler == SIG_IGN)
        sigaction(handled[i], &previous[i], NULL);
}

void
cordon__backtrace_warm_up(struct cordon__record *rec)
{
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    stack_t now;

    record = rec;
    /* Keep one that is already set (a sanitizer's, for one). */
    if (sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_DISABLE))
        sigaltstack(&ss, NULL);
#ifdef CORDON_HAVE_EXECINFO
    {
        void *one[1];

        (void)backtrace(one, 1);
    }
#endif
    /* The crash signals' handlers are the worker's, inherited by every
     * test process it forks: none of them pays for installing them. The
     * worker's own crash would find no record of its own and die as
     * before. SIGALRM is each test's (signals.c resets it). */
    for (size_t i = 0; i < NHANDLED; i++)
        if (handled[i] != SIGALRM)
            install(i, true);
}

void
cordon__backtrace_child_init(int expected)
{
    for (size_t i = 0; i < NHANDLED; i++) {
#ifdef CORDON_COVERAGE_BUILD
        /* coverage.c has just put its flushing handlers on every crash
         * signal: cordon's go back in front of them, and call them; the
         * expected signal keeps coverage.c's alone. */
        if (handled[i] != expected)
            install(i, true);
#else
        /* SIGALRM is at its default here (signals.c), which previous[]
         * already says: writing it would copy the page it is on. */
        if (handled[i] == SIGALRM && expected != SIGALRM)
            install(i, false);
        else if (handled[i] == expected && handled[i] != SIGALRM)
            sigaction(expected, &previous[i], NULL);
#endif
    }
}
