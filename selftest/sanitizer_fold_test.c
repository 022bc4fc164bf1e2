// SPDX-License-Identifier: MIT
// sanitizer_fold_test.c — selftests of the console's excerpt of a
// sanitizer report for errors in TEST_P cases (fixtures/sanitizer_param.c,
// built with AddressSanitizer): each stack of the report shows the user's
// frames, and the frames of cordon's below them are one line saying how
// many, so that the stack of where the block was allocated shows as well
// as the stack of the access; the captured stderr in the JUnit report
// keeps the report whole. With a compiler that cannot build the fixture
// with ASan, the tests skip.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

#ifdef CORDON_SELFTEST_ASAN

static const char *const asan_env[] = {"ASAN_OPTIONS=detect_leaks=1", NULL};

/* expect_stack checks that block, a test's console details, has a stack
 * under the line with heading whose frames include the user's function
 * and end with a fold line. */
static void
expect_stack(const char *block, const char *heading, const char *function,
             const char *id)
{
    const char *at = strstr(block, heading);
    const char *stop = at != NULL ? strstr(at, "\n      | \n") : NULL;
    char *want = st_format(" in %s ", function);
    const char *user = at != NULL ? strstr(at, want) : NULL;
    const char *fold = at != NULL ? strstr(at, "\n      |     ... ") : NULL;

    ASSERT_NOT_NULL(at, "%s: no \"%s\" in:\n%s", id, heading, block);
    ASSERT_NOT_NULL(stop, "%s: the stack under \"%s\" does not end in the "
                    "excerpt:\n%s", id, heading, block);
    EXPECT_TRUE(user != NULL && user < stop, "%s: no frame of %s under "
                "\"%s\" in:\n%s", id, function, heading, block);
    EXPECT_TRUE(fold != NULL && fold < stop &&
                strstr(fold, " frames of cordon (#") != NULL &&
                strstr(fold, " frames of cordon (#") < stop,
                "%s: no fold line under \"%s\" in:\n%s", id, heading, block);
    free(want);
}

/* expect_none checks that no frame of cordon's, main's or the program's
 * start is in the excerpt. */
static void
expect_none(const char *block, const char *id)
{
    static const char *const theirs[] = {
        " in cordon__", " in cordon_impl_pwrap_", " in run_phases ",
        " in cordon_main ", " in main ", " in __libc_start", " in _start "};

    for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
        EXPECT_NULL(strstr(block, theirs[i]), "%s: \"%s\" in:\n%s", id,
                    theirs[i], block);
}

TEST(sanitizer_fold, every_stack_of_the_excerpt_shows_the_users_frames,
     .timeout = 60)
{
    struct st_outcomes o;
    char *block;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "sanitizer_param", NULL, asan_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    block = st_console_block(o.run.out, "CRASH", "asan_param/overflows[0]");
    expect_stack(block, "WRITE of size 1 at ", "write_past",
                 "asan_param/overflows[0]");
    expect_stack(block, "allocated by thread T0 here:", "make_block",
                 "asan_param/overflows[0]");
    expect_none(block, "asan_param/overflows[0]");
    free(block);
    /* The report in the captured stderr is whole. */
    {
        const struct st_outcome *t = st_outcome(&o, "asan_param/overflows[0]");

        ASSERT_NOT_NULL(t);
        EXPECT_NOT_NULL(strstr(t->err != NULL ? t->err : "",
                               " in cordon__trampoline_param "), "%s",
                        t->err);
    }
    if (strstr(o.run.out, "LeakSanitizer has encountered a fatal error") ==
        NULL) {
        block = st_console_block(o.run.out, "FAIL", "asan_param/leaks[0]");
        expect_stack(block, "allocated from:", "make_block",
                     "asan_param/leaks[0]");
        expect_none(block, "asan_param/leaks[0]");
        free(block);
    }
    st_outcomes_free(&o);
}

#else

TEST(sanitizer_fold, every_stack_of_the_excerpt_shows_the_users_frames)
{
    SKIP("%s", "this compiler cannot build the fixture with "
               "AddressSanitizer");
}

#endif
