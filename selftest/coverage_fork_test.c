// SPDX-License-Identifier: MIT
// coverage_fork_test.c — selftest of coverage through forks (src/coverage.c):
// in a build with CORDON_COVERAGE, a function that only a forked test
// process calls is counted as run by gcov, whichever way the process
// ended: returning, a failed ASSERT_, the watchdog's SIGALRM, an expected
// SIGSEGV, an unexpected abort(), a stack overflow. The fixture is
// fixtures/coverage_fork.c; its .gcda is removed first, so only this run
// counts. In any other build the test skips and says why.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

#ifdef CORDON_COVERAGE_BUILD

/* Where CMake's Makefile and Ninja generators put the fixture's object,
 * and so its .gcno and .gcda. */
#define OBJECT_DIR                                                            \
    CORDON_BINARY_DIR "/selftest/CMakeFiles/fixture_coverage_fork.dir/fixtures"
#define GCDA OBJECT_DIR "/coverage_fork.c.gcda"

#ifdef __clang__
#define GCOV "llvm-cov gcov"
#else
#define GCOV "gcov"
#endif

/* gcov_summary returns gcov's per-function summary of the fixture. */
static char *
gcov_summary(void)
{
    FILE *p = popen(GCOV " -n -f -o '" OBJECT_DIR "' '" GCDA "' 2>&1", "r");
    char *text = calloc(1, 1), buf[4096];
    size_t len = 0, n;

    if (p == NULL || text == NULL)
        return text;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
        char *more = realloc(text, len + n + 1);

        if (more == NULL)
            break;
        text = more;
        memcpy(text + len, buf, n);
        len += n;
        text[len] = '\0';
    }
    pclose(p);
    return text;
}

TEST(coverage, a_function_run_only_in_a_forked_test_is_counted,
     .timeout = 60)
{
    static const char *const probes[] = {"pass",    "assert", "timeout",
                                         "segv",    "abort",  "overflow"};
    struct st_outcomes o;
    char *summary;

    ASSERT_TRUE(unlink(GCDA) == 0 || access(GCDA, F_OK) != 0);
    ASSERT_EQ(st_outcomes(&o, "coverage_fork", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "ends/by_returning", "PASS", NULL, NULL, NULL,
                      NULL);
    st_expect_outcome(&o, "ends/by_failed_assert", "FAIL", NULL, NULL, NULL,
                      NULL);
    st_expect_outcome(&o, "ends/by_watchdog", "TIMEOUT", NULL, NULL, NULL,
                      NULL);
    st_expect_outcome(&o, "ends/by_expected_segv", "PASS", NULL, NULL, NULL,
                      NULL);
    st_expect_outcome(&o, "ends/by_unexpected_abort", "CRASH", NULL, NULL,
                      NULL, NULL);
    st_expect_outcome(&o, "ends/by_stack_overflow", "PASS", NULL, NULL, NULL,
                      NULL);
    st_outcomes_free(&o);

    summary = gcov_summary();
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        char *want = st_format("Function 'coverage_probe_%s'\n"
                               "Lines executed:100.00%%", probes[i]);

        EXPECT_NOT_NULL(strstr(summary, want), "gcov does not count "
                        "coverage_probe_%s as run:\n%s", probes[i], summary);
        free(want);
    }
    free(summary);
}

#else

TEST(coverage, a_function_run_only_in_a_forked_test_is_counted)
{
    SKIP("not a coverage build (configure with -DCORDON_COVERAGE=ON, as "
         "ci/coverage does)");
}

#endif
