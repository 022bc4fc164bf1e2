// SPDX-License-Identifier: MIT
// showcase_test.c — failures on purpose: what cordon reports when a test
// fails a check, crashes, hangs or exits early. The run around it goes on.
// ci/demo expects exactly these outcomes and exits 0 when it sees them.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_number(const char *s) { return atoi(s) + (s[0] == '4'); }

TEST(on_purpose, assertion_failure)
{
    int got = parse_number("41");

    printf("parsing \"41\" gave %d\n", got);
    EXPECT_EQ(got, 41, "parsing %s", "\"41\"");
    ASSERT_STREQ("cordon", "cordoned");
    puts("never printed: ASSERT_ ended the test");
}

TEST(on_purpose, crash)
{
    volatile char *p = NULL;

    fputs("about to write through NULL\n", stderr);
    p[0] = 'b';
}

TEST(on_purpose, timeout, .timeout = 0.5)
{
    for (volatile unsigned long i = 0;; i++)
        ;
}

TEST(on_purpose, early_exit)
{
    puts("a library called exit(0) in the middle of the test");
    exit(0);
}

TEST(on_purpose, passes_between_failures)
{
    EXPECT_EQ(parse_number("7"), 7);
}
