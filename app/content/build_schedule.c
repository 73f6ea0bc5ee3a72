/* build_schedule: the programme's sources — schedule.csv as staff type it in a
 * spreadsheet, and iCalendar files as calendar programs export them (parsed by
 * libical: VTIMEZONE, UTC and floating times, all-day events, folded lines, escaped
 * text). Recurrences are expanded here, over a bounded window, so the display only
 * ever sees plain events. */
#define _POSIX_C_SOURCE 200809L
#include "content/build_schedule.h"

#include "base/clock.h"
#include "content/csv.h"
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

static int fail(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0) {
        snprintf(err, errlen, "%s:%d: %s", path, line, msg);
    } else {
        snprintf(err, errlen, "%s: %s", path, msg);
    }
    return -1;
}

/* A programme's description may be longer than a title or a place. */
#define BUILD_MAX_DESCRIPTION_CHARS 600

static char *dup_trim(const char *v);

/* The caps and rules for an event's texts, the same for schedule.csv and iCalendar
 * (names are the source's own: 'title' or SUMMARY). title may not be NULL. */
static int check_event_texts(const char *path, int line, const char *const names[3],
                             const char *title, const char *place, const char *desc,
                             char *err, size_t errlen)
{
    const char *v[3] = { title, place, desc };
    const int cap[3] = { BUILD_MAX_FIELD_CHARS, BUILD_MAX_FIELD_CHARS,
                         BUILD_MAX_DESCRIPTION_CHARS };
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
            return fail(err, errlen, path, line,
                        "event '%s': %s is %zu characters long, more than %d; shorten it",
                        shown, names[k], chars, cap[k]);
        }
        if (run > UTF8_MAX_MARK_RUN) {
            return fail(err, errlen, path, line,
                        "event '%s': %s has %zu combining marks in a row (at most %d per "
                        "letter): remove the stacked accents",
                        shown, names[k], run, UTF8_MAX_MARK_RUN);
        }
    }
    return 0;
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

void event_list_free(EventList *l)
{
    events_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}

/* "2021-06-01", "2021-06-01 15:30", "2021-06-01T15:30:00", "01.06.2021",
 * "1.6.2021 15:30" -> "2021-06-01" or "2021-06-01T15:30:00". */
static int parse_when(const char *in, char *out, size_t len, int *has_time)
{
    int y, mo, d, h = -1, mi = 0, s = 0, n = 0;
    char buf[64];
    const char *v = in;
    while (*v == ' ') {
        v++;
    }
    snprintf(buf, sizeof buf, "%s", v);
    for (size_t k = strlen(buf); k > 0 && buf[k - 1] == ' '; k--) {
        buf[k - 1] = '\0';
    }
    if (sscanf(buf, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 ||
        (sscanf(buf, "%2d.%2d.%4d%n", &d, &mo, &y, &n) == 3 && y > 999)) {
        const char *rest = buf + n;
        if (*rest == 'T' || *rest == ' ') {
            int k = 0;
            if (sscanf(rest + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &k) != 3) {
                s = 0;
                if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &k) != 2) {
                    return -1;
                }
            }
            const char *tail = rest + 1 + k;
            if (*tail != '\0' && strcmp(tail, " Uhr") != 0) {
                return -1;
            }
        } else if (*rest != '\0') {
            return -1;
        }
    } else {
        return -1;
    }
    if (h >= 0) {
        snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
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

static const char *const sc_names[SC_N][2] = {
    { "start", "beginn" }, { "end", "ende" },    { "all_day", "ganztägig" },
    { "title", "titel" },  { "place", "ort" },   { "description", "beschreibung" },
};

/* Compares two event times (any of the three forms) on the build machine's clock. */
static int64_t when_ms(const char *iso)
{
    int64_t t = 0;
    clock_parse_iso(iso, &t);
    return t;
}

int build_parse_schedule_csv(const char *path, const char *text, size_t len, EventList *out,
                             char *err, size_t errlen)
{
    size_t bad;
    if (!utf8_valid(text, len, &bad)) {
        int line = 1;
        for (size_t i = 0; i < bad; i++) {
            line += text[i] == '\n';
        }
        return fail(err, errlen, path, line, "invalid UTF-8 at byte %zu (save the file as UTF-8)",
                    bad);
    }
    Csv csv;
    char **f = NULL;
    int nf = 0, line = 1, col[SC_N], rc = -1;
    csv_open(&csv, text, len);
    int r = csv_next(&csv, &f, &nf, &line);
    if (r <= 0) {
        return fail(err, errlen, path, r < 0 ? line : 1, r < 0 ? "unterminated quote" : "empty file");
    }
    for (int k = 0; k < SC_N; k++) {
        col[k] = -1;
    }
    for (int i = 0; i < nf; i++) {
        char *h = dup_trim(f[i]);
        int found = -1;
        for (int k = 0; h && k < SC_N; k++) {
            if (!strcasecmp(h, sc_names[k][0]) || !strcasecmp(h, sc_names[k][1])) {
                found = k;
            }
        }
        if (found < 0 || col[found] >= 0) {
            fail(err, errlen, path, line,
                 found < 0 ? "unknown column '%s' (known: start, end, all_day, title, place, "
                             "description)"
                           : "column '%s' appears twice",
                 h ? h : "");
            free(h);
            goto done;
        }
        col[found] = i;
        free(h);
    }
    if (col[SC_START] < 0 || col[SC_TITLE] < 0) {
        fail(err, errlen, path, line, "columns 'start' and 'title' are required");
        goto done;
    }
    int n_header = nf;
    csv_free(f, nf);
    f = NULL;
    nf = 0;
    while ((r = csv_next(&csv, &f, &nf, &line)) == 1) {
        const char *v[SC_N];
        int empty = 1;
        for (int k = 0; k < SC_N; k++) {
            v[k] = col[k] >= 0 && col[k] < nf ? f[col[k]] : "";
        }
        for (int i = 0; i < nf; i++) {
            empty &= strspn(f[i], " \t") == strlen(f[i]);
        }
        if (empty) {
            csv_free(f, nf);
            f = NULL;
            continue;
        }
        if (nf > n_header) {
            fail(err, errlen, path, line, "row has %d fields but the header only %d (a '%c' "
                 "inside a text that is not in quotes?)", nf, n_header, csv.sep);
            goto done;
        }
        if (out->n >= BUILD_MAX_EVENTS) {
            fail(err, errlen, path, line, "more than %d events", BUILD_MAX_EVENTS);
            goto done;
        }
        Event *e = push_event(out);
        e->title = dup_trim(v[SC_TITLE]);
        e->place = dup_trim(v[SC_PLACE]);
        e->description = dup_trim(v[SC_DESC]);
        if (!e->title) {
            fail(err, errlen, path, line, "'title' is empty");
            goto done;
        }
        static const char *const names[3] = { "'title'", "'place'", "'description'" };
        if (check_event_texts(path, line, names, e->title, e->place, e->description, err,
                              errlen)) {
            goto done;
        }
        int st_time, en_time = 0, flag = 0;
        if (parse_when(v[SC_START], e->start, sizeof e->start, &st_time)) {
            fail(err, errlen, path, line, "start '%s' is not a date like 2021-06-01 15:30 or "
                 "01.06.2021 15:30", v[SC_START]);
            goto done;
        }
        char *endv = dup_trim(v[SC_END]);
        if (endv && parse_when(endv, e->end, sizeof e->end, &en_time)) {
            fail(err, errlen, path, line, "end '%s' is not a date like 2021-06-01 17:00", endv);
            free(endv);
            goto done;
        }
        free(endv);
        if (csv_yes_no(v[SC_ALLDAY], &flag)) {
            fail(err, errlen, path, line, "'all_day' must be ja/nein, yes/no or 1/0, not '%s'",
                 v[SC_ALLDAY]);
            goto done;
        }
        /* all-day: said so, or a start without a time */
        e->all_day = flag > 0 || (flag == 0 && !st_time);
        if (e->all_day) {
            e->start[10] = '\0'; /* the date only */
            char last[32];
            snprintf(last, sizeof last, "%.10s", e->end[0] ? e->end : e->start);
            if (strcmp(last, e->start) < 0) {
                fail(err, errlen, path, line, "end %s is before start %s", last, e->start);
                goto done;
            }
            /* the sheet names the last day; the end is stored exclusive */
            clock_date_add(last, 1, e->end, sizeof e->end);
        } else {
            if (!st_time) {
                fail(err, errlen, path, line, "start has no time but all_day is 'nein'");
                goto done;
            }
            if (e->end[0] && !en_time) {
                /* an end given as a date only ends at that day's end */
                char d[32];
                clock_date_add(e->end, 1, d, sizeof d);
                snprintf(e->end, sizeof e->end, "%.10sT00:00:00", d);
            }
            if (e->end[0] && when_ms(e->end) < when_ms(e->start)) {
                fail(err, errlen, path, line, "end %s is before start %s", e->end, e->start);
                goto done;
            }
        }
        csv_free(f, nf);
        f = NULL;
    }
    if (r < 0) {
        fail(err, errlen, path, line, "unterminated quote");
        goto done;
    }
    rc = 0;
done:
    csv_free(f, nf);
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

int build_parse_ics(const char *path, const char *text, size_t len, int64_t now_ms,
                    EventList *out, char *err, size_t errlen)
{
    size_t bad;
    if (!utf8_valid(text, len, &bad)) {
        int line = 1;
        for (size_t i = 0; i < bad; i++) {
            line += text[i] == '\n';
        }
        return fail(err, errlen, path, line, "invalid UTF-8 at byte %zu", bad);
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
        return fail(err, errlen, path, 0, "not an iCalendar file (no BEGIN:VCALENDAR ... "
                    "END:VCALENDAR)");
    }
    int rc = -1, index = -1;
    /* the expansion window, around the build */
    int64_t now = now_ms / 1000;
    int64_t w0 = now - (int64_t)WINDOW_BEFORE_DAYS * 86400, w1 = now + (int64_t)WINDOW_AFTER_DAYS * 86400;

    /* libical marks what it could not parse with X-LIC-ERROR properties */
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        index++;
        icalproperty *e = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
        if (e) {
            fail(err, errlen, path, event_line(text, len, index), "broken iCalendar: %s",
                 icalproperty_get_xlicerror(e));
            goto done;
        }
    }
    index = -1;
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        index++;
        int line = event_line(text, len, index);
        const char *summary = icalcomponent_get_summary(c);
        if (!summary || !*summary) {
            fail(err, errlen, path, line, "event has no title (SUMMARY)");
            goto done;
        }
        if (icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED) {
            continue;
        }
        /* the CSV's caps, checked once per event before any recurrence is expanded */
        static const char *const names[3] = { "SUMMARY", "LOCATION", "DESCRIPTION" };
        if (check_event_texts(path, line, names, summary, icalcomponent_get_location(c),
                              icalcomponent_get_description(c), err, errlen)) {
            goto done;
        }
        struct icaltimetype start = icalcomponent_get_dtstart(c);
        if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start)) {
            fail(err, errlen, path, line, "event '%s' has no valid start (DTSTART)", summary);
            goto done;
        }
        struct icaltimetype end = icalcomponent_get_dtend(c);
        int64_t duration = -1;
        if (!icaltime_is_null_time(end)) {
            duration = as_seconds(end) - as_seconds(start);
            if (duration < 0) {
                fail(err, errlen, path, line, "event '%s' ends before it starts", summary);
                goto done;
            }
        }
        icalproperty *rp = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
        if (!rp) {
            if (out->n >= BUILD_MAX_EVENTS) {
                fail(err, errlen, path, line, "more than %d events", BUILD_MAX_EVENTS);
                goto done;
            }
            add_occurrence(out, c, start, duration);
            continue;
        }
        /* recurrence: expand over the window, minus EXDATEs */
        struct icalrecurrencetype rule = icalproperty_get_rrule(rp);
        icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
        if (!it) {
            fail(err, errlen, path, line, "event '%s' has an RRULE libical cannot expand",
                 summary);
            goto done;
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
                fail(err, errlen, path, line, "more than %d events", BUILD_MAX_EVENTS);
                goto done;
            }
            add_occurrence(out, c, t, duration);
            count++;
        }
        icalrecur_iterator_free(it);
    }
    rc = 0;
done:
    icalcomponent_free(cal);
    return rc;
}
