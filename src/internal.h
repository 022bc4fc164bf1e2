// SPDX-License-Identifier: MIT
// internal.h — types and prototypes shared by the files of libcordon,
// grouped by the file that owns them. Never included by cordon.h.
//
// Return convention, unless a comment says otherwise: 0 (or a positive
// value) on success, -1 with errno set on failure.
#ifndef CORDON_INTERNAL_H
#define CORDON_INTERNAL_H

#include "cordon.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h> /* _POSIX_TIMERS */

/* Default run settings. */
#define CORDON__DEFAULT_TIMEOUT 10.0
/* The longest timeout, in seconds (about 11.6 days): bounds every
 * conversion of one. */
#define CORDON__MAX_TIMEOUT 1e6
#define CORDON__MAX_MULTIPLIER 1000.0
#define CORDON__KILL_GRACE 1.0
#define CORDON__DEFAULT_OUTPUT_LIMIT (64 * 1024)
#define CORDON__CONSOLE_TAIL_LINES 40
/* Bounds of --retries and --repeat (and .retries). */
#define CORDON__MAX_RETRIES 100
#define CORDON__MAX_REPEAT 1000000

/* ---- util.c ---- */

/* cordon__bug reports an impossible state with file:line and aborts. */
_Noreturn void cordon__bug_at(const char *file, int line, const char *what);
#define cordon__bug(what) cordon__bug_at(__FILE__, __LINE__, what)
/* cordon__usage_error prints "cordon: <message>" on stderr (one line) for
 * a command line or environment the user must change (exit 2). */
void cordon__usage_error(const char *fmt, ...) CORDON_IMPL_PRINTF(1, 2);
/* cordon__error prints the same one line for every other error the user
 * can cause: set-up, resources, writing a report. errno is preserved. */
void cordon__error(const char *fmt, ...) CORDON_IMPL_PRINTF(1, 2);
/* cordon__now returns CLOCK_MONOTONIC in seconds. */
double cordon__now(void);
/* cordon__xmalloc and friends end the runner (exit 2) when memory is out. */
void *cordon__xmalloc(size_t n);
void *cordon__xrealloc(void *p, size_t n);
char *cordon__xstrdup(const char *s);
/* cordon__signal_name returns "SIGSEGV" (or "signal 42"), static storage. */
const char *cordon__signal_name(int sig);
/* cordon__parse_seconds parses a non-negative number of seconds; returns
 * false when text is not one. */
bool cordon__parse_seconds(const char *text, double *out);
/* cordon__parse_count parses a decimal integer in [min, max]. */
bool cordon__parse_count(const char *text, long min, long max, long *out);

/* A growable byte buffer, always NUL-terminated when data is non-NULL.
 * One made by cordon__buf_fixed never allocates: it writes into the
 * storage it was given and cuts what does not fit, so code that runs in a
 * test process (a failed check under a memory limit) cannot end up in an
 * allocator that exits. */
struct cordon__buf {
    char *data;
    size_t len;
    size_t cap;
    bool fixed;
};
void cordon__buf_add(struct cordon__buf *b, const char *s, size_t n);
void cordon__buf_printf(struct cordon__buf *b, const char *fmt, ...)
    CORDON_IMPL_PRINTF(2, 3);
/* cordon__buf_fixed makes b write into storage[0..size), size > 0. */
void cordon__buf_fixed(struct cordon__buf *b, char *storage, size_t size);
/* cordon__buf_release frees what b allocated (nothing for a fixed one). */
void cordon__buf_release(struct cordon__buf *b);

/* ---- check_text.c ---- */

/* cordon__check_value_text appends a check operand's value as it prints
 * in its own type ("41", "0.30000000000000004", "'a' (97)", "true"). */
void cordon__check_value_text(struct cordon__buf *b,
                              const struct cordon_impl_value *v);
/* cordon__check_float_text appends the shortest decimal that reads back
 * as f at the precision of its source type (digits). */
void cordon__check_float_text(struct cordon__buf *b, long double f,
                              int digits);
/* cordon__check_string_text appends s quoted and escaped (NULL as NULL),
 * cut after 256 bytes with "...". */
void cordon__check_string_text(struct cordon__buf *b, const char *s);
/* cordon__check_operand copies the n-th (0-based) top-level comma-separated
 * part of a check's argument text into out, trimmed. */
void cordon__check_operand(const char *args, int n, char *out, size_t size);
/* cordon__check_is_literal says expression text shows its value itself
 * (42, 'a', "abc", 1e-9 printed as 1e-09). */
bool cordon__check_is_literal(const char *text, const char *value);

/* ---- registry.c ---- */

/* cordon__registry_tests returns every registered test in test order (file
 * of first registration, then line) and its count. Returns NULL with *n set
 * to the number of problems printed when two tests share an id. */
struct cordon_impl_test **cordon__registry_tests(size_t *n);
/* The longest test id, "suite/name", in bytes; longer ones are refused at
 * start, so a buffer of CORDON__MAX_ID + 1 always holds an id whole. */
#define CORDON__MAX_ID 511
/* cordon__test_id formats "suite/name" into buf and returns buf. */
const char *cordon__test_id(const struct cordon_impl_test *t, char *buf,
                            size_t size);

/* ---- param.c ---- */

/* cordon__param_cases makes the tests of a TEST_P template: one for each
 * case, named by index or label, in index order (an array of
 * tpl->nparams_, never freed). */
struct cordon_impl_test *cordon__param_cases(const struct cordon_impl_test *tpl);

/* ---- suite.c ---- */

/* cordon__suite_apply gives each of the n tests its SUITE(), if any, and
 * the suite's options where the test left its own unset. Returns the
 * number of problems printed: two SUITE()s of one name that disagree. */
size_t cordon__suite_apply(struct cordon_impl_test **tests, size_t n);

/* ---- config.c ---- */

enum cordon__color { CORDON__COLOR_AUTO, CORDON__COLOR_ALWAYS,
                     CORDON__COLOR_NEVER };

struct cordon__config {
    const char *argv0;
    bool list;
    bool verbose;
    bool no_fork;
    bool fork;        /* --fork: fork even under a debugger */
    bool show_output; /* --show-output, -v: passing tests' output too */
    double slow;      /* --slow: flag a running test SLOW after this many
                         seconds; 0 = half its timeout */
    bool core_dumps;
    long jobs;
    double timeout;
    double timeout_multiplier;
    char **filters; /* fnmatch patterns; a leading '-' excludes */
    size_t nfilters;
    const char *filter_origin; /* "--filter", or the variable that set them */
    char **ids; /* exact ids from --test */
    size_t nids;
    const char *junit_path;
    const char *tap_path;
    long output_limit;
    bool failed_output_only; /* --report-output=failed */
    enum cordon__color color;
    long shard_index; /* 0-based; shard_total 0 = no sharding */
    long shard_total;
    long retries;      /* --retries: extra attempts of a failing test */
    long repeat;       /* --repeat: runs of each test, 1 = once */
    bool shuffle;      /* --shuffle or --seed */
    bool seed_given;   /* --seed: else the run picks one */
    uint64_t seed;
    bool fail_fast;    /* --fail-fast */
    bool run_disabled; /* --run-disabled */
    uint64_t memory_limit; /* bytes per test process, 0 = none */
    bool multiplier_chosen; /* by --timeout-multiplier or its twin */
};

/* cordon__config_parse fills cfg from argv and the CORDON_* environment.
 * Returns -1 after printing a usage error, 1 when the run is over (help,
 * version), 0 to go on. */
int cordon__config_parse(struct cordon__config *cfg, int argc, char **argv);
void cordon__config_free(struct cordon__config *cfg);

/* ---- plan.c ---- */

/* cordon__plan_select keeps the tests cfg selects, in test order. Returns
 * the count, or -1 after printing a usage error (a filter or id that
 * matches nothing). */
long cordon__plan_select(const struct cordon__config *cfg,
                         struct cordon_impl_test **all, size_t n,
                         struct cordon_impl_test ***out);
/* cordon__plan_timeout is the timeout in force for t (0 = none). */
double cordon__plan_timeout(const struct cordon__config *cfg,
                            const struct cordon_impl_test *t);

/* ---- interrupt.c ---- */

/* How long after the first SIGINT, SIGTERM or SIGHUP a write that nobody
 * reads (a stalled stdout, a FIFO) is given up, in seconds. */
#define CORDON__STALL_GRACE 2
/* The signal of the stall timer (a POSIX timer of the runner's own, so
 * the caller's SIGALRM timer is left alone): the last realtime signal but
 * one, or SIGALRM where there are no POSIX timers. */
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
#define CORDON__STALL_SIGNAL (SIGRTMAX - 1)
#else
#define CORDON__STALL_SIGNAL SIGALRM
#endif
/* cordon__interrupt_begin installs the runner's handlers: the interrupting
 * signals (not restarted: they wake a blocked write), SIGALRM for the
 * stall timer and, when children, SIGCHLD. Each signal writes its number
 * into the pipe cordon__interrupt_fd() reads. */
int cordon__interrupt_begin(bool children);
int cordon__interrupt_fd(void);
/* cordon__interrupt_close_fds closes the handlers' descriptors in a forked
 * child that must not keep them. */
void cordon__interrupt_close_fds(void);
/* cordon__interrupt_signal is the first interrupting signal taken, or 0. */
int cordon__interrupt_signal(void);
/* cordon__interrupt_give_up says whether a writer woken from a blocked
 * write (EINTR) should give its output up rather than try again: the stall
 * grace is over, or a second signal came. */
bool cordon__interrupt_give_up(void);
/* cordon__interrupt_lost says whether fd (1 or 2) was given up and now
 * writes into /dev/null. */
bool cordon__interrupt_lost(int fd);
/* cordon__interrupt_inline tells whether a test runs in this process
 * (--no-fork), which a signal must then end when waiting is over. */
void cordon__interrupt_inline(bool running);
/* cordon__interrupt_end restores what cordon__interrupt_begin changed and
 * leaves the interrupting signals held (cordon__coordinator_settle). */
void cordon__interrupt_end(void);

/* ---- spool.c ---- */

/* The spool: one unlinked temporary file per run that holds every text a
 * result carries (reason, failures, the captured excerpts). Workers append
 * to it through a shared end offset and pwrite(); the coordinator reads it
 * with pread() when it prints or writes a report. Memory per test is thus
 * a fixed-size result, whatever the tests print. */
struct cordon__span {
    uint64_t off;
    uint64_t len; /* 0 = no text */
};

struct cordon__spool {
    int fd;
    _Atomic uint64_t *end; /* next free offset, in shared memory */
};

/* cordon__spool_open creates the spool before workers are forked. */
int cordon__spool_open(struct cordon__spool *sp);
void cordon__spool_close(struct cordon__spool *sp);
/* cordon__spool_reserve sets aside n bytes and returns their offset. */
uint64_t cordon__spool_reserve(struct cordon__spool *sp, uint64_t n);
/* cordon__spool_put writes n bytes at off (inside a reservation). */
int cordon__spool_put(const struct cordon__spool *sp, uint64_t off,
                      const void *data, size_t n);
/* cordon__spool_add reserves and writes data in one go; an empty span when
 * n is 0 or the write failed. */
struct cordon__span cordon__spool_add(struct cordon__spool *sp,
                                      const void *data, size_t n);
/* cordon__spool_read appends the span's text to out (NUL-terminated). */
int cordon__spool_read(const struct cordon__spool *sp, struct cordon__span s,
                       struct cordon__buf *out);

/* ---- record.c ---- */

/* The result record a test process writes and its worker reads, in a
 * MAP_SHARED anonymous mapping created before fork, so it survives a test
 * that closes every fd, calls exit() or crashes. Entries are reserved with
 * an atomic counter and published with a ready flag, so checks failing in
 * several threads at once neither tear nor lose each other's text. Marks
 * that decide a verdict carry the pid that wrote them: a helper process the
 * test forked shares the mapping but is not the test. */
#define CORDON__RECORD_ENTRIES 32
#define CORDON__RECORD_TEXT 1024
#define CORDON__TMPDIR_MAX 1024

enum cordon__entry_kind { CORDON__ENTRY_FAILURE = 1, CORDON__ENTRY_SKIP };

struct cordon__record_entry {
    atomic_int ready;
    int kind;
    char text[CORDON__RECORD_TEXT];
};

/* What a test process's crash (or watchdog) handler saw, backtrace.c's:
 * the signal is published last, so a non-zero one means the rest is
 * whole. frames[0] is the interrupted instruction itself, the others are
 * return addresses, all of the test process (whose mappings its worker
 * shares, having forked it). */
#define CORDON__CRASH_FRAMES 48

struct cordon__crash {
    atomic_int taken;  /* the first handler to run claims the record */
    atomic_int signal; /* 0 = nothing captured */
    int code;          /* si_code */
    unsigned nframes;
    uintptr_t addr;    /* si_addr */
    uintptr_t sp;      /* the interrupted stack pointer, 0 = unknown */
    uintptr_t frames[CORDON__CRASH_FRAMES];
};

struct cordon__record {
    atomic_uint reserved;
    atomic_uint dropped;
    atomic_int owner;         /* pid of the test process */
    atomic_int body_finished; /* pid that finished setup, body, teardown */
    atomic_int ended_by_assert;
    atomic_llong started_ns;  /* the test process's own clock */
    atomic_llong ended_ns;    /* written by it just before _exit */
    /* The last check that passed: a pointer to its __FILE__ (static
     * storage of the test binary) and its line, stored by check.c. */
    atomic_uintptr_t checkpoint_file;
    atomic_int checkpoint_line;
    struct cordon__crash crash;
    struct cordon__record_entry entries[CORDON__RECORD_ENTRIES];
    char tmpdir[CORDON__TMPDIR_MAX]; /* the test's cordon_tmpdir(), "" = none */
    atomic_uint teardown_from; /* 1 + the entries reserved when the test's
                                  teardown began; 0 = it did not begin */
};

/* cordon__record_map maps one shared record; NULL on failure. */
struct cordon__record *cordon__record_map(void);
void cordon__record_unmap(struct cordon__record *r);
/* cordon__record_reset clears r before a test uses it. */
void cordon__record_reset(struct cordon__record *r);
/* cordon__record_current is the record of the test running in this
 * process (NULL in the runner). */
extern struct cordon__record *cordon__record_current;
/* cordon__record_add appends one entry; text longer than an entry is
 * truncated with a "[...]" mark, entries past the last are counted. */
void cordon__record_add(struct cordon__record *r, enum cordon__entry_kind kind,
                        const char *text);
/* cordon__record_count counts published entries of a kind. */
unsigned cordon__record_count(const struct cordon__record *r,
                              enum cordon__entry_kind kind);
/* cordon__record_first returns the first published entry of a kind; the
 * text is NUL-terminated within the entry whatever the test wrote. */
const char *cordon__record_first(const struct cordon__record *r,
                                 enum cordon__entry_kind kind);
/* cordon__record_text returns entry i's text, bounded like _first. */
const char *cordon__record_text(const struct cordon__record *r, size_t i);
/* cordon__record_teardown marks, for the test's own process, that its
 * teardown begins now: later entries and a crash are the teardown's. */
void cordon__record_teardown(struct cordon__record *r);
/* cordon__record_stamp stores CLOCK_MONOTONIC in ns into *at. */
void cordon__record_stamp(atomic_llong *at);

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
 * for under AddressSanitizer, where it is ignored. */
void cordon__limits_warn(const struct cordon__config *cfg,
                         struct cordon_impl_test *const *tests, size_t n);
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
    atomic_int *lane_pid; /* where the coordinator looks for its pid */
    struct cordon__limits limits; /* set in the test process */
    /* The supervisor's shared memory (the board, the spool's end), unmapped
     * in the test process once it has published its pid: nothing a test
     * writes can reach them. NULL = none. */
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
 * no part of the test it was forked from: checks print their failures on
 * stderr, and an ASSERT_/FAIL/SKIP ends it with exit status 1. */
void cordon__child_detach(void);
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
/* cordon__backtrace_child_init completes them in a new test process: the
 * watchdog's SIGALRM gets one too, and expected (the signal the test
 * expects to die by, 0 = none) gets back what it had. */
void cordon__backtrace_child_init(int expected);

/* ---- symbolize.c ---- */

/* cordon__symbolize appends the frames of a crash captured in this
 * process's address space (a test process's worker shares its mappings)
 * to out, one line each: "#0 function at file:line", or "function+0x1f in
 * module", or "module+0x2a1c0". It stops after the first frame in one of
 * the stops functions (a test's body, setup, teardown: cordon's own
 * frames below are not shown). Function names, static ones included, and
 * file:line come from the binary's debug information through libdw,
 * loaded with dlopen() on first use; without it only exported names, and
 * a last line in parentheses says so and why. */
void cordon__symbolize(const struct cordon__crash *c,
                       const uintptr_t *stops, size_t nstops,
                       struct cordon__buf *out);
/* cordon__symbolize_address writes "0x0 (NULL pointer)" or "0x7f..."
 * with what si_code and the stack pointer sp (0 = unknown) say about it,
 * for SIGSEGV and SIGBUS. */
void cordon__symbolize_address(int sig, int code, uintptr_t addr,
                               uintptr_t sp, char *out, size_t size);
/* cordon__symbolize_file copies the text at p, a __FILE__ the test process
 * stored, when it lies in an object mapped here; false when it does not
 * (the test loaded it after the fork, or p is garbage). */
bool cordon__symbolize_file(uintptr_t p, char *out, size_t size);
struct cordon__result;
/* cordon__symbolize_result adds, to the result of a test that crashed,
 * timed out or exited early, the last check it passed and the frames its
 * handler captured, symbolised, into the spool. */
void cordon__symbolize_result(struct cordon__result *r,
                              const struct cordon__record *rec,
                              struct cordon__spool *sp);

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

/* ---- platform_linux.c / platform_posix.c ---- */

/* cordon__platform_child_init does what only some systems can for a new
 * test process (on Linux: die with its worker). Never fails. */
void cordon__platform_child_init(void);
/* cordon__platform_worker_init makes a worker the reaper of everything its
 * tests leave behind, and makes it die with the coordinator, where the
 * system can (Linux: PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG). Returns
 * whether orphans are re-parented to the worker. */
bool cordon__platform_worker_init(void);
/* cordon__platform_children_open opens what _children reads (-1 when
 * there is nothing to open: it then falls back, or knows nothing). */
int cordon__platform_children_open(void);
/* cordon__platform_children lists up to max children of this process,
 * zombies included, into pids and returns how many there are (0 where the
 * system cannot tell). fd is from _children_open. */
size_t cordon__platform_children(int fd, pid_t *pids, size_t max);
/* cordon__platform_reaper_begin makes the coordinator a reaper of orphans
 * for the run, where the system can (Linux: PR_SET_CHILD_SUBREAPER);
 * false where it cannot. _end gives back what it had before. */
bool cordon__platform_reaper_begin(void);
void cordon__platform_reaper_end(void);

/* ---- sanitizer.c ---- */

/* The first sanitizer report in a test's stderr. */
struct cordon__sanitizer_report {
    bool found;
    bool leak;       /* LeakSanitizer's */
    uint64_t offset; /* where its header line starts in the stream */
    char tool[32];   /* "AddressSanitizer" */
    /* "AddressSanitizer: heap-buffer-overflow (/src/t.c:12 in f)",
     * "LeakSanitizer: detected memory leaks (24 bytes in 1 allocation)" */
    char what[400];
};

/* cordon__sanitizer_linked says a sanitizer runtime is in this binary. */
bool cordon__sanitizer_linked(void);
/* cordon__sanitizer_child_start notes, in a new test process, what the
 * heap holds before the test runs. */
void cordon__sanitizer_child_start(void);
/* cordon__sanitizer_leak_check runs LeakSanitizer's check now, in a test
 * process about to _exit(), when the heap grew during the test (no-op
 * without LeakSanitizer). */
void cordon__sanitizer_leak_check(void);
/* cordon__sanitizer_scan finds the first report in the capture file fd
 * (rep->found false: none, or no sanitizer runtime is linked). */
int cordon__sanitizer_scan(int fd, struct cordon__sanitizer_report *rep);
/* cordon__sanitizer_parse is the scan itself, whatever is linked. */
int cordon__sanitizer_parse(int fd, struct cordon__sanitizer_report *rep);

/* ---- debugger.c ---- */

/* cordon__debugger_attached says a debugger traces this process. */
bool cordon__debugger_attached(void);
/* cordon__debugger_adjust turns on --no-fork under a debugger, unless
 * --fork was given, and says so once on stderr. */
void cordon__debugger_adjust(struct cordon__config *cfg);

/* ---- valgrind.c ---- */

/* cordon__valgrind_running says this process runs under valgrind. */
bool cordon__valgrind_running(void);
/* cordon__valgrind_adjust scales cfg's timeouts under valgrind (unless
 * CORDON_TIMEOUT_MULTIPLIER chose a scale) and says so once on stderr. */
void cordon__valgrind_adjust(struct cordon__config *cfg);

/* ---- sweep.c ---- */

/* What a sweep may do and what it found. */
struct cordon__sweep {
    bool reaper;       /* orphans are re-parented to this process */
    int children_fd;   /* from cordon__platform_children_open */
    const pid_t *keep; /* children to leave running (a suite's fixture
                          processes), NULL = none */
    size_t nkeep;
    unsigned left;     /* out: processes found still running, all killed */
    bool unfound;      /* out: children are left that could not be listed
                          (no /proc): given up after CORDON__SWEEP_LIMIT */
};
/* How long a sweep waits for children it cannot list, in seconds. */
#define CORDON__SWEEP_LIMIT 1.0
/* cordon__sweep ends contained process pid (a child of this process, in a
 * group of its own) and what it left behind: SIGKILL to its group, reap
 * it into *status, and, when this process is a reaper of orphans, kill
 * and reap every child re-parented here but those s->keep names. Never
 * waits longer than CORDON__SWEEP_LIMIT for what it cannot list. */
void cordon__sweep(pid_t pid, int *status, struct cordon__sweep *s);
/* cordon__sweep_strays kills and reaps every child of this process that
 * is none of the nkeep in keep (the workers, the caller's own children),
 * where children can be listed; returns how many it killed. */
unsigned cordon__sweep_strays(const pid_t *keep, size_t nkeep);

/* ---- slot.c, worker.c, holder.c: one job slot ---- */

struct cordon__board;
struct cordon__lane;
struct cordon__message;
struct cordon__run;

/* How long a supervisor (worker, suite holder, isolate keeper) may stay
 * stopped (its test sent it SIGSTOP) before it is taken for lost. */
#define CORDON__STOP_LIMIT 2.0

/* A job slot as the process supervising it (a worker, or a suite holder
 * forked from it) holds it. */
struct cordon__slot {
    struct cordon__run *run;
    struct cordon__board *board;
    struct cordon__lane *lane;
    int fd;          /* result pipe */
    int out_fd;      /* capture files (on stdout and stderr) */
    int err_fd;
    int null_fd;
    int children_fd; /* platform_children's file */
    bool subreaper;
    struct cordon__record *record;
    sigset_t waitset; /* SIGCHLD, SIGTERM: blocked, taken by sigtimedwait */
    sigset_t blocked; /* everything the slot's process blocks */
    const pid_t *keep; /* a suite holder's fixture processes */
    size_t nkeep;
    bool retire;     /* a sweep could not find everything: the process ends
                        after its result, its strays with it */
};

/* cordon__slot_take claims the next test in execution order for this
 * slot and publishes it in its lane in one step (a worker that dies
 * between the two leaves a claim the coordinator can see); false when
 * none is left or the run stops. */
bool cordon__slot_take(struct cordon__slot *s, size_t *index);
/* cordon__slot_run runs test index as often as the run asks (retry.c),
 * sends its result and clears the lane; false when no process could be
 * started with nothing else running (the run cannot go on). */
bool cordon__slot_run(struct cordon__slot *s, size_t index);
/* cordon__slot_send sends one message whole; a slot whose coordinator is
 * gone ends. */
void cordon__slot_send(const struct cordon__slot *s,
                       const struct cordon__message *m);
/* cordon__slot_wait sleeps until SIGCHLD or SIGTERM, or until at (-1 =
 * no limit). */
void cordon__slot_wait(const struct cordon__slot *s, double at);
/* cordon__slot_leave ends the slot's process (coverage flushed). */
_Noreturn void cordon__slot_leave(int status);
/* cordon__slot_stopped tracks child pid's stops: *since is when it was
 * first seen stopped (0 = running); a continued child clears it. */
void cordon__slot_stopped(pid_t pid, double *since);

/* A suite whose .once did not let its tests run, and what they get. */
struct cordon__once_verdict {
    enum cordon_outcome outcome;
    int signal;
    char reason[512];
};

/* cordon__holder_run runs test index, the first of a run of suite s's
 * tests, in a new suite holder, which runs s's once and then the suite's
 * tests as the board hands them out. Returns 1 when once let them run
 * (*handoff: the next test to run here, another suite's, -1 = none), 0
 * when it did not (*verdict says what the suite's tests get; index's
 * result is sent), -1 when the run cannot go on. */
int cordon__holder_run(struct cordon__slot *w,
                       const struct cordon_impl_suite *s, size_t index,
                       long *handoff, struct cordon__once_verdict *verdict);

/* ---- isolate.c ---- */

/* The default time limit of an isolated call, in seconds. */
#define CORDON__ISOLATE_TIMEOUT 10.0

/* ---- outcome.c ---- */

/* Which tool's finding a verdict rests on. */
enum cordon__tool {
    CORDON__TOOL_NONE,
    CORDON__TOOL_SANITIZER, /* a report in the test's stderr */
    CORDON__TOOL_VALGRIND,  /* valgrind's --error-exitcode */
};

/* Everything known about how one test process ended. */
struct cordon__ending {
    bool signaled;     /* killed by a signal (WIFSIGNALED) */
    int signal;        /* WTERMSIG when signaled */
    bool exited;       /* ended through exit (WIFEXITED) */
    int status;        /* WEXITSTATUS when exited */
    bool finished;     /* its own process finished setup, body, teardown */
    bool killed;       /* its worker SIGKILLed it at the deadline */
    double seconds;    /* its run time */
    double timeout;    /* seconds in force, 0 = none */
    bool interrupted;  /* the run was interrupted while it ran */
    unsigned left_running; /* processes it left behind (all killed) */
    bool left_unfound; /* it left processes that could not be listed */
    int lost_worker;   /* its worker died (the signal, or -1 when it stopped
                          answering and was killed, or CORDON__LOST_EXIT
                          when it exited); 0 = no */
    int lost_status;   /* the worker's exit status, for CORDON__LOST_EXIT */
    bool valgrind;     /* it ran under valgrind */
    const struct cordon__sanitizer_report *sanitizer; /* NULL = none */
    struct cordon__limits limits; /* the resource limits it ran under */
};

/* ending.lost_worker for a supervisor that exited rather than died. */
#define CORDON__LOST_EXIT (-2)

/* Why a test has no process to judge. */
enum cordon__unrun {
    CORDON__UNRUN_DISABLED,    /* .disabled */
    CORDON__UNRUN_INTERRUPTED, /* the run was interrupted first */
    CORDON__UNRUN_NO_PROCESS,  /* no process could be started for it */
    CORDON__UNRUN_FAIL_FAST,   /* --fail-fast after another test failed */
    CORDON__UNRUN_LOST,        /* its worker died after taking it, before
                                  starting it (a CRASH: it fails the run) */
};

/* cordon__ending_from_status fills in how a process ended from its wait
 * status (signaled, signal, exited, status). */
void cordon__ending_from_status(struct cordon__ending *e, int status);

/* cordon__outcome_classify turns an ending, the record and the test's
 * expectations into an outcome and a one-line reason (written to reason).
 * Pure: no I/O, no globals. */
enum cordon_outcome cordon__outcome_classify(const struct cordon__ending *e,
                                             const struct cordon__record *rec,
                                             const struct cordon_test_options *o,
                                             char *reason, size_t size);
/* cordon__outcome_unrun is the outcome and reason of a test not run. */
enum cordon_outcome cordon__outcome_unrun(enum cordon__unrun why,
                                          char *reason, size_t size);
/* cordon__outcome_tool says which tool's finding the verdict of an ending
 * rests on (CORDON__TOOL_NONE: cordon's own). */
enum cordon__tool cordon__outcome_tool(const struct cordon__ending *e,
                                       const struct cordon_test_options *o);
/* cordon__outcome_needs_fork says a test cannot run in-process (--no-fork)
 * because it expects to die, and writes the reason it is skipped. */
bool cordon__outcome_needs_fork(const struct cordon_test_options *o,
                                char *reason, size_t size);
/* cordon__outcome_fail_fast is the outcome and reason of a test --fail-fast
 * did not start because test id failed. */
enum cordon_outcome cordon__outcome_fail_fast(const char *id, char *reason,
                                              size_t size);
/* cordon__outcome_once turns how a suite holder that ran a SUITE()'s
 * .once ended, before the once returned, into the outcome and reason
 * every test of the suite then gets ("suite setup once() crashed: ...").
 * Pure, like _classify. */
enum cordon_outcome cordon__outcome_once(const struct cordon__ending *e,
                                         const struct cordon__record *rec,
                                         char *reason, size_t size);
/* cordon__outcome_word is "PASS", "FAIL", ... */
const char *cordon__outcome_word(enum cordon_outcome o);
/* cordon__outcome_failed says whether o counts as failed in the summary. */
bool cordon__outcome_failed(enum cordon_outcome o);

/* ---- capture.c ---- */

/* Captured output of one stream, in the spool: the whole of it when it
 * fits the limit, else the first and last halves with an omission marker
 * between them. */
struct cordon__stream {
    struct cordon__span span;
    uint64_t total;   /* bytes the test printed */
    uint64_t omitted; /* bytes left out of span */
    bool report;        /* a sanitizer report starts in span ... */
    uint64_t report_at; /* ... this many bytes in */
};

/* cordon__capture_open makes an unlinked temporary file in $TEST_TMPDIR,
 * $TMPDIR or /tmp and returns its fd (close-on-exec). */
int cordon__capture_open(void);
/* cordon__capture_dir is the directory capture_open uses; *origin gets
 * the variable that named it ("TEST_TMPDIR", "TMPDIR") or "the default". */
const char *cordon__capture_dir(const char **origin);
/* cordon__capture_spool copies what a finished test wrote to fd into the
 * spool (capped at limit bytes, 0 = no cap), in fixed-size pieces, then
 * empties the file for reuse. */
int cordon__capture_spool(int fd, uint64_t limit, struct cordon__spool *sp,
                          struct cordon__stream *s);
/* cordon__capture_spool_from is cordon__capture_spool for a stream in
 * which a sanitizer report starts at offset from (UINT64_MAX = none): the
 * report is kept from its header on even where the cap would cut it. */
int cordon__capture_spool_from(int fd, uint64_t limit, uint64_t from,
                               struct cordon__spool *sp,
                               struct cordon__stream *s);
/* cordon__capture_discard empties fd for reuse without reading it. */
int cordon__capture_discard(int fd);

/* ---- result.c ---- */

/* One test's result as every report reads it. Fixed size: its texts live
 * in the spool. Built whole by cordon__result_build (or _unrun) next to
 * the test, sent to the coordinator as it is, and only read after. */
struct cordon__result {
    const struct cordon_impl_test *test;
    enum cordon_outcome outcome;
    double seconds;
    double timeout;
    int signal;      /* terminating signal, 0 = none */
    int exit_status; /* exit status, -1 = did not exit */
    unsigned nfailures;
    unsigned dropped_failures;
    struct cordon__span reason;   /* one line */
    struct cordon__span failures; /* one failure per line */
    struct cordon__stream out;
    struct cordon__stream err;
    enum cordon__tool found_by; /* the tool whose finding decided it */
    double running_since; /* while it runs: when its worker started it
                             (cordon__now), for the live display */
    /* Where a test that did not pass was: the last passed check
     * ("file:line"), and for a crash or timeout caught by its handler the
     * frames, one per line (cordon__symbolize). */
    struct cordon__span checkpoint;
    struct cordon__span backtrace;
    uint64_t fault_addr; /* si_addr of a SIGSEGV or SIGBUS */
    uint64_t fault_sp;   /* the stack pointer then, 0 = unknown */
    int fault_code;      /* its si_code; fault_signal 0 = no address */
    int fault_signal;
    bool started;
    bool done;
    unsigned attempt;     /* attempt of its repetition that gave it, from 1
                             (0 = not run) */
    unsigned attempts;    /* attempts each repetition may take: 1 + retries */
    unsigned repetition;  /* repetition that gave it, from 1 */
    unsigned repetitions; /* runs the run asked for (--repeat) */
    unsigned ntries;      /* earlier failed attempts, kept in tries */
    struct cordon__span tries; /* their results: struct cordon__result each,
                                  in the order they ran */
    struct cordon__span tmpdir; /* its cordon_tmpdir(), kept as it failed */
};

/* The capture files a finished test wrote its stdout and stderr to. */
struct cordon__output {
    int out_fd;
    int err_fd;
};

struct cordon__run;

/* cordon__result_build fills r from a finished test's ending and record:
 * classifies it, and puts its texts in the run's spool, with its output
 * when the run keeps it (out may be NULL: no output was captured). The
 * capture files are emptied for the next test either way. */
void cordon__result_build(struct cordon__result *r,
                          const struct cordon_impl_test *t,
                          const struct cordon__ending *e,
                          const struct cordon__record *rec,
                          const struct cordon__output *out,
                          struct cordon__run *run);
/* cordon__result_skip fills r for a test skipped before it ran, with the
 * reason outcome.c gave (cordon__outcome_needs_fork). */
void cordon__result_skip(struct cordon__result *r,
                         const struct cordon_impl_test *t, const char *reason,
                         struct cordon__spool *sp);
/* cordon__result_unrun fills r for a test that got no process. */
void cordon__result_unrun(struct cordon__result *r,
                          const struct cordon_impl_test *t,
                          enum cordon__unrun why, struct cordon__spool *sp);
/* cordon__result_verdict fills r for a test judged without a process of
 * its own: outcome, reason and the signal that says it (0 = none). */
void cordon__result_verdict(struct cordon__result *r,
                            const struct cordon_impl_test *t,
                            enum cordon_outcome o, int signal,
                            const char *reason, struct cordon__spool *sp);
/* cordon__result_lost fills r for a test whose supervisor (worker or
 * suite holder) died while it had it: lost is the signal that ended the
 * supervisor, or -1 when it was stopped and killed, or CORDON__LOST_EXIT
 * - status for one that exited with status; started says the test
 * had a process; since is when the supervisor took it (cordon__now). */
void cordon__result_lost(struct cordon__result *r,
                         const struct cordon_impl_test *t, int lost,
                         bool started, double since, struct cordon__run *run);
/* cordon__result_fail_fast fills r for a test --fail-fast did not start
 * because failed had failed. */
void cordon__result_fail_fast(struct cordon__result *r,
                              const struct cordon_impl_test *t,
                              const struct cordon_impl_test *failed,
                              struct cordon__spool *sp);

/* ---- the run (coordinator.c, worker.c) ---- */

struct cordon__run {
    const struct cordon__config *cfg;
    struct cordon_impl_test **tests; /* planned, in test order */
    struct cordon__result *results;  /* results[i] is tests[i]'s */
    size_t n;
    struct cordon__spool spool;
    int interrupt_signal; /* 0, or the signal that interrupted the run */
    double seconds;       /* wall time of the whole run */
    double started_at;    /* time(NULL) when the run began, for reports */
    size_t *order;        /* execution order (indexes), NULL = test order */
    atomic_long *first_failed; /* --fail-fast: 1 + index of the first test
                                  that failed, 0 = none (shared) */
};

/* cordon__run_text appends the spooled text of a span to out; out is
 * emptied first and always holds a string afterwards. */
void cordon__run_text(const struct cordon__run *run, struct cordon__span s,
                      struct cordon__buf *out);
/* The bytes of spooled text cordon__run_pieces reads at a time. */
#define CORDON__PIECE 65536
/* cordon__run_pieces hands the spooled text of a span to piece(), already
 * sanitised, a piece of at most about 128 KiB at a time: a text of any size
 * (--output-limit 0) is never held whole. Pieces end on a line break where
 * the text has one. Returns how many pieces there were. */
size_t cordon__run_pieces(const struct cordon__run *run, struct cordon__span s,
                          void (*piece)(void *arg, const char *clean,
                                        size_t len),
                          void *arg);

/* What the coordinator tells as the run goes: result() in test order, as
 * soon as a result and all before it are done; progress() (may be NULL)
 * after each wake-up, with how many results have been handed on. */
struct cordon__observer {
    void (*result)(void *arg, const struct cordon__run *run, size_t index);
    void (*progress)(void *arg, const struct cordon__run *run, size_t done);
    void *arg;
    double tick; /* wake at least this often, in seconds (0 = default) */
};

/* The board: what the coordinator and its workers share, in a MAP_SHARED
 * mapping made before the workers are forked. Workers take the next test
 * from it themselves, so a coordinator that is busy or stopped never holds
 * a test back; each lane says what one worker is running, so the
 * coordinator can report the test of a worker that died. */
struct cordon__lane {
    atomic_long claim;      /* execution position of the last claim */
    atomic_long index;      /* test running, -1 = none */
    atomic_int pid;         /* its process, 0 = not started yet,
                               -1 = ended, its result being sent */
    atomic_llong since_ns;  /* when the worker started it */
    atomic_int once_done;   /* its suite holder has run the suite's once */
    atomic_long handoff;    /* 1 + the test a suite holder took but left to
                               its worker (another suite's), 0 = none */
};

struct cordon__board {
    atomic_long next;    /* next test to hand out */
    atomic_int stop;     /* 0 run, 1 interrupted (grace), 2 kill now */
    atomic_int fatal;    /* errno of a fork that failed with nothing running */
    atomic_long first_failed; /* see cordon__run */
    size_t nlanes;
    struct cordon__lane lanes[];
};

/* What a worker sends the coordinator for each test, whole in one write
 * (smaller than PIPE_BUF, so writes of several workers never interleave). */
enum cordon__message_kind {
    CORDON__MESSAGE_RESULT = 1,   /* result of test index */
    CORDON__MESSAGE_SETUP_FAILED, /* the worker could not set up (error) */
};

struct cordon__message {
    int kind;
    int error;
    long index;
    struct cordon__result result;
};

/* cordon__board_map maps a board of nlanes lanes, all idle; NULL on
 * failure. _unmap takes it away (NULL: nothing). */
struct cordon__board *cordon__board_map(size_t nlanes);
void cordon__board_unmap(struct cordon__board *b);
/* cordon__board_size is the bytes a board of nlanes lanes maps. */
size_t cordon__board_size(size_t nlanes);
/* cordon__board_running counts the lanes whose test process runs. */
int cordon__board_running(const struct cordon__board *b);

/* worker.c: cordon__worker_main runs tests from the board until none is
 * left or the run stops, sending each result on fd; never returns. */
_Noreturn void cordon__worker_main(struct cordon__run *run,
                                   struct cordon__board *board, size_t lane,
                                   int fd);

/* cordon__coordinator_run runs every planned test on up to cfg->jobs
 * workers. Returns 0, or -1 after printing a set-up error (the results
 * of what ran are still complete: tests not run are skipped). */
int cordon__coordinator_run(struct cordon__run *run,
                            const struct cordon__observer *obs);
/* inline.c: cordon__inline_run runs every planned test in this process
 * (--no-fork). Returns 0, or -1 when it could not start. */
int cordon__inline_run(struct cordon__run *run,
                       const struct cordon__observer *obs);
/* cordon__coordinator_settle ends the hold the coordinator keeps on
 * SIGINT, SIGTERM and SIGHUP after the run, once the reports are written;
 * one that arrived meanwhile becomes run->interrupt_signal (when none
 * had). */
void cordon__coordinator_settle(struct cordon__run *run);

/* ---- retry.c ---- */

/* cordon__attempt_fn runs one attempt of test index into r (a result built
 * whole, or one for a test not run). Returns false when the run cannot go
 * on (no process could be started with nothing else running). */
typedef bool (*cordon__attempt_fn)(void *arg, size_t index,
                                   struct cordon__result *r);
/* cordon__retry_test runs test index as the run asks: each of --repeat
 * repetitions, and each failed attempt again up to the test's retries,
 * stopping at the first repetition that fails for good. r gets the result
 * that decides the test, numbered, with the earlier failed attempts in
 * the spool. With --fail-fast, a failed test stops the run from starting
 * others. Returns attempt's false. */
bool cordon__retry_test(struct cordon__run *run, size_t index,
                        cordon__attempt_fn attempt, void *arg,
                        struct cordon__result *r);
/* cordon__retry_skip fills r for a test not to be run at all: disabled,
 * or --fail-fast after a failure; false when it is to run. */
bool cordon__retry_skip(struct cordon__run *run, size_t index,
                        struct cordon__result *r);
/* cordon__retry_note makes test index, whose result is r, the failure
 * --fail-fast stops after, when it failed and none failed before it. */
void cordon__retry_note(struct cordon__run *run, size_t index,
                        const struct cordon__result *r);
/* cordon__retry_tries reads the earlier failed attempts of r into a new
 * array (free() it) and returns it, with their count in *n. */
struct cordon__result *cordon__retry_tries(const struct cordon__run *run,
                                           const struct cordon__result *r,
                                           size_t *n);
/* cordon__retry_flaky says r passed after failed attempts. */
bool cordon__retry_flaky(const struct cordon__result *r);
/* cordon__retry_label writes "attempt 2 of 3", "repetition 4 of 5" or
 * both ("repetition 4 of 5, attempt 2 of 3") for r; "" for a result of a
 * plain run. */
void cordon__retry_label(const struct cordon__result *r, char *buf,
                         size_t size);

/* cordon__retry_summary writes what the runs of r came to, for a test
 * that ran more than once: "passed on attempt 2 of 3", "failed on
 * repetition 3 of 5", "passed 5 repetitions"...; "" when there is
 * nothing to say. */
void cordon__retry_summary(const struct cordon__result *r, char *buf,
                           size_t size);

/* ---- shuffle.c ---- */

/* cordon__shuffle_seed is a fresh seed for a run that was given none. */
uint64_t cordon__shuffle_seed(void);
/* cordon__shuffle_order returns a permutation of 0..n-1 drawn from seed
 * (the same for the same seed and n, on every system). */
size_t *cordon__shuffle_order(size_t n, uint64_t seed);

/* ---- report_console.c ---- */

struct cordon__console;
struct cordon__console *cordon__console_open(const struct cordon__config *cfg,
                                             FILE *f, size_t total);
/* cordon__console_result prints one result (an observer's result()). */
void cordon__console_result(void *console, const struct cordon__run *run,
                            size_t index);
/* cordon__console_progress redraws the live line (terminals only). */
void cordon__console_progress(void *console, const struct cordon__run *run,
                              size_t done);
void cordon__console_summary(struct cordon__console *c,
                             const struct cordon__run *run);
/* cordon__console_seed says, before any result, the seed of a shuffled
 * run and how to run that order again. */
void cordon__console_seed(struct cordon__console *c, uint64_t seed);
void cordon__console_close(struct cordon__console *c);

/* cordon__console_tick is how often the console wants progress() called:
 * a few times a second while it shows a live display, else 0. */
double cordon__console_tick(const struct cordon__console *c);

/* ---- display.c ---- */

struct cordon__display;
/* cordon__display_open makes the live display for terminal f. */
struct cordon__display *cordon__display_open(const struct cordon__config *cfg,
                                             FILE *f, bool color);
/* cordon__display_draw redraws it: the results finished of run->n (done
 * of them, the first, already reported), the failures among them, and
 * every running test with its time. */
void cordon__display_draw(struct cordon__display *d,
                          const struct cordon__run *run, size_t done);
/* cordon__display_erase removes it from the screen (NULL: no-op). */
void cordon__display_erase(struct cordon__display *d);
void cordon__display_close(struct cordon__display *d);

/* ---- recap.c ---- */

/* cordon__recap_hints prints, under a test that did not pass, the command
 * that reruns it alone ("rerun: ./t --test suite/name") and for a crash
 * the same under gdb ("debug: gdb --args ..."). */
void cordon__recap_hints(FILE *f, const char *argv0,
                         const struct cordon__result *r);
/* cordon__recap_print lists every test of the run that did not pass (of
 * failed in all), with its outcome and reason, in test order. */
void cordon__recap_print(FILE *f, const struct cordon__run *run,
                         size_t failed);

/* ---- sanitize.c ---- */

/* cordon__sanitize appends in[0..n) to out as valid UTF-8 with only
 * characters legal in XML 1.0: ANSI escape sequences dropped, every other
 * unfit byte written as the four characters \xNN. */
void cordon__sanitize(const char *in, size_t n, struct cordon__buf *out);
/* cordon__sanitize_cut returns how much of in[0..n), which more bytes
 * follow, to sanitise now so that sanitising piece by piece gives what
 * sanitising the whole would: up to the last line break, or else short of
 * an escape sequence (of up to 64 bytes) or UTF-8 character the end may
 * split. 0 means none of it yet: read on. */
size_t cordon__sanitize_cut(const char *in, size_t n);

/* ---- sink.c ---- */

/* Where a report streams to: a descriptor behind a fixed buffer that keeps
 * the first write error (an errno value) and writes nothing after it, so a
 * reporter writes on and looks once, at the end. The descriptor is not the
 * sink's: it neither syncs nor closes it. */
struct cordon__sink {
    int fd;
    int err;    /* errno of the first failed write, 0 = none */
    size_t len; /* bytes waiting in buf */
    char buf[64 * 1024];
};
void cordon__sink_init(struct cordon__sink *s, int fd);
void cordon__sink_add(struct cordon__sink *s, const char *data, size_t n);
void cordon__sink_printf(struct cordon__sink *s, const char *fmt, ...)
    CORDON_IMPL_PRINTF(2, 3);
/* cordon__sink_flush writes out what is buffered; -1 with errno set to the
 * first error the sink met. */
int cordon__sink_flush(struct cordon__sink *s);

/* ---- report_junit.c, report_tap.c ---- */

/* Each writes the whole report of a finished (or interrupted) run into
 * out, in test order, streaming: only one test's texts are in memory at a
 * time. Returns 0, or -1 with errno set (out's write error, or ENOMEM);
 * what was written by then stays written, so the caller discards it. */
int cordon__report_junit(const struct cordon__run *run,
                         struct cordon__sink *out);
int cordon__report_tap(const struct cordon__run *run,
                       struct cordon__sink *out);
/* cordon__report_junit_prepare loads what the JUnit report is written with
 * (libxml2, see libxml.h) before its destination is touched: NULL when
 * ready, else a one-line reason ending in its fix (static storage). */
const char *cordon__report_junit_prepare(void);

/* ---- reports.c ---- */

/* cordon__reports_check makes sure every requested report can be written,
 * before any test runs; -1 after printing a usage error. */
int cordon__reports_check(const struct cordon__config *cfg);
/* cordon__reports_own_stdout says a report streams to stdout (--tap - or
 * --junit -), so the console goes to stderr. */
bool cordon__reports_own_stdout(const struct cordon__config *cfg);
/* cordon__reports_write writes every requested report atomically; -1 after
 * printing an error (the previous file, if any, is left in place). */
int cordon__reports_write(const struct cordon__run *run);

/* ---- testenv.c ---- */

/* cordon__testenv_apply folds the Bazel/GoogleTest test-protocol variables
 * into cfg (the command line wins); -1 after printing a usage error. */
int cordon__testenv_apply(struct cordon__config *cfg);
/* cordon__testenv_finish marks a clean finish for the protocol. */
void cordon__testenv_finish(const struct cordon__config *cfg);
/* cordon__testenv_scrub takes out of this process's environment, which
 * its test processes inherit, every variable that steers a run (CORDON_*,
 * the test protocols' XML_OUTPUT_FILE, TEST_SHARD_INDEX, ...): a cordon
 * binary that a test runs is a run of its own, and never writes the outer
 * run's reports. TEST_TMPDIR and TMPDIR stay. */
void cordon__testenv_scrub(void);
/* cordon__testenv_child gives a new test process a fresh TMPDIR of its own
 * under $TEST_TMPDIR, when that is set. Never fails: on error it says so
 * on stderr and leaves TMPDIR as it was. */
void cordon__testenv_child(const struct cordon_impl_test *t);

/* ---- tmpdir.c ---- */

/* cordon__tmpdir_settle removes the directory rec names, or keeps it
 * when r failed, putting its path in r. */
void cordon__tmpdir_settle(struct cordon__record *rec,
                           struct cordon__result *r,
                           struct cordon__spool *sp);

/* ---- coverage.c ---- */

/* cordon__coverage_flush writes gcov counters of this process (no-op in a
 * build without coverage). Async-signal-safe enough for a crash handler. */
void cordon__coverage_flush(void);
/* cordon__coverage_child_init makes a new test process flush its counters
 * when SIGALRM or a crash signal ends it, then die by that signal (no-op,
 * no handler, in a build without coverage). */
void cordon__coverage_child_init(void);

/* ---- summary (report.c) ---- */

struct cordon__counts {
    size_t total;
    size_t by_outcome[CORDON_OUTCOME_ERROR + 1];
    size_t passed;
    size_t failed;
    size_t skipped;
    double seconds;
    size_t flaky; /* passed after failed attempts (counted as passed) */
};
/* cordon__report_address writes the faulting address of r and what it is
 * ("0x0 (NULL pointer)") into out; false when r has none. */
bool cordon__report_address(const struct cordon__result *r, char *out,
                            size_t size);
/* cordon__report_crash appends where a test that did not pass was, one
 * item a line, to out: "address 0x0 (NULL pointer)", "last check passed:
 * file:line", "backtrace:" and its frames indented by two; nothing when
 * nothing is known. Console and JUnit show it so. */
void cordon__report_crash(const struct cordon__run *run,
                          const struct cordon__result *r,
                          struct cordon__buf *out);
/* cordon__counts_add counts one result; cordon__counts_of a whole run.
 * Console, JUnit (per suite too) and TAP all count through these. */
void cordon__counts_add(struct cordon__counts *c,
                        const struct cordon__result *r);
void cordon__counts_of(const struct cordon__run *run,
                       struct cordon__counts *c);

#endif /* CORDON_INTERNAL_H */
