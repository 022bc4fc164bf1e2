// SPDX-License-Identifier: MIT
// outcomes.h — what a fixture's run says about each of its tests, read from
// its reports rather than its console: the fixture runs with --tap (and
// --junit) into a fresh directory, and each test's outcome word, reason,
// duration and captured output come from the parsed files. Also what a run
// leaves behind: on Linux the selftest process adopts the run's orphans
// (a child subreaper), so processes that outlive the runner can be counted
// and killed. The console itself is report_console_test.c's subject.
#ifndef CORDON_SELFTEST_OUTCOMES_H
#define CORDON_SELFTEST_OUTCOMES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "support.h"

/* ST_LIMIT is how long, in seconds, a fixture's run may take before the
 * harness kills it and everything below it, unless a launch says else. */
#define ST_LIMIT 25.0

/* One test as the reports give it. */
struct st_outcome {
    long number;     /* its TAP test number, from 1 */
    char id[256];    /* suite/name */
    char word[16];   /* PASS, FAIL, CRASH, TIMEOUT, EXIT, SKIP, INTERRUPTED */
    char *reason;    /* the YAML reason or the SKIP reason; "" for a PASS */
    char *signal;    /* the YAML signal ("SIGSEGV"), or NULL */
    long exit_status; /* the YAML exit_status, or -1 */
    char *failures;  /* the YAML failures block, a line each; "" for none */
    double seconds;  /* JUnit time, else TAP duration_ms / 1000, else -1 */
    char *out;       /* JUnit system-out, "" when none (NULL: no JUnit) */
    char *err;       /* JUnit system-err, "" when none (NULL: no JUnit) */
};

struct st_outcomes {
    struct st_run run; /* exit code, console (stdout, stderr), overran */
    double seconds;    /* from the start to the runner's exit */
    char *dir;         /* where the reports were written */
    char tap_path[4096];
    char junit_path[4096];
    char *tap;         /* the TAP report's text; NULL when none */
    bool junit;        /* a JUnit report was read too */
    long plan;         /* the TAP plan's N */
    size_t n;
    struct st_outcome *tests; /* in TAP order, which is test order */
    size_t comments;   /* TAP "#" lines */
    char why[1024];    /* what went wrong when a call returned -1 */
    double start;      /* st_now() when the runner was started */
    double limit;      /* from the launch */
    bool tap_only;     /* from the launch */
};

/* How to start a run; zero-initialise and set what is needed. */
struct st_launch {
    const char *const *args; /* after --tap FILE [--junit FILE] */
    const char *const *env;  /* "NAME=VALUE" additions */
    double limit;            /* 0 = ST_LIMIT */
    bool tap_only;           /* do not ask for a JUnit report */
    bool open_dir;           /* reports directory mode 0777 (another uid) */
    void (*prepare)(void *); /* in the runner's process, before exec */
    void *arg;
};

/* A test id and the outcome word it must get. */
struct st_verdict {
    const char *word, *id;
};

/* st_varied lists the tests of the varied_durations fixture in test order,
 * each with the outcome word its reports and its console line must show;
 * st_nvaried counts them. */
extern const struct st_verdict st_varied[];
extern const size_t st_nvaried;

/* st_outcomes runs fixture with --tap and --junit in a fresh directory
 * plus args and env, waits for it (at most ST_LIMIT s) and reads both
 * reports. Returns 0, or -1 with o->why saying what is missing (the run
 * overran, wrote no report, or wrote one that does not parse); o->run is
 * filled either way once the runner started. Free with st_outcomes_free. */
int st_outcomes(struct st_outcomes *o, const char *fixture,
                const char *const *args, const char *const *env);

/* st_outcomes_start starts a run as launch says and returns the runner's
 * pid (-1 with o->why set on failure); st_outcomes_finish waits for it
 * within the launch's limit and reads the reports, as st_outcomes. Between
 * the two a test may signal the runner. */
pid_t st_outcomes_start(struct st_outcomes *o, const char *fixture,
                        const struct st_launch *launch);
int st_outcomes_finish(struct st_outcomes *o, pid_t pid);

/* st_outcome returns the test with id, or NULL. */
const struct st_outcome *st_outcome(const struct st_outcomes *o,
                                    const char *id);

/* st_outcome_count counts the tests whose word is word. */
size_t st_outcome_count(const struct st_outcomes *o, const char *word);

/* st_outcomes_ids returns the ids of the tests whose word is word (every
 * test when word is NULL), one a line, in report order; free() it. */
char *st_outcomes_ids(const struct st_outcomes *o, const char *word);

void st_outcomes_free(struct st_outcomes *o);

/* st_expect_own passes when test id passed with out as all its stdout and
 * no failure: nothing of another process (a helper of an earlier test's
 * that escaped) reached it. */
void st_expect_own(const struct st_outcomes *o, const char *id,
                   const char *out);

/* st_expect_word checks the outcome word of test id and, unless text is
 * NULL, that its reason contains text. */
void st_expect_word(const struct st_outcomes *o, const char *id,
                    const char *word, const char *text);

/* st_expect_outcome checks test id of a run: its outcome word, and, each
 * unless NULL, its reason, its failures (a line each), and what it wrote
 * on stdout and stderr (whole, as the JUnit report holds it). "" checks
 * there is none. A failed check names id and the field. */
void st_expect_outcome(const struct st_outcomes *o, const char *id,
                       const char *word, const char *reason,
                       const char *failures, const char *out,
                       const char *err);

/* st_expect_failures checks that test id of a run failed with exactly the
 * failures given (each "@mark: text", the mark naming the source line of
 * fixture file that has "mark:mark" in it), the first as its reason. */
void st_expect_failures(const struct st_outcomes *o, const char *file,
                        const char *id, const char *const *failures);
/* ST_FAILURES lists failures for st_expect_failures. */
#define ST_FAILURES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* st_expect_reported checks that test id got outcome word and that text
 * shows for it in all three reports: its console line and the failure
 * lines under it, its TAP reason or failures, and its JUnit testcase (the
 * element's text or a child's message). */
void st_expect_reported(const struct st_outcomes *o, const char *id,
                        const char *word, const char *text);

/* st_adopt_orphans makes this process a child subreaper, so whatever a run
 * leaves behind is re-parented here rather than to init. Returns true when
 * leftovers can be counted (Linux); false, with the reason in why,
 * elsewhere. Call it before starting the run. */
bool st_adopt_orphans(char *why, size_t size);

/* st_leftovers counts this process's live children, once those just
 * killed have had a moment to die, then kills and reaps every one of them
 * and theirs, so nothing outlives the test. what gets "pid (name) ..." of the ones counted. Returns -1 where
 * it cannot tell (see st_adopt_orphans). Call it after the runner ended. */
int st_leftovers(char *what, size_t size);

/* st_hold_machine takes the lock the supervisor tests share (F_RDLCK) and
 * that their thousands-of-jobs test takes alone (F_WRLCK): the times the
 * others check mean nothing on a machine running 5000 processes at once.
 * Held until the test process ends. */
void st_hold_machine(short type);

/* st_adopt holds the machine (F_RDLCK) and makes this process the one a
 * run's orphans are re-parented to; false (said on stderr) where they
 * cannot be counted. */
bool st_adopt(void);

/* st_expect_nothing_left checks, when adopted, that no process of the run
 * outlived its runner, and kills any that did. */
void st_expect_nothing_left(bool adopted);

/* A user a fixture runs as, with a process limit (RLIMIT_NPROC, which
 * counts the processes of a real uid): st_become, as a launch's prepare,
 * sets the limit, then the gid and uid, or exits 126 saying why. */
struct st_as_user {
    uid_t uid;
    rlim_t nproc;
};
void st_become(void *as_user);

/* A file a fixture writes once it has got somewhere, in a directory of
 * its own; env ("VAR=path") tells the fixture where. st_mark_free removes
 * the file and the directory. */
struct st_mark {
    char *dir, *path, *env;
};
struct st_mark st_mark_make(const char *var, const char *name);
void st_mark_free(struct st_mark *m);

/* st_run_without_libdw runs test id of fixture where libdw cannot be
 * used (a libdw.so.1 without its functions comes first on the library
 * path), as st_run_fixture does. */
int st_run_without_libdw(struct st_run *r, const char *fixture,
                         const char *id);

/* st_console_block returns what the console printed under the line of
 * test id with verdict word, after a newline so every item starts one
 * (a check fails when there is no such line); free() it. */
char *st_console_block(const char *console, const char *word,
                       const char *id);

/* st_wait_for_file waits up to seconds for path to exist; false when it
 * did not come. */
bool st_wait_for_file(const char *path, double seconds);

/* st_processes_of counts the processes whose real uid is uid (/proc). */
size_t st_processes_of(uid_t uid);

#endif
