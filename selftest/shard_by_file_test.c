// SPDX-License-Identifier: MIT
// shard_by_file_test.c — selftests of how --shard-by=durations:FILE reads
// FILE: a pipe or a FIFO is read once, and deals as the same file does; a
// FIFO nobody writes to gives up when the run is interrupted; a file that
// is no report of a run is exit 2 with one line; a JSON Lines report cut
// short in its last line (a killed --json run) still counts its whole
// lines.
#include <cordon.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outcomes.h"

#define FIXTURE "shard_times"

/* The variables that would shard the fixture otherwise, unset for the
 * commands run through the shell. */
#define CLEAN "env -u CORDON_SHARD -u CORDON_SHARD_BY -u TEST_TOTAL_SHARDS " \
              "-u TEST_SHARD_INDEX "

static const char junit_times[] =
    "<?xml version=\"1.0\"?>\n<testsuites>\n<testsuite name=\"times\">\n"
    "<testcase name=\"t00\" classname=\"times\" time=\"10\"/>\n"
    "<testcase name=\"t03\" classname=\"times\" time=\"10\"/>\n"
    "<testcase name=\"t06\" classname=\"times\" time=\"10\"/>\n"
    "<testcase name=\"t09\" classname=\"times\" time=\"10\"/>\n"
    "</testsuite>\n</testsuites>\n";

static const char jsonl_times[] =
    "{\"event\":\"test-finished\",\"id\":\"times/t00\",\"duration\":10}\n"
    "{\"event\":\"test-finished\",\"id\":\"times/t03\",\"duration\":10}\n"
    "{\"event\":\"test-finished\",\"id\":\"times/t06\",\"duration\":10}\n"
    "{\"event\":\"test-finished\",\"id\":\"times/t09\",\"duration\":10}\n";

/* listed is the fixture's --list of shard 1/2 by FILE, or NULL. */
static char *
listed(const char *path)
{
    char *by = st_format("--shard-by=durations:%s", path);
    const char *args[] = {"--list", "--shard", "1/2", by, NULL};
    struct st_run r;
    char *out = NULL;

    if (st_run_fixture(&r, FIXTURE, args, NULL) == 0) {
        EXPECT_EQ(r.code, 0, "%s", r.err);
        out = strdup(r.out);
        st_free(&r);
    }
    free(by);
    return out;
}

TEST(shard_by_file, a_pipe_or_fifo_is_read_once, .timeout = 30)
{
    const char *texts[] = {junit_times, jsonl_times};
    char *dir = st_tmpdir();

    ASSERT_NOT_NULL(dir);
    for (size_t f = 0; f < 2; f++) {
        char *path = st_format("%s/times.%zu", dir, f);
        char *fifo = st_format("%s/fifo.%zu", dir, f);
        char *want, *got, *cmd;
        int rc;

        st_write_file(path, texts[f]);
        want = listed(path);
        ASSERT_NOT_NULL(want);
        /* Two of the four long tests in shard 1, not all four. */
        EXPECT_EQ(st_count(want, "times/t00") + st_count(want, "times/t03") +
                      st_count(want, "times/t06") +
                      st_count(want, "times/t09"),
                  (size_t)2, "%s", want);
        cmd = st_format("cat '%s' | " CLEAN "'%s' --list --shard 1/2 "
                        "--shard-by durations:/dev/stdin 2>&1",
                        path, st_fixture(FIXTURE));
        rc = st_shell(cmd, &got);
        EXPECT_EQ(rc, 0, "%s", got != NULL ? got : "");
        EXPECT_STREQ(got != NULL ? got : "", want, "from a pipe");
        free(got);
        free(cmd);
        ASSERT_EQ(mkfifo(fifo, 0600), 0);
        cmd = st_format("cat '%s' > '%s' & " CLEAN "'%s' --list --shard 1/2 "
                        "--shard-by durations:'%s' 2>&1; wait",
                        path, fifo, st_fixture(FIXTURE), fifo);
        rc = st_shell(cmd, &got);
        EXPECT_EQ(rc, 0, "%s", got != NULL ? got : "");
        EXPECT_STREQ(got != NULL ? got : "", want, "from a FIFO");
        free(got);
        free(cmd);
        free(want);
        free(fifo);
        free(path);
    }
    st_rmtree(dir);
}

TEST(shard_by_file, a_fifo_nobody_writes_gives_up_on_a_signal, .timeout = 30)
{
    char *dir = st_tmpdir(), *fifo, *by;
    struct st_run r;
    pid_t pid;

    ASSERT_NOT_NULL(dir);
    fifo = st_format("%s/fifo", dir);
    by = st_format("--shard-by=durations:%s", fifo);
    ASSERT_EQ(mkfifo(fifo, 0600), 0);
    {
        const char *args[] = {"--list", "--shard", "1/2", by, NULL};

        pid = st_start_fixture(&r, FIXTURE, args, NULL);
    }
    ASSERT_TRUE(pid > 0);
    st_sleep_ms(300);
    kill(pid, SIGINT);
    st_wait_until(&r, pid, 10);
    EXPECT_FALSE(r.overran, "still waiting for the FIFO after SIGINT");
    EXPECT_NE(r.code, 0);
    EXPECT_STREQ(r.out, "", "no test listed");
    st_free(&r);
    free(by);
    free(fifo);
    st_rmtree(dir);
}

TEST(shard_by_file, a_file_that_is_no_report_is_exit_2)
{
    static const struct {
        const char *name, *text, *why;
    } cases[] = {
        {"page.html", "<!DOCTYPE html>\n<html><body>times</body></html>\n",
         "cannot read the times in '%s': its root is <html>, not a JUnit "
         "<testsuites> or <testsuite>"},
        {"object.json", "{}\n",
         "cannot read the times in '%s': JSON that is neither a CTRF report "
         "nor JSON Lines events"},
        {"list.json", "[1, 2]\n",
         "cannot read the times in '%s': JSON that is neither a CTRF report "
         "nor JSON Lines events"},
    };
    char *dir = st_tmpdir();

    ASSERT_NOT_NULL(dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = st_format("%s/%s", dir, cases[i].name);
        char *by = st_format("--shard-by=durations:%s", path);
        const char *args[] = {"--list", "--shard", "1/2", by, NULL};
        char *head = st_format(cases[i].why, path);
        char *want = st_format("cordon: --shard-by: %s (give a JUnit, JSON "
                               "Lines or CTRF report of an earlier run of "
                               "this binary, or --shard-by=round-robin)\n",
                               head);
        struct st_run r;

        st_write_file(path, cases[i].text);
        ASSERT_EQ(st_run_fixture(&r, FIXTURE, args, NULL), 0);
        EXPECT_EQ(r.code, 2, "%s", cases[i].name);
        EXPECT_STREQ(r.err, want);
        EXPECT_STREQ(r.out, "", "no test listed");
        st_free(&r);
        free(want);
        free(head);
        free(by);
        free(path);
    }
    st_rmtree(dir);
}

TEST(shard_by_file, a_cut_last_line_is_left_out)
{
    char *dir = st_tmpdir(), *path, *cut, *want, *got;

    ASSERT_NOT_NULL(dir);
    path = st_format("%s/whole.jsonl", dir);
    cut = st_format("%s/cut.jsonl", dir);
    st_write_file(path, jsonl_times);
    want = listed(path);
    /* A run killed while writing its next event. */
    {
        char *text = st_format("%s{\"event\":\"test-finished\",\"id\":\"tim",
                               jsonl_times);

        st_write_file(cut, text);
        free(text);
    }
    got = listed(cut);
    ASSERT_NOT_NULL(want);
    ASSERT_NOT_NULL(got);
    EXPECT_STREQ(got, want);
    free(got);
    free(want);
    free(cut);
    free(path);
    st_rmtree(dir);
}
