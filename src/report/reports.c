// SPDX-License-Identifier: MIT
// reports.c — the file reports a run may ask for (--junit, --tap,
// --html). Each report is a function that streams the ordered results
// into a sink (see sink.c); this file checks every destination before any
// test runs, and gives each report its destination: a temporary file in
// the same directory, written, synced and renamed over the target, so a
// reader
// never sees half a report and a failed write leaves the previous report
// in place. A symbolic link is followed (the file it names is replaced,
// the link stays), and a path that names no regular file (a FIFO,
// /dev/stdout) is written straight into: a rename would replace the pipe
// or device with a file. Nothing of a report is held in memory here.
/* realpath() is in POSIX.1-2008's XSI option. */
#define _XOPEN_SOURCE 700

#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct reporter {
    const char *name; /* as in error messages */
    const char *flag;
    /* prepare readies what the report needs before its destination is
     * touched: NULL when ready, else why not (with the fix). */
    const char *(*prepare)(void);
    int (*write)(const struct cordon__run *run, struct cordon__sink *out);
};

static const struct reporter reporters[] = {
    {"JUnit report", "--junit", cordon__report_libxml_prepare,
     cordon__report_junit},
    {"TAP report", "--tap", NULL, cordon__report_tap},
    {"CTRF report", "--ctrf", NULL, cordon__report_ctrf},
    {"HTML report", "--html", cordon__report_libxml_prepare,
     cordon__report_html},
};

/* The --json event stream is no reporter of the table: it is written as
 * the run goes, straight into its file (cordon__reports_events_fd). */
static const struct reporter events = {"JSON event stream", "--json", NULL,
                                       NULL};

static const char *
path_of(const struct cordon__config *cfg, const struct reporter *r)
{
    if (r == &events)
        return cfg->json_path;
    if (r->write == cordon__report_junit)
        return cfg->junit_path;
    if (r->write == cordon__report_tap)
        return cfg->tap_path;
    return r->write == cordon__report_ctrf ? cfg->ctrf_path : cfg->html_path;
}

/* example_path is a file name for report r, to suggest in an error. */
static const char *
example_path(const struct reporter *r)
{
    if (r == &events)
        return "events.jsonl";
    if (r->write == cordon__report_junit)
        return "report.xml";
    if (r->write == cordon__report_tap)
        return "report.tap";
    return r->write == cordon__report_ctrf ? "report.json" : "report.html";
}

/* Every report a run may write, the event stream last. */
#define NREPORTS (sizeof reporters / sizeof reporters[0] + 1)

static const struct reporter *
report_at(size_t i)
{
    return i < NREPORTS - 1 ? &reporters[i] : &events;
}

/* flag_of is the option that named a report's path, for the fix in a
 * message: a report in --junit-dir is to be moved with that. */
static const char *
flag_of(const struct cordon__config *cfg, const struct reporter *r)
{
    return r->write == cordon__report_junit && cfg->junit_dir != NULL
               ? "--junit-dir" : r->flag;
}

static bool
is_stdout(const char *path)
{
    return strcmp(path, "-") == 0;
}

/* temp_beside creates an empty temporary file in path's directory, named
 * .cordon-XXXXXX whatever path's own name: a name the file system takes
 * (up to NAME_MAX bytes) must not become one it refuses. */
static int
temp_beside(const char *path, struct cordon__buf *tmp)
{
    const char *slash = strrchr(path, '/');
    int fd;

    tmp->len = 0;
    if (slash != NULL)
        cordon__buf_add(tmp, path, (size_t)(slash - path) + 1);
    cordon__buf_printf(tmp, ".cordon-XXXXXX");
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

/* dir_of puts the directory of path into dir and returns the name path
 * has in it. */
static const char *
dir_of(const char *path, struct cordon__buf *dir)
{
    const char *slash = strrchr(path, '/');

    dir->len = 0;
    if (slash == NULL)
        cordon__buf_add(dir, ".", 1);
    else
        cordon__buf_add(dir, path,
                        slash == path ? 1 : (size_t)(slash - path));
    return slash != NULL ? slash + 1 : path;
}

/* replaceable says whether rename() may replace the file at path (not
 * there yet is fine). In a directory with the sticky bit, as /tmp has,
 * only the file's owner, the directory's owner or a privileged process
 * may replace or remove a file (POSIX.1-2008 rename(), [EPERM]); anyone
 * who may write there can still create the temporary file, so probing
 * that alone would let the run go on to a report that cannot land. The
 * privileged process is taken to be root: one with just CAP_FOWNER is
 * refused here though its rename would work. */
static int
replaceable(const char *path)
{
    struct cordon__buf dir = {0};
    struct stat file, parent;
    uid_t me = geteuid();
    int rc = 0;

    dir_of(path, &dir);
    if (lstat(path, &file) == 0 && stat(dir.data, &parent) == 0 &&
        (parent.st_mode & S_ISVTX) != 0 && me != 0 && file.st_uid != me &&
        parent.st_uid != me) {
        errno = EPERM;
        rc = -1;
    }
    free(dir.data);
    return rc;
}

/* The file a report lands in, to tell whether two reports would land in
 * the same one: a FIFO or device is written into, so it is its device and
 * inode (stdout's for "-"); a regular file is replaced by rename(), so it
 * is the directory's device and inode and the name in it. known is false
 * when the directory cannot be looked at (the writability check then
 * says why). */
struct landing {
    bool known;
    bool direct;
    dev_t dev;
    ino_t ino;
    struct cordon__buf name;
    bool exists;    /* the file is there now: */
    dev_t file_dev; /* its own device and inode, to tell it from what */
    ino_t file_ino; /* stdout writes into */
};

static void
landing_of(const char *path, struct landing *l)
{
    struct cordon__buf real = {0}, dir = {0};
    struct stat st;

    l->known = l->exists = false;
    l->name.len = 0;
    if (is_stdout(path)) {
        l->direct = true;
        l->known = fstat(STDOUT_FILENO, &st) == 0;
    } else {
        resolve(path, &real, &l->direct);
        if (l->direct) {
            l->known = stat(real.data, &st) == 0;
        } else {
            struct stat file;

            if (stat(real.data, &file) == 0) {
                l->exists = true;
                l->file_dev = file.st_dev;
                l->file_ino = file.st_ino;
            }
            cordon__buf_printf(&l->name, "%s", dir_of(real.data, &dir));
            l->known = stat(dir.data, &st) == 0;
        }
    }
    if (l->known) {
        l->dev = st.st_dev;
        l->ino = st.st_ino;
    }
    if (l->known && l->direct) {
        l->exists = true;
        l->file_dev = l->dev;
        l->file_ino = l->ino;
    }
    free(real.data);
    free(dir.data);
}

/* same_landing says whether two report paths would write one file: each
 * report would replace or overwrite the other's, and the file left would
 * hold one of them under the other's name. "-" and "./-" differ. */
static bool
same_landing(const char *a, const char *b)
{
    struct landing x = {0}, y = {0};
    bool same;

    landing_of(a, &x);
    landing_of(b, &y);
    /* One directory entry, or one file already there (stdout redirected
     * into the file the other report would replace). */
    same = (x.known && y.known && x.direct == y.direct && x.dev == y.dev &&
            x.ino == y.ino &&
            (x.direct || strcmp(x.name.data, y.name.data) == 0)) ||
           (x.exists && y.exists && x.file_dev == y.file_dev &&
            x.file_ino == y.file_ino);
    free(x.name.data);
    free(y.name.data);
    return same;
}

/* stdout_is_a_file says stdout is a regular file or a FIFO: where two
 * writers lose each other's bytes (a terminal or /dev/null takes both). */
static bool
stdout_is_a_file(void)
{
    struct stat st;

    return fstat(STDOUT_FILENO, &st) == 0 &&
           (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode));
}

/* cannot_write says why a report cannot be written and what fixes that
 * cause: the advice follows errno, so a full disk is not blamed on a
 * missing directory. */
static void
cannot_write(const struct reporter *r, const char *flag, const char *path,
             int err)
{
    const char *fix;

    switch (err) {
    case ENOENT: case ENOTDIR: fix = "create the directory"; break;
    case EACCES: case EPERM: fix = "fix its permissions"; break;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        fix = "free some space";
        break;
    case EFBIG: fix = "raise the file size limit (ulimit -f)"; break;
    case EPIPE:
        fix = is_stdout(path) ? "the reader of stdout went away: keep it "
                                "reading to the end"
                              : "its reader went away: keep it reading to "
                                "the end";
        break;
    case EROFS: fix = "write it to a writable file system"; break;
    case EINTR:
        cordon__error("cannot write %s '%s': given up after the interrupt, "
                      "as nothing read it (read it while the run goes, or "
                      "pass a file as %s)", r->name, path, flag);
        return;
    default: fix = "check the path"; break;
    }
    cordon__error("cannot write %s '%s': %s (%s, or pass another %s path)",
                  r->name, path, strerror(err), fix, flag);
}

int
cordon__reports_check(const struct cordon__config *cfg)
{
    struct cordon__buf tmp = {0}, real = {0};
    int rc = 0;

    for (size_t i = 0; i < NREPORTS; i++)
        for (size_t j = i + 1; j < NREPORTS; j++) {
            const char *a = path_of(cfg, report_at(i));
            const char *b = path_of(cfg, report_at(j));

            if (a == NULL || b == NULL)
                continue;
            /* Two reports on one stream could be read as neither. */
            if (is_stdout(a) && is_stdout(b)) {
                cordon__usage_error("%s - and %s - both want stdout (write "
                                    "one of them to a file)",
                                    report_at(i)->flag, report_at(j)->flag);
                return -1;
            }
            /* Nor can one file hold two reports: the second written would
             * replace the first, or run into it. Names differ in many ways
             * (./r.xml, a symbolic link, a directory reached twice), so it
             * is the file that is compared. */
            if (same_landing(a, b)) {
                cordon__usage_error("%s '%s' and %s '%s' are the same file "
                                    "(give each report a file of its own)",
                                    flag_of(cfg, report_at(i)), a,
                                    flag_of(cfg, report_at(j)), b);
                return -1;
            }
        }
    for (size_t i = 0; i < NREPORTS; i++) {
        const struct reporter *report = report_at(i);
        const char *path = path_of(cfg, report);
        const char *flag = flag_of(cfg, report);
        enum cordon__self self;
        struct stat st;
        bool direct;
        int fd;

        if (path == NULL || is_stdout(path))
            continue;
        /* The console's file, when stdout is redirected into the file the
         * report would replace: one of the two would be lost. */
        if (!cordon__reports_own_stdout(cfg) && stdout_is_a_file() &&
            same_landing(path, "-")) {
            cordon__usage_error("%s '%s' is the file stdout goes to (write "
                                "the report to another file, or the "
                                "console elsewhere)", flag,
                                path);
            rc = -1;
            break;
        }
        self = cordon__self_path(cfg->argv0, path);
        if (self == CORDON__SELF_IS) {
            cordon__usage_error("%s '%s' is this test binary (pass another "
                                "path, e.g. %s %s)",
                                flag, path, flag, example_path(report));
            rc = -1;
            break;
        }
        if (self == CORDON__SELF_MAYBE) {
            cordon__usage_error("%s '%s' is an executable file, and without "
                                "/proc this binary cannot tell it from "
                                "itself (pass another path, e.g. %s %s)",
                                flag, path, flag, example_path(report));
            rc = -1;
            break;
        }
        if (*path == '\0' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
            cannot_write(report, flag, path, *path ? EISDIR : ENOENT);
            rc = -1;
            break;
        }
        resolve(path, &real, &direct);
        if (direct) {
            /* Opening a FIFO here could block or find no reader yet. */
            if (access(real.data, W_OK) == -1) {
                cannot_write(report, flag, path, errno);
                rc = -1;
                break;
            }
            continue;
        }
        /* Probe exactly what the final write will do: create the
         * temporary file, and see that it may be renamed over the file. */
        fd = temp_beside(real.data, &tmp);
        if (fd < 0) {
            cannot_write(report, flag, path, errno);
            rc = -1;
            break;
        }
        close(fd);
        unlink(tmp.data);
        if (replaceable(real.data) == -1) {
            cordon__usage_error("cannot write %s '%s': %s: it belongs to "
                                "another user in a directory with the "
                                "sticky bit (have it removed or pass "
                                "another %s path)", report->name, path,
                                strerror(errno), flag);
            rc = -1;
            break;
        }
    }
    free(tmp.data);
    free(real.data);
    return rc;
}

bool
cordon__reports_own_stdout(const struct cordon__config *cfg)
{
    for (size_t i = 0; i < NREPORTS; i++) {
        const char *path = path_of(cfg, report_at(i));

        if (path != NULL && is_stdout(path))
            return true;
    }
    return false;
}

/* interrupt_pending says SIGINT, SIGTERM or SIGHUP waits, held (no test
 * has started yet: cordon_main holds them until the coordinator's
 * handlers are in place). */
static bool
interrupt_pending(void)
{
    sigset_t pending;

    return sigpending(&pending) == 0 &&
           (sigismember(&pending, SIGINT) == 1 ||
            sigismember(&pending, SIGTERM) == 1 ||
            sigismember(&pending, SIGHUP) == 1);
}

/* open_fifo opens the FIFO at path for writing once a reader has it open.
 * The interrupting signals are held, so the wait is a poll a few times a
 * second rather than a blocked open() no signal could end: a signal gives
 * a FIFO nobody opens up after CORDON__STALL_GRACE, as every stalled
 * report is (errno EINTR then); the signal stays pending and stops the
 * run before any test starts. */
static int
open_fifo(const char *path)
{
    const struct timespec tick = {0, 20 * 1000000L};
    double signalled = 0;
    int fd;

    for (;;) {
        fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) {
            /* Written like any file from here: a full pipe waits. */
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        if (errno != ENXIO && errno != EINTR)
            return -1;
        if (signalled == 0 && interrupt_pending())
            signalled = cordon__now();
        if (signalled > 0 &&
            cordon__now() - signalled >= CORDON__STALL_GRACE) {
            errno = EINTR;
            return -1;
        }
        nanosleep(&tick, NULL);
    }
}

void
cordon__reports_events_lost(const struct cordon__config *cfg, int err)
{
    /* A stdout given up after the interrupt takes writes into /dev/null
     * from then on: lost all the same. */
    if (err == 0 && is_stdout(cfg->json_path) &&
        cordon__interrupt_lost(STDOUT_FILENO))
        err = EINTR;
    if (err != 0)
        cannot_write(&events, events.flag, cfg->json_path, err);
}

int
cordon__reports_events_fd(const struct cordon__config *cfg)
{
    const char *path = cfg->json_path;
    struct stat st;
    int fd;

    if (path == NULL)
        return -2;
    if (is_stdout(path))
        return STDOUT_FILENO;
    /* Written as the run goes, to be followed while it goes: into the
     * file itself, not a temporary one. A FIFO waits for its reader. */
    if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode))
        fd = open_fifo(path);
    else
        while ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY |
                                    O_CLOEXEC, 0644)) == -1 &&
               errno == EINTR)
            ;
    if (fd == -1 && errno == EINTR) {
        cannot_write(&events, events.flag, path, EINTR);
        return CORDON__EVENTS_GIVEN_UP;
    }
    if (fd == -1) {
        cannot_write(&events, events.flag, path, errno);
        return -1;
    }
    return fd;
}

/* stream writes report r of run into fd through sink; -1 with errno set
 * when a byte of it did not get out. */
static int
stream(const struct reporter *r, const struct cordon__run *run,
       struct cordon__sink *sink, int fd)
{
    cordon__sink_init(sink, fd);
    if (r->write(run, sink) == -1)
        return -1;
    return cordon__sink_flush(sink);
}

/* commit writes the report to path through a temporary file and rename(). */
static int
commit(const char *path, const struct reporter *r,
       const struct cordon__run *run, struct cordon__sink *sink)
{
    struct cordon__buf tmp = {0};
    int fd = temp_beside(path, &tmp), rc = -1, err;

    if (fd < 0)
        goto out;
    /* mkstemp makes the file 0600; a report is for everyone to read. */
    fchmod(fd, 0644);
    if (stream(r, run, sink, fd) == -1 || fsync(fd) == -1) {
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

/* write_into writes the report into path as it is (a FIFO, a device). */
static int
write_into(const char *path, const struct reporter *r,
           const struct cordon__run *run, struct cordon__sink *sink)
{
    int fd, err;

    /* A FIFO blocks here until a reader opens it; an interrupted run
     * waits for one only so long. */
    while ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) == -1 &&
           errno == EINTR && !cordon__interrupt_give_up())
        ;
    if (fd < 0)
        return -1;
    if (stream(r, run, sink, fd) == -1) {
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
    struct cordon__sink *sink = NULL;
    /* Past a file size limit (ulimit -f) a write raises SIGXFSZ, which
     * would kill the runner between mkstemp and rename, leaving the
     * temporary file; ignored, the write fails with EFBIG like any other
     * write error. */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    bool given_up = false;
    int rc = 0;

    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, &old);

    for (size_t i = 0; i < NREPORTS - 1; i++) {
        const struct reporter *r = &reporters[i];
        const char *path = path_of(run->cfg, r), *why;
        bool direct;
        int failed;

        if (path == NULL)
            continue;
        /* Before the destination is opened: a report that cannot be
         * written leaves the previous one, and stdout, untouched. */
        why = r->prepare != NULL ? r->prepare() : NULL;
        if (why != NULL) {
            cordon__error("cannot write %s '%s': %s", r->name, path, why);
            rc = -1;
            continue;
        }
        if (sink == NULL)
            sink = cordon__xmalloc(sizeof *sink);
        if (is_stdout(path)) {
            /* The console is on stderr then; flushed all the same, so
             * nothing buffered can land inside the report. */
            fflush(stdout);
            failed = stream(r, run, sink, STDOUT_FILENO);
            if (cordon__interrupt_lost(STDOUT_FILENO)) {
                failed = -1;
                errno = EINTR;
            }
        } else {
            resolve(path, &real, &direct);
            failed = direct ? write_into(real.data, r, run, sink)
                            : commit(real.data, r, run, sink);
        }
        if (failed) {
            int err = errno;

            cannot_write(r, flag_of(run->cfg, r), path, err);
            if (err == EINTR)
                given_up = true;
            rc = -1;
        }
    }
    if (given_up)
        rc = CORDON__REPORTS_GIVEN_UP;
    free(sink);
    free(real.data);
    sigaction(SIGXFSZ, &old, NULL);
    return rc;
}
