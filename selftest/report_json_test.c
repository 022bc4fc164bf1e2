// SPDX-License-Identifier: MIT
// report_json_test.c — selftests of the JSON reports: the --json event
// stream (CORDON_JSON) and the CTRF report (--ctrf, CORDON_CTRF). Every
// line of the stream of fixtures/parts/json_events.c (every outcome,
// FLAKY under --retries 1, a once that passes and one that fails, bytes
// that are not UTF-8, an interrupted run) is validated against
// docs/cordon-events.schema.json, and the CTRF report against the CTRF
// schema kept beside the source tree (../shared/ctrf), by a real
// validator: python3-jsonschema, through selftest/json_reports.py. Their
// counts and ids must agree with the console's and JUnit's.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* run_all runs json_events with every outcome but the interruption, under
 * --retries 1, with args added (NULL-terminated, at most 6). */
static void
run_all(struct st_run *r, const char *dir, const char *const *more)
{
    char *env_dir = st_format("JSON_DIR=%s", dir);
    const char *env[] = {ST_ASAN_OPTIONS, env_dir, NULL};
    const char *args[12] = {"--filter", "-json_int/*", "--retries", "1",
                            "-j", "2"};
    size_t n = 6;

    for (; more != NULL && *more != NULL && n < 11; more++)
        args[n++] = *more;
    args[n] = NULL;
    ASSERT_EQ(st_run_fixture(r, "json_events", args, env), 0);
    free(env_dir);
}

TEST(report_json, every_event_is_valid_and_every_outcome_told, .timeout = 90)
{
    static const char *const finished[] = {
        "finished json/passes PASS", "finished json/flaky PASS flaky",
        "finished json/fails FAIL", "finished json/crashes CRASH",
        "finished json/times_out TIMEOUT", "finished json/exits EXIT",
        "finished json/skips SKIP", "finished json/disabled SKIP",
        "finished json/errors ERROR",
        "finished json/prints_hostile_bytes FAIL",
        "finished json_once/runs PASS",
        "finished json_once_fails/never_runs FAIL",
        /* Each attempt starts; a disabled test or one whose once failed
         * never does. */
        "started json/flaky 1", "started json/flaky 2",
        "started json_once/runs 1",
        "once json_once started", "once json_once finished PASS",
        "once json_once_fails started", "once json_once_fails finished FAIL",
        "run-finished 12 3 7 2 1 1 None",
    };
    char *dir = st_tmpdir(), *path, *said;
    const char *more[3] = {"--json", NULL, NULL};
    struct st_run r;

    st_need_jsonschema(false);
    ASSERT_NOT_NULL(dir);
    path = st_format("%s/events.jsonl", dir);
    more[1] = path;
    run_all(&r, dir, more);
    EXPECT_EQ(r.code, 1, "stderr: %s", r.err);
    said = st_json_check("events", ST_EVENTS_SCHEMA, path);
    for (size_t i = 0; i < sizeof finished / sizeof finished[0]; i++)
        EXPECT_TRUE(st_has_line(said, finished[i]), "no '%s' in\n%s",
                    finished[i], said);
    EXPECT_NULL(st_line(said, "started json/disabled"), "%s", said);
    EXPECT_NULL(st_line(said, "started json_once_fails/"), "%s", said);
    /* Bytes that are not UTF-8 in the \xNN form; a NUL too; the escape
     * sequence dropped; valid UTF-8 kept. */
    EXPECT_TRUE(st_has_line(said, "stdout json/prints_hostile_bytes "
                                  "\"bad \\\\xFF\\\\xFE utf8 \\\\xC3( nul "
                                  "[\\\\x00] bell \\\\x07 esc red "
                                  "\\\"quote\\\" back\\\\slash "
                                  "caf\\u00e9\\n\""),
                "%s", said);
    EXPECT_NOT_NULL(strstr(said, "hostile \\\\xFF byte in a message"), "%s",
                    said);
    free(said);
    free(path);
    st_free(&r);
    st_rmtree(dir);
}

/* A result is told when it arrives, not in test order: with two jobs,
 * json/times_out (0.3 s) ends after the tests that come after it. */
TEST(report_json, results_are_told_as_they_arrive, .timeout = 90)
{
    char *dir = st_tmpdir(), *path, *said, *slow, *fast;
    const char *more[3] = {"--json", NULL, NULL};
    struct st_run r;

    st_need_jsonschema(false);
    ASSERT_NOT_NULL(dir);
    path = st_format("%s/events.jsonl", dir);
    more[1] = path;
    run_all(&r, dir, more);
    said = st_json_check("events", ST_EVENTS_SCHEMA, path);
    slow = strstr(said, "finished json/times_out");
    fast = strstr(said, "finished json/skips");
    ASSERT_NOT_NULL(slow, "%s", said);
    ASSERT_NOT_NULL(fast, "%s", said);
    EXPECT_TRUE(fast < slow, "json/skips was told after json/times_out:\n%s",
                said);
    /* The console keeps test order. */
    EXPECT_TRUE(strstr(r.out, "json/times_out") <
                    strstr(r.out, "json/skips"),
                "%s", r.out);
    free(said);
    free(path);
    st_free(&r);
    st_rmtree(dir);
}

/* junit_sum adds attribute name of every testsuite of x. */
static long
junit_sum(struct st_xml *x, const char *name)
{
    char *xpath = st_format("sum(//testsuite/@%s)", name);
    char *v = st_xml_string(x, xpath);
    long n = v != NULL ? strtol(v, NULL, 10) : -1;

    free(v);
    free(xpath);
    return n;
}

TEST(report_json, counts_and_ids_agree_with_junit_and_console,
     .timeout = 90)
{
    char *dir = st_tmpdir(), *events, *junit, *said;
    const char *more[5] = {"--json", NULL, "--junit", NULL, NULL};
    char **names, **suites, why[512];
    struct st_xml *x;
    struct st_run r;
    size_t n, nsuites;

    st_need_jsonschema(false);
    ASSERT_NOT_NULL(dir);
    events = st_format("%s/events.jsonl", dir);
    junit = st_format("%s/junit.xml", dir);
    more[1] = events;
    more[3] = junit;
    run_all(&r, dir, more);
    said = st_json_check("events", ST_EVENTS_SCHEMA, events);
    x = st_xml_load(junit, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    /* tests passed failed skipped flaky exit, as the console counts. */
    EXPECT_TRUE(st_has_line(r.out, "cordon: 3 passed, 7 failed, 2 skipped"),
                "%s", r.out);
    EXPECT_TRUE(st_has_line(said, "run-finished 12 3 7 2 1 1 None"), "%s",
                said);
    EXPECT_EQ(junit_sum(x, "tests"), 12L);
    EXPECT_EQ(junit_sum(x, "failures") + junit_sum(x, "errors"), 7L);
    EXPECT_EQ(junit_sum(x, "skipped"), 2L);
    /* Every test JUnit names the stream finished once, and no other. */
    names = st_xml_strings(x, "//testcase/@name", &n);
    suites = st_xml_strings(x, "//testcase/@classname", &nsuites);
    ASSERT_NOT_NULL(names);
    ASSERT_NOT_NULL(suites);
    ASSERT_EQ(n, nsuites);
    EXPECT_EQ(n, st_count(said, "finished "), "%s", said);
    for (size_t i = 0; i < n; i++) {
        char *line = st_format("finished %s/%s ", suites[i], names[i]);

        EXPECT_EQ(st_count(said, line), (size_t)1, "%s in\n%s", line, said);
        free(line);
    }
    st_xml_strings_free(names);
    st_xml_strings_free(suites);
    st_xml_free(x);
    free(said);
    free(events);
    free(junit);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_json, an_interrupted_run_ends_with_run_finished, .timeout = 90)
{
    char *dir = st_tmpdir(), *events, *ctrf, *said;
    const char *env[] = {"JSON_INTERRUPT=1", NULL};
    const char *args[] = {"--filter", "json_int/*", "-j", "1", "--json",
                          NULL, "--ctrf", NULL, NULL};
    struct st_run r;

    st_need_jsonschema(false);
    ASSERT_NOT_NULL(dir);
    events = st_format("%s/events.jsonl", dir);
    ctrf = st_format("%s/ctrf.json", dir);
    args[5] = events;
    args[7] = ctrf;
    ASSERT_EQ(st_run_fixture(&r, "json_events", args, env), 0);
    EXPECT_EQ(r.code, 130, "stderr: %s", r.err);
    said = st_json_check("events", ST_EVENTS_SCHEMA, events);
    EXPECT_TRUE(st_has_line(said, "finished json_int/interrupts "
                                  "INTERRUPTED"), "%s", said);
    EXPECT_TRUE(st_has_line(said, "finished json_int/after SKIP"), "%s",
                said);
    EXPECT_TRUE(st_has_line(said, "run-finished 2 0 1 1 0 130 SIGINT"),
                "%s", said);
    free(said);
    if (access(ST_CTRF_SCHEMA, R_OK) == 0) {
        said = st_json_check("ctrf", ST_CTRF_SCHEMA, ctrf);
        EXPECT_TRUE(st_has_line(said, "test json_int/interrupts other "
                                      "INTERRUPTED"), "%s", said);
        EXPECT_TRUE(st_has_line(said, "test json_int/after skipped SKIP"),
                    "%s", said);
        EXPECT_TRUE(st_has_line(said, "summary 2 0 0 1 0 1 0"), "%s", said);
        free(said);
    }
    free(events);
    free(ctrf);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_json, dash_streams_to_stdout_and_the_console_to_stderr,
     .timeout = 60)
{
    char *dir = st_tmpdir(), *path, *said;
    const char *args[] = {"--filter", "json/passes", "--json", "-", NULL};
    struct st_run r;

    st_need_jsonschema(false);
    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(st_run_fixture(&r, "json_events", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    path = st_format("%s/stdout.jsonl", dir);
    st_write_file(path, r.out);
    said = st_json_check("events", ST_EVENTS_SCHEMA, path);
    EXPECT_TRUE(st_has_line(said, "events 4"), "%s", said);
    EXPECT_NOT_NULL(strstr(r.err, "cordon: 1 passed"), "%s", r.err);
    free(said);
    free(path);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_json, the_variables_name_the_files, .timeout = 60)
{
    char *dir = st_tmpdir(), *json_var, *ctrf_var, *text;
    const char *args[] = {"--filter", "json/passes", NULL};
    const char *env[3];
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    json_var = st_format("CORDON_JSON=%s/e.jsonl", dir);
    ctrf_var = st_format("CORDON_CTRF=%s/c.json", dir);
    env[0] = json_var;
    env[1] = ctrf_var;
    env[2] = NULL;
    ASSERT_EQ(st_run_fixture(&r, "json_events", args, env), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    text = st_read_file(strchr(json_var, '=') + 1, NULL);
    EXPECT_NOT_NULL(text, "CORDON_JSON wrote nothing");
    EXPECT_NOT_NULL(text ? strstr(text, "\"event\":\"run-finished\"") : NULL,
                    "%s", text ? text : "");
    free(text);
    text = st_read_file(strchr(ctrf_var, '=') + 1, NULL);
    EXPECT_NOT_NULL(text, "CORDON_CTRF wrote nothing");
    EXPECT_NOT_NULL(text ? strstr(text, "\"reportFormat\":\"CTRF\"") : NULL,
                    "%s", text ? text : "");
    free(text);
    free(json_var);
    free(ctrf_var);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_json, two_reports_cannot_share_stdout_or_a_file, .timeout = 60)
{
    const char *on_stdout[] = {"--json", "-", "--ctrf", "-", NULL};
    const char *one_file[] = {"--json", "r.json", "--ctrf", "./r.json",
                              NULL};
    const char *missing[] = {"--json", "no/such/dir/e.jsonl", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "json_events", on_stdout, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NOT_NULL(strstr(r.err, "--ctrf - and --json - both want stdout"),
                    "%s", r.err);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "json_events", one_file, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NOT_NULL(strstr(r.err, "are the same file"), "%s", r.err);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "json_events", missing, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NOT_NULL(strstr(r.err, "cannot write JSON event stream "
                                  "'no/such/dir/e.jsonl': No such file or "
                                  "directory (create the directory"),
                    "%s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0, "%s", r.out);
    st_free(&r);
}

TEST(report_ctrf, is_valid_ctrf_with_each_outcome_mapped, .timeout = 90)
{
    static const char *const want[] = {
        "test json/passes passed PASS",
        "test json/flaky passed FLAKY flaky",
        "test json/fails failed FAIL",
        "test json/crashes failed CRASH",
        "test json/times_out failed TIMEOUT",
        "test json/exits failed EXIT",
        "test json/skips skipped SKIP",
        "test json/disabled skipped SKIP",
        "test json/errors failed ERROR",
        "test json/prints_hostile_bytes failed FAIL",
        "test json_once/runs passed PASS",
        "test json_once_fails/never_runs failed FAIL",
        "summary 12 3 7 2 0 0 1",
    };
    char *dir = st_tmpdir(), *path, *said;
    const char *more[3] = {"--ctrf", NULL, NULL};
    struct st_run r;

    st_need_jsonschema(true);
    ASSERT_NOT_NULL(dir);
    path = st_format("%s/ctrf.json", dir);
    more[1] = path;
    run_all(&r, dir, more);
    EXPECT_EQ(r.code, 1, "stderr: %s", r.err);
    said = st_json_check("ctrf", ST_CTRF_SCHEMA, path);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        EXPECT_TRUE(st_has_line(said, want[i]), "no '%s' in\n%s", want[i],
                    said);
    /* In test order, as every file report. */
    EXPECT_TRUE(strstr(said, "json/times_out") < strstr(said, "json/skips"),
                "%s", said);
    free(said);
    free(path);
    st_free(&r);
    st_rmtree(dir);
}
