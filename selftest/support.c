// SPDX-License-Identifier: MIT
// support.c — running fixture binaries for the selftests. Output goes to
// unlinked temporary files, not pipes, so a fixture printing 50 MB cannot
// block on a full pipe while the test waits for it.
#include "support.h"

#include <cordon.h>

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CORDON_FIXTURE_DIR
#error "CORDON_FIXTURE_DIR must name the directory of the fixture binaries"
#endif
#ifndef CORDON_SOURCE_DIR
#error "CORDON_SOURCE_DIR must name the top of the source tree"
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

/* clean_environment removes what would change how a fixture runs from
 * outside the test that runs it: the CORDON_* settings, the test
 * protocol variables of Bazel and GoogleTest, and GitHub Actions' own,
 * which the selftest itself may have been given. A test passes the ones
 * it means explicitly. */
static void
clean_environment(void)
{
    static const char *const protocol[] = {
        "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TEST_SHARD_STATUS_FILE",
        "TEST_PREMATURE_EXIT_FILE", "TESTBRIDGE_TEST_ONLY", "XML_OUTPUT_FILE",
        "GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX", "GTEST_SHARD_STATUS_FILE",
        "GTEST_OUTPUT", "GTEST_FILTER",
        /* A selftest run on GitHub Actions: its fixtures annotate only
         * when a test asks them to. */
        "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE",
    };
    extern char **environ;
    char name[256];

    for (size_t i = 0; i < sizeof protocol / sizeof protocol[0]; i++)
        unsetenv(protocol[i]);
    /* Unsetting changes environ, so start over after each removal. */
    for (size_t i = 0; environ[i] != NULL;) {
        const char *eq = strchr(environ[i], '=');
        size_t n = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);

        if (strncmp(environ[i], "CORDON_", 7) != 0 || n >= sizeof name) {
            i++;
            continue;
        }
        memcpy(name, environ[i], n);
        name[n] = '\0';
        unsetenv(name);
        i = 0;
    }
}

pid_t
st_start_fixture(struct st_run *r, const char *name, const char *const *args,
                 const char *const *env)
{
    return st_start_fixture_with(r, name, args, env, NULL, NULL);
}

pid_t
st_start_fixture_with(struct st_run *r, const char *name,
                      const char *const *args, const char *const *env,
                      void (*prepare)(void *), void *arg)
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
        clean_environment();
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
        /* A shell without job control starts a background command with
         * SIGINT and SIGQUIT ignored, which the fixture would inherit: it
         * starts with them as a terminal gives them (prepare may change
         * that). */
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        if (prepare != NULL)
            prepare(arg);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* collect fills r from the wait status of its fixture and what it
 * printed. */
static int
collect(struct st_run *r, int status)
{
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
st_wait(struct st_run *r, pid_t pid)
{
    int status;

    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) == -1)
        if (errno != EINTR)
            return -1;
    return collect(r, status);
}

int
st_wait_until(struct st_run *r, pid_t pid, double seconds)
{
    double until = st_now() + seconds;
    int status;

    if (pid < 0)
        return -1;
    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);

        if (got == pid)
            break;
        if (got == -1 && errno != EINTR)
            return -1;
        if (st_now() > until) {
            st_kill_tree(pid);
            r->overran = true;
            while (waitpid(pid, &status, 0) == -1)
                if (errno != EINTR)
                    return -1;
            break;
        }
        /* Polling, not SIGCHLD: the selftest's own signal handling is
         * cordon's, and 2 ms is nothing next to a fixture's run. */
        st_sleep_ms(2);
    }
    return collect(r, status);
}

#ifdef __linux__
int
st_proc_stat(pid_t pid, char *state, pid_t *ppid)
{
    char path[64], buf[1024];
    const char *paren;
    long parent;
    ssize_t n;
    int fd;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    do
        n = read(fd, buf, sizeof buf - 1);
    while (n == -1 && errno == EINTR);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* The command name is in parentheses and may itself hold spaces and
     * parentheses: the fields resume after the last ')'. */
    paren = strrchr(buf, ')');
    if (paren == NULL || sscanf(paren + 1, " %c %ld", state, &parent) != 2)
        return -1;
    *ppid = (pid_t)parent;
    return 0;
}

size_t
st_proc_children(pid_t parent, pid_t *pids, size_t max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    size_t n = 0;

    while (d != NULL && (e = readdir(d)) != NULL) {
        char *end, state;
        long pid = strtol(e->d_name, &end, 10);
        pid_t ppid;

        if (*end != '\0' || pid <= 0 ||
            st_proc_stat((pid_t)pid, &state, &ppid) == -1 || ppid != parent)
            continue;
        if (n < max)
            pids[n] = (pid_t)pid;
        n++;
    }
    if (d != NULL)
        closedir(d);
    return n;
}
#else
int
st_proc_stat(pid_t pid, char *state, pid_t *ppid)
{
    (void)pid;
    (void)state;
    (void)ppid;
    return -1;
}

size_t
st_proc_children(pid_t parent, pid_t *pids, size_t max)
{
    (void)parent;
    (void)pids;
    (void)max;
    return 0;
}
#endif

#ifdef __linux__
/* PID_BITS bounds the pids a kill can follow: Linux's largest pid_max. */
#define PID_BITS 4194304

/* adopt_descendants adds to tree (a bitmap of pids, with its list in pids)
 * every process whose parent is in it, as one read of /proc shows them,
 * stopping each so it cannot fork behind the search. Returns how many it
 * added. */
static size_t
adopt_descendants(unsigned char *tree, pid_t **pids, size_t *n, size_t *cap)
{
    size_t count = 0, added = 0, room = 1024;
    pid_t *all = malloc(room * sizeof *all), *parent = malloc(room *
                                                              sizeof *parent);
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool grew = true;

    while (d != NULL && all != NULL && parent != NULL &&
           (e = readdir(d)) != NULL) {
        char *end, state;
        long pid = strtol(e->d_name, &end, 10);
        pid_t ppid;

        if (*end != '\0' || pid <= 0 || pid >= PID_BITS ||
            st_proc_stat((pid_t)pid, &state, &ppid) == -1)
            continue;
        if (count == room) {
            room *= 2;
            all = realloc(all, room * sizeof *all);
            parent = realloc(parent, room * sizeof *parent);
            if (all == NULL || parent == NULL)
                break;
        }
        all[count] = (pid_t)pid;
        parent[count++] = ppid;
    }
    if (d != NULL)
        closedir(d);
    /* The table is in pid order, not in descent order: go over it until
     * it adds nobody. */
    while (grew && all != NULL && parent != NULL) {
        grew = false;
        for (size_t i = 0; i < count; i++) {
            pid_t p = all[i], pp = parent[i];

            if (pp <= 0 || pp >= PID_BITS || !(tree[pp / 8] & (1u << pp % 8))
                || (tree[p / 8] & (1u << p % 8)))
                continue;
            if (*n == *cap) {
                *cap *= 2;
                *pids = realloc(*pids, *cap * sizeof **pids);
                if (*pids == NULL)
                    break;
            }
            tree[p / 8] |= (unsigned char)(1u << p % 8);
            (*pids)[(*n)++] = p;
            kill(p, SIGSTOP);
            added++;
            grew = true;
        }
    }
    free(all);
    free(parent);
    return added;
}
#endif

void
st_kill_trees(const pid_t *roots, size_t nroots)
{
#ifdef __linux__
    unsigned char *tree = calloc(PID_BITS / 8, 1);
    size_t n = 0, cap = nroots + 64;
    pid_t *pids = malloc(cap * sizeof *pids);

    /* Stop each process as it is found, so none can fork a new one behind
     * the search, then kill them all at once. */
    for (size_t i = 0; tree != NULL && pids != NULL && i < nroots; i++) {
        if (roots[i] <= 0 || roots[i] >= PID_BITS)
            continue;
        tree[roots[i] / 8] |= (unsigned char)(1u << roots[i] % 8);
        pids[n++] = roots[i];
        kill(roots[i], SIGSTOP);
    }
    while (tree != NULL && pids != NULL &&
           adopt_descendants(tree, &pids, &n, &cap) > 0)
        ;
    for (size_t i = 0; pids != NULL && i < n; i++)
        kill(pids[i], SIGKILL);
    free(pids);
    free(tree);
#endif
    for (size_t i = 0; i < nroots; i++)
        kill(roots[i], SIGKILL);
}

void
st_kill_tree(pid_t pid)
{
    st_kill_trees(&pid, 1);
}

int
st_run_fixture(struct st_run *r, const char *name, const char *const *args,
               const char *const *env)
{
    return st_wait(r, st_start_fixture(r, name, args, env));
}

void
st_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
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

void
st_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ASSERT_NOT_NULL(f, "cannot create %s", path);
    fputs(text, f);
    ASSERT_EQ(fclose(f), 0, "cannot write %s", path);
}

char *
st_tmpdir(void)
{
    char path[] = "/tmp/cordon-selftest-dir-XXXXXX";

    if (mkdtemp(path) == NULL)
        return NULL;
    return strdup(path);
}

char *
st_details(const char *text, const char *prefix)
{
    static const char indent[] = "      ";
    char *line = st_line(text, prefix);
    const char *p, *start;
    char *out;

    if (line == NULL)
        return NULL;
    free(line);
    /* Find the line again to know where the details begin. */
    for (p = text; strncmp(p, prefix, strlen(prefix)) != 0;)
        p = strchr(p, '\n') + 1;
    p = strchr(p, '\n');
    p = p ? p + 1 : text + strlen(text);
    start = p;
    out = malloc(strlen(p) + 1);
    out[0] = '\0';
    while (*p != '\0' && strncmp(p, indent, sizeof indent - 1) == 0) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl + 1 - p) : strlen(p);

        /* The rerun and debug hints are st_hints' (report_console). */
        if (strncmp(p, "      rerun: ", 13) != 0 &&
            strncmp(p, "      debug: ", 13) != 0)
            strncat(out, p, len);
        p += len;
    }
    (void)start;
    return out;
}

/* duration_at returns the length of a "D+.DDD s" duration at p that ends
 * a field (end of line, a space or a colon follows), or 0. */
static size_t
duration_at(const char *p)
{
    size_t n = 0, frac = 0;

    while (p[n] >= '0' && p[n] <= '9')
        n++;
    if (n == 0 || p[n] != '.')
        return 0;
    n++;
    while (p[n + frac] >= '0' && p[n + frac] <= '9')
        frac++;
    n += frac;
    if (frac != 3 || strncmp(p + n, " s", 2) != 0)
        return 0;
    n += 2;
    if (p[n] != '\0' && p[n] != '\n' && p[n] != ' ' && p[n] != ':')
        return 0;
    return n;
}

double
st_seconds(const char *line)
{
    for (const char *p = line; p != NULL && *p != '\0' && *p != '\n'; p++)
        if (strncmp(p, "  ", 2) == 0 && duration_at(p + 2) > 0)
            return strtod(p + 2, NULL);
    return -1;
}

char *
st_strip_times(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;

    for (const char *p = text; *p != '\0';) {
        size_t n;

        if (strncmp(p, "  ", 2) == 0 && (n = duration_at(p + 2)) > 0) {
            p += 2 + n;
            continue;
        }
        if (strncmp(p, " in ", 4) == 0 && (n = duration_at(p + 4)) > 0) {
            p += 4 + n;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

int
st_source_line(const char *path, const char *needle)
{
    char full[4096], buf[4096];
    FILE *f;
    int line = 0, found = -1;

    snprintf(full, sizeof full, "%s/%s", CORDON_SOURCE_DIR, path);
    f = fopen(full, "r");
    if (f == NULL)
        return -1;
    while (found < 0 && fgets(buf, sizeof buf, f) != NULL) {
        line++;
        if (strstr(buf, needle) != NULL)
            found = line;
    }
    fclose(f);
    return found;
}

double
st_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
st_rmtree(char *path)
{
    DIR *d;
    struct dirent *e;

    if (path == NULL)
        return;
    d = opendir(path);
    while (d != NULL && (e = readdir(d)) != NULL) {
        char file[4096];

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        unlink(file);
    }
    if (d != NULL)
        closedir(d);
    rmdir(path);
    free(path);
}

bool
st_has_line_starting(const char *text, const char *prefix)
{
    char *line = st_line(text, prefix);
    bool found = line != NULL;

    free(line);
    return found;
}

bool
st_has_line(const char *text, const char *line)
{
    size_t n = strlen(line);

    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        if (len == n && strncmp(p, line, n) == 0)
            return true;
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

char *
st_format(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

char *
st_where(const char *file, const char *mark)
{
    char *rel = st_format("selftest/fixtures/%s", file);
    int line = st_source_line(rel, mark);
    char *where = st_format("%s/%s:%d", CORDON_SOURCE_DIR, rel, line);

    free(rel);
    return where;
}

const char *
st_cmake_setting(const char *key)
{
    static char value[64];
    char *cache = st_read_file(CORDON_BINARY_DIR "/CMakeCache.txt", NULL);
    char *prefix = st_format("%s=", key);
    char *line = cache != NULL ? st_line(cache, prefix) : NULL;

    snprintf(value, sizeof value, "%s",
             line != NULL ? line + strlen(prefix) : "");
    free(line);
    free(prefix);
    free(cache);
    return value;
}

const char *
st_libxml2_mode(void)
{
    return st_cmake_setting("CORDON_LIBXML2:STRING");
}

bool
st_coverage_build(void)
{
    return strcmp(st_cmake_setting("CORDON_COVERAGE:BOOL"), "ON") == 0;
}

int
st_shell(const char *cmd, char **out)
{
    char *full = st_format("%s 2>&1", cmd);
    size_t len = 0, cap = 4096;
    FILE *p = popen(full, "r");
    int status;

    free(full);
    *out = NULL;
    if (p == NULL)
        return -1;
    *out = malloc(cap);
    for (size_t n; (n = fread(*out + len, 1, cap - len - 1, p)) > 0;) {
        len += n;
        if (cap - len < 2)
            *out = realloc(*out, cap *= 2);
    }
    (*out)[len] = '\0';
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool
st_command_found(const char *name)
{
    char *cmd = st_format("command -v '%s' >/dev/null 2>&1", name);
    bool found = system(cmd) == 0;

    free(cmd);
    return found;
}

void
st_need_jsonschema(bool ctrf)
{
    if (system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
        SKIP("%s", "python3 with jsonschema not found (Debian: apt-get "
                   "install python3-jsonschema)");
    if (ctrf && access(ST_CTRF_SCHEMA, R_OK) != 0)
        SKIP("%s", "the CTRF schema ../shared/ctrf/ctrf-schema-0.0.json is "
                   "not beside the source tree");
}

char *
st_json_check(const char *mode, const char *schema, const char *file)
{
    char *cmd = st_format("timeout 60 python3 '%s/selftest/json_reports.py' "
                          "%s '%s' '%s' 2>&1", CORDON_SOURCE_DIR, mode,
                          schema, file);
    char *said = NULL;
    int rc = st_shell(cmd, &said);

    free(cmd);
    ASSERT_NOT_NULL(said);
    EXPECT_EQ(rc, 0, "%s of %s: %s", mode, file, said);
    return said;
}

#if !CORDON_SELFTEST_POSIX && defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(__linux__)
#include <sys/auxv.h>
#endif

/* subreaper_why is why this run's workers are no subreapers, or NULL when
 * they are; found once, by asking the kernel whether this process is one
 * (which changes nothing): where the question is refused, so is a
 * worker's PR_SET_CHILD_SUBREAPER. */
static const char *
subreaper_why(void)
{
    static int known;
    static const char *why;

    if (known)
        return why;
    known = 1;
#if CORDON_SELFTEST_POSIX
    why = "libcordon was built with the posix stand-in (CORDON_PLATFORM=posix)";
#elif defined(__linux__) && defined(PR_GET_CHILD_SUBREAPER)
    {
        static char text[160];
        int was = 0;

        if (prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&was, 0UL, 0UL,
                  0UL) != 0) {
            snprintf(text, sizeof text,
                     "this system refuses prctl(PR_GET_CHILD_SUBREAPER): %s "
                     "(qemu-user does not emulate it)",
                     strerror(errno));
            why = text;
        }
    }
#else
    why = "this system has no child subreaper";
#endif
    return why;
}

bool
st_subreaper(void)
{
    return subreaper_why() == NULL;
}

const char *
st_subreaper_why(void)
{
    const char *why = subreaper_why();

    return why != NULL ? why : "";
}


char *
st_proc_status(pid_t pid)
{
    char *path = st_format("/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    char *text = NULL;

    free(path);
    if (f == NULL)
        return NULL;
    /* A /proc file has no size to read by: read it in one go. */
    text = calloc(1, 8192);
    if (text != NULL)
        (void)!fread(text, 1, 8191, f);
    fclose(f);
    return text;
}

/* st_emulated_why asks once: stat() and readlink() of /proc/self/exe
 * name the same file on the machine itself. */
const char *
st_emulated_why(void)
{
    static int known;
    static const char *why;
#if defined(__linux__)
    static char text[PATH_MAX + 160];
    char exe[PATH_MAX];
    struct stat seen, named;
    ssize_t n;

    if (known)
        return why;
    known = 1;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || stat("/proc/self/exe", &seen) != 0)
        return why;
    exe[n] = '\0';
    if (stat(exe, &named) == 0 &&
        (seen.st_dev != named.st_dev || seen.st_ino != named.st_ino)) {
        snprintf(text, sizeof text,
                 "this program runs under an emulator (qemu-user): "
                 "/proc/self/exe is another file than %s", exe);
        why = text;
    }
#else
    known = 1;
#endif
    return why;
}

const char *
st_vdso_why(void)
{
#if defined(__linux__) && defined(AT_SYSINFO_EHDR)
    if (getauxval(AT_SYSINFO_EHDR) == 0)
        return "no vDSO is mapped into processes here (qemu-user maps "
               "none: clock_gettime() is a system call, which returns "
               "EFAULT for a bad pointer instead of crashing)";
#endif
    return NULL;
}

const char *
st_own_threads_why(void)
{
    static char text[200];
    size_t threads = 0;
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;

    if (dir == NULL)
        return NULL;
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.')
            threads++;
    closedir(dir);
    if (threads <= 1)
        return NULL;
    snprintf(text, sizeof text,
             "a process that starts no thread has %zu here: an emulator "
             "(qemu-user) runs threads of its own, which a process limit "
             "counts", threads);
    return text;
}

const char *
st_hide_proc_why(void)
{
    static int known;
    static const char *why;
    static char text[300];
    char *out = NULL;

    if (known)
        return why;
    known = 1;
    if (ST_ASAN) {
        why = "AddressSanitizer cannot start without /proc/self/maps";
    } else if (st_emulated_why() != NULL) {
        snprintf(text, sizeof text, "an emulator answers /proc/self/exe "
                 "without /proc: %s", st_emulated_why());
        why = text;
    } else if (!st_command_found("unshare") || !st_command_found("umount")) {
        why = "no unshare or umount here to hide /proc";
    } else if (st_shell("unshare -m sh -c 'umount -l /proc && ! test -e "
                        "/proc/self/status'", &out) != 0) {
        snprintf(text, sizeof text, "cannot unmount /proc in a mount "
                 "namespace of its own: %.200s", out != NULL ? out : "");
        why = text;
    }
    free(out);
    return why;
}

const char *
st_proc_signals_why(void)
{
    static int known;
    static const char *why;
    int ready[2];
    pid_t child;
    char byte, *text = NULL;

    if (known)
        return why;
    known = 1;
    if (pipe(ready) != 0)
        return why;
    child = fork();
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        (void)!write(ready[1], "r", 1);
        for (;;)
            pause();
    }
    close(ready[1]);
    if (child > 0 && read(ready[0], &byte, 1) == 1)
        text = st_proc_status(child);
    close(ready[0]);
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    if (text != NULL) {
        const char *at = strstr(text, "SigCgt:");
        unsigned long long bits;

        if (at != NULL && sscanf(at + 7, "%llx", &bits) == 1 &&
            (bits & (1ULL << (SIGTERM - 1))) != 0)
            why = "/proc/PID/status shows a process catching SIGTERM that "
                  "does not: an emulator's handlers (qemu-user catches "
                  "every signal for the program it runs)";
    }
    free(text);
    return why;
}

/* Not inlined, called with operands it cannot know, and its quotient
 * stored where it must be: an optimiser that sees "1 / b" answers it
 * without dividing (b + 1 > 2, unsigned), and the probe would find no
 * trap where there is one. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((no_sanitize("undefined"), noinline))
#endif
static int
divide_by(int a, int b)
{
    volatile int q = a / b; /* as selftest/fixtures/crash.c's divide */

    return q;
}

const char *
st_divide_traps_why(void)
{
    static int known;
    static const char *why;
    static char text[160];
    volatile int zero = 0, one = 1;
    int status;
    pid_t child;

    if (known)
        return why;
    known = 1;
    child = fork();
    if (child == 0) {
        signal(SIGFPE, SIG_DFL);
        _exit(divide_by(one, zero) == 0 ? 0 : 1);
    }
    if (child < 0 || waitpid(child, &status, 0) != child)
        return why;
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGFPE) {
        snprintf(text, sizeof text,
                 "an integer division by zero gives a number here, without "
                 "SIGFPE (AArch64's does; s390x's under qemu-user does)");
        why = text;
    }
    return why;
}

const char *
st_env_kept(void)
{
    static char kept[PATH_MAX + 32];
    const char *prefix = getenv("QEMU_LD_PREFIX");

    if (prefix == NULL || prefix[0] == '\0' || strchr(prefix, '\'') != NULL)
        return "";
    snprintf(kept, sizeof kept, "QEMU_LD_PREFIX='%s' ", prefix);
    return kept;
}
