// SPDX-License-Identifier: MIT
// fuzz_main.c — the main() of the cordon::fuzz library: a libFuzzer-style
// fuzz target (a file defining LLVMFuzzerTestOneInput) linked with it
// becomes a regression runner. `./target corpus/ crash-1234 -j8` runs
// each input as a test of its own, "fuzz/<path>", in its own process, with
// every cordon option and report: a directory argument gives one test per
// regular file under it (as TEST_FILES, run/files.c), a file argument one.
//
// LLVMFuzzerInitialize, when the target defines it, runs here, once, in
// the runner before cordon_main: every worker and test is forked from
// this process afterwards, so what it sets up is there for every input,
// as libFuzzer gives it to every input of its process. (Threads it starts
// do not survive the fork: as with a suite's .once, start them lazily.)
// Running it in a child first, to see it survive, would run it twice: it
// runs here, watched instead. A crash signal whose action is the default
// is caught while it runs, says so in one line (write(), from the
// handler) and ends the binary with exit code 2; one that a sanitizer
// handles is left to it, whose report is worth more. An exit() from it is
// caught by an exit handler, which says so and exits 2.
// Each input is copied into a heap block of exactly its size, as libFuzzer
// does, so that AddressSanitizer reports a read one byte past its end.
#include "cordon.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __GLIBC__
/* glibc's exit handler that is told the status (declared by <stdlib.h>
 * only outside strict POSIX). */
int on_exit(void (*fn)(int status, void *arg), void *arg);
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* A weak reference: NULL when the target does not define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* cordon__fuzz_run_input is the body of every input's test. The target's
 * return value is ignored, as libFuzzer ignores it but for -1, which only
 * keeps an input out of a corpus being grown. Named as cordon's so that a
 * sanitizer's stack folds from it even in a libcordon without debug
 * information (fold.c knows cordon's frames by name there). */
static void
cordon__fuzz_run_input(const void *p)
{
    /* Static: under --no-fork, a check of the target's that failed jumped
     * out past free(), and the next input frees it. */
    static uint8_t *copy;
    struct cordon_file f;

    free(copy);
    copy = NULL;
    cordon_impl_file_open(p, &f, __FILE__, __LINE__);
    copy = malloc(f.size > 0 ? f.size : 1);
    if (copy == NULL)
        cordon_impl_fail_fatal(__FILE__, __LINE__, " out of memory for a "
                               "copy of input '%s' (%zu bytes)", f.path,
                               f.size);
    memcpy(copy, f.data, f.size);
    (void)LLVMFuzzerTestOneInput(copy, f.size);
    free(copy);
    copy = NULL;
}

static struct cordon_impl_test inputs = {
    .suite = "fuzz",
    .name = "inputs",
    .file = __FILE__,
    .line = __LINE__,
    .options = {.timeout = CORDON_DEFAULT_TIMEOUT,
                .exit_code = CORDON_NO_EXIT,
                .retries = CORDON_DEFAULT_RETRIES},
    .param_body_ = cordon__fuzz_run_input,
    .files_how_ = CORDON_IMPL_FILES_ARGUMENTS,
};

/* libfuzzer_flag says arg is one of libFuzzer's own flags, "-name=value"
 * (-runs=100, -max_len=4096), which scripts written for libFuzzer pass to
 * a target that reproduces crashes. */
static int
libfuzzer_flag(const char *arg)
{
    size_t n = strspn(arg + 1, "abcdefghijklmnopqrstuvwxyz_");

    return arg[0] == '-' && n > 0 && arg[1 + n] == '=';
}

/* The signals a crash raises, and their names for the line. */
static const struct {
    int sig;
    const char *name;
} crashes[] = {
    {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"}, {SIGILL, "SIGILL"},
    {SIGFPE, "SIGFPE"},   {SIGABRT, "SIGABRT"}, {SIGTRAP, "SIGTRAP"},
    {SIGSYS, "SIGSYS"},
};
#define NCRASHES (sizeof crashes / sizeof crashes[0])

static volatile sig_atomic_t initializing;

static void
say(const char *s)
{
    (void)!write(STDERR_FILENO, s, strlen(s));
}

/* crashed ends the process that LLVMFuzzerInitialize crashed, with one
 * line: only write() and _exit(), which a signal handler may call. */
static void
crashed(int sig)
{
    const char *name = "a signal";

    for (size_t i = 0; i < NCRASHES; i++)
        if (crashes[i].sig == sig)
            name = crashes[i].name;
    say("cordon: LLVMFuzzerInitialize crashed with ");
    say(name);
    say(" before any input ran (fix the target's initialization)\n");
    _exit(2);
}

#ifdef __GLIBC__
static void
exited(int status, void *arg)
{
    (void)arg;
    if (!initializing)
        return;
    fflush(NULL);
    fprintf(stderr, "cordon: LLVMFuzzerInitialize called exit(%d) before "
            "any input ran (it must return)\n", status);
    _exit(2);
}
#else
static void
exited(void)
{
    if (!initializing)
        return;
    fflush(NULL);
    fprintf(stderr, "cordon: LLVMFuzzerInitialize called exit() before "
            "any input ran (it must return)\n");
    _exit(2);
}
#endif

/* initialize runs the target's LLVMFuzzerInitialize, watched as the top
 * of the file says. */
static void
initialize(int *argc, char ***argv)
{
    struct sigaction watch = {.sa_handler = crashed}, old[NCRASHES];
    bool caught[NCRASHES];

    sigemptyset(&watch.sa_mask);
#ifdef __GLIBC__
    on_exit(exited, NULL);
#else
    atexit(exited);
#endif
    for (size_t i = 0; i < NCRASHES; i++) {
        caught[i] = sigaction(crashes[i].sig, NULL, &old[i]) == 0 &&
                    !(old[i].sa_flags & SA_SIGINFO) &&
                    old[i].sa_handler == SIG_DFL &&
                    sigaction(crashes[i].sig, &watch, NULL) == 0;
    }
    initializing = 1;
    LLVMFuzzerInitialize(argc, argv);
    initializing = 0;
    for (size_t i = 0; i < NCRASHES; i++)
        if (caught[i])
            sigaction(crashes[i].sig, &old[i], NULL);
}

int
main(int argc, char **argv)
{
    char **args;
    int kept = 1, rc;
    bool inputs_only = false;

    if (LLVMFuzzerInitialize != NULL)
        initialize(&argc, &argv);
    /* An array of our own: the one LLVMFuzzerInitialize may hand back
     * need not have a NULL after its argc entries (libFuzzer asks for
     * none), and there is no room to write one. */
    args = malloc(((size_t)(argc > 0 ? argc : 1) + 1) * sizeof *args);
    if (args == NULL) {
        fprintf(stderr, "cordon: out of memory for %d arguments\n", argc);
        return 2;
    }
    args[0] = argc > 0 ? argv[0] : "fuzz";
    for (int i = 1; i < argc; i++) {
        /* After "--" every argument is an input, whatever it looks like;
         * cordon_main reads "--" the same way. */
        if (!inputs_only && libfuzzer_flag(argv[i])) {
            fprintf(stderr, "cordon: ignoring libFuzzer's flag '%s' (every "
                    "input runs once, as its own test)\n", argv[i]);
            continue;
        }
        inputs_only |= strcmp(argv[i], "--") == 0;
        args[kept++] = argv[i];
    }
    args[kept] = NULL;
    cordon_impl_register(&inputs);
    rc = cordon_main(kept, args);
    free(args);
    return rc;
}
