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

/* limited runs the fixture in mode as uid under a limit of nproc
 * processes, within 20 s, and returns its exit code (124 when it took
 * longer), its output in *out; skips where that cannot be done. Each test
 * has a uid of its own: a limit counts every process of its user. */
static int
limited(const char *mode, int uid, int nproc, char **out)
{
    char *cmd;
    int code;

    if (geteuid() != 0)
        SKIP("needs root, to run the fixture as an unprivileged user "
             "whose processes a limit counts");
    if (!st_command_found("setpriv") || !st_command_found("prlimit"))
        SKIP("needs setpriv and prlimit (util-linux) to run as another "
             "user under a process limit");
    if (st_own_threads_why() != NULL)
        SKIP("a process limit cannot be counted on: %s",
             st_own_threads_why());
    cmd = st_format("timeout 20 setpriv --reuid=%d --regid=%d "
                    "--clear-groups prlimit --nproc=%d %s %s", uid, uid,
                    nproc, st_fixture("isolate_limits"), mode);
    code = st_shell(cmd, out);
    free(cmd);
    return code;
}

TEST(isolate_limits, each_completes_under_a_process_limit)
{
    char *out = NULL;
    /* 12 processes of the user: the fixture and five calls (a keeper and
     * a function each) at a time, for a run that asks for 16. */
    int code = limited("nproc", 65534, 12, &out);

    EXPECT_EQ(code, 0, "%s", out != NULL ? out : "(not started)");
    free(out);
}

TEST(isolate_limits, each_gives_up_when_no_function_can_start,
     .timeout = 30)
{
    char *out = NULL;
    /* 2: the fixture and one keeper, whose function cannot fork. */
    int code = limited("nproc-tight", 65530, 2, &out);

    EXPECT_EQ(code, 0, "%s", out != NULL ? out : "(not started)");
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
