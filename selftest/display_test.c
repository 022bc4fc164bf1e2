// SPDX-License-Identifier: MIT
// display_test.c — selftests of the live display (src/display.c) on a real
// pseudo-terminal made by script(1): while a long test runs it is redrawn
// about four times a second with the tests done of all, the failures so
// far and the running test with a growing time, flagged SLOW past --slow;
// it is erased before the results and the closing line. Skips without
// script (util-linux). That it never appears off a terminal is
// report_console_test.c's.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

/* on_terminal runs the display_slow fixture with args on a terminal and
 * returns what the terminal received. */
static char *
on_terminal(const char *args, int *code)
{
    char *cmd = st_format("env -i %sPATH=\"$PATH\" TERM=xterm script -qfec "
                          "\"'%s' %s\" /dev/null </dev/null",
                          st_env_kept(), st_fixture("display_slow"), args);
    /* Static: GCC 12 at -O2 takes a pointer into a local whose address
     * st_shell() received for one that may dangle once this is inlined
     * (-Wdangling-pointer), and the checks then store it. */
    static char *out;

    out = NULL;
    *code = st_shell(cmd, &out);
    free(cmd);
    return out;
}

TEST(display, redrawn_while_a_long_test_runs, .timeout = 30)
{
    char *out, *p;
    int code;
    size_t redraws = 0, slow = 0;
    double last = -1;
    bool growing = true;

    if (!st_command_found("script"))
        SKIP("script (util-linux) is not installed");
    out = on_terminal("-j2 --slow 0.5", &code);
    ASSERT_NOT_NULL(out);
    EXPECT_EQ(code, CORDON_EXIT_FAIL, "%s", out);
    /* Each redraw of the running test's row: "\r\033[K  T s  id". */
    for (p = out; (p = strstr(p, " s  display/runs_a_while")) != NULL; p++) {
        const char *start = p;
        double t;

        while (start > out && start[-1] != 'K')
            start--;
        t = strtod(start, NULL);
        if (t < last)
            growing = false;
        last = t;
        redraws++;
        if (strncmp(p + 24, " SLOW", 5) == 0 ||
            strncmp(p + 24, " \033[33mSLOW", 10) == 0)
            slow++;
    }
    /* 1.5 s at four redraws a second, with room for a loaded machine. */
    EXPECT_GE(redraws, (size_t)4, "%s", out);
    EXPECT_TRUE(growing, "%s", out);
    EXPECT_GE(last, 1.0, "%s", out);
    EXPECT_GE(slow, (size_t)1, "%s", out);
    /* The quick tests are counted, and the failure, while the long one
     * still runs (their lines wait for it, in test order). */
    EXPECT_NOT_NULL(strstr(out, "\r\033[K[2/3] 1 failed, running 1:"), "%s",
                    out);
    /* Erased before the summary: the closing line stands alone. */
    EXPECT_NOT_NULL(strstr(out, "\033[Kcordon: 1 test did not pass:"), "%s",
                    out);
    EXPECT_NOT_NULL(strstr(out, "cordon: 2 passed, 1 failed, 0 skipped"),
                    "%s", out);
    free(out);
}

TEST(display, slow_takes_seconds_above_0)
{
    static const char *const zero[] = {"--slow", "0", NULL};
    static const char *const env[] = {"CORDON_SLOW=soon", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", zero, NULL), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE);
    EXPECT_STREQ(r.err, "cordon: --slow: '0' is not a number of seconds "
                        "above 0 (use e.g. --slow=2)\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, CORDON_EXIT_USAGE);
    EXPECT_STREQ(r.err, "cordon: CORDON_SLOW: 'soon' is not a number of "
                        "seconds above 0 (use e.g. --slow=2)\n");
    st_free(&r);
}

/* A terminal narrowed while the display is up rewraps its rows (tmux,
 * VTE, kitty, iTerm2 do): a row cut to the old width now takes two, and
 * the display must still be erased whole. Run on a tmux server of its
 * own, 100 columns wide and 40 rows high, with 60 lines printed first
 * so that the display is drawn at the foot of the screen, as in any run
 * of more than a screenful of tests (a terminal keeps the cursor's row
 * as it rewraps, so the rows above it move up: rows pushed off the top
 * are out of any program's reach). Narrowed to 22 columns once the
 * display shows the long test running; the screen left at the end holds
 * no display row. The tmux server, a daemon, is a child of this test's
 * worker (a subreaper) and a zombie once it has ended: it is waited for
 * as such. */
TEST(display, erased_whole_after_the_terminal_narrows, .timeout = 30)
{
    char *cmd, *out = NULL;
    int code;

    if (!st_command_found("tmux"))
        SKIP("tmux is not installed");
    cmd = st_format(
        "s=cordon-display-$$; t=\"tmux -L $s -f /dev/null\"; "
        "$t new-session -d -s d -x 100 -y 40 "
        "\"seq 60; env -i %sPATH='$PATH' TERM=xterm '%s' -j2; sleep 30\" && "
        "for i in $(seq 50); do $t capture-pane -p -t d | "
        "grep -q 'running 1' && break; sleep 0.1; done; "
        "$t resize-window -t d -x 22 && sleep 2 && "
        "$t capture-pane -p -J -t d -S - ; "
        "pid=$($t display -p -t d '#{pid}'); $t kill-server; "
        "for i in $(seq 100); do "
        "grep -q '^[0-9]* ([^)]*) [^Z]' /proc/$pid/stat 2>/dev/null || "
        "break; sleep 0.05; done",
        st_env_kept(), st_fixture("display_slow"));
    code = st_shell(cmd, &out);
    free(cmd);
    ASSERT_NOT_NULL(out);
    EXPECT_EQ(code, 0, "%s", out);
    EXPECT_NOT_NULL(strstr(out, "cordon: 2 passed, 1 failed, 0 skipped"),
                    "the run did not end on the screen:\n%s", out);
    EXPECT_NULL(strstr(out, "running"), "a display row was left:\n%s", out);
    free(out);
}
