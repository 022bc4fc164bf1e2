// SPDX-License-Identifier: MIT
// trampoline.c — the one way cordon calls into the user's code: every
// setup, body (TEST, TEST_P and what is built on TEST_P), teardown and
// suite once, in a test process, a suite holder or a --no-fork run, is
// called from one of the trampolines here, and from nowhere else. Each
// makes its call from a single call instruction, so the return address
// that call leaves on the stack is the same every time. A backtrace
// (symbolize.c) is cut where that address appears: what is above it is
// the user's, what is below is cordon's own and the program's start.
//
// The address is learned by calling each trampoline once with a function
// of cordon's own that reads where it returns to, in the process that
// names the frames: it maps libcordon where the test process did (it
// forked it), static or shared. Nothing depends on names or debug
// information, or on how the compiler shaped the user's code (a body
// inlined into the TEST_P wrapper, a call turned into a jump): only on
// the trampoline being a real function whose call is a real call, which
// noinline and the store after the call make sure of.
#include "testproc/testproc.h"

#include <signal.h>

/* Stored after each call returns: the call is then no tail call, which
 * would leave no frame of the trampoline's, and no return address into
 * it, on the stack. */
static volatile sig_atomic_t returned;

/* The learned return addresses, and where the probe puts them. */
static uintptr_t sites[CORDON__TRAMPOLINE_SITES];
static bool learned;
static uintptr_t probed;

__attribute__((noinline)) void
cordon__trampoline_void(void (*fn)(void))
{
    /* Read through a volatile: no clone of this function for one known
     * callee (interprocedural constant propagation) calls it from a call
     * instruction of its own. */
    void (*volatile call)(void) = fn;

    call();
    returned = 1;
}

__attribute__((noinline)) void
cordon__trampoline_param(void (*fn)(const void *), const void *param)
{
    void (*volatile call)(const void *) = fn;

    call(param);
    returned = 1;
}

/* probe_void and probe_param note where their trampoline's call returns
 * to: the address after its call instruction. */
static void
probe_void(void)
{
    probed = (uintptr_t)__builtin_extract_return_addr(
        __builtin_return_address(0));
}

static void
probe_param(const void *unused)
{
    (void)unused;
    probed = (uintptr_t)__builtin_extract_return_addr(
        __builtin_return_address(0));
}

size_t
cordon__trampoline_sites(const uintptr_t **out)
{
    if (!learned) {
        cordon__trampoline_void(probe_void);
        sites[0] = probed;
        cordon__trampoline_param(probe_param, NULL);
        sites[1] = probed;
        learned = true;
    }
    *out = sites;
    return CORDON__TRAMPOLINE_SITES;
}
