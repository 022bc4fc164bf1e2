// SPDX-License-Identifier: MIT
// libxml_link.c — libxml2 linked into libcordon (CORDON_LIBXML2=link): the
// table of libxml.h points at the functions themselves, and loading cannot
// fail. For fully static test binaries, which cannot count on dlopen()
// finding a shared libxml2 that matches their libc, and for systems
// without dlopen(). The price is that every process forked from a test
// binary maps libxml2 and what it needs, whether or not a JUnit report is
// written: see libxml_dlopen.c.
#include "libxml.h"

#define POINT(member) .member = xml##member,
static const struct cordon__libxml table = {
    CORDON__LIBXML_FUNCTIONS(POINT)
};
#undef POINT

const struct cordon__libxml *
cordon__libxml_load(char *why, size_t size)
{
    (void)why;
    (void)size;
    return &table;
}
