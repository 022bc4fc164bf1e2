// SPDX-License-Identifier: MIT
// fake_cordon.c — a stand-in libcordon for `ci/integration --self-check`,
// which builds fake install prefixes from it (each with one thing wrong)
// without building cordon. cordon_main() knows three tests: --list
// prints them, --junit FILE writes them as a JUnit report, and a run
// passes them all. With -DFAKE_CORDON_MAIN it is libcordon_main's main()
// instead; with -DFAKE_EXTRA_EXPORT the library exports one more symbol
// than cordon's API.
#include <stdio.h>
#include <string.h>

int cordon_main(int argc, char **argv);

#ifdef FAKE_CORDON_MAIN
int
main(int argc, char **argv)
{
    return cordon_main(argc, argv);
}
#else
static const char *const tests[][2] = {
    {"stack", "push"}, {"stack", "pop"}, {"stack", "empty"}};
#define NTESTS (sizeof tests / sizeof tests[0])

#ifdef FAKE_EXTRA_EXPORT
int fake_cordon_helper(void);
int
fake_cordon_helper(void)
{
    return 0;
}
#endif

int
cordon_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0) {
            for (size_t t = 0; t < NTESTS; t++)
                printf("%s/%s\n", tests[t][0], tests[t][1]);
            return 0;
        }
        if (strcmp(argv[i], "--junit") == 0 && i + 1 < argc) {
            FILE *f = fopen(argv[++i], "w");

            if (f == NULL)
                return 2;
            fprintf(f, "<testsuites>\n");
            for (size_t t = 0; t < NTESTS; t++)
                fprintf(f, "  <testcase name=\"%s\" classname=\"%s\"/>\n",
                        tests[t][1], tests[t][0]);
            fprintf(f, "</testsuites>\n");
            if (fclose(f) != 0)
                return 2;
        }
    }
    for (size_t t = 0; t < NTESTS; t++)
        printf("PASS  %s/%s\n", tests[t][0], tests[t][1]);
    return 0;
}
#endif
