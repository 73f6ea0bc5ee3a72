/* fleet: the head office's overview of a report folder (one subfolder per screen, as
 * the report worker PUTs them): one static HTML page, no script, that opens from a file.
 * Everything read from the folder is untrusted text and is escaped. */
#ifndef LITFASS_FLEET_H
#define LITFASS_FLEET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes the page for dir to out as of now_ms (wall, UTC): every screen with name,
 * site, last seen (flagged stale when older than two of its intervals), content version,
 * alert, clock, power, thumbnail (a relative link to NAME/screen.png, so the page belongs
 * next to dir's screens or in dir itself; prefix is put before it) and its plays per
 * day. Returns the number of screens, or -1 with err. */
int fleet_write(const char *dir, const char *prefix, int64_t now_ms, FILE *out, char *err,
                size_t errlen);

/* The value of key in a flat JSON object text as a string (a string's escapes undone,
 * a number or literal as written) into out. Returns 0, or -1 when absent. */
int fleet_json_value(const char *json, const char *key, char *out, size_t len);

#endif
