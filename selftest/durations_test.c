// SPDX-License-Identifier: MIT
// durations_test.c — selftests of --durations N and CORDON_DURATIONS: after
// the recap, the N slowest tests that ran (0 = all), slowest first, each
// with its time and its share of the time all tests took together; the
// closing line stays the last.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

/* slowest returns a copy of the lines under the --durations header of
 * text, each "id share" with the time left out (times vary), or NULL
 * when there is no header; *shares gets the sum of the shares. */
static char *
slowest(const char *text, double *shares)
{
    const char *p = strstr(text, "\ncordon: the ");

    /* The header says "the N slowest of M", or "the N tests that ran". */
    char *out = calloc(1, strlen(text) + 1);

    *shares = 0;
    if (p == NULL || out == NULL) {
        free(out);
        return NULL;
    }
    p = strchr(p + 1, '\n') + 1;
    while (strncmp(p, "  ", 2) == 0) {
        double seconds, share;
        char id[256];

        if (sscanf(p, " %lf s %lf%% %255s", &seconds, &share, id) == 3) {
            strcat(out, id);
            strcat(out, "\n");
            *shares += share;
        }
        p = strchr(p, '\n') + 1;
    }
    return out;
}

TEST(durations, the_n_slowest_after_the_recap)
{
    static const char *const args[] = {"--durations", "2", "-j1", NULL};
    struct st_run r;
    double shares;
    char *list, *last;

    ASSERT_EQ(st_run_fixture(&r, "varied_durations", args, NULL), 0);
    EXPECT_EQ(r.code, 1);
    EXPECT_NOT_NULL(strstr(r.out, "cordon: the 2 slowest of 8 tests that "
                                  "ran, with their share of the "), "%s",
                    r.out);
    list = slowest(r.out, &shares);
    EXPECT_STREQ(list, "varied/slow_pass\nvaried/timeout\n");
    EXPECT_TRUE(shares > 40 && shares < 100, "%g", shares);
    /* After the recap, before the counts. */
    EXPECT_TRUE(strstr(r.out, "did not pass:") < strstr(r.out, "slowest of"));
    last = st_last_line(r.out);
    EXPECT_STREQ(last, "cordon: 3 passed, 4 failed, 2 skipped");
    free(last);
    free(list);
    st_free(&r);
}

TEST(durations, zero_is_every_test_that_ran_and_adds_up)
{
    static const char *const args[] = {"-j1", NULL};
    static const char *const env[] = {"CORDON_DURATIONS=0", NULL};
    struct st_run r;
    double shares;
    char *list;

    ASSERT_EQ(st_run_fixture(&r, "varied_durations", args, env), 0);
    list = slowest(r.out, &shares);
    ASSERT_NOT_NULL(list, "%s", r.out);
    /* The disabled test did not run. */
    EXPECT_NOT_NULL(strstr(r.out, "cordon: the 8 tests that ran, slowest "
                                  "first, with their share of the "), "%s",
                    r.out);
    EXPECT_EQ(st_count(list, "varied/"), 8, "%s", list);
    EXPECT_NULL(strstr(list, "varied/disabled"));
    EXPECT_EQ(strncmp(list, "varied/slow_pass\n", 17), 0, "%s", list);
    EXPECT_TRUE(shares > 99 && shares < 101, "%g", shares);
    free(list);
    st_free(&r);
}

TEST(durations, off_unless_asked_and_bad_values_refused)
{
    static const char *const bad[] = {"--durations=-1", NULL};
    static const char *const env[] = {"CORDON_DURATIONS=many", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, NULL), 0);
    EXPECT_NULL(strstr(r.out, "slowest"), "%s", r.out);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "pass", bad, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: --durations: '-1' is not a number of tests "
                        "(use e.g. --durations=10, or 0 for every test)\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: CORDON_DURATIONS: 'many' is not a number of "
                        "tests (use e.g. CORDON_DURATIONS=10, or 0 for every "
                        "test)\n");
    st_free(&r);
}
