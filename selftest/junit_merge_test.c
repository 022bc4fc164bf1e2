// SPDX-License-Identifier: MIT
// junit_merge_test.c — selftests of cordon-junit-merge, which makes one
// JUnit report of the reports in a --junit-dir (one per CTest test, or
// per run of any selection): the merge of the parts of a run is the
// report of the whole run but for times; the report of a test's latest
// run wins, by when the runs began, then file times, then the outcome
// that did not pass, in any order of the arguments; the reports of two
// binaries keep their suites apart; a merged report is not merged again
// from a directory and counts once when named; the merged file is valid
// against the schema; and every bad input is one line and exit status
// 2. Each report is parsed with libxml2 and asked with XPath.
#include <cordon.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* merge runs cordon-junit-merge with the shell words of the printf-built
 * arguments, its stdout into *out (stderr into *err); returns its exit
 * status. */
static int
merge(char **out, char **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
merge(char **out, char **err, const char *fmt, ...)
{
    char *words, *cmd, *errfile, *shown = NULL;
    char dir_template[] = "/tmp/cordon-merge-err-XXXXXX";
    int status, n;
    va_list ap;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ASSERT_GE(n, 0);
    words = malloc((size_t)n + 1);
    ASSERT_NOT_NULL(words);
    va_start(ap, fmt);
    vsnprintf(words, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ASSERT_NOT_NULL(mkdtemp(dir_template));
    errfile = st_format("%s/err", dir_template);
    /* In a subshell: st_shell sends the command's stderr to stdout. */
    cmd = st_format("('%s' %s 2>'%s')", CORDON_JUNIT_MERGE, words, errfile);
    status = st_shell(cmd, &shown);
    *out = shown;
    *err = st_read_file(errfile, NULL);
    if (*err == NULL)
        *err = strdup("");
    unlink(errfile);
    rmdir(dir_template);
    free(errfile);
    free(cmd);
    free(words);
    return status;
}

/* run_parts runs fixture with args, its report in dir (CORDON_JUNIT_DIR);
 * more is one more NAME=VALUE or NULL. */
static void
run_parts(const char *fixture, const char *const *args, const char *dir,
          const char *more)
{
    char *var = st_format("CORDON_JUNIT_DIR=%s", dir);
    const char *env[] = {ST_ASAN_OPTIONS, var, more, NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, fixture, args, env), 0);
    EXPECT_TRUE(r.code == 0 || r.code == 1 || r.code == 77, "exit %d: %s",
                r.code, r.err);
    st_free(&r);
    free(var);
}

/* load parses the report at path and checks it against the schema. */
static struct st_xml *
load(const char *path)
{
    char why[512] = "";
    struct st_xml *x = st_xml_load(path, why, sizeof why);

    ASSERT_NOT_NULL(x, "%s: %s", path, why);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s: %s", path, why);
    return x;
}

static void
expect_value(struct st_xml *x, const char *xpath, const char *want)
{
    char *got = st_xml_string(x, xpath);

    EXPECT_STREQ(got, want, "%s", xpath);
    free(got);
}

/* rm_rf removes dir and everything in it, and frees dir. */
static void
rm_rf(char *dir)
{
    char *cmd = st_format("rm -rf '%s'", dir), *out = NULL;

    EXPECT_EQ(st_shell(cmd, &out), 0, "%s", out);
    free(out);
    free(cmd);
    free(dir);
}

TEST(junit_merge, the_parts_of_a_run_merge_into_the_report_of_the_whole)
{
    static const char *const timing[] = {"time", "timestamp", "hostname",
                                         NULL};
    static const char *const alpha[] = {"--filter", "alpha/*", NULL};
    static const char *const rest[] = {"--filter", "-alpha/*", NULL};
    const char *whole_args[] = {"--junit", NULL, NULL};
    char *dir = st_tmpdir(), *parts, *whole, *merged, *out, *err;
    char *a, *b;
    struct st_xml *x, *y;

    ASSERT_NOT_NULL(dir);
    parts = st_format("%s/parts", dir);
    whole = st_format("%s/whole.xml", dir);
    merged = st_format("%s/merged.xml", dir);
    run_parts("report_outcomes", alpha, parts, NULL);
    run_parts("report_outcomes", rest, parts, NULL);
    whole_args[1] = whole;
    run_parts("report_outcomes", whole_args, dir, NULL);

    EXPECT_EQ(merge(&out, &err, "-o '%s' '%s'", merged, parts), 0, "%s",
              err);
    EXPECT_STREQ(out, "");
    EXPECT_STREQ(err, "");
    free(out);
    free(err);
    x = load(merged);
    y = load(whole);
    expect_value(x, "count(//testcase)", "13");
    expect_value(x, "sum(//testsuite/@tests)", "13");
    expect_value(x, "sum(//testsuite/@failures)", "4");
    expect_value(x, "sum(//testsuite/@errors)", "3");
    expect_value(x, "sum(//testsuite/@skipped)", "2");
    EXPECT_EQ(st_xml_count(x, "//testsuite[@tests != count(testcase) or "
                              "@failures != count(testcase[failure]) or "
                              "@errors != count(testcase[error]) or "
                              "@skipped != count(testcase[skipped])]"),
              (size_t)0);
    /* Apart from times and properties (when each run began), the report
     * cordon writes of the whole run. */
    EXPECT_EQ(st_xml_remove(y, "//testsuite/properties"), (size_t)4);
    st_xml_remove(x, "//testsuite/properties");
    a = st_xml_without(x, timing);
    b = st_xml_without(y, timing);
    EXPECT_STREQ(a, b);
    free(a);
    free(b);
    st_xml_free(x);
    st_xml_free(y);
    free(parts);
    free(whole);
    free(merged);
    rm_rf(dir);
}

/* JAN_2024 is 2024-01-01T00:00:00Z, a modification time for files. */
#define JAN_2024 ((time_t)1704067200)

/* set_mtime sets the modification time of path to when. */
static void
set_mtime(const char *path, time_t when)
{
    struct timespec t[2] = {{.tv_sec = when}, {.tv_sec = when}};

    ASSERT_EQ(utimensat(AT_FDCWD, path, t, 0), 0, "%s", path);
}

/* merged merges the reports the shell words args name into file, which
 * it checks against the schema, and returns the file's text; free() it. */
static char *
merged(const char *file, const char *args)
{
    char *out, *err, *text;

    EXPECT_EQ(merge(&out, &err, "-o '%s' %s", file, args), 0, "%s: %s",
              args, err);
    EXPECT_STREQ(err, "", "%s", args);
    free(out);
    free(err);
    st_xml_free(load(file));
    text = st_read_file(file, NULL);
    ASSERT_NOT_NULL(text, "%s", file);
    return text;
}

/* expect_in_file checks the XPath string value of want in the report at
 * path. */
static void
expect_in_file(const char *path, const char *xpath, const char *want)
{
    struct st_xml *x = load(path);

    expect_value(x, xpath, want);
    st_xml_free(x);
}

TEST(junit_merge, the_latest_run_of_a_test_wins_whatever_the_file_times)
{
    static const char *const once[] = {"--test", "retries/fails_once", NULL};
    static const char *const two[] = {"--test", "retries/fails_once",
                                      "--test", "retries/passes", NULL};
    char *dir = st_tmpdir(), *parts, *counter, *var, *all, *first, *second,
         *cmd, *name, *a, *b, *c;

    ASSERT_NOT_NULL(dir);
    parts = st_format("%s/parts", dir);
    counter = st_format("%s/runs", dir);
    all = st_format("%s/all.xml", dir);
    ASSERT_EQ(mkdir(counter, 0700), 0);
    var = st_format("RETRIES_DIR=%s", counter);
    /* Its first run fails, its second, a report of its own, passes. */
    run_parts("retries", once, parts, var);
    cmd = st_format("cd '%s' && ls", parts);
    ASSERT_EQ(st_shell(cmd, &name), 0);
    name[strcspn(name, "\n")] = '\0';
    first = st_format("%s/%s", parts, name);
    free(cmd);
    run_parts("retries", two, parts, var);
    cmd = st_format("cd '%s' && ls | grep -vxF '%s'", parts, name);
    free(name);
    ASSERT_EQ(st_shell(cmd, &name), 0);
    name[strcspn(name, "\n")] = '\0';
    second = st_format("%s/%s", parts, name);
    free(name);
    free(cmd);

    /* One modification time for both, as cp or a CI artifact download
     * leaves them: the second run still wins, in any order. */
    set_mtime(first, JAN_2024);
    set_mtime(second, JAN_2024);
    cmd = st_format("'%s'", parts);
    a = merged(all, cmd);
    free(cmd);
    expect_in_file(all, "count(//testcase)", "2");
    expect_in_file(all, "count(//testcase[@name='fails_once'])", "1");
    expect_in_file(all, "count(//testcase[@name='fails_once']/failure)",
                   "0");
    expect_in_file(all, "string(//testcase[@name='fails_once']/system-out)",
                   "run 2\n");
    cmd = st_format("'%s' '%s'", first, second);
    b = merged(all, cmd);
    free(cmd);
    cmd = st_format("'%s' '%s'", second, first);
    c = merged(all, cmd);
    free(cmd);
    EXPECT_STREQ(a, b);
    EXPECT_STREQ(b, c);
    free(a);
    free(b);
    free(c);

    /* The first file written last: its run is still the earlier. */
    set_mtime(first, JAN_2024 + 3600);
    cmd = st_format("'%s'", parts);
    free(merged(all, cmd));
    free(cmd);
    expect_in_file(all, "count(//testcase[@name='fails_once']/failure)",
                   "0");
    free(first);
    free(second);
    free(var);
    free(counter);
    free(parts);
    free(all);
    rm_rf(dir);
}

/* report writes at path, as another tool might, a report of one test of
 * suite s, name: its suite's timestamp stamp and, unless NULL, the
 * cordon.started property started; verdict "" (passed) or the element
 * of its outcome; a time of 1 s for the test and its suite, 5 s for the
 * run (its start-up); and when as the file's modification time. */
static void
report(const char *path, const char *name, const char *stamp,
       const char *started, const char *verdict, time_t when)
{
    char *props = started != NULL
                      ? st_format("\n    <properties><property name=\""
                                  "cordon.started\" value=\"%s\"/>"
                                  "</properties>",
                                  started)
                      : strdup("");
    char *text = st_format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"tool\" time=\"5.000\">\n"
        "  <testsuite name=\"s\" tests=\"1\" failures=\"%d\" errors=\"0\" "
        "skipped=\"%d\" time=\"1.000\" timestamp=\"%s\" hostname=\"h\">%s\n"
        "    <testcase name=\"%s\" classname=\"s\" time=\"1.000\">%s"
        "</testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n",
        strstr(verdict, "<failure") != NULL,
        strstr(verdict, "<skipped") != NULL, stamp, props, name, verdict);

    st_write_file(path, text);
    set_mtime(path, when);
    free(text);
    free(props);
}

#define FAILED "<failure message=\"m\" type=\"assertion\">m</failure>"

/* expect_winner merges a and b, in both orders, and checks the outcome
 * of test c: "failure", "skipped" or "passed"; both orders give one file,
 * byte for byte. */
static void
expect_winner(const char *dir, const char *a, const char *b,
              const char *want)
{
    char *all = st_format("%s/all.xml", dir), *args, *ab, *ba, *got;
    struct st_xml *x;

    args = st_format("'%s' '%s'", a, b);
    ab = merged(all, args);
    free(args);
    x = load(all);
    got = st_xml_string(x, "name(//testcase[@name='c']/*[1])");
    EXPECT_STREQ(got[0] != '\0' ? got : "passed", want, "%s then %s", a, b);
    expect_value(x, "count(//testcase)", "1");
    free(got);
    st_xml_free(x);
    args = st_format("'%s' '%s'", b, a);
    ba = merged(all, args);
    free(args);
    EXPECT_STREQ(ab, ba, "the order of %s and %s", a, b);
    free(ab);
    free(ba);
    free(all);
}

TEST(junit_merge, a_reports_run_time_comes_before_its_file_time)
{
    char *dir = st_tmpdir(), *a, *b;

    ASSERT_NOT_NULL(dir);
    a = st_format("%s/a.xml", dir);
    b = st_format("%s/b.xml", dir);
    /* 09:00 UTC failed, 10:00 UTC passed, written in the other order. */
    report(a, "c", "2024-01-01T11:00:00+02:00", NULL, FAILED,
           JAN_2024 + 7200);
    report(b, "c", "2024-01-01T10:00:00", NULL, "", JAN_2024);
    expect_winner(dir, a, b, "passed");
    /* In one second, cordon.started tells which run came last. */
    report(a, "c", "2024-01-01T10:00:00",
           "2024-01-01T10:00:00.900000000Z", FAILED, JAN_2024);
    report(b, "c", "2024-01-01T10:00:00",
           "2024-01-01T10:00:00.100000000Z", "", JAN_2024 + 7200);
    expect_winner(dir, a, b, "failure");
    /* Runs that began together: the file written last wins. */
    report(a, "c", "2024-01-01T10:00:00", NULL, FAILED, JAN_2024);
    report(b, "c", "2024-01-01T10:00:00", NULL, "", JAN_2024 + 1);
    expect_winner(dir, a, b, "passed");
    set_mtime(a, JAN_2024 + 2);
    expect_winner(dir, a, b, "failure");
    /* A report of no time at all is older than any that has one. */
    report(a, "c", "", NULL, FAILED, JAN_2024 + 7200);
    report(b, "c", "2024-01-01T10:00:00", NULL, "", JAN_2024);
    expect_winner(dir, a, b, "passed");
    free(a);
    free(b);
    rm_rf(dir);
}

TEST(junit_merge, on_a_full_tie_the_outcome_that_did_not_pass_wins)
{
    char *dir = st_tmpdir(), *a, *b;

    ASSERT_NOT_NULL(dir);
    a = st_format("%s/a.xml", dir);
    b = st_format("%s/b.xml", dir);
    report(a, "c", "2024-01-01T10:00:00", "2024-01-01T10:00:00.5Z", FAILED,
           JAN_2024);
    report(b, "c", "2024-01-01T10:00:00", "2024-01-01T10:00:00.5Z", "",
           JAN_2024);
    expect_winner(dir, a, b, "failure");
    report(a, "c", "2024-01-01T10:00:00", NULL, "<skipped/>", JAN_2024);
    report(b, "c", "2024-01-01T10:00:00", NULL, "", JAN_2024);
    expect_winner(dir, a, b, "skipped");
    report(a, "c", "2024-01-01T10:00:00", NULL, "<skipped/>", JAN_2024);
    report(b, "c", "2024-01-01T10:00:00", NULL, FAILED, JAN_2024);
    expect_winner(dir, a, b, "failure");
    free(a);
    free(b);
    rm_rf(dir);
}

TEST(junit_merge, two_binaries_keep_their_suites_apart)
{
    char *dir = st_tmpdir(), *parts, *copy, *cmd, *out, *err;
    struct st_xml *x;

    ASSERT_NOT_NULL(dir);
    parts = st_format("%s/parts", dir);
    copy = st_format("%s/pass_again", dir);
    cmd = st_format("cp '%s' '%s'", st_fixture("pass"), copy);
    ASSERT_EQ(st_shell(cmd, &out), 0, "%s", out);
    free(out);
    free(cmd);
    run_parts("pass", NULL, parts, NULL);
    /* The same tests in a binary of another name. */
    cmd = st_format("cd '%s' && CORDON_JUNIT_DIR='%s' ./pass_again "
                    ">/dev/null", dir, parts);
    EXPECT_EQ(st_shell(cmd, &out), 0, "%s", out);
    free(out);
    free(cmd);

    EXPECT_EQ(merge(&out, &err, "'%s'", parts), 0, "%s", err);
    ASSERT_NOT_NULL(out);
    cmd = st_format("%s/merged.xml", dir);
    st_write_file(cmd, out);
    free(out);
    free(err);
    x = load(cmd);
    free(cmd);
    expect_value(x, "count(//testcase)", "6");
    expect_value(x, "count(//testsuite)", "4");
    expect_value(x, "count(//testsuite[@name='pass'])", "2");
    expect_value(x, "count(//testsuite[@name='pass'][@tests=2])", "2");
    /* The root's name is one binary's only when every report is its. */
    EXPECT_EQ(st_xml_count(x, "/testsuites/@name"), (size_t)0);
    st_xml_free(x);
    free(copy);
    free(parts);
    rm_rf(dir);
}

/* ROOT_TIME_IS_THE_SUITES is true when the root's time is the sum of
 * its suites' (each written with three decimals). */
#define ROOT_TIME_IS_THE_SUITES                                               \
    "string(-0.0005 < /testsuites/@time - sum(//testsuite/@time) and "      \
    "/testsuites/@time - sum(//testsuite/@time) < 0.0005)"

TEST(junit_merge, its_own_output_in_the_directory_is_not_merged_again)
{
    char *dir = st_tmpdir(), *all, *cmd, *out, *err;
    struct st_xml *x;

    ASSERT_NOT_NULL(dir);
    all = st_format("%s/all.xml", dir);
    run_parts("pass", NULL, dir, NULL);
    for (int i = 0; i < 3; i++) {
        EXPECT_EQ(merge(&out, &err, "-o '%s' '%s'", all, dir), 0, "%s",
                  err);
        free(out);
        free(err);
        /* Nor is it under another name. */
        cmd = st_format("cp '%s' '%s/copy%d.xml'", all, dir, i);
        EXPECT_EQ(st_shell(cmd, &out), 0, "%s", out);
        free(out);
        free(cmd);
    }
    x = load(all);
    expect_value(x, "count(//testcase)", "3");
    expect_value(x, "string(/testsuites/@name)", "pass");
    expect_value(x, ROOT_TIME_IS_THE_SUITES, "true");
    /* Each suite says it is merged. */
    EXPECT_EQ(st_xml_count(x, "//testsuite[not(properties/property"
                              "[@name='cordon.merged'])]"),
              (size_t)0);
    st_xml_free(x);
    free(all);
    rm_rf(dir);
}

/* Named as a FILE, the output is read: -o all.xml all.xml DIR brings
 * all.xml up to date. Alone, it is the one report, and none is left to
 * sort (qsort() of no elements, with no array). */
TEST(junit_merge, the_output_named_as_the_only_report)
{
    char *dir = st_tmpdir(), *all, *cmd, *out, *err;

    ASSERT_NOT_NULL(dir);
    all = st_format("%s/all.xml", dir);
    run_parts("pass", NULL, dir, NULL);
    cmd = st_format("mv '%s'/pass.*.xml '%s'", dir, all);
    ASSERT_EQ(st_shell(cmd, &out), 0, "%s", out);
    free(out);
    free(cmd);
    EXPECT_EQ(merge(&out, &err, "-o '%s' '%s'", all, all), 0, "%s", err);
    EXPECT_STREQ(err, "");
    free(out);
    free(err);
    expect_in_file(all, "count(//testcase)", "3");
    free(all);
    rm_rf(dir);
}

/* expect_refusal runs the merge with args and checks it exits 2 with one
 * line on stderr that starts with start, and writes nothing on stdout. */
static void
expect_refusal(const char *args, const char *start)
{
    char *out, *err;

    EXPECT_EQ(merge(&out, &err, "%s", args), 2, "%s: %s", args, err);
    EXPECT_EQ(strncmp(err, start, strlen(start)), 0, "%s: %s", args, err);
    EXPECT_EQ(st_count(err, ""), (size_t)1, "one line: %s", err);
    EXPECT_STREQ(out, "", "%s", args);
    free(out);
    free(err);
}

TEST(junit_merge, bad_input_is_one_line_and_exit_2)
{
    char *dir = st_tmpdir(), *args, *empty;

    ASSERT_NOT_NULL(dir);
    expect_refusal("", "cordon-junit-merge: no reports to merge (usage: "
                       "cordon-junit-merge [-o FILE] DIR|FILE...)");
    expect_refusal("--bogus", "cordon-junit-merge: unknown option "
                              "'--bogus' (see --help)");
    expect_refusal("-o", "cordon-junit-merge: -o needs a value (see "
                         "--help)");

    args = st_format("'%s/none'", dir);
    expect_refusal(args, "cordon-junit-merge: cannot read ");
    free(args);

    empty = st_format("%s/empty", dir);
    ASSERT_EQ(mkdir(empty, 0700), 0);
    args = st_format("'%s'", empty);
    expect_refusal(args, "cordon-junit-merge: no JUnit report (*.xml) in ");
    free(args);

    args = st_format("%s/bad.xml", dir);
    st_write_file(args, "<testsuites><testsuite name=\"s\"");
    free(args);
    args = st_format("'%s/bad.xml'", dir);
    expect_refusal(args, "cordon-junit-merge: cannot read ");
    free(args);

    args = st_format("%s/other.xml", dir);
    st_write_file(args, "<html><body/></html>\n");
    free(args);
    args = st_format("'%s/other.xml'", dir);
    expect_refusal(args, "cordon-junit-merge: ");
    free(args);

    run_parts("pass", NULL, empty, NULL);
    args = st_format("-o '%s/no/such/dir/all.xml' '%s'", dir, empty);
    expect_refusal(args, "cordon-junit-merge: cannot write ");
    free(args);
    free(empty);
    rm_rf(dir);
}

/* A merged report named as a FILE is read like any report, as run when
 * the latest run in it began; the root's time is its suites', so no time
 * is counted twice when the reports it was made of are read again. A
 * directory's merged reports are not read. */
TEST(junit_merge, a_merged_report_named_as_a_file_counts_once)
{
    char *dir = st_tmpdir(), *parts, *only, *all, *again, *path, *args;
    struct st_xml *x;

    ASSERT_NOT_NULL(dir);
    parts = st_format("%s/parts", dir);
    only = st_format("%s/only", dir);
    all = st_format("%s/all.xml", dir);
    again = st_format("%s/again.xml", dir);
    ASSERT_EQ(mkdir(parts, 0700), 0);
    ASSERT_EQ(mkdir(only, 0700), 0);
    path = st_format("%s/a.xml", parts);
    report(path, "c1", "2024-01-01T10:00:00",
           "2024-01-01T10:00:00.100000000Z", "", JAN_2024);
    free(path);
    path = st_format("%s/b.xml", parts);
    report(path, "c2", "2024-01-01T10:00:00",
           "2024-01-01T10:00:00.200000000Z", FAILED, JAN_2024);
    free(path);

    args = st_format("'%s'", parts);
    free(merged(all, args));
    free(args);
    x = load(all);
    expect_value(x, "string(/testsuites/@time)", "2.000");
    expect_value(x, "string(//testsuite/@time)", "2.000");
    expect_value(x, "string(//testsuite/properties/property"
                    "[@name='cordon.merged']/@value)",
                 "2");
    expect_value(x, "string(//testsuite/properties/property"
                    "[@name='cordon.started']/@value)",
                 "2024-01-01T10:00:00.200000000Z");
    st_xml_free(x);

    /* With the reports it holds: each test once, its time once. */
    args = st_format("'%s' '%s'", all, parts);
    free(merged(again, args));
    x = load(again);
    expect_value(x, "count(//testcase)", "2");
    expect_value(x, "count(//testcase[@name='c2']/failure)", "1");
    expect_value(x, "string(/testsuites/@time)", "2.000");
    st_xml_free(x);

    /* A rerun after the merge wins over the merged report. */
    path = st_format("%s/b2.xml", parts);
    report(path, "c2", "2024-01-01T10:00:01",
           "2024-01-01T10:00:01.000000000Z", "", JAN_2024);
    free(path);
    free(merged(again, args));
    free(args);
    x = load(again);
    expect_value(x, "count(//testcase)", "2");
    expect_value(x, "count(//testcase[@name='c2']/failure)", "0");
    expect_value(x, "string(/testsuites/@time)", "2.000");
    st_xml_free(x);

    /* In a directory, a merged report is left out: alone, it is none. */
    path = st_format("cp '%s' '%s' && cp '%s' '%s'", all, parts, all, only);
    EXPECT_EQ(st_shell(path, &args), 0, "%s", args);
    free(args);
    free(path);
    args = st_format("'%s'", parts);
    free(merged(again, args));
    free(args);
    expect_in_file(again, "string(/testsuites/@time)", "2.000");
    args = st_format("'%s'", only);
    path = st_format("cordon-junit-merge: no report to merge in '%s', only "
                     "merged ones (name a merged report as a FILE to merge "
                     "it again)",
                     only);
    expect_refusal(args, path);
    free(path);
    free(args);
    free(again);
    free(all);
    free(only);
    free(parts);
    rm_rf(dir);
}

TEST(junit_merge, help_and_version)
{
    char *out, *err, *last;

    EXPECT_EQ(merge(&out, &err, "--help"), 0);
    last = st_last_line(out);
    EXPECT_STREQ(last, "written.", "%s", out);
    free(last);
    EXPECT_EQ(strncmp(out, "usage: cordon-junit-merge [-o FILE] "
                           "DIR|FILE...\n", 48), 0, "%s", out);
    free(out);
    free(err);
    EXPECT_EQ(merge(&out, &err, "--version"), 0);
    EXPECT_EQ(strncmp(out, "cordon-junit-merge ", 19), 0, "%s", out);
    free(out);
    free(err);
}
