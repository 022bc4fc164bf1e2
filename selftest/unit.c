// SPDX-License-Identifier: MIT
// unit.c — the record the unit tests of internals share (unit.h).
#include <cordon.h>

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
