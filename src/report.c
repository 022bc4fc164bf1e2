// SPDX-License-Identifier: MIT
// report.c — what every report agrees on: the counts of a run. Console,
// JUnit and TAP all take their numbers from here, so they cannot disagree.
#include "internal.h"

#include <string.h>

void
cordon__counts_of(const struct cordon__run *run, struct cordon__counts *c)
{
    memset(c, 0, sizeof *c);
    c->total = run->n;
    c->seconds = run->seconds;
    for (size_t i = 0; i < run->n; i++) {
        enum cordon_outcome o = run->results[i].outcome;

        c->by_outcome[o]++;
        if (o == CORDON_OUTCOME_PASS)
            c->passed++;
        else if (o == CORDON_OUTCOME_SKIP)
            c->skipped++;
        else
            c->failed++;
    }
}
