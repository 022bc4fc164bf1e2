// SPDX-License-Identifier: MIT
// annotations_test.c — selftests of GitHub Actions support: the workflow
// commands for tests that did not pass, read back as the runner reads
// them (actions/runner's ActionCommand.TryParseV2, on lines that end at
// CR or LF: head up to the next "::", properties split at ',', then
// unescaped), so a message or id with
// '%', ':', ',', line breaks or a carriage return must come back whole;
// where they go; --annotations and its twin; and the Markdown step
// summary appended to GITHUB_STEP_SUMMARY, with test texts escaped.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

#define FIXTURE "annotations_hostile"
#define SOURCE "selftest/fixtures/annotations_hostile.c"

/* One command as the runner parses it. */
struct command {
    char name[16];
    char file[512];
    char line[16];
    char title[256];
    char data[1024];
};

/* unescape undoes the escaping in the order the runner does: %0D, %0A,
 * then in a property %3A and %2C, and %25 last. */
static void
unescape(const char *in, size_t n, bool property, char *out, size_t size)
{
    static const struct {
        const char *from;
        char to;
        bool property_only;
    } map[] = {{"%0D", '\r', false}, {"%0A", '\n', false},
               {"%3A", ':', true},   {"%2C", ',', true},
               {"%25", '%', false}};
    char *a = strndup(in, n);

    for (size_t m = 0; m < sizeof map / sizeof map[0]; m++) {
        char *r = a, *w = a;

        if (map[m].property_only && !property)
            continue;
        while (*r != '\0') {
            if (strncmp(r, map[m].from, 3) == 0) {
                *w++ = map[m].to;
                r += 3;
            } else {
                *w++ = *r++;
            }
        }
        *w = '\0';
    }
    snprintf(out, size, "%s", a);
    free(a);
}

/* parse reads the commands among text's lines into cmds (up to max) and
 * returns how many lines were commands, as the runner reads them: a line
 * is one when it starts with "::" after its leading white space, or holds
 * "##[name]" anywhere (the older syntax); "::stop-commands::TOKEN" stops
 * every command but "::TOKEN::", which starts them again. Those two are
 * not counted. */
static size_t
parse(const char *text, struct command *cmds, size_t max)
{
    size_t n = 0;
    char stop[128] = "";

    for (const char *p = text; *p != '\0';) {
        /* .NET's line reader, which the runner's is, ends a line at a
         * carriage return as at a line feed. */
        size_t len = strcspn(p, "\r\n");
        const char *line = p, *eol = p + len, *end, *sp, *prop, *legacy;
        char name[128] = "";
        struct command *c = n < max ? &cmds[n] : NULL;
        bool v2;

        p = eol + (*eol != '\0');
        while (line < eol && (*line == ' ' || *line == '\t'))
            line++;
        v2 = strncmp(line, "::", 2) == 0 &&
             (end = strstr(line + 2, "::")) != NULL && end < eol;
        legacy = NULL;
        if (!v2) {
            char *l = strndup(line, (size_t)(eol - line));
            char *at = strstr(l, "##[");

            if (at != NULL && strchr(at, ']') != NULL)
                legacy = line + (at - l);
            free(l);
            if (legacy == NULL)
                continue;
            end = memchr(legacy, ']', (size_t)(eol - legacy));
            sp = memchr(legacy + 3, ' ', (size_t)(end - legacy - 3));
            snprintf(name, sizeof name, "%.*s",
                     (int)((sp != NULL ? sp : end) - legacy - 3), legacy + 3);
        } else {
            sp = memchr(line + 2, ' ', (size_t)(end - line - 2));
            snprintf(name, sizeof name, "%.*s",
                     (int)((sp != NULL ? sp : end) - line - 2), line + 2);
        }
        if (stop[0] != '\0') {
            if (strcmp(name, stop) == 0)
                stop[0] = '\0';
            continue;
        }
        if (strcmp(name, "stop-commands") == 0) {
            const char *tok = end + (v2 ? 2 : 1);

            snprintf(stop, sizeof stop, "%.*s", (int)(eol - tok), tok);
            stop[strcspn(stop, "\r\n")] = '\0';
            continue;
        }
        n++;
        if (c == NULL)
            continue;
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%.15s", name);
        if (!v2) {
            snprintf(c->data, sizeof c->data, "%.*s",
                     (int)(eol - end - 1),
                     end + 1);
            continue;
        }
        for (prop = sp != NULL ? sp + 1 : end; prop < end;) {
            const char *comma = memchr(prop, ',', (size_t)(end - prop));
            const char *stop_at = comma != NULL ? comma : end;
            const char *eq = memchr(prop, '=', (size_t)(stop_at - prop));

            if (eq != NULL) {
                size_t k = (size_t)(eq - prop);
                char *dst = k == 4 && !strncmp(prop, "file", 4)    ? c->file
                            : k == 4 && !strncmp(prop, "line", 4)  ? c->line
                            : k == 5 && !strncmp(prop, "title", 5) ? c->title
                                                                   : NULL;
                size_t size = dst == c->file   ? sizeof c->file
                              : dst == c->line ? sizeof c->line
                                               : sizeof c->title;

                if (dst != NULL)
                    unescape(eq + 1, (size_t)(stop_at - eq - 1), true, dst,
                             size);
            }
            prop = stop_at + 1;
        }
        unescape(end + 2, (size_t)(eol - end - 2), false, c->data,
                 sizeof c->data);
    }
    return n;
}

static const struct command *
find(const struct command *cmds, size_t n, const char *title)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cmds[i].title, title) == 0)
            return &cmds[i];
    return NULL;
}

/* run_hostile runs the fixture in dir with args and GitHub's variables:
 * GITHUB_ACTIONS as actions says (NULL: unset), the workspace the source
 * tree, the summary dir/summary.md. */
static void
run_hostile(struct st_run *r, const char *dir, const char *actions,
            const char *const *args, const char *extra)
{
    char *marker = st_format("ANNOTATIONS_FLAKY_MARKER=%s/marker", dir);
    char *summary = st_format("GITHUB_STEP_SUMMARY=%s/summary.md", dir);
    char *gha = actions != NULL ? st_format("GITHUB_ACTIONS=%s", actions)
                                : NULL;
    char *markerfile = st_format("%s/marker", dir);
    const char *env[] = {marker, summary,
                         "GITHUB_WORKSPACE=" CORDON_SOURCE_DIR "/",
                         gha != NULL ? gha : extra,
                         gha != NULL ? extra : NULL, NULL};

    remove(markerfile);
    ASSERT_EQ(st_run_fixture(r, FIXTURE, args, env), 0);
    free(marker);
    free(summary);
    free(gha);
    free(markerfile);
}

TEST(annotations, commands_parse_back_whole)
{
    char *dir = st_tmpdir();
    struct command cmds[8];
    const struct command *c;
    struct st_run r;
    size_t n;
    char *line;

    ASSERT_NOT_NULL(dir);
    run_hostile(&r, dir, "true", NULL, NULL);
    EXPECT_EQ(r.code, 1);
    n = parse(r.out, cmds, 8);
    /* Four that did not pass, one FLAKY; none for the test that passed. */
    EXPECT_EQ(n, 5, "%s", r.out);
    EXPECT_NULL(find(cmds, n < 8 ? n : 8, "hostile/passes"));

    c = find(cmds, n < 8 ? n : 8, "hostile/message");
    ASSERT_NOT_NULL(c, "%s", r.out);
    EXPECT_STREQ(c->name, "error");
    EXPECT_STREQ(c->file, SOURCE);
    line = st_format("%d", st_source_line(SOURCE, "100%% sure"));
    EXPECT_STREQ(c->line, line);
    free(line);
    EXPECT_STREQ(c->data, "FAIL: EXPECT_EQ(1, 2) failed: expected 1 == 2 -- "
                          "100%% sure: a, b\nsecond line\rafter CR %%0A | "
                          "`x` <b>");

    /* Property escaping: ':' and ',' in the title would end the head or
     * the property. */
    c = find(cmds, n < 8 ? n : 8, "hostile/labeled[a:b,c%d|e`f<g]");
    ASSERT_NOT_NULL(c, "%s", r.out);
    EXPECT_STREQ(c->file, SOURCE);
    EXPECT_NOT_NULL(strstr(c->data, "-- label a:b,c%d|e`f<g"), "%s",
                    c->data);

    /* The second failure follows the first, which is the reason. */
    c = find(cmds, n < 8 ? n : 8, "hostile/two_failures");
    ASSERT_NOT_NULL(c, "%s", r.out);
    line = st_format("%d", st_source_line(SOURCE, "\"first\""));
    EXPECT_STREQ(c->line, line);
    free(line);
    EXPECT_NOT_NULL(strstr(c->data, "-- first\n"), "%s", c->data);
    EXPECT_NOT_NULL(strstr(c->data, "-- second"), "%s", c->data);

    /* No check failed: the test's own place. */
    c = find(cmds, n < 8 ? n : 8, "hostile/crashes");
    ASSERT_NOT_NULL(c, "%s", r.out);
    line = st_format("%d", st_source_line(SOURCE, "TEST(hostile, crashes)"));
    EXPECT_STREQ(c->line, line);
    free(line);
    EXPECT_STREQ(c->data, "CRASH: killed by SIGABRT (Aborted)");

    c = find(cmds, n < 8 ? n : 8, "hostile/flaky");
    ASSERT_NOT_NULL(c, "%s", r.out);
    EXPECT_STREQ(c->name, "warning");
    line = st_format("%d", st_source_line(SOURCE, "first: attempt"));
    EXPECT_STREQ(c->line, line);
    free(line);
    EXPECT_NOT_NULL(strstr(c->data, "first: attempt, fails"), "%s", c->data);

    /* Before the closing line, which stays the last. */
    line = st_last_line(r.out);
    EXPECT_STREQ(line, "cordon: 2 passed, 4 failed, 0 skipped");
    free(line);
    st_free(&r);
    st_rmtree(dir);
}

TEST(annotations, only_on_github_or_when_asked)
{
    static const char *const none[] = {"--annotations=none", NULL};
    static const char *const github[] = {"--annotations", "github", NULL};
    char *dir = st_tmpdir(), *summary;
    struct command cmds[8];
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    summary = st_format("%s/summary.md", dir);
    run_hostile(&r, dir, NULL, NULL, NULL);
    EXPECT_EQ(parse(r.out, cmds, 8), 0, "%s", r.out);
    EXPECT_NULL(st_read_file(summary, NULL), "no summary off GitHub");
    st_free(&r);
    run_hostile(&r, dir, "false", NULL, NULL);
    EXPECT_EQ(parse(r.out, cmds, 8), 0, "%s", r.out);
    st_free(&r);
    run_hostile(&r, dir, "true", none, NULL);
    EXPECT_EQ(parse(r.out, cmds, 8), 0, "%s", r.out);
    EXPECT_NULL(st_read_file(summary, NULL), "none writes no summary");
    st_free(&r);
    run_hostile(&r, dir, "true", NULL, "CORDON_ANNOTATIONS=none");
    EXPECT_EQ(parse(r.out, cmds, 8), 0, "%s", r.out);
    st_free(&r);
    run_hostile(&r, dir, NULL, github, NULL);
    EXPECT_EQ(parse(r.out, cmds, 8), 5, "%s", r.out);
    st_free(&r);
    free(summary);
    st_rmtree(dir);
}

TEST(annotations, beside_a_report_on_stdout_on_stderr)
{
    static const char *const args[] = {"--tap", "-", NULL};
    char *dir = st_tmpdir();
    struct command cmds[8];
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    run_hostile(&r, dir, "true", args, NULL);
    EXPECT_EQ(parse(r.out, cmds, 8), 0, "the TAP stream stays clean");
    EXPECT_EQ(parse(r.err, cmds, 8), 5, "%s", r.err);
    EXPECT_EQ(strncmp(r.out, "TAP version", 11), 0, "%s", r.out);
    st_free(&r);
    st_rmtree(dir);
}

TEST(annotations, bad_values_are_usage_errors)
{
    static const char *const args[] = {"--annotations=gitlab", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: --annotations: 'gitlab' is not a kind of "
                        "annotations (use github, none, or auto for github "
                        "under GITHUB_ACTIONS=true)\n");
    st_free(&r);
}

/* cells counts the cells of a Markdown table row: the '|' not escaped
 * with a backslash, less one. */
static int
cells(const char *row)
{
    int bars = 0;

    for (const char *p = row; *p != '\0' && *p != '\n'; p++)
        if (*p == '\\' && p[1] != '\0')
            p++;
        else if (*p == '|')
            bars++;
    return bars - 1;
}

TEST(annotations, step_summary_appends_escaped_markdown)
{
    char *dir = st_tmpdir(), *summary, *text, *row;
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    summary = st_format("%s/summary.md", dir);
    st_write_file(summary, "earlier step\n");
    run_hostile(&r, dir, "true", NULL, NULL);
    EXPECT_EQ(r.code, 1);
    st_free(&r);
    text = st_read_file(summary, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(strncmp(text, "earlier step\n### annotations\\_hostile: "
                            "failed\n", 41), 0, "appended:\n%s", text);
    EXPECT_NOT_NULL(strstr(text, "**2 passed, 4 failed, 0 skipped** of 6 "
                                 "tests"), "%s", text);
    EXPECT_NOT_NULL(strstr(text, "| Outcome | Test | Reason |\n"), "%s",
                    text);
    /* Every row of the failure table has its three cells, whatever the
     * reason held. */
    row = strstr(text, "| FAIL | hostile/message | ");
    ASSERT_NOT_NULL(row, "%s", text);
    EXPECT_EQ(cells(row), 3, "%s", row);
    EXPECT_NOT_NULL(strstr(row, "100%% sure: a, b<br>second line\\\\x0Dafter "
                                "CR %%0A \\| \\`x\\` &lt;b&gt; |\n"),
                    "%s", row);
    row = strstr(text, "| FAIL | hostile/labeled\\[a:b,c%d\\|e\\`f&lt;g\\] | ");
    ASSERT_NOT_NULL(row, "%s", text);
    EXPECT_EQ(cells(row), 3, "%s", row);
    EXPECT_NOT_NULL(strstr(text, "| CRASH | hostile/crashes | killed by "
                                 "SIGABRT (Aborted) |\n"), "%s", text);
    EXPECT_NULL(strstr(text, "<b>"), "no raw HTML of a test's");
    ASSERT_NOT_NULL(strstr(text, "**Slowest tests**"), "%s", text);
    /* A test that passed is not among the failures (the slowest tests
     * may hold it, as its time decides). */
    row = st_format("%.*s", (int)(strstr(text, "**Slowest tests**") - text),
                    text);
    EXPECT_NULL(strstr(row, "| hostile/passes"), "%s", row);
    free(row);
    EXPECT_EQ(st_count(strstr(text, "| ---: |"), "| "), 6, "5 slowest:\n%s",
              text);
    free(text);
    /* Appended again by the next run, never replaced. */
    run_hostile(&r, dir, "true", NULL, NULL);
    st_free(&r);
    text = st_read_file(summary, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(st_count(text, "### annotations"), 2, "%s", text);
    free(text);
    free(summary);
    st_rmtree(dir);
}

TEST(annotations, unwritable_step_summary_is_exit_2)
{
    char *dir = st_tmpdir(), *env, *want;
    const char *envs[3];
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    env = st_format("GITHUB_STEP_SUMMARY=%s", dir);
    envs[0] = "GITHUB_ACTIONS=true";
    envs[1] = env;
    envs[2] = NULL;
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, envs), 0);
    EXPECT_EQ(r.code, 2);
    want = st_format("cordon: cannot append the GitHub step summary to "
                     "'%s': Is a directory (GITHUB_STEP_SUMMARY must name a "
                     "writable file; --annotations=none writes none)\n", dir);
    EXPECT_STREQ(r.err, want);
    free(want);
    free(env);
    st_free(&r);
    st_rmtree(dir);
}

/* only_cordons says every command in cmds[0..n) is one of cordon's: an
 * ::error for a test of the inject suite, with its title. */
static void
only_cordons(const struct command *cmds, size_t n, const char *text)
{
    for (size_t i = 0; i < n && i < 8; i++) {
        EXPECT_STREQ(cmds[i].name, "error", "%s", text);
        EXPECT_EQ(strncmp(cmds[i].title, "inject/", 7), 0, "%s", text);
    }
}

TEST(annotations, test_texts_are_no_commands)
{
    static const char *const shown[] = {"--show-output", NULL};
    static const char *const tap[] = {"--tap", "-", NULL};
    const char *env[] = {"GITHUB_ACTIONS=true", NULL};
    struct command cmds[8];
    struct st_run r;
    char *both;
    size_t n;

    ASSERT_EQ(st_run_fixture(&r, "annotations_inject", shown, env), 0);
    EXPECT_EQ(r.code, 1);
    ASSERT_NOT_NULL(strstr(r.out, "FROM_MESSAGE"), "shown:\n%s", r.out);
    ASSERT_NOT_NULL(strstr(r.out, "LEGACY_STDERR"), "shown:\n%s", r.out);
    n = parse(r.out, cmds, 8);
    EXPECT_EQ(n, 2, "the two failures' only:\n%s", r.out);
    only_cordons(cmds, n, r.out);
    /* The closing line stays the last. */
    both = st_last_line(r.out);
    EXPECT_STREQ(both, "cordon: 1 passed, 2 failed, 1 skipped");
    free(both);
    st_free(&r);

    /* A report on stdout: the console (stderr) stops the commands before
     * the first result and starts them after the report is written. */
    ASSERT_EQ(st_run_fixture(&r, "annotations_inject", tap, env), 0);
    EXPECT_EQ(r.code, 1);
    ASSERT_NOT_NULL(strstr(r.out, "FROM_MESSAGE"), "TAP:\n%s", r.out);
    both = st_format("%.*s%s%s", (int)strcspn(r.err, "\n") + 1, r.err, r.out,
                     r.err + strcspn(r.err, "\n") + 1);
    n = parse(both, cmds, 8);
    EXPECT_EQ(n, 2, "%s", both);
    only_cordons(cmds, n, both);
    free(both);
    st_free(&r);
}
