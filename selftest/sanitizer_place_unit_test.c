// SPDX-License-Identifier: MIT
// sanitizer_place_unit_test.c — unit tests of the place a sanitizer
// report's verdict names (cordon__sanitizer_parse): the SUMMARY line's
// place is the first frame of the error's stack, which is the sanitizer's
// own when the error was found in an interceptor (memcmp, memcpy,
// strlen); the verdict names the first frame of the stack that is not
// the sanitizer runtime's instead.
#include <cordon.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "result/result.h"
#include "unit.h"

TEST(sanitizer_place_unit, an_interceptors_frames_are_passed_over)
{
    struct cordon__sanitizer_report rep;

    st_unit_sanitizer_parse(
        "==1==ERROR: AddressSanitizer: heap-use-after-free on address "
        "0x602 at pc 0x7f bp 0x1 sp 0x2\n"
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x7f in MemcmpInterceptorCommon(void*, int (*)(void const*, "
        "void const*, unsigned long), void const*, void const*, unsigned "
        "long) ../../../../src/libsanitizer/sanitizer_common/"
        "sanitizer_common_interceptors.inc:860\n"
        "    #1 0x7f in __interceptor_memcmp ../../../../src/libsanitizer/"
        "sanitizer_common/sanitizer_common_interceptors.inc:892\n"
        "    #2 0x55 in LLVMFuzzerTestOneInput /u/fz1.c:48\n"
        "    #3 0x56 in cordon__fuzz_run_input /c/src/cli/fuzz_main.c:43\n"
        "\n"
        "freed by thread T0 here:\n"
        "    #0 0x7f in __interceptor_free ../../asan/asan_malloc_linux.cpp:52\n"
        "    #1 0x55 in LLVMFuzzerTestOneInput /u/fz1.c:47\n"
        "\n"
        "SUMMARY: AddressSanitizer: heap-use-after-free ../../../../src/"
        "libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:"
        "860 in MemcmpInterceptorCommon(void*, int (*)(void const*, void "
        "const*, unsigned long), void const*, void const*, unsigned long)\n",
        &rep);
    EXPECT_STREQ(rep.what, "AddressSanitizer: heap-use-after-free "
                           "(/u/fz1.c:48 in LLVMFuzzerTestOneInput)");
}

TEST(sanitizer_place_unit, runtime_modules_and_names_are_passed_over)
{
    struct cordon__sanitizer_report rep;

    /* Without debug information for the runtime: its module; clang's
     * static runtime: its __asan_ names; a user's frame without debug
     * information: its module. */
    st_unit_sanitizer_parse(
        "==2==ERROR: AddressSanitizer: stack-buffer-overflow on address "
        "0x7ff at pc 0x7f bp 0x1 sp 0x2\n"
        "WRITE of size 9 at 0x7ff thread T0\n"
        "    #0 0x7f in memcpy (/usr/lib/x86_64-linux-gnu/libasan.so.8+0xba)\n"
        "    #1 0x4f in __asan_memcpy (/u/t+0x4f)\n"
        "    #2 0x55 in copy_it (/u/t+0x1234)\n"
        "SUMMARY: AddressSanitizer: stack-buffer-overflow "
        "(/usr/lib/x86_64-linux-gnu/libasan.so.8+0xba) in memcpy\n", &rep);
    EXPECT_STREQ(rep.what, "AddressSanitizer: stack-buffer-overflow "
                           "((/u/t+0x1234) in copy_it)");
    /* TSan's frames: the place before the module. */
    st_unit_sanitizer_parse(
        "WARNING: ThreadSanitizer: data race (pid=9)\n"
        "  Write of size 8 at 0x7b by thread T1:\n"
        "    #0 __tsan_memset ../../tsan/tsan_interceptors.cpp:10 (libtsan.so.2+0x1)\n"
        "    #1 clear_it /u/t.c:5 (t+0x12)\n"
        "SUMMARY: ThreadSanitizer: data race ../../tsan/tsan_interceptors.cpp:10 "
        "in __tsan_memset\n", &rep);
    EXPECT_STREQ(rep.what, "ThreadSanitizer: data race (/u/t.c:5 in "
                           "clear_it)");
}

TEST(sanitizer_place_unit, a_users_first_frame_stays)
{
    struct cordon__sanitizer_report rep;

    /* The summary names the user's frame: kept as it is (with the
     * column clang's symbolizer adds). */
    st_unit_sanitizer_parse(
        "==3==ERROR: AddressSanitizer: heap-buffer-overflow on address "
        "0x602 at pc 0x55 bp 0x1 sp 0x2\n"
        "READ of size 1 at 0x602 thread T0\n"
        "    #0 0x55 in read_it /u/t.c:6:12\n"
        "    #1 0x56 in cordon_impl_body_s_t /u/t.c:9:3\n"
        "SUMMARY: AddressSanitizer: heap-buffer-overflow /u/t.c:6:12 in "
        "read_it\n", &rep);
    EXPECT_STREQ(rep.what, "AddressSanitizer: heap-buffer-overflow "
                           "(/u/t.c:6:12 in read_it)");
}

TEST(sanitizer_place_unit, clangs_runtime_without_debug_information)
{
    struct cordon__sanitizer_report rep;

    /* clang's static runtime: the interceptor is named memcmp, in the
     * test's own module; each module is followed by its build id. */
    st_unit_sanitizer_parse(
        "==4==ERROR: AddressSanitizer: heap-use-after-free on address "
        "0x602 at pc 0x55 bp 0x1 sp 0x2\n"
        "READ of size 4 at 0x602 thread T0\n"
        "    #0 0x55 in MemcmpInterceptorCommon(void*, int (*)(void const*, "
        "void const*, unsigned long), void const*, void const*, unsigned "
        "long) (/u/fz+0x3fe05) (BuildId: 1bed9d)\n"
        "    #1 0x55 in memcmp (/u/fz+0x402f9) (BuildId: 1bed9d)\n"
        "    #2 0x55 in LLVMFuzzerTestOneInput /u/fz.c:25:16\n"
        "SUMMARY: AddressSanitizer: heap-use-after-free (/u/fz+0x3fe05) "
        "(BuildId: 1bed9d) in MemcmpInterceptorCommon(void*, int (*)(void "
        "const*, void const*, unsigned long), void const*, void const*, "
        "unsigned long)\n", &rep);
    EXPECT_STREQ(rep.what, "AddressSanitizer: heap-use-after-free "
                           "(/u/fz.c:25:16 in LLVMFuzzerTestOneInput)");
    /* A user's frame without debug information keeps its module, without
     * the build id. */
    st_unit_sanitizer_parse(
        "==5==ERROR: AddressSanitizer: SEGV on unknown address 0x0\n"
        "    #0 0x55 in crash_it (/u/t+0x1234) (BuildId: 1bed9d)\n"
        "SUMMARY: AddressSanitizer: SEGV (/u/t+0x1234) (BuildId: 1bed9d) "
        "in crash_it\n", &rep);
    EXPECT_STREQ(rep.what, "AddressSanitizer: SEGV ((/u/t+0x1234) in "
                           "crash_it)");
}
