// SPDX-License-Identifier: MIT
// bench.c — cordon's benchmark driver, run by ci/bench. It times, in one
// invocation so that every figure shares one machine state: the floor of
// any fork-per-test design (floor.c, a bare fork + _exit + waitpid loop);
// cordon on N empty tests, and on one TEST_P of N cases up to 100,000,
// with -j1 and -j2, and the minor page faults per test of each; CPU-bound
// and sleep-bound suites; 100 isolated calls of 10 ms CPU each, through
// cordon_isolate() in a loop and cordon_isolate_each() at 2 jobs (the
// bench program isolate.c); a suite writing 64 KiB per test into a JUnit
// report, with its peak memory and the temporary files it leaves; --list
// (of 100,000 cases too); a suite of skewed durations in 4 shards run one
// after another, dealt round-robin and by an earlier run's times (the
// slowest shard over the mean); the --html report of 10,000 passing
// tests opened by headless Chromium, next to an empty page; and the same
// empty tests under Check and Criterion when ci/bench has built them.
// Each row is the best, median and worst of several runs: the best filters
// out noise from other work on the machine, the spread shows how much
// there was. It prints one table (table.c) and can write it as JSON.
//
// A row runs up to --runs times (5). A slow row runs fewer, so that the
// whole benchmark stays within minutes: it stops after 3 runs once they
// total ROW_BUDGET seconds, after 1 when that one took over SLOW_RUN, and
// is skipped when the same row at a smaller N predicts a run of over
// --max-run seconds.
//
// Slow numbers never fail it: it exits 1 only when a run fails, a run
// leaves files in its TMPDIR, or a JUnit report is missing; 2 on a usage
// error.
//
// Usage: cordon_bench [--runs K] [--max-run S] [--only TEXT] [--json FILE]
//                     [--check PREFIX --check-version V | --check-missing WHY]
//                     [--criterion PREFIX --criterion-version V |
//                      --criterion-missing WHY]
//        cordon_bench --smoke
// A peer's suites are PREFIX-2000 and PREFIX-10000. --only runs only the
// rows whose name holds TEXT (and the floor). --smoke runs each mechanism
// once at a small N, for ci/test: quick, and never failed by a slow
// machine.
#include "bench.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#if !defined(CORDON_BENCH_DIR) || !defined(CORDON_FIXTURE_DIR)
#error "CORDON_BENCH_DIR and CORDON_FIXTURE_DIR must name the binaries' directories"
#endif

/* A run that takes this long is hung, not slow. */
#define RUN_LIMIT 600
#define ROW_BUDGET 30.0
#define SLOW_RUN 60.0

static struct bench_table table;
/* --only: rows whose name holds it, NULL = all. */
static const char *only_rows;
/* --max-run: a row predicted to take longer a run is skipped; 0 = none. */
static double max_run = 60;
/* The library that reports a program's own peak RSS (rss_linux.c), where
 * the build has one. */
#ifdef CORDON_BENCH_PROBE
static const char *const probe = CORDON_BENCH_PROBE;
#else
static const char *const probe = NULL;
#endif

static void
die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("cordon_bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

/* add_row adds a row running prog with the NULL-terminated arguments after
 * it. prog is under CORDON_BENCH_DIR unless it holds a '/'; a NULL prog
 * makes a row with only a note. */
static struct bench_row *
add_row(const char *name, long n, int jobs, const char *prog, ...)
{
    const char *arg, *base;
    struct bench_row *r;
    int argc = 0;
    va_list ap;

    if (table.nrows == BENCH_MAX_ROWS)
        die("too many rows");
    r = &table.rows[table.nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->n = n;
    r->jobs = jobs;
    r->peak_kib = r->runner_kib = r->left = r->junit_bytes = r->minflt = -1;
    if (prog == NULL)
        return r;
    base = strrchr(prog, '/');
    snprintf(r->log, sizeof r->log, "%s/logs/%02d-%s.log", CORDON_BENCH_DIR,
             table.nrows, base != NULL ? base + 1 : prog);
    snprintf(r->args[0], sizeof r->args[0], "%s%s%s",
             base != NULL ? "" : CORDON_BENCH_DIR, base != NULL ? "" : "/",
             prog);
    r->cmd.argv[argc++] = r->args[0];
    va_start(ap, prog);
    while ((arg = va_arg(ap, const char *)) != NULL) {
        if (argc == BENCH_MAX_ARGS)
            die("too many arguments for %s", prog);
        snprintf(r->args[argc], sizeof r->args[argc], "%s", arg);
        r->cmd.argv[argc] = r->args[argc];
        argc++;
    }
    va_end(ap);
    r->cmd.argv[argc] = NULL;
    r->cmd.log = r->log;
    r->cmd.probe = probe;
    r->cmd.limit = RUN_LIMIT;
    return r;
}

static void
add_note(const char *name, long n, int jobs, const char *note)
{
    /* A note longer than the row holds is cut, on purpose. */
    snprintf(add_row(name, n, jobs, NULL)->note, sizeof table.rows[0].note,
             "%.*s", (int)sizeof table.rows[0].note - 1, note);
}

static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* enough says whether a row has had its runs (see the top of the file). */
static bool
enough(const struct bench_row *r, double total)
{
    if (r->runs >= table.runs)
        return true;
    if (r->runs == 1 && r->wall[0] > SLOW_RUN)
        return true;
    return r->runs >= 3 && total >= ROW_BUDGET;
}

/* measure_row runs a row until enough() and keeps its figures; returns 0,
 * or -1 when a run failed (the row then has only a note). */
static int
measure_row(struct bench_row *r)
{
    double total = 0, fastest = 0;

    while (!enough(r, total)) {
        struct bench_sample s;
        char why[sizeof r->note - 16];

        if (bench_measure(&r->cmd, &s, why, sizeof why) != 0) {
            snprintf(r->note, sizeof r->note, "failed: %s", why);
            r->runs = 0;
            return -1;
        }
        r->wall[r->runs++] = s.wall;
        total += s.wall;
        if (r->runs == 1 || s.wall < fastest) {
            fastest = s.wall;
            r->cpu = s.cpu;
        }
        /* Peaks and leftovers are the worst of all runs; a report that is
         * missing after any run counts as missing. */
        if (s.peak_kib > r->peak_kib)
            r->peak_kib = s.peak_kib;
        if (r->minflt < 0 || s.minflt < r->minflt)
            r->minflt = s.minflt;
        if (s.runner_kib > r->runner_kib)
            r->runner_kib = s.runner_kib;
        if (s.left > r->left)
            r->left = s.left;
        if (r->runs == 1 || s.junit_bytes < r->junit_bytes)
            r->junit_bytes = s.junit_bytes;
    }
    qsort(r->wall, (size_t)r->runs, sizeof r->wall[0], by_value);
    return 0;
}

/* measure_shards runs a sharded row: each run is its shards one after
 * another, and its wall time the slowest shard's. */
static int
measure_shards(struct bench_row *r)
{
    double total = 0;

    while (!enough(r, total)) {
        double slowest = 0, sum = 0;

        for (int k = 1; k <= r->shards; k++) {
            struct bench_sample s;
            char why[sizeof r->note - 16];

            snprintf(r->args[r->shard_arg], sizeof r->args[0], "%d/%d", k,
                     r->shards);
            if (bench_measure(&r->cmd, &s, why, sizeof why) != 0) {
                snprintf(r->note, sizeof r->note, "failed: %s", why);
                r->runs = 0;
                return -1;
            }
            sum += s.wall;
            if (s.wall > slowest)
                slowest = s.wall;
        }
        if (r->runs == 0 || slowest < r->wall[0])
            r->spread = slowest / (sum / r->shards);
        r->wall[r->runs++] = slowest;
        total += sum;
        qsort(r->wall, (size_t)r->runs, sizeof r->wall[0], by_value);
    }
    /* The command as the table shows it: every shard. */
    snprintf(r->args[r->shard_arg], sizeof r->args[0], "K/%d", r->shards);
    return 0;
}

/* times_file runs the skewed suite once with a JUnit report, the earlier
 * run whose times --shard-by deals by; returns its path, or NULL with why
 * in note. */
static const char *
times_file(char *note, size_t size)
{
    static const char path[] = CORDON_BENCH_DIR "/skewed-times.xml";
    struct bench_command cmd = {
        .argv = {(char *)CORDON_BENCH_DIR "/skewed", (char *)"-j",
                 (char *)"2", (char *)"--junit", (char *)path, NULL},
        .log = CORDON_BENCH_DIR "/logs/skewed-times.log",
        .limit = RUN_LIMIT};
    struct bench_sample s;
    char why[400];

    if (bench_measure(&cmd, &s, why, sizeof why) != 0) {
        snprintf(note, size, "failed: the run that records the times: %s",
                 why);
        return NULL;
    }
    return path;
}

/* predicted is the seconds a run of r should take, judged from the same
 * series (name and jobs) at the largest smaller N measured, or 0. */
static double
predicted(const struct bench_row *r)
{
    const struct bench_row *from = NULL;

    for (const struct bench_row *o = table.rows; o < r; o++)
        if (o->runs > 0 && o->jobs == r->jobs && o->n < r->n &&
            strcmp(o->name, r->name) == 0 && (from == NULL || o->n > from->n))
            from = o;
    return from != NULL ? bench_best(from) / (double)from->n * (double)r->n
                        : 0;
}

static const struct bench_row *
find(const char *name, long n, int jobs)
{
    for (int i = 0; i < table.nrows; i++)
        if (strcmp(table.rows[i].name, name) == 0 && table.rows[i].n == n &&
            table.rows[i].jobs == jobs && table.rows[i].runs > 0)
            return &table.rows[i];
    return NULL;
}

/* compare records the best of a over the best of b, when both ran, and
 * says whether it did. */
static bool
compare(const struct bench_row *a, const struct bench_row *b,
        const char *fmt, ...)
{
    struct bench_comparison *c;
    va_list ap;

    if (a == NULL || b == NULL || a->runs == 0 || b->runs == 0 ||
        table.ncomparisons == BENCH_MAX_COMPARISONS)
        return false;
    c = &table.comparisons[table.ncomparisons++];
    va_start(ap, fmt);
    vsnprintf(c->name, sizeof c->name, fmt, ap);
    va_end(ap);
    c->value = bench_best(a) / bench_best(b);
    return true;
}

/* describe_machine fills in the CPU model and the kernel. */
static void
describe_machine(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    struct utsname u;
    char line[512];

    snprintf(table.cpu, sizeof table.cpu, "unknown CPU");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');

        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            colon += strspn(colon + 1, " \t") + 1;
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(table.cpu, sizeof table.cpu, "%s", colon);
            break;
        }
    }
    if (f != NULL)
        fclose(f);
    if (uname(&u) == 0)
        snprintf(table.kernel, sizeof table.kernel, "%s %s %s", u.sysname,
                 u.release, u.machine);
    else
        snprintf(table.kernel, sizeof table.kernel, "unknown kernel");
}

/* load_average is the 1-minute load average (Linux's /proc), or -1. */
static double
load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double load = -1;

    if (f != NULL) {
        if (fscanf(f, "%lf", &load) != 1)
            load = -1;
        fclose(f);
    }
    return load;
}

/* clean_environment drops the variables that would change what a test
 * binary runs or how: cordon's own, Bazel's test protocol (which cordon
 * follows) and the peers'. */
static void
clean_environment(void)
{
    static const char *const prefixes[] = {
        "CORDON_", "CK_", "CRITERION_", "TEST_", "TESTBRIDGE_", "GTEST_",
        "XML_OUTPUT_FILE=", "LD_PRELOAD=", NULL};
    extern char **environ;
    char name[256];

    for (int i = 0; environ[i] != NULL;) {
        bool drop = false;

        for (int p = 0; prefixes[p] != NULL && !drop; p++)
            drop = strncmp(environ[i], prefixes[p], strlen(prefixes[p])) == 0;
        if (!drop) {
            i++;
            continue;
        }
        snprintf(name, sizeof name, "%.*s", (int)strcspn(environ[i], "="),
                 environ[i]);
        unsetenv(name); /* environ[i] is now the next variable */
    }
}

/* struct peer is a peer framework as ci/bench found it. */
struct peer {
    const char *prefix;  /* its suites are PREFIX-2000 and PREFIX-10000 */
    const char *version;
    const char *missing; /* why there are none */
};

static const long sizes[] = {2000, 10000};
/* The TEST_P suite's sizes, and the floor's. */
static const long param_sizes[] = {2000, 10000, 30000, 100000};

#define NPARAM (sizeof param_sizes / sizeof param_sizes[0])

/* struct variant is one way a peer's suites are run: a name suffix, the
 * jobs it runs with and the option that sets them (or NULL). */
struct variant {
    const char *suffix;
    int jobs;
    const char *option;
};

/* add_peer adds a peer's rows, each variant at each size (ascending, so
 * that a slow peer's smaller N predicts its larger one). */
static void
add_peer(const char *label, const struct peer *p, const struct variant *v,
         int nvariants)
{
    char name[sizeof table.rows[0].name], path[1024];

    for (int i = 0; i < 2; i++)
        for (int j = 0; j < nvariants; j++) {
            snprintf(name, sizeof name, "%s%s%s%s", label,
                     p->version != NULL ? " " : "",
                     p->version != NULL ? p->version : "", v[j].suffix);
            snprintf(path, sizeof path, "%s-%ld",
                     p->prefix != NULL ? p->prefix : "", sizes[i]);
            if (p->prefix == NULL)
                add_note(name, sizes[i], v[j].jobs,
                         p->missing != NULL
                             ? p->missing
                             : "not installed (ci/bench --peers)");
            else
                add_row(name, sizes[i], v[j].jobs, path, v[j].option, NULL)
                    ->vs_floor = true;
        }
}

/* add_shard_rows adds the skewed suite (4 long tests of 40) split in 4
 * shards, each run with -j1, one after another: dealt round-robin, and
 * by the times of an earlier run. */
static void
add_shard_rows(void)
{
    static char by[1024];
    struct bench_row *r;
    const char *times;

    r = add_row("cordon: 4 shards, round-robin", 40, 1, "skewed", "-j",
                "1", "--shard", "1/4", NULL);
    r->shards = 4;
    r->shard_arg = 4;
    if (only_rows != NULL && strstr("cordon: 4 shards, --shard-by",
                                    only_rows) == NULL)
        return;
    times = times_file(by, sizeof by);
    if (times == NULL) {
        add_note("cordon: 4 shards, --shard-by", 40, 1, by);
        return;
    }
    snprintf(by, sizeof by, "--shard-by=durations:%s", times);
    r = add_row("cordon: 4 shards, --shard-by", 40, 1, "skewed", "-j",
                "1", "--shard", "1/4", by, NULL);
    r->shards = 4;
    r->shard_arg = 4;
}

/* The HTML report, as a browser opens it: headless Chromium loads and
 * draws (a screenshot) an empty page, whose time is the browser's own
 * start, and the --html report of 10,000 passing tests, with a fresh
 * profile, HOME and TMPDIR each time. */
static const char html_empty[] = "chromium: open an empty page";
static const char html_open[] = "chromium: open --html report";
static const char html_script[] =
    "d=$(mktemp -d) || exit 1; HOME=$d TMPDIR=$d timeout 120 chromium "
    "--headless --disable-gpu --no-sandbox --no-first-run "
    "--user-data-dir=\"$d/profile\" --window-size=1280,900 "
    "--screenshot=\"$d/shot.png\" \"$1\" >/dev/null 2>&1; rc=$?; "
    "[ -s \"$d/shot.png\" ] || rc=1; rm -rf \"$d\"; exit $rc";
static long html_bytes = -1;

static void
add_html_rows(void)
{
    static const char page[] = CORDON_BENCH_DIR "/html-10000.html";
    static const char empty[] = CORDON_BENCH_DIR "/html-empty.html";
    struct bench_command cmd = {
        .argv = {(char *)CORDON_BENCH_DIR "/param_10000", (char *)"-j",
                 (char *)"2", (char *)"--html", (char *)page, NULL},
        .log = CORDON_BENCH_DIR "/logs/html-10000.log",
        .limit = RUN_LIMIT};
    struct bench_sample s;
    struct stat st;
    char why[400];
    FILE *f;

    if (only_rows != NULL && strstr(html_open, only_rows) == NULL &&
        strstr(html_empty, only_rows) == NULL)
        return;
    if (system("command -v chromium >/dev/null 2>&1") != 0) {
        add_note(html_open, 10000, BENCH_JOBS_NONE,
                 "chromium not installed (apt-get install chromium)");
        return;
    }
    f = fopen(empty, "w");
    if (f != NULL) {
        fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
              "\"utf-8\"/><title>empty</title></head><body></body></html>\n",
              f);
        fclose(f);
    }
    if (bench_measure(&cmd, &s, why, sizeof why) != 0) {
        char note[512];

        snprintf(note, sizeof note, "failed: the run that writes the "
                 "report: %.400s", why);
        add_note(html_open, 10000, BENCH_JOBS_NONE, note);
        return;
    }
    if (stat(page, &st) == 0)
        html_bytes = (long)st.st_size;
    add_row(html_empty, 1, BENCH_JOBS_NONE, "/bin/sh", "-c", html_script,
            "sh", "file://" CORDON_BENCH_DIR "/html-empty.html", NULL);
    add_row(html_open, 10000, BENCH_JOBS_NONE, "/bin/sh", "-c", html_script,
            "sh", "file://" CORDON_BENCH_DIR "/html-10000.html", NULL);
}

/* The rows of cordon_isolate() in a loop and cordon_isolate_each(). */
static const char isolate_loop[] = "cordon_isolate loop: 10 ms CPU each";
static const char isolate_each[] = "cordon_isolate_each: 10 ms CPU each";

static void
add_rows(const struct peer *check, const struct peer *criterion)
{
    /* Check runs its tests one after another; Criterion in parallel
     * unless told otherwise. */
    static const struct variant check_variants[] = {{" CK_FORK", 1, NULL}};
    static const struct variant criterion_variants[] = {
        {"", BENCH_JOBS_DEFAULT, NULL}, {" -j1", 1, "-j1"}};
    char n[16], cpus[16];

    snprintf(cpus, sizeof cpus, "%ld", table.cpus);
    for (size_t i = 0; i < NPARAM; i++) {
        snprintf(n, sizeof n, "%ld", param_sizes[i]);
        add_row("floor: fork+_exit+waitpid", param_sizes[i], 1,
                "cordon_bench_floor", n, NULL)->floor = true;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(n, sizeof n, "trivial_%ld", sizes[i]);
        add_row("cordon: empty tests", sizes[i], 1, n, "-j", "1", NULL)
            ->vs_floor = true;
        add_row("cordon: empty tests", sizes[i], 2, n, "-j", "2", NULL)
            ->vs_floor = true;
    }
    for (size_t i = 0; i < NPARAM; i++) {
        snprintf(n, sizeof n, "param_%ld", param_sizes[i]);
        add_row("cordon: TEST_P over int[N]", param_sizes[i], 1, n, "-j", "1",
                NULL)->vs_floor = true;
        add_row("cordon: TEST_P over int[N]", param_sizes[i], 2, n, "-j", "2",
                NULL)->vs_floor = true;
    }
    add_row("cordon: 25 ms CPU each", 40, 1, "cpu", "-j", "1", NULL);
    add_row("cordon: 25 ms CPU each", 40, 2, "cpu", "-j", "2", NULL);
    add_row("cordon: 0.5 s sleep each", 16, 16, "sleep", "-j", "16", NULL);
    add_shard_rows();
    add_html_rows();
    add_row(isolate_loop, 100, 1, "isolate", "loop", "100", NULL);
    add_row(isolate_each, 100, 2, "isolate", "each", "100", "2", NULL);
    for (int i = 0; i < 2; i++) {
        struct bench_row *r;

        snprintf(n, sizeof n, "output_%ld", sizes[i]);
        r = add_row("cordon: 64 KiB stdout, --junit", sizes[i],
                    (int)table.cpus, n, "-j", cpus, NULL);
        r->vs_floor = true;
        r->cmd.junit = true;
    }
    add_row("cordon: --list", 10000, BENCH_JOBS_NONE, "trivial_10000",
            "--list", NULL);
    add_row("cordon: --list, TEST_P", 100000, BENCH_JOBS_NONE,
            "param_100000", "--list", NULL);
    add_peer("Check", check, check_variants, 1);
    add_peer("Criterion", criterion, criterion_variants, 2);
}

static void
add_comparisons(void)
{
    const char *empty = "cordon: empty tests", *cpu = "cordon: 25 ms CPU each";
    const char *param = "cordon: TEST_P over int[N]";
    long small = param_sizes[0], large = param_sizes[NPARAM - 1];

    for (int i = 0; i < 2; i++)
        compare(find(empty, sizes[i], 1), find(empty, sizes[i], 2),
                "speedup of -j2 over -j1, empty tests, N=%ld", sizes[i]);
    /* Per test, so the ratio of times is scaled by the ratio of N. */
    for (int jobs = 1; jobs <= 2; jobs++)
        if (compare(find(param, large, jobs), find(param, small, jobs),
                    "TEST_P per-test cost, N=%ld over N=%ld, -j%d", large,
                    small, jobs))
            table.comparisons[table.ncomparisons - 1].value *=
                (double)small / (double)large;
    compare(find(cpu, 40, 1), find(cpu, 40, 2),
            "speedup of -j2 over -j1, 25 ms CPU each");
    compare(find(isolate_loop, 100, 1), find(isolate_each, 100, 2),
            "speedup of cordon_isolate_each -j2 over the cordon_isolate "
            "loop");
    if (find(html_open, 10000, BENCH_JOBS_NONE) != NULL &&
        find(html_empty, 1, BENCH_JOBS_NONE) != NULL &&
        table.ncomparisons < BENCH_MAX_COMPARISONS) {
        /* Seconds, not a ratio: what the report adds to the browser's
         * start. */
        snprintf(table.comparisons[table.ncomparisons].name,
                 sizeof table.comparisons[0].name,
                 "--html of 10,000 tests: open s - empty page s (%.1f MB)",
                 (double)html_bytes / 1e6);
        table.comparisons[table.ncomparisons++].value =
            bench_best(find(html_open, 10000, BENCH_JOBS_NONE)) -
            bench_best(find(html_empty, 1, BENCH_JOBS_NONE));
    }
    for (int i = 0; i < table.nrows; i++) {
        const struct bench_row *r = &table.rows[i];

        if (strcmp(r->name, "cordon: 0.5 s sleep each") == 0 && r->runs > 0 &&
            table.ncomparisons < BENCH_MAX_COMPARISONS) {
            snprintf(table.comparisons[table.ncomparisons].name,
                     sizeof table.comparisons[0].name,
                     "16 x 0.5 s sleep at -j16: wall / 0.5 s");
            table.comparisons[table.ncomparisons++].value =
                bench_best(r) / 0.5;
        }
        if (r->shards > 0 && r->runs > 0 &&
            table.ncomparisons < BENCH_MAX_COMPARISONS) {
            snprintf(table.comparisons[table.ncomparisons].name,
                     sizeof table.comparisons[0].name,
                     "%s, -j1 each: slowest / mean shard", r->name + 8);
            table.comparisons[table.ncomparisons++].value = r->spread;
        }
        if (strncmp(r->name, "Check", 5) == 0 ||
            strncmp(r->name, "Criterion", 9) == 0)
            compare(find(empty, r->n, 1), r,
                    "cordon -j1 time / %s time, N=%ld", r->name, r->n);
    }
}

/* run_rows measures every row that has a command; returns 1 when a run
 * failed, left files behind or wrote no report, else 0. */
static int
run_rows(const char *only)
{
    int status = 0;

    for (int i = 0; i < table.nrows; i++) {
        struct bench_row *r = &table.rows[i];
        double guess = predicted(r);

        if (r->cmd.argv[0] == NULL)
            continue;
        if (only != NULL && strstr(r->name, only) == NULL && !r->floor) {
            snprintf(r->note, sizeof r->note, "not run (--only)");
            continue;
        }
        if (max_run > 0 && guess > max_run) {
            snprintf(r->note, sizeof r->note,
                     "skipped: a run would take about %.0f s, judging by "
                     "the smaller N (ci/bench --long)", guess);
            continue;
        }
        fprintf(stderr, "cordon_bench: [%d/%d] %s, N=%ld ...", i + 1,
                table.nrows, r->name, r->n);
        if ((r->shards > 0 ? measure_shards(r) : measure_row(r)) != 0) {
            fprintf(stderr, " %s\n", r->note);
            status = 1;
            continue;
        }
        fprintf(stderr, " best %.3f s of %d\n", bench_best(r), r->runs);
        if (r->left > 0 || (r->cmd.junit && r->junit_bytes <= 0))
            status = 1;
    }
    return status;
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        {"runs", required_argument, NULL, 'r'},
        {"max-run", required_argument, NULL, 'x'},
        {"only", required_argument, NULL, 'O'},
        {"json", required_argument, NULL, 'o'},
        {"smoke", no_argument, NULL, 's'},
        {"check", required_argument, NULL, 'c'},
        {"check-version", required_argument, NULL, 'C'},
        {"check-missing", required_argument, NULL, 'm'},
        {"criterion", required_argument, NULL, 'k'},
        {"criterion-version", required_argument, NULL, 'K'},
        {"criterion-missing", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0}};
    struct peer check = {NULL, NULL, NULL}, criterion = {NULL, NULL, NULL};
    const char *json = NULL, *only = NULL;
    bool smoke = false;
    int c, status;
    char *end;

    table.runs = 5;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            table.runs = (int)strtol(optarg, &end, 10);
            if (*end != '\0' || table.runs < 1 ||
                table.runs > BENCH_MAX_RUNS)
                die("--runs: '%s' is not a number from 1 to %d", optarg,
                    BENCH_MAX_RUNS);
            break;
        case 'x':
            max_run = strtod(optarg, &end);
            if (*end != '\0' || max_run < 0)
                die("--max-run: '%s' is not a number of seconds (0 = no "
                    "limit)", optarg);
            break;
        case 'O': only = only_rows = optarg; break;
        case 'o': json = optarg; break;
        case 's': smoke = true; break;
        case 'c': check.prefix = optarg; break;
        case 'C': check.version = optarg; break;
        case 'm': check.missing = optarg; break;
        case 'k': criterion.prefix = optarg; break;
        case 'K': criterion.version = optarg; break;
        case 'M': criterion.missing = optarg; break;
        default: die("see the usage at the top of selftest/bench/bench.c");
        }
    }
    if (optind != argc)
        die("unexpected argument '%s'", argv[optind]);
    table.cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (table.cpus < 1)
        table.cpus = 1;
    clean_environment();
    mkdir(CORDON_BENCH_DIR "/logs", 0755);
    describe_machine();

    if (smoke) {
        table.runs = 1;
        add_row("floor: fork+_exit+waitpid", 1000, 1, "cordon_bench_floor",
                "1000", NULL)->floor = true;
        add_row("cordon: fixture many", 1000, 1, CORDON_FIXTURE_DIR "/many",
                "-j", "1", NULL)->vs_floor = true;
        add_row("cordon: fixture many, --junit", 1000, 2,
                CORDON_FIXTURE_DIR "/many", "-j", "2", NULL)->cmd.junit = true;
    } else {
        add_rows(&check, &criterion);
    }
    table.load_start = load_average();
    status = run_rows(only);
    table.load_end = load_average();
    add_comparisons();
    bench_print(&table, stdout);
    if (json != NULL && bench_write_json(&table, json) != 0)
        status = 1;
    return status;
}
