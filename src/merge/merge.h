// SPDX-License-Identifier: MIT
// merge.h — the parts of cordon-junit-merge, a program of its own (not a
// part of libcordon, and linked with libxml2 as any program is):
// junit_merge.c has its command line and writes the result, read.c finds
// and reads the reports, build.c keeps the latest report of each test and
// builds the merged document. Functions that fail print one line on
// stderr (cordon__merge_complain) and return -1; memory that cannot be
// had ends the program with status 2.
#ifndef CORDON_MERGE_H
#define CORDON_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/tree.h>

#define CORDON__MERGE_PROGRAM "cordon-junit-merge"
#define CORDON__MERGE_EXIT_USAGE 2

/* The properties of a <testsuite> by which cordon-junit-merge knows when
 * a report's run began, to the nanosecond (the test binaries write it,
 * and so does the merge), and that a report is one it merged. */
#define CORDON__MERGE_STARTED "cordon.started"
#define CORDON__MERGE_MERGED "cordon.merged"

/* One report to read; read.c sorts them oldest first (their rank). */
struct cordon__merge_input {
    char *path;
    struct timespec mtime;
    struct timespec started; /* when its run began, if timed */
    bool timed;
    bool merged;    /* a report cordon-junit-merge wrote */
    bool in_dir;    /* found in a directory named, not named itself */
    size_t operand; /* the argument that named it or its directory */
    size_t order;   /* as named: operands in order, a directory's by name */
    xmlDocPtr doc;  /* while it is read */
};

/* One suite of one binary: the root's name and the suite's. */
struct cordon__merge_group {
    char *root;
    char *suite;
    char *timestamp; /* the earliest of its reports' */
    char *hostname;  /* the first report's */
    size_t lead;     /* its first case in the output order */
    size_t tests, failures, errors, skipped;
    double seconds;
};

/* One <testcase>, copied into the output document. */
struct cordon__merge_entry {
    xmlNodePtr node;
    size_t group;
    size_t rank; /* of its report, oldest first */
    size_t pos;  /* in its report */
    char *name;
    char *file;
    long line;
    int failed;  /* 2 failure or error, 1 skipped, 0 passed */
    bool dropped;
};

struct cordon__merge {
    struct cordon__merge_input *inputs;
    size_t ninputs;
    struct cordon__merge_group *groups;
    size_t ngroups;
    struct cordon__merge_entry *entries;
    size_t nentries;
    xmlDocPtr out;
    char *root_name; /* every report's root name, while they agree */
    bool names_differ;
};

/* ---- junit_merge.c ---- */

/* cordon__merge_complain prints "cordon-junit-merge: <message>" on stderr
 * as one line. */
void cordon__merge_complain(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* cordon__merge_xrealloc and cordon__merge_xstrdup end the program with
 * status 2, saying so, when memory runs out. */
void *cordon__merge_xrealloc(void *p, size_t n);
char *cordon__merge_xstrdup(const char *s);

/* ---- read.c ---- */

/* cordon__merge_add adds the report at path, or every *.xml report of the
 * directory at path, to m, as argument operand; the file out (NULL: none)
 * is not one of a directory's. */
int cordon__merge_add(struct cordon__merge *m, const char *path,
                      size_t operand, const struct stat *out);
/* cordon__merge_read reads every report added, leaves out those of a
 * directory that are merged reports, and copies each <testcase> into
 * m->out, oldest report first. */
int cordon__merge_read(struct cordon__merge *m);
/* cordon__merge_age compares when two reports' runs began, a report
 * without a time older than any with one, then their files' modification
 * times: <0 when a is the older, >0 when b is, 0 when they tie. */
int cordon__merge_age(const struct cordon__merge_input *a,
                      const struct cordon__merge_input *b);
/* cordon__merge_prop returns a copy of attribute name of node ("" when
 * it has none); free() it. */
char *cordon__merge_prop(xmlNodePtr node, const char *name);

/* ---- build.c ---- */

/* cordon__merge_build makes m->out the merged report of what was read. */
void cordon__merge_build(struct cordon__merge *m);

#endif /* CORDON_MERGE_H */
