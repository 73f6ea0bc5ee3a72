/* encoding: what staff's files are written in. UTF-8 is the default; spreadsheets
 * on Windows (Excel "CSV", LibreOffice's default filter) save Windows-1252, which is
 * recognised and converted, so that only valid UTF-8 ever reaches the parsers. */
#ifndef LITFASS_ENCODING_H
#define LITFASS_ENCODING_H

#include "content/build_report.h"

#include <stddef.h>

typedef enum { ENCODING_UTF8, ENCODING_CP1252 } Encoding;

/* Decides the encoding of text[0..len):
 * - valid UTF-8 is UTF-8: *out is NULL (use text as it is);
 * - otherwise, a text without a byte undefined in Windows-1252 and without anything
 *   shaped like a UTF-8 sequence (a lead byte followed by its continuation bytes) is
 *   Windows-1252 (ISO-8859-1 is a subset): *out is a new UTF-8 copy (free it) of
 *   *out_len bytes, NUL-terminated.
 * Returns 0 with *enc set, or -1 with *bad the offset of the first byte that is
 * neither (*enc then says which one the text seemed to be: UTF-8 shaped or not). */
int encoding_to_utf8(const char *text, size_t len, char **out, size_t *out_len, Encoding *enc,
                     size_t *bad);

/* The text around offset at on its line (about 20 characters each side), for a
 * message: printable, valid UTF-8, every byte that is not shown as '?'. Returns the
 * line number (from 1) of at. */
int encoding_context(const char *text, size_t len, size_t at, char *buf, size_t buflen);

/* For the parsers: makes *text and *len UTF-8 as encoding_to_utf8 decides, reporting to
 * r — a note naming path when it converted, an error with the line and the text
 * around the first bad byte when it cannot. On success *text and *len point at UTF-8 and
 * *owned is the converted copy to free (or NULL). Returns 0, or -1 (*owned NULL). */
int encoding_prepare(const char *path, const char **text, size_t *len, char **owned,
                     BuildReport *r);

#endif
