// SPDX-License-Identifier: MIT
// isolate_keeper_test.c — selftests of cordon_isolate() when its keeper
// is signalled: by its function with SIGKILL or a signal at its default,
// the call is SIGNALED by it and the calling test passes (the function
// died with its keeper: its worker does not count it as left running);
// with a signal the caller catches, sent to the keeper or the caller's
// group, the keeper ignores it and runs none of the caller's handlers
// (the runner's, under --no-fork), and the call returns.
#include <cordon.h>

#include "outcomes.h"

/* expect_passes runs the fixture with args and expects want tests to
 * pass and none to do worse. */
static void
expect_passes(const char *const *args, size_t want)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "isolate_keeper_killed", args, NULL), 0,
              "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), want, "%s", o.run.out);
    st_outcomes_free(&o);
}

TEST(isolate_keeper, a_function_killing_its_keeper_fails_no_test)
{
    expect_passes((const char *const[]){"-j1", NULL}, 4);
}

TEST(isolate_keeper, nor_under_no_fork)
{
    /* The group test skips: the runner's group is not the test's. */
    expect_passes((const char *const[]){"--no-fork", NULL}, 3);
}
