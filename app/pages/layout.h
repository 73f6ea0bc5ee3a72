/* layout: pure page layout. From a Model, a page name, the screen size and the
 * time it builds a draw list — rectangles, text runs and images in screen pixels —
 * without any SDL call, so that it can be tested and dumped as JSON. Text is
 * measured through the TextMetrics callbacks (SDL_ttf in the program, the same
 * fonts in tests). Text never leaves its box: it wraps, then shrinks down to the
 * legibility minimum, and only then ends in an ellipsis. */
#ifndef LITFASS_LAYOUT_H
#define LITFASS_LAYOUT_H

#include "pages/drawlist.h"
#include "store/model.h"
#include "pages/page.h"

#include <stdint.h>

#define LAYOUT_ENV(t) (&(LayoutEnv){ (t), 0, NULL, NULL, 0, 0, NULL, 0 })

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

/* Lays out wrapped text of one style into box at the largest size in
 * [min_size, max_size] that fits (ellipsis at min_size when nothing fits). Appends
 * text items to dl when it is not NULL. Returns the size used; *used_h gets the
 * height taken. Exposed for tests of the fitting rules. */
int layout_fit_text(DrawList *dl, const TextMetrics *tm, const char *text, Rect box,
                    int max_size, int min_size, int bold, uint32_t color, int *used_h);

#endif
