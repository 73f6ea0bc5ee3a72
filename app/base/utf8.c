/* utf8: a strict validator after RFC 3629, table 3-7 of the Unicode standard. */
#include "base/utf8.h"

int utf8_valid(const char *str, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0) {
            goto fail;
        } else if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            goto fail;
        }
        if (len - i <= n) { /* truncated sequence */
            goto fail;
        }
        if (s[i + 1] < lo || s[i + 1] > hi) {
            goto fail;
        }
        for (size_t k = 2; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                goto fail;
            }
        }
        i += n + 1;
    }
    return 1;
fail:
    if (bad) {
        *bad = i;
    }
    return 0;
}

size_t utf8_char_len(const char *str)
{
    unsigned char c = (unsigned char)*str;
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < n; k++) {
        if (((unsigned char)str[k] & 0xC0) != 0x80) {
            return 1;
        }
    }
    return n;
}

size_t utf8_count(const char *s)
{
    size_t n = 0;
    while (*s) {
        s += utf8_char_len(s);
        n++;
    }
    return n;
}
