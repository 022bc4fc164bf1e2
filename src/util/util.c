// SPDX-License-Identifier: MIT
// util.c — small helpers every other file leans on: the clock, checked
// allocation, growable buffers, number parsing, signal names and the one-line
// error printer. Nothing here knows about tests.
#include "util/util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
cordon__bug_at(const char *file, int line, const char *what)
{
    fprintf(stderr, "cordon: internal error at %s:%d: %s\n", file, line, what);
    abort();
}

static void
say(const char *fmt, va_list ap)
{
    int saved = errno;

    fputs("cordon: ", stderr);
    /* Every caller passes an ap it started: clang 14's valist checker
     * loses track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    errno = saved;
}

void
cordon__usage_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

void
cordon__error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

locale_t cordon__c_numeric;

locale_t
cordon__numbers_begin(void)
{
    return cordon__c_numeric != (locale_t)0 ? uselocale(cordon__c_numeric)
                                            : (locale_t)0;
}

void
cordon__numbers_end(locale_t before)
{
    if (before != (locale_t)0)
        uselocale(before);
}

double
cordon__now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Noreturn void
out_of_memory(size_t n)
{
    cordon__error("out of memory allocating %zu bytes (lower --jobs or "
                        "--output-limit)", n);
    exit(CORDON_EXIT_USAGE);
}

void *
cordon__xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL)
        out_of_memory(n);
    return p;
}

void *
cordon__xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        out_of_memory(n);
    return q;
}

char *
cordon__xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(cordon__xmalloc(n), s, n);
}

void
cordon__buf_fixed(struct cordon__buf *b, char *storage, size_t size)
{
    b->data = storage;
    b->len = 0;
    b->cap = size;
    b->fixed = true;
    storage[0] = '\0';
}

void
cordon__buf_release(struct cordon__buf *b)
{
    if (!b->fixed)
        free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void
cordon__buf_add(struct cordon__buf *b, const char *s, size_t n)
{
    if (b->fixed && b->len + n + 1 > b->cap)
        n = b->cap - 1 - b->len; /* cut: a fixed buffer never grows */
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;

        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = cordon__xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
cordon__buf_printf(struct cordon__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    /* ap is started on the line above: clang 14's valist checker loses
     * track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        cordon__buf_add(b, small, (size_t)n);
        return;
    }
    cordon__buf_add(b, "", 0);
    if (b->fixed) {
        size_t room = b->cap - b->len;

        va_start(ap, fmt);
        vsnprintf(b->data + b->len, room, fmt, ap);
        va_end(ap);
        b->len += (size_t)n < room ? (size_t)n : room - 1;
        return;
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = b->len + (size_t)n + 1;
        b->data = cordon__xrealloc(b->data, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *
cordon__signal_name(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGABRT, "SIGABRT"}, {SIGALRM, "SIGALRM"}, {SIGBUS, "SIGBUS"},
        {SIGCHLD, "SIGCHLD"}, {SIGCONT, "SIGCONT"}, {SIGFPE, "SIGFPE"},
        {SIGHUP, "SIGHUP"},   {SIGILL, "SIGILL"},   {SIGINT, "SIGINT"},
        {SIGKILL, "SIGKILL"}, {SIGPIPE, "SIGPIPE"}, {SIGQUIT, "SIGQUIT"},
        {SIGSEGV, "SIGSEGV"}, {SIGSTOP, "SIGSTOP"}, {SIGTERM, "SIGTERM"},
        {SIGTSTP, "SIGTSTP"}, {SIGTTIN, "SIGTTIN"}, {SIGTTOU, "SIGTTOU"},
        {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}, {SIGPROF, "SIGPROF"},
        {SIGSYS, "SIGSYS"},   {SIGTRAP, "SIGTRAP"}, {SIGURG, "SIGURG"},
        {SIGVTALRM, "SIGVTALRM"}, {SIGXCPU, "SIGXCPU"},
        {SIGXFSZ, "SIGXFSZ"},
    };
    static char other[32];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    snprintf(other, sizeof other, "signal %d", sig);
    return other;
}

/* decimal says text is written as a plain decimal number: digits, with a
 * point and digits and an exponent where fraction allows them, a minus
 * sign where sign does; no blanks, no plus sign, no hexadecimal, no
 * "inf" or "nan". Every number cordon reads follows this one rule. */
static bool
decimal(const char *text, bool fraction, bool sign)
{
    const char *p = text;
    size_t digits = 0;

    if (sign && *p == '-')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (fraction && *p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits == 0)
        return false;
    if (fraction && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

bool
cordon__parse_seconds(const char *text, double *out)
{
    char *end;
    double v;

    if (text == NULL || !decimal(text, true, false))
        return false;
    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0)
        return false;
    *out = v;
    return true;
}

bool
cordon__parse_count(const char *text, long min, long max, long *out)
{
    char *end;
    long v;

    if (text == NULL || !decimal(text, false, min < 0))
        return false;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool
cordon__parse_size(const char *text, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (text == NULL || !decimal(text, false, false))
        return false;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = (uint64_t)v;
    return true;
}
