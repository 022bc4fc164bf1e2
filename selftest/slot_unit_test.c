// SPDX-License-Identifier: MIT
// slot_unit_test.c — unit test of a job slot's renewal, what the posix
// stand-in does after every test (cordon__slot_renew): the next test gets
// a record and stdout and stderr files the last one never had, so a
// helper of its that escaped writes where no test reads. Run here, in a
// test process, on a slot of its own; its own stdout, stderr and crash
// record are put back after.
#include <cordon.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testproc/testproc.h"
#include "supervise/supervise.h"
#include "support.h"

TEST(slot_unit, a_renewed_slot_has_new_files_and_a_new_record)
{
    int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
    struct cordon__slot s = {.record = cordon__record_map()};
    struct cordon__record *old = s.record;
    struct stat before[2], after[2];
    bool renewed;

    ASSERT_NOT_NULL(old);
    ASSERT_GE(out, 0);
    ASSERT_GE(err, 0);
    fstat(STDOUT_FILENO, &before[0]);
    fstat(STDERR_FILENO, &before[1]);
    cordon__slot_renew(&s);
    fstat(STDOUT_FILENO, &after[0]);
    fstat(STDERR_FILENO, &after[1]);
    renewed = s.record != old;
    /* Back to this test's own, before any check can print. */
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    close(out);
    close(err);
    cordon__backtrace_use(cordon__record_current);
    EXPECT_TRUE(renewed, "the slot kept its record");
    EXPECT_TRUE(before[0].st_ino != after[0].st_ino, "the same stdout file");
    EXPECT_TRUE(before[1].st_ino != after[1].st_ino, "the same stderr file");
    EXPECT_TRUE(after[0].st_ino != after[1].st_ino,
                "stdout and stderr share a file");
    cordon__record_unmap(s.record);
}
