// SPDX-License-Identifier: MIT
// crash_report_test.c — selftests of crash reports end to end: for each
// way fixtures/crash.c dies (a NULL and a non-NULL bad address, one in
// inlined code, abort(), a SIGBUS, a SIGFPE, a timeout in a loop) and for
// fixtures/stack_overflow.c, the console, the JUnit <error> text and the
// TAP YAML block name the faulting function (static ones included) at its
// file:line, the address and the last check that passed; a test that dies
// as it expects shows none of it; without debug information, or without a
// usable libdw, frames are still named as far as they can be, and the
// report says why no more; and gdb, run on a crashing test with --no-fork,
// stops at the faulting line. A call to where there is no code (a NULL
// function pointer, an unmapped address, a page of data) shows that
// address as frame #0 and the function that made the call as #1; a jump
// there whose return address leads nowhere either, which makes the
// unwinder fault, still keeps the address and those two frames. The
// fixtures run with ST_ASAN_OPTIONS, so under AddressSanitizer the signals
// reach cordon.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* One crashing test and what its report must say. */
struct crash_case {
    const char *id;
    const char *word;     /* CRASH or TIMEOUT */
    const char *file;     /* fixture source of the frames */
    const char *function; /* the frame that must be shown */
    const char *mark;     /* its line holds this; NULL = any line */
    bool first;           /* it is frame #0 */
    const char *address;  /* the address line starts so; NULL = none */
    const char *checkpoint; /* mark of the last passed check; NULL = none */
};

static const struct crash_case cases[] = {
    {"crash/null_pointer", "CRASH", "crash.c", "read_through", "crash: null",
     true, "address 0x0 (NULL pointer)", "checkpoint: null"},
    {"crash/bad_address", "CRASH", "crash.c", "write_to",
     "crash: bad address", true, "address 0x", "checkpoint: bad address"},
    /* Inlined code is named by the function inlined, and its caller. */
    {"crash/in_inlined_function", "CRASH", "crash.c",
     "write_inline (inlined into cordon_impl_body_crash_in_inlined_function)",
     "crash: inline", true, "address 0x", "checkpoint: inline"},
    {"crash/aborts", "CRASH", "crash.c", "crash_abort_here", "crash: abort",
     false, NULL, NULL},
    {"crash/bus_error", "CRASH", "crash.c",
     "cordon_impl_body_crash_bus_error", "crash: bus", true,
     "address 0x", "checkpoint: bus"},
    {"crash/divides_by_zero", "CRASH", "crash.c", "divide", "crash: divide",
     true, NULL, NULL},
    /* Under ASan, memset is its interceptor's, on top of recurse. */
    {"stack_overflow/recurses_forever", "CRASH", "stack_overflow.c",
     "recurse", NULL, false, "address 0x", NULL},
};

/* untrapped_division is the divide case where a division by zero gives a
 * number (st_divide_traps_why): the fixture raises SIGFPE itself, a frame
 * below divide. */
static const struct crash_case untrapped_division = {
    "crash/divides_by_zero", "CRASH", "crash.c", "divide",
    "crash: raised SIGFPE", false, NULL, NULL};

/* the_case is cases[i], or untrapped_division in its place. */
static const struct crash_case *
the_case(size_t i)
{
    if (strcmp(cases[i].id, untrapped_division.id) == 0 &&
        st_divide_traps_why() != NULL)
        return &untrapped_division;
    return &cases[i];
}

/* frame_line is "function at SOURCE_DIR/selftest/fixtures/file:N\n", or
 * without N and the newline when any line will do. */
static char *
frame_line(const struct crash_case *c)
{
    char *where = st_where(c->file, c->mark != NULL ? c->mark : "");
    char *line;

    if (c->mark == NULL)
        strrchr(where, ':')[1] = '\0';
    line = st_format("%s at %s%s", c->function, where,
                     c->mark != NULL ? "\n" : "");
    free(where);
    return line;
}

/* expect_report checks one test's crash report, as text whose lines are
 * the report's items with prefix before each ("      " on the console,
 * "" in JUnit). */
static void
expect_report(const struct crash_case *c, const char *text,
              const char *prefix, const char *where)
{
    char *frame = frame_line(c);
    char *want = c->first ? st_format("\n%s  #0 %s", prefix, frame)
                          : st_format(" %s", frame);

    EXPECT_NOT_NULL(strstr(text, want), "%s (%s): no \"%s\" in:\n%s", c->id,
                    where, want, text);
    free(want);
    want = st_format("\n%sbacktrace:\n", prefix);
    EXPECT_NOT_NULL(strstr(text, want), "%s (%s):\n%s", c->id, where, text);
    free(want);
    if (c->address != NULL) {
        want = st_format("\n%s%s", prefix, c->address);
        EXPECT_NOT_NULL(strstr(text, want), "%s (%s): no \"%s\" in:\n%s",
                        c->id, where, c->address, text);
        free(want);
    } else {
        EXPECT_NULL(strstr(text, "address 0x"), "%s (%s):\n%s", c->id, where,
                    text);
    }
    if (c->checkpoint != NULL) {
        char *at = st_where("crash.c", c->checkpoint);

        want = st_format("\n%slast check passed: %s\n", prefix, at);
        EXPECT_NOT_NULL(strstr(text, want), "%s (%s): no \"%s\" in:\n%s",
                        c->id, where, want, text);
        free(want);
        free(at);
    } else {
        EXPECT_NULL(strstr(text, "last check passed"), "%s (%s):\n%s", c->id,
                    where, text);
    }
    free(frame);
}


TEST(crash_report, console_names_function_line_address_checkpoint,
     .timeout = 60)
{
    const char *args[] = {NULL};
    struct st_run crash, overflow;

    ASSERT_EQ(st_run_fixture(&crash, "crash", args, crash_env), 0);
    ASSERT_EQ(st_run_fixture(&overflow, "stack_overflow", args, crash_env),
              0);
    EXPECT_EQ(crash.code, 1, "%s", crash.err);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct crash_case *c = the_case(i);
        const struct st_run *r = strncmp(c->id, "crash/", 6) == 0 ? &crash
                                                                 : &overflow;
        char *block = st_console_block(r->out, c->word, c->id);

        expect_report(c, block, "      ", "console");
        free(block);
    }
    {
        char *block = st_console_block(overflow.out, "CRASH",
                                    "stack_overflow/recurses_forever");

        EXPECT_NOT_NULL(strstr(block, "\n        ... the same frame "),
                        "a recursion is shown once with a count:\n%s", block);
        EXPECT_NOT_NULL(strstr(block, " (next to the stack pointer: a stack "
                                      "overflow)\n"), "%s", block);
        free(block);
    }
    st_free(&crash);
    st_free(&overflow);
}

/* One call to where there is no code, and what its address is called. */
struct call_case {
    const char *id;
    const char *what; /* the address line's words after the address */
};

static const struct call_case calls[] = {
    {"crash/calls_null", "(NULL pointer)"},
    {"crash/calls_unmapped", "(nothing is mapped there)"},
    {"crash/calls_data", "(mapped, but not as code: a call or jump into "
                         "data)"},
};

/* expect_call_report checks the report of a call to no code, as text
 * whose items start with prefix: the address, frame #0 at that same
 * address, #1 the caller at the line of the call, then the test body. */
static void
expect_call_report(const struct call_case *c, const char *text,
                   const char *prefix, const char *where)
{
    char *head = st_format("\n%saddress 0x", prefix);
    const char *at = strstr(text, head);
    char *caller = st_where("crash.c", "crash: call");
    char address[32], *want;

    ASSERT_NOT_NULL(at, "%s (%s): no address line in:\n%s", c->id, where,
                    text);
    at += strlen(head) - 2;
    snprintf(address, sizeof address, "%.*s", (int)strcspn(at, " \n"), at);
    want = st_format("\n%saddress %s %s\n", prefix, address, c->what);
    EXPECT_NOT_NULL(strstr(text, want), "%s (%s): no \"%s\" in:\n%s", c->id,
                    where, want, text);
    free(want);
    want = st_format("\n%sbacktrace:\n%s  #0 %s\n%s  #1 call_through at %s\n"
                     "%s  #2 cordon_impl_body_crash_%s at ",
                     prefix, prefix, address, prefix, caller, prefix,
                     strchr(c->id, '/') + 1);
    EXPECT_NOT_NULL(strstr(text, want), "%s (%s): no\n%s\nin:\n%s", c->id,
                    where, want, text);
    free(want);
    free(caller);
    free(head);
}

TEST(crash_report, a_call_to_no_code_shows_the_caller)
{
    const char *args[] = {"--filter", "crash/calls_*", NULL};
    struct st_outcomes o;
    struct st_xml *x;
    char why[512];

    ASSERT_EQ(st_outcomes(&o, "crash", args, crash_env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.err);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        const struct call_case *c = &calls[i];
        char *block = st_console_block(o.run.out, "CRASH", c->id);
        char *path = st_format("//testcase[@name='%s']/error",
                               strchr(c->id, '/') + 1);
        char *text = st_xml_string(x, path);
        char *junit = st_format("\n%s", text != NULL ? text : "");

        expect_call_report(c, block, "      ", "console");
        expect_call_report(c, junit, "", "JUnit");
        free(junit);
        free(text);
        free(path);
        free(block);
    }
    st_xml_free(x);
    st_outcomes_free(&o);
}

TEST(crash_report, a_fault_while_unwinding_keeps_what_was_found)
{
    const char *args[] = {"--test", "crash/jumps_nowhere", NULL};
    struct st_run r;
    char *block, *to, *want;
    unsigned long long at = 0;

    ASSERT_EQ(st_run_fixture(&r, "crash", args, crash_env), 0);
    if (strstr(r.out, "SKIP    crash/jumps_nowhere") != NULL)
        SKIP("%s", "the fixture has no assembly for this machine");
    block = st_console_block(r.out, "CRASH", "crash/jumps_nowhere");
    EXPECT_NOT_NULL(strstr(block, "\n      killed by SIGSEGV"), "%s", block);
    to = st_line(block + 1, "      address 0x");
    ASSERT_NOT_NULL(to, "no address line in:\n%s", block);
    EXPECT_EQ(sscanf(to, "      address 0x%llx", &at), 1, "%s", to);
    EXPECT_NOT_NULL(strstr(to, " (nothing is mapped there)"), "%s", to);
    /* #0 where it jumped, #1 the return address it left, 0x10 on. */
    want = st_format("\n      backtrace:\n        #0 0x%llx\n"
                     "        #1 0x%llx\n", at, at + 0x10);
    EXPECT_NOT_NULL(strstr(block, want), "no\n%s\nin:\n%s", want, block);
    free(want);
    /* Why there are no more, and not a rebuild with -g, which would not
     * help. */
    EXPECT_NOT_NULL(strstr(block, "\n        (the unwinder faulted after "
                                  "these frames: the stack may be "
                                  "damaged)\n"), "%s", block);
    EXPECT_NULL(strstr(block, "-g)"), "%s", block);
    free(to);
    free(block);
    st_free(&r);
}

TEST(crash_report, bad_address_is_the_one_written_to)
{
    const char *args[] = {"--test", "crash/bad_address", NULL};
    struct st_run r;
    char *printed, *want;

    ASSERT_EQ(st_run_fixture(&r, "crash", args, crash_env), 0);
    printed = st_line(strstr(r.out, "| ") ? strstr(r.out, "| ") + 2 : "",
                      "0x");
    ASSERT_NOT_NULL(printed, "the fixture prints the address:\n%s", r.out);
    want = st_format("      address %s (nothing is mapped there)\n", printed);
    EXPECT_NOT_NULL(strstr(r.out, want), "no \"%s\" in:\n%s", want, r.out);
    free(want);
    free(printed);
    st_free(&r);
}

TEST(crash_report, timeout_shows_where_the_loop_was)
{
    const char *args[] = {"--test", "crash/spins", NULL};
    struct st_run r;
    char *block, *where, *want, *colon;

    ASSERT_EQ(st_run_fixture(&r, "crash", args, crash_env), 0);
    block = st_console_block(r.out, "TIMEOUT", "crash/spins");
    /* The alarm lands anywhere in the loop: the function and file count,
     * the line is one of the loop's. */
    where = st_where("crash.c", "crash: spin");
    colon = strrchr(where, ':');
    *colon = '\0';
    want = st_format("\n        #0 spin_forever at %s:", where);
    EXPECT_NOT_NULL(strstr(block, want), "no \"%s\" in:\n%s", want, block);
    free(want);
    want = st_format("\n        #1 cordon_impl_body_crash_spins at %s:",
                     where);
    EXPECT_NOT_NULL(strstr(block, want), "no \"%s\" in:\n%s", want, block);
    free(want);
    free(where);
    free(block);
    st_free(&r);
}

TEST(crash_report, expected_death_shows_no_backtrace)
{
    struct st_outcomes o;
    const char *args[] = {"--test", "crash/expected_abort", NULL};

    ASSERT_EQ(st_outcomes(&o, "crash", args, crash_env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_outcome(&o, "crash/expected_abort", "PASS", NULL, NULL, NULL,
                      NULL);
    EXPECT_NULL(strstr(o.run.out, "backtrace"), "%s", o.run.out);
    EXPECT_NULL(strstr(o.tap, "backtrace"), "%s", o.tap);
    st_outcomes_free(&o);
}

TEST(crash_report, junit_error_text_and_tap_yaml_carry_it, .timeout = 60)
{
    const char *args[] = {"--filter", "-crash/spins", NULL};
    struct st_outcomes o;
    struct st_xml *x;
    char why[512];

    ASSERT_EQ(st_outcomes(&o, "crash", args, crash_env), 0, "%s", o.why);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct crash_case *c = the_case(i);
        const char *name = strchr(c->id, '/') + 1;
        char *path, *text, *message, *block, *frame, *want;

        if (strncmp(c->id, "crash/", 6) != 0)
            continue;
        path = st_format("//testcase[@name='%s']/error", name);
        text = st_xml_string(x, path);
        ASSERT_NOT_NULL(text);
        block = st_format("\n%s", text);
        expect_report(c, block, "", "JUnit");
        free(path);
        path = st_format("string(//testcase[@name='%s']/error/@message)",
                         name);
        message = st_xml_string(x, path);
        EXPECT_STREQ(message, st_outcome(&o, c->id)->reason,
                     "the message stays the one-line reason");
        /* TAP: address and checkpoint as scalars, frames as a block. */
        frame = frame_line(c);
        want = c->first ? st_format("  backtrace: |\n    #0 %s", frame)
                        : st_format(" %s", frame);
        EXPECT_NOT_NULL(strstr(o.tap, want), "no \"%s\" in:\n%s", want,
                        o.tap);
        free(want);
        if (c->address != NULL) {
            want = st_format("  address: \"%s", c->address + 8);
            EXPECT_NOT_NULL(strstr(o.tap, want), "no \"%s\" in:\n%s", want,
                            o.tap);
            free(want);
        }
        if (c->checkpoint != NULL) {
            char *at = st_where("crash.c", c->checkpoint);

            want = st_format("  checkpoint: \"%s\"\n", at);
            EXPECT_NOT_NULL(strstr(o.tap, want), "no \"%s\" in:\n%s", want,
                            o.tap);
            free(want);
            free(at);
        }
        free(frame);
        free(message);
        free(path);
        free(block);
        free(text);
    }
    st_xml_free(x);
    if (system("python3 -c 'import yaml' >/dev/null 2>&1") == 0) {
        char *cmd = st_format("timeout 60 python3 '%s/selftest/tap_yaml.py' "
                              "'%s'", CORDON_SOURCE_DIR, o.tap_path);
        char *said;
        int rc = st_shell(cmd, &said);

        ASSERT_NOT_NULL(said);
        EXPECT_EQ(rc, 0, "the TAP YAML must load: %s", said);
        EXPECT_NOT_NULL(strstr(said, "\"backtrace\": \"#0 read_through at "),
                        "%s", said);
        free(said);
        free(cmd);
    } else {
        fprintf(stderr, "TAP YAML not loaded: python3 with PyYAML not found "
                        "(Debian: apt-get install python3-yaml)\n");
    }
    st_outcomes_free(&o);
}

/* frames_after puts into after (up to max, each to free()) the text of
 * the frames that follow the first frame of function fn in a report's
 * backtrace ("abort" is "#2 abort+0xd2 in libc.so.6" or "#2 abort at
 * ./stdlib/abort.c:79"), numbered on from it, and returns how many there
 * are; -1 when fn has no frame. The C library's frames above it differ:
 * i386 enters the kernel through the vDSO, and a libc6-dbg names more. */
static int
frames_after(const char *block, const char *fn, char **after, int max)
{
    const char *p = block;
    int found = -1, n = 0, number;
    size_t len = strlen(fn);

    while ((p = strstr(p, "\n        #")) != NULL) {
        const char *text, *end;

        p += 10;
        if (sscanf(p, "%d", &number) != 1)
            break;
        text = strchr(p, ' ');
        if (text == NULL)
            break;
        text++;
        end = strchr(text, '\n');
        if (end == NULL)
            end = text + strlen(text);
        if (found >= 0) {
            if (number != found + 1 + n)
                break;
            if (n < max)
                after[n] = st_format("%.*s", (int)(end - text), text);
            n++;
        } else if (strncmp(text, fn, len) == 0 &&
                   (text[len] == '+' || text[len] == ' ')) {
            found = number;
        }
    }
    return found >= 0 ? n : -1;
}

TEST(crash_report, without_debug_information_names_and_says_why)
{
    const char *args[] = {"--test", "crash/null_pointer", "--test",
                          "crash/aborts", NULL};
    static const char note[] = "\n        (no file:line for crash_nodebug: "
                               "no debug information; build the tests with "
                               "-g)\n";
    struct st_run r;
    char *block;

    ASSERT_EQ(st_run_fixture(&r, "crash_nodebug", args, crash_env), 0);
    block = st_console_block(r.out, "CRASH", "crash/null_pointer");
    /* A static function still has its name, from the symbol table. */
    EXPECT_NOT_NULL(strstr(block, "\n        #0 read_through+0x"), "%s",
                    block);
    EXPECT_NOT_NULL(strstr(block, " in crash_nodebug\n"), "%s", block);
    EXPECT_NOT_NULL(strstr(block, note), "%s", block);
    free(block);
    /* Said even when the C library's frames have lines of their own. */
    block = st_console_block(r.out, "CRASH", "crash/aborts");
    {
        char *after[2] = {NULL, NULL};

        EXPECT_EQ(frames_after(block, "abort", after, 2), 2, "%s", block);
        EXPECT_NOT_NULL(after[0]);
        EXPECT_EQ(strncmp(after[0] ? after[0] : "", "crash_abort_here+0x",
                          19), 0, "%s", block);
        EXPECT_EQ(strncmp(after[1] ? after[1] : "",
                          "cordon_impl_body_crash_aborts+0x", 32), 0, "%s",
                  block);
        free(after[0]);
        free(after[1]);
    }
    EXPECT_NOT_NULL(strstr(block, note), "%s", block);
    free(block);
    st_free(&r);
}

TEST(crash_report, without_libdw_names_what_dladdr_can_and_says_why)
{
    struct st_run r;
    char *block;

    ASSERT_EQ(st_run_without_libdw(&r, "crash", "crash/aborts"), 0);
    block = st_console_block(r.out, "CRASH", "crash/aborts");
    /* The C library's abort() is exported; the fixture's functions are
     * not: they are the module and an offset, and the test body, found by
     * its address, is still the last. */
    EXPECT_NOT_NULL(strstr(block, " abort+0x"), "%s", block);
    {
        char *after[3] = {NULL, NULL, NULL};

        EXPECT_EQ(frames_after(block, "abort", after, 3), 2, "%s", block);
        for (int i = 0; i < 2; i++)
            EXPECT_EQ(strncmp(after[i] ? after[i] : "", "crash+0x", 8), 0,
                      "%s", block);
        for (int i = 0; i < 3; i++)
            free(after[i]);
    }
    EXPECT_NOT_NULL(strstr(block, "\n        (names of exported functions "
                                  "only, no file:line: libdw.so.1: no "
                                  "dwfl_begin; install libdw1 to get "
                                  "them)\n"), "%s", block);
    free(block);
    st_free(&r);
}

/* A frame in the vDSO names it the same in every run: libdw calls it
 * "[vdso: PID]", after the process that reads it. */
TEST(crash_report, a_frame_in_the_vdso_is_named_alike_in_every_run)
{
    const char *args[] = {"--test", "vdso/crashes_in_the_vdso", NULL};
    struct st_run r, again;
    char *block, *other;

    if (st_vdso_why() != NULL)
        SKIP("the fixture crashes in the vDSO: %s", st_vdso_why());
    ASSERT_EQ(st_run_fixture(&r, "crash_vdso", args, crash_env), 0);
    ASSERT_EQ(st_run_fixture(&again, "crash_vdso", args, crash_env), 0);
    block = st_console_block(r.out, "CRASH", "vdso/crashes_in_the_vdso");
    other = st_console_block(again.out, "CRASH", "vdso/crashes_in_the_vdso");
    EXPECT_NULL(strstr(block, "[vdso: "), "%s", block);
#if defined(__linux__) && (defined(__i386__) || defined(__x86_64__))
    /* Where the fixture is known to crash in it, the frame is there. */
    EXPECT_NOT_NULL(strstr(block, "\n        #0 __"), "%s", block);
    EXPECT_NOT_NULL(strstr(block, " in [vdso]\n"), "%s", block);
#endif
    EXPECT_STREQ(block, other);
    free(block);
    free(other);
    st_free(&r);
    st_free(&again);
}

TEST(crash_report, gdb_stops_at_the_faulting_line, .timeout = 120)
{
    char *cmd, *said, *where, *want;
    int rc;

    if (!st_command_found("gdb"))
        SKIP("%s", "gdb not found (Debian: apt-get install gdb)");
    ST_NEEDS_NATIVE("gdb");
    cmd = st_format("%s timeout 100 gdb -batch -nx -ex run -ex bt --args "
                    "'%s' --no-fork --test crash/null_pointer </dev/null",
                    ST_ASAN ? ST_ASAN_OPTIONS : "", st_fixture("crash"));
    rc = st_shell(cmd, &said);
    ASSERT_NOT_NULL(said);
    if (strstr(said, "ptrace: Operation not permitted") != NULL ||
        strstr(said, "Could not trace the inferior process") != NULL)
        SKIP("gdb may not trace here: %s", said);
    EXPECT_EQ(rc, 0, "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Program received signal SIGSEGV"), "%s",
                    said);
    where = st_where("crash.c", "crash: null");
    want = st_format("in read_through (p=0x0) at %s\n", where);
    EXPECT_NOT_NULL(strstr(said, want), "no \"%s\" in:\n%s", want, said);
    free(want);
    free(where);
    free(said);
    free(cmd);
}
