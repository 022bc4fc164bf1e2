// SPDX-License-Identifier: MIT
// read.c — finding and reading the reports cordon-junit-merge merges:
// the *.xml files of each directory named (by name; hidden files, the
// output file and merged reports left out) and each file named. Each
// report is parsed first, to learn when its run began (cordon.started,
// else the suites' timestamp) and whether it is a merged one; then they
// are taken oldest first, whatever order they were named in, so that
// build.c can let the latest report of a test win and the result never
// depends on the order of the arguments. Each <testcase> is copied,
// whole, into the output document, under the suite of the binary it
// belongs to (its "group").
#include "merge/merge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

char *
cordon__merge_prop(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetProp(node, BAD_CAST name);
    char *copy = cordon__merge_xstrdup(v != NULL ? (const char *)v : "");

    xmlFree(v);
    return copy;
}

/* last_error is libxml2's last complaint, on one line. */
static const char *
last_error(void)
{
    static char buf[512];
    const xmlError *e = xmlGetLastError();
    char *p;

    snprintf(buf, sizeof buf, "%s",
             e != NULL && e->message != NULL ? e->message
                                             : "not well-formed XML");
    while ((p = strpbrk(buf, "\r\n")) != NULL)
        *p = p[1] == '\0' ? '\0' : ' ';
    return buf;
}

/* ---- finding the reports ---- */

static void
add_input(struct cordon__merge *m, const char *path, const struct stat *st,
          size_t operand, bool in_dir)
{
    m->inputs = cordon__merge_xrealloc(m->inputs,
                                       (m->ninputs + 1) * sizeof *m->inputs);
    m->inputs[m->ninputs] =
        (struct cordon__merge_input){.path = cordon__merge_xstrdup(path),
                                     .mtime = st->st_mtim,
                                     .in_dir = in_dir,
                                     .operand = operand,
                                     .order = m->ninputs};
    m->ninputs++;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* is_output says st is the file the merge writes (-o), which a directory
 * of reports may hold: merged again, it would hold every test twice. */
static bool
is_output(const struct stat *st, const struct stat *out)
{
    return out != NULL && st->st_dev == out->st_dev &&
           st->st_ino == out->st_ino;
}

/* add_dir adds every regular *.xml file of dir, by name; hidden files
 * (a report being written is .cordon-XXXXXX) are not reports. */
static int
add_dir(struct cordon__merge *m, const char *dir, size_t operand,
        const struct stat *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, added = 0;

    if (d == NULL) {
        cordon__merge_complain(
            "cannot read '%s': %s (name a directory of reports or a "
            "report file)",
            dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);

        if (e->d_name[0] == '.' || len < 5 ||
            strcmp(e->d_name + len - 4, ".xml") != 0)
            continue;
        names = cordon__merge_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = cordon__merge_xstrdup(e->d_name);
    }
    closedir(d);
    /* qsort() wants a valid pointer even for no elements (C11 7.22.5),
     * and names is NULL when the directory holds no *.xml file. */
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = cordon__merge_xrealloc(NULL, len);
        struct stat st;

        snprintf(path, len, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
            !is_output(&st, out)) {
            add_input(m, path, &st, operand, true);
            added++;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    if (added == 0) {
        cordon__merge_complain(
            "no JUnit report (*.xml) in '%s' (did the tests run with "
            "CORDON_JUNIT_DIR=%s?)",
            dir, dir);
        return -1;
    }
    return 0;
}

int
cordon__merge_add(struct cordon__merge *m, const char *path, size_t operand,
                  const struct stat *out)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        cordon__merge_complain(
            "cannot read '%s': %s (name a directory of reports or a "
            "report file)",
            path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return add_dir(m, path, operand, out);
    /* Named, even the output is read: "-o all.xml all.xml new/" brings
     * all.xml up to date, safely, as it is replaced only once written. */
    add_input(m, path, &st, operand, false);
    return 0;
}

/* ---- when each report's run began ---- */

/* digits reads exactly n decimal digits at *p into *v. */
static bool
digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

/* days_since_epoch counts the days from 1970-01-01 to y-m-d in the
 * proleptic Gregorian calendar (H. Hinnant's days_from_civil): timegm()
 * is not POSIX, and mktime() would read the time as local. */
static long long
days_since_epoch(long long y, int m, int d)
{
    long long era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* parse_time reads an ISO 8601 date and time, YYYY-MM-DDThh:mm:ss with
 * any fraction of a second and a zone of Z or +hh:mm (none: UTC, as
 * cordon's timestamp is), into *t; false when s is not one. */
static bool
parse_time(const char *s, struct timespec *t)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    long nsec = 0;

    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
        *s++ != '-' || !digits(&s, 2, &d))
        return false;
    if (*s != 'T' && *s != 't' && *s != ' ')
        return false;
    s++;
    if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) ||
        *s++ != ':' || !digits(&s, 2, &sec))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 60)
        return false;
    if (*s == '.' || *s == ',') {
        long scale = 100000000;

        s++;
        if (*s < '0' || *s > '9')
            return false;
        for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
            nsec += (*s - '0') * scale;
    }
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        sign = *s++ == '+' ? 1 : -1;
        if (!digits(&s, 2, &oh))
            return false;
        if (*s == ':')
            s++;
        if (*s != '\0' && !digits(&s, 2, &om))
            return false;
        if (oh > 23 || om > 59)
            return false;
    }
    if (*s != '\0')
        return false;
    /* h, mi, oh and om are checked above (at most 23 or 59): their int
     * products cannot overflow.
     * NOLINTBEGIN(bugprone-implicit-widening-of-multiplication-result) */
    t->tv_sec = (time_t)(days_since_epoch(y, mo, d) * 86400 + h * 3600 +
                         mi * 60 + sec - sign * (oh * 3600 + om * 60));
    /* NOLINTEND(bugprone-implicit-widening-of-multiplication-result) */
    t->tv_nsec = nsec;
    return true;
}

static int
compare_time(const struct timespec *a, const struct timespec *b)
{
    if (a->tv_sec != b->tv_sec)
        return a->tv_sec < b->tv_sec ? -1 : 1;
    return (a->tv_nsec > b->tv_nsec) - (a->tv_nsec < b->tv_nsec);
}

int
cordon__merge_age(const struct cordon__merge_input *a,
                  const struct cordon__merge_input *b)
{
    int c;

    if (a->timed != b->timed)
        return a->timed ? 1 : -1;
    if (a->timed && (c = compare_time(&a->started, &b->started)) != 0)
        return c;
    return compare_time(&a->mtime, &b->mtime);
}

/* by_age orders the reports oldest first, then by path and as named:
 * one order, whatever order they were named in. */
static int
by_age(const void *a, const void *b)
{
    const struct cordon__merge_input *x = a, *y = b;
    int c = cordon__merge_age(x, y);

    if (c != 0)
        return c;
    if ((c = strcmp(x->path, y->path)) != 0)
        return c;
    return (x->order > y->order) - (x->order < y->order);
}

/* learn_suite notes what the suite says of its report: when its run
 * began (its cordon.started property, else its timestamp; the report's
 * is its earliest suite's) and whether cordon-junit-merge wrote it. */
static void
learn_suite(struct cordon__merge_input *in, xmlNodePtr suite)
{
    struct timespec t;
    bool timed = false;
    char *v;

    for (xmlNodePtr c = suite->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE ||
            xmlStrcmp(c->name, BAD_CAST "properties") != 0)
            continue;
        for (xmlNodePtr p = c->children; p != NULL; p = p->next) {
            char *name;

            if (p->type != XML_ELEMENT_NODE ||
                xmlStrcmp(p->name, BAD_CAST "property") != 0)
                continue;
            name = cordon__merge_prop(p, "name");
            if (strcmp(name, CORDON__MERGE_MERGED) == 0) {
                in->merged = true;
            } else if (!timed && strcmp(name, CORDON__MERGE_STARTED) == 0) {
                v = cordon__merge_prop(p, "value");
                timed = parse_time(v, &t);
                free(v);
            }
            free(name);
        }
    }
    if (!timed) {
        v = cordon__merge_prop(suite, "timestamp");
        timed = parse_time(v, &t);
        free(v);
    }
    if (timed && (!in->timed || compare_time(&t, &in->started) < 0)) {
        in->started = t;
        in->timed = true;
    }
}

/* ---- reading them ---- */

static size_t
group_of(struct cordon__merge *m, const char *root, xmlNodePtr suite)
{
    char *name = cordon__merge_prop(suite, "name"),
         *stamp = cordon__merge_prop(suite, "timestamp");
    size_t i;

    for (i = 0; i < m->ngroups; i++)
        if (strcmp(m->groups[i].root, root) == 0 &&
            strcmp(m->groups[i].suite, name) == 0)
            break;
    if (i == m->ngroups) {
        m->groups =
            cordon__merge_xrealloc(m->groups, (i + 1) * sizeof *m->groups);
        m->groups[i] = (struct cordon__merge_group){
            .root = cordon__merge_xstrdup(root),
            .suite = name,
            .timestamp = stamp,
            .hostname = cordon__merge_prop(suite, "hostname")};
        m->ngroups++;
        return i;
    }
    free(name);
    /* ISO 8601 of one form sorts as it reads. */
    if (stamp[0] != '\0' && (m->groups[i].timestamp[0] == '\0' ||
                             strcmp(stamp, m->groups[i].timestamp) < 0)) {
        free(m->groups[i].timestamp);
        m->groups[i].timestamp = stamp;
    } else {
        free(stamp);
    }
    return i;
}

static void
take_suite(struct cordon__merge *m, const char *root, xmlNodePtr suite,
           size_t rank, size_t *pos)
{
    size_t g = group_of(m, root, suite);

    for (xmlNodePtr c = suite->children; c != NULL; c = c->next) {
        struct cordon__merge_entry *e;
        char *line;

        if (c->type != XML_ELEMENT_NODE ||
            xmlStrcmp(c->name, BAD_CAST "testcase") != 0)
            continue;
        m->entries = cordon__merge_xrealloc(
            m->entries, (m->nentries + 1) * sizeof *m->entries);
        e = &m->entries[m->nentries++];
        *e = (struct cordon__merge_entry){
            .group = g,
            .rank = rank,
            .pos = (*pos)++,
            .name = cordon__merge_prop(c, "name"),
            .file = cordon__merge_prop(c, "file")};
        line = cordon__merge_prop(c, "line");
        e->line = strtol(line, NULL, 10);
        free(line);
        for (xmlNodePtr v = c->children; v != NULL; v = v->next) {
            int failed = 0;

            if (v->type != XML_ELEMENT_NODE)
                continue;
            if (xmlStrcmp(v->name, BAD_CAST "failure") == 0 ||
                xmlStrcmp(v->name, BAD_CAST "error") == 0)
                failed = 2;
            else if (xmlStrcmp(v->name, BAD_CAST "skipped") == 0)
                failed = 1;
            if (failed > e->failed)
                e->failed = failed;
        }
        e->node = xmlDocCopyNode(c, m->out, 1);
        if (e->node == NULL) {
            cordon__merge_complain(
                "out of memory (merge fewer reports at once)");
            exit(CORDON__MERGE_EXIT_USAGE);
        }
    }
}

/* parse reads the report of in, keeping its document, and learns when
 * its run began and whether it is a merged report. */
static int
parse(struct cordon__merge_input *in)
{
    int fd = open(in->path, O_RDONLY | O_CLOEXEC);
    xmlNodePtr root;

    if (fd < 0) {
        cordon__merge_complain(
            "cannot read '%s': %s (name a directory of reports or a "
            "report file)",
            in->path, strerror(errno));
        return -1;
    }
    xmlResetLastError();
    in->doc = xmlReadFd(fd, in->path, NULL,
                        XML_PARSE_NONET | XML_PARSE_HUGE |
                            XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    close(fd);
    if (in->doc == NULL) {
        cordon__merge_complain(
            "cannot read '%s': %s (it is not well-formed XML: remove "
            "it, or write it again)",
            in->path, last_error());
        return -1;
    }
    root = xmlDocGetRootElement(in->doc);
    if (root == NULL || (xmlStrcmp(root->name, BAD_CAST "testsuites") != 0 &&
                         xmlStrcmp(root->name, BAD_CAST "testsuite") != 0)) {
        cordon__merge_complain(
            "'%s' is not a JUnit report: its root is <%s>, not "
            "<testsuites> or <testsuite> (remove it from the "
            "directory)",
            in->path, root != NULL ? (const char *)root->name : "");
        return -1;
    }
    if (xmlStrcmp(root->name, BAD_CAST "testsuite") == 0) {
        learn_suite(in, root);
        return 0;
    }
    for (xmlNodePtr s = root->children; s != NULL; s = s->next)
        if (s->type == XML_ELEMENT_NODE &&
            xmlStrcmp(s->name, BAD_CAST "testsuite") == 0)
            learn_suite(in, s);
    return 0;
}

/* leave_out_merged drops the merged reports found in a directory: one the
 * merge wrote its result into holds each test twice, in its own report
 * and in the result. A directory with no other report is an error. */
static int
leave_out_merged(struct cordon__merge *m)
{
    size_t kept = 0;

    for (size_t i = 0, j, left; i < m->ninputs; i = j) {
        const char *dir = m->inputs[i].path;

        left = 0;
        for (j = i; j < m->ninputs &&
                    m->inputs[j].operand == m->inputs[i].operand; j++)
            left += !(m->inputs[j].in_dir && m->inputs[j].merged);
        if (left == 0) {
            cordon__merge_complain(
                "no report to merge in '%.*s', only merged ones (name a "
                "merged report as a FILE to merge it again)",
                (int)(strrchr(dir, '/') - dir), dir);
            return -1;
        }
        for (size_t k = i; k < j; k++) {
            struct cordon__merge_input *in = &m->inputs[k];

            if (in->in_dir && in->merged) {
                free(in->path);
                xmlFreeDoc(in->doc);
            } else {
                m->inputs[kept++] = *in;
            }
        }
    }
    m->ninputs = kept;
    return 0;
}

/* take copies the cases of the report of rank (its place, oldest first)
 * into m->out, and lets its document go. */
static void
take(struct cordon__merge *m, size_t rank)
{
    struct cordon__merge_input *in = &m->inputs[rank];
    xmlNodePtr root = xmlDocGetRootElement(in->doc);
    char *name;
    size_t pos = 0;

    if (xmlStrcmp(root->name, BAD_CAST "testsuite") == 0) {
        take_suite(m, "", root, rank, &pos);
        name = cordon__merge_xstrdup("");
    } else {
        name = cordon__merge_prop(root, "name");
        for (xmlNodePtr s = root->children; s != NULL; s = s->next)
            if (s->type == XML_ELEMENT_NODE &&
                xmlStrcmp(s->name, BAD_CAST "testsuite") == 0)
                take_suite(m, name, s, rank, &pos);
    }
    if (m->root_name == NULL)
        m->root_name = name;
    else if (strcmp(m->root_name, name) != 0)
        m->names_differ = true;
    if (m->root_name != name)
        free(name);
    xmlFreeDoc(in->doc);
    in->doc = NULL;
}

int
cordon__merge_read(struct cordon__merge *m)
{
    for (size_t i = 0; i < m->ninputs; i++)
        if (parse(&m->inputs[i]) == -1)
            return -1;
    if (leave_out_merged(m) == -1)
        return -1;
    /* Oldest first, as named or not: the rank build.c's order takes. */
    if (m->ninputs > 0) /* m->inputs is NULL for none (C11 7.22.5) */
        qsort(m->inputs, m->ninputs, sizeof *m->inputs, by_age);
    for (size_t rank = 0; rank < m->ninputs; rank++)
        take(m, rank);
    return 0;
}
