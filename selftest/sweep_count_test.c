// SPDX-License-Identifier: MIT
// sweep_count_test.c — selftests of what a worker's sweep counts as left
// running: a helper still running when its test's group was killed at the
// deadline is counted, though it ended (by that kill) before the sweep.
#include <cordon.h>
#include <string.h>

#include "outcomes.h"
#include "support.h"

TEST(sweep_count, a_helper_killed_with_its_timed_out_test_was_left)
{
    ST_NEEDS_SUBREAPER();
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "left_after_timeout", NULL, NULL), 0, "%s",
              o.why);
    t = st_outcome(&o, "left_after_timeout/a_helper_in_the_tests_group");
    ASSERT_NOT_NULL(t, "%s", o.run.out);
    EXPECT_STREQ(t->word, "TIMEOUT");
    EXPECT_NOT_NULL(strstr(t->reason, "left 1 process running (killed)"),
                    "%s", t->reason);
    st_outcomes_free(&o);
}
