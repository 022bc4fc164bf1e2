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
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What goes into a YAML block must be read back the same by a YAML 1.1
 * parser (PyYAML, libyaml) and by prove's YAMLish reader. Sanitised text
 * is valid UTF-8 of XML 1.0 characters, with no control character but
 * tab, line feed and carriage return. Of the rest, a YAML stream refuses
 * DEL and the C1 controls (U+0080-U+009F) anywhere, and takes carriage
 * return, NEL (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR for line
 * breaks; a byte order mark may only start a stream. unfit returns the
 * code point of such a character at p (n bytes left) and its length in
 * *len, or 0; carriage return and tab are the caller's. */
static unsigned
unfit(const unsigned char *p, size_t n, size_t *len)
{
    *len = 1;
    if (p[0] == 0x7f)
        return 0x7f;
    *len = 2;
    if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
        return p[1];
    *len = 3;
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
        (p[2] == 0xa8 || p[2] == 0xa9))
        return 0x2000u | (p[2] - 0x80u);
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        return 0xfeff;
    return 0;
}

/* yaml_escaped appends s[0..n) (sanitised already) as a double-quoted YAML
 * scalar on one line (escaped_part, without the quotes, a piece of one):
 * quotes and backslashes escaped; line feed, carriage return and tab as \n, \r and \t when keep_breaks, else as spaces; every
 * unfit character as \xNN or \uNNNN. The line then holds only characters
 * YAML takes as they are, and escapes YAML 1.1 defines; prove's reader
 * knows all of them but \u, which it keeps as text. */
static void
escaped_part(struct cordon__sink *out, const char *s, size_t n,
             bool keep_breaks)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0, len;

    while (i < n) {
        const char *esc = s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r"
                        : s[i] == '\t' ? "\\t" : s[i] == '"' ? "\\\""
                        : s[i] == '\\' ? "\\\\" : NULL;
        unsigned cp = esc != NULL ? 0 : unfit(u + i, n - i, &len);

        if (esc == NULL && cp == 0) {
            i++;
            continue;
        }
        cordon__sink_add(out, s + run, i - run);
        if (cp != 0)
            cordon__sink_printf(out, cp < 0x100 ? "\\x%02X" : "\\u%04X", cp);
        else if (!keep_breaks && (s[i] == '\n' || s[i] == '\r' ||
                                  s[i] == '\t'))
            cordon__sink_add(out, " ", 1);
        else
            cordon__sink_add(out, esc, 2);
        i += cp != 0 ? len : 1;
        run = i;
    }
    cordon__sink_add(out, s + run, i - run);
}

static void
yaml_escaped(struct cordon__sink *out, const char *s, size_t n,
             bool keep_breaks)
{
    cordon__sink_add(out, "\"", 1);
    escaped_part(out, s, n, keep_breaks);
    cordon__sink_add(out, "\"", 1);
}

/* yaml_quoted appends s as a double-quoted YAML scalar on one line. */
static void
yaml_quoted(struct cordon__sink *out, const char *s)
{
    struct cordon__buf clean = {0};

    cordon__sanitize(s, strlen(s), &clean);
    yaml_escaped(out, clean.data, clean.len, false);
    free(clean.data);
}

/* A block is read twice, a piece at a time (its text may be of any
 * size): once to choose its form, once to write it. It can be a literal
 * block scalar (key: |), every line indented by four spaces, and be read
 * back line for line when it fits. YAML takes a block's indentation from
 * its first non-empty line, prove's reader from its first line, and
 * neither knows an indentation indicator that both read: the first line
 * must be non-empty and start with no blank (a carriage return becomes
 * one). Then every line of the block is indented exactly four spaces in
 * both readers' eyes, more being part of the line; an empty text would be
 * an empty block, on which prove's reader never stops. No unfit character
 * may be in it: a block cannot escape one. Carriage returns inside become
 * spaces. A text that does not fit is one double-quoted line. */
struct block {
    struct cordon__sink *out;
    bool any;      /* a piece had text */
    bool fits;
    bool at_start; /* writing: the next byte starts a line */
};

static void
fit_piece(void *arg, const char *s, size_t n)
{
    struct block *b = arg;
    const unsigned char *u = (const unsigned char *)s;
    size_t len;

    if (n == 0)
        return;
    if (!b->any && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
                    s[0] == '\n'))
        b->fits = false;
    b->any = true;
    for (size_t i = 0; i < n && b->fits; i++)
        if (unfit(u + i, n - i, &len) != 0)
            b->fits = false;
}

static void
literal_piece(void *arg, const char *s, size_t n)
{
    struct block *b = arg;

    for (size_t i = 0; i < n;) {
        size_t run = i;

        if (b->at_start)
            cordon__sink_add(b->out, "    ", 4);
        b->at_start = false;
        while (i < n && s[i] != '\n' && s[i] != '\r')
            i++;
        cordon__sink_add(b->out, s + run, i - run);
        if (i == n)
            break;
        cordon__sink_add(b->out, s[i] == '\r' ? " " : "\n", 1);
        b->at_start = s[i] == '\n';
        i++;
    }
}

static void
quoted_piece(void *arg, const char *s, size_t n)
{
    struct block *b = arg;

    escaped_part(b->out, s, n, true);
}

/* Where a block's text comes from: a span of the spool, or text already
 * sanitised. */
struct source {
    const struct cordon__run *run;
    struct cordon__span span;
    const char *text;
    size_t len;
};

static void
feed(const struct source *src, void (*piece)(void *, const char *, size_t),
     struct block *b)
{
    if (src->text != NULL)
        piece(b, src->text, src->len);
    else
        cordon__run_pieces(src->run, src->span, piece, b);
}

/* block appends key: with the source's text under it. */
static void
block(struct cordon__sink *out, const char *key, const struct source *src)
{
    struct block b = {.out = out, .fits = true, .at_start = true};

    feed(src, fit_piece, &b);
    if (!b.any || !b.fits) {
        cordon__sink_printf(out, "  %s: \"", key);
        feed(src, quoted_piece, &b);
        cordon__sink_add(out, "\"\n", 2);
        return;
    }
    cordon__sink_printf(out, "  %s: |\n", key);
    feed(src, literal_piece, &b);
    if (!b.at_start)
        cordon__sink_add(out, "\n", 1);
}

/* text_block appends key: with text under it. */
static void
text_block(struct cordon__sink *out, const char *key, const char *text,
           size_t len)
{
    struct cordon__buf clean = {0};
    struct source src;

    cordon__sanitize(text, len, &clean);
    src = (struct source){.text = clean.data, .len = clean.len};
    block(out, key, &src);
    free(clean.data);
}

/* spooled_block appends key: with the spooled text of a span under it.
 * A text of one piece (the usual, capped output) is read once and kept
 * for both passes; a longer one is read a piece at a time, twice. */
static void
spooled_block(struct cordon__sink *out, const struct cordon__run *run,
              const char *key, struct cordon__span s)
{
    struct source src = {.run = run, .span = s};
    struct cordon__buf text = {0};

    if (s.len == 0)
        return;
    if (s.len > CORDON__PIECE) {
        block(out, key, &src);
        return;
    }
    cordon__run_text(run, s, &text);
    text_block(out, key, text.data, text.len);
    free(text.data);
}

/* runs notes, for a test that ran more than once, which run decided it
 * and, one a line, how each earlier failed attempt ended. */
static void
runs(struct cordon__sink *out, const struct cordon__run *run,
     const struct cordon__result *r)
{
    struct cordon__buf list = {0}, why = {0};
    struct cordon__result *tries;
    char label[96];
    size_t n;

    if (r->attempt == 0 || (r->attempts < 2 && r->repetitions < 2))
        return;
    if (r->repetitions > 1)
        cordon__sink_printf(out, "  repetition: %u\n  repetitions: %u\n",
                            r->repetition, r->repetitions);
    if (r->attempts > 1)
        cordon__sink_printf(out, "  attempt: %u\n  attempts: %u\n",
                            r->attempt, r->attempts);
    tries = cordon__retry_tries(run, r, &n);
    for (size_t i = 0; i < n; i++) {
        cordon__retry_label(&tries[i], label, sizeof label);
        cordon__run_text(run, tries[i].reason, &why);
        cordon__buf_printf(&list, "%s: %s %s\n", label,
                           cordon__outcome_word(tries[i].outcome), why.data);
    }
    if (n > 0)
        text_block(out, "earlier_attempts", list.data, list.len);
    free(tries);
    free(list.data);
    free(why.data);
}

/* flaky_note is the YAML block under a test that passed after failed
 * attempts: it says so, and how each of them ended. */
static void
flaky_note(struct cordon__sink *out, const struct cordon__run *run,
           const struct cordon__result *r)
{
    char summary[128];

    cordon__retry_summary(r, summary, sizeof summary);
    cordon__sink_printf(out, "  ---\n  outcome: FLAKY\n  reason: \"%s\"\n",
                        summary);
    runs(out, run, r);
    cordon__sink_printf(out, "  duration_ms: %.3f\n", r->seconds * 1000.0);
    cordon__sink_add(out, "  ...\n", 6);
}

/* field appends "  key: value" with value a double-quoted scalar. */
static void
field(struct cordon__sink *out, const char *key, const char *value)
{
    cordon__sink_printf(out, "  %s: ", key);
    yaml_quoted(out, value);
    cordon__sink_add(out, "\n", 1);
}

/* spooled_field is field() with the spooled text of a span, if any. */
static void
spooled_field(struct cordon__sink *out, const struct cordon__run *run,
              const char *key, struct cordon__span s)
{
    struct cordon__buf text = {0};

    if (s.len == 0)
        return;
    cordon__run_text(run, s, &text);
    field(out, key, text.data);
    free(text.data);
}

/* crash_fields appends where a crashed or timed-out test was: address,
 * checkpoint ("file:line") and backtrace (a block, a frame a line). */
static void
crash_fields(struct cordon__sink *out, const struct cordon__run *run,
             const struct cordon__result *r)
{
    char addr[128];

    if (cordon__report_address(r, addr, sizeof addr))
        field(out, "address", addr);
    spooled_field(out, run, "checkpoint", r->checkpoint);
    spooled_block(out, run, "backtrace", r->backtrace);
}

static void
diagnostics(struct cordon__sink *out, const struct cordon__run *run,
            const struct cordon__result *r, const char *reason)
{
    cordon__sink_add(out, "  ---\n", 6);
    cordon__sink_printf(out, "  outcome: %s\n",
                        cordon__outcome_word(r->outcome));
    field(out, "reason", reason);
    if (r->signal != 0)
        cordon__sink_printf(out, "  signal: %s\n",
                            cordon__signal_name(r->signal));
    if (r->exit_status >= 0)
        cordon__sink_printf(out, "  exit_status: %d\n", r->exit_status);
    cordon__sink_printf(out, "  duration_ms: %.3f\n", r->seconds * 1000.0);
    field(out, "file", r->test->file);
    cordon__sink_printf(out, "  line: %d\n", r->test->line);
    runs(out, run, r);
    spooled_field(out, run, "tmpdir", r->tmpdir);
    spooled_block(out, run, "failures", r->failures);
    crash_fields(out, run, r);
    spooled_block(out, run, "stdout", r->out.span);
    spooled_block(out, run, "stderr", r->err.span);
    cordon__sink_add(out, "  ...\n", 6);
}

int
cordon__report_tap(const struct cordon__run *run, struct cordon__sink *out)
{
    char id[CORDON__MAX_ID + 1];

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
        else if (cordon__retry_flaky(r))
            flaky_note(out, run, r);
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
