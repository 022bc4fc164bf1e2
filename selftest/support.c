// SPDX-License-Identifier: MIT
// support.c — running fixture binaries for the selftests. Output goes to
// unlinked temporary files, not pipes, so a fixture printing 50 MB cannot
// block on a full pipe while the test waits for it.
#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CORDON_FIXTURE_DIR
#error "CORDON_FIXTURE_DIR must name the directory of the fixture binaries"
#endif

static int out_fd = -1, err_fd = -1;

const char *
st_fixture(const char *name)
{
    static char path[4096];

    snprintf(path, sizeof path, "%s/%s", CORDON_FIXTURE_DIR, name);
    return path;
}

static int
temp_file(void)
{
    char path[] = "/tmp/cordon-selftest-XXXXXX";
    int fd = mkstemp(path);

    if (fd >= 0)
        unlink(path);
    return fd;
}

static char *
slurp(int fd, size_t *len)
{
    struct stat st;
    char *data;
    size_t got = 0;

    if (fstat(fd, &st) == -1)
        return NULL;
    data = malloc((size_t)st.st_size + 1);
    if (data == NULL)
        return NULL;
    while (got < (size_t)st.st_size) {
        ssize_t n = pread(fd, data + got, (size_t)st.st_size - got,
                          (off_t)got);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    data[got] = '\0';
    *len = got;
    return data;
}

pid_t
st_start_fixture(struct st_run *r, const char *name, const char *const *args,
                 const char *const *env)
{
    char *argv[64];
    size_t n = 0;
    pid_t pid;

    memset(r, 0, sizeof *r);
    out_fd = temp_file();
    err_fd = temp_file();
    if (out_fd < 0 || err_fd < 0)
        return -1;
    argv[n++] = (char *)st_fixture(name);
    for (size_t i = 0; args != NULL && args[i] != NULL && n < 63; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
            char name[256];
            const char *eq = strchr(env[i], '=');
            size_t n = eq ? (size_t)(eq - env[i]) : 0;

            if (eq == NULL || n >= sizeof name)
                continue;
            memcpy(name, env[i], n);
            name[n] = '\0';
            setenv(name, eq + 1, 1);
        }
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

int
st_wait(struct st_run *r, pid_t pid)
{
    int status;

    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) == -1)
        if (errno != EINTR)
            return -1;
    r->code = WIFEXITED(status) ? WEXITSTATUS(status)
                                : 128 + WTERMSIG(status);
    r->out = slurp(out_fd, &r->out_len);
    r->err = slurp(err_fd, &r->err_len);
    close(out_fd);
    close(err_fd);
    out_fd = err_fd = -1;
    return r->out != NULL && r->err != NULL ? 0 : -1;
}

int
st_run_fixture(struct st_run *r, const char *name, const char *const *args,
               const char *const *env)
{
    return st_wait(r, st_start_fixture(r, name, args, env));
}

void
st_free(struct st_run *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

char *
st_line(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);

    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        if (len >= n && strncmp(p, prefix, n) == 0) {
            char *line = malloc(len + 1);
            memcpy(line, p, len);
            line[len] = '\0';
            return line;
        }
        p = nl ? nl + 1 : p + len;
    }
    return NULL;
}

size_t
st_count(const char *text, const char *prefix)
{
    size_t n = strlen(prefix), count = 0;

    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');

        if (strncmp(p, prefix, n) == 0)
            count++;
        p = nl ? nl + 1 : NULL;
    }
    return count;
}

char *
st_last_line(const char *text)
{
    const char *end = text + strlen(text), *start;
    char *line;

    while (end > text && end[-1] == '\n')
        end--;
    start = end;
    while (start > text && start[-1] != '\n')
        start--;
    line = malloc((size_t)(end - start) + 1);
    memcpy(line, start, (size_t)(end - start));
    line[end - start] = '\0';
    return line;
}

char *
st_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    size_t dummy;
    char *data;

    if (fd < 0)
        return NULL;
    data = slurp(fd, len ? len : &dummy);
    close(fd);
    return data;
}

char *
st_tmpdir(void)
{
    char path[] = "/tmp/cordon-selftest-dir-XXXXXX";

    if (mkdtemp(path) == NULL)
        return NULL;
    return strdup(path);
}
