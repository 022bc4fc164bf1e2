// SPDX-License-Identifier: MIT
// each.c — cordon_isolate_each(): n isolated calls, up to jobs of them at
// once, each contained exactly as one cordon_isolate() is (isolate.c: its
// own keeper, group, timeout, sweep and capture), their results handed to
// the caller in index order. The caller's thread does all of it: it starts
// calls while slots are free, sleeps in poll() on the keepers' pidfds (or,
// without them, in short pauses), collects each ended call into a window
// of results, and hands the window's head to on_result as soon as it is
// there. Nothing here changes the caller's signal state or waits for any
// process but its own keepers, by pid.
#include "isolate/isolate.h"
#include "testproc/testproc.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The most calls in flight, whatever jobs asks: three descriptors each. */
#define MAX_JOBS 1024
/* Results that ended before an earlier one wait for it, at most this many
 * per job; then no call starts until the earlier one ends. */
#define WINDOW_PER_JOB 64

/* A call in flight. */
struct slot {
    struct cordon__isolate_call call;
    size_t index;
    bool busy;
};

/* A result waiting for its turn. */
struct waiting {
    bool ready;
    struct cordon_isolated r;
};

/* One run of cordon_isolate_each(). */
struct each {
    struct cordon__unwind unwind; /* first: the hook finds the run */
    size_t n;
    void (*fn)(size_t i, void *arg);
    void *arg;
    const struct cordon_isolate_options *opts;
    struct slot *slots;
    unsigned jobs;
    unsigned running;
    struct waiting *window;
    size_t width;
    size_t next_start;   /* the next index to start */
    size_t next_deliver; /* the next index on_result gets */
    size_t stop_at;      /* the first index that failed, n = none */
    int error;           /* its errno */
    size_t *again;       /* calls to start again: their keepers could not */
    unsigned nagain;     /* fork them; at most jobs - running */
    size_t ended;        /* calls collected so far */
    bool blocked;        /* a start failed for want of processes, memory */
    size_t ended_at_block; /* or descriptors: retried once a call ends */
    double retry_at;     /* or at this time (cordon__now) */
    double backoff;      /* the next pause after a failed retry */
    double stalled;      /* since when no call has run (a keeper that could
                          * not fork its function ran none), 0 = never */
    struct cordon__isolate_call **others; /* the other calls in flight */
    struct pollfd *polls;
};

/* A start that fails for want of resources with nothing running is tried
 * again after a pause that starts at BACKOFF_FIRST and doubles up to
 * BACKOFF_MAX, as shells retry a fork (the processes the limit counts may
 * be the caller's others); the run fails after STALL_LIMIT seconds of it.
 * With calls running, the first that ends retries it at once. */
#define BACKOFF_FIRST 0.001
#define BACKOFF_MAX 0.1
#define STALL_LIMIT 2.0

/* retryable says a call that could not start may once another ends: the
 * system was out of processes, memory or descriptors for a moment. */
static bool
retryable(int err)
{
    return err == EAGAIN || err == ENOMEM || err == EMFILE || err == ENFILE;
}

/* fail notes that call index failed with err; none from it on is handed
 * over. */
static void
fail(struct each *e, size_t index, int err)
{
    if (index < e->stop_at) {
        e->stop_at = index;
        e->error = err;
    }
}

/* others lists, for slot s's keeper, the other calls in flight; returns
 * how many. */
static size_t
others(struct each *e, const struct slot *s)
{
    size_t k = 0;

    for (unsigned j = 0; j < e->jobs; j++)
        if (e->slots[j].busy && &e->slots[j] != s)
            e->others[k++] = &e->slots[j].call;
    return k;
}

/* start_one starts call index in slot s: 1 in the function's process
 * (which runs it and ends), 0 in the caller, -1 with errno set. */
static int
start_one(struct each *e, struct slot *s, size_t index)
{
    int rc, err;

    if (cordon__isolate_open(&s->call, e->opts, true, (uintptr_t)e->fn) != 0)
        return -1;
    s->call.others = e->others;
    s->call.nothers = others(e, s);
    rc = cordon__isolate_fork(&s->call);
    if (rc == 1) {
        e->fn(index, e->arg);
        cordon__isolate_leave();
    }
    if (rc < 0) {
        err = errno;
        cordon__isolate_close(&s->call);
        errno = err;
        return -1;
    }
    s->index = index;
    s->busy = true;
    e->running++;
    return 0;
}

/* blocked_now notes that a start failed with err, retryable: the next
 * try comes when a call ends, or after the backoff; with nothing running
 * and no call run for STALL_LIMIT, call index fails. */
static void
blocked_now(struct each *e, size_t index, int err)
{
    double now = cordon__now();

    e->blocked = true;
    e->ended_at_block = e->ended;
    e->retry_at = now + e->backoff;
    e->backoff = e->backoff * 2 < BACKOFF_MAX ? e->backoff * 2 : BACKOFF_MAX;
    if (e->running > 0)
        return;
    if (e->stalled == 0) {
        e->stalled = now;
    } else if (now - e->stalled >= STALL_LIMIT) {
        e->blocked = false;
        fail(e, index, err);
    }
}

/* next_index picks the call to start next: the lowest one to start again,
 * else the next new one; false when none may start. */
static bool
next_index(struct each *e, size_t *index, unsigned *again_at)
{
    if (e->nagain > 0) {
        unsigned low = 0;

        for (unsigned k = 1; k < e->nagain; k++)
            if (e->again[k] < e->again[low])
                low = k;
        *index = e->again[low];
        *again_at = low;
        return *index < e->stop_at;
    }
    *again_at = e->nagain;
    *index = e->next_start;
    return e->next_start < e->n && e->next_start < e->stop_at &&
           e->next_start < e->next_deliver + e->width;
}

/* start_more starts calls while a slot is free, the window has room and
 * nothing has failed; after a start failed for want of resources, only
 * once a call has ended or the backoff has passed. */
static void
start_more(struct each *e)
{
    size_t index;
    unsigned at;

    if (e->blocked && e->ended == e->ended_at_block &&
        cordon__now() < e->retry_at)
        return;
    while (e->running < e->jobs && next_index(e, &index, &at)) {
        struct slot *s = e->slots;

        while (s->busy)
            s++;
        if (start_one(e, s, index) != 0) {
            if (retryable(errno))
                blocked_now(e, index, errno);
            else
                fail(e, index, errno);
            return;
        }
        e->blocked = false;
        e->backoff = BACKOFF_FIRST;
        if (at < e->nagain)
            e->again[at] = e->again[--e->nagain];
        else
            e->next_start++;
    }
    /* Calls to start again that come after a failure are dropped. */
    if (e->nagain > 0 && !next_index(e, &index, &at))
        e->nagain = 0;
}

/* wait_some sleeps until a call may have ended (a keeper's pidfd is
 * readable, or a call needs polling). */
static void
wait_some(struct each *e)
{
    int ms = -1;
    nfds_t np = 0;
    bool all_fds = true;

    for (unsigned j = 0; j < e->jobs; j++) {
        struct cordon__isolate_call *c = &e->slots[j].call;
        int t;

        if (!e->slots[j].busy)
            continue;
        t = cordon__isolate_next_ms(c);
        if (ms < 0 || t < ms)
            ms = t;
        if (c->pidfd >= 0)
            e->polls[np++] = (struct pollfd){.fd = c->pidfd,
                                             .events = POLLIN};
        else
            all_fds = false;
    }
    if (e->blocked) {
        double left = e->retry_at - cordon__now();
        int t = left > 0 ? (int)(left * 1000) + 1 : 0;

        if (ms < 0 || t < ms)
            ms = t;
    }
    if (ms < 0)
        return;
    if (np > 0 || all_fds) {
        /* EINTR (a caller's handler ran) only makes the look earlier. */
        poll(e->polls, np, ms);
    } else {
        struct timespec ts = {.tv_sec = ms / 1000,
                              .tv_nsec = (long)(ms % 1000) * 1000000L};

        nanosleep(&ts, NULL);
    }
}

/* reap collects every call that has ended into the window. */
static void
reap(struct each *e)
{
    for (unsigned j = 0; j < e->jobs; j++) {
        struct slot *s = &e->slots[j];
        struct waiting *w;
        int err;

        if (!s->busy || cordon__isolate_poll(&s->call) == 0)
            continue;
        w = &e->window[s->index % e->width];
        err = 0;
        if (cordon__isolate_collect(&s->call, &w->r) == 0) {
            /* A call ran: whatever blocked starts is not for ever. */
            w->ready = true;
            e->ended++;
            e->stalled = 0;
        } else if (retryable(errno) && e->nagain < e->jobs) {
            /* Its keeper could not fork the function: start it again. */
            e->again[e->nagain++] = s->index;
            err = errno;
        } else {
            fail(e, s->index, errno);
        }
        cordon__isolate_close(&s->call);
        s->busy = false;
        e->running--;
        if (err != 0)
            blocked_now(e, s->index, err);
    }
}

/* deliver hands over every result whose turn it is, and frees it. */
static void
deliver(struct each *e,
        void (*on_result)(size_t i, const struct cordon_isolated *r,
                          void *ctx),
        void *ctx)
{
    for (;;) {
        struct waiting *w = &e->window[e->next_deliver % e->width];

        if (e->next_deliver >= e->stop_at || !w->ready)
            return;
        on_result(e->next_deliver, &w->r, ctx);
        cordon_isolated_free(&w->r);
        w->ready = false;
        e->next_deliver++;
    }
}

/* release frees what a run holds, once no call is in flight. */
static void
release(struct each *e)
{
    for (size_t i = 0; e->window != NULL && i < e->width; i++)
        if (e->window[i].ready)
            cordon_isolated_free(&e->window[i].r);
    free(e->slots);
    free(e->window);
    free(e->others);
    free(e->polls);
    free(e->again);
    e->slots = NULL;
    e->window = NULL;
    e->others = NULL;
    e->polls = NULL;
    e->again = NULL;
}

/* abandon runs when a failed ASSERT_ in on_result unwinds past the run
 * (unwind.c): under --no-fork the process goes on, so the calls in flight
 * are killed and reaped and all the run holds is freed first. */
static void
abandon(struct cordon__unwind *u)
{
    struct each *e = (struct each *)(void *)u;

    for (unsigned j = 0; e->slots != NULL && j < e->jobs; j++)
        if (e->slots[j].busy)
            cordon__isolate_abandon(&e->slots[j].call);
    release(e);
}

/* jobs_for is how many calls run at once: jobs (0 = online CPUs), at most
 * n and MAX_JOBS. */
static unsigned
jobs_for(unsigned jobs, size_t n)
{
    if (jobs == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);

        jobs = cpus > 0 ? (unsigned)(cpus < MAX_JOBS ? cpus : MAX_JOBS) : 1;
    }
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > n)
        jobs = (unsigned)n;
    return jobs;
}

int
cordon_isolate_each(size_t n, void (*fn)(size_t i, void *arg), void *arg,
                    const struct cordon_isolate_options *opts, unsigned jobs,
                    void (*on_result)(size_t i,
                                      const struct cordon_isolated *r,
                                      void *ctx),
                    void *ctx)
{
    struct each e = {.unwind = {.run = abandon}, .n = n, .fn = fn,
                     .arg = arg, .opts = opts, .stop_at = n,
                     .backoff = BACKOFF_FIRST};
    int rc = -1;

    if (fn == NULL || on_result == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (n == 0)
        return 0;
    e.jobs = jobs_for(jobs, n);
    e.width = (size_t)e.jobs * WINDOW_PER_JOB < n
                  ? (size_t)e.jobs * WINDOW_PER_JOB : n;
    e.slots = calloc(e.jobs, sizeof *e.slots);
    e.window = calloc(e.width, sizeof *e.window);
    e.others = calloc(e.jobs, sizeof(struct cordon__isolate_call *));
    e.again = calloc(e.jobs, sizeof *e.again);
    e.polls = calloc(e.jobs, sizeof *e.polls);
    if (e.slots == NULL || e.window == NULL || e.others == NULL ||
        e.polls == NULL || e.again == NULL) {
        errno = ENOMEM;
        goto out;
    }
    cordon__isolate_warm_up();
    cordon__unwind_push(&e.unwind);
    while (e.next_deliver < e.stop_at) {
        start_more(&e);
        if (e.running == 0 && !e.blocked && e.next_deliver < e.stop_at &&
            !e.window[e.next_deliver % e.width].ready) {
            /* Nothing runs and nothing could start. */
            fail(&e, e.next_deliver, e.error != 0 ? e.error : EIO);
            break;
        }
        wait_some(&e);
        reap(&e);
        deliver(&e, on_result, ctx);
    }
    /* After a failure: the calls still in flight end by their timeouts;
     * their results are none of on_result's (they come after it). */
    while (e.running > 0) {
        wait_some(&e);
        reap(&e);
    }
    cordon__unwind_pop(&e.unwind);
    rc = e.stop_at == n ? 0 : -1;
    errno = rc == 0 ? errno : e.error;
out:
    release(&e);
    if (rc != 0 && errno == 0)
        errno = EIO;
    return rc;
}
