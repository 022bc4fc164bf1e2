// SPDX-License-Identifier: MIT
// html_timeline.c — the timeline of the HTML report: an inline SVG with a
// lane per job slot, and in it a bar per attempt (the earlier failed
// attempts of a retried test as well as the one that decided it) and per
// suite .once a suite holder ran, placed by when each began on the run's
// clock (cordon__run.began) and as long as it took, coloured by outcome.
// Each bar's <title> (its tooltip, with no script) says what it was and
// when; a bar of a test that did not pass links to its story. Drawn lane
// by lane and in each lane in the order they ran, so each lane's bars
// follow one another in the file; quick tests that passed one after
// another are one bar (struct group).
#include "report/html.h"

#include <stdlib.h>
#include <string.h>

/* The drawing, in SVG user units: the viewBox is WIDTH wide and scales
 * to the page's width. */
#define WIDTH 1200.0
#define LEFT 64.0   /* lane labels */
#define RIGHT 16.0
#define AXIS 22.0   /* tick labels, above the lanes */
#define LANE 20.0   /* a lane's height */
#define GAP 6.0     /* between lanes */
#define MIN_BAR 1.0 /* the narrowest bar, so a quick test still shows */
#define NARROW 3.0  /* a bar that may join its neighbours (struct group) */
#define JOIN 0.5    /* how far apart two bars may be and still join */
#define CHAR 6.4    /* the width of a character of a bar's label */

struct scale {
    double began; /* the run's start */
    double span;  /* seconds the width stands for */
    size_t lanes;
};

/* A run of narrow bars of one lane and class that touch or overlap where
 * they are drawn, held back to be drawn as one: thousands of quick tests
 * would otherwise be thousands of overlapping one-unit rects, as costly
 * for the browser as they are useless to hover over. Only bars that link
 * nowhere (tests that passed or were skipped) join one. */
struct group {
    size_t count;     /* bars in it; 0: none held */
    size_t lane;
    double x, end;    /* drawn from x to end */
    double t0, t1;    /* the run's clock, first start to last end */
    char cls[48], word[16]; /* word: the outcome, as the page shows it */
    char first[CORDON__MAX_ID + 1], last[CORDON__MAX_ID + 1];
    struct cordon__buf title; /* the first bar's, while it is alone */
    struct cordon__buf merged; /* the title of several */
};

static double
x_of(const struct scale *s, double t)
{
    double x = (t - s->began) / s->span;

    if (x < 0)
        x = 0;
    return LEFT + x * (WIDTH - LEFT - RIGHT);
}

static double
y_of(size_t lane)
{
    return AXIS + (double)lane * (LANE + GAP);
}

/* extent widens s to hold r (an attempt, or its once). */
static void
extent(struct scale *s, const struct cordon__result *r)
{
    if (r->began > 0 || r->once_began > 0) {
        double end = r->began > 0 ? r->began - s->began + r->seconds
                                  : r->once_began - s->began +
                                        r->once_seconds;

        if (end > s->span)
            s->span = end;
        if (r->lane + 1 > s->lanes)
            s->lanes = r->lane + 1;
    }
}

/* name_in writes name inside a bar at x that is w wide, as much of it as
 * fits (cut at a character, with an ellipsis); nothing in a narrow bar. */
static void
name_in(struct cordon__html *h, double x, size_t lane, double w,
        const char *name)
{
    size_t fits = w > 3 * CHAR ? (size_t)((w - 8) / CHAR) : 0, n;
    char cut[CORDON__MAX_ID + 16];

    if (fits < 3)
        return;
    n = strlen(name);
    if (n > fits) {
        /* Cut at a character, not inside one. */
        n = fits - 1;
        while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
            n--;
    }
    if (n >= sizeof cut - 4)
        n = sizeof cut - 4;
    memcpy(cut, name, n);
    cut[n] = '\0';
    if (name[n] != '\0')
        /* n <= sizeof cut - 4 leaves room for the ellipsis's 3 bytes
         * and the NUL.
         * NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.strcpy) */
        strcat(cut, "\xe2\x80\xa6"); /* an ellipsis */
    cordon__html_start(h, "text");
    cordon__html_attr(h, "class", "in");
    cordon__html_attrf(h, "x", "%.1f", x + 4);
    cordon__html_attrf(h, "y", "%.0f", y_of(lane) + LANE * 0.7);
    cordon__html_text(h, cut, strlen(cut));
    cordon__html_end(h);
}

/* rect draws a bar's rect from x, w wide, in lane; tests > 1 says how
 * many bars it stands for (data-tests). */
static void
rect(struct cordon__html *h, size_t lane, double x, double w,
     const char *cls, const char *title, size_t tests)
{
    cordon__html_start(h, "rect");
    cordon__html_attrf(h, "x", "%.1f", x);
    cordon__html_attrf(h, "y", "%.0f", y_of(lane) + 1);
    cordon__html_attrf(h, "width", "%.1f", w);
    cordon__html_attrf(h, "height", "%.0f", LANE - 2);
    cordon__html_attr(h, "class", cls);
    if (tests > 1)
        cordon__html_attrf(h, "data-tests", "%zu", tests);
    cordon__html_element(h, "title", NULL, title);
    cordon__html_end(h);
}

/* flush draws the bars g holds: alone, as it was; several, as one bar
 * whose title counts them and names the first and the last. */
static void
flush(struct cordon__html *h, const struct scale *s, struct group *g)
{
    if (g->count == 0)
        return;
    if (g->count == 1) {
        rect(h, g->lane, g->x, g->end - g->x, g->cls, g->title.data, 1);
    } else {
        /* Not in h->scratch: that holds the title of the bar being
         * drawn when a bar that does not join flushes these. */
        g->merged.len = 0;
        cordon__buf_printf(&g->merged, "%zu tests, %s, from %.3f s to "
                           "%.3f s, job %zu: %s to %s", g->count, g->word,
                           g->t0 - s->began,
                           g->t1 - s->began, g->lane + 1, g->first, g->last);
        rect(h, g->lane, g->x, g->end - g->x, g->cls, g->merged.data,
             g->count);
    }
    cordon__html_newline(h);
    g->count = 0;
}

/* bar draws one bar from t0 lasting seconds in lane, with class cls,
 * linking to href (NULL: none), title as its tooltip and name inside it
 * where it fits, after the bars g holds. */
static void
bar(struct cordon__html *h, const struct scale *s, struct group *g,
    size_t lane, double t0, double seconds, const char *cls,
    const char *href, const char *title, const char *name)
{
    double x = x_of(s, t0), w = x_of(s, t0 + seconds) - x;

    if (w < MIN_BAR)
        w = MIN_BAR;
    flush(h, s, g);
    if (href != NULL) {
        cordon__html_start(h, "a");
        cordon__html_attr(h, "href", href);
    }
    rect(h, lane, x, w, cls, title, 1);
    name_in(h, x, lane, w, name);
    if (href != NULL)
        cordon__html_end(h);
    cordon__html_newline(h);
}

/* join adds the bar of an attempt in lane that links nowhere, from t0
 * lasting seconds, with class cls and outcome word, to g when it is
 * narrow and touches g's bars, or starts g anew with it; false when it is
 * wide (bar draws it). */
static bool
join(struct cordon__html *h, const struct scale *s, struct group *g,
     size_t lane, double t0, double seconds, const char *cls,
     const char *word, const char *id, const char *title)
{
    double x = x_of(s, t0), end = x_of(s, t0 + seconds);

    if (end - x < MIN_BAR)
        end = x + MIN_BAR;
    if (end - x >= NARROW)
        return false;
    if (g->count > 0 && g->lane == lane && strcmp(g->cls, cls) == 0 &&
        x >= g->x && x <= g->end + JOIN) {
        if (end > g->end)
            g->end = end;
        if (t0 + seconds > g->t1)
            g->t1 = t0 + seconds;
        snprintf(g->last, sizeof g->last, "%s", id);
        g->count++;
        return true;
    }
    flush(h, s, g);
    *g = (struct group){.count = 1, .lane = lane, .x = x, .end = end,
                        .t0 = t0, .t1 = t0 + seconds,
                        .title = g->title, .merged = g->merged};
    snprintf(g->cls, sizeof g->cls, "%s", cls);
    snprintf(g->word, sizeof g->word, "%s", word);
    snprintf(g->first, sizeof g->first, "%s", id);
    snprintf(g->last, sizeof g->last, "%s", id);
    g->title.len = 0;
    cordon__buf_add(&g->title, title, strlen(title));
    return true;
}

/* start_of is when the bar of r (an earlier attempt when try) starts:
 * every repetition of a repeated test is one bar, from the first. */
static double
start_of(const struct cordon__result *r, bool try)
{
    return !try && r->reps_began > 0 ? r->reps_began : r->began;
}

/* attempt draws r, an attempt of test index (its result or one of its
 * earlier ones, try true), and the once before it, in r's lane. */
static void
attempt(struct cordon__html *h, const struct scale *s, struct group *g,
        size_t index, const struct cordon__result *r, bool try)
{
    char id[CORDON__MAX_ID + 1], label[CORDON__MAX_ID + 16], cls[48],
        href[32];
    double from = start_of(r, try);
    double seconds = r->began + r->seconds - from;
    size_t lane = r->lane;
    bool story;

    cordon__test_id(r->test, id, sizeof id);
    /* A once that failed or skipped leaves its tests unrun: its bar is
     * there all the same. */
    if (r->once_began > 0) {
        h->scratch.len = 0;
        cordon__buf_printf(&h->scratch, "suite %s: .once, %.3f s, from "
                           "%.3f s, job %zu", r->test->suite, r->once_seconds,
                           r->once_began - s->began, lane + 1);
        snprintf(label, sizeof label, "%s .once", r->test->suite);
        bar(h, s, g, lane, r->once_began, r->once_seconds, "once", NULL,
            h->scratch.data, label);
    }
    if (r->began <= 0)
        return;
    /* The attempt's place among its attempts and repetitions, where it
     * had others: a test that passed at once under --retries is not
     * "attempt 1 of 3". */
    if (from < r->began)
        snprintf(label, sizeof label, "repetitions 1 to %u of %u%s",
                 r->repetition, r->repetitions,
                 r->attempt > 1 ? ", then retried" : "");
    else if (try || r->ntries > 0 || r->repetitions > 1)
        cordon__retry_label(r, label, sizeof label);
    else
        label[0] = '\0';
    h->scratch.len = 0;
    cordon__buf_printf(&h->scratch, "%s: %s", id,
                       try ? cordon__outcome_word(r->outcome)
                           : cordon__html_word(r));
    if (label[0] != '\0')
        cordon__buf_printf(&h->scratch, " (%s)", label);
    cordon__buf_printf(&h->scratch, ", %.3f s, from %.3f s, job %zu",
                       seconds, from - s->began, lane + 1);
    if (try) {
        snprintf(cls, sizeof cls, "k-%s try",
                 r->outcome == CORDON_OUTCOME_PASS ? "pass"
                                                   : cordon__html_key(r));
        story = true;
    } else {
        snprintf(cls, sizeof cls, "k-%s", cordon__html_key(r));
        story = cordon__outcome_failed(r->outcome) || cordon__retry_flaky(r);
    }
    if (!story && join(h, s, g, lane, from, seconds, cls,
                       cordon__html_word(r), id, h->scratch.data))
        return;
    snprintf(href, sizeof href, "#t-%zu", index);
    bar(h, s, g, lane, from, seconds, cls, story ? href : NULL,
        h->scratch.data, id);
}

/* step is a round tick interval that gives about eight ticks. */
static double
step(double span)
{
    double unit = 1e-3;

    while (unit * 10 <= span / 8)
        unit *= 10;
    if (unit * 5 <= span / 8)
        return unit * 5;
    if (unit * 2 <= span / 8)
        return unit * 2;
    return unit;
}

/* axis draws the lanes, their labels and the ticks of seconds. */
static void
axis(struct cordon__html *h, const struct scale *s, double height)
{
    double every = step(s->span);

    for (size_t lane = 0; lane < s->lanes; lane++) {
        cordon__html_start(h, "rect");
        cordon__html_attr(h, "class", "lane");
        cordon__html_attrf(h, "x", "%.0f", LEFT);
        cordon__html_attrf(h, "y", "%.0f", y_of(lane));
        cordon__html_attrf(h, "width", "%.0f", WIDTH - LEFT - RIGHT);
        cordon__html_attrf(h, "height", "%.0f", LANE);
        cordon__html_end_empty(h);
        cordon__html_start(h, "text");
        cordon__html_attr(h, "class", "label");
        cordon__html_attrf(h, "x", "%.0f", LEFT - 8);
        cordon__html_attrf(h, "y", "%.0f", y_of(lane) + LANE * 0.7);
        cordon__html_textf(h, "job %zu", lane + 1);
        cordon__html_end(h);
        cordon__html_newline(h);
    }
    /* every > span / 80 (step): at most 81 ticks, and the margin takes
     * the sum's rounding, so the last tick is drawn whatever it adds up to.
     * NOLINTNEXTLINE(cert-flp30-c,clang-analyzer-security.FloatLoopCounter) */
    for (double t = 0; t <= s->span * 1.0001; t += every) {
        double x = x_of(s, s->began + t);

        cordon__html_start(h, "line");
        cordon__html_attr(h, "class", "tick");
        cordon__html_attrf(h, "x1", "%.1f", x);
        cordon__html_attrf(h, "x2", "%.1f", x);
        cordon__html_attrf(h, "y1", "%.0f", AXIS - 4);
        cordon__html_attrf(h, "y2", "%.0f", height);
        cordon__html_end_empty(h);
        cordon__html_start(h, "text");
        cordon__html_attr(h, "class", "time");
        cordon__html_attrf(h, "x", "%.1f", x);
        cordon__html_attrf(h, "y", "%.0f", AXIS - 8);
        cordon__html_textf(h, every < 0.01 ? "%.3f s" : every < 0.1 ? "%.2f s"
                              : every < 1 ? "%.1f s" : "%.0f s", t);
        cordon__html_end(h);
        cordon__html_newline(h);
    }
}

/* legend names the colours. */
static void
legend(struct cordon__html *h)
{
    static const char *const keys[][2] = {
        {"pass", "PASS"}, {"flaky", "FLAKY"}, {"fail", "FAIL"},
        {"crash", "CRASH"}, {"timeout", "TIMEOUT"}, {"exit", "EXIT"},
        {"skip", "SKIP"}, {"error", "ERROR"},
        {"interrupted", "INTERRUPTED"}, {"once", "suite .once"},
    };

    cordon__html_start(h, "p");
    cordon__html_attr(h, "class", "legend");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char cls[32];

        snprintf(cls, sizeof cls, "key k-%s", keys[i][0]);
        cordon__html_element(h, "span", cls, keys[i][1]);
    }
    cordon__html_element(h, "span", "key try", "earlier attempt");
    cordon__html_end(h);
}

/* One attempt to draw: a test's result (try false) or one of its earlier
 * attempts, placed by the first thing it draws (its once, or its start). */
struct drawn {
    double at;
    size_t seq; /* in test order, then attempt order: ties keep it */
    size_t index;
    const struct cordon__result *r;
    bool try;
};

static int
by_lane_and_time(const void *a, const void *b)
{
    const struct drawn *x = a, *y = b;

    if (x->r->lane != y->r->lane)
        return x->r->lane < y->r->lane ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* add puts r on the list d (of *n, room for *cap) if it drew anything. */
static void
add(struct drawn **d, size_t *n, size_t *cap, size_t index,
    const struct cordon__result *r, bool try)
{
    double from = start_of(r, try);

    if (from <= 0 && r->once_began <= 0)
        return;
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *d = cordon__xrealloc(*d, *cap * sizeof **d);
    }
    (*d)[*n] = (struct drawn){.at = r->once_began > 0 ? r->once_began : from,
                              .seq = *n, .index = index, .r = r, .try = try};
    (*n)++;
}

/* draw_all draws every attempt of the run, lane by lane and in each lane
 * in the order they ran (not test order: --shuffle and several jobs mix
 * them), so that quick tests that ran one after another join (struct
 * group) and a joined bar covers no other test. */
static void
draw_all(struct cordon__html *h, const struct scale *s, struct group *g)
{
    const struct cordon__run *run = h->run;
    /* Each test's earlier attempts, read from the spool, until drawn. */
    struct tries {
        struct cordon__result *of;
    } *kept = cordon__xmalloc((run->n ? run->n : 1) * sizeof *kept);
    struct drawn *d = NULL;
    size_t n = 0, cap = 0;

    for (size_t i = 0; i < run->n; i++) {
        const struct cordon__result *r = &run->results[i];
        size_t tries = 0;

        kept[i].of = NULL;
        if (r->ntries > 0)
            kept[i].of = cordon__retry_tries(run, r, &tries);
        /* A repeated test's bar holds its earlier attempts: before them,
         * so it does not hide them; it starts first anyway. */
        add(&d, &n, &cap, i, r, false);
        for (size_t j = 0; j < tries; j++)
            add(&d, &n, &cap, i, &kept[i].of[j], true);
    }
    if (n > 0)
        qsort(d, n, sizeof *d, by_lane_and_time);
    for (size_t k = 0; k < n && h->sink->err == 0; k++) {
        if (k > 0 && d[k].r->lane != d[k - 1].r->lane)
            flush(h, s, g);
        attempt(h, s, g, d[k].index, d[k].r, d[k].try);
    }
    flush(h, s, g);
    for (size_t i = 0; i < run->n; i++)
        free(kept[i].of);
    free(kept);
    free(d);
}

void
cordon__html_timeline(struct cordon__html *h)
{
    const struct cordon__run *run = h->run;
    struct scale s = {.began = run->began, .span = run->seconds, .lanes = 0};
    struct group g = {.count = 0};
    double height;

    for (size_t i = 0; i < run->n; i++) {
        const struct cordon__result *r = &run->results[i];

        /* A once ends before its test begins: the test's bar holds it. */
        extent(&s, r);
        if (r->ntries > 0) {
            size_t n;
            struct cordon__result *tries = cordon__retry_tries(run, r, &n);

            for (size_t j = 0; j < n; j++)
                extent(&s, &tries[j]);
            free(tries);
        }
    }
    if (s.span <= 0)
        s.span = 1e-3;
    if (s.lanes == 0)
        s.lanes = 1;
    height = y_of(s.lanes) + 2;

    cordon__html_start(h, "section");
    cordon__html_attr(h, "id", "timeline");
    cordon__html_element(h, "h2", NULL, "Timeline");
    legend(h);
    cordon__html_start(h, "svg");
    cordon__html_attr(h, "class", "timeline");
    cordon__html_attrf(h, "viewBox", "0 0 %.0f %.0f", WIDTH, height);
    cordon__html_attrf(h, "width", "%.0f", WIDTH);
    cordon__html_attrf(h, "height", "%.0f", height);
    cordon__html_attr(h, "role", "img");
    cordon__html_attr(h, "aria-label", "when each test ran, on which job");
    cordon__html_newline(h);
    axis(h, &s, height);
    draw_all(h, &s, &g);
    cordon__buf_release(&g.title);
    cordon__buf_release(&g.merged);
    cordon__html_end(h);
    cordon__html_end(h);
    cordon__html_newline(h);
}
