/* encoding: the decision is made on the whole file, never per line, so a file is
 * read one way only. Text that is partly UTF-8 (well-formed sequences) and partly
 * not is refused rather than guessed: converting it as Windows-1252 would turn every
 * correct "ä" into "Ã¤" on screen. */
#include "content/encoding.h"

#include "base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Windows-1252's 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Length of a UTF-8 shaped sequence at s (lead byte plus the continuation bytes it
 * announces, valid or not), or 0. */
static size_t utf8_shaped(const unsigned char *s, size_t len)
{
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 0;
    if (n == 0 || n > len) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

int encoding_to_utf8(const char *text, size_t len, char **out, size_t *out_len, Encoding *enc,
                     size_t *bad)
{
    const unsigned char *u = (const unsigned char *)text;
    *out = NULL;
    *out_len = 0;
    *enc = ENCODING_UTF8;
    size_t at;
    if (utf8_valid(text, len, &at)) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (u[i] >= 0x80 && utf8_shaped(u + i, len - i)) {
            *bad = at; /* meant as UTF-8, broken at its first invalid byte */
            return -1;
        }
    }
    *enc = ENCODING_CP1252;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        /* NUL: no text file holds one (UTF-16 "Unicode text" holds many) */
        if (u[i] == 0 || (u[i] >= 0x80 && u[i] <= 0x9F && cp1252_high[u[i] - 0x80] == 0)) {
            *bad = i;
            return -1;
        }
        n += u[i] < 0x80 ? 1 : u[i] < 0xA0 ? 3 : 2;
    }
    char *o = malloc(n + 1);
    if (!o) {
        abort();
    }
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = u[i] >= 0x80 && u[i] <= 0x9F ? cp1252_high[u[i] - 0x80] : u[i];
        if (cp < 0x80) {
            o[k++] = (char)cp;
        } else if (cp < 0x800) {
            o[k++] = (char)(0xC0 | cp >> 6);
            o[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            o[k++] = (char)(0xE0 | cp >> 12);
            o[k++] = (char)(0x80 | (cp >> 6 & 0x3F));
            o[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    o[k] = '\0';
    *out = o;
    *out_len = k;
    return 0;
}

int encoding_context(const char *text, size_t len, size_t at, char *buf, size_t buflen)
{
    int line = 1;
    size_t start = 0;
    if (at > len) {
        at = len;
    }
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n') {
            line++;
            start = i + 1;
        }
    }
    size_t from = at - start > 20 ? at - 20 : start, to = at;
    while (to < len && to - at < 20 && text[to] != '\n' && text[to] != '\r') {
        to++;
    }
    /* step back to a character boundary so that the excerpt starts with a whole one */
    while (from > start && ((unsigned char)text[from] & 0xC0) == 0x80) {
        from--;
    }
    size_t k = 0;
    for (size_t i = from; i < to && k + 5 < buflen;) {
        unsigned char c = (unsigned char)text[i];
        size_t n = c >= 0x80 ? utf8_shaped((const unsigned char *)text + i, len - i) : 1;
        if (n > 1 && utf8_valid(text + i, n, NULL)) {
            memcpy(buf + k, text + i, n);
            k += n;
            i += n;
            continue;
        }
        buf[k++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        i++;
    }
    if (buflen > 0) {
        buf[k < buflen ? k : buflen - 1] = '\0';
    }
    return line;
}

int encoding_prepare(const char *path, const char **text, size_t *len, char **owned,
                     BuildReport *r)
{
    Encoding enc;
    size_t bad = 0, n;
    *owned = NULL;
    if (encoding_to_utf8(*text, *len, owned, &n, &enc, &bad) != 0) {
        char around[160];
        int line = encoding_context(*text, *len, bad, around, sizeof around);
        return build_report_error(r, path, line,
                                  enc == ENCODING_UTF8 ? BT_BROKEN_UTF8 : BT_BAD_ENCODING, around);
    }
    if (*owned) {
        build_report_note(r, path, BT_NOTE_CP1252);
        *text = *owned;
        *len = n;
    }
    return 0;
}
