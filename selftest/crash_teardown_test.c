// SPDX-License-Identifier: MIT
// crash_teardown_test.c — selftests of the crash report of a teardown
// that crashes (fixtures/teardown_crash.c): the console, the JUnit error
// or failure text and the TAP YAML block carry the address, the last check
// that passed and the frames down to the teardown, and the console a
// debug: line, as for a crash in a body; the verdict stays an ERROR after
// a body that passed and the body's FAIL after one that failed, with the
// teardown's crash in its reason.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* One test of the fixture and where its report says it was. */
struct teardown_case {
    const char *id;
    const char *word;    /* its verdict */
    const char *element; /* its JUnit element */
    const char *reason;  /* in its reason */
};

static const struct teardown_case cases[] = {
    {"teardown_crash/body_passed", "ERROR", "error",
     "teardown crashed: killed by SIGSEGV (Segmentation fault)"},
    {"teardown_crash/body_failed", "FAIL", "failure",
     ": FAIL(): the body's own failure; teardown crashed: killed by "
     "SIGSEGV (Segmentation fault)"},
};

/* expect_where checks text, a report's crash details (each line after
 * prefix), for the address, the last check that passed and the frames
 * from the faulting one down to the teardown, the last shown. */
static void
expect_where(const char *text, const char *prefix, const char *id)
{
    char *fault = st_where("teardown_crash.c", "crash: teardown");
    char *check = st_where("teardown_crash.c", "checkpoint: teardown");
    char *call = st_where("teardown_crash.c", "write_through(null_pointer)");
    char *want = st_format("\n%saddress 0x0 (NULL pointer)\n"
                           "%slast check passed: %s\n"
                           "%sbacktrace:\n"
                           "%s  #0 write_through at %s\n"
                           "%s  #1 clean_up at %s\n",
                           prefix, prefix, check, prefix, prefix, fault,
                           prefix, call);

    EXPECT_NOT_NULL(strstr(text, want), "%s: no\n%s\nin:\n%s", id, want,
                    text);
    free(want);
    want = st_format("\n%s  #2 ", prefix);
    EXPECT_NULL(strstr(text, want), "%s: the teardown is the last frame:\n%s",
                id, text);
    free(want);
    free(call);
    free(check);
    free(fault);
}

TEST(crash_teardown, reported_as_a_crash_in_a_body_is, .timeout = 60)
{
    struct st_outcomes o;
    struct st_xml *x;
    char why[512];
    const char *bin = st_fixture("teardown_crash");

    ASSERT_EQ(st_outcomes(&o, "teardown_crash", NULL, crash_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.err);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct teardown_case *c = &cases[i];
        char *head = st_format("%-7s %s  ", c->word, c->id);
        char *details = st_details(o.run.out, head);
        char *block = st_format("\n%s", details != NULL ? details : "");
        char *path = st_format("//testcase[@name='%s']/%s",
                               strchr(c->id, '/') + 1, c->element);
        char *text = st_xml_string(x, path);
        char *junit = st_format("\n%s", text != NULL ? text : "");
        char *debug = st_format("      debug: gdb --args %s --test %s", bin,
                                c->id);
        char *yaml;

        st_expect_word(&o, c->id, c->word, c->reason);
        EXPECT_NOT_NULL(details, "no \"%s\" line in:\n%s", head, o.run.out);
        expect_where(block, "      ", c->id);
        expect_where(junit, "", c->id);
        EXPECT_TRUE(st_has_line(o.run.out, debug), "no \"%s\" in:\n%s", debug,
                    o.run.out);
        yaml = st_format("  address: \"0x0 (NULL pointer)\"\n");
        EXPECT_NOT_NULL(strstr(o.tap, yaml), "%s", o.tap);
        free(yaml);
        free(debug);
        free(junit);
        free(text);
        free(path);
        free(block);
        free(details);
        free(head);
    }
    EXPECT_EQ(st_count(o.tap, "  backtrace: |"), 2, "%s", o.tap);
    st_xml_free(x);
    st_outcomes_free(&o);
}

/* Under a failed body's line the console shows its failure once, then
 * what the teardown did, on a line of its own. */
TEST(crash_teardown, the_body_s_failure_is_shown_once, .timeout = 60)
{
    struct st_run r;
    char *block;
    const char *first, *failure = "the body's own failure";

    ASSERT_EQ(st_run_fixture(&r, "teardown_crash", NULL, crash_env), 0);
    block = st_console_block(r.out, "FAIL", "teardown_crash/body_failed");
    first = strstr(block, failure);
    EXPECT_NOT_NULL(first, "%s", block);
    EXPECT_NULL(first != NULL ? strstr(first + strlen(failure), failure)
                              : NULL,
                "shown twice:%s", block);
    EXPECT_TRUE(st_has_line(r.out, "      teardown crashed: killed by SIGSEGV "
                                   "(Segmentation fault)"),
                "%s", block);
    free(block);
    st_free(&r);
}
