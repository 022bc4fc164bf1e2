// SPDX-License-Identifier: MIT
// param.c — parameterized tests: TEST_P registers one template per
// definition, with its array of cases; at start each case becomes a test
// of its own here, "suite/name[i]" or "suite/name[label]", that is then
// listed, filtered, sharded, run, retried and reported like any other.
// The cases of a template keep its file and line, so they sort together,
// in index order. They live as long as the process, in the run's tables
// (tables.c), with their ids: the registry's list keeps them reachable.
// A label's bytes that would not show as they are (control characters,
// C1 too; invalid UTF-8; the line and paragraph separators and the
// bidirectional controls, which reorder what follows them) are written
// %XX in the id, as TEST_FILES ids write theirs: an id is one line that
// reads as it is, on a terminal, in a CI log and in --list, and --test
// takes it back as --list prints it.
#include "run/run.h"

#include <stdlib.h>
#include <string.h>

/* label_of is case k's label, or NULL when the cases have none (or its
 * label member is NULL). */
static const char *
label_of(const struct cordon_impl_test *tpl, size_t k)
{
    const char *base = (const char *)tpl->params_ + k * tpl->param_size_;
    const char *label;

    if (tpl->label_offset_ == 0)
        return NULL;
    memcpy(&label, base + tpl->label_offset_ - 1, sizeof label);
    return label;
}

/* shown is how many bytes at p (n left) show as they are: one for a
 * printable ASCII character, the length of a valid UTF-8 sequence for a
 * character that is no control, separator or bidirectional control; 0
 * when the byte at p must be escaped. */
static size_t
shown(const unsigned char *p, size_t n)
{
    size_t len;
    unsigned long c;

    if (p[0] < 0x80)
        return p[0] >= 0x20 && p[0] != 0x7f;
    len = p[0] >= 0xf0 && p[0] <= 0xf4   ? 4
          : p[0] >= 0xe0                 ? 3
          : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
                                         : 0;
    if (len == 0 || len > n)
        return 0;
    c = p[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff) || (c >= 0x80 && c <= 0x9f) ||
        c == 0x061c || c == 0x200e || c == 0x200f ||
        (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        return 0;
    return len;
}

/* add_label appends label to name, escaped as the file's head says. */
static void
add_label(struct cordon__buf *name, const char *label)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)label;
    size_t n = strlen(label);

    while (n > 0) {
        size_t k = shown(p, n);

        if (k == 0) {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};

            cordon__buf_add(name, esc, 3);
            k = 1;
        } else {
            cordon__buf_add(name, (const char *)p, k);
        }
        p += k;
        n -= k;
    }
}

struct cordon_impl_test *
cordon__param_cases(const struct cordon_impl_test *tpl)
{
    struct cordon_impl_test *cases = cordon__tables_keep(
        tpl->nparams_ * sizeof *cases, _Alignof(struct cordon_impl_test));
    struct cordon__buf name = {0};

    for (size_t k = 0; k < tpl->nparams_; k++) {
        const char *label = label_of(tpl, k);

        name.len = 0;
        if (label != NULL) {
            cordon__buf_printf(&name, "%s[", tpl->name);
            add_label(&name, label);
            cordon__buf_add(&name, "]", 1);
        } else
            cordon__buf_printf(&name, "%s[%zu]", tpl->name, k);
        cases[k] = *tpl;
        cases[k].name = cordon__tables_id(name.data);
        cases[k].next_ = NULL;
        cases[k].param_ = (const char *)tpl->params_ + k * tpl->param_size_;
    }
    cordon__buf_release(&name);
    return cases;
}
