// SPDX-License-Identifier: MIT
// outcome.c — turns how a test process ended into one outcome and a
// one-line reason. The wait status is ground truth; the result record only
// adds detail (failures, skip reason, whether the body finished). Pure: no
// I/O and no globals, so the selftest feeds it synthesized endings.
#include "internal.h"

#include <string.h>

static const char *const words[] = {
    [CORDON_OUTCOME_PASS] = "PASS",       [CORDON_OUTCOME_FAIL] = "FAIL",
    [CORDON_OUTCOME_CRASH] = "CRASH",     [CORDON_OUTCOME_TIMEOUT] = "TIMEOUT",
    [CORDON_OUTCOME_SKIP] = "SKIP",       [CORDON_OUTCOME_EXIT] = "EXIT",
    [CORDON_OUTCOME_INTERRUPTED] = "INTERRUPTED",
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

enum cordon_outcome
cordon__outcome_classify(const struct cordon__ending *e,
                         const struct cordon__record *rec,
                         const struct cordon_test_options *o, char *reason,
                         size_t size)
{
    const char *first_failure = cordon__record_first(rec, CORDON__ENTRY_FAILURE);
    const char *skip = cordon__record_first(rec, CORDON__ENTRY_SKIP);
    bool failed = first_failure != NULL || atomic_load(&rec->dropped) > 0;
    bool finished = atomic_load(&rec->body_finished) != 0;
    enum cordon_outcome out;

    reason[0] = '\0';
    if (e->interrupted) {
        snprintf(reason, size, "interrupted while running");
        return CORDON_OUTCOME_INTERRUPTED;
    }
    if (e->timed_out) {
        snprintf(reason, size, "exceeded %g s timeout%s", e->timeout,
                 e->killed ? " (it outlived its SIGALRM watchdog and was "
                             "killed with SIGKILL)" : "");
        return CORDON_OUTCOME_TIMEOUT;
    }
    if (e->signaled)
        out = classify_signaled(e, failed, o, reason, size);
    else if (e->exited && failed)
        out = CORDON_OUTCOME_FAIL;
    else if (e->exited && skip != NULL) {
        snprintf(reason, size, "%s", skip);
        return CORDON_OUTCOME_SKIP;
    } else if (e->exited)
        out = classify_exited(e, finished, o, reason, size);
    else {
        snprintf(reason, size, "ended in an unrecognised way");
        return CORDON_OUTCOME_FAIL;
    }
    /* A failed check is the most useful reason a FAIL can give. */
    if (out == CORDON_OUTCOME_FAIL && failed)
        snprintf(reason, size, "%s",
                 first_failure ? first_failure : "check failures were lost");
    return out;
}
