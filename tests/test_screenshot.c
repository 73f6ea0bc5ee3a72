/* Headless render: the real litfass binary renders every page at every target
 * resolution; the PNG must be a real picture of the page and the JSON draw list
 * must keep every item on screen. Also the start-up errors a site would meet. */
#include "testutil.h"

#include "check.h"

#include <SDL.h>
#include <SDL_image.h>
#include <cjson/cJSON.h>

static const char *litfass, *litfassctl, *tmp;
static char db[512];

static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    Uint8 *row = (Uint8 *)s->pixels + y * s->pitch;
    Uint32 v = ((Uint32 *)row)[x];
    Uint8 r, g, b;
    SDL_GetRGB(v, s->format, &r, &g, &b);
    return (Uint32)r << 16 | (Uint32)g << 8 | b;
}

static cJSON *load_json(const char *path)
{
    char *text = test_read(path, NULL);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    return j;
}

/* Checks one page's JSON; returns the concatenated texts for content checks. */
static void check_json(const char *path, int w, int h, int min_texts, char *texts, size_t len)
{
    cJSON *j = load_json(path);
    CHECK(j != NULL);
    if (!j) {
        return;
    }
    CHECK_INT(cJSON_GetObjectItem(j, "width")->valueint, w);
    CHECK_INT(cJSON_GetObjectItem(j, "height")->valueint, h);
    cJSON *items = cJSON_GetObjectItem(j, "items");
    CHECK(cJSON_IsArray(items) && cJSON_GetArraySize(items) >= min_texts);
    int outside = 0, texts_n = 0;
    texts[0] = '\0';
    cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        cJSON *kind = cJSON_GetObjectItem(it, "kind");
        cJSON *rect = cJSON_GetObjectItem(it, "rect");
        CHECK(cJSON_IsString(kind) && cJSON_IsArray(rect) && cJSON_GetArraySize(rect) == 4);
        if (!cJSON_IsArray(rect)) {
            continue;
        }
        int x = cJSON_GetArrayItem(rect, 0)->valueint, y = cJSON_GetArrayItem(rect, 1)->valueint;
        int rw = cJSON_GetArrayItem(rect, 2)->valueint, rh = cJSON_GetArrayItem(rect, 3)->valueint;
        if (x < 0 || y < 0 || x + rw > w || y + rh > h || rw <= 0 || rh <= 0) {
            outside++;
        }
        if (!strcmp(kind->valuestring, "text")) {
            texts_n++;
            cJSON *t = cJSON_GetObjectItem(it, "text");
            cJSON *size = cJSON_GetObjectItem(it, "size");
            CHECK(cJSON_IsString(t) && cJSON_IsNumber(size) && size->valueint > 0);
            if (cJSON_IsString(t)) {
                strncat(texts, t->valuestring, len - strlen(texts) - 2);
                strcat(texts, "\n");
            }
        }
    }
    CHECK_INT(outside, 0);
    CHECK(texts_n >= min_texts);
    cJSON_Delete(j);
}

/* The PNG has the screen's size, is not blank, and shows the header band in the
 * theme's red behind white title text. */
static void check_png(const char *path, int w, int h, int expect_red_header)
{
    SDL_Surface *s = IMG_Load(path);
    CHECK(s != NULL);
    if (!s) {
        return;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    CHECK_INT(c->w, w);
    CHECK_INT(c->h, h);
    /* not blank: many distinct colours, no colour covering nearly everything */
    int distinct = 0, step = 7;
    Uint32 seen[64];
    int counts[64] = { 0 }, total = 0;
    for (int y = 0; y < c->h; y += step) {
        for (int x = 0; x < c->w; x += step) {
            Uint32 v = pixel(c, x, y);
            total++;
            int k;
            for (k = 0; k < distinct && seen[k] != v; k++) {
            }
            if (k == distinct && distinct < 64) {
                seen[distinct++] = v;
            }
            if (k < 64) {
                counts[k]++;
            }
        }
    }
    CHECK(distinct >= 20);
    for (int k = 0; k < distinct; k++) {
        CHECK(counts[k] < total * 9 / 10);
    }
    if (expect_red_header) {
        CHECK_INT(pixel(c, 2, 2), 0xE60005);
    }
    SDL_FreeSurface(c);
}

TEST(every_page_renders_at_every_resolution)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        char dir[600], cmd[2000], out[4096], png[700], json[700];
        snprintf(dir, sizeof dir, "%s/shots/%dx%d", tmp, w, h);
        snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --db %s --screenshot %s --size %dx%d --now 2021-06-01T15:30",
                 litfass, db, dir, w, h);
        CHECK_INT(test_run(cmd, out, sizeof out), 0);
        snprintf(png, sizeof png, "%s/campaign.png", dir);
        snprintf(json, sizeof json, "%s/campaign.json", dir);
        CHECK_HAS(out, png); /* it says where the files are */
        check_png(png, w, h, 1);
        static char texts[16384];
        check_json(json, w, h, 20, texts, sizeof texts);
        CHECK_HAS(texts, "#ZusammenhaltAufAbstand");
        CHECK_HAS(texts, "Dienstag, 1. Juni 2021");
        /* the map page */
        snprintf(png, sizeof png, "%s/map.png", dir);
        snprintf(json, sizeof json, "%s/map.json", dir);
        CHECK_HAS(out, png);
        check_png(png, w, h, 1);
        check_json(json, w, h, 10, texts, sizeof texts);
        CHECK_HAS(texts, "DRK an 19 Standorten");
        CHECK_HAS(texts, "Beispieldaten");
        char *j = test_read(json, NULL);
        CHECK_HAS(j, "\"kind\": \"map\"");
        CHECK_HAS(j, "\"kind\": \"marker\"");
        CHECK_HAS(j, "\"kind\": \"label\"");
        free(j);
        /* the schedule page at 15:30: the film is on now */
        snprintf(png, sizeof png, "%s/schedule.png", dir);
        snprintf(json, sizeof json, "%s/schedule.json", dir);
        CHECK_HAS(out, png);
        check_png(png, w, h, 1);
        check_json(json, w, h, 8, texts, sizeof texts);
        CHECK_HAS(texts, "Jetzt");
        CHECK_HAS(texts, "ganztägig");
    }
}

TEST(missing_content_renders_the_no_content_page)
{
    char dir[600], cmd[2000], out[4096], json[700], png[700];
    snprintf(dir, sizeof dir, "%s/shots/none", tmp);
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --state-dir %s/empty-state --screenshot %s --size 1920x1080",
             litfass, tmp, dir);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    CHECK_HAS(out, "kiosk: no content:"); /* the log says why */
    CHECK_HAS(out, "empty-state/current");
    snprintf(json, sizeof json, "%s/campaign.json", dir);
    snprintf(png, sizeof png, "%s/campaign.png", dir);
    static char texts[16384];
    check_json(json, 1920, 1080, 3, texts, sizeof texts);
    CHECK_HAS(texts, "Zurzeit kein Inhalt");
    check_png(png, 1920, 1080, 0);
}

TEST(missing_font_is_a_clear_startup_error)
{
    char cmd[2000], out[4096];
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --db %s --font-dir %s/nofonts --screenshot %s/x --size 800x600",
             litfass, db, tmp, tmp);
    CHECK(test_run(cmd, out, sizeof out) != 0);
    CHECK_HAS(out, "nofonts/NotoSans-Regular.ttf");
    CHECK_HAS(out, "cannot open font");
}

TEST(a_full_screen_without_a_display_waits_quietly_instead_of_exiting)
{
    /* no GPU, no monitor yet: one line, then waiting (still running after 4 s), not an exit
     * that systemd would answer with a restart every two seconds */
    char out[4096];
    char *cmd = test_fmt("SDL_VIDEODRIVER=nonexistent timeout 4 " LITFASS_TEST_EXEC
                         "'%s' --db '%s' --fullscreen",
                         litfass, db);
    CHECK_INT(test_run(cmd, out, sizeof out), 124); /* timeout ended it: it was waiting */
    CHECK_HAS(out, "trying again in 10 s, then less often");
    int lines = 0;
    for (const char *p = out; (p = strstr(p, "trying again")); p++) {
        lines++;
    }
    CHECK_INT(lines, 1);
    free(cmd);
}

TEST(bad_arguments_and_configuration_are_named)
{
    char cmd[2000], out[4096], conf[700];
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --rotate 45 --screenshot %s/x --size 800x600", litfass, tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "--rotate: 'rotate' must be 0, 90, 180 or 270");
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --pages campaign,weather --screenshot %s/x --size 800x600",
             litfass, tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "unknown page 'weather'");
    snprintf(conf, sizeof conf, "%s/bad.conf", tmp);
    const char *ini = "[display]\npage_seconds = 20\n\n[locale]\ntimezone = Mars/Olympus\n";
    test_write(conf, ini, strlen(ini));
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --config %s --screenshot %s/x --size 800x600", litfass, conf,
             tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "bad.conf:5: unknown time zone 'Mars/Olympus'");
    ini = "[content]\nrotate = 90\n";
    test_write(conf, ini, strlen(ini));
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "bad.conf:2: key 'rotate' belongs in section [display]");
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --config %s/none.conf", litfass, tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "none.conf: cannot open");
}

TEST(config_file_and_flags_both_set_keys)
{
    char cmd[2000], out[4096], conf[700], json[700];
    snprintf(conf, sizeof conf, "%s/good.conf", tmp);
    char ini[1200];
    snprintf(ini, sizeof ini, "[content]\ndb = %s\n[locale]\nlanguage = en\n", db);
    test_write(conf, ini, strlen(ini));
    /* the file sets English; the flag switches back to German */
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --config %s --screenshot %s/cfg --size 1280x720 --now 2021-06-01T15:30",
             litfass, conf, tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    snprintf(json, sizeof json, "%s/cfg/campaign.json", tmp);
    char *j = test_read(json, NULL);
    CHECK_HAS(j, "Tuesday, 1 June 2021");
    free(j);
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s --config %s --language de --screenshot %s/cfg --size 1280x720 --now 2021-06-01T15:30",
             litfass, conf, tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    j = test_read(json, NULL);
    CHECK_HAS(j, "Dienstag, 1. Juni 2021");
    free(j);
}

TEST(litfassctl_build_reports_file_line_and_reason)
{
    char cmd[2000], out[4096], dir[600], md[700], dbp[700];
    snprintf(dir, sizeof dir, "%s/src", tmp);
    mkdir(dir, 0755);
    snprintf(md, sizeof md, "%s/campaign.md", dir);
    snprintf(dbp, sizeof dbp, "%s/out.litfass", tmp);
    const char *bad = "---\ntitle: Test\ncolor_text: schwarz\n---\nText\n";
    test_write(md, bad, strlen(bad));
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s build %s -o %s --lang en", litfassctl, dir, dbp);
    CHECK_INT(test_run(cmd, out, sizeof out), 1);
    CHECK_HAS(out, "src/campaign.md:3: 'color_text' must be a colour like #E60005");
    CHECK(strchr(out, '\n') == out + strlen(out) - 1); /* one line */
    CHECK(access(dbp, F_OK) != 0);
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s build %s -o %s --version zwei", litfassctl, dir, dbp);
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "--version must be a positive whole number");
    /* a bad row in sites.csv names the file and the row */
    const char *good = "---\ntitle: Test\n---\nText\n";
    test_write(md, good, strlen(good));
    char csv[700];
    snprintf(csv, sizeof csv, "%s/sites.csv", dir);
    const char *rows = "id;name;organisation;city;latitude;longitude;kind\n"
                       "a;A;DRK;Köln;50,94;6,96;DRK\n"
                       "b;B;DRK;Paris;48,86;2,35;DRK\n";
    test_write(csv, rows, strlen(rows));
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s build %s -o %s --lang en", litfassctl, dir, dbp);
    CHECK_INT(test_run(cmd, out, sizeof out), 1);
    CHECK_HAS(out, "src/sites.csv:3: site 'b' at 48.8600, 2.3500 lies outside the map region");
    CHECK(access(dbp, F_OK) != 0);
    snprintf(cmd, sizeof cmd, LITFASS_TEST_EXEC "%s frobnicate", litfassctl);
    CHECK_INT(test_run(cmd, out, sizeof out), 2);
    CHECK_HAS(out, "unknown command 'frobnicate'");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_screenshot LITFASS LITFASSCTL\n");
        return 2;
    }
    litfass = argv[1];
    litfassctl = argv[2];
    tmp = test_tmpdir();
    snprintf(db, sizeof db, "%s/content.litfass", tmp);
    char out[4096];
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' build '%s' -o '%s' --version 5", litfassctl,
                         LITFASS_CONTENT_DIR, db);
    int rc = test_run(cmd, out, sizeof out);
    free(cmd);
    if (rc != 0) {
        fprintf(stderr, "cannot build default content: %s\n", out);
        return 2;
    }
    RUN(every_page_renders_at_every_resolution);
    RUN(missing_content_renders_the_no_content_page);
    RUN(missing_font_is_a_clear_startup_error);
    RUN(a_full_screen_without_a_display_waits_quietly_instead_of_exiting);
    RUN(bad_arguments_and_configuration_are_named);
    RUN(config_file_and_flags_both_set_keys);
    RUN(litfassctl_build_reports_file_line_and_reason);
    return check_report();
}
