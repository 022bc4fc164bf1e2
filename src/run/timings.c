// SPDX-License-Identifier: MIT
// timings.c — the test times of an earlier run, read from the report that
// --shard-by=durations:FILE names, for balance.c: a JUnit report (each
// <testcase>'s classname/name and time), a JSON Lines event stream (each
// object with an "id" and a "duration" in seconds: --json's test-finished
// events) or a CTRF report (results.tests[], each with a "name" and a
// "duration" in milliseconds). The format is told by the content, not the
// name: '<' starts XML, a document with "results" is CTRF, else every
// line is one JSON value. JSON is read with jansson. JUnit is read with
// libxml2's streaming reader in a child process that parses the bytes
// read here and sends back the times: the runner does not map libxml2
// before its tests have run (libxml.h). FILE is read once, so a pipe or a
// FIFO (durations:/dev/stdin, durations:<(...)) works as a file does; a
// FIFO is read without blocking, as the interrupting signals are held
// while the run is planned, and one of them ends the wait. A file of
// neither kind of report is an error, not a run without times; JSON Lines
// whose last line is cut short (a run killed while writing it) counts its
// whole lines. A test named more than once keeps its longest time.
#include "run/run.h"
#include "report/libxml.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the FILE of the error messages is. */
#define FIX "give a JUnit, JSON Lines or CTRF report of an earlier run of " \
            "this binary, or --shard-by=round-robin"

static void
add(struct cordon__timings *t, const char *id, double seconds)
{
    if (!(seconds >= 0) || seconds > 1e9)
        return;
    if (t->n == t->cap) {
        t->cap = t->cap > 0 ? 2 * t->cap : 64;
        t->items = cordon__xrealloc(t->items, t->cap * sizeof *t->items);
    }
    t->items[t->n].id = cordon__xstrdup(id);
    t->items[t->n].seconds = seconds;
    t->n++;
}

/* ---- JUnit, in a child process ---- */

/* put writes all of data to fd; false when it cannot. */
static bool
put(int fd, const void *data, size_t n)
{
    const char *p = data;

    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w == -1 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* attribute copies attribute name of the reader's element into out. */
static void
attribute(const struct cordon__libxml *x, xmlTextReaderPtr r,
          const char *name, char *out, size_t size)
{
    const xmlChar *v;

    out[0] = '\0';
    if (x->TextReaderMoveToAttribute(r, BAD_CAST name) == 1 &&
        (v = x->TextReaderConstValue(r)) != NULL)
        snprintf(out, size, "%s", (const char *)v);
    x->TextReaderMoveToElement(r);
}

/* junit_child parses the len bytes at data and writes to fd, for each
 * <testcase>, its time and id, each ending in a NUL; or "!" and why it
 * could not, and exits. */
_Noreturn static void
junit_child(const char *data, size_t len, int fd)
{
    char why[512], suite[CORDON__MAX_ID + 1], name[CORDON__MAX_ID + 1];
    char time[64], rec[2 * CORDON__MAX_ID + 96];
    const struct cordon__libxml *x = cordon__libxml_load(why, sizeof why);
    xmlTextReaderPtr r;
    bool root = true;
    int ok, n;

    if (x == NULL) {
        n = snprintf(rec, sizeof rec, "!cannot load libxml2 to read it: %s",
                     why);
        put(fd, rec, (size_t)n + 1);
        _exit(1);
    }
    r = x->ReaderForMemory(data, (int)len, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR |
                               XML_PARSE_NOWARNING);
    if (r == NULL) {
        put(fd, "!not well-formed XML", 21);
        _exit(1);
    }
    while ((ok = x->TextReaderRead(r)) == 1) {
        const xmlChar *local;
        char *end;
        double seconds;

        if (x->TextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            (local = x->TextReaderConstLocalName(r)) == NULL)
            continue;
        if (root && strcmp((const char *)local, "testsuites") != 0 &&
            strcmp((const char *)local, "testsuite") != 0) {
            n = snprintf(rec, sizeof rec, "!its root is <%.200s>, not a "
                         "JUnit <testsuites> or <testsuite>",
                         (const char *)local);
            put(fd, rec, (size_t)n + 1);
            _exit(1);
        }
        root = false;
        if (strcmp((const char *)local, "testcase") != 0)
            continue;
        attribute(x, r, "classname", suite, sizeof suite);
        attribute(x, r, "name", name, sizeof name);
        attribute(x, r, "time", time, sizeof time);
        seconds = strtod(time, &end);
        if (name[0] == '\0' || end == time)
            continue;
        n = snprintf(rec, sizeof rec, "%.9g%c%s%s%s", seconds, '\0', suite,
                     suite[0] != '\0' ? "/" : "", name);
        if (!put(fd, rec, (size_t)n + 1))
            _exit(1);
    }
    x->FreeTextReader(r);
    if (ok != 0)
        put(fd, "!not well-formed XML", 21);
    _exit(ok != 0);
}

static int
read_junit(const char *data, size_t len, struct cordon__timings *t,
           char *why, size_t size)
{
    struct cordon__buf got = {0};
    char chunk[4096];
    int fds[2], status;
    pid_t pid;
    ssize_t n;

    if (len > INT_MAX) {
        snprintf(why, size, "larger than the XML reader takes (%d bytes)",
                 INT_MAX);
        return -1;
    }
    if (pipe(fds) == -1) {
        snprintf(why, size, "cannot make a pipe to read it: %s",
                 strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid == -1) {
        snprintf(why, size, "cannot fork to read it: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        junit_child(data, len, fds[1]);
    }
    close(fds[1]);
    while ((n = read(fds[0], chunk, sizeof chunk)) != 0) {
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            break;
        cordon__buf_add(&got, chunk, (size_t)n);
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
        ;
    for (size_t at = 0; at < got.len;) {
        const char *rec = got.data + at, *id;

        if (rec[0] == '!') {
            snprintf(why, size, "%s", rec + 1);
            free(got.data);
            return -1;
        }
        id = rec + strlen(rec) + 1;
        if (id >= got.data + got.len)
            break;
        add(t, id, strtod(rec, NULL));
        at = (size_t)(id - got.data) + strlen(id) + 1;
    }
    free(got.data);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(why, size, "its reader ended abnormally");
        return -1;
    }
    return 0;
}

/* ---- JSON ---- */

/* event takes one JSON Lines value: an object with "id" and "duration".
 * Returns whether v is one of --json's events (it has an "event" or an
 * "id"), times or not. */
static bool
event(struct cordon__timings *t, json_t *v)
{
    json_t *id = json_object_get(v, "id");
    json_t *d = json_object_get(v, "duration");

    if (json_is_string(id) && json_is_number(d))
        add(t, json_string_value(id), json_number_value(d));
    return id != NULL || json_object_get(v, "event") != NULL;
}

#define NOT_EVENTS "JSON that is neither a CTRF report nor JSON Lines events"


static int
read_ctrf(json_t *root, struct cordon__timings *t, char *why, size_t size)
{
    json_t *tests = json_object_get(json_object_get(root, "results"),
                                    "tests");
    size_t i;
    json_t *v;

    if (!json_is_array(tests)) {
        snprintf(why, size, "a CTRF report without results.tests");
        return -1;
    }
    json_array_foreach(tests, i, v) {
        json_t *name = json_object_get(v, "name");
        json_t *d = json_object_get(v, "duration");

        if (json_is_string(name) && json_is_number(d))
            add(t, json_string_value(name), json_number_value(d) / 1000.0);
    }
    return 0;
}

static int
read_json(const char *data, size_t len, struct cordon__timings *t,
          char *why, size_t size)
{
    json_error_t err;
    json_t *root = json_loadb(data, len, 0, &err);
    size_t line = 0;
    bool events = false;

    if (root != NULL) {
        int rc = 0;

        if (json_is_object(root) && json_object_get(root, "results") != NULL)
            rc = read_ctrf(root, t, why, size);
        else if (!event(t, root)) {
            snprintf(why, size, NOT_EVENTS);
            rc = -1;
        }
        json_decref(root);
        return rc;
    }
    /* Not one document: JSON Lines, one value a line. */
    for (const char *p = data, *stop = data + len; p < stop;) {
        const char *nl = memchr(p, '\n', (size_t)(stop - p));
        size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(stop - p);
        json_t *v;

        line++;
        if (strspn(p, " \t\r") < n) {
            v = json_loadb(p, n, 0, &err);
            /* The last line, without its newline: cut short. */
            if (v == NULL && nl == NULL && line > 1)
                break;
            if (v == NULL) {
                snprintf(why, size, "line %zu is not JSON: %s", line,
                         err.text);
                return -1;
            }
            events |= event(t, v);
            json_decref(v);
        }
        p += n + 1;
    }
    if (!events) {
        snprintf(why, size, NOT_EVENTS);
        return -1;
    }
    return 0;
}

/* ---- the file ---- */

/* interrupted says whether SIGINT, SIGTERM or SIGHUP is pending: they are
 * held while the run is planned. */
static bool
interrupted(void)
{
    sigset_t pending;

    return sigpending(&pending) == 0 &&
           (sigismember(&pending, SIGINT) == 1 ||
            sigismember(&pending, SIGTERM) == 1 ||
            sigismember(&pending, SIGHUP) == 1);
}

/* slurp reads the whole file at path into out, once; -1 with errno set
 * (EINTR: interrupted while a pipe or FIFO had no more to give). The file
 * is read without blocking, so the wait for a writer is a poll a few times
 * a second that an interrupting signal ends. A FIFO named by its own path
 * (mkfifo) with no writer yet is waited for; any other end of file (a
 * pipe through /dev/stdin or /dev/fd/N) ends the file. */
static int
slurp(const char *path, struct cordon__buf *out)
{
    const struct timespec tick = {0, 20 * 1000000L};
    char chunk[65536];
    struct stat st;
    bool named_fifo = lstat(path, &st) == 0 && S_ISFIFO(st.st_mode);
    bool writer = false;
    int fd, e;
    ssize_t n;

    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    while (fd == -1 && errno == EINTR);
    if (fd == -1)
        return -1;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};

        n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            cordon__buf_add(out, chunk, (size_t)n);
            writer = true;
            continue;
        }
        if (n == 0 && (writer || !named_fifo))
            break;
        if (n == -1 && errno != EINTR && errno != EAGAIN &&
            errno != EWOULDBLOCK)
            goto fail;
        if (interrupted()) {
            errno = EINTR;
            goto fail;
        }
        if (n == 0) {
            /* A FIFO without a writer yet: poll() could not wait. */
            nanosleep(&tick, NULL);
            continue;
        }
        if (n == -1 && errno != EINTR)
            writer = true; /* EAGAIN: one is there, with nothing yet */
        poll(&p, 1, 50);
    }
    close(fd);
    cordon__buf_add(out, "", 0);
    return 0;
fail:
    e = errno;
    close(fd);
    errno = e;
    return -1;
}

int
cordon__timings_read(const char *path, struct cordon__timings *t)
{
    struct cordon__buf data = {0};
    char why[600];
    size_t lead;
    int rc = -1;

    *t = (struct cordon__timings){0};
    if (slurp(path, &data) == -1) {
        cordon__usage_error("--shard-by: cannot read '%s': %s (%s)", path,
                            strerror(errno), FIX);
        goto out;
    }
    lead = data.len > 0 ? strspn(data.data, " \t\r\n") : 0;
    /* A UTF-8 byte order mark may start either. */
    if (data.len >= 3 && memcmp(data.data, "\xef\xbb\xbf", 3) == 0)
        lead = 3 + strspn(data.data + 3, " \t\r\n");
    if (lead >= data.len) {
        cordon__usage_error("--shard-by: '%s' is empty (%s)", path, FIX);
        goto out;
    }
    if (data.data[lead] == '<')
        rc = read_junit(data.data, data.len, t, why, sizeof why);
    else if (data.data[lead] == '{' || data.data[lead] == '[')
        rc = read_json(data.data + lead, data.len - lead, t, why,
                       sizeof why);
    else
        snprintf(why, sizeof why, "neither XML nor JSON");
    if (rc == -1)
        cordon__usage_error("--shard-by: cannot read the times in '%s': %s "
                            "(%s)", path, why, FIX);
out:
    free(data.data);
    if (rc == -1)
        cordon__timings_free(t);
    return rc;
}

void
cordon__timings_free(struct cordon__timings *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i].id);
    free(t->items);
    *t = (struct cordon__timings){0};
}
