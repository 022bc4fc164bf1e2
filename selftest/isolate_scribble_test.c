// SPDX-License-Identifier: MIT
// isolate_scribble_test.c — selftests of cordon_isolate() against a
// function that scribbles over shared memory: the keeper's word and the
// test's own record are out of its reach, so the caller still learns how
// it ended and gets no backtrace, errno or time the scribble wrote, and
// the test keeps its verdict.
#include <cordon.h>

#include "outcomes.h"
#include "support.h"

/* expect_told runs the fixture with args and expects its five tests to
 * pass. */
static void
expect_told(const char *const *args)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "isolate_scribble", args, NULL), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)5, "%s", o.run.out);
    st_outcomes_free(&o);
}

TEST(isolate_scribble, a_scribbling_function_cannot_forge_its_result)
{
    expect_told(NULL);
}

/* Under --no-fork the runner's spool is kept out of what a test forks
 * (MADV_DONTFORK), which the posix stand-in and qemu-user do not have. */
TEST(isolate_scribble, nor_the_run_s_under_no_fork)
{
    if (CORDON_SELFTEST_POSIX)
        SKIP("the posix stand-in cannot keep a mapping from a child");
    if (st_emulated_why() != NULL)
        SKIP("qemu-user ignores MADV_DONTFORK: %s", st_emulated_why());
    expect_told((const char *const[]){"--no-fork", NULL});
}
