// SPDX-License-Identifier: MIT
// table.c — the benchmark's table written out (see bench.h): for a reader,
// one line per row with its spread and ratios, then the derived figures;
// for a program, the same as JSON, with null for what was not measured.
#include "bench.h"

#include <math.h>
#include <string.h>
#include <time.h>

double
bench_best(const struct bench_row *r)
{
    return r->wall[0];
}

double
bench_median(const struct bench_row *r)
{
    int m = r->runs / 2;

    return r->runs % 2 ? r->wall[m] : (r->wall[m - 1] + r->wall[m]) / 2;
}

double
bench_worst(const struct bench_row *r)
{
    return r->wall[r->runs - 1];
}

double
bench_faults_per_test(const struct bench_row *r)
{
    if (r->runs == 0 || r->minflt < 0 || r->n <= 0 ||
        r->jobs == BENCH_JOBS_NONE)
        return -1;
    return (double)r->minflt / (double)r->n;
}

double
bench_floor_ratio(const struct bench_table *t, const struct bench_row *r)
{
    if (!r->vs_floor || r->runs == 0)
        return 0;
    for (int i = 0; i < t->nrows; i++)
        if (t->rows[i].floor && t->rows[i].n == r->n && t->rows[i].runs > 0)
            return bench_best(r) / bench_best(&t->rows[i]);
    return 0;
}

static const char *
jobs_text(int jobs, char *buf, size_t size)
{
    if (jobs == BENCH_JOBS_DEFAULT)
        return "auto";
    if (jobs == BENCH_JOBS_NONE)
        return "-";
    snprintf(buf, size, "%d", jobs);
    return buf;
}

/* number writes v into buf, or "-" when it is negative (not measured). */
static const char *
number(long v, char *buf, size_t size)
{
    if (v < 0)
        return "-";
    snprintf(buf, size, "%ld", v);
    return buf;
}

static void
load_text(double load, char *buf, size_t size)
{
    if (load < 0)
        snprintf(buf, size, "?");
    else
        snprintf(buf, size, "%.2f", load);
}

void
bench_print(const struct bench_table *t, FILE *out)
{
    char start[16], end[16];

    load_text(t->load_start, start, sizeof start);
    load_text(t->load_end, end, sizeof end);
    fprintf(out, "cordon bench: %ld CPUs online, %s, %s\n", t->cpus, t->cpu,
            t->kernel);
    fprintf(out, "load average %s before, %s after; up to %d runs a row "
                 "(a slow row fewer: see 'runs')\n\n",
            start, end, t->runs);
    fprintf(out, "%-30s %6s %4s %4s %8s %8s %8s %9s %7s %8s %9s %9s %3s\n",
            "row", "N", "jobs", "runs", "best s", "median s", "max s",
            "us/test", "x floor", "flt/test", "peak KiB", "own KiB", "tmp");
    for (int i = 0; i < t->nrows; i++) {
        const struct bench_row *r = &t->rows[i];
        char jobs[16], ratio[16] = "-", faults[16] = "-", peak[24], own[24],
            left[24];

        if (r->runs == 0) {
            fprintf(out, "%-30s %6ld %4s  %s\n", r->name, r->n,
                    jobs_text(r->jobs, jobs, sizeof jobs), r->note);
            continue;
        }
        if (bench_floor_ratio(t, r) > 0)
            snprintf(ratio, sizeof ratio, "%.2f", bench_floor_ratio(t, r));
        if (bench_faults_per_test(r) >= 0)
            snprintf(faults, sizeof faults, "%.1f", bench_faults_per_test(r));
        fprintf(out,
                "%-30s %6ld %4s %4d %8.3f %8.3f %8.3f %9.1f %7s %8s %9s %9s "
                "%3s\n",
                r->name, r->n, jobs_text(r->jobs, jobs, sizeof jobs), r->runs,
                bench_best(r), bench_median(r), bench_worst(r),
                bench_best(r) / (double)r->n * 1e6, ratio, faults,
                number(r->peak_kib, peak, sizeof peak),
                number(r->runner_kib, own, sizeof own),
                number(r->left, left, sizeof left));
    }
    fprintf(out, "\nx floor: best / best of the bare fork loop at the same N."
                 " flt/test: minor page\nfaults of the program and every "
                 "process it waited for, over N (fewest of a run).\npeak "
                 "KiB: largest peak RSS of the program and of every process "
                 "it waited for;\nown KiB: the program's own. tmp: files "
                 "left in its private TMPDIR or beside its\nreport (must be "
                 "0).\n");
    if (t->ncomparisons > 0)
        fputc('\n', out);
    for (int i = 0; i < t->ncomparisons; i++)
        fprintf(out, "%-66s %6.2f\n", t->comparisons[i].name,
                t->comparisons[i].value);
    for (int i = 0; i < t->nrows; i++) {
        const struct bench_row *r = &t->rows[i];

        if (r->cmd.junit && r->runs > 0)
            fprintf(out, "%s, N=%ld: JUnit report %s, %.1f MiB\n", r->name,
                    r->n,
                    r->junit_bytes > 0 ? "written in every run"
                                       : "MISSING after a run",
                    (double)r->junit_bytes / (1024.0 * 1024.0));
    }
}

static void
json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* json_long writes ", key: v", null when v is negative (not measured). */
static void
json_long(FILE *f, const char *key, long v)
{
    if (v < 0)
        fprintf(f, ", \"%s\": null", key);
    else
        fprintf(f, ", \"%s\": %ld", key, v);
}

static void
json_double(FILE *f, const char *key, const char *format, double v)
{
    fprintf(f, ", \"%s\": ", key);
    if (v < 0)
        fprintf(f, "null");
    else
        fprintf(f, format, v);
}

/* json_command writes the row's command line with the program's
 * directory left out, which is where the build tree happens to be. */
static void
json_command(FILE *f, const struct bench_row *r)
{
    char command[2048] = "";
    size_t used = 0;

    for (int a = 0; r->cmd.argv[a] != NULL && used < sizeof command; a++) {
        const char *slash = strrchr(r->cmd.argv[a], '/');
        int n = snprintf(command + used, sizeof command - used, "%s%s",
                         a ? " " : "",
                         a == 0 && slash != NULL ? slash + 1 : r->cmd.argv[a]);

        if (n > 0)
            used += (size_t)n;
    }
    if (r->cmd.junit && used < sizeof command)
        snprintf(command + used, sizeof command - used, " --junit DIR/r.xml");
    fprintf(f, ", \"command\": ");
    json_string(f, command);
}

static void
json_row(FILE *f, const struct bench_table *t, const struct bench_row *r)
{
    fprintf(f, "{\"name\": ");
    json_string(f, r->name);
    fprintf(f, ", \"n\": %ld, \"jobs\": ", r->n);
    if (r->jobs > 0)
        fprintf(f, "%d", r->jobs);
    else
        fprintf(f, "%s", r->jobs == BENCH_JOBS_DEFAULT ? "\"auto\"" : "null");
    if (r->runs == 0) {
        fprintf(f, ", \"runs\": 0, \"note\": ");
        json_string(f, r->note);
        fputc('}', f);
        return;
    }
    fprintf(f, ", \"runs\": %d, \"best_s\": %.6f, \"median_s\": %.6f, "
               "\"max_s\": %.6f, \"per_test_us\": %.2f, \"cpu_s\": %.6f",
            r->runs, bench_best(r), bench_median(r), bench_worst(r),
            bench_best(r) / (double)r->n * 1e6, r->cpu);
    json_double(f, "ratio_to_floor", "%.3f",
                bench_floor_ratio(t, r) > 0 ? bench_floor_ratio(t, r) : -1);
    json_long(f, "minor_faults", r->minflt);
    json_double(f, "faults_per_test", "%.2f", bench_faults_per_test(r));
    json_long(f, "peak_rss_kib", r->peak_kib);
    json_long(f, "runner_rss_kib", r->runner_kib);
    json_long(f, "temp_files_left", r->left);
    json_long(f, "junit_bytes", r->junit_bytes);
    json_command(f, r);
    fputc('}', f);
}

int
bench_write_json(const struct bench_table *t, const char *path)
{
    FILE *f = fopen(path, "w");
    time_t now = time(NULL);
    char date[32];
    struct tm tm;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    fprintf(f, "{\n  \"date\": \"%s\",\n  \"machine\": {\"nproc\": %ld, "
               "\"cpu\": ", date, t->cpus);
    json_string(f, t->cpu);
    fprintf(f, ", \"kernel\": ");
    json_string(f, t->kernel);
    json_double(f, "load_before", "%.2f", t->load_start);
    json_double(f, "load_after", "%.2f", t->load_end);
    fprintf(f, "},\n  \"max_runs\": %d,\n  \"rows\": [", t->runs);
    for (int i = 0; i < t->nrows; i++) {
        fprintf(f, "%s\n    ", i ? "," : "");
        json_row(f, t, &t->rows[i]);
    }
    fprintf(f, "\n  ],\n  \"comparisons\": [");
    for (int i = 0; i < t->ncomparisons; i++) {
        fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
        json_string(f, t->comparisons[i].name);
        /* JSON has no infinity: a ratio to a zero time is null. */
        if (isfinite(t->comparisons[i].value))
            fprintf(f, ", \"value\": %.3f}", t->comparisons[i].value);
        else
            fprintf(f, ", \"value\": null}");
    }
    fprintf(f, "\n  ]\n}\n");
    if (ferror(f) | fclose(f)) {
        perror(path);
        return -1;
    }
    return 0;
}
