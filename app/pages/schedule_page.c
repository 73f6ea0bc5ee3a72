/* layout_schedule: the schedule page. One row per event of the day shown: the time
 * on the left, title, place and a short description on the right; the running
 * event is marked "Jetzt", the next one "Als Nächstes" with a countdown, finished
 * ones are dimmed. When the day does not fit, the page shows the part around now
 * first and pages through the rest. */
#define _POSIX_C_SOURCE 200809L
#include "pages/schedule_page.h"
#include "pages/schedule.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_MS 8000
/* A day with more rows than fit on this many pages shows the rows from the current
 * event on and says how many more there are: the layout's work stays bounded by the
 * screen, whatever the content holds. */
#define MAX_PAGES 5
#define DIMMED 0x9A9590u

typedef struct {
    int h; /* height of the row */
} RowInfo;

static int line_h(const Page *p, int size, int bold)
{
    return p->tm->line_height(p->tm->ctx, size, bold);
}

/* The time column's text for a slot on the day [d0, d1). */
static void slot_time(const Slot *s, int64_t d0, int64_t d1, char *buf, size_t len)
{
    char a[16], b[16];
    if (s->all_day) {
        snprintf(buf, len, "%s", ui_str(UI_ALL_DAY));
        return;
    }
    ui_format_time(s->start, a, sizeof a);
    ui_format_time(s->end, b, sizeof b);
    if (s->moment) {
        snprintf(buf, len, "%s", a);
    } else if (s->start < d0) {
        snprintf(buf, len, ui_str(UI_UNTIL), b);
    } else if (s->end > d1) {
        snprintf(buf, len, ui_str(UI_FROM), a);
    } else {
        snprintf(buf, len, "%s\xe2\x80\x93%s", a, b);
    }
}

typedef struct {
    Rect area;
    int time_w, gap, ts, ms, lh_t, lh_m, badge_h;
    int stacked; /* portrait: time above the title */
} Geometry;

/* Lays out (dl != NULL) or measures one row at y; returns its height. */
static int row(Page *p, const Geometry *g, const ScheduleDay *day, int i, int y, int emit)
{
    const Campaign *c = &p->m->campaign;
    const Slot *s = &day->slots[i];
    const Event *e = &p->m->events[s->event];
    SlotState st = day->state[i];
    int past = st == SLOT_PAST || day->kind == DAY_PAST;
    uint32_t tc = past ? DIMMED : c->color_text, mc = past ? DIMMED : c->color_accent;
    int x = g->stacked ? g->area.x : g->area.x + g->time_w + g->gap;
    int w = g->area.x + g->area.w - x;
    DrawList *saved = p->dl;
    DrawList scratch;
    if (!emit) { /* measure into a list that is thrown away */
        drawlist_init(&scratch, p->w, p->h);
        p->dl = &scratch;
    }
    int top = y;
    int pad = st == SLOT_NOW ? U(p, 1.2) : 0;
    char when[64];
    slot_time(s, day->day_start, day->day_end, when, sizeof when);
    char badge[96] = "";
    if (st == SLOT_NOW || st == SLOT_NEXT) {
        char cd[64];
        if (st == SLOT_NOW) {
            snprintf(badge, sizeof badge, "%s", ui_str(UI_NOW));
        } else {
            schedule_countdown(p->env->now_ms, s->start, cd, sizeof cd);
            utf8_format_cut(badge, sizeof badge, "%s \xc2\xb7 %s", ui_str(UI_NEXT), cd);
        }
    }
    uint32_t bg = st == SLOT_NOW ? c->color_primary : c->color_text;
    int ty;
    if (g->stacked) {
        /* portrait: the time (and the badge beside it) on a line of its own above the
         * title, so the text gets the whole width */
        int tw = p->tm->width(p->tm->ctx, when, strlen(when), g->ts, 1);
        if (emit) { /* the time line's height is fixed: measuring needs only the texts */
            page_line(p, when, (Rect){ x + pad, y + pad, tw, g->lh_t }, g->ts, 1, tc, FLOW_LEFT);
        }
        if (badge[0] && emit) {
            int bx = x + pad + tw + g->gap;
            int bw = p->tm->width(p->tm->ctx, badge, strlen(badge), g->ms, 1) + g->badge_h;
            bw = bw < x + w - bx ? bw : x + w - bx;
            int by = y + pad + (g->lh_t - g->badge_h) / 2;
            page_rect(p, (Rect){ bx, by, bw, g->badge_h }, bg);
            page_line(p, badge, (Rect){ bx, by, bw, g->badge_h }, g->ms, 1, WHITE, FLOW_CENTER);
        }
        ty = y + pad + g->lh_t;
        x += pad;
        w -= pad;
    } else {
        if (badge[0]) {
            if (emit) {
                int bw = p->tm->width(p->tm->ctx, badge, strlen(badge), g->ms, 1) + g->badge_h;
                bw = bw < w ? bw : w;
                page_rect(p, (Rect){ x, y + pad, bw, g->badge_h }, bg);
                page_line(p, badge, (Rect){ x, y + pad, bw, g->badge_h }, g->ms, 1, WHITE,
                          FLOW_CENTER);
            }
            y += g->badge_h + U(p, 0.8);
        }
        ty = y + pad;
        if (emit) {
            page_line(p, when, (Rect){ g->area.x + pad, ty, g->time_w - pad, g->lh_t }, g->ts, 1,
                      tc, FLOW_LEFT);
        }
    }
    int used;
    page_text(p, e->title, (Rect){ x, ty, w, g->lh_t * 3 }, g->ts, p->min_size, 1,
              st == SLOT_NOW ? c->color_primary : tc, FLOW_LEFT, 0, &used);
    y = ty + used;
    char meta[512];
    const char *place = e->place ? e->place : NULL;
    if (place || e->description) {
        utf8_format_cut(meta, sizeof meta, "%s%s%s", place ? place : "",
                        place && e->description ? " \xc2\xb7 " : "",
                        e->description ? e->description : "");
        page_text(p, meta, (Rect){ x, y, w, g->lh_m * 4 }, g->ms, g->ms, 0, mc, FLOW_LEFT, 0,
                  &used);
        y += used;
    }
    int h = y - top + pad;
    if (st == SLOT_NOW && emit) {
        /* the running event stands out: a bar in the theme colour */
        page_rect(p, (Rect){ g->area.x - U(p, 1.6), top, U(p, 0.7) > 2 ? U(p, 0.7) : 2, h },
                  c->color_primary);
    }
    if (!emit) {
        drawlist_free(&scratch);
        p->dl = saved;
    }
    return h;
}

static void set_sizes(Page *p, Geometry *g, int ts)
{
    g->ts = ts > p->min_size ? ts : p->min_size;
    g->ms = g->ts * 70 / 100 > p->min_size ? g->ts * 70 / 100 : p->min_size;
    g->lh_t = line_h(p, g->ts, 1);
    g->lh_m = line_h(p, g->ms, 0);
    g->badge_h = g->lh_m * 110 / 100;
    g->gap = U(p, 3);
    const char *widest = "00:00\xe2\x80\x93" "00:00";
    int tw = p->tm->width(p->tm->ctx, widest, strlen(widest), g->ts, 1);
    const char *ad = ui_str(UI_ALL_DAY);
    int aw = p->tm->width(p->tm->ctx, ad, strlen(ad), g->ts, 1);
    g->time_w = (aw > tw ? aw : tw) + U(p, 1);
}

/* Pages rows [first, *last) into pages of area_h: page_of[i] and, measured where not yet
 * (height[i] < 0), height[i]. Past MAX_PAGES the rest is left for "… und N weitere":
 * *last becomes the first row left out. *focus gets the page of the first event not
 * past. Returns the number of pages. */
static int paginate(Page *p, const Geometry *g, const ScheduleDay *day, int first, int *last,
                    int area_h, int row_gap, int *height, int *page_of, int *focus)
{
    int pages = 1, y = 0, found = 0;
    *focus = 0;
    for (int i = first; i < *last; i++) {
        if (height[i] < 0) {
            height[i] = row(p, g, day, i, 0, 0);
        }
        if (y > 0 && y + height[i] > area_h) {
            if (pages == MAX_PAGES) {
                *last = i; /* the rest is counted, not shown */
                break;
            }
            pages++;
            y = 0;
        }
        page_of[i] = pages - 1;
        y += height[i] + row_gap;
        if (!found && day->state[i] != SLOT_PAST && day->state[i] != SLOT_ALLDAY) {
            *focus = page_of[i];
            found = 1;
        }
    }
    return pages;
}

void page_schedule(Page *p)
{
    const Model *m = p->m;
    const Campaign *c = &m->campaign;
    int pad = U(p, 5);
    Rect foot;
    int band_h = page_frame(p, &foot);
    ScheduleDay day;
    if (p->env->untrusted) {
        /* the clock cannot be believed: the programme by date from the floor (a time surely
         * past) on, with no "Jetzt", "Als Nächstes" or countdown */
        schedule_day(m->events, m->n_events, p->env->floor_ms, &day);
        for (int i = 0; i < day.n; i++) {
            if (day.state[i] == SLOT_NOW || day.state[i] == SLOT_NEXT) {
                day.state[i] = SLOT_LATER;
            }
        }
        day.next = -1;
        day.next_change = 0;
    } else {
        schedule_day(m->events, m->n_events, p->env->now_ms, &day);
    }

    char date[96];
    ui_format_date(day.day_start, date, sizeof date);
    int split = p->portrait ? p->w * 42 / 100 : p->w * 45 / 100;
    page_line(p, ui_str(UI_SCHEDULE_TITLE), (Rect){ pad, U(p, 1.5), split - pad, band_h - U(p, 3) },
              U(p, 7), 1, WHITE, FLOW_LEFT);
    /* the date in the title band reads as today's: it stands there only when it is
     * today's; another day's date goes into the line above its programme */
    int today = day.kind == DAY_TODAY && !p->env->untrusted;
    if (today) {
        page_line(p, date, (Rect){ split, U(p, 1.5), p->w - pad - split, band_h - U(p, 3) },
                  U(p, 4.5), 0, WHITE, FLOW_RIGHT);
    }
    int top = band_h + U(p, 4), bottom = foot.y - U(p, 3);
    Geometry g;
    g.area = (Rect){ pad + U(p, 2), top, p->w - 2 * pad - U(p, 2), bottom - top };
    g.stacked = p->portrait;
    set_sizes(p, &g, U(p, p->portrait ? 6 : 5.2));
    if (day.kind == DAY_NONE) {
        page_text(p, ui_str(UI_NO_MORE_EVENTS), g.area, U(p, 8), p->min_size, 1, c->color_accent,
                  FLOW_CENTER, 1, NULL);
        schedule_day_free(&day);
        return;
    }
    if (!today) {
        /* "Heute keine Termine" is a claim about today: not made while the clock is not set */
        char head[256];
        if (day.kind == DAY_PAST || (day.kind == DAY_NEXT && !p->env->untrusted)) {
            utf8_format_cut(head, sizeof head, "%s %s",
                            ui_str(day.kind == DAY_NEXT ? UI_TODAY_NONE : UI_PAST_PROGRAMME),
                            date);
        } else {
            utf8_format_cut(head, sizeof head, ui_str(UI_PROGRAMME_OF), date);
        }
        int lh = line_h(p, g.ms, 1);
        page_line(p, head, (Rect){ g.area.x, g.area.y, g.area.w, lh }, U(p, 3.4), 1,
                  day.kind == DAY_PAST ? c->color_accent : c->color_primary, FLOW_LEFT);
        g.area.y += lh + U(p, 2.5);
        g.area.h -= lh + U(p, 2.5);
    }

    /* the largest type at which the whole day fits; at the minimum it pages */
    int row_gap = U(p, 3);
    for (int ts = g.ts; ts > p->min_size;) {
        int total = 0;
        for (int i = 0; i < day.n && total <= g.area.h; i++) {
            total += row(p, &g, &day, i, 0, 0) + row_gap;
        }
        if (total - row_gap <= g.area.h) {
            break;
        }
        ts = ts * 92 / 100 > p->min_size ? ts * 92 / 100 : p->min_size;
        set_sizes(p, &g, ts);
    }
    /* the rows shown: all of them when they fit on MAX_PAGES pages; otherwise MAX_PAGES
     * pages of them from the current event on, and "… und N weitere" (recorded for
     * staff). The first page shown is the one with the current events. */
    int now_row = 0;
    while (now_row < day.n &&
           (day.state[now_row] == SLOT_PAST || day.state[now_row] == SLOT_ALLDAY)) {
        now_row++;
    }
    /* never more rows than MAX_PAGES pages could hold at the smallest type: the work
     * stays bounded by the screen */
    int max_rows = MAX_PAGES * (g.area.h / (line_h(p, p->min_size, 1) + row_gap) + 1);
    int *page_of = malloc(sizeof *page_of * (size_t)(day.n > 0 ? day.n : 1));
    int *height = malloc(sizeof *height * (size_t)(day.n > 0 ? day.n : 1));
    if (!page_of || !height) {
        abort();
    }
    for (int i = 0; i < day.n; i++) {
        height[i] = -1;
    }
    int first = 0, last = 0, focus = 0, pages = 0;
    int label_h = line_h(p, g.ms, 0) + U(p, 1);
    /* when the rows need a second page (or leave some out), the page label takes a line
     * of its own below them: then the rows are paged again into the smaller area */
    for (int pass = 0; pass < 2; pass++) {
        first = day.n > max_rows && now_row > day.n - max_rows ? day.n - max_rows : 0;
        last = first + max_rows < day.n ? first + max_rows : day.n;
        pages = paginate(p, &g, &day, first, &last, g.area.h, row_gap, height, page_of, &focus);
        if (last < day.n && now_row >= last) { /* the current events lie beyond: start there */
            first = now_row;
            last = first + max_rows < day.n ? first + max_rows : day.n;
            pages = paginate(p, &g, &day, first, &last, g.area.h, row_gap, height, page_of,
                             &focus);
        }
        if (pass == 1 || (pages == 1 && first == 0 && last == day.n)) {
            break;
        }
        g.area.h -= label_h;
    }
    int page = (int)((focus + p->env->page_ms / PAGE_MS) % pages);
    int y = g.area.y;
    for (int i = first; i < last; i++) {
        if (page_of[i] != page) {
            continue;
        }
        if (y + height[i] > g.area.y + g.area.h) {
            /* a single row taller than the page: left out, never overflowing; said */
            drawlist_overflow(p->dl, "schedule", m->events[day.slots[i].event].title, 0, 1,
                              (Rect){ g.area.x, y, g.area.w, g.area.y + g.area.h - y });
            break;
        }
        row(p, &g, &day, i, y, 1);
        y += height[i] + row_gap;
    }
    if (pages > 1 || last < day.n) {
        char buf[128] = "";
        if (pages > 1) {
            snprintf(buf, sizeof buf, ui_str(UI_PAGE_OF), page + 1, pages);
        }
        if (last < day.n) {
            char num[32], more[64];
            ui_format_count(day.n - last, num, sizeof num);
            snprintf(more, sizeof more, ui_str(UI_MORE_SITES), num);
            size_t l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, "%s%s", l ? " \xc2\xb7 " : "", more);
        }
        int lh = line_h(p, g.ms, 0);
        page_line(p, buf, (Rect){ g.area.x, bottom - lh, g.area.w, lh }, g.ms, 0, c->color_accent,
                  FLOW_RIGHT); /* below the rows: their area was made smaller for it */
        if (pages > 1) {
            p->dl->valid_ms = PAGE_MS - p->env->page_ms % PAGE_MS;
            p->dl->panel_pages = pages; /* the page stays until each has been shown */
            p->dl->panel_ms = PAGE_MS;
        }
    }
    if (first > 0 || last < day.n) { /* staff learn which rows were left out */
        const Event *e = &m->events[day.slots[last < day.n ? last : 0].event];
        drawlist_overflow(p->dl, "schedule", e->title, last - first, day.n, g.area);
    }
    /* an event starting or ending between minute marks changes the picture too */
    if (day.next_change > 0) {
        int64_t until = day.next_change - p->env->now_ms;
        if (until > 0 && until < 60000 && (p->dl->valid_ms == 0 || until < p->dl->valid_ms)) {
            p->dl->valid_ms = until;
        }
    }
    free(page_of);
    free(height);
    schedule_day_free(&day);
}
