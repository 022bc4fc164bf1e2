// SPDX-License-Identifier: MIT
// display.c — the live display at the foot of a terminal while tests run:
// a first line with the tests finished so far of all, and the failures so
// far, then one line per running test with how long it has run, flagged
// SLOW past --slow or half its timeout. Redrawn whenever the coordinator
// wakes, which is about four times a second while it is shown (the
// console's tick), so it never stands still or goes blank while a long
// test runs. Each line is cut to the terminal's width, so the display is
// exactly as many rows as it drew and erasing it leaves nothing behind.
// A terminal narrowed since then rewraps a row that is now too wide into
// several (tmux, VTE, kitty, iTerm2 and Konsole do): erasing counts the
// rows each drawn line takes at the width the terminal has now. Rows that
// the rewrapping pushed off the top of the screen (tmux keeps the
// cursor's row) are in the scrollback, where no cursor movement reaches.
// Whether there is a display at all (a terminal, not "dumb") is the
// console's decision.
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/ioctl.h>
#endif

/* Running tests shown one a line; more are counted on one more line. */
#define MAX_LANES 8
/* The first line, a line a lane, the line that counts the rest. */
#define MAX_ROWS (MAX_LANES + 2)

struct cordon__display {
    FILE *f;
    bool color;
    const struct cordon__config *cfg;
    int rows;    /* lines on screen now, 0 = none */
    size_t drawn[MAX_ROWS]; /* the visible characters of each */
    size_t counted;       /* reported results counted into failed_before */
    size_t failed_before; /* failures among them */
};

/* Tests are handed out in test order, so past the reported ones only a
 * window of results can be in: the scan stops after this many in a row
 * that are neither running nor done, and a redraw costs the same with
 * ten tests or a hundred thousand. */
#define UNTOUCHED_RUN 64

struct cordon__display *
cordon__display_open(const struct cordon__config *cfg, FILE *f, bool color)
{
    struct cordon__display *d = cordon__xmalloc(sizeof *d);

    *d = (struct cordon__display){.f = f, .color = color, .cfg = cfg};
    return d;
}

/* width is the terminal's width in columns (80 when unknown). */
static size_t
width(FILE *f)
{
#if defined(__linux__) && defined(TIOCGWINSZ)
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
#else
    (void)f;
#endif
    return 80;
}

void
cordon__display_erase(struct cordon__display *d)
{
    size_t cols, rows = 0;

    if (d == NULL || d->rows == 0)
        return;
    cols = width(d->f);
    for (int i = 0; i < d->rows; i++)
        rows += d->drawn[i] > cols ? (d->drawn[i] + cols - 1) / cols : 1;
    /* From the last row up to the first, which the cursor is left on. */
    for (size_t i = 1; i < rows; i++)
        fputs("\r\033[K\033[1A", d->f);
    fputs("\r\033[K", d->f);
    d->rows = 0;
}

/* row draws one row of at most cols visible characters: text, then the
 * optional flag (painted when colour is on). */
static void
row(struct cordon__display *d, size_t cols, const char *text,
    const char *flag)
{
    size_t len = strlen(text), room = cols > 1 ? cols - 1 : 1;
    size_t shown = len < room ? len : room;

    if (d->rows == MAX_ROWS)
        cordon__bug("the live display drew more lines than it keeps");
    if (d->rows > 0)
        fputs("\n", d->f);
    fputs("\r\033[K", d->f);
    fprintf(d->f, "%.*s", (int)shown, text);
    if (flag != NULL && len + 1 + strlen(flag) <= room) {
        fprintf(d->f, " %s%s%s", d->color ? "\033[33m" : "", flag,
                d->color ? "\033[0m" : "");
        shown += 1 + strlen(flag);
    }
    d->drawn[d->rows++] = shown;
}

void
cordon__display_draw(struct cordon__display *d, const struct cordon__run *run,
                     size_t done)
{
    size_t cols = width(d->f), running = 0, shown = 0, finished = done;
    size_t failed, untouched = 0, end = done;
    double now = cordon__now();
    char line[CORDON__MAX_ID + 64];

    cordon__display_erase(d);
    for (; d->counted < done; d->counted++)
        d->failed_before +=
            cordon__outcome_failed(run->results[d->counted].outcome);
    failed = d->failed_before;
    /* Finished and failed count every result in, not only those already
     * printed (which wait, in test order, for a slow test before them). */
    for (; end < run->n && untouched < UNTOUCHED_RUN; end++) {
        const struct cordon__result *r = &run->results[end];

        untouched = r->done || r->started ? 0 : untouched + 1;
        if (r->done) {
            finished++;
            failed += cordon__outcome_failed(r->outcome);
        } else if (r->started)
            running++;
    }
    snprintf(line, sizeof line, "[%zu/%zu]", finished, run->n);
    if (failed > 0)
        snprintf(line + strlen(line), sizeof line - strlen(line),
                 " %zu failed,", failed);
    snprintf(line + strlen(line), sizeof line - strlen(line),
             " running %zu%s", running, running > 0 ? ":" : "");
    row(d, cols, line, NULL);
    for (size_t i = done; i < end && shown < running; i++) {
        const struct cordon__result *r = &run->results[i];
        double elapsed, limit;
        char id[CORDON__MAX_ID + 1];

        if (!r->started || r->done)
            continue;
        if (++shown > MAX_LANES) {
            snprintf(line, sizeof line, "  ... and %zu more",
                     running - MAX_LANES);
            row(d, cols, line, NULL);
            break;
        }
        elapsed = r->running_since > 0 ? now - r->running_since : 0;
        limit = d->cfg->slow > 0 ? d->cfg->slow
                                 : cordon__plan_timeout(d->cfg, run->tests[i]) / 2;
        snprintf(line, sizeof line, "  %6.1f s  %s", elapsed < 0 ? 0 : elapsed,
                 cordon__test_id(run->tests[i], id, sizeof id));
        row(d, cols, line, limit > 0 && elapsed > limit ? "SLOW" : NULL);
    }
    fflush(d->f);
}

void
cordon__display_close(struct cordon__display *d)
{
    free(d);
}
