// SPDX-License-Identifier: MIT
// report_recap_test.c — selftests of what the console adds to lead from a
// failure to its cause (src/recap.c): under each test that did not pass,
// "rerun:" with the command that runs it alone, and "debug:" with the same
// under gdb for a crash; after the run a recap of every test that did not
// pass, in test order, before the two closing lines; and --show-output (or
// -v), which prints passing tests' output too, escaped.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const env[] = {"NO_COLOR=", "CORDON_COLOR=",
                                  ST_ASAN_OPTIONS, NULL};

/* block returns a copy of every line indented by six spaces under the
 * first line that starts with prefix, hints included. */
static char *
block(const char *text, const char *prefix)
{
    const char *p = strstr(text, prefix), *end;
    char *out;

    if (p == NULL)
        return NULL;
    p = strchr(p, '\n');
    p = p != NULL ? p + 1 : text + strlen(text);
    for (end = p; strncmp(end, "      ", 6) == 0;) {
        const char *nl = strchr(end, '\n');

        end = nl != NULL ? nl + 1 : end + strlen(end);
    }
    out = st_format("%.*s", (int)(end - p), p);
    return out;
}

TEST(report_recap, hints_rerun_every_failure_and_debug_a_crash)
{
    static const char *const args[] = {"--filter", "alpha/*", "--filter",
                                       "beta/exits_early", NULL};
    const char *bin = st_fixture("report_outcomes");
    struct st_run r;
    char *b, *want;

    ASSERT_EQ(st_run_fixture(&r, "report_outcomes", args, env), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_FAIL, "%s", r.err);
    b = block(r.out, "CRASH   alpha/crashes  ");
    ASSERT_NOT_NULL(b, "%s", r.out);
    want = st_format("      rerun: %s --test alpha/crashes\n"
                     "      debug: gdb --args %s --test alpha/crashes\n",
                     bin, bin);
    EXPECT_NOT_NULL(strstr(b, want), "no\n%s\nin\n%s", want, b);
    free(want);
    free(b);
    b = block(r.out, "EXIT    beta/exits_early  ");
    ASSERT_NOT_NULL(b, "%s", r.out);
    want = st_format("      rerun: %s --test beta/exits_early\n", bin);
    EXPECT_NOT_NULL(strstr(b, want), "no\n%s\nin\n%s", want, b);
    EXPECT_NULL(strstr(b, "debug:"), "%s", b);
    free(want);
    free(b);
    /* A passing test gets no hint. */
    b = block(r.out, "PASS    alpha/prints_and_passes  ");
    ASSERT_NOT_NULL(b, "%s", r.out);
    EXPECT_STREQ(b, "");
    free(b);
    st_free(&r);
}

TEST(report_recap, every_failure_is_recapped_in_test_order)
{
    struct st_run r;
    const char *recap;
    char *second = st_where("report_outcomes_more.c",
                            "FAIL(\"first line");
    char *want = st_format(
        "cordon: 7 tests did not pass:\n"
        "  FAIL    beta/fails_twice  %s/selftest/fixtures/report_outcomes.c:%d: "
        "EXPECT_EQ(1 + 1, 3) failed: expected 1 + 1 == 3, but 1 + 1 is 2 -- "
        "arithmetic\n"
        "  CRASH   alpha/crashes  killed by SIGSEGV (Segmentation fault)\n"
        "  TIMEOUT gamma/times_out  exceeded 0.3 s timeout\n"
        "  EXIT    beta/exits_early  exited with status 3 before the test "
        "finished\n"
        "  FAIL    beta/signal_expected  expected SIGABRT, test returned\n"
        "  FAIL    gamma/exit_expected  expected exit status 4, test returned\n"
        "  FAIL    alpha/from_second_file  %s: FAIL(): first line of the "
        "message\n"
        "cordon: 13 tests in ", CORDON_SOURCE_DIR,
        st_source_line("selftest/fixtures/report_outcomes.c",
                       "EXPECT_EQ(1 + 1, 3"), second);
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "report_outcomes", NULL, env), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_FAIL, "%s", r.err);
    recap = strstr(r.out, "cordon: 7 tests did not pass:\n");
    ASSERT_NOT_NULL(recap, "%s", r.out);
    EXPECT_EQ(strncmp(recap, want, strlen(want)), 0, "got\n%s\nwanted\n%s",
              recap, want);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 4 passed, 7 failed, 2 skipped");
    free(last);
    free(want);
    free(second);
    st_free(&r);
}

TEST(report_recap, no_recap_when_everything_passed)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_NULL(strstr(r.out, "did not pass"), "%s", r.out);
    st_free(&r);
}

/* shows_output runs alpha/prints_and_passes with flag and checks that its
 * output is printed under it. */
static void
shows_output(const char *flag)
{
    const char *args[] = {"--test", "alpha/prints_and_passes", flag, NULL};
    struct st_run r;
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "report_outcomes", args, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    d = st_details(r.out, "PASS    alpha/prints_and_passes  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_STREQ(d, flag == NULL ? ""
                                 : "      stdout (26 bytes):\n"
                                   "      | out of alpha <&> \"quoted\"\n"
                                   "      stderr (13 bytes):\n"
                                   "      | err of alpha\n");
    free(d);
    st_free(&r);
}

TEST(report_recap, show_output_prints_passing_tests_output)
{
    shows_output(NULL);
    shows_output("--show-output");
    shows_output("-v");
}

TEST(report_recap, shown_output_is_escaped)
{
    static const char *const args[] = {"--filter", "xml_hostile/control_bytes",
                                       "--filter",
                                       "xml_hostile/everything_on_both_streams",
                                       "--show-output", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "xml_hostile", args, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_NULL(strchr(r.out, '\033'), "%s", r.out);
    EXPECT_NULL(strchr(r.out, '\r'), "%s", r.out);
    EXPECT_NULL(strchr(r.out, '\x01'), "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "      | ctl[\\x01\\x02\\x07"), "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "\\x0C\\x0D\\x0E"), "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "ansi[red "), "%s", r.out);
    st_free(&r);
}

TEST(report_recap, hints_quote_a_path_the_shell_would_split)
{
    char *dir = st_tmpdir(), *cmd, *out = NULL, *want;

    ASSERT_NOT_NULL(dir);
    cmd = st_format("cd '%s' && ln -s '%s' \"it's here\" && "
                    "env -i %s" ST_ASAN_OPTIONS " \"./it's here\" "
                    "--filter alpha/crashes", dir,
                    st_fixture("report_outcomes"), st_env_kept());
    EXPECT_EQ(st_shell(cmd, &out), CORDON_EXIT_FAIL, "%s", out);
    ASSERT_NOT_NULL(out);
    want = st_format("      rerun: './it'\\''s here' --test alpha/crashes\n"
                     "      debug: gdb --args './it'\\''s here' --test "
                     "alpha/crashes\n");
    EXPECT_NOT_NULL(strstr(out, want), "no\n%s\nin\n%s", want, out);
    free(want);
    free(out);
    free(cmd);
    st_rmtree(dir);
}
