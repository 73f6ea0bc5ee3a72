/* screentime: each range is turned into absolute on-intervals around the asked moment
 * by mktime on local wall times (the tz database knows every DST rule); the state and
 * its next change follow from those few intervals. */
#define _POSIX_C_SOURCE 200809L
#include "base/screentime.h"

#include "base/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int day_of(const char *s, size_t len)
{
    static const char *const names[][4] = {
        { "mo", "mon", "montag", "monday" },     { "di", "tue", "dienstag", "tuesday" },
        { "mi", "wed", "mittwoch", "wednesday" }, { "do", "thu", "donnerstag", "thursday" },
        { "fr", "fri", "freitag", "friday" },     { "sa", "sat", "samstag", "saturday" },
        { "so", "sun", "sonntag", "sunday" },
    };
    for (int d = 0; d < 7; d++) {
        for (int k = 0; k < 4; k++) {
            if (strlen(names[d][k]) == len && strncasecmp(s, names[d][k], len) == 0) {
                return d;
            }
        }
    }
    /* English two-letter forms that differ from the German ones */
    static const char *const en2[] = { NULL, "tu", "we", "th", NULL, NULL, "su" };
    for (int d = 0; d < 7; d++) {
        if (en2[d] && len == 2 && strncasecmp(s, en2[d], 2) == 0) {
            return d;
        }
    }
    return -1;
}

/* "7", "07:30", "24:00" into minutes; -1 when not a time. */
static int minutes_of(const char *s, size_t len)
{
    char buf[8];
    if (len == 0 || len >= sizeof buf) {
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    int h, m = 0, n = 0;
    if (sscanf(buf, "%2d:%2d%n", &h, &m, &n) != 2 || (size_t)n != len) {
        n = 0;
        if (sscanf(buf, "%2d%n", &h, &n) != 1 || (size_t)n != len) {
            return -1;
        }
        m = 0;
    }
    if (h < 0 || m < 0 || m > 59 || h * 60 + m > 24 * 60) {
        return -1;
    }
    return h * 60 + m;
}

static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++, (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1])) {
        (*len)--;
    }
}

/* One part: "Mo-Fr 07:30-18:00" or "Sa 09:00-13:00". */
static int parse_part(const char *s, size_t len, ScreenTimes *out, char *err, size_t errlen)
{
    trim(&s, &len);
    const char *sp = memchr(s, ' ', len);
    const char *dash = sp ? memchr(s, '-', (size_t)(sp - s)) : NULL;
    int d0 = -1, d1 = -1;
    if (sp) {
        d0 = day_of(s, (size_t)((dash ? dash : sp) - s));
        d1 = dash ? day_of(dash + 1, (size_t)(sp - dash - 1)) : d0;
    }
    const char *t = sp ? sp : s;
    size_t tl = len - (size_t)(t - s);
    trim(&t, &tl);
    const char *td = memchr(t, '-', tl);
    int from = td ? minutes_of(t, (size_t)(td - t)) : -1;
    int to = td ? minutes_of(td + 1, tl - (size_t)(td + 1 - t)) : -1;
    if (d0 < 0 || d1 < 0 || from < 0 || to < 0 || from == to) {
        snprintf(err, errlen, "'%.*s' is not like 'Mo-Fr 07:30-18:00' or 'Sa 09:00-13:00'",
                 (int)(len > 60 ? 60 : len), s);
        return -1;
    }
    for (int d = d0;; d = (d + 1) % 7) {
        if (out->n >= SCREENTIME_MAX_RANGES) {
            snprintf(err, errlen, "more than %d day ranges", SCREENTIME_MAX_RANGES);
            return -1;
        }
        out->range[out->n].day = d;
        out->range[out->n].from = from;
        out->range[out->n].to = to;
        out->n++;
        if (d == d1) {
            break;
        }
    }
    return 0;
}

int screentime_parse(const char *text, ScreenTimes *out, char *err, size_t errlen)
{
    out->n = 0;
    for (const char *p = text; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *q = p;
        size_t ql = len;
        trim(&q, &ql);
        if (ql && parse_part(q, ql, out, err, errlen) != 0) {
            return -1;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int screentime_parse_off(const char *text, ScreenTimes *st, char *err, size_t errlen)
{
    st->n_off = 0;
    for (const char *p = text; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *q = p;
        trim(&q, &len);
        if (len) {
            char day[16], back[16];
            if (len != 10 || st->n_off >= SCREENTIME_MAX_OFF_DAYS) {
                snprintf(err, errlen, "'%.*s' is not a day like 2026-12-24 (at most %d days)",
                         (int)(len > 40 ? 40 : len), q, SCREENTIME_MAX_OFF_DAYS);
                return -1;
            }
            memcpy(day, q, 10);
            day[10] = '\0';
            if (clock_date_add(day, 0, back, sizeof back) != 0 || strcmp(back, day) != 0) {
                snprintf(err, errlen, "'%s' is not a day like 2026-12-24", day);
                return -1;
            }
            memcpy(st->off[st->n_off++], day, 11);
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int screentime_format(const ScreenTimes *st, char *on, size_t onlen, char *off, size_t offlen)
{
    static const char *const days[7] = { "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So" };
    size_t used = 0;
    int n;
    if (on && onlen) {
        on[0] = '\0';
        for (int i = 0; i < st->n; i++) {
            n = snprintf(on + used, onlen - used, "%s%s %02d:%02d-%02d:%02d", i ? ", " : "",
                         days[st->range[i].day % 7], st->range[i].from / 60,
                         st->range[i].from % 60, st->range[i].to / 60, st->range[i].to % 60);
            if (n < 0 || (size_t)n >= onlen - used) {
                return -1;
            }
            used += (size_t)n;
        }
    }
    if (off && offlen) {
        off[0] = '\0';
        used = 0;
        for (int i = 0; i < st->n_off; i++) {
            n = snprintf(off + used, offlen - used, "%s%s", i ? ", " : "", st->off[i]);
            if (n < 0 || (size_t)n >= offlen - used) {
                return -1;
            }
            used += (size_t)n;
        }
    }
    return 0;
}

int screentime_add_off(ScreenTimes *st, const ScreenTimes *from)
{
    for (int i = 0; i < from->n_off; i++) {
        int have = 0;
        for (int k = 0; k < st->n_off && !have; k++) {
            have = strcmp(st->off[k], from->off[i]) == 0;
        }
        if (have) {
            continue;
        }
        if (st->n_off >= SCREENTIME_MAX_OFF_DAYS) {
            return -1;
        }
        memcpy(st->off[st->n_off++], from->off[i], 11);
    }
    return 0;
}

/* Local wall time minutes after the local midnight k days from wall's day, as ms. */
static int64_t local_at(int64_t wall, int k, int minutes, struct tm *day_tm)
{
    struct tm tm;
    clock_local(wall, &tm);
    tm.tm_mday += k;
    tm.tm_hour = minutes / 60;
    tm.tm_min = minutes % 60;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (day_tm) {
        struct tm d;
        clock_local(wall, &d);
        d.tm_mday += k;
        d.tm_hour = 12;
        d.tm_min = d.tm_sec = 0;
        d.tm_isdst = -1;
        time_t noon = mktime(&d);
        clock_local((int64_t)noon * 1000, day_tm);
    }
    return (int64_t)t * 1000;
}

static int is_off_day(const ScreenTimes *st, const struct tm *day)
{
    char d[32];
    snprintf(d, sizeof d, "%04d-%02d-%02d", day->tm_year + 1900, day->tm_mon + 1, day->tm_mday);
    for (int i = 0; i < st->n_off; i++) {
        if (strcmp(st->off[i], d) == 0) {
            return 1;
        }
    }
    return 0;
}

int screentime_on(const ScreenTimes *st, int64_t wall_ms, int64_t *next_ms)
{
    if (next_ms) {
        *next_ms = 0;
    }
    if (st->n == 0 && st->n_off == 0) {
        return 1;
    }
    int on = 0;
    int64_t next = 0;
    for (int k = -1; k <= 8; k++) {
        struct tm day;
        local_at(wall_ms, k, 0, &day);
        if (is_off_day(st, &day)) {
            continue;
        }
        int wd = (day.tm_wday + 6) % 7;
        int n = st->n ? st->n : 1;
        for (int i = 0; i < n; i++) {
            int from = st->n ? st->range[i].from : 0, to = st->n ? st->range[i].to : 24 * 60;
            if (st->n && st->range[i].day != wd) {
                continue;
            }
            int64_t a = local_at(wall_ms, k, from, NULL);
            int64_t b = to > from ? local_at(wall_ms, k, to, NULL) : local_at(wall_ms, k + 1, to, NULL);
            if (a <= wall_ms && wall_ms < b) {
                on = 1;
            }
            for (int e = 0; e < 2; e++) {
                int64_t edge = e ? b : a;
                if (edge > wall_ms && (next == 0 || edge < next)) {
                    next = edge;
                }
            }
        }
    }
    if (next_ms) {
        *next_ms = next;
    }
    return on;
}
