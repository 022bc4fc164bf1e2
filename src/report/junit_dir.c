// SPDX-License-Identifier: MIT
// junit_dir.c — where the JUnit report of a run goes under --junit-dir
// DIR (CORDON_JUNIT_DIR): a file of its own in DIR, named after the test
// binary and the tests the run selected, so that the runs CTest makes,
// one test each, leave a report apiece (cordon-junit-merge makes one
// report of them), and a run of the same tests again replaces its own
// report rather than adding one. This file only names the report and
// makes DIR; reports.c checks and writes it as any --junit FILE.
/* realpath() is in POSIX.1-2008's XSI option. */
#define _XOPEN_SOURCE 700

#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The readable parts of the name are cut to these many bytes, so that
 * the name stays well under NAME_MAX (255) whatever the ids: the hash
 * keeps it unique. */
#define BINARY_PART 64
#define TESTS_PART 128

/* FNV-1a, 64 bits: a name must not change from one run to the next, so
 * no seeded hash. http://www.isthe.com/chongo/tech/comp/fnv/ */
static uint64_t
fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* readable appends s to out, at most max bytes of it, each byte that is
 * not a letter, a digit, '-' or '_' written as '_': the name is safe to
 * type and to glob, and '.' is left to separate its parts. */
static void
readable(struct cordon__buf *out, const char *s, size_t max)
{
    for (size_t i = 0; s[i] != '\0' && i < max; i++) {
        char c = s[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';

        cordon__buf_add(out, keep ? &c : "_", 1);
    }
}

/* make_dir makes dir unless it is there; its parent must be. Several
 * runs may make it at once (ctest -j). */
static int
make_dir(const char *dir)
{
    struct stat st;

    if (mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &st) == 0 &&
                                  S_ISDIR(st.st_mode)))
        return 0;
    if (errno == EEXIST)
        errno = ENOTDIR;
    return -1;
}

int
cordon__junit_dir_place(struct cordon__config *cfg,
                        struct cordon_impl_test *const *sel, size_t n)
{
    const char *dir = cfg->junit_dir, *slash, *base;
    char id[CORDON__MAX_ID + 1], *real = NULL;
    struct cordon__buf name = {0};
    uint64_t h = 0xcbf29ce484222325ULL;

    if (dir == NULL)
        return 0;
    if (make_dir(dir) == -1) {
        int err = errno;

        cordon__usage_error("cannot make the JUnit directory '%s': %s (%s, "
                            "or pass another --junit-dir)", dir,
                            strerror(err),
                            err == ENOENT ? "create its parent"
                            : err == EACCES || err == EPERM
                                ? "fix its parent's permissions"
                                : "check the path");
        return -1;
    }
    /* The binary is told apart by its real path, so that two binaries of
     * one name in two directories do not replace each other's reports. */
    if (strchr(cfg->argv0, '/') != NULL)
        real = realpath(cfg->argv0, NULL);
    base = (slash = strrchr(cfg->argv0, '/')) != NULL ? slash + 1
                                                       : cfg->argv0;
    h = fnv1a(h, real != NULL ? real : cfg->argv0,
              strlen(real != NULL ? real : cfg->argv0) + 1);
    free(real);
    for (size_t i = 0; i < n; i++) {
        cordon__test_id(sel[i], id, sizeof id);
        h = fnv1a(h, id, strlen(id) + 1);
    }

    cordon__buf_printf(&name, "%s%s", dir,
                       dir[strlen(dir) - 1] == '/' ? "" : "/");
    readable(&name, base, BINARY_PART);
    cordon__buf_add(&name, ".", 1);
    if (n == 1) {
        cordon__test_id(sel[0], id, sizeof id);
        readable(&name, id, TESTS_PART);
    } else {
        cordon__buf_printf(&name, "%zu_tests", n);
    }
    cordon__buf_printf(&name, ".%016llx.xml", (unsigned long long)h);
    free(cfg->junit_named);
    cfg->junit_named = name.data;
    cfg->junit_path = cfg->junit_named;
    return 0;
}
