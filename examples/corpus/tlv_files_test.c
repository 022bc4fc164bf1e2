// SPDX-License-Identifier: MIT
// tlv_files_test.c — the corpus example's TEST_FILES form: every file
// under inputs/ is a test of its own, tlv/parses[good/one] ... The two
// inputs under inputs/crash/ crash the parser, on purpose: their tests
// are CRASH, each with its own report, and the others still pass.
#include <cordon.h>

#include "tlv.h"

/* TLV_INPUTS is inputs/'s absolute path (examples/CMakeLists.txt), so the
 * binary runs from anywhere; --files tlv/parses=DIR points it elsewhere. */
TEST_FILES(tlv, parses, TLV_INPUTS, .timeout = 5)
{
    size_t bytes = tlv_parse(param->data, param->size);

    EXPECT_LE(bytes, 2 * param->size, "%s", param->name);
}
