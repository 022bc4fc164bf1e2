// SPDX-License-Identifier: MIT
// report_console.c — the human report: one line per test in test order
// ("PASS    suite/name  0.003 s", the word padded to seven so ids line
// up under TIMEOUT), details under each test that did not pass
// (reason, every failure, the last lines of its output), a breakdown, and
// as the very last line "cordon: P passed, F failed, S skipped". On a
// terminal it adds colour and the live display (display.c); elsewhere
// neither, so CI logs stay plain.
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cordon__console {
    FILE *f;
    const char *argv0;
    bool show_output; /* --show-output: passing tests' output too */
    bool color;
    struct cordon__display *live; /* on a terminal, NULL elsewhere */
    size_t total;
    long durations; /* --durations, -1 = none */
    bool annotations; /* GitHub Actions' workflow commands */
    bool annotate_last; /* a report shares the streams: annotate after it */
    bool annotated;
    struct cordon__guard guard; /* no test's text a command */
};

static bool
want_color(const struct cordon__config *cfg, FILE *f)
{
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");

    if (cfg->color != CORDON__COLOR_AUTO)
        return cfg->color == CORDON__COLOR_ALWAYS;
    if (no_color != NULL && *no_color != '\0')
        return false;
    if (term != NULL && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f));
}

struct cordon__console *
cordon__console_open(const struct cordon__config *cfg, FILE *f, size_t total)
{
    struct cordon__console *c = cordon__xmalloc(sizeof *c);
    const char *term = getenv("TERM");

    *c = (struct cordon__console){.f = f, .total = total,
                                  .argv0 = cfg->argv0,
                                  .show_output = cfg->show_output,
                                  .durations = cfg->durations,
                                  .annotations =
                                      cordon__annotations_wanted(cfg)};
    c->color = want_color(cfg, f);
    c->annotate_last = cordon__reports_own_stdout(cfg);
    /* From before the first text of a test to after its last one. */
    if (c->annotations)
        cordon__guard_open(&c->guard, f);
    if (isatty(fileno(f)) && !(term != NULL && strcmp(term, "dumb") == 0) &&
        !cfg->no_fork)
        c->live = cordon__display_open(cfg, f, c->color);
    return c;
}

/* The live display is redrawn four times a second. */
double
cordon__console_tick(const struct cordon__console *c)
{
    return c->live != NULL ? 0.25 : 0;
}

static const char *
paint(const struct cordon__console *c, enum cordon_outcome o)
{
    static const char *const colors[] = {
        [CORDON_OUTCOME_PASS] = "\033[32m",    [CORDON_OUTCOME_FAIL] = "\033[31m",
        [CORDON_OUTCOME_CRASH] = "\033[1;31m", [CORDON_OUTCOME_TIMEOUT] = "\033[35m",
        [CORDON_OUTCOME_SKIP] = "\033[33m",    [CORDON_OUTCOME_EXIT] = "\033[31m",
        [CORDON_OUTCOME_INTERRUPTED] = "\033[35m",
        [CORDON_OUTCOME_ERROR] = "\033[1;31m",
    };

    return c->color ? colors[o] : "";
}

static void
clear_live(struct cordon__console *c)
{
    cordon__display_erase(c->live);
}

/* print_lines prints text[start..stop) a line at a time, indented. */
static void
print_lines(FILE *f, const char *start, const char *stop)
{
    while (start < stop) {
        const char *nl = memchr(start, '\n', (size_t)(stop - start));
        const char *eol = nl ? nl : stop;

        fputs("      | ", f);
        for (const char *p = start; p < eol; p++)
            if (*p == '\r')
                fputs("\\x0D", f);
            else
                fputc(*p, f);
        fputc('\n', f);
        start = eol + 1;
    }
}

/* print_report prints the first lines of a sanitizer report in a stream
 * (its end, the shadow-memory legend, says the least): the header, the
 * access and the stacks that lead to the bug, each with cordon's own
 * frames below the test's folded into one line, so that the stacks after
 * the first (where the block was allocated, and freed) show too. */
static void
print_report(FILE *f, const struct cordon__run *run, const char *name,
             const struct cordon__stream *cap)
{
    struct cordon__span from = {cap->span.off + cap->report_at,
                                cap->span.len - cap->report_at};
    struct cordon__buf text = {0}, folded = {0}, clean = {0};
    const char *stop;
    size_t lines = 0;

    if (from.len > 65536)
        from.len = 65536;
    cordon__run_text(run, from, &text);
    cordon__fold_frames(text.data, text.len, &folded);
    cordon__sanitize(folded.data, folded.len, &clean);
    stop = clean.data != NULL ? clean.data : "";
    while (*stop != '\0' && lines < CORDON__CONSOLE_TAIL_LINES) {
        const char *nl = strchr(stop, '\n');

        stop = nl != NULL ? nl + 1 : stop + strlen(stop);
        lines++;
    }
    fprintf(f, "      %s (first %zu lines of the sanitizer report; %llu "
            "bytes in all):\n", name, lines,
            (unsigned long long)cap->total);
    if (clean.data != NULL)
        print_lines(f, clean.data, stop > clean.data && stop[-1] == '\n'
                                       ? stop - 1 : stop);
    free(text.data);
    free(folded.data);
    free(clean.data);
}

/* print_tail prints the last lines of one captured stream, indented. Only
 * the end of the excerpt is read back: the console never holds more. */
static void
print_tail(FILE *f, const struct cordon__run *run, const char *name,
           const struct cordon__stream *cap)
{
    struct cordon__span end = cap->span;
    struct cordon__buf text = {0}, clean = {0};
    const char *start, *stop, *data;
    size_t lines = 0;

    if (cap->span.len == 0)
        return;
    if (cap->report && cap->report_at < cap->span.len) {
        print_report(f, run, name, cap);
        return;
    }
    if (end.len > 65536) {
        end.off += end.len - 65536;
        end.len = 65536;
    }
    cordon__run_text(run, end, &text);
    /* A test's bytes reach the terminal escaped, as in the reports: no
     * colour, cursor movement or carriage return of its own. */
    cordon__sanitize(text.data, text.len, &clean);
    data = clean.data != NULL ? clean.data : "";
    stop = data + clean.len;
    if (stop > data && stop[-1] == '\n')
        stop--;
    start = stop;
    while (start > data) {
        if (start[-1] == '\n' && ++lines == CORDON__CONSOLE_TAIL_LINES)
            break;
        start--;
    }
    fprintf(f, "      %s (%s%llu bytes):\n", name,
            start > data || end.len < cap->span.len ? "last 40 lines of " : "",
            (unsigned long long)cap->total);
    print_lines(f, start, stop);
    free(text.data);
    free(clean.data);
}

/* print_indented prints each line of text (NULL: none) under a test. */
static void
print_indented(FILE *f, const char *text)
{
    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);

        fprintf(f, "      %.*s\n", n, p);
        p = nl ? nl + 1 : p + n;
    }
}

/* put_continued prints text whose lines after the first go under the
 * line it starts on, indented: a message of several lines never starts a
 * console line of its own. */
static void
put_continued(FILE *f, const char *text)
{
    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\n");

        /* As the fputs below: a failed write to the console has nowhere to be
         * reported. NOLINTNEXTLINE(cert-err33-c) */
        fwrite(p, 1, n, f);
        if (p[n] == '\0')
            break;
        fputs("\n        ", f);
        p += n + 1;
    }
}

/* clean_text puts the spooled text of s into out as the console shows
 * every text a test gave it (a check's values and message, a skip reason):
 * escaped as in the reports, so no escape sequence of a test's (one that
 * sets the window title, or moves the cursor) nor invalid UTF-8 reaches
 * the terminal or the CI log. */
static void
clean_text(const struct cordon__run *run, struct cordon__span s,
           struct cordon__buf *out)
{
    struct cordon__buf raw = {0};

    cordon__run_text(run, s, &raw);
    out->len = 0;
    cordon__buf_add(out, "", 0);
    cordon__sanitize_console(raw.data, raw.len, out);
    free(raw.data);
}

/* print_crash prints where a crashed or timed-out test was, indented like
 * the failures. */
static void
print_crash(FILE *f, const struct cordon__run *run,
            const struct cordon__result *r)
{
    struct cordon__buf crash = {0};

    cordon__report_crash(run, r, &crash);
    print_indented(f, crash.data);
    free(crash.data);
}

/* print_runs says which run decided a test that ran more than once, and
 * lists its earlier failed attempts, one a line. */
static void
print_runs(FILE *f, const struct cordon__run *run,
           const struct cordon__result *r)
{
    struct cordon__buf why = {0};
    struct cordon__result *tries;
    char label[96];
    size_t n;

    cordon__retry_summary(r, label, sizeof label);
    fprintf(f, "%s%s\n", label[0] != '\0' ? "  " : "", label);
    tries = cordon__retry_tries(run, r, &n);
    for (size_t i = 0; i < n; i++) {
        cordon__retry_label(&tries[i], label, sizeof label);
        clean_text(run, tries[i].reason, &why);
        fprintf(f, "      %s: %s ", label,
                cordon__outcome_word(tries[i].outcome));
        put_continued(f, why.data);
        fputc('\n', f);
    }
    free(tries);
    free(why.data);
}

void
cordon__console_result(void *console, const struct cordon__run *run,
                       size_t index)
{
    struct cordon__console *c = console;
    const struct cordon__result *r = &run->results[index];
    const char *reset = c->color ? "\033[0m" : "";
    struct cordon__buf reason = {0}, failures = {0};
    char id[CORDON__MAX_ID + 1];
    bool flaky = cordon__retry_flaky(r);
    const char *after = NULL;
    size_t first;

    clear_live(c);
    clean_text(run, r->reason, &reason);
    cordon__test_id(r->test, id, sizeof id);
    fprintf(c->f, "%s%-7s%s %s", flaky && c->color ? "\033[36m"
                                                   : paint(c, r->outcome),
            flaky ? "FLAKY" : cordon__outcome_word(r->outcome), reset, id);
    if (r->started)
        fprintf(c->f, "  %.3f s", r->seconds);
    if (r->outcome == CORDON_OUTCOME_SKIP) {
        fputs("  ", c->f);
        put_continued(c->f, reason.data);
    }
    else if (r->outcome == CORDON_OUTCOME_PASS && r->timeout > 0 &&
             r->seconds > r->timeout / 2)
        fprintf(c->f, "  (slow: over half its %g s timeout)", r->timeout);
    if (r->attempt > 0 && (r->attempts > 1 || r->repetitions > 1))
        print_runs(c->f, run, r);
    else
        fputc('\n', c->f);
    if (!cordon__outcome_failed(r->outcome)) {
        if (c->show_output) {
            print_tail(c->f, run, "stdout", &r->out);
            print_tail(c->f, run, "stderr", &r->err);
        }
        fflush(c->f);
        free(reason.data);
        return;
    }
    clean_text(run, r->failures, &failures);
    first = strcspn(failures.data, "\n");
    if (reason.len > first && first > 0 &&
        strncmp(reason.data, failures.data, first) == 0) {
        /* The body's failure and what came after it (a teardown's):
         * the failure is shown with the others, the rest on its own. */
        after = reason.data + first + strspn(reason.data + first, "; ");
    } else if (strncmp(failures.data, reason.data, reason.len) != 0 ||
               reason.len == 0) {
        fputs("      ", c->f);
        put_continued(c->f, reason.data);
        fputc('\n', c->f);
    }
    print_indented(c->f, failures.data);
    if (after != NULL && *after != '\0') {
        fputs("      ", c->f);
        put_continued(c->f, after);
        fputc('\n', c->f);
    }
    print_crash(c->f, run, r);
    if (r->tmpdir.len > 0) {
        clean_text(run, r->tmpdir, &failures);
        fprintf(c->f, "      its cordon_tmpdir() is kept: %s\n",
                failures.data);
    }
    print_tail(c->f, run, "stdout", &r->out);
    print_tail(c->f, run, "stderr", &r->err);
    cordon__recap_hints(c->f, c->argv0, r);
    fflush(c->f);
    free(reason.data);
    free(failures.data);
}

void
cordon__console_progress(void *console, const struct cordon__run *run,
                         size_t done)
{
    struct cordon__console *c = console;

    if (c->live != NULL)
        cordon__display_draw(c->live, run, done);
}

void
cordon__console_summary(struct cordon__console *c,
                        const struct cordon__run *run)
{
    struct cordon__counts k;
    struct cordon__buf line = {0};

    clear_live(c);
    cordon__counts_of(run, &k);
    cordon__recap_print(c->f, run, k.failed);
    cordon__durations_print(c->f, run, c->durations);
    if (run->interrupt_signal != 0)
        fprintf(c->f, "cordon: interrupted by %s\n",
                cordon__signal_name(run->interrupt_signal));
    if (!c->annotate_last)
        cordon__console_annotate(c, run);
    cordon__counts_line(&k, &line);
    fprintf(c->f, "cordon: %s", line.data);
    free(line.data);
    fprintf(c->f, "\ncordon: %zu passed, %zu failed, %zu skipped\n", k.passed,
            k.failed, k.skipped);
    fflush(c->f);
}

void
cordon__console_annotate(struct cordon__console *c,
                         const struct cordon__run *run)
{
    if (!c->annotations || c->annotated)
        return;
    c->annotated = true;
    cordon__guard_close(&c->guard, c->f);
    cordon__annotations_print(c->f, run);
}

void
cordon__console_seed(struct cordon__console *c, uint64_t seed)
{
    fprintf(c->f, "cordon: shuffled with --seed=%llu (pass it again to run "
            "the tests in this order)\n", (unsigned long long)seed);
    fflush(c->f);
}

void
cordon__console_close(struct cordon__console *c)
{
    if (c->live != NULL)
        cordon__display_close(c->live);
    free(c);
}
