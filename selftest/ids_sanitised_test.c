// SPDX-License-Identifier: MIT
// ids_sanitised_test.c — test ids that differ only in bytes the reports
// would rewrite (an escape sequence dropped, a control byte written as the
// text \xNN) stay apart: a label's bytes that would not show as they are
// become %XX in the id, so each case keeps an id of its own, the same on
// the console, in --list and in every report.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "support.h"

TEST(ids_sanitised, ids_the_reports_would_merge_stay_apart, .timeout = 30)
{
    static const char *const ids[] = {
        "ids/labeled[a]", "ids/labeled[a%1B[1m]", "ids/labeled[b%01]",
        "ids/labeled[b\\x01]", "ids/labeled[c]",
    };
    const char *args[] = {"--list", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "ids_sanitised", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *line = st_format("%s\n", ids[i]);

        EXPECT_EQ(st_count(r.out, line), (size_t)1, "%s in:\n%s", ids[i],
                  r.out);
        free(line);
    }
    EXPECT_EQ(st_count(r.out, "ids/labeled["), (size_t)5, "%s", r.out);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "ids_sanitised", NULL, NULL), 0);
    EXPECT_EQ(r.code, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    EXPECT_EQ(st_count(r.out, "PASS    ids/labeled["), (size_t)5, "%s",
              r.out);
    st_free(&r);
}
