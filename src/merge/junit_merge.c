// SPDX-License-Identifier: MIT
// junit_merge.c — cordon-junit-merge, a program of its own, not a part of
// libcordon: makes one JUnit report of many, above all of the reports a
// --junit-dir holds after a CTest run (one per discovered test, each a
// complete cordon report). It reads every *.xml of the directories and the
// files named, keeps the newest report of each test (by file modification
// time: a test run again replaces its older result), puts each suite of
// each binary in one <testsuite> with its counts made again from its
// cases, orders the cases by source file and line (the order the tests
// are written in, as the binary's own report has them), and writes the
// result through a temporary file and rename(), as the binaries write
// their reports. The cases themselves are copied as they are, output and
// attempts included. Exit status 0, or 2 with one line on stderr.
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#define PROGRAM "cordon-junit-merge"
#define USAGE PROGRAM " [-o FILE] DIR|FILE..."
#define EXIT_USAGE 2

/* One report to read: rank orders the reports oldest first. */
struct input {
    char *path;
    struct timespec mtime;
    size_t order; /* as named: operands in order, a directory's by name */
};

/* One suite of one binary: the root's name and the suite's. */
struct group {
    char *root;
    char *suite;
    char *timestamp; /* the earliest of its reports' */
    char *hostname;  /* the first report's */
    size_t lead;     /* its first case in the output order */
    size_t tests, failures, errors, skipped;
    double seconds;
};

/* One <testcase>, copied into the output document. */
struct entry {
    xmlNodePtr node;
    size_t group;
    size_t rank; /* of its report, oldest first */
    size_t pos;  /* in its report */
    char *name;
    char *file;
    long line;
    bool dropped;
};

struct merge {
    struct input *inputs;
    size_t ninputs;
    struct group *groups;
    size_t ngroups;
    struct entry *entries;
    size_t nentries;
    xmlDocPtr out;
    char *root_name; /* every report's root name, while they agree */
    bool names_differ;
    double seconds;
};

static void
complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* complain prints "cordon-junit-merge: <message>" as one line. */
static void
complain(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs(PROGRAM ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL) {
        complain("out of memory (merge fewer reports at once)");
        exit(EXIT_USAGE);
    }
    return q;
}

static char *
xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xrealloc(NULL, n), s, n);
}

/* prop returns a copy of attribute name of node, "" when it has none. */
static char *
prop(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetProp(node, BAD_CAST name);
    char *copy = xstrdup(v != NULL ? (const char *)v : "");

    xmlFree(v);
    return copy;
}

/* quiet takes libxml2's own messages: each error is said once, here. */
static void
quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
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
add_input(struct merge *m, const char *path, const struct stat *st)
{
    m->inputs = xrealloc(m->inputs, (m->ninputs + 1) * sizeof *m->inputs);
    m->inputs[m->ninputs] = (struct input){
        .path = xstrdup(path), .mtime = st->st_mtim, .order = m->ninputs};
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
add_dir(struct merge *m, const char *dir, const struct stat *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, added = 0;

    if (d == NULL) {
        complain("cannot read '%s': %s (name a directory of reports or a "
                 "report file)", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);

        if (e->d_name[0] == '.' || len < 5 ||
            strcmp(e->d_name + len - 4, ".xml") != 0)
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = xrealloc(NULL, len);
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
        complain("no JUnit report (*.xml) in '%s' (did the tests run with "
                 "CORDON_JUNIT_DIR=%s?)", dir, dir);
        return -1;
    }
    return 0;
}

static int
add_operand(struct merge *m, const char *path, const struct stat *out)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        complain("cannot read '%s': %s (name a directory of reports or a "
                 "report file)", path, strerror(errno));
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
    const struct input *x = a, *y = b;

    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* ---- reading them ---- */

static size_t
group_of(struct merge *m, const char *root, xmlNodePtr suite)
{
    char *name = prop(suite, "name"), *stamp = prop(suite, "timestamp");
    size_t i;

    for (i = 0; i < m->ngroups; i++)
        if (strcmp(m->groups[i].root, root) == 0 &&
            strcmp(m->groups[i].suite, name) == 0)
            break;
    if (i == m->ngroups) {
        m->groups = xrealloc(m->groups, (i + 1) * sizeof *m->groups);
        m->groups[i] = (struct group){.root = xstrdup(root), .suite = name,
                                      .timestamp = stamp,
                                      .hostname = prop(suite, "hostname")};
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
take_suite(struct merge *m, const char *root, xmlNodePtr suite, size_t rank,
           size_t *pos)
{
    size_t g = group_of(m, root, suite);

    for (xmlNodePtr c = suite->children; c != NULL; c = c->next) {
        struct entry *e;
        char *line;

        if (c->type != XML_ELEMENT_NODE ||
            xmlStrcmp(c->name, BAD_CAST "testcase") != 0)
            continue;
        m->entries = xrealloc(m->entries,
                              (m->nentries + 1) * sizeof *m->entries);
        e = &m->entries[m->nentries++];
        *e = (struct entry){.group = g, .rank = rank, .pos = (*pos)++,
                            .name = prop(c, "name"), .file = prop(c, "file")};
        line = prop(c, "line");
        e->line = strtol(line, NULL, 10);
        free(line);
        e->node = xmlDocCopyNode(c, m->out, 1);
        if (e->node == NULL) {
            complain("out of memory (merge fewer reports at once)");
            exit(EXIT_USAGE);
        }
    }
}

static int
read_report(struct merge *m, size_t rank)
{
    const char *path = m->inputs[rank].path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    xmlDocPtr doc;
    xmlNodePtr root;
    char *name, *time;
    size_t pos = 0;

    if (fd < 0) {
        complain("cannot read '%s': %s (name a directory of reports or a "
                 "report file)", path, strerror(errno));
        return -1;
    }
    xmlResetLastError();
    doc = xmlReadFd(fd, path, NULL,
                    XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
    close(fd);
    if (doc == NULL) {
        complain("cannot read '%s': %s (it is not well-formed XML: remove "
                 "it, or write it again)", path, last_error());
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || (xmlStrcmp(root->name, BAD_CAST "testsuites") != 0 &&
                         xmlStrcmp(root->name, BAD_CAST "testsuite") != 0)) {
        complain("'%s' is not a JUnit report: its root is <%s>, not "
                 "<testsuites> or <testsuite> (remove it from the "
                 "directory)", path,
                 root != NULL ? (const char *)root->name : "");
        xmlFreeDoc(doc);
        return -1;
    }
    if (xmlStrcmp(root->name, BAD_CAST "testsuite") == 0) {
        take_suite(m, "", root, rank, &pos);
        name = xstrdup("");
    } else {
        name = prop(root, "name");
        time = prop(root, "time");
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

/* ---- merging ---- */

static struct merge *sorting; /* qsort's comparators read the entries */

/* by_test groups the reports of one test (one suite of one binary, one
 * name) together, oldest report first. */
static int
by_test(const void *a, const void *b)
{
    const struct entry *x = &sorting->entries[*(const size_t *)a];
    const struct entry *y = &sorting->entries[*(const size_t *)b];
    int c;

    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if ((c = strcmp(x->name, y->name)) != 0)
        return c;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* natural compares names with runs of digits as numbers, so that the
 * cases of a parameterized test come as case/2 before case/10. */
static int
natural(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            const char *x = a, *y = b;
            size_t lx, ly;

            while (*x == '0')
                x++;
            while (*y == '0')
                y++;
            for (lx = 0; x[lx] >= '0' && x[lx] <= '9'; lx++)
                ;
            for (ly = 0; y[ly] >= '0' && y[ly] <= '9'; ly++)
                ;
            if (lx != ly)
                return lx < ly ? -1 : 1;
            if (strncmp(x, y, lx) != 0)
                return strncmp(x, y, lx);
            a = x + lx;
            b = y + ly;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return (*a != '\0') - (*b != '\0');
}

/* by_source is the output order: by source file and line, the order a
 * binary's own report has (files in link order, which is often the
 * files' order by name), then by name; cases without a file (another
 * tool's) in the order their reports had them. */
static int
by_source(const void *a, const void *b)
{
    const struct entry *x = &sorting->entries[*(const size_t *)a];
    const struct entry *y = &sorting->entries[*(const size_t *)b];
    int c;

    if ((c = strcmp(x->file, y->file)) != 0)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->file[0] != '\0' && (c = natural(x->name, y->name)) != 0)
        return c;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* drop_older keeps, of the reports of each test, the newest: a test run
 * again replaces its result. Two cases of one name in one report are
 * both kept. */
static void
drop_older(struct merge *m, size_t *idx, size_t n)
{
    sorting = m;
    qsort(idx, n, sizeof *idx, by_test);
    for (size_t i = 0, j; i < n; i = j) {
        const struct entry *first = &m->entries[idx[i]];
        size_t newest;

        for (j = i + 1; j < n; j++) {
            const struct entry *e = &m->entries[idx[j]];

            if (e->group != first->group || strcmp(e->name, first->name))
                break;
        }
        newest = m->entries[idx[j - 1]].rank;
        for (size_t k = i; k < j; k++)
            if (m->entries[idx[k]].rank != newest)
                m->entries[idx[k]].dropped = true;
    }
}

static bool
has_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            xmlStrcmp(c->name, BAD_CAST name) == 0)
            return true;
    return false;
}

static void
set_count(xmlNodePtr node, const char *name, size_t n)
{
    char v[32];

    snprintf(v, sizeof v, "%zu", n);
    xmlNewProp(node, BAD_CAST name, BAD_CAST v);
}

static void
set_time(xmlNodePtr node, double seconds)
{
    char v[64];

    snprintf(v, sizeof v, "%.3f", seconds < 0 ? 0.0 : seconds);
    xmlNewProp(node, BAD_CAST "time", BAD_CAST v);
}

/* build puts the kept cases into the output document: one <testsuite>
 * per suite of each binary, in the order of its first case, each with
 * its counts and time made from its cases, as a binary's own report. */
static void
build(struct merge *m)
{
    size_t *idx = xrealloc(NULL, m->nentries * sizeof *idx), n = 0, kept;
    size_t *order = xrealloc(NULL, m->ngroups * sizeof *order);
    xmlNodePtr root = xmlNewDocNode(m->out, NULL, BAD_CAST "testsuites",
                                    NULL);
    xmlNodePtr *suites = xrealloc(NULL, m->ngroups * sizeof *suites);

    xmlDocSetRootElement(m->out, root);
    if (m->root_name != NULL && !m->names_differ && m->root_name[0] != '\0')
        xmlNewProp(root, BAD_CAST "name", BAD_CAST m->root_name);
    set_time(root, m->seconds);

    for (size_t i = 0; i < m->nentries; i++)
        idx[n++] = i;
    drop_older(m, idx, n);
    kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct entry *e = &m->entries[idx[i]];

        if (e->dropped) {
            xmlFreeNode(e->node);
            e->node = NULL;
        } else {
            idx[kept++] = idx[i];
        }
    }
    qsort(idx, kept, sizeof *idx, by_source);
    for (size_t g = 0; g < m->ngroups; g++)
        m->groups[g].lead = SIZE_MAX;
    for (size_t i = kept; i-- > 0;)
        m->groups[m->entries[idx[i]].group].lead = i;

    /* The groups in the order of their first cases; a group whose every
     * case was dropped has none and no place. */
    n = 0;
    for (size_t g = 0; g < m->ngroups; g++)
        if (m->groups[g].lead != SIZE_MAX)
            order[n++] = g;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && m->groups[order[j - 1]].lead >
                                        m->groups[order[j]].lead; j--) {
            size_t t = order[j];

            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < kept; i++) {
        struct entry *e = &m->entries[idx[i]];
        struct group *g = &m->groups[e->group];
        char *time = prop(e->node, "time");

        g->tests++;
        g->failures += has_child(e->node, "failure");
        g->errors += has_child(e->node, "error");
        g->skipped += has_child(e->node, "skipped");
        g->seconds += strtod(time, NULL);
        free(time);
    }
    for (size_t i = 0; i < n; i++) {
        struct group *g = &m->groups[order[i]];
        xmlNodePtr s = xmlNewChild(root, NULL, BAD_CAST "testsuite", NULL);

        suites[order[i]] = s;
        xmlNewProp(s, BAD_CAST "name", BAD_CAST g->suite);
        set_count(s, "tests", g->tests);
        set_count(s, "failures", g->failures);
        set_count(s, "errors", g->errors);
        set_count(s, "skipped", g->skipped);
        set_time(s, g->seconds);
        if (g->timestamp[0] != '\0')
            xmlNewProp(s, BAD_CAST "timestamp", BAD_CAST g->timestamp);
        if (g->hostname[0] != '\0')
            xmlNewProp(s, BAD_CAST "hostname", BAD_CAST g->hostname);
    }
    for (size_t i = 0; i < kept; i++) {
        struct entry *e = &m->entries[idx[i]];

        xmlAddChild(suites[e->group], e->node);
        e->node = NULL;
    }
    free(suites);
    free(order);
    free(idx);
}

/* ---- writing ---- */

static const char *
write_fix(int err)
{
    switch (err) {
    case ENOENT: case ENOTDIR: return "create the directory";
    case EACCES: case EPERM: return "fix its permissions";
    case ENOSPC: return "free some space";
    case EFBIG: return "raise the file size limit (ulimit -f)";
    case EROFS: return "write it to a writable file system";
    default: return "check the path";
    }
}

/* save writes the document to fd; -1 with errno set on failure. */
static int
save(xmlDocPtr doc, int fd)
{
    xmlSaveCtxtPtr ctx = xmlSaveToFd(fd, "UTF-8", XML_SAVE_FORMAT);

    if (ctx == NULL) {
        errno = ENOMEM;
        return -1;
    }
    errno = 0;
    if (xmlSaveDoc(ctx, doc) < 0 || xmlSaveClose(ctx) < 0) {
        if (errno == 0)
            errno = EIO;
        return -1;
    }
    return 0;
}

/* write_file writes the document to path through a temporary file in
 * its directory and rename(): a reader sees the old report or the new. */
static int
write_file(xmlDocPtr doc, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    char *tmp = xrealloc(NULL, dirlen + sizeof ".cordon-XXXXXX");
    int fd, err;

    memcpy(tmp, path, dirlen);
    memcpy(tmp + dirlen, ".cordon-XXXXXX", sizeof ".cordon-XXXXXX");
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    fchmod(fd, 0644);
    if (save(doc, fd) == -1 || fsync(fd) == -1) {
        err = errno;
        close(fd);
        unlink(tmp);
        errno = err;
        goto fail;
    }
    if (close(fd) == -1 || rename(tmp, path) == -1) {
        err = errno;
        unlink(tmp);
        errno = err;
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    err = errno;
    complain("cannot write '%s': %s (%s, or pass another -o path)", path,
             strerror(err), write_fix(err));
    free(tmp);
    return -1;
}

static void
usage(void)
{
    printf("usage: " USAGE "\n"
           "Merges JUnit reports into one: every *.xml of each DIR (such as "
           "the\n"
           "--junit-dir, CORDON_JUNIT_DIR, of a CTest run of cordon tests) "
           "and each FILE.\n"
           "The newest report of a test wins; each suite of each binary is "
           "one\n"
           "<testsuite>, its cases in source order.\n"
           "\n"
           "  -o, --output FILE  write the merged report to FILE (default: "
           "stdout)\n"
           "  -h, --help         show this help\n"
           "  --version          show the version\n"
           "\n"
           "Exit status: 0 merged, 2 a usage error or a report that cannot "
           "be read or\n"
           "written.\n");
}

static void
merge_free(struct merge *m)
{
    for (size_t i = 0; i < m->ninputs; i++)
        free(m->inputs[i].path);
    for (size_t i = 0; i < m->ngroups; i++) {
        free(m->groups[i].root);
        free(m->groups[i].suite);
        free(m->groups[i].timestamp);
        free(m->groups[i].hostname);
    }
    for (size_t i = 0; i < m->nentries; i++) {
        free(m->entries[i].name);
        free(m->entries[i].file);
        if (m->entries[i].node != NULL)
            xmlFreeNode(m->entries[i].node);
    }
    free(m->inputs);
    free(m->groups);
    free(m->entries);
    free(m->root_name);
    xmlFreeDoc(m->out);
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct merge m = {0};
    const char *output = NULL;
    struct stat out_st;
    bool out_exists = false;
    int c, rc = EXIT_USAGE;

    LIBXML_TEST_VERSION
    xmlSetGenericErrorFunc(NULL, quiet);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h': usage(); return 0;
        case 'V': printf(PROGRAM " %s\n", CORDON_MERGE_VERSION); return 0;
        case ':':
            complain("%s needs a value (see --help)", argv[optind - 1]);
            return EXIT_USAGE;
        default:
            complain("unknown option '%s' (see --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind == argc) {
        complain("no reports to merge (usage: " USAGE ")");
        return EXIT_USAGE;
    }
    if (output != NULL && strcmp(output, "-") == 0)
        output = NULL;
    if (output != NULL && stat(output, &out_st) == 0)
        out_exists = true;
    for (int i = optind; i < argc; i++)
        if (add_operand(&m, argv[i], out_exists ? &out_st : NULL) == -1)
            goto out;
    qsort(m.inputs, m.ninputs, sizeof *m.inputs, by_age);
    m.out = xmlNewDoc(BAD_CAST "1.0");
    for (size_t i = 0; i < m.ninputs; i++)
        if (read_report(&m, i) == -1)
            goto out;
    build(&m);
    if (output != NULL) {
        if (write_file(m.out, output) == -1)
            goto out;
    } else if (save(m.out, STDOUT_FILENO) == -1) {
        complain("cannot write the merged report to stdout: %s",
                 strerror(errno));
        goto out;
    }
    rc = 0;
out:
    merge_free(&m);
    xmlCleanupParser();
    return rc;
}
