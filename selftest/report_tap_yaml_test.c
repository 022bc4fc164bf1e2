// SPDX-License-Identifier: MIT
// report_tap_yaml_test.c — selftests that a TAP report stays TAP and its
// YAML blocks stay YAML whatever bytes the tests print, fail with or are
// written in (fixtures/tap_hostile.c: progress bars, an empty or blank
// first line, output that is only colour codes, DEL, C1 controls, NEL,
// LINE and PARAGRAPH SEPARATOR, a byte order mark, every byte value and
// random bytes, a file name holding them). prove must count every test,
// and PyYAML (python3-yaml), a YAML 1.1 parser, must load every block
// (selftest/tap_yaml.py) with the values the tests printed. Both readers
// run under timeout(1): an empty block scalar once sent prove's YAMLish
// reader into an endless loop.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* hostile_tap runs tap_hostile with --tap into dir and returns the
 * report's path (free it). */
static char *
hostile_tap(const char *dir)
{
    char *path = st_format("%s/report.tap", dir);
    const char *args[] = {"--tap", path, NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "tap_hostile", args, NULL), 0);
    EXPECT_EQ(r.code, 1, "stderr: %s", r.err);
    st_free(&r);
    return path;
}

TEST(report_tap_yaml, prove_counts_every_test_of_hostile_output,
     .timeout = 90)
{
    char *dir = st_tmpdir(), *path, *cmd, *said;
    int rc;

    if (!st_command_found("prove"))
        SKIP("%s", "prove not found (Debian: apt-get install perl)");
    ASSERT_NOT_NULL(dir);
    path = hostile_tap(dir);
    cmd = st_format("timeout 60 prove -e cat '%s'", path);
    rc = st_shell(cmd, &said);
    ASSERT_NOT_NULL(said);
    EXPECT_EQ(rc, 1, "prove failed otherwise than on failed tests: %s",
              said);
    EXPECT_NOT_NULL(strstr(said, "Tests: 19 Failed: 17"), "%s", said);
    EXPECT_NOT_NULL(strstr(said, "Failed tests:  1-4, 6-7, 9-19"), "%s",
                    said);
    EXPECT_NULL(strstr(said, "Parse errors"), "%s", said);
    EXPECT_NULL(strstr(said, "Badly formed"), "%s", said);
    free(said);
    free(cmd);
    free(path);
    st_rmtree(dir);
}

TEST(report_tap_yaml, every_block_loads_as_yaml_1_1, .timeout = 90)
{
    static const char *const want[] = {
        /* JSON of what the blocks hold: the bytes as printed, after the
         * documented text rule. */
        "\"stdout\": \"\\rprogress  50%\\rprogress 100%\\ndone\\n\"",
        "\"stdout\": \"\\n  indented after an empty line\\nplain\\n\"",
        "\"stdout\": \"   \\nafter a blank line\\n\"",
        "\"stderr\": \"\\t\\n\\ttabs\\n\"",
        "\"stdout\": \"\"",
        "\"stdout\": \"del \\u007f c1 \\u0080 \\u009f nel \\u0085 end\\n\"",
        "\"stderr\": \"\\u0085 starts with NEL\\n\"",
        "\"stdout\": \"ls \\u2028 ps \\u2029 bom \\ufeff end\\n\"",
        "\"file\": \"tap\\u007fhostile\\u2028file\\u0085name.c\"",
        "\"stdout\": \"plain output\\n\"",
    };
    char *dir = st_tmpdir(), *path, *cmd, *said;
    int rc;

    if (system("python3 -c 'import yaml' >/dev/null 2>&1") != 0)
        SKIP("%s", "python3 with PyYAML not found (Debian: apt-get install "
                   "python3-yaml)");
    ASSERT_NOT_NULL(dir);
    path = hostile_tap(dir);
    cmd = st_format("timeout 60 python3 '%s/selftest/tap_yaml.py' '%s'",
                    CORDON_SOURCE_DIR, path);
    rc = st_shell(cmd, &said);
    ASSERT_NOT_NULL(said);
    EXPECT_EQ(rc, 0, "%s", said);
    EXPECT_EQ(st_count(said, "{"), (size_t)19, "%s", said);
    EXPECT_EQ(st_count(said, "{\"ok\": false, \"test\": "), (size_t)17, "%s",
              said);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        EXPECT_NOT_NULL(strstr(said, want[i]), "no %s in\n%s", want[i], said);
    free(said);
    free(cmd);
    free(path);
    st_rmtree(dir);
}
