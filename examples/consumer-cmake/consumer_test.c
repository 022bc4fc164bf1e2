// SPDX-License-Identifier: MIT
// consumer_test.c — the tests of a project that consumes cordon: one that
// passes, one pinned crash and one skip, so CTest shows each status.
#include <cordon.h>

#include <signal.h>
#include <stdlib.h>

static int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

TEST(clamp, keeps_values_in_range)
{
    EXPECT_EQ(clamp(5, 0, 10), 5);
    EXPECT_EQ(clamp(-3, 0, 10), 0);
    EXPECT_EQ(clamp(42, 0, 10), 10);
}

TEST(clamp, abort_is_expected, .signal = SIGABRT)
{
    if (clamp(1, 0, 10) == 1)
        abort();
}

TEST(platform, skips_on_request)
{
    if (getenv("CORDON_CONSUMER_SKIP") != NULL)
        SKIP("CORDON_CONSUMER_SKIP is set");
    EXPECT_TRUE(1);
}
