// SPDX-License-Identifier: MIT
// api.h — the library side of what a test calls (checks, cordon_tmpdir):
// code that runs inside a test process, so it includes nothing of run/ or
// report/ and never calls an allocator that exits.
#ifndef CORDON_API_INTERNAL_H
#define CORDON_API_INTERNAL_H

#include "common.h"

struct cordon__result;

/* ---- check_text.c ---- */

/* cordon__check_value_text appends a check operand's value as it prints
 * in its own type ("41", "0.30000000000000004", "'a' (97)", "true"). */
void cordon__check_value_text(struct cordon__buf *b,
                              const struct cordon_impl_value *v);
/* cordon__check_float_text appends the shortest decimal that reads back
 * as f at the precision of its source type (digits). */
void cordon__check_float_text(struct cordon__buf *b, long double f,
                              int digits);
/* cordon__check_string_text appends s quoted and escaped (NULL as NULL),
 * cut after 256 bytes with "...". */
void cordon__check_string_text(struct cordon__buf *b, const char *s);
/* cordon__check_operand copies the n-th (0-based) top-level comma-separated
 * part of a check's argument text into out, trimmed. */
void cordon__check_operand(const char *args, int n, char *out, size_t size);
/* cordon__check_is_literal says expression text shows its value itself
 * (42, 'a', "abc", 1e-9 printed as 1e-09). */
bool cordon__check_is_literal(const char *text, const char *value);

/* ---- files.c ---- */

/* cordon__files_unmap unmaps the input cordon_impl_file_open mapped for the
 * test that just ended, if any: for a --no-fork run, whose one process
 * maps every input in turn (a test process ends with its mapping). */
void cordon__files_unmap(void);

/* ---- tmpdir.c ---- */

/* cordon__tmpdir_settle removes the directory rec names, or keeps it
 * when r failed, putting its path in r. */
void cordon__tmpdir_settle(struct cordon__record *rec,
                           struct cordon__result *r,
                           struct cordon__spool *sp);

#endif /* CORDON_API_INTERNAL_H */
