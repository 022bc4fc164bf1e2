// SPDX-License-Identifier: MIT
// report_html_test.c — selftests of the HTML report (--html FILE,
// CORDON_HTML). The report_html fixture has every outcome in one run; its
// HTML report is parsed as XML with libxml2 (it must be well-formed) and
// questioned with XPath against the JUnit report of the same run: the same
// ids with the same verdicts and counts. Hostile output stays text, no
// address leads outside the file, the timeline has a bar per attempt and
// per suite once. A headless Chromium, where there is one, loads the file:
// the script runs without error, the DOM has the counts and a crash's
// backtrace, the filter filters; its screenshot is build/html-report.png.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* The fixture crashes on purpose (see ST_ASAN_OPTIONS). */
static const char *const html_env[] = {ST_ASAN_OPTIONS, NULL};

/* The outcomes as the report names them, with the count the fixture
 * gives each. */
static const struct {
    const char *key;
    const char *word;
    long count;
} outcomes[] = {
    {"pass", "PASS", 4},       {"flaky", "FLAKY", 1},
    {"fail", "FAIL", 1},       {"crash", "CRASH", 1},
    {"timeout", "TIMEOUT", 1}, {"exit", "EXIT", 1},
    {"skip", "SKIP", 2},       {"error", "ERROR", 1},
    {"interrupted", "INTERRUPTED", 1},
};

struct html_run {
    char *dir;
    char html[4096];
    char junit[4096];
    struct st_run run;
    struct st_xml *page;  /* the HTML report, parsed as XML */
    struct st_xml *junit_xml;
    char *text;           /* the HTML report's bytes */
    size_t len;
};

/* run_html runs the report_html fixture with -j3 and both reports, and
 * parses them; the test ends if either is missing or not well-formed. */
static void
run_html(struct html_run *h)
{
    const char *args[] = {"-j3", "--html", h->html, "--junit", h->junit,
                          NULL};
    char why[512] = "";

    memset(h, 0, sizeof *h);
    h->dir = st_tmpdir();
    ASSERT_NOT_NULL(h->dir);
    snprintf(h->html, sizeof h->html, "%s/report.html", h->dir);
    snprintf(h->junit, sizeof h->junit, "%s/report.xml", h->dir);
    ASSERT_EQ(st_run_fixture(&h->run, "report_html", args, html_env), 0);
    /* The fixture interrupts its own run with SIGINT. */
    EXPECT_EQ(h->run.code, 130, "stdout: %s\nstderr: %s", h->run.out,
              h->run.err);
    h->text = st_read_file(h->html, &h->len);
    ASSERT_NOT_NULL(h->text, "no HTML report: %s", h->run.err);
    h->page = st_xml_load(h->html, why, sizeof why);
    ASSERT_NOT_NULL(h->page, "the HTML report is not well-formed XML: %s",
                    why);
    h->junit_xml = st_xml_load(h->junit, why, sizeof why);
    ASSERT_NOT_NULL(h->junit_xml, "%s", why);
}

static void
html_free(struct html_run *h)
{
    st_xml_free(h->page);
    st_xml_free(h->junit_xml);
    free(h->text);
    st_free(&h->run);
    st_rmtree(h->dir);
}

/* The JUnit element that says a verdict, by the HTML report's key: a
 * flaky test has flakyFailure, a pass none at all. */
static const char *
junit_verdict(const char *key)
{
    if (strcmp(key, "pass") == 0)
        return "not(failure or error or skipped or flakyFailure or "
               "flakyError)";
    if (strcmp(key, "flaky") == 0)
        return "(flakyFailure or flakyError) and not(failure or error)";
    if (strcmp(key, "fail") == 0)
        return "failure";
    if (strcmp(key, "skip") == 0)
        return "skipped";
    if (strcmp(key, "crash") == 0)
        return "error[@type='SIGSEGV']";
    if (strcmp(key, "error") == 0)
        return "error[@type='teardown']";
    return NULL; /* error[@type=key]: timeout, exit, interrupted */
}

/* Every outcome is there, with the fixture's count, in the list, in the
 * counts at the top and in the JUnit report of the same run; every row's
 * test has the same verdict there. */
TEST(report_html, every_outcome_counts_as_in_junit, .timeout = 60)
{
    struct html_run h;
    size_t rows;

    run_html(&h);
    rows = st_xml_count(h.page, "//table[@id='list']/tbody/tr");
    EXPECT_EQ(rows, (size_t)13);
    EXPECT_EQ(st_xml_number(h.junit_xml, "count(//testcase)"), (long)rows);
    for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++) {
        const char *key = outcomes[i].key;
        const char *verdict = junit_verdict(key);
        char *xp = st_format("count(//table[@id='list']/tbody/tr[@class="
                             "'k-%s'])", key);
        char *jx = verdict != NULL
                       ? st_format("count(//testcase[%s])", verdict)
                       : st_format("count(//testcase[error[@type='%s']])",
                                   key);
        char *cx = st_format("string(//ul[@id='counts']/li[@data-outcome="
                             "'%s']/@data-count)", outcomes[i].word);
        char *ids = st_format("//table[@id='list']/tbody/tr[@class='k-%s']"
                              "/td[2]", key);
        char **id;
        size_t n;

        EXPECT_EQ(st_xml_number(h.page, xp), outcomes[i].count, "%s", key);
        EXPECT_EQ(st_xml_number(h.junit_xml, jx), outcomes[i].count, "%s", jx);
        EXPECT_EQ(st_xml_number(h.page, cx), outcomes[i].count, "%s", cx);
        /* Each of those tests has that verdict in JUnit too. */
        id = st_xml_strings(h.page, ids, &n);
        ASSERT_NOT_NULL(id);
        for (size_t j = 0; j < n; j++) {
            char *slash = strchr(id[j], '/');
            char *one;

            ASSERT_NOT_NULL(slash, "%s", id[j]);
            *slash = '\0';
            one = verdict != NULL
                      ? st_format("count(//testsuite[@name='%s']/testcase"
                                  "[@name='%s'][%s])", id[j], slash + 1,
                                  verdict)
                      : st_format("count(//testsuite[@name='%s']/testcase"
                                  "[@name='%s'][error[@type='%s']])",
                                  id[j], slash + 1, key);
            EXPECT_EQ(st_xml_number(h.junit_xml, one), 1L, "%s", one);
            free(one);
        }
        st_xml_strings_free(id);
        free(ids);
        free(cx);
        free(jx);
        free(xp);
    }
    html_free(&h);
}

/* The page says the console's summary, word for word. */
TEST(report_html, the_summary_is_the_consoles, .timeout = 60)
{
    struct html_run h;
    char *summary, *totals, *line;

    run_html(&h);
    summary = st_xml_string(h.page, "string(//p[@id='summary'])");
    totals = st_xml_string(h.page, "string(//p[@id='totals'])");
    ASSERT_NOT_NULL(summary);
    ASSERT_NOT_NULL(totals);
    line = st_line(h.run.out, "cordon: 13 tests in ");
    EXPECT_STREQ(summary, line, "console:\n%s", h.run.out);
    EXPECT_TRUE(st_has_line(h.run.out, totals), "%s", totals);
    EXPECT_STREQ(totals, "cordon: 5 passed, 6 failed, 2 skipped");
    free(line);
    free(summary);
    free(totals);
    html_free(&h);
}

/* What tests print, and their messages, stay text: one script (the
 * report's own), no escape or NUL byte, the hostile markup readable as
 * it was printed; nothing is fetched from anywhere. */
TEST(report_html, hostile_output_stays_text, .timeout = 60)
{
    struct html_run h;
    char *out;

    run_html(&h);
    EXPECT_EQ(h.len, strlen(h.text), "a NUL byte in the report");
    EXPECT_NULL(strchr(h.text, '\033'), "an escape byte in the report");
    EXPECT_EQ(st_xml_count(h.page, "//script"), (size_t)1);
    EXPECT_EQ(st_xml_count(h.page, "//*[@src]"), (size_t)0);
    EXPECT_EQ(st_xml_count(h.page, "//@href[not(starts-with(., '#'))]"),
              (size_t)0);
    EXPECT_EQ(st_xml_count(h.page, "//link | //iframe | //object | //img"),
              (size_t)0);
    EXPECT_NULL(strstr(h.text, "http:"));
    EXPECT_NULL(strstr(h.text, "https:"));
    EXPECT_NULL(strstr(h.text, "url("));
    EXPECT_NULL(strstr(h.text, "@import"));
    out = st_xml_string(h.page, "string(//details[summary/code="
                                "'html/fails']/pre[@class='out'])");
    ASSERT_NOT_NULL(out);
    EXPECT_NOT_NULL(strstr(out, "</script><script>document.body.dataset."
                                "pwned = 1</script>\n"), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "]]> <!-- not a comment --> <![CDATA["),
                    "%s", out);
    EXPECT_NOT_NULL(strstr(out, "invalid UTF-8: \\xFF\\xFE"), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "escape: red"), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "a NUL here:\\x00:after it"), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "&amp; &lt;b&gt;"), "%s", out);
    free(out);
    html_free(&h);
}

/* A crash's story: the commands that rerun and debug it, where it was,
 * its frames as the JUnit report has them. */
TEST(report_html, a_crash_tells_its_story, .timeout = 60)
{
    struct html_run h;
    char *rerun, *frames, *address, *junit, *want, *first;

    run_html(&h);
    rerun = st_xml_string(h.page, "string(//details[summary/code="
                                  "'html/crashes']/pre[@class='rerun'])");
    frames = st_xml_string(h.page, "string(//details[summary/code="
                                   "'html/crashes']/pre[@class="
                                   "'backtrace'])");
    address = st_xml_string(h.page, "string(//details[summary/code="
                                    "'html/crashes']/pre[@class="
                                    "'address'])");
    junit = st_xml_string(h.junit_xml, "string(//testcase[@name='crashes']"
                                       "/error)");
    ASSERT_NOT_NULL(rerun);
    ASSERT_NOT_NULL(frames);
    ASSERT_NOT_NULL(junit);
    want = st_format("rerun: %s --test html/crashes\ndebug: gdb --args %s "
                     "--test html/crashes", st_fixture("report_html"),
                     st_fixture("report_html"));
    EXPECT_STREQ(rerun, want);
    EXPECT_STREQ(address, "0x0 (NULL pointer)");
    EXPECT_EQ(strncmp(frames, "#0 ", 3), 0, "%s", frames);
    first = st_format("backtrace:\n  %.*s", (int)strcspn(frames, "\n"),
                      frames);
    EXPECT_NOT_NULL(strstr(junit, first), "no \"%s\" in:\n%s", first,
                    junit);
    free(first);
    free(want);
    free(rerun);
    free(frames);
    free(address);
    free(junit);
    html_free(&h);
}

/* The timeline: a bar per attempt that ran (the flaky test's first one
 * too, marked as an earlier attempt), a bar per suite once, and every
 * bar's title names its test; one lane per job used. */
TEST(report_html, the_timeline_has_every_attempt, .timeout = 60)
{
    struct html_run h;
    char **titles;
    size_t n;

    run_html(&h);
    /* 13 tests, one disabled; the flaky one ran twice. Quick tests that
     * passed one after another may share a bar, which counts them. */
    EXPECT_EQ(st_xml_number(h.page, "count(//svg//rect[starts-with(@class, 'k-')]"
                             "[not(@data-tests)]) + sum(//svg//rect"
                             "[starts-with(@class, 'k-')]/@data-tests)"),
              13L);
    EXPECT_EQ(st_xml_count(h.page, "//svg//rect[contains(@class, ' try')]"),
              (size_t)1);
    EXPECT_EQ(st_xml_count(h.page, "//svg//a/rect[@class='k-fail try']"),
              (size_t)1, "an earlier attempt links to its test's story");
    EXPECT_GE(st_xml_count(h.page, "//svg//rect[@class='once']"),
              (size_t)1);
    EXPECT_LE(st_xml_count(h.page, "//svg/rect[@class='lane']"), (size_t)3);
    titles = st_xml_strings(h.page, "//svg//rect[starts-with(@class, 'k-')]"
                                    "[not(@data-tests)]/title", &n);
    ASSERT_NOT_NULL(titles);
    for (size_t i = 0; i < n; i++)
        EXPECT_EQ(strncmp(titles[i], "html", 4), 0, "%s", titles[i]);
    st_xml_strings_free(titles);
    titles = st_xml_strings(h.page, "//svg//rect[@class='once']/title", &n);
    ASSERT_NOT_NULL(titles);
    /* The once naps 50 ms. */
    for (size_t i = 0; i < n; i++) {
        EXPECT_EQ(strncmp(titles[i], "suite html_once: .once, ", 24), 0,
                  "%s", titles[i]);
        EXPECT_GE(strtod(titles[i] + strcspn(titles[i], ",") + 2, NULL),
                  0.05, "%s", titles[i]);
    }
    st_xml_strings_free(titles);
    html_free(&h);
}

/* chromium runs the browser headless on url with a fresh profile (and
 * HOME) in a directory of its own, removed after, and the extra
 * arguments, for up to a minute; returns its exit status with what it
 * printed on stdout in *out (its log on stderr is left out). In a
 * container it runs without its sandbox, which needs namespaces. */
static int
chromium(const char *extra, const char *url, char **out)
{
    char *home = st_tmpdir();
    char *cmd = st_format("{ HOME='%s' timeout 60 chromium --headless "
                          "--disable-gpu --no-sandbox --no-first-run "
                          "--user-data-dir='%s/profile' %s '%s' "
                          "2>/dev/null; }", home, home, extra, url);
    int rc = st_shell(cmd, out);
    char *rm = st_format("rm -rf '%s'", home), *said = NULL;

    st_shell(rm, &said);
    free(said);
    free(rm);
    free(cmd);
    free(home);
    return rc;
}

/* A browser loads the report of the hostile run: its script ends without
 * an error, the DOM has the counts and the crash's frames, and the filter
 * in the address shows the crash alone. */
TEST(report_html, chromium_renders_it, .timeout = 180)
{
    struct html_run h;
    char *dom = NULL, *url, *shot, *frames, *want;
    double t0;

    if (!st_command_found("chromium"))
        SKIP("%s", "chromium not found (Debian: apt-get install chromium)");
    run_html(&h);
    url = st_format("file://%s", h.html);
    t0 = st_now();
    ASSERT_EQ(chromium("--dump-dom", url, &dom), 0, "%s", dom);
    fprintf(stderr, "chromium loaded the report in %.2f s\n", st_now() - t0);
    ASSERT_NOT_NULL(dom);
    EXPECT_NOT_NULL(strstr(dom, "<body data-script=\"ok\">"),
                    "the report's script failed or did not run: %.400s",
                    strstr(dom, "<body") ? strstr(dom, "<body") : dom);
    {
        size_t scripts = 0;

        for (const char *p = dom; (p = strstr(p, "<script")) != NULL; p++)
            scripts++;
        EXPECT_EQ(scripts, (size_t)1, "one script, the report's");
    }
    /* As text, escaped; as a script it would have set data-pwned. */
    EXPECT_NULL(strstr(dom, "data-pwned"), "hostile output ran as a script");
    EXPECT_NOT_NULL(strstr(dom, "&lt;/script&gt;&lt;script&gt;document.body."
                                "dataset.pwned"));
    for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++) {
        want = st_format("data-outcome=\"%s\" data-count=\"%ld\"",
                         outcomes[i].word, outcomes[i].count);
        EXPECT_NOT_NULL(strstr(dom, want), "%s", want);
        free(want);
    }
    EXPECT_NOT_NULL(strstr(dom, "<span id=\"shown\">13 of 13 shown</span>"));
    frames = st_xml_string(h.page, "string(//details[summary/code="
                                   "'html/crashes']/pre[@class="
                                   "'backtrace'])");
    ASSERT_NOT_NULL(frames);
    want = st_format("%.*s", (int)strcspn(frames, "\n"), frames);
    EXPECT_NOT_NULL(strstr(dom, want), "no frame \"%s\" in the DOM", want);
    free(want);
    free(frames);
    free(dom);
    dom = NULL;

    /* The filter, set from the address: the crash alone is shown. */
    free(url);
    url = st_format("file://%s#filter=html/;outcome=crash", h.html);
    ASSERT_EQ(chromium("--dump-dom", url, &dom), 0, "%s", dom);
    EXPECT_NOT_NULL(strstr(dom, "<span id=\"shown\">1 of 13 shown</span>"),
                    "%.400s", strstr(dom, "id=\"shown\"")
                                  ? strstr(dom, "id=\"shown\"") : dom);
    {
        size_t hidden = 0;

        for (const char *p = dom; (p = strstr(p, "\" hidden=\"\"><td>")) !=
                                  NULL; p++)
            hidden++;
        EXPECT_EQ(hidden, (size_t)12);
    }
    free(dom);
    dom = NULL;

    /* A screenshot for people, in the build tree. */
    free(url);
    url = st_format("file://%s", h.html);
    shot = st_format("--screenshot=%s/html-report.png "
                     "--window-size=1400,2400", CORDON_BINARY_DIR);
    EXPECT_EQ(chromium(shot, url, &dom), 0, "%s", dom);
    {
        struct stat st;
        char *png = st_format("%s/html-report.png", CORDON_BINARY_DIR);

        EXPECT_EQ(stat(png, &st), 0, "%s", png);
        EXPECT_GT((long long)st.st_size, 10000LL);
        free(png);
    }
    free(shot);
    free(dom);
    free(url);
    html_free(&h);
}

/* --html takes the same care as the other reports: the variable is its
 * twin, one file cannot hold two reports, stdout only one. */
TEST(report_html, destinations_are_checked_like_the_others, .timeout = 60)
{
    char *dir = st_tmpdir();
    char *path, *env_html;
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    path = st_format("%s/same", dir);
    {
        const char *args[] = {"--html", path, "--junit", path, NULL};

        ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
        EXPECT_EQ(r.code, 2);
        EXPECT_NOT_NULL(strstr(r.err, "are the same file"), "%s", r.err);
        st_free(&r);
    }
    {
        const char *args[] = {"--html", "-", "--tap", "-", NULL};

        ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
        EXPECT_EQ(r.code, 2);
        EXPECT_NOT_NULL(strstr(r.err, "--tap - and --html - both want "
                                      "stdout"), "%s", r.err);
        st_free(&r);
    }
    {
        char *missing = st_format("%s/no/such/dir/r.html", dir);
        const char *args[] = {"--html", missing, NULL};

        ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
        EXPECT_EQ(r.code, 2);
        EXPECT_NOT_NULL(strstr(r.err, "cannot write HTML report"), "%s",
                        r.err);
        EXPECT_NOT_NULL(strstr(r.err, "create the directory"), "%s", r.err);
        st_free(&r);
        free(missing);
    }
    {
        const char *env[3] = {NULL, NULL, NULL};
        char *text;

        env_html = st_format("CORDON_HTML=%s/env.html", dir);
        env[0] = env_html;
        ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
        EXPECT_EQ(r.code, 0, "%s", r.err);
        text = st_read_file(env_html + strlen("CORDON_HTML="), NULL);
        ASSERT_NOT_NULL(text, "CORDON_HTML wrote nothing");
        EXPECT_EQ(strncmp(text, "<!DOCTYPE html>\n<html", 21), 0);
        free(text);
        st_free(&r);
        free(env_html);
    }
    {
        const char *args[] = {"--html", "-", NULL};
        struct st_xml *x;
        char *file = st_format("%s/stdout.html", dir), why[256] = "";

        ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
        EXPECT_EQ(r.code, 0, "%s", r.err);
        st_write_file(file, r.out);
        x = st_xml_load(file, why, sizeof why);
        EXPECT_NOT_NULL(x, "--html - is not the report alone: %s", why);
        st_xml_free(x);
        EXPECT_NOT_NULL(strstr(r.err, "cordon: "), "the console on stderr");
        free(file);
        st_free(&r);
    }
    free(path);
    st_rmtree(dir);
}
