/* screen.csv as staff type it: German and English headings, Windows-1252, commas or
 * semicolons, holidays as dates and ranges of dates; every mistake named with
 * file:line and what to do; what the build accepts reaches the display unchanged. */
#include "testutil.h"

#include "base/screentime.h"
#include "base/ui.h"
#include "check.h"
#include "content/build.h"
#include "content/build_screen.h"
#include "store/store.h"

static const char *tmp;

/* Parses text as screen.csv; returns the parser's result, on/off/err filled. */
static int parse(const char *text, char *on, char *off, char *err, size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    int rc = build_parse_screen_csv_report("site/screen.csv", text, strlen(text), on,
                                           MODEL_SCREEN_ON_BYTES, off, MODEL_SCREEN_OFF_BYTES,
                                           &r);
    build_report_errors(&r, err, errlen);
    build_report_free(&r);
    return rc;
}

TEST(german_hours_and_holidays_become_the_displays_screen_times)
{
    char on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES], err[2000];
    CHECK_INT(parse("Tag;von;bis;geschlossen;Bemerkung\r\n"
                    "Mo-Fr;7:30;18:00;;\r\n"
                    "Sa;9 Uhr;13.00;;\r\n"
                    "So;;;ja;Ruhetag\r\n"
                    "24.12.2026 - 26.12.2026;;;;Weihnachten\r\n"
                    "2026-12-31;;;ja;\r\n"
                    ";;;;\r\n",
                    on, off, err, sizeof err),
              0);
    CHECK_STR(err, "");
    CHECK_STR(on, "Mo 07:30-18:00, Di 07:30-18:00, Mi 07:30-18:00, Do 07:30-18:00, "
                  "Fr 07:30-18:00, Sa 09:00-13:00");
    CHECK_STR(off, "2026-12-24, 2026-12-25, 2026-12-26, 2026-12-31");
    ScreenTimes st; /* and the display reads it back as written */
    CHECK_INT(screentime_parse(on, &st, err, sizeof err), 0);
    CHECK_INT(st.n, 6);
    CHECK_INT(screentime_parse_off(off, &st, err, sizeof err), 0);
    CHECK_INT(st.n_off, 4);
}

TEST(english_headings_commas_daily_and_past_midnight)
{
    char on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES], err[2000];
    CHECK_INT(parse("days,from,to\nMon,08:00,12:00\ndaily,20:00,02:00\n\"Mo, Mi\",14,15 Uhr\n",
                    on, off, err, sizeof err),
              0);
    char on2[MODEL_SCREEN_ON_BYTES];
    CHECK_INT(parse("Tag;von;bis\nMontag bis Mittwoch;8;12\nDo \xe2\x80\x93 Fr;8;12\n", on2, off,
                    err, sizeof err),
              0);
    CHECK_STR(on2, "Mo 08:00-12:00, Di 08:00-12:00, Mi 08:00-12:00, Do 08:00-12:00, "
                   "Fr 08:00-12:00");
    CHECK_STR(err, "");
    CHECK_HAS(on, "Mo 08:00-12:00, Mo 20:00-02:00, Di 20:00-02:00");
    CHECK_HAS(on, "So 20:00-02:00, Mo 14:00-15:00, Mi 14:00-15:00");
    CHECK_STR(off, "");
}

TEST(windows_1252_from_a_spreadsheet_is_read)
{
    char on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES], err[2000];
    /* "Täglich" and "Öffnungszeit" in Windows-1252, as Excel saves "CSV (Trennzeichen)" */
    CHECK_INT(parse("Tag;von;bis;Bemerkung\nT\xe4glich;10:00;16:00;\xd6" "ffnungszeit\n", on,
                    off, err, sizeof err),
              0);
    CHECK_STR(err, "");
    CHECK_HAS(on, "Mo 10:00-16:00");
    CHECK_HAS(on, "So 10:00-16:00");
}

TEST(every_mistake_is_named_with_its_line_and_what_to_do)
{
    char on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES], err[4000];
    CHECK_INT(parse("Tag;von;bis;geschlossen\n"
                    "Mo-Fx;07:30;18:00;\n"          /* 2: not a weekday */
                    "Sa;9 Uhr;25:00;\n"             /* 3: not a time */
                    "24.12.2026;10:00;12:00;\n"     /* 4: a date with times */
                    "So;;;\n"                       /* 5: no times, not closed */
                    "Di;8:00;8:00;\n"               /* 6: an empty span */
                    "Mi;8:00;;\n"                   /* 7: no end */
                    "Do;8:00;12:00;ja\n"            /* 8: closed with times */
                    "31.02.2026;;;\n"               /* 9: no such day */
                    "Fr;8:00;12:00;vielleicht\n"    /* 10: not yes or no */
                    "\",\";8:00;12:00;\n",            /* 11: no day at all */
                    on, off, err, sizeof err),
              -1);
    CHECK_HAS(err, "site/screen.csv:2: „Tag“ „Mo-Fx“ ist weder ein Wochentag noch ein Datum");
    CHECK_HAS(err, "site/screen.csv:3: „bis“ „25:00“ ist keine Uhrzeit");
    CHECK_HAS(err, "site/screen.csv:4: „24.12.2026“ ist ein Datum mit Uhrzeiten");
    CHECK_HAS(err, "site/screen.csv:5: für „So“ fehlen „von“ und „bis“");
    CHECK_HAS(err, "site/screen.csv:6: „von“ und „bis“ sind beide 8:00");
    CHECK_HAS(err, "site/screen.csv:7: „bis“ ist leer");
    CHECK_HAS(err, "site/screen.csv:8: „geschlossen“ ist ja, aber");
    CHECK_HAS(err, "site/screen.csv:9: „Tag“ „31.02.2026“ ist weder");
    CHECK_HAS(err, "site/screen.csv:10: „geschlossen“ muss ja oder nein sein");
    CHECK_HAS(err, "site/screen.csv:11: „Tag“ „,“ ist weder");
    CHECK_STR(on, "");
    CHECK_STR(off, "");
    CHECK_INT(parse("Tag;Uhrzeit\nMo;8-12\n", on, off, err, sizeof err), -1);
    CHECK_HAS(err, "site/screen.csv:1: "); /* an unknown heading, on the header's line */
    CHECK_HAS(err, "Uhrzeit");
    ui_set_language("en");
    CHECK_INT(parse("days;from;to\nMo;7:30;18:00\nSa;9;1300\n", on, off, err, sizeof err), -1);
    CHECK_HAS(err, "site/screen.csv:3: to '1300' is not a time of day — write e.g. 07:30");
    ui_set_language("de");
}

TEST(too_many_ranges_or_days_are_refused_not_cut)
{
    char text[8000], on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES], err[4000];
    size_t n = (size_t)snprintf(text, sizeof text, "Tag;von;bis\n");
    for (int i = 0; i < 5; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "Mo-So;%02d:00;%02d:30\n", i, i);
    }
    CHECK_INT(parse(text, on, off, err, sizeof err), -1); /* 35 ranges, 28 fit */
    CHECK_HAS(err, "site/screen.csv:6: mehr als 28 Zeitspannen oder 64 geschlossene Tage");
    CHECK_INT(parse("Tag;von;bis\n01.01.2026-31.03.2026;;\n", on, off, err, sizeof err), -1);
    CHECK_HAS(err, "site/screen.csv:2: mehr als 28 Zeitspannen");
}

/* A content folder: the default campaign, and screen.csv as given (NULL: none); the
 * path is malloc'd. */
static char *source(const char *name, const char *screen_csv)
{
    char *dir = test_fmt("%s/%s", tmp, name), *p;
    test_copy_content(dir, "sites.csv schedule.csv posters posters.csv 'campaign.'*.md");
    if (screen_csv) {
        p = test_fmt("%s/screen.csv", dir);
        test_write(p, screen_csv, strlen(screen_csv));
        free(p);
    }
    return dir;
}

TEST(the_build_stores_screen_csv_and_refuses_a_bad_one_with_file_and_line)
{
    char err[2000];
    char *good = source("good", "Tag;von;bis\nMo-Fr;07:30;18:00\n24.12.2026;;\n");
    char *db = test_fmt("%s/good.litfass", tmp);
    CHECK_INT(build_content(good, db, 2, 0, NULL, err, sizeof err), 0);
    Model m;
    memset(&m, 0, sizeof m);
    CHECK_INT(store_load_path(db, &m), 0);
    CHECK_HAS(m.screen_on, "Mo 07:30-18:00");
    CHECK_STR(m.screen_off_days, "2026-12-24");
    model_free(&m);
    free(db);

    char *none = source("none", NULL); /* screen.csv is optional */
    db = test_fmt("%s/none.litfass", tmp);
    CHECK_INT(build_content(none, db, 2, 0, NULL, err, sizeof err), 0);
    memset(&m, 0, sizeof m);
    CHECK_INT(store_load_path(db, &m), 0);
    CHECK_STR(m.screen_on, "");
    CHECK_STR(m.screen_off_days, "");
    model_free(&m);
    free(db);

    char *bad = source("bad", "Tag;von;bis\nMo-Fr;07:30;18:00\nSa;9:00;13:60\n");
    db = test_fmt("%s/bad.litfass", tmp);
    CHECK_INT(build_content(bad, db, 2, 0, NULL, err, sizeof err), -1);
    char *where = test_fmt("%s/screen.csv:3: „bis“ „13:60“ ist keine Uhrzeit", bad);
    CHECK_HAS(err, where);
    free(where);
    CHECK(access(db, F_OK) != 0); /* nothing written */
    free(db);
    free(good);
    free(none);
    free(bad);
}

int main(void)
{
    tmp = test_tmpdir();
    ui_set_language("de");
    RUN(german_hours_and_holidays_become_the_displays_screen_times);
    RUN(english_headings_commas_daily_and_past_midnight);
    RUN(windows_1252_from_a_spreadsheet_is_read);
    RUN(every_mistake_is_named_with_its_line_and_what_to_do);
    RUN(too_many_ranges_or_days_are_refused_not_cut);
    RUN(the_build_stores_screen_csv_and_refuses_a_bad_one_with_file_and_line);
    return check_report();
}
