// SPDX-License-Identifier: MIT
// runner_test.c — selftests of whole runs of simple fixtures: exit codes,
// the console lines and the closing line.
#include <cordon.h>
#include <stdlib.h>

#include "support.h"

TEST(runner, all_pass_exits_0)
{
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, NULL), 0);
    EXPECT_EQ(r.code, 0, "stderr: %s", r.err);
    EXPECT_EQ(st_count(r.out, "PASS  "), (size_t)3);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 3 passed, 0 failed, 0 skipped");
    free(last);
    st_free(&r);
}
