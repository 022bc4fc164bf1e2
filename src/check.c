// SPDX-License-Identifier: MIT
// check.c — the runtime side of the ASSERT_/EXPECT_ macros: typed values,
// comparisons that respect signedness (-1 < 1u holds here), and the one-line
// failure text "file:line: ASSERT_EQ(got, 42) failed: got is 41, expected
// 42 -- message" that goes into the test's result record. Ending the test
// after an ASSERT_ is child.c's job.
#include "internal.h"

#include <ctype.h>
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cordon_impl_value
cordon_impl_v_signed(intmax_t v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_SIGNED, .i = v};
}

struct cordon_impl_value
cordon_impl_v_unsigned(uintmax_t v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_UNSIGNED,
                                      .u = v};
}

struct cordon_impl_value
cordon_impl_v_float(float v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_FLOAT, .f = v,
                                      .digits = FLT_DECIMAL_DIG};
}

struct cordon_impl_value
cordon_impl_v_double(double v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_FLOAT, .f = v,
                                      .digits = DBL_DECIMAL_DIG};
}

struct cordon_impl_value
cordon_impl_v_ldouble(long double v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_FLOAT, .f = v,
                                      .digits = LDBL_DIG + 3};
}

struct cordon_impl_value
cordon_impl_v_pointer(const void *v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_POINTER,
                                      .p = v};
}

struct cordon_impl_value
cordon_impl_v_char(int v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_CHAR,
                                      .i = (char)v};
}

struct cordon_impl_value
cordon_impl_v_bool(int v)
{
    return (struct cordon_impl_value){.kind = CORDON_IMPL_KIND_BOOL,
                                      .i = v != 0};
}

static bool
is_unsigned(const struct cordon_impl_value *v)
{
    return v->kind == CORDON_IMPL_KIND_UNSIGNED ||
           v->kind == CORDON_IMPL_KIND_POINTER;
}

static uintmax_t
unsigned_of(const struct cordon_impl_value *v)
{
    return v->kind == CORDON_IMPL_KIND_POINTER ? (uintmax_t)(uintptr_t)v->p
                                               : v->u;
}

static long double
float_of(const struct cordon_impl_value *v)
{
    if (v->kind == CORDON_IMPL_KIND_FLOAT)
        return v->f;
    return is_unsigned(v) ? (long double)unsigned_of(v) : (long double)v->i;
}

/* order returns -1, 0 or 1 comparing a with b by value; 2 when unordered
 * (a NaN is involved). */
static int
order(const struct cordon_impl_value *a, const struct cordon_impl_value *b)
{
    if (a->kind == CORDON_IMPL_KIND_FLOAT || b->kind == CORDON_IMPL_KIND_FLOAT) {
        long double x = float_of(a), y = float_of(b);

        if (x < y)
            return -1;
        if (x > y)
            return 1;
        return x == y ? 0 : 2;
    }
    if (is_unsigned(a) && is_unsigned(b)) {
        uintmax_t x = unsigned_of(a), y = unsigned_of(b);
        return x < y ? -1 : x > y;
    }
    if (!is_unsigned(a) && !is_unsigned(b))
        return a->i < b->i ? -1 : a->i > b->i;
    /* Mixed signedness: a negative signed value is below every unsigned. */
    if (is_unsigned(a))
        return b->i < 0 ? 1 : -order(b, a);
    if (a->i < 0)
        return -1;
    {
        uintmax_t x = (uintmax_t)a->i, y = unsigned_of(b);
        return x < y ? -1 : x > y;
    }
}

bool
cordon_impl_compare(enum cordon_impl_op op, struct cordon_impl_value a,
                    struct cordon_impl_value b)
{
    int c;

    switch (op) {
    case CORDON_IMPL_OP_TRUE: return a.i != 0;
    case CORDON_IMPL_OP_FALSE: return a.i == 0;
    case CORDON_IMPL_OP_NULL: return a.p == NULL;
    case CORDON_IMPL_OP_NOT_NULL: return a.p != NULL;
    default: break;
    }
    c = order(&a, &b);
    switch (op) {
    case CORDON_IMPL_OP_EQ: return c == 0;
    case CORDON_IMPL_OP_NE: return c != 0;
    case CORDON_IMPL_OP_LT: return c == -1;
    case CORDON_IMPL_OP_LE: return c == -1 || c == 0;
    case CORDON_IMPL_OP_GT: return c == 1;
    case CORDON_IMPL_OP_GE: return c == 1 || c == 0;
    default: cordon__bug("comparison operator out of range");
    }
}

bool
cordon_impl_compare_str(enum cordon_impl_op op, const char *a, const char *b)
{
    bool same = (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;

    return op == CORDON_IMPL_OP_STREQ ? same : !same;
}

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

static void
format_string(struct cordon__buf *b, const char *s)
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
static void
format_float(struct cordon__buf *b, long double f, int digits)
{
    char text[64];

    for (int prec = 6; prec <= digits; prec++) {
        snprintf(text, sizeof text, "%.*Lg", prec, f);
        if (reads_back(text, f, digits))
            break;
    }
    cordon__buf_add(b, text, strlen(text));
}

static void
format_value(struct cordon__buf *b, const struct cordon_impl_value *v)
{
    switch (v->kind) {
    case CORDON_IMPL_KIND_SIGNED: cordon__buf_printf(b, "%jd", v->i); break;
    case CORDON_IMPL_KIND_UNSIGNED: cordon__buf_printf(b, "%ju", v->u); break;
    case CORDON_IMPL_KIND_FLOAT: format_float(b, v->f, v->digits); break;
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

static const char *
op_text(const char *check)
{
    static const struct {
        const char *suffix, *text;
    } ops[] = {{"_NE", "!= "}, {"_LT", "< "}, {"_LE", "<= "},
               {"_GT", "> "},  {"_GE", ">= "}, {"_STRNE", "!= "}};
    const char *us = strchr(check, '_');

    for (size_t i = 0; us != NULL && i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(us, ops[i].suffix) == 0)
            return ops[i].text;
    return "";
}

/* side appends "text is value", or just the value when the expression text
 * is the value itself (a literal). */
static bool
is_literal(const char *text, const char *value)
{
    size_t n = strlen(text);

    /* 'a' prints as 'a' (97): the text leads the value. */
    return strncmp(text, value, n) == 0 &&
           (value[n] == '\0' || (text[0] == '\'' && value[n] == ' '));
}

static void
side(struct cordon__buf *b, const char *text, const char *value, bool second,
     const char *check)
{
    if (is_literal(text, value)) {
        if (second)
            cordon__buf_printf(b, "expected %s", op_text(check));
        cordon__buf_add(b, value, strlen(value));
    } else {
        cordon__buf_printf(b, "%s is %s", text, value);
    }
}

/* operand copies the n-th (0-based) top-level comma-separated part of a
 * check's argument text into out, trimmed. Commas inside brackets, string
 * and character literals do not separate. */
static void
operand(const char *args, int n, char *out, size_t size)
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

/* user_message appends " -- message"; fmt carries one leading space. */
static void
user_message(struct cordon__buf *b, const char *fmt, va_list ap)
{
    char msg[CORDON__RECORD_TEXT];

    if (fmt == NULL || fmt[0] == '\0' || fmt[1] == '\0')
        return;
    vsnprintf(msg, sizeof msg, fmt + 1, ap);
    cordon__buf_printf(b, " -- %s", msg);
}

/* record_failure files the text with the running test, or prints it when
 * a check runs outside any test (in a user's main, say). */
static void
record_failure(struct cordon__buf *b)
{
    if (cordon__record_current != NULL)
        cordon__record_add(cordon__record_current, CORDON__ENTRY_FAILURE,
                           b->data);
    else
        fprintf(stderr, "%s\n", b->data);
    free(b->data);
}

/* describe_pair appends "a is 1, expected 2" or "a is 1, b is 2". */
static void
describe_pair(struct cordon__buf *b, const char *check, const char *ta,
              const char *tb, const struct cordon__buf *va,
              const struct cordon__buf *vb)
{
    bool eq = strstr(check, "EQ") != NULL;

    side(b, ta, va->data, false, check);
    cordon__buf_add(b, ", ", 2);
    if (is_literal(tb, vb->data) || !eq || is_literal(ta, va->data))
        side(b, tb, vb->data, true, check);
    else
        cordon__buf_printf(b, "expected %s (%s)", vb->data, tb);
}

/* finish adds the user's message, files the failure and frees the
 * operands' texts. */
static void
finish(struct cordon__buf *out, struct cordon__buf *va, struct cordon__buf *vb,
       const char *fmt, va_list ap)
{
    user_message(out, fmt, ap);
    free(va->data);
    free(vb->data);
    record_failure(out);
}

static void
fail_value(const char *file, int line, const char *check, const char *args,
           struct cordon_impl_value a, struct cordon_impl_value b,
           const char *fmt, va_list ap)
{
    struct cordon__buf out = {0}, va = {0}, vb = {0};
    bool unary = strstr(check, "_EQ") == NULL && strstr(check, "_NE") == NULL
                 && strstr(check, "_L") == NULL && strstr(check, "_G") == NULL;
    char ta[256], tb[256];

    operand(args, 0, ta, sizeof ta);
    operand(args, 1, tb, sizeof tb);
    if (unary)
        cordon__buf_printf(&out, "%s:%d: %s(%s) failed: ", file, line, check,
                           ta);
    else
        cordon__buf_printf(&out, "%s:%d: %s(%s, %s) failed: ", file, line,
                           check, ta, tb);
    if (unary && a.kind == CORDON_IMPL_KIND_BOOL)
        cordon__buf_printf(&out, "%s is %s", ta, a.i ? "true" : "false");
    else if (unary && a.p == NULL)
        cordon__buf_printf(&out, "%s is NULL", ta);
    else if (unary) {
        format_value(&va, &a);
        cordon__buf_printf(&out, "%s is %s, expected NULL", ta, va.data);
    } else {
        /* A char compared with an int literal ('a' is an int in C) shows
         * both as characters. */
        if (a.kind == CORDON_IMPL_KIND_CHAR && b.kind == CORDON_IMPL_KIND_SIGNED
            && b.i >= -128 && b.i <= 255)
            b.kind = CORDON_IMPL_KIND_CHAR;
        format_value(&va, &a);
        format_value(&vb, &b);
        describe_pair(&out, check, ta, tb, &va, &vb);
    }
    finish(&out, &va, &vb, fmt, ap);
}

void
cordon_impl_fail_value(const char *file, int line, const char *check,
                       const char *args, struct cordon_impl_value a,
                       struct cordon_impl_value b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_value(file, line, check, args, a, b, fmt, ap);
    va_end(ap);
}

void
cordon_impl_fail_value_fatal(const char *file, int line, const char *check,
                             const char *args, struct cordon_impl_value a,
                             struct cordon_impl_value b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_value(file, line, check, args, a, b, fmt, ap);
    va_end(ap);
    cordon__child_leave();
}

static void
fail_str(const char *file, int line, const char *check, const char *args,
         const char *a, const char *b, const char *fmt, va_list ap)
{
    struct cordon__buf out = {0}, va = {0}, vb = {0};
    char ta[256], tb[256];

    operand(args, 0, ta, sizeof ta);
    operand(args, 1, tb, sizeof tb);
    cordon__buf_printf(&out, "%s:%d: %s(%s, %s) failed: ", file, line, check,
                       ta, tb);
    format_string(&va, a);
    format_string(&vb, b);
    describe_pair(&out, check, ta, tb, &va, &vb);
    finish(&out, &va, &vb, fmt, ap);
}

void
cordon_impl_fail_str(const char *file, int line, const char *check,
                     const char *args, const char *a, const char *b,
                     const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_str(file, line, check, args, a, b, fmt, ap);
    va_end(ap);
}

void
cordon_impl_fail_str_fatal(const char *file, int line, const char *check,
                           const char *args, const char *a, const char *b,
                           const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_str(file, line, check, args, a, b, fmt, ap);
    va_end(ap);
    cordon__child_leave();
}

void
cordon_impl_fail_fatal(const char *file, int line, const char *fmt, ...)
{
    struct cordon__buf out = {0};
    char msg[CORDON__RECORD_TEXT];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt + 1, ap);
    va_end(ap);
    cordon__buf_printf(&out, "%s:%d: FAIL()%s%s", file, line,
                       msg[0] ? ": " : "", msg);
    record_failure(&out);
    cordon__child_leave();
}

void
cordon_impl_skip(const char *file, int line, const char *fmt, ...)
{
    char reason[CORDON__RECORD_TEXT];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt + 1, ap);
    va_end(ap);
    if (reason[0] == '\0')
        snprintf(reason, sizeof reason, "skipped at %s:%d", file, line);
    if (cordon__record_current != NULL)
        cordon__record_add(cordon__record_current, CORDON__ENTRY_SKIP, reason);
    cordon__child_leave();
}

void
cordon_impl_passed(const char *file, int line)
{
    struct cordon__record *r = cordon__record_current;

    /* Two relaxed stores and no call out: checks in a hot loop stay
     * cheap. Outside a test (a user's main) there is nowhere to note it. */
    if (r == NULL)
        return;
    atomic_store_explicit(&r->checkpoint_file, (uintptr_t)file,
                          memory_order_relaxed);
    atomic_store_explicit(&r->checkpoint_line, line, memory_order_relaxed);
}
