// SPDX-License-Identifier: MIT
// limits_test.c — selftests of the resource limits: a test that runs into
// its memory, CPU-time or file-size limit is reported with a reason that
// names the limit and its value (CRASH "... under the memory limit 64
// MiB", TIMEOUT "exceeded the cpu limit 1 s", CRASH "... at the file size
// limit 4 KiB") in the console, TAP and JUnit; --memory-limit sets one for
// every test; under AddressSanitizer memory limits are ignored with one
// warning line. Also the byte counts --memory-limit accepts.
#include <cordon.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "testproc/testproc.h"
#include "outcomes.h"

TEST(limits, each_limit_is_named_in_every_report, .timeout = 30)
{
    static const char *const args[] = {"--filter", "-limits/memory_from*",
                                       NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "limits", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1);
    st_expect_reported(&o, "limits/cpu", "TIMEOUT",
                       "exceeded the cpu limit 1 s (killed by SIGXCPU)");
    st_expect_reported(&o, "limits/file_size", "CRASH",
                       "killed by SIGXFSZ (File size limit exceeded) at the "
                       "file size limit 4 KiB");
    st_expect_outcome(&o, "limits/within_limits", "PASS", "", "", "fits\n",
                      "");
    if (cordon__limits_asan()) {
        EXPECT_NOT_NULL(strstr(o.run.err, "cordon: warning: memory limits "
                                          "are ignored under "
                                          "AddressSanitizer"),
                        "%s", o.run.err);
        st_expect_outcome(&o, "limits/memory_abort", "PASS", "", "", NULL,
                          NULL);
    } else if (cordon__limits_ignored()) {
        /* qemu-user: the limits of memory run unapplied, and say so. */
        EXPECT_EQ(st_count(o.run.err, "cordon: warning: memory limits are "
                                      "not applied here"),
                  (size_t)1, "%s", o.run.err);
    } else {
        st_expect_reported(&o, "limits/memory_abort", "CRASH",
                           "killed by SIGABRT (Aborted) under the memory "
                           "limit 64 MiB");
        st_expect_reported(&o, "limits/memory_reported", "FAIL",
                           "FAIL(): allocation failed under the 64 MiB "
                           "memory limit");
        EXPECT_NULL(strstr(o.run.err, "warning"), "%s", o.run.err);
    }
    st_outcomes_free(&o);
}

TEST(limits, memory_limit_flag_applies_to_every_test)
{
    static const char *const args[] = {"--filter", "limits/memory_from*",
                                       "--memory-limit", "32M", NULL};
    static const char *const env_args[] = {"--filter",
                                           "limits/memory_from*", NULL};
    static const char *const env[] = {"CORDON_MEMORY_LIMIT=48MiB", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "limits", args, NULL), 0, "%s", o.why);
    if (cordon__limits_asan()) {
        st_expect_outcome(&o, "limits/memory_from_the_run", "PASS", "", "",
                          NULL, NULL);
        st_outcomes_free(&o);
        SKIP("memory limits are ignored under AddressSanitizer");
    }
    if (cordon__limits_ignored()) {
        /* The run says so, once, rather than run without them quietly. */
        EXPECT_EQ(st_count(o.run.err, "cordon: warning: memory limits are "
                                      "not applied here"),
                  (size_t)1, "%s", o.run.err);
        st_outcomes_free(&o);
        SKIP("this system ignores setrlimit(RLIMIT_AS) (qemu-user does): "
             "no memory limit can be seen to work");
    }
    st_expect_reported(&o, "limits/memory_from_the_run", "CRASH",
                       "under the memory limit 32 MiB");
    st_outcomes_free(&o);
    ASSERT_EQ(st_outcomes(&o, "limits", env_args, env), 0, "%s", o.why);
    st_expect_reported(&o, "limits/memory_from_the_run", "CRASH",
                       "under the memory limit 48 MiB");
    st_outcomes_free(&o);
}

/* A limit is set in 64 bits where a long has 32: 4 GiB + 32 MiB is not
 * cut to 32 MiB, and 256 MiB fit under it. */
TEST(limits, a_memory_limit_past_4_gib_is_not_cut_to_32_bits)
{
    static const char *const args[] = {"--filter", "limits/memory_from*",
                                       "--memory-limit", "4128M", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "limits", args, NULL), 0, "%s", o.why);
    st_expect_outcome(&o, "limits/memory_from_the_run", "PASS", "", "", NULL,
                      NULL);
    st_outcomes_free(&o);
}

TEST(limits, byte_counts_take_binary_suffixes)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } ok[] = {{"0", 0},           {"4096", 4096},
              {"64K", 64 << 10},  {"64KiB", 64 << 10},
              {"64M", 64 << 20},  {"64MiB", 64 << 20},
              {"2G", 2ull << 30}, {"2GiB", 2ull << 30}};
    static const char *const bad[] = {"", "-1", "64X", "M", "64 M",
                                      "64MB", "99999999999G"};
    char buf[48];
    uint64_t v;

    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        EXPECT_TRUE(cordon__limits_parse_bytes(ok[i].text, &v), "%s",
                    ok[i].text);
        EXPECT_EQ(v, ok[i].bytes, "%s", ok[i].text);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_FALSE(cordon__limits_parse_bytes(bad[i], &v), "%s", bad[i]);
    EXPECT_STREQ(cordon__limits_bytes_text(64 << 20, buf, sizeof buf),
                 "64 MiB");
    EXPECT_STREQ(cordon__limits_bytes_text(4096, buf, sizeof buf), "4 KiB");
    EXPECT_STREQ(cordon__limits_bytes_text(1000, buf, sizeof buf),
                 "1000 bytes");
    EXPECT_STREQ(cordon__limits_bytes_text(3ull << 30, buf, sizeof buf),
                 "3 GiB");
}

/* Asking whether the system applies memory limits leaves this process's
 * own as it was. */
TEST(limits, asking_whether_limits_apply_changes_none)
{
    struct rlimit before, after;

    ASSERT_EQ(getrlimit(RLIMIT_AS, &before), 0);
    (void)cordon__limits_ignored();
    ASSERT_EQ(getrlimit(RLIMIT_AS, &after), 0);
    EXPECT_EQ(after.rlim_cur, before.rlim_cur);
    EXPECT_EQ(after.rlim_max, before.rlim_max);
}
