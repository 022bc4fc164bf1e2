// SPDX-License-Identifier: MIT
// debugger_test.c — selftests of running for a debugger (src/debugger.c,
// --no-fork and --fork): an in-process run skips the tests that expect to
// die, with a reason, and runs the rest to the summary; under gdb a
// binary runs in-process by itself and says so once, so gdb stops at the
// faulting line of a crashing test; --fork keeps forking. Skips without
// gdb.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const no_fork[] = {"--no-fork", NULL};

TEST(debugger, no_fork_skips_tests_that_expect_to_die)
{
    struct st_outcomes o;
    char *last;

    ASSERT_EQ(st_outcomes(&o, "no_fork_mix", no_fork, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "mix/passes", "PASS", "", "", NULL, NULL);
    st_expect_outcome(&o, "mix/aborts_as_expected", "SKIP",
                      "expects SIGABRT; run it forked", "", NULL, NULL);
    st_expect_outcome(&o, "mix/exits_as_expected", "SKIP",
                      "expects exit status 3; run it forked", "", NULL, NULL);
    st_expect_outcome(&o, "mix/fails", "FAIL", NULL, NULL, NULL, NULL);
    EXPECT_EQ(st_count(o.run.out, "SKIP    mix/aborts_as_expected  "),
              (size_t)1, "%s", o.run.out);
    EXPECT_NOT_NULL(strstr(o.run.out, "  expects SIGABRT; run it forked\n"),
                    "%s", o.run.out);
    last = st_last_line(o.run.out);
    EXPECT_STREQ(last, "cordon: 1 passed, 1 failed, 2 skipped");
    free(last);
    st_outcomes_free(&o);
}

TEST(debugger, fork_after_no_fork_forks)
{
    static const char *const args[] = {"--no-fork", "--fork", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "no_fork_mix", args, NULL), 0, "%s", o.why);
    st_expect_outcome(&o, "mix/aborts_as_expected", "PASS", NULL, "", NULL,
                      NULL);
    st_expect_outcome(&o, "mix/exits_as_expected", "PASS", NULL, "", NULL,
                      NULL);
    st_outcomes_free(&o);
}

/* under_gdb runs fixture args... under gdb in batch mode, with a
 * backtrace where it stops; returns gdb's exit status, its output in
 * *out. */
static int
under_gdb(const char *fixture, const char *args, char **out)
{
    char *cmd = st_format("env -i PATH=\"$PATH\" " ST_ASAN_OPTIONS
                          " gdb -nx -batch -ex run -ex bt --args '%s' %s "
                          "</dev/null 2>&1", st_fixture(fixture), args);
    int rc = st_shell(cmd, out);

    free(cmd);
    return rc;
}

TEST(debugger, under_gdb_a_crash_stops_at_its_line, .timeout = 60)
{
    char *out = NULL, *where;
    int line = st_source_line("selftest/fixtures/segv.c", "page[0] = 1;");

    if (!st_command_found("gdb"))
        SKIP("gdb is not installed");
    ST_NEEDS_NATIVE("gdb");
    under_gdb("segv", "--test segv/writes_protected_page", &out);
    ASSERT_NOT_NULL(out);
    if (strstr(out, "ptrace: Operation not permitted") != NULL) {
        free(out);
        SKIP("gdb may not trace here (ptrace is not permitted)");
    }
    EXPECT_EQ(st_count(out, "cordon: a debugger is attached: running the "
                            "tests in this process"), (size_t)1, "%s", out);
    EXPECT_NULL(strstr(out, "Detaching after fork"), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "Program received signal SIGSEGV"), "%s",
                    out);
    where = st_format("in cordon_impl_body_segv_writes_protected_page () at "
                      "%s/selftest/fixtures/segv.c:%d\n", CORDON_SOURCE_DIR,
                      line);
    EXPECT_NOT_NULL(strstr(out, where), "no \"%s\" in:\n%s", where, out);
    free(where);
    free(out);
}

TEST(debugger, under_gdb_fork_still_forks, .timeout = 60)
{
    char *out = NULL;

    if (!st_command_found("gdb"))
        SKIP("gdb is not installed");
    ST_NEEDS_NATIVE("gdb");
    under_gdb("no_fork_mix", "--fork", &out);
    ASSERT_NOT_NULL(out);
    if (strstr(out, "ptrace: Operation not permitted") != NULL) {
        free(out);
        SKIP("gdb may not trace here (ptrace is not permitted)");
    }
    EXPECT_NULL(strstr(out, "a debugger is attached"), "%s", out);
    EXPECT_EQ(st_count(out, "PASS    mix/aborts_as_expected"), (size_t)1, "%s",
              out);
    EXPECT_NOT_NULL(strstr(out, "cordon: 3 passed, 1 failed, 0 skipped"),
                    "%s", out);
    free(out);
}
