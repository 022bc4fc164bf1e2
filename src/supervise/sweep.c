// SPDX-License-Identifier: MIT
// sweep.c — ending a contained process and everything it left behind:
// kill its process group while its zombie still holds the pgid, reap it,
// then (in a reaper of orphans: a worker, a suite holder, the keeper of an
// isolated call) find, kill and reap whatever was re-parented here, round
// by round, until no child is left but those the caller keeps (a suite's
// fixture processes). It never blocks on what it cannot see: where the
// children cannot be listed (no /proc) it waits a bounded time for them
// and says it gave up. Also the coordinator's sweep of strays, which
// reaps what a dead worker had adopted.
#include "supervise/supervise.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

/* How many left-behind processes one look at the children handles. */
#define MAX_SEEN 256

static bool
kept(const pid_t *keep, size_t nkeep, pid_t pid)
{
    for (size_t i = 0; i < nkeep; i++)
        if (keep[i] == pid)
            return true;
    return false;
}

/* reap_orphans reaps every child that has ended and counts those the
 * sweep's SIGKILL ended: each of them was still running when its test
 * ended. One that ended by itself is no leftover, only an unreaped
 * zombie; nor is a kept one. Returns -1 when no child is left at all.
 * Only where every child is the sweep's to reap (a worker's): a suite
 * holder's process has children of its own that are not. */
static int
reap_orphans(const struct cordon__sweep *s, unsigned *left)
{
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, WNOHANG);

        if (r > 0) {
            if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL &&
                !kept(s->keep, s->nkeep, r))
                (*left)++;
            continue;
        }
        if (r == -1 && errno == EINTR)
            continue;
        return r == -1 ? -1 : 0;
    }
}

static void
pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};

    nanosleep(&ts, NULL);
}

/* is_victim says child is the sweep's: not kept, and not in the group it
 * spares (a suite holder's own, where what its once and its threads
 * started lives). */
static bool
is_victim(const struct cordon__sweep *s, pid_t child)
{
    if (kept(s->keep, s->nkeep, child))
        return false;
    return s->spare_group == 0 || getpgid(child) != s->spare_group;
}

/* GCC 12's -fanalyzer, after the realloc() of kids, takes the NULL mine
 * starts as for a freed pointer and reports its free() as double: a
 * false positive (mine is freed once, then set again by malloc). */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-double-free"
#endif
/* sweep_by_pid is the sweep of a process with children that are not the
 * sweep's (a suite holder): only the listed victims are killed and reaped,
 * each by its pid, never by waitpid(-1). Returns false when the children
 * cannot be listed. */
static bool
sweep_by_pid(struct cordon__sweep *s, double give_up)
{
    pid_t small[MAX_SEEN], *kids = small, *mine = NULL;
    size_t room = MAX_SEEN;

    if (s->children_fd < 0)
        return false;
    for (;;) {
        size_t n = cordon__platform_children(s->children_fd, kids, room);
        size_t victims = 0;

        if (n > room) {
            /* More children than fit (a suite with hundreds of fixture
             * processes): every one must be looked at. */
            pid_t *more = realloc(kids == small ? NULL : kids,
                                  2 * n * sizeof *more);

            if (more == NULL)
                break;
            kids = more;
            room = 2 * n;
            continue;
        }
        if (n == 0)
            break;
        free(mine);
        mine = malloc(n * sizeof *mine);
        if (mine == NULL)
            break;
        for (size_t i = 0; i < n; i++)
            if (is_victim(s, kids[i])) {
                cordon__child_kill(kids[i], SIGKILL);
                mine[victims++] = kids[i];
            }
        if (victims == 0)
            break;
        pause_ms(1); /* killed ones take a moment to become zombies */
        for (size_t i = 0; i < victims; i++) {
            int st;

            if (waitpid(mine[i], &st, WNOHANG) == mine[i] &&
                WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
                s->left++;
        }
        if (cordon__now() >= give_up) {
            s->unfound = true;
            break;
        }
    }
    if (kids != small)
        free(kids);
    free(mine);
    return true;
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic pop
#endif

/* reap_ended_before reaps, uncounted, the children re-parented here from
 * groups other than pid's that had ended before pid's sweep began (a
 * cordon_isolate() function that died with the keeper it killed): they
 * were not left running. Members of pid's group may have ended by this
 * worker's kill of the group (a timeout): the sweep counts those. Only
 * where the children are listed by one read; elsewhere they count as
 * left. */
static void
reap_ended_before(const struct cordon__sweep *s, pid_t pid)
{
    pid_t kids[MAX_SEEN];
    size_t n;

    if (s->children_fd < 0)
        return;
    n = cordon__platform_children(s->children_fd, kids, MAX_SEEN);
    for (size_t i = 0; i < n && i < MAX_SEEN; i++)
        if (kids[i] != pid && is_victim(s, kids[i]) &&
            getpgid(kids[i]) != pid)
            while (waitpid(kids[i], NULL, WNOHANG) == -1 && errno == EINTR)
                ;
}

/* The group is killed while the zombie of pid holds the pgid, so the id
 * cannot have been reused; its members, re-parented here when pid ended,
 * are then reaped. Its other descendants (new groups, new sessions) have
 * been re-parented here too: they are found, killed and reaped round by
 * round (each round re-parents the next generation) until no child is
 * left but the kept ones. Most processes leave nothing: then this is one
 * kill and two waits. Bounded by CORDON__SWEEP_LIMIT: what is still there
 * then is given up (unfound). */
void
cordon__sweep(pid_t pid, int *status, struct cordon__sweep *s)
{
    double give_up = -1;

    s->left = 0;
    s->unfound = false;
    if (s->reaper)
        reap_ended_before(s, pid);
    kill(-pid, SIGKILL);
    while (waitpid(pid, status, 0) == -1 && errno == EINTR)
        ;
    if (!s->reaper)
        return;
    give_up = cordon__now() + CORDON__SWEEP_LIMIT;
    if (s->spare_group != 0) {
        /* Without a list of its children, a holder cannot tell a test's
         * leftover from its own: they are swept with it. */
        sweep_by_pid(s, give_up);
        return;
    }
    while (reap_orphans(s, &s->left) == 0) {
        pid_t kids[MAX_SEEN];
        size_t n = cordon__platform_children(s->children_fd, kids, MAX_SEEN);
        size_t victims = 0;

        for (size_t i = 0; i < n && i < MAX_SEEN; i++)
            if (is_victim(s, kids[i])) {
                cordon__child_kill(kids[i], SIGKILL);
                victims++;
            }
        if (n > 0 && victims == 0)
            return; /* only the kept ones are left */
        if (cordon__now() >= give_up) {
            s->unfound = true;
            return;
        }
        /* Killed ones take a moment to become zombies; children that
         * cannot be listed, a moment to end by themselves. */
        pause_ms(n > 0 ? 1 : 10);
    }
}

unsigned
cordon__sweep_strays(const pid_t *keep, size_t nkeep)
{
    unsigned killed = 0;

    /* Each round kills what is there now; its victims' own children are
     * re-parented here for the next. Bounded: a fork bomb outpacing the
     * rounds is left to the process limit. */
    for (int round = 0; round < 64; round++) {
        pid_t kids[MAX_SEEN];
        size_t n = cordon__platform_children(-1, kids, MAX_SEEN);
        unsigned now = 0;

        for (size_t i = 0; i < n && i < MAX_SEEN; i++) {
            if (kept(keep, nkeep, kids[i]))
                continue;
            cordon__child_kill(kids[i], SIGKILL);
            while (waitpid(kids[i], NULL, 0) == -1 && errno == EINTR)
                ;
            now++;
        }
        if (now == 0)
            break;
        killed += now;
    }
    return killed;
}
