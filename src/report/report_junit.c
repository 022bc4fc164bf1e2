// SPDX-License-Identifier: MIT
// report_junit.c — the JUnit XML report, written with libxml2's
// xmlTextWriter (never by string templates): one <testsuite> per suite in
// the order of each suite's first test, its <testcase>s in test order, so
// the file of a -j1 run and a -jN run differ only in time, timestamp,
// hostname and the cordon.started property (the run's start to the
// nanosecond, which cordon-junit-merge orders reruns by). Text and
// attributes pass through cordon__sanitize first, so whatever a test
// printed, the file is well-formed. Validates against the Jenkins
// junit-10.xsd, plus testcase file/line attributes that GitLab and
// GitHub reporters read.
//
// The report streams: the writer's output buffer drains through a sink
// into the destination while the suites are written, and each test's
// texts are read back from the spool and sanitised as its <testcase> is
// written, into buffers the next test reuses. The runner thus holds one
// test's texts at a time (bounded by --output-limit), not the report.
// libxml2 is reached through the table of libxml.h, loaded only now.
#include "report/report.h"
#include "libxml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* JUnit's failures are failed checks; every other failed outcome (crash,
 * timeout, early exit, interruption) is an error. */
static size_t
errors_of(const struct cordon__counts *k)
{
    return k->failed - k->by_outcome[CORDON_OUTCOME_FAIL];
}

/* The writer calls return -1 on error; ok() folds them into one flag. The
 * buffers are reused from test to test. */
struct out {
    const struct cordon__libxml *x;
    xmlTextWriterPtr w;
    bool failed;
    struct cordon__sink *sink;
    struct cordon__buf clean;  /* a value, sanitised */
    struct cordon__buf reason; /* the result's reason */
    struct cordon__buf body;   /* a verdict's text */
    struct cordon__buf spooled; /* a text read from the spool */
};

static void
ok(struct out *o, int rc)
{
    if (rc < 0)
        o->failed = true;
}

/* clean sanitises data[0..len) into o->clean and returns it. */
static const char *
clean(struct out *o, const char *data, size_t len)
{
    o->clean.len = 0;
    cordon__sanitize(data, len, &o->clean);
    return o->clean.data;
}

static void
attr(struct out *o, const char *name, const char *value)
{
    ok(o, o->x->TextWriterWriteAttribute(
              o->w, BAD_CAST name, BAD_CAST clean(o, value, strlen(value))));
}

/* attr_line writes value as a one-line attribute: line breaks become
 * spaces (the message of a verdict is one line; its text keeps them). */
static void
attr_line(struct out *o, const char *name, const char *value)
{
    char *line = cordon__xstrdup(value);

    for (char *p = line; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    attr(o, name, line);
    free(line);
}

static void
attr_count(struct out *o, const char *name, size_t n)
{
    char v[32];

    snprintf(v, sizeof v, "%zu", n);
    attr(o, name, v);
}

/* attr_time writes seconds with three decimals and never an exponent. */
static void
attr_time(struct out *o, const char *name, double seconds)
{
    char v[64];

    snprintf(v, sizeof v, "%.3f", seconds < 0 ? 0.0 : seconds);
    attr(o, name, v);
}

static void
text(struct out *o, const char *data, size_t len)
{
    ok(o, o->x->TextWriterWriteString(o->w, BAD_CAST clean(o, data, len)));
}

/* verdict_type is the documented type attribute of a failure or error. */
static const char *
verdict_type(const struct cordon__result *r)
{
    const struct cordon_test_options *opt = &r->test->options;

    switch (r->outcome) {
    case CORDON_OUTCOME_FAIL:
        if (r->nfailures > 0 || r->dropped_failures > 0)
            return "assertion";
        if (r->found_by != CORDON__TOOL_NONE)
            return r->found_by == CORDON__TOOL_SANITIZER ? "sanitizer"
                                                         : "valgrind";
        if (opt->signal != 0)
            return "expected-signal";
        if (opt->exit_code != CORDON_NO_EXIT)
            return "expected-exit";
        return "unknown";
    case CORDON_OUTCOME_CRASH:
        if (r->found_by == CORDON__TOOL_SANITIZER)
            return "sanitizer";
        return cordon__signal_name(r->signal);
    case CORDON_OUTCOME_TIMEOUT: return "timeout";
    case CORDON_OUTCOME_EXIT: return "exit";
    case CORDON_OUTCOME_INTERRUPTED: return "interrupted";
    case CORDON_OUTCOME_ERROR: return "teardown";
    default: return NULL;
    }
}

static void
clean_piece(void *arg, const char *clean, size_t len)
{
    struct out *o = arg;

    (void)len;
    ok(o, o->x->TextWriterWriteString(o->w, BAD_CAST clean));
}

/* spooled writes the spooled text of a span as an element's text, a piece
 * at a time: a test's output may be of any size. */
static void
spooled(struct out *o, const struct cordon__run *run, const char *name,
        struct cordon__span s)
{
    ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST name));
    if (cordon__run_pieces(run, s, clean_piece, o) == 0)
        text(o, "", 0);
    ok(o, o->x->TextWriterEndElement(o->w));
}

/* verdict_body puts the text of r's verdict in o->body: its reason
 * unless its failures say it, then each failure. */
static void
verdict_body(struct out *o, const struct cordon__run *run,
             const struct cordon__result *r)
{
    o->body.len = 0;
    cordon__buf_add(&o->body, "", 0);
    if (r->outcome != CORDON_OUTCOME_FAIL || r->nfailures == 0)
        cordon__buf_printf(&o->body, "%s\n", o->reason.data);
    if (r->failures.len > 0) {
        cordon__run_text(run, r->failures, &o->spooled);
        cordon__buf_add(&o->body, o->spooled.data, o->spooled.len);
    }
    cordon__report_crash(run, r, &o->body);
    if (r->tmpdir.len > 0) {
        cordon__run_text(run, r->tmpdir, &o->spooled);
        cordon__buf_printf(&o->body, "its cordon_tmpdir() is kept: %s\n",
                           o->spooled.data);
    }
}

/* message writes r's reason as the message attribute, behind which run
 * it was ("attempt 2 of 3: ...") when the test ran more than once. */
static void
message(struct out *o, const struct cordon__result *r)
{
    char label[96];
    struct cordon__buf m = {0};

    cordon__retry_label(r, label, sizeof label);
    if (label[0] != '\0')
        cordon__buf_printf(&m, "%s: ", label);
    cordon__buf_add(&m, o->reason.data, o->reason.len);
    attr_line(o, "message", m.data);
    free(m.data);
}

/* reruns writes the earlier failed attempts of r, Maven Surefire's way:
 * flakyFailure / flakyError in a test that then passed, rerunFailure /
 * rerunError in one that never did; each with its message and type, its
 * failures as stackTrace, and its own output. With --junit-attempts=last
 * it writes nothing: readers that take these elements their own way
 * (Allure marks a test with rerun elements flaky; xunit-viewer hides one
 * whose first child is flakyFailure) see the deciding attempt alone. */
static void
reruns(struct out *o, const struct cordon__run *run,
       const struct cordon__result *r)
{
    bool flaky = cordon__retry_flaky(r);
    struct cordon__result *tries;
    size_t n;

    if (r->ntries == 0 || run->cfg->junit_last_attempt)
        return;
    tries = cordon__retry_tries(run, r, &n);
    for (size_t i = 0; i < n; i++) {
        const struct cordon__result *t = &tries[i];
        bool fail = t->outcome == CORDON_OUTCOME_FAIL;
        const char *type = verdict_type(t);

        ok(o, o->x->TextWriterStartElement(
                  o->w, BAD_CAST(flaky ? (fail ? "flakyFailure" : "flakyError")
                                       : (fail ? "rerunFailure"
                                               : "rerunError"))));
        cordon__run_text(run, t->reason, &o->reason);
        message(o, t);
        attr(o, "type", type != NULL ? type : "unknown");
        verdict_body(o, run, t);
        ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST "stackTrace"));
        text(o, o->body.data, o->body.len);
        ok(o, o->x->TextWriterEndElement(o->w));
        if (t->out.span.len > 0)
            spooled(o, run, "system-out", t->out.span);
        if (t->err.span.len > 0)
            spooled(o, run, "system-err", t->err.span);
        ok(o, o->x->TextWriterEndElement(o->w));
    }
    free(tries);
}

static void
testcase(struct out *o, const struct cordon__run *run,
         const struct cordon__result *r)
{
    const char *type = verdict_type(r);
    char line[32];

    ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST "testcase"));
    attr(o, "name", r->test->name);
    attr(o, "classname", r->test->suite);
    attr_time(o, "time", r->seconds);
    attr(o, "file", r->test->file);
    snprintf(line, sizeof line, "%d", r->test->line);
    attr(o, "line", line);
    cordon__run_text(run, r->reason, &o->reason);
    if (r->outcome == CORDON_OUTCOME_SKIP) {
        ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST "skipped"));
        attr_line(o, "message", o->reason.data);
        ok(o, o->x->TextWriterEndElement(o->w));
    } else if (type != NULL) {
        verdict_body(o, run, r);
        ok(o, o->x->TextWriterStartElement(
                  o->w, BAD_CAST(r->outcome == CORDON_OUTCOME_FAIL ? "failure"
                                                                   : "error")));
        message(o, r);
        attr(o, "type", type);
        text(o, o->body.data, o->body.len);
        ok(o, o->x->TextWriterEndElement(o->w));
    }
    reruns(o, run, r);
    if (r->out.span.len > 0)
        spooled(o, run, "system-out", r->out.span);
    if (r->err.span.len > 0)
        spooled(o, run, "system-err", r->err.span);
    ok(o, o->x->TextWriterEndElement(o->w));
}

/* The results of one suite, grouped: lead is the index of the suite's
 * first test, which orders the suites. */
struct member {
    size_t index;
    size_t lead;
    const char *suite;
};

static int
by_suite(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int c = strcmp(x->suite, y->suite);

    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static int
by_lead(const void *a, const void *b)
{
    const struct member *x = a, *y = b;

    if (x->lead != y->lead)
        return x->lead < y->lead ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* suite_order lists every result grouped by suite, the suites in the order
 * of their first tests and each suite's tests in test order (two sorts, so
 * a run of many one-test suites stays O(n log n)). */
static struct member *
suite_order(const struct cordon__run *run)
{
    struct member *m = cordon__xmalloc(run->n * sizeof *m);

    for (size_t i = 0; i < run->n; i++)
        m[i] = (struct member){i, i, run->results[i].test->suite};
    qsort(m, run->n, sizeof *m, by_suite);
    for (size_t i = 1; i < run->n; i++)
        if (strcmp(m[i].suite, m[i - 1].suite) == 0)
            m[i].lead = m[i - 1].lead;
    qsort(m, run->n, sizeof *m, by_lead);
    return m;
}

/* When the run began: timestamp to the second, as readers expect it, and
 * started to the nanosecond, in a property, for cordon-junit-merge to tell
 * apart two runs of one test in one second. */
struct when {
    char stamp[32];
    char started[64];
    char host[256];
};

/* testsuite writes the suite whose results are m[0..count). */
static void
testsuite(struct out *o, const struct cordon__run *run,
          const struct member *m, size_t count, const struct when *when)
{
    struct cordon__counts k = {0};
    double seconds = 0;

    for (size_t i = 0; i < count; i++) {
        cordon__counts_add(&k, &run->results[m[i].index]);
        seconds += run->results[m[i].index].seconds;
    }
    ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST "testsuite"));
    attr(o, "name", m[0].suite);
    attr_count(o, "tests", k.total);
    attr_count(o, "failures", k.by_outcome[CORDON_OUTCOME_FAIL]);
    attr_count(o, "errors", errors_of(&k));
    attr_count(o, "skipped", k.skipped);
    attr_time(o, "time", seconds);
    attr(o, "timestamp", when->stamp);
    attr(o, "hostname", when->host);
    ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST "properties"));
    ok(o, o->x->TextWriterStartElement(o->w, BAD_CAST "property"));
    attr(o, "name", "cordon.started");
    attr(o, "value", when->started);
    ok(o, o->x->TextWriterEndElement(o->w));
    ok(o, o->x->TextWriterEndElement(o->w));
    /* Past a failed write nothing more can reach the destination. */
    for (size_t i = 0; i < count && o->sink->err == 0; i++)
        testcase(o, run, &run->results[m[i].index]);
    ok(o, o->x->TextWriterEndElement(o->w));
}

static const char *
binary_name(const struct cordon__run *run)
{
    const char *slash = strrchr(run->cfg->argv0, '/');

    return slash ? slash + 1 : run->cfg->argv0;
}

/* drain is the writer's output callback: it hands each filled buffer to
 * the sink. It reports success even after a failed write, whose error the
 * sink keeps: libxml2 would print its own message for a failure on
 * stderr, and the runner says it in one line of its own. */
static int
drain(void *sink, const char *data, int len)
{
    cordon__sink_add(sink, data, (size_t)len);
    return len;
}

const char *
cordon__report_libxml_prepare(void)
{
    static char why[512];
    char err[400];

    if (cordon__libxml_load(err, sizeof err) != NULL)
        return NULL;
    snprintf(why, sizeof why, "cannot load libxml2: %s (install libxml2, "
             "e.g. apt-get install libxml2, or write a TAP report with "
             "--tap instead)", err);
    return why;
}

xmlTextWriterPtr
cordon__libxml_writer(struct cordon__sink *out,
                      const struct cordon__libxml **x)
{
    char why[400];
    xmlOutputBufferPtr buf;
    xmlTextWriterPtr w = NULL;

    *x = cordon__libxml_load(why, sizeof why);
    if (*x == NULL) {
        errno = ENOENT;
        return NULL;
    }
    buf = (*x)->OutputBufferCreateIO(drain, NULL, out, NULL);
    if (buf == NULL || (w = (*x)->NewTextWriter(buf)) == NULL) {
        if (buf != NULL)
            (*x)->OutputBufferClose(buf);
        errno = ENOMEM;
    }
    return w;
}

int
cordon__report_junit(const struct cordon__run *run, struct cordon__sink *out)
{
    struct out o = {.sink = out};
    struct when when;
    struct tm tm;
    struct member *order;

    o.w = cordon__libxml_writer(out, &o.x);
    if (o.w == NULL)
        return -1;
    gmtime_r(&run->started_at.tv_sec, &tm);
    /* At most 26 characters (an int's year is 11) into stamp's 32.
     * NOLINTNEXTLINE(cert-err33-c) */
    strftime(when.stamp, sizeof when.stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when.started, sizeof when.started, "%s.%09ldZ", when.stamp,
             (long)run->started_at.tv_nsec);
    if (gethostname(when.host, sizeof when.host) != 0)
        snprintf(when.host, sizeof when.host, "localhost");
    when.host[sizeof when.host - 1] = '\0';
    order = suite_order(run);

    ok(&o, o.x->TextWriterSetIndent(o.w, 1));
    ok(&o, o.x->TextWriterSetIndentString(o.w, BAD_CAST "  "));
    ok(&o, o.x->TextWriterStartDocument(o.w, "1.0", "UTF-8", NULL));
    /* The root holds no counts, as pytest's: junit-10.xsd gives it tests,
     * failures and errors but no skipped, and a reader that takes the
     * root's counts for the run's (test-results-parser) then counts every
     * skipped test as passed. Without them it adds up the suites', which
     * have all four; so do Jenkins, GitLab and the rest, from the cases. */
    ok(&o, o.x->TextWriterStartElement(o.w, BAD_CAST "testsuites"));
    attr(&o, "name", binary_name(run));
    attr_time(&o, "time", run->seconds);
    for (size_t i = 0, count; i < run->n && out->err == 0; i += count) {
        for (count = 1; i + count < run->n &&
                        order[i + count].lead == order[i].lead; count++)
            ;
        testsuite(&o, run, order + i, count, &when);
    }
    ok(&o, o.x->TextWriterEndElement(o.w));
    ok(&o, o.x->TextWriterEndDocument(o.w));
    ok(&o, o.x->TextWriterFlush(o.w));
    /* Closes buf too, which flushes nothing more: it is empty. */
    o.x->FreeTextWriter(o.w);
    free(order);
    free(o.clean.data);
    free(o.reason.data);
    free(o.body.data);
    free(o.spooled.data);
    if (out->err != 0) {
        errno = out->err;
        return -1;
    }
    if (o.failed) {
        /* Every byte went out, so libxml2 itself failed: memory. */
        errno = ENOMEM;
        return -1;
    }
    return 0;
}
