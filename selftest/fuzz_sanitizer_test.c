// SPDX-License-Identifier: MIT
// fuzz_sanitizer_test.c — selftests of the sanitizer reports of a fuzz
// target's input (fixtures/parts/fuzz_memcmp.c on cordon::fuzz, with
// AddressSanitizer): the verdict names the target's line, not the frame
// of the interceptor (memcmp) that found the error, and the console's
// excerpt of the report ends each stack at LLVMFuzzerTestOneInput, the
// runner's frame below it folded with cordon's. With a compiler that
// cannot build the fixture with ASan, the tests skip.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

#ifdef CORDON_SELFTEST_ASAN

TEST(fuzz_sanitizer, a_use_after_free_in_memcmp_names_the_targets_line,
     .timeout = 60)
{
    static const char *const env[] = {"ASAN_OPTIONS=detect_leaks=0", NULL};
    char *dir = st_tmpdir(), *input = st_format("%s/free", dir);
    char *id = st_format("fuzz/%s", input);
    char *where = st_where("parts/fuzz_memcmp.c", "mark: memcmp");
    const char *const args[] = {input, NULL};
    const struct st_outcome *t;
    struct st_outcomes o;
    char *block;

    st_write_file(input, "free");
    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "fuzz_memcmp_asan", args, env), 0, "%s",
              o.why);
    t = st_outcome(&o, id);
    ASSERT_NOT_NULL(t, "%s", o.run.out);
    EXPECT_STREQ(t->word, "CRASH");
    EXPECT_EQ(strncmp(t->reason, "AddressSanitizer: heap-use-after-free (",
                      39), 0, "%s", t->reason);
    EXPECT_NOT_NULL(strstr(t->reason, where), "%s", t->reason);
    EXPECT_NOT_NULL(strstr(t->reason, " in LLVMFuzzerTestOneInput)"), "%s",
                    t->reason);
    block = st_console_block(o.run.out, "CRASH", id);
    EXPECT_NULL(strstr(block, " in cordon__"), "%s", block);
    EXPECT_NOT_NULL(strstr(block, " in LLVMFuzzerTestOneInput "), "%s",
                    block);
    EXPECT_NOT_NULL(strstr(block, " frames of cordon (#"), "%s", block);
    free(block);
    st_outcomes_free(&o);
    unlink(input);
    free(input);
    free(id);
    free(where);
    st_rmtree(dir);
}

#else

TEST(fuzz_sanitizer, a_use_after_free_in_memcmp_names_the_targets_line)
{
    SKIP("%s", "this compiler cannot build the fixture with "
               "AddressSanitizer");
}

#endif
