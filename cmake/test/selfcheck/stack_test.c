// SPDX-License-Identifier: MIT
// stack_test.c — stands in for examples/pkg-config/stack_test.c in
// `ci/integration --self-check`: built with that example's Makefile
// against a fake prefix (fake_cordon.c), whose cordon_main() holds the
// tests.
#include <cordon.h>

typedef int fake_stack_test;
