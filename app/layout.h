/* layout: pure page layout. From a Model, a page name, the screen size and the
 * time it builds a draw list — rectangles, text runs and images in screen pixels —
 * without any SDL call, so that it can be tested and dumped as JSON. Text is
 * measured through the TextMetrics callbacks (SDL_ttf in the program, the same
 * fonts in tests). Text never leaves its box: it wraps, then shrinks down to the
 * legibility minimum, and only then ends in an ellipsis. */
#ifndef LITFASS_LAYOUT_H
#define LITFASS_LAYOUT_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    ITEM_RECT,    /* filled rectangle */
    ITEM_TEXT,    /* a run of text */
    ITEM_IMAGE,   /* a generated image: "qr:URL", "symbol:marker|own|cluster" */
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

typedef struct {
    ItemKind kind;
    Rect rect;
    uint32_t color; /* 0xRRGGBB */
    int size;       /* text: font pixel size */
    int bold;       /* text: bold face */
    char *text;     /* text, label, cluster: the string shown; image, map: its source key */
    Shape *shape;   /* map only */
} DrawItem;

typedef struct {
    int width, height;
    uint32_t background; /* 0xRRGGBB */
    int64_t valid_ms;    /* > 0: rebuild after this long (a panel pages); 0: next minute */
    DrawItem *items;
    int n, cap;
} DrawList;

typedef struct {
    void *ctx;
    /* Advance width in pixels of s[0..len) at font pixel size `size`. */
    int (*width)(void *ctx, const char *s, size_t len, int size, int bold);
    /* Height of one line (the distance between baselines) at `size`. */
    int (*line_height)(void *ctx, int size, int bold);
} TextMetrics;

/* What a page depends on besides the model and the screen size. */
typedef struct {
    int64_t now_ms;      /* wall clock */
    int64_t page_ms;     /* how long the page has been on screen */
    const char *site_id; /* this kiosk's own site, or NULL */
    const char *status;  /* network mark for the footer ("online", "offline seit 13:20") */
} LayoutEnv;

#define LAYOUT_ENV(t) (&(LayoutEnv){ (t), 0, NULL, NULL })

/* The pages the display knows, in their default order. */
extern const char *const layout_pages[];
int layout_page_known(const char *page);

/* Builds the draw list of `page` for a w x h screen at env's time into *out
 * (which is cleared first; release with drawlist_free). A Model without content
 * yields the "no content" page. Returns 0, or -1 for an unknown page. */
int layout_build(const Model *m, const char *page, int w, int h, const LayoutEnv *env,
                 const TextMetrics *tm, DrawList *out);

/* Adds a message banner over the page in dl (a confirmation when ok, else a
 * refusal), e.g. "Inhalt aktualisiert: Version 42". */
void layout_notice(DrawList *dl, const TextMetrics *tm, const char *text, int ok);

/* The smallest font pixel size layout uses on a w x h screen (legibility from 3 m). */
int layout_min_text_size(int w, int h);

void drawlist_init(DrawList *dl, int w, int h);
/* Frees all items and re-initialises. Accepts NULL. */
void drawlist_free(DrawList *dl);
/* 1 when both lists would put the same pixels on screen. */
int drawlist_equal(const DrawList *a, const DrawList *b);
/* Writes the list as JSON: {"width","height","items":[{"kind","rect",...}]}. */
int drawlist_write_json(const DrawList *dl, FILE *f);

/* Lays out wrapped text of one style into box at the largest size in
 * [min_size, max_size] that fits (ellipsis at min_size when nothing fits). Appends
 * text items to dl when it is not NULL. Returns the size used; *used_h gets the
 * height taken. Exposed for tests of the fitting rules. */
int layout_fit_text(DrawList *dl, const TextMetrics *tm, const char *text, Rect box,
                    int max_size, int min_size, int bold, uint32_t color, int *used_h);

#endif
