// SPDX-License-Identifier: MIT
// check_test.c — selftests of the checks as a failing test shows them:
// EXPECT_ goes on and ASSERT_ stops, each failure is one line "file:line:
// CHECK(args) failed: values -- message" with values printed in their own
// type, and failures from several threads at once arrive whole or are
// counted, never lost.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* expect_failures checks the details under "FAIL  id  " of out: exactly
 * the failure lines given (each "@mark: text", the mark naming the source
 * line in fixture file), and nothing else but captured output. */
static void
expect_failures(const char *out, const char *file, const char *id,
                const char *const *failures)
{
    char *prefix = st_format("FAIL  %s  ", id);
    char *d = st_details(out, prefix);
    struct { char *data; size_t len; } want = {calloc(1, 1), 0};

    EXPECT_NOT_NULL(d, "no line '%s' in:\n%s", prefix, out);
    for (size_t i = 0; failures[i] != NULL; i++) {
        const char *colon = strchr(failures[i], ':');
        char mark[64];
        char *where, *line;

        snprintf(mark, sizeof mark, "mark:%.*s",
                 (int)(colon - failures[i] - 1), failures[i] + 1);
        where = st_where(file, mark);
        line = st_format("      %s%s\n", where, colon);
        want.data = realloc(want.data, want.len + strlen(line) + 1);
        strcpy(want.data + want.len, line);
        want.len += strlen(line);
        free(line);
        free(where);
    }
    if (d != NULL) {
        /* Captured output, if any, follows the failures. */
        char *output = strstr(d, "      stdout (");

        if (output == NULL)
            output = strstr(d, "      stderr (");
        if (output != NULL)
            *output = '\0';
        EXPECT_STREQ(d, want.data, "under %s", prefix);
    }
    free(want.data);
    free(d);
    free(prefix);
}

#define FAILURES(...) ((const char *const[]){__VA_ARGS__, NULL})

TEST(check, expect_goes_on_and_assert_stops)
{
    struct st_run r;
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "assert_fail", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    expect_failures(r.out, "assert_fail.c", "assert_fail/expect_continues",
                    FAILURES("@expect_first: EXPECT_EQ(got, 42) failed: got "
                             "is 41, expected 42",
                             "@expect_second: EXPECT_EQ(got + 1, 40) failed: "
                             "got + 1 is 42, expected 40 -- second of 2"));
    d = st_details(r.out, "FAIL  assert_fail/expect_continues  ");
    EXPECT_NOT_NULL(strstr(d, "      | reached the end of expect_continues\n"),
                    "EXPECT_ went on:\n%s", d);
    free(d);
    expect_failures(r.out, "assert_fail.c", "assert_fail/assert_stops",
                    FAILURES("@assert_stops: ASSERT_EQ(got, 42) failed: got "
                             "is 41, expected 42 -- parsing abc"));
    d = st_details(r.out, "FAIL  assert_fail/assert_stops  ");
    EXPECT_NOT_NULL(strstr(d, "      | before the ASSERT_EQ\n"), "%s", d);
    EXPECT_NULL(strstr(d, "must not be printed"), "ASSERT_ stopped:\n%s", d);
    free(d);
    expect_failures(r.out, "assert_fail.c", "assert_fail/assert_streq_stops",
                    FAILURES("@assert_streq: ASSERT_STREQ(name, \"b\") "
                             "failed: name is \"a\", expected \"b\""));
    expect_failures(r.out, "assert_fail.c", "assert_fail/assert_true_stops",
                    FAILURES("@assert_true: ASSERT_TRUE(n > 0) failed: n > 0 "
                             "is false -- n was 0"));
    EXPECT_NULL(strstr(r.out, "must not be printed"), "%s", r.out);
    EXPECT_EQ(st_count(r.out, "PASS  assert_fail/passes  "), (size_t)1);
    st_free(&r);
}

TEST(check, expression_text_and_fail_messages)
{
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "assert_fail", NULL, NULL), 0);
    /* Commas inside an operand's brackets do not split it. */
    expect_failures(r.out, "assert_fail.c", "assert_fail/commas_in_operands",
                    FAILURES("@commas: EXPECT_EQ(add(2, 2), 5) failed: "
                             "add(2, 2) is 4, expected 5"));
    expect_failures(r.out, "assert_fail.c", "assert_fail/fail_with_message",
                    FAILURES("@fail_message: FAIL(): bad state 7"));
    expect_failures(r.out, "assert_fail.c",
                    "assert_fail/fail_without_message",
                    FAILURES("@fail_bare: FAIL()"));
    st_free(&r);
}

TEST(check, every_comparison_kind_holds)
{
    static const char *const args[] = {"--filter", "compare/*_holds", NULL};
    struct st_run r;
    char *last;

    ASSERT_EQ(st_run_fixture(&r, "compare", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.out);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 6 passed, 0 failed, 0 skipped");
    free(last);
    st_free(&r);
}

TEST(check, values_print_in_their_own_type)
{
    static const char *const args[] = {"--filter", "compare/*_fails", NULL};
    struct st_run r;
    char *d, *at;

    ASSERT_EQ(st_run_fixture(&r, "compare", args, NULL), 0);
    EXPECT_EQ(r.code, 1);
    expect_failures(r.out, "compare.c", "compare/unsigned_fails",
                    FAILURES("@unsigned_fails: EXPECT_EQ(big, -1) failed: "
                             "big is 4294967295, expected -1"));
    expect_failures(r.out, "compare.c", "compare/signed_fails",
                    FAILURES("@signed_fails: EXPECT_GT(neg, one) failed: "
                             "neg is -1, one is 1"));
    expect_failures(r.out, "compare.c", "compare/char_fails",
                    FAILURES("@char_fails: EXPECT_EQ(c, 'b') failed: c is "
                             "'a' (97), expected 'b' (98)"));
    expect_failures(r.out, "compare.c", "compare/char_escaped_fails",
                    FAILURES("@char_escaped_fails: EXPECT_EQ(nl, 'x') "
                             "failed: nl is '\\n' (10), expected 'x' (120)"));
    expect_failures(r.out, "compare.c", "compare/double_fails",
                    FAILURES("@double_fails: EXPECT_EQ(sum, 0.3) failed: sum "
                             "is 0.30000000000000004, expected 0.3"));
    expect_failures(r.out, "compare.c", "compare/float_fails",
                    FAILURES("@float_fails: EXPECT_EQ(f, 0.2f) failed: f is "
                             "0.1, expected 0.2 (0.2f)"));
    expect_failures(r.out, "compare.c", "compare/null_fails",
                    FAILURES("@null_fails: EXPECT_NOT_NULL(q) failed: q is "
                             "NULL"));
    expect_failures(r.out, "compare.c", "compare/string_fails",
                    FAILURES("@string_fails: EXPECT_STREQ(s, \"quote\\\"d\") "
                             "failed: s is \"tab\\there\", expected "
                             "\"quote\\\"d\""));
    expect_failures(r.out, "compare.c", "compare/null_string_fails",
                    FAILURES("@null_string_fails: EXPECT_STREQ(nothing, "
                             "\"x\") failed: nothing is NULL, expected "
                             "\"x\""));
    expect_failures(r.out, "compare.c", "compare/strne_fails",
                    FAILURES("@strne_fails: EXPECT_STRNE(s, \"same\") "
                             "failed: s is \"same\", expected != \"same\""));
    expect_failures(r.out, "compare.c", "compare/bool_fails",
                    FAILURES("@bool_true_fails: EXPECT_TRUE(f) failed: f is "
                             "false",
                             "@bool_eq_fails: EXPECT_EQ(f, true) failed: f "
                             "is false, expected 1 (true)"));
    expect_failures(r.out, "compare.c", "compare/lt_fails",
                    FAILURES("@lt_fails: EXPECT_LT(n, 3) failed: n is 5, "
                             "expected < 3"));
    /* A pointer prints as an address, which differs from run to run. */
    d = st_details(r.out, "FAIL  compare/pointer_fails  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    at = strstr(d, ": EXPECT_NULL(p) failed: p is 0x");
    EXPECT_NOT_NULL(at, "%s", d);
    EXPECT_NOT_NULL(strstr(d, ", expected NULL\n"), "%s", d);
    free(d);
    st_free(&r);
}

/* The threads fixture's failure n of thread t has this text after file and
 * line. */
static char *
thread_failure(int t, int n)
{
    return st_format(": EXPECT_EQ(id * 100 + i, -1) failed: id * 100 + i is "
                     "%d, expected -1 -- thread %d failure %d\n",
                     t * 100 + n, t, n);
}

TEST(check, failures_from_threads_at_once_arrive_whole)
{
    struct st_run r;
    char *d;
    char *where = st_where("threads.c", "thread %d failure %d");

    ASSERT_EQ(st_run_fixture(&r, "threads", NULL, NULL), 0);
    EXPECT_EQ(r.code, 1);
    /* 4 x 8 failures fill the record exactly: each one is there, whole,
     * once, on a line of its own. */
    d = st_details(r.out, "FAIL  threads/four_threads_fill_the_record  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_EQ(st_count(d, "      "), (size_t)32, "%s", d);
    for (int t = 0; t < 4; t++)
        for (int n = 0; n < 8; n++) {
            char *tail = thread_failure(t, n);
            char *line = st_format("      %s%s", where, tail);

            line[strlen(line) - 1] = '\0';
            EXPECT_TRUE(st_has_line(d, line), "missing or torn: %s", line);
            free(line);
            free(tail);
        }
    free(d);
    /* 8 x 8: 32 are recorded, the other 32 counted. */
    d = st_details(r.out, "FAIL  threads/eight_threads_overflow_it  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_EQ(st_count(d, "      "), (size_t)33, "%s", d);
    EXPECT_EQ(st_count(d, "      /"), (size_t)32, "%s", d);
    EXPECT_TRUE(st_has_line(d, "      [cordon: 32 more failures not "
                               "recorded]"), "%s", d);
    free(d);
    free(where);
    st_free(&r);
}

TEST(check, assert_in_a_thread_ends_the_test_at_once)
{
    struct st_run r;
    char *where = st_where("threads.c", "mark:thread_assert");
    char *want = st_format("      %s: ASSERT_EQ(1, 2) failed: 1, expected 2 "
                           "-- from a thread\n", where);
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "threads", NULL, NULL), 0);
    d = st_details(r.out, "FAIL  threads/assert_in_thread  ");
    /* Nothing printed: not the main thread after the join, and not the
     * teardown (documented). */
    EXPECT_STREQ(d, want);
    free(d);
    free(want);
    free(where);
    st_free(&r);
}
