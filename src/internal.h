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
#include <stdio.h>
#include <sys/types.h>

/* Default run settings. */
#define CORDON__DEFAULT_TIMEOUT 10.0
#define CORDON__KILL_GRACE 1.0
#define CORDON__DEFAULT_OUTPUT_LIMIT (64 * 1024)
#define CORDON__CONSOLE_TAIL_LINES 40

/* ---- util.c ---- */

/* cordon__bug reports an impossible state with file:line and aborts. */
_Noreturn void cordon__bug_at(const char *file, int line, const char *what);
#define cordon__bug(what) cordon__bug_at(__FILE__, __LINE__, what)
/* cordon__usage_error prints "cordon: <message>" on stderr (one line). */
void cordon__usage_error(const char *fmt, ...) CORDON_IMPL_PRINTF(1, 2);
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

/* A growable byte buffer, always NUL-terminated when data is non-NULL. */
struct cordon__buf {
    char *data;
    size_t len;
    size_t cap;
};
void cordon__buf_add(struct cordon__buf *b, const char *s, size_t n);
void cordon__buf_printf(struct cordon__buf *b, const char *fmt, ...)
    CORDON_IMPL_PRINTF(2, 3);

/* ---- registry.c ---- */

/* cordon__registry_tests returns every registered test in test order (file
 * of first registration, then line) and its count. Returns NULL with *n set
 * to the number of problems printed when two tests share an id. */
struct cordon_impl_test **cordon__registry_tests(size_t *n);
/* cordon__test_id formats "suite/name" into buf (truncating) and returns buf. */
const char *cordon__test_id(const struct cordon_impl_test *t, char *buf,
                            size_t size);

/* ---- config.c ---- */

enum cordon__color { CORDON__COLOR_AUTO, CORDON__COLOR_ALWAYS,
                     CORDON__COLOR_NEVER };

struct cordon__config {
    const char *argv0;
    bool list;
    bool verbose;
    bool no_fork;
    bool core_dumps;
    long jobs;
    double timeout;
    double timeout_multiplier;
    char **filters; /* fnmatch patterns; a leading '-' excludes */
    size_t nfilters;
    char **ids; /* exact ids from --test */
    size_t nids;
    const char *junit_path;
    const char *tap_path;
    long output_limit;
    enum cordon__color color;
    long shard_index; /* 0-based; shard_total 0 = no sharding */
    long shard_total;
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

/* ---- record.c ---- */

/* The result record a test process writes and the runner reads, in a
 * MAP_SHARED anonymous mapping created before fork, so it survives a test
 * that closes every fd, calls exit() or crashes. Entries are reserved with
 * an atomic counter and published with a ready flag, so checks failing in
 * several threads at once neither tear nor lose each other's text. */
#define CORDON__RECORD_ENTRIES 32
#define CORDON__RECORD_TEXT 1024

enum cordon__entry_kind { CORDON__ENTRY_FAILURE = 1, CORDON__ENTRY_SKIP };

struct cordon__record_entry {
    atomic_int ready;
    int kind;
    char text[CORDON__RECORD_TEXT];
};

struct cordon__record {
    atomic_uint reserved;
    atomic_uint dropped;
    atomic_int body_finished;
    atomic_int ended_by_assert;
    struct cordon__record_entry entries[CORDON__RECORD_ENTRIES];
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
/* cordon__record_first returns the first published entry of a kind. */
const char *cordon__record_first(const struct cordon__record *r,
                                 enum cordon__entry_kind kind);

/* ---- child.c ---- */

/* What the runner hands a test process. */
struct cordon__child_setup {
    const struct cordon_impl_test *test;
    struct cordon__record *record;
    double timeout; /* 0 = none */
    int out_fd;     /* capture files, -1 = leave stdout/stderr alone */
    int err_fd;
    int null_fd;    /* /dev/null for stdin */
    bool core_dumps;
};

/* cordon__child_spawn forks the test into its own process group and returns
 * its pid, or -1 with errno set. The child never returns. */
pid_t cordon__child_spawn(const struct cordon__child_setup *cs);
/* cordon__child_run_inline runs setup, body and teardown in this process
 * (--no-fork); a crash or exit() ends the runner. */
void cordon__child_run_inline(const struct cordon__child_setup *cs);
/* cordon__child_leave ends the running test after an ASSERT_/FAIL/SKIP. */
_Noreturn void cordon__child_leave(void);

/* ---- platform_linux.c / platform_posix.c ---- */

/* cordon__platform_child_init does what only some systems can for a new
 * test process (on Linux: die with the runner). Never fails. */
void cordon__platform_child_init(void);

/* ---- outcome.c ---- */

/* Everything known about how one test process ended. */
struct cordon__ending {
    bool signaled;     /* killed by a signal (WIFSIGNALED) */
    int signal;        /* WTERMSIG when signaled */
    bool exited;       /* ended through exit (WIFEXITED) */
    int status;        /* WEXITSTATUS when exited */
    bool timed_out;    /* ran past its timeout (or killed at the deadline) */
    bool killed;       /* the runner had to SIGKILL it at the deadline */
    double timeout;    /* seconds in force, 0 = none */
    bool interrupted;  /* the run was interrupted while it ran */
};

/* cordon__outcome_classify turns an ending, the record and the test's
 * expectations into an outcome and a one-line reason (written to reason).
 * Pure: no I/O, no globals. */
enum cordon_outcome cordon__outcome_classify(const struct cordon__ending *e,
                                             const struct cordon__record *rec,
                                             const struct cordon_test_options *o,
                                             char *reason, size_t size);
/* cordon__outcome_word is "PASS", "FAIL", ... */
const char *cordon__outcome_word(enum cordon_outcome o);
/* cordon__outcome_failed says whether o counts as failed in the summary. */
bool cordon__outcome_failed(enum cordon_outcome o);

/* ---- capture.c ---- */

/* Captured output of one stream: the whole of it when it fits the limit,
 * else the first and last halves with an omission marker between them. */
struct cordon__capture {
    char *data; /* NULL when nothing was printed */
    size_t len;
    size_t total;   /* bytes the test printed */
    size_t omitted; /* bytes left out of data */
};

/* cordon__capture_open makes an unlinked temporary file in $TEST_TMPDIR,
 * $TMPDIR or /tmp and returns its fd (close-on-exec). */
int cordon__capture_open(void);
/* cordon__capture_take reads what a finished test wrote to fd into c
 * (capped at limit bytes, 0 = no cap), then empties the file for reuse. */
int cordon__capture_take(int fd, size_t limit, struct cordon__capture *c);
void cordon__capture_free(struct cordon__capture *c);
/* cordon__capture_discard empties fd for reuse without reading it. */
int cordon__capture_discard(int fd);

/* ---- result ---- */

struct cordon__result {
    const struct cordon_impl_test *test;
    enum cordon_outcome outcome;
    char reason[512];
    double seconds;
    double timeout;
    int signal;      /* terminating signal, 0 = none */
    int exit_status; /* exit status, -1 = did not exit */
    struct cordon__buf failures; /* one failure per line */
    unsigned nfailures;
    unsigned dropped_failures;
    struct cordon__capture out;
    struct cordon__capture err;
    bool started;
    bool done;
};

/* cordon__result_fill fills r from a finished test's record and
 * ending (classifies it too). */
void cordon__result_fill(struct cordon__result *r,
                         const struct cordon__ending *e,
                         const struct cordon__record *rec);
void cordon__result_free(struct cordon__result *r);

/* ---- scheduler.c ---- */

struct cordon__run {
    const struct cordon__config *cfg;
    struct cordon__result *results;
    size_t n;
    int interrupt_signal; /* 0, or the signal that interrupted the run */
    double seconds;       /* wall time of the whole run */
    double started_at;    /* time(NULL) when the run began, for reports */
};

/* What the scheduler tells as the run goes: result() in test order, as
 * soon as a result and all before it are done; progress() (may be NULL)
 * after each wake-up, with how many results have been handed on. */
struct cordon__observer {
    void (*result)(void *arg, const struct cordon__result *r, size_t index);
    void (*progress)(void *arg, const struct cordon__result *results,
                     size_t n, size_t done);
    void *arg;
};

/* cordon__scheduler_run runs every planned test, up to cfg->jobs at once.
 * Returns 0, or -1 after printing a setup error. */
int cordon__scheduler_run(struct cordon__run *run,
                          const struct cordon__observer *obs);
/* cordon__scheduler_settle ends the hold the scheduler keeps on SIGINT,
 * SIGTERM and SIGHUP after the run, once the reports are written; one that
 * arrived meanwhile becomes run->interrupt_signal (when none had). */
void cordon__scheduler_settle(struct cordon__run *run);

/* ---- report_console.c ---- */

struct cordon__console;
struct cordon__console *cordon__console_open(const struct cordon__config *cfg,
                                             FILE *f, size_t total);
/* cordon__console_result prints one result (an observer's result()). */
void cordon__console_result(void *console, const struct cordon__result *r,
                            size_t index);
/* cordon__console_progress redraws the live line (terminals only). */
void cordon__console_progress(void *console,
                              const struct cordon__result *results, size_t n,
                              size_t done);
void cordon__console_summary(struct cordon__console *c,
                             const struct cordon__run *run);
void cordon__console_close(struct cordon__console *c);

/* ---- sanitize.c ---- */

/* cordon__sanitize appends in[0..n) to out as valid UTF-8 with only
 * characters legal in XML 1.0: ANSI escape sequences dropped, every other
 * unfit byte written as the four characters \xNN. */
void cordon__sanitize(const char *in, size_t n, struct cordon__buf *out);

/* ---- report_junit.c, report_tap.c ---- */

/* Each renders the whole report of a finished (or interrupted) run into
 * out, in test order. */
int cordon__report_junit(const struct cordon__run *run, struct cordon__buf *out);
int cordon__report_tap(const struct cordon__run *run, struct cordon__buf *out);

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
/* cordon__testenv_child gives a new test process a fresh TMPDIR of its own
 * under $TEST_TMPDIR, when that is set. Never fails: on error it says so
 * on stderr and leaves TMPDIR as it was. */
void cordon__testenv_child(const struct cordon_impl_test *t);

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
    size_t by_outcome[CORDON_OUTCOME_INTERRUPTED + 1];
    size_t passed;
    size_t failed;
    size_t skipped;
    double seconds;
};
void cordon__counts_of(const struct cordon__run *run,
                       struct cordon__counts *c);

#endif /* CORDON_INTERNAL_H */
