/* The draw list's invariants on generated content, at the four sizes, left to right and
 * mirrored (right to left), and on every panel page: no two text items overlap, nothing
 * leaves the screen, and no text is cut without the cut being recorded for staff (every
 * "…" has an overflow entry). Content from 1 to 60 events and 1 to 10 000 sites, titles
 * short and long. */
#include "testutil.h"

#include "fixtures.h"
#include "hostile.h"

#include "base/clock.h"
#include "check.h"
#include "layoututil.h"
#include "pages/layout.h"

static TextMetrics tm;
static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };

/* Every page of m at every size, on every panel page, left to right and mirrored. */
static int check_all(const Model *m, const char *name)
{
    int bad = 0;
    static const char *const pages[] = { "campaign", "map", "schedule" };
    for (int s = 0; s < 8; s++) {
        int rtl = s >= 4;
        for (int p = 0; p < 3; p++) {
            for (int panel = 0;; panel++) {
                DrawList dl;
                int w = sizes[s % 4][0], h = sizes[s % 4][1];
                drawlist_init(&dl, w, h);
                LayoutEnv env = { HOSTILE_DAY_MS + 12 * 3600000LL, panel * 8000LL, NULL, NULL, 0, 0,
                                  rtl ? "ar" : NULL, rtl };
                layout_build(m, pages[p], w, h, &env, &tm, &dl);
                char what[160];
                snprintf(what, sizeof what, "%s %s %dx%d%s panel %d", name, pages[p], w, h,
                         rtl ? " rtl" : "", panel + 1);
                bad += layout_problems(&dl, what);
                int panels = dl.panel_pages;
                drawlist_free(&dl);
                if (panel + 1 >= panels) {
                    break;
                }
            }
        }
    }
    return bad;
}

TEST(no_text_overlaps_and_no_cut_goes_unrecorded_on_generated_content)
{
    static const HostileSize kinds[] = {
        { 1, 1, 1, 10, 20 },        /* almost nothing */
        { 3, 7, 19, 10, 60 },       /* a normal day */
        { 8, 24, 200, 10, 120 },    /* a full programme */
        { 20, 60, 900, 10, 300 },   /* long titles, many sites */
        { 40, 60, 10000, 10, 800 }, /* more than fits anywhere */
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        Model m;
        hostile_model_sized(&m, kinds[k]);
        char name[64];
        snprintf(name, sizeof name, "%d events, %d sites, %zu-byte texts", kinds[k].events,
                 kinds[k].sites, kinds[k].text);
        int bad = check_all(&m, name);
        printf("  %-40s %d problems\n", name, bad);
        CHECK_INT(bad, 0);
        model_free(&m);
    }
}

TEST(the_default_content_fits_without_a_cut)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    CHECK_INT(check_all(&m, "default"), 0);
    static const char *const pages[] = { "campaign", "map", "schedule" };
    for (int s = 0; s < 4; s++) {
        for (int p = 0; p < 3; p++) {
            DrawList dl;
            drawlist_init(&dl, sizes[s][0], sizes[s][1]);
            layout_build(&m, pages[p], sizes[s][0], sizes[s][1],
                         LAYOUT_ENV(HOSTILE_DAY_MS + 15 * 3600000LL), &tm, &dl);
            CHECK_INT(dl.n_overflow, 0);
            drawlist_free(&dl);
        }
    }
    model_free(&m);
}

int main(void)
{
    clock_set_zone("Europe/Berlin");
    Text *text = test_fonts();
    tm = text_metrics(text);
    RUN(no_text_overlaps_and_no_cut_goes_unrecorded_on_generated_content);
    RUN(the_default_content_fits_without_a_cut);
    text_close(text);
    return check_report();
}
