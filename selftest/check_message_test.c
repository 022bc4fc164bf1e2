// SPDX-License-Identifier: MIT
// check_message_test.c — selftests of a check's message: a string that is
// not a literal (a variable, an array, a call's result) is accepted by
// every kind of check and printed as written after " -- ", a lone literal
// too ('%' and all), while a literal followed by arguments is a printf
// format; an empty message adds nothing.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(check_message, variable_message_on_every_kind_of_check)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "check_messages", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.err);
    st_expect_outcome(&o, "check_messages/variable_messages_hold", "PASS", "",
                      "", "", "");
    st_expect_failures(
        &o, "check_messages.c", "check_messages/every_kind_fails",
        ST_FAILURES(
            "@true: EXPECT_TRUE(ok) failed: ok is false -- the cache was "
            "cold",
            "@false: EXPECT_FALSE(!ok) failed: !ok is true -- the cache was "
            "cold",
            "@not_null: EXPECT_NOT_NULL(none) failed: none is NULL -- the "
            "cache was cold",
            "@eq: EXPECT_EQ(n, 2) failed: expected n == 2, but n is 1 -- the "
            "cache was cold",
            "@streq: EXPECT_STREQ(s, \"cold\") failed: expected s == "
            "\"cold\", but s is \"warm\" -- the cache was cold",
            "@strcontains: EXPECT_STRCONTAINS(s, \"cold\") failed: expected "
            "s to contain \"cold\", but s is \"warm\" -- the cache was cold",
            "@near: EXPECT_NEAR(x, 1.0, 0.5) failed: expected x within 0.5 "
            "of 1.0, but x is 2, off by 1 -- the cache was cold",
            "@memeq: EXPECT_MEMEQ(\"ab\", \"ac\", 2) failed: expected "
            "\"ab\" == \"ac\" (2 bytes), but they differ at offset 1: "
            "\"ab\" +0: 61 [62]; \"ac\" +0: 61 [63] -- the cache was cold",
            "@relative: EXPECT_NEAR_REL(x, 1.0, 0.25) failed: expected x "
            "within relative 0.25 of 1.0, but x is 2, off by 1 (relative "
            "0.5) -- the cache was cold",
            "@nan: EXPECT_NAN(x) failed: expected x to be NaN, but x is 2 -- "
            "the cache was cold",
            "@exit_status: EXPECT_EXIT_STATUS(exit(4), 3) failed: expected "
            "`exit(4)` to exit with status 3; it exited with status 4 -- the "
            "cache was cold"));
    st_expect_failures(&o, "check_messages.c",
                       "check_messages/message_from_a_call_fails",
                       ST_FAILURES("@call: EXPECT_EQ(2 + 2, 5) failed: "
                                   "expected 2 + 2 == 5, but 2 + 2 is 4 -- "
                                   "explained 7",
                                   "@array: EXPECT_GT(1, 2) failed: expected "
                                   "1 > 2 -- from an array",
                                   "@null: EXPECT_LT(2, 1) failed: expected "
                                   "2 < 1"));
    st_outcomes_free(&o);
}

TEST(check_message, lone_message_is_printed_as_written)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "check_messages", NULL, NULL), 0, "%s", o.why);
    st_expect_failures(&o, "check_messages.c",
                       "check_messages/lone_message_is_printed_as_written",
                       ST_FAILURES("@percent: EXPECT_EQ(n, 4) failed: "
                                   "expected n == 4, but n is 3 -- 100% sure",
                                   "@format: EXPECT_EQ(n, 4) failed: expected "
                                   "n == 4, but n is 3 -- 3% sure"));
    st_expect_failures(&o, "check_messages.c",
                       "check_messages/empty_message_adds_nothing",
                       ST_FAILURES("@empty: EXPECT_TRUE(ok) failed: ok is "
                                   "false"));
    st_outcomes_free(&o);
}

TEST(check_message, assert_with_a_variable_message_stops)
{
    struct st_outcomes o;
    const char *id = "check_messages/assert_with_a_variable_message_stops";

    ASSERT_EQ(st_outcomes(&o, "check_messages", NULL, NULL), 0, "%s", o.why);
    st_expect_failures(&o, "check_messages.c", id,
                       ST_FAILURES("@assert: ASSERT_NE(1, 1) failed: "
                                   "expected 1 != 1 -- stopping here"));
    st_expect_outcome(&o, id, "FAIL", NULL, NULL, "", NULL);
    st_outcomes_free(&o);
}
