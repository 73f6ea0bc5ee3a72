/* Pictures on screen: the display decodes only what passes the header check (a
 * decompression bomb or a lying header costs nothing, even in a validly signed bundle),
 * keeps decoded pictures within its budget, shows a neutral placeholder for one that
 * fails, and lays posters and the logo out as image items with source and alt. */
#include "picture_fixtures.h"

#include "base/clock.h"
#include "base/ui.h"
#include "check.h"
#include "content/build.h"
#include "delivery/bundle.h"
#include "display/image.h"
#include "display/render.h"
#include "display/text.h"
#include "pages/layout.h"
#include "store/store.h"

#include <SDL.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

static const char *litfass_bin, *litfassctl_bin;
static Text *text;
static const unsigned char RED[3] = { 220, 20, 20 }, BLUE[3] = { 20, 20, 220 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A content folder with posters a.png (400x200) and b.jpg (300x300), built into
 * DIR/out.litfass. Returns DIR. */
static const char *built(const char *csv)
{
    const char *d = test_tmpdir();
    const char *md = "---\ntitle: Bilder\nlogo: logo.png\n---\n\nText.\n";
    test_write(test_fmt("%s/campaign.md", d), md, strlen(md));
    mkdir(test_fmt("%s/posters", d), 0755);
    fixture_write(test_fmt("%s/posters/a.png", d), 400, 200, 3, RED, BLUE, 0);
    fixture_write(test_fmt("%s/posters/b.jpg", d), 300, 300, 3, BLUE, BLUE, 0);
    fixture_write(test_fmt("%s/logo.png", d), 300, 100, 3, RED, RED, 0);
    if (csv) {
        test_write(test_fmt("%s/posters.csv", d), csv, strlen(csv));
    }
    char err[2000];
    if (build_content(d, test_fmt("%s/out.litfass", d), 3, 0, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
    }
    return d;
}

/* Replaces the bytes of every level of picture id in db (the stated sizes stay; the
 * format becomes fmt). */
static void tamper(const char *db, int id, const char *data, size_t len, const char *fmt)
{
    sqlite3 *s;
    sqlite3_stmt *st;
    sqlite3_open(db, &s);
    sqlite3_prepare_v2(s, "UPDATE picture_level SET data = ?, format = ? WHERE picture = ?", -1,
                       &st, NULL);
    sqlite3_bind_blob(st, 1, data, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, fmt, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, id);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(s);
}

TEST(bomb_and_lying_header_are_refused_before_decoding)
{
    const char *d = test_tmpdir();
    char *bomb_path = test_fmt("%s/bomb.png", d);
    fixture_bomb(bomb_path, 30000);
    size_t len;
    char *bomb = test_read(bomb_path, &len);
    CHECK(len < 64 * 1024); /* a few kilobytes that would decode to 900 MB */
    uint8_t *px = (uint8_t *)1;
    int w, h;
    char err[300];
    double t0 = now_s();
    CHECK_INT(image_decode((unsigned char *)bomb, len, PICTURE_PNG, 0, 0, IMAGE_MAX_PIXELS, &px,
                           &w, &h, err, sizeof err),
              -1);
    CHECK(now_s() - t0 < 0.05); /* nothing decoded */
    CHECK(px == NULL);
    CHECK_HAS(err, "30000 x 30000");
    CHECK_INT(image_header((unsigned char *)bomb, len, PICTURE_PNG, &w, &h, err, sizeof err), 0);
    CHECK_INT(w, 30000);
    free(bomb);

    /* a good PNG whose header disagrees with what the database states */
    char *ok_path = test_fmt("%s/ok.png", d);
    fixture_write(ok_path, 100, 50, 3, RED, BLUE, 0);
    char *ok = test_read(ok_path, &len);
    CHECK_INT(image_decode((unsigned char *)ok, len, PICTURE_PNG, 100, 60, IMAGE_MAX_PIXELS, &px,
                           &w, &h, err, sizeof err),
              -1);
    CHECK_HAS(err, "header says 100 x 50");
    CHECK_INT(image_decode((unsigned char *)ok, len, PICTURE_PNG, 100, 50, IMAGE_MAX_PIXELS, &px,
                           &w, &h, err, sizeof err),
              0);
    CHECK(px && px[0] > 180 && px[2] < 60 && px[3] == 255);
    CHECK(px && px[(49 * 100 + 99) * 4 + 2] > 180);
    free(px);
    /* the same bytes named as JPEG: refused, not misread */
    CHECK_INT(image_decode((unsigned char *)ok, len, PICTURE_JPEG, 100, 50, IMAGE_MAX_PIXELS, &px,
                           &w, &h, err, sizeof err),
              -1);
    free(ok);

    /* a truncated JPEG: libjpeg would fill it with grey; refused */
    char *j_path = test_fmt("%s/t.jpg", d);
    fixture_write(j_path, 400, 300, 3, RED, BLUE, 0);
    fixture_truncate(j_path);
    char *j = test_read(j_path, &len);
    CHECK_INT(image_decode((unsigned char *)j, len, PICTURE_JPEG, 400, 300, IMAGE_MAX_PIXELS, &px,
                           &w, &h, err, sizeof err),
              -1);
    CHECK(px == NULL);
    free(j);
}

/* Renders one image item into a w x h software target; returns the pixel at (x, y). */
static Uint32 render_one(Renderer *r, SDL_Renderer *sdl, SDL_Surface *surf, const char *src,
                         Rect rect, int x, int y)
{
    DrawList dl;
    drawlist_init(&dl, surf->w, surf->h);
    dl.background = 0xFFFFFF;
    DrawItem *it = drawlist_add(&dl, ITEM_IMAGE, rect, 0);
    it->text = strdup(src);
    render_exec(r, &dl);
    while (render_pending(r)) { /* decoded beside the loop */
        render_finish(r);
        render_exec(r, &dl);
    }
    drawlist_free(&dl);
    (void)sdl;
    return ((Uint32 *)surf->pixels)[y * (surf->pitch / 4) + x] & 0xFFFFFFu;
}

TEST(corrupt_picture_is_a_placeholder_and_the_budget_holds)
{
    const char *d = built(NULL);
    char *db = test_fmt("%s/out.litfass", d);
    /* picture 1 is the logo; 2 is a.png, 3 is b.jpg: break b.jpg */
    tamper(db, 3, "\xFF\xD8\xFF\xE0 not a jpeg at all", 23, "jpeg");
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 400, 300, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
    Renderer *r;
    render_create(sdl, text, &r);
    render_set_content(r, db);
    Uint32 c = render_one(r, sdl, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 50, 100);
    CHECK(((c >> 16) & 0xFF) > 180 && (c & 0xFF) < 60); /* red left half */
    CHECK_INT(render_picture_bytes(r), 400 * 200 * 4);
    c = render_one(r, sdl, surf, "picture:3:0", (Rect){ 0, 0, 300, 300 }, 150, 150);
    CHECK_INT(c, 0xE8E6E3); /* the placeholder's face, not a hole */
    CHECK_INT(render_picture_bytes(r), 400 * 200 * 4);

    /* a budget for one picture: the next one releases the one not drawn now */
    render_set_picture_budget(r, 400 * 200 * 4 + 100);
    render_one(r, sdl, surf, "picture:1:0", (Rect){ 0, 0, 300, 100 }, 10, 10);
    CHECK(render_picture_bytes(r) <= 400 * 200 * 4 + 100);
    CHECK_INT(render_picture_bytes(r), 300 * 100 * 4);
    /* one that can never fit: a placeholder, the budget still kept */
    render_set_picture_budget(r, 1000);
    c = render_one(r, sdl, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 200, 100);
    CHECK_INT(c, 0xE8E6E3);
    CHECK(render_picture_bytes(r) <= 1000);
    /* no content database: placeholders, no crash */
    render_set_content(r, NULL);
    CHECK_INT(render_picture_bytes(r), 0);
    c = render_one(r, sdl, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 200, 100);
    CHECK_INT(c, 0xE8E6E3);
    render_destroy(r);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
}

/* Draws one picture item once (no waiting); returns the pixel at (x, y). */
static Uint32 render_once(Renderer *r, SDL_Surface *surf, const char *src, Rect rect, int x,
                          int y, int *failed)
{
    DrawList dl;
    drawlist_init(&dl, surf->w, surf->h);
    dl.background = 0xFFFFFF;
    DrawItem *it = drawlist_add(&dl, ITEM_IMAGE, rect, 0);
    it->text = strdup(src);
    *failed = render_exec(r, &dl);
    drawlist_free(&dl);
    return ((Uint32 *)surf->pixels)[y * (surf->pitch / 4) + x] & 0xFFFFFFu;
}

TEST(pictures_are_read_and_decoded_beside_the_loop)
{
    const char *d = built(NULL);
    char *db = test_fmt("%s/out.litfass", d);
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 400, 300, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
    Renderer *r;
    render_create(sdl, text, &r);
    render_set_content(r, db);
    int failed = -1;
    /* the first frame only hands the picture to the thread: the background shows */
    Uint32 c = render_once(r, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 50, 100, &failed);
    CHECK_INT(failed, 0);
    CHECK_INT(c, 0xFFFFFF);
    CHECK_INT(render_pending(r), 1);
    render_finish(r);
    CHECK_INT(render_ready(r), 1);
    c = render_once(r, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 50, 100, &failed);
    CHECK(((c >> 16) & 0xFF) > 180 && (c & 0xFF) < 60); /* there now: red left half */
    CHECK_INT(render_pending(r), 0);
    CHECK_INT(render_ready(r), 0);
    /* the database is opened once per content path and kept: a second picture is read
     * through the open handle even after the file's name is gone */
    CHECK_INT(unlink(db), 0);
    render_once(r, surf, "picture:3:0", (Rect){ 0, 0, 300, 300 }, 150, 150, &failed);
    render_finish(r);
    c = render_once(r, surf, "picture:3:0", (Rect){ 0, 0, 300, 300 }, 150, 150, &failed);
    CHECK(c != 0xE8E6E3 && (c & 0xFF) > 180); /* b.jpg is blue */
    CHECK_INT(render_picture_bytes(r), 400 * 200 * 4 + 300 * 300 * 4);

    /* a database that is not there: nothing fails or waits in render_exec (it does not
     * look), the job finds out and the picture becomes the placeholder after it */
    render_set_content(r, test_fmt("%s/gone/nothing.litfass", d));
    CHECK_INT(render_picture_bytes(r), 0);
    double t0 = now_s();
    c = render_once(r, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 200, 100, &failed);
    CHECK(now_s() - t0 < 0.5);
    CHECK_INT(failed, 0);
    CHECK_INT(c, 0xFFFFFF);
    CHECK_INT(render_pending(r), 1);
    render_finish(r);
    c = render_once(r, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 200, 100, &failed);
    CHECK_INT(c, 0xE8E6E3);
    CHECK_INT(failed, 0);
    /* the refusal is remembered for that path: the next picture needs no second try */
    c = render_once(r, surf, "picture:3:0", (Rect){ 0, 0, 300, 300 }, 150, 150, &failed);
    CHECK_INT(c, 0xE8E6E3);
    CHECK_INT(render_pending(r), 0);

    /* content replaced while a job runs: not waited for, discarded when it is done */
    const char *d2 = built(NULL);
    render_set_content(r, test_fmt("%s/out.litfass", d2));
    render_once(r, surf, "picture:2:0", (Rect){ 0, 0, 400, 200 }, 200, 100, &failed);
    CHECK_INT(render_pending(r), 1);
    render_set_content(r, NULL);
    render_finish(r);
    DrawList empty;
    drawlist_init(&empty, 400, 300);
    render_exec(r, &empty);
    drawlist_free(&empty);
    CHECK_INT(render_pending(r), 0);
    CHECK_INT(render_picture_bytes(r), 0);
    render_destroy(r);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
}

static int image_items(const DrawList *dl, const DrawItem **first)
{
    int n = 0;
    for (int i = 0; i < dl->n; i++) {
        if (dl->items[i].kind == ITEM_IMAGE && dl->items[i].text &&
            !strncmp(dl->items[i].text, "picture:", 8)) {
            if (!n++) {
                *first = &dl->items[i];
            }
        }
    }
    return n;
}

TEST(posters_and_logo_are_image_items_at_four_sizes)
{
    const char *d = built("file;caption;valid_from;valid_until\n"
                          "a.png;Sommerfest;2026-06-01;2026-06-30\n");
    Model m;
    memset(&m, 0, sizeof m);
    CHECK_INT(store_load_path(test_fmt("%s/out.litfass", d), &m), 0);
    TextMetrics tm = text_metrics(text);
    static const int sizes[4][2] = { { 1280, 720 }, { 1920, 1080 }, { 1080, 1920 },
                                     { 3840, 2160 } };
    int64_t june, july;
    clock_parse_iso("2026-06-15T12:00:00", &june);
    clock_parse_iso("2026-07-01T12:00:00", &july);
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        DrawList dl;
        memset(&dl, 0, sizeof dl);
        const DrawItem *it = NULL;
        /* June: a.png (2:1) first, with its caption as alt */
        LayoutEnv env = { june, 0, NULL, NULL, 0, 0, "de", 0 };
        CHECK_INT(layout_build(&m, "posters", w, h, &env, &tm, &dl), 0);
        CHECK_INT(image_items(&dl, &it), 1);
        if (it) {
            CHECK_STR(it->alt, "Sommerfest");
            CHECK(it->rect.x >= 0 && it->rect.y >= 0 && it->rect.x + it->rect.w <= w &&
                  it->rect.y + it->rect.h <= h);
            CHECK(abs(it->rect.w - 2 * it->rect.h) <= 2); /* the aspect kept */
            CHECK(it->rect.w >= w * 9 / 10 || it->rect.h >= h * 7 / 10); /* as large as fits */
            CHECK_HAS(it->text, "picture:2:0"); /* 400 px: the one level */
        }
        CHECK_INT(dl.panel_pages, 2);
        /* ten seconds later: b.jpg */
        env.page_ms = 10000;
        CHECK_INT(layout_build(&m, "posters", w, h, &env, &tm, &dl), 0);
        CHECK_INT(image_items(&dl, &it), 1);
        CHECK(it && !strcmp(it->text, "picture:3:0") && it->alt == NULL);
        /* July: a.png's days are over, only b.jpg is left */
        env.now_ms = july;
        env.page_ms = 0;
        CHECK_INT(layout_build(&m, "posters", w, h, &env, &tm, &dl), 0);
        CHECK_INT(image_items(&dl, &it), 1);
        CHECK(it && !strcmp(it->text, "picture:3:0"));
        CHECK_INT(dl.panel_pages, 0);
        /* the logo at the end of the title band: right in German, left in Arabic */
        env.now_ms = june;
        CHECK_INT(layout_build(&m, "campaign", w, h, &env, &tm, &dl), 0);
        CHECK_INT(image_items(&dl, &it), 1);
        CHECK(it && it->rect.x > w / 2 && it->rect.y >= 0);
        CHECK(it && abs(it->rect.w - 3 * it->rect.h) <= 3);
        LayoutEnv ar = { june, 0, NULL, NULL, 0, 0, "ar", 1 };
        CHECK_INT(layout_build(&m, "campaign", w, h, &ar, &tm, &dl), 0);
        CHECK_INT(image_items(&dl, &it), 1);
        CHECK(it && it->rect.x + it->rect.w < w / 2);
        drawlist_free(&dl);
    }
    model_free(&m);
}

/* Builds a campaign of `paras` paragraphs with a picture after the first. */
static void flow_model(int paras, Model *m)
{
    const char *d = test_tmpdir();
    char md[20000];
    int n = snprintf(md, sizeof md, "---\ntitle: Bilder\n---\n\nErster Absatz.\n\n"
                                    "![Treffen im Park](treffen.jpg)\n\n");
    for (int i = 0; i < paras; i++) {
        n += snprintf(md + n, sizeof md - (size_t)n,
                      "Absatz %d mit etwas mehr Text, damit er eine Zeile füllt und mehr.\n\n",
                      i + 2);
    }
    test_write(test_fmt("%s/campaign.md", d), md, strlen(md));
    fixture_write(test_fmt("%s/treffen.jpg", d), 800, 400, 3, RED, BLUE, 0);
    char err[2000];
    if (build_content(d, test_fmt("%s/out.litfass", d), 3, 0, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
    }
    memset(m, 0, sizeof *m);
    CHECK_INT(store_load_path(test_fmt("%s/out.litfass", d), m), 0);
}

TEST(markdown_picture_sits_in_the_flow_or_is_reported)
{
    TextMetrics tm = text_metrics(text);
    Model m;
    flow_model(2, &m);
    static const int sizes[4][2] = { { 1280, 720 }, { 1920, 1080 }, { 1080, 1920 },
                                     { 3840, 2160 } };
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        DrawList dl;
        memset(&dl, 0, sizeof dl);
        LayoutEnv env = { 0, 0, NULL, NULL, 0, 0, "de", 0 };
        CHECK_INT(layout_build(&m, "campaign", w, h, &env, &tm, &dl), 0);
        const DrawItem *it = NULL;
        CHECK_INT(image_items(&dl, &it), 1);
        int above = -1, below = -1;
        for (int i = 0; it && i < dl.n; i++) {
            const DrawItem *t = &dl.items[i];
            if (t->kind == ITEM_TEXT && t->text && strstr(t->text, "Erster")) {
                above = t->rect.y + t->rect.h <= it->rect.y;
            }
            if (t->kind == ITEM_TEXT && t->text && strstr(t->text, "Absatz 2")) {
                below = t->rect.y >= it->rect.y + it->rect.h;
            }
        }
        CHECK(it && !strcmp(it->alt, "Treffen im Park"));
        CHECK(it && abs(it->rect.w - 2 * it->rect.h) <= 2);
        CHECK_INT(above, 1); /* the picture between the paragraphs around it */
        CHECK_INT(below, 1);
        CHECK_INT(dl.n_overflow, 0);
        drawlist_free(&dl);
    }
    model_free(&m);
    /* so much text that there is no room: left out and reported, the text keeps its room */
    flow_model(40, &m);
    DrawList dl;
    memset(&dl, 0, sizeof dl);
    LayoutEnv env = { 0, 0, NULL, NULL, 0, 0, "de", 0 };
    CHECK_INT(layout_build(&m, "campaign", 1280, 720, &env, &tm, &dl), 0);
    const DrawItem *it = NULL;
    CHECK_INT(image_items(&dl, &it), 0);
    int reported = 0;
    for (int i = 0; i < dl.n_overflow; i++) {
        reported |= !strcmp(dl.overflow[i].what, "picture") &&
                    !strcmp(dl.overflow[i].from, "Treffen im Park");
    }
    CHECK(reported);
    drawlist_free(&dl);
    model_free(&m);
}

TEST(bomb_in_a_signed_bundle_shows_a_placeholder_not_a_crash)
{
    const char *d = built(NULL);
    char *db = test_fmt("%s/content-9.litfass", d);
    rename(test_fmt("%s/out.litfass", d), db);
    const char *bp = test_fmt("%s/bomb.png", d);
    fixture_bomb(bp, 30000);
    size_t len;
    char *bomb = test_read(bp, &len);
    tamper(db, 2, bomb, len, "png"); /* a.png, the first poster, states 400 x 200 */
    free(bomb);
    char err[600], out[4000];
    CHECK_INT(bundle_keygen(test_fmt("%s/k.pub", d), test_fmt("%s/k.sec", d), err, sizeof err), 0);
    CHECK_INT(bundle_sign(db, test_fmt("%s/k.sec", d), err, sizeof err), 0);
    const char *state = test_fmt("%s/state", d);
    mkdir(state, 0755);
    CHECK_INT(test_run(test_fmt("%s'%s' import '%s' --state-dir '%s' -p '%s/k.pub' 2>&1",
                                LITFASS_TEST_EXEC, litfassctl_bin, db, state, d),
                       out, sizeof out),
              0);
    const char *shots = test_fmt("%s/shots", d);
    double t0 = now_s();
    int rc = test_run(test_fmt("%s'%s' --state-dir '%s' --screenshot '%s' --size 1280x720 "
                               "--pages posters --now 2026-06-15T12:00:00 2>&1",
                               LITFASS_TEST_EXEC, litfass_bin, state, shots),
                      out, sizeof out);
    CHECK_INT(rc, 0);
    CHECK(now_s() - t0 < 10);
    CHECK_HAS(out, "placeholder");
    CHECK_HAS(out, "30000 x 30000");
    size_t jl;
    char *json = test_read(test_fmt("%s/posters.json", shots), &jl);
    CHECK_HAS(json, "\"source\": \"picture:2:0\"");
    free(json);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_pictures_display LITFASS LITFASSCTL\n");
        return 2;
    }
    litfass_bin = argv[1];
    litfassctl_bin = argv[2];
    ui_set_language("en");
    clock_set_zone("Europe/Berlin");
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_Init(0);
    char err[300];
    if (text_open(LITFASS_SOURCE_DIR "/fonts", &text, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    RUN(bomb_and_lying_header_are_refused_before_decoding);
    RUN(corrupt_picture_is_a_placeholder_and_the_budget_holds);
    RUN(pictures_are_read_and_decoded_beside_the_loop);
    RUN(posters_and_logo_are_image_items_at_four_sizes);
    RUN(markdown_picture_sits_in_the_flow_or_is_reported);
    RUN(bomb_in_a_signed_bundle_shows_a_placeholder_not_a_crash);
    text_close(text);
    SDL_Quit();
    return check_report();
}
