/* image: turns a picture level's bytes from the verified content database into pixels,
 * safely. The size is read from the header with the decoder's own header parser
 * (libpng, libjpeg) and checked — against the size the database states and against a
 * pixel cap — before a single row is decoded or an output buffer allocated, so that a
 * decompression bomb or a lying header in a validly signed bundle costs nothing. Only
 * what the build writes is accepted: baseline or progressive JPEG, 8-bit PNG. No SDL
 * rendering here; the result is a plain RGBA buffer. */
#ifndef LITFASS_IMAGE_H
#define LITFASS_IMAGE_H

#include "store/model.h"

#include <stddef.h>
#include <stdint.h>

/* The most pixels a display decodes for one picture: a 3840x2160 level (8.3 MP) with
 * room for a portrait poster's 2160x3840 and a square 3840x3840 one. */
#define IMAGE_MAX_PIXELS (3840LL * 3840)

/* Reads width and height from the header of data[0..len) in format fmt without decoding
 * the image. Returns 0, or -1 with err set (not that format, damaged header). */
int image_header(const unsigned char *data, size_t len, PictureFormat fmt, int *w, int *h,
                 char *err, size_t errlen);

/* Decodes data into *out, w x h pixels of RGBA (4 bytes a pixel, row after row; free()
 * it), after checking the header: the size must be expect_w x expect_h (what the
 * database states; 0: not checked) and at most max_pixels. On failure *out is NULL,
 * -1 is returned and err says why. */
int image_decode(const unsigned char *data, size_t len, PictureFormat fmt, int expect_w,
                 int expect_h, long long max_pixels, uint8_t **out, int *w, int *h, char *err,
                 size_t errlen);

#endif
