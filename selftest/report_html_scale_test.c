// SPDX-License-Identifier: MIT
// report_html_scale_test.c — the HTML report of many quick tests stays
// small and cheap to open: the list of every test comes in <tbody>
// chunks the browser may skip while out of view, quick tests that passed
// one after another share a timeline bar that counts them (every test is
// still counted once), and a test that passed at once under --retries is
// not "attempt 1 of 3". Runs the many fixture (1000 passing tests).
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "xml.h"

static long
number(struct st_xml *x, const char *xpath)
{
    char *s = st_xml_string(x, xpath);
    long n;

    ASSERT_NOT_NULL(s, "%s", xpath);
    n = strtol(s, NULL, 10);
    free(s);
    return n;
}

TEST(report_html_scale, a_thousand_quick_tests_stay_small_and_whole,
     .timeout = 120)
{
    char *dir = st_tmpdir(), *text, **titles, why[512] = "";
    char html[4096];
    const char *args[] = {"-j2", "--retries", "2", "--html", html, NULL};
    struct st_run r;
    struct st_xml *page;
    size_t len, n;

    ASSERT_NOT_NULL(dir);
    snprintf(html, sizeof html, "%s/many.html", dir);
    ASSERT_EQ(st_run_fixture(&r, "many", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    st_free(&r);
    text = st_read_file(html, &len);
    ASSERT_NOT_NULL(text, "no HTML report at %s", html);
    free(text);
    /* 5 MB for 10,000 such tests is 500 bytes each. */
    EXPECT_LT(len, (size_t)1000 * 500, "a thousand passing tests take %zu "
              "bytes of HTML", len);
    page = st_xml_load(html, why, sizeof why);
    ASSERT_NOT_NULL(page, "the HTML report is not well-formed XML: %s", why);

    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody/tr"),
              (size_t)1000);
    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody[@style="
                                 "'contain-intrinsic-size:auto 4200px']"),
              (size_t)5, "five chunks of 200 rows, 21 px each");
    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody[count(tr) != "
                                 "200]"),
              (size_t)0);

    EXPECT_EQ(number(page, "count(//svg//rect[starts-with(@class, 'k-')]"
                           "[not(@data-tests)]) + sum(//svg//rect"
                           "[starts-with(@class, 'k-')]/@data-tests)"),
              1000L, "every test is in the timeline once");
    n = st_xml_count(page, "//svg//rect[starts-with(@class, 'k-')]");
    EXPECT_LT(n, (size_t)500, "quick tests share their bars: %zu bars", n);
    titles = st_xml_strings(page, "//svg//rect[@data-tests]/title", &n);
    ASSERT_NOT_NULL(titles);
    EXPECT_GT(n, (size_t)0);
    for (size_t i = 0; i < n; i++)
        EXPECT_NOT_NULL(strstr(titles[i], " tests, PASS, from "), "%s",
                        titles[i]);
    st_xml_strings_free(titles);
    titles = st_xml_strings(page, "//svg//title[contains(., 'attempt')]", &n);
    ASSERT_NOT_NULL(titles);
    EXPECT_EQ(n, (size_t)0, "a test that passed at once: %s",
              n > 0 ? titles[0] : "");
    st_xml_strings_free(titles);
    st_xml_free(page);
    st_rmtree(dir);
}
