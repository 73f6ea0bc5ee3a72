/* raster: anti-aliased filling of polygons into a 32-bit ARGB pixel buffer, with
 * the nonzero winding rule, and strokes built from the same filler. Pure C: used by
 * the renderer to draw the map once per screen size, and the markers. */
#ifndef LITFASS_RASTER_H
#define LITFASS_RASTER_H

#include <stdint.h>

typedef struct {
    uint32_t *px; /* ARGB8888, premultiplied not required: alpha is kept opaque */
    int w, h;
    int stride; /* in pixels */
} RasterImage;

/* The work of one fill is bounded whatever the shapes: at most this many edges, and
 * at most this many crossing one sub-scanline (a real country's outline crosses about
 * 130 at 4K, strokes included). Beyond either, the fill stops and reports failure. */
#define RASTER_MAX_EDGES 200000
#define RASTER_MAX_ACTIVE 1024

/* Fills the rings (xy: x,y pairs; ring_len[i] points each) in colour 0xRRGGBB with
 * coverage-based anti-aliasing, blending over what is there. Returns 0, or -1 when the
 * shapes exceed the limits above (the image may then be partly drawn). */
int raster_fill(RasterImage *img, const float *xy, const int *ring_len, int n_rings,
                uint32_t color);

/* Strokes the closed rings with a line of the given width (pixels). Returns 0, or -1
 * as raster_fill. */
int raster_stroke(RasterImage *img, const float *xy, const int *ring_len, int n_rings,
                  float width, uint32_t color);

/* Fills a circle. */
void raster_circle(RasterImage *img, float cx, float cy, float r, uint32_t color);

#endif
