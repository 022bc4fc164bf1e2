// SPDX-License-Identifier: MIT
// crash_module_test.c — selftests of crash reports of code in a library
// the test process loaded itself with dlopen(), which its runner never
// loaded (fixtures/dlopen_crash.c, fixtures/parts/crash_module.c): the
// frames are named against the test process's own modules, the library's
// functions at their file:line, in the body, in the teardown and when no
// file descriptor is left to read the test's list of modules with, on the
// console and in the JUnit report; without libdw they are the library's
// name and an offset. Never another module that the runner has, or has
// since loaded, at that address: a call into the library after dlclose()
// shows the bare address it called, then the caller.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* expect_module_frames checks that text (a report's crash details, each
 * line after prefix) names the library's frames as #0 and #1, then the
 * fixture's own function that called it. */
static void
expect_module_frames(const char *text, const char *prefix, const char *id)
{
    char *at = st_where("parts/crash_module.c", "crash: module */");
    char *call = st_where("parts/crash_module.c", "crash: module call");
    char *into = st_where("dlopen_crash.c", "crash: into the module");
    char *want = st_format("\n%sbacktrace:\n"
                           "%s  #0 crash_module_write at %s\n"
                           "%s  #1 crash_module_run at %s\n"
                           "%s  #2 call_module at %s\n",
                           prefix, prefix, at, prefix, call, prefix, into);

    EXPECT_NOT_NULL(strstr(text, want), "%s: no\n%s\nin:\n%s", id, want,
                    text);
    free(want);
    want = st_format("\n%saddress 0x0 (NULL pointer)\n", prefix);
    EXPECT_NOT_NULL(strstr(text, want), "%s: no\n%s\nin:\n%s", id, want,
                    text);
    free(want);
    free(into);
    free(call);
    free(at);
}


TEST(crash_module, frames_in_a_dlopened_library_are_its_own, .timeout = 60)
{
    struct st_outcomes o;
    struct st_xml *x;
    char why[512];
    static const char *const ids[] = {
        "dlopen_crash/in_body", "dlopen_crash/in_teardown",
        "dlopen_crash/no_descriptor_free",
        "dlopen_crash/no_descriptor_free_relative"};
    static const char *const words[] = {"CRASH", "ERROR", "CRASH", "CRASH"};
    const char *args[] = {"--filter", "-dlopen_crash/after_dlclose", NULL};

    ASSERT_EQ(st_outcomes(&o, "dlopen_crash", args, crash_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.err);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *block = st_console_block(o.run.out, words[i], ids[i]);
        char *path = st_format("//testcase[@name='%s']/error",
                               strchr(ids[i], '/') + 1);
        char *text = st_xml_string(x, path);
        char *junit = st_format("\n%s", text != NULL ? text : "");

        st_expect_word(&o, ids[i], words[i], NULL);
        expect_module_frames(block, "      ", ids[i]);
        expect_module_frames(junit, "", ids[i]);
        free(junit);
        free(text);
        free(path);
        free(block);
    }
    st_xml_free(x);
    st_outcomes_free(&o);
}

TEST(crash_module, a_call_after_dlclose_is_a_bare_address)
{
    const char *args[] = {"--test", "dlopen_crash/after_dlclose", NULL};
    struct st_run r;
    char *block, *to, *into, *want;
    unsigned long long at = 0;

    ASSERT_EQ(st_run_fixture(&r, "dlopen_crash", args, crash_env), 0);
    block = st_console_block(r.out, "CRASH", "dlopen_crash/after_dlclose");
    to = st_line(block + 1, "      address 0x");
    ASSERT_NOT_NULL(to, "no address line in:\n%s", block);
    EXPECT_EQ(sscanf(to, "      address 0x%llx", &at), 1, "%s", to);
    EXPECT_NOT_NULL(strstr(to, " (nothing is mapped there)"), "%s", to);
    /* Whatever the runner has at that address now, the test had nothing
     * there: the address itself, then who called it. */
    into = st_where("dlopen_crash.c", "crash: into the module");
    {
        /* Frame #0 is the fault's address (on s390x, whose faults name
         * only their page, an address in it). */
        static const char head[] = "\n      backtrace:\n        #0 0x";
        const char *f0 = strstr(block, head);
        unsigned long long frame = 0;

        ASSERT_NOT_NULL(f0, "no frame #0 in:\n%s", block);
        sscanf(f0 + sizeof head - 1, "%llx", &frame);
#if defined(__s390__)
        frame &= ~0xfffULL;
#endif
        EXPECT_EQ(frame, at, "%s", block);
        f0 = strchr(f0 + sizeof head - 1, '\n');
        want = st_format("\n        #1 call_module at %s\n", into);
        EXPECT_TRUE(f0 != NULL && strncmp(f0, want, strlen(want)) == 0,
                    "no\n%s\nafter frame #0 in:\n%s", want, block);
    }
    free(want);
    free(into);
    free(to);
    free(block);
    st_free(&r);
}

TEST(crash_module, without_libdw_the_library_and_an_offset)
{
    struct st_run r;
    char *block;

    ASSERT_EQ(st_run_without_libdw(&r, "dlopen_crash", "dlopen_crash/in_body"), 0);
    block = st_console_block(r.out, "CRASH", "dlopen_crash/in_body");
    /* The runner's dladdr() knows nothing of a library it never loaded:
     * the test process's list of its modules says which one it is. */
    EXPECT_NOT_NULL(strstr(block, "\n        #0 libcrash_module.so+0x"),
                    "%s", block);
    EXPECT_NOT_NULL(strstr(block, "\n        #1 libcrash_module.so+0x"),
                    "%s", block);
    EXPECT_NOT_NULL(strstr(block, "\n        #2 dlopen_crash+0x"), "%s",
                    block);
    free(block);
    st_free(&r);
}
