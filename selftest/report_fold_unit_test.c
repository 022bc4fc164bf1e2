// SPDX-License-Identifier: MIT
// report_fold_unit_test.c — unit tests of cordon__fold_frames, which
// folds cordon's frames out of each stack of a sanitizer report for the
// console: from the trampoline's frame (and a TEST_P wrapper's just above
// it) to the stack's end, in ASan's, LSan's, UBSan's and TSan's frame
// formats; other lines, and stacks without the trampoline, stay as
// they are.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "run/run.h"
#include "report/report.h"
#include "unit.h"

TEST(report_fold_unit, asan_stacks_fold_from_the_trampoline_down)
{
    static const char in[] =
        "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"
        "READ of size 1 at 0x1 thread T0\n"
        "    #0 0x55 in read_it /src/t.c:9\n"
        "    #1 0x56 in cordon_impl_pbody_s_t /src/t.c:20\n"
        "    #2 0x57 in cordon_impl_pwrap_s_t /src/t.c:18\n"
        "    #3 0x58 in cordon__trampoline_param /src/trampoline.c:50\n"
        "    #4 0x59 in run_phases /src/child.c:97\n"
        "    #5 0x5a in main /src/main_entry.c:9\n"
        "    #6 0x5b in _start (/bin/t+0x49b0)\n"
        "\n"
        "freed by thread T0 here:\n"
        "    #0 0x7f in __interceptor_free asan_malloc_linux.cpp:52\n"
        "    #1 0x60 in cordon_impl_body_s_u /src/t.c:30\n"
        "    #2 0x61 in cordon__trampoline_void (/lib/libcordon.so.0+0x1f)\n"
        "    #3 0x62 in run_phases /src/child.c:99\n"
        "\n"
        "previously allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc asan_malloc_linux.cpp:69\n"
        "    #1 0x63 in helper /src/t.c:5\n"
        "\n"
        "SUMMARY: AddressSanitizer: heap-use-after-free /src/t.c:9 in read_it\n";
    static const char want[] =
        "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"
        "READ of size 1 at 0x1 thread T0\n"
        "    #0 0x55 in read_it /src/t.c:9\n"
        "    #1 0x56 in cordon_impl_pbody_s_t /src/t.c:20\n"
        "    ... 5 frames of cordon (#2 to #6)\n"
        "\n"
        "freed by thread T0 here:\n"
        "    #0 0x7f in __interceptor_free asan_malloc_linux.cpp:52\n"
        "    #1 0x60 in cordon_impl_body_s_u /src/t.c:30\n"
        "    ... 2 frames of cordon (#2 to #3)\n"
        "\n"
        "previously allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc asan_malloc_linux.cpp:69\n"
        "    #1 0x63 in helper /src/t.c:5\n"
        "\n"
        "SUMMARY: AddressSanitizer: heap-use-after-free /src/t.c:9 in read_it\n";

    ST_EXPECT_FOLD(in, want, 2);
}

TEST(report_fold_unit, a_stack_ending_the_text_and_tsan_frames_fold)
{
    /* TSan: no address, the module after the place; the text ends inside
     * the stack, without a newline. */
    static const char in[] =
        "  Write of size 4 at 0x7b by main thread:\n"
        "    #0 bump /src/t.c:7 (t+0x12)\n"
        "    #1 cordon__trampoline_void /src/trampoline.c:40 (t+0x34)\n"
        "    #2 run_phases /src/child.c:99 (t+0x56)";
    static const char want[] =
        "  Write of size 4 at 0x7b by main thread:\n"
        "    #0 bump /src/t.c:7 (t+0x12)\n"
        "    ... 2 frames of cordon (#1 to #2)\n";

    ST_EXPECT_FOLD(in, want, 1);
}

TEST(report_fold_unit, what_is_not_cordons_stays)
{
    /* No trampoline in the stack (a thread of the test's); a wrapper's
     * name without the trampoline below it; a UBSan report's lines. */
    static const char in[] =
        "t.c:12:5: runtime error: signed integer overflow\n"
        "    #0 0x10 in worker_thread /src/t.c:12\n"
        "    #1 0x11 in cordon_impl_pwrap_s_t /src/t.c:18\n"
        "    #2 0x12 in start_thread pthread_create.c:442\n"
        "#3 is not a frame\n"
        "    #x 0x13 in cordon__trampoline_void\n";

    ST_EXPECT_FOLD(in, in, 0);
}
