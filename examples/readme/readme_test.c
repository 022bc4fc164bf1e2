#include <cordon.h>
#include <signal.h>
#include <stdlib.h>

TEST(math, adds)        { ASSERT_EQ(1 + 1, 2); }
TEST(math, compares)    { EXPECT_LT(-1, 1u, "signed vs unsigned by value"); }
TEST(text, matches)     { EXPECT_STREQ("cordon", "cordon"); }
TEST(legacy, aborts, .signal = SIGABRT) { abort(); }
TEST(legacy, quick, .timeout = 0.5)     { EXPECT_TRUE(getenv("PATH") != NULL); }
