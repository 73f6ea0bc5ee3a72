/* screentime: when the screen is on. Weekly ranges as staff write them ("Mo-Fr
 * 07:30-18:00, Sa 09:00-13:00"; German or English day names; a range past midnight like
 * "Fr 20:00-02:00" runs into the next day) and whole days off ("2026-12-24"). Times are
 * local wall-clock times in the configured zone, so the DST days are right: 07:30 is
 * 07:30 on the 23-hour and the 25-hour day alike. Nothing configured: always on. */
#ifndef LITFASS_SCREENTIME_H
#define LITFASS_SCREENTIME_H

#include <stddef.h>
#include <stdint.h>

#define SCREENTIME_MAX_RANGES 28
#define SCREENTIME_MAX_OFF_DAYS 64

typedef struct {
    int n;
    struct {
        int day;        /* 0 = Monday … 6 = Sunday */
        int from, to;   /* minutes after midnight; to <= from: runs past midnight */
    } range[SCREENTIME_MAX_RANGES];
    int n_off;
    char off[SCREENTIME_MAX_OFF_DAYS][11]; /* "YYYY-MM-DD" */
} ScreenTimes;

/* Parses the weekly ranges (text may be empty: always on). Returns 0, or -1 with err
 * naming the part that is not understood. */
int screentime_parse(const char *text, ScreenTimes *out, char *err, size_t errlen);

/* Parses the days off ("2026-12-24, 2026-12-25") into st. Returns 0, or -1 with err. */
int screentime_parse_off(const char *text, ScreenTimes *st, char *err, size_t errlen);

/* Writes st's weekly ranges in the form screentime_parse reads, one range a part
 * ("Mo 07:30-18:00, Di 07:30-18:00"), and its days off as screentime_parse_off reads
 * them, into on and off (either may be NULL). Returns 0, or -1 when one does not fit. */
int screentime_format(const ScreenTimes *st, char *on, size_t onlen, char *off, size_t offlen);

/* Adds the days off of from to st, leaving out those st has already. Returns 0, or -1
 * when st would hold more than SCREENTIME_MAX_OFF_DAYS (then st has as many as fit). */
int screentime_add_off(ScreenTimes *st, const ScreenTimes *from);

/* 1 when the screen is on at wall_ms; *next_ms (may be NULL) gets when that changes next
 * (within the next eight days; 0 when it never does). */
int screentime_on(const ScreenTimes *st, int64_t wall_ms, int64_t *next_ms);

#endif
