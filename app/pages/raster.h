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

/* Fills the rings (xy: x,y pairs; ring_len[i] points each) in colour 0xRRGGBB with
 * coverage-based anti-aliasing, blending over what is there. */
void raster_fill(RasterImage *img, const float *xy, const int *ring_len, int n_rings,
                 uint32_t color);

/* Strokes the closed rings with a line of the given width (pixels). */
void raster_stroke(RasterImage *img, const float *xy, const int *ring_len, int n_rings,
                   float width, uint32_t color);

/* Fills a circle. */
void raster_circle(RasterImage *img, float cx, float cy, float r, uint32_t color);

#endif
