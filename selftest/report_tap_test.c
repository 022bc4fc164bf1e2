// SPDX-License-Identifier: MIT
// report_tap_test.c — selftests of the TAP report (--tap FILE, --tap -,
// CORDON_TAP): TAP version 13, the plan, one ok / not ok line per test in
// test order with its id, "# SKIP reason", and a YAML diagnostic block
// under every test that did not pass. The report is parsed here line by
// line, and handed to prove (Debian's perl) when it is installed.
#include <cordon.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char *const outcomes_env[] = {ST_ASAN_OPTIONS, NULL};

#define MAX_TESTS 32
#define MAX_KEYS 16

/* One test line of a TAP stream and the YAML block under it. */
struct tap_test {
    bool ok;
    long number;
    char id[256];
    char *skip; /* the reason after "# SKIP ", or NULL */
    size_t nkeys;
    char *keys[MAX_KEYS];
    char *values[MAX_KEYS];
};

struct tap {
    long plan;
    size_t n;
    struct tap_test tests[MAX_TESTS];
    size_t comments;
};

/* parse_tap reads a whole TAP 13 stream into t; every line must be the
 * version, the plan, a test line, a line of a YAML block under a test, or
 * a comment. */
static void
parse_tap(const char *text, struct tap *t)
{
    const char *p = text;
    size_t lineno = 0;
    bool in_yaml = false;

    memset(t, 0, sizeof *t);
    t->plan = -1;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, len);
        struct tap_test *cur = t->n > 0 ? &t->tests[t->n - 1] : NULL;

        lineno++;
        ASSERT_NOT_NULL(nl, "line %zu has no newline", lineno);
        for (size_t i = 0; i < len; i++)
            ASSERT_TRUE((unsigned char)line[i] >= 0x20 || line[i] == '\t',
                        "control byte 0x%02x in line %zu",
                        (unsigned char)line[i], lineno);
        if (lineno == 1) {
            ASSERT_STREQ(line, "TAP version 13");
        } else if (lineno == 2) {
            ASSERT_EQ(sscanf(line, "1..%ld", &t->plan), 1, "plan: %s", line);
        } else if (in_yaml) {
            ASSERT_EQ(strncmp(line, "  ", 2), 0, "YAML line %zu: %s", lineno,
                      line);
            if (strcmp(line, "  ...") == 0) {
                in_yaml = false;
            } else if (line[2] != ' ') {
                const char *colon = strstr(line, ": ");
                const char *bare = strchr(line, ':');

                ASSERT_NOT_NULL(bare, "YAML key line %zu: %s", lineno, line);
                ASSERT_LT(cur->nkeys, (size_t)MAX_KEYS);
                cur->keys[cur->nkeys] = strndup(line + 2,
                                                (size_t)(bare - line) - 2);
                cur->values[cur->nkeys] =
                    strdup(colon ? colon + 2 : bare + 1);
                cur->nkeys++;
            }
        } else if (strcmp(line, "  ---") == 0) {
            ASSERT_NOT_NULL(cur, "YAML before any test");
            ASSERT_EQ(cur->nkeys, (size_t)0, "two YAML blocks");
            in_yaml = true;
        } else if (line[0] == '#') {
            t->comments++;
        } else {
            struct tap_test *tt;
            const char *rest = line;
            const char *dash, *hash;
            char *end;

            ASSERT_LT(t->n, (size_t)MAX_TESTS);
            tt = &t->tests[t->n++];
            tt->ok = strncmp(rest, "ok ", 3) == 0;
            if (!tt->ok) {
                ASSERT_EQ(strncmp(rest, "not ok ", 7), 0, "line %zu: %s",
                          lineno, line);
                rest += 4;
            }
            tt->number = strtol(rest + 3, &end, 10);
            dash = end;
            ASSERT_EQ(strncmp(dash, " - ", 3), 0, "line %zu: %s", lineno,
                      line);
            hash = strstr(dash + 3, " # ");
            snprintf(tt->id, sizeof tt->id, "%.*s",
                     (int)(hash ? hash - dash - 3 : (long)strlen(dash + 3)),
                     dash + 3);
            if (hash != NULL) {
                ASSERT_EQ(strncmp(hash, " # SKIP ", 8), 0, "%s", line);
                tt->skip = strdup(hash + 8);
            }
        }
        free(line);
        p = nl + 1;
    }
    ASSERT_FALSE(in_yaml, "YAML block not closed");
}

static void
free_tap(struct tap *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->tests[i].skip);
        for (size_t k = 0; k < t->tests[i].nkeys; k++) {
            free(t->tests[i].keys[k]);
            free(t->tests[i].values[k]);
        }
    }
}

/* yaml returns the value of key in a test's YAML block, or NULL. */
static const char *
yaml(const struct tap_test *tt, const char *key)
{
    for (size_t k = 0; k < tt->nkeys; k++)
        if (strcmp(tt->keys[k], key) == 0)
            return tt->values[k];
    return NULL;
}

static const struct tap_test *
find(const struct tap *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->tests[i].id, id) == 0)
            return &t->tests[i];
    return NULL;
}

/* run_tap runs fixture with --tap DIR/report.tap and reads the file. */
struct tap_run {
    char *dir;
    char path[4096];
    struct st_run run;
    char *text;
};

static void
run_tap(struct tap_run *tr, const char *fixture, const char *extra,
        const char *const *env)
{
    const char *args[] = {"--tap", tr->path, extra, NULL};

    memset(tr, 0, sizeof *tr);
    tr->dir = st_tmpdir();
    ASSERT_NOT_NULL(tr->dir);
    snprintf(tr->path, sizeof tr->path, "%s/report.tap", tr->dir);
    ASSERT_EQ(st_run_fixture(&tr->run, fixture, args, env), 0);
    tr->text = st_read_file(tr->path, NULL);
    ASSERT_NOT_NULL(tr->text, "no TAP report; stderr: %s", tr->run.err);
}

static void
tap_done(struct tap_run *tr)
{
    free(tr->text);
    st_free(&tr->run);
    st_rmtree(tr->dir);
}

TEST(report_tap, plan_and_one_line_per_test_in_test_order)
{
    static const struct {
        const char *id;
        bool ok;
        const char *skip;
    } want[] = {
        {"alpha/prints_and_passes", true, NULL},
        {"beta/fails_twice", false, NULL},
        {"alpha/crashes", false, NULL},
        {"gamma/times_out", false, NULL},
        {"beta/exits_early", false, NULL},
        {"alpha/skips", true, "needs a <flux> & \"capacitor\""},
        {"gamma/disabled", true, "disabled"},
        {"beta/signal_expected", false, NULL},
        {"gamma/exit_expected", false, NULL},
        {"alpha/passes_quietly", true, NULL},
        {"gamma/from_second_file", true, NULL},
        {"alpha/from_second_file", false, NULL},
        {"delta/from_second_file", true, NULL},
    };
    size_t nwant = sizeof want / sizeof want[0];
    struct tap_run tr;
    struct tap t;

    run_tap(&tr, "report_outcomes", "-j3", outcomes_env);
    EXPECT_EQ(tr.run.code, 1, "stderr: %s", tr.run.err);
    parse_tap(tr.text, &t);
    EXPECT_EQ(t.plan, (long)nwant);
    ASSERT_EQ(t.n, nwant, "%s", tr.text);
    for (size_t i = 0; i < nwant; i++) {
        const struct tap_test *tt = &t.tests[i];

        EXPECT_EQ(tt->number, (long)i + 1);
        EXPECT_STREQ(tt->id, want[i].id);
        EXPECT_EQ(tt->ok, want[i].ok, "%s", want[i].id);
        if (want[i].skip != NULL)
            EXPECT_STREQ(tt->skip, want[i].skip, "%s", want[i].id);
        else
            EXPECT_NULL(tt->skip, "%s", want[i].id);
        /* A YAML block under exactly the tests that did not pass. */
        EXPECT_EQ(tt->nkeys > 0, !want[i].ok, "%s", want[i].id);
    }
    EXPECT_EQ(t.comments, (size_t)0, "no interruption, no comment");
    free_tap(&t);
    tap_done(&tr);
}

TEST(report_tap, yaml_diagnostics_of_failed_tests)
{
    static const struct {
        const char *id, *outcome, *signal, *needle;
    } want[] = {
        {"beta/fails_twice", "FAIL", NULL, "TEST(beta, fails_twice)"},
        {"alpha/crashes", "CRASH", "SIGSEGV", "TEST(alpha, crashes)"},
        {"gamma/times_out", "TIMEOUT", NULL, "TEST(gamma, times_out"},
        {"beta/exits_early", "EXIT", NULL, "TEST(beta, exits_early)"},
        {"beta/signal_expected", "FAIL", NULL, "TEST(beta, signal_expected"},
    };
    struct tap_run tr;
    struct tap t;

    run_tap(&tr, "report_outcomes", NULL, outcomes_env);
    parse_tap(tr.text, &t);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct tap_test *tt = find(&t, want[i].id);
        const char *v;
        char line[32];

        ASSERT_NOT_NULL(tt, "%s", want[i].id);
        EXPECT_STREQ(yaml(tt, "outcome"), want[i].outcome, "%s", tt->id);
        v = yaml(tt, "reason");
        EXPECT_TRUE(v != NULL && v[0] == '"' && strlen(v) > 2, "%s: %s",
                    tt->id, v ? v : "(none)");
        if (want[i].signal != NULL)
            EXPECT_STREQ(yaml(tt, "signal"), want[i].signal, "%s", tt->id);
        v = yaml(tt, "duration_ms");
        EXPECT_NOT_NULL(v, "%s", tt->id);
        if (v != NULL) {
            char *end;

            EXPECT_GE(strtod(v, &end), 0.0);
            EXPECT_EQ(*end, '\0', "duration_ms: %s", v);
        }
        v = yaml(tt, "file");
        EXPECT_TRUE(v != NULL && strstr(v, "fixtures/report_outcomes.c\"")
                    != NULL, "%s: file %s", tt->id, v ? v : "(none)");
        snprintf(line, sizeof line, "%d",
                 st_source_line("selftest/fixtures/report_outcomes.c",
                                want[i].needle));
        EXPECT_STREQ(yaml(tt, "line"), line, "%s", tt->id);
    }
    {
        const struct tap_test *tt = find(&t, "beta/fails_twice");
        const char *reason = yaml(tt, "reason");

        ASSERT_NOT_NULL(reason);
        EXPECT_NOT_NULL(strstr(reason, "EXPECT_EQ(1 + 1, 3) failed"), "%s",
                        reason);
        EXPECT_NOT_NULL(strstr(tr.text, "  failures: |\n    "), "%s",
                        tr.text);
        EXPECT_NOT_NULL(strstr(tr.text, "  stdout: |\n    beta printed "
                                        "before failing\n"));
    }
    free_tap(&t);
    tap_done(&tr);
}

/* drop_durations removes the value of every duration_ms line in place. */
static void
drop_durations(char *text)
{
    static const char key[] = "  duration_ms: ";
    char *w = text;

    for (const char *r = text; *r != '\0';) {
        if (strncmp(r, key, sizeof key - 1) == 0) {
            memmove(w, r, sizeof key - 1);
            w += sizeof key - 1;
            r += sizeof key - 1;
            while (*r != '\n' && *r != '\0')
                r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

TEST(report_tap, same_report_for_j1_and_jN_apart_from_durations)
{
    struct tap_run a, b;

    run_tap(&a, "report_outcomes", "-j1", outcomes_env);
    run_tap(&b, "report_outcomes", "-j4", outcomes_env);
    EXPECT_EQ(a.run.code, 1);
    EXPECT_EQ(b.run.code, 1);
    drop_durations(a.text);
    drop_durations(b.text);
    EXPECT_NOT_NULL(strstr(a.text, "  duration_ms: \n"));
    EXPECT_STREQ(a.text, b.text);
    tap_done(&a);
    tap_done(&b);
}

TEST(report_tap, dash_streams_to_stdout_and_moves_the_console)
{
    static const char *const args[] = {"--tap", "-", NULL};
    struct st_run r;
    struct tap t;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    parse_tap(r.out, &t);
    EXPECT_EQ(t.plan, 3);
    EXPECT_EQ(t.n, (size_t)3);
    EXPECT_EQ(st_count(r.out, "PASS"), (size_t)0, "console on stdout");
    EXPECT_EQ(st_count(r.err, "PASS  "), (size_t)3, "console: %s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "cordon: 3 passed, 0 failed, 0 skipped"));
    free_tap(&t);
    st_free(&r);
}

TEST(report_tap, environment_twin)
{
    char *dir = st_tmpdir();
    char path[4096], var[4200];
    const char *env[] = {var, NULL};
    struct st_run r;
    char *text;

    ASSERT_NOT_NULL(dir);
    snprintf(path, sizeof path, "%s/env.tap", dir);
    snprintf(var, sizeof var, "CORDON_TAP=%s", path);
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 0);
    text = st_read_file(path, NULL);
    ASSERT_NOT_NULL(text, "CORDON_TAP wrote nothing");
    EXPECT_EQ(strncmp(text, "TAP version 13\n1..3\n", 20), 0, "%s", text);
    free(text);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_tap, blocks_stay_yaml_when_output_starts_indented)
{
    struct tap_run tr;
    struct tap t;
    const struct tap_test *tt;

    run_tap(&tr, "xml_hostile", NULL, NULL);
    parse_tap(tr.text, &t);
    tt = find(&t, "xml_hostile/fails_after_indented_output");
    ASSERT_NOT_NULL(tt, "%s", tr.text);
    EXPECT_STREQ(yaml(tt, "stdout"),
                 "\"    indented first line\\n\\tthen a tab\\nthen plain\\n\"");
    EXPECT_STREQ(yaml(tt, "stderr"), "\"\\tstderr starts with a tab\\n\"");
    free_tap(&t);
    tap_done(&tr);
}

/* prove runs fixture with --tap into tr, as run_tap, and returns the exit
 * status of "prove -e cat" on the report, with what it printed in *said
 * (free it). Without prove the test skips. */
static int
prove(struct tap_run *tr, const char *fixture, const char *const *env,
      char **said)
{
    char *cmd;
    int status;

    if (!st_command_found("prove"))
        SKIP("prove not found (Debian: apt install perl)");
    run_tap(tr, fixture, NULL, env);
    cmd = st_format("prove -e cat '%s'", tr->path);
    status = st_shell(cmd, said);
    free(cmd);
    ASSERT_NOT_NULL(*said, "cannot run prove");
    return status;
}

TEST(report_tap, prove_agrees_on_a_failing_run)
{
    struct tap_run tr;
    char *said;
    int rc;

    rc = prove(&tr, "report_outcomes", outcomes_env, &said);
    EXPECT_NE(rc, 0, "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Failed tests:  2-5, 8-9, 12"), "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Tests: 13 Failed: 7"), "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Result: FAIL"), "%s", said);
    EXPECT_NULL(strstr(said, "Parse errors"), "%s", said);
    free(said);
    tap_done(&tr);
}

TEST(report_tap, prove_agrees_on_a_passing_run)
{
    struct tap_run tr;
    char *said;
    int rc;

    rc = prove(&tr, "pass", NULL, &said);
    EXPECT_EQ(rc, 0, "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Result: PASS"), "%s", said);
    free(said);
    tap_done(&tr);
}

TEST(report_tap, prove_reads_hostile_diagnostics)
{
    struct tap_run tr;
    char *said;
    int rc;

    rc = prove(&tr, "xml_hostile", NULL, &said);
    EXPECT_NE(rc, 0, "%s", said);
    EXPECT_NULL(strstr(said, "Parse errors"), "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Failed tests:  4, 6-7"), "%s", said);
    free(said);
    tap_done(&tr);
}
