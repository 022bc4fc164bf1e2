// SPDX-License-Identifier: MIT
// report_json.c — the --json event stream: JSON Lines, one object per
// event, written and flushed as the coordinator learns of it, in that
// order (not in test order): run-started, test-started, suite-once,
// test-finished, run-finished. It is an observer chained behind the
// console's (cordon__events_observe), so the console, JUnit and TAP keep
// their test order. Unlike the file reports it is not written atomically:
// a reader follows it while the run goes (docs/reports.md). The form of
// every event is docs/cordon-events.schema.json, CORDON__EVENTS_SCHEMA.
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cordon__events {
    struct cordon__observer inner; /* the console's, called first */
    int fd;
    struct cordon__sink sink;
};

/* since is a time on the run's clock (cordon__now) as seconds since the
 * run began. */
static json_t *
since(const struct cordon__run *run, double t)
{
    return cordon__json_seconds(t - run->began);
}

/* event starts an event object: {"event": name, "time": seconds since
 * the run began}. */
static json_t *
event(const struct cordon__run *run, const char *name)
{
    return json_pack("{s:s, s:o}", "event", name, "time",
                     since(run, cordon__now()));
}

/* put writes one event as a line and flushes it: a reader sees each
 * event as it happens, and a run killed mid-way leaves whole lines. */
static void
put(struct cordon__events *ev, json_t *v)
{
    cordon__json_put(&ev->sink, v);
    cordon__sink_add(&ev->sink, "\n", 1);
    cordon__sink_flush(&ev->sink);
}

static json_t *
signal_or_null(int sig)
{
    return sig != 0 ? json_string(cordon__signal_name(sig)) : json_null();
}

/* utc writes the wall-clock time ts as RFC 3339 UTC with milliseconds. */
static void
utc(const struct timespec *ts, char *out, size_t size)
{
    struct tm tm;
    char day[32];

    gmtime_r(&ts->tv_sec, &tm);
    /* At most 26 characters (an int's year is 11) into day's 32.
     * NOLINTNEXTLINE(cert-err33-c) */
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%03ldZ", day, ts->tv_nsec / 1000000);
}

struct cordon__events *
cordon__events_open(const struct cordon__run *run, int fd, uint64_t seed)
{
    const struct cordon__config *cfg = run->cfg;
    struct cordon__events *ev = calloc(1, sizeof *ev);
    char seed_text[24], when[64];
    size_t jobs = cfg->no_fork ? 1 : (size_t)cfg->jobs;
    json_t *v;

    if (ev == NULL)
        return NULL;
    ev->fd = fd;
    cordon__sink_init(&ev->sink, fd);
    if (jobs > run->n)
        jobs = run->n > 0 ? run->n : 1;
    snprintf(seed_text, sizeof seed_text, "%llu", (unsigned long long)seed);
    utc(&run->started_at, when, sizeof when);
    v = event(run, "run-started");
    json_object_set_new(v, "schema", json_string(CORDON__EVENTS_SCHEMA));
    json_object_set_new(v, "cordon", json_string(CORDON_VERSION_STRING));
    json_object_set_new(v, "binary", cordon__json_text(cfg->argv0,
                                                       strlen(cfg->argv0)));
    json_object_set_new(v, "started_at", json_string(when));
    json_object_set_new(v, "tests", json_integer((json_int_t)run->n));
    json_object_set_new(v, "jobs", json_integer((json_int_t)jobs));
    json_object_set_new(v, "no_fork", json_boolean(cfg->no_fork));
    json_object_set_new(v, "seed", run->order != NULL
                                       ? json_string(seed_text)
                                       : json_null());
    json_object_set_new(v, "shard",
                        cfg->shard_total > 0
                            ? json_pack("{s:I, s:I}", "index",
                                        (json_int_t)cfg->shard_index + 1,
                                        "total",
                                        (json_int_t)cfg->shard_total)
                            : json_null());
    json_object_set_new(v, "timeout", json_real(cfg->timeout));
    json_object_set_new(v, "retries", json_integer(cfg->retries));
    json_object_set_new(v, "repeat", json_integer(cfg->repeat));
    put(ev, v);
    return ev;
}

/* ---- the observer ---- */

static void
on_result(void *arg, const struct cordon__run *run, size_t index)
{
    struct cordon__events *ev = arg;

    ev->inner.result(ev->inner.arg, run, index);
}

static void
on_progress(void *arg, const struct cordon__run *run, size_t done)
{
    struct cordon__events *ev = arg;

    if (ev->inner.progress != NULL)
        ev->inner.progress(ev->inner.arg, run, done);
}

static void
on_started(void *arg, const struct cordon__run *run, size_t index,
           const struct cordon__result *r)
{
    struct cordon__events *ev = arg;
    json_t *v = event(run, "test-started");

    if (ev->inner.started != NULL)
        ev->inner.started(ev->inner.arg, run, index, r);
    json_object_set_new(v, "id", cordon__json_id(run->tests[index]));
    json_object_set_new(v, "index", json_integer((json_int_t)index));
    json_object_set_new(v, "worker", json_integer(r->lane));
    json_object_set_new(v, "attempt", json_integer(r->attempt));
    json_object_set_new(v, "repetition", json_integer(r->repetition));
    json_object_set_new(v, "began", since(run, r->began));
    put(ev, v);
}

/* tries lists the earlier failed attempts of r: attempt, repetition,
 * outcome, reason, duration. */
static json_t *
tries(const struct cordon__run *run, const struct cordon__result *r)
{
    struct cordon__result *t;
    json_t *a = json_array();
    size_t n;

    if (r->ntries == 0)
        return a;
    t = cordon__retry_tries(run, r, &n);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{s:i, s:i, s:s, s:o, s:o}", "attempt",
                         (int)t[i].attempt, "repetition",
                         (int)t[i].repetition, "outcome",
                         cordon__outcome_word(t[i].outcome), "reason",
                         t[i].reason.len > 0
                             ? cordon__json_span(run, t[i].reason)
                             : json_string(""),
                         "duration", cordon__json_seconds(t[i].seconds)));
    free(t);
    return a;
}

/* failures lists r's failures, one string each; the note the result
 * ends them with when some were not recorded is left out, as
 * failures_dropped counts those. */
static json_t *
failures(const struct cordon__run *run, const struct cordon__result *r)
{
    json_t *a = cordon__json_lines(run, r->failures);
    size_t n = json_array_size(a);

    if (r->dropped_failures > 0 && n > r->nfailures)
        json_array_remove(a, n - 1);
    return a;
}

static void
on_finished(void *arg, const struct cordon__run *run, size_t index)
{
    struct cordon__events *ev = arg;
    const struct cordon__result *r = &run->results[index];
    const struct cordon_impl_test *t = run->tests[index];
    json_t *v = event(run, "test-finished");
    char addr[128];

    if (ev->inner.finished != NULL)
        ev->inner.finished(ev->inner.arg, run, index);
    json_object_set_new(v, "id", cordon__json_id(t));
    json_object_set_new(v, "index", json_integer((json_int_t)index));
    json_object_set_new(v, "outcome",
                        json_string(cordon__outcome_word(r->outcome)));
    json_object_set_new(v, "flaky", json_boolean(cordon__retry_flaky(r)));
    json_object_set_new(v, "reason", r->reason.len > 0
                                         ? cordon__json_span(run, r->reason)
                                         : json_string(""));
    json_object_set_new(v, "ran", json_boolean(r->started));
    json_object_set_new(v, "worker", r->started ? json_integer(r->lane)
                                                : json_null());
    json_object_set_new(v, "began", r->started && r->began > 0
                                        ? since(run, r->began)
                                        : json_null());
    json_object_set_new(v, "duration", cordon__json_seconds(r->seconds));
    json_object_set_new(v, "timeout", json_real(r->timeout));
    json_object_set_new(v, "attempt", json_integer(r->attempt));
    json_object_set_new(v, "attempts", json_integer(r->attempts));
    json_object_set_new(v, "repetition", json_integer(r->repetition));
    json_object_set_new(v, "repetitions", json_integer(r->repetitions));
    json_object_set_new(v, "earlier_attempts", tries(run, r));
    json_object_set_new(v, "file", cordon__json_text(t->file,
                                                     strlen(t->file)));
    json_object_set_new(v, "line", json_integer(t->line));
    json_object_set_new(v, "signal", signal_or_null(r->signal));
    json_object_set_new(v, "exit_status", r->exit_status >= 0
                                              ? json_integer(r->exit_status)
                                              : json_null());
    json_object_set_new(v, "failures", failures(run, r));
    json_object_set_new(v, "failures_dropped",
                        json_integer(r->dropped_failures));
    json_object_set_new(v, "checkpoint", cordon__json_span(run,
                                                           r->checkpoint));
    json_object_set_new(v, "address",
                        cordon__report_address(r, addr, sizeof addr)
                            ? json_string(addr)
                            : json_null());
    json_object_set_new(v, "backtrace", cordon__json_lines(run,
                                                           r->backtrace));
    json_object_set_new(v, "stdout", cordon__json_stream(run, &r->out));
    json_object_set_new(v, "stderr", cordon__json_stream(run, &r->err));
    json_object_set_new(v, "tmpdir", cordon__json_span(run, r->tmpdir));
    put(ev, v);
}

static void
on_once(void *arg, const struct cordon__run *run, size_t index,
        unsigned lane, const struct cordon__result *r)
{
    struct cordon__events *ev = arg;
    const struct cordon_impl_suite *s = run->tests[index]->suite_;
    json_t *v = event(run, "suite-once");

    if (ev->inner.once != NULL)
        ev->inner.once(ev->inner.arg, run, index, lane, r);
    json_object_set_new(v, "suite",
                        s != NULL ? cordon__json_text(s->name,
                                                      strlen(s->name))
                                  : json_null());
    json_object_set_new(v, "phase", json_string(r != NULL ? "finished"
                                                          : "started"));
    json_object_set_new(v, "for", cordon__json_id(run->tests[index]));
    json_object_set_new(v, "worker", json_integer(lane));
    json_object_set_new(v, "outcome",
                        r != NULL
                            ? json_string(cordon__outcome_word(r->outcome))
                            : json_null());
    json_object_set_new(v, "reason",
                        r == NULL ? json_null()
                        : r->reason.len > 0 ? cordon__json_span(run,
                                                                r->reason)
                                            : json_string(""));
    json_object_set_new(v, "duration", r != NULL
                                           ? cordon__json_seconds(r->seconds)
                                           : json_null());
    put(ev, v);
}

void
cordon__events_observe(struct cordon__events *ev,
                       struct cordon__observer *obs)
{
    ev->inner = *obs;
    obs->result = on_result;
    obs->progress = on_progress;
    obs->started = on_started;
    obs->finished = on_finished;
    obs->once = on_once;
    obs->arg = ev;
}

void
cordon__events_end(struct cordon__events *ev, const struct cordon__run *run,
                   int exit_code)
{
    struct cordon__counts k;
    json_t *v = event(run, "run-finished"), *by = json_object();

    cordon__counts_of(run, &k);
    for (int o = CORDON_OUTCOME_PASS; o <= CORDON_OUTCOME_ERROR; o++)
        json_object_set_new(by, cordon__outcome_word((enum cordon_outcome)o),
                            json_integer((json_int_t)k.by_outcome[o]));
    json_object_set_new(v, "tests", json_integer((json_int_t)k.total));
    json_object_set_new(v, "passed", json_integer((json_int_t)k.passed));
    json_object_set_new(v, "failed", json_integer((json_int_t)k.failed));
    json_object_set_new(v, "skipped", json_integer((json_int_t)k.skipped));
    json_object_set_new(v, "flaky", json_integer((json_int_t)k.flaky));
    json_object_set_new(v, "outcomes", by);
    json_object_set_new(v, "duration", cordon__json_seconds(run->seconds));
    json_object_set_new(v, "exit_code", json_integer(exit_code));
    json_object_set_new(v, "interrupted_by",
                        signal_or_null(run->interrupt_signal));
    json_object_set_new(v, "late_signal", signal_or_null(run->late_signal));
    put(ev, v);
}

bool
cordon__events_failed(const struct cordon__events *ev)
{
    return ev->sink.err != 0;
}

int
cordon__events_close(struct cordon__events *ev)
{
    int err;

    if (ev == NULL)
        return 0;
    err = ev->sink.err;
    if (ev->fd != STDOUT_FILENO && close(ev->fd) == -1 && err == 0)
        err = errno;
    free(ev);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}
