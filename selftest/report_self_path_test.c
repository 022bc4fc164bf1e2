// SPDX-License-Identifier: MIT
// report_self_path_test.c — selftests of a report path that names the
// running test binary however it was started: by a name found in PATH
// (argv[0] with no slash), and without /proc, where the binary cannot ask
// the system which file it is. The binary must be left as it was and the
// run end with exit status 2 and one line saying why. Each run is of a
// copy of the pass fixture in a directory of its own, so a guard that
// fails ruins only the copy.
#include <cordon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

/* How a copy is started: from its directory, found in PATH by name
 * (argv[0] "t_bin"), under unshare with /proc unmounted when noproc. */
struct start {
    const char *dir;
    const char *const *args; /* after the binary's name */
    bool noproc;
};

static void
start_copy(void *arg)
{
    const struct start *s = arg;
    char *argv[32], *path = st_format("%s:/usr/bin:/bin", s->dir);
    size_t n = 0;

    if (chdir(s->dir) != 0 || setenv("PATH", path, 1) != 0) {
        fprintf(stderr, "cannot enter %s: %s\n", s->dir, strerror(errno));
        _exit(127);
    }
    if (s->noproc) {
        argv[n++] = "unshare";
        argv[n++] = "-m";
        argv[n++] = "sh";
        argv[n++] = "-c";
        argv[n++] = "umount -l /proc && exec \"$0\" \"$@\"";
    }
    argv[n++] = "t_bin";
    for (size_t i = 0; s->args[i] != NULL && n < 31; i++)
        argv[n++] = (char *)s->args[i];
    argv[n] = NULL;
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* same_file says the file at path holds what the file at original does. */
static bool
same_file(const char *path, const char *original)
{
    size_t a = 0, b = 0;
    char *x = st_read_file(path, &a), *y = st_read_file(original, &b);
    bool same = x != NULL && y != NULL && a == b && memcmp(x, y, a) == 0;

    free(x);
    free(y);
    return same;
}

/* copy_into copies the pass fixture into dir as name, executable. */
static void
copy_into(const char *dir, const char *name)
{
    char *cmd = st_format("cp '%s' '%s/%s' && chmod 755 '%s/%s'",
                          st_fixture("pass"), dir, name, dir, name);
    char *out = NULL;
    int rc = st_shell(cmd, &out);

    free(cmd);
    ASSERT_EQ(rc, 0, "cannot copy the fixture: %s", out ? out : "");
    free(out);
}

/* run_copy starts the copy in dir with args and waits for it. */
static void
run_copy(struct st_run *r, const char *dir, const char *const *args,
         bool noproc)
{
    struct start s = {dir, args, noproc};

    ASSERT_EQ(st_wait(r, st_start_fixture_with(r, "pass", NULL, NULL,
                                               start_copy, &s)),
              0);
}

/* expect_refused checks a run that refused report path file in dir: exit
 * status 2, one line on stderr holding text, and the file as it was. */
static void
expect_refused(const struct st_run *r, const char *dir, const char *file,
               const char *text)
{
    char *path = st_format("%s/%s", dir, file);
    const char *nl = strchr(r->err, '\n');

    EXPECT_EQ(r->code, 2, "stdout: %.300s\nstderr: %.300s", r->out, r->err);
    EXPECT_NOT_NULL(strstr(r->err, text), "%s", r->err);
    EXPECT_TRUE(nl != NULL && nl[1] == '\0', "not one line: %s", r->err);
    EXPECT_TRUE(same_file(path, st_fixture("pass")),
                "%s was written over", file);
    free(path);
}

TEST(report_self_path, a_binary_found_in_path_keeps_itself)
{
    static const char *const flags[] = {"--junit", "--tap", "--html",
                                        "--json", "--ctrf"};
    char *dir = st_tmpdir();

    copy_into(dir, "t_bin");
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *args[] = {flags[i], "t_bin", NULL};
        struct st_run r;

        run_copy(&r, dir, args, false);
        expect_refused(&r, dir, "t_bin", "is this test binary");
        st_free(&r);
    }
    st_rmtree(dir);
}

TEST(report_self_path, without_proc_a_binary_found_in_path_keeps_itself,
     .timeout = 30)
{
    static const char *const args[] = {"--junit", "t_bin", NULL};
    char *dir = st_tmpdir();
    struct st_run r;

    if (st_hide_proc_why() != NULL)
        SKIP("%s", st_hide_proc_why());
    copy_into(dir, "t_bin");
    run_copy(&r, dir, args, true);
    expect_refused(&r, dir, "t_bin", "is this test binary");
    st_free(&r);
    st_rmtree(dir);
}

/* Without /proc, argv[0] is only a claim (exec -a can set it to any
 * name): an executable file is never taken for a report's. */
TEST(report_self_path, without_proc_an_executable_is_never_written_over,
     .timeout = 30)
{
    static const char *const args[] = {"--tap", "other", NULL};
    char *dir = st_tmpdir();
    struct st_run r;

    if (st_hide_proc_why() != NULL)
        SKIP("%s", st_hide_proc_why());
    copy_into(dir, "t_bin");
    copy_into(dir, "other");
    run_copy(&r, dir, args, true);
    expect_refused(&r, dir, "other", "is an executable file");
    st_free(&r);
    st_rmtree(dir);
}

TEST(report_self_path, without_proc_a_report_is_written_over, .timeout = 30)
{
    static const char *const args[] = {"--tap", "r.tap", NULL};
    char *dir = st_tmpdir(), *path, *tap;
    struct st_run r;

    if (st_hide_proc_why() != NULL)
        SKIP("%s", st_hide_proc_why());
    copy_into(dir, "t_bin");
    path = st_format("%s/r.tap", dir);
    st_write_file(path, "an old report\n");
    run_copy(&r, dir, args, true);
    EXPECT_EQ(r.code, 0, "stderr: %.300s", r.err);
    tap = st_read_file(path, NULL);
    ASSERT_NOT_NULL(tap);
    EXPECT_EQ(strncmp(tap, "TAP version", 11), 0, "%.100s", tap);
    free(tap);
    free(path);
    st_free(&r);
    st_rmtree(dir);
}
