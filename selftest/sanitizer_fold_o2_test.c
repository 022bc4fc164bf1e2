// SPDX-License-Identifier: MIT
// sanitizer_fold_o2_test.c — selftests of the console's excerpt of a
// sanitizer report when the user's code is optimised
// (fixtures/sanitizer_o2.c, -O2 without frame pointers, with
// AddressSanitizer): the stacks of where a block was allocated, in a
// test's setup or a suite's .once, end with the user's frames and one
// line for cordon's, though ASan's unwinder skipped the trampoline's
// frame. With a compiler that cannot build the fixture with ASan, the
// tests skip.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

#ifdef CORDON_SELFTEST_ASAN

static const char *const asan_env[] = {"ASAN_OPTIONS=detect_leaks=0", NULL};

/* expect_folded checks that the stack under "allocated by" in block, a
 * test's console details, shows function, and that no frame of cordon's
 * or the program's start is in the excerpt: they are folded into one
 * line, or (libcordon itself built without frame pointers) the unwinder
 * found none. */
static void
expect_folded(const char *block, const char *function, const char *id)
{
    static const char *const theirs[] = {
        " in cordon__", " in run_phases ", " in child_main ", " in serve ",
        " in cordon_main ", " in main ", " in __libc_start", " in _start ",
        "([stack]+"};
    const char *at = strstr(block, "allocated by thread T0 here:");
    const char *stop = at != NULL ? strstr(at, "\n      | \n") : NULL;
    char *want = st_format(" in %s ", function);
    const char *user = at != NULL ? strstr(at, want) : NULL;

    ASSERT_NOT_NULL(stop, "%s: no whole \"allocated by\" stack in:\n%s", id,
                    block);
    EXPECT_TRUE(user != NULL && user < stop, "%s: no frame of %s under "
                "\"allocated by\" in:\n%s", id, function, block);
    for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
        EXPECT_NULL(strstr(block, theirs[i]), "%s: \"%s\" in:\n%s", id,
                    theirs[i], block);
    free(want);
}

TEST(sanitizer_fold_o2, allocation_stacks_fold_below_optimised_code,
     .timeout = 60)
{
    struct st_outcomes o;
    char *block;

#if defined(__i386__)
    SKIP("on 32-bit x86, ASan's frame-pointer unwinder of malloc stacks "
         "does not reach a -O2 function without frame pointers: there is "
         "no user frame to keep");
#endif
    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "sanitizer_o2", NULL, asan_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    block = st_console_block(o.run.out, "CRASH",
                             "asan_o2/reads_past_setups_block");
    expect_folded(block, "o2_setup", "asan_o2/reads_past_setups_block");
    free(block);
    block = st_console_block(o.run.out, "CRASH",
                             "asan_o2_once/reads_past_onces_block");
    expect_folded(block, "o2_once", "asan_o2_once/reads_past_onces_block");
    free(block);
    st_outcomes_free(&o);
}

#else

TEST(sanitizer_fold_o2, allocation_stacks_fold_below_optimised_code)
{
    SKIP("%s", "this compiler cannot build the fixture with "
               "AddressSanitizer");
}

#endif
