// SPDX-License-Identifier: MIT
// cordon.h — the public interface of cordon, a C11 unit-test framework that
// runs every test case in its own forked process. A user writes
// TEST(suite, name) { ... } in any number of files and links libcordon (plus
// cordon_main for a ready-made main). This is the only installed header; the
// block fenced "implementation details" below is plumbing the macros need and
// is not API.
#ifndef CORDON_H
#define CORDON_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CORDON_VERSION_MAJOR 0
#define CORDON_VERSION_MINOR 2
#define CORDON_VERSION_PATCH 0
#define CORDON_VERSION_STRING "0.2.0"

#if defined(__GNUC__) || defined(__clang__)
#define CORDON_API __attribute__((visibility("default")))
#define CORDON_IMPL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CORDON_IMPL_CONSTRUCTOR __attribute__((constructor))
#else
#error "cordon needs a compiler with GNU attributes (gcc or clang)"
#endif
/* CORDON_IMPL_NOACCESS(n): the function reads nothing through its n-th
 * argument, a pointer it only prints or compares. Without it, gcc 11 and
 * later may take a check of a pointer to memory not yet written (malloc's)
 * for a read of that memory: aarch64's gcc 12 warns "may be used
 * uninitialized" at -O0 for ASSERT_NOT_NULL(malloc(n)). */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#define CORDON_IMPL_NOACCESS(n) __attribute__((access(none, n)))
#else
#define CORDON_IMPL_NOACCESS(n)
#endif
#ifdef __cplusplus
#define CORDON_IMPL_NORETURN [[noreturn]]
#else
#define CORDON_IMPL_NORETURN _Noreturn
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum cordon_outcome - how one test ended. Each comes with a one-line reason.
 * @CORDON_OUTCOME_PASS:    the body finished with no failed check, or the
 *                          expected signal / exit status happened.
 * @CORDON_OUTCOME_FAIL:    an ASSERT_/EXPECT_ check or FAIL() failed, or an
 *                          expected signal / exit status did not happen.
 * @CORDON_OUTCOME_CRASH:   killed by a signal it did not expect (named).
 * @CORDON_OUTCOME_TIMEOUT: ran past its timeout.
 * @CORDON_OUTCOME_SKIP:    SKIP() was called, or the test is disabled.
 * @CORDON_OUTCOME_EXIT:    the process exited before the body finished,
 *                          status 0 included.
 * @CORDON_OUTCOME_INTERRUPTED: the run was interrupted while it ran.
 * @CORDON_OUTCOME_ERROR:   the test passed but its teardown crashed or
 *                          failed a check (the reason names the teardown).
 */
enum cordon_outcome {
    CORDON_OUTCOME_PASS,
    CORDON_OUTCOME_FAIL,
    CORDON_OUTCOME_CRASH,
    CORDON_OUTCOME_TIMEOUT,
    CORDON_OUTCOME_SKIP,
    CORDON_OUTCOME_EXIT,
    CORDON_OUTCOME_INTERRUPTED,
    CORDON_OUTCOME_ERROR
};

/**
 * enum cordon_exit - exit codes of a cordon test binary.
 * @CORDON_EXIT_PASS:        every selected test passed (skips allowed).
 * @CORDON_EXIT_FAIL:        a test failed, crashed, timed out or exited early.
 * @CORDON_EXIT_USAGE:       usage or setup error, named on one line of stderr.
 * @CORDON_EXIT_ALL_SKIPPED: every selected test was skipped (CTest's
 *                           SKIP_RETURN_CODE).
 * An interrupted run exits 128 + the signal number, as a shell reports it.
 */
enum cordon_exit {
    CORDON_EXIT_PASS = 0,
    CORDON_EXIT_FAIL = 1,
    CORDON_EXIT_USAGE = 2,
    CORDON_EXIT_ALL_SKIPPED = 77
};

/* CORDON_NO_EXIT is the value of .exit_code when no exit is expected: no
 * exit status at all, so that any .exit_code outside 0 to 255 written in
 * a test (-1 too) is refused at start, naming the test. */
#define CORDON_NO_EXIT INT_MIN
/* CORDON_DEFAULT_TIMEOUT is the value of .timeout that means "the run's". */
#define CORDON_DEFAULT_TIMEOUT (-1.0)
/* CORDON_DEFAULT_RETRIES is the value of .retries that means "the run's". */
#define CORDON_DEFAULT_RETRIES (-1)

/**
 * struct cordon_test_options - per-test options, set by designated
 * initialisers after the test name: TEST(s, n, .timeout = 2.5).
 * @timeout:   seconds (fractions honoured); 0 = none; unset = the run's
 *             --timeout.
 * @signal:    the test passes only if a signal with this number kills it.
 * @exit_code: the test passes only if it calls exit() with this status
 *             (0 allowed); unset = no exit expected.
 * @disabled:  listed and reported as skipped ("disabled"), never run.
 * @setup:     runs in the test process before the body.
 * @teardown:  runs after the body, also after an ASSERT_ failure or SKIP().
 * @retries:   reruns of the test when it fails (it is FLAKY when one then
 *             passes); unset = the run's --retries.
 * @memory_limit:    bytes of address space (RLIMIT_AS); 0 = the run's
 *                   --memory-limit. Not usable under AddressSanitizer
 *                   (ignored there, with a warning). A test killed while
 *                   a limit is set is CRASH "... under the memory limit
 *                   64 MiB".
 * @cpu_limit:       seconds of CPU time (RLIMIT_CPU, rounded up, scaled by
 *                   the timeout multiplier); 0 = none. SIGXCPU makes it
 *                   TIMEOUT "exceeded the cpu limit 2 s".
 * @file_size_limit: bytes any file it writes may reach (RLIMIT_FSIZE; its
 *                   captured output counts too); 0 = none. SIGXFSZ makes it
 *                   CRASH "... file size limit 1 MiB".
 * @allow_empty:     CORDON_TEST_FILES only: a directory that holds no
 *                   regular file gives no test instead of stopping the
 *                   binary at start (exit 2).
 */
struct cordon_test_options {
    double timeout;
    int signal;
    int exit_code;
    bool disabled;
    void (*setup)(void);
    void (*teardown)(void);
    int reserved_;
    int retries;
    size_t memory_limit;
    double cpu_limit;
    size_t file_size_limit;
    bool allow_empty;
};

/**
 * struct cordon_file - one input of a CORDON_TEST_FILES test, as its body
 * sees it through param.
 * @path: the file's path: the directory as given (or as --files gave it),
 *        '/', and @name.
 * @name: its path relative to the directory (the id's label, unescaped).
 * @data: its bytes, mapped read-only when the test process starts (pages
 *        are read from the file only when the body touches them, so a
 *        1 GB input costs nothing unless read); never NULL, also for an
 *        empty file. Not NUL-terminated; reading past @size is not
 *        caught as an error.
 * @size: its size in bytes.
 */
struct cordon_file {
    const char *path;
    const char *name;
    const unsigned char *data;
    size_t size;
};

/**
 * enum cordon_isolate_end - how a function run by cordon_isolate() ended.
 * @CORDON_ISOLATE_RETURNED:  it returned.
 * @CORDON_ISOLATE_EXITED:    its process called exit() (status in ->status).
 * @CORDON_ISOLATE_SIGNALED:  a signal killed it (number in ->signal).
 * @CORDON_ISOLATE_TIMED_OUT: it ran past its timeout and was killed.
 * @CORDON_ISOLATE_SANITIZER: a sanitizer reported an error on its stderr
 *                            and then its process ended without returning
 *                            (AddressSanitizer's exit status 1, UBSan's
 *                            abort): ->sanitizer says what, ->status or
 *                            ->signal how the process ended.
 */
enum cordon_isolate_end {
    CORDON_ISOLATE_RETURNED,
    CORDON_ISOLATE_EXITED,
    CORDON_ISOLATE_SIGNALED,
    CORDON_ISOLATE_TIMED_OUT,
    CORDON_ISOLATE_SANITIZER
};

/* CORDON_ISOLATE_NO_TIMEOUT as .timeout lets the function run for ever. */
#define CORDON_ISOLATE_NO_TIMEOUT (-1.0)

/**
 * struct cordon_isolate_options - how cordon_isolate() runs a function; a
 * NULL pointer, or any field left 0, means the default.
 * @timeout:      seconds (fractions honoured); 0 = 10 s;
 *                CORDON_ISOLATE_NO_TIMEOUT = none.
 * @data_size:    bytes of the shared buffer cordon_isolate_data() gives
 *                the function; copied back into ->data. 0 = none.
 * @output_limit: bytes of its stdout, and of its stderr, kept; 0 = 64 KiB.
 */
struct cordon_isolate_options {
    double timeout;
    size_t data_size;
    size_t output_limit;
};

/**
 * struct cordon_isolated - how an isolated call went. Free the texts and
 * data with cordon_isolated_free().
 * @end:          how it ended.
 * @status:       exit status when @end is CORDON_ISOLATE_EXITED (or
 *                CORDON_ISOLATE_SANITIZER after an exit), else 0.
 * @signal:       the killing signal when CORDON_ISOLATE_SIGNALED (or
 *                CORDON_ISOLATE_SANITIZER after a signal), else 0.
 * @seconds:      its run time.
 * @out, @err:    what it wrote on stdout and stderr, NUL-terminated (never
 *                NULL): the first @out_len / @err_len bytes of
 *                @out_total / @err_total written.
 * @data:         a copy of the shared buffer as it left it (@data_size
 *                bytes, NULL when none was asked for).
 * @left_running: processes it started and left running, killed on its end
 *                (counted on Linux only, 0 elsewhere).
 * @sanitizer:    the first sanitizer report on its stderr in one line, as
 *                a test's reason gives it ("AddressSanitizer: heap-buffer-
 *                overflow (file.c:2642 in cJSON_Minify)"); NULL when none
 *                (or no sanitizer runtime is linked). Set whatever @end
 *                (a report it survived leaves CORDON_ISOLATE_RETURNED).
 * @backtrace:    when a crash signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 *                SIGABRT, SIGTRAP, SIGSYS) ended it, or a sanitizer turned
 *                one into its exit: the frames of the thread that got it,
 *                one a line, innermost first, down to fn, named as a
 *                crashed test's are ("#0 parse at parse.c:42"); NULL
 *                otherwise, or when a handler of fn's own replaced
 *                cordon's.
 * Like @out and @err, @sanitizer and @backtrace belong to the struct:
 * they live until cordon_isolated_free(), which frees them.
 */
struct cordon_isolated {
    enum cordon_isolate_end end;
    int status;
    int signal;
    double seconds;
    char *out;
    size_t out_len;
    size_t out_total;
    char *err;
    size_t err_len;
    size_t err_total;
    void *data;
    size_t data_size;
    unsigned left_running;
    /* Later fields: added at the end, so the ones above keep their offsets. */
    const char *sanitizer;
    const char *backtrace;
};

/**
 * CORDON_TEST(suite, name, options...) - define and register a test whose
 * id is "suite/name". Options are designated initialisers of
 * struct cordon_test_options. The body follows as a block.
 * Example: CORDON_TEST(parser, rejects_empty, .signal = SIGABRT) { ... }
 * Tests run in the order they appear in a file; files in link order.
 */
#define CORDON_TEST(...)                                                      \
    CORDON_IMPL_TEST_SPLIT(CORDON_IMPL_FIRST(__VA_ARGS__, ~),                 \
                           CORDON_IMPL_SECOND(__VA_ARGS__, ~, ~),             \
                           CORDON_IMPL_REST2(__VA_ARGS__, .reserved_ = 0))

/**
 * struct cordon_suite_options - defaults for every test of a suite, set by
 * designated initialisers after the suite name: SUITE(net, .timeout = 2).
 * A test's own option wins over its suite's.
 * @timeout:  seconds for each test (and for @once); unset = the run's.
 * @setup:    runs in each test's process before the body.
 * @teardown: runs after the body (also after an ASSERT_ failure or SKIP()).
 * @once:     runs once, before the suite's first test, in a process the
 *            suite's tests are then forked from, so they all inherit what
 *            it built; once per worker that runs the suite (see README).
 *            It runs as a test's body does (the caller's signal state,
 *            ASSERT_/FAIL/SKIP end it); processes it starts live for the
 *            suite and are killed after it. If it crashes, fails a check
 *            or times out, every test of the suite fails naming it; if it
 *            calls SKIP(), every test of the suite skips with its reason.
 * @retries:  reruns of each test when it fails; unset = the run's.
 */
struct cordon_suite_options {
    double timeout;
    void (*setup)(void);
    void (*teardown)(void);
    void (*once)(void);
    int retries;
    int reserved_;
};

/**
 * CORDON_SUITE(name, options...) - set defaults for every test of suite
 * name, in any file of the binary. Follow it with a semicolon. Two SUITE()s
 * for one name must agree, or the binary stops at start naming both.
 * Example: CORDON_SUITE(db, .once = load_fixtures, .timeout = 5);
 */
#define CORDON_SUITE(...)                                                     \
    CORDON_IMPL_SUITE_SPLIT(CORDON_IMPL_FIRST(__VA_ARGS__, ~),                \
                            CORDON_IMPL_REST1(__VA_ARGS__, .reserved_ = 0))

/**
 * CORDON_TEST_P(suite, name, cases, options...) - define one test per
 * element of the array cases (a static array, not a pointer), with ids
 * "suite/name[0]", "suite/name[1]", ... In the body, param points at the
 * element (const). Options as for CORDON_TEST, for every case.
 * Example: CORDON_TEST_P(math, square, squares) { ASSERT_EQ(param->in *
 * param->in, param->out); }
 */
#define CORDON_TEST_P(...)                                                    \
    CORDON_IMPL_TEST_P_SPLIT(CORDON_IMPL_FIRST(__VA_ARGS__, ~),               \
                             CORDON_IMPL_SECOND(__VA_ARGS__, ~, ~),           \
                             CORDON_IMPL_THIRD(__VA_ARGS__, ~, ~, ~), 0,      \
                             CORDON_IMPL_REST3(__VA_ARGS__, .reserved_ = 0))

/**
 * CORDON_TEST_P_LABELED(suite, name, cases, field, options...) - as
 * CORDON_TEST_P, with each case named by its const char * member field:
 * "suite/name[label]" (a NULL label gives the index).
 * Example: CORDON_TEST_P_LABELED(url, parses, urls, label) { ... }
 */
#define CORDON_TEST_P_LABELED(...)                                            \
    CORDON_IMPL_TEST_P_SPLIT(                                                 \
        CORDON_IMPL_FIRST(__VA_ARGS__, ~),                                    \
        CORDON_IMPL_SECOND(__VA_ARGS__, ~, ~),                                \
        CORDON_IMPL_THIRD(__VA_ARGS__, ~, ~, ~),                              \
        offsetof(CORDON_IMPL_ELEMENT(CORDON_IMPL_THIRD(__VA_ARGS__, ~, ~, ~)),\
                 CORDON_IMPL_FOURTH(__VA_ARGS__, ~, ~, ~, ~)) + 1,            \
        CORDON_IMPL_REST4(__VA_ARGS__, .reserved_ = 0))

/**
 * CORDON_TEST_FILES(suite, name, dir, options...) - define one test per
 * regular file under the directory dir (a string, relative to the current
 * directory when the binary starts), recursively, with ids
 * "suite/name[relative/path]" in bytewise order of the relative paths.
 * Bytes of a path other than letters, digits and "-._/+=@~" are written
 * %XX in the id (hex of the byte), so every id is one printable word that
 * --test, --filter, CTest and Bazel take as it is. In the body, param is a
 * const struct cordon_file * (path, name, data, size). Symbolic links are
 * followed (to files and directories; a link back into a directory being
 * walked is skipped), other kinds of file are skipped. --files
 * suite/name=DIR (or CORDON_FILES) reads another directory at run time.
 * A directory that is missing, unreadable or holds no regular file stops
 * the binary at start with exit code 2, naming it; .allow_empty = true
 * lets an empty one give no test. Options as for CORDON_TEST, for every
 * file.
 * Example: CORDON_TEST_FILES(json, parses, "corpus") {
 *              parse(param->data, param->size); }
 */
#define CORDON_TEST_FILES(...)                                                \
    CORDON_IMPL_TEST_FILES_SPLIT(CORDON_IMPL_FIRST(__VA_ARGS__, ~),           \
                                 CORDON_IMPL_SECOND(__VA_ARGS__, ~, ~),       \
                                 CORDON_IMPL_THIRD(__VA_ARGS__, ~, ~, ~),     \
                                 CORDON_IMPL_REST3(__VA_ARGS__,               \
                                                   .reserved_ = 0))

/*
 * Checks. Each has an EXPECT_ form (record the failure, keep going) and an
 * ASSERT_ form (record it and end the test: teardown still runs). Each takes
 * an optional message after its operands: either one string, a literal or
 * not (a variable, an array, a call), printed as written ('%' included),
 * or a string-literal printf format followed by its arguments:
 *     EXPECT_TRUE(ok, why);
 *     ASSERT_EQ(got, 42, "parsing %s", input);
 * A failure is recorded as "file:line: ASSERT_EQ(got, 42) failed: expected
 * got == 42, but got is 41 -- parsing abc": every comparison shows both
 * expressions and the value of each that is not a literal, so
 * EXPECT_LT(5, n) fails as "expected 5 < n, but n is 4". Comparisons are
 * type-generic: integers (signed and unsigned compared by value),
 * floating, pointers, chars and bool print in their own type. A floating
 * operand is compared in its own type too, also where expressions are
 * evaluated in more precision than their type (x87, FLT_EVAL_METHOD 2):
 * EXPECT_EQ(a * b, c) on doubles has the same verdict on every target,
 * for the value the compiler computed (see README.md). STREQ/STRNE
 * compare C strings (NULL-safe), given as char, unsigned char or signed
 * char pointers alike, and print them quoted and escaped.
 * Checks may be called from threads a test starts. An ASSERT_ failure in
 * such a thread ends the whole test process at once (teardown does not run).
 */
#define CORDON_EXPECT_TRUE(...)                                               \
    CORDON_IMPL_BOOL(0, "EXPECT_TRUE", CORDON_IMPL_OP_TRUE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_TRUE(...)                                               \
    CORDON_IMPL_BOOL(1, "ASSERT_TRUE", CORDON_IMPL_OP_TRUE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_FALSE(...)                                              \
    CORDON_IMPL_BOOL(0, "EXPECT_FALSE", CORDON_IMPL_OP_FALSE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_FALSE(...)                                              \
    CORDON_IMPL_BOOL(1, "ASSERT_FALSE", CORDON_IMPL_OP_FALSE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_NULL(...)                                               \
    CORDON_IMPL_PTR(0, "EXPECT_NULL", CORDON_IMPL_OP_NULL, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_NULL(...)                                               \
    CORDON_IMPL_PTR(1, "ASSERT_NULL", CORDON_IMPL_OP_NULL, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_NOT_NULL(...)                                           \
    CORDON_IMPL_PTR(0, "EXPECT_NOT_NULL", CORDON_IMPL_OP_NOT_NULL, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_NOT_NULL(...)                                           \
    CORDON_IMPL_PTR(1, "ASSERT_NOT_NULL", CORDON_IMPL_OP_NOT_NULL, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_EQ(...)                                                 \
    CORDON_IMPL_CMP(0, "EXPECT_EQ", CORDON_IMPL_OP_EQ, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_EQ(...)                                                 \
    CORDON_IMPL_CMP(1, "ASSERT_EQ", CORDON_IMPL_OP_EQ, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_NE(...)                                                 \
    CORDON_IMPL_CMP(0, "EXPECT_NE", CORDON_IMPL_OP_NE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_NE(...)                                                 \
    CORDON_IMPL_CMP(1, "ASSERT_NE", CORDON_IMPL_OP_NE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_LT(...)                                                 \
    CORDON_IMPL_CMP(0, "EXPECT_LT", CORDON_IMPL_OP_LT, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_LT(...)                                                 \
    CORDON_IMPL_CMP(1, "ASSERT_LT", CORDON_IMPL_OP_LT, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_LE(...)                                                 \
    CORDON_IMPL_CMP(0, "EXPECT_LE", CORDON_IMPL_OP_LE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_LE(...)                                                 \
    CORDON_IMPL_CMP(1, "ASSERT_LE", CORDON_IMPL_OP_LE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_GT(...)                                                 \
    CORDON_IMPL_CMP(0, "EXPECT_GT", CORDON_IMPL_OP_GT, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_GT(...)                                                 \
    CORDON_IMPL_CMP(1, "ASSERT_GT", CORDON_IMPL_OP_GT, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_GE(...)                                                 \
    CORDON_IMPL_CMP(0, "EXPECT_GE", CORDON_IMPL_OP_GE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_GE(...)                                                 \
    CORDON_IMPL_CMP(1, "ASSERT_GE", CORDON_IMPL_OP_GE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_STREQ(...)                                              \
    CORDON_IMPL_STR(0, "EXPECT_STREQ", CORDON_IMPL_OP_STREQ, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_STREQ(...)                                              \
    CORDON_IMPL_STR(1, "ASSERT_STREQ", CORDON_IMPL_OP_STREQ, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_EXPECT_STRNE(...)                                              \
    CORDON_IMPL_STR(0, "EXPECT_STRNE", CORDON_IMPL_OP_STRNE, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_STRNE(...)                                              \
    CORDON_IMPL_STR(1, "ASSERT_STRNE", CORDON_IMPL_OP_STRNE, #__VA_ARGS__, __VA_ARGS__)

/**
 * CORDON_EXPECT_NEAR(a, b, tol) - a and b (any arithmetic types) differ by
 * at most tol: |a - b| <= tol. NaN is never near anything. Example:
 * EXPECT_NEAR(mean, 2.5, 1e-9); fails as "expected mean within 1e-9 of
 * 2.5, but mean is 2.5000001, off by 1.0000000005838672e-07". A negative
 * or NaN tol fails the check, whatever a and b are, as "but tol is -1,
 * which is not a tolerance (use a number >= 0, e.g. 1e-9)".
 */
#define CORDON_EXPECT_NEAR(...)                                               \
    CORDON_IMPL_NEAR(0, "EXPECT_NEAR", CORDON_IMPL_OP_NEAR, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_NEAR(...)                                               \
    CORDON_IMPL_NEAR(1, "ASSERT_NEAR", CORDON_IMPL_OP_NEAR, #__VA_ARGS__, __VA_ARGS__)

/**
 * CORDON_EXPECT_NEAR_REL(a, b, rel) - a and b (any arithmetic types)
 * agree to the relative precision rel: |a - b| <= rel * max(|a|, |b|),
 * computed in long double. Equal values always hold (0 and -0, and an
 * infinity with itself, even for rel 0); an infinity is near nothing else,
 * only 0 is near 0 (use EXPECT_NEAR there), and NaN is never near anything
 * (use EXPECT_NAN). Example: EXPECT_NEAR_REL(area, 1e6, 1e-9); fails as
 * "expected area within relative 1e-9 of 1e6, but area is 1000000.5, off
 * by 0.5 (relative 4.99999750000125e-07)". A negative or NaN rel fails
 * the check as it does for NEAR.
 */
#define CORDON_EXPECT_NEAR_REL(...)                                           \
    CORDON_IMPL_NEAR(0, "EXPECT_NEAR_REL", CORDON_IMPL_OP_NEAR_REL, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_NEAR_REL(...)                                           \
    CORDON_IMPL_NEAR(1, "ASSERT_NEAR_REL", CORDON_IMPL_OP_NEAR_REL, #__VA_ARGS__, __VA_ARGS__)

/**
 * CORDON_EXPECT_NAN(x) - x, a float, double or long double (any other type
 * does not compile), is a NaN, of either sign. Example:
 * EXPECT_NAN(sqrt(-1.0)); EXPECT_NAN(ratio) fails as "expected ratio to
 * be NaN, but ratio is inf".
 */
#define CORDON_EXPECT_NAN(...)                                                \
    CORDON_IMPL_FLOATING(0, "EXPECT_NAN", CORDON_IMPL_OP_NAN, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_NAN(...)                                                \
    CORDON_IMPL_FLOATING(1, "ASSERT_NAN", CORDON_IMPL_OP_NAN, #__VA_ARGS__, __VA_ARGS__)

/**
 * CORDON_EXPECT_MEMEQ(a, b, n) - the n bytes at a and at b are equal
 * (n == 0 always holds; a NULL pointer with n > 0 fails). A failure names
 * the first differing offset and shows up to 8 bytes either side of it
 * from both, in hex, the first difference in brackets:
 * "expected buf == want (16 bytes), but they differ at offset 5: buf +0:
 * 00 01 02 03 04 [ff] 06 07 ...; want +0: 00 01 02 03 04 [05] 06 07 ...".
 */
#define CORDON_EXPECT_MEMEQ(...)                                              \
    CORDON_IMPL_MEM(0, "EXPECT_MEMEQ", CORDON_IMPL_OP_MEMEQ, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_MEMEQ(...)                                              \
    CORDON_IMPL_MEM(1, "ASSERT_MEMEQ", CORDON_IMPL_OP_MEMEQ, #__VA_ARGS__, __VA_ARGS__)

/**
 * CORDON_EXPECT_STRCONTAINS(haystack, needle) - the C string haystack
 * contains needle (NULL for either fails). Example:
 * EXPECT_STRCONTAINS(log, "ready"); fails as "expected log to contain
 * \"ready\", but log is \"starting\"".
 */
#define CORDON_EXPECT_STRCONTAINS(...)                                        \
    CORDON_IMPL_STR(0, "EXPECT_STRCONTAINS", CORDON_IMPL_OP_STRCONTAINS, #__VA_ARGS__, __VA_ARGS__)
#define CORDON_ASSERT_STRCONTAINS(...)                                        \
    CORDON_IMPL_STR(1, "ASSERT_STRCONTAINS", CORDON_IMPL_OP_STRCONTAINS, #__VA_ARGS__, __VA_ARGS__)

/**
 * CORDON_EXPECT_SIGNAL(stmt, sig) - run the statement stmt in a process of
 * its own (forked from the test: it sees the test's state, changes none of
 * it) and check that signal sig kills it. CORDON_EXPECT_EXIT_STATUS(stmt,
 * n) checks that it calls exit(n) instead. The statement's output is
 * replayed on the test's own stdout/stderr; it gets 10 s. Example:
 * EXPECT_SIGNAL(parse(NULL), SIGSEGV); fails as "expected `parse(NULL)` to
 * die of SIGSEGV; it returned" (or "it exited with status 3", "it was
 * killed by SIGABRT", "it ran past 10 s and was killed"). Outcome FAIL.
 * Built on cordon_isolate(); a failed ASSERT_ inside stmt ends its process
 * with status 1.
 */
#define CORDON_EXPECT_SIGNAL(stmt, ...)                                       \
    CORDON_IMPL_DEATH(0, "EXPECT_SIGNAL", CORDON_IMPL_OP_SIGNAL,              \
                      #stmt ", " #__VA_ARGS__, (stmt), __VA_ARGS__)
#define CORDON_ASSERT_SIGNAL(stmt, ...)                                       \
    CORDON_IMPL_DEATH(1, "ASSERT_SIGNAL", CORDON_IMPL_OP_SIGNAL,              \
                      #stmt ", " #__VA_ARGS__, (stmt), __VA_ARGS__)
#define CORDON_EXPECT_EXIT_STATUS(stmt, ...)                                  \
    CORDON_IMPL_DEATH(0, "EXPECT_EXIT_STATUS", CORDON_IMPL_OP_EXIT_STATUS,    \
                      #stmt ", " #__VA_ARGS__, (stmt), __VA_ARGS__)
#define CORDON_ASSERT_EXIT_STATUS(stmt, ...)                                  \
    CORDON_IMPL_DEATH(1, "ASSERT_EXIT_STATUS", CORDON_IMPL_OP_EXIT_STATUS,    \
                      #stmt ", " #__VA_ARGS__, (stmt), __VA_ARGS__)

/**
 * CORDON_FAIL(fmt...) - record a failure with an optional printf-style
 * message and end the test (outcome FAIL). Example: FAIL("bad state %d", s);
 */
#define CORDON_FAIL(...)                                                      \
    cordon_impl_fail_fatal(__FILE__, __LINE__, " " __VA_ARGS__)

/**
 * CORDON_SKIP(fmt...) - end the test as skipped with an optional reason.
 * Example: SKIP("needs IPv6"); Teardown still runs. Outcome SKIP, unless a
 * check had already failed (then FAIL).
 */
#define CORDON_SKIP(...) cordon_impl_skip(__FILE__, __LINE__, " " __VA_ARGS__)

/**
 * cordon_main() - run the tests linked into this binary with the command
 * line in argc/argv (see --help). Returns an enum cordon_exit value (or
 * 128 + signal after an interruption); call it from your own main when you
 * link cordon::cordon instead of cordon::main.
 */
CORDON_API int cordon_main(int argc, char **argv);

/**
 * cordon_tmpdir() - the running test's own fresh, empty directory (mode
 * 0700, under $TEST_TMPDIR, $TMPDIR or /tmp), made at the test's first
 * call and from then on also named by $CORDON_TMPDIR in its environment
 * (call it before starting a program that reads the variable). Removed
 * after the test unless it failed; a failed test's is kept and its path
 * shown in the reports. NULL outside a test (in a suite's once) or when
 * it could not be made. Call it first from the test's own thread.
 * Example: snprintf(path, sizeof path, "%s/out.txt", cordon_tmpdir());
 */
CORDON_API const char *cordon_tmpdir(void);
/**
 * cordon_isolate() - run fn(arg) in a forked process of its own, with a
 * time limit, and say how it ended: a crash, exit() or endless loop in fn
 * cannot harm the caller. Usable in tests (e.g. a loop over inputs that may
 * crash a legacy parser) and in any program linking libcordon: it needs no
 * test runner, changes no signal disposition or mask of the caller, and
 * reaps only its own child (by pid).
 * @fn, @arg: the function and its argument; fn sees a copy of the
 *            caller's memory, and changes none of it except through
 *            cordon_isolate_data().
 * @opts:     struct cordon_isolate_options, or NULL for the defaults
 *            (10 s, no data, 64 KiB of output).
 * @out:      filled on success; free with cordon_isolated_free().
 * Containment: fn runs in a process group of its own, under a keeper
 * process that kills the group when fn ends or times out; on Linux the
 * keeper is also a child subreaper, so whatever fn started — in any group
 * or session — is killed too and counted in ->left_running. Elsewhere only
 * fn's group is killed. stdin is left alone; stdout and stderr are
 * captured; core dumps are off. A failed ASSERT_ or FAIL() inside fn
 * prints its failure on fn's stderr and ends fn's process with status 1.
 * A keeper killed (by fn, or from outside) ends the call as
 * CORDON_ISOLATE_SIGNALED by its signal; by SIGKILL when the caller's own
 * SIGCHLD handling (SIG_IGN, a handler that reaps) took its status.
 * Returns 0, or -1 with errno set when no process could be started (the
 * fork, the capture files or the shared memory failed; *out then holds
 * nothing to free).
 * Example:
 *     struct cordon_isolated r;
 *     if (cordon_isolate(parse_one, line,
 *                        &(struct cordon_isolate_options){.timeout = 0.5},
 *                        &r) == 0 && r.end == CORDON_ISOLATE_SIGNALED) ...
 */
CORDON_API int cordon_isolate(void (*fn)(void *), void *arg,
                              const struct cordon_isolate_options *opts,
                              struct cordon_isolated *out);
/**
 * cordon_isolate_each() - run fn(i, arg) for every i from 0 to n - 1, each
 * call as cordon_isolate() runs one (its own keeper, process group,
 * timeout, sweep, captured output and shared data buffer, all from opts),
 * up to jobs calls at once, and hand each call's result to
 * on_result(i, r, ctx) in index order: a call that ends before an earlier
 * one waits for it. Usable in a test body and in a plain program alike.
 * @n:         calls to make; 0 makes none and returns 0.
 * @fn, @arg:  the function and the argument every call gets, with its
 *             index; inside, cordon_isolate_data() is that call's buffer.
 * @opts:      as for cordon_isolate(), for every call; NULL = defaults.
 * @jobs:      calls in flight at most; 0 = online CPUs; never more than n
 *             (nor 1024).
 * @on_result: called in the calling thread, once per index, in order;
 *             r and its texts live until it returns (copy what you keep).
 * @ctx:       passed to on_result as it is.
 * A slow on_result costs throughput only: the calls already started go
 * on, timed by their keepers, but no new one starts until it returns; and
 * results that ended ahead of an earlier one wait in memory, at most 64 x
 * jobs of them, before starting more waits for that earlier one. A fn
 * that forks: what it started is killed with its call, as for
 * cordon_isolate(). A keeper killed from outside ends its call as by the
 * keeper's signal (->end CORDON_ISOLATE_SIGNALED), as for cordon_isolate()
 * (by SIGKILL when the caller's SIGCHLD handling took its status).
 * Under --no-fork the test runs in the runner's process, but every call
 * still runs in processes of its own (a debugger attached to the runner
 * does not follow them). An ASSERT_ failing inside on_result ends the test
 * as usual, and its calls in flight are killed (under --no-fork, before it
 * unwinds: their keepers reaped, their descriptors closed). A longjmp of
 * the caller's own out of on_result leaves them running and leaks the
 * run's memory and descriptors: return from on_result instead.
 * A call that cannot start for want of processes, memory or descriptors
 * (EAGAIN, ENOMEM, EMFILE, ENFILE) starts again once another call ends,
 * or, with none running, after a pause doubling from 1 ms to 100 ms.
 * Returns 0 once on_result has had every index. Returns -1 with errno set
 * when fn or on_result is NULL (EINVAL, nothing run), or when call k could
 * not be started (the fork, the capture files or the shared memory failed
 * for another reason, or for want of resources with no call running for
 * 2 s) or collected (ENOMEM):
 * on_result then got exactly the indexes 0 to k - 1, and the calls after
 * k were let finish and dropped.
 * Example:
 *     static void parse_nth(size_t i, void *lines)
 *     { parse(((char **)lines)[i]); }
 *     static void note(size_t i, const struct cordon_isolated *r, void *ctx)
 *     { if (r->sanitizer != NULL) printf("%zu: %s\n", i, r->sanitizer); }
 *     cordon_isolate_each(n, parse_nth, lines, NULL, 0, note, NULL);
 */
CORDON_API int cordon_isolate_each(
    size_t n, void (*fn)(size_t i, void *arg), void *arg,
    const struct cordon_isolate_options *opts, unsigned jobs,
    void (*on_result)(size_t i, const struct cordon_isolated *r, void *ctx),
    void *ctx);
/**
 * cordon_isolate_data() - inside a function run by cordon_isolate() or
 * cordon_isolate_each(), the shared buffer of opts->data_size bytes
 * (zeroed at the start) whose final contents the caller gets in ->data;
 * NULL anywhere else or when no data was asked for.
 */
CORDON_API void *cordon_isolate_data(void);
/**
 * cordon_isolated_free() - free what cordon_isolate() put in r (its texts
 * and data) and set those pointers to NULL; safe to call twice.
 */
CORDON_API void cordon_isolated_free(struct cordon_isolated *r);

/* --- implementation details: not API ------------------------------------ */

struct cordon_impl_suite {
    const char *name;
    const char *file;
    int line;
    struct cordon_suite_options options;
    struct cordon_impl_suite *next_;
};

struct cordon_impl_test {
    const char *suite;
    const char *name;
    const char *file;
    int line;
    void (*body)(void);
    struct cordon_test_options options;
    struct cordon_impl_test *next_;
    const struct cordon_impl_suite *suite_; /* its SUITE(), if any */
    /* TEST_P: the body taking a case, the cases, and (1 + offset of) the
     * label member, 0 = cases named by index; param_ is a case's element
     * (in the template: the tests made of its cases, once made). */
    void (*param_body_)(const void *param);
    const void *params_;
    size_t param_size_;
    size_t nparams_;
    size_t label_offset_;
    const void *param_;
    /* TEST_FILES: the directory and CORDON_IMPL_FILES_* bits (0: not a
     * TEST_FILES); each case's param_ is a struct cordon_file. */
    const char *files_dir_;
    int files_how_;
};

/* A TEST_FILES template reads files_dir_; one of the fuzz runner reads the
 * command line's arguments, and its ids are "suite/path". */
#define CORDON_IMPL_FILES_DIR 1
#define CORDON_IMPL_FILES_ARGUMENTS 2

enum cordon_impl_kind {
    CORDON_IMPL_KIND_SIGNED,
    CORDON_IMPL_KIND_UNSIGNED,
    CORDON_IMPL_KIND_FLOAT,
    CORDON_IMPL_KIND_POINTER,
    CORDON_IMPL_KIND_CHAR,
    CORDON_IMPL_KIND_BOOL
};

struct cordon_impl_value {
    enum cordon_impl_kind kind;
    int digits; /* floating: significant decimal digits of the source type */
    intmax_t i;
    uintmax_t u;
    long double f;
    const void *p;
};

enum cordon_impl_op {
    CORDON_IMPL_OP_EQ,
    CORDON_IMPL_OP_NE,
    CORDON_IMPL_OP_LT,
    CORDON_IMPL_OP_LE,
    CORDON_IMPL_OP_GT,
    CORDON_IMPL_OP_GE,
    CORDON_IMPL_OP_STREQ,
    CORDON_IMPL_OP_STRNE,
    CORDON_IMPL_OP_TRUE,
    CORDON_IMPL_OP_FALSE,
    CORDON_IMPL_OP_NULL,
    CORDON_IMPL_OP_NOT_NULL,
    CORDON_IMPL_OP_NEAR,
    CORDON_IMPL_OP_MEMEQ,
    CORDON_IMPL_OP_STRCONTAINS,
    CORDON_IMPL_OP_SIGNAL,
    CORDON_IMPL_OP_EXIT_STATUS,
    CORDON_IMPL_OP_NEAR_REL,
    CORDON_IMPL_OP_NAN
};

/* One check as written: a static constant at each call site. args is the
 * check's argument text (the operands are its first top-level
 * comma-separated parts). */
struct cordon_impl_check {
    const char *file;
    int line;
    const char *name;
    enum cordon_impl_op op;
    const char *args;
};

/* What a check compares: values (a, b, and tol for NEAR), strings or
 * memory, by op. */
struct cordon_impl_operands {
    struct cordon_impl_value a, b, tol;
    const char *sa, *sb;
    const void *ma, *mb;
    size_t n;
    struct cordon_isolated *ended; /* the death checks' statement */
    int started;                   /* 0, or the errno of a failed start */
    int want;                      /* the signal or exit status expected */
};

CORDON_API void cordon_impl_register(struct cordon_impl_test *t);
/* A test binary built with --coverage keeps its gcov runtime's symbols
 * hidden, out of a shared libcordon's reach: each test's registration
 * hands libcordon the binary's own flush functions, which a test process
 * calls before it leaves. Weak references of this file's own (NULL
 * without coverage; the names are the gcov runtime's): they make no
 * other declaration of those names weak. */
static void cordon_impl_gcov_dump(void)
    __attribute__((weakref("__gcov_dump"), unused));
static void cordon_impl_gcov_exit(void)
    __attribute__((weakref("__gcov_exit"), unused));
CORDON_API void cordon_impl_coverage(void (*dump)(void), void (*exit_)(void));
CORDON_API void cordon_impl_register_suite(struct cordon_impl_suite *s);
/* cordon_impl_file_open fills f for the TEST_FILES case whose param_ is
 * p, mapping its bytes; a file that cannot be opened or mapped fails the
 * test (reported at file:line). */
CORDON_API void cordon_impl_file_open(const void *p, struct cordon_file *f,
                                      const char *file, int line);
CORDON_API struct cordon_impl_value cordon_impl_v_signed(intmax_t v);
CORDON_API struct cordon_impl_value cordon_impl_v_unsigned(uintmax_t v);
CORDON_API struct cordon_impl_value cordon_impl_v_float(float v);
CORDON_API struct cordon_impl_value cordon_impl_v_double(double v);
CORDON_API struct cordon_impl_value cordon_impl_v_ldouble(long double v);
CORDON_API struct cordon_impl_value cordon_impl_v_pointer(const void *v)
    CORDON_IMPL_NOACCESS(1);
CORDON_API struct cordon_impl_value cordon_impl_v_char(int v);
CORDON_API struct cordon_impl_value cordon_impl_v_bool(int v);
CORDON_API struct cordon_impl_operands
cordon_impl_o_values(struct cordon_impl_value a, struct cordon_impl_value b);
CORDON_API struct cordon_impl_operands
cordon_impl_o_near(struct cordon_impl_value a, struct cordon_impl_value b,
                   struct cordon_impl_value tol);
CORDON_API struct cordon_impl_operands cordon_impl_o_strings(const char *a,
                                                             const char *b);
/* cordon_impl_s_chars and cordon_impl_s_bytes give a string check's
 * operand as const char *, from a char or a signed/unsigned char string. */
CORDON_API const char *cordon_impl_s_chars(const char *s);
CORDON_API const char *cordon_impl_s_bytes(const void *s);
CORDON_API struct cordon_impl_operands
cordon_impl_o_memory(const void *a, const void *b, size_t n);
/* cordon_impl_passed notes a check that passed at file:line, the "last
 * checkpoint" a crash or timeout report names. file must be static
 * storage (__FILE__). */
CORDON_API void cordon_impl_passed(const char *file, int line);
CORDON_API struct cordon_impl_operands
cordon_impl_o_death(struct cordon_isolated *r, int rc, int want);
/* cordon_impl_death_begin forks the process a death check's statement runs
 * in: returns 1 in it, and in the test, once it has ended, 0 with r filled
 * (its output replayed) or -1 with errno set. The statement's process
 * leaves through cordon_impl_death_end. */
CORDON_API int cordon_impl_death_begin(struct cordon_isolated *r);
CORDON_IMPL_NORETURN CORDON_API void cordon_impl_death_end(void);
/* cordon_impl_holds says whether check c holds for its operands. */
CORDON_API bool cordon_impl_holds(const struct cordon_impl_check *c,
                                  const struct cordon_impl_operands *o);
/* cordon_impl_failed records the failure of c; fmt is the user's message
 * behind one leading space, which is skipped. The _fatal form ends the
 * test. */
CORDON_API void cordon_impl_failed(const struct cordon_impl_check *c,
                                   const struct cordon_impl_operands *o,
                                   const char *fmt, ...)
    CORDON_IMPL_PRINTF(3, 4);
CORDON_IMPL_NORETURN CORDON_API void
cordon_impl_failed_fatal(const struct cordon_impl_check *c,
                         const struct cordon_impl_operands *o,
                         const char *fmt, ...) CORDON_IMPL_PRINTF(3, 4);
/* cordon_impl_fail_fatal records a failure at file:line and ends the test;
 * fmt, as cordon_impl_failed's, has one leading space, which is skipped. */
CORDON_IMPL_NORETURN CORDON_API void cordon_impl_fail_fatal(const char *file, int line,
                                                 const char *fmt, ...)
    CORDON_IMPL_PRINTF(3, 4);
CORDON_IMPL_NORETURN CORDON_API void cordon_impl_skip(const char *file, int line,
                                           const char *fmt, ...)
    CORDON_IMPL_PRINTF(3, 4);

#define CORDON_IMPL_CAT(a, b) CORDON_IMPL_CAT_(a, b)
#define CORDON_IMPL_CAT_(a, b) a##b
#define CORDON_IMPL_FIRST(a, ...) a
#define CORDON_IMPL_SECOND(a, b, ...) b
#define CORDON_IMPL_REST2(a, b, ...) __VA_ARGS__
#define CORDON_IMPL_THIRD(a, b, c, ...) c
#define CORDON_IMPL_FOURTH(a, b, c, d, ...) d
#define CORDON_IMPL_REST1(a, ...) __VA_ARGS__
#define CORDON_IMPL_REST3(a, b, c, ...) __VA_ARGS__
#define CORDON_IMPL_REST4(a, b, c, d, ...) __VA_ARGS__
/* The element type of an array. C11 has no way to name it, and TEST_P's
 * param must have it: __typeof__, which gcc and clang (the compilers
 * cordon.h accepts) take in every language mode without a warning. */
#define CORDON_IMPL_ELEMENT(cases) __typeof__((cases)[0])

/* A test's options, in its struct cordon_impl_test's initialiser: the
 * "unset" sentinels, then the user's designated initialisers, which
 * override them. */
#define CORDON_IMPL_TEST_OPTIONS(...)                                         \
    .options = {.timeout = CORDON_DEFAULT_TIMEOUT,                            \
                .exit_code = CORDON_NO_EXIT,                                  \
                .retries = CORDON_DEFAULT_RETRIES, __VA_ARGS__}
/* A constructor that registers cordon_impl_test_<sname>_<tname>. */
#define CORDON_IMPL_TEST_REGISTER(sname, tname)                               \
    CORDON_IMPL_CONSTRUCTOR static void cordon_impl_reg_##sname##_##tname(    \
        void)                                                                 \
    {                                                                         \
        cordon_impl_register(&cordon_impl_test_##sname##_##tname);            \
        cordon_impl_coverage(cordon_impl_gcov_dump, cordon_impl_gcov_exit);   \
    }

/* Test definition. The options start from the "unset" sentinels and the
 * user's designated initialisers override them; the override warning is
 * silenced for exactly that initialiser. */
#define CORDON_IMPL_TEST_SPLIT(sname, tname, ...)                             \
    CORDON_IMPL_TEST_DEFINE(sname, tname, __VA_ARGS__)
#define CORDON_IMPL_TEST_DEFINE(sname, tname, ...)                            \
    static void cordon_impl_body_##sname##_##tname(void);                     \
    _Pragma("GCC diagnostic push")                                            \
    _Pragma("GCC diagnostic ignored \"-Woverride-init\"")                     \
    static struct cordon_impl_test cordon_impl_test_##sname##_##tname = {     \
        .suite = #sname, .name = #tname, .file = __FILE__, .line = __LINE__,  \
        .body = cordon_impl_body_##sname##_##tname,                           \
        CORDON_IMPL_TEST_OPTIONS(__VA_ARGS__)};                               \
    _Pragma("GCC diagnostic pop")                                             \
    CORDON_IMPL_TEST_REGISTER(sname, tname)                                   \
    static void cordon_impl_body_##sname##_##tname(void)

/* Suite definition: the options start from the "unset" sentinels; the
 * trailing declaration takes the semicolon written after SUITE(). */
#define CORDON_IMPL_SUITE_SPLIT(suite, ...)                                   \
    CORDON_IMPL_SUITE_DEFINE(suite, __VA_ARGS__)
#define CORDON_IMPL_SUITE_DEFINE(suite, ...)                                  \
    _Pragma("GCC diagnostic push")                                            \
    _Pragma("GCC diagnostic ignored \"-Woverride-init\"")                     \
    static struct cordon_impl_suite cordon_impl_suite_##suite = {             \
        .name = #suite, .file = __FILE__, .line = __LINE__,                   \
        .options = {.timeout = CORDON_DEFAULT_TIMEOUT,                        \
                    .retries = CORDON_DEFAULT_RETRIES, __VA_ARGS__}};         \
    _Pragma("GCC diagnostic pop")                                             \
    CORDON_IMPL_CONSTRUCTOR static void cordon_impl_suite_reg_##suite(void)   \
    {                                                                         \
        cordon_impl_register_suite(&cordon_impl_suite_##suite);               \
    }                                                                         \
    extern int cordon_impl_suite_defined_##suite

/* Parameterized test definition: the user's body takes a typed param; a
 * wrapper with a generic signature calls it (never a cast function
 * pointer). The runner makes one test of each case at start. */
#define CORDON_IMPL_TEST_P_SPLIT(sname, tname, cases, label, ...)             \
    CORDON_IMPL_TEST_P_DEFINE(sname, tname, cases, label, __VA_ARGS__)
#define CORDON_IMPL_TEST_P_DEFINE(sname, tname, cases, label, ...)            \
    static void cordon_impl_pbody_##sname##_##tname(                          \
        const CORDON_IMPL_ELEMENT(cases) *param);                             \
    static void cordon_impl_pwrap_##sname##_##tname(const void *cordon_impl_p) \
    {                                                                         \
        cordon_impl_pbody_##sname##_##tname(                                  \
            (const CORDON_IMPL_ELEMENT(cases) *)cordon_impl_p);               \
    }                                                                         \
    _Pragma("GCC diagnostic push")                                            \
    _Pragma("GCC diagnostic ignored \"-Woverride-init\"")                     \
    static struct cordon_impl_test cordon_impl_test_##sname##_##tname = {     \
        .suite = #sname, .name = #tname, .file = __FILE__, .line = __LINE__,  \
        CORDON_IMPL_TEST_OPTIONS(__VA_ARGS__),                                \
        .param_body_ = cordon_impl_pwrap_##sname##_##tname,                   \
        .params_ = (cases), .param_size_ = sizeof((cases)[0]),                \
        .nparams_ = sizeof(cases) / sizeof((cases)[0]),                       \
        .label_offset_ = (label)};                                            \
    _Pragma("GCC diagnostic pop")                                             \
    CORDON_IMPL_TEST_REGISTER(sname, tname)                                   \
    static void cordon_impl_pbody_##sname##_##tname(                          \
        const CORDON_IMPL_ELEMENT(cases) *param)

/* Files test definition: as TEST_P's, the wrapper maps the case's file
 * in the test process, then calls the user's body with it. */
#define CORDON_IMPL_TEST_FILES_SPLIT(sname, tname, dir, ...)                  \
    CORDON_IMPL_TEST_FILES_DEFINE(sname, tname, dir, __VA_ARGS__)
#define CORDON_IMPL_TEST_FILES_DEFINE(sname, tname, dir, ...)                 \
    static void cordon_impl_fbody_##sname##_##tname(                          \
        const struct cordon_file *param);                                     \
    static void cordon_impl_fwrap_##sname##_##tname(const void *cordon_impl_p) \
    {                                                                         \
        struct cordon_file cordon_impl_f;                                     \
        cordon_impl_file_open(cordon_impl_p, &cordon_impl_f, __FILE__,        \
                              __LINE__);                                      \
        cordon_impl_fbody_##sname##_##tname(&cordon_impl_f);                  \
    }                                                                         \
    _Pragma("GCC diagnostic push")                                            \
    _Pragma("GCC diagnostic ignored \"-Woverride-init\"")                     \
    static struct cordon_impl_test cordon_impl_test_##sname##_##tname = {     \
        .suite = #sname, .name = #tname, .file = __FILE__, .line = __LINE__,  \
        CORDON_IMPL_TEST_OPTIONS(__VA_ARGS__),                                \
        .param_body_ = cordon_impl_fwrap_##sname##_##tname,                   \
        .files_dir_ = (dir), .files_how_ = CORDON_IMPL_FILES_DIR};            \
    _Pragma("GCC diagnostic pop")                                             \
    CORDON_IMPL_TEST_REGISTER(sname, tname)                                   \
    static void cordon_impl_fbody_##sname##_##tname(                          \
        const struct cordon_file *param)

/* Message selection, by how many arguments follow the operands: none is
 * N (the empty message), one is S (a string of any kind, printed through
 * "%s"), more is M (a literal format and its arguments). The message goes
 * down as printf arguments whose format has one leading space, which the
 * runtime skips: " " alone is no message. */
#define CORDON_IMPL_PICK(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12,   \
                         _13, _14, _15, _16, _17, _18, _19, _20, _21, _22,    \
                         _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, x, \
                         ...)                                                 \
    x
/* A message that is a NULL pointer is no message. */
static inline const char *
cordon_impl_text(const char *message)
{
    return message != NULL ? message : "";
}

#define CORDON_IMPL_HASMSG1(...)                                              \
    CORDON_IMPL_PICK(__VA_ARGS__, M, M, M, M, M, M, M, M, M, M, M, M, M, M,   \
                     M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, S, N, ~)
#define CORDON_IMPL_HASMSG2(...)                                              \
    CORDON_IMPL_PICK(__VA_ARGS__, M, M, M, M, M, M, M, M, M, M, M, M, M, M,   \
                     M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, S, N, N, ~)
#define CORDON_IMPL_HASMSG3(...)                                              \
    CORDON_IMPL_PICK(__VA_ARGS__, M, M, M, M, M, M, M, M, M, M, M, M, M, M,   \
                     M, M, M, M, M, M, M, M, M, M, M, M, M, M, S, N, N, N, ~)

#define CORDON_IMPL_VALUE(x)                                                  \
    _Generic((x),                                                             \
        _Bool: cordon_impl_v_bool,                                            \
        char: cordon_impl_v_char,                                             \
        signed char: cordon_impl_v_signed,                                    \
        short: cordon_impl_v_signed,                                          \
        int: cordon_impl_v_signed,                                            \
        long: cordon_impl_v_signed,                                           \
        long long: cordon_impl_v_signed,                                      \
        unsigned char: cordon_impl_v_unsigned,                                \
        unsigned short: cordon_impl_v_unsigned,                               \
        unsigned int: cordon_impl_v_unsigned,                                 \
        unsigned long: cordon_impl_v_unsigned,                                \
        unsigned long long: cordon_impl_v_unsigned,                           \
        float: cordon_impl_v_float,                                           \
        double: cordon_impl_v_double,                                         \
        long double: cordon_impl_v_ldouble,                                   \
        default: cordon_impl_v_pointer)(x)

/* fatal is 0 (EXPECT_) or 1 (ASSERT_): digits, because a user's own ASSERT
 * or TRUE macro must not be expanded on the way down. */
#define CORDON_IMPL_FAILED_0 cordon_impl_failed
#define CORDON_IMPL_FAILED_1 cordon_impl_failed_fatal

/* Every check comes down to this: the site as a constant, the operands,
 * the runtime's verdict, and the failure with the user's message (the
 * arguments after operands, format first). */
#define CORDON_IMPL_CHECK(fatal, name, op, text, operands, ...)               \
    do {                                                                      \
        static const struct cordon_impl_check cordon_impl_c = {               \
            __FILE__, __LINE__, name, op, text};                              \
        const struct cordon_impl_operands cordon_impl_o = operands;           \
        if (!cordon_impl_holds(&cordon_impl_c, &cordon_impl_o))               \
            CORDON_IMPL_FAILED_##fatal(&cordon_impl_c, &cordon_impl_o,        \
                                       __VA_ARGS__);                          \
        else                                                                  \
            cordon_impl_passed(__FILE__, __LINE__);                           \
    } while (0)

#define CORDON_IMPL_CMP(fatal, name, op, text, ...)                           \
    CORDON_IMPL_CAT(CORDON_IMPL_CMP_, CORDON_IMPL_HASMSG2(__VA_ARGS__))(      \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_CMP_N(fatal, name, op, text, a, b)                        \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_VALUES(a, b),      \
                      " ")
#define CORDON_IMPL_CMP_S(fatal, name, op, text, a, b, msg)                   \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_VALUES(a, b),      \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_CMP_M(fatal, name, op, text, a, b, ...)                   \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_VALUES(a, b),      \
                      " " __VA_ARGS__)
#define CORDON_IMPL_O_VALUES(a, b)                                            \
    cordon_impl_o_values(CORDON_IMPL_VALUE(a), CORDON_IMPL_VALUE(b))

#define CORDON_IMPL_BOOL(fatal, name, op, text, ...)                          \
    CORDON_IMPL_CAT(CORDON_IMPL_BOOL_, CORDON_IMPL_HASMSG1(__VA_ARGS__))(     \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_BOOL_N(fatal, name, op, text, a)                          \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_BOOL(a),           \
                      " ")
#define CORDON_IMPL_BOOL_S(fatal, name, op, text, a, msg)                     \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_BOOL(a),           \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_BOOL_M(fatal, name, op, text, a, ...)                     \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_BOOL(a),           \
                      " " __VA_ARGS__)
#define CORDON_IMPL_O_BOOL(a)                                                 \
    cordon_impl_o_values(cordon_impl_v_bool((a) ? 1 : 0), cordon_impl_v_bool(0))

#define CORDON_IMPL_PTR(fatal, name, op, text, ...)                           \
    CORDON_IMPL_CAT(CORDON_IMPL_PTR_, CORDON_IMPL_HASMSG1(__VA_ARGS__))(      \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_PTR_N(fatal, name, op, text, a)                           \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_PTR(a),            \
                      " ")
#define CORDON_IMPL_PTR_S(fatal, name, op, text, a, msg)                      \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_PTR(a),            \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_PTR_M(fatal, name, op, text, a, ...)                      \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_PTR(a),            \
                      " " __VA_ARGS__)
#define CORDON_IMPL_O_PTR(a)                                                  \
    cordon_impl_o_values(cordon_impl_v_pointer((const void *)(a)),            \
                         cordon_impl_v_pointer((const void *)0))

#define CORDON_IMPL_STR(fatal, name, op, text, ...)                           \
    CORDON_IMPL_CAT(CORDON_IMPL_STR_, CORDON_IMPL_HASMSG2(__VA_ARGS__))(      \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_STR_N(fatal, name, op, text, a, b)                        \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_STRINGS(a, b),     \
                      " ")
#define CORDON_IMPL_STR_S(fatal, name, op, text, a, b, msg)                   \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_STRINGS(a, b),     \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_STR_M(fatal, name, op, text, a, b, ...)                   \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_STRINGS(a, b),     \
                      " " __VA_ARGS__)
/* An unsigned char or signed char string is a string too (cJSON's
 * buffers, byte APIs): converted here, so -Wpointer-sign stays quiet for
 * them and anything else is checked as a const char * argument. */
#define CORDON_IMPL_O_STRINGS(a, b)                                           \
    cordon_impl_o_strings(CORDON_IMPL_STRING(a), CORDON_IMPL_STRING(b))
#define CORDON_IMPL_STRING(s)                                                 \
    _Generic((s),                                                             \
        unsigned char *: cordon_impl_s_bytes,                                 \
        const unsigned char *: cordon_impl_s_bytes,                           \
        signed char *: cordon_impl_s_bytes,                                   \
        const signed char *: cordon_impl_s_bytes,                             \
        default: cordon_impl_s_chars)(s)

#define CORDON_IMPL_NEAR(fatal, name, op, text, ...)                          \
    CORDON_IMPL_CAT(CORDON_IMPL_NEAR_, CORDON_IMPL_HASMSG3(__VA_ARGS__))(     \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_NEAR_N(fatal, name, op, text, a, b, tol)                  \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_NEAR(a, b, tol),   \
                      " ")
#define CORDON_IMPL_NEAR_S(fatal, name, op, text, a, b, tol, msg)             \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_NEAR(a, b, tol),   \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_NEAR_M(fatal, name, op, text, a, b, tol, ...)             \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_NEAR(a, b, tol),   \
                      " " __VA_ARGS__)
#define CORDON_IMPL_O_NEAR(a, b, tol)                                         \
    cordon_impl_o_near(CORDON_IMPL_VALUE(a), CORDON_IMPL_VALUE(b),            \
                       CORDON_IMPL_VALUE(tol))

/* NAN's operand: floating types only, so an integer (never a NaN) does
 * not compile. */
#define CORDON_IMPL_FLOATING(fatal, name, op, text, ...)                      \
    CORDON_IMPL_CAT(CORDON_IMPL_FLOATING_, CORDON_IMPL_HASMSG1(__VA_ARGS__))( \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_FLOATING_N(fatal, name, op, text, a)                      \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_FLOATING(a),       \
                      " ")
#define CORDON_IMPL_FLOATING_S(fatal, name, op, text, a, msg)                 \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_FLOATING(a),       \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_FLOATING_M(fatal, name, op, text, a, ...)                 \
    CORDON_IMPL_CHECK(fatal, name, op, text, CORDON_IMPL_O_FLOATING(a),       \
                      " " __VA_ARGS__)
#define CORDON_IMPL_O_FLOATING(a)                                             \
    cordon_impl_o_values(_Generic((a),                                        \
                             float: cordon_impl_v_float,                      \
                             double: cordon_impl_v_double,                    \
                             long double: cordon_impl_v_ldouble)(a),          \
                         cordon_impl_v_bool(0))

#define CORDON_IMPL_MEM(fatal, name, op, text, ...)                           \
    CORDON_IMPL_CAT(CORDON_IMPL_MEM_, CORDON_IMPL_HASMSG3(__VA_ARGS__))(      \
        fatal, name, op, text, __VA_ARGS__)
#define CORDON_IMPL_MEM_N(fatal, name, op, text, a, b, n)                     \
    CORDON_IMPL_CHECK(fatal, name, op, text, cordon_impl_o_memory(a, b, n),   \
                      " ")
#define CORDON_IMPL_MEM_S(fatal, name, op, text, a, b, n, msg)                \
    CORDON_IMPL_CHECK(fatal, name, op, text, cordon_impl_o_memory(a, b, n),   \
                      " %s", cordon_impl_text(msg))
#define CORDON_IMPL_MEM_M(fatal, name, op, text, a, b, n, ...)                \
    CORDON_IMPL_CHECK(fatal, name, op, text, cordon_impl_o_memory(a, b, n),   \
                      " " __VA_ARGS__)

/* The statement comes in parentheses, so that the commas of a macro it
 * expands to (an ASSERT_ in it) neither split it nor count as arguments;
 * CORDON_IMPL_UNPAREN takes them off where it runs. */
#define CORDON_IMPL_UNPAREN(...) __VA_ARGS__
#define CORDON_IMPL_DEATH(fatal, name, op, text, stmt, ...)                  \
    CORDON_IMPL_CAT(CORDON_IMPL_DEATH_, CORDON_IMPL_HASMSG1(__VA_ARGS__))(    \
        fatal, name, op, text, stmt, __VA_ARGS__)
#define CORDON_IMPL_DEATH_N(fatal, name, op, text, stmt, want)                \
    CORDON_IMPL_DEATH_DO(fatal, name, op, text, stmt, want, " ")
#define CORDON_IMPL_DEATH_S(fatal, name, op, text, stmt, want, msg)           \
    CORDON_IMPL_DEATH_DO(fatal, name, op, text, stmt, want, " %s", cordon_impl_text(msg))
#define CORDON_IMPL_DEATH_M(fatal, name, op, text, stmt, want, ...)           \
    CORDON_IMPL_DEATH_DO(fatal, name, op, text, stmt, want,                   \
                         " " __VA_ARGS__)
#define CORDON_IMPL_DEATH_DO(fatal, name, op, text, stmt, want, ...)          \
    do {                                                                      \
        struct cordon_isolated cordon_impl_r;                                 \
        int cordon_impl_rc = cordon_impl_death_begin(&cordon_impl_r);         \
        if (cordon_impl_rc == 1) {                                            \
            CORDON_IMPL_UNPAREN stmt;                                         \
            cordon_impl_death_end();                                          \
        }                                                                     \
        CORDON_IMPL_CHECK(fatal, name, op, text,                              \
                          cordon_impl_o_death(&cordon_impl_r, cordon_impl_rc, \
                                              want),                          \
                          __VA_ARGS__);                                       \
        cordon_isolated_free(&cordon_impl_r);                                 \
    } while (0)

#ifdef __cplusplus
}
#endif

/* --- short names -------------------------------------------------------- */
#ifndef CORDON_NO_SHORT_NAMES
#define TEST CORDON_TEST
#define TEST_P CORDON_TEST_P
#define TEST_P_LABELED CORDON_TEST_P_LABELED
#define TEST_FILES CORDON_TEST_FILES
#define SUITE CORDON_SUITE
#define EXPECT_TRUE CORDON_EXPECT_TRUE
#define ASSERT_TRUE CORDON_ASSERT_TRUE
#define EXPECT_FALSE CORDON_EXPECT_FALSE
#define ASSERT_FALSE CORDON_ASSERT_FALSE
#define EXPECT_EQ CORDON_EXPECT_EQ
#define ASSERT_EQ CORDON_ASSERT_EQ
#define EXPECT_NE CORDON_EXPECT_NE
#define ASSERT_NE CORDON_ASSERT_NE
#define EXPECT_LT CORDON_EXPECT_LT
#define ASSERT_LT CORDON_ASSERT_LT
#define EXPECT_LE CORDON_EXPECT_LE
#define ASSERT_LE CORDON_ASSERT_LE
#define EXPECT_GT CORDON_EXPECT_GT
#define ASSERT_GT CORDON_ASSERT_GT
#define EXPECT_GE CORDON_EXPECT_GE
#define ASSERT_GE CORDON_ASSERT_GE
#define EXPECT_STREQ CORDON_EXPECT_STREQ
#define ASSERT_STREQ CORDON_ASSERT_STREQ
#define EXPECT_STRNE CORDON_EXPECT_STRNE
#define ASSERT_STRNE CORDON_ASSERT_STRNE
#define EXPECT_NEAR CORDON_EXPECT_NEAR
#define ASSERT_NEAR CORDON_ASSERT_NEAR
#define EXPECT_NEAR_REL CORDON_EXPECT_NEAR_REL
#define ASSERT_NEAR_REL CORDON_ASSERT_NEAR_REL
#define EXPECT_NAN CORDON_EXPECT_NAN
#define ASSERT_NAN CORDON_ASSERT_NAN
#define EXPECT_MEMEQ CORDON_EXPECT_MEMEQ
#define ASSERT_MEMEQ CORDON_ASSERT_MEMEQ
#define EXPECT_STRCONTAINS CORDON_EXPECT_STRCONTAINS
#define ASSERT_STRCONTAINS CORDON_ASSERT_STRCONTAINS
#define EXPECT_SIGNAL CORDON_EXPECT_SIGNAL
#define ASSERT_SIGNAL CORDON_ASSERT_SIGNAL
#define EXPECT_EXIT_STATUS CORDON_EXPECT_EXIT_STATUS
#define ASSERT_EXIT_STATUS CORDON_ASSERT_EXIT_STATUS
#define EXPECT_NULL CORDON_EXPECT_NULL
#define ASSERT_NULL CORDON_ASSERT_NULL
#define EXPECT_NOT_NULL CORDON_EXPECT_NOT_NULL
#define ASSERT_NOT_NULL CORDON_ASSERT_NOT_NULL
#define FAIL CORDON_FAIL
#define SKIP CORDON_SKIP
#endif

#endif /* CORDON_H */
