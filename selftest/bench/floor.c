// SPDX-License-Identifier: MIT
// floor.c — the floor of any fork-per-test design: N rounds of fork, _exit(0)
// in the child and waitpid in the parent, in a program that links nothing
// but libc. The benchmark runs it exactly as it runs a test binary, so the
// difference to a cordon run of N empty tests is what cordon adds per test.
// Usage: cordon_bench_floor N
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    char *end;
    long n = argc == 2 ? strtol(argv[1], &end, 10) : -1;

    if (argc != 2 || *end != '\0' || n < 0) {
        fprintf(stderr, "usage: %s N (N >= 0 rounds of fork + wait)\n",
                argv[0]);
        return 2;
    }
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        int status;

        if (pid == 0)
            _exit(0);
        if (pid < 0) {
            perror("cordon_bench_floor: fork");
            return 1;
        }
        while (waitpid(pid, &status, 0) == -1)
            if (errno != EINTR) {
                perror("cordon_bench_floor: waitpid");
                return 1;
            }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "cordon_bench_floor: child status %d\n", status);
            return 1;
        }
    }
    return 0;
}
