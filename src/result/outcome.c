// SPDX-License-Identifier: MIT
// outcome.c — turns how a test process ended into one outcome and a
// one-line reason. The wait status is ground truth; the result record only
// adds detail (failures, skip reason). Whether the body finished, the run
// time and what was left behind come from the worker's evidence in the
// ending. Pure: no I/O and no globals, so the selftest feeds it
// synthesized endings. Tests that got no process are classified here too.
#include "result/result.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static const char *const words[] = {
    [CORDON_OUTCOME_PASS] = "PASS",       [CORDON_OUTCOME_FAIL] = "FAIL",
    [CORDON_OUTCOME_CRASH] = "CRASH",     [CORDON_OUTCOME_TIMEOUT] = "TIMEOUT",
    [CORDON_OUTCOME_SKIP] = "SKIP",       [CORDON_OUTCOME_EXIT] = "EXIT",
    [CORDON_OUTCOME_INTERRUPTED] = "INTERRUPTED",
    [CORDON_OUTCOME_ERROR] = "ERROR",
};

const char *
cordon__outcome_word(enum cordon_outcome o)
{
    if ((size_t)o >= sizeof words / sizeof words[0])
        cordon__bug("outcome out of range");
    return words[o];
}

bool
cordon__outcome_failed(enum cordon_outcome o)
{
    return o != CORDON_OUTCOME_PASS && o != CORDON_OUTCOME_SKIP;
}

static void
killed_by(char *reason, size_t size, int sig)
{
    snprintf(reason, size, "killed by %s (%s)", cordon__signal_name(sig),
             strsignal(sig));
}

static enum cordon_outcome
classify_signaled(const struct cordon__ending *e, bool failed,
                  const struct cordon_test_options *o, char *reason,
                  size_t size)
{
    size_t n;

    killed_by(reason, size, e->signal);
    n = strlen(reason);
    if (o->signal != 0 && e->signal == o->signal) {
        if (failed)
            return CORDON_OUTCOME_FAIL;
        snprintf(reason + n, size - n, " as expected");
        return CORDON_OUTCOME_PASS;
    }
    if (o->signal != 0)
        snprintf(reason + n, size - n, ", expected %s",
                 cordon__signal_name(o->signal));
    else if (o->exit_code != CORDON_NO_EXIT)
        snprintf(reason + n, size - n, ", expected exit status %d",
                 o->exit_code);
    return CORDON_OUTCOME_CRASH;
}

static enum cordon_outcome
classify_exited(const struct cordon__ending *e, bool finished,
                const struct cordon_test_options *o, char *reason, size_t size)
{
    if (o->signal != 0) {
        if (finished)
            snprintf(reason, size, "expected %s, test returned",
                     cordon__signal_name(o->signal));
        else
            snprintf(reason, size, "expected %s, exited with status %d",
                     cordon__signal_name(o->signal), e->status);
        return CORDON_OUTCOME_FAIL;
    }
    if (o->exit_code != CORDON_NO_EXIT) {
        if (finished) {
            snprintf(reason, size, "expected exit status %d, test returned",
                     o->exit_code);
            return CORDON_OUTCOME_FAIL;
        }
        if (e->status != o->exit_code) {
            snprintf(reason, size, "expected exit status %d, got %d",
                     o->exit_code, e->status);
            return CORDON_OUTCOME_FAIL;
        }
        snprintf(reason, size, "exited with status %d as expected", e->status);
        return CORDON_OUTCOME_PASS;
    }
    if (finished && e->status == 0)
        return CORDON_OUTCOME_PASS;
    if (finished)
        snprintf(reason, size, "exited with status %d after the test "
                 "finished", e->status);
    else
        snprintf(reason, size, "exited with status %d before the test "
                 "finished", e->status);
    return CORDON_OUTCOME_EXIT;
}

/* limit_note adds to a crash's reason the resource limit it most likely
 * died of: SIGXFSZ is the file size limit's own signal; any other death
 * under a memory limit (abort() after malloc failed, a fault on the NULL
 * it returned, a stack that could not grow) names that limit. */
static void
limit_note(const struct cordon__ending *e, char *reason, size_t size)
{
    size_t n = strlen(reason);
    char bytes[48];

    if (e->signal == SIGXFSZ && e->limits.file_size > 0)
        snprintf(reason + n, size - n, " at the file size limit %s",
                 cordon__limits_bytes_text(e->limits.file_size, bytes,
                                           sizeof bytes));
    else if (e->limits.memory > 0)
        snprintf(reason + n, size - n, " under the memory limit %s",
                 cordon__limits_bytes_text(e->limits.memory, bytes,
                                           sizeof bytes));
}

/* memory_note adds "(memory limit 64 MiB in force)" to the reason of a
 * test that did not pass under a memory limit, unless it names a limit
 * already (this one, or the cpu or file size limit it died of): a
 * malloc() that returned NULL, and all that follows from it, reads
 * differently once the limit is known. */
static void
memory_note(enum cordon_outcome out, const struct cordon__ending *e,
            char *reason, size_t size)
{
    size_t n = strlen(reason);
    char bytes[48];

    if (out == CORDON_OUTCOME_PASS || out == CORDON_OUTCOME_SKIP ||
        e->limits.memory == 0 || strstr(reason, " limit ") != NULL)
        return;
    snprintf(reason + n, size - n, "%s(memory limit %s in force)",
             n > 0 ? " " : "",
             cordon__limits_bytes_text(e->limits.memory, bytes,
                                       sizeof bytes));
}

/* watchdog_fired says the SIGALRM that ended a test was its watchdog's
 * (a POSIX timer: SI_TIMER), not the test's own alarm() or setitimer().
 * Without a record of the signal (the test handled SIGALRM itself) it
 * cannot be told, and counts as the watchdog's. */
static bool
watchdog_fired(const struct cordon__record *rec)
{
    int sig = atomic_load(&rec->crash.signal);

    return sig != SIGALRM || rec->crash.code == SI_TIMER;
}

/* timed_out is the evidence of a timeout: its worker killed it at the
 * deadline, it ran past its timeout by its own clock, or its watchdog's
 * SIGALRM ended it (unless the test expects to die by that signal). A
 * stalled coordinator, a stopped runner or a busy machine is none of them. */
static bool
timed_out(const struct cordon__ending *e, const struct cordon__record *rec,
          const struct cordon_test_options *o)
{
    if (e->timeout <= 0)
        return false;
    return e->killed || e->seconds >= e->timeout ||
           (e->signaled && e->signal == SIGALRM && o->signal != SIGALRM &&
            watchdog_fired(rec));
}

/* valgrind_failed: under valgrind, a test that finished but exited with a
 * status other than 0 got it from valgrind's --error-exitcode, because
 * the test process itself leaves with _exit(0) once its body finished. */
static bool
valgrind_failed(const struct cordon__ending *e,
                const struct cordon_test_options *o)
{
    return e->valgrind && e->exited && e->finished && e->status != 0 &&
           o->signal == 0 && o->exit_code == CORDON_NO_EXIT;
}

static bool
sanitizer_found(const struct cordon__ending *e,
                const struct cordon_test_options *o)
{
    return e->sanitizer != NULL && e->sanitizer->found &&
           !(e->signaled && o->signal != 0 && e->signal == o->signal);
}

enum cordon__tool
cordon__outcome_tool(const struct cordon__ending *e,
                     const struct cordon_test_options *o)
{
    if (sanitizer_found(e, o))
        return CORDON__TOOL_SANITIZER;
    if (valgrind_failed(e, o))
        return CORDON__TOOL_VALGRIND;
    return CORDON__TOOL_NONE;
}

/* by_tool lets a sanitizer's report or valgrind's error exit name the
 * verdict, unless a failed check already does or the test died the death
 * it expected. A report from a process that then ended in any other way
 * than by finishing (ASan's exit status 1, UBSan's abort) is a CRASH; a
 * leak, or a report after which the test went on and finished (TSan's
 * data race), a FAIL. */
static enum cordon_outcome
by_tool(const struct cordon__ending *e, const struct cordon_test_options *o,
        enum cordon_outcome out, bool failed, char *reason, size_t size)
{
    if (failed)
        return out;
    switch (cordon__outcome_tool(e, o)) {
    case CORDON__TOOL_SANITIZER:
        snprintf(reason, size, "%s", e->sanitizer->what);
        /* A finished test's status may be the sanitizer's (TSan's 66). */
        if (e->sanitizer->leak || (e->exited && e->finished))
            return CORDON_OUTCOME_FAIL;
        /* ASan turns an expected SIGSEGV into its report and exit 1. */
        if (o->signal != 0)
            snprintf(reason + strlen(reason), size - strlen(reason),
                     ", expected %s", cordon__signal_name(o->signal));
        else if (o->exit_code != CORDON_NO_EXIT)
            snprintf(reason + strlen(reason), size - strlen(reason),
                     ", expected exit status %d", o->exit_code);
        return CORDON_OUTCOME_CRASH;
    case CORDON__TOOL_VALGRIND:
        snprintf(reason, size, "valgrind reported errors (exit %d)",
                 e->status);
        return CORDON_OUTCOME_FAIL;
    default:
        return out;
    }
}

static enum cordon_outcome
classify_process(const struct cordon__ending *e,
                 const struct cordon__record *rec,
                 const struct cordon_test_options *o, char *reason,
                 size_t size)
{
    const char *first_failure = cordon__record_first(rec, CORDON__ENTRY_FAILURE);
    const char *skip = cordon__record_first(rec, CORDON__ENTRY_SKIP);
    bool failed = first_failure != NULL || atomic_load(&rec->dropped) > 0;
    enum cordon_outcome out;

    if (e->lost_worker != 0) {
        const char *who = e->lost_holder ? "suite holder" : "worker";

        if (e->lost_worker > 0)
            snprintf(reason, size, "killed its supervisor (the %s running "
                     "it died by %s)", who,
                     cordon__signal_name(e->lost_worker));
        else if (e->lost_worker == CORDON__LOST_EXIT)
            snprintf(reason, size, "ended its supervisor (the %s running "
                     "it exited with status %d)", who, e->lost_status);
        else
            snprintf(reason, size, "stopped its supervisor (the %s running "
                     "it stopped answering and was killed)", who);
        return CORDON_OUTCOME_CRASH;
    }
    /* RLIMIT_CPU's signal: a CPU-time limit is a timeout in CPU seconds. */
    if (e->signaled && e->signal == SIGXCPU && e->limits.cpu > 0 &&
        o->signal != SIGXCPU) {
        snprintf(reason, size, "exceeded the cpu limit %g s (killed by "
                 "SIGXCPU)", e->limits.cpu);
        return CORDON_OUTCOME_TIMEOUT;
    }
    /* A test that ignores SIGXCPU is killed at the hard limit, a second
     * of CPU later: a SIGKILL nobody here sent, after at least that long
     * (wall time is no shorter than CPU time). */
    if (e->signaled && e->signal == SIGKILL && e->limits.cpu > 0 &&
        !e->killed && !e->interrupted && o->signal != SIGKILL &&
        e->seconds >= e->limits.cpu) {
        snprintf(reason, size, "exceeded the cpu limit %g s (it ignored "
                 "SIGXCPU and was killed at the hard limit)", e->limits.cpu);
        return CORDON_OUTCOME_TIMEOUT;
    }
    if (timed_out(e, rec, o)) {
        snprintf(reason, size, "exceeded %g s timeout%s", e->timeout,
                 e->killed ? " (it outlived its SIGALRM watchdog and was "
                             "killed with SIGKILL)" : "");
        return CORDON_OUTCOME_TIMEOUT;
    }
    if (e->signaled) {
        out = classify_signaled(e, failed, o, reason, size);
        if (out == CORDON_OUTCOME_CRASH)
            limit_note(e, reason, size);
    }
    else if (e->exited && failed)
        out = CORDON_OUTCOME_FAIL;
    else if (e->exited && skip != NULL) {
        snprintf(reason, size, "%s", skip);
        return CORDON_OUTCOME_SKIP;
    } else if (e->exited)
        out = classify_exited(e, e->finished, o, reason, size);
    else {
        snprintf(reason, size, "ended in an unrecognised way");
        return CORDON_OUTCOME_FAIL;
    }
    out = by_tool(e, o, out, failed, reason, size);
    /* A failed check is the most useful reason a FAIL can give. */
    if (out == CORDON_OUTCOME_FAIL && failed)
        snprintf(reason, size, "%s",
                 first_failure ? first_failure : "check failures were lost");
    return out;
}

/* in_teardown judges a fault in the teardown: a crash once the teardown
 * had begun, or failed checks that came after it began. When the body had
 * passed, the test is an ERROR naming its teardown: its clean-up failed,
 * which a report must not pass off as the test's own failure. When the
 * body had failed or skipped, that verdict stands, and the teardown's
 * fault is added to its reason. */
/* teardown_judged says in_teardown has a say: the teardown began, and
 * nothing else (a sanitizer's or valgrind's finding, processes left
 * behind) is news of its own. */
static bool
teardown_judged(const struct cordon__ending *e,
                const struct cordon__record *rec)
{
    return atomic_load(&rec->teardown_from) != 0 && e->left_running == 0 &&
           !e->left_unfound && e->sanitizer == NULL;
}

/* teardown_crash says a process that classify_process judged out died of
 * a crash in its teardown. */
static bool
teardown_crash(enum cordon_outcome out, const struct cordon__ending *e,
               const struct cordon__record *rec)
{
    return teardown_judged(e, rec) && out == CORDON_OUTCOME_CRASH &&
           e->lost_worker == 0;
}

static enum cordon_outcome
in_teardown(enum cordon_outcome out, const struct cordon__ending *e,
            const struct cordon__record *rec, char *reason, size_t size)
{
    unsigned from = atomic_load(&rec->teardown_from);
    const char *body_failure = NULL, *body_skip = NULL, *first = NULL;
    char note[CORDON__RECORD_TEXT + 64];

    if (!teardown_judged(e, rec))
        return out;
    for (size_t i = 0; i < CORDON__RECORD_ENTRIES; i++) {
        const struct cordon__record_entry *en = &rec->entries[i];
        const char *text;

        if (!atomic_load_explicit(&en->ready, memory_order_acquire))
            continue;
        text = cordon__record_text(rec, i);
        if (i + 1 < from && en->kind == CORDON__ENTRY_FAILURE &&
            body_failure == NULL)
            body_failure = text;
        else if (i + 1 < from && en->kind == CORDON__ENTRY_SKIP &&
                 body_skip == NULL)
            body_skip = text;
        else if (i + 1 >= from && en->kind == CORDON__ENTRY_FAILURE &&
                 first == NULL)
            first = text;
    }
    if (teardown_crash(out, e, rec))
        snprintf(note, sizeof note, "teardown crashed: killed by %s (%s)",
                 cordon__signal_name(e->signal), strsignal(e->signal));
    else if (out == CORDON_OUTCOME_FAIL && first != NULL &&
             atomic_load(&rec->dropped) == 0)
        snprintf(note, sizeof note, "teardown failed: %s", first);
    else
        return out;
    if (body_failure != NULL) {
        snprintf(reason, size, "%s; %s", body_failure, note);
        return CORDON_OUTCOME_FAIL;
    }
    if (body_skip != NULL) {
        snprintf(reason, size, "%s; %s", body_skip, note);
        return CORDON_OUTCOME_SKIP;
    }
    snprintf(reason, size, "%s", note);
    return CORDON_OUTCOME_ERROR;
}

/* left_behind turns a test that left processes running into a failure:
 * they were killed, but a test that daemonises leaks in real use too. */
static enum cordon_outcome
left_behind(enum cordon_outcome out, const struct cordon__ending *e,
            char *reason, size_t size)
{
    unsigned n = e->left_running;
    char note[160];
    size_t len = strlen(reason);

    if (e->left_unfound)
        snprintf(note, sizeof note, "left processes running that could not "
                 "be found to end them (no /proc)");
    else
        snprintf(note, sizeof note, "left %u process%s running (killed)", n,
                 n == 1 ? "" : "es");
    if (out == CORDON_OUTCOME_PASS || out == CORDON_OUTCOME_SKIP ||
        len == 0) {
        snprintf(reason, size, "%s", note);
        return out == CORDON_OUTCOME_PASS || out == CORDON_OUTCOME_SKIP
                   ? CORDON_OUTCOME_FAIL : out;
    }
    snprintf(reason + len, size - len, "; %s", note);
    return out;
}

void
cordon__ending_from_status(struct cordon__ending *e, int status)
{
    e->signaled = WIFSIGNALED(status);
    e->signal = e->signaled ? WTERMSIG(status) : 0;
    e->exited = WIFEXITED(status);
    e->status = e->exited ? WEXITSTATUS(status) : 0;
}

enum cordon_outcome
cordon__outcome_classify(const struct cordon__ending *e,
                         const struct cordon__record *rec,
                         const struct cordon_test_options *o, char *reason,
                         size_t size)
{
    enum cordon_outcome out;

    reason[0] = '\0';
    if (e->interrupted) {
        snprintf(reason, size, "interrupted while running");
        return CORDON_OUTCOME_INTERRUPTED;
    }
    out = classify_process(e, rec, o, reason, size);
    out = in_teardown(out, e, rec, reason, size);
    if (e->left_running > 0 || e->left_unfound)
        out = left_behind(out, e, reason, size);
    memory_note(out, e, reason, size);
    return out;
}

bool
cordon__outcome_needs_fork(const struct cordon_test_options *o, char *reason,
                           size_t size)
{
    if (o->signal != 0)
        snprintf(reason, size, "expects %s; run it forked",
                 cordon__signal_name(o->signal));
    else if (o->exit_code != CORDON_NO_EXIT)
        snprintf(reason, size, "expects exit status %d; run it forked",
                 o->exit_code);
    else
        return false;
    return true;
}

enum cordon_outcome
cordon__outcome_unrun(enum cordon__unrun why, char *reason, size_t size)
{
    switch (why) {
    case CORDON__UNRUN_DISABLED:
        snprintf(reason, size, "disabled");
        break;
    case CORDON__UNRUN_INTERRUPTED:
        snprintf(reason, size, "not run: interrupted");
        break;
    case CORDON__UNRUN_NO_PROCESS:
        snprintf(reason, size, "not run: no process could be started");
        break;
    case CORDON__UNRUN_FAIL_FAST:
        snprintf(reason, size, "not run: --fail-fast after a failure");
        break;
    case CORDON__UNRUN_LOST:
        snprintf(reason, size, "its worker died after taking it, before "
                 "starting it");
        return CORDON_OUTCOME_CRASH;
    default:
        cordon__bug("unknown reason for not running a test");
    }
    return CORDON_OUTCOME_SKIP;
}

enum cordon_outcome
cordon__outcome_fail_fast(const char *id, char *reason, size_t size)
{
    snprintf(reason, size, "not run: --fail-fast after %s failed", id);
    return CORDON_OUTCOME_SKIP;
}

enum cordon_outcome
cordon__outcome_once(const struct cordon__ending *e,
                     const struct cordon__record *rec, char *reason,
                     size_t size)
{
    const char *failure = cordon__record_first(rec, CORDON__ENTRY_FAILURE);
    const char *skip = cordon__record_first(rec, CORDON__ENTRY_SKIP);

    if (e->interrupted) {
        snprintf(reason, size, "interrupted while its suite setup once() "
                 "ran");
        return CORDON_OUTCOME_INTERRUPTED;
    }
    if (e->killed || (e->signaled && e->signal == SIGALRM)) {
        snprintf(reason, size, "suite setup once() exceeded %g s timeout",
                 e->timeout);
        return CORDON_OUTCOME_TIMEOUT;
    }
    if (failure != NULL || atomic_load(&rec->dropped) > 0) {
        snprintf(reason, size, "suite setup once() failed: %s",
                 failure ? failure : "check failures were lost");
        return CORDON_OUTCOME_FAIL;
    }
    if (skip != NULL) {
        snprintf(reason, size, "%s", skip);
        return CORDON_OUTCOME_SKIP;
    }
    if (e->signaled) {
        snprintf(reason, size, "suite setup once() crashed: killed by %s "
                 "(%s)", cordon__signal_name(e->signal), strsignal(e->signal));
        return CORDON_OUTCOME_CRASH;
    }
    if (e->exited && e->status == CORDON__ONCE_BROKE_FDS) {
        snprintf(reason, size, "suite setup once() closed or replaced the "
                 "descriptors its suite holder needs (leave descriptors "
                 "above 2 that once did not open alone)");
        return CORDON_OUTCOME_FAIL;
    }
    if (e->exited && e->status == CORDON__ONCE_BROKE_MEMORY) {
        snprintf(reason, size, "suite setup once() unmapped memory its "
                 "suite holder shares with the runner (leave mappings once "
                 "did not make alone)");
        return CORDON_OUTCOME_FAIL;
    }
    if (e->exited) {
        snprintf(reason, size, "suite setup once() exited with status %d",
                 e->status);
        return CORDON_OUTCOME_EXIT;
    }
    snprintf(reason, size, "suite setup once() ended in an unrecognised way");
    return CORDON_OUTCOME_FAIL;
}

bool
cordon__outcome_teardown_crashed(const struct cordon__ending *e,
                                 const struct cordon__record *rec,
                                 const struct cordon_test_options *o)
{
    char reason[CORDON__RECORD_TEXT + 256];

    if (e->interrupted)
        return false;
    return teardown_crash(classify_process(e, rec, o, reason, sizeof reason),
                          e, rec);
}
