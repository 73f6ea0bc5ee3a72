/* log: one line per message on stderr, prefixed by the module, for journald.
 * Owns the "last message" record used to collapse repeats. Thread-safe. */
#ifndef LITFASS_LOG_H
#define LITFASS_LOG_H

#if defined(__GNUC__)
#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LOG_PRINTF(a, b)
#endif

/* Writes "module: message" to stderr. A message identical to the previous one is
 * counted instead of printed; the count is reported when a different line follows. */
void log_msg(const char *module, const char *fmt, ...) LOG_PRINTF(2, 3);

/* Prints a pending "(repeated N times)" line, if any. Call before exit. */
void log_flush(void);

#endif
