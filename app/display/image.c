/* image: the header is read by the same library that decodes (libpng's simplified API
 * stops after the chunks before the pixel data; libjpeg's jpeg_read_header stops
 * before the scan), so the size that is checked is the size that would be decoded —
 * a hand-written header parser could disagree with the decoder. Both libraries are
 * the ones SDL2_image links anyway, so the display gains no dependency. A truncated
 * JPEG, which libjpeg would fill up with grey and call a warning, is refused too. */
#define _POSIX_C_SOURCE 200809L
#include "display/image.h"

#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
} JpegErr;

static void jpeg_fail(j_common_ptr c)
{
    JpegErr *e = (JpegErr *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jump, 1);
}

/* Warnings (a corrupt or truncated stream that libjpeg would patch up) are failures. */
static void jpeg_warn(j_common_ptr c, int level)
{
    if (level < 0) {
        jpeg_fail(c);
    }
}

static int size_ok(int w, int h, int expect_w, int expect_h, long long max_pixels, char *err,
                   size_t errlen)
{
    if (w < 1 || h < 1 || (long long)w * h > max_pixels) {
        snprintf(err, errlen, "%d x %d pixels, more than %lld: refused before decoding", w, h,
                 max_pixels);
        return -1;
    }
    if ((expect_w && w != expect_w) || (expect_h && h != expect_h)) {
        snprintf(err, errlen, "its header says %d x %d, the content database %d x %d", w, h,
                 expect_w, expect_h);
        return -1;
    }
    return 0;
}

/* Decodes a JPEG; with out NULL only the header is read (*w, *h). */
static int jpeg_run(const unsigned char *data, size_t len, int expect_w, int expect_h,
                    long long max_pixels, uint8_t **out, int *w, int *h, char *err,
                    size_t errlen)
{
    struct jpeg_decompress_struct c;
    JpegErr e;
    uint8_t *volatile px = NULL;
    memset(&c, 0, sizeof c);
    c.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = jpeg_fail;
    e.pub.emit_message = jpeg_warn;
    e.msg[0] = '\0';
    if (setjmp(e.jump)) {
        snprintf(err, errlen, "damaged JPEG: %s", e.msg[0] ? e.msg : "corrupt data");
        jpeg_destroy_decompress(&c);
        free(px);
        return -1;
    }
    jpeg_create_decompress(&c);
    c.mem->max_memory_to_use = 64L * 1024 * 1024; /* progressive scans keep coefficients */
    jpeg_mem_src(&c, data, (unsigned long)len);
    jpeg_read_header(&c, TRUE);
    *w = (int)c.image_width;
    *h = (int)c.image_height;
    if (!out) {
        jpeg_destroy_decompress(&c);
        return 0;
    }
    if (size_ok(*w, *h, expect_w, expect_h, max_pixels, err, errlen) != 0) {
        jpeg_destroy_decompress(&c);
        return -1;
    }
    if (c.jpeg_color_space != JCS_GRAYSCALE && c.jpeg_color_space != JCS_YCbCr &&
        c.jpeg_color_space != JCS_RGB) {
        snprintf(err, errlen, "JPEG in a colour space the build never writes (CMYK?)");
        jpeg_destroy_decompress(&c);
        return -1;
    }
    c.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&c);
    px = malloc((size_t)*w * (size_t)*h * 4);
    if (!px) {
        abort();
    }
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = px + (size_t)c.output_scanline * (size_t)*w * 4;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    *out = px;
    return 0;
}

static int png_run(const unsigned char *data, size_t len, int expect_w, int expect_h,
                   long long max_pixels, uint8_t **out, int *w, int *h, char *err,
                   size_t errlen)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, data, len)) {
        snprintf(err, errlen, "damaged PNG: %s", img.message);
        png_image_free(&img);
        return -1;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    if (!out) {
        png_image_free(&img);
        return 0;
    }
    if (size_ok(*w, *h, expect_w, expect_h, max_pixels, err, errlen) != 0) {
        png_image_free(&img);
        return -1;
    }
    img.format = PNG_FORMAT_RGBA;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px) {
        abort();
    }
    if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
        snprintf(err, errlen, "damaged PNG: %s", img.message);
        png_image_free(&img);
        free(px);
        return -1;
    }
    *out = px;
    return 0;
}

int image_header(const unsigned char *data, size_t len, PictureFormat fmt, int *w, int *h,
                 char *err, size_t errlen)
{
    *w = *h = 0;
    if (!data || len < 8) {
        snprintf(err, errlen, "too short for a picture");
        return -1;
    }
    return fmt == PICTURE_PNG ? png_run(data, len, 0, 0, 0, NULL, w, h, err, errlen)
                              : jpeg_run(data, len, 0, 0, 0, NULL, w, h, err, errlen);
}

int image_decode(const unsigned char *data, size_t len, PictureFormat fmt, int expect_w,
                 int expect_h, long long max_pixels, uint8_t **out, int *w, int *h, char *err,
                 size_t errlen)
{
    *out = NULL;
    *w = *h = 0;
    if (!data || len < 8) {
        snprintf(err, errlen, "too short for a picture");
        return -1;
    }
    return fmt == PICTURE_PNG
               ? png_run(data, len, expect_w, expect_h, max_pixels, out, w, h, err, errlen)
               : jpeg_run(data, len, expect_w, expect_h, max_pixels, out, w, h, err, errlen);
}
