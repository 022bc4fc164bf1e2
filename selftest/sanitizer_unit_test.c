// SPDX-License-Identifier: MIT
// sanitizer_unit_test.c — unit tests of finding a sanitizer report in a
// test's stderr (cordon__sanitizer_parse, fed synthetic reports of each
// sanitizer) and of the verdicts outcome.c gives a report or valgrind's
// error exit (cordon__outcome_classify, fed synthesized endings): the
// report names a process it stopped as a CRASH, a leak as a FAIL, but a
// failed check stays the reason and an expected death stays a pass.
#include <cordon.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "result/result.h"
#include "unit.h"

TEST(sanitizer_unit, asan_report_with_its_place)
{
    static const char text[] =
        "printed by the test\n"
        "=================================================================\n"
        "==4242==ERROR: AddressSanitizer: heap-use-after-free on address "
        "0x602000000010 at pc 0x1 bp 0x2 sp 0x3\n"
        "READ of size 4 at 0x602000000010 thread T0\n"
        "    #0 0x55 in parse /src/parser.c:12\n"
        "SUMMARY: AddressSanitizer: heap-use-after-free /src/parser.c:12 in "
        "parse\n"
        "==4242==ABORTING\n";
    struct cordon__sanitizer_report rep;

    st_unit_sanitizer_parse(text, &rep);
    EXPECT_TRUE(rep.found);
    EXPECT_FALSE(rep.leak);
    EXPECT_STREQ(rep.tool, "AddressSanitizer");
    EXPECT_STREQ(rep.what, "AddressSanitizer: heap-use-after-free "
                           "(/src/parser.c:12 in parse)");
    EXPECT_EQ(rep.offset, (uint64_t)(strstr(text, "==4242==ERROR") - text));
}

TEST(sanitizer_unit, leak_report_gives_its_sizes)
{
    struct cordon__sanitizer_report rep;

    st_unit_sanitizer_parse(
        "==7==ERROR: LeakSanitizer: detected memory leaks\n\n"
        "Direct leak of 40 byte(s) in 2 object(s) allocated from:\n"
        "SUMMARY: AddressSanitizer: 40 byte(s) leaked in 2 allocation(s).\n",
        &rep);
    EXPECT_TRUE(rep.found);
    EXPECT_TRUE(rep.leak);
    EXPECT_STREQ(rep.what, "LeakSanitizer: detected memory leaks (40 bytes "
                           "in 2 allocations)");
}

TEST(sanitizer_unit, tsan_and_ubsan_reports)
{
    struct cordon__sanitizer_report rep;

    st_unit_sanitizer_parse(
        "==================\n"
        "WARNING: ThreadSanitizer: data race (pid=99)\n"
        "SUMMARY: ThreadSanitizer: data race /src/t.c:5 in worker\n", &rep);
    EXPECT_STREQ(rep.what, "ThreadSanitizer: data race (/src/t.c:5 in "
                           "worker)");
    st_unit_sanitizer_parse(
        "t.c:3:9: runtime error: division by zero\n"
        "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior t.c:3:9 "
        "in\n", &rep);
    EXPECT_STREQ(rep.what, "UndefinedBehaviorSanitizer: division by zero "
                           "(t.c:3:9)");
    EXPECT_STREQ(rep.tool, "UndefinedBehaviorSanitizer");
}

TEST(sanitizer_unit, ordinary_output_is_no_report)
{
    struct cordon__sanitizer_report rep;

    st_unit_sanitizer_parse(
        "ERROR: the parser gave up\nWARNING: Sanitizer: maybe\n"
        "==12==ERROR: no tool here\n", &rep);
    EXPECT_FALSE(rep.found);
    st_unit_sanitizer_parse("", &rep);
    EXPECT_FALSE(rep.found);
}

/* verdict classifies ending e with report rep (NULL = none) and options
 * o, with a fresh record, failing a check first when failed. */
static enum cordon_outcome
verdict(struct cordon__ending e, const struct cordon__sanitizer_report *rep,
        const struct cordon_test_options *o, bool failed, char *reason)
{
    struct cordon__record *rec = cordon__record_map();
    enum cordon_outcome out;

    ASSERT_NOT_NULL(rec);
    cordon__record_reset(rec);
    if (failed)
        cordon__record_add(rec, CORDON__ENTRY_FAILURE, "t.c:1: check");
    e.sanitizer = rep;
    out = cordon__outcome_classify(&e, rec, o, reason, 256);
    cordon__record_unmap(rec);
    return out;
}

TEST(sanitizer_unit, verdicts_of_a_report)
{
    const struct cordon_test_options plain = {.exit_code = CORDON_NO_EXIT};
    const struct cordon_test_options segv = {.exit_code = CORDON_NO_EXIT,
                                             .signal = SIGSEGV};
    const struct cordon__sanitizer_report asan = {
        .found = true, .tool = "AddressSanitizer",
        .what = "AddressSanitizer: SEGV (t.c:2 in f)"};
    const struct cordon__sanitizer_report leak = {
        .found = true, .leak = true, .tool = "LeakSanitizer",
        .what = "LeakSanitizer: detected memory leaks (8 bytes in 1 "
                "allocation)"};
    const struct cordon__ending asan_exit = {.exited = true, .status = 1};
    const struct cordon__ending finished = {.exited = true, .finished = true};
    const struct cordon__ending finished_66 = {.exited = true,
                                               .finished = true,
                                               .status = 66};
    const struct cordon__ending segv_death = {.signaled = true,
                                              .signal = SIGSEGV};
    char reason[256];

    EXPECT_EQ(verdict(asan_exit, &asan, &plain, false, reason),
              CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, asan.what);
    EXPECT_EQ(verdict(finished, &leak, &plain, false, reason),
              CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, leak.what);
    /* A report after which the test went on and finished, whatever
     * status the sanitizer then gave it (TSan's 66). */
    EXPECT_EQ(verdict(finished, &asan, &plain, false, reason),
              CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, asan.what);
    EXPECT_EQ(verdict(finished_66, &asan, &plain, false, reason),
              CORDON_OUTCOME_FAIL);
    /* A failed check stays the reason. */
    EXPECT_EQ(verdict(finished, &leak, &plain, true, reason),
              CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "t.c:1: check");
    /* The death it expected, really by the signal: still a pass. */
    EXPECT_EQ(verdict(segv_death, &asan, &segv, false, reason),
              CORDON_OUTCOME_PASS);
    /* ASan's report and exit instead: a crash that says what was due. */
    EXPECT_EQ(verdict(asan_exit, &asan, &segv, false, reason),
              CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "AddressSanitizer: SEGV (t.c:2 in f), expected "
                         "SIGSEGV");
}

TEST(sanitizer_unit, verdicts_under_valgrind)
{
    const struct cordon_test_options plain = {.exit_code = CORDON_NO_EXIT};
    const struct cordon_test_options exit3 = {.exit_code = 3};
    struct cordon__ending e = {.exited = true, .finished = true,
                               .status = 42, .valgrind = true};
    char reason[256];

    EXPECT_EQ(verdict(e, NULL, &plain, false, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "valgrind reported errors (exit 42)");
    /* Not valgrind's: the test exited before it finished. */
    e.finished = false;
    EXPECT_EQ(verdict(e, NULL, &plain, false, reason), CORDON_OUTCOME_EXIT);
    /* A test that expects an exit status is judged by it. */
    e.finished = true;
    EXPECT_EQ(verdict(e, NULL, &exit3, false, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "expected exit status 3, test returned");
    e.status = 0;
    EXPECT_EQ(verdict(e, NULL, &plain, false, reason), CORDON_OUTCOME_PASS);
}
