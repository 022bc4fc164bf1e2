// SPDX-License-Identifier: MIT
// label_escape_test.c — selftests of TEST_P labels that would not show
// as they are: their bytes are %XX in the test's id, the same in --list,
// on the console (result line, rerun command, recap) and in the GitHub
// step summary, and --test takes the id back as --list prints it.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

static const char *const ids[] = {
    "labels/hostile[nl%0A::error::X]",
    "labels/hostile[cr%0D::warning::Y]",
    "labels/hostile[bad%FF%C3utf8]",
    "labels/hostile[rtl%E2%80%AEgnp.exe]",
    "labels/hostile[sep%E2%80%A8end]",
    "labels/hostile[ok 100% \xc3\xa9t\xc3\xa9]",
};

#define NIDS (sizeof ids / sizeof ids[0])

TEST(label_escape, list_prints_escaped_ids)
{
    static const char *const args[] = {"--list", NULL};
    struct st_run r;
    char *want;

    ASSERT_EQ(st_run_fixture(&r, "labels_hostile", args, NULL), 0);
    EXPECT_EQ(r.code, 0);
    want = st_format("%s\n%s\n%s\n%s\n%s\n%s\n", ids[0], ids[1], ids[2],
                     ids[3], ids[4], ids[5]);
    EXPECT_STREQ(r.out, want);
    free(want);
    st_free(&r);
}

TEST(label_escape, test_takes_the_listed_id)
{
    for (size_t i = 0; i < NIDS; i++) {
        const char *args[] = {"--test", ids[i], NULL};
        struct st_run r;
        char *line, *found;

        ASSERT_EQ(st_run_fixture(&r, "labels_hostile", args, NULL), 0);
        EXPECT_EQ(r.code, 1, "%s: %s", ids[i], r.err);
        line = st_format("FAIL    %s", ids[i]);
        found = st_line(r.out, line);
        EXPECT_NOT_NULL(found, "%s", r.out);
        free(found);
        free(line);
        st_free(&r);
    }
}

TEST(label_escape, console_and_summary_show_no_raw_bytes)
{
    char *dir = st_tmpdir(), *summary, *text;
    const char *env[3] = {"GITHUB_ACTIONS=true", NULL, NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    summary = st_format("GITHUB_STEP_SUMMARY=%s/summary.md", dir);
    env[1] = summary;
    ASSERT_EQ(st_run_fixture(&r, "labels_hostile", NULL, env), 0);
    EXPECT_EQ(r.code, 1);
    EXPECT_NULL(strchr(r.out, '\r'), "%s", r.out);
    EXPECT_NULL(strstr(r.out, "\n::error::X"), "%s", r.out);
    EXPECT_NULL(strstr(r.out, "\xe2\x80\xae"), "%s", r.out);
    EXPECT_NULL(strstr(r.out, "\xff"), "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "rerun: "), "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, " --test 'labels/hostile[nl%0A::error::X]'"),
                    "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "  FAIL    labels/hostile[cr%0D::warning::Y]"
                                  "  "),
                    "recap:\n%s", r.out);
    st_free(&r);
    text = st_read_file(summary + strlen("GITHUB_STEP_SUMMARY="), NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_NULL(strchr(text, '\r'), "%s", text);
    EXPECT_NULL(strstr(text, "\xe2\x80\xae"), "%s", text);
    EXPECT_NOT_NULL(strstr(text, "rtl%E2%80%AEgnp.exe"), "%s", text);
    free(text);
    free(summary);
    st_rmtree(dir);
}
