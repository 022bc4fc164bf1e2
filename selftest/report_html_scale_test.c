// SPDX-License-Identifier: MIT
// report_html_scale_test.c — the HTML report of many quick tests stays
// small and cheap to open: the list of every test comes in <tbody>
// chunks the browser may skip while out of view, quick tests that passed
// one after another share a timeline bar that counts them (every test is
// still counted once), and a test that passed at once under --retries is
// not "attempt 1 of 3"; also shuffled, with no test at all, and with a
// .once that interrupts a --no-fork run. Runs the many fixture (1000
// passing tests).
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "xml.h"

/* report runs fixture with args (the last ones "--html", then NULL, which
 * report fills in) and returns its parsed HTML report, its size in *len;
 * the test ends if there is none, or it is not well-formed. */
static struct st_xml *
report(const char *fixture, const char **args, int code, size_t *len)
{
    char *dir = st_tmpdir(), *text, why[512] = "";
    static char html[4096];
    size_t n = 0;
    struct st_run r;
    struct st_xml *page;

    ASSERT_NOT_NULL(dir);
    snprintf(html, sizeof html, "%s/r.html", dir);
    while (args[n] != NULL)
        n++;
    args[n] = html;
    ASSERT_EQ(st_run_fixture(&r, fixture, args, NULL), 0);
    EXPECT_EQ(r.code, code, "%s", r.err);
    st_free(&r);
    text = st_read_file(html, len);
    ASSERT_NOT_NULL(text, "no HTML report at %s", html);
    free(text);
    page = st_xml_load(html, why, sizeof why);
    ASSERT_NOT_NULL(page, "the HTML report is not well-formed XML: %s", why);
    st_rmtree(dir);
    return page;
}

/* A bar as the timeline draws it. */
struct bar {
    double x, y, w;
    long tests; /* 0: one test */
};

static int
by_place(const void *a, const void *b)
{
    const struct bar *p = a, *q = b;

    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

/* bars_hold_every_test checks that the timeline of tests that all passed
 * at once counts each of tests once, and that no two bars that touch, in
 * the order they ran on a job, stayed apart where one of them is narrow
 * enough to join (3 units): timing decides how many bars there are,
 * never whether touching ones join. */
static void
bars_hold_every_test(struct st_xml *page, long tests)
{
    static const char rects[] = "//svg//rect[starts-with(@class, 'k-')]";
    char *xp[3], **v[3];
    size_t n[3];
    struct bar *b;

    EXPECT_EQ(st_xml_number(page, "count(//svg//rect[starts-with(@class, 'k-')]"
                           "[not(@data-tests)]) + sum(//svg//rect"
                           "[starts-with(@class, 'k-')]/@data-tests)"),
              tests, "every test is in the timeline once");
    xp[0] = st_format("%s/@x", rects);
    xp[1] = st_format("%s/@y", rects);
    xp[2] = st_format("%s/@width", rects);
    for (int k = 0; k < 3; k++) {
        v[k] = st_xml_strings(page, xp[k], &n[k]);
        ASSERT_NOT_NULL(v[k], "%s", xp[k]);
    }
    b = calloc(n[0] + 1, sizeof *b);
    ASSERT_NOT_NULL(b);
    ASSERT_EQ(n[1], n[0]);
    ASSERT_EQ(n[2], n[0]);
    for (size_t i = 0; i < n[0]; i++) {
        char *one = st_format("string((%s)[%zu]/@data-tests)", rects, i + 1);
        char *t = st_xml_string(page, one);

        b[i] = (struct bar){strtod(v[0][i], NULL), strtod(v[1][i], NULL),
                            strtod(v[2][i], NULL), t ? atol(t) : 0};
        free(t);
        free(one);
    }
    qsort(b, n[0], sizeof *b, by_place);
    for (size_t i = 1; i < n[0]; i++) {
        const struct bar *p = &b[i - 1], *q = &b[i];

        /* Rounded to 0.1 in the file: 0.3 of the 0.5 joining gap is
         * sure. */
        EXPECT_FALSE(p->y == q->y && (p->tests > 1 || p->w < 3) &&
                         q->tests == 0 && q->w < 3 &&
                         q->x <= p->x + p->w + 0.3,
                     "touching bars apart on one job: x=%.1f w=%.1f, then "
                     "x=%.1f w=%.1f (y=%.0f)", p->x, p->w, q->x, q->w, q->y);
    }
    free(b);
    for (int k = 0; k < 3; k++)
        st_xml_strings_free(v[k]);
    for (int k = 0; k < 3; k++)
        free(xp[k]);
}

TEST(report_html_scale, a_thousand_quick_tests_stay_small_and_whole,
     .timeout = 120)
{
    const char *args[] = {"-j2", "--retries", "2", "--html", NULL, NULL};
    struct st_xml *page;
    char **titles;
    size_t len, n;

    page = report("many", args, 0, &len);
    /* 5 MB for 10,000 such tests is 500 bytes each. */
    EXPECT_LT(len, (size_t)1000 * 500, "a thousand passing tests take %zu "
              "bytes of HTML", len);
    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody/tr"),
              (size_t)1000);
    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody[@style="
                                 "'contain-intrinsic-size:auto 4200px']"),
              (size_t)5, "five chunks of 200 rows, 21 px each");
    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody[count(tr) != "
                                 "200]"),
              (size_t)0);
    bars_hold_every_test(page, 1000);
    titles = st_xml_strings(page, "//svg//title[contains(., 'attempt')]", &n);
    ASSERT_NOT_NULL(titles);
    EXPECT_EQ(n, (size_t)0, "a test that passed at once: %s",
              n > 0 ? titles[0] : "");
    st_xml_strings_free(titles);
    st_xml_free(page);
}

/* Shuffled, each job's tests are far apart in test order: the bars are
 * joined in the order the tests ran. */
TEST(report_html_scale, shuffled_quick_tests_share_bars_too, .timeout = 120)
{
    const char *args[] = {"-j2", "--shuffle", "--html", NULL, NULL};
    struct st_xml *page;
    size_t len;

    page = report("many", args, 0, &len);
    bars_hold_every_test(page, 1000);
    st_xml_free(page);
}

/* A shard with no test has the sections of any other report, side by
 * side. */
TEST(report_html_scale, no_test_leaves_the_page_whole, .timeout = 60)
{
    const char *args[] = {"--filter", "many/t00[01]", "--shard", "3/3",
                          "--html", NULL, NULL};
    struct st_xml *page;
    size_t len;

    page = report("many", args, 0, &len);
    EXPECT_EQ(st_xml_count(page, "/html/body/section[@id='slowest']"),
              (size_t)1);
    EXPECT_EQ(st_xml_count(page, "/html/body/section[@id='tests']"),
              (size_t)1);
    EXPECT_EQ(st_xml_count(page, "//table[@id='list']/tbody"), (size_t)0);
    st_xml_free(page);
}

/* Under --no-fork a .once runs in the runner: one that interrupts the run
 * has its bar, though no test ran after it. */
TEST(report_html_scale, an_interrupted_once_keeps_its_bar, .timeout = 60)
{
    const char *args[] = {"--no-fork", "--html", NULL, NULL};
    struct st_xml *page;
    size_t len;

    page = report("html_once_interrupted", args, 130, &len);
    EXPECT_EQ(st_xml_count(page, "//svg//rect[@class='once']"), (size_t)1);
    st_xml_free(page);
}
