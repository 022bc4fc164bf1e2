// SPDX-License-Identifier: MIT
// report_junit_test.c — selftests of the JUnit report (--junit FILE,
// CORDON_JUNIT): its shape, one <testsuite> per suite in first-test order,
// the failure/error/skipped elements and their types, captured output,
// time attributes, the same file for -j1 and -jN, schema validity, and
// "--junit -" on stdout. Every report is parsed with libxml2 and
// questioned with XPath.
#include <cordon.h>

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* report_outcomes crashes and exits on purpose (see ST_ASAN_OPTIONS). */
static const char *const outcomes_env[] = {ST_ASAN_OPTIONS, NULL};

struct junit_run {
    char *dir;
    char path[4096];
    struct st_run run;
    struct st_xml *xml;
};

/* run_junit runs fixture with "--junit DIR/report.xml" and extra (up to
 * eight args) and parses the report; the test ends if there is none. */
static void
run_junit(struct junit_run *j, const char *fixture, const char *const *extra,
          const char *const *env)
{
    const char *args[12];
    size_t n = 0;
    char why[512] = "";

    memset(j, 0, sizeof *j);
    j->dir = st_tmpdir();
    ASSERT_NOT_NULL(j->dir);
    snprintf(j->path, sizeof j->path, "%s/report.xml", j->dir);
    args[n++] = "--junit";
    args[n++] = j->path;
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 11; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    ASSERT_EQ(st_run_fixture(&j->run, fixture, args, env), 0);
    j->xml = st_xml_load(j->path, why, sizeof why);
    ASSERT_NOT_NULL(j->xml, "%s is missing or malformed (%s); stderr: %s",
                    j->path, why, j->run.err);
}

static void
junit_done(struct junit_run *j)
{
    st_xml_free(j->xml);
    st_free(&j->run);
    st_rmtree(j->dir);
}

/* value returns the XPath string value of a printf-built expression;
 * free() it. */
static char *
value(struct junit_run *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *
value(struct junit_run *j, const char *fmt, ...)
{
    char xpath[1024];
    va_list ap;
    char *s;

    va_start(ap, fmt);
    vsnprintf(xpath, sizeof xpath, fmt, ap);
    va_end(ap);
    s = st_xml_string(j->xml, xpath);
    ASSERT_NOT_NULL(s, "bad XPath %s", xpath);
    return s;
}

/* EXPECT_VALUE checks one XPath string value. */
#define EXPECT_VALUE(j, expected, ...)                                        \
    do {                                                                      \
        char *got_ = value(j, __VA_ARGS__);                                   \
        EXPECT_STREQ(got_, expected, __VA_ARGS__);                            \
        free(got_);                                                           \
    } while (0)

/* case_path returns the XPath of the testcase with id "suite/name"
 * (static storage: one at a time). */
static const char *
case_path(const char *id)
{
    static char buf[512];
    const char *slash = strchr(id, '/');

    snprintf(buf, sizeof buf,
             "/testsuites/testsuite[@name='%.*s']/testcase[@name='%s']",
             (int)(slash - id), id, slash + 1);
    return buf;
}

/* expect_verdict checks the one child element that says how a test ended:
 * element is "failure", "error", "skipped" or NULL (passed), with its type
 * and message when given. */
static void
expect_verdict(struct junit_run *j, const char *id, const char *element,
               const char *type, const char *message)
{
    char xp[640];

    ASSERT_EQ(st_xml_count(j->xml, case_path(id)), (size_t)1,
              "%s must appear once", id);
    snprintf(xp, sizeof xp, "%s/*[self::failure or self::error or "
             "self::skipped]", case_path(id));
    EXPECT_EQ(st_xml_count(j->xml, xp), (size_t)(element != NULL),
              "verdict elements of %s", id);
    if (element == NULL)
        return;
    snprintf(xp, sizeof xp, "%s/%s", case_path(id), element);
    EXPECT_EQ(st_xml_count(j->xml, xp), (size_t)1, "%s has no <%s>", id,
              element);
    if (type != NULL)
        EXPECT_VALUE(j, type, "string(%s/@type)", xp);
    if (message != NULL)
        EXPECT_VALUE(j, message, "string(%s/@message)", xp);
}

/* expect_list checks the string values an XPath selects, in order. */
static void
expect_list(struct junit_run *j, const char *xpath,
            const char *const *expected)
{
    size_t n = 0, want = 0;
    char **got = st_xml_strings(j->xml, xpath, &n);

    while (expected[want] != NULL)
        want++;
    ASSERT_NOT_NULL(got, "bad XPath %s", xpath);
    EXPECT_EQ(n, want, "%s", xpath);
    for (size_t i = 0; i < n && i < want; i++)
        EXPECT_STREQ(got[i], expected[i], "%s, item %zu", xpath, i + 1);
    st_xml_strings_free(got);
}

TEST(report_junit, one_testsuite_per_suite_in_first_test_order)
{
    static const char *const suites[] = {"alpha", "beta", "gamma", "delta",
                                         NULL};
    static const char *const alpha[] = {"prints_and_passes", "crashes",
                                        "skips", "passes_quietly",
                                        "from_second_file", NULL};
    static const char *const beta[] = {"fails_twice", "exits_early",
                                       "signal_expected", NULL};
    static const char *const gamma[] = {"times_out", "disabled",
                                        "exit_expected", "from_second_file",
                                        NULL};
    static const char *const args[] = {"-j3", NULL};
    struct junit_run j;

    run_junit(&j, "report_outcomes", args, outcomes_env);
    EXPECT_EQ(j.run.code, 1, "stderr: %s", j.run.err);
    EXPECT_VALUE(&j, "report_outcomes", "string(/testsuites/@name)");
    expect_list(&j, "/testsuites/testsuite/@name", suites);
    expect_list(&j, "/testsuites/testsuite[@name='alpha']/testcase/@name",
                alpha);
    expect_list(&j, "/testsuites/testsuite[@name='beta']/testcase/@name",
                beta);
    expect_list(&j, "/testsuites/testsuite[@name='gamma']/testcase/@name",
                gamma);
    /* Nothing but suites under the root, nothing but its properties and
     * cases under those (their verdicts and output under the cases). */
    EXPECT_EQ(st_xml_count(j.xml, "/testsuites/*[not(self::testsuite)]"),
              (size_t)0);
    EXPECT_EQ(st_xml_count(j.xml, "//testsuite/*[not(self::testcase)]"
                                  "[not(self::properties)]"),
              (size_t)0);
    EXPECT_EQ(st_xml_count(j.xml, "//testsuite/*[1][not(self::properties)]"),
              (size_t)0, "the properties come first");
    EXPECT_EQ(st_xml_count(j.xml, "//testcase[@classname != ../@name]"),
              (size_t)0, "classname must be the suite");
    junit_done(&j);
}

TEST(report_junit, counts_match_the_elements)
{
    struct junit_run j;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    EXPECT_VALUE(&j, "13", "string(sum(//testsuite/@tests))");
    EXPECT_VALUE(&j, "4", "string(sum(//testsuite/@failures))");
    EXPECT_VALUE(&j, "3", "string(sum(//testsuite/@errors))");
    /* Every suite's numbers are those of its own elements. */
    EXPECT_EQ(st_xml_count(j.xml, "//testsuite[@tests != count(testcase) or "
                                  "@failures != count(testcase[failure]) or "
                                  "@errors != count(testcase[error]) or "
                                  "@skipped != count(testcase[skipped])]"),
              (size_t)0);
    EXPECT_EQ(st_xml_count(j.xml, "//testsuite[not(@timestamp) or "
                                  "not(@hostname) or not(@time)]"),
              (size_t)0);
    EXPECT_VALUE(&j, "2", "string(sum(//testsuite/@skipped))");
    junit_done(&j);
}

/* A reader that takes counts on <testsuites> for the whole run's
 * (test-results-parser) counts every skipped test as passed, since
 * junit-10.xsd gives that element no skipped attribute; without counts
 * there, it adds up the suites', which have all four. */
TEST(report_junit, root_has_no_counts_that_leave_skips_out)
{
    struct junit_run j;
    char why[512] = "";

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    EXPECT_EQ(st_xml_count(j.xml, "/testsuites/@*"), (size_t)2,
              "only name and time");
    EXPECT_VALUE(&j, "report_outcomes", "string(/testsuites/@name)");
    EXPECT_EQ(st_xml_count(j.xml, "/testsuites/@time"), (size_t)1);
    EXPECT_VALUE(&j, "2", "string(sum(//testsuite/@skipped))");
    EXPECT_VALUE(&j, "4", "string(sum(//testsuite/@tests) - "
                          "sum(//testsuite/@skipped) - "
                          "sum(//testsuite/@failures) - "
                          "sum(//testsuite/@errors))");
    EXPECT_EQ(st_xml_count(j.xml, "//testcase[not(failure or error or "
                                  "skipped)]"), (size_t)4, "passed");
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(j.xml, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s", why);
    junit_done(&j);
}

TEST(report_junit, verdict_elements_and_types)
{
    struct junit_run j;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    expect_verdict(&j, "alpha/prints_and_passes", NULL, NULL, NULL);
    expect_verdict(&j, "alpha/passes_quietly", NULL, NULL, NULL);
    expect_verdict(&j, "delta/from_second_file", NULL, NULL, NULL);
    expect_verdict(&j, "beta/fails_twice", "failure", "assertion", NULL);
    expect_verdict(&j, "alpha/crashes", "error", "SIGSEGV",
                   "killed by SIGSEGV (Segmentation fault)");
    expect_verdict(&j, "gamma/times_out", "error", "timeout", NULL);
    expect_verdict(&j, "beta/exits_early", "error", "exit", NULL);
    expect_verdict(&j, "alpha/skips", "skipped", NULL,
                   "needs a <flux> & \"capacitor\"");
    expect_verdict(&j, "gamma/disabled", "skipped", NULL, "disabled");
    expect_verdict(&j, "beta/signal_expected", "failure", "expected-signal",
                   "expected SIGABRT, test returned");
    expect_verdict(&j, "gamma/exit_expected", "failure", "expected-exit",
                   "expected exit status 4, test returned");
    expect_verdict(&j, "alpha/from_second_file", "failure", "assertion",
                   NULL);
    junit_done(&j);
}

TEST(report_junit, failure_message_is_the_first_failure_on_one_line)
{
    struct junit_run j;
    char *msg, *body;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    msg = value(&j, "string(%s/failure/@message)", case_path("beta/fails_twice"));
    body = value(&j, "string(%s/failure)", case_path("beta/fails_twice"));
    EXPECT_NOT_NULL(strstr(msg, "report_outcomes.c:"), "%s", msg);
    EXPECT_NOT_NULL(strstr(msg, "EXPECT_EQ(1 + 1, 3) failed: expected 1 + 1 == "
                                "3, but 1 + 1 is 2 -- arithmetic"), "%s", msg);
    EXPECT_NULL(strstr(msg, "EXPECT_STREQ"), "only the first: %s", msg);
    /* The text holds every failure, one a line. */
    EXPECT_NOT_NULL(strstr(body, msg), "%s", body);
    EXPECT_NOT_NULL(strstr(body, "EXPECT_STREQ(\"left\", \"right\") failed"),
                    "%s", body);
    EXPECT_EQ(st_count(body, "/"), (size_t)2, "%s", body);
    free(msg);
    free(body);

    /* A message of several lines becomes one line in the attribute. */
    msg = value(&j, "string(%s/failure/@message)", case_path("alpha/from_second_file"));
    body = value(&j, "string(%s/failure)", case_path("alpha/from_second_file"));
    EXPECT_NULL(strchr(msg, '\n'), "message: %s", msg);
    EXPECT_NULL(strchr(msg, '\r'), "message: %s", msg);
    EXPECT_NOT_NULL(strstr(msg, "first line of the message"), "%s", msg);
    EXPECT_NOT_NULL(strstr(body, "first line of the message\nsecond line"),
                    "%s", body);
    free(msg);
    free(body);
    junit_done(&j);
}

TEST(report_junit, captured_output_on_every_test_that_printed)
{
    struct junit_run j;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    /* Passing tests keep their output in the report too. */
    EXPECT_VALUE(&j, "out of alpha <&> \"quoted\"\n",
                 "string(%s/system-out)", case_path("alpha/prints_and_passes"));
    EXPECT_VALUE(&j, "err of alpha\n",
                 "string(%s/system-err)", case_path("alpha/prints_and_passes"));
    EXPECT_VALUE(&j, "beta printed before failing\n",
                 "string(%s/system-out)", case_path("beta/fails_twice"));
    /* Only tests that printed: the others have neither element (but for
     * the line qemu-user prints for a program it runs that a signal
     * killed). */
    EXPECT_EQ(st_xml_count(j.xml, "//system-out"), (size_t)2);
    EXPECT_EQ(st_xml_count(j.xml, "//system-err[not(starts-with(., "
                                  "'qemu: uncaught target signal '))]"),
              (size_t)1);
    junit_done(&j);
}

TEST(report_junit, time_and_timestamp_formats)
{
    struct junit_run j;
    regex_t re;
    size_t n = 0;
    char **times;
    char *timeout;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    ASSERT_EQ(regcomp(&re, "^[0-9]+(\\.[0-9]{1,3})?$", REG_EXTENDED), 0);
    times = st_xml_strings(j.xml, "//@time", &n);
    ASSERT_NOT_NULL(times);
    EXPECT_EQ(n, (size_t)(1 + 4 + 13), "one on the root, each suite, case");
    for (size_t i = 0; i < n; i++)
        EXPECT_EQ(regexec(&re, times[i], 0, NULL, 0), 0, "time=\"%s\"",
                  times[i]);
    st_xml_strings_free(times);
    regfree(&re);
    /* timestamp: when the run began, ISO 8601 without a zone (UTC). */
    ASSERT_EQ(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                           "[0-9]{2}$", REG_EXTENDED), 0);
    times = st_xml_strings(j.xml, "//@timestamp", &n);
    ASSERT_NOT_NULL(times);
    EXPECT_EQ(n, (size_t)4, "one per suite");
    for (size_t i = 0; i < n; i++)
        EXPECT_EQ(regexec(&re, times[i], 0, NULL, 0), 0, "timestamp=\"%s\"",
                  times[i]);
    timeout = value(&j, "string(%s/@time)", case_path("gamma/times_out"));
    EXPECT_GE(strtod(timeout, NULL), 0.3, "the 0.3 s timeout test");
    free(timeout);
    st_xml_strings_free(times);
    regfree(&re);
    junit_done(&j);
}

/* timestamp has seconds only; two runs of one test in one second (a
 * rerun under CTest) are told apart by cordon-junit-merge with the
 * cordon.started property, the same instant to the nanosecond. */
TEST(report_junit, each_suite_says_when_the_run_began_to_the_nanosecond)
{
    struct junit_run j;
    regex_t re;
    size_t n = 0, m = 0;
    char **started, **stamps;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    ASSERT_EQ(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                           "[0-9]{2}\\.[0-9]{9}Z$", REG_EXTENDED), 0);
    started = st_xml_strings(j.xml, "//testsuite/properties/property"
                                    "[@name='cordon.started']/@value", &n);
    stamps = st_xml_strings(j.xml, "//testsuite/@timestamp", &m);
    ASSERT_NOT_NULL(started);
    ASSERT_NOT_NULL(stamps);
    EXPECT_EQ(n, (size_t)4, "one per suite");
    EXPECT_EQ(m, n);
    EXPECT_EQ(st_xml_count(j.xml, "//testsuite[count(properties) != 1]"),
              (size_t)0);
    for (size_t i = 0; i < n && i < m; i++) {
        EXPECT_EQ(regexec(&re, started[i], 0, NULL, 0), 0, "started=\"%s\"",
                  started[i]);
        EXPECT_EQ(strncmp(started[i], stamps[i], strlen(stamps[i])), 0,
                  "%s is not %s", started[i], stamps[i]);
        EXPECT_STREQ(started[i], started[0], "one run, one instant");
    }
    st_xml_strings_free(started);
    st_xml_strings_free(stamps);
    regfree(&re);
    junit_done(&j);
}

TEST(report_junit, file_and_line_attributes)
{
    struct junit_run j;
    char *file, *line, *more;

    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    file = value(&j, "string(%s/@file)", case_path("beta/fails_twice"));
    line = value(&j, "string(%s/@line)", case_path("beta/fails_twice"));
    more = value(&j, "string(%s/@file)", case_path("delta/from_second_file"));
    EXPECT_NOT_NULL(strstr(file, "fixtures/report_outcomes.c"), "%s", file);
    EXPECT_NOT_NULL(strstr(more, "fixtures/report_outcomes_more.c"), "%s",
                    more);
    /* The line of TEST(beta, fails_twice) in the fixture. */
    EXPECT_EQ(strtol(line, NULL, 10),
              (long)st_source_line("selftest/fixtures/report_outcomes.c",
                                   "TEST(beta, fails_twice)"));
    free(file);
    free(line);
    free(more);
    junit_done(&j);
}

/* without_timing returns the raw report text with every time, timestamp
 * and hostname attribute, and the value of each property (the run's
 * start), cut out; free() it. */
static char *
without_timing(const char *path)
{
    char *text = st_read_file(path, NULL);
    regex_t re;
    regmatch_t m;
    char *at;

    ASSERT_NOT_NULL(text, "%s", path);
    ASSERT_EQ(regcomp(&re, " (time|timestamp|hostname|value)=\"[^\"]*\"",
                      REG_EXTENDED), 0);
    for (at = text; regexec(&re, at, 1, &m, 0) == 0;) {
        memmove(at + m.rm_so, at + m.rm_eo, strlen(at + m.rm_eo) + 1);
        at += m.rm_so;
    }
    regfree(&re);
    return text;
}

TEST(report_junit, same_file_for_j1_and_jN)
{
    static const char *const j1[] = {"-j1", NULL};
    static const char *const j4[] = {"-j4", NULL};
    static const char *const timing[] = {"time", "timestamp", "hostname",
                                         "value", NULL};
    struct junit_run a, b;
    char *sa, *sb;

    run_junit(&a, "report_outcomes", j1, outcomes_env);
    run_junit(&b, "report_outcomes", j4, outcomes_env);
    sa = st_xml_without(a.xml, timing);
    sb = st_xml_without(b.xml, timing);
    ASSERT_NOT_NULL(sa);
    ASSERT_NOT_NULL(sb);
    EXPECT_STREQ(sa, sb);
    free(sa);
    free(sb);
    /* Byte for byte, not only as parsed. */
    sa = without_timing(a.path);
    sb = without_timing(b.path);
    EXPECT_NULL(strstr(sa, "time="), "%s", sa);
    EXPECT_STREQ(sa, sb);
    free(sa);
    free(sb);
    junit_done(&a);
    junit_done(&b);
}

TEST(report_junit, validates_against_the_junit_schema)
{
    struct junit_run j;
    char why[512] = "";

    if (!st_schema_present())
        SKIP("JUnit schema absent: %s", ST_JUNIT_XSD);
    run_junit(&j, "report_outcomes", NULL, outcomes_env);
    EXPECT_EQ(st_xml_validate(j.xml, ST_JUNIT_XSD, why, sizeof why), 0,
              "%s", why);
    junit_done(&j);
}

TEST(report_junit, schema_check_rejects_an_invalid_report)
{
    char *dir = st_tmpdir();
    char path[4096], why[512] = "";
    struct st_xml *x;

    if (!st_schema_present())
        SKIP("JUnit schema absent: %s", ST_JUNIT_XSD);
    ASSERT_NOT_NULL(dir);
    snprintf(path, sizeof path, "%s/bad.xml", dir);
    /* A testcase without its required name, in a suite without counts. */
    st_write_file(path, "<testsuites><testsuite name=\"s\"><testcase "
                        "classname=\"s\"/></testsuite></testsuites>\n");
    x = st_xml_load(path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 1);
    st_xml_free(x);
    st_rmtree(dir);
}

TEST(report_junit, all_pass_run)
{
    static const char *const suites[] = {"pass", "other", NULL};
    struct junit_run j;
    char why[512] = "";

    run_junit(&j, "pass", NULL, NULL);
    EXPECT_EQ(j.run.code, 0, "stderr: %s", j.run.err);
    EXPECT_VALUE(&j, "3", "string(sum(//testsuite/@tests))");
    EXPECT_VALUE(&j, "0", "string(sum(//testsuite/@failures))");
    EXPECT_VALUE(&j, "0", "string(sum(//testsuite/@errors))");
    expect_list(&j, "/testsuites/testsuite/@name", suites);
    EXPECT_EQ(st_xml_count(j.xml, "//failure|//error|//skipped"),
              (size_t)0);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(j.xml, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s", why);
    junit_done(&j);
}

TEST(report_junit, environment_twin_and_flag_precedence)
{
    char *dir = st_tmpdir();
    char env_path[4096], flag_path[4096], env_var[4200];
    const char *env[] = {env_var, NULL};
    const char *args[] = {"--junit", flag_path, NULL};
    struct st_run r;
    char *xml;

    ASSERT_NOT_NULL(dir);
    snprintf(env_path, sizeof env_path, "%s/env.xml", dir);
    snprintf(flag_path, sizeof flag_path, "%s/flag.xml", dir);
    snprintf(env_var, sizeof env_var, "CORDON_JUNIT=%s", env_path);

    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    xml = st_read_file(env_path, NULL);
    EXPECT_NOT_NULL(xml, "CORDON_JUNIT wrote no report");
    if (xml != NULL)
        EXPECT_NOT_NULL(strstr(xml, "<testsuites"));
    free(xml);
    st_free(&r);
    unlink(env_path);

    /* The flag wins over its twin: only the flag's file is written. */
    ASSERT_EQ(st_run_fixture(&r, "pass", args, env), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    EXPECT_EQ(access(flag_path, F_OK), 0, "--junit wrote no report");
    EXPECT_EQ(access(env_path, F_OK), -1, "CORDON_JUNIT won over --junit");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_junit, dash_streams_to_stdout_and_moves_the_console)
{
    static const char *const args[] = {"--junit", "-", NULL};
    char *dir = st_tmpdir();
    char path[4096], why[256] = "";
    struct st_run r;
    struct st_xml *x;
    FILE *f;

    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    EXPECT_EQ(strncmp(r.out, "<?xml", 5), 0, "stdout: %s", r.out);
    EXPECT_EQ(st_count(r.out, "PASS"), (size_t)0, "console on stdout");
    EXPECT_EQ(st_count(r.err, "PASS  "), (size_t)3, "console: %s", r.err);
    /* stdout parses as the report. */
    snprintf(path, sizeof path, "%s/stdout.xml", dir);
    f = fopen(path, "w");
    ASSERT_NOT_NULL(f);
    fwrite(r.out, 1, r.out_len, f);
    ASSERT_EQ(fclose(f), 0);
    x = st_xml_load(path, why, sizeof why);
    EXPECT_NOT_NULL(x, "%s", why);
    if (x != NULL)
        EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)3);
    st_xml_free(x);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_junit, two_reports_cannot_share_stdout)
{
    static const char *const args[] = {"--junit", "-", "--tap", "-", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: --junit - and --tap - both want "
                              "stdout"), (size_t)1, "%s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0, "no test may run: %s", r.out);
    st_free(&r);
}
