// SPDX-License-Identifier: MIT
// report_console_test.c — selftests of the console report's manners:
// colour only when asked for (--color, CORDON_COLOR) or on a terminal
// that is not "dumb" and without NO_COLOR; a live progress line only on a
// terminal; and the notice for a passing test that took over half its
// timeout. Terminal cases run the fixture on a pseudo-terminal.
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */

#include <cordon.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "support.h"

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
    EXPECT_EQ(st_count(r.out, "PASS  alpha/prints_and_passes"), (size_t)1);
    st_free(&r);
}

TEST(report_console, color_always_paints_into_a_pipe)
{
    static const char *const args[] = {SOME_OUTCOMES, "--color", "always",
                                       NULL};
    struct st_run r;

    run_piped(&r, args, NULL);
    EXPECT_NOT_NULL(strstr(r.out, "\033[32mPASS \033[0m alpha/"), "%s",
                    r.out);
    EXPECT_NOT_NULL(strstr(r.out, "\033[1;31mCRASH\033[0m alpha/crashes"),
                    "%s", r.out);
    EXPECT_NOT_NULL(strstr(r.out, "\033[33mSKIP \033[0m alpha/skips"), "%s",
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
    over = st_line(r.out, "PASS  slow/over_half_its_timeout");
    under = st_line(r.out, "PASS  slow/well_under_its_timeout");
    none = st_line(r.out, "PASS  slow/without_a_timeout");
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
