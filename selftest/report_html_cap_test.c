// SPDX-License-Identifier: MIT
// report_html_cap_test.c — the HTML report stays a page a browser opens
// whatever --output-limit keeps: a failed test that printed 50 MB, kept
// whole (--output-limit 0), shows its last 64 KiB there, after a line
// saying how much came before.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

TEST(report_html_cap, fifty_megabytes_of_output_show_their_last_64_kib,
     .timeout = 120)
{
    char *dir = st_tmpdir();
    char *html = st_format("%s/r.html", dir);
    const char *args[] = {"--test", "output_50mb/prints_and_fails",
                          "--output-limit", "0", "--html", html, NULL};
    struct st_run r;
    struct stat st;
    char *page;

    ASSERT_EQ(st_run_fixture(&r, "output_50mb", args, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_FAIL, "%s", r.err);
    ASSERT_EQ(stat(html, &st), 0, "no %s: %s", html, r.err);
    EXPECT_TRUE(st.st_size < 1024 * 1024, "the page has %lld bytes",
                (long long)st.st_size);
    page = st_read_file(html, NULL);
    ASSERT_NOT_NULL(page);
    EXPECT_NOT_NULL(strstr(page, " bytes before these left out of this "
                                 "page; the JUnit report and --json keep "
                                 "them]"));
    free(page);
    st_free(&r);
    free(html);
    st_rmtree(dir);
}
