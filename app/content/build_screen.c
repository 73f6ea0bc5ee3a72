/* build_screen: each row is checked on its own and every problem reported with its line;
 * the weekday cell is handed to the display's own parser (base/screentime) piece by
 * piece, so that the build accepts exactly the days a display understands, and the
 * result is written back in that parser's form, one range a part. */
#define _POSIX_C_SOURCE 200809L
#include "content/build_screen.h"

#include "base/clock.h"
#include "base/screentime.h"
#include "base/utf8.h"
#include "content/build_limits.h"
#include "content/csv.h"
#include "content/encoding.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { SC_DAYS, SC_FROM, SC_TO, SC_CLOSED, SC_NOTE, SC_N };

static const CsvColumn screen_cols[SC_N] = {
    { "days", "Tag", "tage|wochentag|wochentage|datum|date|day|weekday|weekdays", 1, 0 },
    { "from", "von", "ab|start|beginn|ein|an|on", 0, 0 },
    { "to", "bis", "ende|end|aus|off|until", 0, 0 },
    { "closed", "geschlossen", "zu|ruhetag|feiertag|holiday", 0, 0 },
    { "note", "Bemerkung", "notiz|hinweis|anlass|grund|kommentar|comment", 0, 0 },
};

/* v trimmed into buf (cut at a character boundary to fit). */
static const char *trimmed(const char *v, char *buf, size_t len)
{
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    char tmp[200];
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
        n--;
    }
    snprintf(tmp, sizeof tmp, "%.*s", (int)(n < sizeof tmp - 1 ? n : sizeof tmp - 1), v);
    utf8_copy_cut(buf, len, tmp);
    return buf;
}

/* Reads 1 to max digits. Returns how many. */
static int digits(const char *s, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && s[n] >= '0' && s[n] <= '9') {
        *v = *v * 10 + (s[n] - '0');
        n++;
    }
    return n;
}

/* A time of day as staff type it: 07:30, 7:30, 7.30, 18 Uhr, 18h, 18, 24:00. Minutes
 * after midnight, or -1. */
static int parse_time(const char *v)
{
    int h, m = 0, n = digits(v, 2, &h), k;
    if (n == 0) {
        return -1;
    }
    if ((v[n] == ':' || v[n] == '.') && (k = digits(v + n + 1, 2, &m)) == 2) {
        n += 3;
    }
    const char *t = v + n;
    while (*t == ' ') {
        t++;
    }
    if (strncasecmp(t, "uhr", 3) == 0) {
        t += 3;
    } else if (*t == 'h' || *t == 'H') {
        t++;
    }
    if (*t || m > 59 || h * 60 + m > 24 * 60) {
        return -1;
    }
    return h * 60 + m;
}

/* A date 2026-12-24, 24.12.2026 or 24.12.26 at s into "YYYY-MM-DD"; the characters
 * read, or 0 when s does not start with a real date. */
static int scan_date(const char *s, char out[11])
{
    int y, mo, d, n1, n2, n3, n;
    if (digits(s, 4, &y) == 4 && s[4] == '-' && (n2 = digits(s + 5, 2, &mo)) > 0 &&
        s[5 + n2] == '-' && (n3 = digits(s + 6 + n2, 2, &d)) > 0) {
        n = 6 + n2 + n3;
    } else if ((n1 = digits(s, 2, &d)) > 0 && s[n1] == '.' &&
               (n2 = digits(s + n1 + 1, 2, &mo)) > 0 && s[n1 + 1 + n2] == '.' &&
               ((n3 = digits(s + n1 + 2 + n2, 4, &y)) == 2 || n3 == 4)) {
        y = n3 == 2 ? 2000 + y : y;
        n = n1 + 2 + n2 + n3;
    } else {
        return 0;
    }
    char day[32], back[16];
    snprintf(day, sizeof day, "%04d-%02d-%02d", y, mo, d);
    if (strlen(day) != 10 || clock_date_add(day, 0, back, sizeof back) != 0 ||
        strcmp(back, day) != 0) {
        return 0; /* 31.02., month 13 */
    }
    memcpy(out, day, 11);
    return n;
}

/* A date or a range of dates ("24.12.2026-26.12.2026", "… bis …") added to st as days
 * off. Returns 0, 1 when v is not dates at all, -1 when st is full. */
static int add_dates(const char *v, ScreenTimes *st)
{
    char a[11], b[11];
    int n = scan_date(v, a);
    if (!n) {
        return 1;
    }
    const char *t = v + n;
    while (*t == ' ') {
        t++;
    }
    memcpy(b, a, 11);
    if (*t) {
        if (*t == '-') {
            t++;
        } else if (strncmp(t, "\xe2\x80\x93", 3) == 0) { /* an en dash, as spreadsheets write */
            t += 3;
        } else if (strncasecmp(t, "bis", 3) == 0) {
            t += 3;
        } else {
            return 1;
        }
        while (*t == ' ') {
            t++;
        }
        n = scan_date(t, b);
        if (!n || t[n] || strcmp(b, a) < 0) {
            return 1;
        }
    }
    ScreenTimes days;
    days.n = days.n_off = 0;
    char d[16];
    memcpy(d, a, 11);
    for (int i = 0; strcmp(d, b) <= 0; i++) {
        if (days.n_off >= SCREENTIME_MAX_OFF_DAYS) {
            return -1;
        }
        memcpy(days.off[days.n_off++], d, 11);
        if (clock_date_add(a, i + 1, d, sizeof d) != 0) {
            return 1;
        }
    }
    return screentime_add_off(st, &days);
}

/* The weekday cell with its times added to st as weekly ranges ("Mo-Fr", "Mo, Mi",
 * "Mo.–Fr.", "täglich"); from < 0 only checks the days. Returns 0, 1 when v is not
 * weekdays, -1 when st is full. */
static int add_weekdays(const char *v, int from, int to, ScreenTimes *st)
{
    char buf[200];
    size_t o = 0;
    for (const char *s = v; *s && o < sizeof buf - 1;) {
        if (strncmp(s, "\xe2\x80\x93", 3) == 0 || strncmp(s, "\xe2\x80\x94", 3) == 0) {
            buf[o++] = '-';
            s += 3;
        } else if (strncasecmp(s, " bis ", 5) == 0 || strncasecmp(s, " to ", 4) == 0) {
            buf[o++] = '-'; /* "Montag bis Freitag" */
            s += s[1] == 'b' || s[1] == 'B' ? 5 : 4;
        } else if (*s == '.') {
            s++;
        } else {
            buf[o++] = *s++;
        }
    }
    buf[o] = '\0';
    static const char *const daily[] = { "täglich", "taeglich", "daily", "jeden Tag",
                                         "alle Tage" };
    for (size_t i = 0; i < sizeof daily / sizeof *daily; i++) {
        if (strcasecmp(buf, daily[i]) == 0) {
            snprintf(buf, sizeof buf, "Mo-So");
        }
    }
    char *save = NULL;
    int pieces = 0;
    for (char *piece = strtok_r(buf, ",/+", &save); piece; piece = strtok_r(NULL, ",/+", &save)) {
        char day[64], part[96];
        size_t n = 0;
        for (char *c = piece; *c && n < sizeof day - 1; c++) {
            if (*c != ' ' && *c != '\t') { /* "Mo - Fr" is "Mo-Fr" */
                day[n++] = *c;
            }
        }
        day[n] = '\0';
        if (!n) {
            return 1;
        }
        pieces++;
        int f = from < 0 ? 0 : from, t = from < 0 ? 60 : to;
        snprintf(part, sizeof part, "%s %02d:%02d-%02d:%02d", day, f / 60, f % 60, t / 60, t % 60);
        ScreenTimes one;
        char why[160];
        if (screentime_parse(part, &one, why, sizeof why) != 0) {
            return 1;
        }
        if (from < 0) {
            continue;
        }
        for (int i = 0; i < one.n; i++) {
            if (st->n >= SCREENTIME_MAX_RANGES) {
                return -1;
            }
            st->range[st->n++] = one.range[i];
        }
    }
    return pieces ? 0 : 1; /* "," alone names no day */
}

/* One row into st. Every problem is reported; returns 0, or -1 (-2: st is full). */
static int read_row(const char *path, int line, const char *v[SC_N], const char *heading[SC_N],
                    ScreenTimes *st, BuildReport *r)
{
    char days[200], from_s[80], to_s[80], closed_s[80];
    int rc = 0;
    for (int k = 0; k < SC_N; k++) {
        size_t chars = utf8_count(v[k]);
        if (chars > BUILD_MAX_FIELD_CHARS) {
            return build_report_error(r, path, line, BT_CELL_TOO_LONG, heading[k], chars,
                                      BUILD_MAX_FIELD_CHARS);
        }
    }
    trimmed(v[SC_DAYS], days, sizeof days);
    trimmed(v[SC_FROM], from_s, sizeof from_s);
    trimmed(v[SC_TO], to_s, sizeof to_s);
    int closed = 0;
    if (csv_yes_no(v[SC_CLOSED], &closed) != 0) {
        rc = build_report_error(r, path, line, BT_BAD_YES_NO, heading[SC_CLOSED],
                                trimmed(v[SC_CLOSED], closed_s, sizeof closed_s));
    }
    closed = closed > 0;
    int has_times = from_s[0] || to_s[0];
    if (!days[0]) {
        return build_report_error(r, path, line, BT_CELL_EMPTY, heading[SC_DAYS]);
    }
    char one[11];
    if (scan_date(days, one)) { /* a date or dates: closed all day */
        if (has_times) {
            return build_report_error(r, path, line, BT_SCREEN_DATE_TIMES, days,
                                      heading[SC_FROM], heading[SC_TO]);
        }
        int d = rc ? 0 : add_dates(days, st);
        if (d > 0) {
            return build_report_error(r, path, line, BT_SCREEN_BAD_DAYS, heading[SC_DAYS], days);
        }
        return d < 0 ? -2 : rc;
    }
    if (closed && has_times) {
        return build_report_error(r, path, line, BT_SCREEN_CLOSED_AND_TIMES,
                                  heading[SC_CLOSED], heading[SC_FROM], heading[SC_TO],
                                  heading[SC_CLOSED]);
    }
    if (add_weekdays(days, -1, 0, st) != 0) {
        return build_report_error(r, path, line, BT_SCREEN_BAD_DAYS, heading[SC_DAYS], days);
    }
    if (closed) {
        return rc; /* a weekday written as closed: no times, nothing to add */
    }
    if (!has_times) {
        return build_report_error(r, path, line, BT_SCREEN_NO_TIMES, days, heading[SC_FROM],
                                  heading[SC_TO], heading[SC_CLOSED]);
    }
    int from = -1, to = -1;
    for (int k = SC_FROM; k <= SC_TO; k++) {
        const char *s = k == SC_FROM ? from_s : to_s;
        int *m = k == SC_FROM ? &from : &to;
        if (!s[0]) {
            rc = build_report_error(r, path, line, BT_CELL_EMPTY, heading[k]);
        } else if ((*m = parse_time(s)) < 0) {
            rc = build_report_error(r, path, line, BT_SCREEN_BAD_TIME, heading[k], s);
        }
    }
    if (rc) {
        return rc;
    }
    if (from == to) {
        return build_report_error(r, path, line, BT_SCREEN_SAME_TIME, heading[SC_FROM],
                                  heading[SC_TO], from_s);
    }
    return add_weekdays(days, from, to, st) < 0 ? -2 : 0;
}

int build_parse_screen_csv_report(const char *path, const char *text, size_t len, char *on,
                                  size_t onlen, char *off, size_t offlen, BuildReport *r)
{
    Csv csv;
    char **f = NULL, **hdr = NULL, *owned = NULL;
    int nf = 0, nh = 0, line = 1, col[SC_N], rc = -1, errors = r->n_errors, full = 0;
    const char *heading[SC_N];
    ScreenTimes st;
    memset(&st, 0, sizeof st);
    memset(&csv, 0, sizeof csv);
    on[0] = off[0] = '\0';
    if (encoding_prepare(path, &text, &len, &owned, r)) {
        return -1;
    }
    if (csv_open_table(&csv, text, len, &hdr, &nh, screen_cols, SC_N, col, heading, r, path,
                       &line)) {
        goto done;
    }
    int k;
    while ((k = csv_next(&csv, &f, &nf, &line)) == 1) {
        const char *v[SC_N];
        int empty = 1, beyond;
        char buf[80];
        for (int c = 0; c < SC_N; c++) {
            v[c] = col[c] >= 0 && col[c] < nf ? f[col[c]] : "";
        }
        for (int i = 0; i < nf; i++) {
            empty &= csv_blank(f[i]);
        }
        const char *stray = csv_stray_cell(&csv, f, nf, &beyond);
        if (empty) {
            /* nothing */
        } else if (stray) {
            build_report_error(r, path, line, beyond ? BT_TOO_MANY_FIELDS : BT_UNNAMED_COLUMN,
                               trimmed(stray, buf, sizeof buf));
        } else if (read_row(path, line, v, heading, &st, r) == -2 && !full) {
            full = 1;
            build_report_error(r, path, line, BT_SCREEN_TOO_MANY, SCREENTIME_MAX_RANGES,
                               SCREENTIME_MAX_OFF_DAYS);
        }
        csv_free(f, nf);
        f = NULL;
        nf = 0;
    }
    if (k < 0) {
        build_report_error(r, path, line, BT_UNTERMINATED_QUOTE);
    }
    if (r->n_errors == errors && screentime_format(&st, on, onlen, off, offlen) != 0) {
        build_report_error(r, path, 0, BT_SCREEN_TOO_MANY, SCREENTIME_MAX_RANGES,
                           SCREENTIME_MAX_OFF_DAYS);
    }
    rc = r->n_errors > errors ? -1 : 0;
done:
    if (rc != 0) {
        on[0] = off[0] = '\0';
    }
    csv_free(f, nf);
    csv_free(hdr, nh);
    csv_close(&csv);
    free(owned);
    return rc;
}
