// SPDX-License-Identifier: MIT
// report_hostile_test.c — selftests of the reports of xml_hostile, whose
// tests print and fail with control bytes, invalid UTF-8, "]]>", NUL
// bytes, ANSI colours and 10 MB of output: the JUnit file must be
// well-formed, schema-valid and capped, with every unfit byte shown as
// \xNN and colours gone; the TAP file must stay line-oriented text.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* What xml_hostile's HOSTILE string becomes in a report. */
#define HOSTILE_CLEAN                                                         \
    "ctl[\\x01\\x02\\x07\\x08\\x0B\\x0C\\x0E\\x1F] "                          \
    "utf8[\\xFF\\xFE \\xC3 \\xC0\\xAF \\xED\\xA0\\x80 \\xEF\\xBF\\xBE] "      \
    "ok[\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80] "                              \
    "cdata[]]> <![CDATA[ x ]]>] "                                              \
    "ansi[red ] "                                                              \
    "markup[</testcase> &amp; \"q\" 'a']"

struct hostile {
    char *dir;
    char junit[4096];
    char tap[4096];
    struct st_run run;
    struct st_xml *xml;
    char *raw; /* the JUnit file's bytes */
    size_t raw_len;
};

static void
run_hostile(struct hostile *h)
{
    const char *args[] = {"--junit", h->junit, "--tap", h->tap, NULL};
    char why[512] = "";

    memset(h, 0, sizeof *h);
    h->dir = st_tmpdir();
    ASSERT_NOT_NULL(h->dir);
    snprintf(h->junit, sizeof h->junit, "%s/report.xml", h->dir);
    snprintf(h->tap, sizeof h->tap, "%s/report.tap", h->dir);
    ASSERT_EQ(st_run_fixture(&h->run, "xml_hostile", args, NULL), 0);
    EXPECT_EQ(h->run.code, 1, "stderr: %s", h->run.err);
    h->raw = st_read_file(h->junit, &h->raw_len);
    ASSERT_NOT_NULL(h->raw, "no JUnit report; stderr: %s", h->run.err);
    h->xml = st_xml_load(h->junit, why, sizeof why);
    ASSERT_NOT_NULL(h->xml, "not well-formed: %s", why);
}

static void
hostile_done(struct hostile *h)
{
    st_xml_free(h->xml);
    free(h->raw);
    st_free(&h->run);
    st_rmtree(h->dir);
}

/* of returns the string value of what under testcase name; free() it. */
static char *
of(struct hostile *h, const char *name, const char *what)
{
    char xpath[512];
    char *s;

    snprintf(xpath, sizeof xpath, "string(//testcase[@name='%s']/%s)", name,
             what);
    s = st_xml_string(h->xml, xpath);
    ASSERT_NOT_NULL(s, "%s", xpath);
    return s;
}

#define EXPECT_OF(h, name, what, want)                                        \
    do {                                                                      \
        char *got_ = of(h, name, what);                                       \
        EXPECT_STREQ(got_, want, "%s of %s", what, name);                     \
        free(got_);                                                           \
    } while (0)

TEST(report_hostile, junit_is_well_formed_with_only_xml_characters)
{
    struct hostile h;

    run_hostile(&h);
    /* The parser accepted it (run_hostile); no raw control byte, ESC or
     * NUL made it into the file either. */
    for (size_t i = 0; i < h.raw_len; i++) {
        unsigned char c = (unsigned char)h.raw[i];

        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            FAIL("byte 0x%02x at offset %zu of the JUnit file", c, i);
            break;
        }
    }
    EXPECT_EQ(st_xml_count(h.xml, "//testcase"), (size_t)7);
    hostile_done(&h);
}

TEST(report_hostile, junit_validates_against_the_schema)
{
    struct hostile h;
    char why[512] = "";

    if (!st_schema_present())
        SKIP("JUnit schema absent: %s", ST_JUNIT_XSD);
    run_hostile(&h);
    EXPECT_EQ(st_xml_validate(h.xml, ST_JUNIT_XSD, why, sizeof why), 0,
              "%s", why);
    hostile_done(&h);
}

TEST(report_hostile, control_bytes_become_visible_escapes)
{
    struct hostile h;
    char want[256] = "";

    for (int c = 1; c < 0x20; c++) {
        char one[8];

        if (c == '\t' || c == '\n' || c == '\r')
            snprintf(one, sizeof one, "%c", c);
        else
            snprintf(one, sizeof one, "\\x%02X", c);
        strcat(want, one);
    }
    strcat(want, "\n");
    run_hostile(&h);
    EXPECT_OF(&h, "control_bytes", "system-out", want);
    hostile_done(&h);
}

TEST(report_hostile, output_is_sanitised_on_both_streams)
{
    static const char want[] = HOSTILE_CLEAN "\nnul[a\\x00b\\x00\\x00c]\n";
    struct hostile h;

    run_hostile(&h);
    EXPECT_OF(&h, "everything_on_both_streams", "system-out", want);
    EXPECT_OF(&h, "everything_on_both_streams", "system-err", want);
    hostile_done(&h);
}

TEST(report_hostile, ten_megabytes_are_capped_with_a_marker)
{
    struct hostile h;
    char *out;
    size_t len;

    run_hostile(&h);
    out = of(&h, "ten_megabytes", "system-out");
    len = strlen(out);
    EXPECT_EQ(strncmp(out, "HEAD-MARK" HOSTILE_CLEAN, 9 + sizeof HOSTILE_CLEAN
                                                          - 1), 0);
    EXPECT_TRUE(len > 10 && strcmp(out + len - 10, "TAIL-MARK\n") == 0,
                "ends with: %s", len > 40 ? out + len - 40 : out);
    /* 10 MiB printed, 64 KiB kept. */
    EXPECT_EQ(st_count(out, "[... cordon: 10420224 bytes of output omitted "
                            "...]"), (size_t)1);
    EXPECT_LT(h.raw_len, (size_t)(256 * 1024), "the JUnit file is capped");
    free(out);
    hostile_done(&h);
}

TEST(report_hostile, hostile_failure_and_skip_messages)
{
    struct hostile h;
    char *msg, *body, *skip;

    run_hostile(&h);
    msg = of(&h, "fails_with_hostile_strings", "failure/@message");
    body = of(&h, "fails_with_hostile_strings", "failure");
    skip = of(&h, "skips_with_hostile_reason", "skipped/@message");
    /* The first failure: EXPECT_STREQ shows its operand C-escaped, the
     * user's message is sanitised like output. */
    EXPECT_NOT_NULL(strstr(msg, "EXPECT_STREQ(HOSTILE, \"plain\") failed: "
                                "expected HOSTILE == \"plain\", but "
                                "HOSTILE is \"ctl[\\x01"), "%s", msg);
    EXPECT_NOT_NULL(strstr(msg, "-- message " HOSTILE_CLEAN), "%s", msg);
    EXPECT_NULL(strchr(msg, '\n'));
    EXPECT_NOT_NULL(strstr(body, "FAIL(): fail " HOSTILE_CLEAN "\n"), "%s",
                    body);
    EXPECT_STREQ(skip, "skip " HOSTILE_CLEAN);
    free(msg);
    free(body);
    free(skip);
    hostile_done(&h);
}

TEST(report_hostile, hostile_file_name_attribute)
{
    struct hostile h;

    run_hostile(&h);
    EXPECT_OF(&h, "from_hostile_file_name", "@file",
              "ho<st>&\"ile\\x01\t]]>.c");
    hostile_done(&h);
}

TEST(report_hostile, tap_stays_text)
{
    struct hostile h;
    char *tap;
    size_t len;

    run_hostile(&h);
    tap = st_read_file(h.tap, &len);
    ASSERT_NOT_NULL(tap);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)tap[i];

        if (c < 0x20 && c != '\n' && c != '\t') {
            FAIL("byte 0x%02x at offset %zu of the TAP file", c, i);
            break;
        }
    }
    EXPECT_NOT_NULL(strstr(tap, "ok 5 - xml_hostile/skips_with_hostile_reason"
                                " # SKIP skip " HOSTILE_CLEAN "\n"), "%s", tap);
    EXPECT_NOT_NULL(strstr(tap, ": FAIL(): fail " HOSTILE_CLEAN "\n"), "%s",
                    tap);
    EXPECT_LT(len, (size_t)(16 * 1024), "passing output stays out of TAP");
    free(tap);
    hostile_done(&h);
}
