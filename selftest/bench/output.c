// SPDX-License-Identifier: MIT
// output.c — benchmark suite: BENCH_N passing tests that each write 64 KiB
// to stdout (1024 lines of 64 bytes), so that a run with --junit times the
// capture of 64 KiB per test and its way into the report, and shows what
// that costs the runner in memory and in temporary files. Built with
// BENCH_N = 2000 and 10000.
#include <cordon.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#define OUTPUT_BYTES (64 * 1024)
#define OUTPUT_LINE 64

/* write_64k writes the block with write(2), not stdio, so every byte has
 * reached the capture when the body returns, whatever the runner does
 * with stdio buffers at the end of a test. */
static void
write_64k(void)
{
    static char block[OUTPUT_BYTES];
    size_t done = 0;

    memset(block, 'x', sizeof block);
    for (size_t i = OUTPUT_LINE - 1; i < sizeof block; i += OUTPUT_LINE)
        block[i] = '\n';
    while (done < sizeof block) {
        ssize_t n = write(STDOUT_FILENO, block + done, sizeof block - done);

        if (n < 0 && errno == EINTR)
            continue;
        ASSERT_TRUE(n > 0, "write to stdout: %s", strerror(errno));
        done += (size_t)n;
    }
}

#define BENCH_ONE(id) TEST(output, id) { write_64k(); }
#include "expand.h"
