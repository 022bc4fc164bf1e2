// SPDX-License-Identifier: MIT
// unit.c — what the unit tests of internals share (unit.h).
#include <cordon.h>

#include <stdio.h>
#include <string.h>

#include "unit.h"

struct cordon__record *st_unit_rec;

void
st_unit_map_record(void)
{
    st_unit_rec = cordon__record_map();
    ASSERT_NOT_NULL(st_unit_rec);
    cordon__record_reset(st_unit_rec);
}

void
st_unit_unmap_record(void)
{
    cordon__record_unmap(st_unit_rec);
}

void
st_unit_sanitizer_parse(const char *text,
                        struct cordon__sanitizer_report *rep)
{
    FILE *f = tmpfile();

    ASSERT_NOT_NULL(f);
    fputs(text, f);
    fflush(f);
    ASSERT_EQ(cordon__sanitizer_parse(fileno(f), rep), 0);
    fclose(f);
}

char *
st_unit_fold(const char *in, size_t *stacks)
{
    struct cordon__buf b = {0};

    *stacks = cordon__fold_frames(in, strlen(in), &b);
    return b.data;
}
