// SPDX-License-Identifier: MIT
// report_fold_tail_unit_test.c — unit tests of cordon__fold_frames on
// stacks without the trampoline's frame: an unwinder that follows frame
// pointers skips it when the user's code was built without them (-O2),
// and the stack runs on from the user's frame straight into cordon's
// (run_phases, the worker, cordon_main, main, the C library's start).
// Such a tail is folded from its first frame of cordon's own (by its file
// under libcordon's sources, its module libcordon, or its cordon__ or
// cordon_ name); frames of cordon's above the user's (an assertion's
// function) stay, and a stack with no frame of cordon's is left whole.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "run/run.h"
#include "report/report.h"
#include "unit.h"

#define SRC CORDON_SOURCE_DIR "/src/"

TEST(report_fold_tail_unit, a_tail_without_the_trampoline_folds_by_file)
{
    /* The user's setup at -O2: "allocated by" runs from setup_alloc into
     * run_phases; the access stack has the trampoline. */
    static const char in[] =
        "READ of size 1 at 0x1 thread T0\n"
        "    #0 0x55 in user_read /u/san.c:6\n"
        "    #1 0x56 in cordon_impl_body_san_t /u/san.c:16\n"
        "    #2 0x57 in cordon__trampoline_void " SRC "testproc/trampoline.c:40\n"
        "    #3 0x58 in run_phases " SRC "testproc/child.c:97\n"
        "\n"
        "allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    #1 0x59 in setup_alloc /u/san.c:15\n"
        "    #2 0x5a in run_phases " SRC "testproc/child.c:95\n"
        "    #3 0x5b in child_main " SRC "testproc/child.c:300\n"
        "    #4 0x5c in cordon_main " SRC "cli/main.c:322\n"
        "    #5 0x5d in main " SRC "cli/main_entry.c:9\n"
        "    #6 0x7e in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58\n"
        "    #7 0x7e in __libc_start_main_impl ../csu/libc-start.c:360\n"
        "    #8 0x5e in _start (/u/san+0x49b0)\n"
        "\n"
        "SUMMARY: AddressSanitizer: heap-buffer-overflow /u/san.c:6 in user_read\n";
    static const char want[] =
        "READ of size 1 at 0x1 thread T0\n"
        "    #0 0x55 in user_read /u/san.c:6\n"
        "    #1 0x56 in cordon_impl_body_san_t /u/san.c:16\n"
        "    ... 2 frames of cordon (#2 to #3)\n"
        "\n"
        "allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    #1 0x59 in setup_alloc /u/san.c:15\n"
        "    ... 7 frames of cordon (#2 to #8)\n"
        "\n"
        "SUMMARY: AddressSanitizer: heap-buffer-overflow /u/san.c:6 in user_read\n";

    ST_EXPECT_FOLD(in, want, 2);
}

TEST(report_fold_tail_unit, module_names_and_junk_frames_fold_with_the_tail)
{
    /* A shared libcordon without debug information, static functions of
     * cordon's named by the module only; a TSan stack; frames the
     * unwinder read off the stack below cordon's. */
    static const char in[] =
        "allocated by thread T0 here:\n"
        "    #0 0x7f in malloc (/lib/libasan.so.8+0xd89cf)\n"
        "    #1 0x59 in once_alloc /u/san.c:17\n"
        "    #2 0x7a in run_once (/opt/lib/libcordon.so.1+0x2f1c)\n"
        "    #3 0x7b in serve (/opt/lib/libcordon.so.1+0x8e10)\n"
        "    #4 0x7c in cordon_main (/opt/lib/libcordon.so.1+0x9a00)\n"
        "    #5 0x7ffd1 ([stack]+0x1d94f)\n"
        "    #6 0x0 (<unknown module>)\n"
        "\n"
        "  Previous write of size 4 at 0x7b by thread T1:\n"
        "    #0 bump /u/t.c:7 (t+0x12)\n"
        "    #1 cordon__holder_serve " SRC "supervise/holder.c:80 (t+0x34)\n"
        "    #2 serve " SRC "supervise/worker.c:187 (t+0x56)\n";
    static const char want[] =
        "allocated by thread T0 here:\n"
        "    #0 0x7f in malloc (/lib/libasan.so.8+0xd89cf)\n"
        "    #1 0x59 in once_alloc /u/san.c:17\n"
        "    ... 5 frames of cordon (#2 to #6)\n"
        "\n"
        "  Previous write of size 4 at 0x7b by thread T1:\n"
        "    #0 bump /u/t.c:7 (t+0x12)\n"
        "    ... 2 frames of cordon (#1 to #2)\n";

    ST_EXPECT_FOLD(in, want, 2);
}

TEST(report_fold_tail_unit, the_fuzz_runners_frame_is_cordons)
{
    /* cordon::fuzz's runner (cordon__fuzz_run_input) calls
     * LLVMFuzzerTestOneInput and copies the input into a block of its
     * own. */
    static const char in[] =
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x7f in MemcmpInterceptorCommon(void*, int (*)(void const*, void const*, unsigned long), void const*, void const*, unsigned long) ../../sanitizer_common/sanitizer_common_interceptors.inc:860\n"
        "    #1 0x55 in LLVMFuzzerTestOneInput /u/fz.c:48\n"
        "    #2 0x56 in cordon__fuzz_run_input " SRC "cli/fuzz_main.c:43\n"
        "    #3 0x57 in cordon__trampoline_param " SRC "testproc/trampoline.c:50\n"
        "\n"
        "previously allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    #1 0x58 in cordon__fuzz_run_input " SRC "cli/fuzz_main.c:37\n"
        "    #2 0x57 in cordon__trampoline_param " SRC "testproc/trampoline.c:50\n"
        "    #3 0x59 in run_phases " SRC "testproc/child.c:97\n";
    static const char want[] =
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x7f in MemcmpInterceptorCommon(void*, int (*)(void const*, void const*, unsigned long), void const*, void const*, unsigned long) ../../sanitizer_common/sanitizer_common_interceptors.inc:860\n"
        "    #1 0x55 in LLVMFuzzerTestOneInput /u/fz.c:48\n"
        "    ... 2 frames of cordon (#2 to #3)\n"
        "\n"
        "previously allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    ... 3 frames of cordon (#1 to #3)\n";

    ST_EXPECT_FOLD(in, want, 2);
}

TEST(report_fold_tail_unit, the_fuzz_runners_frame_folds_without_debug_info)
{
    /* A libcordon built without -g (Release) names the runner's frame by
     * its symbol and the program's module, with no source file. */
    static const char in[] =
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x55 in LLVMFuzzerTestOneInput /u/fz.c:48\n"
        "    #1 0x56 in cordon__fuzz_run_input (/u/build/fz+0x5f56)\n"
        "    #2 0x57 in cordon__trampoline_param (/u/build/fz+0x6a10)\n"
        "\n"
        "previously allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    #1 0x58 in cordon__fuzz_run_input (/u/build/fz+0x5f2f)\n";
    static const char want[] =
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x55 in LLVMFuzzerTestOneInput /u/fz.c:48\n"
        "    ... 2 frames of cordon (#1 to #2)\n"
        "\n"
        "previously allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    ... 1 frame of cordon (#1)\n";

    ST_EXPECT_FOLD(in, want, 2);
}

TEST(report_fold_tail_unit, the_fuzz_runners_frame_folds_with_the_trampoline)
{
    /* In a libcordon without debug information, cordon's own static
     * functions below the trampoline are named but not known as cordon's;
     * the runner's frame just above the trampoline folds with it. */
    static const char in[] =
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x55 in LLVMFuzzerTestOneInput /u/fz.c:48\n"
        "    #1 0x56 in cordon__fuzz_run_input (/u/build/fz+0x5f56)\n"
        "    #2 0x57 in cordon__trampoline_param (/u/build/fz+0x6a10)\n"
        "    #3 0x58 in run_phases (/u/build/fz+0x6b20)\n"
        "    #4 0x59 in main (/u/build/fz+0x1000)\n";
    static const char want[] =
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x55 in LLVMFuzzerTestOneInput /u/fz.c:48\n"
        "    ... 4 frames of cordon (#1 to #4)\n";

    ST_EXPECT_FOLD(in, want, 1);
}

TEST(report_fold_tail_unit, cordons_frames_above_the_users_stay)
{
    /* An assertion's function of cordon's called from the user's body
     * stays; the tail below the user's frames folds from the trampoline.
     * A stack whose last frames are the user's and junk has no frame of
     * cordon's to fold from: it stays whole, as does a thread's. */
    static const char in[] =
        "READ of size 1 at 0x1 thread T0\n"
        "    #0 0x7f in strlen (/lib/libasan.so.8+0x5f1)\n"
        "    #1 0x55 in cordon_impl_check_str " SRC "api/check.c:90\n"
        "    #2 0x56 in cordon_impl_body_s_t /u/t.c:16\n"
        "    #3 0x57 in cordon__trampoline_void " SRC "testproc/trampoline.c:40\n"
        "    #4 0x58 in main /u/main.c:3\n"
        "\n"
        "allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    #1 0x59 in cordon_impl_fbody_s_f /u/t.c:9\n"
        "    #2 0x7ffc0 ([stack]+0x1cecf)\n"
        "\n"
        "Thread T1 created by T0 here:\n"
        "    #0 0x7f in pthread_create (/lib/libasan.so.8+0x5a)\n"
        "    #1 0x5a in start_it /u/t.c:30\n"
        "    #2 0x5b in main /u/t.c:40\n"
        "    #3 0x7e in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58\n";
    static const char want[] =
        "READ of size 1 at 0x1 thread T0\n"
        "    #0 0x7f in strlen (/lib/libasan.so.8+0x5f1)\n"
        "    #1 0x55 in cordon_impl_check_str " SRC "api/check.c:90\n"
        "    #2 0x56 in cordon_impl_body_s_t /u/t.c:16\n"
        "    ... 2 frames of cordon (#3 to #4)\n"
        "\n"
        "allocated by thread T0 here:\n"
        "    #0 0x7f in __interceptor_malloc ../../asan/asan_malloc_linux.cpp:69\n"
        "    #1 0x59 in cordon_impl_fbody_s_f /u/t.c:9\n"
        "    #2 0x7ffc0 ([stack]+0x1cecf)\n"
        "\n"
        "Thread T1 created by T0 here:\n"
        "    #0 0x7f in pthread_create (/lib/libasan.so.8+0x5a)\n"
        "    #1 0x5a in start_it /u/t.c:30\n"
        "    #2 0x5b in main /u/t.c:40\n"
        "    #3 0x7e in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58\n";

    ST_EXPECT_FOLD(in, want, 1);
}

TEST(report_fold_tail_unit, build_ids_after_modules)
{
    /* Newer runtimes: "(module+0x1f) (BuildId: ...)". */
    static const char in[] =
        "allocated by thread T0 here:\n"
        "    #0 0x7f in malloc (/u/t+0xa86ee) (BuildId: 1bed9d)\n"
        "    #1 0x59 in setup_alloc /u/t.c:15:9\n"
        "    #2 0x7a in run_phases (/opt/lib/libcordon.so.1+0x2f1c) (BuildId: 77aa)\n"
        "    #3 0x7b in main (/u/t+0x9a00) (BuildId: 1bed9d)\n";
    static const char want[] =
        "allocated by thread T0 here:\n"
        "    #0 0x7f in malloc (/u/t+0xa86ee) (BuildId: 1bed9d)\n"
        "    #1 0x59 in setup_alloc /u/t.c:15:9\n"
        "    ... 2 frames of cordon (#2 to #3)\n";

    ST_EXPECT_FOLD(in, want, 1);
}
