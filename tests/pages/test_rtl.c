/* Right-to-left pages (issue 15): the campaign, map and schedule pages at the four sizes
 * are their left-to-right layout mirrored (x' = W - x - w) item by item, text alignment
 * swapped, the map moved as one block with its land, markers and labels unchanged on it;
 * the mirrored pages keep every invariant (on screen, no overlaps, cuts recorded); the
 * header, footer, figures, QR block, schedule columns and site list sit where a reader
 * of Arabic looks for them; the JSON names lang and dir. Line breaking keeps Arabic
 * words, marks, ZWNJ and bidi marks whole. German text stands in for Arabic: geometry is
 * what is checked here, shaping belongs to the text engine. Set LITFASS_RTL_SHOTS=DIR to
 * keep the rendered screenshots. */
#include "testutil.h"

#include "fixtures.h"

#include "base/clock.h"
#include "base/ui.h"
#include "base/utf8.h"
#include "check.h"
#include "display/preview.h"
#include "display/render.h"
#include "layoututil.h"
#include "pages/alert_page.h"
#include "pages/flow.h"
#include "pages/layout.h"

#include <math.h>

static Text *text;
static TextMetrics tm;
static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };
static const char *const pages[] = { "campaign", "map", "schedule" };

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    if (clock_parse_iso(iso, &ms) != 0) {
        fprintf(stderr, "bad time %s\n", iso);
        exit(2);
    }
    return ms;
}

static int on_map(const DrawItem *it)
{
    return it->kind == ITEM_MARKER || it->kind == ITEM_CLUSTER || it->kind == ITEM_LABEL;
}

static int mirrored_align(int a)
{
    return a == ALIGN_LEFT ? ALIGN_RIGHT : a == ALIGN_RIGHT ? ALIGN_LEFT : a;
}

static int same_shape(const Shape *a, const Shape *b)
{
    if (!a || !b) {
        return a == b;
    }
    if (a->n_rings != b->n_rings || a->n_focus != b->n_focus) {
        return 0;
    }
    int total = 0;
    for (int i = 0; i < a->n_rings; i++) {
        if (a->ring_len[i] != b->ring_len[i]) {
            return 0;
        }
        total += a->ring_len[i];
    }
    return memcmp(a->xy, b->xy, sizeof(float) * 2 * (size_t)total) == 0;
}

/* The end of the line of text runs starting at item i (runs 0, 1, 2, ...). */
static int line_end(const DrawList *dl, int i)
{
    int j = i + 1;
    while (j < dl->n && dl->items[i].kind == ITEM_TEXT && dl->items[i].run == 0 &&
           dl->items[j].kind == ITEM_TEXT && dl->items[j].run == dl->items[j - 1].run + 1) {
        j++;
    }
    return j;
}

/* rtl is ltr mirrored, item by item — a line of several runs as a whole, German (left to
 * right) runs in their order within it; returns the number of differences (printed). */
static int mirror_problems(const DrawList *l, const DrawList *r, const char *what)
{
    int bad = 0, W = l->width;
    if (l->n != r->n || l->n_overflow != r->n_overflow || l->rtl || !r->rtl) {
        fprintf(stderr, "%s: %d/%d items, %d/%d overflows, rtl %d/%d\n", what, l->n, r->n,
                l->n_overflow, r->n_overflow, l->rtl, r->rtl);
        return 1;
    }
    int dx = 0;
    for (int i = 0; i < l->n; i++) {
        if (l->items[i].kind == ITEM_MAP) {
            dx = W - 2 * l->items[i].rect.x - l->items[i].rect.w;
        }
    }
    for (int i = 0; i < l->n;) {
        int end = line_end(l, i);
        /* the line's extent, mirrored; its runs at the same offsets from its start */
        const Rect *a0 = &l->items[i].rect, *a1 = &l->items[end - 1].rect;
        int line_x = on_map(&l->items[i]) ? a0->x + dx : W - (a1->x + a1->w);
        for (int k = i; k < end; k++) {
            const DrawItem *a = &l->items[k], *b = &r->items[k];
            int want_x = line_x + (a->rect.x - a0->x);
            int want_align = a->kind == ITEM_TEXT ? mirrored_align(a->align) : a->align;
            int same = a->kind == b->kind && a->rect.y == b->rect.y && a->rect.w == b->rect.w &&
                       a->rect.h == b->rect.h && b->rect.x == want_x && a->color == b->color &&
                       a->size == b->size && a->bold == b->bold && b->align == want_align &&
                       (a->text == NULL) == (b->text == NULL) &&
                       (!a->text || !strcmp(a->text, b->text)) && same_shape(a->shape, b->shape);
            if (!same) {
                fprintf(stderr,
                        "%s: item %d '%.30s' [%d %d %d %d] align %d -> [%d %d %d %d] align %d\n",
                        what, k, a->text ? a->text : "", a->rect.x, a->rect.y, a->rect.w,
                        a->rect.h, a->align, b->rect.x, b->rect.y, b->rect.w, b->rect.h, b->align);
                bad++;
            }
        }
        i = end;
    }
    for (int i = 0; i < l->n_overflow; i++) {
        Rect a = l->overflow[i].box, b = r->overflow[i].box;
        bad += b.x != W - a.x - a.w || b.y != a.y || b.w != a.w || b.h != a.h;
    }
    return bad;
}

static void build(const Model *m, const char *page, int w, int h, int64_t now, int rtl,
                  DrawList *dl)
{
    drawlist_init(dl, w, h);
    LayoutEnv env = { now, 0, "drk-ber", NULL, 0, 0, rtl ? "ar" : NULL, rtl };
    CHECK_INT(layout_build(m, page, w, h, &env, &tm, dl), 0);
}

/* The text item whose text is exactly s, or NULL. */
static const DrawItem *exact(const DrawList *dl, const char *s)
{
    for (int i = 0; i < dl->n; i++) {
        if (dl->items[i].kind == ITEM_TEXT && !strcmp(dl->items[i].text, s)) {
            return &dl->items[i];
        }
    }
    return NULL;
}

/* The item whose text contains needle, or NULL. */
static const DrawItem *item(const DrawList *dl, const char *needle)
{
    int i = find_text(dl, needle);
    return i >= 0 ? &dl->items[i] : NULL;
}

static int right(const DrawItem *it)
{
    return it->rect.x + it->rect.w;
}

static int pad5(int w, int h)
{
    return (int)lround((w < h ? w : h) / 100.0 * 5);
}

TEST(every_page_at_every_size_is_its_left_to_right_layout_mirrored)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    /* before the film (Als Nächstes), during it (Jetzt), and the day after */
    const char *moments[] = { "2021-06-01T15:05", "2021-06-01T15:30:20", "2021-06-02T12:00" };
    for (int s = 0; s < 4; s++) {
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < 3; k++) {
                int w = sizes[s][0], h = sizes[s][1];
                DrawList l, r;
                build(&m, pages[p], w, h, at(moments[k]), 0, &l);
                build(&m, pages[p], w, h, at(moments[k]), 1, &r);
                char what[160];
                snprintf(what, sizeof what, "%s %dx%d at %s", pages[p], w, h, moments[k]);
                CHECK_INT(mirror_problems(&l, &r, what), 0);
                CHECK_INT(layout_problems(&r, what), 0);
                CHECK_INT(r.n_overflow, 0);
                drawlist_free(&l);
                drawlist_free(&r);
            }
        }
    }
    model_free(&m);
}

TEST(text_reads_from_the_right_edge_of_its_box)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    const Campaign *c = &m.campaign;
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1], pad = pad5(w, h);
        DrawList dl;
        build(&m, "campaign", w, h, at("2021-06-01T15:05"), 1, &dl);
        /* the title ends at the right margin; paragraphs, headings and bullets are right
         * aligned: every line of the body's first paragraph ends at one edge */
        /* the title's line; in portrait, beside the logo's plate, the title wraps: its
         * first line (the body quotes the title too: whole items only) */
        char first[128];
        snprintf(first, sizeof first, "%s", c->title);
        char *last = strrchr(first, ' ');
        const DrawItem *title = NULL;
        for (int i = 0; i < dl.n && !title; i++) {
            const DrawItem *it = &dl.items[i];
            if (it->kind == ITEM_TEXT && it->text &&
                (!strcmp(it->text, c->title) || (last && !strncmp(it->text, first,
                                                                  (size_t)(last - first)) &&
                                                 it->text[last - first] == '\0'))) {
                title = it;
            }
        }
        CHECK(title && title->align == ALIGN_RIGHT && right(title) == w - pad);
        int body = find_text(&dl, "Das Bundesprogramm");
        CHECK(body >= 0);
        int edge = body >= 0 ? right(&dl.items[line_end(&dl, body) - 1]) : -1, lines = 0;
        for (int i = body >= 0 ? body : dl.n; i < dl.n;) {
            int end = line_end(&dl, i);
            const DrawItem *it = &dl.items[i];
            if (it->kind == ITEM_TEXT && it->color == c->color_text &&
                it->size == dl.items[body].size) {
                CHECK(it->align == ALIGN_RIGHT);
                lines += right(&dl.items[end - 1]) == edge;
            }
            i = end;
        }
        CHECK(lines >= 4);
        /* a bullet stands at the right of its item's first line */
        for (int i = 0; i + 1 < dl.n; i++) {
            const DrawItem *b = &dl.items[i];
            if (b->kind == ITEM_TEXT && !strcmp(b->text, "\xe2\x80\xa2")) {
                const DrawItem *t = &dl.items[i + 1];
                CHECK(b->rect.x > right(t) && b->rect.y == t->rect.y);
            }
        }
        /* the key figures: the first tile on the right of the second (landscape: two
         * columns; portrait: two or three) */
        const DrawItem *f0 = item(&dl, c->figures[0].value), *f1 = item(&dl, c->figures[1].value);
        CHECK(f0 && f1 && f0->rect.x > f1->rect.x && f0->align == ALIGN_RIGHT);
        /* the QR code to the right of its caption, the caption right aligned */
        const DrawItem *qr = NULL;
        for (int i = 0; i < dl.n; i++) {
            if (dl.items[i].kind == ITEM_IMAGE && !strncmp(dl.items[i].text, "qr:", 3)) {
                qr = &dl.items[i];
            }
        }
        const DrawItem *hint = item(&dl, ui_str(UI_SCAN_HINT));
        CHECK(qr && hint && right(hint) <= qr->rect.x && hint->align == ALIGN_RIGHT);
        /* the footer: date and time on the right, the content version on the left */
        char when[128];
        ui_format_datetime(at("2021-06-01T15:05"), when, sizeof when);
        const DrawItem *date = item(&dl, when), *ver = item(&dl, "Version");
        CHECK(date && ver && right(date) == w - (int)lround((w < h ? w : h) / 100.0 * 4));
        if (w > h) {
            CHECK(ver && date && right(ver) < date->rect.x);
        } else {
            CHECK(ver && right(ver) == right(date) && ver->align == ALIGN_RIGHT);
        }
        drawlist_free(&dl);
    }
    model_free(&m);
}

TEST(schedule_times_on_the_right_titles_to_their_left_markers_with_them)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        int portrait = h > w;
        for (int k = 0; k < 2; k++) {
            DrawList dl;
            build(&m, "schedule", w, h, at(k ? "2021-06-01T15:30:20" : "2021-06-01T15:05"), 1,
                  &dl);
            const DrawItem *time = exact(&dl, "15:30"), *title = item(&dl, "Kurzfilm");
            const DrawItem *badge = item(&dl, k ? ui_str(UI_NOW) : ui_str(UI_NEXT));
            const DrawItem *heading = item(&dl, ui_str(UI_SCHEDULE_TITLE));
            CHECK(time && title && badge && heading);
            if (!time || !title || !badge || !heading) {
                drawlist_free(&dl);
                continue;
            }
            CHECK(right(heading) == w - pad5(w, h) && heading->align == ALIGN_RIGHT);
            CHECK(time->align == ALIGN_RIGHT && title->align == ALIGN_RIGHT);
            if (!portrait) {
                /* the time column on the right, the title to its left, the badge above
                 * the title, ending where it ends */
                CHECK(right(title) < time->rect.x);
                CHECK(right(badge) <= right(title) + 1 && badge->rect.y < title->rect.y);
                CHECK(time->rect.x > w / 2);
            } else {
                /* stacked: the time above the title, both ending at the right; the badge
                 * to the left of the time */
                CHECK_INT(right(time), right(title));
                CHECK(time->rect.y < title->rect.y);
                CHECK(right(badge) < time->rect.x);
            }
            /* the running event's bar stands on its right */
            if (k) {
                int bar = 0;
                for (int i = 0; i < dl.n; i++) {
                    const DrawItem *it = &dl.items[i];
                    bar += it->kind == ITEM_RECT && it->color == m.campaign.color_primary &&
                           it->rect.w * 4 < it->rect.h && it->rect.x > right(title) &&
                           it->rect.x > right(time) - 1;
                }
                CHECK_INT(bar, 1);
            }
            drawlist_free(&dl);
        }
    }
    model_free(&m);
}

TEST(map_stays_a_map_the_site_list_reads_from_the_right)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1], pad = pad5(w, h);
        DrawList l, r;
        build(&m, "map", w, h, at("2021-06-01T15:05"), 0, &l);
        build(&m, "map", w, h, at("2021-06-01T15:05"), 1, &r);
        const DrawItem *map = NULL, *lmap = NULL;
        for (int i = 0; i < r.n; i++) {
            if (r.items[i].kind == ITEM_MAP) {
                map = &r.items[i];
                lmap = &l.items[i];
            }
        }
        CHECK(map != NULL);
        if (!map) {
            continue;
        }
        CHECK_INT(right(map), w - pad); /* landscape: the map on the right */
        /* markers and labels where they were on the map */
        int markers = 0;
        for (int i = 0; i < r.n; i++) {
            if (on_map(&r.items[i])) {
                CHECK_INT(r.items[i].rect.x - map->rect.x, l.items[i].rect.x - lmap->rect.x);
                CHECK_INT(r.items[i].rect.y, l.items[i].rect.y);
                markers++;
            }
        }
        CHECK(markers >= 19);
        /* the list: left of the map in landscape, below it in portrait; its entries end
         * at one right edge */
        int edge = -1, entries = 0;
        for (int i = 0; i < m.n_sites; i++) {
            const DrawItem *e = item(&r, m.sites[i].name);
            if (!e) {
                continue; /* on another panel page */
            }
            entries++;
            CHECK(e->align == ALIGN_RIGHT);
            edge = edge < 0 ? right(e) : edge;
            CHECK_INT(right(e), edge);
            if (w > h) {
                CHECK(right(e) < map->rect.x);
            } else {
                CHECK(e->rect.y > map->rect.y + map->rect.h);
            }
        }
        CHECK(entries >= 3);
        /* title on the right, the demo badge on the left */
        const DrawItem *badge = item(&r, ui_str(UI_DEMO_DATA));
        const DrawItem *title = item(&r, m.campaign.map_title ? m.campaign.map_title
                                                              : ui_str(UI_MAP_TITLE));
        CHECK(badge && title && right(badge) < title->rect.x && right(title) == w - pad);
        drawlist_free(&l);
        drawlist_free(&r);
    }
    model_free(&m);
}

TEST(alerts_mirror_with_their_page)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    Alert a = { 1, 0, ALERT_INFO, 0, at("2021-06-01T18:00"), "Heute geschlossen" };
    for (int level = 0; level < 2; level++) {
        a.level = level ? ALERT_DANGER : ALERT_INFO;
        for (int s = 0; s < 4; s++) {
            int w = sizes[s][0], h = sizes[s][1];
            DrawList l, r;
            LayoutEnv el = { at("2021-06-01T15:05"), 0, NULL, NULL, 0, 0, NULL, 0 };
            LayoutEnv er = { at("2021-06-01T15:05"), 0, NULL, NULL, 0, 0, "fa", 1 };
            drawlist_init(&l, w, h);
            drawlist_init(&r, w, h);
            CHECK_INT(alert_page_build(&m, "schedule", &a, w, h, &el, &tm, &l), 0);
            CHECK_INT(alert_page_build(&m, "schedule", &a, w, h, &er, &tm, &r), 0);
            char what[96];
            snprintf(what, sizeof what, "alert %d schedule %dx%d", level, w, h);
            CHECK_INT(mirror_problems(&l, &r, what), 0);
            CHECK_INT(layout_problems(&r, what), 0);
            CHECK_STR(r.lang, "fa");
            if (!level) { /* the band's label on the right, the text to its left */
                const DrawItem *label = item(&r, ui_str(UI_ALERT_INFO));
                const DrawItem *msg = item(&r, "geschlossen");
                CHECK(label && msg && msg->rect.x + msg->rect.w <= label->rect.x);
            }
            drawlist_free(&l);
            drawlist_free(&r);
        }
    }
    model_free(&m);
}

TEST(json_names_language_direction_and_alignment)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    for (int rtl = 0; rtl < 2; rtl++) {
        DrawList dl;
        build(&m, "campaign", 1920, 1080, at("2021-06-01T15:05"), rtl, &dl);
        char *path = test_fmt("%s/campaign.json", test_tmpdir());
        FILE *f = fopen(path, "w");
        CHECK(f && drawlist_write_json(&dl, f) == 0);
        fclose(f);
        char *json = test_read(path, NULL);
        if (rtl) {
            CHECK_HAS(json, "\"lang\": \"ar\", \"dir\": \"rtl\"");
            CHECK_HAS(json, "\"align\": \"right\", \"text\": \"Menschen");
        } else {
            CHECK_HAS(json, "\"lang\": \"de\", \"dir\": \"ltr\"");
            CHECK_HAS(json, "\"align\": \"left\", \"text\": \"Menschen");
        }
        free(json);
        free(path);
        drawlist_free(&dl);
    }
    model_free(&m);
}

/* A monospace stand-in: 10 px a character, nothing for marks and zero-width ones. */
static int fake_width(void *ctx, const char *s, size_t len, int size, int bold)
{
    (void)ctx;
    (void)size;
    (void)bold;
    int w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        int zero = utf8_is_mark(cp) || (cp >= 0x200B && cp <= 0x200F) ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
        w += zero ? 0 : 10;
    }
    return w;
}

static int fake_line_height(void *ctx, int size, int bold)
{
    (void)ctx;
    (void)bold;
    return size * 12 / 10;
}

static const TextMetrics fake = { NULL, fake_width, fake_line_height, NULL };

/* The lines' texts joined (without the hyphens of split words and the ellipsis). */
static void joined(const DrawList *dl, char *out, size_t len)
{
    out[0] = '\0';
    for (int i = 0; i < dl->n; i++) {
        char t[512];
        snprintf(t, sizeof t, "%s", dl->items[i].text);
        size_t n = strlen(t);
        if (n >= 3 && !strcmp(t + n - 3, "\xe2\x80\xa6")) {
            t[n -= 3] = '\0';
        }
        if (n && t[n - 1] == '-') {
            t[--n] = '\0';
        }
        snprintf(out + strlen(out), len - strlen(out), "%s", t);
    }
}

/* 1 when s begins with a mark or a zero-width character (a line must not). */
static int starts_glued(const char *s)
{
    uint32_t cp;
    utf8_decode(s, strlen(s), &cp);
    return utf8_is_mark(cp) || (cp >= 0x200B && cp <= 0x200F);
}

/* 1 when s ends, before its "-" or "…", with a zero-width character. */
static int ends_with_joiner(const char *s)
{
    size_t n = strlen(s);
    if (n >= 3 && !strcmp(s + n - 3, "\xe2\x80\xa6")) {
        n -= 3;
    }
    if (n && s[n - 1] == '-') {
        n--;
    }
    /* U+200B..U+200F are E2 80 8B..8F */
    return n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
           (unsigned char)s[n - 1] >= 0x8B && (unsigned char)s[n - 1] <= 0x8F;
}

TEST(arabic_words_break_at_spaces_only)
{
    /* "the programme strengthens people" in Arabic: eight words, each 4-8 letters */
    const char *text = "\xd8\xa8\xd8\xb1\xd9\x86\xd8\xa7\xd9\x85\xd8\xac "
                       "\xd8\xa7\xd9\x84\xd9\x86\xd8\xa7\xd8\xb3 "
                       "\xd9\x8a\xd9\x82\xd9\x88\xd9\x91\xd9\x8a "
                       "\xd8\xa7\xd9\x84\xd9\x86\xd8\xa7\xd8\xb3 "
                       "\xd9\x85\xd9\x86\xd8\xb0 2016 "
                       "\xd9\x81\xd9\x8a \xd8\xa3\xd9\x84\xd9\x85\xd8\xa7\xd9\x86\xd9\x8a\xd8\xa7";
    DrawList dl;
    drawlist_init(&dl, 400, 400);
    int h;
    layout_fit_text(&dl, &fake, text, (Rect){ 0, 0, 160, 300 }, 20, 20, 0, 0, &h);
    CHECK(dl.n >= 3);
    for (int i = 0; i < dl.n; i++) { /* every line is whole words of the text */
        char line[256];
        snprintf(line, sizeof line, "%s", dl.items[i].text);
        char *save = NULL;
        for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            char word[64];
            snprintf(word, sizeof word, " %s ", w);
            char padded[512];
            snprintf(padded, sizeof padded, " %s ", text);
            CHECK_HAS(padded, word);
        }
    }
    drawlist_free(&dl);
}

/* "über 140 000" in a box as narrow as "über 140": the number wraps whole to the next
 * line (the Arabic translation's key figure broke as "140 / 000" in portrait); a space
 * between two numbers that are not digit groups ("19 25" or "2016 2018") still breaks. */
/* A paragraph's last line is not a single word when the line above can spare one: the
 * greedy break of "aaaa bbbb cccc dddd eeee" into lines of 19 characters leaves "eeee"
 * alone; balanced, the last line reads "dddd eeee" and the paragraph keeps its two lines.
 * The same for Arabic words, and a line above of two words keeps both (nothing gained). */
TEST(a_one_word_last_line_takes_a_word_from_the_line_above)
{
    const struct {
        const char *text, *last;
        int lines;
    } cases[] = {
        { "aaaa bbbb cccc dddd eeee", "dddd eeee", 2 },
        { "\xd9\x85\xd9\x86\xd8\xb0 \xd8\xb9\xd8\xa7\xd9\x85 "
          "\xd8\xa3\xd8\xb6\xd9\x8a\xd9\x81\xd8\xaa "
          "\xd8\xa5\xd9\x84\xd9\x8a\xd9\x87 \xd8\xa7\xd9\x84\xd8\xb4\xd8\xa8\xd8\xa7\xd8\xa8",
          "\xd8\xa5\xd9\x84\xd9\x8a\xd9\x87 \xd8\xa7\xd9\x84\xd8\xb4\xd8\xa8\xd8\xa7\xd8\xa8", 2 },
        { "aaaaaaaa bbbbbbbbbb cccc", "cccc", 2 },
    };
    const int widths[] = { 190, 190, 190 };
    for (int k = 0; k < 3; k++) {
        DrawList dl;
        drawlist_init(&dl, 400, 400);
        int h;
        layout_fit_text(&dl, &fake, cases[k].text, (Rect){ 0, 0, widths[k], 300 }, 20, 20, 0, 0,
                        &h);
        CHECK_INT(dl.n, cases[k].lines);
        if (dl.n == cases[k].lines) {
            CHECK_STR(dl.items[dl.n - 1].text, cases[k].last);
            CHECK(dl.items[dl.n - 1].rect.w <= widths[k]);
        }
        drawlist_free(&dl);
    }
}

TEST(digit_groups_stay_together_across_a_line_break)
{
    DrawList dl;
    drawlist_init(&dl, 400, 400);
    int h;
    int w = fake.width(fake.ctx, "über 140", strlen("über 140"), 20, 0);
    layout_fit_text(&dl, &fake, "über 140 000", (Rect){ 0, 0, w, 300 }, 20, 20, 0, 0, &h);
    int whole = 0;
    for (int i = 0; i < dl.n; i++) {
        CHECK(strcmp(dl.items[i].text, "000") != 0 && strcmp(dl.items[i].text, "über 140") != 0);
        whole |= strcmp(dl.items[i].text, "140 000") == 0;
    }
    CHECK(whole);
    drawlist_free(&dl);
    drawlist_init(&dl, 400, 400);
    w = fake.width(fake.ctx, "2016", 4, 20, 0);
    layout_fit_text(&dl, &fake, "2016 2018", (Rect){ 0, 0, w, 300 }, 20, 20, 0, 0, &h);
    CHECK_INT(dl.n, 2);
    drawlist_free(&dl);
}

TEST(zwnj_marks_and_bidi_marks_are_kept_and_never_break_points)
{
    /* Persian "میخواهم" with ZWNJ after "می", four times without spaces, with an RLM
     * and vowel marks: too wide for the box at the minimum size, so it is split
     * between letters — never at a ZWNJ, never before a mark, nothing dropped */
    const char *word = "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85";
    const char *marked = "\xd8\xa8\xd9\x8e\xd8\xb1\xd9\x90\xe2\x80\x8f\xd9\x86\xd9\x8f";
    char text[256];
    snprintf(text, sizeof text, "%s%s%s%s%s", word, marked, word, word, word);
    for (int width = 25; width <= 75; width += 10) {
        DrawList dl;
        drawlist_init(&dl, 400, 800);
        layout_fit_text(&dl, &fake, text, (Rect){ 0, 0, width, 790 }, 20, 20, 0, 0, NULL);
        CHECK(dl.n >= 2);
        char all[512];
        joined(&dl, all, sizeof all);
        CHECK_STR(all, text);
        for (int i = 0; i < dl.n; i++) {
            CHECK(!starts_glued(dl.items[i].text));
            CHECK(!ends_with_joiner(dl.items[i].text));
        }
        drawlist_free(&dl);
    }
    /* with spaces, ZWNJ is part of its word: the line breaks at the spaces */
    char spaced[256];
    snprintf(spaced, sizeof spaced, "%s %s %s", word, word, word);
    DrawList dl;
    drawlist_init(&dl, 400, 400);
    layout_fit_text(&dl, &fake, spaced, (Rect){ 0, 0, 90, 300 }, 20, 20, 0, 0, NULL);
    CHECK_INT(dl.n, 3);
    for (int i = 0; i < dl.n; i++) {
        CHECK_STR(dl.items[i].text, word);
    }
    drawlist_free(&dl);
}

TEST(the_ellipsis_ends_the_logical_string_after_a_whole_letter)
{
    /* vowel marks after every letter: the cut never strands one */
    const char *syll = "\xd8\xa8\xd9\x8e\xd8\xb1\xd9\x90 ";
    char text[512] = "";
    for (int i = 0; i < 30; i++) {
        strcat(text, syll);
    }
    DrawList dl;
    drawlist_init(&dl, 400, 400);
    layout_fit_text(&dl, &fake, text, (Rect){ 0, 0, 95, 48 }, 20, 20, 0, 0, NULL);
    CHECK(dl.n >= 1 && dl.n_overflow == 1);
    const char *last = dl.items[dl.n - 1].text;
    CHECK(layout_ends_in_ellipsis(last));
    /* logical order: the last line without its "…" is a piece of the source, which
     * goes on after it with a letter, not with a mark torn from its letter */
    char probe[512];
    snprintf(probe, sizeof probe, "%s", last);
    probe[strlen(probe) >= 3 ? strlen(probe) - 3 : 0] = '\0';
    const char *cut_at = strstr(text, probe);
    CHECK(probe[0] && cut_at != NULL);
    if (cut_at) {
        const char *after = cut_at + strlen(probe);
        uint32_t cp;
        utf8_decode(after, strlen(after), &cp);
        CHECK(!utf8_is_mark(cp));
    }
    drawlist_free(&dl);
}

TEST(latin_runs_keep_their_order_in_a_mirrored_arabic_line)
{
    /* "مرحبا بكم **Projekt** DRK **2024** في برلين": Arabic, then Latin in three
     * runs of alternating weight (the digits go with the Latin before them), then Arabic */
    Span spans[] = { { "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd9\x83\xd9\x85", 0 },
                     { " Projekt", 1 },
                     { " DRK", 0 },
                     { " 2024", 1 },
                     { " \xd9\x81\xd9\x8a \xd8\xa8\xd8\xb1\xd9\x84\xd9\x8a\xd9\x86", 0 } };
    FlowPara para = { spans, 5, 100, 0, 0, 0, 0 };
    DrawList dl;
    drawlist_init(&dl, 400, 100);
    flow_fit(&dl, &fake, &para, 1, (Rect){ 0, 0, 400, 100 }, 20, 20, FLOW_LEFT, 0, NULL);
    CHECK_INT(dl.n, 5);
    drawlist_mirror(&dl, 0, 0);
    const DrawItem *hello = item(&dl, "\xd9\x85\xd8\xb1"), *proj = item(&dl, "Projekt");
    const DrawItem *drk = item(&dl, "DRK"), *year = item(&dl, "2024");
    const DrawItem *berlin = item(&dl, "\xd9\x81\xd9\x8a");
    CHECK(hello && proj && drk && year && berlin);
    if (hello && proj && drk && year && berlin) {
        CHECK_INT(right(hello), 400); /* the line starts at the right */
        CHECK(hello->rect.x > right(year));
        CHECK(proj->rect.x < drk->rect.x && drk->rect.x < year->rect.x); /* as written */
        CHECK(right(berlin) < proj->rect.x);
        CHECK(hello->align == ALIGN_RIGHT && proj->align == ALIGN_RIGHT);
    }
    drawlist_free(&dl);
}

/* Pixels of colour c in r (the software target's ARGB8888). */
static long count_colour(SDL_Surface *surf, Rect r, uint32_t c)
{
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + y * surf->pitch);
        for (int x = r.x; x < r.x + r.w; x++) {
            n += (row[x] & 0xFFFFFFu) == c;
        }
    }
    return n;
}

TEST(mirrored_pages_render_with_the_title_on_the_right)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    const char *keep = getenv("LITFASS_RTL_SHOTS");
    const char *dir = keep && *keep ? keep : test_tmpdir();
    mkdir(dir, 0755);
    for (int s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        SDL_Renderer *sdl = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
        Renderer *r = NULL;
        CHECK(sdl && render_create(sdl, text, &r) == 0);
        if (!r) {
            continue;
        }
        for (int p = 0; p < 3; p++) {
            DrawList dl;
            build(&m, pages[p], w, h, at("2021-06-01T15:05"), 1, &dl);
            char *png = test_fmt("%s/%s.rtl.%dx%d.png", dir, pages[p], w, h);
            char *json = test_fmt("%s/%s.rtl.%dx%d.json", dir, pages[p], w, h);
            char err[600];
            CHECK_INT(preview_shot(r, surf, &dl, png, json, err, sizeof err), 0);
            /* white title text in the header band: on the right half, none at the left
             * margin (in portrait the campaign title may fill the width) */
            int band = (int)lround((w < h ? w : h) / 100.0 * 11);
            long left = count_colour(surf, (Rect){ 0, 0, w / 4, band }, 0xFFFFFF);
            long rightpx = count_colour(surf, (Rect){ w * 3 / 4, 0, w / 4, band }, 0xFFFFFF);
            /* the map's demo badge is white and stands on the left; the campaign's title
             * fills the portrait band */
            if (p == 2 || (p == 0 && w > h)) {
                CHECK(rightpx > 0 && rightpx > left);
                if (!(rightpx > 0 && rightpx > left)) {
                    fprintf(stderr, "%s %dx%d: %ld white pixels left, %ld right\n", pages[p], w, h,
                            left, rightpx);
                }
            }
            free(png);
            free(json);
            drawlist_free(&dl);
        }
        /* an info band over the schedule and a warning page, mirrored */
        for (int level = 0; level < 2; level++) {
            Alert a = { 1, 0, level ? ALERT_WARNING : ALERT_INFO, 0, at("2021-06-01T18:00"),
                        "Heute wegen Hitze geschlossen, bitte kommen Sie morgen wieder" };
            LayoutEnv env = { at("2021-06-01T15:05"), 0, NULL, NULL, 0, 0, "ar", 1 };
            DrawList dl;
            drawlist_init(&dl, w, h);
            CHECK_INT(alert_page_build(&m, "schedule", &a, w, h, &env, &tm, &dl), 0);
            char *png = test_fmt("%s/alert-%s.rtl.%dx%d.png", dir, level ? "warning" : "info", w, h);
            char *json = test_fmt("%s/alert-%s.rtl.%dx%d.json", dir, level ? "warning" : "info", w,
                                  h);
            char err[600];
            CHECK_INT(preview_shot(r, surf, &dl, png, json, err, sizeof err), 0);
            free(png);
            free(json);
            drawlist_free(&dl);
        }
        render_destroy(r);
        SDL_DestroyRenderer(sdl);
        SDL_FreeSurface(surf);
    }
    model_free(&m);
}

int main(void)
{
    clock_set_zone("Europe/Berlin");
    text = test_fonts();
    tm = text_metrics(text);
    RUN(every_page_at_every_size_is_its_left_to_right_layout_mirrored);
    RUN(text_reads_from_the_right_edge_of_its_box);
    RUN(schedule_times_on_the_right_titles_to_their_left_markers_with_them);
    RUN(map_stays_a_map_the_site_list_reads_from_the_right);
    RUN(alerts_mirror_with_their_page);
    RUN(json_names_language_direction_and_alignment);
    RUN(arabic_words_break_at_spaces_only);
    RUN(a_one_word_last_line_takes_a_word_from_the_line_above);
    RUN(digit_groups_stay_together_across_a_line_break);
    RUN(zwnj_marks_and_bidi_marks_are_kept_and_never_break_points);
    RUN(the_ellipsis_ends_the_logical_string_after_a_whole_letter);
    RUN(latin_runs_keep_their_order_in_a_mirrored_arabic_line);
    RUN(mirrored_pages_render_with_the_title_on_the_right);
    text_close(text);
    return check_report();
}
