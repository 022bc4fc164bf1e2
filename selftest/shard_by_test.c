// SPDX-License-Identifier: MIT
// shard_by_test.c — selftests of --shard K/N --shard-by=durations:FILE:
// whatever FILE says (JUnit, JSON Lines or CTRF, told by content), every
// test is in exactly one shard, each shard in test order, the same deal
// every time; a skewed file gives shards of even time where round-robin
// does not; tests FILE lacks are still dealt; a bad FILE is exit 2 with
// one line. The shards are read with --list: the deal is the plan's.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

#define FIXTURE "shard_times"
#define NTESTS 12
#define MAX_SHARDS 13

/* Made-up times: every third test is long, so round-robin over three
 * shards puts them all in the first. */
static double
skewed(int i)
{
    return i % 3 == 0 ? 10.0 : 1.0;
}

static char *
junit(double (*seconds)(int))
{
    char *text = strdup("<?xml version=\"1.0\"?>\n<testsuites>\n"
                        "<testsuite name=\"times\">\n");

    for (int i = 0; i < NTESTS; i++) {
        char *more = st_format("%s<testcase name=\"t%02d\" classname=\"times\""
                               " time=\"%.3f\"/>\n", text, i, seconds(i));

        free(text);
        text = more;
    }
    /* A test this binary no longer has. */
    char *done = st_format("%s<testcase name=\"gone\" classname=\"times\" "
                           "time=\"99\"/>\n</testsuite>\n</testsuites>\n",
                           text);
    free(text);
    return done;
}

static char *
json_lines(double (*seconds)(int))
{
    char *text = strdup("{\"event\":\"run-started\"}\n");

    for (int i = 0; i < NTESTS; i++) {
        char *more = st_format("%s{\"event\":\"test-finished\",\"id\":"
                               "\"times/t%02d\",\"duration\":%g}\n", text, i,
                               seconds(i));

        free(text);
        text = more;
    }
    return text;
}

static char *
ctrf(double (*seconds)(int))
{
    char *text = strdup("{\"results\":{\"tool\":{\"name\":\"cordon\"},"
                        "\"tests\":[");

    for (int i = 0; i < NTESTS; i++) {
        char *more = st_format("%s%s{\"name\":\"times/t%02d\",\"status\":"
                               "\"passed\",\"duration\":%g}", text,
                               i > 0 ? "," : "", i, seconds(i) * 1000);

        free(text);
        text = more;
    }
    char *done = st_format("%s]}}\n", text);
    free(text);
    return done;
}

/* shard_lists lists each of n shards of the fixture with by (NULL: none)
 * and extra env (or NULL) into lists[k]; returns 0, else the exit code. */
static int
shard_lists(int n, const char *by, char **lists)
{
    for (int k = 0; k < n; k++) {
        char *shard = st_format("%d/%d", k + 1, n);
        const char *args[] = {"--list", "--shard", shard,
                              by != NULL ? "--shard-by" : NULL, by, NULL};
        struct st_run r;

        lists[k] = NULL;
        if (st_run_fixture(&r, FIXTURE, args, NULL) != 0)
            return -1;
        free(shard);
        if (r.code != 0) {
            int code = r.code;

            st_free(&r);
            return code;
        }
        lists[k] = strdup(r.out);
        st_free(&r);
    }
    return 0;
}

/* expect_partition checks that every test is in exactly one of the n
 * lists, each in test order. */
static void
expect_partition(char **lists, int n)
{
    int seen[NTESTS] = {0};

    for (int k = 0; k < n; k++) {
        int last = -1;

        for (const char *p = lists[k]; p != NULL && *p != '\0';) {
            int i;

            EXPECT_EQ(sscanf(p, "times/t%d", &i), 1, "%s", p);
            if (i >= 0 && i < NTESTS)
                seen[i]++;
            EXPECT_TRUE(i > last, "shard %d out of test order:\n%s", k + 1,
                        lists[k]);
            last = i;
            p = strchr(p, '\n') + 1;
        }
    }
    for (int i = 0; i < NTESTS; i++)
        EXPECT_EQ(seen[i], 1, "times/t%02d", i);
}

static double
load(const char *list, double (*seconds)(int))
{
    double sum = 0;
    int i;

    for (const char *p = list; *p != '\0'; p = strchr(p, '\n') + 1)
        if (sscanf(p, "times/t%d", &i) == 1)
            sum += seconds(i);
    return sum;
}

static void
free_lists(char **lists, int n)
{
    for (int k = 0; k < n; k++)
        free(lists[k]);
}

TEST(shard_by, every_test_in_exactly_one_shard)
{
    static const int counts[] = {1, 2, 3, 5, NTESTS, MAX_SHARDS};
    char *(*const formats[])(double (*)(int)) = {junit, json_lines, ctrf};
    char *dir = st_tmpdir();

    ASSERT_NOT_NULL(dir);
    for (size_t f = 0; f <= 3; f++) {
        char *path = st_format("%s/times.%zu", dir, f);
        char *by = f < 3 ? st_format("durations:%s", path) : NULL;

        if (f < 3) {
            char *text = formats[f](skewed);

            st_write_file(path, text);
            free(text);
        }
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            char *lists[MAX_SHARDS];

            ASSERT_EQ(shard_lists(counts[c], by, lists), 0, "%s", by);
            expect_partition(lists, counts[c]);
            free_lists(lists, counts[c]);
        }
        free(by);
        free(path);
    }
    st_rmtree(dir);
}

TEST(shard_by, balanced_where_round_robin_is_not_and_the_same_each_time)
{
    char *(*const formats[])(double (*)(int)) = {junit, json_lines, ctrf};
    char *dir = st_tmpdir(), *rr[3], *first[3];

    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(shard_lists(3, NULL, rr), 0);
    /* Round-robin: all four long tests in the first shard. */
    EXPECT_EQ(load(rr[0], skewed), 40.0);
    for (size_t f = 0; f < 3; f++) {
        char *path = st_format("%s/times.%zu", dir, f);
        char *by = st_format("durations:%s", path), *text = formats[f](skewed);
        char *lists[3];

        st_write_file(path, text);
        ASSERT_EQ(shard_lists(3, by, lists), 0);
        /* 48 s in all; two of the four 10 s tests must share a shard, so
         * 20 s is the best the longest shard can do. */
        for (int k = 0; k < 3; k++)
            EXPECT_TRUE(load(lists[k], skewed) <= 20.0, "shard %d: %g s\n%s",
                        k + 1, load(lists[k], skewed), lists[k]);
        /* Every format, and every run, deals alike. */
        for (int k = 0; k < 3; k++) {
            if (f == 0)
                first[k] = strdup(lists[k]);
            else
                EXPECT_STREQ(lists[k], first[k]);
        }
        free_lists(lists, 3);
        free(text);
        free(by);
        free(path);
    }
    free_lists(first, 3);
    free_lists(rr, 3);
    st_rmtree(dir);
}

TEST(shard_by, tests_the_file_lacks_are_dealt_too)
{
    char *dir = st_tmpdir(), *path, *by, *lists[2];

    ASSERT_NOT_NULL(dir);
    path = st_format("%s/some.jsonl", dir);
    by = st_format("durations:%s", path);
    /* Only t05, named twice (its longest time counts), and an id this
     * binary does not have. */
    st_write_file(path, "{\"id\":\"times/t05\",\"duration\":0.1}\n"
                        "{\"id\":\"times/t05\",\"duration\":100}\n"
                        "{\"id\":\"times/nothing\",\"duration\":1000}\n");
    ASSERT_EQ(shard_lists(2, by, lists), 0);
    expect_partition(lists, 2);
    /* t05 goes first to shard 1; the eleven unknown round-robin from
     * shard 1. */
    EXPECT_STREQ(lists[0], "times/t00\ntimes/t02\ntimes/t04\ntimes/t05\n"
                           "times/t07\ntimes/t09\ntimes/t11\n");
    free_lists(lists, 2);
    free(by);
    free(path);
    st_rmtree(dir);
}

TEST(shard_by, with_bazel_sharding)
{
    char *dir = st_tmpdir(), *path, *by, *text;
    char *lists[3];

    ASSERT_NOT_NULL(dir);
    path = st_format("%s/times.xml", dir);
    by = st_format("CORDON_SHARD_BY=durations:%s", path);
    text = junit(skewed);
    st_write_file(path, text);
    for (int k = 0; k < 3; k++) {
        char *index = st_format("TEST_SHARD_INDEX=%d", k);
        const char *env[] = {"TEST_TOTAL_SHARDS=3", index, by, NULL};
        static const char *const args[] = {"--list", NULL};
        struct st_run r;

        ASSERT_EQ(st_run_fixture(&r, FIXTURE, args, env), 0);
        EXPECT_EQ(r.code, 0, "%s", r.err);
        lists[k] = strdup(r.out);
        EXPECT_TRUE(load(lists[k], skewed) <= 20.0, "%s", lists[k]);
        st_free(&r);
        free(index);
    }
    expect_partition(lists, 3);
    free_lists(lists, 3);
    free(text);
    free(by);
    free(path);
    st_rmtree(dir);
}

TEST(shard_by, a_bad_file_is_one_line_and_exit_2)
{
    static const struct {
        const char *name, *text, *why;
    } cases[] = {
        {"missing", NULL, "cannot read '%s': No such file or directory"},
        {"empty", "", "'%s' is empty"},
        {"text", "id,duration\n", "cannot read the times in '%s': neither "
                                  "XML nor JSON"},
        {"broken.xml", "<testsuites><testcase name=\"a\"",
         "cannot read the times in '%s': not well-formed XML"},
        {"broken.jsonl", "{\"id\":\"times/t00\",\"duration\":1}\n{oops\n",
         "cannot read the times in '%s': line 2 is not JSON: "},
        {"ctrf.json", "{\"results\":{\"tests\":3}}",
         "cannot read the times in '%s': a CTRF report without "
         "results.tests"},
    };
    char *dir = st_tmpdir();

    ASSERT_NOT_NULL(dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = st_format("%s/%s", dir, cases[i].name);
        char *by = st_format("--shard-by=durations:%s", path);
        const char *args[] = {"--shard", "1/2", by, NULL};
        char *head = st_format(cases[i].why, path), *want;
        struct st_run r;

        if (cases[i].text != NULL)
            st_write_file(path, cases[i].text);
        ASSERT_EQ(st_run_fixture(&r, FIXTURE, args, NULL), 0);
        EXPECT_EQ(r.code, 2, "%s", cases[i].name);
        want = st_format("cordon: --shard-by: %s", head);
        EXPECT_EQ(strncmp(r.err, want, strlen(want)), 0, "%s", r.err);
        EXPECT_NOT_NULL(strstr(r.err, "(give a JUnit, JSON Lines or CTRF "
                                      "report of an earlier run of this "
                                      "binary, or --shard-by=round-robin)\n"),
                        "%s", r.err);
        EXPECT_EQ(st_count(r.err, ""), 1, "one line: %s", r.err);
        EXPECT_STREQ(r.out, "", "no test ran");
        st_free(&r);
        free(want);
        free(head);
        free(by);
        free(path);
    }
    st_rmtree(dir);
}

TEST(shard_by, bad_ways_are_usage_errors)
{
    static const char *const args[] = {"--shard-by=durations", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, FIXTURE, args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: --shard-by: 'durations' is not a way to "
                        "shard (use round-robin, or durations:FILE with an "
                        "earlier report of this binary, e.g. "
                        "--shard-by=durations:report.xml)\n");
    st_free(&r);
}
