// SPDX-License-Identifier: MIT
// leakcheck.c — LeakSanitizer in a test process. The check runs from
// atexit, which the test process's _exit() skips: so it is run here,
// after the test's end is stamped, and only when the heap grew during the
// test (a check costs about 10 ms). What a report in the test's stderr
// means is found by its worker (result/sanitizer.c). Everything is reached
// through weak references: a binary linked without a sanitizer runtime
// never checks.
#include "testproc/testproc.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The runtimes' entry points (sanitizer/common_interface_defs.h and
 * sanitizer/lsan_interface.h), declared here so no sanitizer header is
 * needed to build cordon. Weak: NULL when no runtime is linked. Every
 * runtime (ASan, LSan, UBSan, TSan, MSan; GCC's and LLVM's) exports
 * __sanitizer_set_report_path, so it says "a sanitizer is here". */
/* Names the runtimes chose, declared, not defined, here:
 * NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
extern void __sanitizer_set_report_path(const char *path)
    __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
extern size_t __sanitizer_get_current_allocated_bytes(void)
    __attribute__((weak));
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

/* The heap's allocated bytes when the test began (0 = not known). */
static size_t allocated_at_start;

bool
cordon__leakcheck_linked(void)
{
    return __sanitizer_set_report_path != NULL;
}

/* scrub_stack zeroes the stack below the caller, where the test's frames
 * were. LeakSanitizer counts any word that looks like a pointer as a
 * reference, and the check runs just after the test returned, not after
 * main() as at exit: a pointer left in a dead frame of the test would
 * hide its leak. */
static void __attribute__((noinline))
scrub_stack(void)
{
    volatile char frame[64 * 1024];

    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = 0;
}

/* let_symbolizer_go waits a moment for the symbolizer LLVM's runtime
 * started to write the report (llvm-symbolizer, a child of the test kept
 * for reuse): with its pipes closed it ends by itself, where the worker
 * would otherwise find it running and count it against the test. The
 * test process is about to _exit(), so closing its descriptors loses
 * nothing. */
static void
let_symbolizer_go(void)
{
    struct timespec ms = {0, 1000000L};
    long max = sysconf(_SC_OPEN_MAX);

    for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
        close((int)fd);
    for (int i = 0; i < 200; i++) {
        pid_t r = waitpid(-1, NULL, WNOHANG);

        if (r == -1)
            return; /* no child left */
        if (r == 0)
            nanosleep(&ms, NULL);
    }
}

void
cordon__leakcheck_start(void)
{
    if (__lsan_do_recoverable_leak_check != NULL &&
        __sanitizer_get_current_allocated_bytes != NULL)
        allocated_at_start = __sanitizer_get_current_allocated_bytes();
}

void
cordon__leakcheck_run(void)
{
    /* Prints the report on stderr, which the worker then finds; the
     * process goes on to _exit(0) as a passing test would. */
    if (__lsan_do_recoverable_leak_check == NULL)
        return;
    /* A check stops the process and scans all its memory: about 10 ms,
     * which would double the run time of a suite of small tests. When
     * the heap holds no more than it did when the test began, the test
     * kept nothing it allocated, so it cannot have leaked it (a test
     * that frees the runner's memory and leaks as much of its own is the
     * one case this misses). */
    if (allocated_at_start != 0 &&
        __sanitizer_get_current_allocated_bytes() <= allocated_at_start)
        return;
    scrub_stack();
    if (__lsan_do_recoverable_leak_check() != 0)
        let_symbolizer_go();
}

