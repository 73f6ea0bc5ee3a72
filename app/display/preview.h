/* preview: what the screen will show, before a bundle leaves the office. Renders every
 * frame of one full rotation — each page, and each panel page of its lists — at the
 * screen sizes asked for, headless (SDL's software renderer), as PNG plus the draw
 * list's JSON, with a list of the frames and a contact sheet staff open in a browser;
 * and tells every text that did not fit. Also the one place that writes a frame to
 * disk (the display's --screenshot uses it). */
#ifndef LITFASS_PREVIEW_H
#define LITFASS_PREVIEW_H

#include "base/config.h"
#include "display/render.h"
#include "display/text.h"
#include "pages/layout.h"

#include <SDL.h>
#include <stdio.h>

#define PREVIEW_MAX_SIZES 8

typedef struct {
    int n_sizes;
    int w[PREVIEW_MAX_SIZES], h[PREVIEW_MAX_SIZES];
    int64_t now_ms;   /* the moment the rotation starts (wall clock) */
    const Config *cfg; /* pages, page_seconds, site_id */
    const char *lang;  /* the language laid out ("ar": right to left); NULL: German */
    const char *db;    /* the content database pictures are read from (NULL: placeholders) */
} PreviewOptions;

/* Writes dl as PNG (drawn by r into surf, waiting for the map's land) and as JSON.
 * Returns 0, or -1 with err naming the file. */
int preview_shot(Renderer *r, SDL_Surface *surf, const DrawList *dl, const char *png,
                 const char *json, char *err, size_t errlen);

/* Renders one full rotation of m at every size of o into dir: dir/WxH/NN-page[-K].png
 * and .json per frame, dir/frames.json ([{size, page, at_ms, png, json}]) and
 * dir/index.html. Each text that did not fit is printed to warn (one line each:
 * "preview: 1920x1080 campaign: text cut from »…« on (5 of 9 shown)") and counted.
 * Returns the number of such warnings, or -1 with err on a failure to write. */
int preview_write(const Model *m, Text *text, const PreviewOptions *o, const char *dir,
                  FILE *warn, char *err, size_t errlen);

/* Lays out every frame of one rotation at every size of o without drawing and calls
 * found once for each text that did not fit (per size, page and text). Returns how
 * many there were. */
typedef void (*PreviewOverflowFn)(void *ctx, int w, int h, const char *page, const Overflow *ov);
int preview_check(const Model *m, Text *text, const PreviewOptions *o, PreviewOverflowFn found,
                  void *ctx);

#endif
