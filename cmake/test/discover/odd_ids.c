// SPDX-License-Identifier: MIT
// odd_ids.c — pretends to be a cordon test binary with awkward test ids,
// for the cordon_discover_tests() test (see CMakeLists.txt).
#include <stdio.h>
#include <string.h>

static const struct {
    const char *id;
    const char *timeout;
    int status;
} tests[] = {
    {"plain/one", "10", 0},
    {"with space/a b  c", "2.5", 0},
    {"brackets/x[1][2]", "0", 0},
    {"brackets/unbalanced[ and ]]", "1", 0},
    {"quotes/\"double\" and 'single'", "3", 0},
    {"backslash/a\\b\\", "3", 0},
    {"closing/]=] and ]==]", "3", 0},
    {"dollar/${HOME} $ENV{PATH} @ONLY@", "3", 0},
    {"skipped/exit 77", "1e+02", 77},
};
#define NTESTS (sizeof tests / sizeof tests[0])

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--list") == 0 &&
        strcmp(argv[2], "--verbose") == 0) {
        for (size_t i = 0; i < NTESTS; i++)
            printf("%s\t%s\n", tests[i].id, tests[i].timeout);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "--extra") == 0 &&
        strcmp(argv[2], "two words") == 0 && strcmp(argv[3], "--list") == 0 &&
        strcmp(argv[4], "--verbose") == 0) {
        for (size_t i = 0; i < NTESTS; i++)
            printf("%s\t%s\n", tests[i].id, tests[i].timeout);
        return 0;
    }
    if ((argc == 3 || (argc == 5 && strcmp(argv[3], "--extra") == 0 &&
                       strcmp(argv[4], "two words") == 0)) &&
        strcmp(argv[1], "--test") == 0) {
        for (size_t i = 0; i < NTESTS; i++)
            if (strcmp(argv[2], tests[i].id) == 0)
                return tests[i].status;
        fprintf(stderr, "odd_ids: no test has the id '%s'\n", argv[2]);
        return 1;
    }
    fprintf(stderr, "odd_ids: unexpected command line (%d arguments)\n",
            argc - 1);
    return 2;
}
