// SPDX-License-Identifier: MIT
// check_text.c — how a failed check writes what it saw: values in their
// own type (the shortest decimal that reads back as the same floating
// value, chars quoted and numbered, strings quoted, escaped and cut at 256
// bytes), the operands' expression text split from the check's argument
// text, and whether an expression is a literal that shows itself. check.c
// decides and words the failure with these; nothing here judges.
#include "api/api.h"

#include <ctype.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

/* escape_char appends c as it would appear inside C quotes. */
static void
escape_char(struct cordon__buf *b, unsigned char c, char quote)
{
    static const char from[] = "\n\t\r\\\0", to[] = "ntr\\0";
    const char *hit = c ? memchr(from, c, sizeof from - 1) : from + 4;

    if (hit != NULL) {
        char esc[2] = {'\\', to[hit - from]};
        cordon__buf_add(b, esc, 2);
    } else if (c == (unsigned char)quote) {
        char esc[2] = {'\\', quote};
        cordon__buf_add(b, esc, 2);
    } else if (c < 0x20 || c == 0x7f) {
        cordon__buf_printf(b, "\\x%02x", c);
    } else {
        cordon__buf_add(b, (const char *)&c, 1);
    }
}

void
cordon__check_string_text(struct cordon__buf *b, const char *s)
{
    size_t n;

    if (s == NULL) {
        cordon__buf_add(b, "NULL", 4);
        return;
    }
    cordon__buf_add(b, "\"", 1);
    for (n = 0; s[n] != '\0' && n < 256; n++)
        escape_char(b, (unsigned char)s[n], '"');
    cordon__buf_add(b, s[n] ? "\"..." : "\"", s[n] ? 4 : 1);
}

/* reads_back says text parses to f at the precision of f's source type. */
static bool
reads_back(const char *text, long double f, int digits)
{
    long double g = strtold(text, NULL);

    if (digits <= FLT_DECIMAL_DIG)
        return (float)g == (float)f;
    if (digits <= DBL_DECIMAL_DIG)
        return (double)g == (double)f;
    return g == f;
}

/* format_float prints the shortest decimal that reads back as the same
 * value in its own type, so 0.1 shows as 0.1 and a near miss shows how
 * near it is (0.30000000000000004). */
void
cordon__check_float_text(struct cordon__buf *b, long double f, int digits)
{
    char text[64];

    for (int prec = 6; prec <= digits; prec++) {
        snprintf(text, sizeof text, "%.*Lg", prec, f);
        if (reads_back(text, f, digits))
            break;
    }
    cordon__buf_add(b, text, strlen(text));
}

void
cordon__check_value_text(struct cordon__buf *b, const struct cordon_impl_value *v)
{
    switch (v->kind) {
    case CORDON_IMPL_KIND_SIGNED: cordon__buf_printf(b, "%jd", v->i); break;
    case CORDON_IMPL_KIND_UNSIGNED: cordon__buf_printf(b, "%ju", v->u); break;
    case CORDON_IMPL_KIND_FLOAT: cordon__check_float_text(b, v->f, v->digits); break;
    case CORDON_IMPL_KIND_BOOL:
        cordon__buf_add(b, v->i ? "true" : "false", v->i ? 4 : 5);
        break;
    case CORDON_IMPL_KIND_POINTER:
        if (v->p == NULL)
            cordon__buf_add(b, "NULL", 4);
        else
            cordon__buf_printf(b, "%p", v->p);
        break;
    case CORDON_IMPL_KIND_CHAR:
        cordon__buf_add(b, "'", 1);
        escape_char(b, (unsigned char)v->i, '\'');
        cordon__buf_printf(b, "' (%d)", (int)(unsigned char)v->i);
        break;
    }
}

/* operand copies the n-th (0-based) top-level comma-separated part of a
 * check's argument text into out, trimmed. Commas inside brackets, string
 * and character literals do not separate. */
void
cordon__check_operand(const char *args, int n, char *out, size_t size)
{
    const char *start = args, *p = args;
    int depth = 0, part = 0;
    char quote = 0;
    size_t len;

    for (;; p++) {
        if (quote) {
            if (*p == '\\' && p[1] != '\0')
                p++;
            else if (*p == quote)
                quote = 0;
            else if (*p == '\0')
                break;
            continue;
        }
        if (*p == '"' || *p == '\'')
            quote = *p;
        else if (*p == '(' || *p == '[' || *p == '{')
            depth++;
        else if (*p == ')' || *p == ']' || *p == '}')
            depth--;
        else if ((*p == ',' && depth == 0) || *p == '\0') {
            if (part++ == n)
                break;
            /* Past the last part (a one-operand check asking for its
             * second): the part is empty, not the bytes after the end. */
            start = *p == '\0' ? p : p + 1;
        }
        if (*p == '\0')
            break;
    }
    while (start < p && (*start == ' ' || *start == '\t' || *start == '\n'))
        start++;
    while (p > start && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n'))
        p--;
    len = (size_t)(p - start) < size - 1 ? (size_t)(p - start) : size - 1;
    memcpy(out, start, len);
    out[len] = '\0';
}

/* is_literal says the expression text is its value as printed (a
 * literal): then the text alone shows it. 'a' prints as 'a' (97): the text
 * leads the value. */
bool
cordon__check_is_literal(const char *text, const char *value)
{
    size_t n = strlen(text);
    char *end;

    if (strncmp(text, value, n) == 0 &&
        (value[n] == '\0' || (text[0] == '\'' && value[n] == ' ')))
        return true;
    /* A number written another way (1e-9 prints as 1e-09, 2.0f as 2). */
    if (!isdigit((unsigned char)text[0]) && text[0] != '-' && text[0] != '.')
        return false;
    if (strtold(text, &end) != strtold(value, NULL) || end == text)
        return false;
    end += strspn(end, "fFlLuU");
    return *end == '\0';
}

