// SPDX-License-Identifier: MIT
// report_ctrf.c — the Common Test Report Format report (ctrf.io, schema
// 0.0): results.tool, results.summary and one results.tests[] object per
// test, in test order. Each cordon outcome maps to one CTRF status, and
// rawStatus keeps cordon's own word:
//   PASS -> passed (FLAKY: passed, flaky true, retries, retryAttempts);
//   FAIL, CRASH, TIMEOUT, EXIT, ERROR -> failed;
//   SKIP (disabled, SKIP(), and tests not run: interrupted, --fail-fast)
//     -> skipped;
//   INTERRUPTED (it was running when the run was interrupted) -> other.
// pending is never used: cordon has no test that is declared but not
// meant to run yet.
//
// Like JUnit and TAP it streams into a sink, test by test: every value is
// built and escaped by jansson, and only the few constant keys that join
// the values are written here, so one test's texts are in memory at a
// time, not the report's.
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The CTRF specification version this report follows. */
#define CTRF_SPEC "0.0.0"

static const char *
status_of(const struct cordon__result *r)
{
    switch (r->outcome) {
    case CORDON_OUTCOME_PASS: return "passed";
    case CORDON_OUTCOME_SKIP: return "skipped";
    case CORDON_OUTCOME_INTERRUPTED: return "other";
    case CORDON_OUTCOME_FAIL:
    case CORDON_OUTCOME_CRASH:
    case CORDON_OUTCOME_TIMEOUT:
    case CORDON_OUTCOME_EXIT:
    case CORDON_OUTCOME_ERROR:
        return "failed";
    }
    return "other";
}

/* ms is a duration in whole milliseconds, rounded. */
static json_int_t
ms(double seconds)
{
    return seconds > 0 ? (json_int_t)(seconds * 1000.0 + 0.5) : 0;
}

/* epoch_ms is a time on the run's clock (cordon__now) in milliseconds
 * since the Unix epoch, from the wall-clock time the run began. */
static json_int_t
epoch_ms(const struct cordon__run *run, double t)
{
    double start = (double)run->started_at.tv_sec * 1000.0 +
                   (double)run->started_at.tv_nsec / 1e6;

    return (json_int_t)(start + (t - run->began) * 1000.0 + 0.5);
}

/* trace is what says where a test that did not pass was: its failures,
 * one a line, then the address, last check and backtrace; NULL when
 * nothing is known. */
static json_t *
trace(const struct cordon__run *run, const struct cordon__result *r)
{
    struct cordon__buf text = {0}, crash = {0};
    json_t *v = NULL;

    if (r->failures.len > 0)
        cordon__run_text(run, r->failures, &text);
    cordon__report_crash(run, r, &crash);
    if (crash.len > 0)
        cordon__buf_add(&text, crash.data, crash.len);
    if (text.len > 0)
        v = cordon__json_text(text.data, text.len);
    free(text.data);
    free(crash.data);
    return v;
}

/* retry_attempts lists the earlier failed attempts of r, for a test that
 * ran once (without --repeat), as CTRF's retryAttempts; NULL when none. */
static json_t *
retry_attempts(const struct cordon__run *run, const struct cordon__result *r)
{
    struct cordon__result *t;
    json_t *a;
    size_t n;

    if (r->ntries == 0 || r->repetitions > 1)
        return NULL;
    t = cordon__retry_tries(run, r, &n);
    a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *one = json_pack("{s:I, s:s, s:I}", "attempt",
                                (json_int_t)t[i].attempt, "status",
                                status_of(&t[i]), "duration",
                                ms(t[i].seconds));

        if (t[i].reason.len > 0)
            json_object_set_new(one, "message",
                                cordon__json_span(run, t[i].reason));
        if (t[i].began > 0) {
            json_object_set_new(one, "start", json_integer(epoch_ms(
                                                  run, t[i].began)));
            json_object_set_new(one, "stop",
                                json_integer(epoch_ms(
                                    run, t[i].began + t[i].seconds)));
        }
        json_array_append_new(a, one);
    }
    free(t);
    if (json_array_size(a) == 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* set_maybe sets key to v unless v is NULL. */
static void
set_maybe(json_t *o, const char *key, json_t *v)
{
    if (v != NULL)
        json_object_set_new(o, key, v);
}

static json_t *
test_of(const struct cordon__run *run, const struct cordon__result *r)
{
    const struct cordon_impl_test *t = r->test;
    bool flaky = cordon__retry_flaky(r);
    json_t *o = json_object(), *extra = json_object();
    char worker[32];

    json_object_set_new(o, "name", cordon__json_id(t));
    json_object_set_new(o, "testId", cordon__json_id(t));
    json_object_set_new(o, "status", json_string(status_of(r)));
    json_object_set_new(o, "rawStatus",
                        json_string(flaky ? "FLAKY"
                                          : cordon__outcome_word(r->outcome)));
    json_object_set_new(o, "duration", json_integer(ms(r->seconds)));
    if (r->started && r->began > 0) {
        json_object_set_new(o, "start", json_integer(epoch_ms(run,
                                                              r->began)));
        json_object_set_new(o, "stop", json_integer(epoch_ms(
                                           run, r->began + r->seconds)));
        snprintf(worker, sizeof worker, "%u", r->lane);
        json_object_set_new(o, "threadId", json_string(worker));
    }
    json_object_set_new(o, "suite", json_pack("[o]", cordon__json_text(
                                                         t->suite,
                                                         strlen(t->suite))));
    if (r->outcome != CORDON_OUTCOME_PASS || flaky)
        set_maybe(o, "message", r->reason.len > 0
                                    ? cordon__json_span(run, r->reason)
                                    : NULL);
    if (r->outcome != CORDON_OUTCOME_PASS)
        set_maybe(o, "trace", trace(run, r));
    json_object_set_new(o, "filePath", cordon__json_text(t->file,
                                                         strlen(t->file)));
    json_object_set_new(o, "line", json_integer(t->line));
    json_object_set_new(o, "retries",
                        json_integer(r->attempt > 1 ? r->attempt - 1 : 0));
    json_object_set_new(o, "flaky", json_boolean(flaky));
    set_maybe(o, "retryAttempts", retry_attempts(run, r));
    if (r->out.span.len > 0)
        json_object_set_new(o, "stdout", cordon__json_lines(run,
                                                            r->out.span));
    if (r->err.span.len > 0)
        json_object_set_new(o, "stderr", cordon__json_lines(run,
                                                            r->err.span));
    /* What CTRF has no field for, under cordon's own names. */
    json_object_set_new(extra, "outcome",
                        json_string(cordon__outcome_word(r->outcome)));
    json_object_set_new(extra, "ran", json_boolean(r->started));
    if (r->signal != 0)
        json_object_set_new(extra, "signal",
                            json_string(cordon__signal_name(r->signal)));
    if (r->exit_status >= 0)
        json_object_set_new(extra, "exit_status",
                            json_integer(r->exit_status));
    json_object_set_new(extra, "attempt", json_integer(r->attempt));
    json_object_set_new(extra, "attempts", json_integer(r->attempts));
    json_object_set_new(extra, "repetition", json_integer(r->repetition));
    json_object_set_new(extra, "repetitions", json_integer(r->repetitions));
    json_object_set_new(extra, "stdout_bytes", json_integer(
                                                   (json_int_t)r->out.total));
    json_object_set_new(extra, "stdout_omitted",
                        json_integer((json_int_t)r->out.omitted));
    json_object_set_new(extra, "stderr_bytes", json_integer(
                                                   (json_int_t)r->err.total));
    json_object_set_new(extra, "stderr_omitted",
                        json_integer((json_int_t)r->err.omitted));
    set_maybe(extra, "tmpdir", r->tmpdir.len > 0
                                   ? cordon__json_span(run, r->tmpdir)
                                   : NULL);
    json_object_set_new(o, "extra", extra);
    return o;
}

/* summary counts the run as CTRF does: failed leaves out the tests the
 * interruption stopped, which are other. */
static json_t *
summary(const struct cordon__run *run)
{
    struct cordon__counts k;
    size_t interrupted;
    json_int_t start = epoch_ms(run, run->began);

    cordon__counts_of(run, &k);
    interrupted = k.by_outcome[CORDON_OUTCOME_INTERRUPTED];
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                     "tests", (json_int_t)k.total,
                     "passed", (json_int_t)k.passed,
                     "failed", (json_int_t)(k.failed - interrupted),
                     "skipped", (json_int_t)k.skipped,
                     "pending", (json_int_t)0,
                     "other", (json_int_t)interrupted,
                     "flaky", (json_int_t)k.flaky,
                     "start", start,
                     "stop", start + ms(run->seconds),
                     "duration", ms(run->seconds));
}

static void
constant(struct cordon__sink *out, const char *text)
{
    cordon__sink_add(out, text, strlen(text));
}

int
cordon__report_ctrf(const struct cordon__run *run, struct cordon__sink *out)
{
    const struct cordon__config *cfg = run->cfg;
    struct timespec now;
    struct tm tm;
    char when[64];
    json_t *extra;

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    /* At most 27 characters (an int's year is 11) into when's 64.
     * NOLINTNEXTLINE(cert-err33-c) */
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    extra = json_pack("{s:o, s:o}", "binary",
                      cordon__json_text(cfg->argv0, strlen(cfg->argv0)),
                      "interrupted_by",
                      run->interrupt_signal != 0
                          ? json_string(cordon__signal_name(
                                run->interrupt_signal))
                          : json_null());
    constant(out, "{\"reportFormat\":\"CTRF\",\"specVersion\":\"" CTRF_SPEC
                  "\",\"generatedBy\":\"cordon\",\"timestamp\":");
    cordon__json_put(out, json_string(when));
    constant(out, ",\"results\":{\"tool\":");
    cordon__json_put(out, json_pack("{s:s, s:s}", "name", "cordon",
                                    "version", CORDON_VERSION_STRING));
    constant(out, ",\"summary\":");
    cordon__json_put(out, summary(run));
    constant(out, ",\"extra\":");
    cordon__json_put(out, extra);
    constant(out, ",\"tests\":[");
    /* Past a failed write nothing more can reach the destination. */
    for (size_t i = 0; i < run->n && out->err == 0; i++) {
        if (i > 0)
            constant(out, ",\n");
        cordon__json_put(out, test_of(run, &run->results[i]));
    }
    constant(out, "]}}\n");
    if (out->err != 0) {
        errno = out->err;
        return -1;
    }
    return 0;
}
