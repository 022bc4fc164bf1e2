// SPDX-License-Identifier: MIT
// report_output_test.c — selftests of the cap on captured output in the
// reports: 64 KiB by default, --output-limit BYTES (CORDON_OUTPUT_LIMIT),
// 0 for none. Capped output keeps its first and last halves with a marker
// giving the bytes left out between them.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* printed returns what report_bulky's print_halves(n, first, second)
 * prints, as a report holds it under limit (0 = no cap); free() it. */
static char *
printed(size_t n, char first, char second, size_t limit)
{
    char *full = malloc(n + 1), *out;
    size_t head, tail;
    int mlen;
    char marker[96];

    memset(full, first, n / 2 - 1);
    full[n / 2 - 1] = '\n';
    memset(full + n / 2, second, n / 2 - 1);
    full[n - 1] = '\n';
    full[n] = '\0';
    if (limit == 0 || n <= limit)
        return full;
    head = limit / 2;
    tail = limit - head;
    mlen = snprintf(marker, sizeof marker,
                    "\n[... cordon: %zu bytes of output omitted ...]\n",
                    n - limit);
    out = malloc(head + (size_t)mlen + tail + 1);
    memcpy(out, full, head);
    memcpy(out + head, marker, (size_t)mlen);
    memcpy(out + head + (size_t)mlen, full + n - tail, tail + 1);
    free(full);
    return out;
}

/* system_out runs report_bulky with --junit and extra, and returns the
 * system-out of test name (free it). */
static char *
system_out(const char *name, const char *const *extra,
           const char *const *env)
{
    char *dir = st_tmpdir();
    char path[4096], xpath[256], why[256] = "";
    const char *args[8] = {"--junit", path};
    struct st_run r;
    struct st_xml *x;
    char *s;
    size_t n = 2;

    ASSERT_NOT_NULL(dir);
    snprintf(path, sizeof path, "%s/report.xml", dir);
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 7; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    ASSERT_EQ(st_run_fixture(&r, "report_bulky", args, env), 0);
    EXPECT_EQ(r.code, 1, "stderr: %s", r.err);
    x = st_xml_load(path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s; stderr: %s", why, r.err);
    snprintf(xpath, sizeof xpath,
             "string(//testcase[@name='%s']/system-out)", name);
    s = st_xml_string(x, xpath);
    st_xml_free(x);
    st_free(&r);
    st_rmtree(dir);
    return s;
}

/* EXPECT_OUTPUT compares long output by length first, then in full
 * (printing megabytes of 'a' helps nobody). */
#define EXPECT_OUTPUT(got, want)                                              \
    do {                                                                      \
        EXPECT_EQ(strlen(got), strlen(want));                                 \
        EXPECT_TRUE(strcmp(got, want) == 0, "output differs");                \
    } while (0)

TEST(report_output, default_cap_keeps_first_and_last_32_KiB)
{
    char *got = system_out("prints_100000", NULL, NULL);
    char *want = printed(100000, 'a', 'b', 65536);

    ASSERT_NOT_NULL(got);
    EXPECT_NOT_NULL(strstr(got, "\n[... cordon: 34464 bytes of output "
                                "omitted ...]\n"));
    EXPECT_OUTPUT(got, want);
    free(got);
    free(want);
}

TEST(report_output, output_under_the_cap_is_whole)
{
    static const char *const args[] = {"--output-limit", "1000", NULL};
    char *got = system_out("prints_1000", args, NULL);
    char *want = printed(1000, 'c', 'd', 0);

    ASSERT_NOT_NULL(got);
    EXPECT_OUTPUT(got, want);
    EXPECT_NULL(strstr(got, "omitted"));
    free(got);
    free(want);
}

TEST(report_output, flag_sets_the_cap)
{
    static const char *const args[] = {"--output-limit", "1000", NULL};
    char *got = system_out("prints_100000", args, NULL);
    char *want = printed(100000, 'a', 'b', 1000);

    ASSERT_NOT_NULL(got);
    EXPECT_NOT_NULL(strstr(got, "[... cordon: 99000 bytes of output "
                                "omitted ...]"), "%.600s", got);
    EXPECT_OUTPUT(got, want);
    free(got);
    free(want);
}

TEST(report_output, environment_twin_and_flag_precedence)
{
    static const char *const env[] = {"CORDON_OUTPUT_LIMIT=1000", NULL};
    static const char *const none[] = {"--output-limit", "0", NULL};
    char *got = system_out("prints_100000", NULL, env);
    char *want = printed(100000, 'a', 'b', 1000);

    ASSERT_NOT_NULL(got);
    EXPECT_OUTPUT(got, want);
    free(got);
    free(want);
    /* The flag wins over its twin. */
    got = system_out("prints_100000", none, env);
    want = printed(100000, 'a', 'b', 0);
    ASSERT_NOT_NULL(got);
    EXPECT_OUTPUT(got, want);
    free(got);
    free(want);
}

/* A byte count is 64 bits wide on every system: a long of 32 bits holds
 * neither 5000000000 nor the 1 TiB maximum. */
TEST(report_output, a_cap_past_4_GiB_holds_up_to_1_TiB)
{
    static const char *const past_4g[] = {"--output-limit", "5000000000",
                                          NULL};
    static const char *const most[] = {"--output-limit", "1099511627776",
                                       NULL};
    static const char *const over[] = {"--output-limit", "1099511627777",
                                       NULL};
    char *got = system_out("prints_100000", past_4g, NULL);
    char *want = printed(100000, 'a', 'b', 0);
    struct st_run r;

    ASSERT_NOT_NULL(got);
    EXPECT_OUTPUT(got, want);
    free(got);
    got = system_out("prints_100000", most, NULL);
    ASSERT_NOT_NULL(got);
    EXPECT_OUTPUT(got, want);
    free(got);
    free(want);
    ASSERT_EQ(st_run_fixture(&r, "report_bulky", over, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: --output-limit: '1099511627777' is "
                              "not a byte count"), (size_t)1, "%s", r.err);
    st_free(&r);
}

TEST(report_output, zero_means_no_cap)
{
    static const char *const args[] = {"--output-limit", "0", NULL};
    char *got = system_out("prints_100000", args, NULL);
    char *want = printed(100000, 'a', 'b', 0);

    ASSERT_NOT_NULL(got);
    EXPECT_OUTPUT(got, want);
    EXPECT_NULL(strstr(got, "omitted"));
    free(got);
    free(want);
}

/* A test's output is read whatever its size, past the 2 GiB a 32-bit
 * program reaches without large-file support: the fixture's stdout is a
 * sparse file of 3 GiB and a line. */
TEST(report_output, output_past_2_gib_is_capped_and_counted)
{
    char *dir = st_tmpdir();
    char path[4096], why[256] = "";
    const char *args[] = {"--junit", path, NULL};
    struct st_run r;
    struct st_xml *x;
    char *out, *failure;
    size_t n;

    ASSERT_NOT_NULL(dir);
    snprintf(path, sizeof path, "%s/report.xml", dir);
    ASSERT_EQ(st_run_fixture(&r, "output_past_2_gib", args, NULL), 0);
    EXPECT_EQ(r.code, 1, "stderr: %s", r.err);
    x = st_xml_load(path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s; stderr: %s", why, r.err);
    failure = st_xml_string(x, "string(//testcase/failure/@message)");
    out = st_xml_string(x, "string(//testcase/system-out)");
    st_xml_free(x);
    ASSERT_NOT_NULL(failure);
    ASSERT_NOT_NULL(out);
    EXPECT_NOT_NULL(strstr(failure, "wrote past 2 GiB"), "%s", failure);
    /* 3 GiB + 4 bytes, 65536 of them kept. */
    EXPECT_NOT_NULL(strstr(out, "\n[... cordon: 3221159940 bytes of output "
                                "omitted ...]\n"));
    n = strlen(out);
    EXPECT_TRUE(n >= 4 && strcmp(out + n - 4, "end\n") == 0,
                "the last line is kept");
    free(failure);
    free(out);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_output, tap_diagnostics_carry_the_capped_output)
{
    char *dir = st_tmpdir();
    char path[4096];
    const char *args[] = {"--tap", path, "--output-limit", "1000", NULL};
    struct st_run r;
    char *tap, *block;

    ASSERT_NOT_NULL(dir);
    snprintf(path, sizeof path, "%s/report.tap", dir);
    ASSERT_EQ(st_run_fixture(&r, "report_bulky", args, NULL), 0);
    tap = st_read_file(path, NULL);
    ASSERT_NOT_NULL(tap, "stderr: %s", r.err);
    block = strstr(tap, "not ok 3 - bulky/fails_after_100000\n");
    ASSERT_NOT_NULL(block, "%s", tap);
    EXPECT_NOT_NULL(strstr(block, "  stdout: |\n    eeee"));
    EXPECT_NOT_NULL(strstr(block, "\n    [... cordon: 99000 bytes of output "
                                  "omitted ...]\n    ffff"));
    EXPECT_LT(strlen(tap), (size_t)4000, "the cap holds in TAP too");
    free(tap);
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_output, bad_limit_is_a_usage_error)
{
    static const char *const args[] = {"--output-limit", "lots", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "report_bulky", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(st_count(r.err, "cordon: --output-limit: 'lots'"), (size_t)1,
              "%s", r.err);
    EXPECT_EQ(r.out_len, (size_t)0, "no test may run: %s", r.out);
    st_free(&r);
}
