/* raster: a scanline filler. Each pixel row is sampled on SUB sub-scanlines; on
 * each, the edge crossings are sorted and the spans with nonzero winding add their
 * exact horizontal coverage to a row buffer, so edges are smooth in both
 * directions. Edges are sorted by their top so only the active ones are visited. */
#include "pages/raster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB 4

typedef struct {
    float x0, y0, x1, y1; /* y0 < y1 */
    int dir;
} Edge;

typedef struct {
    float x;
    int dir;
} Cross;

static int by_top(const void *a, const void *b)
{
    float d = ((const Edge *)a)->y0 - ((const Edge *)b)->y0;
    return d < 0 ? -1 : d > 0;
}

static int by_x(const void *a, const void *b)
{
    float d = ((const Cross *)a)->x - ((const Cross *)b)->x;
    return d < 0 ? -1 : d > 0;
}

/* Source-over compositing of colour with coverage a onto a non-premultiplied ARGB
 * pixel (which may be transparent, for sprites). */
static void blend(uint32_t *p, uint32_t color, float a)
{
    if (a <= 0) {
        return;
    }
    if (a >= 1) {
        *p = 0xFF000000u | color;
        return;
    }
    uint32_t d = *p;
    float da = (d >> 24) / 255.0f;
    float oa = a + da * (1 - a);
    uint32_t out = (uint32_t)(oa * 255 + 0.5f) << 24;
    for (int sh = 0; sh <= 16; sh += 8) {
        float cs = (float)((color >> sh) & 255), ds = (float)((d >> sh) & 255);
        float v = (cs * a + ds * da * (1 - a)) / oa;
        out |= (uint32_t)(v + 0.5f) << sh;
    }
    *p = out;
}

static void add_span(float *cov, int w, float xa, float xb)
{
    if (xa < 0) {
        xa = 0;
    }
    if (xb > w) {
        xb = (float)w;
    }
    if (xb <= xa) {
        return;
    }
    int ia = (int)xa, ib = (int)xb;
    const float k = 1.0f / SUB;
    if (ia == ib) {
        cov[ia] += (xb - xa) * k;
        return;
    }
    cov[ia] += (ia + 1 - xa) * k;
    for (int i = ia + 1; i < ib; i++) {
        cov[i] += k;
    }
    if (ib < w) {
        cov[ib] += (xb - ib) * k;
    }
}

static int fill_edges(RasterImage *img, Edge *e, int ne, uint32_t color)
{
    if (ne == 0) {
        return 0;
    }
    qsort(e, (size_t)ne, sizeof *e, by_top);
    float *cov = calloc((size_t)img->w + 1, sizeof *cov);
    int *active = malloc(sizeof *active * (size_t)ne);
    Cross *cr = malloc(sizeof *cr * (size_t)ne);
    if (!cov || !active || !cr) {
        abort();
    }
    int na = 0, next = 0, rc = 0;
    int ystart = (int)floorf(e[0].y0);
    if (ystart < 0) {
        ystart = 0;
    }
    for (int y = ystart; y < img->h; y++) {
        int any = 0, minx = img->w, maxx = -1;
        for (int s = 0; s < SUB; s++) {
            float sy = y + (s + 0.5f) / SUB;
            while (next < ne && e[next].y0 <= sy) {
                active[na++] = next++;
            }
            int nc = 0;
            for (int i = 0; i < na;) {
                const Edge *g = &e[active[i]];
                if (g->y1 <= sy) { /* finished: drop it */
                    active[i] = active[--na];
                    continue;
                }
                if (g->y0 <= sy) {
                    float t = (sy - g->y0) / (g->y1 - g->y0);
                    cr[nc].x = g->x0 + t * (g->x1 - g->x0);
                    cr[nc].dir = g->dir;
                    nc++;
                }
                i++;
            }
            if (na > RASTER_MAX_ACTIVE) {
                rc = -1; /* no real outline crosses a line this often: stop, bounded */
                goto done;
            }
            if (nc < 2) {
                continue;
            }
            qsort(cr, (size_t)nc, sizeof *cr, by_x);
            int wind = 0;
            for (int i = 0; i < nc - 1; i++) {
                wind += cr[i].dir;
                if (wind != 0) {
                    add_span(cov, img->w, cr[i].x, cr[i + 1].x);
                    any = 1;
                    int a = (int)cr[i].x, b = (int)cr[i + 1].x + 1;
                    minx = a < minx ? a : minx;
                    maxx = b > maxx ? b : maxx;
                }
            }
        }
        if (any) {
            if (minx < 0) {
                minx = 0;
            }
            if (maxx > img->w - 1) {
                maxx = img->w - 1;
            }
            uint32_t *row = img->px + (size_t)y * (size_t)img->stride;
            for (int x = minx; x <= maxx; x++) {
                blend(&row[x], color, cov[x] > 1 ? 1 : cov[x]);
                cov[x] = 0;
            }
        }
        if (next >= ne && na == 0) {
            break;
        }
    }
done:
    free(cov);
    free(active);
    free(cr);
    return rc;
}

static void push_edge(Edge **e, int *n, int *cap, float x0, float y0, float x1, float y1)
{
    if (y0 == y1) {
        return; /* horizontal edges cross no scanline */
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        *e = realloc(*e, sizeof **e * (size_t)*cap);
        if (!*e) {
            abort();
        }
    }
    Edge *g = &(*e)[(*n)++];
    if (y0 < y1) {
        *g = (Edge){ x0, y0, x1, y1, 1 };
    } else {
        *g = (Edge){ x1, y1, x0, y0, -1 };
    }
}

/* Points of all rings; -1 when there are more than `max` (or a negative count). */
static int count_points(const int *ring_len, int n_rings, int max)
{
    long total = 0;
    for (int r = 0; r < n_rings; r++) {
        if (ring_len[r] < 0) {
            return -1;
        }
        total += ring_len[r];
        if (total > max) {
            return -1;
        }
    }
    return (int)total;
}

int raster_fill(RasterImage *img, const float *xy, const int *ring_len, int n_rings,
                uint32_t color)
{
    if (count_points(ring_len, n_rings, RASTER_MAX_EDGES) < 0) {
        return -1;
    }
    Edge *e = NULL;
    int n = 0, cap = 0, off = 0;
    for (int r = 0; r < n_rings; r++) {
        int m = ring_len[r];
        for (int i = 0; i < m; i++) {
            int j = (i + 1) % m;
            push_edge(&e, &n, &cap, xy[2 * (off + i)], xy[2 * (off + i) + 1],
                      xy[2 * (off + j)], xy[2 * (off + j) + 1]);
        }
        off += m;
    }
    int rc = fill_edges(img, e, n, color);
    free(e);
    return rc;
}

/* Adds a closed quad (or any polygon) with a consistent orientation. */
static void push_poly(Edge **e, int *n, int *cap, const float *p, int m)
{
    /* orient counter-clockwise (positive area) so that overlaps add up */
    float area = 0;
    for (int i = 0; i < m; i++) {
        int j = (i + 1) % m;
        area += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
    }
    float tmp[16];
    const float *q = p;
    if (area < 0 && m <= 8) {
        for (int i = 0; i < m; i++) {
            tmp[2 * i] = p[2 * (m - 1 - i)];
            tmp[2 * i + 1] = p[2 * (m - 1 - i) + 1];
        }
        q = tmp;
    }
    for (int i = 0; i < m; i++) {
        int j = (i + 1) % m;
        push_edge(e, n, cap, q[2 * i], q[2 * i + 1], q[2 * j], q[2 * j + 1]);
    }
}

int raster_stroke(RasterImage *img, const float *xy, const int *ring_len, int n_rings,
                  float width, uint32_t color)
{
    if (count_points(ring_len, n_rings, RASTER_MAX_EDGES / 4) < 0) {
        return -1; /* four edges a segment */
    }
    Edge *e = NULL;
    int n = 0, cap = 0, off = 0;
    float hw = width / 2;
    for (int r = 0; r < n_rings; r++) {
        int m = ring_len[r];
        for (int i = 0; i < m; i++) {
            int j = (i + 1) % m;
            float x0 = xy[2 * (off + i)], y0 = xy[2 * (off + i) + 1];
            float x1 = xy[2 * (off + j)], y1 = xy[2 * (off + j) + 1];
            float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
            if (len < 1e-3f) {
                continue;
            }
            /* the segment extended by half the width at both ends covers the joins */
            float ux = dx / len * hw, uy = dy / len * hw;
            float q[8] = { x0 - ux - uy, y0 - uy + ux, x1 + ux - uy, y1 + uy + ux,
                           x1 + ux + uy, y1 + uy - ux, x0 - ux + uy, y0 - uy - ux };
            push_poly(&e, &n, &cap, q, 4);
        }
        off += m;
    }
    int rc = fill_edges(img, e, n, color);
    free(e);
    return rc;
}

void raster_circle(RasterImage *img, float cx, float cy, float r, uint32_t color)
{
    enum { SEG = 48 };
    float p[2 * SEG];
    for (int i = 0; i < SEG; i++) {
        double a = 2 * 3.14159265358979323846 * i / SEG;
        p[2 * i] = cx + r * (float)cos(a);
        p[2 * i + 1] = cy + r * (float)sin(a);
    }
    int len = SEG;
    raster_fill(img, p, &len, 1, color); /* 48 edges: always within the limits */
}
