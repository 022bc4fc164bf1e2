// SPDX-License-Identifier: MIT
// check_float_test.c — selftests of the floating checks beyond NEAR:
// NEAR_REL holds when |a - b| <= rel * max(|a|, |b|) (equal values
// always, infinities only when equal, NaN never) and NAN when its operand
// is a NaN; a failure shows each value in its own type, how far off the
// two are and relatively, and a tolerance that is negative or NaN is
// named as the fault, for NEAR too.
#include <cordon.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(check_float, near_rel_and_nan_hold)
{
    static const char *const args[] = {"--filter", "float_checks/*_holds",
                                       NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "float_checks", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.tap);
    EXPECT_EQ(o.n, (size_t)2);
    st_expect_outcome(&o, "float_checks/near_rel_holds", "PASS", "", "", "",
                      "");
    st_expect_outcome(&o, "float_checks/nan_holds", "PASS", "", "", "", "");
    st_outcomes_free(&o);
}

TEST(check_float, near_rel_says_how_far_off)
{
    static const char *const args[] = {"--filter", "float_checks/near_rel*",
                                       NULL};
    struct st_outcomes o;
    const char *id = "float_checks/near_rel_fails";

    ASSERT_EQ(st_outcomes(&o, "float_checks", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_failures(
        &o, "float_checks.c", id,
        ST_FAILURES("@far: EXPECT_NEAR_REL(got, want, 1e-9) failed: expected "
                    "got within relative 1e-9 of want, but got is 1.0001, "
                    "want is 1, off by 9.999999999998899e-05 (relative "
                    "9.9990000999889e-05)",
                    "@opposite: EXPECT_NEAR_REL(-1.0, 1.0, 1.5) failed: "
                    "expected -1.0 within relative 1.5 of 1.0, but off by 2 "
                    "(relative 2)",
                    "@assert: ASSERT_NEAR_REL(want, 1.5, 0.1) failed: "
                    "expected want within relative 0.1 of 1.5, but want is "
                    "1, off by 0.5 (relative 0.3333333333333333) -- ratio 3"));
    /* ASSERT_NEAR_REL ended the test. */
    st_expect_outcome(&o, id, "FAIL", NULL, NULL, "", NULL);
    /* A float is compared as the float it is: 0.1f is 1.5e-8 away from the
     * double 0.1, relatively. */
    st_expect_failures(
        &o, "float_checks.c",
        "float_checks/near_rel_float_against_double_fails",
        ST_FAILURES("@float_double: EXPECT_NEAR_REL(f, 0.1, 1e-9) failed: "
                    "expected f within relative 1e-9 of 0.1, but f is 0.1, "
                    "off by 1.4901161138336505e-09 (relative "
                    "1.4901160916291904e-08)"));
    st_outcomes_free(&o);
}

TEST(check_float, near_rel_edges_zero_infinity_nan)
{
    static const char *const args[] = {"--filter", "float_checks/near_rel*",
                                       NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "float_checks", args, NULL), 0, "%s", o.why);
    /* Only 0 (of either sign) is relatively near 0. */
    st_expect_failures(
        &o, "float_checks.c", "float_checks/near_rel_near_zero_fails",
        ST_FAILURES("@tiny: EXPECT_NEAR_REL(tiny, 0.0, 0.5) failed: expected "
                    "tiny within relative 0.5 of 0.0, but tiny is 1e-300, "
                    "off by 1e-300 (relative 1)",
                    "@denormal: EXPECT_NEAR_REL(negative_zero, DBL_TRUE_MIN, "
                    "0.5) failed: expected negative_zero within relative 0.5 "
                    "of DBL_TRUE_MIN, but negative_zero is -0, DBL_TRUE_MIN "
                    "is 4.94066e-324, off by 4.94066e-324 (relative 1)"));
    /* An infinity is near only itself, whatever the tolerance. */
    st_expect_failures(
        &o, "float_checks.c", "float_checks/near_rel_infinity_fails",
        ST_FAILURES("@inf_finite: EXPECT_NEAR_REL(infinite, DBL_MAX, 1) "
                    "failed: expected infinite within relative 1 of DBL_MAX, "
                    "but infinite is inf, DBL_MAX is 1.7976931348623157e+308, "
                    "off by inf (relative inf)",
                    "@inf_inf: EXPECT_NEAR_REL(infinite, -infinite, "
                    "INFINITY) failed: expected infinite within relative "
                    "INFINITY of -infinite, but infinite is inf, -infinite "
                    "is -inf, INFINITY is inf, off by inf (relative inf)"));
    /* NaN is near nothing, NaN included. */
    st_expect_failures(
        &o, "float_checks.c", "float_checks/near_rel_nan_fails",
        ST_FAILURES("@nan_nan: EXPECT_NEAR_REL(a, b, 1e9) failed: expected a "
                    "within relative 1e9 of b, but a is nan, b is nan, off by "
                    "nan (relative nan)",
                    "@nan_one: EXPECT_NEAR_REL(a, 1.0, INFINITY) failed: "
                    "expected a within relative INFINITY of 1.0, but a is "
                    "nan, INFINITY is inf, off by nan (relative nan)"));
    st_outcomes_free(&o);
}

TEST(check_float, negative_or_nan_tolerance_is_named)
{
    static const char *const args[] = {"--filter",
                                       "float_checks/bad_tolerance_fails",
                                       NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "float_checks", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    /* Even where a == b: the test itself is wrong. */
    st_expect_failures(
        &o, "float_checks.c", "float_checks/bad_tolerance_fails",
        ST_FAILURES("@rel_negative: EXPECT_NEAR_REL(x, x, -1e-9) failed: "
                    "expected x within relative -1e-9 of x, but -1e-9 is not "
                    "a tolerance (use a number >= 0, e.g. 1e-9)",
                    "@named_negative: EXPECT_NEAR_REL(x, x, tol) failed: "
                    "expected x within relative tol of x, but tol is -0.5, "
                    "which is not a tolerance (use a number >= 0, e.g. "
                    "1e-9)",
                    "@rel_nan: EXPECT_NEAR_REL(x, x, nan_tol) failed: "
                    "expected x within relative nan_tol of x, but nan_tol is "
                    "nan, which is not a tolerance (use a number >= 0, e.g. "
                    "1e-9)",
                    "@near_negative: EXPECT_NEAR(x, x, -1) failed: expected "
                    "x within -1 of x, but -1 is not a tolerance (use a "
                    "number >= 0, e.g. 1e-9)",
                    "@near_nan: ASSERT_NEAR(x, x, nan_tol) failed: expected "
                    "x within nan_tol of x, but nan_tol is nan, which is not "
                    "a tolerance (use a number >= 0, e.g. 1e-9)"));
    st_outcomes_free(&o);
}

/* LDOUBLE_THIRD is 1.0L / 3 as a failed check shows it: the shortest
 * decimal that reads back as the same long double, which has as many
 * digits as the type has: x87's 80 bits (x86), IEEE binary128 (aarch64,
 * s390x) or a double's (where long double is one). */
#if LDBL_MANT_DIG == 64
#define LDOUBLE_THIRD "0.33333333333333333334"
#elif LDBL_MANT_DIG == 113
#define LDOUBLE_THIRD "0.3333333333333333333333333333333333"
#elif LDBL_MANT_DIG == 53
#define LDOUBLE_THIRD "0.3333333333333333"
#else
#error "LDOUBLE_THIRD: a long double of an unknown precision"
#endif

TEST(check_float, nan_shows_what_it_got)
{
    static const char *const args[] = {"--filter", "float_checks/nan_fails",
                                       NULL};
    struct st_outcomes o;
    const char *id = "float_checks/nan_fails";

    ASSERT_EQ(st_outcomes(&o, "float_checks", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_failures(
        &o, "float_checks.c", id,
        ST_FAILURES("@half: EXPECT_NAN(x) failed: expected x to be NaN, but "
                    "x is 0.5",
                    "@negative_zero: EXPECT_NAN(negative_zero) failed: "
                    "expected negative_zero to be NaN, but negative_zero is "
                    "-0",
                    "@infinity: EXPECT_NAN(INFINITY) failed: expected "
                    "INFINITY to be NaN, but INFINITY is inf",
                    "@nan_float: EXPECT_NAN(f) failed: expected f to be NaN, but "
                    "f is 0.1",
                    "@nan_ldouble: EXPECT_NAN(ld) failed: expected ld to be NaN, "
                    "but ld is " LDOUBLE_THIRD " -- a third",
                    "@literal: ASSERT_NAN(1.5) failed: expected 1.5 to be "
                    "NaN"));
    st_expect_outcome(&o, id, "FAIL", NULL, NULL, "", NULL);
    st_outcomes_free(&o);
}

TEST(check_float, new_checks_show_in_every_report)
{
    static const char *const args[] = {
        "--filter", "float_checks/near_rel_fails", "--filter",
        "float_checks/nan_fails", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "float_checks", args, NULL), 0, "%s", o.why);
    st_expect_reported(&o, "float_checks/near_rel_fails", "FAIL",
                       "EXPECT_NEAR_REL(got, want, 1e-9) failed: expected got "
                       "within relative 1e-9 of want, but got is 1.0001");
    st_expect_reported(&o, "float_checks/nan_fails", "FAIL",
                       "EXPECT_NAN(x) failed: expected x to be NaN, but x is "
                       "0.5");
    st_outcomes_free(&o);
}

/* With x87 arithmetic, where expressions keep digits their type has not,
 * a check still compares each operand in its own type: the verdicts are
 * SSE's. */
TEST(check_float, operands_compare_in_their_own_type_under_x87)
{
    struct st_outcomes o;

#ifndef CORDON_SELFTEST_X87
    SKIP("%s", "no x87 arithmetic here: FLT_EVAL_METHOD is not 2 and the "
               "compiler has no -mfpmath=387 (gcc on x86 has it)");
#endif
    ASSERT_EQ(st_outcomes(&o, "x87_excess_precision", NULL, NULL), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.tap);
    EXPECT_EQ(o.n, (size_t)3);
    st_expect_outcome(&o, "x87/expressions_are_evaluated_in_long_double",
                      "PASS", "", "", "", "");
    st_expect_outcome(&o, "x87/a_double_product_compares_as_a_double", "PASS",
                      "", "", "", "");
    st_expect_outcome(&o, "x87/a_float_sum_compares_as_a_float", "PASS", "",
                      "", "", "");
    st_outcomes_free(&o);
}
