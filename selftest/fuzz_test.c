// SPDX-License-Identifier: MIT
// fuzz_test.c — selftests of cordon::fuzz, the main() that makes a
// libFuzzer-style target a regression runner: each input given (a file,
// or every file under a directory) is a test "fuzz/<path>" of its own,
// run in parallel and reported like any test; LLVMFuzzerInitialize runs
// once, before the first input, and what it sets is there for all of
// them; a crashing input is a CRASH, named by AddressSanitizer when the
// target is built with it.
#include <cordon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outcomes.h"

static const char *const crash_env[] = {ST_ASAN_OPTIONS, NULL};

/* corpus makes a directory with inputs "good", "sub/reject" and "crash",
 * and an input file "single" beside it; *single gets its path. */
static char *
corpus(char **single)
{
    char *dir = st_tmpdir(), *path;

    ASSERT_NOT_NULL(dir);
    path = st_format("%s/corpus", dir);
    ASSERT_EQ(mkdir(path, 0777), 0);
    free(path);
    path = st_format("%s/corpus/sub", dir);
    ASSERT_EQ(mkdir(path, 0777), 0);
    free(path);
    path = st_format("%s/corpus/good", dir);
    st_write_file(path, "fine input");
    free(path);
    path = st_format("%s/corpus/sub/reject", dir);
    st_write_file(path, "reject me");
    free(path);
    path = st_format("%s/corpus/crash", dir);
    st_write_file(path, "crash now");
    free(path);
    *single = st_format("%s/single", dir);
    st_write_file(*single, "over");
    return dir;
}

static void
cleanup(char *dir, char *single)
{
    const char *const rel[] = {"corpus/good", "corpus/sub/reject",
                               "corpus/crash", "single", "init.log",
                               "corpus/sub", "corpus"};

    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char *path = st_format("%s/%s", dir, rel[i]);

        if (unlink(path) == -1)
            rmdir(path);
        free(path);
    }
    rmdir(dir);
    free(dir);
    free(single);
}

TEST(fuzz, each_input_is_a_test_in_argument_then_path_order)
{
    char *single, *dir = corpus(&single);
    char *in = st_format("%s/corpus/", dir);
    const char *const args[] = {single, in, "--list", NULL};
    char *want = st_format("fuzz/%s\nfuzz/%s/corpus/crash\n"
                           "fuzz/%s/corpus/good\nfuzz/%s/corpus/sub/reject\n",
                           single, dir, dir, dir);
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "fuzz_target", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, want);
    st_free(&r);
    free(want);
    free(in);
    cleanup(dir, single);
}

TEST(fuzz, inputs_run_in_parallel_after_one_initialize)
{
    char *single, *dir = corpus(&single);
    char *in = st_format("%s/corpus", dir);
    char *log = st_format("%s/init.log", dir);
    char *log_env = st_format("FUZZ_INIT_LOG=%s", log);
    const char *const args[] = {in, single, "-j", "2", NULL};
    const char *const env[] = {ST_ASAN_OPTIONS, log_env, NULL};
    char *id, *text;
    struct st_outcomes o;

    ASSERT_EQ(st_outcomes(&o, "fuzz_target", args, env), 0, "%s", o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)4);
    id = st_format("fuzz/%s/corpus/good", dir);
    st_expect_outcome(&o, id, "PASS", "", "", "initialized 42 size 10\n",
                      "");
    free(id);
    /* -1 (libFuzzer's "keep it out of the corpus") is no failure. */
    id = st_format("fuzz/%s/corpus/sub/reject", dir);
    st_expect_outcome(&o, id, "PASS", "", "", "initialized 42 size 9\n", "");
    free(id);
    id = st_format("fuzz/%s/corpus/crash", dir);
    st_expect_word(&o, id, "CRASH", "SIGSEGV");
    free(id);
    /* "single" reads the byte past its input: unseen without
     * AddressSanitizer, its heap-buffer-overflow where the whole tree
     * has it (the ASan tree). */
    id = st_format("fuzz/%s", single);
    st_expect_word(&o, id, ST_ASAN ? "CRASH" : "PASS",
                   ST_ASAN ? "AddressSanitizer: heap-buffer-overflow" : NULL);
    free(id);
    text = st_read_file(log, NULL);
    EXPECT_STREQ(text, "init\n");
    free(text);
    st_outcomes_free(&o);
    free(log_env);
    free(log);
    free(in);
    cleanup(dir, single);
}

TEST(fuzz, every_cordon_option_applies)
{
    char *single, *dir = corpus(&single);
    char *in = st_format("%s/corpus", dir);
    char *pattern = st_format("fuzz/%s/corpus/*o*", dir);
    const char *const args[] = {in, "-runs=100", "--filter", pattern,
                                "--repeat", "2", NULL};
    struct st_outcomes o;
    char *id;

    ASSERT_EQ(st_outcomes(&o, "fuzz_target", args, crash_env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 0, "%s", o.run.out);
    EXPECT_EQ(o.n, (size_t)1);
    id = st_format("fuzz/%s/corpus/good", dir);
    st_expect_word(&o, id, "PASS", NULL);
    free(id);
    EXPECT_TRUE(st_has_line(o.run.err, "cordon: ignoring libFuzzer's flag "
                                       "'-runs=100' (every input runs "
                                       "once, as its own test)"),
                "%s", o.run.err);
    st_outcomes_free(&o);
    free(pattern);
    free(in);
    cleanup(dir, single);
}

TEST(fuzz, no_inputs_or_a_missing_one_is_exit_2)
{
    const char *const missing[] = {"/nonexistent/corpus", NULL};
    struct st_run r;
    char *want;

    ASSERT_EQ(st_run_fixture(&r, "fuzz_target", NULL, NULL), 0);
    EXPECT_EQ(r.code, 2);
    want = st_format("cordon: no inputs to run (give the corpus directories "
                     "and files, e.g. %s corpus/ crash-1234)\n",
                     st_fixture("fuzz_target"));
    EXPECT_STREQ(r.err, want);
    free(want);
    st_free(&r);
    ASSERT_EQ(st_run_fixture(&r, "fuzz_target", missing, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, "cordon: fuzz: cannot read directory "
                        "'/nonexistent/corpus': No such file or directory "
                        "(give the corpus directories and files to run)\n");
    st_free(&r);
}

#ifdef CORDON_SELFTEST_ASAN
/* Each input is copied to a block of its own size, so a read one byte
 * past it is AddressSanitizer's heap-buffer-overflow, a CRASH. */
TEST(fuzz, a_read_past_the_input_is_an_asan_crash)
{
    char *single, *dir = corpus(&single);
    const char *const args[] = {single, NULL};
    const char *const env[] = {"ASAN_OPTIONS=detect_leaks=0", NULL};
    struct st_outcomes o;
    const struct st_outcome *t;
    char *id = st_format("fuzz/%s", single);

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_outcomes(&o, "fuzz_target_asan", args, env), 0, "%s",
              o.why);
    EXPECT_EQ(o.run.code, 1, "%s", o.run.out);
    t = st_outcome(&o, id);
    ASSERT_NOT_NULL(t, "%s", o.run.out);
    EXPECT_STREQ(t->word, "CRASH");
    EXPECT_EQ(strncmp(t->reason, "AddressSanitizer: heap-buffer-overflow",
                      38), 0, "%s", t->reason);
    EXPECT_NOT_NULL(strstr(t->reason, "fuzz_target.c:"), "%s", t->reason);
    st_outcomes_free(&o);
    free(id);
    cleanup(dir, single);
}
#endif

/* Arguments that overlap (a directory and a file in it, "dir" and "dir/",
 * "./" or "//" in a path) name each input once, by its path without
 * them, and the first argument that names it sets its place. */
TEST(fuzz, overlapping_arguments_run_each_input_once)
{
    char *single, *dir = corpus(&single);
    char *good = st_format("%s/corpus/./good", dir);
    char *in = st_format("%s/corpus/", dir);
    char *again = st_format("%s//./corpus", dir);
    const char *const args[] = {good, in, again, "--list", NULL};
    char *want = st_format("fuzz/%s/corpus/good\nfuzz/%s/corpus/crash\n"
                           "fuzz/%s/corpus/sub/reject\n", dir, dir, dir);
    struct st_run r;

    ASSERT_EQ(st_run_fixture(&r, "fuzz_target", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, want);
    EXPECT_STREQ(r.err, "");
    st_free(&r);
    free(want);
    free(again);
    free(in);
    free(good);
    cleanup(dir, single);
}

/* A test of the target's own with an input's id is named by its place in
 * the target's source, the input by being one: never by cordon's. */
TEST(fuzz, an_input_with_a_test_s_id_names_that_test)
{
    char *dir = st_tmpdir();
    char *input = st_format("%s/input", dir);
    char *where = st_where("parts/fuzz_named.c", "TEST(fuzz, input)");
    char *want = st_format("cordon: duplicate test id 'fuzz/input': an "
                           "input's, and the test's defined at %s (rename "
                           "that test)\n", where);
    const char *const args[] = {"input", "--list", NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    st_write_file(input, "x");
    ASSERT_EQ(chdir(dir), 0);
    ASSERT_EQ(st_run_fixture(&r, "fuzz_named", args, NULL), 0);
    EXPECT_EQ(r.code, 2);
    EXPECT_STREQ(r.err, want);
    EXPECT_NULL(strstr(r.err, "fuzz_main.c"));
    st_free(&r);
    unlink(input);
    rmdir(dir);
    free(want);
    free(where);
    free(input);
    free(dir);
}

/* An LLVMFuzzerInitialize that crashes or exits stops the binary with one
 * line naming it and how it ended, and exit code 2 (a setup error). */
TEST(fuzz, an_initialize_that_dies_is_one_line_and_exit_2)
{
    char *single, *dir = corpus(&single);
    const char *const args[] = {single, NULL};
    static const struct {
        const char *how, *err;
    } cases[] = {
        {"FUZZ_INIT=crash", "cordon: LLVMFuzzerInitialize crashed with "
                            "SIGSEGV before any input ran (fix the target's "
                            "initialization)\n"},
        {"FUZZ_INIT=abort", "cordon: LLVMFuzzerInitialize crashed with "
                            "SIGABRT before any input ran (fix the target's "
                            "initialization)\n"},
#ifdef __GLIBC__
        {"FUZZ_INIT=exit", "cordon: LLVMFuzzerInitialize called exit(3) "
                           "before any input ran (it must return)\n"},
#else
        {"FUZZ_INIT=exit", "cordon: LLVMFuzzerInitialize called exit() "
                           "before any input ran (it must return)\n"},
#endif
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const env[] = {cases[i].how, ST_ASAN_OPTIONS, NULL};
        struct st_run r;

        ASSERT_EQ(st_run_fixture(&r, "fuzz_target", args, env), 0);
        EXPECT_EQ(r.code, 2, "%s: %s", cases[i].how, r.err);
        EXPECT_STREQ(r.err, cases[i].err, "%s", cases[i].how);
        EXPECT_STREQ(r.out, "", "%s", cases[i].how);
        st_free(&r);
    }
    cleanup(dir, single);
}

/* After "--" every argument is an input, also one that looks like a flag
 * of libFuzzer's. */
TEST(fuzz, after_a_double_dash_every_argument_is_an_input)
{
    char *dir = st_tmpdir();
    char *input = st_format("%s/-runs=10", dir);
    const char *const args[] = {"--list", "--", "-runs=10", NULL};
    struct st_run r;

    ASSERT_NOT_NULL(dir);
    st_write_file(input, "x");
    ASSERT_EQ(chdir(dir), 0);
    ASSERT_EQ(st_run_fixture(&r, "fuzz_target", args, NULL), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, "fuzz/-runs=10\n");
    EXPECT_STREQ(r.err, "");
    st_free(&r);
    unlink(input);
    rmdir(dir);
    free(input);
    free(dir);
}

#ifdef CORDON_SELFTEST_ASAN
/* libFuzzer asks for no NULL after the argv LLVMFuzzerInitialize hands
 * back: nothing is written past its argc entries. */
TEST(fuzz, an_initialize_argv_without_a_null_is_not_written_past)
{
    char *single, *dir = corpus(&single);
    const char *const args[] = {single, "--list", NULL};
    const char *const env[] = {"ASAN_OPTIONS=detect_leaks=0",
                               "FUZZ_INIT=exact", NULL};
    char *want = st_format("fuzz/%s\n", single);
    struct st_run r;

    ST_NEEDS_NATIVE("a sanitizer runtime");
    ASSERT_EQ(st_run_fixture(&r, "fuzz_target_asan", args, env), 0);
    EXPECT_EQ(r.code, 0, "%s", r.err);
    EXPECT_STREQ(r.out, want);
    st_free(&r);
    free(want);
    cleanup(dir, single);
}
#endif
