/* Renderer: the map's land is rasterised beside the display loop, never in it; shapes
 * beyond the rasteriser's limits are left out while the page still draws; the limits
 * themselves. Pixels are read back from SDL's software renderer. */
#include "testutil.h"

#include "fixtures.h"
#include "hostile.h"

#include "base/clock.h"
#include "check.h"
#include "display/render.h"
#include "pages/layout.h"
#include "pages/raster.h"

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

int main(void)
{
    clock_set_zone("Europe/Berlin");
    text = test_fonts();
    tm = text_metrics(text);
    RUN(map_land_is_rasterised_beside_the_display_loop);
    RUN(map_shapes_beyond_the_limits_are_left_out_and_the_page_still_draws);
    RUN(raster_work_has_limits);
    text_close(text);
    return check_report();
}
