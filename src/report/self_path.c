// SPDX-License-Identifier: MIT
// self_path.c — whether a report path names the running test binary, so
// that a report never replaces it. The system is asked first
// (/proc/self/exe: stat() of it, and the path readlink() gives, which
// names the program under qemu-user, where stat() finds the emulator);
// then argv[0], with a slash as a path, without one looked up in PATH as
// execvp() does. Where /proc cannot say (it is not mounted, or not there
// at all), argv[0] is only a claim (exec -a sets it to anything), so an
// executable file is taken for what may be the binary: never a report's.
// Files are compared by device and inode, never by name.
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* names_file says the file at path (stat()ed) is file. */
static bool
names_file(const char *path, const struct stat *file)
{
    struct stat st;

    return path != NULL && stat(path, &st) == 0 && st.st_dev == file->st_dev &&
           st.st_ino == file->st_ino;
}

/* in_path finds name as execvp() would run it into *st: the first regular
 * file it may execute in PATH's directories in turn, an empty entry being
 * the working directory; with PATH unset, in confstr(_CS_PATH)'s (POSIX.1-
 * 2008 exec). */
static bool
in_path(const char *name, struct stat *st)
{
    const char *dirs = getenv("PATH");
    char fallback[1024], candidate[4096];

    if (dirs == NULL) {
        size_t n = confstr(_CS_PATH, fallback, sizeof fallback);

        dirs = n > 0 && n <= sizeof fallback ? fallback : "/bin:/usr/bin";
    }
    for (const char *p = dirs;;) {
        const char *end = strchr(p, ':');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        int n = len == 0 ? snprintf(candidate, sizeof candidate, "%s", name)
                         : snprintf(candidate, sizeof candidate, "%.*s/%s",
                                    (int)len, p, name);

        if (n > 0 && (size_t)n < sizeof candidate &&
            access(candidate, X_OK) == 0 && stat(candidate, st) == 0 &&
            S_ISREG(st->st_mode))
            return true;
        if (end == NULL)
            return false;
        p = end + 1;
    }
}

enum cordon__self
cordon__self_path(const char *argv0, const char *path)
{
    struct stat file, st;
    bool told = false;
    char exe[4096];
    ssize_t n;

    if (stat(path, &file) != 0)
        return CORDON__SELF_NOT;
    if (stat("/proc/self/exe", &st) == 0) {
        told = true;
        if (st.st_dev == file.st_dev && st.st_ino == file.st_ino)
            return CORDON__SELF_IS;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        told = true;
        exe[n] = '\0';
        if (names_file(exe, &file))
            return CORDON__SELF_IS;
    }
    if (argv0 != NULL && strchr(argv0, '/') != NULL &&
        names_file(argv0, &file))
        return CORDON__SELF_IS;
    if (argv0 != NULL && argv0[0] != '\0' && strchr(argv0, '/') == NULL &&
        in_path(argv0, &st) && st.st_dev == file.st_dev &&
        st.st_ino == file.st_ino)
        return CORDON__SELF_IS;
    if (!told && S_ISREG(file.st_mode) &&
        (file.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0)
        return CORDON__SELF_MAYBE;
    return CORDON__SELF_NOT;
}
