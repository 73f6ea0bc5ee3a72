/* drawlist: what a page puts on screen — rectangles, text runs, images, map
 * shapes in screen pixels — and the text measuring callbacks the pages lay out
 * with. Owns the items' memory; knows nothing of SDL, so that it can be compared,
 * tested and dumped as JSON. */
#ifndef LITFASS_DRAWLIST_H
#define LITFASS_DRAWLIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    ITEM_RECT,    /* filled rectangle */
    ITEM_TEXT,    /* a run of text */
    ITEM_IMAGE,   /* a generated image: "qr:URL", "symbol:marker|own|cluster", or a
                   * picture of the content: "picture:ID:LEVEL" (with alt) */
    ITEM_LABEL,   /* a map label (text with a light halo) */
    ITEM_MARKER,  /* a site on the map: a dot centred in rect */
    ITEM_CLUSTER, /* several sites: a pill with the count as text */
    ITEM_MAP,     /* the map's land shapes, drawn once per size into a texture */
} ItemKind;

/* Projected map shapes for ITEM_MAP, in pixels relative to the item's rect. */
typedef struct {
    float *xy;
    int *ring_len;
    int n_rings;
    int n_focus; /* rings [0, n_focus) are the region, the rest context */
    uint32_t focus_fill, focus_line, context_fill, context_line;
    float focus_width, context_width;
} Shape;

typedef struct {
    int x, y, w, h;
} Rect;

/* Where a text item's string sits in its rect when the drawn width differs from the
 * measured one (rect.w): the line's start side for left/right. Mirroring swaps them. */
enum { ALIGN_LEFT = 0, ALIGN_CENTER = 1, ALIGN_RIGHT = 2 };

typedef struct {
    ItemKind kind;
    Rect rect;
    uint32_t color; /* 0xRRGGBB */
    int size;       /* text: font pixel size */
    int bold;       /* text: bold face */
    int align;      /* text, label: ALIGN_LEFT, ALIGN_CENTER or ALIGN_RIGHT */
    int run;        /* text: the run's place in its line (0: the first; the runs of a line
                     * are consecutive items), so that mirroring knows the lines */
    char *text;     /* text, label, cluster: the string shown; image, map: its source key */
    Shape *shape;   /* map only */
    char *alt;      /* picture: what it shows, in words (may be NULL) */
} DrawItem;

/* Staff text that did not reach the screen in full: not drawn, but reported (the
 * draw list's JSON, `litfassctl preview` and `build`), so that no cut goes unseen. */
typedef struct {
    char *what;  /* where, for staff: "text", "schedule", "site list" */
    char *from;  /* the text from where it was cut or left out (at most 60 bytes) */
    int shown;   /* paragraphs, rows or entries shown in full */
    int total;   /* of how many */
    Rect box;    /* where it was to go */
} Overflow;

typedef struct {
    int width, height;
    uint32_t background; /* 0xRRGGBB */
    int64_t valid_ms;    /* > 0: rebuild after this long (a panel pages); 0: next minute */
    /* issue 17: a minute change redraws only the footer (page_footer_refresh) of a page
     * whose other items do not depend on the minute within a day (minute_static): its
     * items are [footer_from, footer_from + footer_n), laid out in footer_band with
     * footer_color on a footer_w x footer_h page (smallest text footer_min) and moved down by footer_dy afterwards */
    int minute_static;
    int footer_from, footer_n, footer_w, footer_h, footer_min, footer_dy;
    Rect footer_band;
    uint32_t footer_color;
    int screen_off;      /* the screen is off (screen_on times): nothing is shown */
    char lang[16];       /* the page's language ("de", "ar"; "": the UI's) */
    int rtl;             /* written right to left: the page was mirrored (drawlist_mirror) */
    int panel_pages;     /* > 1: the page's list turns through this many panel pages */
    int64_t panel_ms;    /* every panel_ms: the page is complete after panel_pages of them */
    /* an alert over the page (issue 14): level "info", "warning" or "danger" ("" when
     * none), how it is shown ("page" or "band"), its version, end and text (cut) */
    char alert_level[8], alert_shown[8];
    long long alert_version;
    int64_t alert_until_ms;
    char alert_text[640];
    DrawItem *items;
    int n, cap;
    Overflow *overflow;
    int n_overflow, cap_overflow;
} DrawList;

typedef struct {
    void *ctx;
    /* Advance width in pixels of s[0..len) at font pixel size `size`. */
    int (*width)(void *ctx, const char *s, size_t len, int size, int bold);
    /* Height of one line (the distance between baselines) at `size`. */
    int (*line_height)(void *ctx, int size, int bold);
    /* Optional (NULL: every line reads as laid out): the bidi embedding level of every
     * byte of the line s[0..len) in levels[0..len), resolved over the whole line (UAX #9
     * with rule L1) in the direction the page is drawn in. Returns 0 when the line reads
     * left to right as laid out (every level 0), 1 when it must be reordered, 2 when it
     * must be reordered and the page is mirrored afterwards (drawlist_mirror). */
    int (*bidi)(void *ctx, const char *s, size_t len, unsigned char *levels);
} TextMetrics;

void drawlist_init(DrawList *dl, int w, int h);
/* Frees all items and re-initialises. Accepts NULL. */
void drawlist_free(DrawList *dl);
/* 1 when both lists would put the same pixels on screen. */
int drawlist_equal(const DrawList *a, const DrawList *b);
/* Writes the list as JSON: {"width","height","lang","dir","items":[{"kind","rect",...}]}
 * (text items with "align"), and "alert": {"level","shown","version","until","text"} or
 * null. "lang" is dl->lang, or the UI language when that is empty. */
int drawlist_write_json(const DrawList *dl, FILE *f);

/* Appends a copy of an item; aborts on out of memory. Returns the new item. */
DrawItem *drawlist_add(DrawList *dl, ItemKind kind, Rect r, uint32_t color);

/* Mirrors items [from, n) and overflow boxes [from_overflow, n_overflow) for a page
 * written right to left: every rect moves to x' = width - x - w and text alignment
 * left/right swaps, so the page reads from the right; within a line, consecutive runs
 * of left-to-right text (Latin, Cyrillic, and the digits after them) keep their order
 * (bidi at the granularity of runs). The map is not a picture of
 * reading order: the map item moves as a block and its markers, clusters and labels
 * move with it, unmirrored. Strings stay in logical order (the text engine reorders). */
void drawlist_mirror(DrawList *dl, int from, int from_overflow);

/* Records staff text that was cut or left out (copies `what` and up to 60 bytes of
 * `from`, cut at a character boundary). Accepts a NULL dl (measuring): nothing then. */
void drawlist_overflow(DrawList *dl, const char *what, const char *from, int shown, int total,
                       Rect box);

#endif
