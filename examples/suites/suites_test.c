// SPDX-License-Identifier: MIT
// suites_test.c — example: a suite whose expensive table is built once
// and inherited by each test (SUITE .once), per-test setup from the
// suite, table-driven cases named by label (TEST_P_LABELED), and a
// private directory per test (cordon_tmpdir). Green: CTest runs it.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A "dictionary" that would be slow to load; built once per worker. */
static char *words[1000];
static size_t nwords;

static void
load_dictionary(void)
{
    for (nwords = 0; nwords < 1000; nwords++) {
        char w[16];

        snprintf(w, sizeof w, "w%zu", nwords);
        words[nwords] = strdup(w);
    }
}

static int lookups;

static void
reset_counter(void)
{
    lookups = 0;
}

static int
find(const char *w)
{
    lookups++;
    for (size_t i = 0; i < nwords; i++)
        if (strcmp(words[i], w) == 0)
            return (int)i;
    return -1;
}

SUITE(dictionary, .once = load_dictionary, .setup = reset_counter,
      .timeout = 5);

TEST(dictionary, is_loaded)
{
    ASSERT_EQ(nwords, 1000u);
}

TEST(dictionary, finds_a_word)
{
    EXPECT_EQ(find("w42"), 42);
    EXPECT_EQ(lookups, 1);
}

TEST(dictionary, a_test_s_changes_stay_its_own)
{
    words[0][0] = 'x'; /* copy-on-write: no other test sees this */
    EXPECT_EQ(find("w0"), -1);
}

static const struct {
    const char *label;
    const char *word;
    int index;
} lookups_table[] = {
    {"first", "w0", 0},
    {"last", "w999", 999},
    {"missing", "nope", -1},
};

TEST_P_LABELED(dictionary, index_of, lookups_table, label)
{
    EXPECT_EQ(find(param->word), param->index, "looking up %s",
              param->word);
}

TEST(files, writes_into_its_own_directory)
{
    char path[4096];
    FILE *f;

    ASSERT_NOT_NULL(cordon_tmpdir());
    snprintf(path, sizeof path, "%s/out.txt", cordon_tmpdir());
    f = fopen(path, "w");
    ASSERT_NOT_NULL(f);
    fputs("hello\n", f);
    EXPECT_EQ(fclose(f), 0);
}
