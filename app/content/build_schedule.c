/* build_schedule: the programme's sources — schedule.csv as staff type it in a
 * spreadsheet, and iCalendar files as calendar programs export them (parsed by
 * libical: VTIMEZONE, UTC and floating times, all-day events, folded lines, escaped
 * text). Recurrences are expanded here, over a bounded window, so the display only
 * ever sees plain events. */
#define _POSIX_C_SOURCE 200809L
#include "content/build_schedule.h"

#include "base/clock.h"
#include "content/csv.h"
#include "content/encoding.h"
#include "base/utf8.h"

#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_OCCURRENCES 1000
#define MAX_RECURRENCE_STEPS 20000
#define WINDOW_BEFORE_DAYS 366
#define WINDOW_AFTER_DAYS 732

/* A programme's description may be longer than a title or a place. */
#define BUILD_MAX_DESCRIPTION_CHARS 600

static char *dup_trim(const char *v);

/* The caps and rules for an event's texts, the same for schedule.csv and iCalendar
 * (names are the source's own: 'title' or SUMMARY). title may not be NULL. */
static int check_event_texts(const char *path, int line, const char *const names[3],
                             const char *title, const char *place, const char *desc,
                             BuildReport *r)
{
    const char *v[3] = { title, place, desc };
    const int cap[3] = { BUILD_MAX_FIELD_CHARS, BUILD_MAX_FIELD_CHARS,
                         BUILD_MAX_DESCRIPTION_CHARS };
    int rc = 0;
    for (int k = 0; k < 3; k++) {
        if (!v[k]) {
            continue;
        }
        char *t = dup_trim(v[k]); /* counted as it is stored */
        size_t chars = t ? utf8_count(t) : 0, run = t ? utf8_mark_run(t, strlen(t), NULL) : 0;
        free(t);
        char shown[64]; /* the title, to find the event; never half a character */
        utf8_copy_cut(shown, sizeof shown, title);
        if (chars > (size_t)cap[k]) {
            rc = build_report_error(r, path, line, BT_EVENT_TOO_LONG, shown, names[k], chars,
                                    cap[k]);
        } else if (run > UTF8_MAX_MARK_RUN) {
            rc = build_report_error(r, path, line, BT_EVENT_MARKS, shown, names[k], run,
                                    UTF8_MAX_MARK_RUN);
        }
    }
    return rc;
}

static char *dup_trim(const char *v)
{
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n')) {
        n--;
    }
    if (n == 0) {
        return NULL;
    }
    char *d = malloc(n + 1);
    if (!d) {
        abort();
    }
    memcpy(d, v, n);
    d[n] = '\0';
    return d;
}

static Event *push_event(EventList *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = realloc(l->v, sizeof *l->v * (size_t)l->cap);
        if (!l->v) {
            abort();
        }
    }
    Event *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Frees the texts of one event (not the event itself). */
static void event_clear(Event *e)
{
    free(e->title);
    free(e->place);
    free(e->description);
    memset(e, 0, sizeof *e);
}

void event_list_free(EventList *l)
{
    events_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}

/* Reads 1 to max digits at s into *v. Returns how many it read. */
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

/* A date as staff type it: 2021-06-01, 01.06.2021, 1.6.2021, 01.06.21, 1.6.21 (two-digit
 * years are 20xx). Returns the characters read, or 0. */
static int scan_date(const char *s, int *y, int *mo, int *d)
{
    int a, b, c, n1, n2, n3;
    if ((n1 = digits(s, 4, &a)) == 4 && s[4] == '-' && (n2 = digits(s + 5, 2, &b)) > 0 &&
        s[5 + n2] == '-' && (n3 = digits(s + 6 + n2, 2, &c)) > 0) {
        *y = a, *mo = b, *d = c;
        return 6 + n2 + n3;
    }
    if ((n1 = digits(s, 2, &a)) > 0 && s[n1] == '.' && (n2 = digits(s + n1 + 1, 2, &b)) > 0 &&
        s[n1 + 1 + n2] == '.' && (n3 = digits(s + n1 + 2 + n2, 4, &c)) > 0 &&
        (n3 == 2 || n3 == 4)) {
        *d = a, *mo = b, *y = n3 == 2 ? 2000 + c : c;
        return n1 + 2 + n2 + n3;
    }
    return 0;
}

/* A time of day: 15:30, 15:30:00, 15.30, each with or without "Uhr", or "15 Uhr".
 * Returns the characters read (up to the end of s, which must follow), or 0. */
static int scan_time(const char *s, int *h, int *mi, int *sec)
{
    int n1 = digits(s, 2, h), n = n1, n2, uhr = 0;
    *mi = *sec = 0;
    if (n1 == 0) {
        return 0;
    }
    if ((s[n] == ':' || s[n] == '.') && (n2 = digits(s + n + 1, 2, mi)) == 2) {
        char sep = s[n];
        n += 1 + n2;
        if (sep == ':' && s[n] == ':' && digits(s + n + 1, 2, sec) == 2) {
            n += 3;
        }
    } else {
        uhr = 1; /* a bare hour only with "Uhr": "15" alone could be anything */
    }
    const char *t = s + n;
    while (*t == ' ') {
        t++;
    }
    if (strncasecmp(t, "uhr", 3) == 0) {
        t += 3;
        uhr = 0;
    }
    if (uhr || *t != '\0') {
        return 0;
    }
    return (int)(t - s);
}

/* One cell of the start or end column into "2021-06-01" or "2021-06-01T15:30:00".
 * A cell holding only a time takes the date of `day` ("YYYY-MM-DD..."; NULL: not
 * allowed). *has_time says whether a time was given. Returns 0, or -1 if the cell is
 * not a date and time staff would write, or names an impossible one (31.02., 25:00). */
static int parse_when(const char *in, const char *day, char *out, size_t len, int *has_time)
{
    int y = 0, mo = 0, d = 0, h = -1, mi = 0, sec = 0;
    char buf[64];
    const char *v = in + strspn(in, " \t");
    snprintf(buf, sizeof buf, "%s", v);
    for (size_t k = strlen(buf); k > 0 && (buf[k - 1] == ' ' || buf[k - 1] == '\t'); k--) {
        buf[k - 1] = '\0';
    }
    int n = scan_date(buf, &y, &mo, &d);
    if (n > 0) {
        const char *rest = buf + n;
        if (*rest == 'T' || *rest == ' ' || *rest == ',') {
            rest += *rest == 'T' ? 1 : strspn(rest, " ,");
            if (strncasecmp(rest, "um ", 3) == 0) {
                rest += 3;
            }
            if (*rest && scan_time(rest, &h, &mi, &sec) == 0) {
                return -1;
            }
            if (!*rest) {
                h = -1;
            }
        } else if (*rest != '\0') {
            return -1;
        }
    } else if (day && scan_time(buf, &h, &mi, &sec) > 0) {
        if (sscanf(day, "%4d-%2d-%2d", &y, &mo, &d) != 3) {
            return -1;
        }
    } else {
        return -1;
    }
    if (h >= 0) {
        snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
    } else {
        snprintf(out, len, "%04d-%02d-%02d", y, mo, d);
    }
    int64_t t;
    if (clock_parse_iso(out, &t) != 0) {
        return -1; /* 31.02., 25:00 and the like */
    }
    *has_time = h >= 0;
    return 0;
}

enum { SC_START, SC_END, SC_ALLDAY, SC_TITLE, SC_PLACE, SC_DESC, SC_N };

static const CsvColumn sc_cols[SC_N] = {
    { "start", "Beginn", "anfang|von|startzeit", 1, 0 },
    { "end", "Ende", "bis|endzeit", 0, 0 },
    { "all_day", "ganztägig", "ganztags", 0, 0 },
    { "title", "Titel", "veranstaltung|thema", 1, 1 },
    { "place", "Ort", "veranstaltungsort|raum|location", 0, 1 },
    { "description", "Beschreibung", "details|info", 0, 1 },
};

/* Compares two event times (any of the three forms) on the build machine's clock. */
static int64_t when_ms(const char *iso)
{
    int64_t t = 0;
    clock_parse_iso(iso, &t);
    return t;
}

/* A cell for a message: trimmed, at most a few dozen characters. */
static const char *shown(const char *v, char *buf, size_t len)
{
    char *t = dup_trim(v);
    utf8_copy_cut(buf, len, t ? t : "");
    free(t);
    return buf;
}

/* Reads one row into *e (its texts owned by e, also on failure). Every problem of the
 * row is reported. Returns 0, or -1. */
static int read_event_row(const char *path, int line, const char *v[SC_N],
                          const char *heading[SC_N], Event *e, BuildReport *r)
{
    char buf[80], quoted[3][80];
    int rc = 0;
    e->title = dup_trim(v[SC_TITLE]);
    e->place = dup_trim(v[SC_PLACE]);
    e->description = dup_trim(v[SC_DESC]);
    if (!e->title) {
        rc = build_report_error(r, path, line, BT_CELL_EMPTY, heading[SC_TITLE]);
    } else {
        const int which[3] = { SC_TITLE, SC_PLACE, SC_DESC };
        const char *names[3];
        for (int k = 0; k < 3; k++) {
            snprintf(quoted[k], sizeof quoted[k], "'%s'", heading[which[k]]);
            names[k] = quoted[k];
        }
        rc |= check_event_texts(path, line, names, e->title, e->place, e->description, r);
    }
    int st_time = 0, en_time = 0, flag = 0, start_ok = 1;
    if (parse_when(v[SC_START], NULL, e->start, sizeof e->start, &st_time)) {
        rc = build_report_error(r, path, line, BT_BAD_START, heading[SC_START],
                                shown(v[SC_START], buf, sizeof buf));
        start_ok = 0;
    }
    char *endv = dup_trim(v[SC_END]);
    if (endv && parse_when(endv, start_ok ? e->start : "2000-01-01", e->end, sizeof e->end,
                           &en_time)) {
        rc = build_report_error(r, path, line, BT_BAD_END, heading[SC_END],
                                shown(endv, buf, sizeof buf));
        e->end[0] = '\0';
    }
    free(endv);
    if (csv_yes_no(v[SC_ALLDAY], &flag)) {
        rc = build_report_error(r, path, line, BT_BAD_YES_NO, heading[SC_ALLDAY],
                                shown(v[SC_ALLDAY], buf, sizeof buf));
    }
    if (rc || !start_ok) {
        return -1;
    }
    /* all-day "ja" next to a time: which one staff meant is a guess, so ask */
    if (flag > 0 && (st_time || en_time)) {
        int s = st_time ? SC_START : SC_END;
        return build_report_error(r, path, line, BT_ALLDAY_AND_TIME, heading[SC_ALLDAY],
                                  heading[s], shown(v[s], buf, sizeof buf));
    }
    /* all-day: said so, or a start without a time */
    e->all_day = flag > 0 || (flag == 0 && !st_time);
    if (e->all_day) {
        e->start[10] = '\0'; /* the date only */
        char last[32];
        snprintf(last, sizeof last, "%.10s", e->end[0] ? e->end : e->start);
        if (en_time) { /* from "1.6.21" to "16:30": which day, which time? */
            return build_report_error(r, path, line, BT_END_TIME_ONLY, heading[SC_END],
                                      heading[SC_START]);
        }
        if (strcmp(last, e->start) < 0) {
            return build_report_error(r, path, line, BT_END_BEFORE, last, e->start);
        }
        /* the sheet names the last day; the end is stored exclusive */
        clock_date_add(last, 1, e->end, sizeof e->end);
        return 0;
    }
    if (!st_time) {
        return build_report_error(r, path, line, BT_NO_START_TIME, heading[SC_ALLDAY]);
    }
    if (e->end[0] && !en_time) {
        /* an end given as a date only ends at that day's end */
        char d[32];
        clock_date_add(e->end, 1, d, sizeof d);
        snprintf(e->end, sizeof e->end, "%.10sT00:00:00", d);
    }
    if (e->end[0] && when_ms(e->end) < when_ms(e->start)) {
        return build_report_error(r, path, line, BT_END_BEFORE, e->end, e->start);
    }
    return 0;
}

typedef struct {
    Model *tr;
    int index;
} EventLang;

static void add_event_text(void *ctx, int col, const char *lang, const char *text)
{
    EventLang *el = ctx;
    char item[32];
    snprintf(item, sizeof item, "event:%d", el->index);
    model_add_variant(el->tr, lang, item, sc_cols[col].english, text);
}

int build_parse_schedule_csv_report(const char *path, const char *text, size_t len,
                                    EventList *out, BuildReport *r)
{
    Csv csv;
    char **f = NULL, **hdr = NULL, *owned = NULL, buf[80];
    int nf = 0, nh = 0, line = 1, col[SC_N], rc = -1, errors = r->n_errors, n0 = out->n;
    const char *heading[SC_N];
    memset(&csv, 0, sizeof csv);
    if (encoding_prepare(path, &text, &len, &owned, r)) {
        return -1;
    }
    if (csv_open_table(&csv, text, len, &hdr, &nh, sc_cols, SC_N, col, heading, r, path,
                       &line)) {
        goto done;
    }
    int k;
    while ((k = csv_next(&csv, &f, &nf, &line)) == 1) {
        const char *v[SC_N];
        int empty = 1, beyond;
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
                               shown(stray, buf, sizeof buf));
        } else if (out->n >= BUILD_MAX_EVENTS) {
            build_report_error(r, path, line, BT_TOO_MANY_ROWS, BUILD_MAX_EVENTS);
            break;
        } else if (read_event_row(path, line, v, heading, push_event(out), r)) {
            out->n--; /* a bad row is reported and left out */
            event_clear(&out->v[out->n]);
        } else if (out->tr) {
            EventLang el = { out->tr, out->n - 1 };
            csv_lang_cells(&csv, f, nf, hdr, BUILD_MAX_DESCRIPTION_CHARS, add_event_text, &el,
                           r, path, line);
        }
        csv_free(f, nf);
        f = NULL;
        nf = 0;
    }
    if (k < 0) {
        build_report_error(r, path, line, BT_UNTERMINATED_QUOTE);
    }
    rc = r->n_errors > errors ? -1 : 0;
done:
    if (rc != 0) {
        while (out->n > n0) { /* nothing of a failed file stays */
            event_clear(&out->v[--out->n]);
        }
    }
    csv_free(f, nf);
    csv_free(hdr, nh);
    csv_close(&csv);
    free(owned);
    return rc;
}

int build_parse_schedule_csv(const char *path, const char *text, size_t len, EventList *out,
                             char *err, size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    int rc = build_parse_schedule_csv_report(path, text, len, out, &r);
    build_report_errors(&r, err, errlen);
    build_report_free(&r);
    return rc;
}

/* Text of an icaltimetype in one of the three stored forms. */
static void ical_iso(struct icaltimetype t, char *out, size_t len)
{
    if (t.is_date) {
        snprintf(out, len, "%04d-%02d-%02d", t.year, t.month, t.day);
    } else if (t.zone == NULL) { /* floating: the display's local time */
        snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                 t.minute, t.second);
    } else {
        time_t u = icaltime_as_timet_with_zone(t, t.zone);
        struct tm tm;
        gmtime_r(&u, &tm);
        strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
}

/* Line of the index-th "BEGIN:VEVENT" in the raw text, for messages. */
static int event_line(const char *text, size_t len, int index)
{
    int line = 1, seen = -1;
    for (size_t i = 0; i < len; i++) {
        if ((i == 0 || text[i - 1] == '\n') && len - i >= 12 &&
            strncasecmp(text + i, "BEGIN:VEVENT", 12) == 0 && ++seen == index) {
            return line;
        }
        line += text[i] == '\n';
    }
    return 0;
}

static int64_t as_seconds(struct icaltimetype t)
{
    if (t.is_date || t.zone == NULL) {
        /* dates and floating times: compare on a fixed zone (only differences matter) */
        struct icaltimetype u = t;
        u.zone = icaltimezone_get_utc_timezone();
        return (int64_t)icaltime_as_timet_with_zone(u, u.zone);
    }
    return (int64_t)icaltime_as_timet_with_zone(t, t.zone);
}

static void add_occurrence(EventList *out, icalcomponent *ev, struct icaltimetype start,
                           int64_t duration)
{
    Event *e = push_event(out);
    const char *s = icalcomponent_get_summary(ev);
    const char *loc = icalcomponent_get_location(ev);
    const char *desc = icalcomponent_get_description(ev);
    e->title = dup_trim(s ? s : "");
    e->place = loc ? dup_trim(loc) : NULL;
    e->description = desc ? dup_trim(desc) : NULL;
    e->all_day = start.is_date;
    ical_iso(start, e->start, sizeof e->start);
    if (duration >= 0) {
        struct icaltimetype end = start;
        if (start.is_date) { /* whole days: adjusting a date by seconds does nothing */
            icaltime_adjust(&end, (int)(duration / 86400), 0, 0, 0);
        } else {
            icaltime_adjust(&end, 0, 0, 0, (int)duration);
        }
        ical_iso(end, e->end, sizeof e->end);
    } else if (start.is_date) {
        clock_date_add(e->start, 1, e->end, sizeof e->end);
    }
}

int build_parse_ics_report(const char *path, const char *text, size_t len, int64_t now_ms,
                           EventList *out, BuildReport *r)
{
    int errors = r->n_errors, n0 = out->n;
    size_t bad;
    /* iCalendar is UTF-8 by definition (RFC 5545): nothing to guess */
    if (!utf8_valid(text, len, &bad)) {
        char around[160];
        int line = encoding_context(text, len, bad, around, sizeof around);
        return build_report_error(r, path, line, BT_ICS_NOT_UTF8, around);
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        abort();
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    icalcomponent *cal = icalparser_parse_string(copy);
    free(copy);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        if (cal) {
            icalcomponent_free(cal);
        }
        return build_report_error(r, path, 0, BT_ICS_NOT_CALENDAR);
    }
    int index = -1;
    /* the expansion window, around the build */
    int64_t now = now_ms / 1000;
    int64_t w0 = now - (int64_t)WINDOW_BEFORE_DAYS * 86400, w1 = now + (int64_t)WINDOW_AFTER_DAYS * 86400;

    /* libical marks what it could not parse with X-LIC-ERROR properties */
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        index++;
        icalproperty *e = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
        if (e) {
            build_report_error(r, path, event_line(text, len, index), BT_ICS_BROKEN,
                               icalproperty_get_xlicerror(e));
        }
    }
    if (r->n_errors > errors) {
        goto done;
    }
    index = -1;
    /* a bad event is reported and the next one read: one run names them all */
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        index++;
        int line = event_line(text, len, index);
        const char *summary = icalcomponent_get_summary(c);
        if (!summary || !*summary) {
            build_report_error(r, path, line, BT_ICS_NO_SUMMARY);
            continue;
        }
        if (icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED) {
            continue;
        }
        /* the CSV's caps, checked once per event before any recurrence is expanded */
        static const char *const names[3] = { "SUMMARY", "LOCATION", "DESCRIPTION" };
        if (check_event_texts(path, line, names, summary, icalcomponent_get_location(c),
                              icalcomponent_get_description(c), r)) {
            continue;
        }
        char title[64];
        utf8_copy_cut(title, sizeof title, summary);
        struct icaltimetype start = icalcomponent_get_dtstart(c);
        if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start)) {
            build_report_error(r, path, line, BT_ICS_NO_START, title);
            continue;
        }
        struct icaltimetype end = icalcomponent_get_dtend(c);
        int64_t duration = -1;
        if (!icaltime_is_null_time(end)) {
            duration = as_seconds(end) - as_seconds(start);
            if (duration < 0) {
                build_report_error(r, path, line, BT_ICS_END_BEFORE, title);
                continue;
            }
        }
        icalproperty *rp = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
        if (!rp) {
            if (out->n >= BUILD_MAX_EVENTS) {
                build_report_error(r, path, line, BT_TOO_MANY_ROWS, BUILD_MAX_EVENTS);
                goto done;
            }
            add_occurrence(out, c, start, duration);
            continue;
        }
        /* recurrence: expand over the window, minus EXDATEs */
        struct icalrecurrencetype rule = icalproperty_get_rrule(rp);
        icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
        if (!it) {
            build_report_error(r, path, line, BT_ICS_RRULE, title);
            continue;
        }
        int count = 0, steps = 0;
        for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(it)) {
            int64_t ts = as_seconds(t);
            /* bounded work even for FREQ=SECONDLY since 1970: count every step */
            if (ts > w1 || count >= MAX_OCCURRENCES || ++steps > MAX_RECURRENCE_STEPS) {
                break;
            }
            if (ts + (duration > 0 ? duration : 0) < w0) {
                continue;
            }
            int skip = 0;
            for (icalproperty *x = icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY);
                 x && !skip; x = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
                struct icaltimetype ex = icalproperty_get_datetime_with_component(x, c);
                skip = ex.is_date ? (ex.year == t.year && ex.month == t.month && ex.day == t.day)
                                  : as_seconds(ex) == ts;
            }
            if (skip) {
                continue;
            }
            if (out->n >= BUILD_MAX_EVENTS) {
                icalrecur_iterator_free(it);
                build_report_error(r, path, line, BT_TOO_MANY_ROWS, BUILD_MAX_EVENTS);
                goto done;
            }
            add_occurrence(out, c, t, duration);
            count++;
        }
        icalrecur_iterator_free(it);
    }
done:
    icalcomponent_free(cal);
    if (r->n_errors > errors) {
        while (out->n > n0) { /* nothing of a failed file stays */
            event_clear(&out->v[--out->n]);
        }
        return -1;
    }
    return 0;
}

int build_parse_ics(const char *path, const char *text, size_t len, int64_t now_ms,
                    EventList *out, char *err, size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    int rc = build_parse_ics_report(path, text, len, now_ms, out, &r);
    build_report_errors(&r, err, errlen);
    build_report_free(&r);
    return rc;
}
