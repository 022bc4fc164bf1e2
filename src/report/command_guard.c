// SPDX-License-Identifier: MIT
// command_guard.c — keeps a test's text from being read as a GitHub
// Actions workflow command. The runner takes a line for a command when it
// starts with "::" after its leading white space, or holds "##[" anywhere
// (the older syntax), on stdout and stderr alike; a check's message, a
// skip reason, a test's output or a TEST_P label can hold either. When
// annotations are on, the console opens with "::stop-commands::TOKEN",
// which makes the runner take no command until a line "::TOKEN::", and
// that line is printed after the last text of a test on any stream, just
// before cordon's own annotations. TOKEN is 32 random hexadecimal digits,
// drawn afresh for each run, which no test's text can know in advance.
// Refs: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands
#include "report/report.h"

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* random_bytes fills buf with bytes from /dev/urandom; where that cannot
 * be read, with a mix of the clock, the process id and an address, which
 * a test still cannot guess before it runs. */
static void
random_bytes(unsigned char *buf, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t got = 0;

    while (fd >= 0 && got < n) {
        ssize_t k = read(fd, buf + got, n - got);

        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (fd >= 0)
        close(fd);
    if (got < n) {
        struct timespec ts;
        uint64_t state;

        clock_gettime(CLOCK_REALTIME, &ts);
        state = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
                (uint64_t)getpid() << 40 ^ (uint64_t)(uintptr_t)buf;
        for (size_t i = got; i < n; i++) {
            /* splitmix64 */
            uint64_t z = (state += 0x9e3779b97f4a7c15u);

            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
            buf[i] = (unsigned char)(z ^ (z >> 31));
        }
    }
}

void
cordon__guard_open(struct cordon__guard *g, FILE *f)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[CORDON__GUARD_TOKEN / 2];

    random_bytes(bytes, sizeof bytes);
    for (size_t i = 0; i < sizeof bytes; i++) {
        g->token[2 * i] = hex[bytes[i] >> 4];
        g->token[2 * i + 1] = hex[bytes[i] & 15];
    }
    g->token[CORDON__GUARD_TOKEN] = '\0';
    g->on = true;
    fprintf(f, "::stop-commands::%s\n", g->token);
    fflush(f);
}

void
cordon__guard_close(struct cordon__guard *g, FILE *f)
{
    if (!g->on)
        return;
    g->on = false;
    fprintf(f, "::%s::\n", g->token);
}
