/* flow: rich-text line breaking and fitting for layout (used by the pages).
 * Paragraphs of styled spans are broken into lines at spaces; a box is filled at
 * the largest size that fits; at the minimum size overlong words are split with a
 * hyphen and the last visible line ends in an ellipsis; a paragraph's last line of
 * one word takes a word down from the line above when it can. A line that mixes
 * directions across spans of different style is placed by the bidi levels of its
 * whole paragraph (TextMetrics.bidi), one item per level run and style. Pure:
 * measures through TextMetrics, emits DrawItems. */
#ifndef LITFASS_FLOW_H
#define LITFASS_FLOW_H

#include "pages/drawlist.h"
#include "store/model.h"

typedef struct {
    const Span *spans;
    int n_spans;
    int scale;    /* percent of the base size (headings > 100) */
    int bold_all; /* every span bold */
    int bullet;   /* list item: indented, with a bullet */
    int gap;      /* space before, percent of the line height (ignored for the first) */
    uint32_t color;
} FlowPara;

enum { FLOW_LEFT = ALIGN_LEFT, FLOW_CENTER = ALIGN_CENTER, FLOW_RIGHT = ALIGN_RIGHT };

/* Lays out paras into box at the largest base size in [min_size, max_size] at which
 * everything fits (at min_size: hyphenate overlong words, end with an ellipsis).
 * When dl is not NULL, appends the text items, aligned horizontally by `align` and
 * vertically centred in box when vcenter is set. Returns the base size used and the
 * height taken in *used_h (may be NULL). */
int flow_fit(DrawList *dl, const TextMetrics *tm, const FlowPara *paras, int n, Rect box,
             int max_size, int min_size, int align, int vcenter, int *used_h);

#endif
