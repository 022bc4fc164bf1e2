// SPDX-License-Identifier: MIT
// recap.c — what the console says to lead from a failure to its cause:
// under each test that did not pass, the command that runs it alone (and,
// for a crash, the same under gdb, which the debugger detection then runs
// in-process), and after the run a recap of every test that did not pass,
// with its outcome and reason, in test order. The layout of the rest is
// report_console.c's.
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

/* put_word prints a shell word, single-quoted unless it is plain. */
static void
put_word(FILE *f, const char *w)
{
    const char *plain = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_./:@%+=,-";

    if (*w != '\0' && strspn(w, plain) == strlen(w)) {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (; *w != '\0'; w++)
        if (*w == '\'')
            fputs("'\\''", f);
        else
            fputc(*w, f);
    fputc('\'', f);
}

void
cordon__recap_hints(FILE *f, const char *argv0, const struct cordon__result *r)
{
    char id[CORDON__MAX_ID + 1];

    cordon__test_id(r->test, id, sizeof id);
    fputs("      rerun: ", f);
    put_word(f, argv0);
    fputs(" --test ", f);
    put_word(f, id);
    fputc('\n', f);
    if (r->outcome != CORDON_OUTCOME_CRASH && !r->teardown_crashed)
        return;
    fputs("      debug: gdb --args ", f);
    put_word(f, argv0);
    fputs(" --test ", f);
    put_word(f, id);
    fputc('\n', f);
}

void
cordon__recap_print(FILE *f, const struct cordon__run *run, size_t failed)
{
    struct cordon__buf reason = {0}, clean = {0};
    char id[CORDON__MAX_ID + 1];

    if (failed == 0)
        return;
    fprintf(f, "cordon: %zu test%s did not pass:\n", failed,
            failed == 1 ? "" : "s");
    for (size_t i = 0; i < run->n; i++) {
        const struct cordon__result *r = &run->results[i];
        char *nl;

        if (!cordon__outcome_failed(r->outcome))
            continue;
        cordon__run_text(run, r->reason, &reason);
        if ((nl = strchr(reason.data, '\n')) != NULL)
            *nl = '\0';
        clean.len = 0;
        cordon__sanitize_console(reason.data, strlen(reason.data), &clean);
        fprintf(f, "  %-7s %s  %s\n", cordon__outcome_word(r->outcome),
                cordon__test_id(r->test, id, sizeof id),
                clean.data != NULL ? clean.data : "");
    }
    free(reason.data);
    free(clean.data);
}
