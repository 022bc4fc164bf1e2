// SPDX-License-Identifier: MIT
// record_test.c — selftests of the result record end to end: a test that
// closes every descriptor and then fails a check, exits or is killed still
// has its failures reported, because they travel in shared memory.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void
expect_failure_under(const char *out, const char *prefix, const char *text)
{
    char *d = st_details(out, prefix);

    EXPECT_NOT_NULL(d, "no line '%s' in:\n%s", prefix, out);
    if (d != NULL)
        EXPECT_NOT_NULL(strstr(d, text), "under '%s':\n%s", prefix, d);
    free(d);
}

TEST(record, survives_a_test_that_closes_every_fd)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "closes_fds", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    expect_failure_under(r.out, "FAIL  closes_fds/fails_after_closing_every_fd  ",
                         "EXPECT_EQ(1 + 1, 3) failed: 1 + 1 is 2, expected 3 -- "
                         "checked with no fd open");
    /* A failed check outranks the early exit that followed it. */
    expect_failure_under(r.out, "FAIL  closes_fds/exits_after_a_failed_check  ",
                         "EXPECT_EQ(2 + 2, 5) failed: 2 + 2 is 4, expected 5");
    /* A signal outranks the check, and the check is still shown. */
    expect_failure_under(r.out, "CRASH closes_fds/killed_after_a_failed_check  ",
                         "EXPECT_TRUE(0) failed: 0 is false");
    expect_failure_under(r.out, "CRASH closes_fds/killed_after_a_failed_check  ",
                         "killed by SIGKILL");
    EXPECT_EQ(st_count(r.out, "PASS  closes_fds/passes_after_closing_every_fd  "),
              (size_t)1, "%s", r.out);
    st_free(&r);
}
