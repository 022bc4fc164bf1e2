// SPDX-License-Identifier: MIT
// measure.h — one timed run of a program for the benchmark: its wall time,
// the CPU time, page faults and peak memory of it and of every process it
// waited for, the runner's own peak memory, and what it left in a private
// TMPDIR.
#ifndef CORDON_BENCH_MEASURE_H
#define CORDON_BENCH_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#define BENCH_MAX_ARGS 8

/**
 * struct bench_command - what to run and how.
 * @argv:   the program (a path) and its arguments, NULL-terminated.
 * @junit:  add "--junit DIR/r.xml" and check that the report was written.
 * @log:    file that receives the program's stdout and stderr.
 * @probe:  library to preload to learn the program's own peak RSS (see
 *          rss_linux.c), or NULL.
 * @limit:  seconds after which the program is killed and the run fails.
 */
struct bench_command {
    char *argv[BENCH_MAX_ARGS + 1];
    bool junit;
    const char *log;
    const char *probe;
    unsigned limit;
};

/**
 * struct bench_sample - the result of one run.
 * @wall:        seconds from starting the program to reaping it.
 * @cpu:         user + system seconds of it and its reaped descendants.
 * @peak_kib:    the largest peak RSS among it and its reaped descendants.
 * @minflt:      minor page faults of it and its reaped descendants, each
 *               test process and each fork of the floor among them.
 * @runner_kib:  its own peak RSS, -1 when the probe did not report.
 * @left:        entries left in its TMPDIR and beside its JUnit report.
 * @junit_bytes: size of the JUnit report, -1 when none was asked for,
 *               0 when it is missing.
 */
struct bench_sample {
    double wall;
    double cpu;
    long peak_kib;
    long minflt;
    long runner_kib;
    long left;
    long junit_bytes;
};

/* bench_measure runs cmd once, in a fresh private directory whose tmp/
 * subdirectory is its TMPDIR, and fills *s. Returns 0 when the program
 * exited with status 0, else -1 with the reason in why. */
int bench_measure(const struct bench_command *cmd, struct bench_sample *s,
                  char *why, size_t why_size);

/* bench_now is CLOCK_MONOTONIC in seconds. */
double bench_now(void);

#endif
