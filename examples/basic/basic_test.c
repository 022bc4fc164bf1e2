// SPDX-License-Identifier: MIT
// basic_test.c — a tour of cordon's checks and per-test options. Every test
// here passes: crashes and exits that are the point of a test are pinned
// with .signal and .exit_code.
#include <cordon.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int add(int a, int b) { return a + b; }

TEST(tour, integers)
{
    ASSERT_EQ(add(2, 2), 4);
    EXPECT_NE(add(2, 2), 5);
    EXPECT_LT(-1, 1u); /* signed and unsigned compare by value */
    EXPECT_GE(sizeof(int), (size_t)2, "int is at least 16 bits");
}

TEST(tour, strings_and_pointers)
{
    const char *name = "cordon";
    char *copy = strdup(name);

    ASSERT_NOT_NULL(copy);
    EXPECT_STREQ(copy, name);
    EXPECT_NE(copy, name); /* different pointers */
    free(copy);
    EXPECT_NULL(strchr(name, 'z'));
}

TEST(tour, floating_and_chars)
{
    EXPECT_EQ(0.5 + 0.25, 0.75);
    EXPECT_GT(3.0f, 2.5);
    EXPECT_EQ("abc"[1], 'b');
    EXPECT_TRUE(strlen("abc") == 3);
    EXPECT_FALSE(strlen("abc") == 0);
}

static int *fixture_data;
static void make_data(void) { fixture_data = calloc(4, sizeof *fixture_data); }
static void free_data(void) { free(fixture_data); }

TEST(tour, setup_and_teardown, .setup = make_data, .teardown = free_data)
{
    ASSERT_NOT_NULL(fixture_data);
    EXPECT_EQ(fixture_data[3], 0);
}

TEST(deaths, abort_is_expected, .signal = SIGABRT)
{
    abort();
}

TEST(deaths, null_write_is_expected, .signal = SIGSEGV)
{
    volatile int *p = NULL;
    *p = 1;
}

TEST(deaths, exit_status_is_expected, .exit_code = 3)
{
    exit(3);
}

TEST(tour, quick, .timeout = 0.5)
{
    EXPECT_EQ(add(-1, 1), 0);
}

TEST(tour, not_ready_yet, .disabled = true)
{
    FAIL("disabled tests never run");
}

TEST(tour, skips_itself)
{
    if (getenv("CORDON_EXAMPLE_NO_SKIP") == NULL)
        SKIP("shows how a test skips at run time");
    EXPECT_TRUE(1);
}
