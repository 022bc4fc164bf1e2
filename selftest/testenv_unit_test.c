// SPDX-License-Identifier: MIT
// testenv_unit_test.c — unit tests of the environment a test is given: the
// run's own variables are taken out and, for an in-process run, put back
// byte for byte, whatever their values hold (a newline included), with
// nothing added.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

TEST(testenv_unit, scrubbed_variables_come_back_whole)
{
    char *kept;

    ASSERT_EQ(setenv("XML_OUTPUT_FILE", "/tmp/x\nINJECTED=1", 1), 0);
    ASSERT_EQ(setenv("CORDON_JUNIT", "a=b=c", 1), 0);
    ASSERT_EQ(setenv("CORDON_USERS_OWN", "stays", 1), 0);
    unsetenv("INJECTED");
    kept = cordon__testenv_scrub(true);
    EXPECT_NULL(getenv("XML_OUTPUT_FILE"));
    EXPECT_NULL(getenv("CORDON_JUNIT"));
    EXPECT_STREQ(getenv("CORDON_USERS_OWN"), "stays");
    cordon__testenv_unscrub(kept);
    EXPECT_STREQ(getenv("XML_OUTPUT_FILE"), "/tmp/x\nINJECTED=1");
    EXPECT_STREQ(getenv("CORDON_JUNIT"), "a=b=c");
    EXPECT_NULL(getenv("INJECTED"), "nothing is added");
}
