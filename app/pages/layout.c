/* layout: the pages as pure functions of (model, size, time). Picks the page
 * builder by name and adds what lies over any page (the notice banner); the "no
 * content" page stands in for every page while there is nothing to show. */
#define _POSIX_C_SOURCE 200809L
#include "pages/layout.h"

#include "pages/campaign_page.h"
#include "pages/flow.h"
#include "pages/map_page.h"
#include "pages/poster_page.h"
#include "pages/schedule_page.h"
#include "base/ui.h"

#include <math.h>
#include <string.h>

/* The neutral page, when no page's content is valid now: the site's name, the date and
 * time (when the clock is trusted) — never old content presented as current. */
static void page_idle(Page *p)
{
    const Model *m = p->m;
    p->dl->background = WHITE;
    int band_h = p->portrait ? U(p, 12) : U(p, 11);
    Rect foot = { 0, p->h - band_h, p->w, band_h };
    int pad = U(p, 8);
    page_rect(p, (Rect){ 0, 0, p->w, U(p, 2) }, m->campaign.color_primary);
    const char *site = NULL;
    for (int i = 0; p->env->site_id && i < m->n_sites; i++) {
        if (strcmp(m->sites[i].id, p->env->site_id) == 0) {
            site = m->sites[i].name;
        }
    }
    Rect title = { pad, U(p, 14), p->w - 2 * pad, U(p, 22) };
    int th = 0;
    if (site) {
        page_text(p, site, title, U(p, 10), p->min_size, 1, MODEL_COLOR_TEXT, FLOW_LEFT, 0, &th);
    }
    Rect line = { pad, title.y + th + U(p, 5), p->w - 2 * pad, U(p, 12) };
    if (!p->env->untrusted) {
        char when[128];
        ui_format_datetime(p->env->now_ms, when, sizeof when);
        page_text(p, when, line, U(p, 6), p->min_size, 0, MODEL_COLOR_ACCENT, FLOW_LEFT, 0, NULL);
        line.y += line.h;
    }
    page_text(p, ui_str(UI_NOTHING_CURRENT), line, U(p, 4), p->min_size, 0, MODEL_COLOR_ACCENT,
              FLOW_LEFT, 0, NULL);
    page_footer(p, foot, MODEL_COLOR_ACCENT);
}

static const struct {
    const char *name;
    void (*build)(Page *p);
    int minute_static; /* only its footer changes with the minute (within a day) */
} pages[] = {
    { "campaign", page_campaign, 1 },
    { "map", page_map, 1 },
    { "schedule", page_schedule, 0 }, /* what is on now, and in how many minutes */
    { "posters", page_posters, 1 },   /* valid by the day */
    { "idle", page_idle, 0 }, /* chosen by the kiosk, not by the configuration */
};

int layout_min_text_size(int w, int h)
{
    int s = w < h ? w : h;
    int px = (int)lround(s * 0.024);
    return px < 14 ? 14 : px;
}

int layout_fit_text(DrawList *dl, const TextMetrics *tm, const char *text, Rect box,
                    int max_size, int min_size, int bold, uint32_t color, int *used_h)
{
    Span span = { (char *)text, 0 };
    FlowPara fp = page_plain(&span, bold, color);
    return flow_fit(dl, tm, &fp, 1, box, max_size, min_size, FLOW_LEFT, 0, used_h);
}

static void build_no_content(Page *p)
{
    p->dl->background = WHITE;
    int band_h = p->portrait ? U(p, 12) : U(p, 11);
    Rect foot = { 0, p->h - band_h, p->w, band_h };
    int pad = U(p, 8);
    page_rect(p, (Rect){ 0, 0, p->w, U(p, 2) }, MODEL_COLOR_PRIMARY);
    Rect title = { pad, U(p, 14), p->w - 2 * pad, U(p, 22) };
    int th;
    page_text(p, ui_str(UI_NO_CONTENT_TITLE), title, U(p, 10), p->min_size, 1, MODEL_COLOR_TEXT,
              FLOW_LEFT, 0, &th);
    Rect body = { pad, title.y + th + U(p, 5), p->w - 2 * pad, 0 };
    body.h = foot.y - U(p, 6) - body.y;
    if (body.w > U(p, 130)) {
        body.w = U(p, 130); /* keep lines readable on wide screens */
    }
    page_text(p, ui_str(UI_NO_CONTENT_BODY), body, U(p, 5), p->min_size, 0, MODEL_COLOR_ACCENT,
              FLOW_LEFT, 0, NULL);
    page_footer(p, foot, MODEL_COLOR_ACCENT);
}

void layout_notice(DrawList *dl, const TextMetrics *tm, const char *text, int ok)
{
    int w = dl->width, h = dl->height;
    double u = (w < h ? w : h) / 100.0;
    int bw = w * 80 / 100, bh = (int)lround(u * 14);
    Rect band = { (w - bw) / 2, h - bh - (int)lround(u * 12), bw, bh };
    uint32_t bg = ok ? 0x1E6B34u : 0xB00020u;
    drawlist_add(dl, ITEM_RECT, band, bg);
    int pad = (int)lround(u * 3);
    Span span = { (char *)text, 1 };
    FlowPara fp = page_plain(&span, 1, WHITE);
    flow_fit(dl, tm, &fp, 1, (Rect){ band.x + pad, band.y, band.w - 2 * pad, band.h },
             (int)lround(u * 5), layout_min_text_size(w, h), FLOW_CENTER, 1, NULL);
}

int layout_build(const Model *m, const char *page, int w, int h, const LayoutEnv *env,
                 const TextMetrics *tm, DrawList *out)
{
    drawlist_free(out);
    drawlist_init(out, w, h);
    void (*build)(Page *) = NULL;
    int minute_static = 0;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (strcmp(pages[i].name, page) == 0) {
            build = pages[i].build;
            minute_static = pages[i].minute_static;
        }
    }
    if (!build) {
        return -1;
    }
    Page p = { m, tm, out, w, h, (w < h ? w : h) / 100.0, h > w, layout_min_text_size(w, h),
               env };
    if (!m || !m->has_content) {
        build_no_content(&p);
        out->minute_static = 1;
    } else {
        build(&p);
        out->minute_static = minute_static;
    }
    page_direction(out, env, 0, 0); /* right to left: the finished page mirrored */
    return 0;
}
