// SPDX-License-Identifier: MIT
// suite_unit_test.c — unit tests of the pure parts behind suites, retries
// and shuffling: how a suite's failed once and a faulty teardown are
// classified (outcome.c), the shuffled order (shuffle.c) and the labels of
// runs (retry.c), fed synthesized endings, records and results.
#include <cordon.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"


#define UNIT_TEST(name)                                                       \
    TEST(suite_unit, name, .setup = st_unit_map_record,                       \
         .teardown = st_unit_unmap_record)

UNIT_TEST(a_once_is_judged_timeout_first_then_checks_then_crash)
{
    char reason[256];
    struct cordon__ending e = {.signaled = true, .signal = SIGALRM,
                               .timeout = 2};

    EXPECT_EQ(cordon__outcome_once(&e, st_unit_rec, reason, sizeof reason),
              CORDON_OUTCOME_TIMEOUT);
    EXPECT_STREQ(reason, "suite setup once() exceeded 2 s timeout");
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "f.c:3: FAIL(): no");
    e = (struct cordon__ending){.signaled = true, .signal = SIGABRT};
    EXPECT_EQ(cordon__outcome_once(&e, st_unit_rec, reason, sizeof reason),
              CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "suite setup once() failed: f.c:3: FAIL(): no");
    cordon__record_reset(st_unit_rec);
    e = (struct cordon__ending){.signaled = true, .signal = SIGSEGV};
    EXPECT_EQ(cordon__outcome_once(&e, st_unit_rec, reason, sizeof reason),
              CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "suite setup once() crashed: killed by SIGSEGV "
                         "(Segmentation fault)");
    e = (struct cordon__ending){.exited = true, .status = 3};
    EXPECT_EQ(cordon__outcome_once(&e, st_unit_rec, reason, sizeof reason),
              CORDON_OUTCOME_EXIT);
    EXPECT_STREQ(reason, "suite setup once() exited with status 3");
    e = (struct cordon__ending){.interrupted = true};
    EXPECT_EQ(cordon__outcome_once(&e, st_unit_rec, reason, sizeof reason),
              CORDON_OUTCOME_INTERRUPTED);
}

UNIT_TEST(only_a_teardown_s_own_fault_is_an_error)
{
    static const struct cordon_test_options plain = {
        .timeout = CORDON_DEFAULT_TIMEOUT, .exit_code = CORDON_NO_EXIT};
    struct cordon__ending e = {.exited = true, .finished = true};
    char reason[256];

    /* A failure before the teardown began is the body's: FAIL, with the
     * teardown's after it. */
    atomic_store(&st_unit_rec->owner, (int)getpid());
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "t.c:1: body");
    cordon__record_teardown(st_unit_rec);
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "t.c:9: teardown");
    EXPECT_EQ(cordon__outcome_classify(&e, st_unit_rec, &plain, reason,
                                       sizeof reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "t.c:1: body; teardown failed: t.c:9: teardown");
    /* A body that skipped stays skipped: the teardown's fault is added. */
    cordon__record_reset(st_unit_rec);
    atomic_store(&st_unit_rec->owner, (int)getpid());
    cordon__record_add(st_unit_rec, CORDON__ENTRY_SKIP, "no database");
    cordon__record_teardown(st_unit_rec);
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "t.c:9: teardown");
    EXPECT_EQ(cordon__outcome_classify(&e, st_unit_rec, &plain, reason,
                                       sizeof reason), CORDON_OUTCOME_SKIP);
    EXPECT_STREQ(reason, "no database; teardown failed: t.c:9: teardown");
    /* Only after it began: ERROR, naming it. */
    cordon__record_reset(st_unit_rec);
    atomic_store(&st_unit_rec->owner, (int)getpid());
    cordon__record_teardown(st_unit_rec);
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "t.c:9: teardown");
    EXPECT_EQ(cordon__outcome_classify(&e, st_unit_rec, &plain, reason,
                                       sizeof reason), CORDON_OUTCOME_ERROR);
    EXPECT_STREQ(reason, "teardown failed: t.c:9: teardown");
    EXPECT_FALSE(cordon__outcome_teardown_crashed(&e, st_unit_rec, &plain));
    /* A crash once it began: reported as a crash is, whatever verdict. */
    e = (struct cordon__ending){.signaled = true, .signal = SIGBUS};
    cordon__record_reset(st_unit_rec);
    atomic_store(&st_unit_rec->owner, (int)getpid());
    cordon__record_teardown(st_unit_rec);
    EXPECT_EQ(cordon__outcome_classify(&e, st_unit_rec, &plain, reason,
                                       sizeof reason), CORDON_OUTCOME_ERROR);
    EXPECT_STREQ(reason, "teardown crashed: killed by SIGBUS (Bus error)");
    EXPECT_TRUE(cordon__outcome_teardown_crashed(&e, st_unit_rec, &plain));
    /* A crash in the teardown of a body that failed: FAIL, both told. */
    cordon__record_reset(st_unit_rec);
    atomic_store(&st_unit_rec->owner, (int)getpid());
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "t.c:1: body");
    cordon__record_teardown(st_unit_rec);
    EXPECT_EQ(cordon__outcome_classify(&e, st_unit_rec, &plain, reason,
                                       sizeof reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "t.c:1: body; teardown crashed: killed by SIGBUS "
                         "(Bus error)");
    EXPECT_TRUE(cordon__outcome_teardown_crashed(&e, st_unit_rec, &plain));
    /* A crash before it began is the body's own CRASH. */
    cordon__record_reset(st_unit_rec);
    atomic_store(&st_unit_rec->owner, (int)getpid());
    EXPECT_EQ(cordon__outcome_classify(&e, st_unit_rec, &plain, reason,
                                       sizeof reason), CORDON_OUTCOME_CRASH);
    EXPECT_FALSE(cordon__outcome_teardown_crashed(&e, st_unit_rec, &plain));
    /* Another process (a helper the test forked) cannot mark it. */
    cordon__record_reset(st_unit_rec);
    atomic_store(&st_unit_rec->owner, (int)getpid() + 1);
    cordon__record_teardown(st_unit_rec);
    EXPECT_EQ(atomic_load(&st_unit_rec->teardown_from), 0u);
}

TEST(suite_unit, a_seed_gives_one_permutation_everywhere)
{
    size_t *a = cordon__shuffle_order(50, 42), *b = cordon__shuffle_order(50,
                                                                         42);
    size_t *c = cordon__shuffle_order(50, 43);
    bool seen[50] = {false}, moved = false;

    for (size_t i = 0; i < 50; i++) {
        ASSERT_LT(a[i], (size_t)50);
        EXPECT_FALSE(seen[a[i]], "%zu twice", a[i]);
        seen[a[i]] = true;
        moved = moved || a[i] != i;
    }
    EXPECT_TRUE(moved);
    EXPECT_EQ(memcmp(a, b, 50 * sizeof *a), 0);
    EXPECT_NE(memcmp(a, c, 50 * sizeof *a), 0);
    cordon__tables_free(a);
    cordon__tables_free(b);
    cordon__tables_free(c);
}

TEST(suite_unit, runs_are_labelled_by_what_the_run_asked)
{
    struct cordon__result r = {.outcome = CORDON_OUTCOME_FAIL, .attempt = 2,
                               .attempts = 3, .repetition = 1,
                               .repetitions = 1};
    char buf[128];

    cordon__retry_label(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "attempt 2 of 3");
    cordon__retry_summary(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "failed on attempt 2 of 3");
    r.outcome = CORDON_OUTCOME_PASS;
    r.ntries = 1;
    cordon__retry_summary(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "passed on attempt 2 of 3");
    r.repetitions = 4;
    r.repetition = 4;
    cordon__retry_label(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "repetition 4 of 4, attempt 2 of 3");
    cordon__retry_summary(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "passed 4 repetitions after 1 failed attempt");
    r = (struct cordon__result){.outcome = CORDON_OUTCOME_PASS, .attempt = 1,
                                .attempts = 1, .repetitions = 1};
    cordon__retry_summary(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "");
}
