// SPDX-License-Identifier: MIT
// files_test.c — selftests of TEST_FILES: one test per regular file under
// a directory, recursively, in bytewise order of the relative paths, with
// ids whose awkward bytes are escaped %XX so that they round-trip through
// --test, --filter and Bazel's filter; each listed, sharded, run, retried
// and reported on its own; --files and CORDON_FILES point a test at
// another directory; a missing or empty directory stops the binary with
// one line and exit code 2; a file's bytes are read only when touched.
#include <cordon.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* rmtree removes path and everything under it (links are not followed)
 * and frees it. */
static void
rmtree_at(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (lstat(path, &st) == -1)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    d = opendir(path);
    while (d != NULL && (e = readdir(d)) != NULL) {
        char *sub;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        sub = st_format("%s/%s", path, e->d_name);
        rmtree_at(sub);
        free(sub);
    }
    if (d != NULL)
        closedir(d);
    rmdir(path);
}

static void
rmtree(char *path)
{
    if (path != NULL)
        rmtree_at(path);
    free(path);
}

/* put writes text into dir/rel, making the directories on the way. */
static void
put(const char *dir, const char *rel, const char *text)
{
    char *path = st_format("%s/%s", dir, rel);

    for (char *s = strchr(path + strlen(dir) + 1, '/'); s != NULL;
         s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0777);
        *s = '/';
    }
    st_write_file(path, text);
    free(path);
}

/* corpus makes a directory of files whose names need escaping, in
 * subdirectories, with links to a file, back up (a loop) and to nothing. */
static char *
corpus(void)
{
    char *dir = st_tmpdir();
    char *link;

    ASSERT_NOT_NULL(dir);
    put(dir, "b", "pass");
    put(dir, "a/z", "fail");
    put(dir, "a/b c", "pass with a space");
    put(dir, "a-x", "");
    put(dir, "x[1]", "pass");
    put(dir, "q?*", "crash");
    put(dir, "nl\nx", "pass");
    put(dir, "\xff", "pass");
    put(dir, "com,ma", "pass");
    put(dir, ".hidden", "pass");
    put(dir, "sub/deeper/f", "pass");
    link = st_format("%s/link", dir);
    ASSERT_EQ(symlink("b", link), 0);
    free(link);
    link = st_format("%s/sub/loop", dir);
    ASSERT_EQ(symlink("..", link), 0);
    free(link);
    link = st_format("%s/dead", dir);
    ASSERT_EQ(symlink("nowhere", link), 0);
    free(link);
    return dir;
}

static const char corpus_list[] =
    "files/before\n"
    "files/each[.hidden]\n"
    "files/each[a-x]\n"
    "files/each[a/b%20c]\n"
    "files/each[a/z]\n"
    "files/each[b]\n"
    "files/each[com%2Cma]\n"
    "files/each[link]\n"
    "files/each[nl%0Ax]\n"
    "files/each[q%3F%2A]\n"
    "files/each[sub/deeper/f]\n"
    "files/each[x%5B1%5D]\n"
    "files/each[%FF]\n"
    "files/after\n";

TEST(files, one_test_per_file_sorted_recursive_and_escaped)
{
    char *dir = corpus();
    char *spec = st_format("files/each=%s", dir);
    const char *const args[] = {"--list", "--files", spec, NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "files_corpus", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, corpus_list);
    st_free(&r);
    free(spec);
    rmtree(dir);
}

TEST(files, each_file_has_its_own_outcome)
{
    char *dir = corpus();
    char *spec = st_format("files/each=%s", dir);
    char *out = st_format("name a/b c size 17 path %s/a/b c\n", dir);
    char *empty = st_format("name a-x size 0 path %s/a-x\n", dir);
    const char *const args[] = {"--files", spec, "-j", "2", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "files_corpus", args, crash_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)14);
    st_expect_outcome(&o, "files/each[a/b%20c]", "PASS", "", "", out, "");
    st_expect_outcome(&o, "files/each[a-x]", "PASS", "", "", empty, "");
    st_expect_word(&o, "files/each[a/z]", "FAIL", "input a/z says fail");
    st_expect_word(&o, "files/each[q%3F%2A]", "CRASH", "SIGSEGV");
    EXPECT_EQ(st_outcome_count(&o, "PASS"), (size_t)12, "%s", o.run.out);
    st_outcomes_free(&o);
    free(out);
    free(empty);
    free(spec);
    rmtree(dir);
}

TEST(files, escaped_ids_round_trip_through_test_filter_and_bazel)
{
    char *dir = corpus();
    char *spec = st_format("files/each=%s", dir);
    const char *const by_id[] = {"--list", "--files", spec,
                                 "--test", "files/each[nl%0Ax]",
                                 "--test", "files/each[%FF]",
                                 "--test", "files/each[a/b%20c]", NULL};
    const char *const by_glob[] = {"--list", "--files", spec, "--filter",
                                   "files/each?q%3F*", "--filter",
                                   "files/each?com%2C*", NULL};
    const char *const listed[] = {"--list", "--files", spec, NULL};
    const char *const bazel[] = {"TESTBRIDGE_TEST_ONLY=files/each?x%5B1%5D?",
                                 NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "files_corpus", by_id, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "files/each[a/b%20c]\nfiles/each[nl%0Ax]\n"
                        "files/each[%FF]\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", by_glob, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "files/each[com%2Cma]\nfiles/each[q%3F%2A]\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", listed, bazel), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "files/each[x%5B1%5D]\n");
    st_free(&r);
    free(spec);
    rmtree(dir);
}

TEST(files, every_case_is_in_exactly_one_shard)
{
    char *dir = corpus();
    char *spec = st_format("files/each=%s", dir);
    char *joined = calloc(1, sizeof corpus_list);
    size_t total = 0;

    ASSERT_NOT_NULL(joined);
    for (int k = 1; k <= 3; k++) {
        char shard[8];
        const char *const args[] = {"--list", "--files", spec, "--shard",
                                    shard, NULL};
        struct st_run r;

        snprintf(shard, sizeof shard, "%d/3", k);
        ASSERT_EQ(st_run_fixture(&r, "files_corpus", args, NULL), 0);
        EXPECT_EQ(r.code, 0, "%s", r.err);
        for (const char *line = r.out; *line != '\0';) {
            const char *end = strchr(line, '\n');
            char *id = st_format("%.*s", (int)(end - line), line);

            /* In the whole list, and not yet in another shard. */
            EXPECT_TRUE(st_has_line(corpus_list, id), "%s", id);
            EXPECT_FALSE(st_has_line(joined, id), "%s twice", id);
            if (strlen(joined) + strlen(id) + 2 <= sizeof corpus_list) {
                strcat(joined, id);
                strcat(joined, "\n");
            }
            total++;
            free(id);
            line = end + 1;
        }
        st_free(&r);
    }
    EXPECT_EQ(total, (size_t)14);
    free(joined);
    free(spec);
    rmtree(dir);
}

TEST(files, a_case_is_retried_on_its_own)
{
    char *dir = corpus();
    char *spec = st_format("files/each=%s", dir);
    const char *const args[] = {"--files", spec, "--test", "files/each[a/z]",
                                "--retries", "1", NULL};
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "files_corpus", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.n, (size_t)1);
    st_expect_word(&o, "files/each[a/z]", "FAIL", "says fail");
    EXPECT_NOT_NULL(strstr(o.run.out, "failed on attempt 2 of 2"), "%s",
                    o.run.out);
    st_outcomes_free(&o);
    free(spec);
    rmtree(dir);
}

TEST(files, a_missing_directory_is_one_line_and_exit_2)
{
    const char *const args[] = {"--files",
                                "files/each=/nonexistent/cordon-corpus",
                                NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "files_corpus", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: files/each: cannot read directory "
                        "'/nonexistent/cordon-corpus': No such file or "
                        "directory (run from the directory it is relative "
                        "to, or point it elsewhere with --files "
                        "files/each=DIR)\n");
    EXPECT_STREQ(r.out, "");
    st_free(&r);
}

/* Without --files, the directory is the one the test names, relative to
 * where the binary runs. */
TEST(files, the_directory_is_relative_to_the_current_one)
{
    char *dir = st_tmpdir();
    char *path;
    struct st_run r;
    const char *const none[] = {NULL};
    struct st_outcomes o;

    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(chdir(dir), 0);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", NULL, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NOT_NULL(strstr(r.err, "cannot read directory 'files_corpus'"),
                    "%s", r.err);
    st_free(&r);
    put(dir, "files_corpus/one", "pass");
    ASSERT_EQ(st_outcomes(&o, "files_corpus", none, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_outcome(&o, "files/each[one]", "PASS", "", "",
                      "name one size 4 path files_corpus/one\n", "");
    st_outcomes_free(&o);
    path = st_format("%s/files_corpus", dir);
    rmtree(path);
    rmdir(dir);
    free(dir);
}

TEST(files, an_empty_directory_stops_the_binary_unless_allowed)
{
    char *dir = st_tmpdir();
    char *spec = st_format("files/each=%s", dir);
    char *want = st_format("cordon: TEST_FILES files/each: directory '%s' "
                           "holds no regular file (add inputs, point it "
                           "elsewhere with --files files/each=DIR, or set "
                           ".allow_empty = true)\n", dir);
    char *allowed = st_format("allowed/maybe=%s", dir);
    const char *const args[] = {"--files", spec, NULL};
    const char *const empty_ok[] = {"--files", allowed, NULL};
    const char *const missing[] = {"--files", "allowed/maybe=/nonexistent",
                                   NULL};
    struct st_outcomes o;
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, want);
    st_free(&r);
    ASSERT_EQ(st_outcomes(&o, "files_empty_allowed", empty_ok, NULL), 0,
              "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.err);
    EXPECT_EQ(o.n, (size_t)1);
    st_expect_word(&o, "allowed/plain", "PASS", NULL);
    st_outcomes_free(&o);
    /* Allowed to be empty, not to be missing: a typo is still one. */
    ASSERT_EQ(st_run_fixture(&r, "files_empty_allowed", missing, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_NOT_NULL(strstr(r.err, "'/nonexistent'"), "%s", r.err);
    st_free(&r);
    free(want);
    free(allowed);
    free(spec);
    rmtree(dir);
}

TEST(files, files_and_its_variable_choose_the_directory)
{
    char *one = st_tmpdir(), *two = st_tmpdir();
    char *flag = st_format("files/each=%s", one);
    char *var = st_format("CORDON_FILES=other/thing=x;files/each=%s;", two);
    char *bad_var = st_format("CORDON_FILES=files/each=%s;nonsense", two);
    const char *const list[] = {"--list", "--filter", "files/each*", NULL};
    const char *const flagged[] = {"--list", "--files", flag, "--filter",
                                   "files/each*", NULL};
    const char *const unknown[] = {"--list", "--files", "no/such=dir", NULL};
    const char *const env_two[] = {var, NULL};
    const char *const env_bad[] = {bad_var, NULL};
    char *env_good = st_format("CORDON_FILES=files/each=%s", two);
    struct st_run r;

    put(one, "from_one", "pass");
    put(two, "from_two", "pass");
    {
        const char *const env[] = {env_good, NULL};

        ASSERT_EQ(st_run_fixture(&r, "files_corpus", list, env), 0);
        EXPECT_EQ(r.code, 0, "%s", r.err);
        EXPECT_STREQ(r.out, "files/each[from_two]\n");
        st_free(&r);
        /* The flag wins over the variable. */
        ASSERT_EQ(st_run_fixture(&r, "files_corpus", flagged, env), 0);
        EXPECT_EQ(r.code, 0, "%s", r.err);
        EXPECT_STREQ(r.out, "files/each[from_one]\n");
        st_free(&r);
    }
    /* An entry naming no TEST_FILES is refused, from either. */
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", list, env_two), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: CORDON_FILES other/thing=x: this binary has "
                        "no TEST_FILES other/thing (see --list for the "
                        "ids)\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", unknown, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: --files no/such=dir: this binary has no "
                        "TEST_FILES no/such (see --list for the ids)\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", list, env_bad), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: CORDON_FILES: 'nonsense' is not ID=DIR (use "
                        "the TEST_FILES id and a directory, e.g. "
                        "CORDON_FILES=json/parses=corpus)\n");
    st_free(&r);
    free(env_good);
    free(bad_var);
    free(var);
    free(flag);
    rmtree(one);
    rmtree(two);
}

/* A 2 GiB file (sparse: it takes no disk) whose test reads its last byte:
 * mapped, not read, so the test process stays small. */
TEST(files, a_huge_file_is_not_read_unless_touched)
{
    char *dir = st_tmpdir();
    char *path = st_format("%s/two_gib", dir);
    char *spec = st_format("huge/untouched=%s", dir);
    const char *const args[] = {"--files", spec, NULL};
    struct st_outcomes o;
    int fd;

    if (sizeof(void *) < 8)
        SKIP("a 2 GiB mapping needs a 64-bit address space");
    ASSERT_NOT_NULL(dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    ASSERT_TRUE(fd >= 0, "%s", strerror(errno));
    ASSERT_EQ(ftruncate(fd, (off_t)2 << 30), 0, "%s", strerror(errno));
    close(fd);
    ASSERT_EQ(st_outcomes(&o, "files_huge", args, NULL), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    st_expect_word(&o, "huge/untouched[two_gib]", "PASS", NULL);
    st_outcomes_free(&o);
    free(spec);
    free(path);
    rmtree(dir);
}

/* An input removed, or replaced by a fifo, after the listing fails its
 * test at once, with one line naming it: the fifo's open() does not wait
 * for a writer. */
TEST(files, an_input_changed_after_the_listing_fails_with_its_name)
{
    char *dir = st_tmpdir();
    char *spec = st_format("vanish/each=%s", dir);
    char *var = st_format("FILES_VANISH=%s", dir);
    char *gone = st_format("cannot open input '%s/gone': No such file or "
                           "directory", dir);
    char *fifo = st_format("cannot read input '%s/fifo': not a regular "
                           "file", dir);
    const char *const args[] = {"--files", spec, NULL};
    const char *const env[] = {var, NULL};
    struct st_outcomes o;

    ASSERT_NOT_NULL(dir);
    put(dir, "fifo", "x");
    put(dir, "gone", "x");
    put(dir, "kept", "x");
    ASSERT_EQ(st_outcomes(&o, "files_vanish", args, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    st_expect_word(&o, "vanish/each[gone]", "FAIL", gone);
    st_expect_word(&o, "vanish/each[fifo]", "FAIL", fifo);
    st_expect_word(&o, "vanish/each[kept]", "PASS", NULL);
    st_outcomes_free(&o);
    free(fifo);
    free(gone);
    free(var);
    free(spec);
    rmtree(dir);
}

/* "dir//", "dir/./" and "dir" name the same files, with the same ids and
 * paths. */
TEST(files, a_directory_with_trailing_slashes_gives_the_same_ids)
{
    char *dir = corpus();
    const char *const tails[] = {"/", "//", "///", "/./", "/.//."};

    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char *spec = st_format("files/each=%s%s", dir, tails[i]);
        char *out = st_format("name a-x size 0 path %s/a-x\n", dir);
        const char *const list[] = {"--list", "--files", spec, NULL};
        const char *const one[] = {"--files", spec, "--test",
                                   "files/each[a-x]", NULL};
        struct st_outcomes o;
        struct st_run r;

        ASSERT_EQ(st_run_fixture(&r, "files_corpus", list, NULL), 0);
        EXPECT_EQ(r.code, 0, "%s: %s", tails[i], r.err);
        EXPECT_STREQ(r.out, corpus_list, "%s", tails[i]);
        st_free(&r);
        ASSERT_EQ(st_outcomes(&o, "files_corpus", one, NULL), 0, "%s",
                  o.why);
        st_expect_outcome(&o, "files/each[a-x]", "PASS", "", "", out, "");
        st_outcomes_free(&o);
        free(out);
        free(spec);
    }
    rmtree(dir);
}

/* Under --no-fork, one process maps every input in turn: each is unmapped
 * after its test, also one whose ASSERT_ failed, so that a corpus larger
 * than vm.max_map_count, or than the address space, still runs. */
TEST(files, no_fork_unmaps_each_input_after_its_test)
{
    char *dir = st_tmpdir();
    char *spec = st_format("unmapped/each=%s", dir);
    char *var = st_format("FILES_UNMAPPED=%s", dir);
    const char *const args[] = {"--no-fork", "--files", spec, NULL};
    const char *const env[] = {var, NULL};
    const struct st_outcome *t;
    struct st_outcomes o;

    ASSERT_NOT_NULL(dir);
    put(dir, "a_passes", "pass");
    put(dir, "b_fails", "fail");
    ASSERT_EQ(st_outcomes(&o, "files_unmapped", args, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    st_expect_word(&o, "unmapped/each[a_passes]", "PASS", NULL);
    st_expect_word(&o, "unmapped/each[b_fails]", "FAIL", NULL);
    t = st_outcome(&o, "unmapped/then");
    ASSERT_NOT_NULL(t, "%s", o.run.out);
    if (strcmp(t->word, "SKIP") != 0)
        st_expect_word(&o, "unmapped/then", "PASS", NULL);
    st_outcomes_free(&o);
    free(var);
    free(spec);
    rmtree(dir);
}

/* An id as --list prints it selects that test in --filter and Bazel's
 * filter, brackets and all (a pattern equal to an id is that id, before it
 * is a glob), and excludes it behind '-'. */
TEST(files, a_printed_id_selects_itself_as_a_filter)
{
    char *dir = corpus();
    char *spec = st_format("files/each=%s", dir);
    const char *const filter[] = {"--list", "--files", spec, "--filter",
                                  "files/each[a-x]", "--filter",
                                  "files/each[x%5B1%5D]", NULL};
    const char *const exclude[] = {"--list", "--files", spec, "--filter",
                                   "files/each*", "--filter",
                                   "-files/each[b]", NULL};
    const char *const listed[] = {"--list", "--files", spec, NULL};
    const char *const bazel[] = {"TESTBRIDGE_TEST_ONLY=files/each[link]",
                                 NULL};
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "files_corpus", filter, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "files/each[a-x]\nfiles/each[x%5B1%5D]\n");
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", exclude, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_FALSE(st_has_line(r.out, "files/each[b]"), "%s", r.out);
    EXPECT_TRUE(st_has_line(r.out, "files/each[a-x]"), "%s", r.out);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "files_corpus", listed, bazel), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "files/each[link]\n");
    st_free(&r);
    free(spec);
    rmtree(dir);
}
