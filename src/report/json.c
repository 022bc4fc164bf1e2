// SPDX-License-Identifier: MIT
// json.c — what the JSON reports (--json's events, --ctrf) share: texts
// made valid UTF-8 as every report makes them (cordon__sanitize), a
// result's fields as JSON values, and one value written whole into a sink.
// The values are built with jansson, which does the escaping; nothing
// here prints JSON by hand.
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

json_t *
cordon__json_text(const char *s, size_t n)
{
    struct cordon__buf clean = {0};
    json_t *v;

    cordon__sanitize(s, n, &clean);
    /* Sanitised text is valid UTF-8 without NUL: jansson takes it. */
    v = json_stringn(clean.data != NULL ? clean.data : "", clean.len);
    free(clean.data);
    return v != NULL ? v : json_string("");
}

json_t *
cordon__json_span(const struct cordon__run *run, struct cordon__span s)
{
    struct cordon__buf text = {0};
    json_t *v;

    if (s.len == 0)
        return json_null();
    cordon__run_text(run, s, &text);
    v = cordon__json_text(text.data, text.len);
    free(text.data);
    return v;
}

json_t *
cordon__json_lines(const struct cordon__run *run, struct cordon__span s)
{
    struct cordon__buf text = {0};
    json_t *a = json_array();

    if (s.len == 0)
        return a;
    cordon__run_text(run, s, &text);
    for (const char *p = text.data; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

        if (n > 0)
            json_array_append_new(a, cordon__json_text(p, n));
        p += n + (nl != NULL);
    }
    free(text.data);
    return a;
}

json_t *
cordon__json_seconds(double seconds)
{
    /* Microseconds: what the clocks measure, without binary noise in
     * the digits (JSON_REAL_PRECISION in cordon__json_put). */
    if (seconds < 0)
        seconds = 0;
    return json_real((double)(long long)(seconds * 1e6 + 0.5) / 1e6);
}

json_t *
cordon__json_id(const struct cordon_impl_test *t)
{
    char id[CORDON__MAX_ID + 1];

    cordon__test_id(t, id, sizeof id);
    return cordon__json_text(id, strlen(id));
}

json_t *
cordon__json_stream(const struct cordon__run *run,
                    const struct cordon__stream *s)
{
    return json_pack("{s:o, s:I, s:I}", "text",
                     s->span.len > 0 ? cordon__json_span(run, s->span)
                                     : json_string(""),
                     "bytes", (json_int_t)s->total,
                     "omitted", (json_int_t)s->omitted);
}

/* into is a json_dump_callback: it streams into a sink. */
static int
into(const char *buffer, size_t size, void *sink)
{
    cordon__sink_add(sink, buffer, size);
    return 0;
}

void
cordon__json_put(struct cordon__sink *out, json_t *v)
{
    if (v == NULL) {
        /* jansson could not allocate it: the report must not be read as
         * whole. */
        if (out->err == 0)
            out->err = ENOMEM;
        return;
    }
    if (json_dump_callback(v, into, out,
                           JSON_COMPACT | JSON_ENCODE_ANY |
                               JSON_REAL_PRECISION(15)) != 0 &&
        out->err == 0)
        out->err = ENOMEM;
    json_decref(v);
}
