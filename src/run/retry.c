// SPDX-License-Identifier: MIT
// retry.c — how many times a test runs and which run decides it: each of
// --repeat repetitions, each failed attempt of one again up to the test's
// retries (.retries, else --retries), the first repetition that fails for
// good ending the test; and --fail-fast, which stops tests from starting
// once one has failed. It runs in the worker that ran the test, between
// attempts, so a rerun needs no trip through the coordinator. The result
// stays fixed-size: the earlier failed attempts are whole results of
// their own, kept in the spool, whose texts are in the spool already.
// Running an attempt is the caller's (worker.c, or coordinator.c without
// fork); judging it is outcome.c's.
#include "run/run.h"

#include <stdlib.h>
#include <string.h>

/* How many earlier failed attempts of one test a result keeps. */
#define KEPT_TRIES (1 + CORDON__MAX_RETRIES)

static unsigned
retries_of(const struct cordon__config *cfg, const struct cordon_impl_test *t)
{
    int n = t->options.retries;

    if (n < 0)
        return (unsigned)cfg->retries;
    return n > CORDON__MAX_RETRIES ? CORDON__MAX_RETRIES : (unsigned)n;
}

bool
cordon__retry_skip(struct cordon__run *run, size_t index,
                   struct cordon__result *r)
{
    const struct cordon_impl_test *t = run->tests[index];
    long first;

    if (t->options.disabled && !run->cfg->run_disabled) {
        cordon__result_unrun(r, t, CORDON__UNRUN_DISABLED, &run->spool);
        return true;
    }
    if (!run->cfg->fail_fast || run->first_failed == NULL)
        return false;
    first = atomic_load(run->first_failed);
    if (first <= 0 || (size_t)first > run->n)
        return false;
    cordon__result_fail_fast(r, t, run->tests[first - 1], &run->spool);
    return true;
}

void
cordon__retry_note(struct cordon__run *run, size_t index,
             const struct cordon__result *r)
{
    long none = 0;

    if (run->cfg->fail_fast && run->first_failed != NULL &&
        cordon__outcome_failed(r->outcome) &&
        r->outcome != CORDON_OUTCOME_INTERRUPTED)
        atomic_compare_exchange_strong(run->first_failed, &none,
                                       (long)index + 1);
}

/* again says a failed attempt is worth another: not past the last one,
 * and not one the run's interruption ended. */
static bool
again(const struct cordon__result *r, unsigned attempt, unsigned attempts)
{
    return r->started && cordon__outcome_failed(r->outcome) &&
           r->outcome != CORDON_OUTCOME_INTERRUPTED && attempt < attempts;
}

bool
cordon__retry_test(struct cordon__run *run, size_t index,
                   cordon__attempt_fn attempt, void *arg,
                   struct cordon__result *r)
{
    unsigned attempts = 1 + retries_of(run->cfg, run->tests[index]);
    unsigned reps = (unsigned)run->cfg->repeat;
    struct cordon__result *tries = NULL;
    size_t ntries = 0;
    double first = 0, once_began = 0, once_seconds = 0;
    bool go = true;

    for (unsigned rep = 1; go && rep <= reps; rep++) {
        for (unsigned at = 1;; at++) {
            r->attempt = at;
            r->repetition = rep;
            go = attempt(arg, index, r);
            if (rep == 1 && at == 1) {
                first = r->began;
                once_began = r->once_began;
                once_seconds = r->once_seconds;
            }
            r->attempt = at;
            r->attempts = attempts;
            r->repetition = rep;
            r->repetitions = reps;
            if (!go || !again(r, at, attempts))
                break;
            /* Bounded under --repeat too: the latest 1 + CORDON__MAX_RETRIES
             * failed attempts are kept, the older ones dropped. */
            if (ntries == KEPT_TRIES) {
                memmove(tries, tries + 1, (ntries - 1) * sizeof *tries);
                ntries--;
            }
            tries = cordon__xrealloc(tries, (ntries + 1) * sizeof *tries);
            tries[ntries++] = *r;
        }
        if (!r->started || cordon__outcome_failed(r->outcome))
            break;
    }
    if (!r->started)
        r->attempt = 0;
    r->reps_began = r->started && r->repetition > 1 ? first : 0;
    /* The suite's .once came before the first attempt: it stays with the
     * result unless a kept earlier attempt has it. */
    if (r->once_began == 0 && (ntries == 0 || tries[0].once_began == 0)) {
        r->once_began = once_began;
        r->once_seconds = once_seconds;
    }
    r->ntries = (unsigned)ntries;
    if (ntries > 0)
        r->tries = cordon__spool_add(&run->spool, tries,
                                     ntries * sizeof *tries);
    cordon__retry_note(run, index, r);
    free(tries);
    return go;
}

struct cordon__result *
cordon__retry_tries(const struct cordon__run *run,
                    const struct cordon__result *r, size_t *n)
{
    struct cordon__buf raw = {0};
    struct cordon__result *tries;
    size_t have = 0;

    if (r->ntries > 0 && r->tries.len == r->ntries * sizeof *tries &&
        cordon__spool_read(&run->spool, r->tries, &raw) == 0)
        have = raw.len / sizeof *tries;
    tries = cordon__xmalloc((have ? have : 1) * sizeof *tries);
    if (have > 0)
        memcpy(tries, raw.data, have * sizeof *tries);
    free(raw.data);
    *n = have;
    return tries;
}

void
cordon__retry_place(const struct cordon__run *run, size_t index,
                    unsigned attempt, unsigned repetition,
                    struct cordon__result *r)
{
    r->attempts = 1 + retries_of(run->cfg, run->tests[index]);
    r->repetitions = (unsigned)run->cfg->repeat;
    r->attempt = r->started && attempt > 0 ? attempt : 0;
    r->repetition = r->started && repetition > 0 ? repetition : 0;
}

bool
cordon__retry_flaky(const struct cordon__result *r)
{
    return r->outcome == CORDON_OUTCOME_PASS && r->ntries > 0;
}

void
cordon__retry_label(const struct cordon__result *r, char *buf, size_t size)
{
    buf[0] = '\0';
    if (r->attempt == 0)
        return;
    if (r->repetitions > 1 && r->attempts > 1)
        snprintf(buf, size, "repetition %u of %u, attempt %u of %u",
                 r->repetition, r->repetitions, r->attempt, r->attempts);
    else if (r->repetitions > 1)
        snprintf(buf, size, "repetition %u of %u", r->repetition,
                 r->repetitions);
    else if (r->attempts > 1)
        snprintf(buf, size, "attempt %u of %u", r->attempt, r->attempts);
}

void
cordon__retry_summary(const struct cordon__result *r, char *buf, size_t size)
{
    char label[96];

    cordon__retry_label(r, label, sizeof label);
    buf[0] = '\0';
    if (label[0] == '\0')
        return;
    if (cordon__retry_flaky(r) && r->repetitions > 1)
        snprintf(buf, size, "passed %u repetitions after %u failed "
                 "attempt%s", r->repetitions, r->ntries,
                 r->ntries == 1 ? "" : "s");
    else if (cordon__retry_flaky(r))
        snprintf(buf, size, "passed on %s", label);
    else if (cordon__outcome_failed(r->outcome))
        snprintf(buf, size, "failed on %s", label);
    else if (r->repetitions > 1 && r->outcome == CORDON_OUTCOME_PASS)
        snprintf(buf, size, "passed %u repetitions", r->repetitions);
}
