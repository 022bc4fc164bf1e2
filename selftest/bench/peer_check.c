// SPDX-License-Identifier: MIT
// peer_check.c — the trivial suite of trivial.c written for Check, a peer
// framework that also forks every test (CK_FORK): exactly BENCH_N empty
// tests in one suite and one test case, run by one sequential SRunner.
// ci/bench builds it with the system's Check (pkg-config check), not CMake,
// so that cordon's own build never depends on a peer.
#include <check.h>
#include <stdlib.h>

#define BENCH_ONE(id) START_TEST(id) {} END_TEST
#include "expand.h"
#undef BENCH_ONE

int
main(void)
{
    Suite *suite = suite_create("bench");
    TCase *tcase = tcase_create("bench");
    SRunner *runner;
    int failed;

#define BENCH_ONE(id) tcase_add_test(tcase, id);
#include "expand.h"
    suite_add_tcase(suite, tcase);
    runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_FORK);
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
