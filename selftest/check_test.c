// SPDX-License-Identifier: MIT
// check_test.c — selftests of the checks as a failing test shows them:
// EXPECT_ goes on and ASSERT_ stops, each failure is one line "file:line:
// CHECK(args) failed: values -- message" with values printed in their own
// type, and failures from several threads at once arrive whole or are
// counted, never lost. Failures and output are read from the reports
// (outcomes.h).
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(check, expect_goes_on_and_assert_stops)
{
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "assert_fail", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_failures(&o, "assert_fail.c", "assert_fail/expect_continues",
                       ST_FAILURES("@expect_first: EXPECT_EQ(got, 42) failed: "
                                   "expected got == 42, but got is 41",
                                   "@expect_second: EXPECT_EQ(got + 1, 40) "
                                   "failed: expected got + 1 == 40, but got + "
                                   "1 is 42 -- second of 2"));
    t = st_outcome(&o, "assert_fail/expect_continues");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->out, "reached the end of expect_continues\n",
                 "EXPECT_ went on");
    st_expect_failures(&o, "assert_fail.c", "assert_fail/assert_stops",
                       ST_FAILURES("@assert_stops: ASSERT_EQ(got, 42) failed: "
                                   "expected got == 42, but got is 41 -- "
                                   "parsing abc"));
    t = st_outcome(&o, "assert_fail/assert_stops");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->out, "before the ASSERT_EQ\n", "ASSERT_ stopped");
    st_expect_failures(&o, "assert_fail.c", "assert_fail/assert_streq_stops",
                       ST_FAILURES("@assert_streq: ASSERT_STREQ(name, \"b\") "
                                   "failed: expected name == \"b\", but name "
                                   "is \"a\""));
    st_expect_failures(&o, "assert_fail.c", "assert_fail/assert_true_stops",
                       ST_FAILURES("@assert_true: ASSERT_TRUE(n > 0) failed: "
                                   "n > 0 is false -- n was 0"));
    for (size_t i = 0; i < o.n; i++)
        EXPECT_NULL(strstr(o.tests[i].out, "must not be printed"), "%s: %s",
                    o.tests[i].id, o.tests[i].out);
    st_expect_outcome(&o, "assert_fail/passes", "PASS", "", "", NULL, NULL);
    st_outcomes_free(&o);
}

TEST(check, expression_text_and_fail_messages)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "assert_fail", NULL, NULL), 0, "%s", o.why);
    /* Commas inside an operand's brackets do not split it. */
    st_expect_failures(&o, "assert_fail.c", "assert_fail/commas_in_operands",
                       ST_FAILURES("@commas: EXPECT_EQ(add(2, 2), 5) failed: "
                                   "expected add(2, 2) == 5, but add(2, 2) is "
                                   "4"));
    st_expect_failures(&o, "assert_fail.c", "assert_fail/fail_with_message",
                       ST_FAILURES("@fail_message: FAIL(): bad state 7"));
    st_expect_failures(&o, "assert_fail.c",
                       "assert_fail/fail_without_message",
                       ST_FAILURES("@fail_bare: FAIL()"));
    st_outcomes_free(&o);
}

TEST(check, every_comparison_kind_holds)
{
    static const char *const args[] = {"--filter", "compare/*_holds", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.tap);
    EXPECT_EQ(o.n, (size_t)8);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)8, "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(check, values_print_in_their_own_type)
{
    static const char *const args[] = {"--filter", "compare/*_fails", NULL};
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_failures(&o, "compare.c", "compare/unsigned_fails",
                       ST_FAILURES("@unsigned_fails: EXPECT_EQ(big, -1) "
                                   "failed: expected big == -1, but big is "
                                   "4294967295"));
    st_expect_failures(&o, "compare.c", "compare/signed_fails",
                       ST_FAILURES("@signed_fails: EXPECT_GT(neg, one) "
                                   "failed: expected neg > one, but neg is "
                                   "-1, one is 1"));
    st_expect_failures(&o, "compare.c", "compare/char_fails",
                       ST_FAILURES("@char_fails: EXPECT_EQ(c, 'b') failed: "
                                   "expected c == 'b', but c is 'a' (97)"));
    st_expect_failures(&o, "compare.c", "compare/char_escaped_fails",
                       ST_FAILURES("@char_escaped_fails: EXPECT_EQ(nl, 'x') "
                                   "failed: expected nl == 'x', but nl is "
                                   "'\\n' (10)"));
    st_expect_failures(&o, "compare.c", "compare/double_fails",
                       ST_FAILURES("@double_fails: EXPECT_EQ(sum, 0.3) "
                                   "failed: expected sum == 0.3, but sum is "
                                   "0.30000000000000004"));
    st_expect_failures(&o, "compare.c", "compare/float_fails",
                       ST_FAILURES("@float_fails: EXPECT_EQ(f, 0.2f) failed: "
                                   "expected f == 0.2f, but f is 0.1"));
    st_expect_failures(&o, "compare.c", "compare/null_fails",
                       ST_FAILURES("@null_fails: EXPECT_NOT_NULL(q) failed: q "
                                   "is NULL"));
    st_expect_failures(&o, "compare.c", "compare/string_fails",
                       ST_FAILURES("@string_fails: EXPECT_STREQ(s, "
                                   "\"quote\\\"d\") failed: expected s == "
                                   "\"quote\\\"d\", but s is \"tab\\there\""));
    st_expect_failures(&o, "compare.c", "compare/null_string_fails",
                       ST_FAILURES("@null_string_fails: EXPECT_STREQ(nothing, "
                                   "\"x\") failed: expected nothing == \"x\", "
                                   "but nothing is NULL"));
    st_expect_failures(&o, "compare.c", "compare/strne_fails",
                       ST_FAILURES("@strne_fails: EXPECT_STRNE(s, \"same\") "
                                   "failed: expected s != \"same\", but s is "
                                   "\"same\""));
    st_expect_failures(&o, "compare.c", "compare/bool_fails",
                       ST_FAILURES("@bool_true_fails: EXPECT_TRUE(f) failed: "
                                   "f is false",
                                   "@bool_eq_fails: EXPECT_EQ(f, true) "
                                   "failed: expected f == true, but f is "
                                   "false, true is 1"));
    st_expect_failures(&o, "compare.c", "compare/lt_fails",
                       ST_FAILURES("@lt_fails: EXPECT_LT(n, 3) failed: "
                                   "expected n < 3, but n is 5"));
    /* A pointer prints as an address, which differs from run to run. */
    t = st_outcome(&o, "compare/pointer_fails");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL");
    EXPECT_NOT_NULL(strstr(t->failures, ": EXPECT_NULL(p) failed: p is 0x"),
                    "%s", t->failures);
    EXPECT_NOT_NULL(strstr(t->failures, ", expected NULL\n"), "%s",
                    t->failures);
    EXPECT_EQ(st_count(t->failures, ""), (size_t)1, "%s", t->failures);
    st_outcomes_free(&o);
}

TEST(check, string_checks_take_byte_strings)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "check_bytes", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.err);
    st_expect_outcome(&o, "check_bytes/byte_strings_hold", "PASS", "", "",
                      "", "");
    st_expect_failures(&o, "check_bytes.c", "check_bytes/byte_string_fails",
                       ST_FAILURES("@streq: EXPECT_STREQ(json, "
                                   "\"{\\\"a\\\":2}\") failed: expected json "
                                   "== \"{\\\"a\\\":2}\", but json is "
                                   "\"{\\\"a\\\":1}\"",
                                   "@strne: EXPECT_STRNE(json, json) failed: "
                                   "expected json != json, but json is "
                                   "\"{\\\"a\\\":1}\", json is "
                                   "\"{\\\"a\\\":1}\"",
                                   "@null: ASSERT_STREQ(none, json) failed: "
                                   "expected none == json, but none is NULL, "
                                   "json is \"{\\\"a\\\":1}\""));
    st_outcomes_free(&o);
}

TEST(check, literal_first_reads_right)
{
    static const char *const args[] = {"--filter", "compare/literal*", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_failures(&o, "compare.c", "compare/literal_first_fails",
                       ST_FAILURES("@literal_first_fails: EXPECT_LT(5, n) "
                                   "failed: expected 5 < n, but n is 4",
                                   "@literals_fail: EXPECT_EQ(1, 2) failed: "
                                   "expected 1 == 2"));
    st_outcomes_free(&o);
}

TEST(check, near_memeq_and_strcontains_say_why)
{
    static const char *const args[] = {"--filter", "compare/near_*",
                                       "--filter", "compare/mem*",
                                       "--filter", "compare/strcontains*",
                                       NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_failures(&o, "compare.c", "compare/near_fails",
                       ST_FAILURES("@near_fails: EXPECT_NEAR(x, 0.3, 1e-9) "
                                   "failed: expected x within 1e-9 of 0.3, "
                                   "but x is 0.31, off by "
                                   "0.010000000000000009",
                                   "@near_named_fails: ASSERT_NEAR(0.5, x, "
                                   "tol) failed: expected 0.5 within tol of "
                                   "x, but x is 0.31, tol is 0.001, off by "
                                   "0.19 -- tol 0.001"));
    st_expect_failures(&o, "compare.c", "compare/near_nan_fails",
                       ST_FAILURES("@near_nan_fails: EXPECT_NEAR(NAN, 1.0, "
                                   "1e9) failed: expected NAN within 1e9 of "
                                   "1.0, but NAN is nan, off by nan"));
    st_expect_failures(&o, "compare.c", "compare/memeq_fails",
                       ST_FAILURES("@memeq_fails: EXPECT_MEMEQ(got, want, "
                                   "sizeof got) failed: expected got == want "
                                   "(20 bytes), but they differ at offset 12: "
                                   "got +4: 04 05 06 07 08 09 0a 0b [ff] 0d "
                                   "0e 0f 10 11 12 13; want +4: 04 05 06 07 "
                                   "08 09 0a 0b [0c] 0d 0e 0f 10 11 12 13",
                                   "@memeq_short_fails: ASSERT_MEMEQ(\"ab\", "
                                   "\"ac\", 2) failed: expected \"ab\" == "
                                   "\"ac\" (2 bytes), but they differ at "
                                   "offset 1: \"ab\" +0: 61 [62]; \"ac\" +0: "
                                   "61 [63]"));
    st_expect_failures(&o, "compare.c", "compare/memeq_null_fails",
                       ST_FAILURES("@memeq_null_fails: EXPECT_MEMEQ(none, "
                                   "\"x\", 1) failed: expected none == \"x\" "
                                   "(1 bytes), but none is NULL"));
    st_expect_failures(&o, "compare.c", "compare/strcontains_fails",
                       ST_FAILURES("@strcontains_fails: "
                                   "EXPECT_STRCONTAINS(log, \"ready\") "
                                   "failed: expected log to contain "
                                   "\"ready\", but log is \"starting\"",
                                   "@strcontains_named_fails: "
                                   "EXPECT_STRCONTAINS(log, word) failed: "
                                   "expected log to contain word, but log is "
                                   "\"starting\", word is \"ready\"",
                                   "@strcontains_null_fails: "
                                   "ASSERT_STRCONTAINS(NULL, \"x\") failed: "
                                   "expected NULL to contain \"x\""));
    st_outcomes_free(&o);
}

TEST(check, new_checks_show_in_every_report)
{
    static const char *const args[] = {"--filter", "compare/near_fails",
                                       "--filter", "compare/memeq_fails",
                                       "--filter", "compare/strcontains_fails",
                                       "--filter", "compare/literal_first*",
                                       NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    st_expect_reported(&o, "compare/literal_first_fails", "FAIL",
                       "EXPECT_LT(5, n) failed: expected 5 < n, but n is 4");
    st_expect_reported(&o, "compare/near_fails", "FAIL",
                       "EXPECT_NEAR(x, 0.3, 1e-9) failed: expected x within "
                       "1e-9 of 0.3, but x is 0.31, off by "
                       "0.010000000000000009");
    st_expect_reported(&o, "compare/memeq_fails", "FAIL",
                       "they differ at offset 12: got +4: 04 05 06 07 08 09 "
                       "0a 0b [ff] 0d");
    st_expect_reported(&o, "compare/strcontains_fails", "FAIL",
                       "expected log to contain \"ready\", but log is "
                       "\"starting\"");
    st_outcomes_free(&o);
}

/* The threads fixture's failure n of thread t has this text after file and
 * line. */
static char *
thread_failure(int t, int n)
{
    return st_format(": EXPECT_EQ(id * 100 + i, -1) failed: expected id * "
                     "100 + i == -1, but id * 100 + i is %d -- thread %d "
                     "failure %d\n",
                     t * 100 + n, t, n);
}

TEST(check, failures_from_threads_at_once_arrive_whole)
{
    struct st_outcomes o;
    const struct st_outcome *t;
    char *where = st_where("threads.c", "thread %d failure %d");

    ASSERT_EQ(st_outcomes(&o, "threads", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    /* 4 x 8 failures fill the record exactly: each one is there, whole,
     * once, on a line of its own. */
    t = st_outcome(&o, "threads/four_threads_fill_the_record");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL");
    EXPECT_EQ(st_count(t->failures, ""), (size_t)32, "%s", t->failures);
    for (int th = 0; th < 4; th++)
        for (int n = 0; n < 8; n++) {
            char *tail = thread_failure(th, n);
            char *line = st_format("%s%s", where, tail);

            line[strlen(line) - 1] = '\0';
            EXPECT_TRUE(st_has_line(t->failures, line), "missing or torn: %s",
                        line);
            free(line);
            free(tail);
        }
    /* 8 x 8: 32 are recorded, the other 32 counted. */
    t = st_outcome(&o, "threads/eight_threads_overflow_it");
    ASSERT_NOT_NULL(t, "%s", o.tap);
    EXPECT_STREQ(t->word, "FAIL");
    EXPECT_EQ(st_count(t->failures, ""), (size_t)33, "%s", t->failures);
    EXPECT_EQ(st_count(t->failures, "/"), (size_t)32, "%s", t->failures);
    EXPECT_TRUE(st_has_line(t->failures, "[cordon: 32 more failures not "
                                         "recorded]"), "%s", t->failures);
    free(where);
    st_outcomes_free(&o);
}

TEST(check, assert_in_a_thread_ends_the_test_at_once)
{
    struct st_outcomes o;
    char *where = st_where("threads.c", "mark:thread_assert");
    char *failure = st_format("%s: ASSERT_EQ(1, 2) failed: expected 1 == 2 -- "
                              "from a thread", where);
    char *failures = st_format("%s\n", failure);

    ASSERT_EQ(st_outcomes(&o, "threads", NULL, NULL), 0, "%s", o.why);
    /* Nothing printed: not the main thread after the join, and not the
     * teardown (documented). */
    st_expect_outcome(&o, "threads/assert_in_thread", "FAIL", failure,
                      failures, "", "");
    free(failures);
    free(failure);
    free(where);
    st_outcomes_free(&o);
}
