/* Renderer: the map's land is rasterised beside the display loop, never in it; shapes
 * beyond the rasteriser's limits are left out while the page still draws; the limits
 * themselves; a QR code that cannot be made is skipped and logged once, the rest of the
 * page drawn, and render_exec reports no failure (so a screenshot run exits 0). Pixels
 * are read back from SDL's software renderer. */
#define _GNU_SOURCE
#include "testutil.h"

#include "fixtures.h"
#include "hostile.h"

#include "base/clock.h"
#include "check.h"
#include "display/render.h"
#include "pages/layout.h"
#include "pages/raster.h"

#include <fcntl.h>

static Text *text;
static TextMetrics tm;

typedef struct {
    SDL_Surface *surf;
    SDL_Renderer *sdl;
    Renderer *r;
} Target;

static void target_open(Target *t, int w, int h)
{
    t->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    t->sdl = SDL_CreateSoftwareRenderer(t->surf);
    CHECK(t->sdl != NULL);
    CHECK_INT(render_create(t->sdl, text, &t->r), 0);
}

static void target_close(Target *t)
{
    render_destroy(t->r);
    SDL_DestroyRenderer(t->sdl);
    SDL_FreeSurface(t->surf);
}

/* Pixels inside r that are not white (the page's background). */
static long coloured(const Target *t, Rect r)
{
    SDL_RenderFlush(t->sdl);
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)t->surf->pixels + y * t->surf->pitch);
        for (int x = r.x; x < r.x + r.w; x++) {
            n += (row[x] & 0xFFFFFFu) != 0xFFFFFFu;
        }
    }
    return n;
}

static Rect map_rect(const DrawList *dl)
{
    for (int i = 0; i < dl->n; i++) {
        if (dl->items[i].kind == ITEM_MAP) {
            return dl->items[i].rect;
        }
    }
    return (Rect){ 0, 0, 0, 0 };
}

TEST(map_land_is_rasterised_beside_the_display_loop)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    DrawList dl;
    drawlist_init(&dl, 1280, 720);
    CHECK_INT(layout_build(&m, "map", 1280, 720, LAYOUT_ENV(0), &tm, &dl), 0);
    Rect area = map_rect(&dl);
    CHECK(area.w > 100 && area.h > 100);
    Target t;
    target_open(&t, 1280, 720);
    /* the first frame does not wait for the land: markers and labels only */
    CHECK_INT(render_exec(t.r, &dl), 0);
    CHECK_INT(render_pending(t.r), 1);
    long before = coloured(&t, area);
    render_finish(t.r);
    CHECK_INT(render_ready(t.r), 1);
    CHECK_INT(render_exec(t.r, &dl), 0);
    CHECK_INT(render_pending(t.r), 0);
    long after = coloured(&t, area);
    printf("  map area %dx%d: %ld coloured pixels before the land, %ld after\n", area.w, area.h,
           before, after);
    CHECK(after > before + (long)area.w * area.h / 4); /* Germany and its neighbours */
    /* the land is cached: the next frame draws it at once, starting nothing */
    CHECK_INT(render_exec(t.r, &dl), 0);
    CHECK_INT(render_pending(t.r), 0);
    CHECK(coloured(&t, area) == after);
    target_close(&t);

    /* a raster that finishes while another page is up is kept, not redone, and does not
     * ask for frame after frame */
    DrawList other;
    drawlist_init(&other, 1280, 720);
    CHECK_INT(layout_build(&m, "campaign", 1280, 720, LAYOUT_ENV(0), &tm, &other), 0);
    target_open(&t, 1280, 720);
    CHECK_INT(render_exec(t.r, &dl), 0); /* starts the land */
    render_finish(t.r);
    CHECK_INT(render_exec(t.r, &other), 0); /* the campaign page comes first */
    CHECK_INT(render_ready(t.r), 0);
    CHECK_INT(render_pending(t.r), 0);
    CHECK_INT(render_exec(t.r, &dl), 0); /* back on the map: the land at once */
    CHECK_INT(render_pending(t.r), 0);
    CHECK(coloured(&t, area) == after);
    target_close(&t);
    drawlist_free(&other);
    drawlist_free(&dl);
    model_free(&m);
}

TEST(map_shapes_beyond_the_limits_are_left_out_and_the_page_still_draws)
{
    Model m;
    /* 2 rings x 20 000 points, every edge across the whole map */
    hostile_model_sized(&m, (HostileSize){ 10, 10, 50, 20000, 100 });
    DrawList dl;
    drawlist_init(&dl, 1920, 1080);
    CHECK_INT(layout_build(&m, "map", 1920, 1080, LAYOUT_ENV(0), &tm, &dl), 0);
    Rect area = map_rect(&dl);
    Target t;
    target_open(&t, 1920, 1080);
    CHECK_INT(render_exec(t.r, &dl), 0);
    long before = coloured(&t, area);
    render_finish(t.r);
    CHECK_INT(render_exec(t.r, &dl), 0); /* refused, logged, not a failed frame */
    CHECK_INT(render_pending(t.r), 0);
    CHECK(coloured(&t, area) == before); /* markers and labels, no land */
    /* and it is not tried again with every frame */
    CHECK_INT(render_exec(t.r, &dl), 0);
    CHECK_INT(render_pending(t.r), 0);
    target_close(&t);
    drawlist_free(&dl);
    model_free(&m);
}

/* n edges from the top to the bottom of an image h high, side by side */
static float *zigzag(int n, float w, float h)
{
    float *xy = malloc(sizeof(float) * 2 * (size_t)n);
    for (int i = 0; i < n; i++) {
        xy[2 * i] = w * i / n;
        xy[2 * i + 1] = i % 2 ? h : 0;
    }
    return xy;
}

TEST(raster_work_has_limits)
{
    RasterImage img = { calloc(400 * 300, 4), 400, 300, 400 };
    float *ok = zigzag(RASTER_MAX_ACTIVE, 400, 300);
    float *over = zigzag(RASTER_MAX_ACTIVE + 2, 400, 300);
    int n_ok = RASTER_MAX_ACTIVE, n_over = RASTER_MAX_ACTIVE + 2;
    CHECK_INT(raster_fill(&img, ok, &n_ok, 1, 0x336699), 0);
    CHECK_INT(raster_fill(&img, over, &n_over, 1, 0x336699), -1);
    CHECK_INT(raster_stroke(&img, ok, &n_ok, 1, 2, 0x336699), -1); /* four edges a segment */
    int n_huge = RASTER_MAX_EDGES + 1; /* refused before a single edge is made */
    CHECK_INT(raster_fill(&img, ok, &n_huge, 1, 0x336699), -1);
    free(ok);
    free(over);
    free(img.px);
}

/* Pixels in r that are not the background (white). */
static int inked(const SDL_Surface *surf, Rect r)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + y * surf->pitch);
        for (int x = r.x; x < r.x + r.w; x++) {
            n += (row[x] & 0xFFFFFFu) != 0xFFFFFFu;
        }
    }
    return n;
}

static void add(DrawList *dl, ItemKind kind, Rect r, uint32_t color, const char *text, int size)
{
    DrawItem *it = drawlist_add(dl, kind, r, color);
    it->text = strdup(text);
    it->size = size;
}

/* Runs render_exec with stderr going to a file; returns what it printed (free it). */
static char *render_logged(Renderer *rr, const DrawList *dl, int *failed)
{
    static const char *dir;
    if (!dir) {
        dir = test_tmpdir();
    }
    char *path = test_fmt("%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    *failed = render_exec(rr, dl);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *out = test_read(path, NULL);
    free(path);
    return out;
}

TEST(a_qr_code_that_cannot_be_made_is_skipped_and_logged_once)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 800, 400, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
    CHECK(sdl != NULL);
    Renderer *rr;
    CHECK_INT(render_create(sdl, text, &rr), 0);
    /* an 8 KB address (more than a QR code holds, 2331 bytes at level M) beside a
     * normal one and a text */
    char *big = malloc(8200);
    int n = snprintf(big, 8200, "qr:https://example.org/");
    memset(big + n, 'a', 8100 - (size_t)n);
    big[8100] = '\0';
    Rect r_big = { 20, 20, 240, 240 }, r_ok = { 300, 20, 240, 240 }, r_text = { 580, 20, 200, 60 };
    DrawList dl;
    drawlist_init(&dl, 800, 400);
    dl.background = 0xFFFFFF;
    add(&dl, ITEM_IMAGE, r_big, 0x000000, big, 0);
    add(&dl, ITEM_IMAGE, r_ok, 0x000000, "qr:https://msm-chancenpatenschaften.de/", 0);
    add(&dl, ITEM_TEXT, r_text, 0x1A1A1A, "Mehr erfahren", 32);
    int failed = -1;
    char *log = render_logged(rr, &dl, &failed);
    CHECK_INT(failed, 0); /* the page counts as rendered: the screenshot exits 0 */
    CHECK_HAS(log, "render: no QR code for the web address");
    CHECK_HAS(log, "(8097 bytes)");
    CHECK_INT(inked(surf, r_big), 0); /* nothing drawn where the impossible code would be */
    CHECK(inked(surf, r_ok) > 1000);  /* the other code and the text are there */
    CHECK(inked(surf, r_text) > 50);
    free(log);
    /* the next frames: no retry, no second log line */
    log = render_logged(rr, &dl, &failed);
    CHECK_INT(failed, 0);
    CHECK(strstr(log, "QR code") == NULL);
    free(log);
    drawlist_free(&dl);
    free(big);
    render_destroy(rr);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
}

int main(void)
{
    clock_set_zone("Europe/Berlin");
    text = test_fonts();
    tm = text_metrics(text);
    RUN(map_land_is_rasterised_beside_the_display_loop);
    RUN(map_shapes_beyond_the_limits_are_left_out_and_the_page_still_draws);
    RUN(raster_work_has_limits);
    RUN(a_qr_code_that_cannot_be_made_is_skipped_and_logged_once);
    text_close(text);
    return check_report();
}
