// SPDX-License-Identifier: MIT
// junit_merge.c — cordon-junit-merge, a program of its own, not a part of
// libcordon: makes one JUnit report of many, above all of the reports a
// --junit-dir holds after a CTest run (one per discovered test, each a
// complete cordon report). This file has its command line and writes the
// result, through a temporary file and rename() as the test binaries
// write their reports; read.c reads the reports, build.c merges them
// (merge.h). Exit status 0, or 2 with one line on stderr.
#include "merge/merge.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#define USAGE CORDON__MERGE_PROGRAM " [-o FILE] DIR|FILE..."

void
cordon__merge_complain(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs(CORDON__MERGE_PROGRAM ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void *
cordon__merge_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL) {
        cordon__merge_complain("out of memory (merge fewer reports at once)");
        exit(CORDON__MERGE_EXIT_USAGE);
    }
    return q;
}

char *
cordon__merge_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(cordon__merge_xrealloc(NULL, n), s, n);
}

/* quiet takes libxml2's own messages: each error is said once, here. */
static void
quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* write_fix is the advice for a report that cannot be written: it
 * follows the cause, as the test binaries' does. */
static const char *
write_fix(int err)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR: return "create the directory";
    case EACCES:
    case EPERM: return "fix its permissions";
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
    char *tmp = cordon__merge_xrealloc(NULL, dirlen + sizeof ".cordon-XXXXXX");
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
    cordon__merge_complain(
        "cannot write '%s': %s (%s, or pass another -o path)", path,
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
           "Of a test's reports, that of its latest run wins (by when the "
           "runs began,\n"
           "then by file times; on a tie, one that did not pass); each "
           "suite of each\n"
           "binary is one <testsuite>, its cases in source order. A "
           "merged report is\n"
           "left out of a DIR, and read when named as a FILE.\n"
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
merge_free(struct cordon__merge *m)
{
    for (size_t i = 0; i < m->ninputs; i++) {
        free(m->inputs[i].path);
        xmlFreeDoc(m->inputs[i].doc);
    }
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
    struct cordon__merge m = {0};
    const char *output = NULL;
    struct stat out_st;
    bool out_exists = false;
    int c, rc = CORDON__MERGE_EXIT_USAGE;

    LIBXML_TEST_VERSION
    xmlSetGenericErrorFunc(NULL, quiet);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h': usage(); return 0;
        case 'V':
            printf(CORDON__MERGE_PROGRAM " %s\n", CORDON_MERGE_VERSION);
            return 0;
        case ':':
            cordon__merge_complain("%s needs a value (see --help)",
                                   argv[optind - 1]);
            return CORDON__MERGE_EXIT_USAGE;
        default:
            cordon__merge_complain("unknown option '%s' (see --help)",
                                   argv[optind - 1]);
            return CORDON__MERGE_EXIT_USAGE;
        }
    }
    if (optind == argc) {
        cordon__merge_complain("no reports to merge (usage: " USAGE ")");
        return CORDON__MERGE_EXIT_USAGE;
    }
    if (output != NULL && strcmp(output, "-") == 0)
        output = NULL;
    if (output != NULL && stat(output, &out_st) == 0)
        out_exists = true;
    for (int i = optind; i < argc; i++)
        if (cordon__merge_add(&m, argv[i], (size_t)i,
                              out_exists ? &out_st : NULL) == -1)
            goto out;
    m.out = xmlNewDoc(BAD_CAST "1.0");
    if (cordon__merge_read(&m) == -1)
        goto out;
    cordon__merge_build(&m);
    if (output != NULL) {
        if (write_file(m.out, output) == -1)
            goto out;
    } else if (save(m.out, STDOUT_FILENO) == -1) {
        cordon__merge_complain("cannot write the merged report to stdout: %s",
                               strerror(errno));
        goto out;
    }
    rc = 0;
out:
    merge_free(&m);
    xmlCleanupParser();
    return rc;
}
