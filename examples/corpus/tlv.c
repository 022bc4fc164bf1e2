// SPDX-License-Identifier: MIT
// tlv.c — the buggy parser of the corpus example (see tlv.h). Both bugs
// are marked BUG.
#include "tlv.h"

#include <string.h>

struct setting {
    const char *name;
    const char *value;
};

static const struct setting settings[] = {
    {"name", "cordon"},
    {"mode", "fork"},
};

static const struct setting *
lookup(const unsigned char *key, size_t len)
{
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        if (strlen(settings[i].name) == len &&
            memcmp(settings[i].name, key, len) == 0)
            return &settings[i];
    return NULL;
}

size_t
tlv_parse(const unsigned char *data, size_t size)
{
    const unsigned char *p = data, *end = data + size;
    size_t total = 0;

    /* BUG: '!=' instead of '<': a length that runs past the end jumps
     * over it, and the loop reads on past the input. */
    while (p != end) {
        unsigned char type = p[0], len = p[1];

        if (type == 'K') {
            /* BUG: an unknown key is NULL, dereferenced here. */
            total += strlen(lookup(p + 2, len)->value);
        } else if (type == 'S') {
            total += len;
        }
        p += 2 + len;
    }
    return total;
}
