/* page: what every page builder shares — the inputs of a page (LayoutEnv), the
 * Page being built with its unit of measure, and the page frame: text boxes, title
 * band and footer. Pages (campaign, map, schedule) sit on top of it; layout picks
 * one by name. */
#ifndef LITFASS_PAGE_H
#define LITFASS_PAGE_H

#include "pages/drawlist.h"
#include "pages/flow.h"
#include "store/model.h"

#include <math.h>
#include <stdint.h>

/* What a page depends on besides the model and the screen size. */
typedef struct {
    int64_t now_ms;      /* wall clock */
    int64_t page_ms;     /* how long the page has been on screen */
    const char *site_id; /* this kiosk's own site, or NULL */
    const char *status;  /* network mark for the footer ("online", "offline seit 13:20") */
    int untrusted;       /* the wall clock cannot be believed: no claims about now */
    int64_t floor_ms;    /* a time surely past (0: none known), for the untrusted schedule */
    const char *lang;    /* the page's language ("de", "ar", ...; NULL: the UI's) */
    int rtl;             /* the language is written right to left: the page is mirrored */
} LayoutEnv;

#define WHITE 0xFFFFFFu
#define FOOTER_BG 0xF2F0EEu

typedef struct {
    const Model *m;
    const TextMetrics *tm;
    DrawList *dl;
    int w, h;
    double u; /* one hundredth of the shorter side */
    int portrait;
    int min_size;
    const LayoutEnv *env;
} Page;

static inline int U(const Page *p, double k)
{
    return (int)lround(p->u * k);
}

void page_rect(Page *p, Rect r, uint32_t color);
FlowPara page_plain(const Span *span, int bold, uint32_t color);
/* Wrapped text of one style, fitted into box; returns the size used. */
int page_text(Page *p, const char *text, Rect box, int max, int min, int bold, uint32_t color,
              int align, int vcenter, int *used_h);
/* Text that prefers one line: shrinks first, wraps only at the minimum size. */
void page_line(Page *p, const char *text, Rect box, int max, int bold, uint32_t color, int align);
/* The footer band: date and time, content version. */
void page_footer(Page *p, Rect band, uint32_t text_color);
/* Lays the footer of dl out again for env (its date and time, its status) in place of
 * the one it has (dl as page_footer left it, mirrored or moved since): a minute change
 * costs the footer's few text runs, not the page. Returns 1 when the footer changed, 0
 * when it is the same, -1 when dl has no footer to refresh (build the page instead). */
int page_footer_refresh(DrawList *dl, const Model *m, const LayoutEnv *env,
                        const TextMetrics *tm);
/* The text of the footer's right side: "Inhalt Version N · source". */
void page_version_text(const Page *p, char *buf, size_t len);

/* Names the page's language (env->lang, else the UI's) and direction in dl and, when it
 * is written right to left, mirrors the items from `from` and the overflow boxes from
 * `from_overflow` on (drawlist_mirror): pages are laid out once, left to right. */
void page_direction(DrawList *dl, const LayoutEnv *env, int from, int from_overflow);

/* Places picture `id` of the model into box keeping its aspect ratio (contain), as
 * large as fits, aligned by halign (FLOW_LEFT, FLOW_CENTER, FLOW_RIGHT) and centred
 * vertically; the item's source names the stored level nearest above the size drawn.
 * Returns the rectangle used ({0} when the model has no such picture). */
Rect page_picture(Page *p, int id, Rect box, int halign);

/* page_picture with the draw item's alt text given (a translation's; NULL: the picture's). */
Rect page_picture_alt(Page *p, int id, Rect box, int halign, const char *alt);

/* The frame of a content page: background, the title band (its height returned) and
 * the footer band (its rectangle in *foot). */
int page_frame(Page *p, Rect *foot);

#endif
