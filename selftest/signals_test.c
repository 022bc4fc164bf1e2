// SPDX-License-Identifier: MIT
// signals_test.c — the signal state a run honours and hands on: a SIGHUP
// the caller ignored (nohup) neither interrupts the run nor reaches the
// tests as anything but ignored, and a test starts with the dispositions
// and mask the caller had, not the runner's own (its SIGPIPE ignored, its
// handlers, the signals its workers block).
#include <cordon.h>
#include <signal.h>
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
                      "SIGCHLD default\n"
                      "SIGALRM default\n",
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
                      "SIGCHLD default\n"
                      "SIGALRM default\n",
                      "");
    st_outcomes_free(&o);
}
