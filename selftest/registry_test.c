// SPDX-License-Identifier: MIT
// registry_test.c — selftests of the set of tests in a binary: test order
// (source order within a file, files in link order, the same on every run)
// and duplicate ids refused before anything runs, naming both places.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

TEST(registry, duplicate_ids_are_refused_naming_both_places)
{
    static const char *const list[] = {"--list", NULL};
    char *first = st_where("duplicate_ids.c", "mark:dup_first");
    char *second = st_where("parts/duplicate_ids_second.c",
                            "mark:dup_second");
    char *want = st_format("cordon: duplicate test id 'dup/same' defined at "
                           "%s and %s (rename one of them)\n", first, second);
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "duplicate_ids", NULL, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, want);
    EXPECT_STREQ(r.out, "", "nothing ran");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "duplicate_ids", list, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, want);
    EXPECT_STREQ(r.out, "", "nothing listed");
    st_free(&r);
    free(want);
    free(second);
    free(first);
}

TEST(registry, source_order_within_a_file_then_link_order)
{
    static const char *const list[] = {"--list", NULL};
    struct st_run r;

    /* Not by name, not by line across files: order.c's tests in source
     * order, then those of parts/order_second.c (lines 4 and 5). */
    ASSERT_EQ(st_run_fixture(&r, "order", list, NULL), 0);
    EXPECT_STREQ(r.out, "order/zulu\norder/alpha\nearly/mike\norder/bravo\n"
                        "order/alpha_two\naardvark/first_line\n"
                        "order/yankee\n");
    st_free(&r);
}

TEST(registry, order_is_the_same_on_every_run)
{
    static const char *const list[] = {"--list", NULL};
    struct st_run r;
    char *first;

    ASSERT_EQ(st_run_fixture(&r, "many", list, NULL), 0);
    first = r.out;
    r.out = NULL;
    st_free(&r);
    for (int i = 0; i < 3; i++) {
        ASSERT_EQ(st_run_fixture(&r, "many", list, NULL), 0);
        EXPECT_STREQ(r.out, first, "run %d", i + 2);
        st_free(&r);
    }
    /* Tests sharing a line keep their order of definition. */
    {
        const char *at = first;

        for (int i = 0; i < 1000 && at != NULL; i++) {
            char *want = st_format("many/t%03d\n", i);

            EXPECT_EQ(strncmp(at, want, strlen(want)), 0, "at %d", i);
            at = strchr(at, '\n');
            at = at ? at + 1 : NULL;
            free(want);
        }
    }
    free(first);
}
