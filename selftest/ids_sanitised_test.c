// SPDX-License-Identifier: MIT
// ids_sanitised_test.c — two test ids that differ only in bytes the
// reports rewrite (an escape sequence dropped, a control byte written as
// the text \xNN) would be one id in every report: duplicate testcases in
// JUnit, duplicate testIds in CTRF, two test-finished lines for one id.
// The run refuses them before any test runs, naming both.
#include <cordon.h>

#include <string.h>

#include "support.h"

TEST(ids_sanitised, ids_one_in_the_reports_are_refused, .timeout = 30)
{
    const char *args[] = {"--junit", "r.xml", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "ids_sanitised", args, NULL), 0);
    EXPECT_EQ(r.code, 2, "stdout: %s\nstderr: %s", r.out, r.err);
    EXPECT_NOT_NULL(strstr(r.err, "test ids 'ids/labeled[a]' and "
                                  "'ids/labeled[a\\x1B[1m]' "),
                    "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "test ids 'ids/labeled[b\\x01]' and "
                                  "'ids/labeled[b\\\\x01]' "),
                    "%s", r.err);
    EXPECT_NULL(strstr(r.err, "labeled[c]"), "%s", r.err);
    EXPECT_EQ(st_count(r.err, "cordon: "), (size_t)2, "%s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0, "%s", r.out);
    st_free(&r);
}
