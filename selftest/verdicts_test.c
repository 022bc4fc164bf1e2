// SPDX-License-Identifier: MIT
// verdicts_test.c — selftests of verdicts that rest on which timer or
// limit ended a test (verdict_limits fixture): a test's own alarm() is a
// CRASH by SIGALRM at its time, not a TIMEOUT; alarm(0) does not cancel
// the watchdog; ignoring SIGXCPU is still a TIMEOUT at the cpu limit; and
// a failure under a memory limit names the limit.
#include <cordon.h>

#include "outcomes.h"
#include "testproc/testproc.h"

TEST(verdicts, a_test_s_own_alarm_is_not_its_timeout)
{
    static const char *const args[] = {"--filter", "*alarm*", NULL};
    const struct st_outcome *t;
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "verdict_limits", args, NULL), 0, "%s", o.why);
    st_expect_word(&o, "limits_verdict/own_alarm", "CRASH",
                   "killed by SIGALRM");
    t = st_outcome(&o, "limits_verdict/own_alarm");
    if (t != NULL)
        EXPECT_LT(t->seconds, 5.0, "ended by its own 1 s alarm");
    st_expect_word(&o, "limits_verdict/alarm0_cannot_cancel_the_watchdog",
                   "TIMEOUT", "exceeded 0.5 s timeout");
    st_outcomes_free(&o);
}

/* A second of cpu time takes longer than that on a loaded machine. */
TEST(verdicts, limits_are_named_in_the_verdict, .timeout = 60)
{
    static const char *const args[] = {"--filter", "*sigxcpu",
                                       "--filter", "*memory", NULL};
    struct st_outcomes o;

    if (ST_ASAN)
        SKIP("AddressSanitizer sets no memory limit (it needs the address "
             "space)");
    if (st_coverage_build())
        SKIP("a coverage build's test process writes its counters at the "
             "end, which needs the memory this test used up");
    if (cordon__limits_ignored())
        SKIP("this system ignores setrlimit(RLIMIT_AS) (qemu-user does): "
             "no memory limit can be seen to work");
    ASSERT_EQ(st_outcomes(&o, "verdict_limits", args, NULL), 0, "%s", o.why);
    st_expect_word(&o, "limits_verdict/ignores_sigxcpu", "TIMEOUT",
                   "exceeded the cpu limit 1 s");
    st_expect_word(&o, "limits_verdict/runs_out_of_memory", "FAIL",
                   "out of memory (memory limit 64 MiB in force)");
    st_outcomes_free(&o);
}

TEST(verdicts, a_death_check_of_an_assert_compiles_and_holds)
{
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "death_assert", NULL, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_PASS, "%s", o.run.out);
    st_expect_word(&o, "death_assert/expect_exit_status_of_an_assert",
                   "PASS", NULL);
    st_expect_word(&o, "death_assert/assert_exit_status_with_a_message",
                   "PASS", NULL);
    st_outcomes_free(&o);
}
