// SPDX-License-Identifier: MIT
// run.h — the run as the coordinator (or the --no-fork runner) sees it:
// the tests the binary registered and those it selects, their order, the
// interruption, retries, and the loop that hands results on in test
// order.
#ifndef CORDON_RUN_H
#define CORDON_RUN_H

#include "common.h"
#include "result/result.h"
#include "supervise/supervise.h"

#include <time.h>

/* ---- registry.c ---- */

/* cordon__registry_tests returns every registered test in test order (file
 * of first registration, then line) and its count, in the tables
 * (cordon__tables_free), TEST_FILES made into their cases as cfg says.
 * Returns NULL with *n set to the number of problems printed when two
 * tests share an id or a TEST_FILES cannot be read. */
struct cordon_impl_test **cordon__registry_tests(const struct cordon__config *cfg,
                                                 size_t *n);
/* The longest test id, "suite/name", in bytes; longer ones are refused at
 * start, so a buffer of CORDON__MAX_ID + 1 always holds an id whole. */
#define CORDON__MAX_ID 511
/* cordon__test_id formats "suite/name" into buf and returns buf. */
const char *cordon__test_id(const struct cordon_impl_test *t, char *buf,
                            size_t size);

/* ---- tables.c ---- */

/* The run's tables that grow with the number of tests live outside the
 * private memory of the processes that fork (tables.c says why).
 * cordon__tables_new returns size zeroed bytes, aligned for any type, in
 * a mapping of their own; cordon__tables_free unmaps them (NULL: nothing).
 * Both end the runner (exit 2) when memory is out. */
void *cordon__tables_new(size_t size);
void cordon__tables_free(void *p);
/* cordon__tables_fresh returns size zeroed bytes of private memory in a
 * mapping of their own, untouched until written (NULL with errno set when
 * memory is out): for a table only this process writes, made before it
 * forks and filled after. cordon__tables_fresh_free unmaps them. */
void *cordon__tables_fresh(size_t size);
void cordon__tables_fresh_free(void *p);
/* cordon__tables_keep returns size zeroed bytes aligned to align (a power
 * of two), kept for the life of the process, packed with others into the
 * tables' shared blocks. cordon__tables_id returns a copy of text kept so. */
void *cordon__tables_keep(size_t size, size_t align);
const char *cordon__tables_id(const char *text);
/* cordon__tables_sort puts the n elements of size bytes at base in the
 * order of cmp (given arg), equal ones keeping their order: a merge sort
 * through scratch space in the tables. Not qsort(): glibc's takes a
 * buffer as large as the array from malloc, and the heap pages it leaves
 * behind (a freed large block raises malloc's threshold for the next)
 * would be private memory that every test's fork copies the page-table
 * entries of. */
void cordon__tables_sort(void *base, size_t n, size_t size,
                         int (*cmp)(const void *, const void *,
                                    const void *),
                         const void *arg);
/* cordon__tables_seal makes every table read-only (seal) or writable
 * again. Tables made while they are sealed stay writable. */
void cordon__tables_seal(bool seal);

/* ---- param.c ---- */

/* cordon__param_cases makes the tests of a TEST_P template: one for each
 * case, named by index or label, in index order (an array of
 * tpl->nparams_ in the tables, never freed). */
struct cordon_impl_test *cordon__param_cases(const struct cordon_impl_test *tpl);

/* ---- files.c ---- */

/* cordon__files_cases makes the tests of a TEST_FILES template (or of the
 * fuzz runner's, from cfg->inputs): one per regular file, in bytewise
 * order of their paths, into tpl->param_ and tpl->nparams_ (in the
 * tables, never freed). Returns the number of problems printed (a
 * directory missing, unreadable or empty). */
size_t cordon__files_cases(const struct cordon__config *cfg,
                           struct cordon_impl_test *tpl);
/* cordon__files_unused returns the number of problems printed about what
 * no template of the n takes: a --files id, or command-line arguments. */
size_t cordon__files_unused(const struct cordon__config *cfg,
                            struct cordon_impl_test *const *templates,
                            size_t n);

/* ---- suite.c ---- */

/* cordon__suite_apply gives each of the n tests its SUITE(), if any, and
 * the suite's options where the test left its own unset. Returns the
 * number of problems printed: two SUITE()s of one name that disagree. */
size_t cordon__suite_apply(struct cordon_impl_test **tests, size_t n);

/* ---- plan.c ---- */

/* cordon__plan_select keeps the tests cfg selects, in test order, in *out
 * (in the tables: cordon__tables_free). Returns the count, or -1 after
 * printing a usage error (a filter or id that matches nothing). */
long cordon__plan_select(const struct cordon__config *cfg,
                         struct cordon_impl_test **all, size_t n,
                         struct cordon_impl_test ***out);
/* cordon__plan_timeout is the timeout in force for t (0 = none). */
double cordon__plan_timeout(const struct cordon__config *cfg,
                            const struct cordon_impl_test *t);

/* ---- timings.c ---- */

/* The test times of an earlier run (--shard-by=durations:FILE). */
struct cordon__timing {
    char *id;
    double seconds;
};
struct cordon__timings {
    struct cordon__timing *items;
    size_t n;
    size_t cap; /* items has room for; grows by doubling */
};
/* cordon__timings_read reads the times in the JUnit, JSON Lines or CTRF
 * report at path, told apart by content; -1 after printing a usage error
 * (unreadable, empty, or not one of those). */
int cordon__timings_read(const char *path, struct cordon__timings *t);
void cordon__timings_free(struct cordon__timings *t);

/* ---- balance.c ---- */

/* cordon__balance_deal deals the n tests ids (in test order) to shards:
 * shard_of[i] gets test i's shard, from 0. Those known has times for go
 * first, longest first (ties by id), each to the least loaded shard (ties
 * to the one with fewer tests, then the lowest); the rest round-robin in
 * test order. Pure. */
void cordon__balance_deal(const struct cordon__timings *known,
                          const char **ids, size_t n, size_t shards,
                          size_t *shard_of);
/* cordon__balance_shard keeps, of the n selected tests in sel, those of
 * cfg's shard by the times in cfg->shard_times, in test order, and
 * returns how many; -1 after printing a usage error (a bad file). */
long cordon__balance_shard(const struct cordon__config *cfg,
                           struct cordon_impl_test **sel, size_t n);

/* ---- interrupt.c ---- */

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

/* ---- the run (coordinator.c, inline.c) ---- */

struct cordon__run {
    const struct cordon__config *cfg;
    struct cordon_impl_test **tests; /* planned, in test order */
    struct cordon__result *results;  /* results[i] is tests[i]'s */
    size_t n;
    struct cordon__spool spool;
    int interrupt_signal; /* 0, or the signal that interrupted the run */
    int late_signal;      /* 0, or one that came after the last test */
    double seconds;       /* wall time of the whole run */
    double began;         /* cordon__now() when the run began: results'
                             began times are on the same clock */
    struct timespec started_at; /* CLOCK_REALTIME when the run began, for
                                   reports */
    size_t *order;        /* execution order (indexes), NULL = test order */
    atomic_long *first_failed; /* --fail-fast: 1 + index of the first test
                                  that failed, 0 = none (shared) */
    bool tell_starts;     /* workers send a message when they start a test
                             or a suite's once (an observer wants them) */
    int report_fd;        /* a report written while tests run (the --json
                             stream), which no worker, suite holder or
                             test may have; 0 = none (stdin to 2 are the
                             test's own anyway) */
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
    /* And as things happen, in the order the coordinator learns them
     * (each may be NULL; with started or once set, the workers tell the
     * coordinator when they start something, which costs a message each):
     * started() when an attempt of test index begins (r has its lane,
     * attempt, repetition and began); finished() when test index's
     * result arrives, in whatever order results arrive, before result()
     * hands it on; once() when the .once of test index's suite starts
     * (r NULL) or has ended (r its verdict: outcome, reason, seconds). */
    void (*started)(void *arg, const struct cordon__run *run, size_t index,
                    const struct cordon__result *r);
    void (*finished)(void *arg, const struct cordon__run *run, size_t index);
    void (*once)(void *arg, const struct cordon__run *run, size_t index,
                 unsigned lane, const struct cordon__result *r);
    void *arg;
    double tick; /* wake at least this often, in seconds (0 = default) */
};

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
 * SIGINT, SIGTERM and SIGHUP after the run, once the reports are written.
 * One that arrived after the last test ended, while the console and the
 * reports were written, interrupted nothing: it becomes run->late_signal
 * (when the run was not interrupted already). held(arg), when not NULL,
 * is called once that is known, while the signals are still held: what
 * must be written whatever signal comes next. */
void cordon__coordinator_settle(struct cordon__run *run,
                                void (*held)(void *), void *arg);

/* ---- retry.c ---- */

/* cordon__attempt_fn runs one attempt of test index into r (a result built
 * whole, or one for a test not run); r->attempt and r->repetition say,
 * when it is called, which attempt this is. Returns false when the run cannot go
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
/* cordon__retry_place gives r, the result of test index that did not
 * come back from its attempt (its supervisor was lost, or its suite's
 * once failed), the place of that attempt: attempt and repetition (from
 * 1) when it ran, and how many of each the run allows. */
void cordon__retry_place(const struct cordon__run *run, size_t index,
                         unsigned attempt, unsigned repetition,
                         struct cordon__result *r);
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
 * (the same for the same seed and n, on every system), in the tables
 * (cordon__tables_free). */
size_t *cordon__shuffle_order(size_t n, uint64_t seed);

#endif /* CORDON_RUN_H */
