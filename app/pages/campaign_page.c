/* campaign_page: the first page, the campaign as the source post tells it. The
 * text column gets the space the header, figures and QR code leave; everything in
 * it wraps and shrinks to fit (flow). */
#define _POSIX_C_SOURCE 200809L
#include "pages/campaign_page.h"

#include "base/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The height a picture block takes in a text column box.w wide: a share of the column
 * (1/share of its height), never taller than the picture at the column's width. 0 when
 * the model lacks it or share is 0 (pictures left out). */
static int picture_height(const Page *p, const Block *b, Rect box, int share)
{
    const Picture *pic = model_picture(p->m, b->picture);
    if (!pic || share <= 0) {
        return 0;
    }
    int h = box.h / share;
    int at_width = (int)((int64_t)pic->levels[0].height * box.w / pic->levels[0].width);
    return at_width < h ? at_width : h;
}

/* Text with pictures in its flow: pictures shrink before text does — each gets a share of
 * the column, smaller and smaller until the text fits the rest at the least legible size;
 * when even the smallest share leaves too little, the pictures are left out and reported
 * like text that does not fit. The text then takes the largest size at which it fits the
 * rest (measured as one flow), and runs of text and pictures are placed one below the
 * other at that size. */
static void body_with_pictures(Page *p, FlowPara *fp, Rect box, int max)
{
    const Campaign *c = &p->m->campaign;
    int n = c->n_blocks, n_img = 0, n_text = 0, gap = U(p, 2);
    FlowPara *text = calloc((size_t)n, sizeof *text);
    if (!text) {
        abort();
    }
    for (int i = 0; i < n; i++) {
        n_img += c->blocks[i].kind == BLOCK_IMAGE;
        if (c->blocks[i].kind != BLOCK_IMAGE) {
            text[n_text++] = fp[i];
        }
    }
    int need = 0; /* the text's height at the least size */
    if (n_text) {
        flow_fit(NULL, p->tm, text, n_text, (Rect){ 0, 0, box.w, 1 << 20 }, p->min_size,
                 p->min_size, FLOW_LEFT, 0, &need);
    }
    const int shares[] = { 3 + n_img, 4 + n_img, 6 + 2 * n_img, 9 + 3 * n_img };
    int share = 0, pics_h = 0;
    for (size_t s = 0; s < sizeof shares / sizeof *shares && !share; s++) {
        pics_h = 0;
        for (int i = 0; i < n; i++) {
            int h = c->blocks[i].kind == BLOCK_IMAGE
                        ? picture_height(p, &c->blocks[i], box, shares[s])
                        : 0;
            pics_h += h ? h + 2 * gap : 0;
        }
        if (box.h - pics_h >= need) {
            share = shares[s];
        }
    }
    Rect rest = box;
    rest.h = share ? box.h - pics_h : box.h;
    int size = n_text ? flow_fit(NULL, p->tm, text, n_text, rest, max, p->min_size, FLOW_LEFT,
                                 0, NULL)
                      : max;
    int y = box.y, bottom = box.y + box.h, shown = 0;
    for (int i = 0; i < n;) {
        if (c->blocks[i].kind == BLOCK_IMAGE) {
            int h = picture_height(p, &c->blocks[i], box, share);
            const char *alt = c->blocks[i].n_spans ? c->blocks[i].spans[0].text : "";
            Rect r = { box.x, y + gap, box.w, h };
            if (h > 0 && r.y + h <= bottom) {
                page_picture_alt(p, c->blocks[i].picture, r, FLOW_LEFT, alt[0] ? alt : NULL);
                y = r.y + h + gap;
                shown++;
            } else if (model_picture(p->m, c->blocks[i].picture)) {
                drawlist_overflow(p->dl, "picture", alt[0] ? alt : "(picture)", shown, n_img,
                                  (Rect){ box.x, y, box.w, h > 0 ? h : box.h / 4 });
            }
            i++;
            continue;
        }
        int k = 0, j = i;
        for (; j < n && c->blocks[j].kind != BLOCK_IMAGE; j++) {
            text[k++] = fp[j];
        }
        int used = 0;
        if (bottom - y > 0) {
            flow_fit(p->dl, p->tm, text, k, (Rect){ box.x, y, box.w, bottom - y }, size, size,
                     FLOW_LEFT, 0, &used);
        }
        y += used;
        i = j;
    }
    free(text);
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
    int n_img = 0;
    for (int i = 0; i < c->n_blocks; i++) {
        n_img += c->blocks[i].kind == BLOCK_IMAGE;
    }
    if (n_img == 0) {
        flow_fit(p->dl, p->tm, fp, c->n_blocks, box, max, p->min_size, FLOW_LEFT, 0, NULL);
    } else {
        body_with_pictures(p, fp, box, max);
    }
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
    int text_w = p->w - 2 * pad;
    const Picture *logo = model_picture(p->m, c->logo);
    if (logo) {
        /* the logo at the band's end, on a white plate (logos are made for paper), at
         * most a quarter of the width; the texts keep the rest */
        int inset = U(p, 1.2), plate_h = band_h - 2 * edge;
        int64_t lw = logo->levels[0].width, lh = logo->levels[0].height;
        int plate_w = (int)(lw * (plate_h - 2 * inset) / lh) + 2 * inset;
        if (plate_w > p->w / 4) { /* a wide logo: the plate as high as it needs */
            plate_w = p->w / 4;
            plate_h = (int)(lh * (plate_w - 2 * inset) / lw) + 2 * inset;
        }
        Rect plate = { p->w - pad - plate_w, (band_h - plate_h) / 2, plate_w, plate_h };
        page_rect(p, plate, WHITE);
        page_picture(p, c->logo, (Rect){ plate.x + inset, plate.y + inset, plate.w - 2 * inset,
                                         plate.h - 2 * inset }, FLOW_CENTER);
        text_w -= plate_w + U(p, 3);
    }
    Rect title = { pad, edge, text_w, band_h - sub_h - 2 * edge };
    Rect sub = { pad, title.y + title.h, text_w, sub_h };
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

void page_campaign(Page *p)
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
