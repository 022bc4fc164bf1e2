// SPDX-License-Identifier: MIT
// files.c — TEST_FILES and the fuzz runner's inputs, the coordinator's
// side: at start, before any fork, a template's directory (or the command
// line's files and directories, for a fuzz target) is walked and each
// regular file under it becomes a test of its own, "suite/name[rel/path]"
// (or "fuzz/path"), listed, filtered, sharded, run, retried and reported
// like a TEST_P case. Everything made here lives in the run's tables
// (tables.c): never private memory of the process that forks. The test
// process maps each file itself (api/files.c).
//
// Order is the bytewise order of the relative paths (strcmp compares as
// unsigned char), the same on every system and file system, so the ids,
// their order and the shards are too. Symbolic links are followed (stat),
// to files and directories; a directory already on the way down from the
// root (a link back up) is skipped, so a loop ends. Anything but regular
// files and directories (fifos, sockets, devices, dangling links) is
// skipped: a fifo would block the test that opens it.
#include "run/run.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A growing array of kept paths, in the tables. */
struct paths {
    const char **v;
    size_t n, cap;
};

static void
paths_add(struct paths *p, const char *s)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        const char **v = cordon__tables_new(cap * sizeof *v);

        if (p->n > 0)
            memcpy(v, p->v, p->n * sizeof *v);
        cordon__tables_free(p->v);
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = s;
}

/* by_path orders positions by the bytewise order of the paths (const
 * char *const *)v they index. */
static int
by_path(const void *a, const void *b, const void *v)
{
    const char *const *path = v;

    return strcmp(path[*(const size_t *)a], path[*(const size_t *)b]);
}

/* ordered returns the positions of v[0..n) in bytewise order of their
 * paths (stable); cordon__tables_free it. */
static size_t *
ordered(const char *const *v, size_t n)
{
    size_t *ix = cordon__tables_new((n ? n : 1) * sizeof *ix);

    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    cordon__tables_sort(ix, n, sizeof *ix, by_path, v);
    return ix;
}

/* sort puts v[0..n) in bytewise order. */
static void
sort(const char **v, size_t n)
{
    size_t *ix;
    const char **tmp;

    if (n < 2)
        return;
    ix = ordered(v, n);
    tmp = cordon__tables_new(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        tmp[i] = v[ix[i]];
    memcpy(v, tmp, n * sizeof *v);
    cordon__tables_free(tmp);
    cordon__tables_free(ix);
}

/* drop_repeats removes from p every path equal to one before it, the rest
 * keeping their order: a fuzz target's arguments may overlap ("corpus"
 * and "corpus/crash-1"), and each input is one test. */
static void
drop_repeats(struct paths *p)
{
    size_t *ix, kept = 0;
    const char *last;

    if (p->n < 2)
        return;
    ix = ordered(p->v, p->n);
    /* Equal paths are next to each other, the first given first. */
    last = p->v[ix[0]];
    for (size_t i = 1; i < p->n; i++) {
        if (strcmp(p->v[ix[i]], last) == 0)
            p->v[ix[i]] = NULL;
        else
            last = p->v[ix[i]];
    }
    cordon__tables_free(ix);
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i] != NULL)
            p->v[kept++] = p->v[i];
    p->n = kept;
}

/* The directories from the root down to the one being read. */
struct chain {
    dev_t dev;
    ino_t ino;
    const struct chain *up;
};

struct walk {
    struct paths *out;
    struct cordon__buf path; /* the directory being read, then an entry */
    const char *who;         /* the test id or "fuzz", for errors */
    const char *fix;         /* how to point it elsewhere, for errors */
};

/* walk adds every regular file under the directory w->path names, whose
 * own identity is here, to w->out. Returns -1 after printing an error. */
static int
walk(struct walk *w, const struct chain *here)
{
    size_t len = w->path.len;
    /* "" is the current directory, whose entries are named bare. */
    DIR *d = opendir(len > 0 ? w->path.data : ".");
    struct dirent *e;
    int rc = 0;

    if (d == NULL) {
        cordon__usage_error("%s: cannot read directory '%s': %s (%s)", w->who,
                            len > 0 ? w->path.data : ".", strerror(errno),
                            w->fix);
        return -1;
    }
    for (;;) {
        struct stat st;
        struct chain down;
        const struct chain *c;

        errno = 0;
        if ((e = readdir(d)) == NULL)
            break;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        w->path.len = len;
        if (len > 0 && w->path.data[len - 1] != '/')
            cordon__buf_add(&w->path, "/", 1);
        cordon__buf_add(&w->path, e->d_name, strlen(e->d_name));
        if (stat(w->path.data, &st) == -1)
            continue; /* dangling link, or gone since */
        if (S_ISREG(st.st_mode)) {
            paths_add(w->out, cordon__tables_id(w->path.data));
            continue;
        }
        if (!S_ISDIR(st.st_mode))
            continue;
        for (c = here; c != NULL; c = c->up)
            if (c->dev == st.st_dev && c->ino == st.st_ino)
                break;
        if (c != NULL)
            continue; /* a link back up: a loop */
        down = (struct chain){st.st_dev, st.st_ino, here};
        if ((rc = walk(w, &down)) == -1)
            break;
    }
    if (rc == 0 && errno != 0) {
        w->path.len = len;
        w->path.data[len] = '\0';
        cordon__usage_error("%s: cannot read directory '%s': %s (%s)", w->who,
                            len > 0 ? w->path.data : ".", strerror(errno),
                            w->fix);
        rc = -1;
    }
    closedir(d);
    w->path.len = len;
    w->path.data[len] = '\0';
    return rc;
}

/* normalise appends path to b without its empty and "." components:
 * "corpus//", "./corpus/" and "corpus/./" are all "corpus", "/." is "/",
 * and "." (or "./") is "", the current directory. ".." stays (through a
 * link it is not the parent of the name before it). */
static void
normalise(struct cordon__buf *b, const char *path)
{
    size_t start = b->len;

    if (path[0] == '/')
        cordon__buf_add(b, "/", 1);
    for (const char *p = path; *p != '\0';) {
        size_t n = strcspn(p, "/");

        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (b->len > start && b->data[b->len - 1] != '/')
                cordon__buf_add(b, "/", 1);
            cordon__buf_add(b, p, n);
        }
        p += n;
        p += strspn(p, "/");
    }
    if (b->len == start)
        cordon__buf_add(b, "", 0); /* still a string */
}

/* find adds the regular files under dir to out, sorted, each named by
 * dir normalised (above), "/" and its path below dir. Returns 1 when dir
 * is a directory, *below then saying how many bytes of each path name
 * dir (with its "/"); 0 when it is a regular file (added, normalised);
 * -1 after printing an error. */
static int
find(struct paths *out, const char *dir, size_t *below, const char *who,
     const char *fix)
{
    struct walk w = {.out = out, .who = who, .fix = fix};
    struct stat st;
    struct chain root;
    size_t first = out->n;
    int rc;

    if (stat(dir, &st) == -1) {
        cordon__usage_error("%s: cannot read directory '%s': %s (%s)", who,
                            dir, strerror(errno), fix);
        return -1;
    }
    normalise(&w.path, dir);
    if (S_ISREG(st.st_mode)) {
        paths_add(out, cordon__tables_id(w.path.data));
        cordon__buf_release(&w.path);
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        cordon__usage_error("%s: '%s' is neither a directory nor a regular "
                            "file (%s)", who, dir, fix);
        cordon__buf_release(&w.path);
        return -1;
    }
    root = (struct chain){st.st_dev, st.st_ino, NULL};
    /* "dir/" and "dir" name the same files, the same way. */
    *below = w.path.len + (w.path.len > 0 && w.path.data[w.path.len - 1] !=
                                                 '/');
    rc = walk(&w, &root);
    cordon__buf_release(&w.path);
    if (rc == -1)
        return -1;
    sort(out->v + first, out->n - first);
    return 1;
}

/* escape appends s to b with every byte but letters, digits and "-._/+=@~"
 * written %XX: an id is then one printable word, with no glob, quote,
 * space, separator or invalid UTF-8 in it, and different paths still
 * give different ids ('%' itself is escaped). */
static void
escape(struct cordon__buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};

        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._/+=@~", *p) != NULL)
            cordon__buf_add(b, (const char *)p, 1);
        else
            cordon__buf_add(b, esc, 3);
    }
}

/* directory_of is the directory template tpl reads: the last --files for
 * its id, else CORDON_FILES's, else its own. */
static const char *
directory_of(const struct cordon__config *cfg,
             const struct cordon_impl_test *tpl, const char *id)
{
    for (size_t i = cfg->nfiles; i > 0; i--)
        if (strcmp(cfg->files[i - 1].id, id) == 0)
            return cfg->files[i - 1].dir;
    return tpl->files_dir_;
}

/* make_cases turns the n files of paths (each relative part starting
 * rel[i] bytes in) into tests of template tpl. */
static struct cordon_impl_test *
make_cases(const struct cordon_impl_test *tpl, const struct paths *paths,
           const size_t *rel, const char *cwd, size_t *problems)
{
    struct cordon_impl_test *cases = cordon__tables_keep(
        (paths->n ? paths->n : 1) * sizeof *cases,
        _Alignof(struct cordon_impl_test));
    struct cordon__file_case *fcs = cordon__tables_keep(
        (paths->n ? paths->n : 1) * sizeof *fcs,
        _Alignof(struct cordon__file_case));
    bool bare = tpl->files_how_ & CORDON_IMPL_FILES_ARGUMENTS;
    struct cordon__buf name = {0}, abs = {0};

    for (size_t k = 0; k < paths->n; k++) {
        const char *path = paths->v[k], *open_path = path;

        name.len = 0;
        if (bare) {
            escape(&name, path);
        } else {
            cordon__buf_printf(&name, "%s[", tpl->name);
            escape(&name, path + rel[k]);
            cordon__buf_add(&name, "]", 1);
        }
        if (strlen(tpl->suite) + 1 + name.len > CORDON__MAX_ID) {
            cordon__usage_error("%s/%s: the test id of input '%s' would be "
                                "%zu bytes, more than the %d a test id may "
                                "have (shorten its path)", tpl->suite,
                                bare ? "" : tpl->name, path,
                                strlen(tpl->suite) + 1 + name.len,
                                CORDON__MAX_ID);
            ++*problems;
            continue;
        }
        if (path[0] != '/' && cwd != NULL) {
            abs.len = 0;
            cordon__buf_printf(&abs, "%s/%s", cwd, path);
            open_path = cordon__tables_id(abs.data);
        }
        fcs[k] = (struct cordon__file_case){
            {path, path + rel[k], NULL, 0}, open_path};
        cases[k] = *tpl;
        cases[k].name = cordon__tables_id(name.data);
        cases[k].next_ = NULL;
        cases[k].param_ = &fcs[k];
    }
    cordon__buf_release(&name);
    cordon__buf_release(&abs);
    return cases;
}

size_t
cordon__files_cases(const struct cordon__config *cfg,
                    struct cordon_impl_test *tpl)
{
    struct paths paths = {0};
    size_t *rel, problems = 0, below = 0;
    char id[CORDON__MAX_ID + 1], fix[CORDON__MAX_ID + 128];
    /* getcwd(NULL, 0) allocates only as an extension; a directory too
     * deep for this buffer leaves relative paths relative. */
    char here[4096], *cwd = getcwd(here, sizeof here);

    tpl->nparams_ = 0;
    tpl->param_ = NULL;
    if (tpl->files_how_ & CORDON_IMPL_FILES_ARGUMENTS) {
        if (cfg->ninputs == 0) {
            cordon__usage_error("no inputs to run (give the corpus "
                                "directories and files, e.g. %s corpus/ "
                                "crash-1234)", cfg->argv0);
            return 1;
        }
        snprintf(fix, sizeof fix, "give the corpus directories and files "
                 "to run");
        for (size_t i = 0; i < cfg->ninputs; i++) {
            bool again = false;

            /* An argument given twice is run once. */
            for (size_t j = 0; j < i; j++)
                again |= strcmp(cfg->inputs[j], cfg->inputs[i]) == 0;
            if (!again && find(&paths, cfg->inputs[i], &below, tpl->suite,
                               fix) == -1)
                problems++;
        }
        drop_repeats(&paths);
        if (problems == 0 && paths.n == 0) {
            cordon__usage_error("no inputs to run: the directories given "
                                "hold no regular file (give a corpus with "
                                "files in it)");
            problems++;
        }
    } else {
        const char *dir;

        cordon__test_id(tpl, id, sizeof id);
        dir = directory_of(cfg, tpl, id);
        snprintf(fix, sizeof fix, "run from the directory it is relative "
                 "to, or point it elsewhere with --files %s=DIR", id);
        if (dir == NULL || dir[0] == '\0') {
            cordon__usage_error("TEST_FILES %s defined at %s:%d names no "
                                "directory (give one, or --files %s=DIR)", id,
                                tpl->file, tpl->line, id);
            return 1;
        }
        switch (find(&paths, dir, &below, id, fix)) {
        case -1: problems++; break;
        case 0:
            cordon__usage_error("TEST_FILES %s: '%s' is a file, not a "
                                "directory (%s)", id, dir, fix);
            problems++;
            break;
        default:
            if (paths.n == 0 && !tpl->options.allow_empty) {
                cordon__usage_error("TEST_FILES %s: directory '%s' holds no "
                                    "regular file (add inputs, point it "
                                    "elsewhere with --files %s=DIR, or set "
                                    ".allow_empty = true)", id, dir, id);
                problems++;
            }
        }
    }
    if (problems == 0) {
        rel = cordon__tables_new((paths.n ? paths.n : 1) * sizeof *rel);
        /* For a directory, the part below it; for a fuzz target's
         * argument, the whole path. */
        for (size_t k = 0; k < paths.n; k++)
            rel[k] = tpl->files_how_ & CORDON_IMPL_FILES_ARGUMENTS ? 0 : below;
        tpl->param_ = make_cases(tpl, &paths, rel, cwd, &problems);
        tpl->nparams_ = paths.n;
        cordon__tables_free(rel);
    }
    cordon__tables_free(paths.v);
    return problems;
}

size_t
cordon__files_unused(const struct cordon__config *cfg,
                     struct cordon_impl_test *const *templates, size_t n)
{
    size_t problems = 0;
    bool arguments = false;
    char id[CORDON__MAX_ID + 1];

    for (size_t i = 0; i < n; i++)
        arguments |= (templates[i]->files_how_ &
                      CORDON_IMPL_FILES_ARGUMENTS) != 0;
    if (cfg->ninputs > 0 && !arguments) {
        cordon__usage_error("unexpected argument '%s' (select tests with "
                            "--filter GLOB or --test ID)", cfg->inputs[0]);
        problems++;
    }
    for (size_t f = 0; f < cfg->nfiles; f++) {
        bool found = false;

        for (size_t i = 0; !found && i < n; i++)
            found = (templates[i]->files_how_ & CORDON_IMPL_FILES_DIR) &&
                    strcmp(cordon__test_id(templates[i], id, sizeof id),
                           cfg->files[f].id) == 0;
        if (!found) {
            cordon__usage_error("%s %s=%s: this binary has no TEST_FILES "
                                "%s (see --list for the ids)",
                                cfg->files[f].origin, cfg->files[f].id,
                                cfg->files[f].dir, cfg->files[f].id);
            problems++;
        }
    }
    return problems;
}
