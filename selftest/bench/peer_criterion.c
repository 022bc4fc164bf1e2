// SPDX-License-Identifier: MIT
// peer_criterion.c — the trivial suite of trivial.c written for Criterion,
// a peer framework that runs every test in a worker process, in parallel
// by default: exactly BENCH_N empty tests, with Criterion's own main and
// command line (-j1 for one worker). ci/bench builds it with the system's
// Criterion (pkg-config criterion), not CMake, so that cordon's own build
// never depends on a peer.
#include <criterion/criterion.h>

#define BENCH_ONE(id) Test(bench, id) {}
#include "expand.h"
