/* Bounded layout: whatever a signed bundle holds, a page's layout measures about as
 * much text as fits on the screen, not as much as the content holds. Counted, not
 * timed: every call of the text measure and the bytes it measures, for hostile content
 * and for twice as much of it. Plus what the visitor then sees: the text ends in "…",
 * the schedule says how many more events there are, nothing leaves the screen. */
#include "testutil.h"

#include "fixtures.h"
#include "hostile.h"

#include "base/clock.h"
#include "check.h"
#include "layoututil.h"
#include "pages/layout.h"
#include "pages/raster.h"

static TextMetrics real;

typedef struct {
    long calls;
    long bytes;
} Count;

static Count counted;

static int count_width(void *ctx, const char *s, size_t len, int size, int bold)
{
    (void)ctx;
    counted.calls++;
    counted.bytes += (long)len;
    return real.width(real.ctx, s, len, size, bold);
}

static int count_line_height(void *ctx, int size, int bold)
{
    (void)ctx;
    counted.calls++;
    return real.line_height(real.ctx, size, bold);
}

static const TextMetrics counting = { NULL, count_width, count_line_height, NULL };

static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };
static const char *const pages[] = { "campaign", "map", "schedule" };

/* 09:00 on the hostile day: events before are past, the rest ahead */
#define AT (HOSTILE_DAY_MS + 9 * 3600000LL)

static Count measure(const Model *m, const char *page, int w, int h, DrawList *dl)
{
    counted = (Count){ 0, 0 };
    drawlist_init(dl, w, h);
    CHECK_INT(layout_build(m, page, w, h, LAYOUT_ENV(AT), &counting, dl), 0);
    return counted;
}

TEST(layout_measures_what_fits_not_what_the_content_holds)
{
    Model small, big;
    /* far more than fits already; then twice as many of everything, twice as long */
    hostile_model_sized(&small, (HostileSize){ 300, 1500, 2000, 20000, 3000 });
    hostile_model_sized(&big, (HostileSize){ 600, 3000, 4000, 40000, 6000 });
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        for (int p = 0; p < 3; p++) {
            DrawList a, b;
            Count ca = measure(&small, pages[p], w, h, &a);
            Count cb = measure(&big, pages[p], w, h, &b);
            printf("  %-8s %4dx%-4d %7ld calls %9ld bytes | twice the content: %7ld calls %9ld "
                   "bytes\n",
                   pages[p], w, h, ca.calls, ca.bytes, cb.calls, cb.bytes);
            /* twice the content may not cost (nearly) twice the work; some change is
             * allowed, as other rows and words come to lie on screen */
            CHECK(cb.calls <= ca.calls + ca.calls / 2);
            CHECK(cb.bytes <= ca.bytes + ca.bytes / 2);
            for (int i = 0; i < b.n; i++) {
                CHECK(rect_inside(b.items[i].rect, (Rect){ 0, 0, w, h }));
            }
            drawlist_free(&a);
            drawlist_free(&b);
        }
    }
    model_free(&small);
    model_free(&big);
}

TEST(overflowing_text_ends_in_an_ellipsis_and_the_schedule_counts_the_rest)
{
    Model m;
    hostile_model_sized(&m, (HostileSize){ 300, 1500, 2000, 20000, 3000 });
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        DrawList dl;
        measure(&m, "campaign", w, h, &dl);
        int ellipses = 0;
        for (int i = 0; i < dl.n; i++) {
            const char *t = dl.items[i].text;
            size_t n = t && dl.items[i].kind == ITEM_TEXT ? strlen(t) : 0;
            ellipses += n >= 3 && strcmp(t + n - 3, "\xe2\x80\xa6") == 0;
        }
        CHECK(ellipses >= 1); /* the body at least: 300 blocks never fit */
        drawlist_free(&dl);
        measure(&m, "schedule", w, h, &dl);
        /* 1 500 events on the day: the rows shown end with how many more there are */
        CHECK(find_text(&dl, "weitere") >= 0);
        drawlist_free(&dl);
    }
    model_free(&m);
}

int main(void)
{
    clock_set_zone("Europe/Berlin");
    Text *text = test_fonts();
    real = text_metrics(text);
    RUN(layout_measures_what_fits_not_what_the_content_holds);
    RUN(overflowing_text_ends_in_an_ellipsis_and_the_schedule_counts_the_rest);
    text_close(text);
    return check_report();
}
