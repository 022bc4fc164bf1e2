// SPDX-License-Identifier: MIT
// tmpdir.c — cordon_tmpdir(): a fresh private directory for each test
// that asks for one, made in the test's own process at its first call
// (mkdtemp, mode 0700, under $TEST_TMPDIR, $TMPDIR or /tmp) and from then
// on named in its environment as $CORDON_TMPDIR, for the programs it
// starts. Made on demand, not for every test: a mkdir and an rmdir per
// test made a run of 5000 empty tests 4 to 6 times slower on an ext4
// /tmp. Its path goes into the shared record; once the test has been
// judged, its worker removes it when the test did not fail, and keeps it,
// its path in the result, when it did, for the user to look into.
#include "api/api.h"
#include "result/result.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char current[CORDON__TMPDIR_MAX];

const char *
cordon_tmpdir(void)
{
    struct cordon__record *rec = cordon__record_current;
    const char *origin, *dir;
    int n;

    /* A suite's once has no directory of its own (documented): what it
     * needs to share with the tests lives in its own memory. */
    if (cordon__child_in_once())
        return NULL;
    if (current[0] != '\0' || rec == NULL)
        return current[0] != '\0' ? current : NULL;
    dir = cordon__capture_dir(&origin);
    n = snprintf(current, sizeof current, "%s/cordon-tmp-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof current || mkdtemp(current) == NULL) {
        current[0] = '\0';
        return NULL;
    }
    memcpy(rec->tmpdir, current, (size_t)n + 1);
    setenv("CORDON_TMPDIR", current, 1);
    return current;
}

/* remove_tree removes name (in directory fd parent) and all below it,
 * never following a symbolic link: one is unlinked like a file. */
static void
remove_tree(int parent, const char *name, int depth)
{
    struct dirent *e;
    struct stat st;
    DIR *d;
    int fd;

    if (unlinkat(parent, name, 0) == 0 || errno == ENOENT || depth > 64)
        return;
    /* A directory the test made unreadable or read-only (mode 0000,
     * 0500): the worker, the same user, gives itself access back; never
     * through a symbolic link, which is only unlinked. */
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(st.st_mode))
        return;
    if ((st.st_mode & S_IRWXU) != S_IRWXU)
        fchmodat(parent, name, S_IRWXU, 0);
    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                  O_CLOEXEC);
    if (fd < 0)
        return;
    d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return;
    }
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            remove_tree(fd, e->d_name, depth + 1);
    closedir(d);
    unlinkat(parent, name, AT_REMOVEDIR);
}

/* made_here says path has the shape cordon_tmpdir() gives: absolute, no
 * "." or ".." component, ending in a directory named cordon-tmp-XXXXXX
 * that is a directory and not a link. The test wrote it into the record
 * and may have written anything: nothing else is ever removed. */
static bool
made_here(const char *path)
{
    const char *base = strrchr(path, '/');
    struct stat st;

    if (path[0] != '/' || strstr(path, "/./") != NULL ||
        strstr(path, "/../") != NULL || base == NULL ||
        strncmp(base, "/cordon-tmp-", 12) != 0 || strlen(base + 12) != 6)
        return false;
    for (const char *p = base + 12; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void
cordon__tmpdir_settle(struct cordon__record *rec, struct cordon__result *r,
                      struct cordon__spool *sp)
{
    char path[CORDON__TMPDIR_MAX];

    /* The test may have scribbled on the record: bounded, and only a
     * directory this run names the way it names them is touched. */
    if (rec->tmpdir[0] == '\0')
        return; /* most tests never ask for one */
    memcpy(path, rec->tmpdir, sizeof path);
    path[sizeof path - 1] = '\0';
    rec->tmpdir[0] = '\0';
    /* Without fork the test ran here: forget its directory. */
    current[0] = '\0';
    unsetenv("CORDON_TMPDIR");
    if (!made_here(path))
        return;
    if (cordon__outcome_failed(r->outcome)) {
        r->tmpdir = cordon__spool_add(sp, path, strlen(path));
        return;
    }
    /* Most tests leave it empty: one rmdir. */
    if (rmdir(path) == -1 && errno != ENOENT)
        remove_tree(AT_FDCWD, path, 0);
}
