// SPDX-License-Identifier: MIT
// util.h — what every process role may call: reporting a bug or a user's
// error, the clock, parsing numbers, signal names, and a byte buffer. The
// x-allocators end the process (exit 2) when memory is out: the runner
// may call them, code that runs in a test process never does (api/ and
// testproc/ format into fixed buffers: cordon__buf_fixed).
//
// Return convention, for every internal header, unless a comment says
// otherwise: 0 (or a positive value) on success, -1 with errno set on
// failure.
#ifndef CORDON_UTIL_H
#define CORDON_UTIL_H

#include "cordon.h"

#include <locale.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h> /* _POSIX_TIMERS */


/* cordon__bug reports an impossible state with file:line and aborts. */
_Noreturn void cordon__bug_at(const char *file, int line, const char *what);
#define cordon__bug(what) cordon__bug_at(__FILE__, __LINE__, what)
/* cordon__usage_error prints "cordon: <message>" on stderr (one line) for
 * a command line or environment the user must change (exit 2). */
void cordon__usage_error(const char *fmt, ...) CORDON_IMPL_PRINTF(1, 2);
/* cordon__error prints the same one line for every other error the user
 * can cause: set-up, resources, writing a report. errno is preserved. */
void cordon__error(const char *fmt, ...) CORDON_IMPL_PRINTF(1, 2);
/* cordon__c_numeric is the "C" locale for numbers, made when cordon_main
 * begins ((locale_t)0 before): every number cordon writes (a report's
 * times, a check's values) is written in it, whatever setlocale() the
 * program called, while tests run in the program's own locale. */
extern locale_t cordon__c_numeric;
/* cordon__numbers_begin makes this thread write numbers in the "C" locale
 * and returns what it used before, for cordon__numbers_end. */
locale_t cordon__numbers_begin(void);
void cordon__numbers_end(locale_t before);
/* cordon__now returns CLOCK_MONOTONIC in seconds. */
double cordon__now(void);
/* cordon__xmalloc and friends end the runner (exit 2) when memory is out. */
void *cordon__xmalloc(size_t n);
void *cordon__xrealloc(void *p, size_t n);
char *cordon__xstrdup(const char *s);
/* cordon__signal_name returns "SIGSEGV" (or "signal 42"), static storage. */
const char *cordon__signal_name(int sig);
/* cordon__parse_seconds parses a non-negative number of seconds; returns
 * false when text is not one. */
bool cordon__parse_seconds(const char *text, double *out);
/* cordon__parse_count parses a decimal integer in [min, max]. */
bool cordon__parse_count(const char *text, long min, long max, long *out);
/* cordon__parse_size parses a decimal count of bytes in [0, max], in 64
 * bits whatever the width of a long. */
bool cordon__parse_size(const char *text, uint64_t max, uint64_t *out);

/* A growable byte buffer, always NUL-terminated when data is non-NULL.
 * One made by cordon__buf_fixed never allocates: it writes into the
 * storage it was given and cuts what does not fit, so code that runs in a
 * test process (a failed check under a memory limit) cannot end up in an
 * allocator that exits. */
struct cordon__buf {
    char *data;
    size_t len;
    size_t cap;
    bool fixed;
};
void cordon__buf_add(struct cordon__buf *b, const char *s, size_t n);
void cordon__buf_printf(struct cordon__buf *b, const char *fmt, ...)
    CORDON_IMPL_PRINTF(2, 3);
/* cordon__buf_fixed makes b write into storage[0..size), size > 0. */
void cordon__buf_fixed(struct cordon__buf *b, char *storage, size_t size);
/* cordon__buf_release frees what b allocated (nothing for a fixed one). */
void cordon__buf_release(struct cordon__buf *b);

/* ---- maps.c ---- */

/* A reader of this process's /proc/self/maps that allocates nothing and
 * calls only async-signal-safe functions: a crash handler uses it. */
struct cordon__maps {
    int fd;
    size_t len, pos; /* what buf holds; where the next line starts */
    bool skip;       /* the rest of a line too long for buf comes next */
    char buf[4096];
};

/* One mapping. path points into the reader, until its next line. */
struct cordon__maps_line {
    uintptr_t start, end;
    uint64_t offset; /* into the file */
    uint64_t device; /* major << 32 | minor */
    uint64_t inode;
    const char *path; /* "" for anonymous memory; "[stack]" and the like */
    bool file;        /* it maps a file (path is absolute) */
    bool exec;        /* its code may run ('x' in its permissions) */
    bool whole;       /* path is not cut short (a line longer than buf) */
};

/* cordon__maps_open opens /proc/self/maps; -1 where there is none. */
int cordon__maps_open(struct cordon__maps *m);
/* cordon__maps_next reads the next mapping into l; false at the end. */
bool cordon__maps_next(struct cordon__maps *m, struct cordon__maps_line *l);
void cordon__maps_close(struct cordon__maps *m);

#endif /* CORDON_UTIL_H */
