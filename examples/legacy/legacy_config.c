// SPDX-License-Identifier: MIT
// legacy_config.c — the parser of legacy_config.h. Its three bugs are
// real and typical of code written for well-formed input only:
//   1. a NULL line is dereferenced (callers pass fgets()'s NULL at EOF);
//   2. a value is scanned up to '\n', so a last line without a newline
//      is read past its terminating NUL (a buffer over-read);
//   3. a minus sign, which the format does not allow, stops the number
//      scanner from advancing: an endless loop on bad input.
// LEGACY_FIXED compiles the repaired lines instead, to show the tests in
// legacy_config_test.c flip from pinned bugs to ordinary checks.
#include "legacy_config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static const char *
skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static int
parse_values(struct cfg_entry *e, const char *p)
{
    long v = 0;
    int digits = 0;

#ifdef LEGACY_FIXED
    while (*p != '\n' && *p != '\0') {
#else
    while (*p != '\n') { /* bug 2: assumes every line ends in '\n' */
#endif
        if (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p - '0');
            digits++;
            p++;
        } else if (*p == '-') {
            /* Values are counts: a sign is not allowed. */
#ifdef LEGACY_FIXED
            return -1;
#else
            continue; /* bug 3: p is not advanced */
#endif
        } else {
            /* ',' and anything else end a value. */
            if (digits > 0 && e->nvalues < 4)
                e->values[e->nvalues++] = v;
            v = 0;
            digits = 0;
            p++;
        }
    }
    if (digits > 0 && e->nvalues < 4)
        e->values[e->nvalues++] = v;
    return e->nvalues > 0 ? 0 : -1;
}

int
cfg_parse_line(struct cfg *c, const char *line)
{
    struct cfg_entry *e;
    const char *p, *eq;
    size_t n;

#ifdef LEGACY_FIXED
    if (line == NULL)
        return -1;
#endif
    p = skip_blanks(line); /* bug 1: line may be NULL */
    if (*p == '#' || *p == '\n' || *p == '\0')
        return 0;
    eq = strchr(p, '=');
    if (eq == NULL || c->nentries == CFG_MAX_ENTRIES)
        return -1;
    n = (size_t)(eq - p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= CFG_KEY_MAX)
        return -1;
    e = &c->entries[c->nentries];
    memset(e, 0, sizeof *e);
    memcpy(e->key, p, n);
    if (parse_values(e, skip_blanks(eq + 1)) != 0)
        return -1;
    c->nentries++;
    return 0;
}

const struct cfg_entry *
cfg_get(const struct cfg *c, const char *key)
{
    for (int i = 0; i < c->nentries; i++)
        if (strcmp(c->entries[i].key, key) == 0)
            return &c->entries[i];
    return NULL;
}
