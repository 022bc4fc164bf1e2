// SPDX-License-Identifier: MIT
// legacy_config.h — a small "key = value" config parser in the style of
// old C code, kept with three real bugs so legacy_config_test.c can show
// how cordon pins a bug while it exists. Build with -DLEGACY_FIXED for the
// repaired version.
#ifndef LEGACY_CONFIG_H
#define LEGACY_CONFIG_H

#define CFG_MAX_ENTRIES 16
#define CFG_KEY_MAX 32

struct cfg_entry {
    char key[CFG_KEY_MAX];
    long values[4];
    int nvalues;
};

struct cfg {
    struct cfg_entry entries[CFG_MAX_ENTRIES];
    int nentries;
};

/* cfg_parse_line parses one line, "key = 1, 2, 3" (a '#' line or a blank
 * line is skipped). Returns 0 when the line was taken, -1 when it is
 * malformed or the table is full. */
int cfg_parse_line(struct cfg *c, const char *line);

/* cfg_get returns the entry named key, or NULL. */
const struct cfg_entry *cfg_get(const struct cfg *c, const char *key);

#endif
