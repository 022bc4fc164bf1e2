// SPDX-License-Identifier: MIT
// main.c — cordon_main(): reads the command line, plans the run, hands it
// to the coordinator with the console as observer, writes the reports and
// turns the counts into the exit code. It owns the order of those steps and
// nothing else.
#include "cli/cli.h"
#include "report/report.h"

#include <signal.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

static int
list_tests(const struct cordon__config *cfg, struct cordon_impl_test **sel,
           size_t n)
{
    char id[CORDON__MAX_ID + 1];

    for (size_t i = 0; i < n; i++) {
        cordon__test_id(sel[i], id, sizeof id);
        if (cfg->verbose)
            printf("%s\t%g\n", id, cordon__plan_timeout(cfg, sel[i]));
        else
            printf("%s\n", id);
    }
    return fflush(stdout) == 0 ? CORDON_EXIT_PASS : CORDON_EXIT_USAGE;
}

static int
exit_code(const struct cordon__run *run)
{
    struct cordon__counts k;

    if (run->interrupt_signal != 0)
        return 128 + run->interrupt_signal;
    cordon__counts_of(run, &k);
    if (k.failed > 0)
        return CORDON_EXIT_FAIL;
    /* A shard is part of a run: its skips say nothing about the whole,
     * and the engines that shard know only 0 as success. */
    if (k.total > 0 && k.skipped == k.total && run->cfg->shard_total == 0)
        return CORDON_EXIT_ALL_SKIPPED;
    return CORDON_EXIT_PASS;
}

/* settled_code is the exit code of a run whose reports are written, or
 * not: failed (for a cause of their own, or the run's set-up), given_up
 * (a report or the console that nothing read, given up because of a
 * signal). An interrupted run says so, even when a report was given up.
 * A signal that came after the last test interrupted nothing: the code
 * is the tests', unless it made the runner give something up. */
static int
settled_code(const struct cordon__run *run, bool failed, bool given_up)
{
    if (run->interrupt_signal != 0)
        return exit_code(run);
    if (given_up && run->late_signal != 0)
        return 128 + run->late_signal;
    if (failed || given_up)
        return CORDON_EXIT_USAGE;
    if (run->late_signal != 0)
        fprintf(stderr, "cordon: %s came after the last test: the results "
                "and reports are complete\n",
                cordon__signal_name(run->late_signal));
    return exit_code(run);
}

/* tmpdir_variable is the variable that points the spool elsewhere, by
 * where it is now (origin as cordon__capture_dir gives it). */
static const char *
tmpdir_variable(const char *origin)
{
    return strcmp(origin, "TEST_TMPDIR") == 0 ? "TEST_TMPDIR" : "TMPDIR";
}

/* spool_lost says, on one line, that texts of the run were lost (the
 * spool could not grow: a file size limit, a full disk): a report that
 * seems complete but is not is worse than an error. */
static bool
spool_lost(const struct cordon__spool *sp)
{
    const char *origin, *dir = cordon__capture_dir(&origin);
    int err = cordon__spool_lost(sp);

    if (err == 0)
        return false;
    cordon__error("texts of this run's results were lost: its spool file in "
                  "'%s' could not grow: %s (raise the file size limit, "
                  "ulimit -f, or free space in %s)", dir, strerror(err),
                  tmpdir_variable(origin));
    return true;
}

/* console_lost says once, on stderr, that the console could not be
 * written whole: a file size limit or a full disk (the run goes on to its
 * reports and its exit code is the tests'), or a stdout that nothing read
 * and that a signal made the runner give up. True in that last case. */
static bool
console_lost(FILE *f)
{
    bool given_up = cordon__interrupt_lost(fileno(f));
    int err = 0;

    if (fflush(f) == EOF)
        err = errno;
    if (err == 0 && !ferror(f) && !given_up)
        return false;
    clearerr(f);
    if (f != stderr && given_up)
        fprintf(stderr, "cordon: the console was given up after the "
                "interrupt, as nothing read it (read it while the run "
                "goes, or send it to a file)\n");
    else if (f != stderr) /* else nowhere left to say it */
        fprintf(stderr, "cordon: the console could not be written whole: "
                "%s (raise the file size limit, or free space; the "
                "reports are written)\n",
                err != 0 ? strerror(err) : "a write failed");
    return given_up;
}

/* What the run's end needs once the late signal is known. */
struct ending {
    const struct cordon__run *run;
    struct cordon__events *events;
    bool failed, given_up;
    int code;
};

/* settle_code is a cordon__coordinator_settle hook: the exit code, and
 * the event stream's last line, written before a late signal can end the
 * process (the signals are still held). */
static void
settle_code(void *arg)
{
    struct ending *e = arg;

    e->code = settled_code(e->run, e->failed, e->given_up);
    if (e->events != NULL)
        cordon__events_end(e->events, e->run, e->code);
}

/* events_given_up says the event stream went to a stdout that was
 * given up after the interrupt (its writes went nowhere since). */
static bool
events_given_up(const struct cordon__config *cfg)
{
    return cfg->json_path != NULL && strcmp(cfg->json_path, "-") == 0 &&
           cordon__interrupt_lost(STDOUT_FILENO);
}

/* events_lost closes the event stream and says, on one line, why it
 * could not be written whole (its first error, or a stdout given up);
 * true then. */
static bool
events_lost(struct cordon__events *ev, const struct cordon__config *cfg)
{
    int err = cordon__events_close(ev) == 0 ? 0 : errno;

    if (err == 0 && !events_given_up(cfg))
        return false;
    cordon__reports_events_lost(cfg, err);
    return true;
}

static int
run_tests(const struct cordon__config *cfg, struct cordon_impl_test **sel,
          size_t n)
{
    struct cordon__run run = {.cfg = cfg, .tests = sel, .n = n};
    struct cordon__console *console;
    struct cordon__events *events = NULL;
    struct cordon__observer obs;
    struct ending ending = {.run = &run};
    uint64_t seed = 0;
    bool given_up, fifo_given_up;
    int rc, ran, events_fd, summary_rc;
    double t0;

    if (cordon__reports_check(cfg) == -1 ||
        cordon__step_summary_check(cfg) == -1)
        return CORDON_EXIT_USAGE;
    events_fd = cordon__reports_events_fd(cfg);
    if (events_fd == -1)
        return CORDON_EXIT_USAGE;
    /* The run goes on without it, to be stopped by the signal before any
     * test starts, and write the other reports. */
    fifo_given_up = events_fd == CORDON__EVENTS_GIVEN_UP;
    cordon__limits_warn(cfg, sel, n);
    if (cordon__spool_open(&run.spool) == -1) {
        const char *origin, *dir = cordon__capture_dir(&origin);

        cordon__error("cannot create the run's spool file in '%s' (%s): %s "
                      "(point %s at a writable directory)", dir, origin,
                      strerror(errno), tmpdir_variable(origin));
        return CORDON_EXIT_USAGE;
    }
    /* Fresh zero pages that stay untouched until results arrive, so the
     * workers forked now, and every test they fork, have no page tables
     * to copy for it. */
    run.results = cordon__tables_fresh((n ? n : 1) * sizeof *run.results);
    if (run.results == NULL) {
        cordon__error("out of memory for %zu results (run fewer tests at "
                      "once with --filter or --shard)", n);
        cordon__spool_close(&run.spool);
        return CORDON_EXIT_USAGE;
    }
    /* A TAP stream on stdout keeps stdout to itself. */
    console = cordon__console_open(
        cfg, cordon__reports_own_stdout(cfg) ? stderr : stdout, n);
    obs = (struct cordon__observer){.result = cordon__console_result,
                                    .progress = cordon__console_progress,
                                    .arg = console,
                                    .tick = cordon__console_tick(console)};
    if (cfg->shuffle) {
        seed = cfg->seed_given ? cfg->seed : cordon__shuffle_seed();
        cordon__console_seed(console, seed);
        run.order = cordon__shuffle_order(n, seed);
    }
    /* Read-only from here: every process forked from now on shares the
     * tables' pages, and none of them may change a test's entry. */
    cordon__tables_seal(true);
    clock_gettime(CLOCK_REALTIME, &run.started_at);
    t0 = cordon__now();
    run.began = t0;
    if (events_fd >= 0) {
        run.report_fd = events_fd;
        events = cordon__events_open(&run, events_fd, seed);
        if (events != NULL)
            cordon__events_observe(events, &obs);
    }
    /* Reports are written whatever happened: a run that could not start
     * every test still says which ran, and how. */
    ran = cordon__coordinator_run(&run, &obs);
    run.seconds = cordon__now() - t0;
    cordon__console_summary(console, &run);
    given_up = console_lost(cordon__reports_own_stdout(cfg) ? stderr
                                                            : stdout);
    rc = cordon__reports_write(&run);
    given_up |= rc == CORDON__REPORTS_GIVEN_UP || fifo_given_up;
    summary_rc = cordon__step_summary_write(&run);
    given_up |= summary_rc == CORDON__REPORTS_GIVEN_UP;
    if (summary_rc != 0 && rc == 0)
        rc = -1;
    /* After the last text of a test on any stream (no-op if done). */
    cordon__console_annotate(console, &run);
    if (spool_lost(&run.spool))
        rc = -1;
    if (events_fd >= 0 && events == NULL) {
        cordon__error("cannot write JSON event stream '%s': %s (free some "
                      "memory)", cfg->json_path, strerror(ENOMEM));
        rc = -1;
    }
    ending.events = events;
    ending.failed = rc == -1 || ran == -1 ||
                    (events != NULL && cordon__events_failed(events));
    ending.given_up = given_up || (events != NULL && events_given_up(cfg));
    cordon__coordinator_settle(&run, settle_code, &ending);
    rc = ending.code;
    if (events != NULL && events_lost(events, cfg) &&
        run.interrupt_signal == 0 && rc < 128)
        rc = CORDON_EXIT_USAGE;
    if (events == NULL && events_fd > STDOUT_FILENO)
        close(events_fd);
    cordon__console_close(console);
    cordon__spool_close(&run.spool);
    cordon__tables_seal(false);
    cordon__tables_fresh_free(run.results);
    cordon__tables_free(run.order);
    return rc;
}

/* open_standard_fds opens /dev/null on whichever of fds 0-2 is closed
 * (a caller's "<&- >&-"): else the first file cordon opens would become
 * the console, or a test's stdout. */
static void
open_standard_fds(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
            open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) == -1)
            break;
}

int
cordon_main(int argc, char **argv)
{
    struct cordon__config cfg;
    struct cordon_impl_test **all = NULL, **sel = NULL;
    size_t n = 0;
    long k;
    int rc = CORDON_EXIT_USAGE;

    locale_t numbers_before;

    cordon__signals_save();
    cordon__signals_hold();
    /* Numbers read and written as "C" has them (0.5, not 0,5), whatever
     * setlocale() the program called: in this thread only, given back on
     * return; tests run in the program's locale (child.c). */
    if (cordon__c_numeric == (locale_t)0)
        cordon__c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    numbers_before = cordon__numbers_begin();
    open_standard_fds();
    /* Line-buffered even into a pipe or file, so a runner killed mid-run
     * has printed every finished line, and fork never duplicates buffers. */
    /* Where setvbuf fails, stdout keeps its buffering; nothing else changes.
     * NOLINTNEXTLINE(cert-err33-c) */
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN); /* NOLINT(cert-err33-c): a valid signal */
    /* A console past a file size limit (ulimit -f) or on a full disk is an
     * error from write(), noted once at the end, not a death: the reports
     * are still written. Both come back when cordon_main returns. */
    signal(SIGXFSZ, SIG_IGN); /* NOLINT(cert-err33-c): a valid signal */
    switch (cordon__config_parse(&cfg, argc, argv)) {
    case 1: rc = CORDON_EXIT_PASS; goto out;
    case -1: goto out;
    default: break;
    }
    if (cordon__testenv_apply(&cfg) == -1)
        goto out;
    all = cordon__registry_tests(&cfg, &n);
    if (all == NULL)
        goto out;
    k = cordon__plan_select(&cfg, all, n, &sel);
    if (k < 0)
        goto out;
    if (!cfg.list) {
        cordon__valgrind_adjust(&cfg);
        cordon__debugger_adjust(&cfg);
    }
    if (!cfg.list && n > 0 &&
        cordon__junit_dir_place(&cfg, sel, (size_t)k) == -1)
        goto out;
    if (cfg.list)
        rc = list_tests(&cfg, sel, (size_t)k);
    else if (n == 0)
        cordon__error("no tests are linked into this binary (define "
                      "some with TEST(suite, name) { ... })");
    else
        rc = run_tests(&cfg, sel, (size_t)k);
    if (rc != CORDON_EXIT_USAGE)
        cordon__testenv_finish(&cfg);
out:
    cordon__tables_free(all);
    cordon__tables_free(sel);
    cordon__config_free(&cfg);
    cordon__numbers_end(numbers_before);
    cordon__signals_give_back();
    return rc;
}
