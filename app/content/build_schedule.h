/* build_schedule: the programme's sources — schedule.csv as staff type it in a
 * spreadsheet and iCalendar files as calendar programs export them — parsed into a
 * list of plain events (recurrences expanded). */
#ifndef LITFASS_BUILD_SCHEDULE_H
#define LITFASS_BUILD_SCHEDULE_H

#include "content/build_limits.h"
#include "store/model.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    Event *v;
    int n, cap;
} EventList;

void event_list_free(EventList *l);

/* Parses schedule.csv (columns by header: start, end, all_day, title, place,
 * description; German names Beginn, Ende, ganztägig, Titel, Ort, Beschreibung too) and
 * appends to out. Dates as 2021-06-01 15:30 or 01.06.2021 15:30; a start without a
 * time is all-day; an all-day end names the last day. Returns 0, or -1 with err
 * "FILE:LINE: reason". */
int build_parse_schedule_csv(const char *path, const char *text, size_t len, EventList *out,
                             char *err, size_t errlen);

/* Parses an iCalendar file with libical and appends its events to out; recurrences
 * are expanded from a year before now_ms to two years after (at most 1000 each).
 * Returns 0, or -1 with err naming the file, the event's line and the reason. */
int build_parse_ics(const char *path, const char *text, size_t len, int64_t now_ms,
                    EventList *out, char *err, size_t errlen);

#endif
