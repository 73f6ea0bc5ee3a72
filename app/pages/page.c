/* page: the page frame every page is built in. All measures derive from the
 * screen: u is one hundredth of the shorter side, so a page keeps its proportions
 * from 720p to 4K. */
#define _POSIX_C_SOURCE 200809L
#include "pages/page.h"

#include "base/ui.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

void page_rect(Page *p, Rect r, uint32_t color)
{
    drawlist_add(p->dl, ITEM_RECT, r, color);
}

/* One paragraph of plain text in one style. */
FlowPara page_plain(const Span *span, int bold, uint32_t color)
{
    FlowPara fp = { span, 1, 100, bold, 0, 0, color };
    return fp;
}

int page_text(Page *p, const char *text, Rect box, int max, int min, int bold, uint32_t color,
              int align, int vcenter, int *used_h)
{
    Span span = { (char *)text, 0 };
    FlowPara fp = page_plain(&span, bold, color);
    return flow_fit(p->dl, p->tm, &fp, 1, box, max, min, align, vcenter, used_h);
}

/* A label that should stay on one line: it shrinks first and wraps only when even
 * the minimum size is too wide. Centred vertically in box. */
void page_line(Page *p, const char *text, Rect box, int max, int bold, uint32_t color, int align)
{
    int lh = p->tm->line_height(p->tm->ctx, max, bold);
    lh = lh < box.h ? lh : box.h;
    Span span = { (char *)text, 0 };
    FlowPara fp = page_plain(&span, bold, color);
    Rect one = { box.x, box.y + (box.h - lh) / 2, box.w, lh };
    int s = flow_fit(NULL, p->tm, &fp, 1, one, max, p->min_size, align, 0, NULL);
    int h;
    flow_fit(NULL, p->tm, &fp, 1, box, s, s, align, 0, &h);
    if (h > lh) { /* wraps even at the minimum: use the whole box */
        one = box;
    }
    flow_fit(p->dl, p->tm, &fp, 1, one, s, s, align, 1, NULL);
}

void page_version_text(const Page *p, char *buf, size_t len)
{
    snprintf(buf, len, ui_str(UI_CONTENT_VERSION), (long long)p->m->content_version);
    if (p->m->campaign.source) {
        utf8_append_cut(buf, len, " \xc2\xb7 ");
        utf8_append_cut(buf, len, p->m->campaign.source);
    }
}

/* Footer: date and time on the left, content version (and a note) on the right. */
void page_footer(Page *p, Rect band, uint32_t text_color)
{
    DrawList *dl = p->dl;
    dl->footer_from = dl->n;
    dl->footer_band = band;
    dl->footer_color = text_color;
    dl->footer_w = p->w;
    dl->footer_h = p->h;
    dl->footer_min = p->min_size;
    dl->footer_dy = 0;
    page_rect(p, band, FOOTER_BG);
    char when[128], right[256];
    if (p->env->untrusted) { /* neither date nor time: a staff mark instead */
        snprintf(when, sizeof when, "%s", ui_str(UI_CLOCK_NOT_SET));
    } else {
        ui_format_datetime(p->env->now_ms, when, sizeof when);
    }
    right[0] = '\0';
    if (p->m && p->m->has_content) {
        page_version_text(p, right, sizeof right);
    }
    if (p->env->status && *p->env->status) {
        if (right[0]) {
            utf8_append_cut(right, sizeof right, " \xc2\xb7 ");
        }
        utf8_append_cut(right, sizeof right, p->env->status);
    }
    /* one size for the footer on a screen size, whatever the language: from the screen,
     * and smaller only for a language whose texts would not fit at it (both sides then
     * shrink together, so that the band reads as one line) */
    int pad = U(p, 4);
    int fs = U(p, 3.4);
    if (fs < p->min_size) {
        fs = p->min_size;
    }
    Rect inner = { band.x + pad, band.y, band.w - 2 * pad, band.h };
    Rect left = inner, rightbox = inner;
    int align = FLOW_RIGHT;
    if (p->portrait && *right) {
        /* narrow screen: two rows instead of two squeezed columns */
        int m = U(p, 1.5);
        left.y += m;
        left.h = (inner.h - 2 * m) / 2;
        rightbox.y = left.y + left.h;
        rightbox.h = left.h;
        align = FLOW_LEFT;
    } else if (*right) {
        /* the date takes what it needs at the footer's size (at most half), the right
         * side the rest: a long source line is not squeezed into half the band */
        int need = p->tm->width(p->tm->ctx, when, strlen(when), fs, 1);
        left.w = need < inner.w / 2 ? need : inner.w / 2;
        rightbox.x = inner.x + left.w + pad;
        rightbox.w = inner.w - left.w - pad;
    }
    int size = fs;
    for (int side = 0; side < 2; side++) {
        const char *s = side ? right : when;
        const Rect *box = side ? &rightbox : &left;
        while (*s && size > p->min_size &&
               p->tm->width(p->tm->ctx, s, strlen(s), size, !side) > box->w) {
            size--;
        }
    }
    page_line(p, when, left, size, 1, text_color, FLOW_LEFT);
    if (*right) {
        page_line(p, right, rightbox, size, 0, text_color, align);
    }
    dl->footer_n = dl->n - dl->footer_from;
}

static int same_item(const DrawItem *a, const DrawItem *b)
{
    return a->kind == b->kind && memcmp(&a->rect, &b->rect, sizeof a->rect) == 0 &&
           a->color == b->color && a->size == b->size && a->bold == b->bold &&
           a->align == b->align && a->run == b->run &&
           strcmp(a->text ? a->text : "", b->text ? b->text : "") == 0;
}

int page_footer_refresh(DrawList *dl, const Model *m, const LayoutEnv *env,
                        const TextMetrics *tm)
{
    if (dl->footer_n <= 0 || dl->footer_from + dl->footer_n > dl->n || dl->footer_w <= 0) {
        return -1;
    }
    DrawList f;
    drawlist_init(&f, dl->width, dl->height);
    int w = dl->footer_w, h = dl->footer_h;
    Page p = { m, tm, &f, w, h, (w < h ? w : h) / 100.0, h > w, dl->footer_min, env };
    page_footer(&p, dl->footer_band, dl->footer_color);
    if (dl->rtl) {
        drawlist_mirror(&f, 0, 0);
    }
    for (int i = 0; i < f.n; i++) {
        f.items[i].rect.y += dl->footer_dy;
    }
    int changed = f.n != dl->footer_n;
    for (int i = 0; !changed && i < f.n; i++) {
        changed = !same_item(&f.items[i], &dl->items[dl->footer_from + i]);
    }
    if (changed) {
        /* the old footer's items out, the new ones in their place (moved, not copied) */
        for (int i = dl->footer_from; i < dl->footer_from + dl->footer_n; i++) {
            free(dl->items[i].text);
            free(dl->items[i].alt);
        }
        int tail = dl->n - dl->footer_from - dl->footer_n;
        int need = dl->n - dl->footer_n + f.n;
        if (need > dl->cap) {
            DrawItem *items = realloc(dl->items, (size_t)need * sizeof *items);
            if (!items) {
                abort();
            }
            dl->items = items;
            dl->cap = need;
        }
        memmove(dl->items + dl->footer_from + f.n, dl->items + dl->footer_from + dl->footer_n,
                (size_t)tail * sizeof *dl->items);
        memcpy(dl->items + dl->footer_from, f.items, (size_t)f.n * sizeof *f.items);
        dl->n += f.n - dl->footer_n;
        dl->footer_n = f.n;
        f.n = 0; /* its strings belong to dl now */
    }
    drawlist_free(&f);
    return changed;
}

void page_direction(DrawList *dl, const LayoutEnv *env, int from, int from_overflow)
{
    const char *lang = env && env->lang && *env->lang ? env->lang : ui_language();
    snprintf(dl->lang, sizeof dl->lang, "%s", lang ? lang : "");
    dl->rtl = env && env->rtl;
    if (dl->rtl) {
        drawlist_mirror(dl, from, from_overflow);
    }
}

int page_frame(Page *p, Rect *foot)
{
    const Campaign *c = &p->m->campaign;
    p->dl->background = c->color_background;
    int band_h = U(p, 13), fh = p->portrait ? U(p, 13) : U(p, 9);
    page_rect(p, (Rect){ 0, 0, p->w, band_h }, c->color_primary);
    *foot = (Rect){ 0, p->h - fh, p->w, fh };
    page_footer(p, *foot, c->color_accent);
    return band_h;
}

Rect page_picture(Page *p, int id, Rect box, int halign)
{
    return page_picture_alt(p, id, box, halign, NULL);
}

Rect page_picture_alt(Page *p, int id, Rect box, int halign, const char *alt)
{
    const Picture *pic = model_picture(p->m, id);
    Rect r = { 0, 0, 0, 0 };
    if (!pic || pic->n_levels < 1 || box.w < 1 || box.h < 1) {
        return r;
    }
    int64_t pw = pic->levels[0].width, ph = pic->levels[0].height;
    if (pw * box.h >= ph * box.w) { /* wider than the box: the width binds */
        r.w = box.w;
        r.h = (int)(ph * box.w / pw);
    } else {
        r.h = box.h;
        r.w = (int)(pw * box.h / ph);
    }
    r.w = r.w < 1 ? 1 : r.w;
    r.h = r.h < 1 ? 1 : r.h;
    r.x = halign == FLOW_CENTER ? box.x + (box.w - r.w) / 2
          : halign == FLOW_RIGHT ? box.x + box.w - r.w
                                 : box.x;
    r.y = box.y + (box.h - r.h) / 2;
    DrawItem *it = drawlist_add(p->dl, ITEM_IMAGE, r, 0);
    char src[48];
    snprintf(src, sizeof src, "picture:%d:%d", pic->id, model_picture_level(pic, r.w, r.h));
    it->text = strdup(src);
    if (!alt) {
        alt = pic->alt;
    }
    it->alt = alt ? strdup(alt) : NULL;
    if (!it->text || (alt && !it->alt)) {
        abort();
    }
    return r;
}
