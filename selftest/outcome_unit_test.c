// SPDX-License-Identifier: MIT
// outcome_unit_test.c — unit tests of cordon__outcome_classify, fed
// synthesized endings and records: every branch, the order in which they
// win, and the exact reason each gives. Also the result record it reads
// (entries, truncation, the dropped count, reset) and the outcome words.
#include <cordon.h>
#include <signal.h>
#include <string.h>

#include "unit.h"

/* The default options; the record is unit.h's. */
static const struct cordon_test_options plain = {
    .timeout = CORDON_DEFAULT_TIMEOUT, .exit_code = CORDON_NO_EXIT};

/* Endings as the scheduler builds them from a wait status. */
static const struct cordon__ending returned = {.exited = true, .status = 0};
static const struct cordon__ending killed_segv = {.signaled = true,
                                                  .signal = SIGSEGV};
static const struct cordon__ending killed_abrt = {.signaled = true,
                                                  .signal = SIGABRT};

/* classify takes "the body finished" from the record, as a worker does
 * when the test's own process wrote it. */
static enum cordon_outcome
classify(const struct cordon__ending *e, const struct cordon_test_options *o,
         char *reason)
{
    struct cordon__ending seen = *e;

    seen.finished = atomic_load(&st_unit_rec->body_finished) != 0;
    return cordon__outcome_classify(&seen, st_unit_rec, o, reason, 256);
}

static void
finish_body(void)
{
    atomic_store(&st_unit_rec->body_finished, 1);
}

#define UNIT_TEST(name)                                                       \
    TEST(outcome_unit, name, .setup = st_unit_map_record,                       \
         .teardown = st_unit_unmap_record)

UNIT_TEST(returned_after_the_body_is_a_pass)
{
    char reason[256];

    finish_body();
    EXPECT_EQ(classify(&returned, &plain, reason), CORDON_OUTCOME_PASS);
    EXPECT_STREQ(reason, "");
}

UNIT_TEST(interrupted_wins_over_everything)
{
    struct cordon__ending e = {.signaled = true, .signal = SIGTERM,
                               .killed = true, .timeout = 1,
                               .interrupted = true};
    char reason[256];

    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "f.c:1: failed");
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_INTERRUPTED);
    EXPECT_STREQ(reason, "interrupted while running");
}

UNIT_TEST(timed_out_wins_over_the_signal_and_failures)
{
    struct cordon__ending e = {.signaled = true, .signal = SIGALRM,
                               .seconds = 0.25, .timeout = 0.25};
    struct cordon_test_options o = plain;
    char reason[256];

    o.signal = SIGALRM; /* even the expected signal, past the timeout */
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "f.c:1: failed");
    EXPECT_EQ(classify(&e, &o, reason), CORDON_OUTCOME_TIMEOUT);
    EXPECT_EQ(strncmp(reason, "exceeded 0.25 s timeout", 23), 0, "%s",
              reason);
}

UNIT_TEST(timed_out_by_the_runner_s_kill)
{
    struct cordon__ending e = {.signaled = true, .signal = SIGKILL,
                               .killed = true, .timeout = 2.5};
    char reason[256];

    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_TIMEOUT);
    EXPECT_EQ(strncmp(reason, "exceeded 2.5 s timeout", 22), 0, "%s",
              reason);
}

UNIT_TEST(an_unexpected_signal_is_a_crash_named_by_it)
{
    char reason[256];

    EXPECT_EQ(classify(&killed_segv, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGSEGV (Segmentation fault)");
}

UNIT_TEST(a_crash_stays_a_crash_after_a_failed_check)
{
    char reason[256];

    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "f.c:1: failed");
    EXPECT_EQ(classify(&killed_segv, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGSEGV (Segmentation fault)");
}

UNIT_TEST(an_unnamed_signal_is_numbered)
{
    struct cordon__ending e = {.signaled = true, .signal = SIGRTMIN + 1};
    char reason[256], want[64];

    snprintf(want, sizeof want, "killed by signal %d (", SIGRTMIN + 1);
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_EQ(strncmp(reason, want, strlen(want)), 0, "%s", reason);
}

UNIT_TEST(the_expected_signal_is_a_pass)
{
    struct cordon_test_options o = plain;
    char reason[256];

    o.signal = SIGABRT;
    EXPECT_EQ(classify(&killed_abrt, &o, reason), CORDON_OUTCOME_PASS);
    EXPECT_STREQ(reason, "killed by SIGABRT (Aborted) as expected");
}

UNIT_TEST(the_expected_signal_after_a_failed_check_is_a_fail)
{
    struct cordon_test_options o = plain;
    char reason[256];

    o.signal = SIGABRT;
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "f.c:7: EXPECT_EQ failed");
    EXPECT_EQ(classify(&killed_abrt, &o, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "f.c:7: EXPECT_EQ failed");
}

UNIT_TEST(another_signal_than_the_expected_one_is_a_crash)
{
    struct cordon_test_options o = plain;
    char reason[256];

    o.signal = SIGABRT;
    EXPECT_EQ(classify(&killed_segv, &o, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGSEGV (Segmentation fault), expected "
                         "SIGABRT");
}

UNIT_TEST(a_signal_instead_of_the_expected_exit_is_a_crash)
{
    struct cordon_test_options o = plain;
    char reason[256];

    o.exit_code = 3;
    EXPECT_EQ(classify(&killed_abrt, &o, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGABRT (Aborted), expected exit status "
                         "3");
}

UNIT_TEST(a_failed_check_is_a_fail_with_the_first_failure_as_reason)
{
    char reason[256];

    finish_body();
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "a.c:1: first");
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "a.c:2: second");
    EXPECT_EQ(classify(&returned, &plain, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "a.c:1: first");
}

UNIT_TEST(failures_that_were_only_counted_still_fail)
{
    char reason[256];

    finish_body();
    atomic_store(&st_unit_rec->dropped, 3);
    EXPECT_EQ(classify(&returned, &plain, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "check failures were lost");
}

UNIT_TEST(a_failure_wins_over_a_skip)
{
    char reason[256];

    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "a.c:1: failed");
    cordon__record_add(st_unit_rec, CORDON__ENTRY_SKIP, "no network");
    EXPECT_EQ(classify(&returned, &plain, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "a.c:1: failed");
}

UNIT_TEST(a_skip_gives_its_reason)
{
    struct cordon_test_options o = plain;
    char reason[256];

    cordon__record_add(st_unit_rec, CORDON__ENTRY_SKIP, "no network");
    EXPECT_EQ(classify(&returned, &plain, reason), CORDON_OUTCOME_SKIP);
    EXPECT_STREQ(reason, "no network");
    /* A skipped test did not get to its expected ending; still a skip. */
    o.exit_code = 3;
    EXPECT_EQ(classify(&returned, &o, reason), CORDON_OUTCOME_SKIP);
    o = plain;
    o.signal = SIGABRT;
    EXPECT_EQ(classify(&returned, &o, reason), CORDON_OUTCOME_SKIP);
}

UNIT_TEST(returning_instead_of_the_expected_signal_is_a_fail)
{
    struct cordon_test_options o = plain;
    char reason[256];

    o.signal = SIGABRT;
    finish_body();
    EXPECT_EQ(classify(&returned, &o, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "expected SIGABRT, test returned");
}

UNIT_TEST(exiting_instead_of_the_expected_signal_is_a_fail)
{
    struct cordon__ending e = {.exited = true, .status = 2};
    struct cordon_test_options o = plain;
    char reason[256];

    o.signal = SIGABRT;
    EXPECT_EQ(classify(&e, &o, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "expected SIGABRT, exited with status 2");
}

UNIT_TEST(the_expected_exit_status_is_a_pass)
{
    struct cordon__ending e = {.exited = true, .status = 3};
    struct cordon_test_options o = plain;
    char reason[256];

    o.exit_code = 3;
    EXPECT_EQ(classify(&e, &o, reason), CORDON_OUTCOME_PASS);
    EXPECT_STREQ(reason, "exited with status 3 as expected");
    /* Status 0 can be expected too. */
    o.exit_code = 0;
    EXPECT_EQ(classify(&returned, &o, reason), CORDON_OUTCOME_PASS);
    EXPECT_STREQ(reason, "exited with status 0 as expected");
}

UNIT_TEST(another_exit_status_is_a_fail)
{
    struct cordon__ending e = {.exited = true, .status = 4};
    struct cordon_test_options o = plain;
    char reason[256];

    o.exit_code = 3;
    EXPECT_EQ(classify(&e, &o, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "expected exit status 3, got 4");
}

UNIT_TEST(returning_instead_of_the_expected_exit_is_a_fail)
{
    struct cordon_test_options o = plain;
    char reason[256];

    o.exit_code = 0;
    finish_body();
    EXPECT_EQ(classify(&returned, &o, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "expected exit status 0, test returned");
}

UNIT_TEST(an_unexpected_exit_before_the_end_is_exit)
{
    struct cordon__ending e = {.exited = true, .status = 5};
    char reason[256];

    EXPECT_EQ(classify(&returned, &plain, reason), CORDON_OUTCOME_EXIT);
    EXPECT_STREQ(reason, "exited with status 0 before the test finished");
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_EXIT);
    EXPECT_STREQ(reason, "exited with status 5 before the test finished");
}

UNIT_TEST(a_nonzero_status_after_the_end_is_exit)
{
    struct cordon__ending e = {.exited = true, .status = 86};
    char reason[256];

    finish_body();
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_EXIT);
    EXPECT_STREQ(reason, "exited with status 86 after the test finished");
}

UNIT_TEST(an_ending_neither_by_exit_nor_signal_is_a_fail)
{
    struct cordon__ending e = {.status = 0};
    char reason[256];

    finish_body();
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_FAIL);
    EXPECT_STREQ(reason, "ended in an unrecognised way");
}

UNIT_TEST(a_reason_is_cut_to_its_buffer)
{
    char reason[16];

    EXPECT_EQ(cordon__outcome_classify(&killed_segv, st_unit_rec, &plain, reason,
                                       sizeof reason),
              CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGSE");
}

UNIT_TEST(record_entries_are_kept_in_order_by_kind)
{
    EXPECT_NULL(cordon__record_first(st_unit_rec, CORDON__ENTRY_FAILURE));
    EXPECT_EQ(cordon__record_count(st_unit_rec, CORDON__ENTRY_FAILURE), 0u);
    cordon__record_add(st_unit_rec, CORDON__ENTRY_SKIP, "skip reason");
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "one");
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "two");
    EXPECT_EQ(cordon__record_count(st_unit_rec, CORDON__ENTRY_FAILURE), 2u);
    EXPECT_EQ(cordon__record_count(st_unit_rec, CORDON__ENTRY_SKIP), 1u);
    EXPECT_STREQ(cordon__record_first(st_unit_rec, CORDON__ENTRY_FAILURE), "one");
    EXPECT_STREQ(cordon__record_first(st_unit_rec, CORDON__ENTRY_SKIP),
                 "skip reason");
    cordon__record_reset(st_unit_rec);
    EXPECT_EQ(cordon__record_count(st_unit_rec, CORDON__ENTRY_FAILURE), 0u);
    EXPECT_NULL(cordon__record_first(st_unit_rec, CORDON__ENTRY_SKIP));
    EXPECT_EQ(atomic_load(&st_unit_rec->reserved), 0u);
}

UNIT_TEST(record_cuts_long_text_with_a_mark)
{
    char text[CORDON__RECORD_TEXT * 2];
    const char *got;
    size_t n;

    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, text);
    got = cordon__record_first(st_unit_rec, CORDON__ENTRY_FAILURE);
    ASSERT_NOT_NULL(got);
    n = strlen(got);
    EXPECT_EQ(n, (size_t)CORDON__RECORD_TEXT - 1);
    EXPECT_STREQ(got + n - 6, " [...]");
    /* Exactly what fits is kept whole. */
    cordon__record_reset(st_unit_rec);
    text[CORDON__RECORD_TEXT - 1] = '\0';
    cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, text);
    EXPECT_STREQ(cordon__record_first(st_unit_rec, CORDON__ENTRY_FAILURE), text);
}

UNIT_TEST(record_counts_the_entries_it_has_no_room_for)
{
    for (int i = 0; i < CORDON__RECORD_ENTRIES + 5; i++)
        cordon__record_add(st_unit_rec, CORDON__ENTRY_FAILURE, "f");
    EXPECT_EQ(cordon__record_count(st_unit_rec, CORDON__ENTRY_FAILURE),
              (unsigned)CORDON__RECORD_ENTRIES);
    EXPECT_EQ(atomic_load(&st_unit_rec->dropped), 5u);
}

TEST(outcome_unit, words_and_what_counts_as_failed)
{
    static const struct {
        enum cordon_outcome o;
        const char *word;
        bool failed;
    } all[] = {
        {CORDON_OUTCOME_PASS, "PASS", false},
        {CORDON_OUTCOME_FAIL, "FAIL", true},
        {CORDON_OUTCOME_CRASH, "CRASH", true},
        {CORDON_OUTCOME_TIMEOUT, "TIMEOUT", true},
        {CORDON_OUTCOME_SKIP, "SKIP", false},
        {CORDON_OUTCOME_EXIT, "EXIT", true},
        {CORDON_OUTCOME_INTERRUPTED, "INTERRUPTED", true},
        {CORDON_OUTCOME_ERROR, "ERROR", true},
    };

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        EXPECT_STREQ(cordon__outcome_word(all[i].o), all[i].word);
        EXPECT_EQ(cordon__outcome_failed(all[i].o), all[i].failed, "%s",
                  all[i].word);
    }
}

UNIT_TEST(resource_limits_name_themselves)
{
    char reason[256];
    struct cordon__ending e = {.signaled = true, .signal = SIGXCPU,
                               .limits = {.cpu = 2}};
    struct cordon_test_options expects_xcpu = plain;

    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_TIMEOUT);
    EXPECT_STREQ(reason, "exceeded the cpu limit 2 s (killed by SIGXCPU)");
    /* An expected SIGXCPU stays expected. */
    expects_xcpu.signal = SIGXCPU;
    EXPECT_EQ(classify(&e, &expects_xcpu, reason), CORDON_OUTCOME_PASS);
    /* Without a cpu limit, SIGXCPU is a crash like any other signal. */
    e.limits.cpu = 0;
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGXCPU (CPU time limit exceeded)");
    e = (struct cordon__ending){.signaled = true, .signal = SIGXFSZ,
                                .limits = {.file_size = 1 << 20,
                                           .memory = 64 << 20}};
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGXFSZ (File size limit exceeded) at "
                         "the file size limit 1 MiB");
    e = killed_abrt;
    e.limits.memory = 64 << 20;
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGABRT (Aborted) under the memory limit "
                         "64 MiB");
    e.limits.memory = 1000;
    EXPECT_EQ(classify(&e, &plain, reason), CORDON_OUTCOME_CRASH);
    EXPECT_STREQ(reason, "killed by SIGABRT (Aborted) under the memory limit "
                         "1000 bytes");
}
