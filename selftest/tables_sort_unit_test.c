// SPDX-License-Identifier: MIT
// tables_sort_unit_test.c — unit tests of cordon__tables_sort, the stable
// merge sort the registry (tests by file and line, ids) and TEST_FILES
// (paths) order their tables with: every length from 0 to 100, keys with
// many ties, elements of more than one size, and the argument passed on
// to the comparison.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "run/run.h"

/* An element with a key that ties often and its place before the sort. */
struct keyed {
    unsigned key;
    size_t seq;
    char pad[5];
};

/* by_key orders by key modulo *(const unsigned *)mod. */
static int
by_key(const void *a, const void *b, const void *mod)
{
    unsigned m = *(const unsigned *)mod;
    unsigned x = ((const struct keyed *)a)->key % m;
    unsigned y = ((const struct keyed *)b)->key % m;

    return x < y ? -1 : x > y;
}

TEST(tables_sort_unit, every_length_is_ordered_and_ties_keep_their_order)
{
    static struct keyed v[100];
    unsigned mod = 7;

    srand(1);
    for (size_t n = 0; n <= 100; n++) {
        for (size_t i = 0; i < n; i++) {
            v[i].key = (unsigned)rand() % 50;
            v[i].seq = i;
            memset(v[i].pad, (int)i, sizeof v[i].pad);
        }
        cordon__tables_sort(v, n, sizeof *v, by_key, &mod);
        for (size_t i = 0; i < n; i++) {
            EXPECT_EQ(v[i].pad[0], (char)v[i].seq, "n %zu: element %zu torn",
                      n, i);
            if (i == 0)
                continue;
            ASSERT_TRUE(v[i - 1].key % mod <= v[i].key % mod,
                        "n %zu: %u before %u", n, v[i - 1].key, v[i].key);
            if (v[i - 1].key % mod == v[i].key % mod)
                ASSERT_TRUE(v[i - 1].seq < v[i].seq,
                            "n %zu: tie at %zu out of order", n, i);
        }
    }
}

/* by_byte orders single bytes. */
static int
by_byte(const void *a, const void *b, const void *arg)
{
    (void)arg;
    return *(const unsigned char *)a - *(const unsigned char *)b;
}

TEST(tables_sort_unit, single_bytes_sort)
{
    char s[] = "the quick brown fox";

    cordon__tables_sort(s, strlen(s), 1, by_byte, NULL);
    EXPECT_STREQ(s, "   bcefhiknooqrtuwx");
}
