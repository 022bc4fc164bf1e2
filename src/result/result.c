// SPDX-License-Identifier: MIT
// result.c — one test's result as every report reads it: outcome, timing,
// and spans of the spool holding its reason, its failures and its captured
// output. Built whole here, in the worker that ran the test (or in the
// coordinator for a test that got no process), from the evidence: the
// ending and the record. Reports only read it.
#include "result/result.h"
#include "run/run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static struct cordon__span
spool_text(struct cordon__spool *sp, const char *text)
{
    return cordon__spool_add(sp, text, strlen(text));
}

/* spool_failures puts every failure entry of rec in the spool, one per
 * line, as one span. */
static void
spool_failures(struct cordon__result *r, const struct cordon__record *rec,
               struct cordon__spool *sp)
{
    struct cordon__buf all = {0};

    for (size_t i = 0; i < CORDON__RECORD_ENTRIES; i++) {
        const struct cordon__record_entry *en = &rec->entries[i];
        const char *text;

        if (!atomic_load_explicit(&en->ready, memory_order_acquire) ||
            en->kind != CORDON__ENTRY_FAILURE)
            continue;
        text = cordon__record_text(rec, i);
        cordon__buf_add(&all, text, strlen(text));
        cordon__buf_add(&all, "\n", 1);
        r->nfailures++;
    }
    r->dropped_failures = atomic_load(&rec->dropped);
    if (r->dropped_failures > 0)
        cordon__buf_printf(&all, "[cordon: %u more failures not recorded]\n",
                           r->dropped_failures);
    r->failures = cordon__spool_add(sp, all.data, all.len);
    free(all.data);
}

/* keeps_output says whether a result carries its captured output: always
 * for a test that did not pass, for the others when a report is written
 * and --report-output did not ask for failures only. */
static bool
keeps_output(const struct cordon__config *cfg, enum cordon_outcome o)
{
    if (cordon__outcome_failed(o) || cfg->show_output)
        return true;
    return (cfg->junit_path != NULL || cfg->tap_path != NULL ||
            cfg->json_path != NULL || cfg->ctrf_path != NULL) &&
           !cfg->failed_output_only;
}

/* skip_output empties a capture file whose text the run does not keep;
 * s still says how many bytes were printed, all of them left out. */
static void
skip_output(int fd, struct cordon__stream *s)
{
    struct stat st;

    *s = (struct cordon__stream){.span = {0, 0}};
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        s->total = s->omitted = (uint64_t)st.st_size;
    cordon__capture_discard(fd);
}

/* take_output spools the captured output; a sanitizer report in stderr
 * is kept from its header on, whatever the cap. */
static void
take_output(struct cordon__result *r, const struct cordon__output *out,
            const struct cordon__ending *e, struct cordon__run *run)
{
    uint64_t limit = run->cfg->output_limit;
    uint64_t report = e->sanitizer != NULL && e->sanitizer->found
                          ? e->sanitizer->offset : UINT64_MAX;

    if (keeps_output(run->cfg, r->outcome)) {
        cordon__capture_spool(out->out_fd, limit, &run->spool, &r->out);
        cordon__capture_spool_from(out->err_fd, limit, report, &run->spool,
                                   &r->err);
    } else {
        skip_output(out->out_fd, &r->out);
        skip_output(out->err_fd, &r->err);
    }
}

void
cordon__result_build(struct cordon__result *r,
                     const struct cordon_impl_test *t,
                     const struct cordon__ending *e,
                     const struct cordon__record *rec,
                     const struct cordon__output *out,
                     struct cordon__run *run)
{
    char reason[512];

    *r = (struct cordon__result){.test = t, .exit_status = -1};
    r->outcome = cordon__outcome_classify(e, rec, &t->options, reason,
                                          sizeof reason);
    r->reason = spool_text(&run->spool, reason);
    r->seconds = e->seconds;
    r->timeout = e->timeout;
    r->signal = e->signaled ? e->signal : 0;
    r->exit_status = e->exited ? e->status : -1;
    r->found_by = cordon__outcome_tool(e, &t->options);
    r->teardown_crashed = cordon__outcome_teardown_crashed(e, rec,
                                                           &t->options);
    spool_failures(r, rec, &run->spool);
    cordon__symbolize_result(r, rec, &run->spool);
    if (out != NULL)
        take_output(r, out, e, run);
    r->started = true;
    r->done = true;
}

void
cordon__result_unrun(struct cordon__result *r,
                     const struct cordon_impl_test *t, enum cordon__unrun why,
                     struct cordon__spool *sp)
{
    char reason[128];
    enum cordon_outcome o = cordon__outcome_unrun(why, reason, sizeof reason);

    cordon__result_verdict(r, t, o, 0, reason, sp);
}

void
cordon__result_verdict(struct cordon__result *r,
                       const struct cordon_impl_test *t, enum cordon_outcome o,
                       int signal, const char *reason,
                       struct cordon__spool *sp)
{
    *r = (struct cordon__result){.test = t, .exit_status = -1};
    r->outcome = o;
    r->signal = signal;
    r->reason = spool_text(sp, reason);
    r->done = true;
}

void
cordon__result_skip(struct cordon__result *r,
                    const struct cordon_impl_test *t, const char *reason,
                    struct cordon__spool *sp)
{
    cordon__result_verdict(r, t, CORDON_OUTCOME_SKIP, 0, reason, sp);
}

void
cordon__result_lost(struct cordon__result *r, const struct cordon_impl_test *t,
                    const struct cordon__lost *l, struct cordon__run *run)
{
    /* Nothing of the test's own record is evidence any more: judged on
     * a blank one (static, zero, never written). */
    static struct cordon__record blank;
    struct cordon__ending e = {.lost_holder = l->holder};

    if (!l->started) {
        cordon__result_unrun(r, t, CORDON__UNRUN_LOST, &run->spool);
        return;
    }
    if (l->stopped) {
        e.lost_worker = -1;
    } else if (WIFSIGNALED(l->status)) {
        e.lost_worker = WTERMSIG(l->status);
    } else {
        e.lost_worker = CORDON__LOST_EXIT;
        e.lost_status = WEXITSTATUS(l->status);
    }
    e.timeout = cordon__plan_timeout(run->cfg, t);
    e.seconds = cordon__now() - l->since;
    cordon__result_build(r, t, &e, &blank, NULL, run);
    r->began = l->since;
}

void
cordon__result_fail_fast(struct cordon__result *r,
                         const struct cordon_impl_test *t,
                         const struct cordon_impl_test *failed,
                         struct cordon__spool *sp)
{
    char reason[CORDON__MAX_ID + 64], id[CORDON__MAX_ID + 1];
    enum cordon_outcome o = cordon__outcome_fail_fast(
        cordon__test_id(failed, id, sizeof id), reason, sizeof reason);

    cordon__result_verdict(r, t, o, 0, reason, sp);
}
