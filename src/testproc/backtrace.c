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
// (no <execinfo.h>), the report has the signal, the address and the
// interrupted instruction only.
//
// What is known first is stored first: the signal, the address and the
// interrupted instruction are in the record before the unwinder runs, and
// a fault inside the unwinder (or while the modules are read) ends the
// process by the first signal with what was found until then. The
// unwinder never starts at an instruction that could not be fetched (a
// call through a NULL or stale function pointer): with no unwind table
// for such an address, libgcc reads the code there to recognise a signal
// trampoline, and faults. It starts from where that call would have
// returned instead.
//
// The worker installs the crash signals' handlers once, for itself and
// every test process it forks; a test process adds only SIGALRM's (the
// caller's dispositions are restored for it in each, signals.c), so
// the per-test cost is one sigaction().
#include "testproc/testproc.h"

#include <errno.h>
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

/* Where the one capture of a test process is, for a fault inside it: a
 * second signal during STAGE_UNWINDING keeps the frames found so far and
 * notes their modules, one during STAGE_NOTING keeps what is there. */
enum { STAGE_IDLE, STAGE_UNWINDING, STAGE_NOTING };
static volatile sig_atomic_t stage;
static struct cordon__crash *capturing;
/* The registers of the interrupted thread were read (this system's
 * signal context is known). */
static bool registers_known;
/* The address, as the unwinder lists it, of the last frame already
 * recorded from the registers: the unwinder's frames after it follow. */
static uintptr_t unwound_from;
/* The unwinder's list, static and zeroed before each use, so that what it
 * had found when it faulted is still here. */
static void *raw[CORDON__CRASH_FRAMES + 8];
#define NRAW ((int)(sizeof raw / sizeof raw[0]))

/* registers_of reads the interrupted instruction's address and stack
 * pointer from the signal's context, where this system's context is
 * known; false elsewhere. */
static bool
registers_of(const void *context, uintptr_t *pc, uintptr_t *sp)
{
    const ucontext_t *uc = context;

    *pc = *sp = 0;
    if (uc == NULL)
        return false;
#if defined(__linux__) && defined(__x86_64__) && defined(REG_RIP)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    return true;
#elif defined(__linux__) && defined(__i386__) && defined(REG_EIP)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
    *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_ESP];
    return true;
#elif defined(__linux__) && defined(__aarch64__)
    *pc = (uintptr_t)uc->uc_mcontext.pc;
    *sp = (uintptr_t)uc->uc_mcontext.sp;
    return true;
#elif defined(__linux__) && defined(__s390x__)
    *pc = (uintptr_t)uc->uc_mcontext.psw.addr;
    *sp = (uintptr_t)uc->uc_mcontext.gregs[15];
    return true;
#else
    return false;
#endif
}

/* fetch_fault says the signal is a fault in fetching the interrupted
 * instruction itself: the kernel's fault address is that instruction's.
 * Nothing is mapped there, or nothing executable: a call through a NULL
 * or stale function pointer, or a jump into data. */
static bool
fetch_fault(int sig, const siginfo_t *info, uintptr_t pc)
{
#if defined(__s390__)
    /* s390x names the page of a fault, not its address. */
    const uintptr_t at = pc & ~(uintptr_t)4095;
#else
    const uintptr_t at = pc;
#endif

    return info != NULL && info->si_code > 0 &&
           (sig == SIGSEGV || sig == SIGBUS) &&
           (uintptr_t)info->si_addr == at;
}

/* The registers step_out changes, as they were. */
struct step {
    uintptr_t pc, sp;
};

/* return_address reads where a call to the interrupted instruction
 * returns: the word a call pushed at the stack pointer (x86), or the link
 * register (aarch64's x30, s390x's r14). After a jump rather than a call it is the return
 * address of the function that jumped. False where this system's context
 * is not known. The stack may be unreadable: a fault here is one in the
 * capture. */
static bool
return_address(const void *context, uintptr_t sp, uintptr_t *ra)
{
    const ucontext_t *uc = context;

    (void)uc;
#if defined(__linux__) && (defined(__x86_64__) || defined(__i386__))
    *ra = *(const volatile uintptr_t *)sp;
    return true;
#elif defined(__linux__) && defined(__aarch64__)
    (void)sp;
    *ra = (uintptr_t)uc->uc_mcontext.regs[30];
    return true;
#elif defined(__linux__) && defined(__s390x__)
    (void)sp;
    *ra = (uintptr_t)uc->uc_mcontext.gregs[14];
    return true;
#else
    (void)sp;
    (void)ra;
    return false;
#endif
}

/* step_out makes the signal's context say that the interrupted function
 * returned to ra, into its caller, which is where the unwinder then
 * starts: it reads the interrupted registers from that context (through
 * the signal trampoline's unwind table). The instruction is set to ra - 1,
 * inside the call, whose unwind row is the caller's at the call: ra
 * itself, after a call that never returns, may be the next function's.
 * step_back puts the registers back before the handler returns. */
static void
step_out(void *context, uintptr_t ra, struct step *saved)
{
    ucontext_t *uc = context;

    (void)uc;
    (void)ra;
    (void)saved;
#if defined(__linux__) && defined(__x86_64__) && defined(REG_RIP)
    saved->pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    saved->sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(ra - 1);
    /* Both are 64 bits here: the cast only makes the address signed.
     * NOLINTNEXTLINE(bugprone-misplaced-widening-cast) */
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(saved->sp + sizeof ra);
#elif defined(__linux__) && defined(__i386__) && defined(REG_EIP)
    saved->pc = (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
    saved->sp = (uintptr_t)uc->uc_mcontext.gregs[REG_ESP];
    uc->uc_mcontext.gregs[REG_EIP] = (greg_t)(ra - 1);
    uc->uc_mcontext.gregs[REG_ESP] = (greg_t)(saved->sp + sizeof ra);
#elif defined(__linux__) && defined(__aarch64__)
    saved->pc = (uintptr_t)uc->uc_mcontext.pc;
    saved->sp = (uintptr_t)uc->uc_mcontext.sp;
    uc->uc_mcontext.pc = ra - 1;
#elif defined(__linux__) && defined(__s390x__)
    saved->pc = (uintptr_t)uc->uc_mcontext.psw.addr;
    saved->sp = (uintptr_t)uc->uc_mcontext.gregs[15];
    uc->uc_mcontext.psw.addr = ra - 1;
#endif
}

static void
step_back(void *context, const struct step *saved)
{
    ucontext_t *uc = context;

    (void)uc;
    (void)saved;
#if defined(__linux__) && defined(__x86_64__) && defined(REG_RIP)
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)saved->pc;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)saved->sp;
#elif defined(__linux__) && defined(__i386__) && defined(REG_EIP)
    uc->uc_mcontext.gregs[REG_EIP] = (greg_t)saved->pc;
    uc->uc_mcontext.gregs[REG_ESP] = (greg_t)saved->sp;
#elif defined(__linux__) && defined(__aarch64__)
    uc->uc_mcontext.pc = saved->pc;
    uc->uc_mcontext.sp = saved->sp;
#elif defined(__linux__) && defined(__s390x__)
    uc->uc_mcontext.psw.addr = saved->pc;
    uc->uc_mcontext.gregs[15] = saved->sp;
#endif
}

/* take appends to c the first n of the unwinder's frames that follow the
 * ones recorded from the registers. The handler's own frames and the
 * signal trampoline come first in its list; they end where unwound_from
 * appears. When the registers are not known, the two frames of the
 * handler and the trampoline are dropped; when they are and the unwinder
 * never reached them, its frames are not the test's. */
static void
take(struct cordon__crash *c, int n)
{
    unsigned k = c->nframes;
    int from = -1;

    if (!registers_known)
        from = n > 2 ? 2 : n;
    for (int i = 0; registers_known && i < n && i < 8; i++)
        if ((uintptr_t)raw[i] == unwound_from) {
            from = i + 1;
            break;
        }
    for (int i = from; from >= 0 && i < n && k < CORDON__CRASH_FRAMES; i++)
        c->frames[k++] = (uintptr_t)raw[i];
    c->nframes = k;
}

/* begin stores, and publishes, what the signal itself says: its code and
 * address, the interrupted instruction and stack pointer. Then the rest
 * of the record is what this capture adds. */
static void
begin(struct cordon__crash *c, int sig, const siginfo_t *info,
      const void *context)
{
    uintptr_t pc, sp;

    registers_known = registers_of(context, &pc, &sp);
    c->code = info != NULL ? info->si_code : 0;
    c->addr = info != NULL ? (uintptr_t)info->si_addr : 0;
    c->sp = sp;
    memset(c->module_of, 0, sizeof c->module_of);
    c->nmodules = 0;
    c->modules_errno = 0;
    c->cut = false;
    c->frames[0] = pc;
    c->nframes = registers_known ? 1 : 0;
    atomic_store_explicit(&c->signal, sig, memory_order_release);
}

/* capture adds the frames below the interrupted one. */
static void
capture(struct cordon__crash *c, int sig, const siginfo_t *info,
        void *context)
{
    struct step saved;
    bool stepped = false;
    uintptr_t ra;
    int n = 0;

    memset(raw, 0, sizeof raw);
    unwound_from = c->frames[0];
    capturing = c;
    stage = STAGE_UNWINDING;
    if (registers_known && fetch_fault(sig, info, c->frames[0])) {
        /* The unwinder would read the code there (see the top). */
        c->module_of[0] = CORDON__CRASH_NO_CODE;
        if (!return_address(context, c->sp, &ra) || ra == 0)
            return;
        c->frames[1] = ra;
        c->nframes = 2;
        step_out(context, ra, &saved);
        stepped = true;
        unwound_from = ra - 1;
    }
#ifdef CORDON_HAVE_EXECINFO
    n = backtrace(raw, NRAW);
#endif
    if (stepped)
        step_back(context, &saved);
    take(c, n);
}

/* salvage completes, after a fault inside it (sig) or the watchdog's
 * SIGALRM, the capture under way: the frames the unwinder had found, then
 * their modules. */
static void
salvage(int sig)
{
    int n = 0;

    if (stage != STAGE_UNWINDING)
        return;
    stage = STAGE_NOTING;
    while (n < NRAW && raw[n] != NULL)
        n++;
    take(capturing, n);
    capturing->cut = sig != SIGALRM;
    cordon__modules_note(capturing);
    stage = STAGE_IDLE;
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
    /* Should raise() fail, _exit() below still ends the process.
     * NOLINTNEXTLINE(cert-err33-c) */
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
    int none = 0, saved_errno = errno;

    /* A fault inside this handler (or in the handler it chains to) ends
     * the process by the first signal, keeping what the capture had found
     * if it came from there (a wild return address, a broken unwind
     * table), as does the watchdog's SIGALRM if the capture hangs. */
    if (dying != 0) {
        salvage(sig);
        die_by(dying);
    }
    dying = sig;
    /* Only the test's own process speaks in its record: a helper it forked
     * inherits the handler and the mapping, and the first capture wins. */
    if (rec != NULL && atomic_load(&rec->owner) == (int)getpid() &&
        atomic_compare_exchange_strong(&rec->crash.taken, &none, 1)) {
        begin(&rec->crash, sig, info, context);
        capture(&rec->crash, sig, info, context);
        stage = STAGE_NOTING;
        cordon__modules_note(&rec->crash);
        stage = STAGE_IDLE;
    }
    errno = saved_errno;
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
cordon__backtrace_use(struct cordon__record *rec)
{
    record = rec;
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
cordon__backtrace_isolate(struct cordon__record *rec)
{
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    stack_t now;

    record = rec;
    if (sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_DISABLE))
        sigaltstack(&ss, NULL);
    /* In a test process (or a keeper nested in an isolated call) the
     * handlers are cordon's already, chained to what was there before
     * them: installing them again would chain them to themselves. */
    for (size_t i = 0; i < NHANDLED; i++) {
        struct sigaction now_sa;

        if (handled[i] == SIGALRM ||
            sigaction(handled[i], NULL, &now_sa) != 0)
            continue;
        if ((now_sa.sa_flags & SA_SIGINFO) &&
            now_sa.sa_sigaction == on_signal)
            continue;
        install(i, true);
    }
}

void
cordon__backtrace_warm_unwinder(void)
{
#ifdef CORDON_HAVE_EXECINFO
    static bool warm;

    if (!warm) {
        void *one[1];

        (void)backtrace(one, 1);
        warm = true;
    }
#endif
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
