// SPDX-License-Identifier: MIT
// main.cpp — a C++ main() that includes cordon.h and runs the C tests it is
// linked with: the header's extern "C" block and its declarations must
// work from C++, for projects whose test runner's main is C++.
#include <cordon.h>

int
main(int argc, char **argv)
{
    return cordon_main(argc, argv);
}
