// SPDX-License-Identifier: MIT
// tlv_fuzz.c — the corpus example's fuzz target, as libFuzzer takes it
// (clang -fsanitize=fuzzer tlv_fuzz.c tlv.c) and as cordon::fuzz runs it:
//     ./example_corpus_fuzz inputs/ -j8
// runs every input as a test fuzz/inputs/..., in parallel.
#include <stddef.h>
#include <stdint.h>

#include "tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlv_parse(data, size);
    return 0;
}
