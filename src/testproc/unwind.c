// SPDX-License-Identifier: MIT
// unwind.c — what must be undone when a failed ASSERT_ (or FAIL, SKIP)
// unwinds a test's stack with longjmp: code that holds processes or
// descriptors across a call into the user's code (cordon_isolate_each()'s
// on_result) registers a hook here for as long as it does, and
// cordon__child_leave runs the thread's hooks, innermost first, before it
// jumps. Under --no-fork the test runs in the runner's process, which goes
// on: without the hook the calls in flight would run on and their
// descriptors stay open. The list is per thread, as the jump is.
#include "testproc/testproc.h"

static _Thread_local struct cordon__unwind *hooks;

void
cordon__unwind_push(struct cordon__unwind *u)
{
    u->next = hooks;
    hooks = u;
}

void
cordon__unwind_pop(struct cordon__unwind *u)
{
    struct cordon__unwind **p = &hooks;

    while (*p != NULL && *p != u)
        p = &(*p)->next;
    if (*p != NULL) /* it is u */
        *p = u->next;
}

void
cordon__unwind_run(void)
{
    while (hooks != NULL) {
        struct cordon__unwind *u = hooks;

        hooks = u->next;
        u->run(u);
    }
}

void
cordon__unwind_forget(void)
{
    hooks = NULL;
}
