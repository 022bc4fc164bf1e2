// SPDX-License-Identifier: MIT
// libxml_dlopen.c — libxml2 loaded with dlopen() when a JUnit report is
// written, after every test has run, and never before (CORDON_LIBXML2=
// dlopen, the default where dlopen() exists). Linked in, libxml2 and the
// libraries it needs add dozens of mappings and their relocated pages to
// the runner, and every fork() of a worker or a test copies their page
// tables; loaded here, a run that writes no JUnit never maps it at all.
// This is how systemd reaches its optional libraries: open by SONAME,
// resolve every function up front into a table, fail as a whole with
// dlerror()'s words. The SONAME is the one CMake found at configure time
// (CORDON_LIBXML2_SONAME). The library stays loaded until the process
// ends: dlclose() would run ICU's destructors for nothing.
#include "libxml.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* CMake passes the SONAME of the libxml2 it found; a build without it
 * (Bazel, a Makefile) loads libxml2 2.x's usual name. */
#ifndef CORDON_LIBXML2_SONAME
#define CORDON_LIBXML2_SONAME "libxml2.so.2"
#endif

static struct cordon__libxml table;
static void *handle;

/* ISO C has no conversion from dlsym()'s object pointer to a function
 * pointer; POSIX requires the two to have one representation, and resolve
 * copies one into the other on that ground. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "dlsym() results must fit a function pointer");

/* resolve sets *slot to the function name in h; -1 when h has none. */
static int
resolve(void *h, const char *name, void *slot)
{
    void *sym;

    dlerror();
    sym = dlsym(h, name);
    if (sym == NULL)
        return -1;
/* GCC 12's -fanalyzer takes sym, tested not NULL, for uninitialised when
 * memcpy copies it: a false positive. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-use-of-uninitialized-value"
#endif
    memcpy(slot, &sym, sizeof sym);
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic pop
#endif
    return 0;
}

const struct cordon__libxml *
cordon__libxml_load(char *why, size_t size)
{
    struct cordon__libxml loaded;
    const char *missing = NULL;
    void *h;

    /* Each member must have its libxml2 type (compile time only). */
#define CHECK(member) CORDON__LIBXML_CHECK(loaded, member)
    CORDON__LIBXML_FUNCTIONS(CHECK)
#undef CHECK
    if (handle != NULL)
        return &table;
    /* RTLD_NOW: a library that lacks a function is refused here, whole,
     * not when the report is half written. */
    h = dlopen(CORDON_LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(why, size, "%s", dlerror());
        return NULL;
    }
#define LOAD(member)                                                          \
    if (missing == NULL && resolve(h, "xml" #member, &loaded.member) == -1)  \
        missing = "xml" #member;
    CORDON__LIBXML_FUNCTIONS(LOAD)
#undef LOAD
    if (missing != NULL) {
        const char *err = dlerror();

        if (err != NULL)
            snprintf(why, size, "%s", err);
        else
            snprintf(why, size, "%s: no %s", CORDON_LIBXML2_SONAME, missing);
        dlclose(h);
        return NULL;
    }
    table = loaded;
    handle = h;
    return &table;
}
