// SPDX-License-Identifier: MIT
// reports.c — the file reports a run may ask for (--junit, --tap). Each
// report is a function that renders the ordered results into memory; this
// file checks every destination before any test runs, and commits each
// rendering atomically: a temporary file in the same directory, written,
// synced and renamed over the target, so a reader never sees half a report
// and a failed write leaves the previous report in place. A symbolic link
// is followed (the file it names is replaced, the link stays), and a path
// that names no regular file (a FIFO, /dev/stdout) is written straight
// into: a rename would replace the pipe or device with a file.
/* realpath() is in POSIX.1-2008's XSI option. */
#define _XOPEN_SOURCE 700

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct reporter {
    const char *name; /* as in error messages */
    const char *flag;
    int (*render)(const struct cordon__run *run, struct cordon__buf *out);
};

static const struct reporter reporters[] = {
    {"JUnit report", "--junit", cordon__report_junit},
    {"TAP report", "--tap", cordon__report_tap},
};

static const char *
path_of(const struct cordon__config *cfg, const struct reporter *r)
{
    return r->render == cordon__report_junit ? cfg->junit_path : cfg->tap_path;
}

static bool
is_stdout(const char *path)
{
    return strcmp(path, "-") == 0;
}

/* temp_beside creates an empty temporary file in path's directory. */
static int
temp_beside(const char *path, struct cordon__buf *tmp)
{
    int fd;

    tmp->len = 0;
    cordon__buf_printf(tmp, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp->data);
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/* resolve puts the file a report path stands for into real: the path
 * itself, or the target of a symbolic link; *direct says it is no regular
 * file (nor a directory), so it is written into rather than replaced. */
static void
resolve(const char *path, struct cordon__buf *real, bool *direct)
{
    struct stat st;
    char *target = NULL;

    real->len = 0;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        target = realpath(path, NULL);
    /* A dangling link has no target yet: the link itself is replaced. */
    cordon__buf_printf(real, "%s", target != NULL ? target : path);
    free(target);
    *direct = stat(real->data, &st) == 0 && !S_ISREG(st.st_mode) &&
              !S_ISDIR(st.st_mode);
}

static void
cannot_write(const struct reporter *r, const char *path, int err)
{
    cordon__usage_error("cannot write %s '%s': %s (create the directory, fix "
                        "its permissions or pass another %s path)",
                        r->name, path, strerror(err), r->flag);
}

int
cordon__reports_check(const struct cordon__config *cfg)
{
    struct cordon__buf tmp = {0}, real = {0};
    int rc = 0;

    /* Two reports on one stream could be read as neither. */
    if (cfg->junit_path != NULL && is_stdout(cfg->junit_path) &&
        cfg->tap_path != NULL && is_stdout(cfg->tap_path)) {
        cordon__usage_error("--junit - and --tap - both want stdout (write "
                            "one of them to a file)");
        return -1;
    }
    for (size_t i = 0; i < sizeof reporters / sizeof reporters[0]; i++) {
        const char *path = path_of(cfg, &reporters[i]);
        struct stat st;
        bool direct;
        int fd;

        if (path == NULL || is_stdout(path))
            continue;
        if (*path == '\0' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
            cannot_write(&reporters[i], path, *path ? EISDIR : ENOENT);
            rc = -1;
            break;
        }
        resolve(path, &real, &direct);
        if (direct) {
            /* Opening a FIFO here could block or find no reader yet. */
            if (access(real.data, W_OK) == -1) {
                cannot_write(&reporters[i], path, errno);
                rc = -1;
                break;
            }
            continue;
        }
        /* Probe exactly what the final write will do. */
        fd = temp_beside(real.data, &tmp);
        if (fd < 0) {
            cannot_write(&reporters[i], path, errno);
            rc = -1;
            break;
        }
        close(fd);
        unlink(tmp.data);
    }
    free(tmp.data);
    free(real.data);
    return rc;
}

bool
cordon__reports_own_stdout(const struct cordon__config *cfg)
{
    return (cfg->tap_path != NULL && is_stdout(cfg->tap_path)) ||
           (cfg->junit_path != NULL && is_stdout(cfg->junit_path));
}

static int
write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* commit writes data to path through a temporary file and rename(). */
static int
commit(const char *path, const struct cordon__buf *data)
{
    struct cordon__buf tmp = {0};
    int fd = temp_beside(path, &tmp), rc = -1, err;

    if (fd < 0)
        goto out;
    /* mkstemp makes the file 0600; a report is for everyone to read. */
    fchmod(fd, 0644);
    if (write_all(fd, data->data, data->len) == -1 || fsync(fd) == -1) {
        err = errno;
        close(fd);
        unlink(tmp.data);
        errno = err;
        goto out;
    }
    if (close(fd) == -1 || rename(tmp.data, path) == -1) {
        err = errno;
        unlink(tmp.data);
        errno = err;
        goto out;
    }
    rc = 0;
out:
    free(tmp.data);
    return rc;
}

/* write_into writes data into path as it is (a FIFO, a device). */
static int
write_into(const char *path, const struct cordon__buf *data)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC), err;

    if (fd < 0)
        return -1;
    if (write_all(fd, data->data, data->len) == -1) {
        err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return close(fd);
}

int
cordon__reports_write(const struct cordon__run *run)
{
    struct cordon__buf real = {0};
    /* Past a file size limit (ulimit -f) a write raises SIGXFSZ, which
     * would kill the runner between mkstemp and rename, leaving the
     * temporary file; ignored, the write fails with EFBIG like any other
     * write error. */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    int rc = 0;

    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, &old);

    for (size_t i = 0; i < sizeof reporters / sizeof reporters[0]; i++) {
        const char *path = path_of(run->cfg, &reporters[i]);
        struct cordon__buf data = {0};
        bool direct;
        int failed;

        if (path == NULL)
            continue;
        if (reporters[i].render(run, &data) == -1) {
            cordon__usage_error("cannot render the %s (out of memory?)",
                                reporters[i].name);
            rc = -1;
            continue;
        }
        if (is_stdout(path)) {
            failed = write_all(STDOUT_FILENO, data.data, data.len);
        } else {
            resolve(path, &real, &direct);
            failed = direct ? write_into(real.data, &data)
                            : commit(real.data, &data);
        }
        if (failed) {
            cannot_write(&reporters[i], path, errno);
            rc = -1;
        }
        free(data.data);
    }
    free(real.data);
    sigaction(SIGXFSZ, &old, NULL);
    return rc;
}
