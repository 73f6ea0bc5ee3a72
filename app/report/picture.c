/* picture: libpng's simplified API writes the PNG into memory (png_image_write_to_memory:
 * one call to size it, one to write), so no setjmp and no variables for a longjmp to
 * clobber (gcc for arm64 warned of exactly that in the callback version). */
#include "report/picture.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

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
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)ow;
    img.height = (png_uint_32)oh;
    img.format = PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    unsigned char *data = NULL;
    if (!png_image_write_get_memory_size(img, size, 0, rgb, 0, NULL) ||
        !(data = malloc(size)) ||
        !png_image_write_to_memory(&img, data, &size, 0, rgb, 0, NULL)) {
        png_image_free(&img);
        free(rgb);
        free(data);
        return -1;
    }
    free(rgb);
    *png = data;
    *len = size;
    if (out_w) {
        *out_w = ow;
    }
    if (out_h) {
        *out_h = oh;
    }
    return 0;
}
