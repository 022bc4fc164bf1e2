// SPDX-License-Identifier: MIT
// result.c — one test's result as every report reads it: outcome, reason,
// timing, the failures copied out of its record, and its captured output.
// Filled once when the test ends; reports only read it.
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void
cordon__result_fill(struct cordon__result *r, const struct cordon__ending *e,
                    const struct cordon__record *rec)
{
    r->outcome = cordon__outcome_classify(e, rec, &r->test->options,
                                          r->reason, sizeof r->reason);
    r->signal = e->signaled ? e->signal : 0;
    r->exit_status = e->exited ? e->status : -1;
    for (size_t i = 0; i < CORDON__RECORD_ENTRIES; i++) {
        const struct cordon__record_entry *en = &rec->entries[i];

        if (!atomic_load_explicit(&en->ready, memory_order_acquire) ||
            en->kind != CORDON__ENTRY_FAILURE)
            continue;
        cordon__buf_add(&r->failures, en->text, strlen(en->text));
        cordon__buf_add(&r->failures, "\n", 1);
        r->nfailures++;
    }
    r->dropped_failures = atomic_load(&rec->dropped);
    if (r->dropped_failures > 0)
        cordon__buf_printf(&r->failures,
                           "[cordon: %u more failures not recorded]\n",
                           r->dropped_failures);
    r->done = true;
}

void
cordon__result_free(struct cordon__result *r)
{
    free(r->failures.data);
    cordon__capture_free(&r->out);
    cordon__capture_free(&r->err);
}
