// SPDX-License-Identifier: MIT
// sanitizer.c — what the sanitizers (ASan, LSan, UBSan, TSan, MSan) say
// about a test, read by its worker: the first sanitizer report in what the
// test wrote to stderr, its header line and its SUMMARY line, and where
// it starts, so the capture keeps it whole. Turning that into an outcome
// is outcome.c's; running LeakSanitizer's check in the test process is
// testproc/leakcheck.c's. A binary linked without a sanitizer runtime
// never scans, and a report counts only in its runtime's own form and
// when that runtime is linked: a program's own error text is no report.
#include "result/result.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The longest line the scan matches whole; a longer one is matched on its
 * first LINE_MAX_LEN bytes (a report's header and summary are short). */
#define LINE_MAX_LEN 1024

static bool
starts(const char *s, size_t n, const char *prefix)
{
    size_t len = strlen(prefix);

    return n >= len && memcmp(s, prefix, len) == 0;
}

/* find returns the first occurrence of needle in s[0..n), or NULL. */
static const char *
find(const char *s, size_t n, const char *needle)
{
    size_t len = strlen(needle);

    for (size_t i = 0; i + len <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, len) == 0)
            return s + i;
    return NULL;
}

/* skip_pid passes the "==12345==" that ASan, LSan and MSan put before
 * their lines; s is returned as it is when there is none. */
static const char *
skip_pid(const char *s, size_t *n)
{
    size_t i = 2;

    if (!starts(s, *n, "=="))
        return s;
    while (i < *n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 2 || !starts(s + i, *n - i, "=="))
        return s;
    *n -= i + 2;
    return s + i + 2;
}

/* kind_of copies the kind of error out of the rest of a header ("heap-
 * buffer-overflow on address 0x..."): up to " on ", " at ", " (" or the
 * end. */
static void
kind_of(const char *rest, size_t n, char *out, size_t size)
{
    static const char *const stops[] = {" on ", " at ", " (", " from "};
    size_t end = n;

    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        const char *p = find(rest, n, stops[i]);

        if (p != NULL && (size_t)(p - rest) < end)
            end = (size_t)(p - rest);
    }
    snprintf(out, size, "%.*s", (int)end, rest);
}

/* ubsan_place says whether what comes before UBSan's ": runtime error: "
 * is the place it names: "file.c:12:5" (a line and a column) or
 * "<unknown>". "panic: runtime error: ..." or "app: runtime error: ..."
 * is a program's own message. */
static bool
ubsan_place(const char *s, size_t n)
{
    size_t i = n, digits;

    if (n == 9 && memcmp(s, "<unknown>", 9) == 0)
        return true;
    for (int field = 0; field < 2; field++) {
        digits = 0;
        while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
            i--, digits++;
        if (digits == 0 || i == 0 || s[i - 1] != ':')
            return false;
        i--;
    }
    return i > 0 && memchr(s, ' ', i) == NULL;
}

/* header says whether a line opens a report and, if so, fills what. A
 * report's header has the form its runtime prints: "==PID==ERROR: ..."
 * (ASan, LSan, MSan, and TSan's errors), TSan's "WARNING: ThreadSanitizer:
 * ... (pid=PID)", UBSan's "file.c:12:5: runtime error: ...". Any pid: a
 * process the test or function started reports under its own. */
static bool
header(const char *line, size_t n, struct cordon__sanitizer_report *rep)
{
    const char *s = skip_pid(line, &n);
    bool prefixed = s != line;
    const char *p, *tool;
    char kind[160];

    if (!prefixed && (p = find(line, n, ": runtime error: ")) != NULL &&
        ubsan_place(line, (size_t)(p - line))) {
        /* UBSan: "file.c:12:5: runtime error: signed integer overflow". */
        size_t at = (size_t)(p - line) + 17;

        snprintf(rep->what, sizeof rep->what,
                 "UndefinedBehaviorSanitizer: %.*s (%.*s)",
                 (int)(n - at > 200 ? 200 : n - at), line + at,
                 (int)(p - line > 200 ? 200 : p - line), line);
        snprintf(rep->tool, sizeof rep->tool, "UndefinedBehaviorSanitizer");
        return true;
    }
    if (!prefixed && !(starts(s, n, "WARNING: ThreadSanitizer: ") &&
                       find(s, n, " (pid=") != NULL))
        return false;
    if (starts(s, n, "ERROR: "))
        s += 7, n -= 7;
    else if (starts(s, n, "WARNING: "))
        s += 9, n -= 9;
    else
        return false;
    tool = s;
    p = find(s, n, "Sanitizer: ");
    if (p == NULL || p == s || p - s > 24 ||
        memchr(s, ' ', (size_t)(p - s)) != NULL)
        return false;
    snprintf(rep->tool, sizeof rep->tool, "%.*s", (int)(p - tool + 9), tool);
    p += 11;
    kind_of(p, n - (size_t)(p - s), kind, sizeof kind);
    rep->leak = strcmp(rep->tool, "LeakSanitizer") == 0;
    snprintf(rep->what, sizeof rep->what, "%s: %s", rep->tool, kind);
    return true;
}

/* What the scan has seen of a report's first stack. */
struct first_stack {
    int state;                /* 0 before it, 1 in it, 2 after it */
    bool in_runtime;          /* its frames so far are the runtime's */
    char place[LINE_MAX_LEN]; /* "file:line in f" of its first frame that
                               * is not the runtime's; "" = none yet */
};

/* runtime_place says "loc in function" is in the sanitizer runtime: an
 * interceptor (memcmp, memcpy, strlen check their arguments and report
 * from inside), an entry point of the runtime's, or a file or module of
 * it. */
static bool
runtime_place(const char *loc, size_t loc_len, const char *fn, size_t fn_len)
{
    static const char *const names[] = {
        "__interceptor_", "___interceptor_", "__asan_", "__sanitizer_",
        "__ubsan_", "__tsan_", "__msan_", "__lsan_", "__hwasan_"};
    static const char *const files[] = {
        "sanitizer_common/", "libsanitizer/", "compiler-rt/", "/asan/",
        "/ubsan/", "/tsan/", "/msan/", "/lsan/", "/hwasan/", "libasan.so",
        "libubsan.so", "libtsan.so", "liblsan.so", "libhwasan.so",
        "libclang_rt."};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (starts(fn, fn_len, names[i]))
            return true;
    if (find(fn, fn_len, "InterceptorCommon") != NULL)
        return true;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (find(loc, loc_len, files[i]) != NULL)
            return true;
    return false;
}

/* without_build_id returns the length of s[0..n) without the "(BuildId:
 * 1bed9d...)" newer runtimes put after a frame's module. */
static size_t
without_build_id(const char *s, size_t n)
{
    const char *p = find(s, n, " (BuildId:");

    return p != NULL && s[n - 1] == ')' ? (size_t)(p - s) : n;
}

/* libc_name says fn[0..n) is named as <string.h> and <stdlib.h>'s
 * functions are (names a program may not define): below the runtime's
 * frame, a frame so named without file:line is the interceptor's own
 * (clang's runtime names it memcmp, not __interceptor_memcmp). */
static bool
libc_name(const char *fn, size_t n)
{
    static const char *const names[] = {"free", "malloc", "calloc",
                                        "realloc"};

    if (n > 3 && (starts(fn, n, "mem") || starts(fn, n, "str") ||
                  starts(fn, n, "wcs")))
        return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (n == strlen(names[i]) && memcmp(fn, names[i], n) == 0)
            return true;
    return false;
}

/* is_file_line says s[0..n) ends with ":LINE" or ":LINE:COLUMN". */
static bool
is_file_line(const char *s, size_t n)
{
    size_t colons = 0;

    while (n > 0 && colons < 2) {
        size_t digits = 0;

        while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9')
            n--, digits++;
        if (digits == 0 || n == 0 || s[n - 1] != ':')
            return colons > 0;
        n--, colons++;
    }
    return colons > 0 && n > 0;
}

/* What frame() found. */
enum frame_kind {
    NO_FRAME,
    RUNTIME_FRAME, /* the runtime's, or no function named */
    LIBC_FRAME,    /* named as a libc function, without file:line */
    USER_FRAME
};

/* frame reads a stack's frame line into its place, "loc in function" as
 * a SUMMARY line has it: "#3 0x55 in f /src/t.c:12" (ASan, LSan, MSan;
 * "(module+0x1f)" for the place without debug information) or "#3 f
 * /src/t.c:12 (module+0x1f)" (TSan). place is set for a USER_FRAME. */
static enum frame_kind
frame(const char *line, size_t n, char *place, size_t size)
{
    size_t i = 0, start, end, split;
    const char *fn, *loc;
    size_t fn_len, loc_len;

    n = without_build_id(line, n);
    while (i < n && line[i] == ' ')
        i++;
    if (i == 0 || i >= n || line[i] != '#')
        return NO_FRAME;
    start = ++i;
    while (i < n && line[i] >= '0' && line[i] <= '9')
        i++;
    if (i == start || i >= n || line[i] != ' ')
        return NO_FRAME;
    i++;
    if (starts(line + i, n - i, "0x")) {
        while (i < n && line[i] != ' ')
            i++;
        while (i < n && line[i] == ' ')
            i++;
    }
    if (starts(line + i, n - i, "in "))
        i += 3;
    end = n;
    while (end > i && line[end - 1] == ' ')
        end--;
    /* The place is the last word; TSan's file:line comes before its
     * "(module)". */
    split = end;
    while (split > i && line[split - 1] != ' ')
        split--;
    if (split > i && line[end - 1] == ')' && line[split] == '(') {
        size_t before = split - 1, word = before;

        while (word > i && line[word - 1] != ' ')
            word--;
        if (word > i && is_file_line(line + word, before - word)) {
            end = before;
            split = word;
        }
    }
    place[0] = '\0';
    if (split <= i)
        return RUNTIME_FRAME; /* no function named: nothing to name */
    fn = line + i;
    fn_len = split - 1 - i;
    loc = line + split;
    loc_len = end - split;
    if (runtime_place(loc, loc_len, fn, fn_len))
        return RUNTIME_FRAME;
    if (loc[0] == '(' && libc_name(fn, fn_len))
        return LIBC_FRAME;
    snprintf(place, size, "%.*s in %.*s", (int)loc_len, loc, (int)fn_len, fn);
    return USER_FRAME;
}

/* summary adds what a report's SUMMARY line says to rep->what: the sizes
 * of a leak, or where an error happened. The SUMMARY's place is the first
 * frame of the error's stack; when that is the runtime's, the first frame
 * that is not (first->place) is named instead. */
static void
summary(const char *line, size_t n, struct cordon__sanitizer_report *rep,
        const struct first_stack *first)
{
    const char *s = line + 9, *p;
    size_t len = strlen(rep->what), left = n - 9;
    unsigned long long bytes, allocs;
    char buf[LINE_MAX_LEN + 1];

    memcpy(buf, s, left);
    buf[left] = '\0';
    if (rep->leak) {
        p = strstr(buf, ": ");
        /* ASan's counts, printed from a size_t; a line that does not
         * parse fails the == 2. NOLINTNEXTLINE(cert-err34-c) */
        if (p != NULL && sscanf(p + 2, "%llu byte(s) leaked in %llu "
                                "allocation(s)", &bytes, &allocs) == 2)
            snprintf(rep->what + len, sizeof rep->what - len,
                     " (%llu byte%s in %llu allocation%s)", bytes,
                     bytes == 1 ? "" : "s", allocs, allocs == 1 ? "" : "s");
        return;
    }
    /* "AddressSanitizer: heap-buffer-overflow /src/t.c:12 in f": what
     * follows the tool and the kind, which what already holds, is the
     * place. (UBSan's header gave its place already.) */
    if (strstr(rep->what, " (") != NULL ||
        strncmp(buf, rep->what, len) != 0 || buf[len] != ' ' ||
        buf[len + 1] == '\0')
        return;
    s = buf + len + 1;
    /* "(module+0x1f) (BuildId: 1bed...) in f": the module is enough. */
    {
        char *id = strstr(buf + len + 1, " (BuildId:");
        char *close = id != NULL ? strchr(id, ')') : NULL;

        if (close != NULL)
            memmove(id, close + 1, strlen(close + 1) + 1);
    }
    p = strstr(s, " in ");
    if (first->place[0] != '\0' && p != NULL &&
        runtime_place(s, (size_t)(p - s), p + 4, strlen(p + 4)))
        s = first->place;
    snprintf(rep->what + len, sizeof rep->what - len, " (%s)", s);
}

/* The runtimes' own symbols, weak: NULL when that runtime is not in this
 * process (nor, then, in the test's or function's, forked from it).
 * Names the runtimes chose, declared, not defined, here:
 * NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
extern void __asan_init(void) __attribute__((weak));
extern void __tsan_init(void) __attribute__((weak));
extern void __msan_init(void) __attribute__((weak));
extern void __lsan_do_leak_check(void) __attribute__((weak));
extern void __ubsan_handle_add_overflow(void) __attribute__((weak));
extern void __ubsan_handle_builtin_unreachable(void) __attribute__((weak));
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

/* runtime_here says whether the runtime of tool (a report's) is in this
 * process: a report of a tool that is not is a program's own text. Tools
 * not listed count when any runtime is. */
static bool
runtime_here(const char *tool)
{
    if (strcmp(tool, "AddressSanitizer") == 0)
        return __asan_init != NULL;
    if (strcmp(tool, "ThreadSanitizer") == 0)
        return __tsan_init != NULL;
    if (strcmp(tool, "MemorySanitizer") == 0)
        return __msan_init != NULL;
    if (strcmp(tool, "LeakSanitizer") == 0)
        return __lsan_do_leak_check != NULL;
    if (strcmp(tool, "UndefinedBehaviorSanitizer") == 0)
        return __ubsan_handle_add_overflow != NULL ||
               __ubsan_handle_builtin_unreachable != NULL;
    return true;
}

/* scan_line looks at one line (without its newline) at offset off; with
 * need_runtime, a header counts only when its tool's runtime is here. */
static void
scan_line(const char *line, size_t n, uint64_t off,
          struct cordon__sanitizer_report *rep, struct first_stack *first,
          bool *done, bool need_runtime)
{
    char place[sizeof first->place];
    enum frame_kind kind;

    if (!rep->found) {
        if (header(line, n, rep) &&
            (!need_runtime || runtime_here(rep->tool))) {
            rep->found = true;
            rep->offset = off;
        }
        return;
    }
    if (starts(line, n, "SUMMARY: ")) {
        summary(line, n, rep, first);
        *done = true;
        return;
    }
    if (first->state == 2)
        return;
    kind = frame(line, n, place, sizeof place);
    if (kind == NO_FRAME) {
        if (first->state == 1)
            first->state = 2;
        return;
    }
    if (first->state == 0)
        first->in_runtime = true;
    first->state = 1;
    if (kind == RUNTIME_FRAME || (kind == LIBC_FRAME && first->in_runtime))
        return;
    first->in_runtime = false;
    if (first->place[0] == '\0' && kind == USER_FRAME)
        memcpy(first->place, place, sizeof place);
}

static int parse(int fd, struct cordon__sanitizer_report *rep,
                 bool need_runtime);

int
cordon__sanitizer_scan(int fd, struct cordon__sanitizer_report *rep)
{
    memset(rep, 0, sizeof *rep);
    return cordon__leakcheck_linked() ? parse(fd, rep, true) : 0;
}

int
cordon__sanitizer_parse(int fd, struct cordon__sanitizer_report *rep)
{
    return parse(fd, rep, false);
}

static int
parse(int fd, struct cordon__sanitizer_report *rep, bool need_runtime)
{
    char chunk[64 * 1024], line[LINE_MAX_LEN];
    size_t len = 0;
    uint64_t at = 0, line_off = 0;
    struct stat st;
    struct first_stack first = {0};
    bool done = false;

    memset(rep, 0, sizeof *rep);
    if (fstat(fd, &st) == -1)
        return -1;
    while (!done && at < (uint64_t)st.st_size) {
        ssize_t r = pread(fd, chunk, sizeof chunk, (off_t)at);
        const char *p = chunk, *end;

        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? 0 : -1;
        end = chunk + r;
        while (p < end && !done) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t seg = (size_t)((nl ? nl : end) - p);

            /* A line longer than the buffer is matched on its start. */
            if (seg > sizeof line - len)
                seg = sizeof line - len;
            memcpy(line + len, p, seg);
            len += seg;
            if (nl == NULL)
                break;
            scan_line(line, len, line_off, rep, &first, &done, need_runtime);
            line_off = at + (uint64_t)(nl + 1 - chunk);
            len = 0;
            p = nl + 1;
        }
        at += (uint64_t)r;
    }
    if (!done && len > 0)
        scan_line(line, len, line_off, rep, &first, &done, need_runtime);
    return 0;
}
