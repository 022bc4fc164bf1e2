// SPDX-License-Identifier: MIT
// report_sanitize_unit_test.c — unit tests of cordon__sanitize, the filter
// every byte a test prints passes on its way into a report: text legal in
// XML 1.0 stays, ANSI escape sequences go, anything else becomes \xNN.
#include <cordon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "run/run.h"
#include "report/report.h"

static char *
clean(const char *in, size_t n)
{
    struct cordon__buf b = {0};

    cordon__sanitize(in, n, &b);
    return b.data;
}

/* EXPECT_CLEAN checks the sanitised form of a string literal, which may
 * hold NUL bytes (sizeof counts them). */
#define EXPECT_CLEAN(in, want)                                                \
    do {                                                                      \
        char *got_ = clean(in, sizeof in - 1);                                \
        EXPECT_STREQ(got_, want);                                             \
        free(got_);                                                           \
    } while (0)

TEST(report_sanitize, keeps_text_line_breaks_and_markup)
{
    EXPECT_CLEAN("plain text\twith tabs\r\nand lines\n",
                 "plain text\twith tabs\r\nand lines\n");
    /* Markup is the XML writer's to escape, not the sanitiser's. */
    EXPECT_CLEAN("<a href=\"x\">&amp;</a> ]]> '", "<a href=\"x\">&amp;</a> ]]> '");
    EXPECT_CLEAN("\x7f", "\x7f");
    EXPECT_CLEAN("", "");
}

TEST(report_sanitize, escapes_control_bytes_and_nul)
{
    EXPECT_CLEAN("\x01", "\\x01");
    EXPECT_CLEAN("a\0b", "a\\x00b");
    EXPECT_CLEAN("\x0b\x0c\x1f", "\\x0B\\x0C\\x1F");
    EXPECT_CLEAN("bell\a", "bell\\x07");
}

TEST(report_sanitize, every_single_byte)
{
    for (int b = 0; b < 256; b++) {
        char in = (char)b, want[8];
        char *got = clean(&in, 1);
        bool legal = b == '\t' || b == '\n' || b == '\r' ||
                     (b >= 0x20 && b <= 0x7f);

        if (legal)
            snprintf(want, sizeof want, "%c", b);
        else
            snprintf(want, sizeof want, "\\x%02X", b);
        EXPECT_STREQ(got, want, "byte 0x%02x", b);
        free(got);
    }
}

TEST(report_sanitize, keeps_valid_utf8)
{
    /* é, €, U+1F600, U+0085, U+FFFD and U+10FFFF: all legal in XML 1.0. */
    EXPECT_CLEAN("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\x85",
                 "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\x85");
    EXPECT_CLEAN("\xef\xbf\xbd \xf4\x8f\xbf\xbf", "\xef\xbf\xbd \xf4\x8f\xbf\xbf");
}

TEST(report_sanitize, escapes_invalid_utf8_byte_by_byte)
{
    EXPECT_CLEAN("\x80", "\\x80");
    EXPECT_CLEAN("\xff\xfe", "\\xFF\\xFE");
    EXPECT_CLEAN("\xc3", "\\xC3");                    /* cut short at the end */
    EXPECT_CLEAN("\xc3(", "\\xC3(");                  /* bad continuation */
    EXPECT_CLEAN("\xf0\x9f\x98x", "\\xF0\\x9F\\x98x"); /* cut short */
    EXPECT_CLEAN("\xc0\xaf", "\\xC0\\xAF");           /* overlong '/' */
    EXPECT_CLEAN("\xe0\x80\xaf", "\\xE0\\x80\\xAF");  /* overlong, 3 bytes */
    EXPECT_CLEAN("\xf0\x80\x80\xaf", "\\xF0\\x80\\x80\\xAF");
    EXPECT_CLEAN("\xed\xa0\x80", "\\xED\\xA0\\x80");  /* surrogate U+D800 */
    EXPECT_CLEAN("\xef\xbf\xbe", "\\xEF\\xBF\\xBE");  /* U+FFFE */
    EXPECT_CLEAN("\xef\xbf\xbf", "\\xEF\\xBF\\xBF");  /* U+FFFF */
    EXPECT_CLEAN("\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80"); /* > U+10FFFF */
    EXPECT_CLEAN("\xf5\x80\x80\x80", "\\xF5\\x80\\x80\\x80");
    /* Valid text around a bad byte is untouched. */
    EXPECT_CLEAN("\xc3\xa9\xff\xc3\xa9", "\xc3\xa9\\xFF\xc3\xa9");
}

TEST(report_sanitize, drops_ansi_escape_sequences)
{
    EXPECT_CLEAN("\033[1;31mred\033[0m plain", "red plain");
    EXPECT_CLEAN("\033[2K\033[1G\033[?25lline", "line");
    EXPECT_CLEAN("\033]0;title\007after", "after");           /* OSC, BEL */
    EXPECT_CLEAN("\033]8;;http://x/\033\\link\033]8;;\033\\", "link");
    EXPECT_CLEAN("\033(B\033[mreset", "reset");               /* tput sgr0 */
    EXPECT_CLEAN("\0337saved\0338", "saved");                 /* DECSC/RC */
    EXPECT_CLEAN("\033Mup", "up");
    EXPECT_CLEAN("\033Pq#0;2;0;0;0\033\\sixel", "sixel");     /* DCS */
}

TEST(report_sanitize, escapes_what_is_no_whole_sequence)
{
    EXPECT_CLEAN("\033", "\\x1B");
    EXPECT_CLEAN("\033[", "\\x1B[");
    EXPECT_CLEAN("\033[12", "\\x1B[12");
    EXPECT_CLEAN("\033]0;no end", "\\x1B]0;no end");
    EXPECT_CLEAN("\033\001", "\\x1B\\x01");
    EXPECT_CLEAN("\033\0x", "\\x1B\\x00x");
}

/* in_pieces sanitises in[0..n) the way cordon__run_pieces does: reading
 * `step` bytes at a time and sanitising up to cordon__sanitize_cut. */
static char *
in_pieces(const char *in, size_t n, size_t step)
{
    struct cordon__buf raw = {0}, out = {0};
    size_t at = 0;

    cordon__buf_add(&out, "", 0);
    while (at < n || raw.len > 0) {
        size_t take = n - at < step ? n - at : step, cut;

        cordon__buf_add(&raw, in + at, take);
        at += take;
        cut = at < n ? cordon__sanitize_cut(raw.data, raw.len) : raw.len;
        if (cut == 0)
            continue;
        cordon__sanitize(raw.data, cut, &out);
        memmove(raw.data, raw.data + cut, raw.len - cut);
        raw.len -= cut;
    }
    free(raw.data);
    return out.data;
}

/* Sanitised a piece at a time, as a report reads a long output, text
 * comes out as it does whole, whatever the pieces' size: no piece ends
 * inside a UTF-8 character or an escape sequence. */
TEST(report_sanitize, pieces_read_as_the_whole)
{
    static const char text[] =
        "\xc3\xa9t\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80 \033[1;31mred\033[0m"
        " \033]0;title\007 bad\xff\xfe \xe2\x80\xa8 tail \033(B\xc3\xa9\xe2"
        "\x82\xac\xf0\x9f\x98\x80no line break here\xc3\xa9\n"
        "a second line \033[32mgreen\033[0m\n";
    char *whole = clean(text, sizeof text - 1);

    for (size_t step = 1; step <= sizeof text; step++) {
        char *got = in_pieces(text, sizeof text - 1, step);

        EXPECT_STREQ(got, whole, "read %zu bytes at a time", step);
        free(got);
    }
    free(whole);
}
