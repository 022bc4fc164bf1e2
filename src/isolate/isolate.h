// SPDX-License-Identifier: MIT
// isolate.h — cordon_isolate()'s keeper: one call contained as a test is,
// without the runner; started, watched and collected in steps, so that one
// caller can have several in flight (each.c).
#ifndef CORDON_ISOLATE_INTERNAL_H
#define CORDON_ISOLATE_INTERNAL_H

#include "common.h"

/* The default time limit of an isolated call, in seconds. */
#define CORDON__ISOLATE_TIMEOUT 10.0
/* The most text of a crash's frames an isolated call reports. */
#define CORDON__ISOLATE_BACKTRACE 16384

struct cordon__isolate_shared;
struct cordon__isolate_fnside;

/* One isolated call, as the caller holds it from open to close. Functions
 * return 0 or a positive value on success, -1 with errno set on failure,
 * unless stated. */
struct cordon__isolate_call {
    struct cordon__isolate_shared *sh;  /* the keeper's word */
    struct cordon__isolate_fnside *fs;  /* the function's */
    void *data;       /* the data buffer, NULL = none */
    size_t data_size;
    size_t output_limit;
    double timeout;   /* 0 = none */
    int out_fd;       /* capture files */
    int err_fd;
    bool backtrace;   /* capture and name a crash's frames */
    uintptr_t stop;   /* the function: the frames shown end with it */
    int token;        /* what its function's process writes on return */
    /* The other calls in flight (cordon_isolate_each): their descriptors
     * are closed and their memory unmapped in this call's keeper, so its
     * function reaches none of them. */
    struct cordon__isolate_call *const *others;
    size_t nothers;
    pid_t keeper;
    int pidfd;        /* readable when the keeper ends, -1 = none */
    double began;     /* when the keeper was forked (cordon__now) */
    double limit;     /* when a keeper still running is killed, 0 = never */
    double stopped;   /* since when the keeper is stopped, 0 = running */
    long pause_us;    /* the next pause of a wait without a pidfd */
};

/* cordon__isolate_open makes a call's shared memory and capture files;
 * backtrace asks for a crash's frames, named, ending at stop. */
int cordon__isolate_open(struct cordon__isolate_call *c,
                         const struct cordon_isolate_options *opts,
                         bool backtrace, uintptr_t stop);
/* cordon__isolate_fork forks the keeper: returns 1 in the function's
 * process (which must end through cordon__isolate_leave), 0 in the
 * caller. */
int cordon__isolate_fork(struct cordon__isolate_call *c);
/* cordon__isolate_poll says whether the keeper has ended (1: reaped, or
 * killed for overrunning its limit) or not yet (0), without blocking; it
 * continues a keeper stopped for CORDON__STOP_LIMIT. */
int cordon__isolate_poll(struct cordon__isolate_call *c);
/* cordon__isolate_next_ms is how long a wait may sleep before the call
 * needs polling again, in milliseconds (at most CORDON__SLOT_TICK). */
int cordon__isolate_next_ms(struct cordon__isolate_call *c);
/* cordon__isolate_collect fills out from what an ended call's keeper left
 * (out holds nothing to free on failure). */
int cordon__isolate_collect(const struct cordon__isolate_call *c,
                            struct cordon_isolated *out);
/* cordon__isolate_abandon kills a call's keeper and function, reaps the
 * keeper and closes the call, whatever state it is in. */
void cordon__isolate_abandon(struct cordon__isolate_call *c);
/* cordon__isolate_close frees what _open made (safe on a closed call). */
void cordon__isolate_close(struct cordon__isolate_call *c);
/* cordon__isolate_leave ends the function's process after it returned. */
_Noreturn void cordon__isolate_leave(void);
/* cordon__isolate_warm_up prepares, once per caller process, what a
 * keeper would otherwise load for every call (the unwinder). */
void cordon__isolate_warm_up(void);

#endif /* CORDON_ISOLATE_INTERNAL_H */
