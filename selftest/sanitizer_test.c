// SPDX-License-Identifier: MIT
// sanitizer_test.c — selftests of sanitizer reports (src/sanitizer.c and
// their verdicts in outcome.c): under LeakSanitizer a test that loses
// memory fails with the leak's summary; an AddressSanitizer or
// UndefinedBehaviorSanitizer error is a CRASH named after the report, not
// an early exit; a ThreadSanitizer data race the test survived fails it;
// the report stays whole in the captured stderr even when the cap would
// cut it, and the console shows its first lines; and console, TAP and
// JUnit all say so. The
// fixtures are built with their sanitizer whatever the build (see
// CMakeLists.txt); with a compiler that cannot, the tests skip.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const asan_env[] = {"ASAN_OPTIONS=detect_leaks=1",
                                       "UBSAN_OPTIONS=print_stacktrace=0",
                                       NULL};

/* junit_type_count counts type="type" attributes in the run's JUnit. */
static size_t
junit_type_count(const struct st_outcomes *o, const char *type)
{
    char *xml = st_read_file(o->junit_path, NULL);
    char *want = st_format("type=\"%s\"", type);
    size_t n = 0;

    for (const char *p = xml; p != NULL && (p = strstr(p, want)) != NULL;
         p++)
        n++;
    free(want);
    free(xml);
    return n;
}

/* expect_reason checks that a reason starts with prefix and has needle. */
static void
expect_reason(const struct st_outcomes *o, const char *id,
              const char *prefix, const char *needle)
{
    const struct st_outcome *t = st_outcome(o, id);

    ASSERT_NOT_NULL(t, "%s not reported", id);
    EXPECT_EQ(strncmp(t->reason, prefix, strlen(prefix)), 0,
              "reason of %s: %s", id, t->reason);
    EXPECT_NOT_NULL(strstr(t->reason, needle), "reason of %s: %s", id,
                    t->reason);
}

#ifdef CORDON_SELFTEST_ASAN

TEST(sanitizer, a_leak_fails_its_test_with_the_leak_summary)
{
    struct st_outcomes o;
    char *details;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "sanitizer_leak", NULL, asan_env), 0, "%s",
              o.why);
    if (strstr(o.run.out, "LeakSanitizer has encountered a fatal error") !=
        NULL) {
        st_outcomes_free(&o);
        SKIP("LeakSanitizer cannot run here (it needs ptrace)");
    }
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "leak/loses_24_bytes", "FAIL",
                      "LeakSanitizer: detected memory leaks (24 bytes in 1 "
                      "allocation)", "", NULL, NULL);
    st_expect_outcome(&o, "leak/frees_what_it_allocates", "PASS", "", "",
                      NULL, "");
    /* A failed check stays the reason; the leak report is in stderr. */
    st_expect_outcome(&o, "leak/loses_memory_and_fails_a_check", "FAIL",
                      NULL, NULL, NULL, NULL);
    EXPECT_NOT_NULL(strstr(st_outcome(&o, "leak/loses_24_bytes")->err,
                           "ERROR: LeakSanitizer: detected memory leaks"));
    EXPECT_EQ(junit_type_count(&o, "sanitizer"), (size_t)1);
    details = st_details(o.run.out, "FAIL    leak/loses_24_bytes");
    ASSERT_NOT_NULL(details, "%s", o.run.out);
    EXPECT_EQ(strncmp(details, "      LeakSanitizer: detected memory leaks "
                      "(24 bytes in 1 allocation)\n", 68), 0, "%s", details);
    free(details);
    st_outcomes_free(&o);
}

TEST(sanitizer, an_asan_error_is_a_crash_named_by_its_report)
{
    static const char *const args[] = {"--output-limit", "4096", NULL};
    struct st_outcomes o;
    const struct st_outcome *t;
    char *line = st_format("sanitizer_asan.c:%d",
                           st_source_line("selftest/fixtures/sanitizer_asan.c",
                                          "/* the overflow */"));
    char *details;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "sanitizer_asan", args, asan_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "asan/heap_buffer_overflow", "CRASH", NULL, "",
                      NULL, NULL);
    expect_reason(&o, "asan/heap_buffer_overflow",
                  "AddressSanitizer: heap-buffer-overflow (", line);
    expect_reason(&o, "asan/overflow_after_much_output",
                  "AddressSanitizer: heap-buffer-overflow (", " in overflow)");
    EXPECT_EQ(junit_type_count(&o, "sanitizer"), (size_t)2);
    /* 100 KB of noise first, a 4 KiB cap: the start of the output, a
     * marker, then the report from its header to its end. */
    t = st_outcome(&o, "asan/overflow_after_much_output");
    ASSERT_NOT_NULL(t);
    EXPECT_EQ(strncmp(t->err, "0000 noise", 10), 0, "%.200s", t->err);
    EXPECT_NOT_NULL(strstr(t->err, "bytes of output omitted"));
    EXPECT_NOT_NULL(strstr(t->err, "ERROR: AddressSanitizer: "
                                   "heap-buffer-overflow"), "%s", t->err);
    EXPECT_NOT_NULL(strstr(t->err, "SUMMARY: AddressSanitizer: "
                                   "heap-buffer-overflow"), "%s", t->err);
    details = st_details(o.run.out, "CRASH   asan/heap_buffer_overflow");
    ASSERT_NOT_NULL(details, "%s", o.run.out);
    EXPECT_EQ(strncmp(details, "      AddressSanitizer: heap-buffer-overflow",
                      44), 0, "%s", details);
    /* The console shows the report's start, not its shadow-byte end. */
    EXPECT_NOT_NULL(strstr(details, "      stderr (first 40 lines of the "
                                    "sanitizer report; "), "%s", details);
    EXPECT_NOT_NULL(strstr(details, "ERROR: AddressSanitizer: "
                                    "heap-buffer-overflow on address"),
                    "%s", details);
    free(details);
    details = st_details(o.run.out, "CRASH   asan/overflow_after_much_output");
    ASSERT_NOT_NULL(details, "%s", o.run.out);
    EXPECT_NOT_NULL(strstr(details, "      | ==") , "%s", details);
    EXPECT_NULL(strstr(details, "noise line"), "%s", details);
    free(details);
    free(line);
    st_outcomes_free(&o);
}

#else

TEST(sanitizer, a_leak_fails_its_test_with_the_leak_summary)
{
    SKIP("the compiler cannot build with -fsanitize=address");
}

TEST(sanitizer, an_asan_error_is_a_crash_named_by_its_report)
{
    SKIP("the compiler cannot build with -fsanitize=address");
}

#endif

#ifdef CORDON_SELFTEST_UBSAN

TEST(sanitizer, a_ubsan_error_is_a_crash_named_by_its_report)
{
    struct st_outcomes o;
    char *line = st_format("sanitizer_ubsan.c:%d:",
                           st_source_line("selftest/fixtures/sanitizer_ubsan.c",
                                          "/* the overflow */"));
    char *details;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "sanitizer_ubsan", NULL, asan_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "ubsan/signed_overflow", "CRASH", NULL, "", NULL,
                      NULL);
    expect_reason(&o, "ubsan/signed_overflow",
                  "UndefinedBehaviorSanitizer: signed integer overflow: "
                  "2147483647 + 1 cannot be represented in type 'int' (",
                  line);
    EXPECT_NOT_NULL(strstr(st_outcome(&o, "ubsan/signed_overflow")->err,
                           ": runtime error: signed integer overflow"));
    EXPECT_EQ(junit_type_count(&o, "sanitizer"), (size_t)1);
    details = st_details(o.run.out, "CRASH   ubsan/signed_overflow");
    ASSERT_NOT_NULL(details, "%s", o.run.out);
    EXPECT_EQ(strncmp(details, "      UndefinedBehaviorSanitizer: signed", 40),
              0, "%s", details);
    free(details);
    free(line);
    st_outcomes_free(&o);
}

#else

TEST(sanitizer, a_ubsan_error_is_a_crash_named_by_its_report)
{
    SKIP("the compiler cannot build with -fsanitize=undefined");
}

#endif

#ifdef CORDON_SELFTEST_TSAN

TEST(sanitizer, a_data_race_fails_its_test)
{
    struct st_outcomes o;
    char *details;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "sanitizer_tsan", NULL, NULL), 0, "%s", o.why);
    if (strstr(o.run.out, "ThreadSanitizer: unexpected memory mapping") !=
        NULL) {
        st_outcomes_free(&o);
        SKIP("ThreadSanitizer cannot run on this kernel's memory layout");
    }
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_outcome(&o, "tsan/data_race", "FAIL", NULL, "", NULL, NULL);
    expect_reason(&o, "tsan/data_race", "ThreadSanitizer: data race (",
                  "sanitizer_tsan.c:");
    EXPECT_EQ(junit_type_count(&o, "sanitizer"), (size_t)1);
    details = st_details(o.run.out, "FAIL    tsan/data_race");
    ASSERT_NOT_NULL(details, "%s", o.run.out);
    EXPECT_EQ(strncmp(details, "      ThreadSanitizer: data race (", 34), 0,
              "%s", details);
    free(details);
    st_outcomes_free(&o);
}

#else

TEST(sanitizer, a_data_race_fails_its_test)
{
    SKIP("no ThreadSanitizer fixture: the compiler cannot build with "
         "-fsanitize=thread, or this is an ASan build");
}

#endif
