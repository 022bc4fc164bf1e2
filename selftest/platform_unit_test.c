// SPDX-License-Identifier: MIT
// platform_unit_test.c — unit tests of the platform layer a worker leans
// on: listing its children (through /proc/self/task/PID/children, and
// through the process table where that file is missing), and telling a
// stopped child from a running one or a zombie.
#include <cordon.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "supervise/supervise.h"
#include "support.h"

static pid_t
sleeper(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static bool
listed(const pid_t *pids, size_t n, pid_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (pids[i] == pid)
            return true;
    return false;
}

/* A test process is a worker's child here, and has no child of its own
 * until it makes some. */
TEST(platform_unit, children_are_listed_both_ways)
{
    ST_NEEDS_SUBREAPER();
    pid_t a, b, pids[8];
    int fd;
    size_t n;

#ifndef __linux__
    SKIP("children are listed on Linux only");
#endif
    a = sleeper();
    b = sleeper();
    fd = cordon__platform_children_open();
    ASSERT_GT(a, 0);
    ASSERT_GT(b, 0);
    n = cordon__platform_children(fd, pids, 8);
    EXPECT_EQ(n, (size_t)2);
    EXPECT_TRUE(listed(pids, n, a) && listed(pids, n, b));
    /* -1: as on a kernel without the children file. */
    n = cordon__platform_children(-1, pids, 8);
    EXPECT_EQ(n, (size_t)2);
    EXPECT_TRUE(listed(pids, n, a) && listed(pids, n, b));
    /* More children than room: the count is still right. */
    EXPECT_EQ(cordon__platform_children(fd, pids, 1), (size_t)2);
    kill(a, SIGKILL);
    kill(b, SIGKILL);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    EXPECT_EQ(cordon__platform_children(fd, pids, 8), (size_t)0);
    if (fd >= 0)
        close(fd);
}

/* track polls cordon__slot_stopped until *since is set (or cleared, as
 * want_stopped says), for at most a second. */
static void
track(pid_t pid, double *since, bool want_stopped)
{
    struct timespec ms = {0, 1000000L};

    for (int i = 0; i < 1000; i++) {
        cordon__slot_stopped(pid, since);
        if ((*since > 0) == want_stopped)
            return;
        nanosleep(&ms, NULL);
    }
}

TEST(platform_unit, a_stopped_child_is_seen_without_proc)
{
    double since = 0;
    pid_t pid = sleeper();

    ASSERT_GT(pid, 0);
    cordon__slot_stopped(pid, &since);
    EXPECT_TRUE(since == 0, "a running child is not stopped");
    kill(pid, SIGSTOP);
    track(pid, &since, true);
    EXPECT_TRUE(since > 0, "a stopped child is seen stopped");
    kill(pid, SIGCONT);
    track(pid, &since, false);
    EXPECT_TRUE(since == 0, "a continued child is running again");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}
