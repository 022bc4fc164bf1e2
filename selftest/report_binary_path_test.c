// SPDX-License-Identifier: MIT
// report_binary_path_test.c — selftests of a report path that is the test
// binary itself: exit 2, with an example path of the report's own kind.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(report_binary_path, example_fits_the_report)
{
    static const char *const flags[] = {"--junit", "--tap", "--ctrf",
                                        "--html", "--json"};
    static const char *const names[] = {"report.xml", "report.tap",
                                        "report.json", "report.html",
                                        "events.jsonl"};

    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *args[] = {flags[i], st_fixture("pass"), NULL};
        struct st_run r;
        char *want;

        ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
        EXPECT_EQ(r.code, 2);
        want = st_format("e.g. %s %s)", flags[i], names[i]);
        EXPECT_NOT_NULL(strstr(r.err, want), "%s", r.err);
        free(want);
        st_free(&r);
    }
}
