/* log: one line per message on stderr, prefixed by the module, for journald, at one of
 * three levels (info, warning, error). Owns the "last message" record used to collapse
 * repeats and the last warnings kept for the status report. Thread-safe. */
#ifndef LITFASS_LOG_H
#define LITFASS_LOG_H

#include <stddef.h>

#if defined(__GNUC__)
#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LOG_PRINTF(a, b)
#endif

/* Writes "module: message" to stderr as one line: CR and LF become spaces, every
 * other control character and invalid UTF-8 the placeholder of log_sanitize. A
 * message identical to the previous one (same level) is counted instead of printed;
 * the count is reported when a different line follows. log_msg is for routine facts
 * (started, installed, screen on); log_warn for something wrong that the display
 * survives (a refusal, a failed write, a stalled worker, an unreachable server);
 * log_error for a fault that stops a part of it (no screen, no content, a bad
 * configuration). When stderr is the journal (JOURNAL_STREAM names it), a warning
 * starts with "<4>" and an error with "<3>" (sd-daemon's prefixes, which journald
 * turns into the priority: journalctl -p warning); elsewhere lines carry no prefix. */
void log_msg(const char *module, const char *fmt, ...) LOG_PRINTF(2, 3);
void log_warn(const char *module, const char *fmt, ...) LOG_PRINTF(2, 3);
void log_error(const char *module, const char *fmt, ...) LOG_PRINTF(2, 3);

/* The same at a level chosen at run time, for one line that reports an outcome either
 * way (installed, or refused): level is one of these (syslog's numbers). */
enum { LOG_LEVEL_ERROR = 3, LOG_LEVEL_WARNING = 4, LOG_LEVEL_INFO = 6 };
void log_at(int level, const char *module, const char *fmt, ...) LOG_PRINTF(3, 4);

/* Copies a name that came from outside (a stick, a server, a signed comment) into out
 * for a log line or a report: control characters (C0, DEL, C1), line and paragraph
 * separators, bidi overrides and bytes that are not valid UTF-8 each become the
 * visible placeholder U+FFFD, so a name can neither start a new line, move the
 * cursor nor reorder what a staff member reads. The result is cut at a character
 * boundary to fit outlen (ending in "…" when cut). out is always NUL-terminated
 * when outlen > 0; in may be NULL (gives ""). Returns out. */
char *log_sanitize(const char *in, char *out, size_t outlen);

/* The last LOG_RECENT warnings and errors (as printed, without a prefix; repeats not
 * counted; info lines are never kept) for the screen's status report. Copies those
 * numbered after *seen (each kept line has a running number from 1), the newest last,
 * into out (at most max), sets *seen to the newest number and returns how many were
 * copied. Lines older than the last LOG_RECENT are gone. */
#define LOG_RECENT 8
#define LOG_RECENT_BYTES 240
int log_recent(unsigned long *seen, char (*out)[LOG_RECENT_BYTES], int max);

/* Prints a pending "(repeated N times)" line, if any. Call before exit. */
void log_flush(void);

#endif
