// SPDX-License-Identifier: MIT
// platform.h — the contract of supervise/platform_linux.c and
// supervise/platform_posix.c, one of which is built: what only some
// systems can do for a test process, a worker or the coordinator (die with
// the parent, adopt orphans, list children).
#ifndef CORDON_PLATFORM_H
#define CORDON_PLATFORM_H

#include "common.h"

/* ---- platform_linux.c / platform_posix.c ---- */

/* cordon__platform_child_init does what only some systems can for a new
 * test process (on Linux: die with its worker). Never fails. */
void cordon__platform_child_init(void);
/* cordon__platform_worker_init makes a worker the reaper of everything its
 * tests leave behind, and makes it die with the coordinator, where the
 * system can (Linux: PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG). Returns
 * whether orphans are re-parented to the worker. */
bool cordon__platform_worker_init(void);
/* cordon__platform_children_open opens what _children reads (-1 when
 * there is nothing to open: it then falls back, or knows nothing). */
int cordon__platform_children_open(void);
/* cordon__platform_children lists up to max children of this process,
 * zombies included, into pids and returns how many there are (0 where the
 * system cannot tell). fd is from _children_open. */
size_t cordon__platform_children(int fd, pid_t *pids, size_t max);
/* cordon__platform_dontfork keeps the mapping [addr, addr + len) out of
 * the processes this one forks from now on (hide), or gives it to them
 * again; false where the system refuses (Linux: MADV_DONTFORK). Advice
 * taken may still be ignored (qemu-user): _dontfork_works says whether it
 * is followed. A child that never had the supervisor's shared memory
 * costs nothing to keep from it: unmapping it there costs tens of
 * microseconds a test. */
bool cordon__platform_dontfork(void *addr, size_t len, bool hide);
/* cordon__platform_dontfork_works says _dontfork keeps a mapping out of a
 * child here; found once per process (a fork), and inherited: the
 * coordinator asks before it forks the workers, so they never fork to
 * find out. */
bool cordon__platform_dontfork_works(void);
/* cordon__platform_pidfd opens a descriptor that becomes readable when
 * child pid ends (Linux 5.3's pidfd_open; close-on-exec), so a wait on it
 * needs no SIGCHLD: a thread of the test's or a suite's once may take that
 * signal, or the disposition may drop it. -1 where there is none. */
int cordon__platform_pidfd(pid_t pid);
/* cordon__platform_reaper_begin makes the coordinator a reaper of orphans
 * for the run, where the system can (Linux: PR_SET_CHILD_SUBREAPER);
 * false where it cannot. _end gives back what it had before. */
bool cordon__platform_reaper_begin(void);
void cordon__platform_reaper_end(void);

#endif /* CORDON_PLATFORM_H */
