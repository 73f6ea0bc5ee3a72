/* utf8: validation and stepping over UTF-8, shared by the content build (which
 * rejects invalid input) and layout (which breaks words between characters); the one
 * way to fit text into a fixed buffer (never splitting a character, ending in "…"
 * when cut); and runs of combining marks, which content may not pile up. */
#ifndef LITFASS_UTF8_H
#define LITFASS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or NUL bytes);
 * otherwise 0 with the offset of the first bad byte in *bad (if bad is not NULL). */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* Length in bytes of the character starting at s (1 for a stray byte). */
size_t utf8_char_len(const char *s);

/* Number of characters in a NUL-terminated valid UTF-8 string. */
size_t utf8_count(const char *s);

/* At most this many combining marks may follow one another (a base letter with its
 * accents needs 1-3; Vietnamese stacks 2, some scripts 3-4). Longer runs are "Zalgo"
 * text that draws a column of marks over its neighbours: build and store refuse it. */
#define UTF8_MAX_MARK_RUN 4

/* Decodes the character at s (at most len bytes) into *cp; returns its length in
 * bytes (1 for a stray byte, whose value is then the byte). len must be >= 1. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* 1 if cp is a combining mark (Unicode general category Mn, Mc or Me). */
int utf8_is_mark(uint32_t cp);

/* The longest run of consecutive combining marks in s[0..len); *at (if not NULL) gets
 * the byte offset where that run starts. */
size_t utf8_mark_run(const char *s, size_t len, size_t *at);

/* Copies the string src into dst[cap] without ever splitting a UTF-8 sequence. When
 * src does not fit whole, dst holds as many whole characters as fit followed by "…"
 * (U+2026; without it only when cap < 4). dst is always terminated when cap > 0; src
 * and dst may overlap. Returns 0 when src was copied whole, 1 when it was cut. */
int utf8_copy_cut(char *dst, size_t cap, const char *src);

/* Appends src to the terminated string in dst[cap] in the same way. Returns 1 if cut. */
int utf8_append_cut(char *dst, size_t cap, const char *src);

/* snprintf into dst[cap], cut like utf8_copy_cut. Returns 1 if cut. */
int utf8_format_cut(char *dst, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
