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
// Each input is copied into a heap block of exactly its size, as libFuzzer
// does, so that AddressSanitizer reports a read one byte past its end.
#include "cordon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* A weak reference: NULL when the target does not define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* run_input is the body of every input's test. The target's return value
 * is ignored, as libFuzzer ignores it but for -1, which only keeps an
 * input out of a corpus being grown. */
static void
run_input(const void *p)
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
    .param_body_ = run_input,
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

int
main(int argc, char **argv)
{
    int kept = 1;

    if (LLVMFuzzerInitialize != NULL)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (libfuzzer_flag(argv[i]))
            fprintf(stderr, "cordon: ignoring libFuzzer's flag '%s' (every "
                    "input runs once, as its own test)\n", argv[i]);
        else
            argv[kept++] = argv[i];
    }
    argv[kept] = NULL;
    cordon_impl_register(&inputs);
    return cordon_main(kept, argv);
}
