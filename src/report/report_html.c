// SPDX-License-Identifier: MIT
// report_html.c — the HTML report (--html): one self-contained file to
// open from a CI artifact store, with no network access and nothing
// outside it (its style and script are inline, its timeline an inline
// SVG). In order: the counts (the console's summary line), every test that
// did not pass with its reason, checks, crash site, earlier attempts,
// output and the command that reruns it, the timeline (html_timeline.c),
// the slowest tests, and every test, one compact row each, under a filter
// box. Written with libxml2's xmlTextWriter like the JUnit report, so the
// file is HTML5 that is also well-formed XML (polyglot): an HTML parser
// and an XML parser read the same tree. HTML elements are always closed
// with an end tag, SVG and void elements may be empty, and the file has
// no XML declaration and no xmlns (an HTML parser puts <svg> in the SVG
// namespace by itself). Streams like the JUnit report: one test's texts
// are in memory at a time.
#include "report/html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How many of the slowest tests the report lists. */
#define SLOWEST 10
/* The rows of the list of every test per <tbody>, and the height of a
 * row in CSS pixels (html_assets.c: a 20px line and a 1px border). */
#define CHUNK 200
#define ROW_PX 21

static void
ok(struct cordon__html *h, int rc)
{
    if (rc < 0)
        h->failed = true;
}

static const char *
clean(struct cordon__html *h, const char *data, size_t len)
{
    h->clean.len = 0;
    cordon__buf_add(&h->clean, "", 0);
    cordon__sanitize(data, len, &h->clean);
    return h->clean.data;
}

void
cordon__html_start(struct cordon__html *h, const char *name)
{
    ok(h, h->x->TextWriterStartElement(h->w, BAD_CAST name));
}

void
cordon__html_end(struct cordon__html *h)
{
    ok(h, h->x->TextWriterFullEndElement(h->w));
}

void
cordon__html_end_empty(struct cordon__html *h)
{
    ok(h, h->x->TextWriterEndElement(h->w));
}

void
cordon__html_attr(struct cordon__html *h, const char *name,
                  const char *value)
{
    ok(h, h->x->TextWriterWriteAttribute(
              h->w, BAD_CAST name, BAD_CAST clean(h, value, strlen(value))));
}

void
cordon__html_attrf(struct cordon__html *h, const char *name,
                   const char *fmt, ...)
{
    char v[256];
    va_list ap;

    va_start(ap, fmt);
    /* ap is started on the line above: clang 14's valist checker loses
     * track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    cordon__html_attr(h, name, v);
}

void
cordon__html_text(struct cordon__html *h, const char *data, size_t len)
{
    ok(h, h->x->TextWriterWriteString(h->w, BAD_CAST clean(h, data, len)));
}

void
cordon__html_textf(struct cordon__html *h, const char *fmt, ...)
{
    char v[256];
    va_list ap;

    va_start(ap, fmt);
    /* As in cordon__html_attrf.
     * NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    cordon__html_text(h, v, strlen(v));
}

void
cordon__html_element(struct cordon__html *h, const char *name,
                     const char *cls, const char *text)
{
    cordon__html_start(h, name);
    if (cls != NULL)
        cordon__html_attr(h, "class", cls);
    cordon__html_text(h, text, strlen(text));
    cordon__html_end(h);
}

void
cordon__html_newline(struct cordon__html *h)
{
    ok(h, h->x->TextWriterWriteRaw(h->w, BAD_CAST "\n"));
}

const char *
cordon__html_key(const struct cordon__result *r)
{
    static const char *const keys[] = {
        [CORDON_OUTCOME_PASS] = "pass",
        [CORDON_OUTCOME_FAIL] = "fail",
        [CORDON_OUTCOME_CRASH] = "crash",
        [CORDON_OUTCOME_TIMEOUT] = "timeout",
        [CORDON_OUTCOME_SKIP] = "skip",
        [CORDON_OUTCOME_EXIT] = "exit",
        [CORDON_OUTCOME_INTERRUPTED] = "interrupted",
        [CORDON_OUTCOME_ERROR] = "error",
    };

    if (cordon__retry_flaky(r))
        return "flaky";
    if ((size_t)r->outcome >= sizeof keys / sizeof keys[0] ||
        keys[r->outcome] == NULL)
        cordon__bug("an outcome the HTML report has no name for");
    return keys[r->outcome];
}

const char *
cordon__html_word(const struct cordon__result *r)
{
    return cordon__retry_flaky(r) ? "FLAKY" : cordon__outcome_word(r->outcome);
}

/* badge writes the outcome of r as a coloured label. */
static void
badge(struct cordon__html *h, const struct cordon__result *r)
{
    char cls[48];

    snprintf(cls, sizeof cls, "badge k-%s", cordon__html_key(r));
    cordon__html_element(h, "span", cls, cordon__html_word(r));
}

/* spooled_piece writes a piece of spooled text, already sanitised. */
static void
spooled_piece(void *arg, const char *data, size_t len)
{
    struct cordon__html *h = arg;

    (void)len;
    ok(h, h->x->TextWriterWriteString(h->w, BAD_CAST data));
}

/* block writes a labelled <pre> holding text (nothing when it is empty). */
static void
block(struct cordon__html *h, const char *label, const char *cls,
      const char *text, size_t len)
{
    if (len == 0)
        return;
    cordon__html_element(h, "h4", NULL, label);
    cordon__html_start(h, "pre");
    cordon__html_attr(h, "class", cls);
    cordon__html_text(h, text, len);
    cordon__html_end(h);
}

/* The most of one stream of one test the page shows: a browser must open
 * the page whatever --output-limit kept (0 keeps all), and the JUnit
 * report and the --json stream keep the whole. */
#define HTML_OUTPUT_CAP (UINT64_C(64) * 1024)

/* output writes a stream of r's captured output, a piece at a time: what
 * --output-limit kept, as in the JUnit report, or of more than
 * HTML_OUTPUT_CAP bytes its last HTML_OUTPUT_CAP, after a line saying how
 * much came before. */
static void
output(struct cordon__html *h, const char *label, const char *cls,
       const struct cordon__stream *s)
{
    struct cordon__span shown = s->span;

    if (s->span.len == 0)
        return;
    cordon__html_element(h, "h4", NULL, label);
    cordon__html_start(h, "pre");
    cordon__html_attr(h, "class", cls);
    if (shown.len > HTML_OUTPUT_CAP) {
        shown.off += shown.len - HTML_OUTPUT_CAP;
        shown.len = HTML_OUTPUT_CAP;
        cordon__html_textf(h, "[%" PRIu64 " bytes before these left out of "
                           "this page; the JUnit report and --json keep "
                           "them]\n", s->span.len - shown.len);
    }
    cordon__run_pieces(h->run, shown, spooled_piece, h);
    cordon__html_end(h);
}

/* hints writes the console's rerun (and debug) lines for r, as recap.c
 * prints them, without their indentation. */
static void
hints(struct cordon__html *h, const struct cordon__result *r)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    struct cordon__buf lines = {0};

    if (f == NULL)
        return;
    cordon__recap_hints(f, h->run->cfg->argv0, r);
    if (fclose(f) != 0 || text == NULL) {
        free(text);
        return;
    }
    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\n");
        const char *start = p + strspn(p, " ");

        if (start < p + n)
            cordon__buf_add(&lines, start, (size_t)(p + n - start));
        cordon__buf_add(&lines, "\n", 1);
        p += n + (p[n] == '\n');
    }
    if (lines.len > 0)
        lines.len--; /* the last line break */
    cordon__html_start(h, "pre");
    cordon__html_attr(h, "class", "rerun");
    cordon__html_text(h, lines.data, lines.len);
    cordon__html_end(h);
    free(lines.data);
    free(text);
}

/* where writes where r was: the fault address, the last check it passed
 * and the frames of its backtrace. */
static void
where(struct cordon__html *h, const struct cordon__result *r)
{
    char addr[128];

    if (cordon__report_address(r, addr, sizeof addr))
        block(h, "address", "address", addr, strlen(addr));
    if (r->checkpoint.len > 0) {
        cordon__run_text(h->run, r->checkpoint, &h->text);
        block(h, "last check passed", "checkpoint", h->text.data,
              h->text.len);
    }
    if (r->backtrace.len > 0) {
        cordon__run_text(h->run, r->backtrace, &h->text);
        block(h, "backtrace", "backtrace", h->text.data, h->text.len);
    }
}

/* attempts lists the earlier failed attempts of r, each with its label,
 * outcome and reason. */
static void
attempts(struct cordon__html *h, const struct cordon__result *r)
{
    struct cordon__result *tries;
    char label[96];
    size_t n;

    if (r->ntries == 0)
        return;
    tries = cordon__retry_tries(h->run, r, &n);
    cordon__html_element(h, "h4", NULL, "earlier attempts");
    cordon__html_start(h, "ol");
    cordon__html_attr(h, "class", "tries");
    for (size_t i = 0; i < n; i++) {
        cordon__html_start(h, "li");
        badge(h, &tries[i]);
        cordon__retry_label(&tries[i], label, sizeof label);
        cordon__run_text(h->run, tries[i].reason, &h->text);
        h->scratch.len = 0;
        cordon__buf_printf(&h->scratch, " %s%s%s (%.3f s)", label,
                           label[0] != '\0' ? ": " : "", h->text.data,
                           tries[i].seconds);
        cordon__html_text(h, h->scratch.data, h->scratch.len);
        cordon__html_end(h);
    }
    cordon__html_end(h);
    free(tries);
}

/* detail writes the story of test i, which did not pass (or passed after
 * failed attempts), as a <details> the list links to (#t-i). */
static void
detail(struct cordon__html *h, size_t i, bool open)
{
    const struct cordon__result *r = &h->run->results[i];
    char id[CORDON__MAX_ID + 1], label[160];

    cordon__test_id(r->test, id, sizeof id);
    cordon__html_start(h, "details");
    cordon__html_attrf(h, "id", "t-%zu", i);
    cordon__html_attrf(h, "class", "failure k-%s", cordon__html_key(r));
    if (open)
        cordon__html_attr(h, "open", "open");
    cordon__html_start(h, "summary");
    badge(h, r);
    cordon__html_element(h, "code", "id", id);
    cordon__run_text(h->run, r->reason, &h->text);
    cordon__html_element(h, "span", "reason", h->text.data);
    if (r->started)
        cordon__html_element(h, "span", "secs",
                             (snprintf(label, sizeof label, "%.3f s",
                                       r->seconds), label));
    cordon__html_end(h);
    cordon__retry_summary(r, label, sizeof label);
    if (label[0] != '\0')
        cordon__html_element(h, "p", "runs", label);
    h->scratch.len = 0;
    cordon__buf_printf(&h->scratch, "%s:%d", r->test->file, r->test->line);
    cordon__html_element(h, "p", "source", h->scratch.data);
    if (cordon__outcome_failed(r->outcome))
        hints(h, r);
    if (r->failures.len > 0) {
        cordon__run_text(h->run, r->failures, &h->text);
        block(h, "checks", "checks", h->text.data, h->text.len);
    }
    if (r->dropped_failures > 0)
        cordon__html_textf(h, "(%u more failed checks not recorded)",
                           r->dropped_failures);
    where(h, r);
    if (r->tmpdir.len > 0) {
        cordon__run_text(h->run, r->tmpdir, &h->text);
        block(h, "its cordon_tmpdir() is kept", "tmpdir", h->text.data,
              h->text.len);
    }
    attempts(h, r);
    output(h, "stdout", "out", &r->out);
    output(h, "stderr", "err", &r->err);
    cordon__html_end(h);
    cordon__html_newline(h);
}

/* failures writes every test that did not pass, in test order, then those
 * that passed only after failed attempts. The first few are open. */
static void
failures(struct cordon__html *h, const struct cordon__counts *k)
{
    size_t shown = 0;

    cordon__html_start(h, "section");
    cordon__html_attr(h, "id", "failures");
    h->scratch.len = 0;
    cordon__buf_printf(&h->scratch, "Did not pass (%zu)", k->failed);
    cordon__html_element(h, "h2", NULL, h->scratch.data);
    if (k->failed == 0)
        cordon__html_element(h, "p", "none", "Every test passed or was "
                             "skipped.");
    for (size_t i = 0; i < h->run->n && h->sink->err == 0; i++)
        if (cordon__outcome_failed(h->run->results[i].outcome))
            detail(h, i, shown++ < 20);
    if (k->flaky > 0) {
        h->scratch.len = 0;
        cordon__buf_printf(&h->scratch, "Passed after failing (%zu)",
                           k->flaky);
        cordon__html_element(h, "h3", NULL, h->scratch.data);
        for (size_t i = 0; i < h->run->n && h->sink->err == 0; i++)
            if (cordon__retry_flaky(&h->run->results[i]))
                detail(h, i, false);
    }
    cordon__html_end(h);
    cordon__html_newline(h);
}

/* count_item writes one outcome's count, for the page and its tests. */
static void
count_item(struct cordon__html *h, const char *key, const char *word,
           size_t n)
{
    cordon__html_start(h, "li");
    cordon__html_attrf(h, "class", "badge k-%s%s", key, n == 0 ? " zero" : "");
    cordon__html_attr(h, "data-outcome", word);
    cordon__html_attrf(h, "data-count", "%zu", n);
    cordon__html_textf(h, "%zu %s", n, word);
    cordon__html_end(h);
}

/* header writes the title, the console's summary and a count per
 * outcome (FLAKY: the passes that needed retries). */
static void
header(struct cordon__html *h, const struct cordon__counts *k,
       const char *binary)
{
    static const enum cordon_outcome order[] = {
        CORDON_OUTCOME_PASS, CORDON_OUTCOME_FAIL, CORDON_OUTCOME_CRASH,
        CORDON_OUTCOME_TIMEOUT, CORDON_OUTCOME_EXIT, CORDON_OUTCOME_SKIP,
        CORDON_OUTCOME_ERROR, CORDON_OUTCOME_INTERRUPTED,
    };
    const struct cordon__run *run = h->run;
    char stamp[64], host[256];
    struct tm tm;

    cordon__html_start(h, "header");
    cordon__html_start(h, "h1");
    cordon__html_text(h, "cordon: ", 8);
    cordon__html_element(h, "code", NULL, binary);
    cordon__html_end(h);
    gmtime_r(&run->started_at.tv_sec, &tm);
    /* At most 30 characters (an int's year is 11) into stamp's 64.
     * NOLINTNEXTLINE(cert-err33-c) */
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S UTC", &tm);
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    h->scratch.len = 0;
    cordon__buf_printf(&h->scratch, "started %s on %s, %ld job%s", stamp,
                       host, run->cfg->jobs, run->cfg->jobs == 1 ? "" : "s");
    if (run->interrupt_signal != 0)
        cordon__buf_printf(&h->scratch, "; interrupted by %s",
                           cordon__signal_name(run->interrupt_signal));
    cordon__html_element(h, "p", "when", h->scratch.data);
    h->scratch.len = 0;
    cordon__buf_add(&h->scratch, "cordon: ", 8);
    cordon__counts_line(k, &h->scratch);
    cordon__html_start(h, "p");
    cordon__html_attr(h, "id", "summary");
    cordon__html_text(h, h->scratch.data, h->scratch.len);
    cordon__html_end(h);
    h->scratch.len = 0;
    cordon__buf_printf(&h->scratch, "cordon: %zu passed, %zu failed, %zu "
                       "skipped", k->passed, k->failed, k->skipped);
    cordon__html_start(h, "p");
    cordon__html_attr(h, "id", "totals");
    cordon__html_attr(h, "class", k->failed > 0 ? "bad" : "good");
    cordon__html_text(h, h->scratch.data, h->scratch.len);
    cordon__html_end(h);
    cordon__html_start(h, "ul");
    cordon__html_attr(h, "id", "counts");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        struct cordon__result probe = {.outcome = order[i]};

        count_item(h, cordon__html_key(&probe),
                   cordon__outcome_word(order[i]),
                   k->by_outcome[order[i]] -
                       (order[i] == CORDON_OUTCOME_PASS ? k->flaky : 0));
        if (order[i] == CORDON_OUTCOME_PASS)
            count_item(h, "flaky", "FLAKY", k->flaky);
    }
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_newline(h);
}

static int
by_time(const void *a, const void *b, void *results)
{
    const struct cordon__result *r = results;
    double x = r[*(const size_t *)a].seconds, y = r[*(const size_t *)b].seconds;

    if (x != y)
        return x > y ? -1 : 1;
    return (*(const size_t *)a > *(const size_t *)b) -
           (*(const size_t *)a < *(const size_t *)b);
}

/* slowest picks the (up to) SLOWEST longest tests that ran into top, the
 * longest first; returns how many. A selection, not a sort: O(n). */
static size_t
slowest(const struct cordon__run *run, size_t top[SLOWEST])
{
    size_t n = 0;

    for (size_t i = 0; i < run->n; i++) {
        size_t at;

        if (!run->results[i].started)
            continue;
        if (n == SLOWEST &&
            by_time(&i, &top[n - 1], run->results) >= 0)
            continue;
        at = n < SLOWEST ? n++ : n - 1;
        while (at > 0 && by_time(&i, &top[at - 1], run->results) < 0) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = i;
    }
    return n;
}

/* slow_table writes the slowest tests, with their share of the run's
 * wall time. */
static void
slow_table(struct cordon__html *h)
{
    const struct cordon__run *run = h->run;
    size_t top[SLOWEST], n = slowest(run, top);
    char id[CORDON__MAX_ID + 1];

    cordon__html_start(h, "section");
    cordon__html_attr(h, "id", "slowest");
    cordon__html_element(h, "h2", NULL, "Slowest tests");
    cordon__html_start(h, "table");
    cordon__html_start(h, "thead");
    cordon__html_start(h, "tr");
    cordon__html_element(h, "th", NULL, "test");
    cordon__html_element(h, "th", NULL, "outcome");
    cordon__html_element(h, "th", "num", "seconds");
    cordon__html_element(h, "th", "num", "of the run");
    cordon__html_element(h, "th", "share", "");
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_start(h, "tbody");
    for (size_t i = 0; i < n; i++) {
        const struct cordon__result *r = &run->results[top[i]];
        double share = run->seconds > 0 ? 100 * r->seconds / run->seconds : 0;

        if (share > 100)
            share = 100;
        cordon__html_start(h, "tr");
        cordon__html_start(h, "td");
        cordon__html_element(h, "code", NULL,
                             cordon__test_id(r->test, id, sizeof id));
        cordon__html_end(h);
        cordon__html_start(h, "td");
        badge(h, r);
        cordon__html_end(h);
        cordon__html_start(h, "td");
        cordon__html_attr(h, "class", "num");
        cordon__html_textf(h, "%.3f", r->seconds);
        cordon__html_end(h);
        cordon__html_start(h, "td");
        cordon__html_attr(h, "class", "num");
        cordon__html_textf(h, "%.1f%%", share);
        cordon__html_end(h);
        cordon__html_start(h, "td");
        cordon__html_attr(h, "class", "share");
        cordon__html_start(h, "span");
        cordon__html_attrf(h, "class", "k-%s", cordon__html_key(r));
        cordon__html_attrf(h, "style", "width:%.1f%%", share);
        cordon__html_end(h);
        cordon__html_end(h);
        cordon__html_end(h);
        cordon__html_newline(h);
    }
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_newline(h);
}

/* test_list writes every test, one row each, in test order, under the
 * filter box: a row is its outcome's class, outcome, id and seconds, kept
 * small (ten thousand passing tests are a row each). The id of a test that
 * has a story links to it. The rows come in <tbody> chunks of CHUNK,
 * which the style sheet lets the browser skip while they are out of view
 * (content-visibility): ten thousand rows then open as fast as a screen's
 * worth. */
static void
test_list(struct cordon__html *h)
{
    static const char *const keys[] = {
        "pass", "flaky", "fail", "crash", "timeout", "exit", "skip",
        "error", "interrupted",
    };
    const struct cordon__run *run = h->run;
    char id[CORDON__MAX_ID + 1];

    cordon__html_start(h, "section");
    cordon__html_attr(h, "id", "tests");
    h->scratch.len = 0;
    cordon__buf_printf(&h->scratch, "Every test (%zu)", run->n);
    cordon__html_element(h, "h2", NULL, h->scratch.data);
    cordon__html_start(h, "p");
    cordon__html_attr(h, "class", "filters");
    cordon__html_start(h, "input");
    cordon__html_attr(h, "id", "filter");
    cordon__html_attr(h, "type", "search");
    cordon__html_attr(h, "placeholder", "filter by id");
    cordon__html_attr(h, "aria-label", "filter the tests by id");
    cordon__html_end_empty(h);
    cordon__html_start(h, "select");
    cordon__html_attr(h, "id", "outcome");
    cordon__html_attr(h, "aria-label", "filter the tests by outcome");
    cordon__html_start(h, "option");
    cordon__html_attr(h, "value", "");
    cordon__html_text(h, "every outcome", 13);
    cordon__html_end(h);
    cordon__html_start(h, "option");
    cordon__html_attr(h, "value", "failed");
    cordon__html_text(h, "did not pass", 12);
    cordon__html_end(h);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char word[16];

        for (size_t j = 0; j <= strlen(keys[i]); j++)
            word[j] = (char)(keys[i][j] >= 'a' && keys[i][j] <= 'z'
                                 ? keys[i][j] - 'a' + 'A' : keys[i][j]);
        cordon__html_start(h, "option");
        cordon__html_attr(h, "value", keys[i]);
        cordon__html_text(h, word, strlen(word));
        cordon__html_end(h);
    }
    cordon__html_end(h);
    cordon__html_start(h, "span");
    cordon__html_attr(h, "id", "shown");
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_start(h, "table");
    cordon__html_attr(h, "id", "list");
    /* For the filter, which sizes the chunks it hides rows of. */
    cordon__html_attrf(h, "data-row-px", "%d", ROW_PX);
    cordon__html_start(h, "thead");
    cordon__html_start(h, "tr");
    cordon__html_element(h, "th", NULL, "outcome");
    cordon__html_element(h, "th", NULL, "test");
    cordon__html_element(h, "th", "num", "seconds");
    cordon__html_end(h);
    cordon__html_end(h);
    for (size_t i = 0; i < run->n && h->sink->err == 0; i++) {
        const struct cordon__result *r = &run->results[i];
        bool story = cordon__outcome_failed(r->outcome) ||
                     cordon__retry_flaky(r);

        if (i % CHUNK == 0) {
            size_t rows = run->n - i < CHUNK ? run->n - i : CHUNK;

            if (i > 0)
                cordon__html_end(h);
            cordon__html_start(h, "tbody");
            /* The height the browser assumes for the chunk until it lays
             * it out: a row each, as the style sheet draws them. */
            cordon__html_attrf(h, "style", "contain-intrinsic-size:auto "
                               "%zupx", rows * ROW_PX);
            cordon__html_newline(h);
        }
        cordon__html_start(h, "tr");
        cordon__html_attrf(h, "class", "k-%s", cordon__html_key(r));
        cordon__html_element(h, "td", NULL, cordon__html_word(r));
        cordon__html_start(h, "td");
        cordon__test_id(r->test, id, sizeof id);
        if (story) {
            cordon__html_start(h, "a");
            cordon__html_attrf(h, "href", "#t-%zu", i);
            cordon__html_text(h, id, strlen(id));
            cordon__html_end(h);
        } else {
            cordon__html_text(h, id, strlen(id));
        }
        cordon__html_end(h);
        if (r->started)
            cordon__html_element(h, "td", NULL,
                                 (snprintf(id, sizeof id, "%.3f",
                                           r->seconds), id));
        else
            cordon__html_element(h, "td", NULL, "");
        cordon__html_end(h);
        cordon__html_newline(h);
    }
    if (run->n > 0)
        cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_newline(h);
}

static const char *
binary_name(const struct cordon__run *run)
{
    const char *slash = strrchr(run->cfg->argv0, '/');

    return slash ? slash + 1 : run->cfg->argv0;
}

/* raw writes one of the constant assets into element name. */
static void
raw(struct cordon__html *h, const char *name, const char *text)
{
    cordon__html_start(h, name);
    cordon__html_newline(h);
    ok(h, h->x->TextWriterWriteRaw(h->w, BAD_CAST text));
    cordon__html_end(h);
    cordon__html_newline(h);
}

int
cordon__report_html(const struct cordon__run *run, struct cordon__sink *out)
{
    struct cordon__html h = {.sink = out, .run = run};
    struct cordon__counts k;

    h.w = cordon__libxml_writer(out, &h.x);
    if (h.w == NULL)
        return -1;
    cordon__counts_of(run, &k);

    /* <!DOCTYPE html>, which HTML5 asks for and XML reads as a DTD. */
    ok(&h, h.x->TextWriterStartDTD(h.w, BAD_CAST "html", NULL, NULL));
    ok(&h, h.x->TextWriterEndDTD(h.w));
    cordon__html_newline(&h);
    cordon__html_start(&h, "html");
    cordon__html_attr(&h, "lang", "en");
    cordon__html_start(&h, "head");
    cordon__html_start(&h, "meta");
    cordon__html_attr(&h, "charset", "utf-8");
    cordon__html_end_empty(&h);
    cordon__html_start(&h, "meta");
    cordon__html_attr(&h, "name", "viewport");
    cordon__html_attr(&h, "content", "width=device-width, initial-scale=1");
    cordon__html_end_empty(&h);
    h.scratch.len = 0;
    cordon__buf_printf(&h.scratch, "%s: %zu passed, %zu failed, %zu skipped",
                       binary_name(run), k.passed, k.failed, k.skipped);
    cordon__html_element(&h, "title", NULL, h.scratch.data);
    raw(&h, "style", cordon__html_style);
    cordon__html_end(&h);
    cordon__html_newline(&h);
    cordon__html_start(&h, "body");
    header(&h, &k, binary_name(run));
    failures(&h, &k);
    cordon__html_timeline(&h);
    slow_table(&h);
    test_list(&h);
    raw(&h, "script", cordon__html_script);
    cordon__html_end(&h);
    cordon__html_end(&h);
    cordon__html_newline(&h);
    ok(&h, h.x->TextWriterEndDocument(h.w));
    ok(&h, h.x->TextWriterFlush(h.w));
    h.x->FreeTextWriter(h.w);
    free(h.clean.data);
    free(h.text.data);
    free(h.scratch.data);
    if (out->err != 0) {
        errno = out->err;
        return -1;
    }
    if (h.failed) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}
