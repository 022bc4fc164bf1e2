// SPDX-License-Identifier: MIT
// console_escape_test.c — every line of the console escapes what a test
// gave it (check values and messages, skip reasons), under the test's
// line and in the recap: no escape character, bell, carriage return or
// byte that is not UTF-8 reaches the terminal or the CI log.
#include <cordon.h>

#include <string.h>

#include "support.h"

TEST(console_escape, a_test_s_text_reaches_the_console_escaped)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "console_hostile", NULL, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_FAIL, "%s", r.err);
    EXPECT_NULL(memchr(r.out, '\033', r.out_len), "an escape character");
    EXPECT_NULL(memchr(r.out, '\007', r.out_len), "a bell");
    EXPECT_NULL(memchr(r.out, '\r', r.out_len), "a carriage return");
    EXPECT_NULL(memchr(r.out, '\xff', r.out_len), "a byte not UTF-8");
    /* Shown, escaped, under the test and in the recap. */
    EXPECT_EQ(st_count(r.out, "      /"), (size_t)1, "%s", r.out);
    EXPECT_STRCONTAINS(r.out, "msg red\\x0D\\xFF");
    EXPECT_STRCONTAINS(r.out, "\"\\x1b]0;pwned\\x07b\"");
    st_free(&r);
}
