/* drawlist: the items of a page and their lifetime. Items are appended in drawing
 * order; the list owns every item's text and shape. */
#define _POSIX_C_SOURCE 200809L
#include "pages/drawlist.h"

#include "base/clock.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

void drawlist_init(DrawList *dl, int w, int h)
{
    memset(dl, 0, sizeof *dl);
    dl->width = w;
    dl->height = h;
    dl->background = 0xFFFFFFu; /* white */
}

void drawlist_free(DrawList *dl)
{
    if (!dl) {
        return;
    }
    for (int i = 0; i < dl->n; i++) {
        free(dl->items[i].text);
        free(dl->items[i].alt);
        Shape *sh = dl->items[i].shape;
        if (sh) {
            free(sh->xy);
            free(sh->ring_len);
            free(sh);
        }
    }
    free(dl->items);
    for (int i = 0; i < dl->n_overflow; i++) {
        free(dl->overflow[i].what);
        free(dl->overflow[i].from);
    }
    free(dl->overflow);
    drawlist_init(dl, dl->width, dl->height);
}

int drawlist_equal(const DrawList *a, const DrawList *b)
{
    if (a->width != b->width || a->height != b->height || a->background != b->background ||
        a->screen_off != b->screen_off || strcmp(a->alert_level, b->alert_level) != 0 ||
        a->valid_ms != b->valid_ms || a->n != b->n || a->rtl != b->rtl ||
        strcmp(a->lang, b->lang) != 0) {
        return 0;
    }
    for (int i = 0; i < a->n; i++) {
        const DrawItem *x = &a->items[i], *y = &b->items[i];
        if (x->kind != y->kind || memcmp(&x->rect, &y->rect, sizeof x->rect) != 0 ||
            x->color != y->color || x->size != y->size || x->bold != y->bold ||
            x->align != y->align ||
            (x->text == NULL) != (y->text == NULL) || (x->text && strcmp(x->text, y->text)) ||
            (x->alt == NULL) != (y->alt == NULL) || (x->alt && strcmp(x->alt, y->alt))) {
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
    static const char *const aligns[] = { "left", "center", "right" };
    fprintf(f, "{\"width\": %d, \"height\": %d, \"lang\": ", dl->width, dl->height);
    json_string(f, dl->lang[0] ? dl->lang : ui_language());
    fprintf(f, ", \"dir\": \"%s\", \"background\": \"#%06X\", \"items\": [",
            dl->rtl ? "rtl" : "ltr", dl->background);
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *it = &dl->items[i];
        fprintf(f, "%s\n  {\"kind\": \"%s\", \"rect\": [%d, %d, %d, %d], \"color\": \"#%06X\"",
                i ? "," : "", kinds[it->kind], it->rect.x, it->rect.y, it->rect.w, it->rect.h,
                it->color);
        if (it->kind == ITEM_TEXT || it->kind == ITEM_LABEL) {
            fprintf(f, ", \"size\": %d, \"bold\": %s, \"align\": \"%s\", \"text\": ", it->size,
                    it->bold ? "true" : "false",
                    aligns[it->align >= 0 && it->align <= 2 ? it->align : 0]);
            json_string(f, it->text);
        } else if (it->kind == ITEM_MARKER) {
            fprintf(f, ", \"own\": %s", it->text && !strcmp(it->text, "own") ? "true" : "false");
        } else if (it->kind == ITEM_CLUSTER) {
            fprintf(f, ", \"size\": %d, \"count\": %s, \"text\": ", it->size, it->text);
            json_string(f, it->text);
        } else if (it->kind == ITEM_IMAGE || it->kind == ITEM_MAP) {
            fputs(", \"source\": ", f);
            json_string(f, it->text);
            if (it->alt) {
                fputs(", \"alt\": ", f);
                json_string(f, it->alt);
            }
        }
        fputc('}', f);
    }
    fprintf(f, "\n], \"screen\": \"%s\"", dl->screen_off ? "off" : "on");
    if (dl->alert_level[0]) {
        fputs(", \"alert\": {\"level\": ", f);
        json_string(f, dl->alert_level);
        fputs(", \"shown\": ", f);
        json_string(f, dl->alert_shown);
        fprintf(f, ", \"version\": %lld, \"until\": ", dl->alert_version);
        char until[32];
        clock_format_utc(dl->alert_until_ms, until, sizeof until);
        json_string(f, until);
        fputs(", \"text\": ", f);
        json_string(f, dl->alert_text);
        fputc('}', f);
    } else {
        fputs(", \"alert\": null", f);
    }
    if (dl->panel_pages > 1) {
        fprintf(f, ", \"panel_pages\": %d, \"panel_ms\": %lld", dl->panel_pages,
                (long long)dl->panel_ms);
    }
    fputs(", \"overflow\": [", f);
    for (int i = 0; i < dl->n_overflow; i++) {
        const Overflow *o = &dl->overflow[i];
        fprintf(f, "%s\n  {\"what\": ", i ? "," : "");
        json_string(f, o->what);
        fputs(", \"from\": ", f);
        json_string(f, o->from);
        fprintf(f, ", \"shown\": %d, \"total\": %d, \"rect\": [%d, %d, %d, %d]}", o->shown,
                o->total, o->box.x, o->box.y, o->box.w, o->box.h);
    }
    fputs("]}\n", f);
    return ferror(f) ? -1 : 0;
}

DrawItem *drawlist_add(DrawList *dl, ItemKind kind, Rect r, uint32_t color)
{
    if (dl->n == dl->cap) {
        int cap = dl->cap ? dl->cap * 2 : 64;
        DrawItem *items = realloc(dl->items, (size_t)cap * sizeof *items);
        if (!items) {
            abort();
        }
        dl->items = items;
        dl->cap = cap;
    }
    DrawItem *it = &dl->items[dl->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->rect = r;
    it->color = color;
    return it;
}

static int mirror_x(const DrawList *dl, Rect r)
{
    return dl->width - r.x - r.w;
}

/* The direction a run of text reads in: 'R' with any Arabic or Hebrew letter (or RLM),
 * 'L' with a letter of another script, 'N' for digits, punctuation and spaces only. */
static char run_direction(const char *s)
{
    char dir = 'N';
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
            (cp >= 0xFE70 && cp <= 0xFEFE) || (cp >= 0x10800 && cp <= 0x10FFF) ||
            (cp >= 0x1E800 && cp <= 0x1EFFF) || cp == 0x200F || cp == 0x061C) {
            return 'R';
        }
        if (utf8_is_mark(cp)) {
            continue;
        }
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == 0x200E ||
            (cp >= 0xC0 && cp < 0x0590 && cp != 0xD7 && cp != 0xF7) ||
            (cp >= 0x0900 && cp < 0x2000) || (cp >= 0x2C00 && cp < 0x2E00) ||
            (cp >= 0x3040 && cp < 0xFB1D)) {
            dir = 'L';
        }
    }
    return dir;
}

static int has_digit(const char *s)
{
    return strpbrk(s, "0123456789") != NULL;
}

/* After mirroring, the runs [a, b) of one line stand in right-to-left order. Runs that
 * read left to right next to each other are put back in their order as a block (UAX #9's
 * rule L2 over runs; digits and neutrals after left-to-right text go with it, W7/N1). */
static void keep_ltr_runs(DrawList *dl, int a, int b)
{
    char dir[64];
    if (b - a < 2 || b - a > (int)sizeof dir) {
        return;
    }
    for (int k = a; k < b; k++) {
        dir[k - a] = run_direction(dl->items[k].text ? dl->items[k].text : "");
    }
    for (int k = a; k < b; k++) {
        if (dir[k - a] != 'N') {
            continue;
        }
        char prev = 'R', next = 'R'; /* the page's direction at the line's ends */
        for (int q = k - 1; q >= a; q--) {
            if (dir[q - a] != 'N') {
                prev = dir[q - a];
                break;
            }
        }
        for (int q = k + 1; q < b; q++) {
            if (dir[q - a] != 'N') {
                next = dir[q - a];
                break;
            }
        }
        dir[k - a] = prev == 'L' && (next == 'L' || has_digit(dl->items[k].text)) ? 'L' : 'N';
    }
    int W = dl->width;
    for (int i = a; i < b;) {
        int j = i;
        while (j < b && dir[j - a] == 'L') {
            j++;
        }
        if (j - i >= 2) { /* runs [i, j) read left to right: the block as laid out */
            const Rect *last = &dl->items[j - 1].rect;
            int x0 = W - dl->items[i].rect.x - dl->items[i].rect.w; /* before mirroring */
            int shift = last->x;
            for (int k = i; k < j; k++) {
                Rect *r = &dl->items[k].rect;
                r->x = shift + (W - r->x - r->w) - x0;
            }
        }
        i = j > i ? j : i + 1;
    }
}

void drawlist_mirror(DrawList *dl, int from, int from_overflow)
{
    /* the map moves as one block: its sites keep their places on it */
    int map_dx = 0, has_map = 0;
    for (int i = from; i < dl->n && !has_map; i++) {
        if (dl->items[i].kind == ITEM_MAP) {
            map_dx = mirror_x(dl, dl->items[i].rect) - dl->items[i].rect.x;
            has_map = 1;
        }
    }
    for (int i = from; i < dl->n; i++) {
        DrawItem *it = &dl->items[i];
        int on_map = it->kind == ITEM_MARKER || it->kind == ITEM_CLUSTER || it->kind == ITEM_LABEL;
        if (on_map && has_map) {
            it->rect.x += map_dx;
            continue;
        }
        it->rect.x = mirror_x(dl, it->rect);
        if (it->kind == ITEM_TEXT || it->kind == ITEM_LABEL) {
            it->align = it->align == ALIGN_LEFT    ? ALIGN_RIGHT
                        : it->align == ALIGN_RIGHT ? ALIGN_LEFT
                                                   : it->align;
        }
    }
    for (int i = from; i < dl->n;) { /* the lines: text items with runs 0, 1, 2, ... */
        int j = i + 1;
        while (j < dl->n && dl->items[i].kind == ITEM_TEXT && dl->items[i].run == 0 &&
               dl->items[j].kind == ITEM_TEXT && dl->items[j].run == dl->items[j - 1].run + 1) {
            j++;
        }
        keep_ltr_runs(dl, i, j);
        i = j;
    }
    for (int i = from_overflow; i < dl->n_overflow; i++) {
        dl->overflow[i].box.x = mirror_x(dl, dl->overflow[i].box);
    }
}

void drawlist_overflow(DrawList *dl, const char *what, const char *from, int shown, int total,
                       Rect box)
{
    if (!dl) {
        return;
    }
    if (dl->n_overflow == dl->cap_overflow) {
        int cap = dl->cap_overflow ? dl->cap_overflow * 2 : 8;
        Overflow *o = realloc(dl->overflow, (size_t)cap * sizeof *o);
        if (!o) {
            abort();
        }
        dl->overflow = o;
        dl->cap_overflow = cap;
    }
    char buf[64];
    utf8_copy_cut(buf, sizeof buf, from ? from : "");
    Overflow *o = &dl->overflow[dl->n_overflow++];
    o->what = strdup(what);
    o->from = strdup(buf);
    if (!o->what || !o->from) {
        abort();
    }
    o->shown = shown;
    o->total = total;
    o->box = box;
}
