// SPDX-License-Identifier: MIT
// report.c — what every report agrees on: the counts of a run, and the
// texts of a result, read back from the spool. Console, JUnit and TAP all
// take their numbers and texts from here, so they cannot disagree.
#include "internal.h"

#include <errno.h>
#include <string.h>

void
cordon__counts_add(struct cordon__counts *c, const struct cordon__result *r)
{
    enum cordon_outcome o = r->outcome;

    c->total++;
    c->by_outcome[o]++;
    if (o == CORDON_OUTCOME_PASS)
        c->passed++;
    else if (o == CORDON_OUTCOME_SKIP)
        c->skipped++;
    else
        c->failed++;
}

void
cordon__counts_of(const struct cordon__run *run, struct cordon__counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < run->n; i++)
        cordon__counts_add(c, &run->results[i]);
    c->seconds = run->seconds;
}

void
cordon__run_text(const struct cordon__run *run, struct cordon__span s,
                 struct cordon__buf *out)
{
    out->len = 0;
    if (cordon__spool_read(&run->spool, s, out) == -1) {
        out->len = 0;
        cordon__buf_printf(out, "[cordon: this text was lost: %s]",
                           strerror(errno));
    }
}
