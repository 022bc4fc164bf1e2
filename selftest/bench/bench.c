// SPDX-License-Identifier: MIT
// bench.c — cordon's overhead per test, measured against the floor of any
// fork-per-test design: (a) a bare fork + _exit + waitpid loop, then the
// 1000-test "many" fixture (b) with -j1 and (c) with -j N (online CPUs),
// all in one run so the numbers share one machine state. Each figure is the
// best of a few repetitions, which filters out noise from other work on
// the machine. Not a test: it prints numbers and exits 0.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CORDON_FIXTURE_DIR
#error "CORDON_FIXTURE_DIR must name the directory of the fixture binaries"
#endif

#define ITERATIONS 1000
#define REPEATS 5

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
wait_for(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) == -1)
        if (errno != EINTR)
            return -1;
    return status;
}

/* bare_fork times ITERATIONS of fork, _exit(0) in the child, waitpid. */
static double
bare_fork(void)
{
    double t0 = now();

    for (int i = 0; i < ITERATIONS; i++) {
        pid_t pid = fork();

        if (pid == 0)
            _exit(0);
        if (pid < 0 || wait_for(pid) != 0) {
            perror("bench: fork");
            exit(1);
        }
    }
    return now() - t0;
}

/* run_many times one run of the many fixture with -j jobs, its console
 * output thrown away. */
static double
run_many(long jobs)
{
    char path[4096], jarg[32];
    double t0 = now();
    pid_t pid;
    int status;

    snprintf(path, sizeof path, "%s/many", CORDON_FIXTURE_DIR);
    snprintf(jarg, sizeof jarg, "-j%ld", jobs);
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(null, STDOUT_FILENO);
        execl(path, path, jarg, (char *)NULL);
        fprintf(stderr, "bench: cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    status = pid < 0 ? -1 : wait_for(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: %s %s failed (status %d)\n", path, jarg,
                status);
        exit(1);
    }
    return now() - t0;
}

static double
best(double (*f)(long), long arg)
{
    double b = f(arg);

    for (int i = 1; i < REPEATS; i++) {
        double t = f(arg);

        if (t < b)
            b = t;
    }
    return b;
}

static double
bare_fork_arg(long unused)
{
    (void)unused;
    return bare_fork();
}

int
main(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    double a, b, c;

    if (cpus < 1)
        cpus = 1;
    a = best(bare_fork_arg, 0);
    b = best(run_many, 1);
    c = best(run_many, cpus);
    printf("cordon bench: %d iterations / tests, best of %d, %ld online "
           "CPUs\n", ITERATIONS, REPEATS, cpus);
    printf("(a) fork+_exit+waitpid   %8.1f ms  %7.1f us each\n", a * 1e3,
           a * 1e6 / ITERATIONS);
    printf("(b) many fixture, -j1    %8.1f ms  %7.1f us per test  "
           "(b)/(a) = %.2f\n", b * 1e3, b * 1e6 / ITERATIONS, b / a);
    printf("(c) many fixture, -j%-4ld %8.1f ms  %7.1f us per test  "
           "(c)/(a) = %.2f\n", cpus, c * 1e3, c * 1e6 / ITERATIONS, c / a);
    return 0;
}
