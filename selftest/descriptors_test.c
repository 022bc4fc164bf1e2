// SPDX-License-Identifier: MIT
// descriptors_test.c — a test process gets none of cordon's own
// descriptors (result pipe, spool, capture files of other jobs, the
// runner's signal pipe): a test that writes into fds 3-63 disturbs
// neither the run nor another test's output.
#include <cordon.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

/* stdio_only closes every descriptor beyond 0-2 before the fixture
 * starts, so whatever a test then finds open is cordon's. */
static void
stdio_only(void *arg)
{
    (void)arg;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
}

static void
run_stray(const char *jobs)
{
    const char *const args[] = {"-j", jobs, NULL};
    struct st_launch launch = {.args = args, .prepare = stdio_only};
    struct st_outcomes o;
    int rc;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "stray_fds", &launch));
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stderr: %s", o.run.err);
    EXPECT_STREQ(o.run.err, "");
    st_expect_outcome(&o, "stray_fds/writes_into_fds_3_to_63", "PASS", "",
                      "", "", "");
    st_expect_outcome(&o, "stray_fds/has_no_descriptor_beyond_stdio", "PASS",
                      "", "", "", "");
    st_expect_outcome(&o, "stray_fds/prints_only_its_own_output", "PASS", "",
                      "", "own output\n", "");
    st_outcomes_free(&o);
}

TEST(descriptors, stray_writes_disturb_nothing_one_job, .timeout = 30)
{
    run_stray("1");
}

TEST(descriptors, stray_writes_disturb_nothing_three_jobs, .timeout = 30)
{
    run_stray("3");
}
