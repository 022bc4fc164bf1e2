// SPDX-License-Identifier: MIT
// symbolize_unit_test.c — unit tests of symbolize.c's pure parts: what an
// address is called by its signal, si_code and the stack pointer, the
// check that a stored __FILE__ pointer is one this process can read, that
// a frame is named in the module the test process had there, and not at
// all where it had no code, and the note when its modules were unknown;
// and what the maps reader says of a mapping's code.
#include <cordon.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "result/result.h"

static const char *
address(int sig, int code, uintptr_t addr, uintptr_t sp)
{
    static char text[128];

    cordon__symbolize_address(sig, code, addr, sp, 0, text, sizeof text);
    return text;
}

TEST(symbolize_unit, addresses_say_what_they_are)
{
    EXPECT_STREQ(address(SIGSEGV, SEGV_MAPERR, 0, 0), "0x0 (NULL pointer)");
    EXPECT_STREQ(address(SIGSEGV, SEGV_MAPERR, 0x18, 0),
                 "0x18 (near NULL: a member of a NULL pointer?)");
    EXPECT_STREQ(address(SIGSEGV, SEGV_MAPERR, 0xdead0000, 0),
                 "0xdead0000 (nothing is mapped there)");
    EXPECT_STREQ(address(SIGSEGV, SEGV_ACCERR, 0xdead0000, 0),
                 "0xdead0000 (mapped, but not for this access)");
    /* Addresses where an i386 stack and mapped files are. */
    EXPECT_STREQ(address(SIGSEGV, SEGV_MAPERR, 0xbffe0ff8, 0xbffe1000),
                 "0xbffe0ff8 (next to the stack pointer: a stack "
                 "overflow)");
    EXPECT_STREQ(address(SIGBUS, BUS_ADRERR, 0xb7001000, 0),
                 "0xb7001000 (no memory behind it: past the end of a "
                 "mapped file?)");
    EXPECT_STREQ(address(SIGBUS, BUS_ADRALN, 0xb7001001, 0),
                 "0xb7001001 (misaligned)");
#if UINTPTR_MAX > 0xffffffffu
    /* And where an x86_64 one's are, past 32 bits: printed whole. */
    EXPECT_STREQ(address(SIGSEGV, SEGV_MAPERR, 0x7ffe0000ff8,
                         0x7ffe0001000),
                 "0x7ffe0000ff8 (next to the stack pointer: a stack "
                 "overflow)");
    EXPECT_STREQ(address(SIGBUS, BUS_ADRERR, 0x7f0000001000, 0),
                 "0x7f0000001000 (no memory behind it: past the end of a "
                 "mapped file?)");
    EXPECT_STREQ(address(SIGBUS, BUS_ADRALN, 0x7f0000001001, 0),
                 "0x7f0000001001 (misaligned)");
#endif
}

TEST(symbolize_unit, a_file_pointer_is_read_only_where_mapped)
{
    char out[64];
    static const char name[] = "selftest/some_test.c";
    char on_stack[] = "on the stack";

    EXPECT_TRUE(cordon__symbolize_file((uintptr_t)__FILE__, out, sizeof out));
    EXPECT_TRUE(cordon__symbolize_file((uintptr_t)name, out, sizeof out));
    EXPECT_STREQ(out, name);
    /* Cut to the buffer, terminated. */
    EXPECT_TRUE(cordon__symbolize_file((uintptr_t)name, out, 9));
    EXPECT_STREQ(out, "selftest");
    EXPECT_FALSE(cordon__symbolize_file(0, out, sizeof out));
    EXPECT_FALSE(cordon__symbolize_file((uintptr_t)on_stack, out, sizeof out));
    EXPECT_FALSE(cordon__symbolize_file(16, out, sizeof out));
}

/* A page of the binary's own read-only data, made unreadable below. */
static const char protected_page[3 * 4096] = {'x', 'y', 'z'};

TEST(symbolize_unit, an_unreadable_file_pointer_is_refused_not_read)
{
    uintptr_t page = ((uintptr_t)protected_page + 4095) & ~(uintptr_t)4095;
    char out[64];
    bool named;

    /* In the binary's mapped range, as dladdr() sees it, yet unreadable:
     * what a test that scribbled on its record can point its checkpoint
     * at. Reading it would crash the worker. */
    ASSERT_EQ(mprotect((void *)page, 4096, PROT_NONE), 0);
    named = cordon__symbolize_file(page + 8, out, sizeof out);
    ASSERT_EQ(mprotect((void *)page, 4096, PROT_READ), 0);
    EXPECT_FALSE(named);
    /* A readable one is copied up to its end. */
    EXPECT_TRUE(cordon__symbolize_file((uintptr_t)protected_page, out,
                                       sizeof out));
    EXPECT_STREQ(out, "xyz");
}

/* named_here is a function of this binary for a crash to be in. */
static int
named_here(int x)
{
    return x * 3 + 1;
}

/* own_module finds the mapping of this binary that holds p: its path
 * and where the binary's first mapping begins. */
static bool
own_module(uintptr_t p, char *path, size_t size, uintptr_t *low)
{
    struct cordon__maps maps;
    struct cordon__maps_line l;
    uintptr_t first = 0;
    uint64_t inode = 0;
    bool found = false;

    if (cordon__maps_open(&maps) == -1)
        return false;
    while (!found && cordon__maps_next(&maps, &l)) {
        if (!l.file)
            continue;
        if (l.inode != inode)
            first = l.start;
        inode = l.inode;
        if (p >= l.start && p < l.end && l.whole) {
            snprintf(path, size, "%s", l.path);
            *low = first;
            found = true;
        }
    }
    cordon__maps_close(&maps);
    return found;
}

/* one_frame_crash makes c a crash of one frame, at pc, in a module
 * noted at path from low. */
static void
one_frame_crash(struct cordon__crash *c, uintptr_t pc, const char *path,
                uintptr_t low)
{
    memset(c, 0, sizeof *c);
    c->nframes = 1;
    c->frames[0] = pc;
    c->nmodules = 1;
    c->module_of[0] = 1;
    c->modules[0].low = low;
    c->modules[0].high = pc + 4096;
    c->modules[0].path = 0;
    snprintf(c->paths, sizeof c->paths, "%s", path);
}

TEST(symbolize_unit, a_frame_is_named_in_the_module_the_test_had_there)
{
    static struct cordon__crash c;
    struct cordon__buf out = {0};
    uintptr_t pc = (uintptr_t)named_here + 2, low = 0;
    char path[4096];

    ASSERT_EQ(named_here(1), 4);
    if (!own_module(pc, path, sizeof path, &low))
        SKIP("%s", "no /proc/self/maps here");
    /* The same file at the same place: this process's own view names it. */
    one_frame_crash(&c, pc, path, low);
    cordon__symbolize(&c, NULL, &out);
    EXPECT_NOT_NULL(strstr(out.data, "#0 named_here"), "%s", out.data);
    /* Another file there in the test process (a library it loaded
     * itself): that one, and where in it, whatever is here. */
    one_frame_crash(&c, pc, "/nonexistent/libelsewhere.so", pc - 0x40);
    out.len = 0;
    cordon__symbolize(&c, NULL, &out);
    EXPECT_NOT_NULL(strstr(out.data, "#0 libelsewhere.so+0x40\n"), "%s",
                    out.data);
    EXPECT_NULL(strstr(out.data, "named_here"), "%s", out.data);
    /* A path the test scribbled over (no end in the record) is ignored. */
    one_frame_crash(&c, pc, path, low);
    memset(c.paths, 'x', sizeof c.paths);
    out.len = 0;
    cordon__symbolize(&c, NULL, &out);
    EXPECT_NOT_NULL(strstr(out.data, "#0 named_here"), "%s", out.data);
    free(out.data);
}

/* exec_at says whether this process's maps call the mapping that holds
 * p executable; -1 when none holds it or there are no maps. */
static int
exec_at(uintptr_t p)
{
    struct cordon__maps maps;
    struct cordon__maps_line l;
    int exec = -1;

    if (cordon__maps_open(&maps) == -1)
        return -1;
    while (exec == -1 && cordon__maps_next(&maps, &l))
        if (p >= l.start && p < l.end)
            exec = l.exec;
    cordon__maps_close(&maps);
    return exec;
}

TEST(symbolize_unit, maps_say_which_mappings_hold_code)
{
    static char data[64];

    if (exec_at((uintptr_t)named_here) == -1)
        SKIP("%s", "no /proc/self/maps here");
    EXPECT_EQ(exec_at((uintptr_t)named_here), 1);
    EXPECT_EQ(exec_at((uintptr_t)data), 0);
}

TEST(symbolize_unit, a_frame_where_the_test_had_no_code_is_its_address)
{
    static struct cordon__crash c;
    struct cordon__buf out = {0};
    uintptr_t pc = (uintptr_t)named_here;
    char want[64];

    /* What is here now is not what the test had: a call to a library it
     * had closed, whose address this process uses for another. */
    memset(&c, 0, sizeof c);
    c.nframes = 2;
    c.frames[0] = pc;
    c.module_of[0] = CORDON__CRASH_NO_CODE;
    c.frames[1] = pc + 8;
    c.module_of[1] = CORDON__CRASH_NO_CODE;
    cordon__symbolize(&c, NULL, &out);
    /* A return address is shown as it was too, not the call before it. */
    snprintf(want, sizeof want, "#0 0x%jx\n#1 0x%jx\n", (uintmax_t)pc,
             (uintmax_t)pc + 8);
    EXPECT_NOT_NULL(strstr(out.data, want), "%s", out.data);
    EXPECT_NULL(strstr(out.data, "named_here"), "%s", out.data);
    free(out.data);
}

TEST(symbolize_unit, an_unread_module_list_is_said_when_a_frame_is_bare)
{
    static struct cordon__crash c;
    struct cordon__buf out = {0};
    static const char note[] = "(the test's module list could not be read: "
                               "no file descriptor was free)\n";

    memset(&c, 0, sizeof c);
    c.nframes = 1;
    c.frames[0] = 0x10;
    c.modules_errno = EMFILE;
    cordon__symbolize(&c, NULL, &out);
    EXPECT_NOT_NULL(strstr(out.data, "#0 0x10\n"), "%s", out.data);
    EXPECT_NOT_NULL(strstr(out.data, note), "%s", out.data);
    /* Said only where it leaves a frame unnamed. */
    c.frames[0] = (uintptr_t)named_here;
    out.len = 0;
    cordon__symbolize(&c, NULL, &out);
    EXPECT_NOT_NULL(strstr(out.data, "#0 named_here"), "%s", out.data);
    EXPECT_NULL(strstr(out.data, "module list"), "%s", out.data);
    /* Any other reason is named too. */
    c.frames[0] = 0x10;
    c.modules_errno = ENOENT;
    out.len = 0;
    cordon__symbolize(&c, NULL, &out);
    EXPECT_NOT_NULL(strstr(out.data, "(the test's module list could not be "
                                     "read: /proc/self/maps: "), "%s",
                    out.data);
    free(out.data);
}
