// SPDX-License-Identifier: MIT
// isolate_scribble_test.c — selftests of cordon_isolate() against a
// function that scribbles over the memory around its data buffer: the
// keeper's word is out of its reach, so the caller still learns how it
// ended and gets no backtrace, errno or time the scribble wrote.
#include <cordon.h>

#include "outcomes.h"

TEST(isolate_scribble, a_scribbling_function_cannot_forge_its_result)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "isolate_scribble", NULL, NULL), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)2, "%s", o.run.out);
    st_outcomes_free(&o);
}
