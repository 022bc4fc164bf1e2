// SPDX-License-Identifier: MIT
// tlv.h — a small type-length-value parser with two bugs left in on
// purpose, for the corpus example: a record whose length runs past the
// end of the input sends the parser off the end, and a lookup of an
// unknown key dereferences NULL.
#ifndef TLV_H
#define TLV_H

#include <stddef.h>

/* tlv_parse reads records of one type byte, one length byte and that many
 * bytes of value: 'S' a string, 'K' the name of a setting to look up;
 * other types are skipped. Returns the bytes of the strings and of the
 * values of the settings named. */
size_t tlv_parse(const unsigned char *data, size_t size);

#endif
