// SPDX-License-Identifier: MIT
// report_console_test.c — selftests of the console report, the one place
// its layout is asserted (other selftests read verdicts from the TAP and
// JUnit reports): one line per test in test order, "WORD  suite/name
// 0.123 s", the word padded to five; the details under a test that did
// not pass (its reason unless that is its first failure, each failure,
// the last 40 lines of each output stream); a skip's reason last on its
// line; the breakdown and the closing line "cordon: P passed, F failed,
// S skipped", also after an interruption; a transcript that is the same
// with any number of jobs, times aside. And its manners: colour only when
// asked for (--color, CORDON_COLOR) or on a terminal that is not "dumb"
// and without NO_COLOR; a live progress line only on a terminal; and the
// notice for a passing test that took over half its timeout. Terminal
// cases run the fixture on a pseudo-terminal.
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */

#include <cordon.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* The colour settings the selftest itself may run with are neutralised
 * (an empty value counts as unset); tests add their own after these. */
#define NEUTRAL "NO_COLOR=", "CORDON_COLOR="

/* A selection of report_outcomes with a pass, a fail, a crash and a skip,
 * and nothing slow. */
#define SOME_OUTCOMES "--filter", "alpha/*"

static bool
has_colour(const char *text)
{
    return strstr(text, "\033[32mPASS") != NULL ||
           strstr(text, "\033[0m") != NULL;
}

/* run_piped runs report_outcomes with its output in files, as in CI. */
static void
run_piped(struct st_run *r, const char *const *args, const char *extra_env)
{
    const char *env[] = {NEUTRAL, ST_ASAN_OPTIONS, extra_env, NULL};

    ASSERT_EQ(st_run_fixture(r, "report_outcomes", args, env), 0);
    EXPECT_EQ(r->code, 1, "stderr: %s", r->err);
}

TEST(report_console, piped_output_is_plain)
{
    static const char *const args[] = {SOME_OUTCOMES, NULL};
    struct st_run r;

    run_piped(&r, args, NULL);
    EXPECT_NULL(strchr(r.out, '\033'), "escape sequence in %s", r.out);
    EXPECT_NULL(strchr(r.out, '\r'), "progress line in %s", r.out);
    EXPECT_EQ(st_count(r.out, "PASS    alpha/prints_and_passes"), (size_t)1);
    st_free(&r);
}

TEST(report_console, color_always_paints_into_a_pipe)
{
    static const char *const args[] = {SOME_OUTCOMES, "--color", "always",
                                       NULL};
    struct st_run r;

    run_piped(&r, args, NULL);
    EXPECT_NOT_NULL(strstr(r.out, "\033[32mPASS   \033[0m alpha/"), "%s",
                    r.out);
    EXPECT_NOT_NULL(strstr(r.out, "\033[1;31mCRASH  \033[0m alpha/crashes"),
                    "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "\033[33mSKIP   \033[0m alpha/skips"), "%s",
                    r.out);
    /* Colour is asked for; a progress line is for terminals only. */
    EXPECT_NULL(strchr(r.out, '\r'));
    st_free(&r);
}

TEST(report_console, color_never_and_flag_beats_no_color)
{
    static const char *const never[] = {SOME_OUTCOMES, "--color", "never",
                                        NULL};
    static const char *const always[] = {SOME_OUTCOMES, "--color", "always",
                                         NULL};
    struct st_run r;

    run_piped(&r, never, NULL);
    EXPECT_NULL(strchr(r.out, '\033'), "%s", r.out);
    st_free(&r);
    /* NO_COLOR sets the default; an explicit --color always wins. */
    run_piped(&r, always, "NO_COLOR=1");
    EXPECT_TRUE(has_colour(r.out), "%s", r.out);
    st_free(&r);
}

TEST(report_console, environment_twin_and_flag_precedence)
{
    static const char *const plain[] = {SOME_OUTCOMES, NULL};
    static const char *const never[] = {SOME_OUTCOMES, "--color", "never",
                                        NULL};
    struct st_run r;

    run_piped(&r, plain, "CORDON_COLOR=always");
    EXPECT_TRUE(has_colour(r.out), "%s", r.out);
    st_free(&r);
    run_piped(&r, never, "CORDON_COLOR=always");
    EXPECT_NULL(strchr(r.out, '\033'), "the flag must win: %s", r.out);
    st_free(&r);
}

TEST(report_console, bad_color_mode_is_a_usage_error)
{
    static const char *const args[] = {"--color", "sometimes", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: --color: 'sometimes'"), (size_t)1,
              "%s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0);
    st_free(&r);
}

/* run_on_terminal runs fixture with stdout and stderr on a new
 * pseudo-terminal (output post-processing off, so "\n" stays "\n" and any
 * "\r" is cordon's), with env ("NAME=VALUE") set, and returns everything
 * the terminal received (free it) and the exit status in *code. */
static char *
run_on_terminal(const char *fixture, const char *const *args,
                const char *const *env, int *code)
{
    const char *argv[16] = {st_fixture(fixture)};
    struct termios tio;
    size_t len = 0, cap = 1 << 16, n = 1;
    char *out = malloc(cap);
    int master, slave, status = 0;
    bool exited = false;
    pid_t pid;

    for (size_t i = 0; args != NULL && args[i] != NULL && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    master = posix_openpt(O_RDWR | O_NOCTTY);
    ASSERT_GE(master, 0);
    ASSERT_EQ(grantpt(master), 0);
    ASSERT_EQ(unlockpt(master), 0);
    /* Held open here too, so the terminal never hangs up under us. */
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    ASSERT_GE(slave, 0);
    ASSERT_EQ(tcgetattr(slave, &tio), 0);
    tio.c_oflag &= ~(tcflag_t)OPOST;
    ASSERT_EQ(tcsetattr(slave, TCSANOW, &tio), 0);
    fflush(NULL);
    pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        setsid();
        dup2(slave, STDOUT_FILENO);
        dup2(slave, STDERR_FILENO);
        close(slave);
        close(master);
        for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
            char name[64];
            const char *eq = strchr(env[i], '=');

            snprintf(name, sizeof name, "%.*s", (int)(eq - env[i]), env[i]);
            setenv(name, eq + 1, 1);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    for (;;) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        ssize_t got;

        if (poll(&p, 1, exited ? 0 : 50) > 0 && (p.revents & POLLIN)) {
            if (cap - len < 4096)
                out = realloc(out, cap *= 2);
            got = read(master, out + len, cap - len - 1);
            if (got > 0) {
                len += (size_t)got;
                continue;
            }
        }
        if (exited)
            break;
        exited = waitpid(pid, &status, WNOHANG) == pid;
    }
    out[len] = '\0';
    close(slave);
    close(master);
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return out;
}

TEST(report_console, terminal_gets_colour_and_a_progress_line)
{
    static const char *const env[] = {NEUTRAL, "TERM=xterm", NULL};
    int code;
    char *out = run_on_terminal("pass", NULL, env, &code);

    EXPECT_EQ(code, 0, "%s", out);
    EXPECT_TRUE(has_colour(out), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "\r\033[K["), "no progress line: %s", out);
    EXPECT_NOT_NULL(strstr(out, "cordon: 3 passed, 0 failed, 0 skipped\n"));
    free(out);
}

TEST(report_console, no_color_on_a_terminal_keeps_the_progress_line)
{
    static const char *const env[] = {NEUTRAL, "TERM=xterm", "NO_COLOR=1",
                                      NULL};
    int code;
    char *out = run_on_terminal("pass", NULL, env, &code);

    EXPECT_EQ(code, 0, "%s", out);
    EXPECT_FALSE(has_colour(out), "%s", out);
    EXPECT_NOT_NULL(strstr(out, "\r\033[K["), "no progress line: %s", out);
    free(out);
}

TEST(report_console, dumb_terminal_gets_neither)
{
    static const char *const env[] = {NEUTRAL, "TERM=dumb", NULL};
    int code;
    char *out = run_on_terminal("pass", NULL, env, &code);

    EXPECT_EQ(code, 0, "%s", out);
    EXPECT_NULL(strchr(out, '\033'), "%s", out);
    EXPECT_NULL(strchr(out, '\r'), "%s", out);
    free(out);
}

TEST(report_console, color_never_on_a_terminal)
{
    static const char *const args[] = {"--color", "never", NULL};
    static const char *const env[] = {NEUTRAL, "TERM=xterm", NULL};
    int code;
    char *out = run_on_terminal("pass", args, env, &code);

    EXPECT_EQ(code, 0, "%s", out);
    EXPECT_FALSE(has_colour(out), "%s", out);
    free(out);
}

TEST(report_console, slow_notice_for_tests_over_half_their_timeout)
{
    /* A timeout multiplier in the selftest's environment would move the
     * line; the fixture gets none. */
    static const char *const env[] = {"CORDON_TIMEOUT_MULTIPLIER=1", NULL};
    struct st_run r;
    char *over, *under, *none;

    ASSERT_EQ(st_run_fixture(&r, "report_slow", NULL, env), 0);
    EXPECT_EQ(r.code, 0, "%s%s", r.out, r.err);
    over = st_line(r.out, "PASS    slow/over_half_its_timeout");
    under = st_line(r.out, "PASS    slow/well_under_its_timeout");
    none = st_line(r.out, "PASS    slow/without_a_timeout");
    ASSERT_NOT_NULL(over, "%s", r.out);
    ASSERT_NOT_NULL(under, "%s", r.out);
    ASSERT_NOT_NULL(none, "%s", r.out);
    EXPECT_NOT_NULL(strstr(over, "  (slow: over half its 1 s timeout)"),
                    "%s", over);
    EXPECT_NULL(strstr(under, "slow:"), "%s", under);
    EXPECT_NULL(strstr(none, "slow:"), "%s", none);
    free(over);
    free(under);
    free(none);
    st_free(&r);
}

TEST(report_console, a_pass_over_half_its_timeout_is_marked_slow,
     .timeout = 30)
{
    static const char *const args[] = {"--timeout", "0.8", NULL};
    struct st_run r;
    char *line;

    ASSERT_EQ(st_run_fixture(&r, "sleeps", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.out);
    line = st_line(r.out, "PASS    sleeps/half_second  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, " s  (slow: over half its 0.8 s timeout)"),
                    "%s", line);
    free(line);
    /* No timeout, nothing to be slow against. */
    line = st_line(r.out, "PASS    sleeps/no_timeout  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NULL(strstr(line, "slow"), "%s", line);
    free(line);
    st_free(&r);
}

TEST(report_console, one_line_per_test_in_test_order, .timeout = 30)
{
    struct st_run r;
    const char *at;
    char *line, *last;

    ASSERT_EQ(st_run_fixture(&r, "varied_durations", NULL, crash_env), 0);
    EXPECT_EQ(r.code, 1);
    /* Every result line is "WORD" padded to seven, a space, the id, and
     * the lines come in test order. */
    at = r.out;
    for (size_t i = 0; i < st_nvaried; i++) {
        char *prefix = st_format("%-7s %s", st_varied[i].word,
                                 st_varied[i].id);
        char *with_sep = st_format("%s  ", prefix);
        const char *hit = strstr(at, with_sep);

        EXPECT_NOT_NULL(hit, "no line '%s' after the previous one in:\n%s",
                        with_sep, r.out);
        EXPECT_TRUE(hit == NULL || hit == r.out || hit[-1] == '\n',
                    "'%s' does not start a line", prefix);
        EXPECT_EQ(st_count(r.out, with_sep), (size_t)1);
        if (hit != NULL)
            at = hit + 1;
        free(prefix);
        free(with_sep);
    }
    /* A started test shows its time; a skip shows its reason last. */
    line = st_line(r.out, "PASS    varied/slow_pass  ");
    EXPECT_GE(st_seconds(line), 0.2, "%s", line);
    free(line);
    line = st_line(r.out, "SKIP    varied/slow_skip  ");
    ASSERT_NOT_NULL(line);
    EXPECT_GE(st_seconds(line), 0.1, "%s", line);
    EXPECT_NOT_NULL(strstr(line, " s  skipped after a while"), "%s", line);
    free(line);
    EXPECT_TRUE(st_has_line(r.out, "SKIP    varied/disabled  disabled"));
    /* The breakdown, then the closing line; F counts FAIL, CRASH,
     * TIMEOUT and EXIT. */
    line = st_line(r.out, "cordon: 9 tests in ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, " s: 3 pass, 1 fail, 1 crash, 1 timeout, "
                                 "1 exit, 2 skip"), "%s", line);
    free(line);
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 3 passed, 4 failed, 2 skipped");
    free(last);
    EXPECT_STREQ(r.err, "", "the runner's own stderr stays quiet");
    st_free(&r);
}

/* emulator_stderr is the end of a stderr block at p that is only the
 * line qemu-user adds when the program it runs dies of a signal ("stderr
 * (55 bytes):" and "| qemu: uncaught target signal 6 (Aborted) - core
 * dumped"), or NULL when p starts no such block. */
static char *
emulator_stderr(char *p)
{
    static const char head[] = "      stderr (";
    static const char said[] = "      | qemu: uncaught target signal ";
    char *line = strchr(p, '\n'), *end;

    if (strncmp(p, head, sizeof head - 1) != 0 || line == NULL ||
        strncmp(line + 1, said, sizeof said - 1) != 0)
        return NULL;
    end = strchr(line + 1, '\n');
    end = end != NULL ? end + 1 : line + 1 + strlen(line + 1);
    return strncmp(end, "      | ", 8) == 0 ? NULL : end;
}

/* without_crash removes, in place, the crash report lines from details
 * (address, last check passed, the backtrace and its frames): they are
 * crash_report_test.c's subject, and their frames in the C library depend
 * on the machine; and a stderr that is only qemu-user's line. Returns
 * details. */
static char *
without_crash(char *details)
{
    static const char *const items[] = {"      address ",
                                        "      last check passed: ",
                                        "      backtrace:", "        "};
    char *p = details;

    while (p != NULL && *p != '\0') {
        char *nl = strchr(p, '\n');
        char *next = nl != NULL ? nl + 1 : p + strlen(p);
        char *emulator = emulator_stderr(p);
        bool drop = false;

        if (emulator != NULL) {
            next = emulator;
            drop = true;
        }
        for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
            drop = drop || strncmp(p, items[i], strlen(items[i])) == 0;
        if (drop)
            memmove(p, next, strlen(next) + 1);
        else
            p = next;
    }
    return details;
}

TEST(report_console, details_only_under_tests_that_did_not_pass,
     .timeout = 30)
{
    struct st_run r;
    char *d;
    char *where = st_where("varied_durations.c", "EXPECT_EQ(1 + 1, 3)");
    /* The failure is the reason, so it is not repeated above it; the
     * output of both streams follows. */
    char *want = st_format("      %s: EXPECT_EQ(1 + 1, 3) failed: expected "
                           "1 + 1 == 3, but 1 + 1 is 2\n"
                           "      stdout (21 bytes):\n"
                           "      | quick_fail on stdout\n"
                           "      stderr (21 bytes):\n"
                           "      | quick_fail on stderr\n", where);

    ASSERT_EQ(st_run_fixture(&r, "varied_durations", NULL, crash_env), 0);
    d = st_details(r.out, "FAIL    varied/quick_fail  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_STREQ(d, want);
    free(d);
    d = without_crash(st_details(r.out, "CRASH   varied/medium_crash  "));
    EXPECT_STREQ(d, "      killed by SIGABRT (Aborted)\n");
    free(d);
    d = st_details(r.out, "EXIT    varied/quick_exit  ");
    EXPECT_STREQ(d, "      exited with status 3 before the test finished\n");
    free(d);
    d = st_details(r.out, "TIMEOUT varied/timeout  ");
    ASSERT_NOT_NULL(d);
    EXPECT_EQ(strncmp(d, "      exceeded 0.2 s timeout", 28), 0, "%s", d);
    free(d);
    for (const char *const *p = (const char *const[]){
             "PASS    varied/slow_pass  ", "PASS    varied/quick_pass  ",
             "SKIP    varied/slow_skip  ", "SKIP    varied/disabled  ", NULL};
         *p != NULL; p++) {
        d = st_details(r.out, *p);
        EXPECT_STREQ(d, "", "under '%s'", *p);
        free(d);
    }
    free(want);
    free(where);
    st_free(&r);
}

/* Details as the console shows them under each way a test can end. The
 * outcomes themselves are outcome_test.c's; here, the layout: the reason
 * on its own line unless it is the first failure, then the failures, then
 * each stream's tail under its size. */
static const struct {
    const char *fixture, *word, *id, *details;
    const char *mark; /* when set, details is a format for st_where(mark) */
} shown[] = {
    {"segv", "CRASH", "segv/writes_protected_page",
     "      killed by SIGSEGV (Segmentation fault)\n"
     "      stdout (25 bytes):\n"
     "      | printed before the crash\n", NULL},
    {"segv", "PASS", "segv/passes_after", "", NULL},
    {"abort", "CRASH", "abort/calls_abort",
     "      killed by SIGABRT (Aborted)\n", NULL},
    {"stack_overflow", "CRASH", "stack_overflow/recurses_forever",
     "      killed by SIGSEGV (Segmentation fault)\n", NULL},
    {"exit0_midtest", "EXIT", "exit0_midtest/exit_zero",
     "      exited with status 0 before the test finished\n"
     "      stdout (23 bytes):\n"
     "      | printed before exit(0)\n", NULL},
    {"exit0_midtest", "EXIT", "exit0_midtest/exit_five",
     "      exited with status 5 before the test finished\n", NULL},
    {"expected_signal", "PASS", "expected_signal/aborts", "", NULL},
    {"expected_signal", "CRASH", "expected_signal/other_signal",
     "      killed by SIGUSR1 (User defined signal 1), expected SIGABRT\n",
     NULL},
    {"expected_signal", "FAIL", "expected_signal/returns",
     "      expected SIGABRT, test returned\n", NULL},
    {"expected_signal", "FAIL", "expected_signal/check_failed_first",
     "      %s: EXPECT_EQ(1, 2) failed: expected 1 == 2\n",
     "mark:check_failed_first"},
    {"expected_exit", "FAIL", "expected_exit/exits_four",
     "      expected exit status 3, got 4\n", NULL},
    {"expected_exit", "CRASH", "expected_exit/aborts",
     "      killed by SIGABRT (Aborted), expected exit status 3\n", NULL},
    {"skip", "FAIL", "skip/after_failure",
     "      %s: EXPECT_EQ(1, 2) failed: expected 1 == 2\n",
     "mark:skip_after_failure"},
};

TEST(report_console, details_under_each_way_a_test_ends, .timeout = 30)
{
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        char *prefix = st_format("%-7s %s  ", shown[i].word, shown[i].id);
        char *want, *d;
        struct st_run r;

        if (shown[i].mark != NULL) {
            char *file = st_format("%s.c", shown[i].fixture);
            char *where = st_where(file, shown[i].mark);

            want = st_format(shown[i].details, where);
            free(where);
            free(file);
        } else {
            want = strdup(shown[i].details);
        }
        ASSERT_EQ(st_run_fixture(&r, shown[i].fixture, NULL, crash_env), 0);
        d = without_crash(st_details(r.out, prefix));
        EXPECT_NOT_NULL(d, "no line '%s' in:\n%s", prefix, r.out);
        if (d != NULL)
            EXPECT_STREQ(d, want, "under '%s'", prefix);
        free(d);
        free(want);
        free(prefix);
        st_free(&r);
    }
}

TEST(report_console, two_failures_each_on_a_line_then_output)
{
    static const char *const args[] = {"--test",
                                       "assert_fail/expect_continues", NULL};
    char *first = st_where("assert_fail.c", "mark:expect_first");
    char *second = st_where("assert_fail.c", "mark:expect_second");
    char *want = st_format("      %s: EXPECT_EQ(got, 42) failed: expected "
                           "got == 42, but got is 41\n"
                           "      %s: EXPECT_EQ(got + 1, 40) failed: expected "
                           "got + 1 == 40, but got + 1 is 42 -- second of 2\n"
                           "      stdout (36 bytes):\n"
                           "      | reached the end of expect_continues\n",
                           first, second);
    struct st_run r;
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "assert_fail", args, NULL), 0);
    d = st_details(r.out, "FAIL    assert_fail/expect_continues  ");
    EXPECT_STREQ(d, want, "%s", r.out);
    free(d);
    free(want);
    free(second);
    free(first);
    st_free(&r);
}

TEST(report_console, output_shows_its_last_40_lines)
{
    static const char *const args[] = {"--test", "assert_fail/after_output",
                                       NULL};
    struct st_run r;
    char *d;

    ASSERT_EQ(st_run_fixture(&r, "assert_fail", args, NULL), 0);
    d = st_details(r.out, "FAIL    assert_fail/after_output  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    /* 100 lines "out line N" are 1192 bytes; 61 to 100 are shown. */
    EXPECT_TRUE(st_has_line(d, "      stdout (last 40 lines of 1192 "
                               "bytes):"), "%s", d);
    EXPECT_EQ(st_count(d, "      | out line "), (size_t)40, "%s", d);
    EXPECT_FALSE(st_has_line(d, "      | out line 60"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      | out line 61"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      | out line 100"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      stderr (9 bytes):"), "%s", d);
    EXPECT_TRUE(st_has_line(d, "      | err line"), "%s", d);
    free(d);
    st_free(&r);
}

TEST(report_console, fifty_megabytes_show_their_last_40_lines,
     .timeout = 30)
{
    static const char *const args[] = {"--test",
                                       "output_50mb/prints_and_fails", NULL};
    struct st_run r;
    char *d, *last;

    ASSERT_EQ(st_run_fixture(&r, "output_50mb", args, NULL), 0);
    EXPECT_EQ(r.code, 1);
    d = st_details(r.out, "FAIL    output_50mb/prints_and_fails  ");
    ASSERT_NOT_NULL(d, "%s", r.out);
    EXPECT_TRUE(st_has_line(d, "      stdout (last 40 lines of 52428800 "
                               "bytes):"), "%.300s", d);
    EXPECT_EQ(st_count(d, "      | line "), (size_t)40);
    last = st_last_line(d);
    EXPECT_EQ(strncmp(last, "      | line 524287 ", 20), 0, "%s", last);
    free(last);
    free(d);
    st_free(&r);
}

TEST(report_console, a_skip_shows_its_time_then_its_reason)
{
    struct st_run r;
    char *line, *want, *where;

    ASSERT_EQ(st_run_fixture(&r, "skip", NULL, NULL), 0);
    line = st_line(r.out, "SKIP    skip/with_reason  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_GE(st_seconds(line), 0.0, "%s", line);
    EXPECT_NOT_NULL(strstr(line, " s  needs 3 widgets"), "%s", line);
    EXPECT_EQ(strlen(strstr(line, " s  needs 3 widgets")),
              strlen(" s  needs 3 widgets"), "the reason ends the line");
    free(line);
    /* No reason: where SKIP() was called. */
    where = st_where("skip.c", "mark:skip_bare");
    want = st_format(" s  skipped at %s", where);
    line = st_line(r.out, "SKIP    skip/without_reason  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, want), "%s (want %s)", line, want);
    free(line);
    free(want);
    free(where);
    EXPECT_NULL(strstr(r.out, "must not be printed"));
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "no_short_names", NULL, NULL), 0);
    line = st_line(r.out, "SKIP    no_short_names/skips  ");
    ASSERT_NOT_NULL(line, "%s", r.out);
    EXPECT_NOT_NULL(strstr(line, " s  long name SKIP"), "%s", line);
    free(line);
    st_free(&r);
}

TEST(report_console, a_disabled_test_shows_no_time)
{
    static const char *const no_fork[] = {"--no-fork", NULL};
    struct st_run r;

    /* Not started, so no time: the reason follows the id. */
    ASSERT_EQ(st_run_fixture(&r, "disabled", NULL, crash_env), 0);
    EXPECT_TRUE(st_has_line(r.out, "SKIP    disabled/never_runs  disabled"),
                "%s", r.out);
    EXPECT_TRUE(st_has_line(r.out, "SKIP    disabled/with_other_options  "
                                   "disabled"), "%s", r.out);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "disabled", no_fork, crash_env), 0);
    EXPECT_TRUE(st_has_line(r.out, "SKIP    disabled/never_runs  disabled"),
                "%s", r.out);
    st_free(&r);
}

/* The closing line of runs of every kind. */
static const struct {
    const char *fixture;
    const char *args[4];
    const char *last;
} closing[] = {
    {"pass", {NULL}, "cordon: 3 passed, 0 failed, 0 skipped"},
    {"assert_fail", {NULL}, "cordon: 1 passed, 8 failed, 0 skipped"},
    {"disabled", {NULL}, "cordon: 1 passed, 0 failed, 2 skipped"},
    {"skip", {"--filter", "-skip/after_failure", NULL},
     "cordon: 0 passed, 0 failed, 2 skipped"},
    {"exit0_midtest", {NULL}, "cordon: 0 passed, 3 failed, 0 skipped"},
    {"compare", {"--filter", "compare/*_holds", NULL},
     "cordon: 8 passed, 0 failed, 0 skipped"},
    {"many", {"-j2", NULL}, "cordon: 1000 passed, 0 failed, 0 skipped"},
};

TEST(report_console, the_closing_line_counts_passed_failed_skipped,
     .timeout = 30)
{
    for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++) {
        struct st_run r;
        char *last;

        ASSERT_EQ(st_run_fixture(&r, closing[i].fixture, closing[i].args,
                                 crash_env), 0);
        last = st_last_line(r.out);
        EXPECT_STREQ(last, closing[i].last, "%s", closing[i].fixture);
        free(last);
        st_free(&r);
    }
}

/* Results are printed in test order however the tests finish: with more
 * jobs the quick tests end before the slow ones before them, and still the
 * transcript is the same, times aside. */
TEST(report_console, transcript_is_the_same_with_any_jobs, .timeout = 30)
{
    static const char *const jobs[][3] = {
        {"-j1", NULL}, {"-j2", NULL}, {"--jobs", "8", NULL}};
    char *stripped[3];

    for (size_t i = 0; i < 3; i++) {
        struct st_run r;

        ASSERT_EQ(st_run_fixture(&r, "varied_durations", jobs[i], crash_env),
                  0);
        EXPECT_EQ(r.code, 1);
        stripped[i] = st_strip_times(r.out);
        st_free(&r);
    }
    /* The stripping leaves no time behind to make them differ. */
    EXPECT_NULL(strstr(stripped[0], " s\n"), "%s", stripped[0]);
    EXPECT_STREQ(stripped[1], stripped[0]);
    EXPECT_STREQ(stripped[2], stripped[0]);
    for (size_t i = 0; i < 3; i++)
        free(stripped[i]);
}

/* interrupted_console runs the interrupt_sleepers fixture (see
 * interrupt_signal_test.c), which publishes the pids of its two sleeping
 * tests once they run, sends sig to it then, and returns the run. */
static void
interrupted_console(struct st_run *r, int sig)
{
    static const char *const sleepers[] = {"dies_on_sigterm",
                                           "ignores_sigterm"};
    static const char *const args[] = {"-j2", NULL};
    char *dir = st_tmpdir();
    char *dir_env = st_format("INTERRUPT_DIR=%s", dir);
    const char *const env[] = {dir_env, NULL};
    char why[256], what[512];
    double until = st_now() + 5;
    size_t running = 0;
    pid_t pid;

    ASSERT_NOT_NULL(dir);
    /* The fixture's grandchildren outlive nothing but a broken runner;
     * adopted, they are killed here whatever happens. */
    (void)st_adopt_orphans(why, sizeof why);
    pid = st_start_fixture(r, "interrupt_sleepers", args, env);
    ASSERT_GT(pid, 0);
    while (running < 2 && st_now() < until) {
        running = 0;
        for (size_t i = 0; i < 2; i++) {
            char *path = st_format("%s/%s.pid", dir, sleepers[i]);

            running += access(path, F_OK) == 0;
            free(path);
        }
        st_sleep_ms(10);
    }
    kill(pid, sig);
    ASSERT_EQ(st_wait_until(r, pid, 10), 0);
    (void)st_leftovers(what, sizeof what);
    EXPECT_EQ(running, (size_t)2, "the sleepers never both ran");
    free(dir_env);
    st_rmtree(dir);
}

/* An interrupted run names the signal just before its breakdown; running
 * tests show INTERRUPTED, those never started "not run: interrupted". */
TEST(report_console, an_interrupted_run_names_its_signal, .timeout = 30)
{
    static const struct {
        int sig;
        const char *line;
    } sigs[] = {{SIGINT, "cordon: interrupted by SIGINT"},
                {SIGTERM, "cordon: interrupted by SIGTERM"},
                {SIGHUP, "cordon: interrupted by SIGHUP"}};

    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct st_run r;
        char *last;

        interrupted_console(&r, sigs[i].sig);
        EXPECT_EQ(r.code, 128 + sigs[i].sig, "%s", r.err);
        EXPECT_EQ(st_count(r.out, sigs[i].line), (size_t)1, "%s", r.out);
        EXPECT_EQ(st_count(r.out, "INTERRUPTED interrupt/"), (size_t)2, "%s",
                  r.out);
        EXPECT_TRUE(st_has_line(r.out, "SKIP    interrupt/never_started  not "
                                       "run: interrupted"), "%s", r.out);
        EXPECT_TRUE(st_has_line(r.out, "SKIP    interrupt/never_started_either"
                                       "  not run: interrupted"), "%s",
                    r.out);
        last = st_last_line(r.out);
        EXPECT_STREQ(last, "cordon: 1 passed, 2 failed, 2 skipped");
        free(last);
        st_free(&r);
    }
}
