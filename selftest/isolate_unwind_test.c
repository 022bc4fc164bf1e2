// SPDX-License-Identifier: MIT
// isolate_unwind_test.c — selftests of cordon_isolate_each() when an
// ASSERT_ fails in on_result under --no-fork: the test unwinds into the
// runner's own process, and the calls in flight are killed, their keepers
// reaped and their descriptors closed before it goes on.
#include <cordon.h>

#include "outcomes.h"

TEST(isolate_unwind, calls_in_flight_are_killed_when_on_result_fails)
{
    static const char *const args[] = {"--no-fork", NULL};
    struct st_outcomes o;
    const struct st_outcome *a, *b;

    ASSERT_EQ(st_outcomes(&o, "isolate_unwind", args, NULL), 0, "%s",
              o.why);
    a = st_outcome(&o, "isolate_unwind/a_assert_fails_in_on_result");
    b = st_outcome(&o, "isolate_unwind/b_nothing_of_its_calls_is_left");
    ASSERT_NOT_NULL(a, "%s", o.run.out);
    ASSERT_NOT_NULL(b, "%s", o.run.out);
    EXPECT_STREQ(a->word, "FAIL", "%s", o.run.out);
    EXPECT_STREQ(b->word, "PASS", "%s\n%s", o.run.out, o.run.err);
    /* The calls were killed, not waited for (8 s). */
    EXPECT_LT(st_now() - o.start, 4.0, "%s", o.run.out);
    st_outcomes_free(&o);
}
