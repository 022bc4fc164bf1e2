// SPDX-License-Identifier: MIT
// bench.h — the benchmark's table: its rows (what was run, how often, what
// it measured), the figures derived from them, and the two ways it is
// written out, as a console table and as JSON (table.c).
#ifndef CORDON_BENCH_H
#define CORDON_BENCH_H

#include "measure.h"

#include <stdio.h>

#define BENCH_MAX_ROWS 40
#define BENCH_MAX_RUNS 9
#define BENCH_MAX_COMPARISONS 16

/* Values of bench_row.jobs besides a -j count: the framework picks, or the
 * row is not a run of tests. */
#define BENCH_JOBS_DEFAULT 0
#define BENCH_JOBS_NONE (-1)

/**
 * struct bench_row - one line of the table.
 * @name:     what is timed; rows of one series share it and differ in @n
 *            or @jobs.
 * @n:        tests, or rounds of fork for the floor.
 * @jobs:     the -j given, or BENCH_JOBS_DEFAULT / BENCH_JOBS_NONE.
 * @floor:    this row is the floor at its N.
 * @vs_floor: show the ratio to the floor at the same N.
 * @cmd:      how to run it; cmd.argv[0] is NULL for a row with only a note.
 * @runs:     runs measured; 0 when the row has only a note.
 * @wall:     their wall times, sorted once the row is done.
 * @cpu:      CPU seconds of the fastest run.
 * @peak_kib, @runner_kib, @left, @junit_bytes: the worst over the runs
 *            (see struct bench_sample), -1 when not measured.
 * @minflt:   the fewest minor page faults of a run (see struct
 *            bench_sample), -1 when not measured.
 * @shards:   0, or the row runs its command as that many shards, one
 *            after another, each a run of its own (its args[@shard_arg]
 *            set to K/N); a run's wall time is then its slowest shard's.
 * @shard_arg: which argument is the --shard value.
 * @spread:   of a sharded row, the slowest shard's time over the mean
 *            shard's, in its fastest run.
 * @note:     why the row has no numbers (not installed, failed, skipped).
 */
struct bench_row {
    char name[48];
    long n;
    int jobs;
    bool floor;
    bool vs_floor;
    struct bench_command cmd;
    char args[BENCH_MAX_ARGS][1024];
    char log[1024];
    int runs;
    double wall[BENCH_MAX_RUNS];
    double cpu;
    long peak_kib, runner_kib, left, junit_bytes;
    long minflt;
    int shards;
    int shard_arg;
    double spread;
    char note[512];
};

/* A figure derived from two rows: a speedup or a ratio of times. */
struct bench_comparison {
    char name[96];
    double value;
};

/**
 * struct bench_table - everything one benchmark run reports.
 * @runs:   the most runs a row gets (slow rows get fewer).
 * @cpus:   online CPUs.
 * @cpu, @kernel: the CPU model and the kernel, for the header.
 * @load_start, @load_end: the 1-minute load average before and after,
 *          -1 when unknown; a busy machine explains a wide spread.
 */
struct bench_table {
    struct bench_row rows[BENCH_MAX_ROWS];
    int nrows;
    struct bench_comparison comparisons[BENCH_MAX_COMPARISONS];
    int ncomparisons;
    int runs;
    long cpus;
    char cpu[256];
    char kernel[512];
    double load_start, load_end;
};

/* The fastest, median and slowest run of a measured row. */
double bench_best(const struct bench_row *r);
double bench_median(const struct bench_row *r);
double bench_worst(const struct bench_row *r);

/* bench_faults_per_test is a row's minor page faults over its N, or -1
 * when not measured or not a run of tests. */
double bench_faults_per_test(const struct bench_row *r);

/* bench_floor_ratio is a row's best over the best of the floor at its N,
 * or 0 when the row is not compared with the floor or there is none. */
double bench_floor_ratio(const struct bench_table *t,
                         const struct bench_row *r);

/* bench_print writes the table for a reader; bench_write_json writes it
 * to path for a program (0, or -1 with the error on stderr). */
void bench_print(const struct bench_table *t, FILE *out);
int bench_write_json(const struct bench_table *t, const char *path);

#endif
