/* picture: libpng writes into a growing memory buffer through its write callback; a
 * failure inside libpng comes back through setjmp, the one way its API reports one. */
#include "report/picture.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t len, cap;
} Mem;

static void on_write(png_structp png, png_bytep p, png_size_t n)
{
    Mem *m = png_get_io_ptr(png);
    if (m->len + n > m->cap) {
        size_t cap = (m->len + n) * 2;
        unsigned char *d = realloc(m->data, cap);
        if (!d) {
            abort();
        }
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, p, n);
    m->len += n;
}

static void on_flush(png_structp png)
{
    (void)png;
}

int picture_png(const uint32_t *argb, int w, int h, int max_side, unsigned char **png,
                size_t *len, int *out_w, int *out_h)
{
    *png = NULL;
    *len = 0;
    if (w <= 0 || h <= 0 || max_side <= 0) {
        return -1;
    }
    int f = 1;
    while ((w + f - 1) / f > max_side || (h + f - 1) / f > max_side) {
        f++;
    }
    int ow = w / f > 0 ? w / f : 1, oh = h / f > 0 ? h / f : 1;
    unsigned char *rgb = malloc((size_t)ow * (size_t)oh * 3);
    if (!rgb) {
        abort();
    }
    for (int y = 0; y < oh; y++) {
        unsigned char *row = rgb + (size_t)y * (size_t)ow * 3;
        for (int x = 0; x < ow; x++) {
            unsigned r = 0, g = 0, b = 0, n = 0;
            for (int dy = 0; dy < f && y * f + dy < h; dy++) {
                const uint32_t *src = argb + (size_t)(y * f + dy) * (size_t)w + (size_t)x * f;
                for (int dx = 0; dx < f && x * f + dx < w; dx++) {
                    r += (src[dx] >> 16) & 0xff;
                    g += (src[dx] >> 8) & 0xff;
                    b += src[dx] & 0xff;
                    n++;
                }
            }
            row[x * 3] = (unsigned char)(r / n);
            row[x * 3 + 1] = (unsigned char)(g / n);
            row[x * 3 + 2] = (unsigned char)(b / n);
        }
    }
    Mem m = { NULL, 0, 0 };
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info || setjmp(png_jmpbuf(p))) {
        png_destroy_write_struct(&p, info ? &info : NULL);
        free(rgb);
        free(m.data);
        return -1;
    }
    png_set_write_fn(p, &m, on_write, on_flush);
    png_set_IHDR(p, info, (png_uint_32)ow, (png_uint_32)oh, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(p, info);
    for (int y = 0; y < oh; y++) {
        png_write_row(p, rgb + (size_t)y * (size_t)ow * 3);
    }
    png_write_end(p, NULL);
    png_destroy_write_struct(&p, &info);
    free(rgb);
    *png = m.data;
    *len = m.len;
    if (out_w) {
        *out_w = ow;
    }
    if (out_h) {
        *out_h = oh;
    }
    return 0;
}
