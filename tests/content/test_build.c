/* Content build: campaign Markdown with front matter -> content database, and
 * the rejection of bad sources with file, line and reason. */
#include "testutil.h"

#include "content/build.h"
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
    CHECK_HAS(reject("---\ntitle: x\n---\n\nText\n\n<div>x</div>\n"),
              "campaign.md:7: HTML is not supported");
    CHECK_HAS(reject("---\ntitle: x\n---\nText\n\n    code\n"), "campaign.md:6: code blocks are not supported");
    CHECK_HAS(reject("---\ntitle: x\n---\nA ![bild](a.png)\n"), "campaign.md:4: images are not supported");
    CHECK_HAS(reject("---\ntitle: x\n---\n\n> zitat\n"), "campaign.md:5: block quotes are not supported");
    /* invalid UTF-8 (a Latin-1 "ä") is reported on its line */
    CHECK_HAS(reject("---\ntitle: x\n---\nGr\xe4tsche\n"), "campaign.md:4: invalid UTF-8");
    CHECK_HAS(reject("---\ntitle: x\n---\nA\xed\xa0\x80\n"), "campaign.md:4: invalid UTF-8");
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
    const char *src = LITFASS_SOURCE_DIR "/content";
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
    CHECK_INT(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
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
    const char *src = LITFASS_SOURCE_DIR "/content";
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

int main(void)
{
    tmp = test_tmpdir();
    RUN(default_content_parses_with_all_facts);
    RUN(markdown_paragraphs_bold_headings_and_lists);
    RUN(front_matter_accepts_bom_comments_quotes_and_crlf);
    RUN(bad_sources_are_rejected_with_line_and_reason);
    RUN(build_writes_a_versioned_database_the_store_reads_back);
    RUN(failed_build_keeps_the_previous_database);
    RUN(store_refuses_databases_it_cannot_trust);
    RUN(store_rejects_invalid_utf8_in_content);
    RUN(state_dir_pointer_names_a_file_inside_it);
    return check_report();
}
