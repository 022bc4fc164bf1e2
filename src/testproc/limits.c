// SPDX-License-Identifier: MIT
// limits.c — the resource limits of a test process: which are in force for
// a test (its own .memory_limit, .cpu_limit and .file_size_limit, else the
// run's --memory-limit), setting them with setrlimit in the test process,
// byte counts as users write them ("64M", "64MiB") and as reasons show
// them ("64 MiB"). Turning a process that hit one into a verdict is
// outcome.c's; this file only says what was in force.
#include "testproc/testproc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Whether this process runs under AddressSanitizer: libcordon built with
 * it, or a test binary that links the ASan runtime (its __asan_init). */
#if defined(__SANITIZE_ADDRESS__)
#define BUILT_WITH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BUILT_WITH_ASAN 1
#endif
#endif
#ifndef BUILT_WITH_ASAN
#define BUILT_WITH_ASAN 0
#endif
/* A name ASan chose, declared, not defined, here:
 * NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
extern void __asan_init(void) __attribute__((weak));
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

bool
cordon__limits_asan(void)
{
    return BUILT_WITH_ASAN || __asan_init != NULL;
}

bool
cordon__limits_parse_bytes(const char *text, uint64_t *out)
{
    static const struct {
        const char *suffix;
        unsigned shift;
    } units[] = {{"", 0},    {"K", 10},   {"KiB", 10}, {"M", 20},
                 {"MiB", 20}, {"G", 30},  {"GiB", 30}, {"k", 10},
                 {"m", 20},   {"g", 30}};
    char *end;
    unsigned long long v;

    if (text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0)
        return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].suffix) != 0)
            continue;
        if (v > (UINT64_MAX >> units[i].shift))
            return false;
        *out = (uint64_t)v << units[i].shift;
        return true;
    }
    return false;
}

const char *
cordon__limits_bytes_text(uint64_t n, char *buf, size_t size)
{
    static const char *const names[] = {"GiB", "MiB", "KiB"};
    static const unsigned shifts[] = {30, 20, 10};

    for (size_t i = 0; i < 3; i++)
        if (n >= (1ull << shifts[i]) && n % (1ull << shifts[i]) == 0) {
            snprintf(buf, size, "%llu %s",
                     (unsigned long long)(n >> shifts[i]), names[i]);
            return buf;
        }
    snprintf(buf, size, "%llu bytes", (unsigned long long)n);
    return buf;
}

struct cordon__limits
cordon__limits_of(const struct cordon__config *cfg,
                  const struct cordon_impl_test *t)
{
    struct cordon__limits l = {0};
    double cpu = t->options.cpu_limit;

    l.memory = t->options.memory_limit > 0 ? t->options.memory_limit
                                           : cfg->memory_limit;
    /* Whole seconds (RLIMIT_CPU counts no less), scaled like timeouts. */
    if (cpu > 0) {
        cpu *= cfg->timeout_multiplier;
        if (cpu > CORDON__MAX_TIMEOUT)
            cpu = CORDON__MAX_TIMEOUT;
        l.cpu = (double)(long long)cpu;
        if (l.cpu < cpu)
            l.cpu += 1;
    }
    l.file_size = t->options.file_size_limit;
    if (cordon__limits_asan())
        l.memory = 0;
    return l;
}

void
cordon__limits_warn(const struct cordon__config *cfg,
                    struct cordon_impl_test *const *tests, size_t n)
{
    bool asked = cfg->memory_limit > 0;

    for (size_t i = 0; i < n && !asked; i++)
        asked = tests[i]->options.memory_limit > 0;
    if (asked && cordon__limits_asan())
        cordon__error("warning: memory limits are ignored under "
                      "AddressSanitizer, which reserves terabytes of address "
                      "space (build without -fsanitize=address to use them)");
    else if (asked && cordon__limits_ignored())
        cordon__error("warning: memory limits are not applied here: this "
                      "system accepts setrlimit(RLIMIT_AS) and ignores it "
                      "(qemu-user does), so tests run without them");
}

bool
cordon__limits_ignored(void)
{
    struct rlimit was, probe, seen;

    if (getrlimit(RLIMIT_AS, &was) != 0 || was.rlim_cur <= 4096)
        return false;
    /* A soft limit lowered a page and raised again is no change (a
     * process may raise it up to the hard one), and limits no mapping
     * already made. */
    probe = was;
    probe.rlim_cur = was.rlim_cur > ((rlim_t)1 << 40) ? (rlim_t)1 << 40
                                                       : was.rlim_cur - 4096;
    if (setrlimit(RLIMIT_AS, &probe) != 0)
        return false;
    if (getrlimit(RLIMIT_AS, &seen) != 0)
        seen = was;
    setrlimit(RLIMIT_AS, &was);
    return seen.rlim_cur != probe.rlim_cur;
}

/* lower sets the soft limit of resource to v (and the hard one too when
 * hard is set), never above the hard limit in force. */
static void
lower(int resource, rlim_t v, bool hard)
{
    struct rlimit rl;

    if (getrlimit(resource, &rl) != 0)
        return;
    if (rl.rlim_max != RLIM_INFINITY && v > rl.rlim_max)
        v = rl.rlim_max;
    rl.rlim_cur = v;
    if (hard)
        rl.rlim_max = v;
    setrlimit(resource, &rl);
}

void
cordon__limits_apply(const struct cordon__limits *l)
{
    if (l->memory > 0)
        lower(RLIMIT_AS, (rlim_t)l->memory, false);
    if (l->cpu > 0) {
        struct rlimit rl;

        /* SIGXCPU at the soft limit; a test that ignores it gets SIGKILL
         * one second later, at the hard one. */
        lower(RLIMIT_CPU, (rlim_t)l->cpu, false);
        if (getrlimit(RLIMIT_CPU, &rl) == 0 &&
            (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > rl.rlim_cur + 1)) {
            rl.rlim_max = rl.rlim_cur + 1;
            setrlimit(RLIMIT_CPU, &rl);
        }
    }
    if (l->file_size > 0)
        lower(RLIMIT_FSIZE, (rlim_t)l->file_size, false);
}
