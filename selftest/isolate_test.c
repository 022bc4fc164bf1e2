// SPDX-License-Identifier: MIT
// isolate_test.c — selftests of cordon_isolate() and the death checks built
// on it: every way an isolated call ends (returned with its output and
// data, exit status, signal, timeout), its containment (what it starts is
// killed; the caller's signal handling and children are left alone), its
// use from a plain main() without the test runner, and the death checks'
// failure messages as console, TAP and JUnit show them.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

TEST(isolate, every_ending_is_told_apart)
{
    static const char *const args[] = {"--filter", "isolate/*pass*", NULL};
    const char *const env[] = {ST_ASAN_OPTIONS, ST_NO_SUBREAPER_ENV, NULL};
    struct st_outcomes o;
    char what[512];
    bool counts = st_adopt_orphans(what, sizeof what);

    ASSERT_EQ(st_outcomes(&o, "isolate", args, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(o.n, (size_t)9);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)9, "%s", o.run.out);
    /* A death check replays the statement's output in the test's own. */
    st_expect_outcome(&o, "isolate/death_checks_pass", "PASS", "", "",
                      "said before dying\n", "");
    st_expect_outcome(&o, "isolate/signaled_passes", "PASS", "", "",
                      "the test goes on after the crash\n", "");
    /* isolate/kills_what_it_left_passes leaves a daemon in a session of
     * its own: killed by a keeper that adopts it (linux); the portable
     * stand-in kills the call's group only, and README says it escapes
     * (unless the kill comes before its setsid()): nothing else may. */
    if (counts && ST_SUBREAPER)
        EXPECT_EQ(st_leftovers(what, sizeof what), 0, "left: %s", what);
    else if (counts)
        EXPECT_LE(st_leftovers(what, sizeof what), 1, "left: %s", what);
    st_outcomes_free(&o);
}

TEST(isolate, death_checks_say_how_the_statement_ended)
{
    static const char *const args[] = {"--filter", "isolate/*_fails", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "isolate", args, crash_env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_reported(&o, "isolate/signal_returned_fails", "FAIL",
                       "EXPECT_SIGNAL((void)0, SIGSEGV) failed: expected "
                       "`(void)0` to die of SIGSEGV; it returned");
    st_expect_reported(&o, "isolate/signal_returned_fails", "FAIL",
                       "ASSERT_SIGNAL(exit(2), SIGSEGV) failed: expected "
                       "`exit(2)` to die of SIGSEGV; it exited with status 2");
    st_expect_reported(&o, "isolate/exit_status_fails", "FAIL",
                       "EXPECT_EXIT_STATUS(exit(4), 3) failed: expected "
                       "`exit(4)` to exit with status 3; it exited with "
                       "status 4 -- want 3");
    st_expect_reported(&o, "isolate/exit_status_fails", "FAIL",
                       "EXPECT_EXIT_STATUS(fault(), 3) failed: expected "
                       "`fault()` to exit with status 3; it was killed by "
                       "SIGSEGV");
    st_expect_reported(&o, "isolate/exit_status_fails", "FAIL",
                       "expected `puts(\"returned\")` to exit with status 3; "
                       "it returned");
    /* ASSERT_SIGNAL ended the test. */
    st_expect_outcome(&o, "isolate/signal_returned_fails", "FAIL", NULL,
                      NULL, "", "");
    st_outcomes_free(&o);
}

TEST(isolate, works_from_a_plain_main)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "isolate_plain", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "abc: returned 3\n!boom: signal 11\nhello: returned "
                        "5\n", "%s", r.err);
    st_free(&r);
}
