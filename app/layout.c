/* layout: the pages as pure functions of (model, size, time). Every measure is
 * derived from the screen: u is one hundredth of the shorter side, so a page keeps
 * its proportions from 720p to 4K, and portrait screens get their own arrangement
 * instead of a squeezed landscape one. */
#define _POSIX_C_SOURCE 200809L
#include "layout.h"

#include "flow.h"
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const layout_pages[] = { "campaign", "map", "schedule", NULL };

int layout_page_known(const char *page)
{
    for (int i = 0; layout_pages[i]; i++) {
        if (strcmp(layout_pages[i], page) == 0) {
            return 1;
        }
    }
    return 0;
}

#include "layout_page.h"

int layout_min_text_size(int w, int h)
{
    int s = w < h ? w : h;
    int px = (int)lround(s * 0.024);
    return px < 14 ? 14 : px;
}

void drawlist_init(DrawList *dl, int w, int h)
{
    memset(dl, 0, sizeof *dl);
    dl->width = w;
    dl->height = h;
    dl->background = WHITE;
}

void drawlist_free(DrawList *dl)
{
    if (!dl) {
        return;
    }
    for (int i = 0; i < dl->n; i++) {
        free(dl->items[i].text);
        Shape *sh = dl->items[i].shape;
        if (sh) {
            free(sh->xy);
            free(sh->ring_len);
            free(sh);
        }
    }
    free(dl->items);
    drawlist_init(dl, dl->width, dl->height);
}

int drawlist_equal(const DrawList *a, const DrawList *b)
{
    if (a->width != b->width || a->height != b->height || a->background != b->background ||
        a->valid_ms != b->valid_ms || a->n != b->n) {
        return 0;
    }
    for (int i = 0; i < a->n; i++) {
        const DrawItem *x = &a->items[i], *y = &b->items[i];
        if (x->kind != y->kind || memcmp(&x->rect, &y->rect, sizeof x->rect) != 0 ||
            x->color != y->color || x->size != y->size || x->bold != y->bold ||
            (x->text == NULL) != (y->text == NULL) || (x->text && strcmp(x->text, y->text))) {
            return 0;
        }
    }
    return 1;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(f, "\\%c", *p);
        } else if (*p < 0x20) {
            fprintf(f, "\\u%04x", *p);
        } else {
            fputc(*p, f);
        }
    }
    fputc('"', f);
}

int drawlist_write_json(const DrawList *dl, FILE *f)
{
    static const char *const kinds[] = { "rect", "text", "image", "label", "marker", "cluster", "map" };
    fprintf(f, "{\"width\": %d, \"height\": %d, \"background\": \"#%06X\", \"items\": [",
            dl->width, dl->height, dl->background);
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *it = &dl->items[i];
        fprintf(f, "%s\n  {\"kind\": \"%s\", \"rect\": [%d, %d, %d, %d], \"color\": \"#%06X\"",
                i ? "," : "", kinds[it->kind], it->rect.x, it->rect.y, it->rect.w, it->rect.h,
                it->color);
        if (it->kind == ITEM_TEXT || it->kind == ITEM_LABEL) {
            fprintf(f, ", \"size\": %d, \"bold\": %s, \"text\": ", it->size,
                    it->bold ? "true" : "false");
            json_string(f, it->text);
        } else if (it->kind == ITEM_MARKER) {
            fprintf(f, ", \"own\": %s", it->text && !strcmp(it->text, "own") ? "true" : "false");
        } else if (it->kind == ITEM_CLUSTER) {
            fprintf(f, ", \"size\": %d, \"count\": %s, \"text\": ", it->size, it->text);
            json_string(f, it->text);
        } else if (it->kind == ITEM_IMAGE || it->kind == ITEM_MAP) {
            fputs(", \"source\": ", f);
            json_string(f, it->text);
        }
        fputc('}', f);
    }
    fputs("\n]}\n", f);
    return ferror(f) ? -1 : 0;
}

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

int layout_fit_text(DrawList *dl, const TextMetrics *tm, const char *text, Rect box,
                    int max_size, int min_size, int bold, uint32_t color, int *used_h)
{
    Span span = { (char *)text, 0 };
    FlowPara fp = page_plain(&span, bold, color);
    return flow_fit(dl, tm, &fp, 1, box, max_size, min_size, FLOW_LEFT, 0, used_h);
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
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, " \xc2\xb7 %s", p->m->campaign.source);
    }
}

/* Footer: date and time on the left, content version (and a note) on the right. */
void page_footer(Page *p, Rect band, uint32_t text_color)
{
    page_rect(p, band, FOOTER_BG);
    char when[128], right[256];
    ui_format_datetime(p->env->now_ms, when, sizeof when);
    right[0] = '\0';
    if (p->m && p->m->has_content) {
        page_version_text(p, right, sizeof right);
    }
    if (p->env->status && *p->env->status) {
        size_t l = strlen(right);
        snprintf(right + l, sizeof right - l, "%s%s", l ? " \xc2\xb7 " : "", p->env->status);
    }
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
    } else {
        left.w = inner.w * 50 / 100;
        rightbox.x = inner.x + left.w + pad / 2;
        rightbox.w = inner.w - left.w - pad / 2;
    }
    page_line(p, when, left, fs, 1, text_color, FLOW_LEFT);
    if (*right) {
        page_line(p, right, rightbox, fs, 0, text_color, align);
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

static void build_no_content(Page *p)
{
    p->dl->background = WHITE;
    int band_h = p->portrait ? U(p, 12) : U(p, 11);
    Rect foot = { 0, p->h - band_h, p->w, band_h };
    int pad = U(p, 8);
    page_rect(p, (Rect){ 0, 0, p->w, U(p, 2) }, MODEL_COLOR_PRIMARY);
    Rect title = { pad, U(p, 14), p->w - 2 * pad, U(p, 22) };
    int th;
    page_text(p, ui_str(UI_NO_CONTENT_TITLE), title, U(p, 10), p->min_size, 1, MODEL_COLOR_TEXT,
              FLOW_LEFT, 0, &th);
    Rect body = { pad, title.y + th + U(p, 5), p->w - 2 * pad, 0 };
    body.h = foot.y - U(p, 6) - body.y;
    if (body.w > U(p, 130)) {
        body.w = U(p, 130); /* keep lines readable on wide screens */
    }
    page_text(p, ui_str(UI_NO_CONTENT_BODY), body, U(p, 5), p->min_size, 0, MODEL_COLOR_ACCENT,
              FLOW_LEFT, 0, NULL);
    page_footer(p, foot, MODEL_COLOR_ACCENT);
}

/* The campaign text: paragraphs, headings and list items from the Markdown. */
static void campaign_body(Page *p, Rect box, int max)
{
    const Campaign *c = &p->m->campaign;
    if (c->n_blocks == 0 || box.w <= 0 || box.h <= 0) {
        return;
    }
    FlowPara *fp = calloc((size_t)c->n_blocks, sizeof *fp);
    if (!fp) {
        abort();
    }
    for (int i = 0; i < c->n_blocks; i++) {
        const Block *b = &c->blocks[i];
        fp[i].spans = b->spans;
        fp[i].n_spans = b->n_spans;
        fp[i].color = c->color_text;
        fp[i].scale = 100;
        fp[i].gap = 45;
        if (b->kind == BLOCK_HEADING) {
            fp[i].scale = b->level <= 1 ? 130 : 115;
            fp[i].bold_all = 1;
            fp[i].gap = 70;
            fp[i].color = c->color_primary;
        } else if (b->kind == BLOCK_ITEM) {
            fp[i].bullet = 1;
            fp[i].gap = 20;
        }
    }
    flow_fit(p->dl, p->tm, fp, c->n_blocks, box, max, p->min_size, FLOW_LEFT, 0, NULL);
    free(fp);
}

/* A figure tile's text: the value large and bold, the label below it. */
static int figure_paras(const Page *p, const Figure *f, Span spans[2], FlowPara fp[2])
{
    const Campaign *c = &p->m->campaign;
    spans[0] = (Span){ f->value, 1 };
    spans[1] = (Span){ f->label, 0 };
    fp[0] = page_plain(&spans[0], 1, c->color_primary);
    fp[0].scale = 170;
    fp[1] = page_plain(&spans[1], 0, c->color_text);
    return 2;
}

/* Key figures as tiles: a bar in the theme colour, the value large, the label below
 * (wrapping if it must). All tiles share one size, so the grid reads as one. */
static void figures(Page *p, Rect area, int cols)
{
    const Campaign *c = &p->m->campaign;
    int n = c->n_figures;
    if (n == 0 || area.h <= 0) {
        return;
    }
    int rows = (n + cols - 1) / cols;
    int gap_x = U(p, 3), gap_y = U(p, 2.5);
    int tw = (area.w - gap_x * (cols - 1)) / cols;
    int th = (area.h - gap_y * (rows - 1)) / rows;
    int bar = U(p, 0.7) > 2 ? U(p, 0.7) : 2;
    int pad = bar + U(p, 1.4);
    Rect inner = { 0, 0, tw - pad, th };
    int size = U(p, 4);
    for (int i = 0; i < n; i++) { /* the size that fits every tile */
        Span spans[2];
        FlowPara fp[2];
        figure_paras(p, &c->figures[i], spans, fp);
        int s = flow_fit(NULL, p->tm, fp, 2, inner, size, p->min_size, FLOW_LEFT, 0, NULL);
        size = s < size ? s : size;
    }
    for (int i = 0; i < n; i++) {
        int col = i % cols, row = i / cols;
        Rect tile = { area.x + col * (tw + gap_x), area.y + row * (th + gap_y), tw, th };
        page_rect(p, (Rect){ tile.x, tile.y, bar, tile.h }, c->color_primary);
        Span spans[2];
        FlowPara fp[2];
        figure_paras(p, &c->figures[i], spans, fp);
        flow_fit(p->dl, p->tm, fp, 2, (Rect){ tile.x + pad, tile.y, inner.w, inner.h }, size,
                 size, FLOW_LEFT, 1, NULL);
    }
}

/* QR code of the web address with its caption beside (landscape) or below it. */
static void qr_block(Page *p, Rect area, int side)
{
    const Campaign *c = &p->m->campaign;
    if (!c->url) {
        return;
    }
    Rect q = { area.x, area.y + (area.h - side) / 2, side, side };
    DrawItem *it = drawlist_add(p->dl, ITEM_IMAGE, q, 0x000000u);
    size_t len = strlen(c->url) + 4;
    it->text = malloc(len);
    if (!it->text) {
        abort();
    }
    snprintf(it->text, len, "qr:%s", c->url);

    int gap = U(p, 3);
    Rect cap = { q.x + side + gap, area.y, area.w - side - gap, area.h };
    if (cap.w < U(p, 12)) {
        return;
    }
    FlowPara fp[2];
    Span hint = { (char *)ui_str(UI_SCAN_HINT), 0 };
    Span label = { c->url_label ? c->url_label : c->url, 0 };
    fp[0] = page_plain(&hint, 1, c->color_primary);
    fp[1] = page_plain(&label, 0, c->color_text);
    fp[1].gap = 15;
    flow_fit(p->dl, p->tm, fp, 2, cap, U(p, 4), p->min_size, FLOW_LEFT, 1, NULL);
}

/* Header band in the theme colour: title, subtitle and hashtag in white. The title
 * box and the subtitle box never overlap; each text shrinks within its own box. */
static void header(Page *p, int band_h)
{
    const Campaign *c = &p->m->campaign;
    page_rect(p, (Rect){ 0, 0, p->w, band_h }, c->color_primary);
    int pad = U(p, 5), edge = U(p, 2);
    int sub_h = band_h * (p->portrait ? 40 : 30) / 100;
    Rect title = { pad, edge, p->w - 2 * pad, band_h - sub_h - 2 * edge };
    Rect sub = { pad, title.y + title.h, p->w - 2 * pad, sub_h };
    page_text(p, c->title, title, U(p, 11), p->min_size, 1, WHITE, FLOW_LEFT, 1, NULL);
    Span s1 = { c->subtitle, 0 }, s2 = { c->hashtag, 1 };
    if (p->portrait) {
        /* two short lines rather than one squeezed one */
        FlowPara fp[2];
        int n = 0;
        if (c->subtitle) {
            fp[n++] = page_plain(&s1, 0, WHITE);
        }
        if (c->hashtag) {
            fp[n++] = page_plain(&s2, 1, WHITE);
        }
        if (n) {
            flow_fit(p->dl, p->tm, fp, n, sub, U(p, 5), p->min_size, FLOW_LEFT, 1, NULL);
        }
        return;
    }
    Rect left = sub, right = sub;
    left.w = sub.w * 55 / 100;
    right.x = left.x + left.w;
    right.w = sub.w - left.w;
    if (c->subtitle) {
        page_line(p, c->subtitle, left, U(p, 5), 0, WHITE, FLOW_LEFT);
    }
    if (c->hashtag) {
        page_line(p, c->hashtag, right, U(p, 5), 1, WHITE, FLOW_RIGHT);
    }
}

static void build_campaign(Page *p)
{
    const Campaign *c = &p->m->campaign;
    p->dl->background = c->color_background;
    int pad = U(p, 5);
    if (!p->portrait) {
        int hb = U(p, 22), fh = U(p, 9);
        header(p, hb);
        Rect foot = { 0, p->h - fh, p->w, fh };
        int top = hb + U(p, 4), bottom = foot.y - U(p, 4);
        int split = p->w * 55 / 100;
        Rect body = { pad, top, split - pad - U(p, 3), bottom - top };
        Rect right_col = { split + U(p, 3), top, p->w - pad - split - U(p, 3), bottom - top };
        int qr = U(p, 19);
        if (qr > right_col.w / 2) {
            qr = right_col.w / 2;
        }
        Rect figs = right_col;
        figs.h = right_col.h - qr - U(p, 4);
        page_rect(p, (Rect){ split, top, U(p, 0.3) > 1 ? U(p, 0.3) : 1, bottom - top }, FOOTER_BG);
        campaign_body(p, body, U(p, 4.6));
        figures(p, figs, 2);
        qr_block(p, (Rect){ right_col.x, bottom - qr, right_col.w, qr }, qr);
        page_footer(p, foot, c->color_accent);
    } else {
        int hb = U(p, 32), fh = U(p, 13), gap = U(p, 5);
        header(p, hb);
        Rect foot = { 0, p->h - fh, p->w, fh };
        int n = c->n_figures;
        int cols = n <= 4 ? 2 : 3;
        int rows = (n + cols - 1) / cols;
        Rect figs = { pad, hb + gap, p->w - 2 * pad, rows * U(p, 16) };
        figures(p, figs, cols);
        int qr = U(p, 24);
        int qr_y = foot.y - U(p, 4) - qr;
        int body_y = figs.y + figs.h + gap;
        Rect body = { pad, body_y, p->w - 2 * pad, qr_y - U(p, 4) - body_y };
        campaign_body(p, body, U(p, 4.6));
        qr_block(p, (Rect){ pad, qr_y, p->w - 2 * pad, qr }, qr);
        page_footer(p, foot, c->color_accent);
    }
}

void layout_notice(DrawList *dl, const TextMetrics *tm, const char *text, int ok)
{
    int w = dl->width, h = dl->height;
    double u = (w < h ? w : h) / 100.0;
    int bw = w * 80 / 100, bh = (int)lround(u * 14);
    Rect band = { (w - bw) / 2, h - bh - (int)lround(u * 12), bw, bh };
    uint32_t bg = ok ? 0x1E6B34u : 0xB00020u;
    drawlist_add(dl, ITEM_RECT, band, bg);
    int pad = (int)lround(u * 3);
    Span span = { (char *)text, 1 };
    FlowPara fp = page_plain(&span, 1, WHITE);
    flow_fit(dl, tm, &fp, 1, (Rect){ band.x + pad, band.y, band.w - 2 * pad, band.h },
             (int)lround(u * 5), layout_min_text_size(w, h), FLOW_CENTER, 1, NULL);
}

int layout_build(const Model *m, const char *page, int w, int h, const LayoutEnv *env,
                 const TextMetrics *tm, DrawList *out)
{
    drawlist_free(out);
    drawlist_init(out, w, h);
    if (!layout_page_known(page)) {
        return -1;
    }
    Page p = { m, tm, out, w, h, (w < h ? w : h) / 100.0, h > w, layout_min_text_size(w, h),
               env };
    if (!m || !m->has_content) {
        build_no_content(&p);
    } else if (strcmp(page, "map") == 0) {
        page_map(&p);
    } else if (strcmp(page, "schedule") == 0) {
        page_schedule(&p);
    } else {
        build_campaign(&p);
    }
    return 0;
}
