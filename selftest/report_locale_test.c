// SPDX-License-Identifier: MIT
// report_locale_test.c — every number cordon writes is locale-independent:
// a program whose main() calls setlocale(LC_ALL, "") under a locale with
// a decimal comma (de_DE, built with localedef into a directory of the
// test's own) still gets "0.024" in JUnit, "duration_ms: 0.072" in TAP and
// "0.3333333333333333" (and "relative 0.33333333333333337") in a check's
// failure, and its --timeout 0.5 is read as half a second; the test
// itself runs in that locale. Skips, and says why, where the locale
// cannot be built.
#include <cordon.h>

#include <stdlib.h>
#include <string.h>

#include "outcomes.h"
#include "xml.h"

/* A big-endian program reads big-endian locale files: glibc's localedef
 * writes its machine's byte order unless told, and a cross-built
 * selftest's machine (s390x under qemu-user on x86_64) is not localedef's.
 * Elsewhere localedef is left to its default. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTE_ORDER_FLAG "--big-endian "
#else
#define BYTE_ORDER_FLAG ""
#endif

/* build_locale makes de_DE.UTF-8 in dir; false when localedef cannot. */
static bool
build_locale(const char *dir)
{
    char *cmd = st_format("localedef " BYTE_ORDER_FLAG "-i de_DE -f UTF-8 "
                          "'%s/de_DE.UTF-8'", dir);
    char *out = NULL;
    int rc = st_shell(cmd, &out);

    free(cmd);
    free(out);
    return rc == 0;
}

/* is_decimal says text is digits, a point and digits. */
static bool
is_decimal(const char *text)
{
    size_t n = strspn(text, "0123456789");

    return n > 0 && text[n] == '.' && strspn(text + n + 1, "0123456789") > 0 &&
           text[n + 1 + strspn(text + n + 1, "0123456789")] == '\0';
}

/* localedef alone takes seconds on a loaded machine. */
TEST(report_locale, numbers_are_written_with_a_point_under_a_comma_locale,
     .timeout = 60)
{
    static const char *const args[] = {"--timeout", "0.5", NULL};
    char *dir = st_tmpdir();
    char *locpath = st_format("LOCPATH=%s", dir);
    const char *const env[] = {locpath, "LC_ALL=de_DE.UTF-8", NULL};
    struct st_outcomes o;
    struct st_xml *x;
    char why[256], **times;
    size_t n;

    if (!build_locale(dir)) {
        free(locpath);
        st_rmtree(dir);
        SKIP("localedef cannot build de_DE.UTF-8 here (Debian: locales)");
    }
    ASSERT_EQ(st_outcomes(&o, "seam_locale_main", args, env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, CORDON_EXIT_FAIL, "%s", o.run.err);
    st_expect_word(&o, "locale_main/sees_the_program_s_locale", "PASS",
                   NULL);
    st_expect_word(&o, "locale_main/fails_with_a_fraction", "FAIL",
                   "third is 0.3333333333333333");
    {
        const struct st_outcome *t =
            st_outcome(&o, "locale_main/fails_with_a_fraction");

        ASSERT_NOT_NULL(t, "%s", o.tap);
        EXPECT_NOT_NULL(strstr(t->failures, "off by 0.16666666666666669 "
                                            "(relative 0.33333333333333337)"),
                        "%s", t->failures);
    }
    /* Every duration has a point after its whole milliseconds, however
     * many there are (a slow machine, an emulator, takes more than 1). */
    {
        size_t durations = 0;

        for (const char *d = strstr(o.tap, "duration_ms: "); d != NULL;
             d = strstr(d + 1, "duration_ms: ")) {
            const char *after = d + strlen("duration_ms: ");

            after += strspn(after, "0123456789");
            EXPECT_EQ(*after, '.', "%.40s", d);
            durations++;
        }
        EXPECT_GT(durations, (size_t)0, "%s", o.tap);
    }
    x = st_xml_load(o.junit_path, why, sizeof why);
    ASSERT_NOT_NULL(x, "%s", why);
    times = st_xml_strings(x, "//@time", &n);
    ASSERT_NOT_NULL(times);
    EXPECT_GE(n, (size_t)4, "every testcase, suite and the whole run");
    for (size_t i = 0; i < n; i++)
        EXPECT_TRUE(is_decimal(times[i]), "time=\"%s\"", times[i]);
    st_xml_strings_free(times);
    st_xml_free(x);
    st_outcomes_free(&o);
    free(locpath);
    {
        char *cmd = st_format("rm -rf '%s'", dir), *out = NULL;

        st_shell(cmd, &out);
        free(cmd);
        free(out);
    }
    free(dir);
}
