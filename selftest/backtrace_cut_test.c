// SPDX-License-Identifier: MIT
// backtrace_cut_test.c — selftests of where a crash's backtrace ends
// (fixtures/crash_kinds.c): whichever function cordon called into the
// user's code through (a TEST body, a TEST_P body, a setup, a teardown, a
// suite's once), the frames shown are the user's only, down to that
// function, and none of cordon's own, of main() or of the program's
// start follow, in the console, the JUnit <error> text and the TAP YAML
// block alike; so too when the fixture is optimised (-O2: bodies inlined
// into the TEST_P wrapper, calls turned into jumps), and without libdw,
// where the frames are cut by their addresses alone.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* One crashing test and the user's function its frames end at. */
struct cut_case {
    const char *id;
    const char *word;     /* its verdict on the console */
    const char *last;     /* the last frame's function, unoptimised */
};

static const struct cut_case cases[] = {
    {"kinds/in_body", "CRASH", "cordon_impl_body_kinds_in_body"},
    {"kinds/in_param_body[0]", "CRASH",
     "cordon_impl_pbody_kinds_in_param_body"},
    {"kinds/in_param_body[1]", "CRASH",
     "cordon_impl_pbody_kinds_in_param_body"},
    {"kinds/in_setup", "CRASH", "crashing_setup"},
    {"kinds/in_teardown", "ERROR", "crashing_teardown"},
    {"kinds_once/after_it", "CRASH", "crashing_once"},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* The function every crash of the fixture is in. */
#define FAULT "fault_here"

/* frames copies the frame lines ("#N ...", leading blanks dropped) that
 * follow the first "backtrace:" in text into out (at most max), and
 * returns how many there are; 0 when there is no backtrace. */
static size_t
frames(const char *text, char **out, size_t max)
{
    const char *p = text != NULL ? strstr(text, "backtrace:") : NULL;
    size_t n = 0;

    if (p == NULL)
        return 0;
    for (p = strchr(p, '\n'); p != NULL && p[1] != '\0';
         p = strchr(p + 1, '\n')) {
        const char *line = p + 1 + strspn(p + 1, " ");
        size_t len = strcspn(line, "\n");

        if (line[0] != '#')
            break;
        if (n < max)
            out[n] = st_format("%.*s", (int)len, line);
        n++;
    }
    return n;
}

/* function_of points at the function a frame line names: what follows
 * "#N ". */
static const char *
function_of(const char *frame)
{
    const char *sp = strchr(frame, ' ');

    return sp != NULL ? sp + 1 : frame;
}

static bool
names(const char *frame, const char *function)
{
    const char *f = function_of(frame);
    size_t n = strlen(function);

    return strncmp(f, function, n) == 0 && (f[n] == ' ' || f[n] == '+');
}

/* expect_cut checks the frames in text, a report of c's crash: each is
 * the fixture's fault_here or c's function (with -O2 either may be all
 * there is, a call made as a jump leaving no frame), the last is c's
 * function when optimised is false, and there are no others. */
static void
expect_cut(const struct cut_case *c, const char *text, bool optimised,
           const char *where)
{
    char *f[8] = {NULL};
    size_t n = frames(text, f, 8);

    EXPECT_TRUE(n >= 1 && n <= 2, "%s (%s): %zu frames in:\n%s", c->id, where,
                n, text);
    for (size_t i = 0; i < n && i < 8; i++)
        EXPECT_TRUE(names(f[i], FAULT) || names(f[i], c->last),
                    "%s (%s): frame \"%s\" is not the user's in:\n%s", c->id,
                    where, f[i], text);
    if (n >= 1)
        EXPECT_TRUE(names(f[0], FAULT), "%s (%s):\n%s", c->id, where, text);
    if (!optimised && n >= 1 && n <= 8)
        EXPECT_TRUE(names(f[n - 1], c->last), "%s (%s): the last frame is "
                    "not %s in:\n%s", c->id, where, c->last, text);
    for (size_t i = 0; i < n && i < 8; i++)
        free(f[i]);
}

/* expect_reports runs fixture and checks every case's frames on the
 * console, in its JUnit <error> (or <failure>) text and its TAP YAML. */
static void
expect_reports(const char *fixture, bool optimised)
{
    struct st_outcomes o;
    struct st_xml *x;
    char why[512];

    ASSERT_EQ(st_outcomes(&o, fixture, NULL, crash_env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.err);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    for (size_t i = 0; i < NCASES; i++) {
        const struct cut_case *c = &cases[i];
        const char *name = strchr(c->id, '/') + 1;
        char *block = st_console_block(o.run.out, c->word, c->id);
        char *path = st_format("//testcase[@name='%s']/error", name);
        char *junit = st_xml_string(x, path);
        const char *tap = strstr(o.tap != NULL ? o.tap : "", c->id);

        expect_cut(c, block, optimised, "console");
        expect_cut(c, junit, optimised, "JUnit");
        expect_cut(c, tap, optimised, "TAP");
        free(junit);
        free(path);
        free(block);
    }
    st_xml_free(x);
    st_outcomes_free(&o);
}

TEST(backtrace_cut, every_kind_of_user_function_ends_the_frames,
     .timeout = 60)
{
    expect_reports("crash_kinds", false);
}

TEST(backtrace_cut, so_too_when_the_users_code_is_optimised, .timeout = 60)
{
    expect_reports("crash_kinds_o2", true);
}

/* Without libdw the fixture's functions have no name (none is exported):
 * the frames are the fault, the body, and at most the TEST_P wrapper
 * (which only debug information tells from the body inlined into it), as
 * the module and an offset; nothing of libcordon's, the C library's or
 * the program's start. */
TEST(backtrace_cut, without_libdw_the_cut_is_by_address, .timeout = 60)
{
    static const char *const ids[] = {"kinds/in_body",
                                      "kinds/in_param_body[0]",
                                      "kinds/in_setup"};

    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        struct st_run r;
        char *block, *f[8] = {NULL};
        size_t n;

        ASSERT_EQ(st_run_without_libdw(&r, "crash_kinds", ids[i]), 0);
        block = st_console_block(r.out, "CRASH", ids[i]);
        n = frames(block, f, 8);
        EXPECT_TRUE(n >= 2 && n <= 3, "%s: %zu frames in:\n%s", ids[i], n,
                    block);
        for (size_t k = 0; k < n && k < 8; k++)
            EXPECT_EQ(strncmp(function_of(f[k]), "crash_kinds+0x", 14), 0,
                      "%s: frame \"%s\" in:\n%s", ids[i], f[k], block);
        for (size_t k = 0; k < n && k < 8; k++)
            free(f[k]);
        free(block);
        st_free(&r);
    }
}
