/* layout_map: the map page. The map is fitted into its area by a conformal
 * projection; sites become markers, or clusters where their markers would crowd;
 * labels are placed greedily in priority order (the kiosk's own site first) and
 * dropped rather than allowed to overlap. A side panel (below the map in portrait)
 * holds the legend and the list of sites, paged on a timer when it does not fit. */
#define _POSIX_C_SOURCE 200809L
#include "pages/map_page.h"
#include "pages/map.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL_PAGE_MS 8000
#define PANEL_MAX_PAGES 5
/* clusters of up to this many sites are labelled with their cities' names */
#define CLUSTER_NAMED 3

/* Mixes colour a with white: k = 0 gives white, 1 gives a. */
static uint32_t tint(uint32_t a, double k)
{
    uint32_t out = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        double v = ((a >> sh) & 255) * k + 255 * (1 - k);
        out |= (uint32_t)(v + 0.5) << sh;
    }
    return out;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) {
        abort();
    }
    return d;
}

static int text_w(const Page *p, const char *s, int size, int bold)
{
    return p->tm->width(p->tm->ctx, s, strlen(s), size, bold);
}

static int line_h(const Page *p, int size, int bold)
{
    return p->tm->line_height(p->tm->ctx, size, bold);
}

/* The map's land shapes, projected into the area. */
static void emit_shape(Page *p, const Projection *proj, const MapFit *fit, Rect area)
{
    const MapGeo *g = &p->m->map;
    const Campaign *c = &p->m->campaign;
    Shape *sh = calloc(1, sizeof *sh);
    int total = 0;
    for (int i = 0; i < g->n_rings; i++) {
        total += g->rings[i].n;
    }
    sh->xy = malloc(sizeof(float) * 2 * (size_t)(total > 0 ? total : 1));
    sh->ring_len = malloc(sizeof(int) * (size_t)(g->n_rings > 0 ? g->n_rings : 1));
    if (!sh || !sh->xy || !sh->ring_len) {
        abort();
    }
    int k = 0;
    for (int pass = 1; pass >= 0; pass--) { /* focus rings first */
        for (int i = 0; i < g->n_rings; i++) {
            const MapRing *r = &g->rings[i];
            if (r->focus != pass) {
                continue;
            }
            /* simplified to the screen: a point within half a pixel of the one kept
             * before it changes no pixel, so the rasteriser never sees it */
            int k0 = k;
            for (int j = 0; j < r->n; j++) {
                double x, y, sx, sy;
                map_project(proj, r->lonlat[2 * j + 1], r->lonlat[2 * j], &x, &y);
                map_to_screen(fit, x, y, &sx, &sy);
                float fx = (float)(sx - area.x), fy = (float)(sy - area.y);
                if (k > k0 && fabsf(fx - sh->xy[2 * k - 2]) < 0.5f &&
                    fabsf(fy - sh->xy[2 * k - 1]) < 0.5f) {
                    continue;
                }
                sh->xy[2 * k] = fx;
                sh->xy[2 * k + 1] = fy;
                k++;
            }
            if (k - k0 < 3) { /* smaller than a pixel on this screen */
                k = k0;
                continue;
            }
            sh->ring_len[sh->n_rings++] = k - k0;
            sh->n_focus += pass;
        }
    }
    sh->focus_fill = tint(c->color_primary, 0.09);
    sh->focus_line = tint(c->color_accent, 0.55);
    sh->context_fill = 0xEEEBE8u;
    sh->context_line = WHITE;
    sh->focus_width = (float)(p->u * 0.28 > 1.2 ? p->u * 0.28 : 1.2);
    sh->context_width = (float)(p->u * 0.18 > 1 ? p->u * 0.18 : 1);
    DrawItem *it = drawlist_add(p->dl, ITEM_MAP, area, c->color_background);
    char key[160];
    snprintf(key, sizeof key, "map:%lld:%s:%dx%d:%d:%d", (long long)p->m->content_version,
             p->m->created, area.w, area.h, total, g->n_rings);
    it->text = xstrdup(key);
    it->shape = sh;
}

typedef struct {
    int idx;
    double dist; /* km from the own site, or -1 */
} SiteOrder;

static const Site *order_sites;

static int cmp_order(const void *a, const void *b)
{
    const SiteOrder *x = a, *y = b;
    if (x->dist >= 0 && x->dist != y->dist) {
        return x->dist < y->dist ? -1 : 1;
    }
    int c = strcmp(order_sites[x->idx].name, order_sites[y->idx].name);
    return c ? c : x->idx - y->idx;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_symbol(Page *p, Rect r, const char *which, uint32_t color)
{
    DrawItem *it = drawlist_add(p->dl, ITEM_IMAGE, r, color);
    char src[32];
    snprintf(src, sizeof src, "symbol:%s", which);
    it->text = xstrdup(src);
}

typedef struct {
    const char *symbol; /* NULL: a text line without symbol */
    char text[160];
    int bold;
    uint32_t color, symbol_color;
} LegendRow;

/* Legend at the top of the panel, in `cols` columns; returns the height used. */
static int legend(Page *p, Rect box, int size, int own, int clusters, int cols)
{
    const Model *m = p->m;
    const Campaign *c = &m->campaign;
    LegendRow rows[8];
    int nrow = 0;
    /* sites per kind, the largest groups first (at most three rows) */
    const char *kinds[3] = { NULL, NULL, NULL };
    int counts[3] = { 0, 0, 0 };
    const char **all = malloc(sizeof *all * (size_t)(m->n_sites > 0 ? m->n_sites : 1));
    if (!all) {
        abort();
    }
    for (int i = 0; i < m->n_sites; i++) {
        all[i] = m->sites[i].kind;
    }
    qsort(all, (size_t)m->n_sites, sizeof *all, cmp_str);
    for (int i = 0; i < m->n_sites;) {
        int j = i;
        while (j < m->n_sites && strcmp(all[j], all[i]) == 0) {
            j++;
        }
        for (int q = 0; q < 3; q++) { /* insert into the top three */
            if (j - i > counts[q]) {
                for (int z = 2; z > q; z--) {
                    kinds[z] = kinds[z - 1];
                    counts[z] = counts[z - 1];
                }
                kinds[q] = all[i];
                counts[q] = j - i;
                break;
            }
        }
        i = j;
    }
    for (int q = 0; q < 3 && kinds[q]; q++) {
        LegendRow *r = &rows[nrow++];
        *r = (LegendRow){ "marker", "", 1, c->color_text, c->color_primary };
        char num[32];
        ui_format_count(counts[q], num, sizeof num);
        if (counts[q] == 1) {
            utf8_format_cut(r->text, sizeof r->text, ui_str(UI_SITES_AT_ONE), kinds[q]);
        } else {
            utf8_format_cut(r->text, sizeof r->text, ui_str(UI_SITES_AT), kinds[q], num);
        }
    }
    free(all);
    if (clusters) {
        rows[nrow] = (LegendRow){ "cluster", "", 0, c->color_text, c->color_primary };
        snprintf(rows[nrow++].text, sizeof rows[0].text, "%s", ui_str(UI_CLUSTER_HINT));
    }
    if (own) {
        rows[nrow] = (LegendRow){ "own", "", 0, c->color_text, c->color_text };
        snprintf(rows[nrow++].text, sizeof rows[0].text, "%s", ui_str(UI_YOU_ARE_HERE));
    }
    if (c->map_note) {
        rows[nrow] = (LegendRow){ NULL, "", 1, c->color_primary, 0 };
        utf8_copy_cut(rows[nrow++].text, sizeof rows[0].text, c->map_note);
    }
    int lh = line_h(p, size, 0);
    int step = lh * 125 / 100, sym = lh * 55 / 100;
    /* the cluster's symbol is drawn like the map's pills: a "2" in white on the pill */
    int ph = line_h(p, p->min_size, 1) * 105 / 100;
    int pw = text_w(p, "2", p->min_size, 1) + ph * 6 / 10;
    pw = pw > ph ? pw : ph;
    if (clusters && pw > sym) {
        sym = pw;
    }
    int per_col = (nrow + cols - 1) / cols;
    int gap = U(p, 3);
    int cw = (box.w - gap * (cols - 1)) / cols;
    for (int i = 0; i < nrow; i++) {
        const LegendRow *r = &rows[i];
        int x = box.x + (i / per_col) * (cw + gap), y = box.y + (i % per_col) * step;
        int tx = x;
        if (r->symbol && !strcmp(r->symbol, "cluster")) {
            Rect pill = { x + (sym - pw) / 2, y + (lh - ph) / 2, pw, ph };
            add_symbol(p, pill, "cluster", r->symbol_color);
            int tw = text_w(p, "2", p->min_size, 1);
            DrawItem *t = drawlist_add(p->dl, ITEM_TEXT,
                                       (Rect){ pill.x + (pw - tw) / 2, pill.y, tw, ph }, WHITE);
            t->text = xstrdup("2");
            t->size = p->min_size;
            t->bold = 1;
            t->align = ALIGN_CENTER;
            tx = x + sym + U(p, 2);
        } else if (r->symbol) {
            int d = !strcmp(r->symbol, "marker") ? lh * 55 / 100 * 8 / 10 : lh * 55 / 100;
            add_symbol(p, (Rect){ x + (sym - d) / 2, y + (lh - d) / 2, d, d }, r->symbol,
                       r->symbol_color);
            tx = x + sym + U(p, 2);
        }
        page_line(p, r->text, (Rect){ tx, y, x + cw - tx, lh }, size, r->bold, r->color,
                  FLOW_LEFT);
    }
    return per_col * step;
}

/* The list of sites, paged every PANEL_PAGE_MS when it does not fit. */
static void site_list(Page *p, Rect box, int size, const SiteOrder *order, int n)
{
    const Model *m = p->m;
    const Campaign *c = &m->campaign;
    int lh = line_h(p, size, 1);
    char buf[512];
    if (n == 0) {
        page_line(p, ui_str(UI_NO_SITES), (Rect){ box.x, box.y, box.w, lh }, size, 0,
                  c->color_accent, FLOW_LEFT);
        return;
    }
    int row = lh * 2 + lh / 3;
    int rows = (box.h - lh - lh / 2) / row;
    if (rows < 1) {
        return;
    }
    int pages = (n + rows - 1) / rows;
    int more = 0;
    if (pages > PANEL_MAX_PAGES) {
        pages = PANEL_MAX_PAGES;
        more = n - (pages * rows - 1);
    }
    int page = (int)((p->env->page_ms / PANEL_PAGE_MS) % pages);
    if (pages > 1) {
        p->dl->valid_ms = PANEL_PAGE_MS - p->env->page_ms % PANEL_PAGE_MS;
        p->dl->panel_pages = pages; /* the page stays until each has been shown */
        p->dl->panel_ms = PANEL_PAGE_MS;
    }
    if (more > 0) {
        const Site *first = &m->sites[order[pages * rows - 1].idx];
        drawlist_overflow(p->dl, "site list", first->name, pages * rows - 1, n, box);
    }
    /* header: count and page */
    Rect head = { box.x, box.y, box.w * 55 / 100, lh };
    char num[32];
    ui_format_count(n, num, sizeof num);
    snprintf(buf, sizeof buf, ui_str(UI_SITE_LIST), num);
    page_line(p, buf, head, size, 1, c->color_text, FLOW_LEFT);
    if (pages > 1) {
        snprintf(buf, sizeof buf, ui_str(UI_PAGE_OF), page + 1, pages);
        page_line(p, buf, (Rect){ head.x + head.w, box.y, box.w - head.w, lh }, size, 0,
                  c->color_accent, FLOW_RIGHT);
    }
    int y = box.y + lh + lh / 2;
    page_rect(p, (Rect){ box.x, y - lh / 4 - 1, box.w, U(p, 0.25) > 1 ? U(p, 0.25) : 1 },
              FOOTER_BG);
    for (int r = 0; r < rows; r++) {
        int i = page * rows + r;
        if (i >= n) {
            break;
        }
        if (more > 0 && page == pages - 1 && r == rows - 1) {
            ui_format_count(more, num, sizeof num);
            snprintf(buf, sizeof buf, ui_str(UI_MORE_SITES), num);
            page_line(p, buf, (Rect){ box.x, y, box.w, lh }, size, 0, c->color_accent,
                      FLOW_LEFT);
            break;
        }
        const Site *s = &m->sites[order[i].idx];
        page_line(p, s->name, (Rect){ box.x, y, box.w, lh }, size, 1, c->color_text, FLOW_LEFT);
        if (order[i].dist >= 0) {
            utf8_format_cut(buf, sizeof buf, "%s \xc2\xb7 %s \xc2\xb7 %.0f km", s->city,
                            s->organisation, order[i].dist);
        } else {
            utf8_format_cut(buf, sizeof buf, "%s \xc2\xb7 %s", s->city, s->organisation);
        }
        page_line(p, buf, (Rect){ box.x, y + lh, box.w, lh }, size, 0, c->color_accent,
                  FLOW_LEFT);
        y += row;
    }
}

/* 1 when item is one of the entries of the ", "-separated list. */
static int list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p; p = strstr(p, ", ")) {
        p += p == list ? 0 : 2;
        if (strncmp(p, item, n) == 0 && (p[n] == '\0' || strncmp(p + n, ", ", 2) == 0)) {
            return 1;
        }
    }
    return 0;
}

static int digits(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Markers, clusters and labels over the map. */
static int sites_on_map(Page *p, const Projection *proj, const MapFit *fit, Rect area, int own,
                        const SiteOrder *order)
{
    const Model *m = p->m;
    const Campaign *c = &m->campaign;
    int n = m->n_sites;
    float *xy = malloc(sizeof(float) * 2 * (size_t)(n > 0 ? n : 1));
    int *cluster_of = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    if (!xy || !cluster_of) {
        abort();
    }
    for (int i = 0; i < n; i++) {
        double x, y, sx, sy;
        map_project(proj, m->sites[i].lat, m->sites[i].lon, &x, &y);
        map_to_screen(fit, x, y, &sx, &sy);
        /* sites are checked against the region at build time; keep them on the map
         * even if the region's outline is tighter than the check's margin */
        sx = sx < area.x ? area.x : sx > area.x + area.w - 1 ? area.x + area.w - 1 : sx;
        sy = sy < area.y ? area.y : sy > area.y + area.h - 1 ? area.y + area.h - 1 : sy;
        xy[2 * i] = (float)sx;
        xy[2 * i + 1] = (float)sy;
    }
    int cs = p->min_size;
    int ch = line_h(p, cs, 1) * 105 / 100;
    char probe[16];
    memset(probe, '9', sizeof probe);
    probe[digits(n)] = '\0';
    int widest = text_w(p, probe, cs, 1) + ch * 6 / 10;
    widest = widest > ch ? widest : ch;
    float radius = (float)(widest + U(p, 0.6));
    float rm = (float)(U(p, 0.75) > 3 ? U(p, 0.75) : 3);
    MapCluster *cl;
    int nc = map_cluster(xy, n, radius, own, &cl, cluster_of);

    /* obstacles: every marker and pill (the own marker last, drawn on top) */
    Rect *obst = malloc(sizeof *obst * (size_t)(nc + 1));
    if (!obst) {
        abort();
    }
    int has_clusters = 0;
    for (int i = 0; i < nc; i++) {
        if (cl[i].count == 1) {
            obst[i] = (Rect){ (int)lroundf(cl[i].x - rm), (int)lroundf(cl[i].y - rm),
                              (int)(2 * rm), (int)(2 * rm) };
            drawlist_add(p->dl, ITEM_MARKER, obst[i], c->color_primary);
        } else {
            char num[16];
            snprintf(num, sizeof num, "%d", cl[i].count);
            int pw = text_w(p, num, cs, 1) + ch * 6 / 10;
            pw = pw > ch ? pw : ch;
            obst[i] = (Rect){ (int)lroundf(cl[i].x) - pw / 2, (int)lroundf(cl[i].y) - ch / 2, pw,
                              ch };
            /* pills at the map's edge move inside it */
            if (obst[i].x < area.x) obst[i].x = area.x;
            if (obst[i].y < area.y) obst[i].y = area.y;
            if (obst[i].x + pw > area.x + area.w) obst[i].x = area.x + area.w - pw;
            if (obst[i].y + ch > area.y + area.h) obst[i].y = area.y + area.h - ch;
            DrawItem *it = drawlist_add(p->dl, ITEM_CLUSTER, obst[i], c->color_primary);
            it->text = xstrdup(num);
            it->size = cs;
            it->bold = 1;
            has_clusters = 1;
        }
    }
    int n_obst = nc;
    float ro = rm * 1.6f;
    if (own >= 0) {
        obst[n_obst++] = (Rect){ (int)lroundf(xy[2 * own] - ro), (int)lroundf(xy[2 * own + 1] - ro),
                                 (int)(2 * ro), (int)(2 * ro) };
        DrawItem *it = drawlist_add(p->dl, ITEM_MARKER, obst[n_obst - 1], c->color_text);
        it->text = xstrdup("own");
    }

    /* labels: the own site first, then small clusters (the names of their cities, so that
     * sites close together are still named on the map), then single markers in the
     * panel's order */
    int ls = p->min_size;
    int lh = line_h(p, ls, 0);
    int halo = U(p, 0.5) > 2 ? U(p, 0.5) : 2;
    LabelRequest *req = malloc(sizeof *req * (size_t)(n + nc + 1));
    const char **texts = malloc(sizeof *texts * (size_t)(n + nc + 1));
    int *bold = malloc(sizeof *bold * (size_t)(n + nc + 1));
    Rect *placed = malloc(sizeof *placed * (size_t)(n + nc + 1));
    if (!req || !texts || !bold || !placed) {
        abort();
    }
    int nr = 0;
    if (own >= 0) {
        texts[nr] = ui_str(UI_YOU_ARE_HERE);
        bold[nr] = 1;
        req[nr++] = (LabelRequest){ xy[2 * own], xy[2 * own + 1], ro,
                                    text_w(p, texts[0], ls, 1) + 2 * halo, lh };
    }
    char **names = calloc((size_t)(nc > 0 ? nc : 1), sizeof *names);
    if (!names) {
        abort();
    }
    for (int k = 0; k < n; k++) { /* distinct cities per small cluster, in the panel's order */
        int i = order[k].idx, ci = cluster_of[i];
        if (i == own || ci < 0 || cl[ci].count < 2 || cl[ci].count > CLUSTER_NAMED) {
            continue;
        }
        const char *city = m->sites[i].city;
        if (names[ci] && list_has(names[ci], city)) {
            continue;
        }
        size_t la = names[ci] ? strlen(names[ci]) : 0, lb = strlen(city);
        char *joined = malloc(la + lb + 3);
        if (!joined) {
            abort();
        }
        snprintf(joined, la + lb + 3, "%s%s%s", names[ci] ? names[ci] : "", la ? ", " : "", city);
        free(names[ci]);
        names[ci] = joined;
    }
    for (int ci = 0; ci < nc; ci++) {
        if (!names[ci]) {
            continue;
        }
        Rect pill = obst[ci];
        texts[nr] = names[ci];
        bold[nr] = 0;
        req[nr++] = (LabelRequest){ pill.x + pill.w / 2.0f, pill.y + pill.h / 2.0f,
                                    (pill.w > pill.h ? pill.w : pill.h) / 2.0f + 1,
                                    text_w(p, names[ci], ls, 0) + 2 * halo, lh };
    }
    for (int k = 0; k < n; k++) {
        int i = order[k].idx;
        if (i == own || cluster_of[i] < 0 || cl[cluster_of[i]].count != 1) {
            continue;
        }
        texts[nr] = m->sites[i].city;
        bold[nr] = 0;
        req[nr++] = (LabelRequest){ xy[2 * i], xy[2 * i + 1], rm,
                                    text_w(p, m->sites[i].city, ls, 0) + 2 * halo, lh };
    }
    map_place_labels(req, nr, obst, n_obst, area, placed);
    for (int i = 0; i < nr; i++) {
        if (placed[i].w == 0) {
            continue;
        }
        DrawItem *it = drawlist_add(p->dl, ITEM_LABEL, placed[i], c->color_text);
        it->text = xstrdup(texts[i]);
        it->size = ls;
        it->bold = bold[i];
        it->align = ALIGN_CENTER; /* the renderer centres a label in its halo */
    }
    for (int ci = 0; ci < nc; ci++) {
        free(names[ci]);
    }
    free(names);
    free(req);
    free(texts);
    free(bold);
    free(placed);
    free(obst);
    free(cl);
    free(xy);
    free(cluster_of);
    return has_clusters;
}

void page_map(Page *p)
{
    const Model *m = p->m;
    const Campaign *c = &m->campaign;
    int pad = U(p, 5);
    Rect foot;
    int band_h = page_frame(p, &foot);

    /* the title, with a badge while the sites are example data */
    int demo = 0;
    for (int i = 0; i < m->n_sites && !demo; i++) {
        demo = m->sites[i].demo;
    }
    int badge_w = 0;
    if (demo) {
        int bs = U(p, 3.4) > p->min_size ? U(p, 3.4) : p->min_size;
        int bh = line_h(p, bs, 1) * 115 / 100;
        badge_w = text_w(p, ui_str(UI_DEMO_DATA), bs, 1) + bh;
        Rect badge = { p->w - pad - badge_w, (band_h - bh) / 2, badge_w, bh };
        page_rect(p, badge, WHITE);
        page_line(p, ui_str(UI_DEMO_DATA), badge, bs, 1, c->color_primary, FLOW_CENTER);
    }
    page_line(p, c->map_title ? c->map_title : ui_str(UI_MAP_TITLE),
              (Rect){ pad, U(p, 1.5), p->w - 2 * pad - badge_w - U(p, 3), band_h - U(p, 3) },
              U(p, 7), 1, WHITE, FLOW_LEFT);
    int top = band_h + U(p, 3), bottom = foot.y - U(p, 3);
    Rect area, panel;
    if (!p->portrait) {
        int split = p->w * 58 / 100;
        area = (Rect){ pad, top, split - pad, bottom - top };
        panel = (Rect){ split + U(p, 4), top, p->w - pad - split - U(p, 4), bottom - top };
    } else {
        area = (Rect){ pad, top, p->w - 2 * pad, (bottom - top) * 60 / 100 };
        panel = (Rect){ pad, area.y + area.h + U(p, 3), p->w - 2 * pad, 0 };
        panel.h = bottom - panel.y;
    }

    Projection proj;
    MapFit fit;
    map_projection(&m->map, &proj);
    map_fit(&proj, &m->map, area, &fit);
    emit_shape(p, &proj, &fit, area);

    /* the own site and the order of the list */
    int own = -1;
    const char *sid = p->env->site_id;
    for (int i = 0; sid && *sid && i < m->n_sites; i++) {
        if (strcmp(m->sites[i].id, sid) == 0) {
            own = i;
        }
    }
    SiteOrder *order = malloc(sizeof *order * (size_t)(m->n_sites > 0 ? m->n_sites : 1));
    if (!order) {
        abort();
    }
    for (int i = 0; i < m->n_sites; i++) {
        order[i].idx = i;
        order[i].dist = own < 0 ? -1
                                : map_distance_km(m->sites[own].lat, m->sites[own].lon,
                                                  m->sites[i].lat, m->sites[i].lon);
    }
    order_sites = m->sites;
    qsort(order, (size_t)m->n_sites, sizeof *order, cmp_order);

    int clusters = sites_on_map(p, &proj, &fit, area, own, order);
    int size = U(p, 2.9) > p->min_size ? U(p, 2.9) : p->min_size;
    int used = legend(p, panel, size, own >= 0, clusters, p->portrait ? 2 : 1);
    Rect list = { panel.x, panel.y + used + U(p, 2.5), panel.w, panel.h - used - U(p, 2.5) };
    site_list(p, list, size, order, m->n_sites);
    free(order);
}
