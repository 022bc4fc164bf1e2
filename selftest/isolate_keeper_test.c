// SPDX-License-Identifier: MIT
// isolate_keeper_test.c — selftests of cordon_isolate() when the function
// kills its own keeper: the call is SIGNALED by the keeper's signal even
// where the caller (or the runner under --no-fork) handles that signal,
// and the calling test passes: the function died with its keeper, so its
// worker does not count it as left running.
#include <cordon.h>

#include "outcomes.h"

static void
expect_all_pass(const char *const *args)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "isolate_keeper_killed", args, NULL), 0,
              "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)4, "%s", o.run.out);
    st_outcomes_free(&o);
}

TEST(isolate_keeper, a_function_killing_its_keeper_fails_no_test)
{
    expect_all_pass((const char *const[]){"-j1", NULL});
}

TEST(isolate_keeper, nor_under_no_fork)
{
    expect_all_pass((const char *const[]){"--no-fork", NULL});
}
