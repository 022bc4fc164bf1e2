// SPDX-License-Identifier: MIT
// packaging_install_test.c — selftests of cordon as an installed package:
// `cmake --install` of this build tree into a temporary prefix, then
// examples/consumer-cmake built against it with find_package() and run
// under `ctest -j2 --output-junit`, and again with CORDON_JUNIT_DIR and
// the installed cordon-junit-merge, and examples/pkg-config built with
// `cc ... $(pkg-config --cflags --libs cordon-main)` and run. They need
// cmake, ctest and pkg-config on PATH, as any user of the package. The
// consumers are built with the compiler, C flags and toolchain file this
// build of cordon was (-m32 for i386: cmake/toolchains/), as its users
// would build theirs.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "xml.h"

/* consumer_cmake_args returns the cmake options that build a consumer as
 * cordon was built; free() it. */
static char *
consumer_cmake_args(void)
{
    if (CORDON_TOOLCHAIN_FILE[0] == '\0')
        return st_format("-DCMAKE_C_COMPILER='%s' -DCMAKE_C_FLAGS='%s'",
                         CORDON_C_COMPILER, CORDON_C_FLAGS);
    return st_format("-DCMAKE_C_COMPILER='%s' -DCMAKE_C_FLAGS='%s' "
                     "-DCMAKE_TOOLCHAIN_FILE='%s'", CORDON_C_COMPILER,
                     CORDON_C_FLAGS, CORDON_TOOLCHAIN_FILE);
}

/* sh runs a shell command with its output in log; returns its status. */
static int
sh(const char *log, const char *cmd)
{
    char *full = st_format("{ %s ; } >>'%s' 2>&1", cmd, log);
    int status = system(full);

    free(full);
    return status;
}

/* tail returns the last few hundred bytes of a log, for a failure. */
static char *
tail(const char *log)
{
    size_t len = 0;
    char *text = st_read_file(log, &len), *out;

    if (text == NULL)
        return strdup("(no log)");
    out = strdup(len > 1500 ? text + len - 1500 : text);
    free(text);
    return out;
}

/* SH runs a formatted shell command and ends the test when it fails,
 * with the command and the end of its output. */
#define SH(log, ...)                                                          \
    do {                                                                      \
        char *cmd_ = st_format(__VA_ARGS__);                                  \
        int status_ = sh(log, cmd_);                                          \
                                                                              \
        if (status_ != 0)                                                     \
            FAIL("'%s' failed (status %d):\n%s", cmd_, status_, tail(log));   \
        free(cmd_);                                                           \
    } while (0)

static char *prefix;
static char *work;
static char *logfile;

static void
install(void)
{
    work = st_tmpdir();
    prefix = st_format("%s/prefix", work);
    logfile = st_format("%s/log", work);
    SH(logfile, "cmake --install '%s' --prefix '%s'", CORDON_BINARY_DIR,
       prefix);
}

static void
remove_work(void)
{
    char *cmd;

    if (work != NULL) {
        cmd = st_format("rm -rf '%s'", work);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", work);
        free(cmd);
    }
    free(work);
    free(prefix);
    free(logfile);
}

TEST(packaging, find_package_consumer_builds_and_runs_under_ctest,
     .setup = install, .teardown = remove_work, .timeout = 300)
{
    char *junit = st_format("%s/consumer/junit.xml", work), *xml;
    char *as_built = consumer_cmake_args();
    size_t n = 0;

    SH(logfile, "cmake -S '%s/examples/consumer-cmake' -B '%s/consumer' "
       "-DCMAKE_PREFIX_PATH='%s' %s", CORDON_SOURCE_DIR, work, prefix,
       as_built);
    free(as_built);
    SH(logfile, "cmake --build '%s/consumer'", work);
    SH(logfile, "cd '%s/consumer' && ctest -j2 --output-on-failure "
       "--output-junit junit.xml", work);
    xml = st_read_file(junit, NULL);
    ASSERT_NOT_NULL(xml, "ctest wrote no %s", junit);
    for (const char *p = xml; (p = strstr(p, "<testcase")) != NULL; p++)
        n++;
    EXPECT_EQ(n, (size_t)6, "one CTest test per cordon test:\n%s", xml);
    free(xml);
    free(junit);

    /* cordon's own JUnit of the whole ctest run: a report per test in
     * CORDON_JUNIT_DIR, merged by the installed cordon-junit-merge. */
    junit = st_format("%s/consumer/merged.xml", work);
    SH(logfile, "cd '%s/consumer' && CORDON_JUNIT_DIR=\"$PWD/junit\" "
       "ctest -j2 --output-on-failure && ls junit/*.xml | wc -l >count && "
       "'%s/bin/cordon-junit-merge' -o merged.xml junit", work, prefix);
    xml = st_format("%s/consumer/count", work);
    {
        char *count = st_read_file(xml, NULL);

        ASSERT_NOT_NULL(count);
        EXPECT_EQ(atoi(count), 6, "one report per CTest test");
        free(count);
    }
    free(xml);
    {
        char why[512] = "";
        struct st_xml *x = st_xml_load(junit, why, sizeof why);
        char *s;

        ASSERT_NOT_NULL(x, "%s", why);
        EXPECT_EQ(st_xml_count(x, "//testcase"), (size_t)6);
        EXPECT_EQ(st_xml_count(x, "//testcase[@file and @line]"), (size_t)6,
                  "cordon's testcases, not CTest's");
        EXPECT_EQ(st_xml_count(x, "//testsuite"), (size_t)4,
                  "clamp and platform of each binary");
        s = st_xml_string(x, "sum(//testsuite/@tests)");
        EXPECT_STREQ(s, "6");
        free(s);
        if (st_schema_present())
            EXPECT_EQ(st_xml_validate(x, ST_JUNIT_XSD, why, sizeof why), 0,
                      "%s", why);
        st_xml_free(x);
    }
    free(junit);
}

TEST(packaging, pkg_config_consumer_builds_and_runs,
     .setup = install, .teardown = remove_work, .timeout = 120)
{
    char *out;

    SH(logfile, "cd '%s' && PKG_CONFIG_PATH=$(dirname $(find '%s' -name "
       "cordon-main.pc)) && export PKG_CONFIG_PATH && "
       "'%s' %s -std=c11 -D_POSIX_C_SOURCE=200809L "
       "'%s/examples/pkg-config/stack_test.c' "
       "$(pkg-config --cflags --libs cordon-main) %s -o stack_test && "
       "pkg-config --static --libs cordon-main >static-libs && "
       "LD_LIBRARY_PATH=$(dirname $(find '%s' -name libcordon.so)) "
       "./stack_test >run.log", work, prefix, CORDON_C_COMPILER,
       CORDON_C_FLAGS, CORDON_SOURCE_DIR, CORDON_EXE_LINKER_FLAGS, prefix);
    out = st_format("%s/run.log", work);
    free(logfile);
    logfile = out;
    out = st_read_file(logfile, NULL);
    ASSERT_NOT_NULL(out);
    EXPECT_TRUE(st_has_line(out, "cordon: 3 passed, 0 failed, 0 skipped"),
                "%s", out);
    free(out);
    out = st_format("%s/static-libs", work);
    {
        char *libs = st_read_file(out, NULL);

        ASSERT_NOT_NULL(libs);
        /* Linked, libxml2 is a static link's dependency; loaded with
         * dlopen() only when a JUnit report is written, it is not. */
        if (strcmp(st_libxml2_mode(), "link") == 0)
            EXPECT_NOT_NULL(strstr(libs, "-lxml2"), "static libs: %s", libs);
        else
            EXPECT_NULL(strstr(libs, "-lxml2"), "static libs: %s", libs);
        free(libs);
    }
    free(out);
}
