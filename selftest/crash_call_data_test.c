// SPDX-License-Identifier: MIT
// crash_call_data_test.c — selftests of how a call into data is reported
// (fixtures/crash_call_data.c): the fault is at the program counter, an
// instruction fetch from a mapping that is not code, for a buffer on the
// stack (next to the stack pointer, but no stack overflow) as for a
// global buffer and a heap block.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

TEST(crash_call_data, a_call_into_data_is_a_fetch_not_a_stack_overflow,
     .timeout = 60)
{
    static const char *const ids[] = {"call_data/stack_buffer",
                                      "call_data/global_buffer",
                                      "call_data/heap_block"};
    const char *args[] = {NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "crash_call_data", args, crash_env), 0);
    EXPECT_EQ(r.code, 1, "%s", r.err);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *block = st_console_block(r.out, "CRASH", ids[i]);
        const char *at = strstr(block, "\n      address 0x");
        unsigned long long addr = 0, frame = 1;
        const char *f0 = strstr(block, "\n        #0 0x");

        ASSERT_NOT_NULL(at, "%s: no address line in:\n%s", ids[i], block);
        EXPECT_NOT_NULL(strstr(at, " (mapped, but not as code: a call or "
                                   "jump into data)\n"),
                        "%s:\n%s", ids[i], block);
        EXPECT_NULL(strstr(block, "stack overflow"), "%s:\n%s", ids[i],
                    block);
        /* The fault's address is frame #0's: the program counter (its
         * page on s390x, whose faults name no more). */
        ASSERT_NOT_NULL(f0, "%s: no frame #0 in:\n%s", ids[i], block);
        sscanf(at, "\n      address 0x%llx", &addr);
        sscanf(f0, "\n        #0 0x%llx", &frame);
#if defined(__s390__)
        frame &= ~0xfffULL;
#endif
        EXPECT_EQ(addr, frame, "%s:\n%s", ids[i], block);
        free(block);
    }
    st_free(&r);
}

/* Optimised, a body's last call is a jump: the frame above the
 * trampoline's is the fault's own, where no code is, which says nothing
 * of the test's debug information (it has it). */
TEST(crash_call_data, a_jump_into_data_is_no_sign_of_missing_debug_information,
     .timeout = 60)
{
    const char *args[] = {NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "crash_call_data_o2", args, crash_env), 0);
    EXPECT_EQ(r.code, 1, "%s", r.err);
    EXPECT_NOT_NULL(strstr(r.out, "CRASH   call_data/global_buffer"), "%s",
                    r.out);
    EXPECT_NULL(strstr(r.out, "no debug information"), "%s", r.out);
    st_free(&r);
}
