// SPDX-License-Identifier: MIT
// report_tap.c — the TAP version 13 report: the plan, one ok / not ok line
// per test in test order with its id, "# SKIP reason" for skips, and a YAML
// diagnostic block (outcome, reason, signal, duration, file, line, the
// failures and the tail of the output) under every test that did not pass.
// TAP 14 reads the same blocks; Debian's prove reads this as it is.
//
// The report streams into a sink, test by test: each test's texts are read
// back from the spool and sanitised into buffers the next test reuses, so
// the runner holds one test's texts at a time, not the report.
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* yaml_escaped appends s (sanitised already) as a double-quoted YAML
 * scalar on one line: quotes and backslashes escaped, line breaks and tabs
 * as \n, \r and \t when keep_breaks, else as spaces. */
static void
yaml_escaped(struct cordon__sink *out, const char *s, bool keep_breaks)
{
    cordon__sink_add(out, "\"", 1);
    for (const char *p = s; *p != '\0'; p++) {
        const char *esc = *p == '\n' ? "\\n" : *p == '\r' ? "\\r"
                        : *p == '\t' ? "\\t" : NULL;

        if (*p == '"' || *p == '\\')
            cordon__sink_add(out, "\\", 1);
        if (esc != NULL)
            cordon__sink_add(out, keep_breaks ? esc : " ", keep_breaks ? 2 : 1);
        else
            cordon__sink_add(out, p, 1);
    }
    cordon__sink_add(out, "\"", 1);
}

/* yaml_quoted appends s as a double-quoted YAML scalar on one line. */
static void
yaml_quoted(struct cordon__sink *out, const char *s)
{
    struct cordon__buf clean = {0};

    cordon__sanitize(s, strlen(s), &clean);
    yaml_escaped(out, clean.data, false);
    free(clean.data);
}

/* yaml_block appends key: | with data indented under it, one line each.
 * A YAML reader takes the block's indentation from its first line (and
 * prove's YAMLish reader knows no indentation indicator), so text whose
 * first line starts with a blank goes out as one quoted line instead. */
static void
yaml_block(struct cordon__sink *out, const char *key, const char *data,
           size_t len)
{
    struct cordon__buf clean = {0};

    cordon__sanitize(data, len, &clean);
    if (clean.data[0] == ' ' || clean.data[0] == '\t') {
        cordon__sink_printf(out, "  %s: ", key);
        yaml_escaped(out, clean.data, true);
        cordon__sink_add(out, "\n", 1);
        free(clean.data);
        return;
    }
    cordon__sink_printf(out, "  %s: |\n", key);
    for (const char *p = clean.data; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);

        cordon__sink_add(out, "    ", 4);
        for (size_t i = 0; i < n; i++)
            cordon__sink_add(out, p[i] == '\r' ? " " : p + i, 1);
        cordon__sink_add(out, "\n", 1);
        p += n + (nl != NULL);
    }
    free(clean.data);
}

/* spooled_block appends key: with the spooled text of a span. */
static void
spooled_block(struct cordon__sink *out, const struct cordon__run *run,
              const char *key, struct cordon__span s)
{
    struct cordon__buf data = {0};

    if (s.len == 0)
        return;
    cordon__run_text(run, s, &data);
    yaml_block(out, key, data.data, data.len);
    free(data.data);
}

static void
diagnostics(struct cordon__sink *out, const struct cordon__run *run,
            const struct cordon__result *r, const char *reason)
{
    cordon__sink_add(out, "  ---\n", 6);
    cordon__sink_printf(out, "  outcome: %s\n",
                        cordon__outcome_word(r->outcome));
    cordon__sink_add(out, "  reason: ", 10);
    yaml_quoted(out, reason);
    cordon__sink_add(out, "\n", 1);
    if (r->signal != 0)
        cordon__sink_printf(out, "  signal: %s\n",
                            cordon__signal_name(r->signal));
    if (r->exit_status >= 0)
        cordon__sink_printf(out, "  exit_status: %d\n", r->exit_status);
    cordon__sink_printf(out, "  duration_ms: %.3f\n", r->seconds * 1000.0);
    cordon__sink_add(out, "  file: ", 8);
    yaml_quoted(out, r->test->file);
    cordon__sink_printf(out, "\n  line: %d\n", r->test->line);
    spooled_block(out, run, "failures", r->failures);
    spooled_block(out, run, "stdout", r->out.span);
    spooled_block(out, run, "stderr", r->err.span);
    cordon__sink_add(out, "  ...\n", 6);
}

int
cordon__report_tap(const struct cordon__run *run, struct cordon__sink *out)
{
    char id[512];

    cordon__sink_printf(out, "TAP version 13\n1..%zu\n", run->n);
    /* Past a failed write nothing more can reach the destination. */
    for (size_t i = 0; i < run->n && out->err == 0; i++) {
        const struct cordon__result *r = &run->results[i];
        struct cordon__buf line = {0}, why = {0};

        /* '#' would start a directive inside the description. */
        cordon__test_id(r->test, id, sizeof id);
        cordon__sanitize(id, strlen(id), &line);
        for (char *p = line.data; *p != '\0'; p++)
            if (*p == '#' || *p == '\n')
                *p = '_';
        cordon__run_text(run, r->reason, &why);
        cordon__sink_printf(out, "%s %zu - %s",
                            cordon__outcome_failed(r->outcome) ? "not ok"
                                                               : "ok",
                            i + 1, line.data);
        free(line.data);
        if (r->outcome == CORDON_OUTCOME_SKIP) {
            struct cordon__buf reason = {0};

            cordon__sanitize(why.data, why.len, &reason);
            for (char *p = reason.data; *p != '\0'; p++)
                if (*p == '\n' || *p == '\r')
                    *p = ' ';
            cordon__sink_printf(out, " # SKIP %s", reason.data);
            free(reason.data);
        }
        cordon__sink_add(out, "\n", 1);
        if (cordon__outcome_failed(r->outcome))
            diagnostics(out, run, r, why.data);
        free(why.data);
    }
    if (run->interrupt_signal != 0)
        cordon__sink_printf(out, "# interrupted by %s\n",
                            cordon__signal_name(run->interrupt_signal));
    if (out->err != 0) {
        errno = out->err;
        return -1;
    }
    return 0;
}
