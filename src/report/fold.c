// SPDX-License-Identifier: MIT
// fold.c — folds cordon's own frames out of the stacks of a sanitizer
// report, for the console's excerpt of it: every stack of ASan, LSan,
// UBSan, TSan and MSan that runs through a test's code runs on below it
// through some twenty frames of cordon's (the trampoline that called the
// user's function, the test process's start, the worker, the coordinator,
// main) and the C library's start, so that the first lines of a report
// held one stack and half of another. Here each such tail becomes one
// line, "    ... 21 frames of cordon (#3 to #23)", and every stack of
// the report shows its user frames in the excerpt. The report in the
// captured stderr (JUnit, TAP) is left whole.
//
// The text has only what the sanitizer printed, so the tail is found by
// name: it starts at the frame of cordon__trampoline_*, the functions
// every call into the user's code goes through (testproc/trampoline.c),
// and a TEST_P wrapper's frame just above it (cordon_impl_pwrap_*, or any
// cordon_impl_<x>wrap_*: a call to the body at its definition's line)
// goes with it. A stack without a trampoline's frame is left as it is.
#include "report/report.h"

#include <string.h>

/* One frame line: "    #3 0x55d0c1 in function file:line" (ASan, LSan,
 * UBSan, MSan; "(module+0x1f)" instead of file:line without one) or
 * "    #3 function file:line (module+0x1f)" (TSan). */
struct frame_line {
    const char *function; /* NULL = none named */
    size_t function_len;
    size_t indent;        /* the blanks before '#' */
};

/* parse_frame says whether line[0..n) is a frame line, and fills f. */
static bool
parse_frame(const char *line, size_t n, struct frame_line *f)
{
    size_t i = 0, start;

    while (i < n && line[i] == ' ')
        i++;
    f->indent = i;
    if (i == 0 || i >= n || line[i] != '#')
        return false;
    start = ++i;
    while (i < n && line[i] >= '0' && line[i] <= '9')
        i++;
    if (i == start || i >= n || line[i] != ' ')
        return false;
    i++;
    if (n - i > 2 && line[i] == '0' && line[i + 1] == 'x') {
        i += 2;
        while (i < n && line[i] != ' ')
            i++;
        i += i < n;
    }
    if (n - i > 3 && memcmp(line + i, "in ", 3) == 0)
        i += 3;
    f->function = line + i;
    f->function_len = strcspn(f->function, " \n");
    if (f->function_len > n - i)
        f->function_len = n - i;
    if (f->function_len == 0 || f->function[0] == '(')
        f->function = NULL;
    return true;
}

static bool
has_prefix(const struct frame_line *f, const char *prefix)
{
    size_t len = strlen(prefix);

    return f->function != NULL && f->function_len > len &&
           memcmp(f->function, prefix, len) == 0;
}

/* is_wrapper says f is a TEST_P (or alike) wrapper's frame:
 * cordon_impl_<x>wrap_<suite>_<name>. */
static bool
is_wrapper(const struct frame_line *f)
{
    const char *rest, *us;

    if (!has_prefix(f, "cordon_impl_"))
        return false;
    rest = f->function + 12;
    us = memchr(rest, '_', f->function_len - 12);
    return us != NULL && us - rest >= 4 && memcmp(us - 4, "wrap", 4) == 0;
}

/* A line of the text. */
struct line {
    const char *at;
    size_t len; /* without its newline */
    bool newline;
};

static bool
next_line(const char **p, const char *end, struct line *l)
{
    const char *nl;

    if (*p >= end)
        return false;
    nl = memchr(*p, '\n', (size_t)(end - *p));
    l->at = *p;
    l->len = (size_t)((nl != NULL ? nl : end) - *p);
    l->newline = nl != NULL;
    *p = nl != NULL ? nl + 1 : end;
    return true;
}

/* number_of reads the N of a frame line's "#N". */
static unsigned long
number_of(const struct line *l, const struct frame_line *f)
{
    unsigned long n = 0;

    for (size_t i = f->indent + 1; i < l->len && l->at[i] >= '0' &&
                                   l->at[i] <= '9';
         i++)
        n = n * 10 + (unsigned long)(l->at[i] - '0');
    return n;
}

size_t
cordon__fold_frames(const char *in, size_t n, struct cordon__buf *out)
{
    const char *p = in, *end = in + n;
    struct line l, prev = {0};
    struct frame_line f = {0}, pf = {0};
    bool have_prev = false, folding = false, prev_frame = false;
    size_t folded = 0, count = 0, indent = 0;
    unsigned long first = 0, last = 0;

    cordon__buf_add(out, "", 0);
    for (;;) {
        bool more = next_line(&p, end, &l);
        bool frame = more && parse_frame(l.at, l.len, &f);

        if (folding && frame) {
            count++;
            last = number_of(&l, &f);
            continue;
        }
        if (folding) {
            cordon__buf_printf(out, "%*s... %zu frame%s of cordon (#%lu to "
                               "#%lu)\n", (int)indent, "", count,
                               count == 1 ? "" : "s", first, last);
            folding = false;
            folded++;
        }
        if (frame && has_prefix(&f, "cordon__trampoline_")) {
            folding = true;
            indent = f.indent;
            count = 1;
            first = last = number_of(&l, &f);
            /* The wrapper's frame just above goes with it. */
            if (have_prev && prev_frame && is_wrapper(&pf)) {
                count++;
                first = number_of(&prev, &pf);
            } else if (have_prev) {
                cordon__buf_add(out, prev.at, prev.len);
                if (prev.newline)
                    cordon__buf_add(out, "\n", 1);
            }
            have_prev = false;
            continue;
        }
        if (have_prev) {
            cordon__buf_add(out, prev.at, prev.len);
            if (prev.newline)
                cordon__buf_add(out, "\n", 1);
        }
        if (!more)
            break;
        prev = l;
        if (frame)
            pf = f;
        prev_frame = frame;
        have_prev = true;
    }
    return folded;
}
