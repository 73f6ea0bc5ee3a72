/* Text cut to fit a fixed buffer: base/utf8's helpers never split a character and end
 * in "…" when they cut; and every page built from content with long multi-byte
 * texts (place + description, the footer's source and status, the site list, the
 * legend) yields only valid UTF-8 in its draw list, the strings the screen and the
 * screenshot JSON show. */
#include "testutil.h"

#include "fixtures.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "check.h"
#include "pages/layout.h"
#include "display/text.h"

#define ELLIPSIS "\xe2\x80\xa6"

static TextMetrics tm;

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && memcmp(s + a - b, tail, b) == 0;
}

/* n copies of unit */
static char *repeat(const char *unit, int n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * (size_t)n + 1);
    for (int i = 0; i < n; i++) {
        memcpy(s + u * (size_t)i, unit, u);
    }
    s[u * (size_t)n] = '\0';
    return s;
}

TEST(cutting_never_splits_a_character_and_ends_in_an_ellipsis)
{
    /* 1-, 2-, 3- and 4-byte characters, so that every buffer size meets every offset */
    const char *src = "a\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80"
                      "b\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80"
                      "c\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80";
    size_t len = strlen(src);
    int bad = 0, no_ellipsis = 0, wrong_whole = 0;
    for (size_t cap = 1; cap <= len + 2; cap++) {
        char dst[64];
        memset(dst, 'x', sizeof dst);
        int cut = utf8_copy_cut(dst, cap, src);
        size_t got = strlen(dst);
        bad += got >= cap || !utf8_valid(dst, got, NULL);
        if (cap > len) {
            wrong_whole += cut != 0 || strcmp(dst, src) != 0;
        } else {
            wrong_whole += cut != 1;
            no_ellipsis += cap >= 4 && !ends_with(dst, ELLIPSIS);
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(no_ellipsis, 0);
    CHECK_INT(wrong_whole, 0);

    char buf[16];
    CHECK_INT(utf8_copy_cut(buf, sizeof buf, "f\xc3\xbcr alle"), 0);
    CHECK_STR(buf, "f\xc3\xbcr alle");
    /* 7 bytes of room: "für" (4) and "…" (3); the space and "ü" do not fit */
    char small[8];
    CHECK_INT(utf8_copy_cut(small, sizeof small, "f\xc3\xbcr \xc3\xbc\xc3\xbc"), 1);
    CHECK_STR(small, "f\xc3\xbcr" ELLIPSIS);
    char tiny[6]; /* 5 bytes: "fü" and "…" — never half of the "ü" */
    CHECK_INT(utf8_copy_cut(tiny, sizeof tiny, "f\xc3\xbc\xc3\xbc\xc3\xbc"), 1);
    CHECK_STR(tiny, "f" ELLIPSIS);
    CHECK_INT(utf8_append_cut(buf, sizeof buf, " \xc2\xb7 \xc3\xbc\xc3\xbc\xc3\xbc"), 1);
    CHECK(utf8_valid(buf, strlen(buf), NULL));
    CHECK(ends_with(buf, ELLIPSIS));
    char *big = repeat("\xc3\xa4", 2000);
    char out[512];
    CHECK_INT(utf8_format_cut(out, sizeof out, "%s \xc2\xb7 %s", "Ort", big), 1);
    CHECK(utf8_valid(out, strlen(out), NULL));
    CHECK(ends_with(out, ELLIPSIS));
    CHECK(strlen(out) < sizeof out);
    free(big);
}

static void set(char **field, char *value)
{
    free(*field);
    *field = value;
}

/* Every text item of every page valid UTF-8; returns how many end in "…". */
static int check_pages(const Model *m, const LayoutEnv *env, int w, int h)
{
    const char *pages[] = { "campaign", "map", "schedule" };
    int cut = 0;
    for (size_t p = 0; p < 3; p++) {
        DrawList dl;
        drawlist_init(&dl, w, h);
        CHECK_INT(layout_build(m, pages[p], w, h, env, &tm, &dl), 0);
        for (int i = 0; i < dl.n; i++) {
            const DrawItem *it = &dl.items[i];
            if ((it->kind == ITEM_TEXT || it->kind == ITEM_LABEL) && it->text) {
                int ok = utf8_valid(it->text, strlen(it->text), NULL);
                if (!ok) {
                    fprintf(stderr, "%s %dx%d: invalid UTF-8 in '%s'\n", pages[p], w, h,
                            it->text);
                }
                CHECK(ok);
                cut += ends_with(it->text, ELLIPSIS);
            }
        }
        drawlist_free(&dl);
    }
    return cut;
}

TEST(long_multibyte_content_stays_valid_utf8_on_every_page)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    /* each text at its build cap (160 characters, descriptions 600), in characters of
     * two and three bytes, so that a byte-wise cut lands inside a character */
    set(&m.campaign.source, repeat("\xc3\xbc", 160));
    set(&m.campaign.map_note, repeat("\xe2\x82\xac", 160));
    for (int i = 0; i < m.n_sites; i++) {
        set(&m.sites[i].city, repeat("\xc3\xb6", 160));
        set(&m.sites[i].organisation, repeat("\xe2\x82\xac", 159));
        set(&m.sites[i].kind, repeat("\xc3\x9f", 100 + i % 3));
    }
    for (int i = 0; i < m.n_events; i++) {
        set(&m.events[i].place, repeat("\xc3\xbc", 160));
        set(&m.events[i].description, repeat("\xe2\x82\xac", 600));
    }
    char *status = repeat("\xc3\xa4", 200);
    int64_t now = 0;
    CHECK_INT(clock_parse_iso("2021-06-01T10:00", &now), 0);
    LayoutEnv env = { now, 0, m.n_sites ? m.sites[0].id : NULL, status, 0, 0, NULL, 0 };
    int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 1080, 1920 } };
    for (size_t s = 0; s < 3; s++) {
        CHECK(check_pages(&m, &env, sizes[s][0], sizes[s][1]) > 0);
    }
    free(status);
    model_free(&m);
}

int main(void)
{
    Text *text = test_fonts();
    tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    RUN(cutting_never_splits_a_character_and_ends_in_an_ellipsis);
    RUN(long_multibyte_content_stays_valid_utf8_on_every_page);
    text_close(text);
    return check_report();
}
