// SPDX-License-Identifier: MIT
// read.c — finding and reading the reports cordon-junit-merge merges:
// the *.xml files of each directory named (by name, hidden files and the
// output file left out) and each file named, read oldest first by
// modification time, so that build.c can let the newest report of a test
// win. Each <testcase> is copied, whole, into the output document, under
// the suite of the binary it belongs to (its "group").
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
add_input(struct cordon__merge *m, const char *path, const struct stat *st)
{
    m->inputs = cordon__merge_xrealloc(m->inputs,
                                       (m->ninputs + 1) * sizeof *m->inputs);
    m->inputs[m->ninputs] =
        (struct cordon__merge_input){.path = cordon__merge_xstrdup(path),
                                     .mtime = st->st_mtim,
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
add_dir(struct cordon__merge *m, const char *dir, const struct stat *out)
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
            add_input(m, path, &st);
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
cordon__merge_add(struct cordon__merge *m, const char *path,
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
        return add_dir(m, path, out);
    if (!is_output(&st, out))
        add_input(m, path, &st);
    return 0;
}

/* by_age orders the reports oldest first, then as named. */
static int
by_age(const void *a, const void *b)
{
    const struct cordon__merge_input *x = a, *y = b;

    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
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
        e->node = xmlDocCopyNode(c, m->out, 1);
        if (e->node == NULL) {
            cordon__merge_complain(
                "out of memory (merge fewer reports at once)");
            exit(CORDON__MERGE_EXIT_USAGE);
        }
    }
}

static int
read_report(struct cordon__merge *m, size_t rank)
{
    const char *path = m->inputs[rank].path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    xmlDocPtr doc;
    xmlNodePtr root;
    char *name, *time;
    size_t pos = 0;

    if (fd < 0) {
        cordon__merge_complain(
            "cannot read '%s': %s (name a directory of reports or a "
            "report file)",
            path, strerror(errno));
        return -1;
    }
    xmlResetLastError();
    doc = xmlReadFd(fd, path, NULL,
                    XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
    close(fd);
    if (doc == NULL) {
        cordon__merge_complain(
            "cannot read '%s': %s (it is not well-formed XML: remove "
            "it, or write it again)",
            path, last_error());
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || (xmlStrcmp(root->name, BAD_CAST "testsuites") != 0 &&
                         xmlStrcmp(root->name, BAD_CAST "testsuite") != 0)) {
        cordon__merge_complain(
            "'%s' is not a JUnit report: its root is <%s>, not "
            "<testsuites> or <testsuite> (remove it from the "
            "directory)",
            path, root != NULL ? (const char *)root->name : "");
        xmlFreeDoc(doc);
        return -1;
    }
    if (xmlStrcmp(root->name, BAD_CAST "testsuite") == 0) {
        take_suite(m, "", root, rank, &pos);
        name = cordon__merge_xstrdup("");
    } else {
        name = cordon__merge_prop(root, "name");
        time = cordon__merge_prop(root, "time");
        m->seconds += strtod(time, NULL);
        free(time);
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
    xmlFreeDoc(doc);
    return 0;
}

int
cordon__merge_read(struct cordon__merge *m)
{
    if (m->ninputs > 0) /* m->inputs is NULL for none (C11 7.22.5) */
        qsort(m->inputs, m->ninputs, sizeof *m->inputs, by_age);
    for (size_t i = 0; i < m->ninputs; i++)
        if (read_report(m, i) == -1)
            return -1;
    return 0;
}
