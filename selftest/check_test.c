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

/* expect_failures checks test id of a run failed with exactly the
 * failures given (each "@mark: text", the mark naming the source line in
 * fixture file), the first of them as its reason. */
static void
expect_failures(const struct st_outcomes *o, const char *file,
                const char *id, const char *const *failures)
{
    const struct st_outcome *t = st_outcome(o, id);
    char *want = calloc(1, 1), *first = NULL;

    EXPECT_NOT_NULL(t, "%s is not in the report:\n%s", id, o->tap);
    for (size_t i = 0; failures[i] != NULL; i++) {
        const char *colon = strchr(failures[i], ':');
        char mark[64];
        char *where, *line, *more;

        snprintf(mark, sizeof mark, "mark:%.*s",
                 (int)(colon - failures[i] - 1), failures[i] + 1);
        where = st_where(file, mark);
        line = st_format("%s%s", where, colon);
        if (first == NULL)
            first = strdup(line);
        more = st_format("%s%s\n", want, line);
        free(want);
        want = more;
        free(line);
        free(where);
    }
    if (t != NULL) {
        EXPECT_STREQ(t->word, "FAIL", "%s", id);
        EXPECT_STREQ(t->reason, first, "reason of %s", id);
        EXPECT_STREQ(t->failures, want, "failures of %s", id);
    }
    free(first);
    free(want);
}

#define FAILURES(...) ((const char *const[]){__VA_ARGS__, NULL})

TEST(check, expect_goes_on_and_assert_stops)
{
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "assert_fail", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    expect_failures(&o, "assert_fail.c", "assert_fail/expect_continues",
                    FAILURES("@expect_first: EXPECT_EQ(got, 42) failed: got "
                             "is 41, expected 42",
                             "@expect_second: EXPECT_EQ(got + 1, 40) failed: "
                             "got + 1 is 42, expected 40 -- second of 2"));
    t = st_outcome(&o, "assert_fail/expect_continues");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->out, "reached the end of expect_continues\n",
                 "EXPECT_ went on");
    expect_failures(&o, "assert_fail.c", "assert_fail/assert_stops",
                    FAILURES("@assert_stops: ASSERT_EQ(got, 42) failed: got "
                             "is 41, expected 42 -- parsing abc"));
    t = st_outcome(&o, "assert_fail/assert_stops");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->out, "before the ASSERT_EQ\n", "ASSERT_ stopped");
    expect_failures(&o, "assert_fail.c", "assert_fail/assert_streq_stops",
                    FAILURES("@assert_streq: ASSERT_STREQ(name, \"b\") "
                             "failed: name is \"a\", expected \"b\""));
    expect_failures(&o, "assert_fail.c", "assert_fail/assert_true_stops",
                    FAILURES("@assert_true: ASSERT_TRUE(n > 0) failed: n > 0 "
                             "is false -- n was 0"));
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
    expect_failures(&o, "assert_fail.c", "assert_fail/commas_in_operands",
                    FAILURES("@commas: EXPECT_EQ(add(2, 2), 5) failed: "
                             "add(2, 2) is 4, expected 5"));
    expect_failures(&o, "assert_fail.c", "assert_fail/fail_with_message",
                    FAILURES("@fail_message: FAIL(): bad state 7"));
    expect_failures(&o, "assert_fail.c",
                    "assert_fail/fail_without_message",
                    FAILURES("@fail_bare: FAIL()"));
    st_outcomes_free(&o);
}

TEST(check, every_comparison_kind_holds)
{
    static const char *const args[] = {"--filter", "compare/*_holds", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.tap);
    EXPECT_EQ(o.n, (size_t)6);
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)6, "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(check, values_print_in_their_own_type)
{
    static const char *const args[] = {"--filter", "compare/*_fails", NULL};
    struct st_outcomes o;
    const struct st_outcome *t;

    ASSERT_EQ(st_outcomes(&o, "compare", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    expect_failures(&o, "compare.c", "compare/unsigned_fails",
                    FAILURES("@unsigned_fails: EXPECT_EQ(big, -1) failed: "
                             "big is 4294967295, expected -1"));
    expect_failures(&o, "compare.c", "compare/signed_fails",
                    FAILURES("@signed_fails: EXPECT_GT(neg, one) failed: "
                             "neg is -1, one is 1"));
    expect_failures(&o, "compare.c", "compare/char_fails",
                    FAILURES("@char_fails: EXPECT_EQ(c, 'b') failed: c is "
                             "'a' (97), expected 'b' (98)"));
    expect_failures(&o, "compare.c", "compare/char_escaped_fails",
                    FAILURES("@char_escaped_fails: EXPECT_EQ(nl, 'x') "
                             "failed: nl is '\\n' (10), expected 'x' (120)"));
    expect_failures(&o, "compare.c", "compare/double_fails",
                    FAILURES("@double_fails: EXPECT_EQ(sum, 0.3) failed: sum "
                             "is 0.30000000000000004, expected 0.3"));
    expect_failures(&o, "compare.c", "compare/float_fails",
                    FAILURES("@float_fails: EXPECT_EQ(f, 0.2f) failed: f is "
                             "0.1, expected 0.2 (0.2f)"));
    expect_failures(&o, "compare.c", "compare/null_fails",
                    FAILURES("@null_fails: EXPECT_NOT_NULL(q) failed: q is "
                             "NULL"));
    expect_failures(&o, "compare.c", "compare/string_fails",
                    FAILURES("@string_fails: EXPECT_STREQ(s, \"quote\\\"d\") "
                             "failed: s is \"tab\\there\", expected "
                             "\"quote\\\"d\""));
    expect_failures(&o, "compare.c", "compare/null_string_fails",
                    FAILURES("@null_string_fails: EXPECT_STREQ(nothing, "
                             "\"x\") failed: nothing is NULL, expected "
                             "\"x\""));
    expect_failures(&o, "compare.c", "compare/strne_fails",
                    FAILURES("@strne_fails: EXPECT_STRNE(s, \"same\") "
                             "failed: s is \"same\", expected != \"same\""));
    expect_failures(&o, "compare.c", "compare/bool_fails",
                    FAILURES("@bool_true_fails: EXPECT_TRUE(f) failed: f is "
                             "false",
                             "@bool_eq_fails: EXPECT_EQ(f, true) failed: f "
                             "is false, expected 1 (true)"));
    expect_failures(&o, "compare.c", "compare/lt_fails",
                    FAILURES("@lt_fails: EXPECT_LT(n, 3) failed: n is 5, "
                             "expected < 3"));
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
    char *failure = st_format("%s: ASSERT_EQ(1, 2) failed: 1, expected 2 -- "
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
