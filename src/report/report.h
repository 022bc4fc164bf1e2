// SPDX-License-Identifier: MIT
// report.h — every reader of results: the console (lines, live display,
// recap), JUnit and TAP, written through sinks, atomically, from the
// spool, in test order.
#ifndef CORDON_REPORT_H
#define CORDON_REPORT_H

#include "common.h"
#include "result/result.h"
#include "run/run.h"

#include <jansson.h>

/* ---- report_console.c ---- */

struct cordon__console;
struct cordon__console *cordon__console_open(const struct cordon__config *cfg,
                                             FILE *f, size_t total);
/* cordon__console_result prints one result (an observer's result()). */
void cordon__console_result(void *console, const struct cordon__run *run,
                            size_t index);
/* cordon__console_progress redraws the live line (terminals only). */
void cordon__console_progress(void *console, const struct cordon__run *run,
                              size_t done);
void cordon__console_summary(struct cordon__console *c,
                             const struct cordon__run *run);
/* cordon__console_annotate ends the console's guard and prints the run's
 * GitHub annotations, once, when they are on: from the summary, or, when
 * a report is written to stdout too, after the reports (called then). */
void cordon__console_annotate(struct cordon__console *c,
                              const struct cordon__run *run);
/* cordon__console_seed says, before any result, the seed of a shuffled
 * run and how to run that order again. */
void cordon__console_seed(struct cordon__console *c, uint64_t seed);
void cordon__console_close(struct cordon__console *c);

/* cordon__console_tick is how often the console wants progress() called:
 * a few times a second while it shows a live display, else 0. */
double cordon__console_tick(const struct cordon__console *c);

/* ---- display.c ---- */

struct cordon__display;
/* cordon__display_open makes the live display for terminal f. */
struct cordon__display *cordon__display_open(const struct cordon__config *cfg,
                                             FILE *f, bool color);
/* cordon__display_draw redraws it: the results finished of run->n (done
 * of them, the first, already reported), the failures among them, and
 * every running test with its time. */
void cordon__display_draw(struct cordon__display *d,
                          const struct cordon__run *run, size_t done);
/* cordon__display_erase removes it from the screen (NULL: no-op). */
void cordon__display_erase(struct cordon__display *d);
void cordon__display_close(struct cordon__display *d);

/* ---- recap.c ---- */

/* cordon__recap_hints prints, under a test that did not pass, the command
 * that reruns it alone ("rerun: ./t --test suite/name") and for a crash
 * the same under gdb ("debug: gdb --args ..."). */
void cordon__recap_hints(FILE *f, const char *argv0,
                         const struct cordon__result *r);
/* cordon__recap_print lists every test of the run that did not pass (of
 * failed in all), with its outcome and reason, in test order. */
void cordon__recap_print(FILE *f, const struct cordon__run *run,
                         size_t failed);

/* ---- fold.c ---- */

/* cordon__fold_frames appends in[0..n), a sanitizer report, to out with
 * the frames of each stack from cordon's trampoline down (and a TEST_P
 * wrapper's just above it), or from the first frame of cordon's in the
 * frames of cordon's, main's and the C library's start that end it, as
 * one line, "    ... 21 frames of cordon (#3 to #23)"; returns how many
 * stacks it folded. */
size_t cordon__fold_frames(const char *in, size_t n, struct cordon__buf *out);

/* ---- annotations.c, step_summary.c ---- */

/* cordon__annotations_wanted says the run speaks to GitHub Actions:
 * --annotations=github, or GITHUB_ACTIONS=true unless --annotations=none. */
bool cordon__annotations_wanted(const struct cordon__config *cfg);
/* cordon__annotations_print prints a workflow command for every test of
 * the run that did not pass (::error) and every FLAKY one (::warning). */
void cordon__annotations_print(FILE *f, const struct cordon__run *run);
/* cordon__annotations_escape appends text escaped as a workflow command's
 * data, or with property as a property value. */
void cordon__annotations_escape(struct cordon__buf *out, const char *text,
                                bool property);
/* cordon__annotations_place reads "file:line: " at the start of text's
 * first line: the file into file, the line into *line, and where the rest
 * begins into *after; false when the line does not start so. */
bool cordon__annotations_place(const char *text, struct cordon__buf *file,
                               long *line, size_t *after);
/* cordon__step_summary_escape appends text escaped for a cell of a
 * Markdown table. */
void cordon__step_summary_escape(struct cordon__buf *out, const char *text);
/* cordon__step_summary_write appends the run's Markdown summary to the
 * file GITHUB_STEP_SUMMARY names, when annotations are on; -1 after
 * printing an error. */
int cordon__step_summary_write(const struct cordon__run *run);
/* cordon__step_summary_check says, before the run, that the summary can
 * be appended to (a FIFO or device: that it may be opened for writing);
 * -1 after printing an error. The write may also return
 * CORDON__REPORTS_GIVEN_UP: a FIFO nobody opened, given up after a
 * signal. */
int cordon__step_summary_check(const struct cordon__config *cfg);

/* ---- self_path.c ---- */

/* What a report path is to the running test binary. */
enum cordon__self {
    CORDON__SELF_NOT,   /* another file, or none */
    CORDON__SELF_IS,    /* the binary itself */
    CORDON__SELF_MAYBE, /* an executable file, and nothing (no /proc) can
                           tell the binary's file: it may be */
};
/* cordon__self_path says what path is to the binary started as argv0
 * (NULL: unknown). */
enum cordon__self cordon__self_path(const char *argv0, const char *path);

/* ---- command_guard.c ---- */

/* Hexadecimal digits in a guard's token. */
#define CORDON__GUARD_TOKEN 32

/* A stretch of the console in which GitHub's runner takes no workflow
 * command: between "::stop-commands::TOKEN" and "::TOKEN::". */
struct cordon__guard {
    bool on;
    char token[CORDON__GUARD_TOKEN + 1];
};

/* cordon__guard_open draws a fresh token and prints the line that stops
 * the runner's commands on f. */
void cordon__guard_open(struct cordon__guard *g, FILE *f);
/* cordon__guard_close prints the line that starts them again on f, once;
 * nothing when g is not open. */
void cordon__guard_close(struct cordon__guard *g, FILE *f);

/* ---- durations.c ---- */

/* cordon__durations_slowest puts into out (room for run->n) the indexes
 * of the results of tests that ran, slowest first, ties in test order, at
 * most limit of them (0 = all); returns how many, and the summed time of
 * every test that ran in *sum. */
size_t cordon__durations_slowest(const struct cordon__run *run, size_t limit,
                                 size_t *out, double *sum);
/* cordon__durations_share is seconds in percent of sum (0 when sum is). */
double cordon__durations_share(double seconds, double sum);
/* cordon__durations_print lists the limit slowest tests (0 = all; below 0
 * nothing) with their times and shares of the summed time. */
void cordon__durations_print(FILE *f, const struct cordon__run *run,
                             long limit);

/* ---- sanitize.c ---- */

/* cordon__sanitize appends in[0..n) to out as valid UTF-8 with only
 * characters legal in XML 1.0: ANSI escape sequences dropped, every other
 * unfit byte written as the four characters \xNN. */
void cordon__sanitize(const char *in, size_t n, struct cordon__buf *out);
/* cordon__sanitize_console is cordon__sanitize for a console line: a
 * carriage return is written \x0D too. */
void cordon__sanitize_console(const char *in, size_t n,
                              struct cordon__buf *out);
/* cordon__sanitize_cut returns how much of in[0..n), which more bytes
 * follow, to sanitise now so that sanitising piece by piece gives what
 * sanitising the whole would: up to the last line break, or else short of
 * an escape sequence (of up to 64 bytes) or UTF-8 character the end may
 * split. 0 means none of it yet: read on. */
size_t cordon__sanitize_cut(const char *in, size_t n);

/* ---- sink.c ---- */

/* Where a report streams to: a descriptor behind a fixed buffer that keeps
 * the first write error (an errno value) and writes nothing after it, so a
 * reporter writes on and looks once, at the end. The descriptor is not the
 * sink's: it neither syncs nor closes it. */
struct cordon__sink {
    int fd;
    int err;    /* errno of the first failed write, 0 = none */
    size_t len; /* bytes waiting in buf */
    char buf[64 * 1024];
};
void cordon__sink_init(struct cordon__sink *s, int fd);
void cordon__sink_add(struct cordon__sink *s, const char *data, size_t n);
void cordon__sink_printf(struct cordon__sink *s, const char *fmt, ...)
    CORDON_IMPL_PRINTF(2, 3);
/* cordon__sink_flush writes out what is buffered; -1 with errno set to the
 * first error the sink met. */
int cordon__sink_flush(struct cordon__sink *s);

/* ---- report_junit.c, report_tap.c, report_html.c ---- */

/* Each writes the whole report of a finished (or interrupted) run into
 * out, in test order, streaming: only one test's texts are in memory at a
 * time. Returns 0, or -1 with errno set (out's write error, or ENOMEM);
 * what was written by then stays written, so the caller discards it. */
int cordon__report_junit(const struct cordon__run *run,
                         struct cordon__sink *out);
int cordon__report_tap(const struct cordon__run *run,
                       struct cordon__sink *out);
int cordon__report_html(const struct cordon__run *run,
                        struct cordon__sink *out);
/* cordon__report_libxml_prepare loads what the JUnit and HTML reports
 * are written with (libxml2, see libxml.h) before their destination is
 * touched: NULL when ready, else a one-line reason ending in its fix
 * (static storage). */
const char *cordon__report_libxml_prepare(void);

/* ---- report_ctrf.c ---- */

/* cordon__report_ctrf writes the Common Test Report Format (CTRF) JSON
 * report of a finished run into out, as cordon__report_junit does. */
int cordon__report_ctrf(const struct cordon__run *run,
                        struct cordon__sink *out);

/* ---- json.c: what the JSON reports share (jansson values) ---- */

/* cordon__json_text is s[0..n) sanitised (cordon__sanitize: valid UTF-8,
 * unfit bytes as the four characters \xNN) as a JSON string. */
json_t *cordon__json_text(const char *s, size_t n);
/* cordon__json_span is the spooled text of a span so, or null when the
 * span is empty; cordon__json_lines its lines as an array of strings
 * (empty lines left out). */
json_t *cordon__json_span(const struct cordon__run *run,
                          struct cordon__span s);
json_t *cordon__json_lines(const struct cordon__run *run,
                           struct cordon__span s);
/* cordon__json_seconds is a duration in seconds, to the microsecond. */
json_t *cordon__json_seconds(double seconds);
/* cordon__json_id is the test's id, "suite/name", as a JSON string. */
json_t *cordon__json_id(const struct cordon_impl_test *t);
/* cordon__json_stream is a captured stream: {"text", "bytes" (printed),
 * "omitted" (bytes left out of text)}. */
json_t *cordon__json_stream(const struct cordon__run *run,
                            const struct cordon__stream *s);
/* cordon__json_put writes v compactly into out and releases it; a value
 * that could not be built (NULL) or written sets out->err (ENOMEM). */
void cordon__json_put(struct cordon__sink *out, json_t *v);

/* ---- report_json.c: the --json event stream ---- */

/* The version of the events' form, in every run-started event and in
 * docs/cordon-events.schema.json. */
#define CORDON__EVENTS_SCHEMA "cordon-events/1"

struct cordon__events;
/* cordon__events_open starts the event stream of run on fd (which it
 * owns and closes, unless it is stdout) and writes run-started; NULL when
 * memory is out. cordon__events_observe chains it into obs: every
 * observer call goes to obs's own functions first, then to the stream. */
struct cordon__events *cordon__events_open(const struct cordon__run *run,
                                           int fd, uint64_t seed);
void cordon__events_observe(struct cordon__events *ev,
                            struct cordon__observer *obs);
/* cordon__events_end writes run-finished, with the exit code the run
 * ends with, and flushes. */
void cordon__events_end(struct cordon__events *ev,
                        const struct cordon__run *run, int exit_code);
/* cordon__events_failed says an event could not be written whole. */
bool cordon__events_failed(const struct cordon__events *ev);
/* cordon__events_close closes the stream; -1 with errno set when an
 * event could not be written whole (the first error). */
int cordon__events_close(struct cordon__events *ev);

/* ---- junit_dir.c ---- */

/* cordon__junit_dir_place, under --junit-dir, makes the directory when it
 * is missing and points cfg->junit_path at the report of this run in it,
 * named after the binary and the n selected tests (the same name for the
 * same selection); nothing without --junit-dir. -1 after printing a usage
 * error. */
int cordon__junit_dir_place(struct cordon__config *cfg,
                            struct cordon_impl_test *const *sel, size_t n);

/* ---- reports.c ---- */

/* cordon__reports_check makes sure every requested report can be written,
 * before any test runs; -1 after printing a usage error. */
int cordon__reports_check(const struct cordon__config *cfg);
/* cordon__reports_own_stdout says a report streams to stdout (--tap -,
 * --junit -, --json -, --ctrf -, --html -), so the console goes to stderr. */
bool cordon__reports_own_stdout(const struct cordon__config *cfg);
/* cordon__reports_write writes every requested report atomically; -1 after
 * printing an error (the previous file, if any, is left in place), or
 * CORDON__REPORTS_GIVEN_UP when a report was given up because of an
 * interrupt (a FIFO or a stdout that nothing read). */
#define CORDON__REPORTS_GIVEN_UP (-2)
int cordon__reports_write(const struct cordon__run *run);
/* cordon__reports_events_fd opens the --json event stream's destination
 * before the run (stdout for "-"), truncating a file, waiting for a
 * FIFO's reader; -1 after printing an error, -2 when no stream was asked
 * for, CORDON__EVENTS_GIVEN_UP after printing that a FIFO nobody opened
 * was given up because of a signal (which waits, held, to stop the run). */
#define CORDON__EVENTS_GIVEN_UP (-3)
/* cordon__reports_events_lost says on stderr, by its cause, that the
 * event stream lost bytes: err is its first write error (0 = none; a
 * stdout given up after the interrupt is lost all the same). */
void cordon__reports_events_lost(const struct cordon__config *cfg, int err);
int cordon__reports_events_fd(const struct cordon__config *cfg);

/* ---- summary (report.c) ---- */

struct cordon__counts {
    size_t total;
    size_t by_outcome[CORDON_OUTCOME_ERROR + 1];
    size_t passed;
    size_t failed;
    size_t skipped;
    double seconds;
    size_t flaky; /* passed after failed attempts (counted as passed) */
};
/* cordon__report_address writes the faulting address of r and what it is
 * ("0x0 (NULL pointer)") into out; false when r has none. */
bool cordon__report_address(const struct cordon__result *r, char *out,
                            size_t size);
/* cordon__report_crash appends where a test that did not pass was, one
 * item a line, to out: "address 0x0 (NULL pointer)", "last check passed:
 * file:line", "backtrace:" and its frames indented by two; nothing when
 * nothing is known. Console and JUnit show it so. */
void cordon__report_crash(const struct cordon__run *run,
                          const struct cordon__result *r,
                          struct cordon__buf *out);
/* cordon__counts_add counts one result; cordon__counts_of a whole run.
 * Console, JUnit (per suite too) and TAP all count through these. */
void cordon__counts_add(struct cordon__counts *c,
                        const struct cordon__result *r);
void cordon__counts_of(const struct cordon__run *run,
                       struct cordon__counts *c);
/* cordon__counts_line appends the breakdown the console's summary shows
 * after "cordon: " ("13 tests in 1.234 s: 4 pass, 4 fail, ..."), which the
 * HTML report shows too. */
void cordon__counts_line(const struct cordon__counts *k,
                         struct cordon__buf *out);

#endif /* CORDON_REPORT_H */
