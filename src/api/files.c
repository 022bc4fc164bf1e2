// SPDX-License-Identifier: MIT
// files.c — the test-process side of TEST_FILES: before the body runs,
// the case's file is opened and mapped read-only, so the body reads its
// bytes through param->data. Mapping is what keeps a large input cheap:
// the kernel reads a page of the file only when the body touches it, and
// a test that looks at the size alone reads nothing. Runs in the test
// process: no allocation, nothing of run/ or report/ (the coordinator's
// side, which finds the files, is run/files.c).
#include "api/api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* What an empty file's data points at: never NULL, so a body may pass it
 * where a NULL pointer is refused. */
static const unsigned char empty[1];
/* The input mapped for the running test, until cordon__files_unmap: a
 * --no-fork run maps every input in one process. */
static void *mapped;
static size_t mapped_size;

void
cordon__files_unmap(void)
{
    if (mapped != NULL)
        munmap(mapped, mapped_size);
    mapped = NULL;
    mapped_size = 0;
}

void
cordon_impl_file_open(const void *p, struct cordon_file *f, const char *file,
                      int line)
{
    const struct cordon__file_case *fc = p;
    const struct cordon_file *c = &fc->file;
    struct stat st;
    void *map;
    int fd, err;

    /* Each format below starts with the one space cordon_impl_fail_fatal
     * skips (the macros' empty-message convention). */
    *f = (struct cordon_file){c->path, c->name, empty, 0};
    cordon__files_unmap(); /* an earlier test's, should it be left */
    /* O_NONBLOCK: a fifo put in the file's place since it was listed
     * would otherwise block open() until a writer came; it has no effect
     * on a regular file, the only kind mapped. O_NOCTTY: nor does a
     * terminal become this process's. */
    do
        fd = open(fc->open_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    while (fd == -1 && errno == EINTR);
    if (fd == -1)
        cordon_impl_fail_fatal(file, line, " cannot open input '%s': %s",
                               c->path, strerror(errno));
    if (fstat(fd, &st) == -1) {
        err = errno;
        close(fd);
        cordon_impl_fail_fatal(file, line, " cannot read input '%s': %s",
                               c->path, strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        cordon_impl_fail_fatal(file, line, " cannot read input '%s': not a "
                               "regular file", c->path);
    }
    if ((uintmax_t)st.st_size > SIZE_MAX) {
        close(fd);
        cordon_impl_fail_fatal(file, line, " input '%s' has %jd bytes, more "
                               "than this process can map", c->path,
                               (intmax_t)st.st_size);
    }
    if (st.st_size > 0) {
        /* MAP_PRIVATE: the body cannot change the file, and a write
         * through a stray pointer is its own SIGSEGV. */
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            err = errno;
            close(fd);
            cordon_impl_fail_fatal(file, line, " cannot map input '%s' (%jd "
                                   "bytes): %s", c->path,
                                   (intmax_t)st.st_size, strerror(err));
        }
        mapped = map;
        mapped_size = (size_t)st.st_size;
        f->data = map;
        f->size = (size_t)st.st_size;
    }
    close(fd);
}
