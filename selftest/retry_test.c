// SPDX-License-Identifier: MIT
// retry_test.c — selftests of how often tests run and in what order:
// --retries and .retries (FLAKY tests, and Maven Surefire's flaky and
// rerun elements in JUnit), --repeat, --fail-fast, --run-disabled, and
// --shuffle with --seed. Each asserts on the console, the TAP report and
// the JUnit report (schema-validated) of a fixture's run.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

/* A run of the retries fixture, with its run counters in dir. */
struct counted {
    struct st_outcomes o;
    struct st_xml *xml;
    char *dir;
    char *env_dir;
};

static void
run_counted(struct counted *c, const char *fixture, const char *const *args,
            const char *extra_env)
{
    const char *env[] = {ST_ASAN_OPTIONS, NULL, NULL, NULL};
    char why[512] = "";

    c->dir = st_tmpdir();
    c->env_dir = st_format("RETRIES_DIR=%s", c->dir);
    env[1] = c->env_dir;
    env[2] = extra_env;
    c->xml = NULL;
    ASSERT_EQ(st_outcomes(&c->o, fixture, args, env), 0, "%s", c->o.why);
    c->xml = st_xml_load(c->o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(c->xml, "%s", why);
    if (st_schema_present())
        EXPECT_EQ(st_xml_validate(c->xml, ST_JUNIT_XSD, why, sizeof why), 0,
                  "%s", why);
}

static void
counted_free(struct counted *c)
{
    if (c->xml != NULL)
        st_xml_free(c->xml);
    st_outcomes_free(&c->o);
    st_rmtree(c->dir);
    free(c->env_dir);
}

/* runs_of is how many times test name of the retries fixture ran. */
static int
runs_of(const struct counted *c, const char *name)
{
    char *path = st_format("%s/%s", c->dir, name);
    char *text = st_read_file(path, NULL);
    int n = text ? atoi(text) : 0;

    free(path);
    free(text);
    return n;
}

/* has_line says whether a console transcript, durations left out, has
 * line. */
static bool
has_line(const char *console, const char *line)
{
    char *plain = st_strip_times(console);
    bool found = st_has_line(plain, line);

    free(plain);
    return found;
}

#define EXPECT_XPATH(c, want, expr)                                           \
    do {                                                                      \
        char *got_ = st_xml_string((c)->xml, expr);                           \
        EXPECT_STREQ(got_, want, "%s", expr);                                 \
        free(got_);                                                           \
    } while (0)

#define CASE(name) "/testsuites/testsuite/testcase[@name='" name "']"

TEST(retry, a_test_that_passes_on_a_retry_is_flaky)
{
    static const char *const args[] = {"--retries", "2", NULL};
    struct counted c;
    const struct st_outcome *t;

    run_counted(&c, "retries", args, NULL);
    EXPECT_EQ(c.o.run.code, 1, "%s", c.o.run.out);
    /* Console: its own word, which attempt passed, each failed one. */
    EXPECT_TRUE(has_line(c.o.run.out,
                            "FLAKY   retries/fails_once  passed on attempt 2 "
                            "of 3"), "%s", c.o.run.out);
    EXPECT_NOT_NULL(strstr(c.o.run.out, "      attempt 1 of 3: CRASH killed "
                                        "by SIGSEGV"), "%s", c.o.run.out);
    EXPECT_NOT_NULL(strstr(c.o.run.out, "5 pass, 2 fail, 1 crash, 0 timeout"
                           ", 0 exit, 0 skip (3 of the passes flaky)\n"
                           "cordon: 5 passed, 3 failed, 0 skipped\n"),
                    "%s", c.o.run.out);
    /* TAP: ok, with a block saying so. */
    t = st_outcome(&c.o, "retries/fails_once");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->word, "FLAKY");
    EXPECT_STREQ(t->reason, "passed on attempt 2 of 3");
    EXPECT_NOT_NULL(strstr(c.o.tap, "ok 2 - retries/fails_once\n  ---\n"
                                    "  outcome: FLAKY\n"), "%s", c.o.tap);
    EXPECT_NOT_NULL(strstr(c.o.tap, "  earlier_attempts: |\n    attempt 1 "
                                    "of 3: CRASH killed by SIGSEGV"),
                    "%s", c.o.tap);
    st_expect_outcome(&c.o, "retries/crashes_once", "FLAKY", NULL, NULL,
                      NULL, NULL);
    st_expect_outcome(&c.o, "retries/passes", "PASS", "", "", NULL, NULL);
    /* JUnit: a passing testcase holding its failed attempts. */
    EXPECT_XPATH(&c, "1", "count(" CASE("fails_once") "/flakyFailure)");
    EXPECT_XPATH(&c, "0", "count(" CASE("fails_once") "/failure)");
    EXPECT_XPATH(&c, "assertion", "string(" CASE("fails_once")
                                  "/flakyFailure/@type)");
    EXPECT_XPATH(&c, "run 1\n", "string(" CASE("fails_once")
                                "/flakyFailure/system-out)");
    EXPECT_XPATH(&c, "run 2\n", "string(" CASE("fails_once") "/system-out)");
    EXPECT_XPATH(&c, "attempt 1 of 3: killed by SIGSEGV (Segmentation fault)",
                 "string(" CASE("crashes_once") "/flakyError/@message)");
    EXPECT_XPATH(&c, "SIGSEGV", "string(" CASE("crashes_once")
                                "/flakyError/@type)");
    EXPECT_XPATH(&c, "3", "count(" CASE("passes_on_fourth") "/flakyFailure)");
    EXPECT_XPATH(&c, "0", "count(//testcase[not(@name='fails_once' or "
                          "@name='crashes_once' or @name='passes_on_fourth')]"
                          "/*[starts-with(name(), 'flaky')])");
    EXPECT_EQ(runs_of(&c, "fails_once"), 2);
    EXPECT_EQ(runs_of(&c, "passes"), 1);
    counted_free(&c);
}

TEST(retry, a_test_that_never_passes_carries_its_reruns)
{
    static const char *const args[] = {"--retries", "2", NULL};
    struct counted c;
    const struct st_outcome *t;

    run_counted(&c, "retries", args, NULL);
    EXPECT_TRUE(has_line(c.o.run.out,
                            "FAIL    retries/always_fails  failed on attempt "
                            "3 of 3"), "%s", c.o.run.out);
    t = st_outcome(&c.o, "retries/always_fails");
    ASSERT_NOT_NULL(t);
    EXPECT_STREQ(t->word, "FAIL");
    EXPECT_NOT_NULL(strstr(t->reason, "fails on run 3"), "%s", t->reason);
    EXPECT_NOT_NULL(strstr(c.o.tap, "  attempt: 3\n  attempts: 3\n"),
                    "%s", c.o.tap);
    EXPECT_XPATH(&c, "1", "count(" CASE("always_fails") "/failure)");
    EXPECT_XPATH(&c, "2", "count(" CASE("always_fails") "/rerunFailure)");
    EXPECT_XPATH(&c, "run 2\n", "string(" CASE("always_fails")
                                "/rerunFailure[2]/system-out)");
    EXPECT_NOT_NULL(strstr(c.o.run.out, "FAIL(): fails on run 2"), "%s",
                    c.o.run.out);
    EXPECT_XPATH(&c, "2", "count(" CASE("always_crashes") "/rerunError)");
    EXPECT_XPATH(&c, "1", "count(" CASE("always_crashes") "/error)");
    EXPECT_XPATH(&c, "attempt 3 of 3: killed by SIGSEGV (Segmentation fault)",
                 "string(" CASE("always_crashes") "/error/@message)");
    EXPECT_EQ(runs_of(&c, "always_fails"), 3);
    counted_free(&c);
}

/* A test's earlier attempts, as --junit-attempts has them: every element
 * Maven Surefire writes for one. */
#define ATTEMPT_ELEMENTS                                                      \
    "//flakyFailure|//flakyError|//rerunFailure|//rerunError"

TEST(retry, junit_attempts_last_keeps_only_the_deciding_attempt)
{
    static const char *const args[] = {"--retries", "2", "--junit-attempts",
                                       "last", NULL};
    struct counted c;

    run_counted(&c, "retries", args, NULL);
    EXPECT_EQ(c.o.run.code, 1, "%s", c.o.run.out);
    EXPECT_EQ(st_xml_count(c.xml, ATTEMPT_ELEMENTS), (size_t)0);
    /* FLAKY: a plain pass, with the output of the attempt that passed. */
    EXPECT_XPATH(&c, "0", "count(" CASE("fails_once") "/*[not(self::"
                          "system-out or self::system-err)])");
    EXPECT_XPATH(&c, "run 2\n", "string(" CASE("fails_once") "/system-out)");
    EXPECT_XPATH(&c, "0", "count(" CASE("crashes_once") "/*)");
    /* Failed every time: the last attempt, saying which it was. */
    EXPECT_XPATH(&c, "1", "count(" CASE("always_fails") "/failure)");
    EXPECT_XPATH(&c, "attempt 3 of 3: ",
                 "substring-before(" CASE("always_fails")
                 "/failure/@message, '/')");
    EXPECT_XPATH(&c, "run 3\n", "string(" CASE("always_fails")
                                "/system-out)");
    EXPECT_XPATH(&c, "1", "count(" CASE("always_crashes") "/error)");
    /* The console and TAP still say FLAKY. */
    st_expect_outcome(&c.o, "retries/fails_once", "FLAKY",
                      "passed on attempt 2 of 3", NULL, NULL, NULL);
    counted_free(&c);
}

TEST(retry, junit_attempts_surefire_is_the_default_and_wins_as_a_flag)
{
    static const char *const named[] = {"--retries", "2",
                                        "--junit-attempts", "surefire",
                                        NULL};
    static const char *const plain[] = {"--retries", "2", NULL};
    struct counted c;

    /* The flag wins over its twin. */
    run_counted(&c, "retries", named, "CORDON_JUNIT_ATTEMPTS=last");
    EXPECT_XPATH(&c, "1", "count(" CASE("fails_once") "/flakyFailure)");
    EXPECT_XPATH(&c, "2", "count(" CASE("always_fails") "/rerunFailure)");
    counted_free(&c);
    /* The twin alone. */
    run_counted(&c, "retries", plain, "CORDON_JUNIT_ATTEMPTS=last");
    EXPECT_EQ(st_xml_count(c.xml, ATTEMPT_ELEMENTS), (size_t)0);
    counted_free(&c);
}

TEST(retry, junit_attempts_takes_surefire_or_last)
{
    static const char *const args[] = {"--junit-attempts", "all", NULL};
    static const char *const env[] = {"CORDON_JUNIT_ATTEMPTS=first", NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: --junit-attempts: 'all' is not a way to "
                        "write a retried test's attempts (use surefire, or "
                        "last for the deciding attempt only)\n");
    EXPECT_EQ(r.out_len, (size_t)0, "no test may run: %s", r.out);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "pass", NULL, env), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: CORDON_JUNIT_ATTEMPTS: 'first' is not a "
                        "way to write a retried test's attempts (use "
                        "surefire, or last for the deciding attempt "
                        "only)\n");
    st_free(&r);
}

TEST(retry, a_test_s_own_retries_win)
{
    static const char *const args[] = {"--filter", "*retried",
                                       "--filter", "*fourth", NULL};
    struct counted c;

    /* From the environment twin: .retries = 0 and = 3 still win. */
    run_counted(&c, "retries", args, "CORDON_RETRIES=1");
    st_expect_outcome(&c.o, "retries/never_retried", "FAIL", NULL, NULL,
                      NULL, NULL);
    st_expect_outcome(&c.o, "retries/passes_on_fourth", "FLAKY",
                      "passed on attempt 4 of 4", NULL, NULL, NULL);
    EXPECT_EQ(runs_of(&c, "never_retried"), 1);
    EXPECT_XPATH(&c, "0", "count(//rerunFailure)");
    counted_free(&c);
}

TEST(retry, without_retries_nothing_is_rerun)
{
    static const char *const args[] = {"--filter", "*_once", NULL};
    struct counted c;

    run_counted(&c, "retries", args, NULL);
    st_expect_outcome(&c.o, "retries/fails_once", "FAIL", NULL, NULL, NULL,
                      NULL);
    /* No attempt: or attempts: key; a crash's backtrace may name
     * libcordon's attempt() where an optimiser took the test body's frame
     * away (a tail call to raise()). */
    EXPECT_NULL(strstr(c.o.tap, "\n  attempt"), "%s", c.o.tap);
    EXPECT_EQ(runs_of(&c, "fails_once"), 1);
    counted_free(&c);
}

TEST(retry, repeat_runs_each_test_and_fails_on_a_failing_run)
{
    static const char *const args[] = {"--repeat", "4", "--filter",
                                       "*passes", "--filter", "*third*",
                                       NULL};
    struct counted c;

    run_counted(&c, "retries", args, NULL);
    EXPECT_EQ(c.o.run.code, 1);
    st_expect_outcome(&c.o, "retries/passes", "PASS", "", "", NULL, NULL);
    st_expect_outcome(&c.o, "retries/fails_third_run", "FAIL", NULL, NULL,
                      NULL, NULL);
    EXPECT_TRUE(has_line(c.o.run.out,
                            "PASS    retries/passes  passed 4 repetitions"),
                "%s", c.o.run.out);
    EXPECT_TRUE(has_line(c.o.run.out,
                            "FAIL    retries/fails_third_run  failed on "
                            "repetition 3 of 4"), "%s", c.o.run.out);
    EXPECT_NOT_NULL(strstr(c.o.tap, "  repetition: 3\n  repetitions: 4\n"),
                    "%s", c.o.tap);
    EXPECT_XPATH(&c, "repetition 3 of 4: ",
                 "substring-before(" CASE("fails_third_run")
                 "/failure/@message, '/')");
    /* Ids unchanged: one testcase each. */
    EXPECT_XPATH(&c, "2", "count(//testcase)");
    EXPECT_EQ(runs_of(&c, "passes"), 4);
    /* The failing repetition ends the test. */
    EXPECT_EQ(runs_of(&c, "fails_third_run"), 3);
    counted_free(&c);
}

TEST(retry, fail_fast_starts_nothing_after_a_failure)
{
    static const char *const args[] = {"--fail-fast", "-j1", NULL};
    static const char *const reason =
        "not run: --fail-fast after fail_fast/fails failed";
    struct counted c;

    run_counted(&c, "fail_fast", args, NULL);
    EXPECT_EQ(c.o.run.code, 1);
    st_expect_outcome(&c.o, "fail_fast/passes", "PASS", "", "", "ran\n",
                      "");
    st_expect_outcome(&c.o, "fail_fast/fails", "FAIL", NULL, NULL, NULL,
                      NULL);
    st_expect_outcome(&c.o, "fail_fast/after_one", "SKIP", reason, "", "",
                      "");
    st_expect_outcome(&c.o, "fail_fast/after_two", "SKIP", reason, "", "",
                      "");
    EXPECT_NOT_NULL(strstr(c.o.run.out, "SKIP    fail_fast/after_two  not run: "
                                        "--fail-fast after fail_fast/fails "
                                        "failed\n"), "%s", c.o.run.out);
    EXPECT_XPATH(&c, reason, "string(" CASE("after_one") "/skipped/@message)");
    counted_free(&c);
}

TEST(retry, run_disabled_runs_disabled_tests)
{
    static const char *const args[] = {"--run-disabled", NULL};
    struct counted c;

    run_counted(&c, "disabled", args, NULL);
    st_expect_outcome(&c.o, "disabled/never_runs", "CRASH",
                      "killed by SIGABRT (Aborted)", NULL, NULL, NULL);
    st_expect_outcome(&c.o, "disabled/with_other_options", "PASS", NULL,
                      NULL, NULL, NULL);
    EXPECT_TRUE(has_line(c.o.run.out, "CRASH   disabled/never_runs"), "%s",
                c.o.run.out);
    EXPECT_XPATH(&c, "0", "count(//skipped)");
    counted_free(&c);
}

TEST(retry, bad_values_are_usage_errors)
{
    static const struct {
        const char *flag, *value, *says;
    } bad[] = {
        {"--retries", "x", "--retries: 'x' is not a number of retries"},
        {"--retries", "101", "--retries: '101' is not a number of retries"},
        {"--repeat", "0", "--repeat: '0' is not a number of runs"},
        {"--seed", "-3", "--seed: '-3' is not a seed"},
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[] = {bad[i].flag, bad[i].value, NULL};
        struct st_run r;

        ASSERT_EQ(st_run_fixture(&r, "pass", args, NULL), 0);
        EXPECT_EQ(r.code, 2, "%s %s", bad[i].flag, bad[i].value);
        EXPECT_NOT_NULL(strstr(r.err, bad[i].says), "%s", r.err);
        st_free(&r);
    }
}

/* shuffled runs the shuffle fixture with -j1 and args and returns the
 * order its tests ran in, a name a line; the console goes to *console. */
static char *
shuffled(const char *const *args, char **console)
{
    char *dir = st_tmpdir();
    char *log = st_format("%s/log", dir);
    char *env_log = st_format("SHUFFLE_LOG=%s", log);
    const char *env[] = {env_log, NULL};
    const char *argv[8] = {"-j1"};
    struct st_run r;
    char *order;
    size_t n = 1;

    for (size_t i = 0; args[i] != NULL && n < 7; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (st_run_fixture(&r, "shuffle", argv, env) != 0)
        return NULL;
    order = st_read_file(log, NULL);
    *console = r.out;
    r.out = NULL;
    st_free(&r);
    st_rmtree(dir);
    free(log);
    free(env_log);
    return order;
}

TEST(retry, a_seed_reproduces_a_shuffled_order)
{
    static const char *const seeded[] = {"--seed", "42", NULL};
    static const char *const plain[] = {NULL};
    char *c1, *c2, *c3;
    char *a = shuffled(seeded, &c1), *b = shuffled(seeded, &c2);
    char *in_order = shuffled(plain, &c3);

    ASSERT_NOT_NULL(a);
    ASSERT_NOT_NULL(b);
    ASSERT_NOT_NULL(in_order);
    EXPECT_STREQ(a, b);
    EXPECT_STRNE(a, in_order);
    EXPECT_NOT_NULL(strstr(c1, "cordon: shuffled with --seed=42 "), "%s", c1);
    EXPECT_NULL(strstr(c3, "shuffled"), "%s", c3);
    /* The console still lists the tests in test order. */
    EXPECT_TRUE(has_line(c1, "PASS    shuffle/t01"), "%s", c1);
    EXPECT_LT(strstr(c1, "shuffle/t01"), strstr(c1, "shuffle/t02"));
    free(a);
    free(b);
    free(in_order);
    free(c1);
    free(c2);
    free(c3);
}

TEST(retry, shuffle_prints_the_seed_it_drew)
{
    static const char *const args[] = {"--shuffle", NULL};
    char *console, *again_console, *order, *again;
    const char *at;
    char seed[32];
    const char *seeded[3] = {"--seed", seed, NULL};

    order = shuffled(args, &console);
    ASSERT_NOT_NULL(order);
    at = strstr(console, "cordon: shuffled with --seed=");
    ASSERT_NOT_NULL(at, "%s", console);
    ASSERT_EQ(sscanf(at, "cordon: shuffled with --seed=%31[0-9]", seed), 1);
    again = shuffled(seeded, &again_console);
    ASSERT_NOT_NULL(again);
    EXPECT_STREQ(order, again);
    free(order);
    free(again);
    free(console);
    free(again_console);
}

TEST(retry, reports_stay_in_test_order_when_shuffled)
{
    static const char *const args[] = {"--seed", "7", NULL};
    struct counted c;
    char *ids;

    run_counted(&c, "shuffle", args, NULL);
    ids = st_outcomes_ids(&c.o, NULL);
    EXPECT_STREQ(ids, "shuffle/t01\nshuffle/t02\nshuffle/t03\nshuffle/t04\n"
                      "shuffle/t05\nshuffle/t06\nshuffle/t07\nshuffle/t08\n"
                      "shuffle/t09\nshuffle/t10\nshuffle/t11\nshuffle/t12\n");
    EXPECT_XPATH(&c, "t01", "string(//testcase[1]/@name)");
    EXPECT_XPATH(&c, "t12", "string(//testcase[12]/@name)");
    free(ids);
    counted_free(&c);
}
