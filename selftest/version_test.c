// SPDX-License-Identifier: MIT
// version_test.c — the version cordon.h states (CORDON_VERSION_*) is the
// version the build was configured as (CMake's project()), and the one a
// test binary prints with --version.
#include <cordon.h>
#include <stdlib.h>

#include "support.h"

TEST(version, header_and_build_agree)
{
    char *parts = st_format("%d.%d.%d", CORDON_VERSION_MAJOR,
                            CORDON_VERSION_MINOR, CORDON_VERSION_PATCH);
    char *line = st_format("cordon %s\n", CORDON_PROJECT_VERSION);
    static const char *const args[] = {"--version", NULL};
    struct st_run r;

    EXPECT_STREQ(CORDON_VERSION_STRING, CORDON_PROJECT_VERSION,
                 "include/cordon.h and CMakeLists.txt's project() differ");
    EXPECT_STREQ(parts, CORDON_VERSION_STRING);
    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 0);
    EXPECT_STREQ(r.out, line);
    st_free(&r);
    free(line);
    free(parts);
}
