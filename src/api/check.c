// SPDX-License-Identifier: MIT
// check.c — the runtime side of the ASSERT_/EXPECT_ macros: typed values,
// one verdict function for every check, told the operator by the macro as
// an enum (comparisons respect signedness: -1 < 1u holds here), and the
// one-line failure text that goes into the test's result record, in one
// form for every comparison: "file:line: EXPECT_LT(5, n) failed: expected
// 5 < n, but n is 4 -- message" (a literal shows as itself). Ending the
// test after an ASSERT_ is child.c's job; printing values is
// check_text.c's.
#include "api/api.h"
#include "isolate/isolate.h"
#include "testproc/testproc.h"

#include <errno.h>
#include <float.h>
#include <math.h>
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

struct cordon_impl_operands
cordon_impl_o_values(struct cordon_impl_value a, struct cordon_impl_value b)
{
    return (struct cordon_impl_operands){.a = a, .b = b};
}

struct cordon_impl_operands
cordon_impl_o_near(struct cordon_impl_value a, struct cordon_impl_value b,
                   struct cordon_impl_value tol)
{
    return (struct cordon_impl_operands){.a = a, .b = b, .tol = tol};
}

struct cordon_impl_operands
cordon_impl_o_strings(const char *a, const char *b)
{
    return (struct cordon_impl_operands){.sa = a, .sb = b};
}

const char *
cordon_impl_s_chars(const char *s)
{
    return s;
}

const char *
cordon_impl_s_bytes(const void *s)
{
    return s;
}

struct cordon_impl_operands
cordon_impl_o_memory(const void *a, const void *b, size_t n)
{
    return (struct cordon_impl_operands){.ma = a, .mb = b, .n = n};
}

struct cordon_impl_operands
cordon_impl_o_death(struct cordon_isolated *r, int rc, int want)
{
    return (struct cordon_impl_operands){
        .ended = r, .started = rc == -1 ? (errno ? errno : EAGAIN) : 0,
        .want = want};
}

/* died_by says a death check's statement ended as how says (a signal or
 * an exit), a sanitizer's report before it or not: the death it expects
 * decides, as a test's expected death outweighs a report (outcome.c). */
static bool
died_by(const struct cordon_isolated *r, enum cordon_isolate_end how)
{
    if (r->end == CORDON_ISOLATE_SANITIZER)
        return how == (r->signal != 0 ? CORDON_ISOLATE_SIGNALED
                                      : CORDON_ISOLATE_EXITED);
    return r->end == how;
}

/* distance is |a - b| in long double; NaN (a positive one, which prints
 * as "nan") when either is NaN. */
static long double
distance(const struct cordon_impl_operands *o)
{
    long double d = float_of(&o->a) - float_of(&o->b);

    if (isnan(d))
        return NAN;
    return d < 0 ? -d : d;
}

/* relative_distance is |a - b| / max(|a|, |b|): 0 when a == b (0 and -0,
 * an infinity and itself), infinite when only one is infinite or they
 * are opposite infinities, NaN when either is NaN. */
static long double
relative_distance(const struct cordon_impl_operands *o)
{
    long double x = float_of(&o->a), y = float_of(&o->b);
    long double ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;

    if (isnan(x) || isnan(y))
        return NAN;
    if (x == y)
        return 0;
    if (isinf(x) || isinf(y))
        return INFINITY;
    return distance(o) / (ax > ay ? ax : ay);
}

/* is_tolerance says tol is a number >= 0 (NaN is not). */
static bool
is_tolerance(const struct cordon_impl_value *tol)
{
    return float_of(tol) >= 0;
}

/* first_difference is the offset of the first byte where a and b differ,
 * n when none does. */
static size_t
first_difference(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t i = 0;

    while (i < n && a[i] == b[i])
        i++;
    return i;
}

bool
cordon_impl_holds(const struct cordon_impl_check *c,
                  const struct cordon_impl_operands *o)
{
    int order_ab;

    switch (c->op) {
    case CORDON_IMPL_OP_TRUE: return o->a.i != 0;
    case CORDON_IMPL_OP_FALSE: return o->a.i == 0;
    case CORDON_IMPL_OP_NULL: return o->a.p == NULL;
    case CORDON_IMPL_OP_NOT_NULL: return o->a.p != NULL;
    case CORDON_IMPL_OP_STREQ:
    case CORDON_IMPL_OP_STRNE: {
        bool same = (o->sa == NULL || o->sb == NULL)
                        ? o->sa == o->sb : strcmp(o->sa, o->sb) == 0;

        return c->op == CORDON_IMPL_OP_STREQ ? same : !same;
    }
    case CORDON_IMPL_OP_STRCONTAINS:
        return o->sa != NULL && o->sb != NULL && strstr(o->sa, o->sb) != NULL;
    case CORDON_IMPL_OP_NEAR:
        /* Written so that a NaN anywhere fails. */
        return is_tolerance(&o->tol) && distance(o) <= float_of(&o->tol);
    case CORDON_IMPL_OP_NEAR_REL: {
        /* Infinities that differ are infinitely far apart relatively,
         * and an infinite tolerance must not make them near. */
        long double r = relative_distance(o);

        return is_tolerance(&o->tol) && isfinite(r) &&
               r <= float_of(&o->tol);
    }
    case CORDON_IMPL_OP_NAN:
        return o->a.kind == CORDON_IMPL_KIND_FLOAT && isnan(o->a.f);
    case CORDON_IMPL_OP_SIGNAL:
        return o->started == 0 && died_by(o->ended, CORDON_ISOLATE_SIGNALED) &&
               o->ended->signal == o->want;
    case CORDON_IMPL_OP_EXIT_STATUS:
        return o->started == 0 && died_by(o->ended, CORDON_ISOLATE_EXITED) &&
               o->ended->status == o->want;
    case CORDON_IMPL_OP_MEMEQ:
        if (o->n == 0)
            return true;
        return o->ma != NULL && o->mb != NULL &&
               memcmp(o->ma, o->mb, o->n) == 0;
    default: break;
    }
    order_ab = order(&o->a, &o->b);
    switch (c->op) {
    case CORDON_IMPL_OP_EQ: return order_ab == 0;
    case CORDON_IMPL_OP_NE: return order_ab != 0;
    case CORDON_IMPL_OP_LT: return order_ab == -1;
    case CORDON_IMPL_OP_LE: return order_ab == -1 || order_ab == 0;
    case CORDON_IMPL_OP_GT: return order_ab == 1;
    case CORDON_IMPL_OP_GE: return order_ab == 1 || order_ab == 0;
    default: cordon__bug("check operator out of range");
    }
}

/* user_message appends " -- message" unless the message is empty; fmt
 * carries one leading space. */
static void
user_message(struct cordon__buf *b, const char *fmt, va_list ap)
{
    char msg[CORDON__RECORD_TEXT];

    if (fmt == NULL || fmt[0] == '\0' || fmt[1] == '\0')
        return;
    /* Every caller passes an ap it started: clang 14's valist checker
     * loses track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(msg, sizeof msg, fmt + 1, ap);
    if (msg[0] != '\0')
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
    cordon__buf_release(b);
}

/* show_values appends "text is value" for each operand that is not a
 * literal, joined by ", "; returns how many it showed. */
static int
show_values(struct cordon__buf *b, size_t n, char (*texts)[256],
            const struct cordon__buf *values)
{
    int shown = 0;

    for (size_t i = 0; i < n; i++) {
        if (cordon__check_is_literal(texts[i], values[i].data))
            continue;
        cordon__buf_printf(b, "%s%s is %s", shown ? ", " : "", texts[i],
                           values[i].data);
        shown++;
    }
    return shown;
}

static const char *
op_symbol(enum cordon_impl_op op)
{
    switch (op) {
    case CORDON_IMPL_OP_EQ:
    case CORDON_IMPL_OP_STREQ: return "==";
    case CORDON_IMPL_OP_NE:
    case CORDON_IMPL_OP_STRNE: return "!=";
    case CORDON_IMPL_OP_LT: return "<";
    case CORDON_IMPL_OP_LE: return "<=";
    case CORDON_IMPL_OP_GT: return ">";
    case CORDON_IMPL_OP_GE: return ">=";
    default: cordon__bug("not a comparison");
    }
}

/* operands_of is how many operands check op takes. */
static size_t
operands_of(enum cordon_impl_op op)
{
    switch (op) {
    case CORDON_IMPL_OP_TRUE:
    case CORDON_IMPL_OP_FALSE:
    case CORDON_IMPL_OP_NULL:
    case CORDON_IMPL_OP_NOT_NULL:
    case CORDON_IMPL_OP_NAN: return 1;
    case CORDON_IMPL_OP_NEAR:
    case CORDON_IMPL_OP_NEAR_REL:
    case CORDON_IMPL_OP_MEMEQ: return 3;
    default: return 2;
    }
}

/* hex_window appends "text +start: 00 01 [ff] 03" for bytes [start, end)
 * of p, the byte at mark in brackets. */
static void
hex_window(struct cordon__buf *b, const char *text, const unsigned char *p,
           size_t start, size_t end, size_t mark)
{
    cordon__buf_printf(b, "%s +%zu:", text, start);
    for (size_t i = start; i < end; i++)
        cordon__buf_printf(b, i == mark ? " [%02x]" : " %02x", p[i]);
}

/* describe_memory explains why n bytes at a and b are not equal. */
static void
describe_memory(struct cordon__buf *b, char (*t)[256],
                const struct cordon_impl_operands *o)
{
    const unsigned char *ma = o->ma, *mb = o->mb;
    size_t at, start, end;

    cordon__buf_printf(b, "expected %s == %s (%zu bytes), but ", t[0], t[1],
                       o->n);
    if (ma == NULL || mb == NULL) {
        cordon__buf_printf(b, "%s is NULL", ma == NULL ? t[0] : t[1]);
        return;
    }
    at = first_difference(ma, mb, o->n);
    start = at >= 8 ? at - 8 : 0;
    end = o->n - at > 9 ? at + 9 : o->n;
    cordon__buf_printf(b, "they differ at offset %zu: ", at);
    hex_window(b, t[0], ma, start, end, at);
    cordon__buf_add(b, "; ", 2);
    hex_window(b, t[1], mb, start, end, at);
}

/* describe_near explains why a and b are not near (NEAR, NEAR_REL): the
 * tolerance is not one (negative or NaN: the test is wrong, whatever a
 * and b are), or they are too far off, absolutely and for NEAR_REL
 * relatively too. v holds the texts of the three values. */
static void
describe_near(struct cordon__buf *b, const struct cordon_impl_check *c,
              const struct cordon_impl_operands *o, char (*t)[256],
              const struct cordon__buf *v)
{
    int digits = o->a.digits > o->b.digits ? o->a.digits : o->b.digits;
    bool relative = c->op == CORDON_IMPL_OP_NEAR_REL;

    if (digits == 0)
        digits = DBL_DECIMAL_DIG;
    cordon__buf_printf(b, "expected %s within %s%s of %s, but ", t[0],
                       relative ? "relative " : "", t[2], t[1]);
    if (!is_tolerance(&o->tol)) {
        if (cordon__check_is_literal(t[2], v[2].data))
            cordon__buf_printf(b, "%s", t[2]);
        else
            cordon__buf_printf(b, "%s is %s, which", t[2], v[2].data);
        cordon__buf_printf(b, " is not a tolerance (use a number >= 0, "
                              "e.g. 1e-9)");
        return;
    }
    if (show_values(b, 3, t, v) > 0)
        cordon__buf_add(b, ", ", 2);
    cordon__buf_add(b, "off by ", 7);
    cordon__check_float_text(b, distance(o), digits);
    if (relative) {
        cordon__buf_add(b, " (relative ", 11);
        cordon__check_float_text(b, relative_distance(o), digits);
        cordon__buf_add(b, ")", 1);
    }
}

/* describe_death explains how a death check's statement ended instead. */
static void
describe_death(struct cordon__buf *b, const struct cordon_impl_check *c,
               const struct cordon_impl_operands *o, char (*t)[256])
{
    const struct cordon_isolated *r = o->ended;

    if (c->op == CORDON_IMPL_OP_SIGNAL)
        cordon__buf_printf(b, "expected `%s` to die of %s; ", t[0],
                           cordon__signal_name(o->want));
    else
        cordon__buf_printf(b, "expected `%s` to exit with status %d; ", t[0],
                           o->want);
    if (o->started != 0) {
        cordon__buf_printf(b, "no process could be started for it: %s",
                           strerror(o->started));
        return;
    }
    switch (r->end) {
    case CORDON_ISOLATE_RETURNED: cordon__buf_printf(b, "it returned"); break;
    case CORDON_ISOLATE_EXITED:
        cordon__buf_printf(b, "it exited with status %d", r->status);
        break;
    case CORDON_ISOLATE_SIGNALED:
        cordon__buf_printf(b, "it was killed by %s",
                           cordon__signal_name(r->signal));
        break;
    case CORDON_ISOLATE_TIMED_OUT:
        cordon__buf_printf(b, "it ran past %g s and was killed",
                           CORDON__ISOLATE_TIMEOUT);
        break;
    case CORDON_ISOLATE_SANITIZER:
        cordon__buf_printf(b, "%s", r->sanitizer);
        if (r->signal != 0)
            cordon__buf_printf(b, ", then it was killed by %s",
                               cordon__signal_name(r->signal));
        else
            cordon__buf_printf(b, ", then it exited with status %d",
                               r->status);
        break;
    }
}

/* describe explains a failed check after "failed: ". */
static void
describe(struct cordon__buf *out, const struct cordon_impl_check *c,
         const struct cordon_impl_operands *o, char (*t)[256])
{
    /* A string operand shows as up to 256 bytes, each escaped as at most
     * four characters, plus its quotes. */
    char storage[3][4 * 256 + 16];
    struct cordon__buf v[3];
    struct cordon_impl_value a = o->a, b = o->b;

    for (size_t i = 0; i < 3; i++)
        cordon__buf_fixed(&v[i], storage[i], sizeof storage[i]);

    switch (c->op) {
    case CORDON_IMPL_OP_TRUE:
    case CORDON_IMPL_OP_FALSE:
        cordon__buf_printf(out, "%s is %s", t[0], a.i ? "true" : "false");
        return;
    case CORDON_IMPL_OP_NOT_NULL:
        cordon__buf_printf(out, "%s is NULL", t[0]);
        return;
    case CORDON_IMPL_OP_NULL:
        cordon__check_value_text(&v[0], &a);
        cordon__buf_printf(out, "%s is %s, expected NULL", t[0], v[0].data);
        break;
    case CORDON_IMPL_OP_MEMEQ:
        describe_memory(out, t, o);
        return;
    case CORDON_IMPL_OP_SIGNAL:
    case CORDON_IMPL_OP_EXIT_STATUS:
        describe_death(out, c, o, t);
        return;
    case CORDON_IMPL_OP_NEAR:
    case CORDON_IMPL_OP_NEAR_REL:
        cordon__check_value_text(&v[0], &a);
        cordon__check_value_text(&v[1], &b);
        cordon__check_value_text(&v[2], &o->tol);
        describe_near(out, c, o, t, v);
        break;
    case CORDON_IMPL_OP_NAN:
        cordon__check_value_text(&v[0], &a);
        cordon__buf_printf(out, "expected %s to be NaN", t[0]);
        if (!cordon__check_is_literal(t[0], v[0].data))
            cordon__buf_printf(out, ", but %s is %s", t[0], v[0].data);
        break;
    case CORDON_IMPL_OP_STREQ:
    case CORDON_IMPL_OP_STRNE:
    case CORDON_IMPL_OP_STRCONTAINS:
        cordon__check_string_text(&v[0], o->sa);
        cordon__check_string_text(&v[1], o->sb);
        if (c->op == CORDON_IMPL_OP_STRCONTAINS)
            cordon__buf_printf(out, "expected %s to contain %s", t[0], t[1]);
        else
            cordon__buf_printf(out, "expected %s %s %s", t[0],
                               op_symbol(c->op), t[1]);
        if (!cordon__check_is_literal(t[0], v[0].data) || !cordon__check_is_literal(t[1], v[1].data)) {
            cordon__buf_add(out, ", but ", 6);
            show_values(out, 2, t, v);
        }
        break;
    default:
        /* A char compared with an int literal ('a' is an int in C) shows
         * both as characters. */
        if (a.kind == CORDON_IMPL_KIND_CHAR && b.kind == CORDON_IMPL_KIND_SIGNED
            && b.i >= -128 && b.i <= 255)
            b.kind = CORDON_IMPL_KIND_CHAR;
        cordon__check_value_text(&v[0], &a);
        cordon__check_value_text(&v[1], &b);
        cordon__buf_printf(out, "expected %s %s %s", t[0], op_symbol(c->op),
                           t[1]);
        if (!cordon__check_is_literal(t[0], v[0].data) || !cordon__check_is_literal(t[1], v[1].data)) {
            cordon__buf_add(out, ", but ", 6);
            show_values(out, 2, t, v);
        }
        break;
    }
    for (size_t i = 0; i < 3; i++)
        cordon__buf_release(&v[i]);
}

static void
failed(const struct cordon_impl_check *c,
       const struct cordon_impl_operands *o, const char *fmt, va_list ap)
{
    char text[2 * CORDON__RECORD_TEXT];
    struct cordon__buf out;
    char t[3][256];
    size_t n = operands_of(c->op);

    /* No allocation: a check fails most often when memory is short. */
    cordon__buf_fixed(&out, text, sizeof text);
    for (size_t i = 0; i < 3; i++)
        cordon__check_operand(c->args, (int)i, t[i], sizeof t[i]);
    cordon__buf_printf(&out, "%s:%d: %s(%s", c->file, c->line, c->name, t[0]);
    for (size_t i = 1; i < n; i++)
        cordon__buf_printf(&out, ", %s", t[i]);
    cordon__buf_add(&out, ") failed: ", 10);
    describe(&out, c, o, t);
    user_message(&out, fmt, ap);
    record_failure(&out);
    /* An ASSERT_ leaves here: a death check's texts are freed now. */
    if (o->ended != NULL)
        cordon_isolated_free(o->ended);
}

void
cordon_impl_failed(const struct cordon_impl_check *c,
                   const struct cordon_impl_operands *o, const char *fmt, ...)
{
    locale_t before = cordon__numbers_begin();
    va_list ap;


    va_start(ap, fmt);
    failed(c, o, fmt, ap);
    va_end(ap);
    cordon__numbers_end(before);
}

void
cordon_impl_failed_fatal(const struct cordon_impl_check *c,
                         const struct cordon_impl_operands *o,
                         const char *fmt, ...)
{
    locale_t before = cordon__numbers_begin();
    va_list ap;


    va_start(ap, fmt);
    failed(c, o, fmt, ap);
    va_end(ap);
    cordon__numbers_end(before);
    cordon__child_leave();
}
void
cordon_impl_fail_fatal(const char *file, int line, const char *fmt, ...)
{
    char text[2 * CORDON__RECORD_TEXT];
    struct cordon__buf out;
    char msg[CORDON__RECORD_TEXT];
    va_list ap;

    cordon__buf_fixed(&out, text, sizeof text);
    va_start(ap, fmt);
    /* ap is started on the line above: clang 14's valist checker loses
     * track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
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
    /* ap is started on the line above: clang 14's valist checker loses
     * track of it. NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
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
