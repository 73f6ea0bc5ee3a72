/* poster_page: a poster is a page of its own. The page turns through the valid posters
 * as panel pages (like the schedule's long list), so the rotation needs no other
 * notion of pages; the picture is contained in the screen above a caption band, on
 * the theme background; RTL pages mirror the caption like any text. */
#define _POSIX_C_SOURCE 200809L
#include "pages/poster_page.h"

#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The local start of day + days, or 0 when day is not one. */
static int64_t day_start(const char *day, int days)
{
    char d[16];
    int64_t t = 0;
    if (clock_date_add(day, days, d, sizeof d) != 0 || clock_parse_iso(d, &t) != 0) {
        return 0;
    }
    return t;
}

int poster_valid(const Model *m, int64_t now_ms, int untrusted, int64_t floor_ms, int *idx,
                 int max)
{
    int n = 0;
    for (int i = 0; m && i < m->n_posters && n < max; i++) {
        const Poster *ps = &m->posters[i];
        int64_t now = untrusted ? floor_ms : now_ms;
        if (ps->valid_until[0] && now >= day_start(ps->valid_until, 1)) {
            continue;
        }
        if (!untrusted && ps->valid_from[0] && now_ms < day_start(ps->valid_from, 0)) {
            continue;
        }
        idx[n++] = i;
    }
    return n;
}

/* "YYYY-MM-DD" of the local day at ms. */
static void local_day(int64_t ms, char *out, size_t len)
{
    struct tm t;
    clock_local(ms, &t);
    if (strftime(out, len, "%Y-%m-%d", &t) == 0) {
        snprintf(out, len, "?");
    }
}

int poster_left_out(const Model *m, int64_t now_ms, int untrusted, int64_t floor_ms, char *why,
                    size_t len)
{
    int idx[1];
    why[0] = '\0';
    if (!m || poster_valid(m, now_ms, untrusted, floor_ms, idx, 1) > 0) {
        return 0;
    }
    if (m->n_posters == 0) {
        snprintf(why, len, "poster page left out: the content has no posters; put the posters "
                 "(PNG, JPEG, WebP or PDF) into the posters/ folder of the content and build it "
                 "again, or take 'posters' out of the pages setting");
        return 1;
    }
    char day[16];
    if (untrusted) { /* only the floor, a time surely past, has ended them */
        local_day(floor_ms, day, sizeof day);
        snprintf(why, len, "poster page left out: %s %d poster%s in posters.csv ended before "
                 "%s, a day known to be past (the clock is not trusted); check the valid_until "
                 "(gültig_bis) column, or the clock", m->n_posters == 1 ? "the" : "all",
                 m->n_posters, m->n_posters == 1 ? "" : "s", day);
        return 1;
    }
    local_day(now_ms, day, sizeof day);
    int ended = 0;
    for (int i = 0; i < m->n_posters; i++) {
        const Poster *ps = &m->posters[i];
        ended += ps->valid_until[0] && now_ms >= day_start(ps->valid_until, 1);
    }
    int later = m->n_posters - ended;
    if (m->n_posters == 1) {
        const Poster *ps = &m->posters[0];
        const Picture *pic = model_picture(m, ps->picture);
        snprintf(why, len, "poster page left out: its one poster%s%s%s is not valid on %s (%s "
                 "%s); check the valid_from/valid_until (gültig_ab/gültig_bis) columns of "
                 "posters.csv",
                 pic && pic->name ? " (" : "", pic && pic->name ? pic->name : "",
                 pic && pic->name ? ")" : "", day, ended ? "it ended on" : "it starts on",
                 ended ? ps->valid_until : ps->valid_from);
    } else {
        snprintf(why, len, "poster page left out: none of the %d posters in posters.csv is "
                 "valid on %s (%d ended, %d start%s later); check the valid_from/valid_until "
                 "(gültig_ab/gültig_bis) columns", m->n_posters, day, ended, later,
                 later == 1 ? "s" : "");
    }
    return 1;
}

void page_posters(Page *p)
{
    const Model *m = p->m;
    const Campaign *c = &m->campaign;
    p->dl->background = c->color_background;
    int idx[256];
    int n = poster_valid(m, p->env->now_ms, p->env->untrusted, p->env->floor_ms, idx, 256);
    if (n == 0) {
        return; /* the kiosk does not choose this page then; a screenshot shows it empty */
    }
    int k = (int)((p->env->page_ms / POSTER_MS) % n);
    if (n > 1) {
        p->dl->valid_ms = POSTER_MS - p->env->page_ms % POSTER_MS;
        p->dl->panel_pages = n;
        p->dl->panel_ms = POSTER_MS;
    }
    const Poster *ps = &m->posters[idx[k]];
    int pad = U(p, 2);
    Rect box = { pad, pad, p->w - 2 * pad, p->h - 2 * pad };
    if (ps->caption) {
        int cap_h = p->portrait ? U(p, 14) : U(p, 11);
        Rect cap = { U(p, 5), p->h - cap_h, p->w - 2 * U(p, 5), cap_h - U(p, 1) };
        box.h -= cap_h;
        page_text(p, ps->caption, cap, U(p, 5), p->min_size, 0, c->color_text, FLOW_CENTER, 1,
                  NULL);
    }
    page_picture_alt(p, ps->picture, box, FLOW_CENTER, ps->caption); /* in the page's language */
}
