// SPDX-License-Identifier: MIT
// common.h — what every process role shares: the run's settings (read,
// never changed after the start), the spool every text of a result goes
// to, and the record a test process fills and its supervisor reads. Each
// role folder has a header of its own for the rest (README.md,
// "Architecture"); ci/check-includes keeps api/ and testproc/, the code
// that runs inside a test, from reaching run/ and report/.
#ifndef CORDON_COMMON_H
#define CORDON_COMMON_H

#include "cordon.h"
#include "util/util.h"

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
#define CORDON__DEFAULT_OUTPUT_LIMIT ((size_t)64 * 1024)
/* The largest --output-limit: 1 TiB, past what a long holds where it has
 * 32 bits. */
#define CORDON__MAX_OUTPUT_LIMIT (UINT64_C(1) << 40)
#define CORDON__CONSOLE_TAIL_LINES 40
/* Bounds of --retries and --repeat (and .retries). */
#define CORDON__MAX_RETRIES 100
#define CORDON__MAX_REPEAT 1000000

/* How long after the first SIGINT, SIGTERM or SIGHUP a write that nobody
 * reads (a stalled stdout, a FIFO) is given up, in seconds. */
#define CORDON__STALL_GRACE 2
/* The signal of the stall timer (a POSIX timer of the runner's own, so
 * the caller's SIGALRM timer is left alone): the fourth realtime signal
 * from the top, or SIGALRM where there are no POSIX timers. Not one of the
 * last two: qemu-user has no host signal to carry them, accepts their
 * sigaction() and never delivers them. */
#if defined(_POSIX_TIMERS) && _POSIX_TIMERS > 0
#define CORDON__STALL_SIGNAL (SIGRTMAX - 3)
#else
#define CORDON__STALL_SIGNAL SIGALRM
#endif

/* ---- the run's settings (cli/config.c) ---- */

enum cordon__color { CORDON__COLOR_AUTO, CORDON__COLOR_ALWAYS,
                     CORDON__COLOR_NEVER };
/* --annotations: auto follows GITHUB_ACTIONS=true. */
enum cordon__annotations { CORDON__ANNOTATIONS_AUTO,
                           CORDON__ANNOTATIONS_GITHUB,
                           CORDON__ANNOTATIONS_NONE };

/* One per run, its fields in the order of the options, not of their sizes.
 * NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
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
    const char *junit_dir; /* --junit-dir: a report of its own in it */
    char *junit_named;     /* the path junit_path then names (owned) */
    const char *tap_path;
    const char *json_path; /* --json: the event stream, as it happens */
    const char *ctrf_path; /* --ctrf: the CTRF JSON report */
    const char *html_path;
    uint64_t output_limit; /* bytes of each stream kept, 0 = all */
    bool failed_output_only; /* --report-output=failed */
    bool junit_last_attempt; /* --junit-attempts=last: a retried test's
                                deciding attempt only, no Surefire
                                elements for the others */
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
    long durations; /* --durations: the N slowest tests after the recap;
                       -1 = not asked, 0 = every test */
    enum cordon__annotations annotations; /* --annotations */
    const char *shard_times; /* --shard-by=durations:FILE: FILE, whose
                                durations balance the shards; NULL =
                                round-robin */
    struct cordon__files_dir *files; /* --files and CORDON_FILES, the
                                        flags after the variable's */
    size_t nfiles;
    char **inputs;  /* the command line's arguments (a fuzz target's) */
    size_t ninputs;
};

/* One "suite/name=DIR" of --files or CORDON_FILES: the TEST_FILES with
 * that id reads DIR instead of its own directory. */
struct cordon__files_dir {
    char *id;          /* "suite/name" */
    char *dir;
    const char *origin; /* "--files" or "CORDON_FILES" */
};

/* A TEST_FILES case, its param_ (run/files.c makes it, api/files.c maps
 * it): the file as the body sees it, and the path to open, absolute when
 * the directory was relative, so a test that changes directory still
 * finds it. */
struct cordon__file_case {
    struct cordon_file file;
    const char *open_path;
};


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
    atomic_int *lost;      /* beside it: errno of the first write that
                              failed (EFBIG past a file size limit, ENOSPC),
                              0 = none; the run says so once, at its end */
};

/* cordon__spool_open creates the spool before workers are forked. */
int cordon__spool_open(struct cordon__spool *sp);
void cordon__spool_close(struct cordon__spool *sp);
/* cordon__spool_reserve sets aside n bytes and returns their offset. */
uint64_t cordon__spool_reserve(struct cordon__spool *sp, uint64_t n);
/* cordon__spool_lost is the errno of the first spool write that failed
 * in any process of the run, 0 when none did: what a result said was
 * lost then, and the run must say so. */
int cordon__spool_lost(const struct cordon__spool *sp);
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

/* What a test process's crash (or watchdog) handler saw, backtrace.c's.
 * The signal is published first, with the code, the address and the
 * interrupted instruction (frames[0]); the other frames and the modules
 * follow, each counted once written, so a fault while they are gathered
 * (a wild return address, broken unwind tables) leaves what was found.
 * The other frames are return addresses, all of the test process. Its
 * worker, having forked it, shares most of its mappings, but not a
 * library the test (or a suite's once) loaded itself, and the worker may
 * have loaded another one at that address since: so the handler also
 * notes, from the test process's own /proc/self/maps (or, without it,
 * the dynamic linker's list), the file that holds each frame. */
#define CORDON__CRASH_FRAMES 48
#define CORDON__CRASH_MODULES 16
#define CORDON__CRASH_PATHS 4096
/* module_of[i] for a frame where the test process had no code: nothing
 * mapped, or nothing executable (a call through a NULL or stale function
 * pointer). It is shown as its bare address, never as what the worker
 * has there. */
#define CORDON__CRASH_NO_CODE 255

/* A mapped file (an executable, a library) as the test process had it. */
struct cordon__crash_module {
    uintptr_t low;  /* where its first mapping begins */
    uintptr_t high; /* where its last one ends */
    unsigned path;  /* offset of its path in paths[] */
};

struct cordon__crash {
    atomic_int taken;  /* the first handler to run claims the record */
    atomic_int signal; /* 0 = nothing captured */
    int code;          /* si_code */
    unsigned nframes;
    bool cut;          /* the unwinder faulted past the last frame */
    uintptr_t addr;    /* si_addr */
    uintptr_t sp;      /* the interrupted stack pointer, 0 = unknown */
    uintptr_t frames[CORDON__CRASH_FRAMES];
    /* frames[i] is in modules[module_of[i] - 1]; 0 = not known (no
     * /proc, not a file, or no room left here to note it), or
     * CORDON__CRASH_NO_CODE. */
    unsigned char module_of[CORDON__CRASH_FRAMES];
    unsigned nmodules;
    /* Why the test's modules could not be listed at all (an errno of
     * opening /proc/self/maps: EMFILE when the test had no descriptor
     * free); 0 = they were. */
    int modules_errno;
    struct cordon__crash_module modules[CORDON__CRASH_MODULES];
    char paths[CORDON__CRASH_PATHS]; /* NUL-terminated, one after another */
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

#endif /* CORDON_COMMON_H */
