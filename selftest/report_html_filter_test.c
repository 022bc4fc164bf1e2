// SPDX-License-Identifier: MIT
// report_html_filter_test.c — selftests of the HTML report's filter as a
// browser runs it: a "#filter=" address with a malformed %-escape does
// not stop the script (the text is taken as it is), "#filter=a%20b"
// finds the id with a space and the id with a literal %20, and a new
// address filters again. Needs chromium; skipped without it.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

/* dom loads file://html + fragment in headless chromium and returns the
 * DOM it dumps (NULL when it could not), after script ran for a moment.
 * Not inlined: GCC's -Wdangling-pointer at -O2 takes the text it returns
 * for its local out, whose address st_shell was given. */
static char *__attribute__((noinline))
dom(const char *html, const char *fragment)
{
    char *home = st_tmpdir(), *out = NULL;
    char *cmd = st_format("{ HOME='%s' timeout 60 chromium --headless "
                          "--disable-gpu --no-sandbox --no-first-run "
                          "--user-data-dir='%s/profile' --dump-dom "
                          "'file://%s%s' 2>/dev/null; }",
                          home, home, html, fragment);
    int rc = st_shell(cmd, &out);
    char *rm = st_format("rm -rf '%s'", home), *said = NULL;

    EXPECT_EQ(rc, 0, "%s", out != NULL ? out : "");
    st_shell(rm, &said);
    free(said);
    free(rm);
    free(cmd);
    free(home);
    return out;
}

/* report_of writes the HTML report of fixture into dir and returns its
 * path. */
static char *
report_of(char *dir, const char *fixture)
{
    char *html = st_format("%s/r.html", dir), *flag;
    const char *args[] = {NULL, NULL};
    struct st_run r;

    flag = st_format("--html=%s", html);
    args[0] = flag;
    if (st_run_fixture(&r, fixture, args, NULL) == 0) {
        EXPECT_EQ(r.code, 0, "%s", r.err);
        st_free(&r);
    }
    free(flag);
    return html;
}

/* browsed makes *dir and writes the report of fixture into it for the
 * browser, or skips the test when there is no chromium. */
static char *
browsed(char **dir, const char *fixture)
{
    if (!st_command_found("chromium"))
        SKIP("%s", "chromium not found (Debian: apt-get install chromium)");
    *dir = st_tmpdir();
    ASSERT_NOT_NULL(*dir);
    return report_of(*dir, fixture);
}

static void
expect_shown(const char *html, const char *fragment, const char *shown)
{
    char *d = dom(html, fragment);
    char *want = st_format("<span id=\"shown\">%s</span>", shown);

    ASSERT_NOT_NULL(d);
    EXPECT_NOT_NULL(strstr(d, "<body data-script=\"ok\">"), "%s: %.300s",
                    fragment, strstr(d, "<body") ? strstr(d, "<body") : d);
    EXPECT_NOT_NULL(strstr(d, want), "%s: %.300s", fragment,
                    strstr(d, "id=\"shown\"") ? strstr(d, "id=\"shown\"")
                                              : d);
    free(want);
    free(d);
}

TEST(report_html_filter, a_bad_escape_in_the_address_is_text, .timeout = 180)
{
    char *dir, *html;

    html = browsed(&dir, "html_percent");
    /* Taken as written: "%" is in the id with a literal %20 only. */
    expect_shown(html, "#filter=%", "1 of 3 shown");
    expect_shown(html, "#filter=%E0%A4%A", "0 of 3 shown");
    free(html);
    st_rmtree(dir);
}

TEST(report_html_filter, an_escape_finds_the_decoded_and_the_raw_text,
     .timeout = 180)
{
    char *dir, *html;

    html = browsed(&dir, "html_percent");
    expect_shown(html, "#filter=a%20b", "2 of 3 shown");
    expect_shown(html, "#filter=a%2520b", "1 of 3 shown");
    free(html);
    st_rmtree(dir);
}

/* A search box drops the line breaks it is given: the address's text is
 * kept aside, so an id holding %0A is found by it. */
TEST(report_html_filter, a_line_break_in_the_address_finds_its_id,
     .timeout = 180)
{
    char *dir, *html;

    html = browsed(&dir, "html_newline");
    expect_shown(html, "#filter=nl%0Ax", "1 of 2 shown");
    free(html);
    st_rmtree(dir);
}

/* occurrences counts the times needle is in text. */
static size_t
occurrences(const char *text, const char *needle)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* The list comes in chunks the browser skips out of view, each as tall
 * as its rows: a chunk whose rows the filter hides all takes no room,
 * one that shows one row is one row tall, so what the filter keeps is
 * right under it. */
TEST(report_html_filter, hidden_chunks_take_no_room, .timeout = 180)
{
    char *dir, *html, *d;

    html = browsed(&dir, "many");
    expect_shown(html, "#filter=many/t999", "1 of 1000 shown");
    d = dom(html, "#filter=many/t999");
    ASSERT_NOT_NULL(d);
    EXPECT_EQ(occurrences(d, "<tbody style=\"contain-intrinsic-size: 0px;\" "
                             "hidden=\"\">"), (size_t)4, "%.2000s",
              strstr(d, "<tbody") ? strstr(d, "<tbody") : d);
    EXPECT_EQ(occurrences(d, "<tbody style=\"contain-intrinsic-size: 21px;\">"),
              (size_t)1, "%.2000s",
              strstr(d, "<tbody") ? strstr(d, "<tbody") : d);
    free(d);
    d = dom(html, "");
    ASSERT_NOT_NULL(d);
    EXPECT_EQ(occurrences(d, "hidden=\"\">"), (size_t)0);
    free(d);
    free(html);
    st_rmtree(dir);
}
