// SPDX-License-Identifier: MIT
// valgrind_test.c — selftest of runs under valgrind (src/valgrind.c and
// outcome.c): the runner says once that it scales timeouts, a test that
// sleeps past its native timeout then passes, and a test with a memory
// error is FAIL "valgrind reported errors (exit N)" on the console, in TAP
// and in JUnit, not an exit after the test finished. Skips without
// valgrind, and in a sanitizer build (valgrind cannot run those).
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

TEST(valgrind, errors_are_named_and_timeouts_scaled, .timeout = 120)
{
    char *dir, *cmd, *out = NULL, *tap, *xml, *details, *path;
    int rc;

    if (ST_ASAN)
        SKIP("valgrind cannot run a sanitizer build");
    if (!st_command_found("valgrind"))
        SKIP("valgrind is not installed");
    ST_NEEDS_NATIVE("valgrind");
    dir = st_tmpdir();
    /* A clean environment, as st_run_fixture gives: no CORDON_* of the
     * selftest's own run. */
    cmd = st_format("env -i PATH=\"$PATH\" valgrind -q --error-exitcode=42 "
                    "'%s' -j2 --tap '%s/r.tap' --junit '%s/r.xml' 2>&1",
                    st_fixture("valgrind_errors"), dir, dir);
    rc = st_shell(cmd, &out);
    ASSERT_NOT_NULL(out);
    if (strstr(out, "Possibly corrupted debuginfo") != NULL) {
        free(out);
        free(cmd);
        st_rmtree(dir);
        SKIP("this valgrind cannot read the build's debug information "
             "(DWARF 5 from a newer compiler)");
    }
    EXPECT_EQ(rc, CORDON_EXIT_FAIL, "%s", out);
    EXPECT_EQ(st_count(out, "cordon: running under valgrind: timeouts are "
                            "scaled by 10"), (size_t)1, "%s", out);
    details = st_details(out, "FAIL    valgrind/reads_past_a_block");
    EXPECT_STREQ(details, "      valgrind reported errors (exit 42)\n");
    free(details);
    EXPECT_EQ(st_count(out, "PASS    valgrind/clean"), (size_t)1, "%s", out);
    EXPECT_EQ(st_count(out, "PASS    valgrind/sleeps_past_its_native_timeout"),
              (size_t)1, "%s", out);
    path = st_format("%s/r.tap", dir);
    tap = st_read_file(path, NULL);
    free(path);
    ASSERT_NOT_NULL(tap);
    EXPECT_NOT_NULL(strstr(tap, "not ok 1 - valgrind/reads_past_a_block\n"
                                "  ---\n  outcome: FAIL\n"
                                "  reason: \"valgrind reported errors "
                                "(exit 42)\"\n"), "%s", tap);
    path = st_format("%s/r.xml", dir);
    xml = st_read_file(path, NULL);
    free(path);
    ASSERT_NOT_NULL(xml);
    EXPECT_NOT_NULL(strstr(xml, "<failure message=\"valgrind reported errors "
                                "(exit 42)\" type=\"valgrind\">"), "%s", xml);
    free(tap);
    free(xml);
    free(out);
    free(cmd);
    st_rmtree(dir);
}
