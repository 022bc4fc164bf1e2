// SPDX-License-Identifier: MIT
// once_scribble_test.c — selftests of a suite's .once that writes over
// every shared mapping it can see: it runs in the suite holder, which
// keeps the runner's board and the spool's end out of its reach, so the
// run still ends with its summary, its reports and a verdict for every
// test; the tests of other suites pass.
#include <cordon.h>

#include <stdio.h>
#include <string.h>

#include "outcomes.h"
#include "support.h"

/* expect_survived runs the once_scribble fixture with the once writing
 * byte ("A", "0") under args and checks that the run ended as a run does:
 * an exit code of 0 or 1 within the limit, the summary, both reports, the
 * plain tests passed and the suite's tests each a verdict of their own. */
static void
expect_survived(const char *byte, const char *const *args)
{
    char var[64];
    const char *env[] = {var, ST_ASAN_OPTIONS, NULL};
    static const char *const ids[] = {"once_scribble/first",
                                      "once_scribble/second"};
    struct st_launch launch = {.args = args, .env = env, .limit = 20};
    struct st_outcomes o;
    int rc;

    snprintf(var, sizeof var, "ONCE_SCRIBBLE_BYTE=%s", byte);
    rc = st_outcomes_finish(&o, st_outcomes_start(&o, "once_scribble",
                                                  &launch));
    EXPECT_FALSE(o.run.overran, "the run did not end; stderr: %.600s",
                 o.run.err);
    EXPECT_TRUE(o.run.code == 0 || o.run.code == 1,
                "exit code %d; stderr: %.600s", o.run.code, o.run.err);
    EXPECT_NOT_NULL(strstr(o.run.out, "cordon: 4 tests in "),
                    "no summary; stdout: %.600s", o.run.out);
    EXPECT_NULL(strstr(o.run.err, "were lost"), "%.600s", o.run.err);
    ASSERT_EQ(rc, 0, "%s", o.why);
    EXPECT_EQ(o.plan, 4);
    EXPECT_EQ(o.n, (size_t)4);
    st_expect_word(&o, "plain/after_1", "PASS", NULL);
    st_expect_word(&o, "plain/after_2", "PASS", NULL);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const struct st_outcome *t = st_outcome(&o, ids[i]);

        ASSERT_NOT_NULL(t, "%s has no result; stdout: %.600s", ids[i],
                        o.run.out);
        EXPECT_TRUE(strcmp(t->word, "PASS") == 0 ||
                        strcmp(t->word, "FAIL") == 0 ||
                        strcmp(t->word, "CRASH") == 0,
                    "%s: %s (%s)", ids[i], t->word, t->reason);
    }
    EXPECT_EQ(o.run.code, st_outcome_count(&o, "PASS") == 4 ? 0 : 1,
              "%s", o.run.out);
    st_outcomes_free(&o);
}

TEST(once_scribble, a_once_writing_A_over_shared_memory, .timeout = 60)
{
    expect_survived("A", (const char *const[]){"-j1", NULL});
}

TEST(once_scribble, a_once_writing_zeros_over_shared_memory, .timeout = 60)
{
    expect_survived("0", (const char *const[]){"-j1", NULL});
}

TEST(once_scribble, with_another_worker_running, .timeout = 60)
{
    expect_survived("A", (const char *const[]){"-j2", NULL});
}

TEST(once_scribble, zeros_with_another_worker_running, .timeout = 60)
{
    expect_survived("0", (const char *const[]){"-j2", NULL});
}
