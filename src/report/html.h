// SPDX-License-Identifier: MIT
// html.h — what the files of the HTML report share (report_html.c the
// document, html_timeline.c its SVG timeline, html_assets.c its style and
// script): the writer, and elements written through it. Every text and
// attribute value goes through cordon__sanitize and then libxml2's
// xmlTextWriter, which escapes it; nothing of a test reaches the file any
// other way. Included by those files only.
#ifndef CORDON_REPORT_HTML_H
#define CORDON_REPORT_HTML_H

#include "report/report.h"
#include "libxml.h"

/* The report being written. The writer calls return -1 on error; failed
 * keeps that they did. The buffers are reused from element to element. */
struct cordon__html {
    const struct cordon__libxml *x;
    xmlTextWriterPtr w;
    bool failed;
    struct cordon__sink *sink;
    const struct cordon__run *run;
    struct cordon__buf clean;   /* a value, sanitised */
    struct cordon__buf text;    /* a result's text, read from the spool */
    struct cordon__buf scratch; /* a value being put together */
};

/* cordon__html_start opens element name; cordon__html_end closes an HTML
 * element with an end tag (<td></td>: an HTML parser reads <td/> as a
 * start tag), cordon__html_end_empty an SVG or void element (<rect/>,
 * <meta/>), which may be written empty. */
void cordon__html_start(struct cordon__html *h, const char *name);
void cordon__html_end(struct cordon__html *h);
void cordon__html_end_empty(struct cordon__html *h);
/* cordon__html_attr writes an attribute of the open element, sanitised;
 * _attrf formats it first. */
void cordon__html_attr(struct cordon__html *h, const char *name,
                       const char *value);
void cordon__html_attrf(struct cordon__html *h, const char *name,
                        const char *fmt, ...) CORDON_IMPL_PRINTF(3, 4);
/* cordon__html_text writes data[0..len) as text, sanitised; _textf
 * formats it first. */
void cordon__html_text(struct cordon__html *h, const char *data, size_t len);
void cordon__html_textf(struct cordon__html *h, const char *fmt, ...)
    CORDON_IMPL_PRINTF(2, 3);
/* cordon__html_element writes <name class="cls">text</name> (cls may be
 * NULL). */
void cordon__html_element(struct cordon__html *h, const char *name,
                          const char *cls, const char *text);
/* cordon__html_newline writes a line break between elements, where HTML
 * ignores it, so the file reads a line per row. */
void cordon__html_newline(struct cordon__html *h);

/* cordon__html_key is the outcome of r as the report's style names it
 * ("pass", "flaky", "crash", ...); cordon__html_word as it shows it
 * ("PASS", "FLAKY", ...). */
const char *cordon__html_key(const struct cordon__result *r);
const char *cordon__html_word(const struct cordon__result *r);

/* cordon__html_timeline writes the timeline of the run as an inline SVG:
 * one lane per job slot, one bar per attempt (earlier failed attempts
 * too) and per suite .once, each with its id and times in a <title>. */
void cordon__html_timeline(struct cordon__html *h);

/* The report's style sheet and script (html_assets.c). Written raw, as
 * HTML reads a <style> or <script> (no entity is decoded there): so
 * neither holds '<' or '&', and both read the same as XML. */
extern const char cordon__html_style[];
extern const char cordon__html_script[];

#endif /* CORDON_REPORT_HTML_H */
