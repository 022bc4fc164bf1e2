// SPDX-License-Identifier: MIT
// report_console.c — the human report: one line per test in test order
// ("PASS  suite/name  0.003 s"), details under each test that did not pass
// (reason, every failure, the last lines of its output), a breakdown, and
// as the very last line "cordon: P passed, F failed, S skipped". On a
// terminal it adds colour and a live progress line; elsewhere neither, so
// CI logs stay plain.
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cordon__console {
    FILE *f;
    bool color;
    bool live; /* progress line on a terminal */
    bool line_shown;
    size_t total;
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

    *c = (struct cordon__console){.f = f, .total = total};
    c->color = want_color(cfg, f);
    c->live = isatty(fileno(f)) && !(term != NULL && strcmp(term, "dumb") == 0)
              && !cfg->no_fork;
    return c;
}

static const char *
paint(const struct cordon__console *c, enum cordon_outcome o)
{
    static const char *const colors[] = {
        [CORDON_OUTCOME_PASS] = "\033[32m",    [CORDON_OUTCOME_FAIL] = "\033[31m",
        [CORDON_OUTCOME_CRASH] = "\033[1;31m", [CORDON_OUTCOME_TIMEOUT] = "\033[35m",
        [CORDON_OUTCOME_SKIP] = "\033[33m",    [CORDON_OUTCOME_EXIT] = "\033[31m",
        [CORDON_OUTCOME_INTERRUPTED] = "\033[35m",
    };

    return c->color ? colors[o] : "";
}

static void
clear_live(struct cordon__console *c)
{
    if (c->line_shown) {
        fputs("\r\033[K", c->f);
        c->line_shown = false;
    }
}

/* print_tail prints the last lines of one captured stream, indented. */
static void
print_tail(FILE *f, const char *name, const struct cordon__capture *cap)
{
    const char *start, *end;
    size_t lines = 0;

    if (cap->data == NULL || cap->len == 0)
        return;
    end = cap->data + cap->len;
    if (end[-1] == '\n')
        end--;
    start = end;
    while (start > cap->data) {
        if (start[-1] == '\n' && ++lines == CORDON__CONSOLE_TAIL_LINES)
            break;
        start--;
    }
    fprintf(f, "      %s (%s%zu bytes):\n", name,
            start > cap->data ? "last 40 lines of " : "", cap->total);
    while (start < end) {
        const char *nl = memchr(start, '\n', (size_t)(end - start));
        const char *stop = nl ? nl : end;

        fprintf(f, "      | %.*s\n", (int)(stop - start), start);
        start = stop + 1;
    }
}

void
cordon__console_result(void *console, const struct cordon__result *r,
                       size_t index)
{
    struct cordon__console *c = console;
    const char *reset = c->color ? "\033[0m" : "";
    char id[512];

    (void)index;
    clear_live(c);
    cordon__test_id(r->test, id, sizeof id);
    fprintf(c->f, "%s%-5s%s %s", paint(c, r->outcome),
            cordon__outcome_word(r->outcome), reset, id);
    if (r->started)
        fprintf(c->f, "  %.3f s", r->seconds);
    if (r->outcome == CORDON_OUTCOME_SKIP)
        fprintf(c->f, "  %s", r->reason);
    else if (r->outcome == CORDON_OUTCOME_PASS && r->timeout > 0 &&
             r->seconds > r->timeout / 2)
        fprintf(c->f, "  (slow: over half its %g s timeout)", r->timeout);
    fputc('\n', c->f);
    if (!cordon__outcome_failed(r->outcome)) {
        fflush(c->f);
        return;
    }
    if (r->failures.data == NULL ||
        strncmp(r->failures.data, r->reason, strlen(r->reason)) != 0)
        fprintf(c->f, "      %s\n", r->reason);
    for (const char *p = r->failures.data; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);

        fprintf(c->f, "      %.*s\n", n, p);
        p = nl ? nl + 1 : p + n;
    }
    print_tail(c->f, "stdout", &r->out);
    print_tail(c->f, "stderr", &r->err);
    fflush(c->f);
}

void
cordon__console_progress(void *console, const struct cordon__result *results,
                         size_t n, size_t done)
{
    struct cordon__console *c = console;
    char line[160];
    int len;

    if (!c->live)
        return;
    len = snprintf(line, sizeof line, "[%zu/%zu] running:", done, n);
    for (size_t i = done; i < n && len < (int)sizeof line - 1; i++) {
        char id[256];

        if (!results[i].started || results[i].done)
            continue;
        len += snprintf(line + len, sizeof line - (size_t)len, " %s",
                        cordon__test_id(results[i].test, id, sizeof id));
    }
    fprintf(c->f, "\r\033[K%.*s", 79, line);
    fflush(c->f);
    c->line_shown = true;
}

void
cordon__console_summary(struct cordon__console *c,
                        const struct cordon__run *run)
{
    struct cordon__counts k;

    clear_live(c);
    cordon__counts_of(run, &k);
    if (run->interrupt_signal != 0)
        fprintf(c->f, "cordon: interrupted by %s\n",
                cordon__signal_name(run->interrupt_signal));
    fprintf(c->f,
            "cordon: %zu test%s in %.3f s: %zu pass, %zu fail, %zu crash, "
            "%zu timeout, %zu exit, %zu skip",
            k.total, k.total == 1 ? "" : "s", k.seconds, k.by_outcome[CORDON_OUTCOME_PASS],
            k.by_outcome[CORDON_OUTCOME_FAIL],
            k.by_outcome[CORDON_OUTCOME_CRASH],
            k.by_outcome[CORDON_OUTCOME_TIMEOUT],
            k.by_outcome[CORDON_OUTCOME_EXIT],
            k.by_outcome[CORDON_OUTCOME_SKIP]);
    if (k.by_outcome[CORDON_OUTCOME_INTERRUPTED] > 0)
        fprintf(c->f, ", %zu interrupted",
                k.by_outcome[CORDON_OUTCOME_INTERRUPTED]);
    fprintf(c->f, "\ncordon: %zu passed, %zu failed, %zu skipped\n", k.passed,
            k.failed, k.skipped);
    fflush(c->f);
}

void
cordon__console_close(struct cordon__console *c)
{
    free(c);
}
