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
// what the frames say. It starts at the frame of cordon__trampoline_*,
// the functions every call into the user's code goes through
// (testproc/trampoline.c), and a TEST_P wrapper's frame just above it
// (cordon_impl_pwrap_*, or any cordon_impl_<x>wrap_*: a call to the body
// at its definition's line) goes with it. An unwinder that follows frame
// pointers (ASan's for allocations) skips the trampoline's frame below
// user code built without them (-O2), and cordon::fuzz's runner
// (cordon__fuzz_run_input) calls the target directly: so the tail also
// starts at the first frame of cordon's own in the frames that end the
// stack, when these are all cordon's, main's, the C library's start or
// junk. A frame is cordon's by
// its source file under libcordon's sources (the path this file was
// compiled as), its module (libcordon.so without debug information) or
// its name (cordon__*, and the public cordon_* but cordon_impl_*, which
// are generated into the user's files). A stack without such a tail is
// left as it is.
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

/* What a frame is, for finding the tail of a stack that is not the
 * user's. */
enum frame_kind {
    FRAME_OTHER,  /* the user's, a library's, the sanitizer's */
    FRAME_CORDON, /* cordon's own code */
    FRAME_START,  /* main and the C library's start below it */
    FRAME_JUNK    /* no function: an address the unwinder read off the
                   * stack, or in no module */
};

/* find_in returns the first occurrence of needle in s[0..n), or NULL. */
static const char *
find_in(const char *s, size_t n, const char *needle)
{
    size_t len = strlen(needle);

    for (size_t i = 0; i + len <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, len) == 0)
            return s + i;
    return NULL;
}

/* The folder above this file's: libcordon's sources, as the compiler
 * named them (the path a symbolizer prints for them, -ffile-prefix-map
 * alike), or "" when that is not an absolute path. */
static size_t
sources_len(void)
{
    static const char self[] = __FILE__, tail[] = "report/fold.c";
    size_t n = sizeof self - 1, t = sizeof tail - 1;

    if (self[0] != '/' || n <= t || memcmp(self + n - t, tail, t) != 0)
        return 0;
    return n - t;
}

/* classify says what the frame line l (parsed as f) is. The text has only
 * what the sanitizer printed: cordon's frames are known by their source
 * file under libcordon's sources (static functions too), by their module
 * when the library has no debug information (libcordon.so), or by their
 * names (cordon__x internal, cordon_x public; cordon_impl_x names are
 * generated into the user's files too). */
static enum frame_kind
classify(const struct line *l, const struct frame_line *f)
{
    const char *end = l->at + l->len, *module = NULL, *file = NULL;
    size_t module_len = 0, file_len = 0, src = sources_len();
    const char *id = find_in(l->at, l->len, " (BuildId:");

    /* Newer runtimes add "(BuildId: 1bed...)" after the module. */
    if (id != NULL && end[-1] == ')')
        end = id;

    /* "(module+0x1f)" at the end. */
    if (end > l->at && end[-1] == ')') {
        for (const char *q = end - 1; q > l->at; q--)
            if (q[0] == '(' && q[-1] == ' ') {
                module = q + 1;
                module_len = (size_t)(end - 1 - module);
                end = q - 1;
                break;
            }
    }
    /* "file:line" before it, or at the end, after the function. */
    while (end > l->at && end[-1] == ' ')
        end--;
    if (f->function != NULL && end > f->function + f->function_len) {
        file = end;
        while (file > l->at && file[-1] != ' ')
            file--;
        file_len = (size_t)(end - file);
    }
    if (file != NULL && src > 0 && file_len > src &&
        memcmp(file, __FILE__, src) == 0)
        return FRAME_CORDON;
    if (module != NULL) {
        const char *base = module + module_len;

        while (base > module && base[-1] != '/')
            base--;
        if ((size_t)(module + module_len - base) > 10 &&
            memcmp(base, "libcordon", 9) == 0 &&
            (base[9] == '.' || base[9] == '_'))
            return FRAME_CORDON;
    }
    if (has_prefix(f, "cordon__") ||
        (has_prefix(f, "cordon_") && !has_prefix(f, "cordon_impl_")))
        return FRAME_CORDON;
    if (f->function == NULL)
        return FRAME_JUNK;
    if ((f->function_len == 4 && memcmp(f->function, "main", 4) == 0) ||
        (f->function_len == 6 && memcmp(f->function, "_start", 6) == 0) ||
        has_prefix(f, "__libc_start"))
        return FRAME_START;
    return FRAME_OTHER;
}

/* fold_from finds where the stack of k frame lines from p folds: the
 * index of its first folded frame, k for none. Two ways to it: the
 * trampoline's frame (and a wrapper's just above it) whatever lies
 * below; and the tail of frames of cordon's, main's, the C library's
 * start and junk that ends the stack, from its first frame of cordon's
 * (when the user's code has no frame pointers, an unwinder that follows
 * them skips the trampoline's frame; cordon::fuzz's runner has no
 * trampoline above it). Frames of cordon's just above the trampoline
 * (the runner's) go with it. */
static size_t
fold_from(const char *p, const char *end, size_t k)
{
    struct line l;
    struct frame_line f, pf = {0};
    size_t trampoline = k, tail = k, run = k, i = 0;
    bool tail_open = false;

    while (i < k && next_line(&p, end, &l) && parse_frame(l.at, l.len, &f)) {
        enum frame_kind kind = classify(&l, &f);

        /* run: where the frames of cordon's that end at this one begin
         * (cordon::fuzz's runner above the trampoline). */
        if (kind != FRAME_CORDON)
            run = k;
        else if (run == k)
            run = i;
        if (trampoline == k && has_prefix(&f, "cordon__trampoline_"))
            trampoline = i > 0 && is_wrapper(&pf) ? i - 1 : run;
        if (kind == FRAME_OTHER) {
            tail = k;
            tail_open = false;
        } else if (kind == FRAME_CORDON && !tail_open) {
            tail = i;
            tail_open = true;
        }
        pf = f;
        i++;
    }
    return trampoline < tail ? trampoline : tail;
}

/* frames_ahead counts the frame lines from p on, up to the first line
 * that is not one. */
static size_t
frames_ahead(const char *p, const char *end)
{
    struct line l;
    struct frame_line f;
    size_t k = 0;

    while (next_line(&p, end, &l) && parse_frame(l.at, l.len, &f))
        k++;
    return k;
}

size_t
cordon__fold_frames(const char *in, size_t n, struct cordon__buf *out)
{
    const char *p = in, *end = in + n, *at;
    struct line l;
    struct frame_line f;
    size_t folded = 0;

    cordon__buf_add(out, "", 0);
    for (at = p; next_line(&p, end, &l); at = p) {
        size_t k, from, indent;
        unsigned long first, last = 0;

        if (!parse_frame(l.at, l.len, &f)) {
            cordon__buf_add(out, l.at, l.len + l.newline);
            continue;
        }
        /* A stack: its frames up to the fold, and the fold's line. */
        p = at;
        k = frames_ahead(p, end);
        from = fold_from(p, end, k);
        for (size_t i = 0; i < from; i++) {
            next_line(&p, end, &l);
            cordon__buf_add(out, l.at, l.len + l.newline);
        }
        if (from == k)
            continue;
        next_line(&p, end, &l);
        parse_frame(l.at, l.len, &f);
        indent = f.indent;
        first = number_of(&l, &f);
        for (size_t i = from; i < k; i++) {
            if (i > from) {
                next_line(&p, end, &l);
                parse_frame(l.at, l.len, &f);
            }
            last = number_of(&l, &f);
        }
        if (first == last)
            cordon__buf_printf(out, "%*s... 1 frame of cordon (#%lu)\n",
                               (int)indent, "", first);
        else
            cordon__buf_printf(out, "%*s... %zu frames of cordon (#%lu to "
                               "#%lu)\n", (int)indent, "", k - from, first,
                               last);
        folded++;
    }
    return folded;
}
