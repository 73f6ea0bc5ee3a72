/* alert: emergency and priority messages (issue 14). Owns the alert file's format — a
 * few UTF-8 lines, at most ALERT_MAX_BYTES, signed like a bundle by delivery/alertfile —
 * and the installed alert of a state directory (DIR/alert: the verified bytes of the
 * newest alert or clear accepted; its version is the replay floor). Pure apart from
 * alert_load and alert_store. */
#ifndef LITFASS_ALERT_H
#define LITFASS_ALERT_H

#include <stddef.h>
#include <stdint.h>

#define ALERT_MAX_BYTES 2048 /* the whole file: anything larger is refused unread */
#define ALERT_MAX_TEXT 600   /* bytes of the message */
#define ALERT_FILE_NAME "alert.litfass-alert"
#define ALERT_SUFFIX ".litfass-alert"

typedef enum { ALERT_INFO, ALERT_WARNING, ALERT_DANGER } AlertLevel;

typedef struct {
    long long version; /* its own counter, separate from content versions */
    int clear;         /* a signed "no alert any more" */
    AlertLevel level;
    int64_t from_ms;  /* wall ms; 0: from when it arrives */
    int64_t until_ms; /* wall ms; required for an alert */
    char text[ALERT_MAX_TEXT + 1];
} Alert;

/* Parses an alert file's bytes (untrusted until verified, so every field is checked:
 * UTF-8 without control characters, known keys once each, until after from). Returns 0,
 * or -1 with err naming the field. */
int alert_parse(const char *data, size_t len, Alert *out, char *err, size_t errlen);

/* Writes a's file into buf. Returns its length, or -1 when it does not fit or a field is
 * invalid (err says which). */
int alert_format(const Alert *a, char *buf, size_t len, char *err, size_t errlen);

/* "info", "warning", "danger". */
const char *alert_level_name(AlertLevel l);
/* Returns 0 and *out for a level name, -1 for anything else. */
int alert_level_parse(const char *name, AlertLevel *out);

/* Reads the installed alert of state_dir into *out. Returns 0 (it may be a clear), or
 * -1 when none is installed or it cannot be read (*out zeroed). */
int alert_load(const char *state_dir, Alert *out);

/* Replaces the installed alert with the verified bytes data (temporary file, fsync,
 * rename, fsync of the folder). Call under the state directory's install lock. Returns
 * 0, or -1 with errno. */
int alert_store(const char *state_dir, const char *data, size_t len);

/* Whether a is on screen at now: between from and until when the clock is trusted;
 * while it is not, as long as until lies after floor_ms (a time surely past). */
int alert_active(const Alert *a, int64_t now, int trusted, int64_t floor_ms);

/* The next moment after now at which alert_active may change (from or until), or 0. */
int64_t alert_next_change(const Alert *a, int64_t now);

#endif
