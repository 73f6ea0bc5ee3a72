/* clock: time zones come from the tz database through the C library (TZ plus
 * localtime_r/mktime), which knows every past and future DST rule; nothing here
 * does calendar arithmetic by hand. */
#define _POSIX_C_SOURCE 200809L
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int64_t sys_wall(const Clock *c)
{
    (void)c;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t sys_mono(const Clock *c)
{
    (void)c;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t fake_wall(const Clock *c)
{
    return c->base_wall;
}

static int64_t fake_mono(const Clock *c)
{
    return c->base_mono;
}

static int64_t offset_wall(const Clock *c)
{
    return c->base_wall + (sys_mono(c) - c->base_mono);
}

Clock clock_system(void)
{
    Clock c = { sys_wall, sys_mono, 0, 0 };
    return c;
}

Clock clock_fake(int64_t wall_ms)
{
    Clock c = { fake_wall, fake_mono, wall_ms, 1000000 };
    return c;
}

void clock_advance(Clock *c, int64_t ms)
{
    c->base_wall += ms;
    c->base_mono += ms;
}

Clock clock_starting_at(int64_t wall_ms)
{
    Clock c = { offset_wall, sys_mono, wall_ms, 0 };
    c.base_mono = sys_mono(&c);
    return c;
}

int clock_set_zone(const char *zone)
{
    if (!zone || !*zone || strstr(zone, "..")) {
        return -1;
    }
    /* glibc silently falls back to UTC for unknown zones: check the database */
    const char *dirs[] = { getenv("TZDIR"), "/usr/share/zoneinfo" };
    int found = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !found; i++) {
        char path[512];
        struct stat st;
        if (!dirs[i]) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dirs[i], zone);
        found = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    }
    if (!found && strcmp(zone, "UTC") != 0) {
        return -1;
    }
    setenv("TZ", zone, 1);
    tzset();
    return 0;
}

void clock_local(int64_t wall_ms, struct tm *out)
{
    time_t t = (time_t)(wall_ms >= 0 ? wall_ms / 1000 : (wall_ms - 999) / 1000);
    localtime_r(&t, out);
}

static int parse_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char ch = (*p)[i];
        if (ch < '0' || ch > '9') {
            return -1;
        }
        v = v * 10 + (ch - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* Howard Hinnant's algorithm: calendar arithmetic, no loop and no time zone. */
int64_t clock_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int clock_parse_iso(const char *s, int64_t *out_ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    const char *p = s;
    if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) || *p++ != '-' ||
        parse_digits(&p, 2, &d)) {
        return -1;
    }
    if (*p == 'T' || *p == ' ') {
        p++;
        if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi)) {
            return -1;
        }
        if (*p == ':') {
            p++;
            if (parse_digits(&p, 2, &sec)) {
                return -1;
            }
        }
    }
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60) {
        return -1;
    }
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) {
        return -1;
    }
    int64_t utc = (clock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec);
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (parse_digits(&p, 2, &oh)) {
            return -1;
        }
        if (*p == ':') {
            p++;
        }
        if (parse_digits(&p, 2, &om) || oh > 14 || om > 59) {
            return -1;
        }
        utc -= sign * (oh * 3600 + om * 60);
    } else if (*p == '\0') {
        struct tm tm = { 0 };
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = sec;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == (time_t)-1) {
            return -1;
        }
        utc = (int64_t)t;
    }
    if (*p != '\0') {
        return -1;
    }
    *out_ms = utc * 1000;
    return 0;
}

void clock_format_utc(int64_t wall_ms, char *buf, size_t len)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t clock_ms_to_next_minute(int64_t wall_ms)
{
    int64_t r = wall_ms % 60000;
    if (r < 0) {
        r += 60000;
    }
    return 60000 - r;
}

/* Inverse of clock_days_from_civil (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int clock_date_add(const char *date, int days, char *out, size_t len)
{
    int y, m, d;
    const char *p = date;
    if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &m) || *p++ != '-' ||
        parse_digits(&p, 2, &d) || *p != '\0') {
        return -1;
    }
    civil_from_days(clock_days_from_civil(y, m, d) + days, &y, &m, &d);
    snprintf(out, len, "%04d-%02d-%02d", y, m, d);
    return 0;
}
