/* schedule: pure time logic of the programme. Resolves event times in the
 * configured zone (tz database via clock_), picks the day to show — today, else the
 * next day with events, else the last one, marked as past — and says which event
 * runs now, which comes next and how long until it starts. No SDL, no SQLite. */
#ifndef LITFASS_SCHEDULE_H
#define LITFASS_SCHEDULE_H

#include "store/model.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t start, end; /* ms; a moment has end == start; all-day: local midnights */
    int all_day;
    int moment; /* no end given */
    int event;  /* index into the model's events */
} Slot;

typedef enum { SLOT_PAST, SLOT_NOW, SLOT_NEXT, SLOT_LATER, SLOT_ALLDAY } SlotState;

typedef enum {
    DAY_TODAY, /* today has events */
    DAY_NEXT,  /* today has none: the next day that has */
    DAY_PAST,  /* nothing ahead: the most recent programme */
    DAY_NONE,  /* no events at all */
} DayKind;

typedef struct {
    DayKind kind;
    int64_t day_start, day_end; /* local midnights (23 or 25 hours apart on DST days) */
    Slot *slots;                /* events touching the day: all-day first, then by start */
    SlotState *state;
    int n;
    int next;             /* index of "Als Nächstes", or -1 */
    int64_t next_change;  /* ms of the next start or end after now, or 0 */
} ScheduleDay;

/* Builds the day to show at now from events. Frees nothing of events; release the
 * result with schedule_day_free. */
void schedule_day(const Event *events, int n, int64_t now, ScheduleDay *out);
void schedule_day_free(ScheduleDay *d);

/* The local midnight starting the day that contains t, and the one after it. */
int64_t schedule_day_start(int64_t t);
int64_t schedule_next_day(int64_t day_start);

/* Beyond this many days the countdown names the date instead. */
#define SCHEDULE_COUNTDOWN_MAX_DAYS 30

/* "in 25 Min.", "in 2 Std. 5 Min.", "morgen um 10:00 Uhr", "in 3 Tagen", and for
 * events more than SCHEDULE_COUNTDOWN_MAX_DAYS ahead "am 31.12.9999". Any two times
 * (64-bit ms) give a true statement; a start not after now counts as "in 1 Min.". */
void schedule_countdown(int64_t now, int64_t start, char *buf, size_t len);

/* Resolves one event's times; returns 0, or -1 when they cannot be read. */
int schedule_slot(const Event *e, int index, Slot *out);

#endif
