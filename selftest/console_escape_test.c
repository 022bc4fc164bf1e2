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

/* console_line_is_framed: a console line is a test's line (its verdict
 * first), cordon's own, or indented under one of them. */
static bool
console_line_is_framed(const char *line)
{
    static const char *const starts[] = {"PASS ", "FAIL ", "CRASH ",
                                         "TIMEOUT ", "EXIT ", "SKIP ",
                                         "FLAKY ", "ERROR ", "cordon: ",
                                         " ", ""};

    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (strncmp(line, starts[i], strlen(starts[i])) == 0 &&
            (starts[i][0] != '\0' || line[0] == '\n'))
            return true;
    return false;
}

/* A message of several lines stays under its test on every console line
 * that shows it: the failure, an earlier attempt's, a skip's reason. */
static void
expect_framed(const char *fixture, const char *const *args, const char *text)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, fixture, args, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_FAIL, "%s", r.err);
    EXPECT_STRCONTAINS(r.out, text);
    for (const char *p = r.out; *p != '\0';) {
        const char *nl = strchr(p, '\n');

        EXPECT_TRUE(console_line_is_framed(p), "a line of its own: %.*s",
                    (int)(nl ? nl - p : (long)strlen(p)), p);
        p = nl ? nl + 1 : p + strlen(p);
    }
    st_free(&r);
}

TEST(console_escape, a_message_of_several_lines_stays_indented)
{
    static const char *const retries[] = {"--retries", "1", NULL};

    expect_framed("report_outcomes", retries, "second line of the message");
    expect_framed("console_hostile", NULL, "second line of the reason");
}
