// SPDX-License-Identifier: MIT
// platform_unit_test.c — unit tests of the platform layer a worker leans
// on: listing its children (through /proc/self/task/PID/children, and
// through the process table where that file is missing), and telling a
// stopped child from a running one or a zombie.
#include <cordon.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
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

TEST(platform_unit, stopped_is_told_from_running_and_zombie)
{
    siginfo_t info;
    pid_t pid;

#ifndef __linux__
    SKIP("process states are read on Linux only");
#endif
    pid = sleeper();
    ASSERT_GT(pid, 0);
    EXPECT_FALSE(cordon__platform_stopped(pid));
    kill(pid, SIGSTOP);
    ASSERT_EQ(waitid(P_PID, (id_t)pid, &info, WSTOPPED), 0);
    EXPECT_TRUE(cordon__platform_stopped(pid));
    kill(pid, SIGKILL);
    ASSERT_EQ(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), 0);
    /* A zombie is not stopped, and neither is a process that is gone. */
    EXPECT_FALSE(cordon__platform_stopped(pid));
    waitpid(pid, NULL, 0);
    EXPECT_FALSE(cordon__platform_stopped(pid));
}
