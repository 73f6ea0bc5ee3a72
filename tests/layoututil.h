/* layoututil: geometry checks on draw lists shared by the layout tests. */
#ifndef LITFASS_LAYOUTUTIL_H
#define LITFASS_LAYOUTUTIL_H

#include "pages/layout.h"

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

#endif
