// SPDX-License-Identifier: MIT
// step_summary.c — the run in Markdown for GitHub Actions' job summary:
// appended to the file GITHUB_STEP_SUMMARY names, when annotations are on
// (annotations.c says when). The counts, a table of the tests that did
// not pass with their reasons, and the slowest tests (--durations N, else
// five). Every text a test gave is escaped, so a reason can neither break
// the table nor bring its own markup or HTML: the summary is rendered as
// GitHub Flavored Markdown, which passes some HTML through.
#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rows of the failure table at most: GitHub takes up to 1 MiB of summary
 * per step, and past a few dozen rows the table says nothing more. */
#define MAX_FAILURE_ROWS 50
#define DEFAULT_SLOWEST 5

void
cordon__step_summary_escape(struct cordon__buf *out, const char *text)
{
    for (const char *p = text; *p != '\0'; p++) {
        switch (*p) {
        /* A cell is one line; a line break is an HTML one. */
        case '\n': cordon__buf_add(out, "<br>", 4); break;
        case '\r': break;
        case '<': cordon__buf_add(out, "&lt;", 4); break;
        case '>': cordon__buf_add(out, "&gt;", 4); break;
        case '&': cordon__buf_add(out, "&amp;", 5); break;
        /* '|' ends a cell even inside a code span; the others start
         * emphasis, code, links or strike-through. GFM takes a backslash
         * before any ASCII punctuation as the character itself. */
        case '|':
        case '`':
        case '\\':
        case '*':
        case '_':
        case '[':
        case ']':
        case '~':
            cordon__buf_add(out, "\\", 1);
            cordon__buf_add(out, p, 1);
            break;
        default: cordon__buf_add(out, p, 1); break;
        }
    }
}

static void
put_escaped(struct cordon__sink *s, struct cordon__buf *tmp, const char *text)
{
    tmp->len = 0;
    cordon__buf_add(tmp, "", 0);
    cordon__step_summary_escape(tmp, text);
    cordon__sink_add(s, tmp->data, tmp->len);
}

static const char *
binary_name(const struct cordon__run *run)
{
    const char *slash = strrchr(run->cfg->argv0, '/');

    return slash ? slash + 1 : run->cfg->argv0;
}

static void
failures_table(struct cordon__sink *s, const struct cordon__run *run,
               size_t failed)
{
    struct cordon__buf raw = {0}, clean = {0}, tmp = {0};
    char id[CORDON__MAX_ID + 1];
    size_t rows = 0;

    if (failed == 0)
        return;
    cordon__sink_printf(s, "\n| Outcome | Test | Reason |\n"
                           "| --- | --- | --- |\n");
    for (size_t i = 0; i < run->n && rows < MAX_FAILURE_ROWS; i++) {
        const struct cordon__result *r = &run->results[i];

        if (!cordon__outcome_failed(r->outcome))
            continue;
        cordon__run_text(run, r->reason, &raw);
        clean.len = 0;
        cordon__sanitize_console(raw.data, raw.len, &clean);
        cordon__sink_printf(s, "| %s | ", cordon__outcome_word(r->outcome));
        put_escaped(s, &tmp, cordon__test_id(r->test, id, sizeof id));
        cordon__sink_add(s, " | ", 3);
        put_escaped(s, &tmp, clean.data != NULL ? clean.data : "");
        cordon__sink_add(s, " |\n", 3);
        rows++;
    }
    if (failed > rows)
        cordon__sink_printf(s, "\nand %zu more (the console and the reports "
                            "list every one)\n", failed - rows);
    free(raw.data);
    free(clean.data);
    free(tmp.data);
}

static void
slowest_table(struct cordon__sink *s, const struct cordon__run *run)
{
    long want = run->cfg->durations >= 0 ? run->cfg->durations
                                         : DEFAULT_SLOWEST;
    size_t *slowest = cordon__xmalloc((run->n ? run->n : 1) * sizeof *slowest);
    struct cordon__buf tmp = {0};
    char id[CORDON__MAX_ID + 1];
    double sum;
    size_t n = cordon__durations_slowest(run, (size_t)want, slowest, &sum);

    if (n > 0)
        cordon__sink_printf(s, "\n**Slowest tests** (share of the %.3f s "
                            "all tests took together)\n\n"
                            "| Time | Share | Test |\n| ---: | ---: | --- |\n",
                            sum);
    for (size_t i = 0; i < n; i++) {
        const struct cordon__result *r = &run->results[slowest[i]];

        cordon__sink_printf(s, "| %.3f s | %.1f%% | ", r->seconds,
                            cordon__durations_share(r->seconds, sum));
        put_escaped(s, &tmp, cordon__test_id(r->test, id, sizeof id));
        cordon__sink_add(s, " |\n", 3);
    }
    free(slowest);
    free(tmp.data);
}

/* write_summary writes the whole summary into s. */
static void
write_summary(struct cordon__sink *s, const struct cordon__run *run)
{
    struct cordon__counts k;
    struct cordon__buf tmp = {0};

    cordon__counts_of(run, &k);
    cordon__sink_add(s, "### ", 4);
    put_escaped(s, &tmp, binary_name(run));
    cordon__sink_printf(s, ": %s\n\n**%zu passed, %zu failed, %zu skipped** "
                        "of %zu test%s in %.3f s", k.failed > 0 ? "failed"
                        : "passed", k.passed, k.failed, k.skipped, k.total,
                        k.total == 1 ? "" : "s", k.seconds);
    if (k.flaky > 0)
        cordon__sink_printf(s, " (%zu of the passes flaky)", k.flaky);
    if (run->cfg->shard_total > 0)
        cordon__sink_printf(s, ", shard %ld of %ld",
                            run->cfg->shard_index + 1, run->cfg->shard_total);
    if (run->interrupt_signal != 0)
        cordon__sink_printf(s, ", interrupted by %s",
                            cordon__signal_name(run->interrupt_signal));
    cordon__sink_add(s, "\n", 1);
    failures_table(s, run, k.failed);
    slowest_table(s, run);
    cordon__sink_add(s, "\n", 1);
    free(tmp.data);
}

/* summary_path is the file GITHUB_STEP_SUMMARY names when a summary is
 * to be written there, else NULL. */
static const char *
summary_path(const struct cordon__config *cfg)
{
    const char *path = getenv("GITHUB_STEP_SUMMARY");

    if (path == NULL || *path == '\0' || !cordon__annotations_wanted(cfg))
        return NULL;
    return path;
}

/* cannot_append says that path cannot be opened to append to, and why
 * (errno). */
static void
cannot_append(const char *path)
{
    cordon__error("cannot append the GitHub step summary to '%s': %s "
                  "(GITHUB_STEP_SUMMARY must name a writable file; "
                  "--annotations=none writes none)", path, strerror(errno));
}

int
cordon__step_summary_check(const struct cordon__config *cfg)
{
    const char *path = summary_path(cfg);
    struct stat st;
    int fd;

    if (path == NULL)
        return 0;
    /* Opening a FIFO here could block, or find no reader yet. */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        fd = access(path, W_OK) == -1 ? -1 : -2;
    else
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC,
                  0666);
    if (fd == -1) {
        cannot_append(path);
        return -1;
    }
    if (fd >= 0)
        close(fd);
    return 0;
}

int
cordon__step_summary_write(const struct cordon__run *run)
{
    const char *path = summary_path(run->cfg);
    struct cordon__sink *s;
    int fd, rc = 0;

    if (path == NULL)
        return 0;
    /* A FIFO blocks here until a reader opens it; an interrupted run
     * waits for one only so long, as for a report. */
    while ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY |
                                O_CLOEXEC, 0666)) == -1 &&
           errno == EINTR && !cordon__interrupt_give_up())
        ;
    if (fd == -1 && errno == EINTR) {
        cordon__error("cannot append the GitHub step summary to '%s': given "
                      "up after the interrupt, as nothing read it (read it "
                      "while the run goes, or name a file)", path);
        return CORDON__REPORTS_GIVEN_UP;
    }
    if (fd == -1) {
        cannot_append(path);
        return -1;
    }
    s = cordon__xmalloc(sizeof *s);
    cordon__sink_init(s, fd);
    write_summary(s, run);
    if (cordon__sink_flush(s) == -1) {
        cordon__error("cannot append the GitHub step summary to '%s': %s "
                      "(free space, or --annotations=none writes none)",
                      path, strerror(errno));
        rc = -1;
    }
    free(s);
    if (close(fd) == -1 && rc == 0) {
        cordon__error("cannot append the GitHub step summary to '%s': %s "
                      "(free space, or --annotations=none writes none)",
                      path, strerror(errno));
        rc = -1;
    }
    return rc;
}
