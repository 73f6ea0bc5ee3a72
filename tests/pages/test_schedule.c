/* Schedule: import of schedule.csv and iCalendar (libical), the time logic on a
 * fake clock across day boundaries and both DST changes, and the page's draw list. */
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "content/build_schedule.h"
#include "check.h"
#include "base/clock.h"
#include "pages/layout.h"
#include "layoututil.h"
#include "pages/schedule.h"
#include "store/store.h"
#include "display/text.h"
#include "base/ui.h"

static TextMetrics tm;
static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };

static int64_t at(const char *iso)
{
    int64_t t = 0;
    CHECK_INT(clock_parse_iso(iso, &t), 0);
    return t;
}

static Event ev(const char *start, const char *end, int all_day, const char *title)
{
    Event e;
    memset(&e, 0, sizeof e);
    snprintf(e.start, sizeof e.start, "%s", start);
    snprintf(e.end, sizeof e.end, "%s", end);
    e.all_day = all_day;
    e.title = (char *)title;
    return e;
}

static int find_slot(const ScheduleDay *d, const Event *events, const char *title)
{
    for (int i = 0; i < d->n; i++) {
        if (!strcmp(events[d->slots[i].event].title, title)) {
            return i;
        }
    }
    return -1;
}

TEST(ics_as_google_calendar_writes_it)
{
    char err[512] = "";
    const char *path = LITFASS_SOURCE_DIR "/tests/data/calendar.ics";
    size_t len;
    char *text = test_read(path, &len);
    EventList l = { 0 };
    CHECK_INT(build_parse_ics(path, text, len, at("2021-06-01T12:00"), &l, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(l.n, 9); /* 4 single + 5 of the weekly series; the cancelled one left out */
    const Event *g = NULL, *film = NULL, *fl = NULL, *all = NULL;
    const char *weekly[8];
    int nw = 0;
    for (int i = 0; i < l.n; i++) {
        const Event *e = &l.v[i];
        if (strstr(e->title, "Gesprächsrunde")) g = e;
        if (!strcmp(e->title, "Kurzfilm (UTC)")) film = e;
        if (strstr(e->title, "floating")) fl = e;
        if (!strcmp(e->title, "Projektwoche")) all = e;
        if (!strcmp(e->title, "Patentreffen") && nw < 8) weekly[nw++] = e->start;
        CHECK(strcmp(e->title, "Abgesagt") != 0);
    }
    CHECK(g && film && fl && all);
    if (g) {
        /* folded line joined, escapes undone; TZID converted with the VTIMEZONE */
        CHECK_STR(g->title, "Gesprächsrunde: Patenschaften, Tandems und Mentoring in der Pandemie");
        CHECK_STR(g->description, "Ehrenamtliche berichten; danach Fragen aus dem Publikum.\nMit Live-Untertiteln.");
        CHECK_STR(g->place, "online");
        CHECK_STR(g->start, "2021-06-01T08:00:00Z");
        CHECK_STR(g->end, "2021-06-01T09:30:00Z");
    }
    if (film) {
        CHECK_STR(film->start, "2021-06-01T13:30:00Z");
    }
    if (fl) { /* floating stays local wall time; DURATION gives the end */
        CHECK_STR(fl->start, "2021-06-01T18:00:00");
        CHECK_STR(fl->end, "2021-06-01T19:00:00");
    }
    if (all) {
        CHECK_INT(all->all_day, 1);
        CHECK_STR(all->start, "2021-06-02");
        CHECK_STR(all->end, "2021-06-04");
    }
    /* weekly on Mondays 19:00 Berlin, 15 March excluded, across the March DST change */
    CHECK_INT(nw, 5);
    const char *want[] = { "2021-03-01T18:00:00Z", "2021-03-08T18:00:00Z", "2021-03-22T18:00:00Z",
                           "2021-03-29T17:00:00Z", "2021-04-05T17:00:00Z" };
    for (int i = 0; i < 5 && i < nw; i++) {
        CHECK_STR(weekly[i], want[i]);
    }
    event_list_free(&l);
    free(text);
}

static const char *ics_error(const char *ics)
{
    static char err[512];
    EventList l = { 0 };
    err[0] = '\0';
    CHECK_INT(build_parse_ics("cal.ics", ics, strlen(ics), 0, &l, err, sizeof err), -1);
    event_list_free(&l);
    return err;
}

TEST(broken_calendars_are_rejected_with_the_reason)
{
    ui_set_language("en"); /* these checks read the build's English messages */
    CHECK_HAS(ics_error("hello"), "cal.ics: not an iCalendar file");
    CHECK_HAS(ics_error("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nSUMMARY:Ohne Start\n"
                        "END:VEVENT\nEND:VCALENDAR\n"),
              "cal.ics:3: event 'Ohne Start' has no valid start (DTSTART)");
    CHECK_HAS(ics_error("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nSUMMARY:Rückwärts\n"
                        "DTSTART:20210601T100000Z\nDTEND:20210601T090000Z\nEND:VEVENT\nEND:VCALENDAR\n"),
              "cal.ics:3: event 'Rückwärts' ends before it starts");
    CHECK_HAS(ics_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Gr\xfc\xdf" "e\nEND:VEVENT\nEND:VCALENDAR\n"),
              "cal.ics:3: invalid UTF-8 (at 'SUMMARY:Gr??e')");
    CHECK_HAS(ics_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nSUMMARY:Kaputt\nDTSTART:2021-06-01 10:00\n"
                        "END:VEVENT\nEND:VCALENDAR\n"),
              "cal.ics:2:");
    ui_set_language("de");
}

TEST(schedule_csv_with_german_dates)
{
    const char *csv = "Beginn;Ende;ganztägig;Titel;Ort;Beschreibung\n"
                      "01.06.2021;;ja;Aktionstag;online;\n"
                      "01.06.2021 15:30;;nein;Kurzfilm;online;Premiere\n"
                      "2021-06-01 10:00;2021-06-01 11:30;;Runde;;\n"
                      "02.06.2021;03.06.2021;;Projekttage;Haus;\n";
    EventList l = { 0 };
    char err[512] = "";
    CHECK_INT(build_parse_schedule_csv("schedule.csv", csv, strlen(csv), &l, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(l.n, 4);
    if (l.n == 4) {
        CHECK_INT(l.v[0].all_day, 1);
        CHECK_STR(l.v[0].start, "2021-06-01");
        CHECK_STR(l.v[0].end, "2021-06-02"); /* stored exclusive */
        CHECK_STR(l.v[1].start, "2021-06-01T15:30:00");
        CHECK_STR(l.v[1].end, ""); /* no end given: none invented */
        CHECK_INT(l.v[1].all_day, 0);
        CHECK_STR(l.v[2].end, "2021-06-01T11:30:00");
        CHECK_INT(l.v[3].all_day, 1); /* no time: all-day */
        CHECK_STR(l.v[3].end, "2021-06-04");
        CHECK(l.v[2].place == NULL);
    }
    event_list_free(&l);
    const char *h = "start,end,all_day,title,place,description\n";
    ui_set_language("en"); /* these checks read the build's English messages */
    struct {
        const char *row, *msg;
    } bad[] = {
        { "2021-06-01 12:00,2021-06-01 11:00,,A,,\n", "schedule.csv:2: end 2021-06-01T11:00:00 is before start" },
        { "morgen früh,,,A,,\n", "schedule.csv:2: start 'morgen früh' is not a date" },
        { "31.02.2021,,,A,,\n", "schedule.csv:2: start '31.02.2021' is not a date" },
        { "2021-06-01,,,,,\n", "schedule.csv:2: 'title' is empty" },
        { "2021-06-01,,vielleicht,A,,\n", "schedule.csv:2: 'all_day' must be ja/nein" },
        /* partly UTF-8, partly not (a lone Latin-1 byte alone is Windows-1252 now) */
        { "2021-06-01,,,Gr\xc3\xbc\xdf" "e,,\n", "schedule.csv:2: invalid UTF-8" },
        { "2021-06-01,,,A,B,C,D\n", "schedule.csv:2: row has more fields than the header has columns (at 'D')" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s", h, bad[i].row);
        EventList b = { 0 };
        err[0] = '\0';
        CHECK_INT(build_parse_schedule_csv("schedule.csv", text, strlen(text), &b, err, sizeof err), -1);
        CHECK_HAS(err, bad[i].msg);
        event_list_free(&b);
    }
    ui_set_language("de");
}

TEST(now_next_and_countdown)
{
    Event e[] = { ev("2021-06-01T10:00", "2021-06-01T11:00", 0, "A"),
                  ev("2021-06-01T11:30", "2021-06-01T12:00", 0, "B"),
                  ev("2021-06-01T15:30", "", 0, "Film"), ev("2021-06-01", "2021-06-02", 1, "Tag") };
    ScheduleDay d;
    schedule_day(e, 4, at("2021-06-01T10:30"), &d);
    CHECK_INT(d.kind, DAY_TODAY);
    CHECK_INT(d.n, 4);
    CHECK_STR(e[d.slots[0].event].title, "Tag"); /* all-day first */
    CHECK_INT(d.state[0], SLOT_ALLDAY);
    CHECK_INT(d.state[find_slot(&d, e, "A")], SLOT_NOW);
    CHECK_INT(d.state[find_slot(&d, e, "B")], SLOT_NEXT);
    CHECK_INT(d.next, find_slot(&d, e, "B"));
    CHECK_INT(d.state[find_slot(&d, e, "Film")], SLOT_LATER);
    CHECK_INT(d.next_change, at("2021-06-01T11:00"));
    schedule_day_free(&d);
    schedule_day(e, 4, at("2021-06-01T11:05"), &d);
    CHECK_INT(d.state[find_slot(&d, e, "A")], SLOT_PAST);
    CHECK_INT(d.state[find_slot(&d, e, "B")], SLOT_NEXT);
    schedule_day_free(&d);
    char buf[64];
    schedule_countdown(at("2021-06-01T11:05"), at("2021-06-01T11:30"), buf, sizeof buf);
    CHECK_STR(buf, "in 25 Min.");
    schedule_countdown(at("2021-06-01T11:05:30"), at("2021-06-01T11:30"), buf, sizeof buf);
    CHECK_STR(buf, "in 25 Min."); /* rounded up: never "in 0 Min." */
    schedule_countdown(at("2021-06-01T10:30"), at("2021-06-01T11:30"), buf, sizeof buf);
    CHECK_STR(buf, "in 1 Std.");
    schedule_countdown(at("2021-06-01T12:00"), at("2021-06-01T15:30"), buf, sizeof buf);
    CHECK_STR(buf, "in 3 Std. 30 Min.");
    schedule_countdown(at("2021-06-01T12:00"), at("2021-06-02T10:00"), buf, sizeof buf);
    CHECK_STR(buf, "morgen um 10:00 Uhr");
    schedule_countdown(at("2021-06-01T12:00"), at("2021-06-04T10:00"), buf, sizeof buf);
    CHECK_STR(buf, "in 3 Tagen");
    /* a moment is "Jetzt" during its minute, then past */
    schedule_day(e, 4, at("2021-06-01T15:30:40"), &d);
    CHECK_INT(d.state[find_slot(&d, e, "Film")], SLOT_NOW);
    CHECK_INT(d.next, -1);
    schedule_day_free(&d);
    schedule_day(e, 4, at("2021-06-01T15:31"), &d);
    CHECK_INT(d.state[find_slot(&d, e, "Film")], SLOT_PAST);
    CHECK_INT(d.state[0], SLOT_ALLDAY); /* the all-day event still runs */
    schedule_day_free(&d);
}

TEST(day_boundary_and_events_across_midnight)
{
    Event e[] = { ev("2021-06-01T22:00", "2021-06-02T02:00", 0, "Nacht"),
                  ev("2021-06-03T00:30", "2021-06-03T01:00", 0, "Früh") };
    ScheduleDay d;
    schedule_day(e, 2, at("2021-06-02T01:00"), &d);
    CHECK_INT(d.kind, DAY_TODAY);
    CHECK_INT(d.n, 1);
    CHECK_INT(d.state[0], SLOT_NOW); /* started yesterday, still running */
    CHECK_INT(d.day_start, at("2021-06-02T00:00"));
    schedule_day_free(&d);
    schedule_day(e, 2, at("2021-06-01T23:00"), &d);
    CHECK_INT(d.state[0], SLOT_NOW);
    CHECK_INT(d.day_start, at("2021-06-01T00:00"));
    schedule_day_free(&d);
    /* 2 June, after 02:00: today is done; at 23:59 the next day's programme shows */
    schedule_day(e, 2, at("2021-06-02T23:59"), &d);
    CHECK_INT(d.kind, DAY_TODAY); /* "Nacht" touched 2 June: today's (past) programme */
    CHECK_INT(d.state[0], SLOT_PAST);
    schedule_day_free(&d);
    Event only[] = { ev("2021-06-03T00:30", "2021-06-03T01:00", 0, "Früh") };
    schedule_day(only, 1, at("2021-06-02T23:59"), &d);
    CHECK_INT(d.kind, DAY_NEXT);
    CHECK_INT(d.day_start, at("2021-06-03T00:00"));
    CHECK_INT(d.state[0], SLOT_NEXT);
    schedule_day_free(&d);
    char buf[64];
    schedule_countdown(at("2021-06-02T23:59"), at("2021-06-03T00:30"), buf, sizeof buf);
    CHECK_STR(buf, "in 31 Min.");
}

TEST(both_dst_changes_in_berlin)
{
    /* 28 March 2021 has 23 hours, 31 October 2021 has 25 */
    int64_t d = schedule_day_start(at("2021-03-28T12:00"));
    CHECK_INT(schedule_next_day(d) - d, 23 * 3600000LL);
    d = schedule_day_start(at("2021-10-31T12:00"));
    CHECK_INT(schedule_next_day(d) - d, 25 * 3600000LL);
    /* an event from 01:30 to 03:30 wall time on the spring day lasts one hour */
    Event s[] = { ev("2021-03-28T01:30", "2021-03-28T03:30", 0, "Frühling") };
    ScheduleDay day;
    schedule_day(s, 1, at("2021-03-28T03:15"), &day);
    CHECK_INT(day.slots[0].end - day.slots[0].start, 3600000LL);
    CHECK_INT(day.state[0], SLOT_NOW);
    schedule_day_free(&day);
    /* autumn: 02:30 happens twice; an absolute time picks the second one */
    Event a[] = { ev("2021-10-31T01:30:00Z", "2021-10-31T02:00:00Z", 0, "Herbst") };
    schedule_day(a, 1, at("2021-10-31T01:45:00Z"), &day);
    CHECK_INT(day.state[0], SLOT_NOW);
    char buf[16];
    ui_format_time(day.slots[0].start, buf, sizeof buf);
    CHECK_STR(buf, "02:30"); /* CET, after the change */
    ui_format_time(at("2021-10-31T00:30:00Z"), buf, sizeof buf);
    CHECK_STR(buf, "02:30"); /* the first 02:30, CEST */
    schedule_day_free(&day);
    /* an all-day event covers the whole 25-hour day */
    Event all[] = { ev("2021-10-31", "2021-11-01", 1, "Tag") };
    schedule_day(all, 1, at("2021-10-31T23:30"), &day);
    CHECK_INT(day.kind, DAY_TODAY);
    CHECK_INT(day.state[0], SLOT_ALLDAY);
    CHECK_INT(day.slots[0].end - day.slots[0].start, 25 * 3600000LL);
    schedule_day_free(&day);
}

TEST(no_future_events_show_the_last_programme_or_say_so)
{
    Event e[] = { ev("2021-06-01T10:00", "2021-06-01T11:00", 0, "A"),
                  ev("2021-05-20", "2021-05-21", 1, "B") };
    ScheduleDay d;
    schedule_day(e, 2, at("2021-06-05T12:00"), &d);
    CHECK_INT(d.kind, DAY_PAST);
    CHECK_INT(d.day_start, at("2021-06-01T00:00"));
    CHECK_INT(d.n, 1);
    CHECK_INT(d.state[0], SLOT_PAST);
    schedule_day_free(&d);
    schedule_day(e, 0, at("2021-06-05T12:00"), &d);
    CHECK_INT(d.kind, DAY_NONE);
    CHECK_INT(d.n, 0);
    schedule_day_free(&d);
}

/* The row of text item `title`: the badge above it in the same row, if any. */
static int badge_for(const DrawList *dl, const char *title, const char *badge)
{
    int t = find_text(dl, title), b = find_text(dl, badge);
    if (t < 0 || b < 0) {
        return 0;
    }
    const Rect tr = dl->items[t].rect, br = dl->items[b].rect;
    /* the badge sits on the line just above the title (beside the time in portrait),
     * within the title's column */
    return br.y < tr.y && tr.y - (br.y + br.h) < tr.h && br.x >= tr.x - 2 &&
           br.x < tr.x + tr.w;
}

static void build_model(Model *m)
{
    CHECK_INT(test_default_model(m), 0);
}

static void check_geometry(const DrawList *dl, int w, int h)
{
    Rect screen = { 0, 0, w, h };
    int bad = 0, overlaps = 0;
    for (int i = 0; i < dl->n; i++) {
        bad += !rect_inside(dl->items[i].rect, screen);
        for (int j = i + 1; j < dl->n; j++) {
            overlaps += dl->items[i].kind == ITEM_TEXT && dl->items[j].kind == ITEM_TEXT &&
                        rects_overlap(dl->items[i].rect, dl->items[j].rect);
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(overlaps, 0);
}

TEST(the_action_day_before_during_and_after_the_film)
{
    Model m;
    build_model(&m);
    CHECK_INT(m.n_events, 3);
    const char *film = "Kurzfilm"; /* the title's first line */
    for (size_t s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        DrawList dl;
        drawlist_init(&dl, 0, 0);
        layout_build(&m, "schedule", w, h, LAYOUT_ENV(at("2021-06-01T15:05")), &tm, &dl);
        check_geometry(&dl, w, h);
        CHECK(find_text(&dl, "Dienstag, 1. Juni 2021") >= 0);
        CHECK(badge_for(&dl, film, "Als Nächstes \xc2\xb7 in 25 Min."));
        CHECK(find_text(&dl, "Jetzt") < 0);
        CHECK(find_text(&dl, "ganztägig") >= 0);
        CHECK(find_text(&dl, "15:30") >= 0);
        drawlist_free(&dl);

        drawlist_init(&dl, 0, 0);
        layout_build(&m, "schedule", w, h, LAYOUT_ENV(at("2021-06-01T15:30")), &tm, &dl);
        check_geometry(&dl, w, h);
        CHECK(badge_for(&dl, film, "Jetzt"));
        CHECK(find_text(&dl, "Als Nächstes") < 0);
        int t = find_text(&dl, film);
        CHECK(t >= 0 && dl.items[t].color == 0xE60005); /* the running event stands out */
        drawlist_free(&dl);

        drawlist_init(&dl, 0, 0);
        layout_build(&m, "schedule", w, h, LAYOUT_ENV(at("2021-06-01T17:00")), &tm, &dl);
        check_geometry(&dl, w, h);
        CHECK(find_text(&dl, "Jetzt") < 0 && find_text(&dl, "Als Nächstes") < 0);
        t = find_text(&dl, film);
        CHECK(t >= 0 && dl.items[t].color == 0x9A9590); /* finished: dimmed */
        drawlist_free(&dl);

        /* the day before: "no events today", the action day's programme */
        drawlist_init(&dl, 0, 0);
        layout_build(&m, "schedule", w, h, LAYOUT_ENV(at("2021-05-31T12:00")), &tm, &dl);
        CHECK(find_text(&dl, "Heute keine Termine") >= 0);
        CHECK(badge_for(&dl, film, "Als Nächstes \xc2\xb7 morgen um 15:30 Uhr"));
        drawlist_free(&dl);

        /* long after: the last programme, marked as past — never an empty page */
        drawlist_init(&dl, 0, 0);
        layout_build(&m, "schedule", w, h, LAYOUT_ENV(at("2026-11-24T12:00")), &tm, &dl);
        CHECK(find_text(&dl, "Keine weiteren Termine") >= 0);
        CHECK(find_text(&dl, film) >= 0);
        /* its date stands with it, never alone in the title band where it reads as today's */
        int last = find_text(&dl, "zuletzt: Dienstag, 1. Juni 2021");
        CHECK(last >= 0);
        for (int i = 0; i < dl.n; i++) {
            CHECK(i == last || dl.items[i].kind != ITEM_TEXT ||
                  !strstr(dl.items[i].text, "1. Juni 2021") ||
                  strstr(dl.items[i].text, "Uhr")); /* the footer's own date and time */
        }
        drawlist_free(&dl);
    }
    model_free(&m);
}

TEST(a_full_day_pages_starting_around_now)
{
    Model m;
    build_model(&m);
    events_free(m.events, m.n_events);
    m.n_events = 24;
    m.events = calloc(24, sizeof *m.events);
    for (int i = 0; i < 24; i++) {
        char buf[64];
        snprintf(m.events[i].start, sizeof m.events[i].start, "2021-06-01T%02d:00", i);
        snprintf(m.events[i].end, sizeof m.events[i].end, "2021-06-01T%02d:45", i);
        snprintf(buf, sizeof buf, "Veranstaltung um %d Uhr mit einem recht langen Titel", i);
        m.events[i].title = strdup(buf);
        m.events[i].place = strdup("online");
    }
    DrawList dl;
    drawlist_init(&dl, 0, 0);
    LayoutEnv env = { at("2021-06-01T15:10"), 0, NULL, NULL, 0, 0, NULL, 0 };
    layout_build(&m, "schedule", 1280, 720, &env, &tm, &dl);
    check_geometry(&dl, 1280, 720);
    CHECK(find_text(&dl, "Seite ") >= 0);
    CHECK(find_text(&dl, "Veranstaltung um 15 Uhr") >= 0); /* now is on the first page shown */
    CHECK(find_text(&dl, "Veranstaltung um 0 Uhr") < 0);
    CHECK(dl.valid_ms > 0 && dl.valid_ms <= 8000);
    drawlist_free(&dl);
    /* every event is on some page */
    int seen[24] = { 0 };
    for (int k = 0; k < 12; k++) {
        LayoutEnv e2 = { at("2021-06-01T15:10"), k * 8000, NULL, NULL, 0, 0, NULL, 0 };
        drawlist_init(&dl, 0, 0);
        layout_build(&m, "schedule", 1280, 720, &e2, &tm, &dl);
        for (int i = 0; i < 24; i++) {
            char buf[64];
            snprintf(buf, sizeof buf, "Veranstaltung um %d Uhr ", i);
            seen[i] |= find_text(&dl, buf) >= 0;
        }
        drawlist_free(&dl);
    }
    int all = 1;
    for (int i = 0; i < 24; i++) {
        all &= seen[i];
    }
    CHECK(all);
    model_free(&m);
}

/* The badge text of the schedule page at now for one event. */
static void badge_at(Model *m, const char *start, int64_t now, char *out, size_t len)
{
    events_free(m->events, m->n_events);
    m->n_events = 1;
    m->events = calloc(1, sizeof *m->events);
    snprintf(m->events[0].start, sizeof m->events[0].start, "%s", start);
    m->events[0].title = strdup("Fernes Ereignis");
    DrawList dl;
    drawlist_init(&dl, 0, 0);
    LayoutEnv env = { now, 0, NULL, NULL, 0, 0, NULL, 0 };
    layout_build(m, "schedule", 1280, 720, &env, &tm, &dl);
    int i = find_text(&dl, "Als N\xc3\xa4" "chstes");
    snprintf(out, len, "%s", i >= 0 ? dl.items[i].text : "(no badge)");
    drawlist_free(&dl);
}

TEST(countdown_in_64_bits_names_the_date_when_far_away)
{
    char buf[64];
    Clock epoch = clock_fake(0); /* a board without RTC that has not synced its clock */
    int64_t now = epoch.wall_ms(&epoch);
    schedule_countdown(now, at("2021-06-01T15:30"), buf, sizeof buf);
    CHECK_STR(buf, "am 01.06.2021"); /* was "in 9999 Tagen" */
    schedule_countdown(at("2021-06-01T12:00"), at("9999-12-31T10:00"), buf, sizeof buf);
    CHECK_STR(buf, "am 31.12.9999"); /* was "in 1 Min.": the minutes overflowed an int */
    schedule_countdown(now, at("9999-12-31T23:59"), buf, sizeof buf);
    CHECK_STR(buf, "am 31.12.9999");
    /* up to 30 days a count of calendar days, across a DST change too */
    schedule_countdown(at("2021-03-27T12:00"), at("2021-03-30T10:00"), buf, sizeof buf);
    CHECK_STR(buf, "in 3 Tagen");
    schedule_countdown(at("2021-06-01T23:00"), at("2021-07-01T00:30"), buf, sizeof buf);
    CHECK_STR(buf, "in 30 Tagen");
    schedule_countdown(at("2021-06-01T23:00"), at("2021-07-02T00:30"), buf, sizeof buf);
    CHECK_STR(buf, "am 02.07.2021");
    /* many hours within today still count in hours */
    schedule_countdown(at("2021-06-01T00:10"), at("2021-06-01T23:50"), buf, sizeof buf);
    CHECK_STR(buf, "in 23 Std. 40 Min.");
    /* a start in the past never gives a negative or zero count */
    schedule_countdown(at("2021-06-01T12:00"), at("2021-06-01T11:00"), buf, sizeof buf);
    CHECK_STR(buf, "in 1 Min.");
    ui_set_language("en");
    schedule_countdown(at("2021-06-01T12:00"), at("9999-12-31T10:00"), buf, sizeof buf);
    CHECK_STR(buf, "on 9999-12-31");
    ui_set_language("de");
    /* on the page */
    Model m;
    build_model(&m);
    badge_at(&m, "9999-12-31T10:00", at("2021-06-01T12:00"), buf, sizeof buf);
    CHECK_STR(buf, "Als N\xc3\xa4" "chstes \xc2\xb7 am 31.12.9999");
    badge_at(&m, "2021-06-01T15:30", now, buf, sizeof buf);
    CHECK_STR(buf, "Als N\xc3\xa4" "chstes \xc2\xb7 am 01.06.2021");
    model_free(&m);
}

int main(void)
{
    Text *text = test_fonts();
    tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    ui_set_language("de");
    RUN(ics_as_google_calendar_writes_it);
    RUN(broken_calendars_are_rejected_with_the_reason);
    RUN(schedule_csv_with_german_dates);
    RUN(now_next_and_countdown);
    RUN(day_boundary_and_events_across_midnight);
    RUN(both_dst_changes_in_berlin);
    RUN(no_future_events_show_the_last_programme_or_say_so);
    RUN(the_action_day_before_during_and_after_the_film);
    RUN(a_full_day_pages_starting_around_now);
    RUN(countdown_in_64_bits_names_the_date_when_far_away);
    text_close(text);
    return check_report();
}
