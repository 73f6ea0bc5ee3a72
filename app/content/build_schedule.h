/* build_schedule: the programme's sources — schedule.csv as staff type it in a
 * spreadsheet and iCalendar files as calendar programs export them — parsed into a
 * list of plain events (recurrences expanded). */
#ifndef LITFASS_BUILD_SCHEDULE_H
#define LITFASS_BUILD_SCHEDULE_H

#include "content/build_limits.h"
#include "content/build_report.h"
#include "store/model.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    Event *v;
    int n, cap;
    Model *tr; /* not owned; when set, schedule.csv's per-language cells (title_ar, ...)
                * become variants "event:<index in v>" of it */
} EventList;

void event_list_free(EventList *l);

/* Parses schedule.csv and appends its events to out. Columns by heading (English or
 * German, any case, umlauts as ä, ae or a): start/Beginn, end/Ende, all_day/ganztägig,
 * title/Titel, place/Ort, description/Beschreibung; empty trailing columns are
 * ignored. Dates as staff type them: 2021-06-01, 01.06.2021, 1.6.21; times 15:30,
 * 15.30, 15:30 Uhr, 15 Uhr. A start without a time is all-day and an all-day end names
 * the last day; an end that is only a time is on the start's day; ganztägig=ja next to
 * a time is an error, not a guess. Windows-1252 files are converted (a note in r).
 * Every bad row is reported to r; returns 0, or -1 (then out is as it was). */
int build_parse_schedule_csv_report(const char *path, const char *text, size_t len,
                                    EventList *out, BuildReport *r);

/* build_parse_schedule_csv_report with every error, one a line, in err. */
int build_parse_schedule_csv(const char *path, const char *text, size_t len, EventList *out,
                             char *err, size_t errlen);

/* Parses an iCalendar file with libical and appends its events to out; recurrences
 * are expanded from a year before now_ms to two years after (at most 1000 each).
 * Every bad event is reported to r with its line; returns 0, or -1 (out as it was). */
int build_parse_ics_report(const char *path, const char *text, size_t len, int64_t now_ms,
                           EventList *out, BuildReport *r);

/* build_parse_ics_report with every error, one a line, in err. */
int build_parse_ics(const char *path, const char *text, size_t len, int64_t now_ms,
                    EventList *out, char *err, size_t errlen);

#endif
