// SPDX-License-Identifier: MIT
// packaging_manpage_test.c — the installed man pages keep up with the
// command lines: every long option and every environment variable that a
// test binary's --help names is documented in docs/cordon.1, and every
// option of cordon-junit-merge in docs/cordon-junit-merge.1.
#include <cordon.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* troff spells "-" as "\-" in option names. */
static char *
troff_option(const char *option, size_t len)
{
    char *out = calloc(1, 2 * len + 1), *q = out;

    for (size_t i = 0; out != NULL && i < len; i++) {
        if (option[i] == '-')
            *q++ = '\\';
        *q++ = option[i];
    }
    return out;
}

/* documented_options checks that page documents every long option help
 * names, and returns how many help names. */
static size_t
documented_options(const char *page, const char *help, const char *what)
{
    size_t options = 0;

    for (const char *p = help; (p = strstr(p, "--")) != NULL;) {
        size_t len = 2;
        char *want;

        while (isalnum((unsigned char)p[len]) || p[len] == '-')
            len++;
        want = troff_option(p, len);
        EXPECT_NOT_NULL(strstr(page, want), "%s --help names %.*s, the man "
                        "page does not", what, (int)len, p);
        free(want);
        options++;
        p += len;
    }
    return options;
}

TEST(packaging, man_page_documents_every_option_and_variable)
{
    char *page = st_read_file(CORDON_SOURCE_DIR "/docs/cordon.1", NULL);
    struct st_run r;
    size_t options, variables = 0;

    ASSERT_NOT_NULL(page, "docs/cordon.1 is missing");
    ASSERT_EQ(st_run_fixture(&r, "pass", (const char *[]){"--help", NULL},
                             NULL), 0);
    ASSERT_EQ(r.code, 0);
    options = documented_options(page, r.out, "a test binary's");
    for (const char *p = r.out; (p = strstr(p, "CORDON_")) != NULL;) {
        size_t len = 7;
        char *name;

        while (isupper((unsigned char)p[len]) || p[len] == '_')
            len++;
        name = st_format("%.*s", (int)len, p);
        EXPECT_NOT_NULL(strstr(page, name), "--help names %s, the man page "
                        "does not", name);
        free(name);
        variables++;
        p += len;
    }
    EXPECT_GE(options, (size_t)10);
    EXPECT_GE(variables, (size_t)5);
    st_free(&r);
    free(page);
}

TEST(packaging, merge_man_page_documents_every_option)
{
    char *page = st_read_file(CORDON_SOURCE_DIR "/docs/cordon-junit-merge.1",
                              NULL);
    char *cmd = st_format("'%s' --help", CORDON_JUNIT_MERGE), *help = NULL;

    ASSERT_NOT_NULL(page, "docs/cordon-junit-merge.1 is missing");
    ASSERT_EQ(st_shell(cmd, &help), 0, "%s", help);
    EXPECT_GE(documented_options(page, help, "cordon-junit-merge"),
              (size_t)3);
    EXPECT_NOT_NULL(strstr(page, "\\-o"), "-o");
    free(help);
    free(cmd);
    free(page);
}
