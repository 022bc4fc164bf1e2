// SPDX-License-Identifier: MIT
// record_test.c — selftests of the result record end to end: a test that
// closes every descriptor and then fails a check, exits or is killed still
// has its failures reported, because they travel in shared memory.
// Verdicts and failures are read from the reports (outcomes.h).
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

/* expect_failure_of checks test id of a run ended as word, with text
 * among its reason and failures. */
static void
expect_failure_of(const struct st_outcomes *o, const char *id,
                  const char *word, const char *text)
{
    const struct st_outcome *t = st_outcome(o, id);

    EXPECT_NOT_NULL(t, "%s is not in the report:\n%s", id, o->tap);
    if (t == NULL)
        return;
    EXPECT_STREQ(t->word, word, "%s", id);
    EXPECT_TRUE(strstr(t->reason, text) != NULL ||
                strstr(t->failures, text) != NULL,
                "%s: no '%s' in reason '%s' nor failures:\n%s", id, text,
                t->reason, t->failures);
}

TEST(record, survives_a_test_that_closes_every_fd)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "closes_fds", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    expect_failure_of(&o, "closes_fds/fails_after_closing_every_fd", "FAIL",
                      "EXPECT_EQ(1 + 1, 3) failed: expected 1 + 1 == 3, but "
                      "1 + 1 is 2 -- "
                      "checked with no fd open");
    /* A failed check outranks the early exit that followed it. */
    expect_failure_of(&o, "closes_fds/exits_after_a_failed_check", "FAIL",
                      "EXPECT_EQ(2 + 2, 5) failed: expected 2 + 2 == 5, but "
                      "2 + 2 is 4");
    /* A signal outranks the check, and the check is still shown. */
    expect_failure_of(&o, "closes_fds/killed_after_a_failed_check", "CRASH",
                      "EXPECT_TRUE(0) failed: 0 is false");
    expect_failure_of(&o, "closes_fds/killed_after_a_failed_check", "CRASH",
                      "killed by SIGKILL");
    st_expect_outcome(&o, "closes_fds/passes_after_closing_every_fd", "PASS",
                      "", "", NULL, NULL);
    st_outcomes_free(&o);
}
