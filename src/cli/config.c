// SPDX-License-Identifier: MIT
// config.c — the command line and CORDON_* environment of a test binary,
// read with getopt_long into one struct cordon__config. Every long option
// that takes a value has an environment twin; the flag wins over the twin.
// A bad value, from either, is one line on stderr and exit code 2.
#include "cli/cli.h"
#include "testproc/testproc.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    OPT_LIST = 256,
    OPT_FILTER,
    OPT_TEST,
    OPT_TIMEOUT,
    OPT_NO_FORK,
    OPT_FORK,
    OPT_SHOW_OUTPUT,
    OPT_SLOW,
    OPT_CORE_DUMPS,
    OPT_VERSION,
    OPT_JUNIT,
    OPT_JUNIT_DIR,
    OPT_TAP,
    OPT_OUTPUT_LIMIT,
    OPT_REPORT_OUTPUT,
    OPT_JUNIT_ATTEMPTS,
    OPT_COLOR,
    OPT_SHARD,
    OPT_RETRIES,
    OPT_REPEAT,
    OPT_SHUFFLE,
    OPT_SEED,
    OPT_FAIL_FAST,
    OPT_RUN_DISABLED,
    OPT_MEMORY_LIMIT,
    OPT_TIMEOUT_MULTIPLIER,
    OPT_JSON,
    OPT_CTRF,
    OPT_HTML,
    OPT_FILES,
    OPT_DURATIONS,
    OPT_ANNOTATIONS,
    OPT_SHARD_BY,
};

static const struct option long_options[] = {
    {"list", no_argument, NULL, OPT_LIST},
    {"verbose", no_argument, NULL, 'v'},
    {"filter", required_argument, NULL, OPT_FILTER},
    {"test", required_argument, NULL, OPT_TEST},
    {"jobs", required_argument, NULL, 'j'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"no-fork", no_argument, NULL, OPT_NO_FORK},
    {"fork", no_argument, NULL, OPT_FORK},
    {"show-output", no_argument, NULL, OPT_SHOW_OUTPUT},
    {"slow", required_argument, NULL, OPT_SLOW},
    {"core-dumps", no_argument, NULL, OPT_CORE_DUMPS},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"junit-dir", required_argument, NULL, OPT_JUNIT_DIR},
    {"tap", required_argument, NULL, OPT_TAP},
    {"json", required_argument, NULL, OPT_JSON},
    {"ctrf", required_argument, NULL, OPT_CTRF},
    {"html", required_argument, NULL, OPT_HTML},
    {"output-limit", required_argument, NULL, OPT_OUTPUT_LIMIT},
    {"report-output", required_argument, NULL, OPT_REPORT_OUTPUT},
    {"junit-attempts", required_argument, NULL, OPT_JUNIT_ATTEMPTS},
    {"color", required_argument, NULL, OPT_COLOR},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"repeat", required_argument, NULL, OPT_REPEAT},
    {"shuffle", no_argument, NULL, OPT_SHUFFLE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {"run-disabled", no_argument, NULL, OPT_RUN_DISABLED},
    {"memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT},
    {"timeout-multiplier", required_argument, NULL, OPT_TIMEOUT_MULTIPLIER},
    {"files", required_argument, NULL, OPT_FILES},
    {"durations", required_argument, NULL, OPT_DURATIONS},
    {"annotations", required_argument, NULL, OPT_ANNOTATIONS},
    {"shard-by", required_argument, NULL, OPT_SHARD_BY},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* The short options, for getopt_long: ':' first reports a missing value
 * apart from an unknown option. */
static const char short_options[] = ":hvj:";

/* refused_option names the option getopt_long has just refused. A long
 * one (optopt 0, or the val of the long option) is named as written; a
 * short one by its letter, because it may sit in a cluster such as -xv
 * that getopt has not moved past yet, so argv[optind - 1] is not it. */
static const char *
refused_option(char **argv, char buf[3])
{
    const char *arg = argv[optind - 1];
    bool is_long = strncmp(arg, "--", 2) == 0 &&
                   (optopt <= 0 || optopt > UCHAR_MAX ||
                    strchr(short_options + 1, optopt) != NULL);

    if (is_long || optopt <= 0 || optopt > UCHAR_MAX)
        return arg;
    buf[0] = '-';
    buf[1] = (char)optopt;
    buf[2] = '\0';
    return buf;
}

static void
usage(const char *argv0)
{
    printf(
        "usage: %s [options]\n"
        "Runs the cordon tests linked into this binary, each in its own "
        "process.\n"
        "\n"
        "  --list               print test ids, one a line, in test order\n"
        "  -v, --verbose        with --list: id, a tab, the timeout in "
        "seconds;\n"
        "                       without --list: as --show-output\n"
        "  --filter GLOB        run ids matching GLOB (fnmatch; repeatable; "
        "-GLOB excludes)\n"
        "  --test ID            run the test with exactly this id "
        "(repeatable)\n"
        "  -j, --jobs N         run up to N tests at once (default: online "
        "CPUs)\n"
        "  --timeout SECONDS    default per-test timeout (default 10; 0 = "
        "none)\n"
        "  --timeout-multiplier X  scale every timeout and cpu limit by X "
        "(valgrind, slow CI)\n"
        "  --memory-limit BYTES address space per test (RLIMIT_AS; 64M, "
        "64MiB, 1G...;\n"
        "                       not under AddressSanitizer)\n"
        "  --no-fork            run tests in this process, one by one (for "
        "debuggers;\n"
        "                       a crash or exit() then ends the run, no "
        "timeouts;\n"
        "                       tests that expect to die are skipped); the "
        "default\n"
        "                       under a debugger\n"
        "  --fork               fork each test even under a debugger\n"
        "  --show-output        print the output of passing tests too\n"
        "  --slow SECONDS       flag a test SLOW while it runs past this "
        "(default:\n"
        "                       half its timeout)\n"
        "  --core-dumps         let crashing tests dump core (off by "
        "default)\n",
        argv0);
    /* Reports, then the run's order and selection: a second string, as
     * one would pass the length ISO C requires compilers to take. */
    fputs(
        "  --junit FILE         write a JUnit XML report to FILE ('-' = "
        "stdout)\n"
        "  --junit-dir DIR      write the JUnit report into DIR, named "
        "after the binary\n"
        "                       and the tests run (one per CTest test; "
        "merge them with\n"
        "                       cordon-junit-merge)\n"
        "  --junit-attempts HOW a retried test's attempts in JUnit: "
        "surefire (default:\n"
        "                       Maven Surefire's flakyFailure, rerunFailure "
        "...) or last\n"
        "                       (the deciding attempt only)\n"
        "  --tap FILE           write a TAP 13 report to FILE ('-' = "
        "stdout)\n"
        "  --json FILE          stream the run's events to FILE as JSON "
        "Lines, as they\n"
        "                       happen ('-' = stdout)\n"
        "  --ctrf FILE          write a CTRF JSON report to FILE ('-' = "
        "stdout)\n"
        "  --html FILE          write a self-contained HTML report to FILE "
        "(failures,\n"
        "                       timeline, slowest tests; '-' = stdout)\n"
        "  --output-limit BYTES cap captured output per test in reports "
        "(default 65536;\n"
        "                       0 = no cap)\n"
        "  --report-output KEEP all (default): the JUnit report keeps every "
        "test's\n"
        "                       output; failed: only that of tests that did "
        "not pass\n"
        "  --color WHEN         auto, always or never (default auto; honours "
        "NO_COLOR)\n"
        "  --shard K/N          run shard K of N (1 <= K <= N), round-robin "
        "over test order\n"
        "  --shard-by HOW       round-robin (default), or durations:FILE to "
        "balance the\n"
        "                       shards by the times in FILE, an earlier "
        "JUnit, JSON Lines\n"
        "                       or CTRF report of this binary\n"
        "  --durations N        after the recap, list the N slowest tests "
        "(0 = all)\n"
        "  --annotations WHERE  github: GitHub Actions annotations and step "
        "summary;\n"
        "                       none; auto (default): github when "
        "GITHUB_ACTIONS=true\n"
        "  --retries N          rerun a failing test up to N more times; "
        "one that then\n"
        "                       passes is FLAKY (counted as passed)\n"
        "  --repeat N           run each selected test N times; it fails if "
        "any run fails\n"
        "  --shuffle            run the tests in a random order (reports "
        "stay in test order)\n"
        "  --seed S             shuffle with seed S (implies --shuffle; the "
        "seed is printed)\n"
        "  --fail-fast          start no test after the first failure; the "
        "rest are skipped\n"
        "  --run-disabled       run tests marked .disabled too\n"
        "  --files ID=DIR       the TEST_FILES test ID reads the files under "
        "DIR\n"
        "                       (repeatable)\n"
        "  -h, --help           show this help\n"
        "  --version            show cordon's version\n"
        "\n"
        "Environment: CORDON_JOBS, CORDON_TIMEOUT, CORDON_TIMEOUT_MULTIPLIER,\n"
        "CORDON_FILTER, CORDON_JUNIT, CORDON_JUNIT_DIR, "
        "CORDON_JUNIT_ATTEMPTS,\n"
        "CORDON_TAP, CORDON_JSON, CORDON_CTRF, CORDON_HTML, "
        "CORDON_OUTPUT_LIMIT,\nCORDON_COLOR, CORDON_SHARD, CORDON_SHARD_BY, "
        "CORDON_REPORT_OUTPUT, CORDON_SLOW,\nCORDON_RETRIES, CORDON_REPEAT, "
        "CORDON_SEED, CORDON_MEMORY_LIMIT, CORDON_DURATIONS,\n"
        "CORDON_ANNOTATIONS, CORDON_FILES (ID=DIR;ID=DIR...), NO_COLOR.\n"
        "Exit status: 0 all selected tests passed (skips allowed), 1 a test "
        "failed,\n"
        "crashed, timed out or exited early, 2 usage or setup error, 77 "
        "every selected\n"
        "test was skipped, 128+N interrupted by signal N.\n",
        stdout);
}

static void
push(char ***list, size_t *n, const char *s)
{
    *list = cordon__xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = cordon__xstrdup(s);
}

/* Each setter takes the option's name (flag or variable) for its error. */

static int
set_jobs(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_count(v, 1, 4096, &cfg->jobs)) {
        cordon__usage_error("%s: '%s' is not a number of jobs from 1 to "
                            "4096 (use e.g. --jobs=8)", who, v);
        return -1;
    }
    return 0;
}

static int
set_timeout(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_seconds(v, &cfg->timeout)) {
        cordon__usage_error("%s: '%s' is not a number of seconds (use e.g. "
                            "--timeout=2.5, or 0 for none)", who, v);
        return -1;
    }
    if (cfg->timeout > CORDON__MAX_TIMEOUT) {
        cordon__usage_error("%s: '%s' is more than the %.0f s maximum (use "
                            "0 for no timeout)", who, v, CORDON__MAX_TIMEOUT);
        return -1;
    }
    return 0;
}

static int
set_slow(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_seconds(v, &cfg->slow) || cfg->slow <= 0 ||
        cfg->slow > CORDON__MAX_TIMEOUT) {
        cordon__usage_error("%s: '%s' is not a number of seconds above 0 "
                            "(use e.g. --slow=2)", who, v);
        return -1;
    }
    return 0;
}

static int
set_output_limit(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_size(v, CORDON__MAX_OUTPUT_LIMIT,
                            &cfg->output_limit)) {
        cordon__usage_error("%s: '%s' is not a byte count (use e.g. "
                            "--output-limit=65536, or 0 for no cap)", who, v);
        return -1;
    }
    return 0;
}

static int
set_report_output(struct cordon__config *cfg, const char *who, const char *v)
{
    if (strcmp(v, "all") == 0)
        cfg->failed_output_only = false;
    else if (strcmp(v, "failed") == 0)
        cfg->failed_output_only = true;
    else {
        cordon__usage_error("%s: '%s' is not a choice of output (use all, "
                            "or failed to keep only the output of tests "
                            "that did not pass)", who, v);
        return -1;
    }
    return 0;
}

static int
set_junit_attempts(struct cordon__config *cfg, const char *who,
                   const char *v)
{
    if (strcmp(v, "surefire") == 0)
        cfg->junit_last_attempt = false;
    else if (strcmp(v, "last") == 0)
        cfg->junit_last_attempt = true;
    else {
        cordon__usage_error("%s: '%s' is not a way to write a retried "
                            "test's attempts (use surefire, or last for the "
                            "deciding attempt only)", who, v);
        return -1;
    }
    return 0;
}

static int
set_color(struct cordon__config *cfg, const char *who, const char *v)
{
    if (strcmp(v, "auto") == 0)
        cfg->color = CORDON__COLOR_AUTO;
    else if (strcmp(v, "always") == 0)
        cfg->color = CORDON__COLOR_ALWAYS;
    else if (strcmp(v, "never") == 0)
        cfg->color = CORDON__COLOR_NEVER;
    else {
        cordon__usage_error("%s: '%s' is not a colour mode (use auto, always "
                            "or never)", who, v);
        return -1;
    }
    return 0;
}

static int
set_shard(struct cordon__config *cfg, const char *who, const char *v)
{
    long k, n;
    char *slash = strchr(v, '/');
    char head[32];

    if (slash != NULL && (size_t)(slash - v) < sizeof head) {
        memcpy(head, v, (size_t)(slash - v));
        head[slash - v] = '\0';
        if (cordon__parse_count(slash + 1, 1, 1000000, &n) &&
            cordon__parse_count(head, 1, n, &k)) {
            cfg->shard_index = k - 1;
            cfg->shard_total = n;
            return 0;
        }
    }
    cordon__usage_error("%s: '%s' is not a shard (use K/N with 1 <= K <= N, "
                        "e.g. --shard=2/4)", who, v);
    return -1;
}

static int
set_retries(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_count(v, 0, CORDON__MAX_RETRIES, &cfg->retries)) {
        cordon__usage_error("%s: '%s' is not a number of retries from 0 to "
                            "%d (use e.g. --retries=2)", who, v,
                            CORDON__MAX_RETRIES);
        return -1;
    }
    return 0;
}

static int
set_repeat(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_count(v, 1, CORDON__MAX_REPEAT, &cfg->repeat)) {
        cordon__usage_error("%s: '%s' is not a number of runs from 1 to %d "
                            "(use e.g. --repeat=10)", who, v,
                            CORDON__MAX_REPEAT);
        return -1;
    }
    return 0;
}

/* set_seed takes a seed and turns shuffling on: a seed is only ever given
 * to reproduce a shuffled order. */
static int
set_seed(struct cordon__config *cfg, const char *who, const char *v)
{
    char *end;
    unsigned long long seed;

    errno = 0;
    seed = strtoull(v, &end, 10);
    if (*v < '0' || *v > '9' || *end != '\0' || errno != 0) {
        cordon__usage_error("%s: '%s' is not a seed (use the decimal number "
                            "a shuffled run printed, e.g. --seed=12345)", who,
                            v);
        return -1;
    }
    cfg->seed = (uint64_t)seed;
    cfg->seed_given = true;
    cfg->shuffle = true;
    return 0;
}

static int
set_multiplier(struct cordon__config *cfg, const char *who, const char *v)
{
    double m;

    if (!cordon__parse_seconds(v, &m) || m <= 0 ||
        m > CORDON__MAX_MULTIPLIER) {
        cordon__usage_error("%s: '%s' is not a number above 0 and at most "
                            "%.0f (use e.g. %s)", who, v,
                            CORDON__MAX_MULTIPLIER,
                            who[0] == '-' ? "--timeout-multiplier=3"
                                          : "CORDON_TIMEOUT_MULTIPLIER=3");
        return -1;
    }
    cfg->timeout_multiplier = m;
    cfg->multiplier_chosen = true;
    return 0;
}

static int
set_memory_limit(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__limits_parse_bytes(v, &cfg->memory_limit)) {
        cordon__usage_error("%s: '%s' is not a byte count (use e.g. %s=64M, "
                            "64MiB or 1G; 0 for none)", who, v,
                            who[0] == '-' ? "--memory-limit"
                                          : "CORDON_MEMORY_LIMIT");
        return -1;
    }
    return 0;
}

/* add_files adds one "suite/name=DIR" of --files or CORDON_FILES (whose
 * entries, split at ';', come in n bytes, not NUL-terminated). */
static int
add_files(struct cordon__config *cfg, const char *who, const char *v,
          size_t n)
{
    const char *eq = memchr(v, '=', n);
    const char *slash = eq != NULL ? memchr(v, '/', (size_t)(eq - v)) : NULL;
    struct cordon__files_dir *d;

    if (slash == NULL || slash == v || slash + 1 == eq || eq + 1 == v + n) {
        cordon__usage_error("%s: '%.*s' is not ID=DIR (use the TEST_FILES "
                            "id and a directory, e.g. %s%sjson/parses=%s)",
                            who, (int)n, v, who,
                            who[0] == '-' ? " " : "=", "corpus");
        return -1;
    }
    cfg->files = cordon__xrealloc(cfg->files,
                                  (cfg->nfiles + 1) * sizeof *cfg->files);
    d = &cfg->files[cfg->nfiles++];
    d->id = cordon__xmalloc((size_t)(eq - v) + 1);
    memcpy(d->id, v, (size_t)(eq - v));
    d->id[eq - v] = '\0';
    d->dir = cordon__xmalloc((size_t)(v + n - eq));
    memcpy(d->dir, eq + 1, (size_t)(v + n - eq - 1));
    d->dir[v + n - eq - 1] = '\0';
    d->origin = who;
    return 0;
}

/* files_from_environment reads CORDON_FILES: entries "suite/name=DIR"
 * separated by ';' (empty ones are ignored). */
static int
files_from_environment(struct cordon__config *cfg)
{
    const char *v = getenv("CORDON_FILES");

    while (v != NULL && *v != '\0') {
        size_t n = strcspn(v, ";");

        if (n > 0 && add_files(cfg, "CORDON_FILES", v, n) == -1)
            return -1;
        v += n;
        if (*v == ';')
            v++;
    }
    return 0;
}

static int
set_durations(struct cordon__config *cfg, const char *who, const char *v)
{
    if (!cordon__parse_count(v, 0, 1000000000, &cfg->durations)) {
        cordon__usage_error("%s: '%s' is not a number of tests (use e.g. "
                            "%s=10, or 0 for every test)", who, v,
                            who[0] == '-' ? "--durations"
                                          : "CORDON_DURATIONS");
        return -1;
    }
    return 0;
}

static int
set_annotations(struct cordon__config *cfg, const char *who, const char *v)
{
    if (strcmp(v, "auto") == 0)
        cfg->annotations = CORDON__ANNOTATIONS_AUTO;
    else if (strcmp(v, "github") == 0)
        cfg->annotations = CORDON__ANNOTATIONS_GITHUB;
    else if (strcmp(v, "none") == 0)
        cfg->annotations = CORDON__ANNOTATIONS_NONE;
    else {
        cordon__usage_error("%s: '%s' is not a kind of annotations (use "
                            "github, none, or auto for github under "
                            "GITHUB_ACTIONS=true)", who, v);
        return -1;
    }
    return 0;
}

/* set_shard_by takes how shards are made; the file is read when the run
 * is planned (run/timings.c), where a bad one is refused. */
static int
set_shard_by(struct cordon__config *cfg, const char *who, const char *v)
{
    static const char durations[] = "durations:";

    if (strcmp(v, "round-robin") == 0)
        cfg->shard_times = NULL;
    else if (strncmp(v, durations, sizeof durations - 1) == 0 &&
             v[sizeof durations - 1] != '\0')
        cfg->shard_times = v + sizeof durations - 1;
    else {
        cordon__usage_error("%s: '%s' is not a way to shard (use "
                            "round-robin, or durations:FILE with an earlier "
                            "report of this binary, e.g. "
                            "--shard-by=durations:report.xml)", who, v);
        return -1;
    }
    return 0;
}

/* from_environment applies the CORDON_* twins before the flags. */
static int
from_environment(struct cordon__config *cfg)
{
    static const struct {
        const char *name;
        int (*set)(struct cordon__config *, const char *, const char *);
    } twins[] = {
        {"CORDON_JOBS", set_jobs},
        {"CORDON_TIMEOUT", set_timeout},
        {"CORDON_OUTPUT_LIMIT", set_output_limit},
        {"CORDON_COLOR", set_color},
        {"CORDON_REPORT_OUTPUT", set_report_output},
        {"CORDON_JUNIT_ATTEMPTS", set_junit_attempts},
        {"CORDON_SHARD", set_shard},
        {"CORDON_SLOW", set_slow},
        {"CORDON_RETRIES", set_retries},
        {"CORDON_REPEAT", set_repeat},
        {"CORDON_SEED", set_seed},
        {"CORDON_TIMEOUT_MULTIPLIER", set_multiplier},
        {"CORDON_MEMORY_LIMIT", set_memory_limit},
        {"CORDON_DURATIONS", set_durations},
        {"CORDON_ANNOTATIONS", set_annotations},
        {"CORDON_SHARD_BY", set_shard_by},
    };
    const char *v;

    for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
        v = getenv(twins[i].name);
        if (v != NULL && *v != '\0' && twins[i].set(cfg, twins[i].name, v))
            return -1;
    }
    if ((v = getenv("CORDON_FILTER")) != NULL && *v != '\0') {
        push(&cfg->filters, &cfg->nfilters, v);
        cfg->filter_origin = "CORDON_FILTER";
    }
    if ((v = getenv("CORDON_JUNIT")) != NULL && *v != '\0')
        cfg->junit_path = v;
    if ((v = getenv("CORDON_JUNIT_DIR")) != NULL && *v != '\0')
        cfg->junit_dir = v;
    if ((v = getenv("CORDON_TAP")) != NULL && *v != '\0')
        cfg->tap_path = v;
    if ((v = getenv("CORDON_JSON")) != NULL && *v != '\0')
        cfg->json_path = v;
    if ((v = getenv("CORDON_CTRF")) != NULL && *v != '\0')
        cfg->ctrf_path = v;
    if ((v = getenv("CORDON_HTML")) != NULL && *v != '\0')
        cfg->html_path = v;
    return files_from_environment(cfg);
}

/* one_junit_destination leaves one of --junit and --junit-dir: a flag
 * wins over the other's variable, as over its own twin; two flags, or two
 * variables, are a usage error. */
static int
one_junit_destination(struct cordon__config *cfg, bool file_flag,
                      bool dir_flag)
{
    if (cfg->junit_path == NULL || cfg->junit_dir == NULL)
        return 0;
    if (file_flag != dir_flag) {
        if (file_flag)
            cfg->junit_dir = NULL;
        else
            cfg->junit_path = NULL;
        return 0;
    }
    cordon__usage_error("%s both name the JUnit report (give one)",
                        file_flag ? "--junit and --junit-dir"
                                  : "CORDON_JUNIT and CORDON_JUNIT_DIR");
    return -1;
}

/* one_report_per_ctest_test refuses a report file under CTest, which runs
 * each test in a process of its own (cordon_discover_tests sets
 * CORDON_CTEST): every test would replace the file, and one would be left.
 * The report on stdout ('-') is each test's own, and stays; so is a
 * report in --junit-dir, which must then be absolute: CTest runs each
 * test in its own working directory (its CMakeLists.txt's). */
static int
one_report_per_ctest_test(const struct cordon__config *cfg, bool dir_flag)
{
    const char *ctest = getenv("CORDON_CTEST");
    const char *who = dir_flag ? "--junit-dir" : "CORDON_JUNIT_DIR";

    if (ctest == NULL || *ctest == '\0')
        return 0;
    if (cfg->junit_path != NULL && strcmp(cfg->junit_path, "-") != 0) {
        cordon__usage_error("report '%s' under CTest: CTest runs each test "
                            "in its own process, and each would replace the "
                            "file (for a report per test, to merge with "
                            "cordon-junit-merge, set CORDON_JUNIT_DIR=DIR "
                            "instead; or use ctest --output-junit FILE)",
                            cfg->junit_path);
        return -1;
    }
    {
        static const char *const twins[] = {"CORDON_TAP", "CORDON_JSON",
                                            "CORDON_CTRF"};
        const char *paths[] = {cfg->tap_path, cfg->json_path,
                               cfg->ctrf_path};

        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            if (paths[i] != NULL && strcmp(paths[i], "-") != 0) {
                cordon__usage_error("report '%s' under CTest: CTest runs "
                                    "each test in its own process, and each "
                                    "would replace the file (unset %s, or "
                                    "write it to '-', each test's output)",
                                    paths[i], twins[i]);
                return -1;
            }
    }
    if (cfg->html_path != NULL && strcmp(cfg->html_path, "-") != 0) {
        cordon__usage_error("report '%s' under CTest: CTest runs each test "
                            "in its own process, and each would replace the "
                            "file (unset CORDON_HTML, or run the binary "
                            "itself with --html for one report of the run)",
                            cfg->html_path);
        return -1;
    }
    if (cfg->junit_dir != NULL && cfg->junit_dir[0] != '/') {
        cordon__usage_error("%s '%s' is relative, and CTest runs each test "
                            "in a directory of its own (give an absolute "
                            "path, e.g. %s=$PWD/%s)", who, cfg->junit_dir,
                            who, cfg->junit_dir);
        return -1;
    }
    return 0;
}

int
cordon__config_parse(struct cordon__config *cfg, int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    bool env_filters = true, junit_flag = false, junit_dir_flag = false;
    int c;

    *cfg = (struct cordon__config){
        .argv0 = argc > 0 ? argv[0] : "cordon",
        .jobs = cpus > 0 ? cpus : 1,
        .timeout = CORDON__DEFAULT_TIMEOUT,
        .timeout_multiplier = 1.0,
        .output_limit = CORDON__DEFAULT_OUTPUT_LIMIT,
        .repeat = 1,
        .durations = -1,
    };
    if (from_environment(cfg))
        return -1;

    opterr = 0;
    /* 0, not 1: glibc's getopt then starts afresh, so a second
     * cordon_main() in one process parses its own arguments. */
    optind = 0;
    while ((c = getopt_long(argc, argv, short_options, long_options,
                            NULL)) != -1) {
        char name[3];
        int r = 0;

        switch (c) {
        case 'h':
            usage(cfg->argv0);
            return 1;
        case OPT_VERSION:
            printf("cordon %s\n", CORDON_VERSION_STRING);
            return 1;
        case OPT_LIST: cfg->list = true; break;
        case 'v': cfg->verbose = cfg->show_output = true; break;
        case OPT_FILTER:
            /* Flags replace the CORDON_FILTER twin rather than adding. */
            cfg->filter_origin = "--filter";
            if (env_filters) {
                for (size_t i = 0; i < cfg->nfilters; i++)
                    free(cfg->filters[i]);
                cfg->nfilters = 0;
                env_filters = false;
            }
            push(&cfg->filters, &cfg->nfilters, optarg);
            break;
        case OPT_TEST: push(&cfg->ids, &cfg->nids, optarg); break;
        case 'j': r = set_jobs(cfg, "--jobs", optarg); break;
        case OPT_TIMEOUT: r = set_timeout(cfg, "--timeout", optarg); break;
        /* The later of --fork and --no-fork wins. */
        case OPT_NO_FORK: cfg->no_fork = true; cfg->fork = false; break;
        case OPT_FORK: cfg->fork = true; cfg->no_fork = false; break;
        case OPT_SHOW_OUTPUT: cfg->show_output = true; break;
        case OPT_SLOW: r = set_slow(cfg, "--slow", optarg); break;
        case OPT_CORE_DUMPS: cfg->core_dumps = true; break;
        case OPT_JUNIT:
            cfg->junit_path = optarg;
            junit_flag = true;
            break;
        case OPT_JUNIT_DIR:
            cfg->junit_dir = optarg;
            junit_dir_flag = true;
            break;
        case OPT_TAP: cfg->tap_path = optarg; break;
        case OPT_JSON: cfg->json_path = optarg; break;
        case OPT_CTRF: cfg->ctrf_path = optarg; break;
        case OPT_HTML: cfg->html_path = optarg; break;
        case OPT_OUTPUT_LIMIT:
            r = set_output_limit(cfg, "--output-limit", optarg);
            break;
        case OPT_REPORT_OUTPUT:
            r = set_report_output(cfg, "--report-output", optarg);
            break;
        case OPT_JUNIT_ATTEMPTS:
            r = set_junit_attempts(cfg, "--junit-attempts", optarg);
            break;
        case OPT_COLOR: r = set_color(cfg, "--color", optarg); break;
        case OPT_SHARD: r = set_shard(cfg, "--shard", optarg); break;
        case OPT_RETRIES: r = set_retries(cfg, "--retries", optarg); break;
        case OPT_REPEAT: r = set_repeat(cfg, "--repeat", optarg); break;
        case OPT_SHUFFLE: cfg->shuffle = true; break;
        case OPT_SEED: r = set_seed(cfg, "--seed", optarg); break;
        case OPT_FAIL_FAST: cfg->fail_fast = true; break;
        case OPT_RUN_DISABLED: cfg->run_disabled = true; break;
        case OPT_MEMORY_LIMIT:
            r = set_memory_limit(cfg, "--memory-limit", optarg);
            break;
        case OPT_TIMEOUT_MULTIPLIER:
            r = set_multiplier(cfg, "--timeout-multiplier", optarg);
            break;
        case OPT_FILES:
            r = add_files(cfg, "--files", optarg, strlen(optarg));
            break;
        case OPT_DURATIONS:
            r = set_durations(cfg, "--durations", optarg);
            break;
        case OPT_ANNOTATIONS:
            r = set_annotations(cfg, "--annotations", optarg);
            break;
        case OPT_SHARD_BY: r = set_shard_by(cfg, "--shard-by", optarg); break;
        case ':':
            cordon__usage_error("%s needs a value (see --help)",
                                refused_option(argv, name));
            return -1;
        default:
            cordon__usage_error("unknown option '%s' (see --help)",
                                refused_option(argv, name));
            return -1;
        }
        if (r)
            return -1;
    }
    /* Arguments are a fuzz target's inputs; the registry refuses them
     * in any other binary (cordon__files_unused). */
    for (; optind < argc; optind++)
        push(&cfg->inputs, &cfg->ninputs, argv[optind]);
    if (one_junit_destination(cfg, junit_flag, junit_dir_flag) == -1)
        return -1;
    return one_report_per_ctest_test(cfg, junit_dir_flag);
}

void
cordon__config_free(struct cordon__config *cfg)
{
    for (size_t i = 0; i < cfg->nfilters; i++)
        free(cfg->filters[i]);
    for (size_t i = 0; i < cfg->nids; i++)
        free(cfg->ids[i]);
    for (size_t i = 0; i < cfg->nfiles; i++) {
        free(cfg->files[i].id);
        free(cfg->files[i].dir);
    }
    for (size_t i = 0; i < cfg->ninputs; i++)
        free(cfg->inputs[i]);
    free(cfg->filters);
    free(cfg->ids);
    free(cfg->files);
    free(cfg->inputs);
    free(cfg->junit_named);
}
