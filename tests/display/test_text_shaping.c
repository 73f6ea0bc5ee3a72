/* Text engine: Arabic and Persian are shaped (joined letters, right to left), mixed
 * Arabic + Latin + digits lines come out in the bidi algorithm's visual order with the
 * Latin part readable left to right, measuring gives exactly the rendered width, and
 * Ukrainian and Turkish letters are all in the shipped fonts. Checked on the pixels of
 * the real fonts (alpha of the rendered surfaces); `test_text_shaping PART DIR` also
 * writes the surfaces as PNG into DIR for a look. */
#include "testutil.h"

#include "base/utf8.h"
#include "check.h"
#include "display/render.h"
#include "fixtures.h"
#include "pages/flow.h"

#include <SDL_image.h>
#include <SDL_ttf.h>

static Text *text;
static TextMetrics tm;
static const char *png_dir;

static int alpha(const SDL_Surface *s, int x, int y)
{
    const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
    return (int)(row[x] >> 24);
}

static SDL_Surface *render(const char *s, int size)
{
    SDL_Surface *surf = text_render(text, s, size, 0, 0x000000);
    CHECK(surf != NULL);
    if (surf && surf->format->format != SDL_PIXELFORMAT_ARGB8888) {
        SDL_Surface *c = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(surf);
        surf = c;
    }
    return surf;
}

/* Writes s on white into DIR/name.png when a folder was given, marks above the line
 * box included. */
static void save(const char *name, const char *s, int size, int bold)
{
    if (!png_dir) {
        return;
    }
    int above;
    SDL_Surface *surf = text_render_above(text, s, size, bold, 0x1A1A1A, &above);
    if (!surf) {
        return;
    }
    SDL_Surface *page = SDL_CreateRGBSurfaceWithFormat(0, surf->w + 40, surf->h + 40, 32,
                                                       SDL_PIXELFORMAT_ARGB8888);
    SDL_FillRect(page, NULL, 0xFFFFFFFF);
    SDL_Rect at = { 20, 20, surf->w, surf->h };
    SDL_BlitSurface(surf, NULL, page, &at);
    char *path = test_fmt("%s/%s.png", png_dir, name);
    IMG_SavePNG(page, path);
    free(path);
    SDL_FreeSurface(page);
    SDL_FreeSurface(surf);
}

/* The x in big where small's ink matches best (both rendered at one size, so their
 * baselines lie on the same row); *err gets the mean alpha difference per pixel. */
static int locate(const SDL_Surface *big, const SDL_Surface *small, double *err)
{
    int best = -1;
    double best_d = 1e18;
    int h = small->h < big->h ? small->h : big->h;
    for (int x0 = 0; x0 + small->w <= big->w; x0++) {
        double d = 0;
        for (int y = 0; y < h && d < best_d; y++) {
            for (int x = 0; x < small->w; x++) {
                d += abs(alpha(big, x0 + x, y) - alpha(small, x, y));
            }
        }
        if (d < best_d) {
            best_d = d;
            best = x0;
        }
    }
    *err = best_d / ((double)small->w * h);
    return best;
}

/* The leftmost and rightmost column with ink in rows [y0, y1). */
static void ink_columns(const SDL_Surface *s, int y0, int y1, int *left, int *right)
{
    *left = s->w;
    *right = -1;
    for (int y = y0; y < y1 && y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            if (alpha(s, x, y) > 128) {
                *left = x < *left ? x : *left;
                *right = x > *right ? x : *right;
            }
        }
    }
}

static int width(const char *s, int size)
{
    return tm.width(tm.ctx, s, strlen(s), size, 0);
}

static void check_drawable(const char *s)
{
    for (size_t at = 0; s[at];) {
        uint32_t cp;
        at += utf8_decode(s + at, strlen(s + at), &cp);
        if (!text_can_draw(text, cp)) {
            fprintf(stderr, "U+%04X of \"%s\" has no glyph\n", (unsigned)cp, s);
        }
        CHECK(text_can_draw(text, cp));
    }
}

/* Arabic: "مرحبا" joined is narrower than its letters drawn one by one, differs from
 * what SDL_ttf draws unshaped, and reads right to left (alef, the first letter of
 * "اووو", is the tall stroke at the right end). */
static void arabic_is_shaped_right_to_left(void)
{
    check_current = "arabic";
    const int size = 100;
    const char *word = "مرحبا", *letters[] = { "م", "ر", "ح", "ب", "ا" };
    int sum = 0;
    for (int i = 0; i < 5; i++) {
        sum += width(letters[i], size);
    }
    int joined = width(word, size);
    CHECK(joined > 0);
    CHECK(joined < sum * 85 / 100);

    /* unshaped: the same font, left to right, no script */
    char *path = test_fmt("%s/fonts/%s", LITFASS_SOURCE_DIR, TEXT_FONT_ARABIC);
    TTF_Font *raw = TTF_OpenFont(path, size);
    free(path);
    CHECK(raw != NULL);
    if (raw) {
        int rw = 0, rh = 0;
        TTF_SetFontDirection(raw, TTF_DIRECTION_LTR);
        TTF_SetFontScriptName(raw, "Latn");
        TTF_SizeUTF8(raw, word, &rw, &rh);
        CHECK(rw != joined);
        TTF_CloseFont(raw);
    }

    SDL_Surface *s = render("اووو", size);
    if (s) {
        int l, r, l_all, r_all;
        /* only alef reaches the upper third above the baseline (waw stays low) */
        TTF_Font *sans = TTF_OpenFont(LITFASS_SOURCE_DIR "/fonts/" TEXT_FONT_REGULAR, size);
        int base = sans ? TTF_FontAscent(sans) : 0;
        if (sans) {
            TTF_CloseFont(sans);
        }
        ink_columns(s, base - 70, base - 55, &l, &r);
        ink_columns(s, 0, s->h, &l_all, &r_all);
        CHECK(r >= 0);
        CHECK(l > l_all + (r_all - l_all) * 3 / 4); /* at the right end */
        SDL_FreeSurface(s);
    }
    /* the damma over "أُ" reaches above Noto Sans's line box: kept, above it */
    int above = -1;
    SDL_Surface *voc = text_render_above(text, "أُضيفت", size, 0, 0x000000, &above);
    SDL_Surface *cut = text_render(text, "أُضيفت", size, 0, 0x000000);
    CHECK(voc && cut);
    if (voc && cut) {
        CHECK(above > 5 && above < size / 4);
        CHECK_INT(voc->h - above, cut->h);
        int l, r;
        ink_columns(voc, 0, above, &l, &r);
        CHECK(r >= 0); /* ink above the line box */
        CHECK_INT(voc->w, width("أُضيفت", size));
    }
    SDL_FreeSurface(voc);
    SDL_FreeSurface(cut);
    above = -1;
    SDL_Surface *plain = text_render_above(text, "Menschen", size, 0, 0x000000, &above);
    CHECK_INT(above, 0);
    SDL_FreeSurface(plain);
    save("arabic_title", "مرحبا بكم في برنامج «الناس يقوّون الناس»", 160, 1);
    save("arabic_vocalised", "أُضيفت الْعَرَبِيَّة لِلّٰهِ يُنفَّذ", 160, 0);
    save("arabic_body", "يربط الصليب الأحمر الألماني بين العرّابين والمستفيدين في ١٩ موقعًا.", 48,
         0);
}

/* Persian: ZWNJ keeps "می" apart from "خواهم" (another shape than without it), never
 * shows as a box, and Persian letters join like Arabic ones. */
static void persian_is_shaped_with_zwnj(void)
{
    check_current = "persian";
    const char *with = "می\u200cخواهم", *without = "میخواهم";
    check_drawable(with);
    check_drawable("پچژگی ۰۱۲۳۴۵۶۷۸۹");
    CHECK(width(with, 80) != width(without, 80));
    SDL_Surface *a = render(with, 80), *b = render(without, 80);
    if (a && b) {
        CHECK(a->w != b->w || memcmp(a->pixels, b->pixels, (size_t)a->pitch * a->h) != 0);
    }
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    int sum = width("گ", 80) + width("ف", 80) + width("ت", 80) + width("ن", 80);
    CHECK(width("گفتن", 80) < sum * 85 / 100);
    save("persian", "برنامهٔ «انسان‌ها به انسان‌ها نیرو می‌دهند» — ۱۴۰ ۰۰۰ حامی", 64, 0);
}

/* "برنامج DRK 2024 للرعاية": the Arabic words at the ends (برنامج rightmost), "DRK 2024"
 * between them reading left to right as Noto Sans draws it on its own. */
static void mixed_line_in_visual_order(void)
{
    check_current = "mixed";
    const int size = 60;
    SDL_Surface *line = render("برنامج DRK 2024 للرعاية", size);
    SDL_Surface *latin = render("DRK 2024", size);
    SDL_Surface *first = render("برنامج", size);
    SDL_Surface *last = render("للرعاية", size);
    if (line && latin && first && last) {
        double e1, e2, e3;
        int xl = locate(line, latin, &e1);
        int xf = locate(line, first, &e2);
        int xe = locate(line, last, &e3);
        CHECK(e1 < 2.0); /* the Latin run is exactly "DRK 2024" as drawn alone */
        CHECK(e2 < 8.0);
        CHECK(e3 < 8.0);
        CHECK(xf > xl + latin->w - 5); /* برنامج right of "DRK 2024" */
        CHECK(xe + last->w < xl + 5); /* للرعاية left of it */
        CHECK(xl > line->w / 5 && xl + latin->w < line->w * 4 / 5);
        /* "DRK" before "2024", as written */
        SDL_Surface *drk = render("DRK", size), *year = render("2024", size);
        SDL_Surface *wrong = render("4202", size);
        if (drk && year && wrong) {
            /* within a run glyphs sit at fractional positions: a little anti-aliasing */
            double ed, ey, ew;
            int xd = locate(line, drk, &ed), xy = locate(line, year, &ey);
            locate(line, wrong, &ew);
            CHECK(ed < 6.0);
            CHECK(ey < 6.0);
            CHECK(ew > 3 * ey); /* not "KRD 4202" */
            CHECK(xd < xy);
        }
        SDL_FreeSurface(wrong);
        SDL_FreeSurface(drk);
        SDL_FreeSurface(year);
    }
    SDL_FreeSurface(line);
    SDL_FreeSurface(latin);
    SDL_FreeSurface(first);
    SDL_FreeSurface(last);
    save("mixed", "برنامج DRK 2024 للرعاية", 80, 0);

    /* on a right-to-left page a line opening with a Latin word is still Arabic: "DRK"
     * at the right end; with the automatic direction it is at the left */
    const char *s = "DRK يدير مشاريع";
    for (int rtl = 0; rtl <= 1; rtl++) {
        text_set_direction(text, rtl ? 1 : TEXT_DIR_AUTO);
        SDL_Surface *l = render(s, size), *d = render("DRK", size);
        if (l && d) {
            double e;
            int x = locate(l, d, &e);
            CHECK(e < 2.0);
            if (rtl) {
                CHECK(x + d->w > l->w - 5);
            } else {
                CHECK(x < 5);
            }
        }
        SDL_FreeSurface(l);
        SDL_FreeSurface(d);
    }
    /* a wrapped line's fragment with no Arabic letter but Arabic punctuation, "(MsM،"
     * (the Arabic translation's first line): on a right-to-left page the Arabic comma
     * follows MsM to its left, as in the rest of the sentence; seen in the review */
    text_set_direction(text, 1);
    {
        SDL_Surface *l = render("(MsM\xd8\x8c", size), *m = render("MsM", size);
        SDL_Surface *comma = render("\xd8\x8c", size);
        if (l && m && comma) {
            double e, ec;
            int x = locate(l, m, &e), xc = locate(l, comma, &ec);
            CHECK(e < 6.0);
            CHECK(ec < 6.0);
            CHECK(xc + comma->w <= x + 3); /* the comma left of MsM, not right of it */
        }
        SDL_FreeSurface(l);
        SDL_FreeSurface(m);
        SDL_FreeSurface(comma);
    }
    text_set_direction(text, TEXT_DIR_AUTO);

    /* "140 000" as the content writes thousands: one number, not "000 140"; a date and
     * a time stay two numbers in right-to-left order */
    text_set_direction(text, 1);
    const char *nums[][3] = { { "بیش از 140 000", "140 000", "" },
                              { "أكثر من ١٤٠ ٠٠٠ رعاية", "١٤٠ ٠٠٠", "" },
                              { "في 01.06.2021 15:30", "15:30", "01.06.2021" } };
    for (int k = 0; k < 3; k++) {
        SDL_Surface *l = render(nums[k][0], size), *a = render(nums[k][1], size);
        SDL_Surface *b = nums[k][2][0] ? render(nums[k][2], size) : NULL;
        if (l && a) {
            double e, eb;
            int x = locate(l, a, &e);
            CHECK(e < 6.0);
            if (b) {
                int xb = locate(l, b, &eb);
                CHECK(eb < 6.0);
                CHECK(x + a->w <= xb + 5); /* the time left of the date */
            }
        }
        SDL_FreeSurface(l);
        SDL_FreeSurface(a);
        SDL_FreeSurface(b);
    }
    text_set_direction(text, TEXT_DIR_AUTO);

    /* a Latin hashtag stays as written on a right-to-left page */
    SDL_Surface *tag = render("#ZusammenhaltAufAbstand", size);
    text_set_direction(text, TEXT_DIR_AUTO);
    SDL_Surface *tag_auto = render("#ZusammenhaltAufAbstand", size);
    if (tag && tag_auto) {
        CHECK_INT(tag->w, tag_auto->w);
        CHECK(memcmp(tag->pixels, tag_auto->pixels, (size_t)tag->pitch * tag->h) == 0);
    }
    SDL_FreeSurface(tag);
    SDL_FreeSurface(tag_auto);
    text_set_direction(text, 1);
    save("mixed_rtl_page", "DRK يدير مشاريع في 19 موقعًا (منذ 2016).", 60, 0);
    text_set_direction(text, TEXT_DIR_AUTO);
}

/* 1 when the glyph with ink in columns [x0, x1) of s points right (">" or "»"): the
 * middle row of its ink reaches further right than its top row does. */
static int points_right(const SDL_Surface *s, int x0, int x1)
{
    int top = -1, bottom = -1;
    for (int y = 0; y < s->h; y++) {
        for (int x = x0; x < x1 && x < s->w; x++) {
            if (alpha(s, x, y) > 128) {
                top = top < 0 ? y : top;
                bottom = y;
                break;
            }
        }
    }
    if (top < 0) {
        return -1;
    }
    int l_top, r_top, l_mid, r_mid;
    int mid = (top + bottom) / 2;
    l_top = l_mid = s->w;
    r_top = r_mid = -1;
    for (int x = x0; x < x1 && x < s->w; x++) {
        for (int y = top; y <= top + 1; y++) {
            if (alpha(s, x, y) > 128) {
                l_top = x < l_top ? x : l_top;
                r_top = x > r_top ? x : r_top;
            }
        }
        if (alpha(s, x, mid) > 128) {
            l_mid = x < l_mid ? x : l_mid;
            r_mid = x > r_mid ? x : r_mid;
        }
    }
    return r_mid > r_top && l_mid > l_top;
}

/* Guillemets around a bold Latin name in an Arabic paragraph (the translation's first
 * sentence, "«Menschen stärken Menschen» (MsM، «...»)"): the bidi algorithm runs over
 * the whole paragraph, not per style, so on the right-to-left page a reader sees, from
 * the right, the Arabic words, "»"-shaped opening mark, the name read left to right, a
 * "«"-shaped closing mark, ")" and "MsM"; each drawn item keeps its source text. Seen
 * in the review: each style had its own bidi context. */
static void guillemets_follow_the_paragraph_across_styles(void)
{
    check_current = "paragraph_bidi";
    Span spans[] = {
        { (char *)"يساعد البرنامج الاتحادي ", 0 },
        { (char *)"«Menschen stärken Menschen»", 1 },
        { (char *)" (MsM، «الناس يقوّون الناس»)، بتمويل من وزارة BMFSFJ، منذ عام 2016 الأشخاصَ",
          0 },
    };
    FlowPara para = { spans, 3, 100, 0, 0, 0, 0x000000 };
    text_set_direction(text, 1);
    DrawList dl;
    drawlist_init(&dl, 1000, 400);
    flow_fit(&dl, &tm, &para, 1, (Rect){ 20, 20, 960, 360 }, 30, 30, FLOW_LEFT, 0, NULL);
    drawlist_mirror(&dl, 0, 0); /* as every right-to-left page does */
    /* the first line's items from the right, as an Arabic reader goes */
    int y0 = dl.n > 0 ? dl.items[0].rect.y : 0, order[64], n = 0;
    for (int i = 0; i < dl.n && n < 64; i++) {
        if (dl.items[i].kind == ITEM_TEXT && dl.items[i].rect.y == y0) {
            order[n++] = i;
        }
    }
    for (int a = 0; a < n; a++) { /* by x, right to left */
        for (int b = a + 1; b < n; b++) {
            if (dl.items[order[b]].rect.x > dl.items[order[a]].rect.x) {
                int t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
        }
    }
    const char *want[] = { "يساعد البرنامج الاتحادي", "«", "Menschen stärken Menschen", "»", "(",
                           "MsM" };
    CHECK(n >= 6);
    for (int k = 0; k < 6 && k < n; k++) {
        CHECK_STR(dl.items[order[k]].text, want[k]);
    }
    /* no two items overlap, and the bold span is bold */
    for (int a = 0; a + 1 < n; a++) {
        const Rect *r = &dl.items[order[a]].rect, *l = &dl.items[order[a + 1]].rect;
        CHECK(l->x + l->w <= r->x + 1);
    }
    for (int k = 1; k < 4 && k < n; k++) {
        CHECK(dl.items[order[k]].bold);
    }
    /* and the marks as drawn on the page: the opening one, right of the name, points
     * right (mirrored), the closing one, left of it, points left */
    SDL_Surface *open = render("«", 60), *close = render("»", 60);
    if (open && close) {
        CHECK_INT(points_right(open, 0, open->w), 1);
        CHECK_INT(points_right(close, 0, close->w), 0);
    }
    SDL_FreeSurface(open);
    SDL_FreeSurface(close);
    /* the whole line drawn as one string agrees: "»" right of the Latin name */
    SDL_Surface *line = render("يوم فعاليات رقمي «Menschen stärken Menschen»", 60);
    SDL_Surface *name = render("Menschen stärken Menschen", 60);
    if (line && name) {
        double e;
        int x = locate(line, name, &e);
        CHECK(e < 6.0);
        int gw = width("»", 60);
        CHECK_INT(points_right(line, x + name->w, x + name->w + gw + 4), 1);
        CHECK_INT(points_right(line, x - gw - 4, x), 0);
    }
    SDL_FreeSurface(line);
    SDL_FreeSurface(name);
    drawlist_free(&dl);

    /* one style, wrapped so that the second line is the Latin fragment "stärken
     * Menschen»": its closing mark belongs to the Persian sentence and stands at the
     * line's left end, not after "Menschen" as the fragment alone would have it */
    const char *title = "روز ویژهٔ دیجیتال «Menschen stärken Menschen»";
    Span one = { (char *)title, 0 };
    FlowPara tp = { &one, 1, 100, 0, 0, 0, 0x000000 };
    const char *first = "روز ویژهٔ دیجیتال «Menschen";
    int bw = tm.width(tm.ctx, first, strlen(first), 30, 0) + 4;
    drawlist_init(&dl, 1000, 400);
    flow_fit(&dl, &tm, &tp, 1, (Rect){ 1000 - 20 - bw, 20, bw, 360 }, 30, 30, FLOW_RIGHT, 0,
             NULL);
    drawlist_mirror(&dl, 0, 0);
    int frag = -1, mark = -1;
    for (int i = 0; i < dl.n; i++) {
        if (!strcmp(dl.items[i].text, "stärken Menschen")) {
            frag = i;
        } else if (!strcmp(dl.items[i].text, "»")) {
            mark = i;
        }
    }
    CHECK(frag >= 0 && mark >= 0);
    if (frag >= 0 && mark >= 0) {
        CHECK_INT(dl.items[mark].rect.y, dl.items[frag].rect.y);
        CHECK(dl.items[mark].rect.x + dl.items[mark].rect.w <= dl.items[frag].rect.x + 1);
    }
    drawlist_free(&dl);
    text_set_direction(text, TEXT_DIR_AUTO);
}

/* A hashtag in an Arabic or Persian line ("... تحت شعار #ZusammenhaltAufAbstand"): the
 * "#" stays before its Latin word, at its left, as in the German; bidi isolates around
 * it (U+2066 ... U+2069) change nothing and are never drawn. Seen in the review: the "#"
 * landed right of the word, "ZusammenhaltAufAbstand#". */
static void hashtags_stay_before_their_word(void)
{
    check_current = "hashtags";
    const int size = 60;
    text_set_direction(text, 1);
    const char *lines[] = { "يوم فعاليات البرنامج تحت شعار #ZusammenhaltAufAbstand",
                            "روز ویژه با شعار #DRK و @msm امروز",
                            "تحت شعار \xe2\x81\xa6#ZusammenhaltAufAbstand\xe2\x81\xa9" };
    const char *tags[] = { "#ZusammenhaltAufAbstand", "#DRK", "#ZusammenhaltAufAbstand" };
    const char *words[] = { "ZusammenhaltAufAbstand", "DRK", "ZusammenhaltAufAbstand" };
    for (int k = 0; k < 3; k++) {
        SDL_Surface *l = render(lines[k], size), *tag = render(tags[k], size);
        SDL_Surface *word = render(words[k], size), *hash = render("#", size);
        if (l && tag && word && hash) {
            double et, ew, eh;
            int xt = locate(l, tag, &et), xw = locate(l, word, &ew), xh = locate(l, hash, &eh);
            CHECK(et < 6.0); /* "#word" as written, in one piece */
            CHECK(ew < 6.0);
            CHECK(xh < xw); /* the sign left of its word */
            CHECK(xw - (xh + hash->w) < size / 4);
            CHECK(xt <= xh + 2);
        }
        SDL_FreeSurface(l);
        SDL_FreeSurface(tag);
        SDL_FreeSurface(word);
        SDL_FreeSurface(hash);
    }
    /* the isolates are not drawn: the line with them is as wide as without */
    CHECK_INT(width("تحت شعار \xe2\x81\xa6#ZusammenhaltAufAbstand\xe2\x81\xa9", size),
              width("تحت شعار #ZusammenhaltAufAbstand", size));
    /* "#" before a digit or inside a word is left to the bidi algorithm */
    CHECK(width("رقم #1", size) > 0);
    text_set_direction(text, TEXT_DIR_AUTO);
}

/* The renderer draws a page's strings in the page's direction (the draw list's rtl), and
 * its texture cache keeps a mixed line per direction: the same string drawn on a
 * left-to-right and then a right-to-left page is not the first page's texture. */
static void renderer_keys_direction(void)
{
    check_current = "renderer";
    SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 600, 80, 32,
                                                         SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(target);
    Renderer *r = NULL;
    CHECK(sdl != NULL);
    CHECK_INT(render_create(sdl, text, &r), 0);
    DrawList dl;
    drawlist_init(&dl, 600, 80);
    DrawItem *it = drawlist_add(&dl, ITEM_TEXT, (Rect){ 0, 0, 600, 80 }, 0x000000);
    it->text = strdup("DRK يدير مشاريع");
    it->size = 40;
    unsigned char *pix[3];
    size_t bytes = (size_t)target->pitch * target->h;
    const int dirs[3] = { TEXT_DIR_AUTO, 1, TEXT_DIR_AUTO };
    for (int k = 0; k < 3; k++) {
        dl.rtl = dirs[k] == 1; /* the renderer draws in the direction of the page */
        render_exec(r, &dl);
        pix[k] = malloc(bytes);
        memcpy(pix[k], target->pixels, bytes);
    }
    CHECK(memcmp(pix[0], pix[1], bytes) != 0); /* "DRK" moved to the right */
    CHECK(memcmp(pix[0], pix[2], bytes) == 0); /* and back */
    for (int k = 0; k < 3; k++) {
        free(pix[k]);
    }
    text_set_direction(text, TEXT_DIR_AUTO);
    CHECK(text_is_bidi("DRK يدير") && !text_is_bidi("Grüße – Привіт") && !text_is_bidi(""));
    drawlist_free(&dl);
    render_destroy(r);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(target);
}

/* What layout measures is what the renderer draws, for every mix and size. */
static void measure_equals_render(void)
{
    check_current = "measure";
    const char *lines[] = {
        "برنامج DRK 2024 للرعاية",
        "Menschen stärken Menschen – مرحبا",
        "«الناس يقوّون الناس» (MsM) ١٤٠٬٠٠٠",
        "می\u200cخواهم 25 Min. — Привіт",
        "İstanbul'da ılık şeker ğ",
        "Digitaler Aktionstag am 01.06.2021",
        "(٣) [DRK] {x}",
        " مرحبا ",
    };
    const int sizes[] = { 12, 23, 48, 100, 211 };
    for (int rtl = -1; rtl <= 1; rtl++) {
        text_set_direction(text, rtl);
        for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
            for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
                SDL_Surface *s = render(lines[i], sizes[k]);
                if (s) {
                    if (s->w != width(lines[i], sizes[k])) {
                        fprintf(stderr, "\"%s\" at %d, direction %d\n", lines[i], sizes[k], rtl);
                    }
                    CHECK_INT(s->w, width(lines[i], sizes[k]));
                    /* deep enough for the line's descenders, as tall as the line above */
                    CHECK(s->h >= tm.line_height(tm.ctx, sizes[k], 0));
                }
                SDL_FreeSurface(s);
            }
        }
    }
    text_set_direction(text, TEXT_DIR_AUTO);
    /* a broken string neither crashes nor stops the rest */
    CHECK(width("abc\xff\xfe مرحبا", 40) > 0);
    SDL_FreeSurface(render("abc\xff مرحبا \xd8", 40));
}

/* Ukrainian and Turkish: every letter is in Noto Sans, so nothing shows as a box. */
static void cyrillic_and_turkish_have_glyphs(void)
{
    check_current = "cyrillic_turkish";
    const char *uk = "Люди підтримують людей: ҐґЄєІіЇї’ — Привіт, Україно!";
    const char *tr = "İnsanlar insanları güçlendirir: İı Şş Ğğ Çç Öö Üü";
    check_drawable(uk);
    check_drawable(tr);
    for (int bold = 0; bold < 2; bold++) {
        TTF_Font *f = TTF_OpenFont(
            bold ? LITFASS_SOURCE_DIR "/fonts/" TEXT_FONT_BOLD
                 : LITFASS_SOURCE_DIR "/fonts/" TEXT_FONT_REGULAR,
            40);
        CHECK(f != NULL);
        const char *both[] = { uk, tr };
        for (int k = 0; f && k < 2; k++) {
            for (size_t at = 0; both[k][at];) {
                uint32_t cp;
                at += utf8_decode(both[k] + at, strlen(both[k] + at), &cp);
                CHECK(TTF_GlyphIsProvided32(f, cp) != 0);
            }
        }
        if (f) {
            TTF_CloseFont(f);
        }
    }
    CHECK(width(uk, 40) > 0 && width(tr, 40) > 0);
    /* characters none of the fonts has, and those never drawn */
    CHECK(!text_can_draw(text, 0x4E2D)); /* 中 */
    CHECK(!text_can_draw(text, 0x0915)); /* Devanagari ka */
    CHECK(text_can_draw(text, 0x200C));
    CHECK(text_can_draw(text, 0x200D));
    CHECK(text_can_draw(text, 0x200F));
    CHECK(text_can_draw(text, 0x2067));
    save("ukrainian", uk, 48, 0);
    save("turkish", tr, 48, 1);
}

int main(int argc, char **argv)
{
    const char *part = argc > 1 ? argv[1] : "all";
    png_dir = argc > 2 ? argv[2] : NULL;
    text = test_fonts();
    tm = text_metrics(text);
    int all = strcmp(part, "all") == 0;
    if (all || !strcmp(part, "arabic")) {
        arabic_is_shaped_right_to_left();
    }
    if (all || !strcmp(part, "persian")) {
        persian_is_shaped_with_zwnj();
    }
    if (all || !strcmp(part, "mixed")) {
        mixed_line_in_visual_order();
    }
    if (all || !strcmp(part, "mixed")) {
        renderer_keys_direction();
    }
    if (all || !strcmp(part, "paragraph")) {
        guillemets_follow_the_paragraph_across_styles();
    }
    if (all || !strcmp(part, "hashtags")) {
        hashtags_stay_before_their_word();
    }
    if (all || !strcmp(part, "measure")) {
        measure_equals_render();
    }
    if (all || !strcmp(part, "glyphs")) {
        cyrillic_and_turkish_have_glyphs();
    }
    text_close(text);
    return check_report();
}
