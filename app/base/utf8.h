/* utf8: validation and stepping over UTF-8, shared by the content build (which
 * rejects invalid input) and layout (which breaks words between characters). */
#ifndef LITFASS_UTF8_H
#define LITFASS_UTF8_H

#include <stddef.h>

/* Returns 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or NUL bytes);
 * otherwise 0 with the offset of the first bad byte in *bad (if bad is not NULL). */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* Length in bytes of the character starting at s (1 for a stray byte). */
size_t utf8_char_len(const char *s);

/* Number of characters in a NUL-terminated valid UTF-8 string. */
size_t utf8_count(const char *s);

#endif
