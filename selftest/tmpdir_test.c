// SPDX-License-Identifier: MIT
// tmpdir_test.c — selftests of cordon_tmpdir(): a fresh private directory
// per test, named in $CORDON_TMPDIR once asked for, gone after a test
// that passed, kept (and its path shown by the console, TAP and JUnit)
// after one that failed.
#include <cordon.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

/* kept lists the cordon-tmp-* entries of dir, a path a line. */
static char *
kept(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *all = strdup(""), *more;

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "cordon-tmp-", 11) != 0)
            continue;
        more = st_format("%s%s/%s\n", all, dir, e->d_name);
        free(all);
        all = more;
    }
    if (d != NULL)
        closedir(d);
    return all;
}

TEST(tmpdir, kept_after_a_failure_and_removed_after_a_pass)
{
    struct st_outcomes o;
    char *dir = st_tmpdir();
    char *env_tmp = st_format("TMPDIR=%s", dir);
    const char *env[] = {env_tmp, NULL};
    const struct st_outcome *failed;
    char *left, *file, *text, *console_line, *why_line, *got;
    struct st_xml *x;
    char why[512] = "";

    ASSERT_EQ(st_outcomes(&o, "tmpdir", NULL, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_outcome(&o, "tmpdir/passes", "PASS", "", "", NULL, "");
    st_expect_outcome(&o, "tmpdir/is_in_the_environment_once_asked_for",
                      "PASS", "", "", "", "");
    st_expect_outcome(&o, "tmpdir/is_fresh_and_private", "PASS", "", "", "",
                      "");
    failed = st_outcome(&o, "tmpdir/fails");
    ASSERT_NOT_NULL(failed);
    EXPECT_STREQ(failed->word, "FAIL");
    /* Only the failed test's directory is left, with its file. */
    left = kept(dir);
    ASSERT_NE(left[0], '\0', "the failed test's directory is kept");
    EXPECT_EQ(strchr(left, '\n') - left + 1, (long)strlen(left),
              "one directory kept: %s", left);
    EXPECT_STREQ(left, failed->out, "the one the failed test printed");
    left[strlen(left) - 1] = '\0';
    file = st_format("%s/left.txt", left);
    text = st_read_file(file, NULL);
    EXPECT_STREQ(text, "left behind\n");
    console_line = st_format("      its cordon_tmpdir() is kept: %s", left);
    EXPECT_TRUE(st_has_line(o.run.out, console_line), "%s", o.run.out);
    why_line = st_format("  tmpdir: \"%s\"", left);
    EXPECT_TRUE(st_has_line(o.tap, why_line), "%s", o.tap);
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    got = st_xml_string(x, "string(//testcase[@name='fails']/failure)");
    EXPECT_NOT_NULL(strstr(got, console_line + 6), "%s", got);
    free(got);
    st_xml_free(x);
    free(left);
    free(file);
    free(text);
    free(console_line);
    free(why_line);
    st_outcomes_free(&o);
    st_rmtree(dir);
    free(env_tmp);
}
