/* Sheets as staff save them: Windows-1252 CSV with CRLF and the trailing ";;" of
 * Excel and LibreOffice, German headings with and without umlauts, short dates and
 * "15.30 Uhr"; every problem of a build at once, in German and in English; and a
 * default version that is newer than any earlier build. Uses the real files and, for
 * the build command, the real litfassctl (its path is the first argument). */
#include "testutil.h"

#include "base/clock.h"
#include "base/ui.h"
#include "check.h"
#include "content/build.h"
#include "content/build_schedule.h"
#include "store/store.h"

static const char *tmp, *litfassctl;

/* What LibreOffice ("Text CSV", Western Europe (Windows-1252)) and Excel ("CSV
 * (Trennzeichen-getrennt)") write: 0xE4 = ä, 0xDF = ß, 0x96 = en dash, CRLF, and a
 * separator for every empty column to the right. */
static const char schedule_cp1252[] =
    "Beginn;Ende;ganztaegig;Titel;Ort;Beschreibung;;\r\n"
    "1.6.21;;ja;Digitaler Aktionstag;online;Menschen st\xe4rken Menschen;;\r\n"
    "01.06.21 15.30 Uhr;16:30;nein;Kurzfilm \x96 Premiere;Instagram;;;\r\n"
    "01.06.2021 10 Uhr;;;Gespr\xe4" "chsrunde;online;;;\r\n"
    "2021-06-02 15:30;17.00 Uhr;;Nachlese;Gro\xdf" "er Saal;;;\r\n"
    ";;;;;;;\r\n";

static char *write_dir(const char *name)
{
    char *dir = test_fmt("%s/%s", tmp, name);
    mkdir(dir, 0755);
    return dir;
}

static void write_file(const char *dir, const char *name, const char *text, size_t len)
{
    char *p = test_fmt("%s/%s", dir, name);
    test_write(p, text, len);
    free(p);
}

/* A source folder with the default campaign and the given sheets (NULL: none). */
static char *source_dir(const char *name, const char *schedule, const char *sites)
{
    char *dir = test_fmt("%s/%s", tmp, name);
    test_copy_content(dir, "sites.csv schedule.csv posters posters.csv 'campaign.'*.md");
    if (schedule) {
        write_file(dir, "schedule.csv", schedule, strlen(schedule));
    }
    if (sites) {
        write_file(dir, "sites.csv", sites, strlen(sites));
    }
    return dir;
}

TEST(windows_1252_schedule_with_crlf_short_dates_and_trailing_columns)
{
    EventList l = { 0 };
    BuildReport r;
    build_report_init(&r);
    ui_set_language("de");
    CHECK_INT(build_parse_schedule_csv_report("schedule.csv", schedule_cp1252,
                                              strlen(schedule_cp1252), &l, &r),
              0);
    CHECK_INT(r.n_errors, 0);
    /* the build says what it assumed, naming the file */
    CHECK_HAS(r.notes, "schedule.csv: Hinweis: nicht UTF-8, als Windows-1252");
    CHECK_INT(l.n, 4);
    if (l.n == 4) {
        CHECK_INT(l.v[0].all_day, 1);
        CHECK_STR(l.v[0].start, "2021-06-01"); /* 1.6.21 */
        CHECK_STR(l.v[0].end, "2021-06-02");
        CHECK_STR(l.v[0].description, "Menschen stärken Menschen");
        CHECK_INT(l.v[1].all_day, 0);
        CHECK_STR(l.v[1].start, "2021-06-01T15:30:00"); /* 01.06.21 15.30 Uhr */
        CHECK_STR(l.v[1].end, "2021-06-01T16:30:00");   /* only a time: the start's day */
        CHECK_STR(l.v[1].title, "Kurzfilm \xe2\x80\x93 Premiere"); /* 0x96 -> U+2013 */
        CHECK_STR(l.v[2].start, "2021-06-01T10:00:00");             /* 10 Uhr */
        CHECK_STR(l.v[2].title, "Gesprächsrunde");
        CHECK(l.v[2].end[0] == '\0');
        CHECK_STR(l.v[3].start, "2021-06-02T15:30:00");
        CHECK_STR(l.v[3].end, "2021-06-02T17:00:00"); /* 17.00 Uhr */
        CHECK_STR(l.v[3].place, "Großer Saal");
    }
    event_list_free(&l);
    build_report_free(&r);

    /* UTF-8 stays the default: the same sheet saved as UTF-8 gives no note */
    const char *utf8 = "Start;Ende;Ganztägig;Titel\n01.06.2021 15:30 Uhr;;;Film\n";
    build_report_init(&r);
    CHECK_INT(build_parse_schedule_csv_report("schedule.csv", utf8, strlen(utf8), &l, &r), 0);
    CHECK(r.notes == NULL);
    CHECK_INT(l.n, 1);
    event_list_free(&l);
    build_report_free(&r);
}

TEST(german_headings_in_any_spelling)
{
    const char *const all_day[] = { "ganztägig", "ganztaegig", "ganztagig", "GANZTÄGIG",
                                    "Ganztägig?", "all_day", "All Day" };
    for (size_t i = 0; i < sizeof all_day / sizeof *all_day; i++) {
        char csv[256];
        snprintf(csv, sizeof csv, "beginn;%s;TITEL\n01.06.2021;ja;Tag\n", all_day[i]);
        EventList l = { 0 };
        char err[512] = "";
        CHECK_INT(build_parse_schedule_csv("schedule.csv", csv, strlen(csv), &l, err, sizeof err),
                  0);
        CHECK_STR(err, "");
        CHECK(l.n == 1 && l.v[0].all_day == 1);
        event_list_free(&l);
    }
    /* sites.csv in German, Windows-1252, trailing empty columns */
    const char *sites = "ID;Name;Organisation;Stadt;Breitengrad;L\xe4ngengrad;Art;Beispieldaten;;\r\n"
                        "k\xf6ln;Treff K\xf6ln;DRK;K\xf6ln;50,94;6,96;DRK;ja;;\r\n";
    const char *sites_ae = "id;name;organisation;stadt;breitengrad;laengengrad;art\n"
                           "a;A;DRK;Bonn;50,73;7,10;DRK\n";
    MapGeo region = { 5.8, 47.2, 15.1, 55.1, NULL, 0 };
    Site *s = NULL;
    int n = 0;
    char err[1024] = "";
    CHECK_INT(build_parse_sites("sites.csv", sites, strlen(sites), &region, &s, &n, err, sizeof err), 0);
    CHECK_STR(err, "");
    if (n == 1) {
        CHECK_STR(s[0].id, "köln");
        CHECK_STR(s[0].city, "Köln");
        CHECK_INT(s[0].demo, 1);
        CHECK(s[0].lon > 6.95 && s[0].lon < 6.97);
    }
    sites_free(s, n);
    CHECK_INT(build_parse_sites("sites.csv", sites_ae, strlen(sites_ae), &region, &s, &n, err, sizeof err), 0);
    CHECK_INT(n, 1);
    sites_free(s, n);
    /* a value under an empty heading is not dropped silently */
    const char *stray = "id;name;organisation;city;latitude;longitude;kind;;\n"
                        "a;A;DRK;Bonn;50,73;7,10;DRK;;vergessen\n";
    ui_set_language("de");
    CHECK_INT(build_parse_sites("sites.csv", stray, strlen(stray), &region, &s, &n, err, sizeof err), -1);
    CHECK_HAS(err, "sites.csv:2: die Zeile hat mehr Felder als die Kopfzeile Spalten (bei „vergessen“)");
}

TEST(contradictory_and_unclear_rows_are_errors_not_guesses)
{
    const char *h = "Beginn;Ende;ganztaegig;Titel\n";
    struct {
        const char *row, *de, *en;
    } bad[] = {
        /* all day and a time: was the time dropped silently */
        { "01.06.2021 15:30;;ja;Film\n",
          "schedule.csv:2: „ganztaegig“ ist „ja“, aber „Beginn“ hat eine Uhrzeit („01.06.2021 15:30“) — ",
          "schedule.csv:2: 'ganztaegig' is 'yes' but 'Beginn' has a time ('01.06.2021 15:30') — " },
        { "01.06.2021;16:30;ja;Film\n", "„ganztaegig“ ist „ja“, aber „Ende“ hat eine Uhrzeit",
          "'ganztaegig' is 'yes' but 'Ende' has a time" },
        { "01.06.2021;16:30;;Film\n", "„Ende“ hat eine Uhrzeit, „Beginn“ nicht",
          "'Ende' has a time but 'Beginn' has none" },
        { "01.06.2021 15:30;14:00;;Film\n", "das Ende 2021-06-01T14:00:00 liegt vor dem Beginn",
          "end 2021-06-01T14:00:00 is before start" },
        { "1.6. 15:30;;;Film\n", "„Beginn“ „1.6. 15:30“ ist kein Datum mit Uhrzeit — so schreiben:",
          "Beginn '1.6. 15:30' is not a date and time — write" },
        { "01.06.2021 15;;;Film\n", "„Beginn“ „01.06.2021 15“ ist kein Datum",
          "Beginn '01.06.2021 15' is not a date" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512], err[1024];
        snprintf(text, sizeof text, "%s%s", h, bad[i].row);
        for (int en = 0; en < 2; en++) {
            EventList l = { 0 };
            ui_set_language(en ? "en" : "de");
            err[0] = '\0';
            CHECK_INT(build_parse_schedule_csv("schedule.csv", text, strlen(text), &l, err,
                                               sizeof err),
                      -1);
            CHECK_HAS(err, en ? bad[i].en : bad[i].de);
            CHECK_INT(l.n, 0);
            event_list_free(&l);
        }
    }
    ui_set_language("de");
}

/* Counts the lines of s. */
static int count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++) {
        n += *s == '\n';
    }
    return n;
}

TEST(every_problem_of_a_build_in_one_run)
{
    /* 25 rows with a wrong date, plus a mistake in the campaign and in the sites */
    char sched[4096] = "Beginn;Titel;;\r\n";
    for (int i = 0; i < 25; i++) {
        snprintf(sched + strlen(sched), sizeof sched - strlen(sched), "%d.13.2021;Termin %d;;\r\n",
                 i + 1, i);
    }
    const char *sites = "id;name;organisation;city;latitude;longitude;kind\n"
                        "a;A;DRK;Bonn;fünfzig;7,10;DRK\n";
    char *dir = source_dir("many", sched, sites);
    write_file(dir, "campaign.md", "---\ntitle: T\ncolor_text: schwarz\nfarbe: rot\n---\nText\n",
               strlen("---\ntitle: T\ncolor_text: schwarz\nfarbe: rot\n---\nText\n"));
    char *out = test_fmt("%s/many.litfass", tmp);
    char *map = LITFASS_SOURCE_DIR "/assets/germany.geo";
    for (int en = 0; en < 2; en++) {
        BuildReport r;
        build_report_init(&r);
        ui_set_language(en ? "en" : "de");
        CHECK_INT(build_content_report(dir, out, 7, 1622554200000LL, map, &r), -1);
        CHECK_INT(r.n_errors, 2 + 1 + 25);
        char text[40000];
        build_report_errors(&r, text, sizeof text);
        CHECK_INT(count_lines(text), BUILD_REPORT_MAX_SHOWN); /* 20 lines, then "… and 8 more" */
        if (en) {
            CHECK_HAS(text, "campaign.md:3: 'color_text' must be a colour like #E60005 — ");
            CHECK_HAS(text, "campaign.md:4: unknown front matter key 'farbe' — ");
            CHECK_HAS(text, "sites.csv:2: latitude 'fünfzig' is not a number from -90 to 90 — ");
            CHECK_HAS(text, "schedule.csv:2: Beginn '1.13.2021' is not a date and time — ");
            CHECK_HAS(text, "schedule.csv:3: Beginn '2.13.2021'");
            CHECK_HAS(text, "\n… and 8 more errors — fix the ones above first");
        } else {
            CHECK_HAS(text, "campaign.md:3: „color_text“ muss eine Farbe wie #E60005 sein — ");
            CHECK_HAS(text, "campaign.md:4: unbekannter Eintrag „farbe“ im Kopf — ");
            CHECK_HAS(text, "sites.csv:2: „latitude“ „fünfzig“ ist keine Zahl von -90 bis 90 — ");
            CHECK_HAS(text, "schedule.csv:2: „Beginn“ „1.13.2021“ ist kein Datum mit Uhrzeit — ");
            CHECK_HAS(text, "\n… und 8 weitere Fehler — ");
        }
        CHECK(strstr(text, "byte") == NULL && strstr(text, "Byte") == NULL);
        CHECK(access(out, F_OK) != 0); /* no partial output */
        build_report_free(&r);
    }
    ui_set_language("de");
    free(out);
    free(dir);
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    clock_parse_iso(iso, &t);
    return t;
}

static long long version_of(const char *path)
{
    Store *s;
    Model m;
    char err[512];
    long long v = -1;
    memset(&m, 0, sizeof m);
    if (store_open(path, &s, err, sizeof err) == 0) {
        if (store_load(s, &m, err, sizeof err) == 0) {
            v = (long long)m.content_version;
        }
        model_free(&m);
        store_close(s);
    }
    return v;
}

TEST(default_version_is_newer_than_any_earlier_build)
{
    char *dir = write_dir("versions");
    char *a = test_fmt("%s/a.litfass", dir), *b = test_fmt("%s/b.litfass", dir);
    char err[1024] = "";
    int64_t now = at("2021-06-01T15:30:20");
    /* nothing there yet: the local time as a number */
    CHECK_INT(build_default_version(now, a), 202106011530LL);
    CHECK(build_default_version(at("2021-06-01T15:31:00"), a) >
          build_default_version(now, a));
    /* a build of this minute is there: one more, also for another file in the folder */
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, a, build_default_version(now, a), now,
                            LITFASS_SOURCE_DIR "/assets/germany.geo", err, sizeof err),
              0);
    CHECK_STR(err, "");
    CHECK_INT(build_default_version(now, a), 202106011531LL);
    CHECK_INT(build_default_version(now, b), 202106011531LL);
    /* a hand-picked higher version nearby still loses to the next default */
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, b, 202112240000LL, now,
                            LITFASS_SOURCE_DIR "/assets/germany.geo", err, sizeof err),
              0);
    CHECK_INT(build_default_version(now, a), 202112240001LL);
    free(a);
    free(b);
    free(dir);
}

TEST(litfassctl_build_as_staff_run_it)
{
    char *src = source_dir("staff", schedule_cp1252, NULL);
    char *out = test_fmt("%s/inhalt.litfass", tmp);
    char *map = LITFASS_SOURCE_DIR "/assets/germany.geo";
    char buf[8192];
    /* no --version: a date-and-time version, said in the output, with the note */
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' build '%s' -o '%s' --map '%s'", litfassctl, src,
                         out, map);
    CHECK_INT(test_run(cmd, buf, sizeof buf), 0);
    CHECK_HAS(buf, "schedule.csv: Hinweis: nicht UTF-8, als Windows-1252");
    CHECK_HAS(buf, "gebaut: ");
    CHECK_HAS(buf, "(Inhaltsversion 20");
    long long v1 = version_of(out);
    CHECK(v1 > 202101010000LL); /* newer than version 1, 42, or any build before 2021 */
    char shown[64];
    snprintf(shown, sizeof shown, "Inhaltsversion %lld", v1);
    CHECK_HAS(buf, shown);
    /* again at once (same minute): still newer */
    CHECK_INT(test_run(cmd, buf, sizeof buf), 0);
    long long v2 = version_of(out);
    CHECK(v2 > v1);
    free(cmd);
    /* --version still wins */
    cmd = test_fmt(LITFASS_TEST_EXEC "'%s' build '%s' -o '%s' --map '%s' --version 7 --lang en",
                   litfassctl, src, out, map);
    CHECK_INT(test_run(cmd, buf, sizeof buf), 0);
    CHECK_HAS(buf, "note: not UTF-8, read as Windows-1252");
    CHECK_HAS(buf, "(content version 7)");
    CHECK_INT(version_of(out), 7);
    free(cmd);
    /* mistakes in two files: every one on its own line, exit 1, the old file kept */
    write_file(src, "sites.csv", "id;name;organisation;city;latitude;longitude;kind\n"
                                 "a;A;DRK;Bonn;fünfzig;7,10;DRK\n",
               strlen("id;name;organisation;city;latitude;longitude;kind\n"
                      "a;A;DRK;Bonn;fünfzig;7,10;DRK\n"));
    write_file(src, "schedule.csv", "Beginn;Ende;ganztägig;Titel\n01.06.2021 15:30;;ja;Film\n",
               strlen("Beginn;Ende;ganztägig;Titel\n01.06.2021 15:30;;ja;Film\n"));
    cmd = test_fmt(LITFASS_TEST_EXEC "'%s' build '%s' -o '%s' --map '%s'", litfassctl, src, out,
                   map);
    CHECK_INT(test_run(cmd, buf, sizeof buf), 1);
    CHECK_HAS(buf, "sites.csv:2: „latitude“ „fünfzig“ ist keine Zahl");
    CHECK_HAS(buf, "schedule.csv:2: „ganztägig“ ist „ja“, aber „Beginn“ hat eine Uhrzeit");
    CHECK_INT(version_of(out), 7); /* the failed build left the previous file alone */
    free(cmd);
    cmd = test_fmt(LITFASS_TEST_EXEC "'%s' build '%s' -o '%s' --lang xx", litfassctl, src, out);
    CHECK_INT(test_run(cmd, buf, sizeof buf), 2);
    CHECK_HAS(buf, "--lang must be de or en");
    free(cmd);
    free(out);
    free(src);
}

TEST(not_newer_notice_says_what_to_do)
{
    char buf[300];
    ui_set_language("de");
    snprintf(buf, sizeof buf, ui_str(UI_NOTHING_NEW), 202106011600LL);
    CHECK_HAS(buf, "installiert: 202106011600");
    CHECK_HAS(buf, "mit litfassctl build ohne --version neu bauen");
    CHECK_HAS(ui_str(UI_BUNDLE_NOT_NEWER), "ohne --version");
    ui_set_language("en");
    CHECK_HAS(ui_str(UI_NOTHING_NEW), "without --version");
    ui_set_language("de");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_sheets LITFASSCTL\n");
        return 2;
    }
    litfassctl = argv[1];
    tmp = test_tmpdir();
    clock_set_zone("Europe/Berlin");
    RUN(windows_1252_schedule_with_crlf_short_dates_and_trailing_columns);
    RUN(german_headings_in_any_spelling);
    RUN(contradictory_and_unclear_rows_are_errors_not_guesses);
    RUN(every_problem_of_a_build_in_one_run);
    RUN(default_version_is_newer_than_any_earlier_build);
    RUN(litfassctl_build_as_staff_run_it);
    RUN(not_newer_notice_says_what_to_do);
    return check_report();
}
