// SPDX-License-Identifier: MIT
// annotations.c — GitHub Actions workflow commands for the tests of a run
// that did not pass: one "::error file=F,line=L,title=ID::reason" each,
// and a "::warning" for each FLAKY one, which GitHub shows on the line of
// the pull request's diff. The place is the first failed check's
// ("file:line: message", as a result's failures hold them), else the
// test's own. On by --annotations=github, or by GITHUB_ACTIONS=true
// unless --annotations=none. They go to the console's stream: the runner
// reads commands from a step's stdout and stderr alike, and a report on
// stdout (--tap -) keeps stdout to itself. The Markdown step summary is
// step_summary.c's.
// Refs: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

bool
cordon__annotations_wanted(const struct cordon__config *cfg)
{
    const char *v = getenv("GITHUB_ACTIONS");

    if (cfg->annotations != CORDON__ANNOTATIONS_AUTO)
        return cfg->annotations == CORDON__ANNOTATIONS_GITHUB;
    return v != NULL && strcmp(v, "true") == 0;
}

/* escape appends text to out as a workflow command's data, or with
 * property a property value, as the runner unescapes them (actions/runner
 * ActionCommand.cs, UnescapeData and UnescapeProperty; @actions/core's
 * escapeData and escapeProperty write the same): '%' first, then CR and
 * LF, and in a property ':' and ',' too, which would end the command's
 * head or the property. */
void
cordon__annotations_escape(struct cordon__buf *out, const char *text,
                           bool property)
{
    for (const char *p = text; *p != '\0'; p++) {
        switch (*p) {
        case '%': cordon__buf_add(out, "%25", 3); break;
        case '\r': cordon__buf_add(out, "%0D", 3); break;
        case '\n': cordon__buf_add(out, "%0A", 3); break;
        case ':':
        case ',':
            if (property) {
                cordon__buf_add(out, *p == ':' ? "%3A" : "%2C", 3);
                break;
            }
            /* fall through */
        default: cordon__buf_add(out, p, 1); break;
        }
    }
}

bool
cordon__annotations_place(const char *text, struct cordon__buf *file,
                          long *line, size_t *after)
{
    size_t eol = strcspn(text, "\n");

    /* The first ":N:" of the line ends the file name: a name with a colon
     * of its own still parses, as long as no digits and colon follow it. */
    for (size_t i = 1; i < eol; i++) {
        size_t d = i + 1;

        if (text[i] != ':')
            continue;
        while (d < eol && text[d] >= '0' && text[d] <= '9')
            d++;
        if (d == i + 1 || d >= eol || text[d] != ':')
            continue;
        file->len = 0;
        cordon__buf_add(file, text, i);
        cordon__buf_add(file, "", 1);
        file->len--;
        *line = strtol(text + i + 1, NULL, 10);
        *after = d + 1 + (text[d + 1] == ' ');
        return true;
    }
    return false;
}

/* relative_path is path without the GITHUB_WORKSPACE prefix when it lies
 * under it: GitHub matches annotations against the repository's paths. */
static const char *
relative_path(const char *path)
{
    const char *ws = getenv("GITHUB_WORKSPACE");
    size_t n;

    if (ws == NULL || *ws == '\0' || path[0] != '/')
        return path;
    n = strlen(ws);
    while (n > 1 && ws[n - 1] == '/')
        n--;
    if (strncmp(path, ws, n) == 0 && path[n] == '/' && path[n + 1] != '\0')
        return path + n + 1;
    return path;
}

/* clean puts the spooled text of s into out, as the reports have it: no
 * escape sequences, valid UTF-8; line breaks and carriage returns stay,
 * for the command's escaping. */
static void
clean(const struct cordon__run *run, struct cordon__span s,
      struct cordon__buf *out)
{
    struct cordon__buf raw = {0};

    cordon__run_text(run, s, &raw);
    out->len = 0;
    cordon__sanitize(raw.data, raw.len, out);
    free(raw.data);
}

/* annotate prints one command for r: at the place of its first failure
 * (failures' first line), else of the test. The message is lead, reason,
 * and the failures that reason does not say already. A FAIL's reason is
 * its first failure, which the failures then start with: it is given
 * without the place it starts with, which is the command's. */
static void
annotate(FILE *f, const char *command, const char *id,
         const struct cordon__result *r, const char *reason,
         const char *failures, const char *lead)
{
    struct cordon__buf line = {0}, file = {0}, message = {0};
    long at = r->test->line;
    size_t after = 0, said = strlen(reason);
    const char *path = r->test->file, *rest = failures;

    cordon__buf_add(&message, lead, strlen(lead));
    if (cordon__annotations_place(failures, &file, &at, &after)) {
        path = file.data;
        if (said > 0 && strncmp(failures, reason, said) == 0) {
            reason += after;
            rest = failures + said;
        }
    }
    cordon__buf_add(&message, reason, strlen(reason));
    if (*rest != '\0' && rest == failures)
        cordon__buf_add(&message, "\n", 1);
    cordon__buf_add(&message, rest, strlen(rest));
    while (message.len > 0 && message.data[message.len - 1] == '\n')
        message.data[--message.len] = '\0';
    cordon__buf_printf(&line, "::%s file=", command);
    cordon__annotations_escape(&line, relative_path(path), true);
    cordon__buf_printf(&line, ",line=%ld,title=", at);
    cordon__annotations_escape(&line, id, true);
    cordon__buf_add(&line, "::", 2);
    cordon__annotations_escape(&line, message.data, false);
    fprintf(f, "%s\n", line.data);
    free(line.data);
    free(file.data);
    free(message.data);
}

void
cordon__annotations_print(FILE *f, const struct cordon__run *run)
{
    struct cordon__buf reason = {0}, failures = {0};
    char id[CORDON__MAX_ID + 1], lead[160];

    for (size_t i = 0; i < run->n; i++) {
        const struct cordon__result *r = &run->results[i];
        struct cordon__result *tries = NULL;
        size_t ntries = 0;

        cordon__test_id(r->test, id, sizeof id);
        if (cordon__outcome_failed(r->outcome)) {
            clean(run, r->reason, &reason);
            clean(run, r->failures, &failures);
            snprintf(lead, sizeof lead, "%s: ",
                     cordon__outcome_word(r->outcome));
            annotate(f, "error", id, r, reason.data, failures.data, lead);
        } else if (cordon__retry_flaky(r) &&
                   (tries = cordon__retry_tries(run, r, &ntries)) != NULL &&
                   ntries > 0) {
            char summary[96];

            /* Passed in the end: the warning says how the first attempt
             * failed, where. */
            cordon__retry_summary(r, summary, sizeof summary);
            clean(run, tries[0].reason, &reason);
            clean(run, tries[0].failures, &failures);
            snprintf(lead, sizeof lead, "FLAKY (%s); first %s: ", summary,
                     cordon__outcome_word(tries[0].outcome));
            annotate(f, "warning", id, &tries[0], reason.data, failures.data,
                     lead);
        }
        free(tries);
    }
    fflush(f);
    free(reason.data);
    free(failures.data);
}
