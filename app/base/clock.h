/* clock: the only place that reads time. Wall time (ms since the Unix epoch, UTC)
 * and monotonic time (ms) behind one interface, so tests and screenshots run on a
 * fake clock; conversion to local time in the configured tz-database zone. */
#ifndef LITFASS_CLOCK_H
#define LITFASS_CLOCK_H

#include <stdint.h>
#include <time.h>

typedef struct Clock Clock;
struct Clock {
    int64_t (*wall_ms)(const Clock *c);
    int64_t (*mono_ms)(const Clock *c);
    int64_t base_wall; /* fake and offset clocks */
    int64_t base_mono;
};

/* The system's real-time and monotonic clocks. */
Clock clock_system(void);

/* A clock frozen at wall_ms; clock_advance() moves both of its times forward. */
Clock clock_fake(int64_t wall_ms);
void clock_advance(Clock *c, int64_t ms);

/* A clock that starts at wall_ms and then runs at real speed (litfass --now). */
Clock clock_starting_at(int64_t wall_ms);

/* Selects the zone used by clock_local() and clock_parse_iso() for times without
 * an offset, e.g. "Europe/Berlin". Returns 0, or -1 when the tz database has no
 * such zone. Not thread-safe: call once at start-up. */
int clock_set_zone(const char *zone);

/* Breaks wall_ms down into local time of the selected zone (DST-correct). */
void clock_local(int64_t wall_ms, struct tm *out);

/* Parses ISO 8601 "YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|-HH:MM]"; without an offset
 * the time is local to the selected zone. Returns 0, or -1 on malformed input. */
int clock_parse_iso(const char *s, int64_t *out_ms);

/* Formats wall_ms as UTC "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void clock_format_utc(int64_t wall_ms, char *buf, size_t len);

/* Adds days to a date "YYYY-MM-DD" (calendar arithmetic, no time zone). Returns 0, or
 * -1 when date is malformed. */
int clock_date_add(const char *date, int days, char *out, size_t len);

/* Days since 1970-01-01 of a proleptic Gregorian date (y, month 1..12, day 1..31). */
int64_t clock_days_from_civil(int64_t y, int64_t m, int64_t d);

/* Milliseconds from wall_ms to the start of the next wall-clock minute (1..60000). */
int64_t clock_ms_to_next_minute(int64_t wall_ms);

#endif
