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

static char *
report(char *dir)
{
    char *html = st_format("%s/r.html", dir), *flag;
    const char *args[] = {NULL, NULL};
    struct st_run r;

    flag = st_format("--html=%s", html);
    args[0] = flag;
    if (st_run_fixture(&r, "html_percent", args, NULL) == 0) {
        EXPECT_EQ(r.code, 0, "%s", r.err);
        st_free(&r);
    }
    free(flag);
    return html;
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

    if (!st_command_found("chromium"))
        SKIP("%s", "chromium not found (Debian: apt-get install chromium)");
    dir = st_tmpdir();
    ASSERT_NOT_NULL(dir);
    html = report(dir);
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

    if (!st_command_found("chromium"))
        SKIP("%s", "chromium not found (Debian: apt-get install chromium)");
    dir = st_tmpdir();
    ASSERT_NOT_NULL(dir);
    html = report(dir);
    expect_shown(html, "#filter=a%20b", "2 of 3 shown");
    expect_shown(html, "#filter=a%2520b", "1 of 3 shown");
    free(html);
    st_rmtree(dir);
}
