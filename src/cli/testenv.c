// SPDX-License-Identifier: MIT
// testenv.c — the test protocols of the engines that run test binaries, so
// a cordon binary run by `bazel test` (or by a GoogleTest-style sharder)
// needs no flags: Bazel's XML_OUTPUT_FILE, TEST_TOTAL_SHARDS /
// TEST_SHARD_INDEX, TEST_SHARD_STATUS_FILE, TEST_PREMATURE_EXIT_FILE,
// TESTBRIDGE_TEST_ONLY and TEST_TMPDIR, and GoogleTest's GTEST_TOTAL_SHARDS
// / GTEST_SHARD_INDEX. Applied after the command line, which wins: --junit,
// --shard and --filter (and their CORDON_* twins) override the engine's
// variables. Everything is checked before anything is written, so a bad
// variable is exit 2 with no file touched. Selecting and sharding
// themselves stay in plan.c; this file only translates.
// Refs: https://bazel.build/reference/test-encyclopedia
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* env returns a variable's value, NULL when unset or empty. */
static const char *
env(const char *name)
{
    const char *v = getenv(name);

    return v != NULL && *v != '\0' ? v : NULL;
}

/* shard_pair reads one TOTAL/INDEX pair; the index counts from 0, as in
 * Bazel and GoogleTest. Returns 1 when the pair is set, 0 when neither
 * is, -1 after a usage error. */
static int
shard_pair(const char *total_name, const char *index_name, long *total,
           long *index)
{
    const char *t = env(total_name), *i = env(index_name);

    if (t == NULL && i == NULL)
        return 0;
    if (t == NULL || i == NULL) {
        cordon__usage_error("%s is set but %s is not (the test engine must "
                            "set both, or neither)",
                            t != NULL ? total_name : index_name,
                            t != NULL ? index_name : total_name);
        return -1;
    }
    if (!cordon__parse_count(t, 1, 1000000, total)) {
        cordon__usage_error("%s: '%s' is not a number of shards (use a "
                            "positive integer, e.g. %s=4)", total_name, t,
                            total_name);
        return -1;
    }
    if (!cordon__parse_count(i, 0, *total - 1, index)) {
        cordon__usage_error("%s: '%s' is not a shard of %s=%ld (use 0 to "
                            "%ld)", index_name, i, total_name, *total,
                            *total - 1);
        return -1;
    }
    return 1;
}

/* shard_from_environment applies the first pair that is set, unless
 * --shard or CORDON_SHARD already chose a shard. */
static int
shard_from_environment(struct cordon__config *cfg)
{
    long total, index;
    int r;

    if (cfg->shard_total != 0)
        return 0;
    r = shard_pair("TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", &total, &index);
    if (r == 0)
        r = shard_pair("GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX", &total,
                       &index);
    if (r == 1) {
        cfg->shard_total = total;
        cfg->shard_index = index;
    }
    return r == -1 ? -1 : 0;
}

/* create_file creates (or truncates) an empty file for the engine. */
static int
create_file(const char *variable, const char *path)
{
    int fd;

    do
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    while (fd == -1 && errno == EINTR);
    if (fd == -1) {
        cordon__error("cannot create %s '%s': %s (the test engine "
                      "must name a writable path)", variable, path,
                      strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

int
cordon__testenv_apply(struct cordon__config *cfg)
{
    const char *v;

    if (shard_from_environment(cfg) == -1)
        return -1;
    if (cfg->junit_path == NULL && cfg->junit_dir == NULL &&
        (v = env("XML_OUTPUT_FILE")) != NULL)
        cfg->junit_path = v;
    /* Bazel's --test_filter; a selection of the user's own wins. */
    if (cfg->nfilters == 0 && cfg->nids == 0 &&
        (v = env("TESTBRIDGE_TEST_ONLY")) != NULL) {
        cfg->filters = cordon__xrealloc(cfg->filters, sizeof *cfg->filters);
        cfg->filters[0] = cordon__xstrdup(v);
        cfg->nfilters = 1;
        cfg->filter_origin = "TESTBRIDGE_TEST_ONLY";
    }
    /* Touched even when no sharding is asked for: it says "this binary
     * can shard", and Bazel fails a sharded test that does not touch it. */
    if ((v = env("TEST_SHARD_STATUS_FILE")) != NULL &&
        create_file("TEST_SHARD_STATUS_FILE", v) == -1)
        return -1;
    /* Removed by cordon__testenv_finish: if it is still there when the
     * binary is gone, the run died half-way (a test killed the runner,
     * or the runner crashed), which Bazel then reports. */
    if ((v = env("TEST_PREMATURE_EXIT_FILE")) != NULL &&
        create_file("TEST_PREMATURE_EXIT_FILE", v) == -1)
        return -1;
    return 0;
}

void
cordon__testenv_finish(const struct cordon__config *cfg)
{
    const char *v = env("TEST_PREMATURE_EXIT_FILE");

    (void)cfg;
    if (v != NULL && unlink(v) == -1 && errno != ENOENT)
        fprintf(stderr, "cordon: cannot remove TEST_PREMATURE_EXIT_FILE "
                "'%s': %s (the test engine will report a premature exit)\n",
                v, strerror(errno));
}


/* The variables that tell a binary what to write, which tests to run and
 * how: the run's, not its tests'. Those cordon reads (config.c's twins of
 * the options, CORDON_CTEST) and the test protocols'; a user's own
 * CORDON_-something stays. */
static const char *const steering[] = {
    "CORDON_ANNOTATIONS", "CORDON_COLOR", "CORDON_CTEST", "CORDON_CTRF",
    "CORDON_DURATIONS", "CORDON_FILES", "CORDON_FILTER", "CORDON_HTML",
    "CORDON_JOBS", "CORDON_JSON",
    "CORDON_JUNIT", "CORDON_JUNIT_ATTEMPTS", "CORDON_JUNIT_DIR",
    "CORDON_MEMORY_LIMIT", "CORDON_OUTPUT_LIMIT", "CORDON_REPEAT",
    "CORDON_REPORT_OUTPUT", "CORDON_RETRIES", "CORDON_SEED", "CORDON_SHARD",
    "CORDON_SHARD_BY",
    "CORDON_SLOW", "CORDON_TAP", "CORDON_TIMEOUT",
    "CORDON_TIMEOUT_MULTIPLIER",
    "XML_OUTPUT_FILE", "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS",
    "TEST_SHARD_STATUS_FILE", "TEST_PREMATURE_EXIT_FILE",
    "TESTBRIDGE_TEST_ONLY", "GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS",
    /* GitHub Actions' step summary is a report of the outer run too. */
    "GITHUB_STEP_SUMMARY",
};

/* scrub_one unsets the variable entry ("NAME=VALUE") names, keeping a
 * copy of the entry in kept when kept is not NULL. */
static void
scrub_one(const char *entry, struct cordon__buf *kept)
{
    const char *eq = strchr(entry, '=');
    char name[256];
    size_t len = eq != NULL ? (size_t)(eq - entry) : strlen(entry);

    if (len == 0 || len >= sizeof name)
        return;
    if (kept != NULL) /* NUL-separated: a value may hold any other byte */
        cordon__buf_add(kept, entry, strlen(entry) + 1);
    memcpy(name, entry, len);
    name[len] = '\0';
    unsetenv(name);
}

char *
cordon__testenv_scrub(bool keep)
{
    extern char **environ;
    struct cordon__buf kept = {0};
    bool again = true;

    /* Each unsetenv() may change environ: start over after every one. */
    while (again) {
        again = false;
        for (size_t i = 0; environ[i] != NULL; i++) {
            bool steers = false;

            for (size_t k = 0; !steers && k < sizeof steering /
                                                   sizeof steering[0];
                 k++) {
                size_t n = strlen(steering[k]);

                steers = strncmp(environ[i], steering[k], n) == 0 &&
                         environ[i][n] == '=';
            }
            if (steers) {
                scrub_one(environ[i], keep ? &kept : NULL);
                again = true;
                break;
            }
        }
    }
    if (kept.data != NULL)
        cordon__buf_add(&kept, "", 1); /* an empty entry ends the list */
    return kept.data;
}

void
cordon__testenv_unscrub(char *kept)
{
    for (char *entry = kept; entry != NULL && *entry != '\0';
         entry += strlen(entry) + 1) {
        char *eq = strchr(entry, '=');

        if (eq != NULL) {
            *eq = '\0';
            setenv(entry, eq + 1, 1);
            *eq = '=';
        }
    }
    free(kept);
}
