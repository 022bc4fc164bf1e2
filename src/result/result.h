// SPDX-License-Identifier: MIT
// result.h — turning evidence into a result: how a test process ended
// (its wait status, its record, a sanitizer report, valgrind), the verdict
// (outcome.c), its captured output and texts in the spool, and crash
// frames named (symbolize.c). Built by the process that supervised the
// test; read by the reports.
#ifndef CORDON_RESULT_H
#define CORDON_RESULT_H

#include "common.h"
#include "testproc/testproc.h"

struct cordon__run;

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

/* cordon__sanitizer_scan finds the first report in the capture file fd
 * (rep->found false: none, or no sanitizer runtime is linked). */
int cordon__sanitizer_scan(int fd, struct cordon__sanitizer_report *rep);
/* cordon__sanitizer_parse is the scan itself, whatever is linked. */
int cordon__sanitizer_parse(int fd, struct cordon__sanitizer_report *rep);

/* ---- valgrind.c ---- */

/* cordon__valgrind_running says this process runs under valgrind. */
bool cordon__valgrind_running(void);
/* cordon__valgrind_adjust scales cfg's timeouts under valgrind (unless
 * CORDON_TIMEOUT_MULTIPLIER chose a scale) and says so once on stderr. */
void cordon__valgrind_adjust(struct cordon__config *cfg);

/* ---- outcome.c ---- */

/* The exit status of a suite holder whose once closed or replaced a
 * descriptor the holder needs (its result pipe, the spool, its saved
 * stdout): the suite's tests cannot be run from it. */
#define CORDON__ONCE_BROKE_FDS 88
/* The exit status of a suite holder whose once unmapped the memory the
 * holder shares with its worker (the board, the spool's end), kept out of
 * once's reach while it runs. */
#define CORDON__ONCE_BROKE_MEMORY 89

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
    bool lost_holder;  /* the supervisor lost was a suite holder */
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
/* cordon__outcome_teardown_crashed says the test's teardown crashed: the
 * verdict cordon__outcome_classify gives is then an ERROR, or the body's
 * FAIL or SKIP, but its report says where, as a CRASH's does. Pure. */
bool cordon__outcome_teardown_crashed(const struct cordon__ending *e,
                                      const struct cordon__record *rec,
                                      const struct cordon_test_options *o);
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
    double began; /* when this attempt started (cordon__now), 0 = it did
                     not run; the run's own start is cordon__run.began */
    unsigned lane; /* the job slot (worker) that ran it, from 0 */
    /* The suite's .once that ran just before this attempt in its suite
     * holder, on the same lane: when it began (cordon__now) and how long
     * it took; once_began 0 = none (only a holder's first test has one). */
    double once_began;
    double once_seconds;
    /* Under --repeat, when its first repetition began (cordon__now), so a
     * timeline shows every repetition; 0 = the result's own run is all. */
    double reps_began;
    /* Where a test that did not pass was: the last passed check
     * ("file:line"), and for a crash or timeout caught by its handler the
     * frames, one per line (cordon__symbolize). */
    struct cordon__span checkpoint;
    struct cordon__span backtrace;
    uint64_t fault_addr; /* si_addr of a SIGSEGV or SIGBUS */
    uint64_t fault_sp;   /* the stack pointer then, 0 = unknown */
    uint64_t fault_pc;   /* the faulting instruction, 0 = unknown */
    int fault_code;      /* its si_code; fault_signal 0 = no address */
    int fault_signal;
    bool teardown_crashed; /* its teardown crashed (cordon__outcome_
                              teardown_crashed): reported as a crash is */
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
/* What is known of a supervisor (worker or suite holder) lost while it
 * had a test. */
struct cordon__lost {
    bool holder;  /* it was a suite holder */
    bool stopped; /* it stopped answering and was killed for it */
    int status;   /* else its wait status */
    bool started; /* the test had a process */
    double since; /* when the supervisor took the test (cordon__now) */
};

/* cordon__result_lost fills r for a test whose supervisor died while it
 * had it, as l says. */
void cordon__result_lost(struct cordon__result *r,
                         const struct cordon_impl_test *t,
                         const struct cordon__lost *l, struct cordon__run *run);
/* cordon__result_fail_fast fills r for a test --fail-fast did not start
 * because failed had failed. */
void cordon__result_fail_fast(struct cordon__result *r,
                              const struct cordon_impl_test *t,
                              const struct cordon_impl_test *failed,
                              struct cordon__spool *sp);

/* ---- symbolize.c ---- */

/* Where the frames of a crash shown end. */
struct cordon__cut {
    /* The trampolines' call sites (cordon__trampoline_sites): the frames
     * shown end above the first frame that is one of them. */
    const uintptr_t *sites;
    size_t nsites;
    /* The TEST_P wrapper the trampoline called (0 = none): its own frame
     * above the body's is not shown either. */
    uintptr_t wrapper;
    /* Where no trampoline's frame was recorded (a thread of the test's, a
     * stack too deep for the record): the frames end at the first frame
     * in one of these functions (a test's body, setup, teardown). */
    const uintptr_t *stops;
    size_t nstops;
};

/* cordon__symbolize appends the frames of a crash captured in a test
 * process this one forked, each named in the file the test process had
 * mapped there (c's modules), to out, one line each: "#0 function at
 * file:line", or "function+0x1f in module", or "module+0x2a1c0". The
 * frames end where cut says (NULL: none are left out): cordon's own
 * frames below the user's are not shown. Function names, static ones
 * included, and file:line come from the binary's debug information
 * through libdw, loaded with dlopen() on first use; without it only
 * exported names, and a last line in parentheses says so and why. */
void cordon__symbolize(const struct cordon__crash *c,
                       const struct cordon__cut *cut,
                       struct cordon__buf *out);
/* cordon__symbolize_address writes "0x0 (NULL pointer)" or "0x7f..."
 * with what si_code, the stack pointer sp and the program counter pc (0 =
 * unknown) say about it, for SIGSEGV and SIGBUS. */
void cordon__symbolize_address(int sig, int code, uintptr_t addr,
                               uintptr_t sp, uintptr_t pc, char *out,
                               size_t size);
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
/* cordon__symbolize_once adds the same to r, the result given to the test
 * whose suite's once (s's) crashed or timed out in a suite holder, from
 * the holder's record rec. */
void cordon__symbolize_once(struct cordon__result *r,
                            const struct cordon__record *rec,
                            const struct cordon_impl_suite *s,
                            struct cordon__spool *sp);

#endif /* CORDON_RESULT_H */
