// SPDX-License-Identifier: MIT
// posix_test.c — what the portable stand-in (CORDON_PLATFORM=posix: macOS,
// the BSDs, and Linux when built so) promises where no worker can adopt
// what its tests leave: a test is killed with its whole process group, a
// helper that leaves the group (setsid(), a daemon) may escape and is not
// counted, and an escaped helper still cannot reach another test: neither
// its output nor its checks land in a later test's result. On the linux
// platform the first skips (supervisor_test.c checks that such a helper
// is killed and counted there); the second holds on either.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(posix, an_escaped_daemon_reaches_no_other_test, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    static const char *const later[] = {"daemonises/next_1",
                                        "daemonises/next_2",
                                        "daemonises/next_3"};
    struct st_launch launch = {.args = args, .limit = 10};
    struct st_outcomes o;
    char what[1024];
    bool adopted;
    int rc;

    if (ST_SUBREAPER)
        SKIP("the linux platform adopts the daemon and kills it: "
             "supervisor/a_daemon_is_killed_with_its_test checks that");
    adopted = st_adopt();
    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "daemonises", &launch));
    /* The daemon escaped, as README says it may: it is still there. */
    if (adopted)
        EXPECT_GE(st_leftovers(what, sizeof what), 1,
                  "the daemon did not outlive the run");
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "stderr: %s", o.run.err);
    st_expect_word(&o, "daemonises/starts_a_daemon", "PASS", NULL);
    for (size_t i = 0; i < 3; i++) {
        char *own = st_format("%s output\n", strchr(later[i], '/') + 1);

        st_expect_own(&o, later[i], own);
        free(own);
    }
    st_outcomes_free(&o);
}

/* A daemon that a suite's once started reaches no test of another suite
 * run after it on the same job slot: the linux platform kills it with
 * the suite, the stand-in gives the worker new files and a new record. */
TEST(posix, a_daemon_of_once_reaches_no_later_test, .timeout = 60)
{
    static const char *const args[] = {"-j1", NULL};
    static const char *const later[] = {"later/one", "later/two"};
    struct st_launch launch = {.args = args, .limit = 10};
    struct st_outcomes o;
    char what[1024];
    bool adopted = st_adopt();
    int rc, left = 0;

    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "holder_once_escape",
                                                  &launch));
    if (adopted)
        left = st_leftovers(what, sizeof what);
    EXPECT_LE(left, ST_SUBREAPER ? 0 : 1, "left: %s", what);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "%s", o.run.out);
    st_expect_word(&o, "held/first", "PASS", NULL);
    for (size_t i = 0; i < 2; i++)
        st_expect_own(&o, later[i], "");
    st_outcomes_free(&o);
}
