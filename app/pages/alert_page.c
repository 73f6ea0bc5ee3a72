/* alert_page: the full page is built from the same frame pieces as the other pages
 * (flow fitting: the text shrinks, then is cut with a recorded overflow; the footer
 * with date, time and the network mark). The info band does not cover anything: the
 * page is laid out for the height below the band and moved down, which every page
 * supports because layout is resolution-independent. While the clock is not trusted
 * the alert says nothing about times. */
#define _POSIX_C_SOURCE 200809L
#include "pages/alert_page.h"

#include "base/ui.h"
#include "base/utf8.h"

#include <string.h>

#define DANGER_BG 0xB00020u
#define WARNING_BG 0xFFB300u
#define INFO_BG 0x0B4F8Au

static void mark(DrawList *dl, const Alert *a, const char *shown)
{
    snprintf(dl->alert_level, sizeof dl->alert_level, "%s", alert_level_name(a->level));
    snprintf(dl->alert_shown, sizeof dl->alert_shown, "%s", shown);
    dl->alert_version = a->version;
    dl->alert_until_ms = a->until_ms;
    utf8_copy_cut(dl->alert_text, sizeof dl->alert_text, a->text);
}

static void full_page(Page *p, const Alert *a)
{
    int danger = a->level == ALERT_DANGER;
    uint32_t bg = danger ? DANGER_BG : WARNING_BG;
    uint32_t fg = danger ? WHITE : MODEL_COLOR_TEXT;
    p->dl->background = bg;
    int band_h = p->portrait ? U(p, 12) : U(p, 11);
    Rect foot = { 0, p->h - band_h, p->w, band_h };
    int pad = U(p, 8);
    /* a white rule at the top and the heading, then the message as large as fits */
    page_rect(p, (Rect){ 0, 0, p->w, U(p, 2) }, danger ? WHITE : MODEL_COLOR_TEXT);
    Rect head = { pad, U(p, 8), p->w - 2 * pad, U(p, 12) };
    int hh = 0;
    page_text(p, ui_str(danger ? UI_ALERT_DANGER : UI_ALERT_WARNING), head, U(p, 9),
              p->min_size, 1, fg, FLOW_LEFT, 0, &hh);
    int until_h = 0;
    char until[160] = "";
    if (!p->env->untrusted) {
        char when[128];
        ui_format_datetime(a->until_ms, when, sizeof when);
        snprintf(until, sizeof until, ui_str(UI_UNTIL), when);
        until_h = U(p, 9);
    }
    Rect body = { pad, head.y + hh + U(p, 5), p->w - 2 * pad, 0 };
    body.h = foot.y - U(p, 5) - until_h - body.y;
    page_text(p, a->text, body, p->portrait ? U(p, 16) : U(p, 14), p->min_size, 1, fg, FLOW_LEFT,
              1, NULL);
    if (until[0]) {
        page_line(p, until, (Rect){ pad, foot.y - U(p, 3) - until_h, p->w - 2 * pad, until_h },
                  U(p, 5.5), 0, fg, FLOW_LEFT);
    }
    page_footer(p, foot, MODEL_COLOR_ACCENT);
}

static void shift(DrawList *dl, int from, int dy)
{
    for (int i = from; i < dl->n; i++) {
        dl->items[i].rect.y += dy;
    }
    for (int i = 0; i < dl->n_overflow; i++) {
        dl->overflow[i].box.y += dy;
    }
    dl->footer_dy += dy;
}

int alert_page_build(const Model *m, const char *page, const Alert *a, int w, int h,
                     const LayoutEnv *env, const TextMetrics *tm, DrawList *out)
{
    if (!a || a->clear || !a->text[0]) {
        return layout_build(m, page, w, h, env, tm, out);
    }
    Page p = { m, tm, out, w, h, (w < h ? w : h) / 100.0, h > w, layout_min_text_size(w, h),
               env };
    if (a->level != ALERT_INFO) {
        /* the page asked for must exist, so that a wrong name still fails as before */
        int rc = layout_build(m, page, w, h, env, tm, out);
        if (rc != 0) {
            return rc;
        }
        drawlist_free(out);
        drawlist_init(out, w, h);
        full_page(&p, a);
        out->minute_static = 1; /* its end is a change of the alert, not of the minute */
        page_direction(out, env, 0, 0);
        mark(out, a, "page");
        return 0;
    }
    int band_h = h > w ? U(&p, 14) : U(&p, 15);
    int rc = layout_build(m, page, w, h - band_h, env, tm, out);
    if (rc != 0) {
        return rc;
    }
    out->height = h;
    shift(out, 0, band_h);
    int from = out->n, from_overflow = out->n_overflow; /* the page is mirrored already */
    page_rect(&p, (Rect){ 0, 0, w, band_h }, INFO_BG);
    int pad = U(&p, 4);
    const char *label = ui_str(UI_ALERT_INFO);
    int lw = tm->width(tm->ctx, label, strlen(label), U(&p, 4.5), 1) + pad;
    if (lw > w / 4) {
        lw = w / 4;
    }
    page_line(&p, label, (Rect){ pad, 0, lw, band_h }, U(&p, 4.5), 1, 0xFFD54Fu, FLOW_LEFT);
    page_text(&p, a->text, (Rect){ pad + lw, U(&p, 1), w - 2 * pad - lw, band_h - U(&p, 2) },
              U(&p, 6), p.min_size, 1, WHITE, FLOW_LEFT, 1, NULL);
    page_direction(out, env, from, from_overflow);
    mark(out, a, "band");
    return 0;
}
