// SPDX-License-Identifier: MIT
// report_sinks_test.c — selftests of where reports may land: never on the
// file stdout (the console, or another report on "-") is redirected into,
// never over the running test binary, and under any name the file system
// takes, however long. Each runs the pass fixture through the shell, for
// its redirections, in a directory of its own.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

/* in_dir runs the pass fixture with args and redirections (a shell
 * command's tail) in dir; returns its exit status, what it printed that
 * the tail did not redirect in *out. */
static int
in_dir(const char *dir, const char *tail, char **out)
{
    /* In a subshell: st_shell's own 2>&1 then takes the runner's stderr,
     * not the tail's stdout. */
    char *cmd = st_format("(cd '%s' && '%s' %s)", dir, st_fixture("pass"),
                          tail);
    int rc = st_shell(cmd, out);

    free(cmd);
    return rc;
}

TEST(report_sinks, a_report_on_the_console_s_file_is_refused)
{
    static const char *const tails[] = {
        "--junit out.xml > out.xml",
        "--junit - --tap /dev/stdout > out.txt",
        "--tap - --junit out.txt > out.txt",
    };
    char *dir = st_tmpdir();

    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char *out = NULL;
        int rc = in_dir(dir, tails[i], &out);

        EXPECT_EQ(rc, CORDON_EXIT_USAGE, "%s: %s", tails[i], out);
        EXPECT_STRCONTAINS(out ? out : "", "cordon: --", "%s", tails[i]);
        EXPECT_EQ(st_count(out ? out : "", ""), (size_t)1,
                  "%s: one line: %s", tails[i], out);
        free(out);
    }
    st_rmtree(dir);
}

TEST(report_sinks, a_report_over_the_test_binary_is_refused)
{
    char *dir = st_tmpdir();
    char *copy = st_format("%s/t", dir);
    char *cmd = st_format("cp '%s' '%s' && cd '%s' && ./t --junit t",
                          st_fixture("pass"), copy, dir);
    char *out = NULL;
    struct stat before, after;
    int rc;

    ASSERT_EQ(stat(st_fixture("pass"), &before), 0);
    rc = st_shell(cmd, &out);
    EXPECT_EQ(rc, CORDON_EXIT_USAGE, "%s", out);
    EXPECT_STRCONTAINS(out ? out : "", "is this test binary");
    ASSERT_EQ(stat(copy, &after), 0);
    EXPECT_EQ(after.st_size, before.st_size, "the binary was overwritten");
    free(out);
    free(cmd);
    unlink(copy);
    free(copy);
    st_rmtree(dir);
}

TEST(report_sinks, a_long_file_name_the_system_takes_works)
{
    char name[251];
    char *dir = st_tmpdir(), *tail, *out = NULL, *path, *xml;
    int rc;

    memset(name, 'r', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    tail = st_format("--junit '%s' > /dev/null", name);
    rc = in_dir(dir, tail, &out);
    EXPECT_EQ(rc, CORDON_EXIT_PASS, "%s", out);
    path = st_format("%s/%s", dir, name);
    xml = st_read_file(path, NULL);
    EXPECT_NOT_NULL(xml, "no report at the 250-byte name");
    if (xml != NULL)
        EXPECT_STRCONTAINS(xml, "<testsuites");
    unlink(path);
    free(xml);
    free(path);
    free(tail);
    free(out);
    st_rmtree(dir);
}

/* A thousand tests: a sanitizer build on a busy machine, or an emulated
 * one, takes longer than the default 10 s for them. */
TEST(report_sinks, a_console_past_the_file_size_limit_is_noted_not_fatal,
     .timeout = 60)
{
    char *dir, *cmd, *out = NULL, *tap_path, *tap;
    int rc;

    if (st_coverage_build())
        SKIP("a coverage build's processes write their counters into files, "
             "which the file size limit this test sets would cut");
    dir = st_tmpdir();
    /* 23 KiB, in bytes (prlimit: ulimit's unit differs between shells):
     * the TAP report of the thousand tests (about 18.5 KiB) fits, the
     * console (about 26.5 KiB) does not. */
    cmd = st_format("(cd '%s' && prlimit --fsize=23552 '%s' --tap "
                    "small.tap > console.txt)", dir, st_fixture("many"));
    tap_path = st_format("%s/small.tap", dir);
    rc = st_shell(cmd, &out);

    EXPECT_EQ(rc, CORDON_EXIT_PASS, "%s", out);
    EXPECT_EQ(st_count(out ? out : "", "cordon: the console could not be "
                                       "written whole"),
              (size_t)1, "%s", out);
    EXPECT_EQ(st_count(out ? out : "", ""), (size_t)1, "one line: %s", out);
    tap = st_read_file(tap_path, NULL);
    ASSERT_NOT_NULL(tap, "no TAP report");
    EXPECT_TRUE(st_has_line(tap, "1..1000"));
    EXPECT_EQ(st_count(tap, "ok "), (size_t)1000);
    free(tap);
    unlink(tap_path);
    free(tap_path);
    free(out);
    free(cmd);
    {
        char *console = st_format("%s/console.txt", dir);

        unlink(console);
        free(console);
    }
    st_rmtree(dir);
}

TEST(report_sinks, a_spool_past_the_file_size_limit_is_an_error)
{
    char *dir, *cmd, *out = NULL;
    int rc;

    if (st_coverage_build())
        SKIP("a coverage build's processes write their counters into files, "
             "which the file size limit this test sets would cut");
    dir = st_tmpdir();
    cmd = st_format("(cd '%s' && TMPDIR='%s' prlimit --fsize=1000000 '%s' "
                    "-j1 --junit r.xml > /dev/null)", dir, dir,
                    st_fixture("spool_limit"));
    rc = st_shell(cmd, &out);
    EXPECT_EQ(rc, CORDON_EXIT_USAGE, "%s", out);
    EXPECT_STRCONTAINS(out ? out : "", "texts of this run's results were "
                                       "lost");
    free(out);
    free(cmd);
    cmd = st_format("rm -rf '%s'", dir);
    st_shell(cmd, &out);
    free(out);
    free(cmd);
    free(dir);
}
