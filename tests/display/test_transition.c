/* Transitions (issue 17): a fade and a slide compose the two pages' pictures at each
 * moment as a visitor sees it — the old page at the start, a mix in the middle, the new
 * page in full at the end — a right-to-left page slides in from the left, and the kiosk
 * counts a page turn for a page or language change but not for a minute. Pixels are
 * read back from SDL's software renderer. */
#include "testutil.h"

#include "fixtures.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/trust.h"
#include "check.h"
#include "content/build.h"
#include "display/kiosk.h"
#include "display/render.h"
#include "display/transition.h"

static Text *text;
static const char *tmp;

enum { W = 64, H = 36 };

static SDL_Surface *surf;
static SDL_Renderer *sdl;
static Renderer *ren;

/* The red channel at (x, y) of the target. */
static int red(int x, int y)
{
    uint32_t px = ((uint32_t *)surf->pixels)[y * (surf->pitch / 4) + x];
    return (int)((px >> 16) & 0xFF);
}

static void page(DrawList *dl, uint32_t bg, int rtl)
{
    drawlist_init(dl, W, H);
    dl->background = bg;
    dl->rtl = rtl;
}

static void frame(Transition *t, int64_t at, int *more)
{
    SDL_SetRenderTarget(sdl, NULL);
    SDL_SetRenderDrawColor(sdl, 0, 0, 255, 255); /* blue: anything not covered shows */
    SDL_RenderClear(sdl);
    *more = transition_frame(t, at);
    SDL_RenderPresent(sdl);
}

TEST(a_fade_goes_from_the_old_page_to_the_new_one)
{
    DrawList black, white;
    page(&black, 0x000000u, 0);
    page(&white, 0xFFFFFFu, 0);
    Transition *t = transition_prepare(sdl, ren, &black, &white, TRANSITION_FADE, 600);
    CHECK(t != NULL);
    transition_start(t, 1000);
    int more;
    frame(t, 1000, &more);
    CHECK_INT(more, 1);
    CHECK_INT(red(0, 0), 0);
    CHECK_INT(red(W - 1, H - 1), 0);
    frame(t, 1300, &more); /* half way: half and half, the same everywhere */
    CHECK_INT(more, 1);
    CHECK(red(0, 0) > 110 && red(0, 0) < 145);
    CHECK_INT(red(W - 1, H - 1), red(0, 0));
    frame(t, 1150, &more); /* eased: slower at the start than in the middle */
    CHECK(red(0, 0) > 5 && red(0, 0) < 64);
    frame(t, 1600, &more);
    CHECK_INT(more, 0); /* the last frame: the new page in full */
    CHECK_INT(red(0, 0), 255);
    CHECK_INT(red(W / 2, H / 2), 255);
    transition_free(t);
    drawlist_free(&black);
    drawlist_free(&white);
}

TEST(a_slide_brings_the_new_page_in_from_where_its_reading_starts)
{
    for (int rtl = 0; rtl < 2; rtl++) {
        DrawList black, white;
        page(&black, 0x000000u, 0);
        page(&white, 0xFFFFFFu, rtl);
        Transition *t = transition_prepare(sdl, ren, &black, &white, TRANSITION_SLIDE, 400);
        CHECK(t != NULL);
        transition_start(t, 0);
        int more;
        frame(t, 200, &more); /* half way: half of each, nothing uncovered */
        CHECK_INT(more, 1);
        int left = red(2, H / 2), right = red(W - 3, H / 2);
        CHECK_INT(left, rtl ? 255 : 0);  /* left to right: the new page on the right */
        CHECK_INT(right, rtl ? 0 : 255); /* right to left: it came in from the left */
        uint32_t px = ((uint32_t *)surf->pixels)[(H / 2) * (surf->pitch / 4) + W / 2 - 1];
        CHECK((px & 0xFF) == ((px >> 16) & 0xFF)); /* no blue: the slide covers the screen */
        frame(t, 400, &more);
        CHECK_INT(more, 0);
        CHECK_INT(red(0, 0), 255);
        CHECK_INT(red(W - 1, 0), 255);
        transition_free(t);
        drawlist_free(&black);
        drawlist_free(&white);
    }
}

TEST(a_page_or_language_change_is_a_turn_a_minute_is_not)
{
    char db[400], err[300];
    snprintf(db, sizeof db, "%s/turns.litfass", tmp);
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, db, 1, 0, NULL, err, sizeof err), 0);
    Config cfg;
    config_defaults(&cfg);
    cfg.clock_trust = TRUST_YES;
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    CHECK_INT(config_set(&cfg, "pages", "campaign", err, sizeof err), 0);
    CHECK_INT(config_set(&cfg, "languages", "de, ar", err, sizeof err), 0);
    CHECK_INT(config_set(&cfg, "page_seconds", "30", err, sizeof err), 0);
    int64_t t;
    clock_parse_iso("2021-06-01T15:30:40", &t);
    Clock clock = clock_fake(t);
    Kiosk *k;
    CHECK_INT(kiosk_create(&cfg, &clock, text, &k), 0);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    unsigned turn = kiosk_turn(k);
    CHECK_STR(kiosk_language(k), "de");
    clock_advance(&clock, 20000); /* 15:31:00: the minute, not a turn */
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
    CHECK_INT(kiosk_turn(k), turn);
    clock_advance(&clock, 10000); /* 15:31:10, the next page: in Arabic */
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
    CHECK_STR(kiosk_language(k), "ar");
    CHECK_INT(kiosk_turn(k), turn + 1);
    CHECK_STR(kiosk_previous(k)->lang, "de"); /* what the transition leaves */
    CHECK_STR(kiosk_drawlist(k)->lang, "ar");
    kiosk_destroy(k);
    remove(db);
}

int main(void)
{
    text = test_fonts();
    clock_set_zone("Europe/Berlin");
    tmp = test_tmpdir();
    surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    sdl = SDL_CreateSoftwareRenderer(surf);
    CHECK(sdl != NULL);
    CHECK_INT(render_create(sdl, text, &ren), 0);
    RUN(a_fade_goes_from_the_old_page_to_the_new_one);
    RUN(a_slide_brings_the_new_page_in_from_where_its_reading_starts);
    RUN(a_page_or_language_change_is_a_turn_a_minute_is_not);
    render_destroy(ren);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
    text_close(text);
    return check_report();
}
