// SPDX-License-Identifier: MIT
// inline.c — the --no-fork runner (and a debugger's): every test, and
// every suite's once, runs in the runner's own process, one after
// another, in execution order, with results handed on in test order. The
// same paths as a forked run (child.c's phases and once, retry.c's
// attempts, outcome.c's verdicts) give the same verdicts, but a crash or
// an exit() ends the run: tests that expect to die are skipped. A signal
// stops the run once the running test has returned (interrupt.c).
#include "run/run.h"
#include "cli/cli.h"
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A suite whose once has run here, and what its tests get when it did not
 * let them run. */
struct once_ran {
    const struct cordon_impl_suite *suite;
    bool failed;
    struct cordon__once_verdict verdict;
};

/* What an attempt without fork needs. */
struct inline_run {
    struct cordon__run *run;
    const struct cordon__observer *obs;
    struct cordon__record *rec;
    struct once_ran *onces;
    size_t nonces;
    /* When the once that just ran began and how long it took, for the
     * next result (a timeline draws it there, as a holder's); 0: none. */
    double once_began, once_seconds;
};

/* once_to gives r the once that ran before it, if one did. */
static void
once_to(struct inline_run *in, struct cordon__result *r)
{
    r->once_began = in->once_began;
    r->once_seconds = in->once_seconds;
    in->once_began = 0;
}

/* once_inline runs the once of test index's suite, the first time one of
 * its tests comes; returns what the suite's tests get when once failed or
 * skipped, else NULL. */
static const struct cordon__once_verdict *
once_inline(struct inline_run *in, size_t index)
{
    const struct cordon_impl_suite *s = in->run->tests[index]->suite_;
    struct cordon__ending e = {.exited = true};
    struct cordon__result ended;
    struct once_ran *o;
    double began;

    if (s == NULL || s->options.once == NULL)
        return NULL;
    for (size_t i = 0; i < in->nonces; i++)
        if (in->onces[i].suite == s)
            return in->onces[i].failed ? &in->onces[i].verdict : NULL;
    in->onces = cordon__xrealloc(in->onces, (in->nonces + 1) *
                                                sizeof *in->onces);
    o = &in->onces[in->nonces++];
    o->suite = s;
    o->failed = false;
    atomic_store(&in->rec->owner, (int)getpid());
    if (in->obs->once != NULL)
        in->obs->once(in->obs->arg, in->run, index, 0, NULL);
    began = cordon__now();
    cordon__child_run_once(s, in->rec);
    ended = (struct cordon__result){.outcome = CORDON_OUTCOME_PASS,
                                    .started = true, .began = began,
                                    .seconds = cordon__now() - began};
    if (cordon__record_count(in->rec, CORDON__ENTRY_FAILURE) > 0 ||
        cordon__record_count(in->rec, CORDON__ENTRY_SKIP) > 0 ||
        atomic_load(&in->rec->dropped) > 0) {
        o->failed = true;
        o->verdict.outcome = cordon__outcome_once(&e, in->rec,
                                                  o->verdict.reason,
                                                  sizeof o->verdict.reason);
        o->verdict.signal = 0;
        ended.outcome = o->verdict.outcome;
        ended.reason = cordon__spool_add(&in->run->spool, o->verdict.reason,
                                         strlen(o->verdict.reason));
    }
    in->once_began = began;
    in->once_seconds = ended.seconds;
    if (in->obs->once != NULL)
        in->obs->once(in->obs->arg, in->run, index, 0, &ended);
    cordon__record_reset(in->rec);
    return o->failed ? &o->verdict : NULL;
}

/* attempt_inline runs test index once in this process: a
 * cordon__attempt_fn. */
static bool
attempt_inline(void *arg, size_t index, struct cordon__result *r)
{
    struct inline_run *in = arg;
    const struct cordon_impl_test *t = in->run->tests[index];
    struct cordon__child_setup cs = {.test = t, .record = in->rec,
                                     .out_fd = -1, .err_fd = -1,
                                     .null_fd = -1,
                                     .close_fds = {-1, -1, -1, -1}};
    struct cordon__ending e = {.exited = true};
    double t0 = cordon__now();
    char why[128];

    if (cordon__interrupt_signal() != 0) {
        cordon__result_unrun(r, t, CORDON__UNRUN_INTERRUPTED,
                             &in->run->spool);
        return true;
    }
    if (cordon__outcome_needs_fork(&t->options, why, sizeof why)) {
        /* Its death would end the run, and every test after it. */
        cordon__result_skip(r, t, why, &in->run->spool);
        return true;
    }
    if (in->obs->started != NULL) {
        struct cordon__result now = {.test = t, .attempt = r->attempt,
                                     .repetition = r->repetition,
                                     .began = t0};

        in->obs->started(in->obs->arg, in->run, index, &now);
    }
    cordon__interrupt_inline(true);
    cordon__child_run_inline(&cs);
    cordon__interrupt_inline(false);
    /* A TEST_FILES input, after the body and teardown, also when a check
     * jumped out of them. */
    cordon__files_unmap();
    e.seconds = cordon__now() - t0;
    e.finished = atomic_load(&in->rec->body_finished) == (int)getpid();
    cordon__result_build(r, t, &e, in->rec, NULL, in->run);
    r->began = t0;
    cordon__tmpdir_settle(in->rec, r, &in->run->spool);
    cordon__record_reset(in->rec);
    return true;
}

int
cordon__inline_run(struct cordon__run *run, const struct cordon__observer *obs)
{
    struct inline_run in = {.run = run, .obs = obs,
                            .rec = cordon__record_map()};
    atomic_long first_failed = 0;
    size_t emitted = 0;

    char *scrubbed;

    if (in.rec == NULL)
        return -1;
    /* The tests see none of the run's own variables, as forked ones. */
    scrubbed = cordon__testenv_scrub(true);
    cordon__record_reset(in.rec);
    /* What a test forks (a cordon_isolate() function, a helper) gets no
     * spool to scribble on; the record is unmapped by the isolated
     * function itself (cordon__child_detach). */
    (void)cordon__platform_dontfork((void *)run->spool.end,
                                    sizeof *run->spool.end, true);
    run->first_failed = &first_failed;
    for (size_t k = 0; k < run->n; k++) {
        size_t i = run->order ? run->order[k] : k;
        const struct cordon__once_verdict *v;

        if (cordon__retry_skip(run, i, &run->results[i]))
            ;
        else if ((v = once_inline(&in, i)) != NULL) {
            cordon__result_verdict(&run->results[i], run->tests[i],
                                   v->outcome, v->signal, v->reason,
                                   &run->spool);
            cordon__retry_note(run, i, &run->results[i]);
        } else
            cordon__retry_test(run, i, attempt_inline, &in,
                               &run->results[i]);
        /* Whatever became of the test (run, skipped, interrupted), the
         * once that ran for it is drawn with it. */
        if (in.once_began > 0)
            once_to(&in, &run->results[i]);
        run->results[i].done = true;
        if (obs->finished != NULL)
            obs->finished(obs->arg, run, i);
        while (emitted < run->n && run->results[emitted].done)
            obs->result(obs->arg, run, emitted++);
    }
    run->interrupt_signal = cordon__interrupt_signal();
    run->first_failed = NULL;
    (void)cordon__platform_dontfork((void *)run->spool.end,
                                    sizeof *run->spool.end, false);
    cordon__record_unmap(in.rec);
    free(in.onces);
    cordon__testenv_unscrub(scrubbed);
    return 0;
}
