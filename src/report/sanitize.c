// SPDX-License-Identifier: MIT
// sanitize.c — makes arbitrary bytes a test printed safe for a report:
// valid UTF-8 holding only characters legal in XML 1.0. ANSI escape
// sequences (colours, cursor moves, titles) are dropped; any other byte
// that cannot stand (a control byte, NUL, a byte of invalid UTF-8, an
// encoded surrogate or U+FFFE/U+FFFF) becomes the visible escape \xNN, so
// nothing is lost silently and one bad byte never spoils the file. Markup
// ("<", "&", "]]>") is left to the XML writer, which escapes it.
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

/* ansi_length returns the length of the escape sequence at p (ESC first),
 * or 0 when p does not start one that can be dropped whole. The forms are
 * ECMA-48's: CSI (ESC [ ... final), the control strings OSC, DCS, SOS, PM
 * and APC (up to ST, or BEL for OSC), and ESC, intermediates, one final
 * byte (ESC ( B from tput sgr0, ESC M, ESC 7). */
static size_t
ansi_length(const unsigned char *p, size_t n)
{
    size_t i = 2;

    if (n < 2)
        return 0;
    if (p[1] == '[') { /* CSI: parameters, intermediates, a final byte */
        while (i < n && p[i] >= 0x30 && p[i] <= 0x3f)
            i++;
        while (i < n && p[i] >= 0x20 && p[i] <= 0x2f)
            i++;
        return i < n && p[i] >= 0x40 && p[i] <= 0x7e ? i + 1 : 0;
    }
    if (p[1] != '\0' && strchr("]PX^_", p[1]) != NULL) { /* up to ST */
        for (; i < n; i++) {
            if (p[i] == 0x07 && p[1] == ']')
                return i + 1;
            if (p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\')
                return i + 2;
        }
        return 0;
    }
    for (i = 1; i < n && p[i] >= 0x20 && p[i] <= 0x2f; i++)
        ;
    return i < n && p[i] >= 0x30 && p[i] <= 0x7e ? i + 1 : 0;
}

/* utf8_length returns the length of the valid, XML-legal UTF-8 character
 * at p, or 0. */
static size_t
utf8_length(const unsigned char *p, size_t n)
{
    unsigned cp;
    size_t len;

    if (p[0] < 0x80)
        return (p[0] >= 0x20 || p[0] == '\t' || p[0] == '\n' || p[0] == '\r')
                   ? 1 : 0;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2, cp = p[0] & 0x1fu;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        len = 3, cp = p[0] & 0x0fu;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        len = 4, cp = p[0] & 0x07u;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3fu);
    }
    /* Overlong forms, surrogates, non-characters XML excludes, > U+10FFFF. */
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff ||
        cp > 0x10ffff)
        return 0;
    return len;
}

void
cordon__sanitize(const char *in, size_t n, struct cordon__buf *out)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0, run = 0;

    cordon__buf_add(out, "", 0);
    while (i < n) {
        size_t len;

        /* Most output is printable ASCII and line breaks: pass over it
         * in a tight loop (ESC and other controls are below 0x20). */
        while (i < n && (p[i] >= 0x20 ? p[i] < 0x80
                                      : p[i] == '\n' || p[i] == '\t' ||
                                        p[i] == '\r'))
            i++;
        if (i == n)
            break;
        len = p[i] == 0x1b ? ansi_length(p + i, n - i) : 0;

        if (len > 0) {
            cordon__buf_add(out, in + run, i - run);
            i += len;
            run = i;
            continue;
        }
        len = utf8_length(p + i, n - i);
        if (len > 0) {
            i += len;
            continue;
        }
        cordon__buf_add(out, in + run, i - run);
        cordon__buf_printf(out, "\\x%02X", p[i]);
        run = ++i;
    }
    cordon__buf_add(out, in + run, i - run);
}

size_t
cordon__sanitize_cut(const char *in, size_t n)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i;

    for (i = n; i > 0; i--)
        if (p[i - 1] == '\n')
            return i;
    /* No line break: stop before an escape sequence the end may cut (0
     * when the text is one: the caller reads on)... */
    for (i = n; i > 0 && n - i < 64; i--)
        if (p[i - 1] == 0x1b)
            return i - 1;
    /* ...and before a UTF-8 character whose last bytes may follow. */
    for (i = n; i > 0 && n - i < 3 && (p[i - 1] & 0xc0) == 0x80; i--)
        ;
    return i > 0 && p[i - 1] >= 0xc0 ? i - 1 : n;
}

void
cordon__sanitize_console(const char *in, size_t n, struct cordon__buf *out)
{
    struct cordon__buf xml = {0};

    cordon__sanitize(in, n, &xml);
    /* XML keeps a carriage return; a terminal would go back over the
     * line with it. */
    for (size_t i = 0; i < xml.len; i++) {
        if (xml.data[i] == '\r')
            cordon__buf_add(out, "\\x0D", 4);
        else
            cordon__buf_add(out, &xml.data[i], 1);
    }
    cordon__buf_add(out, "", 0);
    free(xml.data);
}
