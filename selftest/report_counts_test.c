// SPDX-License-Identifier: MIT
// report_counts_test.c — selftests that the console, JUnit and TAP reports
// of one run, asked for together, agree on every count: tests, passed,
// failed (and within that failures against errors), skipped.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

struct counts {
    long total, pass, fail, crash, timeout, exit, skip, interrupted;
};

/* console_counts reads the console's breakdown line. */
static void
console_counts(const char *out, struct counts *c)
{
    /* The breakdown; a recap may come first ("cordon: N tests did not
     * pass:"). */
    char *line = st_line(out, "cordon: ");
    char *passed;

    while (line != NULL && strstr(line, " s: ") == NULL) {
        const char *next = strstr(out, line);

        free(line);
        out = next != NULL ? strchr(next, '\n') : NULL;
        line = out != NULL ? st_line(out + 1, "cordon: ") : NULL;
    }

    memset(c, 0, sizeof *c);
    ASSERT_NOT_NULL(line, "no summary in %s", out);
    /* "cordon: N tests in S s: P pass, F fail, C crash, T timeout,
     * E exit, K skip[, I interrupted]" */
    ASSERT_EQ(sscanf(strchr(line, ':') + 1, " %ld test", &c->total), 1,
              "%s", line);
    ASSERT_EQ(sscanf(strstr(line, " s: ") + 4,
                     "%ld pass, %ld fail, %ld crash, %ld timeout, %ld exit, "
                     "%ld skip",
                     &c->pass, &c->fail, &c->crash, &c->timeout, &c->exit,
                     &c->skip), 6, "%s", line);
    if (strstr(line, " interrupted") != NULL)
        sscanf(strstr(line, "skip, ") + 6, "%ld interrupted",
               &c->interrupted);
    free(line);
    /* The closing line says the same in three numbers. */
    passed = st_last_line(out);
    {
        long p, f, s;

        ASSERT_EQ(sscanf(passed, "cordon: %ld passed, %ld failed, %ld "
                                 "skipped", &p, &f, &s), 3, "%s", passed);
        EXPECT_EQ(p, c->pass);
        EXPECT_EQ(f, c->fail + c->crash + c->timeout + c->exit +
                         c->interrupted);
        EXPECT_EQ(s, c->skip);
        EXPECT_EQ(p + f + s, c->total);
    }
    free(passed);
}

TEST(report_counts, console_junit_and_tap_agree)
{
    static const char *const env[] = {ST_ASAN_OPTIONS, NULL};
    char *dir = st_tmpdir();
    char junit[4096], tap[4096], why[256] = "";
    const char *args[] = {"--junit", junit, "--tap", tap, NULL};
    struct counts c;
    struct st_run r;
    struct st_xml *x;
    char *text;
    long plan = -1;

    ASSERT_NOT_NULL(dir);
    snprintf(junit, sizeof junit, "%s/report.xml", dir);
    snprintf(tap, sizeof tap, "%s/report.tap", dir);
    ASSERT_EQ(st_run_fixture(&r, "report_outcomes", args, env), 0);
    EXPECT_EQ(r.code, 1, "stderr: %s", r.err);
    console_counts(r.out, &c);
    /* The fixture has one test of each kind and then some. */
    EXPECT_EQ(c.total, 13);
    EXPECT_EQ(c.pass, 4);
    EXPECT_EQ(c.fail, 4);
    EXPECT_EQ(c.crash, 1);
    EXPECT_EQ(c.timeout, 1);
    EXPECT_EQ(c.exit, 1);
    EXPECT_EQ(c.skip, 2);

    x = st_xml_load(junit, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    EXPECT_EQ(st_xml_number(x, "sum(//testsuite/@tests)"), c.total);
    EXPECT_EQ(st_xml_number(x, "sum(//testsuite/@failures)"), c.fail);
    EXPECT_EQ(st_xml_number(x, "sum(//testsuite/@errors)"),
              c.crash + c.timeout + c.exit + c.interrupted);
    EXPECT_EQ(st_xml_number(x, "sum(//testsuite/@skipped)"), c.skip);
    EXPECT_EQ(st_xml_number(x, "count(//testcase[not(*[self::failure or "
                        "self::error or self::skipped])])"), c.pass);
    st_xml_free(x);

    text = st_read_file(tap, NULL);
    ASSERT_NOT_NULL(text);
    EXPECT_EQ(sscanf(strchr(text, '\n') + 1, "1..%ld", &plan), 1);
    EXPECT_EQ(plan, c.total);
    EXPECT_EQ((long)st_count(text, "not ok "),
              c.fail + c.crash + c.timeout + c.exit + c.interrupted);
    EXPECT_EQ((long)st_count(text, "ok "), c.pass + c.skip, "ok lines");
    {
        size_t skips = 0;

        for (const char *p = text; (p = strstr(p, " # SKIP ")) != NULL; p++)
            skips++;
        EXPECT_EQ((long)skips, c.skip);
    }
    free(text);
    st_free(&r);
    st_rmtree(dir);
}
