/* Content build: campaign Markdown with front matter -> content database, and
 * the rejection of bad sources with file, line and reason; the store's load-time
 * rules (non-finite map values, stacked combining marks) and the build applying the
 * same, so that maximal content builds and loads. */
#include "testutil.h"

#include "content/build.h"
#include "content/build_schedule.h"
#include "base/ui.h"
#include "base/utf8.h"
#include "check.h"
#include "store/store.h"

#include <sqlite3.h>

static const char *tmp;

static const char *front =
    "---\n"
    "title: Menschen stärken Menschen\n"
    "hashtag: \"#ZusammenhaltAufAbstand\"\n"
    "figure: 900 | Standorte\n"
    "---\n";

/* Parses src, expecting failure; returns the message. */
static const char *reject(const char *src)
{
    static char err[512];
    Campaign c;
    err[0] = '\0';
    int rc = build_parse_campaign("campaign.md", src, strlen(src), &c, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK(c.title == NULL && c.n_blocks == 0);
    return err;
}

TEST(default_content_parses_with_all_facts)
{
    const char *path = LITFASS_SOURCE_DIR "/content/campaign.md";
    size_t len;
    char *text = test_read(path, &len);
    CHECK(text != NULL);
    Campaign c;
    char err[512] = "";
    CHECK_INT(build_parse_campaign(path, text, len, &c, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_STR(c.title, "Menschen stärken Menschen");
    CHECK_STR(c.hashtag, "#ZusammenhaltAufAbstand");
    CHECK_STR(c.subtitle, "Digitaler Aktionstag am 01.06.2021");
    CHECK_STR(c.url, "https://msm-chancenpatenschaften.de/");
    CHECK_INT(c.color_primary, 0xE60005);
    CHECK_INT(c.n_figures, 5);
    const char *values[] = { "900", "über 140 000", "25", "19", "seit 2016" };
    for (int i = 0; i < 5 && i < c.n_figures; i++) {
        CHECK_STR(c.figures[i].value, values[i]);
    }
    /* the programme's facts are in the text */
    char all[8192] = "";
    for (int i = 0; i < c.n_blocks; i++) {
        for (int j = 0; j < c.blocks[i].n_spans; j++) {
            strncat(all, c.blocks[i].spans[j].text, sizeof all - strlen(all) - 1);
        }
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    CHECK_HAS(all, "2016");
    CHECK_HAS(all, "BMFSFJ");
    CHECK_HAS(all, "Chancenpatenschaften");
    CHECK_HAS(all, "19 Standorten");
    CHECK_HAS(all, "15:30");
    campaign_free(&c);
    free(text);
}

TEST(markdown_paragraphs_bold_headings_and_lists)
{
    char src[1024];
    snprintf(src, sizeof src,
             "%s\nErster **fetter** Absatz\nüber zwei Zeilen, *betont* und [verlinkt](https://x.de).\n\n"
             "## Überschrift\n\n- Punkt **eins**\n- Punkt zwei\n\nSchluss.\n",
             front);
    Campaign c;
    char err[512] = "";
    CHECK_INT(build_parse_campaign("campaign.md", src, strlen(src), &c, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(c.n_blocks, 5);
    if (c.n_blocks == 5) {
        CHECK_INT(c.blocks[0].kind, BLOCK_PARAGRAPH);
        CHECK_INT(c.blocks[0].n_spans, 3);
        CHECK_STR(c.blocks[0].spans[0].text, "Erster ");
        CHECK_INT(c.blocks[0].spans[1].bold, 1);
        CHECK_STR(c.blocks[0].spans[1].text, "fetter");
        /* soft line break becomes a space; emphasis and links stay as plain text */
        CHECK_STR(c.blocks[0].spans[2].text,
                  " Absatz über zwei Zeilen, betont und verlinkt.");
        CHECK_INT(c.blocks[1].kind, BLOCK_HEADING);
        CHECK_INT(c.blocks[1].level, 2);
        CHECK_STR(c.blocks[1].spans[0].text, "Überschrift");
        CHECK_INT(c.blocks[2].kind, BLOCK_ITEM);
        CHECK_INT(c.blocks[2].spans[1].bold, 1);
        CHECK_INT(c.blocks[3].kind, BLOCK_ITEM);
        CHECK_INT(c.blocks[4].kind, BLOCK_PARAGRAPH);
    }
    campaign_free(&c);
}

TEST(front_matter_accepts_bom_comments_quotes_and_crlf)
{
    const char *src = "\xEF\xBB\xBF---\r\n# a comment\r\ntitle: \"Titel\"\r\n"
                      "color_primary: #00aa33\r\n---\r\nText.\r\n";
    Campaign c;
    char err[512] = "";
    CHECK_INT(build_parse_campaign("campaign.md", src, strlen(src), &c, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_STR(c.title, "Titel");
    CHECK_INT(c.color_primary, 0x00AA33);
    CHECK_INT(c.n_blocks, 1);
    campaign_free(&c);
}

TEST(bad_sources_are_rejected_with_line_and_reason)
{
    CHECK_HAS(reject("title: x\n"), "campaign.md:1: must start with front matter");
    CHECK_HAS(reject("---\ntitle: x\n"), "campaign.md:2: front matter is not closed");
    CHECK_HAS(reject("---\ntitle: x\ntitel: y\n---\n"),
              "campaign.md:3: unknown front matter key 'titel'");
    CHECK_HAS(reject("---\ntitle: x\ntitle: y\n---\n"), "campaign.md:3: front matter key 'title' appears twice");
    CHECK_HAS(reject("---\nhashtag: #x\n---\n"), "campaign.md:1: front matter has no 'title'");
    CHECK_HAS(reject("---\ntitle: x\ncolor_primary: red\n---\n"),
              "campaign.md:3: 'color_primary' must be a colour like #E60005");
    CHECK_HAS(reject("---\ntitle: x\nfigure: 900 Standorte\n---\n"),
              "campaign.md:3: 'figure' must be 'value | label'");
    CHECK_HAS(reject("---\ntitle: x\nurl: ftp://x.de\n---\n"), "campaign.md:3: 'url' must be a web address");
    CHECK_HAS(reject("---\ntitle: x\njust text\n---\n"), "campaign.md:3: expected 'key: value'");
    CHECK_HAS(reject("---\ntitle: x\nvalid_until: 31.02.2021\n---\n"),
              "campaign.md:3: 'valid_until' is not a day");
    CHECK_HAS(reject("---\ntitle: x\nvalid_from: 2021-06-02\nvalid_until: 01.06.2021\n---\n"),
              "campaign.md:4: valid_until lies before valid_from");
    CHECK_HAS(reject("---\ntitle: x\n---\n\nText\n\n<div>x</div>\n"),
              "campaign.md:7: HTML is not supported");
    CHECK_HAS(reject("---\ntitle: x\n---\nText\n\n    code\n"), "campaign.md:6: code blocks are not supported");
    CHECK_HAS(reject("---\ntitle: x\n---\nA ![bild](a.png)\n"),
              "campaign.md:4: a picture inside a paragraph is not supported");
    CHECK_HAS(reject("---\ntitle: x\n---\n\n> zitat\n"), "campaign.md:5: block quotes are not supported");
    /* invalid UTF-8 is reported on its line. (A lone Latin-1 "ä" was refused here
     * too; now such a file is read as Windows-1252, see test_sheets.) */
    CHECK_HAS(reject("---\ntitle: x\n---\nA\xed\xa0\x80\n"), "campaign.md:4: invalid UTF-8");
    CHECK_HAS(reject("---\ntitle: Grüße\n---\nGr\xe4tsche\n"), "campaign.md:4: invalid UTF-8");
    char many[1024];
    snprintf(many, sizeof many, "---\ntitle: x\n");
    for (int i = 0; i < 9; i++) {
        strcat(many, "figure: 1 | a\n");
    }
    strcat(many, "---\n");
    CHECK_HAS(reject(many), "campaign.md:11: more than 8 figures");
    char longtitle[600] = "---\ntitle: ";
    for (int i = 0; i < 200; i++) {
        strcat(longtitle, "x");
    }
    strcat(longtitle, "\n---\n");
    CHECK_HAS(reject(longtitle), "campaign.md:2: 'title' is longer than 160 characters");
}

TEST(build_writes_a_versioned_database_the_store_reads_back)
{
    char out[512], err[512] = "";
    const char *src = LITFASS_CONTENT_DIR;
    snprintf(out, sizeof out, "%s/built.litfass", tmp);
    CHECK_INT(build_content(src, out, 42, 1622554200000LL, NULL, err, sizeof err), 0);
    CHECK_STR(err, "");
    Store *s;
    CHECK_INT(store_open(out, &s, err, sizeof err), 0);
    Model m;
    memset(&m, 0, sizeof m);
    model_free(&m);
    CHECK_INT(store_load(s, &m, err, sizeof err), 0);
    store_close(s);
    CHECK_INT(m.has_content, 1);
    CHECK_INT(m.content_version, 42);
    CHECK_STR(m.created, "2021-06-01T13:30:00Z");
    CHECK_STR(m.campaign.title, "Menschen stärken Menschen");
    CHECK_INT(m.campaign.n_figures, 5);
    CHECK_INT(m.campaign.color_primary, 0xE60005);
    CHECK(m.campaign.n_blocks >= 5);
    model_free(&m);

    sqlite3 *db;
    sqlite3_open(out, &db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    /* translations and the poster: schema 5, the one that holds pictures (a build without
     * libvips tests a copy of the content without the poster: schema 4, the oldest that
     * holds translations) */
#ifdef LITFASS_VIPS_TESTS
    CHECK_INT(sqlite3_column_int(st, 0), 5);
#else
    CHECK_INT(sqlite3_column_int(st, 0), 4);
#endif
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST(failed_build_keeps_the_previous_database)
{
    char dir[512], out[512], err[512] = "";
    snprintf(dir, sizeof dir, "%s/bad-src", tmp);
    mkdir(dir, 0755);
    char path[600];
    snprintf(path, sizeof path, "%s/campaign.md", dir);
    const char *good = "---\ntitle: ok\n---\nText\n";
    test_write(path, good, strlen(good));
    snprintf(out, sizeof out, "%s/keep.litfass", tmp);
    CHECK_INT(build_content(dir, out, 1, 0, NULL, err, sizeof err), 0);
    size_t before_len, after_len;
    char *before = test_read(out, &before_len);
    const char *bad = "---\ntitle: ok\nbogus: 1\n---\n";
    test_write(path, bad, strlen(bad));
    CHECK_INT(build_content(dir, out, 2, 0, NULL, err, sizeof err), -1);
    CHECK_HAS(err, "campaign.md:3: unknown front matter key 'bogus'");
    char *after = test_read(out, &after_len);
    CHECK(after && before_len == after_len && memcmp(before, after, before_len) == 0);
    char tmpf[700];
    snprintf(tmpf, sizeof tmpf, "%s.tmp", out);
    CHECK(access(tmpf, F_OK) != 0);
    free(before);
    free(after);
    /* a missing source folder names the file */
    snprintf(dir, sizeof dir, "%s/nowhere", tmp);
    CHECK_INT(build_content(dir, out, 1, 0, NULL, err, sizeof err), -1);
    CHECK_HAS(err, "nowhere/campaign.md: cannot open");
}

/* Builds a valid database, then runs sql on it (to tamper with it). */
static void tampered(const char *name, const char *sql, char *out, size_t len)
{
    char err[512];
    const char *src = LITFASS_CONTENT_DIR;
    snprintf(out, len, "%s/%s", tmp, name);
    CHECK_INT(build_content(src, out, 1, 0, NULL, err, sizeof err), 0);
    if (sql) {
        sqlite3 *db;
        sqlite3_open(out, &db);
        CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
}

static const char *open_error(const char *path)
{
    static char err[512];
    Store *s = (Store *)1;
    err[0] = '\0';
    CHECK_INT(store_open(path, &s, err, sizeof err), -1);
    CHECK(s == NULL);
    return err;
}

TEST(store_refuses_databases_it_cannot_trust)
{
    char path[600];
    tampered("trigger.litfass",
             "CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END;", path, sizeof path);
    CHECK_HAS(open_error(path), "unexpected trigger 't'");
    tampered("view.litfass", "CREATE VIEW v AS SELECT 1;", path, sizeof path);
    CHECK_HAS(open_error(path), "unexpected view 'v'");
    tampered("extra.litfass", "CREATE TABLE evil(x);", path, sizeof path);
    CHECK_HAS(open_error(path), "unexpected table 'evil'");
    tampered("schema.litfass", "PRAGMA user_version=99;", path, sizeof path);
    CHECK_HAS(open_error(path), "schema version 99 is not supported");

    snprintf(path, sizeof path, "%s/text.litfass", tmp);
    test_write(path, "just some text, not a database", 30);
    CHECK_HAS(open_error(path), "not an SQLite content database");

    /* cut a valid database in half */
    tampered("cut.litfass", NULL, path, sizeof path);
    size_t len;
    char *data = test_read(path, &len);
    test_write(path, data, len / 2);
    free(data);
    CHECK_HAS(open_error(path), "corrupt");

    snprintf(path, sizeof path, "%s/missing.litfass", tmp);
    CHECK_HAS(open_error(path), "missing.litfass: cannot open");
}

TEST(store_rejects_invalid_utf8_in_content)
{
    char path[600], err[512];
    tampered("utf8.litfass", "UPDATE campaign SET value = CAST(X'4142FF' AS TEXT) WHERE key='title';",
             path, sizeof path);
    Store *s;
    CHECK_INT(store_open(path, &s, err, sizeof err), 0);
    Model m;
    memset(&m, 0, sizeof m);
    model_free(&m);
    CHECK_INT(store_load(s, &m, err, sizeof err), -1);
    CHECK_HAS(err, "not valid UTF-8");
    CHECK_INT(m.has_content, 0);
    store_close(s);
}

TEST(state_dir_pointer_names_a_file_inside_it)
{
    char dir[512], p[600], buf[700], err[512];
    snprintf(dir, sizeof dir, "%s/state", tmp);
    mkdir(dir, 0755);
    CHECK_INT(store_current_path(dir, buf, sizeof buf, err, sizeof err), -1);
    CHECK_HAS(err, "no content installed yet");
    snprintf(p, sizeof p, "%s/current", dir);
    test_write(p, "content-7.litfass\n", 18);
    CHECK_INT(store_current_path(dir, buf, sizeof buf, err, sizeof err), 0);
    CHECK_HAS(buf, "/state/content-7.litfass");
    test_write(p, "../../etc/passwd\n", 17);
    CHECK_INT(store_current_path(dir, buf, sizeof buf, err, sizeof err), -1);
    CHECK_HAS(err, "malformed content pointer");
}

/* Loads path expecting failure; returns the message. */
static const char *load_error(const char *path)
{
    static char err[512];
    Model m;
    memset(&m, 0, sizeof m);
    model_free(&m);
    err[0] = '\0';
    Store *s;
    if (store_open(path, &s, err, sizeof err) == 0) {
        CHECK_INT(store_load(s, &m, err, sizeof err), -1);
        CHECK_INT(m.has_content, 0);
        store_close(s);
    }
    model_free(&m);
    return err;
}

TEST(store_refuses_non_finite_and_absurd_map_values)
{
    char path[600];
    /* the region: NaN, infinities, a box of no real extent, latitudes at the pole */
    tampered("region-nan.litfass", "UPDATE meta SET value = 'nan 47 15 55' WHERE key='map_region'",
             path, sizeof path);
    CHECK_HAS(load_error(path), "map_region");
    tampered("region-inf.litfass", "UPDATE meta SET value = '-inf 47 inf 55' WHERE key='map_region'",
             path, sizeof path);
    CHECK_HAS(load_error(path), "map region -inf 47 inf 55 is not a box");
    tampered("region-huge.litfass",
             "UPDATE meta SET value = '-1e300 47 1e300 55' WHERE key='map_region'", path,
             sizeof path);
    CHECK_HAS(load_error(path), "map region");
    tampered("region-tiny.litfass",
             "UPDATE meta SET value = '10 50 10.000001 50.000001' WHERE key='map_region'", path,
             sizeof path);
    CHECK_HAS(load_error(path), "at least 0.01 degrees");
    tampered("region-pole.litfass", "UPDATE meta SET value = '5 47 15 89.9' WHERE key='map_region'",
             path, sizeof path);
    CHECK_HAS(load_error(path), "map region");
    /* a ring's first longitude as float NaN, +inf, 1e30 (little-endian float32) */
    const char *bad[] = { "0000C07F", "0000807F", "CBF2C971" };
    for (int i = 0; i < 3; i++) {
        char name[64], sql[200];
        snprintf(name, sizeof name, "ring-%d.litfass", i);
        snprintf(sql, sizeof sql,
                 "UPDATE map_ring SET points = X'%s' || substr(points, 5) WHERE pos = 0", bad[i]);
        tampered(name, sql, path, sizeof path);
        const char *e = load_error(path);
        CHECK(strstr(e, "map geometry has invalid coordinates") || strstr(e, "map ring 1"));
    }
    /* a focus ring squeezed to a few metres would make the scale absurd */
    tampered("ring-tiny.litfass",
             "UPDATE map_ring SET points = X'0000204100004842' || X'0000204100004842' || "
             "X'0A00204100004842' || X'0000204102004842' WHERE focus = 1", path, sizeof path);
    CHECK_HAS(load_error(path), "focus rings span less than 0.01 degrees");
    /* a site far off the map (the build refuses it; so does the store) */
    tampered("site-off.litfass", "UPDATE site SET lat = -80 WHERE id = (SELECT min(id) FROM site)",
             path, sizeof path);
    CHECK_HAS(load_error(path), "lies outside the map region");
}

/* "Litfaß" with n acute accents after the a */
static char *zalgo(const char *before, int n, const char *after)
{
    size_t a = strlen(before), b = strlen(after);
    char *s = malloc(a + 2 * (size_t)n + b + 1);
    memcpy(s, before, a);
    for (int i = 0; i < n; i++) {
        memcpy(s + a + 2 * i, "\xcc\x81", 2); /* U+0301 COMBINING ACUTE ACCENT */
    }
    memcpy(s + a + 2 * (size_t)n, after, b + 1);
    return s;
}

TEST(stacked_combining_marks_are_refused_at_build_and_at_load)
{
    char err[512];
    /* four marks on one letter are fine; five are not, 150 surely not */
    char *ok = zalgo("---\ntitle: Lita", 4, "f\n---\nText\n");
    Campaign c;
    CHECK_INT(build_parse_campaign("campaign.md", ok, strlen(ok), &c, err, sizeof err), 0);
    campaign_free(&c);
    free(ok);
    char *title = zalgo("---\ntitle: Lita", 150, "f\n---\nText\n");
    const char *e = reject(title);
    CHECK_HAS(e, "campaign.md:2: 'title' has 150 combining marks in a row (at most 4");
    free(title);
    char *body = zalgo("---\ntitle: T\n---\n\nErster Absatz.\n\nZweiter a", 5, " Absatz.\n");
    CHECK_HAS(reject(body), "campaign.md:7: 'text' has 5 combining marks");
    free(body);
    char *fig = zalgo("---\ntitle: T\nfigure: 9 | a", 5, "\n---\n");
    CHECK_HAS(reject(fig), "campaign.md:3: 'figure' has 5 combining marks");
    free(fig);
    /* sites.csv, schedule.csv, iCalendar: with file and line */
    MapGeo g = { 5, 47, 15, 55, NULL, 0 };
    char *sites = zalgo("id,name,organisation,city,latitude,longitude,kind\n"
                        "a,Name,Org,Berlin,52.5,13.4,DRK\nb,Na", 5, "me,Org,Köln,50.9,6.9,DRK\n");
    Site *sv = NULL;
    int ns = 0;
    CHECK_INT(build_parse_sites("sites.csv", sites, strlen(sites), &g, &sv, &ns, err, sizeof err), -1);
    CHECK_HAS(err, "sites.csv:3: 'name' has 5 combining marks");
    free(sites);
    EventList l = { 0 };
    char *csv = zalgo("start;title;place\n2021-06-01;Tag;O", 5, "rt\n");
    CHECK_INT(build_parse_schedule_csv("schedule.csv", csv, strlen(csv), &l, err, sizeof err), -1);
    CHECK_HAS(err, "schedule.csv:2: event 'Tag': 'place' has 5 combining marks");
    event_list_free(&l);
    free(csv);
    char *ics = zalgo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                      "DTSTART;VALUE=DATE:20210601\r\nSUMMARY:Ta", 6,
                      "g\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    CHECK_INT(build_parse_ics("k.ics", ics, strlen(ics), 1622548800000LL, &l, err, sizeof err), -1);
    CHECK_HAS(err, "k.ics:4: event 'Ta");
    CHECK_HAS(err, "SUMMARY has 6 combining marks");
    event_list_free(&l);
    free(ics);
    /* a signed database that carries them anyway: refused at load, with the field */
    char path[600], sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE campaign SET value = 'Litfa' || printf('%%.150c', 'x') WHERE key='title'");
    tampered("zalgo.litfass",
             "UPDATE campaign SET value = 'Lita' || replace(printf('%.150c', 'x'), 'x', "
             "char(769)) || 'f' WHERE key = 'title'",
             path, sizeof path);
    CHECK_HAS(load_error(path), "campaign: 'title' has 150 combining marks in a row");
    tampered("zalgo-event.litfass",
             "UPDATE event SET description = 'x' || replace(printf('%.9c', 'x'), 'x', "
             "char(1155)) WHERE pos = 0",
             path, sizeof path);
    CHECK_HAS(load_error(path), "event 1: 'description' has 9 combining marks");
}

TEST(ics_texts_have_the_csv_caps_with_file_and_line)
{
    char err[512];
    EventList l = { 0 };
    const char *head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
                       "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20210601\r\n"
                       "SUMMARY:Fest\r\nEND:VEVENT\r\n"
                       "BEGIN:VEVENT\r\nUID:2\r\nDTSTART:20210601T153000Z\r\n"
                       "SUMMARY:Film\r\n";
    /* a 10 KB DESCRIPTION, folded as calendar programs write it */
    char *desc = malloc(20000);
    size_t n = 0;
    n += (size_t)sprintf(desc, "DESCRIPTION:");
    for (int i = 0; i < 10000; i++) {
        if (i && i % 70 == 0) {
            n += (size_t)sprintf(desc + n, "\r\n ");
        }
        desc[n++] = 'a' + i % 26;
    }
    desc[n] = '\0';
    char *ics = test_fmt("%s%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", head, desc);
    CHECK_INT(build_parse_ics("cal.ics", ics, strlen(ics), 1622548800000LL, &l, err, sizeof err), -1);
    CHECK_HAS(err, "cal.ics:9: event 'Film': DESCRIPTION is 10000 characters long, more than 600");
    event_list_free(&l);
    free(ics);
    free(desc);
    char *loc = test_fmt("%sLOCATION:%0161d\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", head, 0);
    CHECK_INT(build_parse_ics("cal.ics", loc, strlen(loc), 1622548800000LL, &l, err, sizeof err), -1);
    CHECK_HAS(err, "cal.ics:9: event 'Film': LOCATION is 161 characters long, more than 160");
    event_list_free(&l);
    free(loc);
    /* the caps themselves are fine, in characters, not bytes */
    char t160[700] = "", d600[2000] = "";
    for (int i = 0; i < 160; i++) {
        strcat(t160, "\xc3\xa4");
    }
    for (int i = 0; i < 600; i++) {
        strcat(d600, "\xe2\x82\xac");
    }
    char *max = test_fmt("%sLOCATION:%s\r\nDESCRIPTION:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                         head, t160, d600);
    CHECK_INT(build_parse_ics("cal.ics", max, strlen(max), 1622548800000LL, &l, err, sizeof err), 0);
    CHECK_INT(l.n, 2);
    event_list_free(&l);
    free(max);
}

/* n copies of a character */
static void fill(char *buf, const char *ch, int n)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        strcat(buf, ch);
    }
}

TEST(maximal_content_builds_and_loads)
{
    /* every text at the build's caps in 4-byte characters, the longest paragraph, the
     * longest url, four marks on a letter, sites on the edge of the map's margin, the
     * longest iCalendar and CSV texts: what the build accepts, the store must load */
    char src[600], out[700], err[600];
    snprintf(src, sizeof src, "%s/maximal", tmp);
    mkdir(src, 0755);
    static char t160[1000], d600[3000], para[9000], url[300], md[40000], file[700];
    fill(t160, "\xf0\x9f\x98\x80", 160);
    fill(d600, "\xf0\x9f\x98\x80", 600);
    memset(para, 'x', 8192);
    para[8192] = '\0';
    memcpy(para, "a\xcc\x81\xcc\x81\xcc\x81\xcc\x81", 9); /* four marks: the most allowed */
    snprintf(url, sizeof url, "https://example.org/%0236d", 0);
    CHECK_INT(strlen(url), 256);
    int k = snprintf(md, sizeof md,
                     "---\ntitle: %s\nhashtag: %s\nsubtitle: %s\nurl: %s\nurl_label: %s\n"
                     "source: %s\nmap_title: %s\nmap_note: %s\n",
                     t160, t160, t160, url, t160, t160, t160, t160);
    for (int i = 0; i < 8; i++) {
        k += snprintf(md + k, sizeof md - (size_t)k, "figure: %040d | %080d\n", i, i);
    }
    snprintf(md + k, sizeof md - (size_t)k, "---\n\n%s\n", para);
    snprintf(file, sizeof file, "%s/campaign.md", src);
    test_write(file, md, strlen(md));
    /* sites exactly on the margin around the default map's region */
    char *sites = test_fmt("id,name,organisation,city,latitude,longitude,kind,address,url\n"
                           "%s,%s,%s,%s,%.4f,%.4f,%s,%s,%s\n"
                           "b,%s,%s,%s,%.4f,%.4f,%s,%s,%s\n",
                           t160, t160, t160, t160, 47.2706 - 0.5, 5.8519 - 0.5, t160, t160, t160,
                           t160, t160, t160, 55.0651 + 0.5, 15.0212 + 0.5, t160, t160, t160);
    snprintf(file, sizeof file, "%s/sites.csv", src);
    test_write(file, sites, strlen(sites));
    free(sites);
    char *csv = test_fmt("start,title,place,description\n2021-06-01 15:30,%s,%s,%s\n", t160, t160,
                         d600);
    snprintf(file, sizeof file, "%s/schedule.csv", src);
    test_write(file, csv, strlen(csv));
    free(csv);
    char *ics = test_fmt("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                         "DTSTART:20210601T153000Z\r\nSUMMARY:%s\r\nLOCATION:%s\r\n"
                         "DESCRIPTION:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                         t160, t160, d600);
    snprintf(file, sizeof file, "%s/cal.ics", src);
    test_write(file, ics, strlen(ics));
    free(ics);
    snprintf(out, sizeof out, "%s/maximal.litfass", tmp);
    int rc = build_content(src, out, 1, 1622548800000LL, NULL, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "maximal build: %s\n", err);
    }
    CHECK_INT(rc, 0);
    Model m;
    memset(&m, 0, sizeof m);
    rc = store_load_path(out, &m);
    if (rc != 0) {
        fprintf(stderr, "maximal load: %s\n", m.problem);
    }
    CHECK_INT(rc, 0);
    CHECK_INT(m.n_sites, 2);
    CHECK_INT(m.n_events, 2);
    CHECK_INT(m.campaign.n_figures, 8);
    CHECK_STR(m.campaign.url, url);
    model_free(&m);
    /* one byte more in the paragraph: refused by the build, with file and line */
    strcat(para, "y");
    snprintf(md, sizeof md, "---\ntitle: T\n---\n\n%s\n", para);
    snprintf(file, sizeof file, "%s/campaign.md", src);
    test_write(file, md, strlen(md));
    CHECK_INT(build_content(src, out, 2, 1622548800000LL, NULL, err, sizeof err), -1);
    CHECK_HAS(err, "campaign.md:5: a paragraph is 8193 bytes long, more than 8192");
    /* an 8 KB url: refused by the build with the limit */
    char *long_url = test_fmt("---\ntitle: T\nurl: https://example.org/%08000d\n---\nText\n", 0);
    CHECK_HAS(reject(long_url), "campaign.md:3: 'url' must be a web address");
    CHECK_HAS(reject(long_url), "at most 256 bytes (this one has 8020)");
    free(long_url);
}

int main(void)
{
    tmp = test_tmpdir();
    ui_set_language("en"); /* these tests predate the German default and read English */
    RUN(default_content_parses_with_all_facts);
    RUN(markdown_paragraphs_bold_headings_and_lists);
    RUN(front_matter_accepts_bom_comments_quotes_and_crlf);
    RUN(bad_sources_are_rejected_with_line_and_reason);
    RUN(build_writes_a_versioned_database_the_store_reads_back);
    RUN(failed_build_keeps_the_previous_database);
    RUN(store_refuses_databases_it_cannot_trust);
    RUN(store_rejects_invalid_utf8_in_content);
    RUN(state_dir_pointer_names_a_file_inside_it);
    RUN(store_refuses_non_finite_and_absurd_map_values);
    RUN(stacked_combining_marks_are_refused_at_build_and_at_load);
    RUN(ics_texts_have_the_csv_caps_with_file_and_line);
    RUN(maximal_content_builds_and_loads);
    return check_report();
}
