// SPDX-License-Identifier: MIT
// own_main.c — a main of the project's own, linked with cordon::cordon
// (not cordon::main): it may set things up, then hands over to cordon.
#include <cordon.h>

#include <stdio.h>

int
main(int argc, char **argv)
{
    setvbuf(stderr, NULL, _IONBF, 0);
    return cordon_main(argc, argv);
}
