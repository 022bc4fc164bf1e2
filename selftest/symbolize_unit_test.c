// SPDX-License-Identifier: MIT
// symbolize_unit_test.c — unit tests of symbolize.c's pure parts: what an
// address is called by its signal, si_code and the stack pointer, and the
// check that a stored __FILE__ pointer is one this process can read.
#include <cordon.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "result/result.h"

static const char *
address(int sig, int code, uintptr_t addr, uintptr_t sp)
{
    static char text[128];

    cordon__symbolize_address(sig, code, addr, sp, text, sizeof text);
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
    EXPECT_STREQ(address(SIGSEGV, SEGV_MAPERR, 0x7ffe0000ff8, 0x7ffe0001000),
                 "0x7ffe0000ff8 (next to the stack pointer: a stack "
                 "overflow)");
    EXPECT_STREQ(address(SIGBUS, BUS_ADRERR, 0x7f0000001000, 0),
                 "0x7f0000001000 (no memory behind it: past the end of a "
                 "mapped file?)");
    EXPECT_STREQ(address(SIGBUS, BUS_ADRALN, 0x7f0000001001, 0),
                 "0x7f0000001001 (misaligned)");
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
