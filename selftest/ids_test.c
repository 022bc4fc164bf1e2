// SPDX-License-Identifier: MIT
// ids_test.c — test ids are never cut short: an id longer than cordon
// takes stops the binary before anything runs, naming the id and where it
// is defined, like a duplicate id.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

TEST(ids, an_overlong_id_is_refused_whole)
{
    static const char *const list[] = {"--list", NULL};
    char *suite = st_format("long_id_%0300d", 0);
    char *name = st_format("%0220d", 0);
    char *id, *expect;
    struct st_run r;

    /* The fixture's id, built the same way: 8 + 300 + 1 + 220 bytes. */
    memset(suite + 8, 'a', 300);
    memset(name, 'b', 220);
    id = st_format("%s/%s", suite, name);
    ASSERT_EQ(strlen(id), (size_t)529);
    expect = st_format("cordon: test id '%s' defined at %s:%d is 529 bytes, "
                       "more than the 511 a test id may have (shorten its "
                       "suite or test name)\n",
                       id, CORDON_SOURCE_DIR "/selftest/fixtures/long_id.c",
                       st_source_line("selftest/fixtures/long_id.c",
                                      "TEST(long_id_"));
    for (int i = 0; i < 2; i++) {
        ASSERT_EQ(st_run_fixture(&r, "long_id", i == 0 ? NULL : list, NULL),
                  0);
        EXPECT_EQ(r.code, 2);
        EXPECT_STREQ(r.err, expect);
        EXPECT_STREQ(r.out, "", "nothing listed or run");
        st_free(&r);
    }
    free(expect);
    free(id);
    free(name);
    free(suite);
}
