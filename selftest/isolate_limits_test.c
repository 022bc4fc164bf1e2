// SPDX-License-Identifier: MIT
// isolate_limits_test.c — selftests of cordon_isolate_each() under a
// process limit (calls that cannot start wait for one that ends, and the
// run completes), and of cordon_isolate() and cordon_isolate_each() when
// the caller ignores SIGCHLD or reaps every child in a handler of its own
// and a function kills its keeper (the call counts as killed by SIGKILL
// and the run goes on).
#include <cordon.h>
#include <stdlib.h>
#include <unistd.h>

#include "outcomes.h"
#include "support.h"

TEST(isolate_limits, each_completes_under_a_process_limit)
{
    char *cmd, *out = NULL;
    int code;

    if (geteuid() != 0)
        SKIP("needs root, to run the fixture as an unprivileged user "
             "(uid 65534) whose processes a limit counts");
    if (!st_command_found("setpriv") || !st_command_found("prlimit"))
        SKIP("needs setpriv and prlimit (util-linux) to run as uid 65534 "
             "under a process limit");
    if (st_own_threads_why() != NULL)
        SKIP("a process limit cannot be counted on: %s",
             st_own_threads_why());
    /* 12 processes of the user: the fixture and five calls (a keeper and
     * a function each) at a time, for a run that asks for 16. */
    cmd = st_format("setpriv --reuid=65534 --regid=65534 --clear-groups "
                    "prlimit --nproc=12 %s nproc",
                    st_fixture("isolate_limits"));
    code = st_shell(cmd, &out);
    EXPECT_EQ(code, 0, "%s", out != NULL ? out : "(not started)");
    free(cmd);
    free(out);
}

/* keeper_killed runs the fixture's keeper-killed checks. The killed
 * keepers' functions, orphaned, come here to be reaped: a function dies
 * with its keeper, so none is left running. */
static void
keeper_killed(const char *const *args)
{
    struct st_run r;
    char what[512];
    bool counts = st_adopt_orphans(what, sizeof what);

    ASSERT_EQ(st_run_fixture(&r, "isolate_limits", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s%s", r.out, r.err);
    st_free(&r);
    if (counts)
        EXPECT_EQ(st_leftovers(what, sizeof what), 0, "left: %s", what);
}

TEST(isolate_limits, a_killed_keeper_with_sigchld_ignored_counts_as_killed)
{
    static const char *const args[] = {"chld-ign", NULL};

    keeper_killed(args);
}

TEST(isolate_limits, a_killed_keeper_reaped_by_the_callers_handler_counts)
{
    static const char *const args[] = {"chld-reap", NULL};

    keeper_killed(args);
}
