/* picture_fixtures: pictures for the tests, made with libvips (which the content stage
 * links) and zlib, so that no fixture file and no ImageMagick is needed. */
#ifndef LITFASS_PICTURE_FIXTURES_H
#define LITFASS_PICTURE_FIXTURES_H

#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>
#include <zlib.h>

/* A w x h picture, left half colour a, right half colour b (RGB, or CMYK with 4 bands),
 * written to path in the format its name says; orientation (EXIF, JPEG) when > 1. */
static inline void fixture_write(const char *path, int w, int h, int bands,
                                 const unsigned char *a, const unsigned char *b,
                                 int orientation)
{
    if (VIPS_INIT("test")) {
        abort();
    }
    unsigned char *px = malloc((size_t)w * h * bands);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            memcpy(px + ((size_t)y * w + x) * bands, x < w / 2 ? a : b, (size_t)bands);
        }
    }
    VipsImage *img = vips_image_new_from_memory_copy(px, (size_t)w * h * bands, w, h, bands,
                                                     VIPS_FORMAT_UCHAR);
    free(px);
    VipsImage *t = NULL;
    vips_copy(img, &t, "interpretation",
              bands == 4 && !strstr(path, ".png") ? VIPS_INTERPRETATION_CMYK
                                                  : VIPS_INTERPRETATION_sRGB,
              NULL);
    g_object_unref(img);
    if (orientation > 1) {
        vips_image_set_int(t, VIPS_META_ORIENTATION, orientation);
    }
    if (vips_image_write_to_file(t, path, NULL)) {
        fprintf(stderr, "fixture %s: %s\n", path, vips_error_buffer());
        abort();
    }
    g_object_unref(t);
}

static inline void png_chunk(FILE *f, const char *type, const unsigned char *d, uint32_t n)
{
    unsigned char be[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n };
    fwrite(be, 1, 4, f);
    fwrite(type, 1, 4, f);
    fwrite(d, 1, n, f);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    crc = crc32(crc, d, n);
    unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                           (unsigned char)(crc >> 8), (unsigned char)crc };
    fwrite(c, 1, 4, f);
}

/* A decompression bomb: a PNG whose header says side x side (grey), a few KB long. */
static inline void fixture_bomb(const char *path, uint32_t side)
{
    FILE *f = fopen(path, "wb");
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    unsigned char ihdr[13] = { (unsigned char)(side >> 24), (unsigned char)(side >> 16),
                               (unsigned char)(side >> 8), (unsigned char)side,
                               (unsigned char)(side >> 24), (unsigned char)(side >> 16),
                               (unsigned char)(side >> 8), (unsigned char)side,
                               8, 0, 0, 0, 0 };
    png_chunk(f, "IHDR", ihdr, 13);
    /* 64 rows of zeros, compressed: the rest of the rows are what a decoder would make */
    size_t raw_n = (size_t)64 * (side + 1);
    unsigned char *raw = calloc(1, raw_n);
    uLongf zn = compressBound(raw_n);
    unsigned char *z = malloc(zn);
    compress2(z, &zn, raw, raw_n, 9);
    png_chunk(f, "IDAT", z, (uint32_t)zn);
    png_chunk(f, "IEND", (const unsigned char *)"", 0);
    free(raw);
    free(z);
    fclose(f);
}

/* A one-page PDF, w x h points, filled with one colour (r g b in 0..1). */
static inline void fixture_pdf(const char *path, int w, int h, const char *rgb)
{
    char content[128], body[2048];
    snprintf(content, sizeof content, "%s rg 0 0 %d %d re f", rgb, w, h);
    const char *objs[4];
    char o[4][512];
    snprintf(o[0], sizeof o[0], "<< /Type /Catalog /Pages 2 0 R >>");
    snprintf(o[1], sizeof o[1], "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    snprintf(o[2], sizeof o[2],
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>", w, h);
    snprintf(o[3], sizeof o[3], "<< /Length %zu >>\nstream\n%s\nendstream", strlen(content),
             content);
    for (int i = 0; i < 4; i++) {
        objs[i] = o[i];
    }
    size_t off[4], n = 0;
    n += (size_t)snprintf(body + n, sizeof body - n, "%%PDF-1.4\n");
    for (int i = 0; i < 4; i++) {
        off[i] = n;
        n += (size_t)snprintf(body + n, sizeof body - n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = n;
    n += (size_t)snprintf(body + n, sizeof body - n, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 0; i < 4; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n, "%010zu 00000 n \n", off[i]);
    }
    n += (size_t)snprintf(body + n, sizeof body - n,
                          "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    test_write(path, body, n);
}

/* A two-page PDF, w x h points: page 1 filled with rgb1, page 2 with rgb2. */
static inline void fixture_pdf2(const char *path, int w, int h, const char *rgb1,
                                const char *rgb2)
{
    char c1[128], c2[128], o[7][512], body[4096];
    snprintf(c1, sizeof c1, "%s rg 0 0 %d %d re f", rgb1, w, h);
    snprintf(c2, sizeof c2, "%s rg 0 0 %d %d re f", rgb2, w, h);
    snprintf(o[0], sizeof o[0], "<< /Type /Catalog /Pages 2 0 R >>");
    snprintf(o[1], sizeof o[1], "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>");
    snprintf(o[2], sizeof o[2],
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>", w, h);
    snprintf(o[3], sizeof o[3], "<< /Length %zu >>\nstream\n%s\nendstream", strlen(c1), c1);
    snprintf(o[4], sizeof o[4],
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 6 0 R >>", w, h);
    snprintf(o[5], sizeof o[5], "<< /Length %zu >>\nstream\n%s\nendstream", strlen(c2), c2);
    size_t off[6], n = 0;
    n += (size_t)snprintf(body + n, sizeof body - n, "%%PDF-1.4\n");
    for (int i = 0; i < 6; i++) {
        off[i] = n;
        n += (size_t)snprintf(body + n, sizeof body - n, "%d 0 obj\n%s\nendobj\n", i + 1, o[i]);
    }
    size_t xref = n;
    n += (size_t)snprintf(body + n, sizeof body - n, "xref\n0 7\n0000000000 65535 f \n");
    for (int i = 0; i < 6; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n, "%010zu 00000 n \n", off[i]);
    }
    n += (size_t)snprintf(body + n, sizeof body - n,
                          "trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    test_write(path, body, n);
}

/* Cuts the file at path to half its length. */
static inline void fixture_truncate(const char *path)
{
    size_t len;
    char *d = test_read(path, &len);
    test_write(path, d, len / 2);
    free(d);
}

#endif
