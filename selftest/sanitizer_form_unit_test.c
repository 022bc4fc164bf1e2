// SPDX-License-Identifier: MIT
// sanitizer_form_unit_test.c — unit tests of what counts as a sanitizer's
// report in a test's or isolated function's stderr
// (cordon__sanitizer_parse): a header only in the form its runtime prints
// ("==PID==ERROR: AddressSanitizer: ...", TSan's "(pid=N)", UBSan's
// "file:line:col: runtime error: ..."), never a program's own error text
// that happens to read like one.
#include <cordon.h>

#include <stdio.h>

#include "common.h"
#include "result/result.h"

/* found says whether text holds a report, as parse finds it. */
static bool
found(const char *text)
{
    struct cordon__sanitizer_report rep;
    FILE *f = tmpfile();

    ASSERT_NOT_NULL(f);
    fputs(text, f);
    fflush(f);
    ASSERT_EQ(cordon__sanitizer_parse(fileno(f), &rep), 0);
    fclose(f);
    return rep.found;
}

TEST(sanitizer_form_unit, a_programs_runtime_error_is_no_ubsan_report)
{
    EXPECT_FALSE(found("panic: runtime error: index out of range\n"));
    EXPECT_FALSE(found("myapp: runtime error: config key 'x' missing\n"));
    EXPECT_FALSE(found("a b.c:1:2: runtime error: spaces before\n"));
    EXPECT_TRUE(found("t.c:3:9: runtime error: division by zero\n"));
    EXPECT_TRUE(found("<unknown>: runtime error: call through a null "
                      "pointer\n"));
}

TEST(sanitizer_form_unit, a_header_without_the_pid_prefix_is_no_report)
{
    EXPECT_FALSE(found("ERROR: AddressSanitizer: pretend\n"));
    EXPECT_FALSE(found("WARNING: MemorySanitizer: pretend\n"));
    EXPECT_FALSE(found("WARNING: ThreadSanitizer: data race\n"));
    EXPECT_TRUE(found("==1==ERROR: AddressSanitizer: SEGV on x\n"));
    EXPECT_TRUE(found("WARNING: ThreadSanitizer: data race (pid=9)\n"));
}
