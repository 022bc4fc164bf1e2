// SPDX-License-Identifier: MIT
// queue_test.c — the test of the Bazel example (BUILD.bazel): a bounded
// ring-buffer queue, tested in six cases that Bazel deals into three
// shards. CMake builds it too, as example_bazel.
#include <cordon.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

struct queue {
    int items[4];
    unsigned head, len;
};

static int
enqueue(struct queue *q, int v)
{
    if (q->len == 4)
        return -1;
    q->items[(q->head + q->len++) % 4] = v;
    return 0;
}

static int
dequeue(struct queue *q)
{
    int v;

    if (q->len == 0)
        abort(); /* a caller bug, not a condition */
    v = q->items[q->head];
    q->head = (q->head + 1) % 4;
    q->len--;
    return v;
}

TEST(queue, starts_empty)
{
    struct queue q = {.len = 0};

    EXPECT_EQ(q.len, 0u);
}

TEST(queue, is_first_in_first_out)
{
    struct queue q = {.len = 0};

    ASSERT_EQ(enqueue(&q, 1), 0);
    ASSERT_EQ(enqueue(&q, 2), 0);
    EXPECT_EQ(dequeue(&q), 1);
    EXPECT_EQ(dequeue(&q), 2);
}

TEST(queue, refuses_a_fifth_item)
{
    struct queue q = {.len = 0};

    for (int i = 0; i < 4; i++)
        ASSERT_EQ(enqueue(&q, i), 0);
    EXPECT_EQ(enqueue(&q, 4), -1);
}

TEST(queue, wraps_around)
{
    struct queue q = {.len = 0};

    for (int round = 0; round < 10; round++) {
        ASSERT_EQ(enqueue(&q, round), 0);
        ASSERT_EQ(dequeue(&q), round);
    }
    EXPECT_EQ(q.len, 0u);
}

TEST(queue, dequeue_of_empty_aborts, .signal = SIGABRT)
{
    struct queue q = {.len = 0};

    dequeue(&q);
}

/* Under Bazel, TMPDIR is this test's own directory under TEST_TMPDIR. */
TEST(sandbox, writes_a_scratch_file)
{
    char path[4096];
    const char *dir = getenv("TMPDIR");
    FILE *f;

    snprintf(path, sizeof path, "%s/scratch", dir != NULL ? dir : "/tmp");
    f = fopen(path, "w");
    ASSERT_NOT_NULL(f, "cannot write %s", path);
    EXPECT_GE(fputs("cordon\n", f), 0);
    fclose(f);
    remove(path);
}
