/* Layout: text fitting (wrap, shrink, hyphenate, ellipsis) and the campaign page
 * at every target resolution, measured with the real fonts. */
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "check.h"
#include "base/clock.h"
#include "pages/layout.h"
#include "layoututil.h"
#include "display/text.h"
#include "base/ui.h"

static TextMetrics tm;
static int64_t t_film; /* 2021-06-01 15:30 in Berlin */

static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };

static void load_default(Model *m)
{
    char err[512];
    const char *path = LITFASS_SOURCE_DIR "/content/campaign.md";
    size_t len;
    char *text = test_read(path, &len);
    memset(m, 0, sizeof *m);
    model_free(m);
    CHECK_INT(build_parse_campaign(path, text, len, &m->campaign, err, sizeof err), 0);
    m->has_content = 1;
    m->content_version = 7;
    free(text);
}

/* Every item on screen, no two text items overlapping, every text at or above the
 * legibility minimum. */
static void check_page_geometry(const DrawList *dl, int w, int h, const char *what)
{
    Rect screen = { 0, 0, w, h };
    int min = layout_min_text_size(w, h);
    int outside = 0, overlaps = 0, small = 0;
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *a = &dl->items[i];
        if (!rect_inside(a->rect, screen)) {
            outside++;
            fprintf(stderr, "%s %dx%d: item %d '%s' at [%d %d %d %d] leaves the screen\n", what,
                    w, h, i, a->text ? a->text : "", a->rect.x, a->rect.y, a->rect.w, a->rect.h);
        }
        if (a->kind != ITEM_TEXT) {
            continue;
        }
        if (a->size < min) {
            small++;
        }
        for (int j = i + 1; j < dl->n; j++) {
            const DrawItem *b = &dl->items[j];
            if ((b->kind == ITEM_TEXT || b->kind == ITEM_IMAGE) && rects_overlap(a->rect, b->rect)) {
                overlaps++;
                fprintf(stderr, "%s %dx%d: '%s' overlaps '%s'\n", what, w, h, a->text, b->text);
            }
        }
    }
    CHECK_INT(outside, 0);
    CHECK_INT(overlaps, 0);
    CHECK_INT(small, 0);
}

TEST(short_text_stays_on_one_line_at_the_largest_size)
{
    DrawList dl;
    drawlist_init(&dl, 800, 600);
    int h;
    int s = layout_fit_text(&dl, &tm, "Menschen stärken Menschen", (Rect){ 10, 10, 780, 200 }, 40,
                            20, 1, 0, &h);
    CHECK_INT(s, 40);
    CHECK_INT(dl.n, 1);
    CHECK_STR(dl.items[0].text, "Menschen stärken Menschen");
    CHECK(rect_inside(dl.items[0].rect, (Rect){ 10, 10, 780, 200 }));
    drawlist_free(&dl);
}

TEST(text_wraps_before_it_shrinks)
{
    DrawList dl;
    drawlist_init(&dl, 800, 600);
    Rect box = { 0, 0, 420, 400 };
    int s = layout_fit_text(&dl, &tm, "Ehrenamtliche aus Projekten der Chancenpatenschaften erzählen",
                            box, 30, 14, 0, 0, NULL);
    CHECK_INT(s, 30); /* fits when wrapped, so no shrinking */
    CHECK(dl.n >= 2);
    for (int i = 0; i < dl.n; i++) {
        CHECK(rect_inside(dl.items[i].rect, box));
        CHECK_INT(dl.items[i].size, 30);
    }
    drawlist_free(&dl);
}

TEST(long_paragraph_shrinks_to_fit_its_box)
{
    char text[4000] = "";
    for (int i = 0; i < 20; i++) {
        strcat(text, "Patinnen und Paten begleiten Mentees beim Ankommen in Deutschland. ");
    }
    Rect box = { 20, 30, 600, 400 };
    DrawList dl;
    drawlist_init(&dl, 800, 600);
    int h;
    int s = layout_fit_text(&dl, &tm, text, box, 60, 10, 0, 0, &h);
    CHECK(s < 60 && s >= 10);
    CHECK(h <= box.h);
    for (int i = 0; i < dl.n; i++) {
        CHECK(rect_inside(dl.items[i].rect, box));
    }
    /* one size larger would not fit (it would need the ellipsis): the box is used well */
    DrawList probe;
    drawlist_init(&probe, 800, 600);
    layout_fit_text(&probe, &tm, text, box, s + 1, s + 1, 0, 0, NULL);
    CHECK(find_text(&probe, "\xe2\x80\xa6") >= 0);
    CHECK(find_text(&dl, "\xe2\x80\xa6") < 0); /* no ellipsis needed */
    drawlist_free(&dl);
    drawlist_free(&probe);
}

TEST(long_german_compound_is_hyphenated_inside_a_narrow_box)
{
    const char *word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen";
    Rect box = { 5, 5, 200, 300 };
    DrawList dl;
    drawlist_init(&dl, 400, 400);
    int s = layout_fit_text(&dl, &tm, word, box, 40, 24, 1, 0, NULL);
    CHECK_INT(s, 24);
    CHECK(dl.n >= 2);
    char joined[256] = "";
    for (int i = 0; i < dl.n; i++) {
        CHECK(rect_inside(dl.items[i].rect, box));
        const char *t = dl.items[i].text;
        size_t n = strlen(t);
        if (i < dl.n - 1) {
            CHECK(n > 0 && t[n - 1] == '-');
            strncat(joined, t, n - 1);
        } else {
            strcat(joined, t);
        }
    }
    CHECK_STR(joined, word); /* nothing lost, nothing garbled (UTF-8 'ä' intact) */
    drawlist_free(&dl);
}

TEST(text_that_cannot_fit_ends_in_an_ellipsis_inside_the_box)
{
    char text[8000] = "";
    for (int i = 0; i < 80; i++) {
        strcat(text, "Zusammenhalt auf Abstand braucht Menschen. ");
    }
    Rect box = { 0, 0, 400, 120 };
    DrawList dl;
    drawlist_init(&dl, 400, 400);
    int s = layout_fit_text(&dl, &tm, text, box, 40, 20, 0, 0, NULL);
    CHECK_INT(s, 20);
    CHECK(dl.n >= 1);
    for (int i = 0; i < dl.n; i++) {
        CHECK(rect_inside(dl.items[i].rect, box));
    }
    const char *last = dl.items[dl.n - 1].text;
    CHECK(strlen(last) >= 3 && strcmp(last + strlen(last) - 3, "\xe2\x80\xa6") == 0);
    drawlist_free(&dl);
}

TEST(campaign_page_fits_every_resolution)
{
    Model m;
    load_default(&m);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        DrawList dl;
        drawlist_init(&dl, 0, 0);
        CHECK_INT(layout_build(&m, "campaign", w, h, LAYOUT_ENV(t_film), &tm, &dl), 0);
        CHECK_INT(dl.width, w);
        CHECK_INT(dl.height, h);
        check_page_geometry(&dl, w, h, "campaign");
        /* what a visitor must see */
        CHECK(find_text(&dl, "Menschen stärken Menschen") >= 0 ||
              (find_text(&dl, "Menschen stärken") >= 0));
        CHECK(find_text(&dl, "#ZusammenhaltAufAbstand") >= 0);
        CHECK(find_text(&dl, "Digitaler Aktionstag am 01.06.2021") >= 0);
        CHECK(find_text(&dl, "über 140 000") >= 0);
        CHECK(find_text(&dl, "Dienstag, 1. Juni 2021 \xc2\xb7 15:30 Uhr") >= 0);
        CHECK(find_text(&dl, "Inhalt Version 7") >= 0);
        CHECK(find_text(&dl, "\xe2\x80\xa6") < 0); /* nothing cut off */
        int qr = -1;
        for (int k = 0; k < dl.n; k++) {
            if (dl.items[k].kind == ITEM_IMAGE) {
                qr = k;
            }
        }
        CHECK(qr >= 0);
        if (qr >= 0) {
            CHECK_STR(dl.items[qr].text, "qr:https://msm-chancenpatenschaften.de/");
            CHECK_INT(dl.items[qr].rect.w, dl.items[qr].rect.h);
            CHECK(dl.items[qr].rect.w >= 100); /* scannable from a step away */
        }
        /* the title is the largest text on the page */
        int title = find_text(&dl, "Menschen stärken");
        for (int k = 0; title >= 0 && k < dl.n; k++) {
            if (dl.items[k].kind == ITEM_TEXT) {
                CHECK(dl.items[k].size <= dl.items[title].size);
            }
        }
        drawlist_free(&dl);
    }
    model_free(&m);
}

TEST(campaign_with_overlong_content_still_stays_on_screen)
{
    Model m;
    load_default(&m);
    Campaign *c = &m.campaign;
    free(c->title);
    c->title = strdup("Donaudampfschifffahrtsgesellschaftskapitänsmützen stärken "
                      "Rechtsschutzversicherungsgesellschaften überall im ganzen Land");
    Block *b = &c->blocks[0];
    for (int i = 0; i < 30; i++) {
        block_add_span(b, " Sehr langer zusätzlicher Text über Patenschaften.", 51, i % 2);
    }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        DrawList dl;
        drawlist_init(&dl, 0, 0);
        layout_build(&m, "campaign", sizes[i][0], sizes[i][1], LAYOUT_ENV(t_film), &tm, &dl);
        check_page_geometry(&dl, sizes[i][0], sizes[i][1], "overlong");
        CHECK(find_text(&dl, "\xe2\x80\xa6") >= 0); /* the body had to be cut */
        drawlist_free(&dl);
    }
    model_free(&m);
}

TEST(no_content_page_explains_itself_at_every_resolution)
{
    Model m;
    memset(&m, 0, sizeof m);
    model_free(&m);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        DrawList dl;
        drawlist_init(&dl, 0, 0);
        CHECK_INT(layout_build(&m, "campaign", sizes[i][0], sizes[i][1], LAYOUT_ENV(t_film), &tm, &dl), 0);
        check_page_geometry(&dl, sizes[i][0], sizes[i][1], "no content");
        CHECK(find_text(&dl, "Zurzeit kein Inhalt") >= 0);
        CHECK(find_text(&dl, "USB-Stick") >= 0);
        drawlist_free(&dl);
    }
}

TEST(same_inputs_give_the_same_list_and_a_new_minute_a_different_one)
{
    Model m;
    load_default(&m);
    DrawList a, b, c;
    drawlist_init(&a, 0, 0);
    drawlist_init(&b, 0, 0);
    drawlist_init(&c, 0, 0);
    layout_build(&m, "campaign", 1920, 1080, LAYOUT_ENV(t_film), &tm, &a);
    layout_build(&m, "campaign", 1920, 1080, LAYOUT_ENV(t_film + 30000), &tm, &b);
    layout_build(&m, "campaign", 1920, 1080, LAYOUT_ENV(t_film + 60000), &tm, &c);
    CHECK(drawlist_equal(&a, &b));
    CHECK(!drawlist_equal(&a, &c));
    CHECK(find_text(&c, "15:31 Uhr") >= 0);
    CHECK_INT(layout_build(&m, "nonsense", 1920, 1080, LAYOUT_ENV(t_film), &tm, &c), -1);
    drawlist_free(&a);
    drawlist_free(&b);
    drawlist_free(&c);
    model_free(&m);
}

TEST(json_has_kind_rect_text_and_size)
{
    DrawList dl;
    drawlist_init(&dl, 100, 50);
    layout_fit_text(&dl, &tm, "Zitat \"x\" \\ y", (Rect){ 0, 0, 100, 50 }, 12, 12, 0, 0, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    drawlist_write_json(&dl, f);
    fclose(f);
    CHECK_HAS(buf, "\"width\": 100, \"height\": 50");
    CHECK_HAS(buf, "\"kind\": \"text\"");
    CHECK_HAS(buf, "\"size\": 12");
    CHECK_HAS(buf, "\"text\": \"Zitat \\\"x\\\" \\\\ y\"");
    free(buf);
    drawlist_free(&dl);
}

int main(void)
{
    Text *text = test_fonts();
    tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    ui_set_language("de");
    clock_parse_iso("2021-06-01T15:30:00+02:00", &t_film);

    RUN(short_text_stays_on_one_line_at_the_largest_size);
    RUN(text_wraps_before_it_shrinks);
    RUN(long_paragraph_shrinks_to_fit_its_box);
    RUN(long_german_compound_is_hyphenated_inside_a_narrow_box);
    RUN(text_that_cannot_fit_ends_in_an_ellipsis_inside_the_box);
    RUN(campaign_page_fits_every_resolution);
    RUN(campaign_with_overlong_content_still_stays_on_screen);
    RUN(no_content_page_explains_itself_at_every_resolution);
    RUN(same_inputs_give_the_same_list_and_a_new_minute_a_different_one);
    RUN(json_has_kind_rect_text_and_size);
    text_close(text);
    return check_report();
}
