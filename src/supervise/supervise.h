// SPDX-License-Identifier: MIT
// supervise.h — a job slot and what watches it: the board the coordinator
// and its workers share, a worker, a suite holder, the test in the slot
// (slot.c) and the sweep of what it leaves. These processes block the
// signals they wait for and take them with sigtimedwait; they reap by pid
// or by sweep, never depending on a SIGCHLD disposition.
#ifndef CORDON_SUPERVISE_H
#define CORDON_SUPERVISE_H

#include "common.h"
#include "platform.h"
#include "result/result.h"

#include <signal.h>

/* ---- board.c, and what a worker sends ---- */
/* The board: what the coordinator and its workers share, in a MAP_SHARED
 * mapping made before the workers are forked. Workers take the next test
 * from it themselves, so a coordinator that is busy or stopped never holds
 * a test back; each lane says what one worker is running, so the
 * coordinator can report the test of a worker that died. */
/* lane.pid while the test is being forked: it may already run. */
#define CORDON__LANE_FORKING (-2)

struct cordon__lane {
    atomic_long claim;      /* execution position of the last claim */
    atomic_long index;      /* test running, -1 = none */
    atomic_int pid;         /* its process, 0 = not started yet,
                               CORDON__LANE_FORKING = being forked,
                               -1 = ended, its result being sent */
    atomic_llong since_ns;  /* when the worker started it */
    atomic_uint attempt;    /* its attempt and repetition, from 1: for */
    atomic_uint repetition; /* its result when its supervisor is lost */
    atomic_int once_done;   /* its suite holder has run the suite's once */
    atomic_long handoff;    /* 1 + the test a suite holder took but left to
                               its worker (another suite's), 0 = none */
};

struct cordon__board {
    atomic_long next;    /* next test to hand out */
    atomic_int stop;     /* 0 run, 1 interrupted (grace), 2 kill now */
    atomic_int fatal;    /* errno of a fork that failed with nothing running */
    atomic_long first_failed; /* see cordon__run */
    /* How many lanes there are is no part of it: whoever maps it keeps
     * that in its own memory, as the processes it forks do, so nothing a
     * test's or once's wild write does to the board can make the
     * coordinator read or index past it. */
    struct cordon__lane lanes[];
};

/* What a worker sends the coordinator for each test, whole in one write
 * (smaller than PIPE_BUF, so writes of several workers never interleave). */
enum cordon__message_kind {
    CORDON__MESSAGE_RESULT = 1,   /* result of test index */
    CORDON__MESSAGE_SETUP_FAILED, /* the worker could not set up (error) */
    /* Only when run->tell_starts: */
    CORDON__MESSAGE_STARTED,      /* an attempt of test index starts (result:
                                     lane, attempt, repetition, began) */
    CORDON__MESSAGE_ONCE_STARTED, /* the once of test index's suite starts
                                     (result.lane) */
    CORDON__MESSAGE_ONCE_ENDED,   /* it ended: result has its verdict */
};

struct cordon__message {
    int kind;
    int error;
    long index;
    struct cordon__result result;
};

/* cordon__board_map maps a board of nlanes lanes, all idle; NULL on
 * failure. _unmap takes it away (NULL: nothing). */
struct cordon__board *cordon__board_map(size_t nlanes);
void cordon__board_unmap(struct cordon__board *b, size_t nlanes);
/* cordon__board_size is the bytes a board of nlanes lanes maps. */
size_t cordon__board_size(size_t nlanes);
/* cordon__board_running counts the lanes whose test process runs. */
int cordon__board_running(const struct cordon__board *b, size_t nlanes);

/* worker.c: cordon__worker_main runs tests from the board until none is
 * left or the run stops, sending each result on fd; never returns. */
_Noreturn void cordon__worker_main(struct cordon__run *run,
                                   struct cordon__board *board,
                                   size_t nlanes, size_t lane, int fd);


/* ---- sweep.c ---- */

/* What a sweep may do and what it found. */
struct cordon__sweep {
    bool reaper;       /* orphans are re-parented to this process */
    int children_fd;   /* from cordon__platform_children_open */
    const pid_t *keep; /* children to leave running (a suite's fixture
                          processes), NULL = none */
    size_t nkeep;
    pid_t spare_group; /* a group whose members are left running and never
                          reaped here (a suite holder's own), 0 = none */
    unsigned left;     /* out: processes found still running, all killed */
    bool unfound;      /* out: children are left that could not be listed
                          (no /proc): given up after CORDON__SWEEP_LIMIT */
};
/* How long a sweep waits for children it cannot list, in seconds. */
#define CORDON__SWEEP_LIMIT 5.0
/* cordon__sweep ends contained process pid (a child of this process, in a
 * group of its own) and what it left behind: SIGKILL to its group, reap
 * it into *status, and, when this process is a reaper of orphans, kill
 * and reap every child re-parented here but those s->keep names. Never
 * waits longer than CORDON__SWEEP_LIMIT for what it cannot list. */
void cordon__sweep(pid_t pid, int *status, struct cordon__sweep *s);
/* cordon__sweep_strays kills and reaps every child of this process that
 * is none of the nkeep in keep (the workers, the caller's own children),
 * where children can be listed; returns how many it killed. */
unsigned cordon__sweep_strays(const pid_t *keep, size_t nkeep);

/* ---- slot.c, worker.c, holder.c: one job slot ---- */

struct cordon__board;
struct cordon__lane;
struct cordon__message;
struct cordon__run;

/* How long a supervisor (worker, suite holder, isolate keeper) may stay
 * stopped (its test sent it SIGSTOP) before it is taken for lost. */
#define CORDON__STOP_LIMIT 2.0

/* A job slot as the process supervising it (a worker, or a suite holder
 * forked from it) holds it. */
struct cordon__slot {
    struct cordon__run *run;
    struct cordon__board *board;
    size_t nlanes;   /* the board's, as the coordinator mapped it */
    struct cordon__lane *lane;
    int fd;          /* result pipe */
    int out_fd;      /* capture files (on stdout and stderr) */
    int err_fd;
    int null_fd;
    int children_fd; /* platform_children's file */
    bool subreaper;
    struct cordon__record *record;
    sigset_t waitset; /* SIGCHLD, SIGTERM: blocked, taken by sigtimedwait */
    sigset_t blocked; /* everything the slot's process blocks */
    const pid_t *keep; /* a suite holder's fixture processes */
    size_t nkeep;
    pid_t spare_group; /* a suite holder's own group, 0 in a worker */
    bool retire;     /* a sweep could not find everything: the process ends
                        after its result, its strays with it */
    bool hidden;     /* the board and the spool's end are kept out of the
                        test processes it forks (cordon__slot_hide) */
    const char *engine_tmpdir; /* cordon__engine_tmpdir_base(), read once
                                  here rather than in every test */
    double once_began;   /* a suite holder's once, until its first test's */
    double once_seconds; /* result carries it (0 = none, or given) */
};

/* cordon__slot_capture opens a new capture file onto fd target (1 or 2)
 * of this process, appending, so every test process it forks inherits it
 * as it is; returns target, or -1. */
int cordon__slot_capture(int target);
/* cordon__slot_renew gives the next test a record and capture files of
 * its own, where nothing adopts a test's orphans (the posix stand-in): a
 * helper that escaped keeps the old ones, and what it writes or checks
 * lands where no test reads it. Keeps the old ones if it cannot. */
void cordon__slot_renew(struct cordon__slot *s);

/* cordon__slot_take claims the next test in execution order for this
 * slot and publishes it in its lane in one step (a worker that dies
 * between the two leaves a claim the coordinator can see); false when
 * none is left or the run stops. */
bool cordon__slot_take(struct cordon__slot *s, size_t *index);
/* cordon__slot_run runs test index as often as the run asks (retry.c),
 * sends its result and clears the lane; false when no process could be
 * started with nothing else running (the run cannot go on). */
bool cordon__slot_run(struct cordon__slot *s, size_t index);
/* cordon__slot_spawn starts a process with start(arg) (which forks and
 * returns the child's pid, or -1 with errno set), retrying while tests
 * run: a fork that fails for want of processes succeeds once one of them
 * ends. With nothing running, waiting cannot help: -1. */
pid_t cordon__slot_spawn(struct cordon__slot *s,
                         pid_t (*start)(const void *arg), const void *arg);
/* cordon__slot_no_process fills r for test t, for which no process could
 * be started (errno says why): not run as interrupted when the run stops;
 * else the run cannot go on: the first such error is the board's fatal
 * one, the run stops, and it returns false. */
bool cordon__slot_no_process(struct cordon__slot *s,
                             const struct cordon_impl_test *t,
                             struct cordon__result *r);
/* cordon__slot_hide keeps the board and the spool's end out of the
 * processes this slot's process forks from now on (hide: its tests), or
 * gives them back (a suite holder about to be forked needs them). Where
 * the system cannot, each test unmaps them itself. */
void cordon__slot_hide(struct cordon__slot *s, bool hide);
/* cordon__slot_seal makes the board and the spool's end unreachable in
 * this process (seal: no access at all, so a wild write of the user code
 * it is about to run faults instead of landing there), or gives them back
 * for reading and writing. Returns false when it could not (the user
 * code unmapped them). */
bool cordon__slot_seal(struct cordon__slot *s, bool seal);
/* cordon__slot_send sends one message whole; a slot whose coordinator is
 * gone ends. */
void cordon__slot_send(const struct cordon__slot *s,
                       const struct cordon__message *m);
/* cordon__slot_tell sends, when the run wants to hear of starts
 * (run->tell_starts), a message of kind for test index with r (NULL: an
 * empty result) and the slot's lane. */
void cordon__slot_tell(const struct cordon__slot *s, int kind, size_t index,
                       const struct cordon__result *r);
/* cordon__slot_wait sleeps until child process pidfd (from
 * cordon__platform_pidfd) ends, or until at (-1 = no limit), at most
 * CORDON__SLOT_TICK, so the run's stop is seen; with no pidfd (-1: the
 * system has none), until SIGCHLD or SIGTERM. Spurious wake-ups happen:
 * the caller looks again. */
void cordon__slot_wait(const struct cordon__slot *s, int pidfd, double at);
/* How often, at least, a supervisor waiting on a pidfd looks at the run. */
#define CORDON__SLOT_TICK 0.1
/* cordon__slot_leave ends the slot's process (coverage flushed). */
_Noreturn void cordon__slot_leave(int status);
/* cordon__slot_stopped tracks child pid's stops: *since is when it was
 * first seen stopped (0 = running); a continued child clears it. */
void cordon__slot_stopped(pid_t pid, double *since);
/* cordon__slot_stop_seen updates *since from one report of waitid()'s
 * WSTOPPED | WCONTINUED. */
void cordon__slot_stop_seen(const siginfo_t *info, double *since);

/* A suite whose .once did not let its tests run, and what they get. */
struct cordon__once_verdict {
    enum cordon_outcome outcome;
    int signal;
    char reason[512];
};

/* cordon__holder_run runs test index, the first of a run of suite s's
 * tests, in a new suite holder, which runs s's once and then the suite's
 * tests as the board hands them out. Returns 1 when once let them run
 * (*handoff: the next test to run here, another suite's, -1 = none), 0
 * when it did not (*verdict says what the suite's tests get; index's
 * result is sent), -1 when the run cannot go on. */
int cordon__holder_run(struct cordon__slot *w,
                       const struct cordon_impl_suite *s, size_t index,
                       long *handoff, struct cordon__once_verdict *verdict);

#endif /* CORDON_SUPERVISE_H */
