// SPDX-License-Identifier: MIT
// signals_test.c — the signal state a run honours and hands on: a SIGHUP
// the caller ignored (nohup) neither interrupts the run nor reaches the
// tests as anything but ignored, and a test starts with the dispositions
// and mask the caller had, not the runner's own (its SIGPIPE ignored, its
// handlers, the signals its workers block).
#include <cordon.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outcomes.h"

static void
ignore_hup(void *arg)
{
    (void)arg;
    signal(SIGHUP, SIG_IGN);
}

TEST(signals, nohup_is_honoured_by_the_run_and_its_tests, .timeout = 30)
{
    struct st_launch launch = {.prepare = ignore_hup};
    struct st_outcomes o;
    pid_t pid;

    pid = st_outcomes_start(&o, "dispositions", &launch);
    ASSERT_GT(pid, 0, "%s", o.why);
    st_sleep_ms(300);
    kill(pid, SIGHUP);
    ASSERT_EQ(st_outcomes_finish(&o, pid), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stdout: %s", o.run.out);
    st_expect_outcome(&o, "dispositions/sleeps_a_second", "PASS", "", "",
                      NULL, NULL);
    st_expect_outcome(&o, "dispositions/shows_them", "PASS", "", "",
                      "SIGHUP ignored\n"
                      "SIGINT default\n"
                      "SIGTERM default\n"
                      "SIGPIPE default\n"
                      "SIGCHLD default\n",
                      "");
    st_outcomes_free(&o);
}

static void
block_usr_and_ignore_int(void *arg)
{
    sigset_t usr;

    (void)arg;
    signal(SIGINT, SIG_IGN);
    sigemptyset(&usr);
    sigaddset(&usr, SIGTERM);
    sigprocmask(SIG_BLOCK, &usr, NULL);
}

TEST(signals, tests_start_with_the_callers_dispositions_and_mask)
{
    static const char *const args[] = {"--filter", "dispositions/shows_them",
                                       NULL};
    struct st_launch launch = {.args = args,
                               .prepare = block_usr_and_ignore_int};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes_finish(&o, st_outcomes_start(&o, "dispositions",
                                                        &launch)),
              0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0);
    st_expect_outcome(&o, "dispositions/shows_them", "PASS", "", "",
                      "SIGHUP default\n"
                      "SIGINT ignored\n"
                      "SIGTERM default blocked\n"
                      "SIGPIPE default\n"
                      "SIGCHLD default\n",
                      "");
    st_outcomes_free(&o);
}

/* holding_or_handling says the runner at pid has reached cordon_main: it
 * blocks SIGTERM (the hold while it sets up) or has its handler in place.
 * Linux only (/proc); elsewhere it says so and the caller skips. */
static bool
holding_or_handling(pid_t pid, bool *known)
{
    char *text = st_proc_status(pid);
    bool yes = false;

    *known = text != NULL;
    for (const char *key = "SigBlk:"; text != NULL && key != NULL;
         key = strcmp(key, "SigBlk:") == 0 ? "SigCgt:" : NULL) {
        const char *at = strstr(text, key);
        unsigned long long bits;

        if (at != NULL && sscanf(at + 7, "%llx", &bits) == 1 &&
            (bits & (1ULL << (SIGTERM - 1))) != 0)
            yes = true;
    }
    free(text);
    return yes;
}

/* From cordon_main's first lines on, a SIGTERM stops the run cleanly,
 * even while the runner sets up and creates its files. */
TEST(signals, sigterm_while_setting_up_still_writes_the_reports,
     .timeout = 60)
{
    static const long delays_ms[] = {0, 1, 2, 4, 8};

    if (st_proc_signals_why() != NULL)
        SKIP("the runner cannot be seen to reach cordon_main: %s",
             st_proc_signals_why());
    for (size_t i = 0; i < sizeof delays_ms / sizeof delays_ms[0]; i++) {
        char *tmp = st_tmpdir();
        char *tmp_env = st_format("TMPDIR=%s", tmp);
        const char *const args[] = {"-j", "16", NULL};
        const char *const env[] = {tmp_env, NULL};
        struct st_launch launch = {.args = args, .env = env,
                                   .tap_only = true};
        struct st_outcomes o;
        bool known = true;
        double until;
        pid_t pid;

        pid = st_outcomes_start(&o, "many", &launch);
        ASSERT_GT(pid, 0, "%s", o.why);
        until = st_now() + 10;
        while (!holding_or_handling(pid, &known) && known && st_now() < until)
            ;
        if (!known) {
            kill(pid, SIGKILL);
            st_outcomes_finish(&o, pid);
            st_outcomes_free(&o);
            SKIP("no /proc/PID/status to see the runner reach cordon_main");
        }
        st_sleep_ms(delays_ms[i]);
        kill(pid, SIGTERM);
        EXPECT_EQ(st_outcomes_finish(&o, pid), 0, "after %ld ms: %s",
                  delays_ms[i], o.why);
        EXPECT_EQ(o.run.code, 128 + SIGTERM, "after %ld ms", delays_ms[i]);
        EXPECT_EQ(o.n, (size_t)1000, "after %ld ms", delays_ms[i]);
        EXPECT_EQ(st_outcome_count(&o, "PASS") + st_outcome_count(&o, "SKIP")
                      + st_outcome_count(&o, "INTERRUPTED"),
                  (size_t)1000, "after %ld ms", delays_ms[i]);
        /* The directory holds nothing: no spool, no capture file. */
        EXPECT_EQ(rmdir(tmp), 0, "after %ld ms: %s is not empty",
                  delays_ms[i], tmp);
        st_outcomes_free(&o);
        free(tmp_env);
        free(tmp);
    }
}

static void
close_stdin_and_stdout(void *arg)
{
    (void)arg;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    close(STDIN_FILENO);
    close(STDOUT_FILENO);
}

TEST(signals, closed_stdin_and_stdout_keep_the_console_out_of_tests)
{
    struct st_launch launch = {.prepare = close_stdin_and_stdout};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes_finish(&o, st_outcomes_start(&o, "stray_fds",
                                                        &launch)),
              0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "stderr: %s", o.run.err);
    st_expect_outcome(&o, "stray_fds/prints_only_its_own_output", "PASS", "",
                      "", "own output\n", "");
    st_outcomes_free(&o);
}
