// SPDX-License-Identifier: MIT
// isolate_each_test.c — selftests of cordon_isolate_each() and of what
// cordon_isolated says beyond how a call ended: results handed over in
// index order when later calls end first, every ending contained as
// cordon_isolate() contains it (a hang, a crash, an exit, helpers left in
// groups of their own), one job equal to the sequential loop, no calls,
// bad arguments, calls side by side, its use from a plain main(); a
// crash's frames named down to the function; and, in a fixture built
// with AddressSanitizer, a sanitizer's death told from a plain exit(1)
// with the report's one-line reason.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

TEST(isolate_each, every_check_of_the_fixture_passes)
{
    const char *const env[] = {ST_ASAN_OPTIONS, ST_NO_SUBREAPER_ENV, NULL};
    struct st_outcomes o;
    char what[512];
    bool counts = st_adopt_orphans(what, sizeof what);

    ASSERT_EQ(st_outcomes(&o, "isolate_each", NULL, env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(o.n, (size_t)6);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)6, "%s", o.run.out);
    /* The helpers one call left in groups of their own are gone. */
    if (counts && ST_SUBREAPER)
        EXPECT_EQ(st_leftovers(what, sizeof what), 0, "left: %s", what);
    st_outcomes_free(&o);
}

TEST(isolate_each, works_from_a_plain_main)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "isolate_each_plain", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    /* "slow" ends last but comes first. */
    EXPECT_STREQ(r.out, "0 slow: returned 4\n1 !boom: signal 11, frames\n"
                        "2 hello: returned 5\n3 x: returned 1\ndone\n",
                 "%s", r.err);
    st_free(&r);
}

TEST(isolate_each, a_sanitizer_death_is_told_from_exit_1)
{
#ifdef CORDON_SELFTEST_ASAN
    static const char *const env[] = {"ASAN_OPTIONS=detect_leaks=0", NULL};
    struct st_outcomes o;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "isolate_asan", NULL, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s\n%s", o.run.out, o.run.err);
    EXPECT_EQ(o.n, (size_t)2);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)2, "%s", o.run.out);
    st_outcomes_free(&o);
#else
    SKIP("this compiler cannot build the fixture with -fsanitize=address");
#endif
}
