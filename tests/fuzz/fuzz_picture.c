/* libFuzzer harness: the display's picture check and decoder (display/image). The first
 * byte picks the format (even: PNG, odd: JPEG), the rest is the level's bytes. Whatever
 * they are, the header is read and checked before decoding, a picture is either
 * refused with a reason or decoded to exactly the size its header states — never a
 * crash, a leak or a read out of bounds. */
#include "display/image.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    PictureFormat fmt = data[0] & 1 ? PICTURE_JPEG : PICTURE_PNG;
    char err[300];
    int hw = 0, hh = 0, w = 0, h = 0;
    int head = image_header(data + 1, size - 1, fmt, &hw, &hh, err, sizeof err);
    uint8_t *px = NULL;
    /* a small cap keeps each run fast; the check is the same at any cap */
    if (image_decode(data + 1, size - 1, fmt, 0, 0, 512 * 512, &px, &w, &h, err,
                     sizeof err) == 0) {
        if (!px || head != 0 || w != hw || h != hh || (long long)w * h > 512 * 512) {
            __builtin_trap();
        }
        volatile uint8_t last = px[(size_t)w * (size_t)h * 4 - 1]; /* the whole buffer */
        (void)last;
        free(px);
    } else if (px || !err[0]) {
        __builtin_trap();
    }
    return 0;
}
