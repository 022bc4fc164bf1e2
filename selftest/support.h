// SPDX-License-Identifier: MIT
// support.h — what cordon's selftests share: running a fixture binary as a
// subprocess (its exit code, stdout and stderr captured in full) and
// finding lines in what it printed.
#ifndef CORDON_SELFTEST_SUPPORT_H
#define CORDON_SELFTEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ST_ASAN is 1 in a build with AddressSanitizer. ASan installs its own
 * SIGSEGV handler and exits with status 1 instead of dying by the signal,
 * so fixtures that crash on purpose run with ST_ASAN_OPTIONS in their
 * environment: the signal then reaches cordon as it would without ASan.
 * Leak checks are off there too: a test that calls exit() on purpose
 * leaves the runner's memory behind by design. */
#if defined(__SANITIZE_ADDRESS__)
#define ST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ST_ASAN 1
#endif
#endif
#ifndef ST_ASAN
#define ST_ASAN 0
#endif
#define ST_ASAN_OPTIONS                                                       \
    "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_abort=0:"             \
    "handle_sigfpe=0:"                                                        \
    "allow_user_segv_handler=1:detect_leaks=0"

/* st_subreaper() is true where a worker adopts what its tests leave, in
 * any group or session: libcordon built on the linux platform, on a system
 * that lets a process be a child subreaper. The posix stand-in
 * (CORDON_PLATFORM=posix) kills a test's group only, as on macOS and the
 * BSDs, and so does the linux platform where prctl(PR_SET_CHILD_SUBREAPER)
 * is refused (qemu-user does not emulate it): a test of what only a
 * subreaper can do skips there, saying which, and posix_test.c checks what
 * the stand-in promises instead. why (static storage) says why not. */
bool st_subreaper(void);
const char *st_subreaper_why(void);
#define ST_SUBREAPER st_subreaper()
#define ST_NEEDS_SUBREAPER()                                                  \
    do {                                                                      \
        if (!ST_SUBREAPER)                                                    \
            SKIP("needs a worker that adopts what its tests leave: %s; "     \
                 "posix_test.c checks the stand-in", st_subreaper_why());     \
    } while (0)

/* st_emulated_why() is NULL where this program runs on the machine
 * itself, and says why not where an emulator runs it (qemu-user): there
 * stat("/proc/self/exe") finds the emulator's file while readlink() of it
 * names the program. What works on the machine's own process then finds
 * the emulator: gdb traces it, valgrind cannot start a foreign binary, the
 * sanitizer runtimes cannot map their shadow memory, and getrusage()
 * measures its memory. (static storage) */
const char *st_emulated_why(void);
/* ST_NEEDS_NATIVE(what) skips the test where an emulator runs it, saying
 * that what (a tool, a measure) does not work there. */
#define ST_NEEDS_NATIVE(what)                                                 \
    do {                                                                      \
        if (st_emulated_why() != NULL)                                        \
            SKIP("%s cannot work here: %s", (what), st_emulated_why());      \
    } while (0)

/* st_vdso_why() is NULL where the kernel maps its vDSO into processes, and
 * says why not where it is missing (qemu-user maps none and runs
 * clock_gettime() as a system call, which returns EFAULT for a bad
 * pointer rather than crash). (static storage) */
const char *st_vdso_why(void);
/* st_own_threads_why() is NULL where a process that starts no thread
 * has one, and says why not where it has more (qemu-user runs a thread of
 * its own in every process it emulates, which counts against a process
 * limit: a fork() the limit leaves room for but not that thread aborts the
 * emulated child instead of failing). Asked in a test process, which
 * starts none. (static storage) */
const char *st_own_threads_why(void);

/* st_proc_signals_why() is NULL where /proc/PID/status shows the signals
 * a program catches, and says why not where it shows an emulator's
 * (qemu-user catches every signal for the program it runs): found with a
 * child that catches none. (static storage) */
const char *st_proc_signals_why(void);

/* st_hide_proc_why() is NULL where a command can run without /proc (in a
 * mount namespace of its own, "unshare -m sh -c 'umount -l /proc && ...'"),
 * and says why not: no unshare or umount, no right to, AddressSanitizer
 * (which cannot start without /proc/self/maps), or an emulator (qemu-user
 * answers /proc/self/exe itself). (static storage) */
const char *st_hide_proc_why(void);

/* st_divide_traps_why() is NULL where an integer division by zero raises
 * SIGFPE, and says why not where it gives a number (AArch64; s390x under
 * qemu-user, which does not emulate the trap): found in a child that
 * divides. (static storage) */
const char *st_divide_traps_why(void);

/* st_env_kept() is what a shell command that clears the environment
 * (env -i) passes on for the fixture to start at all: the prefix in which
 * qemu-user finds a foreign program's loader and libraries
 * (QEMU_LD_PREFIX='...' and a space) where it is set, else "". (static
 * storage) */
const char *st_env_kept(void);

/* ST_NO_SUBREAPER_ENV is what a fixture that checks what a subreaper
 * adopts is given last in its environment: "ST_NO_SUBREAPER=1" where
 * workers are no subreapers though libcordon was built for Linux
 * (qemu-user), so the fixture leaves those checks out; NULL, which ends
 * the list, elsewhere. */
#define ST_NO_SUBREAPER_ENV (ST_SUBREAPER ? NULL : "ST_NO_SUBREAPER=1")

struct st_run {
    int code;   /* exit status, or 128 + signal when killed */
    bool overran; /* st_wait_until killed it for taking too long */
    char *out;  /* everything printed on stdout, NUL-terminated */
    size_t out_len;
    char *err;  /* everything printed on stderr, NUL-terminated */
    size_t err_len;
};

/* st_fixture returns the path of fixture binary name (static storage). */
const char *st_fixture(const char *name);

/* st_run_fixture runs fixture name with the NULL-terminated args and the
 * NULL-terminated "NAME=VALUE" environment additions (either may be NULL),
 * in the current directory, and waits for it. The fixture does not inherit
 * this process's CORDON_* variables nor the Bazel and GoogleTest test
 * protocol ones: only what env adds. Returns 0, or -1 when the
 * fixture could not be started. */
int st_run_fixture(struct st_run *r, const char *name,
                   const char *const *args, const char *const *env);

/* st_start_fixture starts a fixture without waiting; st_wait finishes it.
 * Used by tests that signal the fixture while it runs. */
pid_t st_start_fixture(struct st_run *r, const char *name,
                       const char *const *args, const char *const *env);
int st_wait(struct st_run *r, pid_t pid);

/* st_start_fixture_with is st_start_fixture with prepare(arg) called in
 * the fixture's process just before it execs (after its stdout and stderr
 * are set up and its environment is cleaned), to change its limits,
 * credentials or descriptors. prepare may be NULL. */
pid_t st_start_fixture_with(struct st_run *r, const char *name,
                            const char *const *args, const char *const *env,
                            void (*prepare)(void *), void *arg);

/* st_wait_until is st_wait with a limit: a fixture still running after
 * seconds is killed with every process below it, and r->overran is set.
 * A hung fixture then fails its test instead of hanging the selftest. */
int st_wait_until(struct st_run *r, pid_t pid, double seconds);

/* st_proc_stat reads a process's state letter (R, S, Z, ...) and parent
 * from /proc. Returns 0, or -1 when the process is gone or this is not
 * Linux. */
int st_proc_stat(pid_t pid, char *state, pid_t *ppid);

/* st_proc_children stores up to max pids of parent's children in pids and
 * returns how many there are (possibly more than max); 0 where /proc is
 * not Linux's. */
size_t st_proc_children(pid_t parent, pid_t *pids, size_t max);

/* st_kill_tree SIGKILLs pid and every process descended from it that can
 * still be found through its parent (Linux: /proc); elsewhere only pid. */
void st_kill_tree(pid_t pid);

/* st_kill_trees is st_kill_tree for several processes at once. */
void st_kill_trees(const pid_t *roots, size_t nroots);

void st_free(struct st_run *r);

/* st_sleep_ms sleeps ms milliseconds, through signals. */
void st_sleep_ms(long ms);

/* st_line returns a copy of the first line of text that starts with
 * prefix (without its newline), or NULL. Free it with free(). */
char *st_line(const char *text, const char *prefix);

/* st_count counts the lines of text that start with prefix. */
size_t st_count(const char *text, const char *prefix);

/* st_last_line returns a copy of the last non-empty line of text. */
char *st_last_line(const char *text);

/* st_proc_status returns /proc/PID/status (up to 8 KiB, NUL-terminated;
 * free() it), or NULL where it cannot be read. */
char *st_proc_status(pid_t pid);

/* st_read_file reads a whole file (NUL-terminated); NULL if unreadable. */
char *st_read_file(const char *path, size_t *len);

/* st_write_file creates or truncates path to hold text; a file that
 * cannot be created or written ends the test. */
void st_write_file(const char *path, const char *text);

/* st_tmpdir makes a fresh temporary directory (static storage per call
 * site is not kept: the caller frees the result). */
char *st_tmpdir(void);

/* st_details returns a copy of the detail lines (those indented by six
 * spaces) printed under the first console line that starts with prefix,
 * each with its newline, but for the "rerun:" and "debug:" hints; "" when
 * there are none, NULL when no line starts with prefix. Free it with
 * free(). */
char *st_details(const char *text, const char *prefix);

/* st_seconds returns the duration a console line shows ("  0.123 s"), or
 * -1 when it shows none. */
double st_seconds(const char *line);

/* st_strip_times returns a copy of a console transcript with every
 * duration ("  0.123 s" and the summary's " in 0.123 s") removed, so two
 * runs can be compared. Free it with free(). */
char *st_strip_times(const char *text);

/* st_source_line returns the number of the first line of the source file
 * path (relative to the source tree) that contains needle, or -1. Tests use
 * it to predict file:line in failure messages without hard-coding lines. */
int st_source_line(const char *path, const char *needle);

/* st_now returns CLOCK_MONOTONIC in seconds. */
double st_now(void);

/* st_rmtree removes a directory made by st_tmpdir and the files in it (one
 * level deep), then frees path. */
void st_rmtree(char *path);

/* st_has_line says whether text has a line that is exactly line. */
bool st_has_line(const char *text, const char *line);
/* st_has_line_starting says whether text has a line that starts with
 * prefix (st_line, without the copy). */
bool st_has_line_starting(const char *text, const char *prefix);

/* st_where returns "SOURCE_DIR/selftest/fixtures/file:N", N being the line
 * of that fixture source that contains mark: the place a failure there is
 * reported at. Free it with free(). */
char *st_where(const char *file, const char *mark);

/* st_cmake_setting returns the value of key ("NAME:TYPE") in the build's
 * CMakeCache.txt, or "" when it is not there (static storage, overwritten
 * by the next call). */
const char *st_cmake_setting(const char *key);
/* st_libxml2_mode returns the build's CORDON_LIBXML2 ("dlopen", "link"),
 * or "" when the cache cannot be read (static storage). */
const char *st_libxml2_mode(void);
/* st_coverage_build says the build is instrumented (CORDON_COVERAGE):
 * each process it starts then writes gcov counters when it ends, into
 * the build tree, and says so on stderr when it cannot. */
bool st_coverage_build(void);

/* st_format returns a formatted copy, like asprintf. Free it with free(). */
char *st_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* st_shell runs cmd with sh -c and returns its exit status (-1 when it
 * could not be started or did not exit), with everything it printed on
 * stdout and stderr in *out (free it; NULL when it could not start). */
int st_shell(const char *cmd, char **out);

/* st_command_found says whether the shell finds command name, for a test
 * that skips without a tool the selftest does not require. */
bool st_command_found(const char *name);

/* The schemas selftest/json_reports.py validates the JSON reports against:
 * the event stream's, and CTRF's, kept beside the source tree. */
#define ST_EVENTS_SCHEMA CORDON_SOURCE_DIR "/docs/cordon-events.schema.json"
#define ST_CTRF_SCHEMA CORDON_SOURCE_DIR "/../shared/ctrf/ctrf-schema-0.0.json"

/* st_need_jsonschema skips the test when python3-jsonschema is missing and,
 * when ctrf is set, when ST_CTRF_SCHEMA is not there either. */
void st_need_jsonschema(bool ctrf);

/* st_json_check runs json_reports.py MODE ("events", "ctrf"...) on file
 * against schema and returns what it printed (free it); the test fails
 * when the script finds the file invalid. */
char *st_json_check(const char *mode, const char *schema, const char *file);

#endif
