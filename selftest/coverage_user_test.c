// SPDX-License-Identifier: MIT
// coverage_user_test.c — selftest of coverage of a user's code through
// forks with a plain cordon (src/coverage.c's weak references): the
// fixture user_coverage.c is built with --coverage and linked with
// libcordon as this build made it; a function only its forked test calls
// must show as run in gcov. Its .gcda is removed first, so only this run
// counts. On a shared libcordon the gcov runtime is the binary's own,
// with hidden symbols: the test's translation unit hands it over (the
// header's registration). Skips when the compiler cannot build with
// --coverage or gcov is missing.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

#define OBJECT_DIR                                                            \
    CORDON_BINARY_DIR "/selftest/CMakeFiles/fixture_user_coverage.dir/fixtures"
#define GCDA OBJECT_DIR "/user_coverage.c.gcda"

#ifdef __clang__
#define GCOV_TOOL "llvm-cov"
#define GCOV "llvm-cov gcov"
#else
#define GCOV_TOOL "gcov"
#define GCOV "gcov"
#endif

#ifdef CORDON_SELFTEST_GCOV

/* expect_counted runs fixture, whose one test id must pass, with the
 * .gcda of the file it counts (in object_dir) removed first, and checks
 * that gcov counts function there as run whole. */
static void
expect_counted(const char *fixture, const char *id, const char *object_dir,
               const char *gcda, const char *function)
{
    struct st_outcomes o;
    char *summary = NULL, *cmd, *want;

    if (!st_command_found(GCOV_TOOL))
        SKIP("%s is not installed", GCOV_TOOL);
    ASSERT_TRUE(unlink(gcda) == 0 || access(gcda, F_OK) != 0);
    ASSERT_EQ(st_outcomes(&o, fixture, NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "%s", o.run.err);
    st_expect_outcome(&o, id, "PASS", "", "", NULL, "");
    st_outcomes_free(&o);
    ASSERT_EQ(access(gcda, F_OK), 0, "no %s after the run", gcda);
    cmd = st_format(GCOV " -n -f -o '%s' '%s'", object_dir, gcda);
    st_shell(cmd, &summary);
    free(cmd);
    ASSERT_NOT_NULL(summary);
    want = st_format("Function '%s'\nLines executed:100.00%%", function);
    EXPECT_NOT_NULL(strstr(summary, want), "gcov does not count %s as "
                    "run:\n%s", function, summary);
    free(want);
    free(summary);
}

TEST(coverage_user, a_forked_tests_lines_are_counted_with_a_plain_cordon,
     .timeout = 60)
{
    expect_counted("user_coverage", "user/calls_the_probe", OBJECT_DIR, GCDA,
                   "user_coverage_probe");
}

#define LIB_OBJECT_DIR                                                        \
    CORDON_BINARY_DIR                                                         \
    "/selftest/CMakeFiles/fixture_coverage_lib.dir/fixtures/parts"
#define LIB_GCDA LIB_OBJECT_DIR "/coverage_lib.c.gcda"

TEST(coverage_user, a_shared_librarys_lines_are_counted_with_u_gcov_dump,
     .timeout = 60)
{
    expect_counted("user_coverage_lib", "user/calls_the_library",
                   LIB_OBJECT_DIR, LIB_GCDA, "coverage_lib_probe");
}

#else

TEST(coverage_user, a_forked_tests_lines_are_counted_with_a_plain_cordon)
{
    SKIP("the compiler cannot build with --coverage");
}

TEST(coverage_user, a_shared_librarys_lines_are_counted_with_u_gcov_dump)
{
    SKIP("the compiler cannot build with --coverage");
}

#endif
