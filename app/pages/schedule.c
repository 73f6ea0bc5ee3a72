/* schedule: a day is [local midnight, next local midnight), computed with mktime so
 * that the days the clocks change have 23 and 25 hours. An event without an end is a
 * moment: "Jetzt" during the minute it happens, past afterwards. */
#define _POSIX_C_SOURCE 200809L
#include "pages/schedule.h"

#include "base/clock.h"
#include "base/ui.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MINUTE 60000

int64_t schedule_day_start(int64_t t)
{
    struct tm tm;
    clock_local(t, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}

int64_t schedule_next_day(int64_t day_start)
{
    struct tm tm;
    clock_local(day_start, &tm);
    tm.tm_mday++;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}

int schedule_slot(const Event *e, int index, Slot *out)
{
    memset(out, 0, sizeof *out);
    out->event = index;
    out->all_day = e->all_day;
    if (clock_parse_iso(e->start, &out->start) != 0) {
        return -1;
    }
    if (e->all_day) {
        out->start = schedule_day_start(out->start);
        if (!e->end[0] || clock_parse_iso(e->end, &out->end) != 0) {
            out->end = schedule_next_day(out->start);
        }
        return 0;
    }
    if (!e->end[0] || clock_parse_iso(e->end, &out->end) != 0 || out->end <= out->start) {
        out->end = out->start;
        out->moment = 1;
    }
    return 0;
}

static int touches(const Slot *s, int64_t d0, int64_t d1)
{
    if (s->moment) {
        return s->start >= d0 && s->start < d1;
    }
    return s->start < d1 && s->end > d0;
}

static int by_time(const void *a, const void *b)
{
    const Slot *x = a, *y = b;
    if (x->all_day != y->all_day) {
        return x->all_day ? -1 : 1;
    }
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return x->event - y->event;
}

void schedule_day(const Event *events, int n, int64_t now, ScheduleDay *out)
{
    memset(out, 0, sizeof *out);
    out->next = -1;
    Slot *all = malloc(sizeof *all * (size_t)(n > 0 ? n : 1));
    if (!all) {
        abort();
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (schedule_slot(&events[i], i, &all[m]) == 0) {
            m++;
        }
    }
    int64_t d0 = schedule_day_start(now), d1 = schedule_next_day(d0);
    int any_today = 0;
    int64_t first_future = INT64_MAX, last_past = INT64_MIN;
    for (int i = 0; i < m; i++) {
        any_today |= touches(&all[i], d0, d1);
        if (all[i].start >= d1 && all[i].start < first_future) {
            first_future = all[i].start;
        }
        int64_t last = all[i].moment ? all[i].start : all[i].end - 1;
        if (last < d0 && last > last_past) {
            last_past = last;
        }
    }
    if (any_today) {
        out->kind = DAY_TODAY;
    } else if (first_future != INT64_MAX) {
        out->kind = DAY_NEXT;
        d0 = schedule_day_start(first_future);
        d1 = schedule_next_day(d0);
    } else if (last_past != INT64_MIN) {
        out->kind = DAY_PAST;
        d0 = schedule_day_start(last_past);
        d1 = schedule_next_day(d0);
    } else {
        out->kind = DAY_NONE;
    }
    out->day_start = d0;
    out->day_end = d1;
    out->slots = malloc(sizeof *out->slots * (size_t)(m > 0 ? m : 1));
    out->state = malloc(sizeof *out->state * (size_t)(m > 0 ? m : 1));
    if (!out->slots || !out->state) {
        abort();
    }
    for (int i = 0; out->kind != DAY_NONE && i < m; i++) {
        if (touches(&all[i], d0, d1)) {
            out->slots[out->n++] = all[i];
        }
    }
    free(all);
    qsort(out->slots, (size_t)out->n, sizeof *out->slots, by_time);
    for (int i = 0; i < out->n; i++) {
        const Slot *s = &out->slots[i];
        SlotState st;
        if (s->all_day) {
            st = s->end <= now ? SLOT_PAST : SLOT_ALLDAY;
        } else if (now < s->start) {
            st = SLOT_LATER;
        } else if (now < (s->moment ? s->start + MINUTE : s->end)) {
            st = SLOT_NOW;
        } else {
            st = SLOT_PAST;
        }
        if (st == SLOT_LATER && out->next < 0) {
            st = SLOT_NEXT;
            out->next = i;
        }
        out->state[i] = st;
        /* when the picture must change next, besides the minute */
        int64_t edges[2] = { s->start, s->moment ? s->start + MINUTE : s->end };
        for (int k = 0; k < 2; k++) {
            if (edges[k] > now && (out->next_change == 0 || edges[k] < out->next_change)) {
                out->next_change = edges[k];
            }
        }
    }
}

void schedule_day_free(ScheduleDay *d)
{
    if (!d) {
        return;
    }
    free(d->slots);
    free(d->state);
    memset(d, 0, sizeof *d);
}

/* The local calendar day of t, as a day number. */
static int64_t local_day(int64_t t, struct tm *tm)
{
    clock_local(t, tm);
    return clock_days_from_civil((int64_t)tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
}

void schedule_countdown(int64_t now, int64_t start, char *buf, size_t len)
{
    /* all in 64 bits: between a clock at 1970 and an event in 9999 lie 2.5e14 ms,
     * which an int of minutes cannot hold (it wrapped to "in 1 Min.") */
    int64_t diff = start > now ? start - now : 0;
    if (start > now && diff < 0) { /* cannot happen for parsed times; saturate */
        diff = INT64_MAX;
    }
    int64_t mins = diff / MINUTE + (diff % MINUTE != 0);
    if (mins < 1) {
        mins = 1;
    }
    int64_t today = schedule_day_start(now), tomorrow = schedule_next_day(today);
    int64_t after = schedule_next_day(tomorrow);
    if (mins < 60) {
        ui_format_countdown(UI_IN_MINUTES, (long long)mins, 0, buf, len);
    } else if (start < tomorrow || mins < 6 * 60) {
        if (mins % 60 == 0) {
            ui_format_countdown(UI_IN_HOURS, (long long)(mins / 60), 0, buf, len);
        } else {
            ui_format_countdown(UI_IN_HOURS_MINUTES, (long long)(mins / 60),
                                (long long)(mins % 60), buf, len);
        }
    } else if (start < after) {
        struct tm tm;
        clock_local(start, &tm);
        snprintf(buf, len, ui_str(UI_TOMORROW_AT), tm.tm_hour, tm.tm_min);
    } else {
        struct tm tn, ts;
        int64_t days = local_day(start, &ts) - local_day(now, &tn);
        if (days <= SCHEDULE_COUNTDOWN_MAX_DAYS) {
            ui_format_countdown(UI_IN_DAYS, (long long)days, 0, buf, len);
        } else { /* a count of days means nothing that far ahead: the date */
            snprintf(buf, len, ui_str(UI_ON_DATE), ts.tm_mday, ts.tm_mon + 1,
                     (long long)ts.tm_year + 1900);
        }
    }
}
