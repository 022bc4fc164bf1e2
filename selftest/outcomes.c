// SPDX-License-Identifier: MIT
// outcomes.c — reading a fixture's verdicts from its reports, and counting
// what its run left behind. The TAP report gives every test in test order
// with its outcome (from the ok line for PASS and SKIP, from the YAML block
// for the rest); the JUnit report adds every test's duration and captured
// output, which TAP keeps only for tests that did not pass. A run is never
// waited for without a limit: one that hangs is killed with everything
// below it, and the test that started it fails saying so.
#include "outcomes.h"

#include <cordon.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "xml.h"

const struct st_verdict st_varied[] = {
    {"PASS", "varied/slow_pass"},     {"FAIL", "varied/quick_fail"},
    {"CRASH", "varied/medium_crash"}, {"PASS", "varied/quick_pass"},
    {"SKIP", "varied/slow_skip"},     {"EXIT", "varied/quick_exit"},
    {"TIMEOUT", "varied/timeout"},    {"PASS", "varied/medium_pass"},
    {"SKIP", "varied/disabled"},
};
const size_t st_nvaried = sizeof st_varied / sizeof st_varied[0];

/* append adds n bytes of s and a newline to *text. */
static void
append_line(char **text, const char *s, size_t n)
{
    size_t len = strlen(*text);

    *text = realloc(*text, len + n + 2);
    memcpy(*text + len, s, n);
    (*text)[len + n] = '\n';
    (*text)[len + n + 1] = '\0';
}

/* yaml_value returns a YAML scalar as written by cordon's TAP report: a
 * double-quoted one unescaped (\" \\ \n \r \t), a plain one as it is. */
static char *
yaml_value(const char *v)
{
    char *out, *o;

    if (v[0] != '"')
        return strdup(v);
    out = o = malloc(strlen(v) + 1);
    for (const char *p = v + 1; *p != '\0' && *p != '"'; p++) {
        if (*p == '\\' && p[1] != '\0') {
            p++;
            *o++ = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t'
                                                                    : *p;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static void set_why(struct st_outcomes *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_why(struct st_outcomes *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(o->why, sizeof o->why, fmt, ap);
    va_end(ap);
}

/* parse_tap reads o->tap into o->tests. Every line must be the version,
 * the plan, a test line, part of a YAML block under a test, or a
 * comment. */
static int
parse_tap(struct st_outcomes *o)
{
    size_t cap = 0, lineno = 0;
    struct st_outcome *cur = NULL;
    char **block = NULL; /* the block scalar being read, if any */
    bool in_yaml = false;

    o->plan = -1;
    for (const char *p = o->tap; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, len);

        lineno++;
        p = nl ? nl + 1 : p + len;
        if (block != NULL && strncmp(line, "    ", 4) == 0) {
            append_line(block, line + 4, len - 4);
            free(line);
            continue;
        }
        block = NULL;
        if (in_yaml && strncmp(line, "    ", 4) == 0) {
            /* A line of a block this parser does not keep (stdout). */
            free(line);
            continue;
        }
        if (lineno == 1) {
            if (strcmp(line, "TAP version 13") != 0)
                goto bad;
        } else if (lineno == 2) {
            if (sscanf(line, "1..%ld", &o->plan) != 1)
                goto bad;
        } else if (in_yaml) {
            const char *colon = strchr(line, ':');
            char *key, *value;

            if (strcmp(line, "  ...") == 0) {
                in_yaml = false;
                free(line);
                continue;
            }
            if (strncmp(line, "  ", 2) != 0 || line[2] == ' ' ||
                colon == NULL)
                goto bad;
            key = strndup(line + 2, (size_t)(colon - line) - 2);
            value = yaml_value(colon[1] == ' ' ? colon + 2 : colon + 1);
            if (strcmp(key, "outcome") == 0)
                snprintf(cur->word, sizeof cur->word, "%s", value);
            else if (strcmp(key, "reason") == 0) {
                free(cur->reason);
                cur->reason = value;
                value = NULL;
            } else if (strcmp(key, "signal") == 0) {
                cur->signal = value;
                value = NULL;
            } else if (strcmp(key, "exit_status") == 0)
                cur->exit_status = strtol(value, NULL, 10);
            else if (strcmp(key, "duration_ms") == 0 && cur->seconds < 0)
                cur->seconds = strtod(value, NULL) / 1000.0;
            else if (strcmp(key, "failures") == 0) {
                if (strcmp(value, "|") == 0) {
                    cur->failures[0] = '\0';
                    block = &cur->failures;
                } else {
                    free(cur->failures);
                    cur->failures = value;
                    value = NULL;
                }
            }
            free(key);
            free(value);
        } else if (strcmp(line, "  ---") == 0) {
            /* A block under an ok line says how a pass came about (a
             * FLAKY one); its outcome key then overrides PASS. */
            if (cur == NULL ||
                (cur->word[0] != '\0' && strcmp(cur->word, "PASS") != 0))
                goto bad;
            in_yaml = true;
        } else if (line[0] == '#') {
            o->comments++;
        } else {
            bool ok = strncmp(line, "ok ", 3) == 0;
            const char *rest = ok ? line + 3 : line + 7;
            const char *hash;
            char *end;

            if (!ok && strncmp(line, "not ok ", 7) != 0)
                goto bad;
            if (o->n == cap) {
                cap = cap ? cap * 2 : 64;
                o->tests = realloc(o->tests, cap * sizeof *o->tests);
            }
            cur = &o->tests[o->n++];
            memset(cur, 0, sizeof *cur);
            cur->exit_status = -1;
            cur->seconds = -1;
            cur->reason = strdup("");
            cur->failures = strdup("");
            cur->number = strtol(rest, &end, 10);
            if (strncmp(end, " - ", 3) != 0)
                goto bad;
            rest = end + 3;
            hash = strstr(rest, " # ");
            snprintf(cur->id, sizeof cur->id, "%.*s",
                     (int)(hash ? (size_t)(hash - rest) : strlen(rest)),
                     rest);
            if (hash != NULL) {
                if (!ok || strncmp(hash, " # SKIP ", 8) != 0)
                    goto bad;
                snprintf(cur->word, sizeof cur->word, "SKIP");
                free(cur->reason);
                cur->reason = strdup(hash + 8);
            } else if (ok) {
                snprintf(cur->word, sizeof cur->word, "PASS");
            }
        }
        free(line);
        continue;
    bad:
        set_why(o, "TAP line %zu does not parse: %s", lineno, line);
        free(line);
        return -1;
    }
    if (in_yaml) {
        set_why(o, "TAP YAML block not closed at line %zu", lineno);
        return -1;
    }
    for (size_t i = 0; i < o->n; i++)
        if (o->tests[i].word[0] == '\0') {
            set_why(o, "TAP: not ok %s without an outcome", o->tests[i].id);
            return -1;
        }
    return 0;
}

/* find_from looks id up in o->tests, starting at *hint (reports mostly
 * list tests in the same order), and moves the hint past it. */
static struct st_outcome *
find_from(struct st_outcomes *o, const char *id, size_t *hint)
{
    for (size_t k = 0; k < o->n; k++) {
        size_t i = (*hint + k) % o->n;

        if (strcmp(o->tests[i].id, id) == 0) {
            *hint = i + 1;
            return &o->tests[i];
        }
    }
    return NULL;
}

/* attach_output sets out (err when stream is "system-err") of every test
 * that has that element in the JUnit report. */
static void
attach_output(struct st_outcomes *o, struct st_xml *x, const char *stream)
{
    char xp[3][128];
    char **v[3];
    size_t n[3], hint = 0;

    snprintf(xp[0], sizeof xp[0], "//testcase[%s]/@classname", stream);
    snprintf(xp[1], sizeof xp[1], "//testcase[%s]/@name", stream);
    snprintf(xp[2], sizeof xp[2], "//testcase/%s", stream);
    for (size_t i = 0; i < 3; i++)
        v[i] = st_xml_strings(x, xp[i], &n[i]);
    for (size_t i = 0; v[0] && v[1] && v[2] && i < n[0] && i < n[1] &&
                       i < n[2]; i++) {
        char id[512];
        struct st_outcome *t;

        snprintf(id, sizeof id, "%s/%s", v[0][i], v[1][i]);
        t = find_from(o, id, &hint);
        if (t == NULL)
            continue;
        if (strcmp(stream, "system-out") == 0) {
            free(t->out);
            t->out = strdup(v[2][i]);
        } else {
            free(t->err);
            t->err = strdup(v[2][i]);
        }
    }
    for (size_t i = 0; i < 3; i++)
        st_xml_strings_free(v[i]);
}

/* read_junit adds durations and output from the JUnit report. */
static int
read_junit(struct st_outcomes *o)
{
    char why[512] = "";
    struct st_xml *x = st_xml_load(o->junit_path, why, sizeof why);
    char **suites, **names, **times;
    size_t ns, nn, nt, hint = 0;

    if (x == NULL) {
        set_why(o, "no readable JUnit report: %s", why);
        return -1;
    }
    suites = st_xml_strings(x, "//testcase/@classname", &ns);
    names = st_xml_strings(x, "//testcase/@name", &nn);
    times = st_xml_strings(x, "//testcase/@time", &nt);
    for (size_t i = 0; i < o->n; i++) {
        o->tests[i].out = strdup("");
        o->tests[i].err = strdup("");
    }
    for (size_t i = 0; suites && names && times && i < ns && i < nn &&
                       i < nt; i++) {
        char id[512];
        struct st_outcome *t;

        snprintf(id, sizeof id, "%s/%s", suites[i], names[i]);
        t = find_from(o, id, &hint);
        if (t != NULL)
            t->seconds = strtod(times[i], NULL);
    }
    st_xml_strings_free(suites);
    st_xml_strings_free(names);
    st_xml_strings_free(times);
    attach_output(o, x, "system-out");
    attach_output(o, x, "system-err");
    st_xml_free(x);
    o->junit = true;
    return 0;
}

pid_t
st_outcomes_start(struct st_outcomes *o, const char *fixture,
                  const struct st_launch *launch)
{
    const char *args[64];
    size_t n = 0;
    pid_t pid;

    memset(o, 0, sizeof *o);
    o->limit = launch->limit > 0 ? launch->limit : ST_LIMIT;
    o->tap_only = launch->tap_only;
    o->dir = st_tmpdir();
    if (o->dir == NULL) {
        set_why(o, "cannot make a directory for the reports: %s",
                strerror(errno));
        return -1;
    }
    if (launch->open_dir)
        chmod(o->dir, 0777);
    snprintf(o->tap_path, sizeof o->tap_path, "%s/report.tap", o->dir);
    snprintf(o->junit_path, sizeof o->junit_path, "%s/report.xml", o->dir);
    args[n++] = "--tap";
    args[n++] = o->tap_path;
    if (!o->tap_only) {
        args[n++] = "--junit";
        args[n++] = o->junit_path;
    }
    for (size_t i = 0; launch->args != NULL && launch->args[i] != NULL &&
                       n < 63; i++)
        args[n++] = launch->args[i];
    args[n] = NULL;
    o->start = st_now();
    pid = st_start_fixture_with(&o->run, fixture, args, launch->env,
                                launch->prepare, launch->arg);
    if (pid < 0)
        set_why(o, "cannot start %s: %s", fixture, strerror(errno));
    return pid;
}

int
st_outcomes_finish(struct st_outcomes *o, pid_t pid)
{
    if (pid < 0)
        return -1; /* o->why says why it did not start */
    if (st_wait_until(&o->run, pid, o->limit) != 0) {
        set_why(o, "lost the runner: %s", strerror(errno));
        return -1;
    }
    o->seconds = st_now() - o->start;
    if (o->run.overran) {
        snprintf(o->why, sizeof o->why, "the run was still going after "
                 "%g s and was killed; stdout ends: %.400s", o->limit,
                 o->run.out_len > 400 ? o->run.out + o->run.out_len - 400
                                      : o->run.out);
        return -1;
    }
    o->tap = st_read_file(o->tap_path, NULL);
    if (o->tap == NULL) {
        snprintf(o->why, sizeof o->why, "no TAP report (exit code %d); "
                 "stderr: %.600s", o->run.code, o->run.err);
        return -1;
    }
    if (parse_tap(o) == -1)
        return -1;
    if (!o->tap_only && read_junit(o) == -1)
        return -1;
    return 0;
}

int
st_outcomes(struct st_outcomes *o, const char *fixture,
            const char *const *args, const char *const *env)
{
    struct st_launch launch = {.args = args, .env = env};
    pid_t pid = st_outcomes_start(o, fixture, &launch);

    return pid < 0 ? -1 : st_outcomes_finish(o, pid);
}

const struct st_outcome *
st_outcome(const struct st_outcomes *o, const char *id)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->tests[i].id, id) == 0)
            return &o->tests[i];
    return NULL;
}

size_t
st_outcome_count(const struct st_outcomes *o, const char *word)
{
    size_t n = 0;

    for (size_t i = 0; i < o->n; i++)
        n += strcmp(o->tests[i].word, word) == 0;
    return n;
}

char *
st_outcomes_ids(const struct st_outcomes *o, const char *word)
{
    char *ids = strdup("");

    for (size_t i = 0; i < o->n; i++)
        if (word == NULL || strcmp(o->tests[i].word, word) == 0)
            append_line(&ids, o->tests[i].id, strlen(o->tests[i].id));
    return ids;
}

/* own_stderr is a copy of what a test printed on stderr, without the
 * lines qemu-user adds there when a program it runs dies of a signal
 * ("qemu: uncaught target signal 11 (Segmentation fault) - core dumped"),
 * the test's own process or one it forked: the emulator's, not the
 * test's. Free it with free(). */
static char *
own_stderr(const char *err)
{
    static const char emulator[] = "qemu: uncaught target signal ";
    size_t n = strlen(err), kept = 0;
    char *own = malloc(n + 1);

    if (own == NULL)
        return NULL;
    for (size_t at = 0; at < n;) {
        const char *end = memchr(err + at, '\n', n - at);
        size_t len = end != NULL ? (size_t)(end - (err + at)) + 1 : n - at;

        if (end == NULL ||
            strncmp(err + at, emulator, sizeof emulator - 1) != 0) {
            memcpy(own + kept, err + at, len);
            kept += len;
        }
        at += len;
    }
    own[kept] = '\0';
    return own;
}

void
st_expect_outcome(const struct st_outcomes *o, const char *id,
                  const char *word, const char *reason, const char *failures,
                  const char *out, const char *err)
{
    const struct st_outcome *t = st_outcome(o, id);

    EXPECT_NOT_NULL(t, "%s is not in the report:\n%.3000s", id,
                    o->tap != NULL ? o->tap : "(no report)");
    if (t == NULL)
        return;
    EXPECT_STREQ(t->word, word, "outcome of %s (reason \"%s\")", id,
                 t->reason);
    if (reason != NULL)
        EXPECT_STREQ(t->reason, reason, "reason of %s", id);
    if (failures != NULL)
        EXPECT_STREQ(t->failures, failures, "failures of %s", id);
    if (out != NULL)
        EXPECT_STREQ(t->out, out, "stdout of %s", id);
    if (err != NULL) {
        char *own = t->err != NULL ? own_stderr(t->err) : NULL;

        if (own != NULL && strlen(own) < strlen(t->err))
            EXPECT_STREQ(own, err, "stderr of %s, without qemu's lines: %s",
                         id, t->err);
        else
            EXPECT_STREQ(t->err, err, "stderr of %s", id);
        free(own);
    }
}

void
st_expect_failures(const struct st_outcomes *o, const char *file,
                   const char *id, const char *const *failures)
{
    const struct st_outcome *t = st_outcome(o, id);
    char *want = calloc(1, 1), *first = NULL;

    EXPECT_NOT_NULL(t, "%s is not in the report:\n%s", id, o->tap);
    for (size_t i = 0; failures[i] != NULL; i++) {
        const char *colon = strchr(failures[i], ':');
        char mark[64];
        char *where, *line, *more;

        snprintf(mark, sizeof mark, "mark:%.*s",
                 (int)(colon - failures[i] - 1), failures[i] + 1);
        where = st_where(file, mark);
        line = st_format("%s%s", where, colon);
        if (first == NULL)
            first = strdup(line);
        more = st_format("%s%s\n", want, line);
        free(want);
        want = more;
        free(line);
        free(where);
    }
    if (t != NULL) {
        EXPECT_STREQ(t->word, "FAIL", "%s", id);
        EXPECT_STREQ(t->reason, first, "reason of %s", id);
        EXPECT_STREQ(t->failures, want, "failures of %s", id);
    }
    free(first);
    free(want);
}

void
st_outcomes_free(struct st_outcomes *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->tests[i].reason);
        free(o->tests[i].signal);
        free(o->tests[i].failures);
        free(o->tests[i].out);
        free(o->tests[i].err);
    }
    free(o->tests);
    free(o->tap);
    st_free(&o->run);
    st_rmtree(o->dir);
    memset(o, 0, sizeof *o);
}

bool
st_adopt_orphans(char *why, size_t size)
{
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
        return true;
    snprintf(why, size, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
    return false;
#else
    snprintf(why, size, "this system has no child subreaper, so the "
             "processes a run leaves behind cannot be found and counted");
    return false;
#endif
}

#ifdef __linux__
/* live_children lists this process's children that have not ended (a
 * zombie has), reaping the zombies on the way. */
static size_t
live_children(pid_t *pids, size_t max)
{
    static pid_t kids[8192];
    size_t n, live = 0;

    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    n = st_proc_children(getpid(), kids, 8192);
    for (size_t i = 0; i < n && i < 8192; i++) {
        char state;
        pid_t ppid;

        if (st_proc_stat(kids[i], &state, &ppid) == -1 || state == 'Z' ||
            state == 'X')
            continue;
        if (live < max)
            pids[live] = kids[i];
        live++;
    }
    return live;
}
#endif

int
st_leftovers(char *what, size_t size)
{
#ifdef __linux__
    static pid_t pids[8192];
    size_t live, used = 0;
    double until = st_now() + 0.5;
    int counted;

    what[0] = '\0';
    /* A process SIGKILLed by the runner just before it exited is dying,
     * not left running: give such ones half a second. One that is still
     * there after that would have stayed. */
    while ((live = live_children(pids, 8192)) > 0 && st_now() < until)
        st_sleep_ms(10);
    counted = (int)live;
    for (size_t i = 0; i < live && i < 8192 && used < size; i++) {
        char path[64], name[64] = "?";
        ssize_t got = -1;
        int fd;

        /* Not st_read_file: a /proc file has no size to go by. */
        snprintf(path, sizeof path, "/proc/%ld/comm", (long)pids[i]);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            got = read(fd, name, sizeof name - 1);
            close(fd);
        }
        name[got > 0 ? (size_t)got : 1] = '\0';
        name[strcspn(name, "\n")] = '\0';
        if (used < size)
            used += (size_t)snprintf(what + used, size - used, "%s%ld (%s)",
                                     used ? " " : "", (long)pids[i], name);
    }
    /* Kill them and whatever they started; their orphans come here in
     * turn, so go on until none is left. */
    for (int round = 0; round < 50; round++) {
        live = live_children(pids, 8192);
        if (live == 0)
            break;
        st_kill_trees(pids, live < 8192 ? live : 8192);
        st_sleep_ms(10);
    }
    return counted;
#else
    (void)what;
    (void)size;
    return -1;
#endif
}

void
st_expect_reported(const struct st_outcomes *o, const char *id,
                   const char *word, const char *text)
{
    const struct st_outcome *t = st_outcome(o, id);
    const char *slash = strchr(id, '/');
    char *line = st_format("%s  ", id);
    char why[512], *junit = NULL, *xp;
    const char *at = o->run.out, *start;
    bool listed = false;
    struct st_xml *x;

    EXPECT_NOT_NULL(t, "%s is not in the TAP report:\n%s", id, o->tap);
    if (t != NULL) {
        EXPECT_STREQ(t->word, word, "%s", id);
        EXPECT_TRUE(strstr(t->reason, text) != NULL ||
                        strstr(t->failures, text) != NULL,
                    "TAP of %s lacks \"%s\": reason %s, failures %s", id,
                    text, t->reason, t->failures);
    }
    /* The console line is the word, padded, then the id. */
    while (!listed && (at = strstr(at, line)) != NULL) {
        for (start = at; start > o->run.out && start[-1] != '\n'; start--)
            ;
        listed = strncmp(start, word, strlen(word)) == 0 &&
                 strspn(start + strlen(word), " ") ==
                     (size_t)(at - start) - strlen(word);
        at++;
    }
    EXPECT_TRUE(listed, "console lacks the line \"%s ... %s\":\n%s", word,
                line, o->run.out);
    EXPECT_NOT_NULL(strstr(o->run.out, text), "console lacks \"%s\":\n%s",
                    text, o->run.out);
    free(line);
    if (!o->junit || slash == NULL)
        return;
    x = st_xml_load(o->junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    xp = st_format("string(/testsuites/testsuite[@name='%.*s']/testcase"
                   "[@name='%s'])", (int)(slash - id), id, slash + 1);
    junit = st_xml_string(x, xp);
    free(xp);
    if (junit == NULL || strstr(junit, text) == NULL) {
        xp = st_format("string(/testsuites/testsuite[@name='%.*s']/testcase"
                       "[@name='%s']/*/@message)", (int)(slash - id), id,
                       slash + 1);
        free(junit);
        junit = st_xml_string(x, xp);
        free(xp);
    }
    EXPECT_TRUE(junit != NULL && strstr(junit, text) != NULL,
                "JUnit of %s lacks \"%s\": %s", id, text,
                junit ? junit : "(none)");
    free(junit);
    st_xml_free(x);
}

void
st_expect_word(const struct st_outcomes *o, const char *id, const char *word,
               const char *text)
{
    const struct st_outcome *t = st_outcome(o, id);

    EXPECT_NOT_NULL(t, "%s is not in the report:\n%.2000s", id,
                    o->tap != NULL ? o->tap : "(no report)");
    if (t == NULL)
        return;
    EXPECT_STREQ(t->word, word, "%s: reason \"%s\"", id, t->reason);
    if (text != NULL)
        EXPECT_STRCONTAINS(t->reason, text, "reason of %s", id);
}

void
st_hold_machine(short type)
{
    static bool held;
    struct flock l = {.l_type = type, .l_whence = SEEK_SET};
    int fd;

    if (held)
        return;
    fd = open(CORDON_BINARY_DIR "/selftest/supervisor.lock",
              O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0, "the supervisor tests' lock file: %s", strerror(errno));
    while (fcntl(fd, F_SETLKW, &l) == -1)
        ASSERT_EQ(errno, EINTR, "locking: %s", strerror(errno));
    held = true;
}

bool
st_adopt(void)
{
    char why[256];

    st_hold_machine(F_RDLCK);
    if (st_adopt_orphans(why, sizeof why))
        return true;
    fprintf(stderr, "leftover processes not checked: %s\n", why);
    return false;
}

void
st_expect_nothing_left(bool adopted)
{
    char what[1024];
    int n;

    if (!adopted)
        return;
    n = st_leftovers(what, sizeof what);
    EXPECT_EQ(n, 0, "left running after the run: %s", what);
}

void
st_become(void *arg)
{
    const struct st_as_user *u = arg;
    struct rlimit lim = {u->nproc, u->nproc};

    /* The limit first: once the uid is not root's, it cannot be set.
     * Supplementary groups stay: RLIMIT_NPROC does not look at them. */
    if (setrlimit(RLIMIT_NPROC, &lim) == -1 || setgid((gid_t)u->uid) == -1 ||
        setuid(u->uid) == -1) {
        fprintf(stderr, "cannot become uid %ld: %s\n", (long)u->uid,
                strerror(errno));
        _exit(126);
    }
}

size_t
st_processes_of(uid_t uid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    size_t n = 0;

    while (d != NULL && (e = readdir(d)) != NULL) {
        char *path, *status, *line;
        long real;

        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        path = st_format("/proc/%s/status", e->d_name);
        status = st_read_file(path, NULL);
        line = status ? strstr(status, "\nUid:") : NULL;
        if (line != NULL && sscanf(line, "\nUid: %ld", &real) == 1 &&
            real == (long)uid)
            n++;
        free(status);
        free(path);
    }
    if (d != NULL)
        closedir(d);
    return n;
}

struct st_mark
st_mark_make(const char *var, const char *name)
{
    struct st_mark m;

    m.dir = st_tmpdir();
    m.path = st_format("%s/%s", m.dir, name);
    m.env = st_format("%s=%s", var, m.path);
    return m;
}

void
st_mark_free(struct st_mark *m)
{
    unlink(m->path);
    rmdir(m->dir);
    free(m->env);
    free(m->path);
    free(m->dir);
}

bool
st_wait_for_file(const char *path, double seconds)
{
    double until = st_now() + seconds;

    while (access(path, F_OK) != 0) {
        if (st_now() > until)
            return false;
        st_sleep_ms(1);
    }
    return true;
}

char *
st_console_block(const char *console, const char *word, const char *id)
{
    char *head = st_format("%-7s %s  ", word, id);
    char *details = st_details(console, head);
    char *block = st_format("\n%s", details != NULL ? details : "");

    EXPECT_NOT_NULL(details, "no \"%s\" line in:\n%s", head, console);
    free(details);
    free(head);
    return block;
}

void
st_expect_own(const struct st_outcomes *o, const char *id, const char *out)
{
    const struct st_outcome *t = st_outcome(o, id);

    st_expect_word(o, id, "PASS", NULL);
    if (t != NULL) {
        EXPECT_STREQ(t->out, out, "%s: foreign output", id);
        EXPECT_STREQ(t->failures, "", "%s", id);
    }
}

int
st_run_without_libdw(struct st_run *r, const char *fixture, const char *id)
{
    const char *args[] = {"--test", id, NULL};
    char *path = st_format("LD_LIBRARY_PATH=%s/fake_libdw",
                           CORDON_FIXTURE_DIR);
    const char *env[] = {ST_ASAN_OPTIONS, path, NULL};
    int rc = st_run_fixture(r, fixture, args, ST_ASAN ? env : env + 1);

    free(path);
    return rc;
}
