// SPDX-License-Identifier: MIT
// report.c — what every report agrees on: the counts of a run, and the
// texts of a result, read back from the spool. Console, JUnit and TAP all
// take their numbers and texts from here, so they cannot disagree.
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
cordon__counts_add(struct cordon__counts *c, const struct cordon__result *r)
{
    enum cordon_outcome o = r->outcome;

    c->total++;
    c->by_outcome[o]++;
    if (cordon__retry_flaky(r))
        c->flaky++;
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
cordon__counts_line(const struct cordon__counts *k, struct cordon__buf *out)
{
    cordon__buf_printf(out,
                       "%zu test%s in %.3f s: %zu pass, %zu fail, %zu crash, "
                       "%zu timeout, %zu exit, %zu skip",
                       k->total, k->total == 1 ? "" : "s", k->seconds,
                       k->by_outcome[CORDON_OUTCOME_PASS],
                       k->by_outcome[CORDON_OUTCOME_FAIL],
                       k->by_outcome[CORDON_OUTCOME_CRASH],
                       k->by_outcome[CORDON_OUTCOME_TIMEOUT],
                       k->by_outcome[CORDON_OUTCOME_EXIT],
                       k->by_outcome[CORDON_OUTCOME_SKIP]);
    if (k->by_outcome[CORDON_OUTCOME_INTERRUPTED] > 0)
        cordon__buf_printf(out, ", %zu interrupted",
                           k->by_outcome[CORDON_OUTCOME_INTERRUPTED]);
    if (k->by_outcome[CORDON_OUTCOME_ERROR] > 0)
        cordon__buf_printf(out, ", %zu error",
                           k->by_outcome[CORDON_OUTCOME_ERROR]);
    if (k->flaky > 0)
        cordon__buf_printf(out, " (%zu of the passes flaky)", k->flaky);
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

/* The raw buffer holds at most one piece and what the one before left
 * over. */

size_t
cordon__run_pieces(const struct cordon__run *run, struct cordon__span s,
                   void (*piece)(void *arg, const char *clean, size_t len),
                   void *arg)
{
    struct cordon__buf raw = {0}, clean = {0}, part = {0};
    size_t pieces = 0;

    while (s.len > 0 || raw.len > 0) {
        struct cordon__span next = {
            s.off, s.len < CORDON__PIECE ? s.len : CORDON__PIECE};
        size_t cut;

        if (next.len > 0) {
            if (cordon__spool_read(&run->spool, next, &part) == -1) {
                part.len = 0;
                cordon__buf_printf(&part, "\n[cordon: the rest of this "
                                   "text was lost: %s]", strerror(errno));
                next.len = s.len;
            }
            cordon__buf_add(&raw, part.data, part.len);
            part.len = 0;
            s.off += next.len;
            s.len -= next.len;
        }
        cut = s.len > 0 ? cordon__sanitize_cut(raw.data, raw.len) : raw.len;
        if (cut == 0)
            continue;
        clean.len = 0;
        cordon__sanitize(raw.data, cut, &clean);
        piece(arg, clean.data, clean.len);
        pieces++;
        memmove(raw.data, raw.data + cut, raw.len - cut);
        raw.len -= cut;
        raw.data[raw.len] = '\0';
    }
    free(raw.data);
    free(clean.data);
    free(part.data);
    return pieces;
}

bool
cordon__report_address(const struct cordon__result *r, char *out,
                       size_t size)
{
    if (r->fault_signal == 0)
        return false;
    cordon__symbolize_address(r->fault_signal, r->fault_code,
                              (uintptr_t)r->fault_addr,
                              (uintptr_t)r->fault_sp,
                              (uintptr_t)r->fault_pc, out, size);
    return true;
}

void
cordon__report_crash(const struct cordon__run *run,
                     const struct cordon__result *r, struct cordon__buf *out)
{
    struct cordon__buf text = {0};
    char addr[128];

    if (cordon__report_address(r, addr, sizeof addr))
        cordon__buf_printf(out, "address %s\n", addr);
    if (r->checkpoint.len > 0) {
        cordon__run_text(run, r->checkpoint, &text);
        cordon__buf_printf(out, "last check passed: %s\n", text.data);
    }
    if (r->backtrace.len > 0) {
        cordon__run_text(run, r->backtrace, &text);
        cordon__buf_add(out, "backtrace:\n", 11);
        for (const char *p = text.data; *p != '\0';) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);

            cordon__buf_add(out, "  ", 2);
            cordon__buf_add(out, p, n);
            cordon__buf_add(out, "\n", 1);
            p += n + (nl != NULL);
        }
    }
    free(text.data);
}
