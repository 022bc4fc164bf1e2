// SPDX-License-Identifier: MIT
// engine_tmpdir.c — in a new test process run under a test engine that
// owns TEST_TMPDIR (Bazel): a fresh TMPDIR of the test's own under it, so
// tests that make temporary files never meet. The engine removes
// TEST_TMPDIR after the run; elsewhere nothing is made, as nobody would
// remove a directory a crashed test left. Never fails: on error it says
// so on stderr and leaves TMPDIR as it was.
#include "testproc/testproc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
cordon__engine_tmpdir_base(void)
{
    const char *v = getenv("TEST_TMPDIR");

    return v != NULL && *v != '\0' ? v : NULL;
}

void
cordon__engine_tmpdir(const char *base, const struct cordon_impl_test *t)
{
    char path[4096];
    int n;

    /* Only under an engine that owns TEST_TMPDIR and removes it after the
     * run: a directory per test elsewhere would outlive a crashed test,
     * with nobody to remove it. */
    if (base == NULL)
        return;
    /* Named for the test, to be found in a kept TEST_TMPDIR; cut short so
     * that only a base beyond any usable length is too long. */
    n = snprintf(path, sizeof path, "%s/cordon-%.40s.%.40s-XXXXXX", base,
                 t->suite, t->name);
    if (n < 0 || (size_t)n >= sizeof path)
        errno = ENAMETOOLONG;
    else if (mkdtemp(path) != NULL && setenv("TMPDIR", path, 1) == 0)
        return;
    fprintf(stderr, "cordon: cannot make a temporary directory under "
            "TEST_TMPDIR '%s': %s (TMPDIR is left as it was)\n", base,
            strerror(errno));
}
