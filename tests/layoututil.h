/* layoututil: geometry checks on draw lists shared by the layout tests. */
#ifndef LITFASS_LAYOUTUTIL_H
#define LITFASS_LAYOUTUTIL_H

#include "pages/layout.h"

#include <stdio.h>
#include <string.h>

static inline int rect_inside(Rect r, Rect box)
{
    return r.x >= box.x && r.y >= box.y && r.x + r.w <= box.x + box.w &&
           r.y + r.h <= box.y + box.h;
}

static inline int rects_overlap(Rect a, Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Index of the first text item containing needle, or -1. */
static inline int find_text(const DrawList *dl, const char *needle)
{
    for (int i = 0; i < dl->n; i++) {
        if (dl->items[i].kind == ITEM_TEXT && strstr(dl->items[i].text, needle)) {
            return i;
        }
    }
    return -1;
}

static inline int layout_is_text(const DrawItem *it)
{
    return (it->kind == ITEM_TEXT || it->kind == ITEM_LABEL) && it->text && *it->text;
}

static inline int layout_ends_in_ellipsis(const char *t)
{
    size_t n = strlen(t);
    return n >= 3 && strcmp(t + n - 3, "\xe2\x80\xa6") == 0;
}

/* The draw list's invariants: nothing leaves the screen, no two text items overlap,
 * and every "…" has its cut recorded for staff. Returns the number of problems and
 * prints each, prefixed with what. */
static inline int layout_problems(const DrawList *dl, const char *what)
{
    int bad = 0, cut = 0;
    Rect screen = { 0, 0, dl->width, dl->height };
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *a = &dl->items[i];
        if (!rect_inside(a->rect, screen)) {
            fprintf(stderr, "%s: item %d '%s' leaves the screen\n", what, i,
                    a->text ? a->text : "");
            bad++;
        }
        if (!layout_is_text(a)) {
            continue;
        }
        cut += layout_ends_in_ellipsis(a->text);
        for (int j = i + 1; j < dl->n; j++) {
            const DrawItem *b = &dl->items[j];
            if (layout_is_text(b) && rects_overlap(a->rect, b->rect)) {
                fprintf(stderr, "%s: '%.40s' [%d %d %d %d] overlaps '%.40s' [%d %d %d %d]\n", what,
                        a->text, a->rect.x, a->rect.y, a->rect.w, a->rect.h, b->text, b->rect.x,
                        b->rect.y, b->rect.w, b->rect.h);
                bad++;
            }
        }
    }
    if (cut && dl->n_overflow == 0) {
        fprintf(stderr, "%s: %d texts end in an ellipsis, but no overflow is recorded\n", what,
                cut);
        bad++;
    }
    return bad;
}

#endif
