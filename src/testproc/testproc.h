// SPDX-License-Identifier: MIT
// testproc.h — a test process between fork() and _exit(): its set-up
// (group, signals, limits, descriptors, watchdog), its phases, its crash
// handlers, its coverage dump and leak check. Everything here runs in the
// test process (or sets up what it inherits); it includes nothing of run/
// or report/ and never calls an allocator that exits.
#ifndef CORDON_TESTPROC_H
#define CORDON_TESTPROC_H

#include "common.h"
#include "platform.h"

/* ---- limits.c ---- */

/* The resource limits in force for one test process; 0 = none. */
struct cordon__limits {
    uint64_t memory;    /* bytes of address space */
    double cpu;         /* whole seconds of CPU time */
    uint64_t file_size; /* bytes a file may reach */
};

/* cordon__limits_of is what is in force for t: its own options, else the
 * run's; no memory limit under AddressSanitizer. */
struct cordon__limits cordon__limits_of(const struct cordon__config *cfg,
                                        const struct cordon_impl_test *t);
/* cordon__limits_apply sets them in a new test process. Never fails: a
 * limit the system refuses is left as it was. */
void cordon__limits_apply(const struct cordon__limits *l);
/* cordon__limits_warn prints one warning line when a memory limit is asked
 * for under AddressSanitizer, or on a system that ignores it, where it is
 * not applied. */
void cordon__limits_warn(const struct cordon__config *cfg,
                         struct cordon_impl_test *const *tests, size_t n);
/* cordon__limits_ignored says this system accepts setrlimit(RLIMIT_AS)
 * and does not apply it (qemu-user, which keeps the address space for
 * itself): the soft limit read back is not the one just set. It lowers
 * this process's soft limit for a moment and puts it back. */
bool cordon__limits_ignored(void);
/* cordon__limits_asan says this process runs under AddressSanitizer. */
bool cordon__limits_asan(void);
/* cordon__limits_parse_bytes parses "65536", "64K", "64KiB", "64M",
 * "64MiB", "1G", "1GiB" (K, M, G are powers of 1024 too). */
bool cordon__limits_parse_bytes(const char *text, uint64_t *out);
/* cordon__limits_bytes_text writes "64 MiB" (or "1000 bytes") into buf. */
const char *cordon__limits_bytes_text(uint64_t n, char *buf, size_t size);

/* ---- child.c ---- */

/* What a worker hands a test process. */
struct cordon__child_setup {
    const struct cordon_impl_test *test;
    struct cordon__record *record;
    double timeout; /* 0 = none */
    int out_fd;     /* capture files, -1 = leave stdout/stderr alone */
    int err_fd;
    int null_fd;    /* /dev/null for stdin */
    int close_fds[4]; /* the worker's other descriptors, -1 = none */
    bool limit_core;  /* lower the soft core limit to 0 in the child */
    bool own_session; /* a session of its own, not only a group: in a suite
                         holder, whose own group its sweeps spare, so no
                         helper of the test can join that group */
    atomic_int *lane_pid; /* where the coordinator looks for its pid */
    const char *engine_tmpdir; /* cordon__engine_tmpdir's base, or NULL */
    struct cordon__limits limits; /* set in the test process */
    /* The supervisor's shared memory (the board, the spool's end), unmapped
     * in the test process once it has published its pid, where the system
     * could not keep it out of the fork (cordon__platform_dontfork):
     * nothing a test writes can reach them. NULL = none. */
    void *unmap[2];
    size_t unmap_size[2];
};

/* cordon__child_spawn forks the test into its own process group and returns
 * its pid, or -1 with errno set. The child never returns. */
pid_t cordon__child_spawn(const struct cordon__child_setup *cs);
/* cordon__child_warm_up binds, in a worker, the library functions a test
 * process calls, so that every test process it forks inherits them bound
 * instead of resolving each lazily (and copying the page that holds it). */
void cordon__child_warm_up(void);
/* cordon__child_arm_watchdog starts the SIGALRM timer for timeout seconds
 * (never rounded down to none); nothing when timeout <= 0. */
void cordon__child_arm_watchdog(double timeout);
/* cordon__child_disarm_watchdog stops it (no-op when none is armed). */
void cordon__child_disarm_watchdog(void);
/* cordon__child_kill sends sig to a test process's group and to its pid. */
void cordon__child_kill(pid_t pid, int sig);
/* cordon__child_ended says child pid has ended, without reaping it (it
 * stays a zombie, holding its pid and pgid). */
bool cordon__child_ended(pid_t pid);
/* cordon__child_run_inline runs setup, body and teardown in this process
 * (--no-fork); a crash or exit() ends the runner. */
void cordon__child_run_inline(const struct cordon__child_setup *cs);
/* cordon__child_run_once runs suite s's once in this process with checks
 * recorded in rec and a jump back for ASSERT_/FAIL/SKIP, as a test's
 * body runs. A process once forked that returns from it ends here. */
void cordon__child_run_once(const struct cordon_impl_suite *s,
                            struct cordon__record *rec);
/* cordon__child_in_once says a suite's once is running in this process. */
bool cordon__child_in_once(void);
/* cordon__child_detach makes this process (one cordon_isolate() forked)
 * no part of the test it was forked from: the test's record is unmapped,
 * checks print their failures on stderr, and an ASSERT_/FAIL/SKIP ends it
 * with exit status 1. */
void cordon__child_detach(void);
/* A hook cordon__child_leave runs before it unwinds the test's stack:
 * run(u) undoes what the frames it skips hold (unwind.c). */
struct cordon__unwind {
    void (*run)(struct cordon__unwind *u);
    struct cordon__unwind *next;
};
/* cordon__unwind_push registers u for this thread until _pop removes it. */
void cordon__unwind_push(struct cordon__unwind *u);
/* cordon__unwind_pop removes u (safe when it is not registered). */
void cordon__unwind_pop(struct cordon__unwind *u);
/* cordon__unwind_forget drops this thread's hooks unrun: a process forked
 * from their owner holds none of what they undo. */
void cordon__unwind_forget(void);
/* cordon__unwind_run runs and removes this thread's hooks, newest first. */
void cordon__unwind_run(void);
/* cordon__child_leave ends the running test after an ASSERT_/FAIL/SKIP. */
_Noreturn void cordon__child_leave(void);

/* ---- backtrace.c ---- */

/* cordon__backtrace_warm_up installs, in a worker, the handlers that
 * write a crash's signal, address and backtrace into rec (the worker's
 * record, which its test processes fill) for the crash signals, with
 * what they need: the alternate signal stack they run on and the
 * unwinder, loaded now rather than inside a handler. Every test process
 * the worker forks inherits them. Each handler then lets the signal end
 * the process as it would have, so the wait status stays true. A handler
 * the test installs replaces cordon's. */
void cordon__backtrace_warm_up(struct cordon__record *rec);
/* cordon__backtrace_use makes rec, from now on, the record a crash of a
 * test process this worker forks goes to (the handlers stay as they are:
 * installing them again would chain them to themselves). */
void cordon__backtrace_use(struct cordon__record *rec);
/* cordon__backtrace_isolate, in a cordon_isolate() keeper, makes rec the
 * record a crash of the function's process goes to, and puts cordon's
 * handlers on the crash signals where they are not already (a plain
 * program's keeper), keeping what was there to chain to. SIGALRM is left
 * as the caller had it. The function's process must set rec->owner. */
void cordon__backtrace_isolate(struct cordon__record *rec);
/* cordon__backtrace_warm_unwinder loads the unwinder (libgcc_s) once in
 * this process, so that a process forked from it need not load it inside
 * a crash handler. */
void cordon__backtrace_warm_unwinder(void);
/* cordon__backtrace_child_init completes them in a new test process: the
 * watchdog's SIGALRM gets one too, and expected (the signal the test
 * expects to die by, 0 = none) gets back what it had. */
void cordon__backtrace_child_init(int expected);

/* ---- trampoline.c ---- */

/* How many trampolines there are: one per kind of user function. */
#define CORDON__TRAMPOLINE_SITES 2

/* cordon__trampoline_void calls fn (a body, setup, teardown or once);
 * cordon__trampoline_param calls fn(param) (a TEST_P case's wrapper).
 * Cordon calls the user's code through these only. */
void cordon__trampoline_void(void (*fn)(void));
void cordon__trampoline_param(void (*fn)(const void *), const void *param);
/* cordon__trampoline_sites points *out at the return addresses of the
 * trampolines' calls, as this process maps libcordon, and returns how
 * many: a stack frame with one of them is a trampoline's, and the frame
 * above it the outermost of the user's. */
size_t cordon__trampoline_sites(const uintptr_t **out);

/* ---- modules.c ---- */

/* cordon__modules_note notes, in c, which mapped file holds each of its
 * frames, and which frames are where the test process had no code; or,
 * when no list of them can be read, why (c->modules_errno). For a crash
 * handler: it allocates nothing and takes no lock of its own. Never
 * fails. */
void cordon__modules_note(struct cordon__crash *c);

/* ---- signals.c ---- */

/* The dispositions and mask the process had when cordon_main began, kept
 * so every test process starts with them rather than with the runner's. */
void cordon__signals_save(void);
/* cordon__signals_for_worker gives a worker the caller's dispositions
 * (SIGCHLD never ignored) and blocks the given set: what it waits for and
 * what it must not die of. Its test processes then have little to undo. */
void cordon__signals_for_worker(const sigset_t *blocked);
/* cordon__signals_prepare works out, in a worker whose own signal set-up
 * is done, what its test processes must change. */
void cordon__signals_prepare(void);
/* cordon__signals_restore gives a new test process the saved dispositions
 * and mask, with SIGALRM at its default and unblocked. */
void cordon__signals_restore(void);
/* cordon__signals_give_back puts back every disposition and the mask the
 * caller had when cordon_main began (SIGPIPE, ignored for the run, too). */
void cordon__signals_give_back(void);
/* cordon__signals_hold blocks SIGINT, SIGTERM and SIGHUP: from the start
 * of cordon_main, so one that comes before the run's handlers exist waits
 * for them rather than killing the runner half set up, and again while the
 * reports are written. _release puts the saved mask back. */
void cordon__signals_hold(void);
void cordon__signals_release(void);

/* ---- coverage.c ---- */

/* cordon__coverage_flush writes gcov counters of this process (no-op in a
 * build without coverage). Async-signal-safe enough for a crash handler. */
void cordon__coverage_flush(void);
/* cordon__coverage_child_init makes a new test process flush its counters
 * when SIGALRM or a crash signal ends it, then die by that signal (no-op,
 * no handler, in a build without coverage). */
void cordon__coverage_child_init(void);

/* ---- leakcheck.c ---- */

/* cordon__leakcheck_linked says a sanitizer runtime is in this binary. */
bool cordon__leakcheck_linked(void);
/* cordon__leakcheck_start notes, in a new test process, what the
 * heap holds before the test runs. */
void cordon__leakcheck_start(void);
/* cordon__leakcheck_run runs LeakSanitizer's check now, in a test
 * process about to _exit(), when the heap grew during the test (no-op
 * without LeakSanitizer). */
void cordon__leakcheck_run(void);

/* ---- engine_tmpdir.c ---- */

/* cordon__engine_tmpdir gives a new test process a fresh TMPDIR of its own
 * under base (TEST_TMPDIR), unless base is NULL. Never fails: on error it
 * says so on stderr and leaves TMPDIR as it was. */
void cordon__engine_tmpdir(const char *base, const struct cordon_impl_test *t);
/* cordon__engine_tmpdir_base is TEST_TMPDIR, NULL when unset or empty: read
 * by the supervisor before it forks, so that a test process does not walk
 * the environment (and fault in the code that does) to learn it. */
const char *cordon__engine_tmpdir_base(void);

#endif /* CORDON_TESTPROC_H */
