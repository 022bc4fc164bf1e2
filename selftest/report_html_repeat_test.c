// SPDX-License-Identifier: MIT
// report_html_repeat_test.c — the HTML report's timeline of a --repeat
// run: a repeated test is one bar from its first repetition to its last,
// which says so, and its suite's .once keeps its bar, also under
// --no-fork (where the .once runs in the runner's process). Runs the
// html_repeat fixture (a .once, and a test that naps 40 ms).
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "xml.h"

/* repeated runs the fixture with --repeat 3 and mode ("-j1" or
 * "--no-fork"), and checks the timeline of its report. */
static void
repeated(const char *mode)
{
    char *dir = st_tmpdir(), *title, *at, why[512] = "";
    char html[4096];
    const char *args[] = {mode, "--repeat", "3", "--html", html, NULL};
    struct st_run r;
    struct st_xml *page;
    double seconds = 0;

    ASSERT_NOT_NULL(dir);
    snprintf(html, sizeof html, "%s/repeat.html", dir);
    ASSERT_EQ(st_run_fixture(&r, "html_repeat", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    st_free(&r);
    page = st_xml_load(html, why, sizeof why);
    ASSERT_NOT_NULL(page, "the HTML report is not well-formed XML: %s", why);
    EXPECT_EQ(st_xml_count(page, "//svg//rect[@class='once']"), (size_t)1,
              "the suite's .once has its bar");
    title = st_xml_string(page, "string(//svg//rect[@class='k-pass']/title)");
    ASSERT_NOT_NULL(title);
    EXPECT_EQ(strncmp(title, "repeated/naps: PASS (repetitions 1 to 3 of 3), ",
                      47), 0, "%s", title);
    at = strstr(title, "), ");
    if (at != NULL)
        seconds = strtod(at + 3, NULL);
    /* Three naps of 40 ms. */
    EXPECT_GE(seconds, 0.12, "%s", title);
    free(title);
    st_xml_free(page);
    st_rmtree(dir);
}

TEST(report_html_repeat, every_repetition_is_in_the_bar, .timeout = 60)
{
    repeated("-j1");
}

TEST(report_html_repeat, without_fork_too, .timeout = 60)
{
    repeated("--no-fork");
}
