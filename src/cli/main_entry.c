// SPDX-License-Identifier: MIT
// main_entry.c — the main() of the cordon::main library, for test binaries
// that need no main of their own.
#include "cordon.h"

int
main(int argc, char **argv)
{
    return cordon_main(argc, argv);
}
