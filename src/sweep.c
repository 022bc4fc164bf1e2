// SPDX-License-Identifier: MIT
// sweep.c — ending a contained process and everything it left behind:
// kill its process group while its zombie still holds the pgid, reap it,
// then (in a reaper of orphans: a worker, or the keeper of an isolated
// call) find, kill and reap whatever was re-parented here, round by round,
// until no child is left. Shared by worker.c (after each test) and
// isolate.c (after each isolated call), so both contain alike.
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

/* How many left-behind processes one look at the children handles. */
#define MAX_SEEN 256

/* reap_orphans reaps every child that has ended and counts those the
 * sweep's SIGKILL ended: each of them was still running when its test
 * ended. One that ended by itself is no leftover, only an unreaped
 * zombie. Returns -1 when no child is left at all. */
static int
reap_orphans(unsigned *left)
{
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, WNOHANG);

        if (r > 0) {
            if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
                (*left)++;
            continue;
        }
        if (r == -1 && errno == EINTR)
            continue;
        return r == -1 ? -1 : 0;
    }
}

/* The group is killed while the zombie of pid holds the pgid, so the id
 * cannot have been reused; its members, re-parented here when pid ended,
 * are then reaped. Its other descendants (new groups, new sessions) have
 * been re-parented here too: they are found, killed and reaped round by
 * round (each round re-parents the next generation) until no child is
 * left. Most processes leave nothing: then this is one kill and two
 * waits. */
unsigned
cordon__sweep(pid_t pid, int *status, bool reaper, int children_fd)
{
    pid_t kids[MAX_SEEN];
    unsigned left = 0;

    kill(-pid, SIGKILL);
    while (waitpid(pid, status, 0) == -1 && errno == EINTR)
        ;
    if (!reaper)
        return 0;
    while (reap_orphans(&left) == 0) {
        size_t n = cordon__platform_children(children_fd, kids, MAX_SEEN);

        for (size_t i = 0; i < n && i < MAX_SEEN; i++)
            cordon__child_kill(kids[i], SIGKILL);
        if (n == 0) {
            /* Children exist but cannot be listed: wait for them. */
            int st;

            if (waitpid(-1, &st, 0) > 0 && WIFSIGNALED(st) &&
                WTERMSIG(st) == SIGKILL)
                left++;
        } else {
            struct timespec ts = {0, 1000000L};

            /* Killed ones take a moment to become zombies. */
            nanosleep(&ts, NULL);
        }
    }
    return left;
}
