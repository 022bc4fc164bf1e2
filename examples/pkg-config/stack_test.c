// SPDX-License-Identifier: MIT
// stack_test.c — a cordon test binary built with pkg-config (see Makefile):
//   cc stack_test.c $(pkg-config --cflags --libs cordon-main)
#include <cordon.h>

#include <signal.h>

struct stack {
    int items[4];
    int n;
};

static int
push(struct stack *s, int v)
{
    if (s->n == 4)
        return -1;
    s->items[s->n++] = v;
    return 0;
}

static int
pop(struct stack *s)
{
    if (s->n == 0)
        raise(SIGABRT); /* popping an empty stack is a programming error */
    return s->items[--s->n];
}

TEST(stack, push_then_pop)
{
    struct stack s = {.n = 0};

    ASSERT_EQ(push(&s, 7), 0);
    EXPECT_EQ(pop(&s), 7);
}

TEST(stack, refuses_a_fifth_item)
{
    struct stack s = {.n = 0};

    for (int i = 0; i < 4; i++)
        ASSERT_EQ(push(&s, i), 0);
    EXPECT_EQ(push(&s, 4), -1);
}

TEST(stack, pop_of_empty_aborts, .signal = SIGABRT)
{
    struct stack s = {.n = 0};

    pop(&s);
}
