// SPDX-License-Identifier: MIT
// legacy_config_test.c — tests of legacy_config.c, a parser with three
// known bugs. Each bug is pinned: its test expects the symptom the bug has
// today (a SIGSEGV, or SIGVTALRM from a CPU-time limit for the endless
// loop), so the suite is green while the bugs exist, and it turns red —
// "expected SIGSEGV, test returned" — the day someone fixes one without
// updating its pin. The body of each pinned test already holds the checks
// of the fixed behaviour: fixing a bug means deleting its WHILE_BUGGY().
// example_legacy_fixed builds this file against the repaired parser
// (-DLEGACY_FIXED), where WHILE_BUGGY() expects no signal, and is green too.
// corpus/* runs many inputs through the parser with cordon_isolate(), each
// in a process of its own, so one that crashes or hangs is named and the
// loop goes on (and with cordon_isolate_each(), two inputs at a time);
// EXPECT_SIGNAL pins bug 1 in a single statement.
#include <cordon.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "legacy_config.h"

#ifdef LEGACY_FIXED
#define WHILE_BUGGY(...) .signal = 0
#else
#define WHILE_BUGGY(...) __VA_ARGS__
#endif

static struct cfg config;

TEST(parse, one_line)
{
    const struct cfg_entry *e;

    ASSERT_EQ(cfg_parse_line(&config, "retries = 1, 2, 30\n"), 0);
    e = cfg_get(&config, "retries");
    ASSERT_NOT_NULL(e);
    ASSERT_EQ(e->nvalues, 3);
    EXPECT_EQ(e->values[0], 1L);
    EXPECT_EQ(e->values[2], 30L);
}

TEST(parse, comments_and_blank_lines)
{
    EXPECT_EQ(cfg_parse_line(&config, "# retries = 1\n"), 0);
    EXPECT_EQ(cfg_parse_line(&config, "   \n"), 0);
    EXPECT_EQ(config.nentries, 0);
}

TEST(parse, rejects_a_line_without_equals)
{
    EXPECT_EQ(cfg_parse_line(&config, "retries 3\n"), -1);
    EXPECT_NULL(cfg_get(&config, "retries"));
}

/* Bug 1: a reader loop passes fgets()'s NULL at end of file. */
TEST(known_bug, null_line_is_rejected, WHILE_BUGGY(.signal = SIGSEGV))
{
    EXPECT_EQ(cfg_parse_line(&config, NULL), -1);
}

/* line_at_page_end copies s so that its NUL is the last byte before an
 * inaccessible page: reading one byte too far is then a SIGSEGV every
 * time, instead of whatever memory happens to follow. */
static const char *
line_at_page_end(const char *s)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = strlen(s) + 1;
    int zero = open("/dev/zero", O_RDWR); /* MAP_ANONYMOUS is not POSIX.1-2008 */
    char *p;

    ASSERT_GE(zero, 0);
    p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    close(zero);
    ASSERT_TRUE(p != MAP_FAILED);
    ASSERT_EQ(mprotect(p + page, page, PROT_NONE), 0);
    return memcpy(p + page - n, s, n);
}

/* Bug 2: the last line of a file often has no newline. */
TEST(known_bug, last_line_without_newline, WHILE_BUGGY(.signal = SIGSEGV))
{
    const struct cfg_entry *e;

    ASSERT_EQ(cfg_parse_line(&config, line_at_page_end("depth = 4, 8")), 0);
    e = cfg_get(&config, "depth");
    ASSERT_NOT_NULL(e);
    EXPECT_EQ(e->nvalues, 2);
    EXPECT_EQ(e->values[1], 8L);
}

/* A CPU-time limit ends a busy loop with SIGVTALRM in a fraction of a
 * second, well inside the wall-clock timeout, which stays the backstop. */
static void
limit_cpu_time(void)
{
    struct itimerval it = {{0, 0}, {0, 300000}};

    setitimer(ITIMER_VIRTUAL, &it, NULL);
}

/* Bug 3: negative numbers are invalid input, and must be rejected. */
TEST(known_bug, minus_sign_is_rejected, .setup = limit_cpu_time,
     WHILE_BUGGY(.signal = SIGVTALRM))
{
    EXPECT_EQ(cfg_parse_line(&config, "depth = -1\n"), -1);
}

/* parse_one parses one line in an isolated process and hands the result
 * back through the shared buffer. */
static void
parse_one(void *line)
{
    struct cfg c = {0};
    int *rc = cordon_isolate_data();

    *rc = cfg_parse_line(&c, line);
}

#ifdef LEGACY_FIXED
#define CRASHING_INPUTS ""
#else
#define CRASHING_INPUTS "(null): signal SIGSEGV; depth = -1: timed out; "
#endif

/* Every input of a corpus, each in its own process with half a second: a
 * crash or a hang is listed and the loop goes on to the next input. */
TEST(corpus, no_input_crashes_or_hangs)
{
    static const char *const corpus[] = {
        "retries = 1\n", "# comment\n", NULL, "depth = 4, 8\n",
        "no equals\n",  "depth = -1\n", "   \n",
    };
    char bad[256] = "";

    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        const struct cordon_isolate_options opts = {.timeout = 0.5,
                                                    .data_size = sizeof(int)};
        const char *line = corpus[i] ? corpus[i] : "(null)";
        struct cordon_isolated r;
        size_t n = strlen(bad);

        ASSERT_EQ(cordon_isolate(parse_one, (void *)corpus[i], &opts, &r), 0);
        if (r.end == CORDON_ISOLATE_SIGNALED)
            snprintf(bad + n, sizeof bad - n, "%.*s: signal %s; ",
                     (int)strcspn(line, "\n"), line,
                     r.signal == SIGSEGV ? "SIGSEGV" : "other");
        else if (r.end == CORDON_ISOLATE_TIMED_OUT)
            snprintf(bad + n, sizeof bad - n, "%.*s: timed out; ",
                     (int)strcspn(line, "\n"), line);
        else
            EXPECT_EQ(r.end, CORDON_ISOLATE_RETURNED, "%s", line);
        cordon_isolated_free(&r);
    }
    EXPECT_STREQ(bad, CRASHING_INPUTS);
}

/* The same corpus with cordon_isolate_each(): two inputs at a time, each
 * still in a process of its own, the results in corpus order. */
static const char *const corpus2[] = {
    "retries = 1\n", "# comment\n", NULL, "depth = 4, 8\n",
    "no equals\n",  "depth = -1\n", "   \n",
};

static void
parse_nth(size_t i, void *lines)
{
    parse_one((void *)((const char *const *)lines)[i]);
}

static void
list_bad(size_t i, const struct cordon_isolated *r, void *bad)
{
    const char *line = corpus2[i] ? corpus2[i] : "(null)";
    size_t n = strlen(bad);

    if (r->end == CORDON_ISOLATE_SIGNALED)
        snprintf((char *)bad + n, 256 - n, "%.*s: signal %s; ",
                 (int)strcspn(line, "\n"), line,
                 r->signal == SIGSEGV ? "SIGSEGV" : "other");
    else if (r->end == CORDON_ISOLATE_TIMED_OUT)
        snprintf((char *)bad + n, 256 - n, "%.*s: timed out; ",
                 (int)strcspn(line, "\n"), line);
    else
        EXPECT_EQ(r->end, CORDON_ISOLATE_RETURNED, "%s", line);
}

TEST(corpus, no_input_crashes_or_hangs_in_parallel)
{
    const struct cordon_isolate_options opts = {.timeout = 0.5,
                                                .data_size = sizeof(int)};
    char bad[256] = "";

    ASSERT_EQ(cordon_isolate_each(sizeof corpus2 / sizeof corpus2[0],
                                  parse_nth, (void *)corpus2, &opts, 2,
                                  list_bad, bad), 0);
    EXPECT_STREQ(bad, CRASHING_INPUTS);
}

/* Bug 1 again, pinned in one statement rather than a whole test. */
TEST(corpus, null_line_in_one_statement)
{
#ifdef LEGACY_FIXED
    EXPECT_EQ(cfg_parse_line(&config, NULL), -1);
#else
    EXPECT_SIGNAL(cfg_parse_line(&config, NULL), SIGSEGV);
#endif
}
