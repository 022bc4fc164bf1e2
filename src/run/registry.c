// SPDX-License-Identifier: MIT
// registry.c — the list of tests linked into this binary. TEST() adds each
// test from a constructor before main runs; this file puts them in test
// order and refuses duplicate ids, and ids too long to be held whole.
// Constructors run in link order across files but in no promised order
// within a file, so test order is: files in the order their first test
// registered, then source line within a file.
#include "run/run.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

static struct cordon_impl_test *head;
static struct cordon_impl_test **tail = &head;

void
cordon_impl_register(struct cordon_impl_test *t)
{
    /* Constructors run before main: no allocation, no output here. */
    t->next_ = NULL;
    *tail = t;
    tail = &t->next_;
}

const char *
cordon__test_id(const struct cordon_impl_test *t, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", t->suite, t->name);
    return buf;
}

struct ranked {
    struct cordon_impl_test *test;
    size_t file_rank;
    size_t seq;
};

static int
by_test_order(const void *a, const void *b, const void *arg)
{
    const struct ranked *x = a, *y = b;

    (void)arg;
    if (x->file_rank != y->file_rank)
        return x->file_rank < y->file_rank ? -1 : 1;
    if (x->test->line != y->test->line)
        return x->test->line < y->test->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
by_id(const void *a, const void *b, const void *arg)
{
    const struct ranked *x = a, *y = b;
    int c = strcmp(x->test->suite, y->test->suite);

    (void)arg;
    if (c == 0)
        c = strcmp(x->test->name, y->test->name);
    if (c == 0)
        c = x->seq < y->seq ? -1 : x->seq > y->seq;
    return c;
}

/* count_duplicates prints one line per duplicate pair and returns how many. */
static size_t
count_duplicates(struct ranked *s, size_t n)
{
    size_t problems = 0;

    cordon__tables_sort(s, n, sizeof *s, by_id, NULL);
    for (size_t i = 1; i < n; i++) {
        const struct cordon_impl_test *a = s[i - 1].test, *b = s[i].test;

        if (strcmp(a->suite, b->suite) != 0 || strcmp(a->name, b->name) != 0)
            continue;
        problems++;
        /* A fuzz target's input is defined by the command line, not by
         * cordon's fuzz_main.c: that place would mean nothing to a user. */
        if (b->files_how_ & CORDON_IMPL_FILES_ARGUMENTS) {
            const struct cordon_impl_test *t = a;

            a = b;
            b = t;
        }
        if (a->files_how_ & CORDON_IMPL_FILES_ARGUMENTS) {
            if (b->files_how_ & CORDON_IMPL_FILES_ARGUMENTS)
                cordon__error("input '%s' is given twice (give it once)",
                              ((const struct cordon__file_case *)a->param_)
                                  ->file.path);
            else
                cordon__error("duplicate test id '%s/%s': an input's, and "
                              "the test's defined at %s:%d (rename that "
                              "test)", a->suite, a->name, b->file, b->line);
            continue;
        }
        cordon__error("duplicate test id '%s/%s' defined at %s:%d and "
                      "%s:%d (%s)",
                      a->suite, a->name, a->file, a->line, b->file, b->line,
                      a->param_body_ != NULL && b->param_body_ != NULL
                          ? "give the cases different labels"
                          : "rename one of them");
    }
    return problems;
}

/* An id as the reports write it (cordon__sanitize), and its test. */
struct shown {
    char *text;
    const struct ranked *r;
};

static int
by_shown(const void *a, const void *b)
{
    const struct shown *x = a, *y = b;
    int c = strcmp(x->text, y->text);

    if (c != 0)
        return c;
    return x->r->seq < y->r->seq ? -1 : x->r->seq > y->r->seq;
}

/* quoted writes id for a message as C would: a byte that is no printable
 * ASCII as \xNN and a backslash doubled, so two ids that differ only
 * there read differently. */
static void
quoted(const char *id, struct cordon__buf *out)
{
    out->len = 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if (*p == '\\')
            cordon__buf_add(out, "\\\\", 2);
        else if (*p < 0x20 || *p >= 0x7f)
            cordon__buf_printf(out, "\\x%02X", *p);
        else
            cordon__buf_add(out, (const char *)p, 1);
    }
    cordon__buf_add(out, "", 1);
}

/* count_report_twins prints one line per pair of distinct ids that the
 * reports would write as one (they drop escape sequences and write other
 * bytes they cannot hold as the text \xNN: "a" and "a\x1b[1m", "b\x01"
 * and "b\\x01") and returns how many: every report would hold two
 * results under one name. Ids every report writes as they are, the
 * common case, cost a scan. */
static size_t
count_report_twins(const struct ranked *s, size_t n)
{
    struct cordon__buf clean = {0}, qa = {0}, qb = {0};
    struct shown *shown;
    size_t problems = 0, rewritten = 0;
    char id[CORDON__MAX_ID + 1];

    for (size_t i = 0; i < n; i++) {
        cordon__test_id(s[i].test, id, sizeof id);
        for (const unsigned char *p = (const unsigned char *)id; *p; p++)
            if (*p < 0x20 || *p >= 0x7f) {
                rewritten++;
                break;
            }
    }
    if (rewritten == 0)
        return 0;
    shown = cordon__xmalloc(n * sizeof *shown);
    for (size_t i = 0; i < n; i++) {
        cordon__test_id(s[i].test, id, sizeof id);
        clean.len = 0;
        cordon__sanitize(id, strlen(id), &clean);
        cordon__buf_add(&clean, "", 1);
        shown[i] = (struct shown){cordon__xstrdup(clean.data), &s[i]};
    }
    qsort(shown, n, sizeof *shown, by_shown);
    for (size_t i = 1; i < n; i++) {
        const struct cordon_impl_test *a = shown[i - 1].r->test,
                                      *b = shown[i].r->test;
        char other[CORDON__MAX_ID + 1];

        if (strcmp(shown[i - 1].text, shown[i].text) != 0)
            continue;
        cordon__test_id(a, id, sizeof id);
        cordon__test_id(b, other, sizeof other);
        if (strcmp(id, other) == 0)
            continue; /* a duplicate: count_duplicates says so */
        quoted(id, &qa);
        quoted(other, &qb);
        cordon__error("test ids '%s' and '%s' (defined at %s:%d and %s:%d) "
                      "are one id in the reports, which drop escape "
                      "sequences and write control bytes and invalid "
                      "UTF-8 as \\xNN (%s)", qa.data, qb.data, a->file, a->line, b->file,
                      b->line,
                      a->param_body_ != NULL && b->param_body_ != NULL
                          ? "give the cases labels of printable text"
                          : "rename one of them");
        problems++;
    }
    for (size_t i = 0; i < n; i++)
        free(shown[i].text);
    free(shown);
    free(clean.data);
    free(qa.data);
    free(qb.data);
    return problems;
}

/* count_overlong prints one line per id longer than cordon takes and
 * returns how many: cut short, two long ids could become one (in --list,
 * --test and the reports), so they are refused instead. */
static size_t
count_overlong(const struct ranked *s, size_t n)
{
    size_t problems = 0;

    for (size_t i = 0; i < n; i++) {
        const struct cordon_impl_test *t = s[i].test;
        size_t len = strlen(t->suite) + 1 + strlen(t->name);

        if (len <= CORDON__MAX_ID)
            continue;
        cordon__error("test id '%s/%s' defined at %s:%d is %zu bytes, more "
                      "than the %d a test id may have (shorten its suite or "
                      "test name)", t->suite, t->name, t->file, t->line, len,
                      CORDON__MAX_ID);
        problems++;
    }
    return problems;
}

/* count_bad_exit_codes prints one line per test whose .exit_code no
 * process can exit with (an exit status is 0 to 255: 256 could never
 * pass) and returns how many. */
static size_t
count_bad_exit_codes(const struct ranked *s, size_t n)
{
    size_t problems = 0;

    for (size_t i = 0; i < n; i++) {
        const struct cordon_impl_test *t = s[i].test;
        int code = t->options.exit_code;

        if (code == CORDON_NO_EXIT || (code >= 0 && code <= 255))
            continue;
        cordon__error("test '%s/%s' defined at %s:%d expects .exit_code = "
                      "%d, which no process can exit with (use 0 to 255)",
                      t->suite, t->name, t->file, t->line, code);
        problems++;
    }
    return problems;
}

/* expand_files makes the cases of every TEST_FILES (and fuzz target)
 * afresh, for this run's --files and arguments, and returns the number
 * of problems printed. */
static size_t
expand_files(const struct cordon__config *cfg)
{
    struct cordon_impl_test **templates;
    size_t n = 0, problems = 0;

    for (struct cordon_impl_test *t = head; t != NULL; t = t->next_)
        n += t->files_how_ != 0;
    /* An array of pointers, as in flatten.
     * NOLINTNEXTLINE(bugprone-sizeof-expression) */
    templates = cordon__tables_new((n ? n : 1) * sizeof *templates);
    n = 0;
    for (struct cordon_impl_test *t = head; t != NULL; t = t->next_)
        if (t->files_how_ != 0)
            templates[n++] = t;
    problems = cordon__files_unused(cfg, templates, n);
    for (size_t i = 0; problems == 0 && i < n; i++)
        problems += cordon__files_cases(cfg, templates[i]);
    cordon__tables_free(templates);
    return problems;
}

/* flatten lists every registered test, each TEST_P as its cases, and
 * returns how many there are. */
static struct cordon_impl_test **
flatten(size_t *n)
{
    struct cordon_impl_test **all;
    size_t total = 0, i = 0;

    for (struct cordon_impl_test *t = head; t != NULL; t = t->next_)
        total += t->param_body_ != NULL ? t->nparams_ : 1;
    /* An array of pointers: each element is a pointer's size, as meant.
     * NOLINTNEXTLINE(bugprone-sizeof-expression) */
    all = cordon__tables_new((total ? total : 1) * sizeof *all);
    for (struct cordon_impl_test *t = head; t != NULL; t = t->next_) {
        if (t->param_body_ == NULL) {
            all[i++] = t;
            continue;
        }
        /* A template is expanded once, even if cordon_main runs twice:
         * its cases are kept in params_'s place for the next call. */
        if (t->param_ == NULL)
            t->param_ = cordon__param_cases(t);
        for (size_t k = 0; k < t->nparams_; k++)
            all[i++] = (struct cordon_impl_test *)t->param_ + k;
    }
    *n = total;
    return all;
}

struct cordon_impl_test **
cordon__registry_tests(const struct cordon__config *cfg, size_t *n)
{
    size_t total, i, problems = expand_files(cfg), nfiles = 0;
    struct cordon_impl_test **flat, **out;
    struct ranked *s;
    const char **files;

    if (problems > 0) {
        *n = problems;
        return NULL;
    }
    flat = flatten(&total);
    s = cordon__tables_new((total ? total : 1) * sizeof *s);
    files = cordon__tables_new((total ? total : 1) * sizeof *files);

    for (i = 0; i < total; i++) {
        struct cordon_impl_test *t = flat[i];
        size_t f = 0;

        /* Files are few; a linear scan keeps this simple and is not hot. */
        while (f < nfiles && strcmp(files[f], t->file) != 0)
            f++;
        if (f == nfiles)
            files[nfiles++] = t->file;
        s[i] = (struct ranked){t, f, i};
    }
    cordon__tables_free(files);

    problems = count_duplicates(s, total) + count_overlong(s, total) +
               count_report_twins(s, total) +
               count_bad_exit_codes(s, total) +
               cordon__suite_apply(flat, total);
    cordon__tables_free(flat);
    if (problems > 0) {
        cordon__tables_free(s);
        *n = problems;
        return NULL;
    }
    cordon__tables_sort(s, total, sizeof *s, by_test_order, NULL);
    /* An array of pointers: each element is a pointer's size, as meant.
     * NOLINTNEXTLINE(bugprone-sizeof-expression) */
    out = cordon__tables_new((total ? total : 1) * sizeof *out);
    for (i = 0; i < total; i++)
        out[i] = s[i].test;
    cordon__tables_free(s);
    *n = total;
    return out;
}
