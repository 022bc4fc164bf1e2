// SPDX-License-Identifier: MIT
// input_rules_test.c — one rule for every number the command line and the
// environment give (plain decimal: no blanks, no plus sign, no
// hexadecimal), and test options no run could satisfy refused at start.
#include <cordon.h>

#include <string.h>

#include "support.h"

/* refused runs the pass fixture with one option and its value and checks
 * it is a usage error, on one line. */
static void
refused(const char *option, const char *value)
{
    const char *const args[] = {option, value, NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE, "%s '%s' was taken: %s", option,
              value, r.out);
    EXPECT_EQ(st_count(r.err, "cordon: "), (size_t)1, "%s", r.err);
    st_free(&r);
}

TEST(input_rules, every_number_is_a_plain_decimal)
{
    refused("--jobs", " 4");
    refused("--jobs", "4 ");
    refused("--jobs", "+4");
    refused("--retries", " 1");
    refused("--timeout", " 1");
    refused("--timeout", "+1");
    refused("--timeout", "0x10");
    refused("--timeout", "inf");
    refused("--slow", " 0.5");
    refused("--memory-limit", " 64M");
    refused("--output-limit", " 100");
    refused("--repeat", "0x2");
}

TEST(input_rules, plain_decimals_are_taken)
{
    static const char *const args[] = {"--jobs", "2", "--timeout", "2.5",
                                       "--slow", "0.5", "--memory-limit",
                                       "64M", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_PASS, "%s%s", r.out, r.err);
    st_free(&r);
}

TEST(input_rules, an_exit_code_no_process_can_have_stops_the_binary)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "exit_code_range", NULL, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE, "%s%s", r.out, r.err);
    EXPECT_STRCONTAINS(r.err, "'exit_range/too_high'");
    EXPECT_STRCONTAINS(r.err, ".exit_code = 256");
    EXPECT_STRCONTAINS(r.err, "'exit_range/negative'");
    EXPECT_STRCONTAINS(r.err, ".exit_code = -1");
    EXPECT_EQ(st_count(r.out, "PASS"), (size_t)0, "no test ran: %s", r.out);
    st_free(&r);
}
