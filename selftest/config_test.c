// SPDX-License-Identifier: MIT
// config_test.c — selftests of the command line and its CORDON_*
// environment twins: --help, --version, --timeout and CORDON_TIMEOUT (0 =
// none, a test's own .timeout wins), and every bad option or value being
// one line on stderr that names the problem and the fix, with exit code 2
// and no test run. CORDON_TIMEOUT_MULTIPLIER scales every timeout.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

TEST(config, help_lists_every_option)
{
    static const char *const options[] = {
        "--list", "--filter GLOB", "--test ID", "-j, --jobs N",
        "--timeout SECONDS", "--no-fork", "--core-dumps", "-h, --help",
        "--version", "CORDON_JOBS", "CORDON_TIMEOUT", "--memory-limit BYTES",
        "--timeout-multiplier X", "CORDON_MEMORY_LIMIT",
        "CORDON_TIMEOUT_MULTIPLIER"};
    static const char *const longs[] = {"--help", NULL};
    static const char *const shorts[] = {"-h", NULL};
    struct st_run r, s;
    char *first;

    ASSERT_EQ(st_run_fixture(&r, "pass", longs, NULL), 0);
    EXPECT_EQ(r.code, 0);
    first = st_format("usage: %s [options]", st_fixture("pass"));
    EXPECT_EQ(strncmp(r.out, first, strlen(first)), 0, "%s", r.out);
    free(first);
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        EXPECT_NOT_NULL(strstr(r.out, options[i]), "help lacks %s",
                        options[i]);
    EXPECT_STREQ(r.err, "");
    EXPECT_NULL(strstr(r.out, "PASS"), "no test ran");
    ASSERT_EQ(st_run_fixture(&s, "pass", shorts, NULL), 0);
    EXPECT_EQ(s.code, 0);
    EXPECT_STREQ(s.out, r.out);
    st_free(&s);
    st_free(&r);
}

TEST(config, version_is_the_header_s)
{
    static const char *const args[] = {"--version", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_STREQ(r.out, "cordon " CORDON_VERSION_STRING "\n");
    EXPECT_STREQ(r.err, "");
    st_free(&r);
}

/* Each case: arguments, one environment addition (or NULL), and the line
 * the runner must print on stderr. */
static const struct {
    const char *args[4];
    const char *env;
    const char *line;
} usage_errors[] = {
    {{"--bogus"}, NULL, "cordon: unknown option '--bogus' (see --help)"},
    {{"--bogus=1"}, NULL, "cordon: unknown option '--bogus=1' (see --help)"},
    {{"-x"}, NULL, "cordon: unknown option '-x' (see --help)"},
    /* In a cluster the letter is named, not the cluster or what came
     * before it. */
    {{"-xv"}, NULL, "cordon: unknown option '-x' (see --help)"},
    {{"--list", "-vx"}, NULL, "cordon: unknown option '-x' (see --help)"},
    {{"--help=1"}, NULL, "cordon: unknown option '--help=1' (see --help)"},
    {{"--jobs", "abc"}, NULL,
     "cordon: --jobs: 'abc' is not a number of jobs from 1 to 4096 (use "
     "e.g. --jobs=8)"},
    {{"-j0"}, NULL,
     "cordon: --jobs: '0' is not a number of jobs from 1 to 4096 (use "
     "e.g. --jobs=8)"},
    {{"--jobs=2x"}, NULL,
     "cordon: --jobs: '2x' is not a number of jobs from 1 to 4096 (use "
     "e.g. --jobs=8)"},
    {{"--jobs=5000"}, NULL,
     "cordon: --jobs: '5000' is not a number of jobs from 1 to 4096 (use "
     "e.g. --jobs=8)"},
    {{NULL}, "CORDON_JOBS=x",
     "cordon: CORDON_JOBS: 'x' is not a number of jobs from 1 to 4096 (use "
     "e.g. --jobs=8)"},
    {{"--timeout", "-1"}, NULL,
     "cordon: --timeout: '-1' is not a number of seconds (use e.g. "
     "--timeout=2.5, or 0 for none)"},
    {{"--timeout", "soon"}, NULL,
     "cordon: --timeout: 'soon' is not a number of seconds (use e.g. "
     "--timeout=2.5, or 0 for none)"},
    {{"--timeout", "1e10"}, NULL,
     "cordon: --timeout: '1e10' is more than the 1000000 s maximum (use 0 "
     "for no timeout)"},
    {{NULL}, "CORDON_TIMEOUT_MULTIPLIER=0",
     "cordon: CORDON_TIMEOUT_MULTIPLIER: '0' is not a number above 0 and at "
     "most 1000 (use e.g. CORDON_TIMEOUT_MULTIPLIER=3)"},
    {{NULL}, "CORDON_TIMEOUT_MULTIPLIER=1e308",
     "cordon: CORDON_TIMEOUT_MULTIPLIER: '1e308' is not a number above 0 "
     "and at most 1000 (use e.g. CORDON_TIMEOUT_MULTIPLIER=3)"},
    {{"--timeout-multiplier", "-2"}, NULL,
     "cordon: --timeout-multiplier: '-2' is not a number above 0 and at "
     "most 1000 (use e.g. --timeout-multiplier=3)"},
    {{"--memory-limit", "64X"}, NULL,
     "cordon: --memory-limit: '64X' is not a byte count (use e.g. "
     "--memory-limit=64M, 64MiB or 1G; 0 for none)"},
    {{NULL}, "CORDON_MEMORY_LIMIT=lots",
     "cordon: CORDON_MEMORY_LIMIT: 'lots' is not a byte count (use e.g. "
     "CORDON_MEMORY_LIMIT=64M, 64MiB or 1G; 0 for none)"},
    {{"--memory-limit", "99999999999G"}, NULL,
     "cordon: --memory-limit: '99999999999G' is not a byte count (use e.g. "
     "--memory-limit=64M, 64MiB or 1G; 0 for none)"},
    {{"--filter", "-*"}, NULL,
     "cordon: --filter: the exclusions leave no test to run (see --list "
     "for the ids)"},
    {{NULL}, "CORDON_TIMEOUT=-1",
     "cordon: CORDON_TIMEOUT: '-1' is not a number of seconds (use e.g. "
     "--timeout=2.5, or 0 for none)"},
    {{"--jobs"}, NULL, "cordon: --jobs needs a value (see --help)"},
    {{"--timeout"}, NULL, "cordon: --timeout needs a value (see --help)"},
    {{"-vj"}, NULL, "cordon: -j needs a value (see --help)"},
    {{"pass/one"}, NULL,
     "cordon: unexpected argument 'pass/one' (select tests with --filter "
     "GLOB or --test ID)"},
    {{"--filter", "nothing*"}, NULL,
     "cordon: --filter 'nothing*' matches no test (see --list for the ids)"},
    {{NULL}, "CORDON_FILTER=nothing*",
     "cordon: CORDON_FILTER 'nothing*' matches no test (see --list for the "
     "ids)"},
    {{NULL}, "TESTBRIDGE_TEST_ONLY=nothing*",
     "cordon: TESTBRIDGE_TEST_ONLY 'nothing*' matches no test (see --list "
     "for the ids)"},
    {{NULL}, "CORDON_FILTER=-*",
     "cordon: CORDON_FILTER: the exclusions leave no test to run (see "
     "--list for the ids)"},
    {{NULL}, "TMPDIR=/nonexistent/dir",
     "cordon: cannot create the run's spool file in '/nonexistent/dir' "
     "(TMPDIR): No such file or directory (point TMPDIR at a writable "
     "directory)"},
    {{NULL}, "TEST_TMPDIR=/nonexistent/dir",
     "cordon: cannot create the run's spool file in '/nonexistent/dir' "
     "(TEST_TMPDIR): No such file or directory (point TEST_TMPDIR at a "
     "writable directory)"},
    {{"--test", "pass/on"}, NULL,
     "cordon: --test 'pass/on' is not a test id (see --list for the ids)"},
    {{"--test", "pass/*"}, NULL,
     "cordon: --test 'pass/*' is not a test id (see --list for the ids)"},
    {{"--list", "--test", "pass/nine"}, NULL,
     "cordon: --test 'pass/nine' is not a test id (see --list for the ids)"},
};

TEST(config, usage_errors_are_one_line_with_the_fix)
{
    for (size_t i = 0; i < sizeof usage_errors / sizeof usage_errors[0];
         i++) {
        const char *const env[] = {usage_errors[i].env, NULL};
        char *want = st_format("%s\n", usage_errors[i].line);
        struct st_run r;

        ASSERT_EQ(st_run_fixture(&r, "pass", usage_errors[i].args, env), 0);
        EXPECT_EQ(r.code, 2, "case %zu: %s", i, usage_errors[i].line);
        EXPECT_STREQ(r.err, want, "case %zu", i);
        EXPECT_STREQ(r.out, "", "case %zu: nothing ran", i);
        free(want);
        st_free(&r);
    }
}

/* run_sleeps runs the sleeps fixture and reads its reports:
 * sleeps/half_second has the run's timeout, sleeps/no_timeout has
 * .timeout = 0. */
static void
run_sleeps(struct st_outcomes *o, const char *const *args, const char *env1)
{
    const char *const env[] = {env1, NULL};

    ASSERT_EQ(st_outcomes(o, "sleeps", args, env), 0, "%s", o->why);
}

TEST(config, timeout_flag_and_environment, .timeout = 30)
{
    static const char *const short_timeout[] = {"--timeout", "0.2", NULL};
    static const char *const no_timeout[] = {"--timeout=0", NULL};
    struct st_outcomes o;

    /* The default (10 s) lets half a second pass. */
    run_sleeps(&o, NULL, NULL);
    EXPECT_EQ(o.run.code, 0, "%s", o.tap);
    st_outcomes_free(&o);

    run_sleeps(&o, short_timeout, NULL);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "sleeps/half_second", "TIMEOUT",
                      "exceeded 0.2 s timeout", "", "", "");
    /* A test's own .timeout = 0 (none) beats the run's. */
    st_expect_outcome(&o, "sleeps/no_timeout", "PASS", "", "", NULL, NULL);
    st_outcomes_free(&o);

    run_sleeps(&o, NULL, "CORDON_TIMEOUT=0.2");
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "sleeps/half_second", "TIMEOUT",
                      "exceeded 0.2 s timeout", "", "", "");
    st_outcomes_free(&o);

    /* 0 is none, and the flag beats its twin. */
    run_sleeps(&o, no_timeout, "CORDON_TIMEOUT=0.2");
    EXPECT_EQ(o.run.code, 0, "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(config, a_test_s_own_timeout_beats_the_run_s, .timeout = 30)
{
    static const char *const args[] = {"--timeout", "0", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "infinite_loop", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "infinite_loop/spins", "TIMEOUT", NULL, NULL, NULL,
                      NULL);
    st_outcomes_free(&o);
}

TEST(config, verbose_list_shows_the_timeout_in_force)
{
    static const char *const args[] = {"--list", "-v", "--timeout", "0.2",
                                       NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "sleeps", args, NULL), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_STREQ(r.out, "sleeps/half_second\t0.2\nsleeps/no_timeout\t0\n");
    st_free(&r);
}

TEST(config, timeout_multiplier_scales_every_timeout)
{
    static const char *const args[] = {"--list", "-v", NULL};
    static const char *const env[] = {"CORDON_TIMEOUT_MULTIPLIER=3", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "sleeps", args, env), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_STREQ(r.out, "sleeps/half_second\t30\nsleeps/no_timeout\t0\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "infinite_loop", args, env), 0);
    EXPECT_STREQ(r.out, "infinite_loop/spins\t0.9\n");
    st_free(&r);
}

/* CTest runs each discovered test in its own process (CORDON_CTEST=1 in
 * its environment): a report file would be replaced by every test, so it
 * is refused with the fix; a report on stdout is each test's own. */
TEST(config, report_file_under_ctest_is_refused_with_the_fix)
{
    static const char *const junit[] = {"CORDON_CTEST=1",
                                        "CORDON_JUNIT=all.xml", NULL};
    static const char *const tap_flag[] = {"--tap", "all.tap", NULL};
    static const char *const ctest[] = {"CORDON_CTEST=1", NULL};
    static const char *const to_stdout[] = {"--junit", "-", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, junit), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: report 'all.xml' under CTest: "),
              (size_t)1, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.err, "ctest --output-junit"), "%s", r.err);
    EXPECT_EQ(access("all.xml", F_OK), -1, "no report may be written");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "pass", tap_flag, ctest), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: report 'all.tap' under CTest: "),
              (size_t)1, "%s", r.err);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "pass", to_stdout, ctest), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.out, "<testsuites"), "%s", r.out);
    st_free(&r);
}

TEST(config, timeout_multiplier_flag_wins_over_its_twin)
{
    static const char *const args[] = {"--list", "-v",
                                       "--timeout-multiplier", "2", NULL};
    static const char *const env[] = {"CORDON_TIMEOUT_MULTIPLIER=3", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "sleeps", args, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "sleeps/half_second\t20\nsleeps/no_timeout\t0\n");
    st_free(&r);
}
