// SPDX-License-Identifier: MIT
// support.h — what cordon's selftests share: running a fixture binary as a
// subprocess (its exit code, stdout and stderr captured in full) and
// finding lines in what it printed.
#ifndef CORDON_SELFTEST_SUPPORT_H
#define CORDON_SELFTEST_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

struct st_run {
    int code;   /* exit status, or 128 + signal when killed */
    char *out;  /* everything printed on stdout, NUL-terminated */
    size_t out_len;
    char *err;  /* everything printed on stderr, NUL-terminated */
    size_t err_len;
};

/* st_fixture returns the path of fixture binary name (static storage). */
const char *st_fixture(const char *name);

/* st_run_fixture runs fixture name with the NULL-terminated args and the
 * NULL-terminated "NAME=VALUE" environment additions (either may be NULL),
 * in the current directory, and waits for it. Returns 0, or -1 when the
 * fixture could not be started. */
int st_run_fixture(struct st_run *r, const char *name,
                   const char *const *args, const char *const *env);

/* st_start_fixture starts a fixture without waiting; st_wait finishes it.
 * Used by tests that signal the fixture while it runs. */
pid_t st_start_fixture(struct st_run *r, const char *name,
                       const char *const *args, const char *const *env);
int st_wait(struct st_run *r, pid_t pid);

void st_free(struct st_run *r);

/* st_line returns a copy of the first line of text that starts with
 * prefix (without its newline), or NULL. Free it with free(). */
char *st_line(const char *text, const char *prefix);

/* st_count counts the lines of text that start with prefix. */
size_t st_count(const char *text, const char *prefix);

/* st_last_line returns a copy of the last non-empty line of text. */
char *st_last_line(const char *text);

/* st_read_file reads a whole file (NUL-terminated); NULL if unreadable. */
char *st_read_file(const char *path, size_t *len);

/* st_tmpdir makes a fresh temporary directory (static storage per call
 * site is not kept: the caller frees the result). */
char *st_tmpdir(void);

#endif
