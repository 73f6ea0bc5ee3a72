/* map: formulas after Snyder, "Map Projections — A Working Manual" (USGS 1987),
 * Lambert conformal conic, spherical form (eq. 15-1 to 15-5). Spatial grids keep
 * clustering and label placement linear in the number of sites. */
#include "pages/map.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define DEG (M_PI / 180.0)

void map_projection(const MapGeo *g, Projection *p)
{
    double span = g->lat1 - g->lat0;
    double phi1 = (g->lat0 + span / 6) * DEG, phi2 = (g->lat1 - span / 6) * DEG;
    double phi0 = (g->lat0 + g->lat1) / 2 * DEG;
    if (fabs(phi1 - phi2) < 1e-9) {
        p->n = sin(phi1);
    } else {
        p->n = log(cos(phi1) / cos(phi2)) /
               log(tan(M_PI / 4 + phi2 / 2) / tan(M_PI / 4 + phi1 / 2));
    }
    if (fabs(p->n) < 1e-9) {
        p->n = 1e-9; /* a region on the equator: (nearly) Mercator */
    }
    p->F = cos(phi1) * pow(tan(M_PI / 4 + phi1 / 2), p->n) / p->n;
    p->rho0 = p->F / pow(tan(M_PI / 4 + phi0 / 2), p->n);
    p->lon0 = (g->lon0 + g->lon1) / 2 * DEG;
}

void map_project(const Projection *p, double lat, double lon, double *x, double *y)
{
    double phi = lat * DEG;
    if (phi > 89.9 * DEG) {
        phi = 89.9 * DEG;
    } else if (phi < -89.9 * DEG) {
        phi = -89.9 * DEG;
    }
    double rho = p->F / pow(tan(M_PI / 4 + phi / 2), p->n);
    double theta = p->n * (lon * DEG - p->lon0);
    *x = rho * sin(theta);
    *y = p->rho0 - rho * cos(theta);
}

void map_fit(const Projection *p, const MapGeo *g, Rect area, MapFit *f)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < g->n_rings; i++) {
        const MapRing *r = &g->rings[i];
        for (int k = 0; r->focus && k < r->n; k++) {
            double x, y;
            map_project(p, r->lonlat[2 * k + 1], r->lonlat[2 * k], &x, &y);
            x0 = fmin(x0, x);
            x1 = fmax(x1, x);
            y0 = fmin(y0, y);
            y1 = fmax(y1, y);
        }
    }
    if (!(x1 > x0 && y1 > y0)) { /* no focus rings: use the region box */
        map_project(p, g->lat0, g->lon0, &x0, &y0);
        map_project(p, g->lat1, g->lon1, &x1, &y1);
    }
    double sx = area.w / (x1 - x0), sy = area.h / (y1 - y0);
    f->scale = sx < sy ? sx : sy;
    double w = (x1 - x0) * f->scale, h = (y1 - y0) * f->scale;
    f->ox = area.x + (area.w - w) / 2 - x0 * f->scale;
    f->oy = area.y + (area.h - h) / 2 + y1 * f->scale;
    f->used = (Rect){ (int)lround(area.x + (area.w - w) / 2), (int)lround(area.y + (area.h - h) / 2),
                      (int)lround(w), (int)lround(h) };
}

/* A uniform grid of buckets over the plane, holding indices. */
typedef struct {
    float cell;
    int gx, gy; /* grid size */
    float x0, y0;
    int *head; /* gx*gy, -1 terminated lists through next */
    int *next;
    int cap;
} Grid;

static void grid_init(Grid *g, float x0, float y0, float x1, float y1, float cell)
{
    memset(g, 0, sizeof *g);
    g->cell = cell > 1 ? cell : 1;
    g->x0 = x0;
    g->y0 = y0;
    float fx = (x1 - x0) / g->cell + 1, fy = (y1 - y0) / g->cell + 1;
    /* bounded, whatever the input (also NaN) */
    g->gx = fx >= 1 && fx <= 4096 ? (int)fx : fx > 4096 ? 4096 : 1;
    g->gy = fy >= 1 && fy <= 4096 ? (int)fy : fy > 4096 ? 4096 : 1;
    size_t cells = (size_t)(unsigned)g->gx * (size_t)(unsigned)g->gy;
    g->head = malloc(sizeof *g->head * cells);
    if (!g->head) {
        abort();
    }
    for (size_t i = 0; i < cells; i++) {
        g->head[i] = -1;
    }
}

static void grid_free(Grid *g)
{
    free(g->head);
    free(g->next);
}

static int grid_cx(const Grid *g, float x)
{
    int c = (int)floorf((x - g->x0) / g->cell);
    return c < 0 ? 0 : c >= g->gx ? g->gx - 1 : c;
}

static int grid_cy(const Grid *g, float y)
{
    int c = (int)floorf((y - g->y0) / g->cell);
    return c < 0 ? 0 : c >= g->gy ? g->gy - 1 : c;
}

/* Entry `slot` (a running number) for item id in cell (cx, cy). Items that span
 * several cells get one slot per cell; ids are stored in ids[]. */
typedef struct {
    Grid g;
    int *ids;
    int n, cap;
} Bucket;

static void bucket_add(Bucket *b, int cx, int cy, int id)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->ids = realloc(b->ids, sizeof *b->ids * (size_t)b->cap);
        b->g.next = realloc(b->g.next, sizeof *b->g.next * (size_t)b->cap);
        if (!b->ids || !b->g.next) {
            abort();
        }
    }
    int cell = cy * b->g.gx + cx;
    b->ids[b->n] = id;
    b->g.next[b->n] = b->g.head[cell];
    b->g.head[cell] = b->n;
    b->n++;
}

int map_cluster(const float *xy, int n, float radius, int skip, MapCluster **out, int *cluster_of)
{
    float x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        x0 = fminf(x0, xy[2 * i]);
        x1 = fmaxf(x1, xy[2 * i]);
        y0 = fminf(y0, xy[2 * i + 1]);
        y1 = fmaxf(y1, xy[2 * i + 1]);
    }
    MapCluster *cl = malloc(sizeof *cl * (size_t)(n > 0 ? n : 1));
    if (!cl) {
        abort();
    }
    int nc = 0;
    if (n == 0) {
        *out = cl;
        return 0;
    }
    Bucket b = { 0 };
    grid_init(&b.g, x0, y0, x1, y1, radius);
    float r2 = radius * radius;
    for (int i = 0; i < n; i++) {
        if (i == skip) {
            if (cluster_of) {
                cluster_of[i] = -1;
            }
            continue;
        }
        float x = xy[2 * i], y = xy[2 * i + 1];
        int cx = grid_cx(&b.g, x), cy = grid_cy(&b.g, y), found = -1;
        float best = r2;
        for (int yy = cy - 1; yy <= cy + 1; yy++) {
            for (int xx = cx - 1; xx <= cx + 1; xx++) {
                if (xx < 0 || yy < 0 || xx >= b.g.gx || yy >= b.g.gy) {
                    continue;
                }
                for (int e = b.g.head[yy * b.g.gx + xx]; e >= 0; e = b.g.next[e]) {
                    const MapCluster *c = &cl[b.ids[e]];
                    float dx = c->x - x, dy = c->y - y, d2 = dx * dx + dy * dy;
                    if (d2 < best) {
                        best = d2;
                        found = b.ids[e];
                    }
                }
            }
        }
        if (found < 0) {
            found = nc++;
            cl[found] = (MapCluster){ x, y, 0, i };
            bucket_add(&b, cx, cy, found);
        }
        cl[found].count++;
        if (cluster_of) {
            cluster_of[i] = found;
        }
    }
    grid_free(&b.g);
    free(b.ids);
    *out = cl;
    return nc;
}

static int overlap(Rect a, Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void bucket_insert_rect(Bucket *b, Rect r, int id)
{
    int cx0 = grid_cx(&b->g, (float)r.x), cx1 = grid_cx(&b->g, (float)(r.x + r.w));
    int cy0 = grid_cy(&b->g, (float)r.y), cy1 = grid_cy(&b->g, (float)(r.y + r.h));
    for (int y = cy0; y <= cy1; y++) {
        for (int x = cx0; x <= cx1; x++) {
            bucket_add(b, x, y, id);
        }
    }
}

static int bucket_hits(const Bucket *b, const Rect *rects, Rect r)
{
    int cx0 = grid_cx(&b->g, (float)r.x), cx1 = grid_cx(&b->g, (float)(r.x + r.w));
    int cy0 = grid_cy(&b->g, (float)r.y), cy1 = grid_cy(&b->g, (float)(r.y + r.h));
    for (int y = cy0; y <= cy1; y++) {
        for (int x = cx0; x <= cx1; x++) {
            for (int e = b->g.head[y * b->g.gx + x]; e >= 0; e = b->g.next[e]) {
                if (overlap(rects[b->ids[e]], r)) {
                    return 1;
                }
            }
        }
    }
    return 0;
}

int map_place_labels(const LabelRequest *req, int n, const Rect *obstacles, int n_obst,
                     Rect bounds, Rect *out)
{
    /* obstacles and placed labels share one rect array and one grid */
    Rect *rects = malloc(sizeof *rects * (size_t)(n_obst + n + 1));
    if (!rects) {
        abort();
    }
    memcpy(rects, obstacles, sizeof *rects * (size_t)n_obst);
    int nr = n_obst;
    Bucket b = { 0 };
    grid_init(&b.g, (float)bounds.x, (float)bounds.y, (float)(bounds.x + bounds.w),
              (float)(bounds.y + bounds.h), 48);
    for (int i = 0; i < n_obst; i++) {
        bucket_insert_rect(&b, rects[i], i);
    }
    int placed = 0;
    for (int i = 0; i < n; i++) {
        const LabelRequest *q = &req[i];
        int gap = (int)ceilf(q->r) + 2;
        int w = q->w, h = q->h;
        int ax = (int)lroundf(q->x), ay = (int)lroundf(q->y);
        /* right, left, above, below, then the four diagonals */
        Rect cand[8] = {
            { ax + gap, ay - h / 2, w, h },        { ax - gap - w, ay - h / 2, w, h },
            { ax - w / 2, ay - gap - h, w, h },    { ax - w / 2, ay + gap, w, h },
            { ax + gap - 2, ay - gap - h + 4, w, h }, { ax - gap - w + 2, ay - gap - h + 4, w, h },
            { ax + gap - 2, ay + gap - 4, w, h },  { ax - gap - w + 2, ay + gap - 4, w, h },
        };
        out[i] = (Rect){ 0, 0, 0, 0 };
        for (int k = 0; k < 8; k++) {
            Rect c = cand[k];
            if (c.x < bounds.x || c.y < bounds.y || c.x + c.w > bounds.x + bounds.w ||
                c.y + c.h > bounds.y + bounds.h || bucket_hits(&b, rects, c)) {
                continue;
            }
            out[i] = c;
            rects[nr] = c;
            bucket_insert_rect(&b, c, nr);
            nr++;
            placed++;
            break;
        }
    }
    grid_free(&b.g);
    free(b.ids);
    free(rects);
    return placed;
}

double map_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * DEG, p2 = lat2 * DEG, dl = (lon2 - lon1) * DEG;
    double a = sin((p2 - p1) / 2) * sin((p2 - p1) / 2) +
               cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * 6371.0 * asin(fmin(1.0, sqrt(a)));
}
