/* picture: the screen's picture for the report, made on the report worker's thread from
 * the pixels the display read back: shrunk with a box filter (text stays legible where
 * nearest-neighbour scaling drops strokes) and encoded as PNG with libpng. No SDL. */
#ifndef LITFASS_PICTURE_H
#define LITFASS_PICTURE_H

#include <stddef.h>
#include <stdint.h>

/* Encodes the w x h ARGB8888 pixels (pitch w * 4) as an RGB PNG whose longer side is at
 * most max_side (shrunk by a whole factor), into a malloc'd *png of *len bytes (the
 * caller frees); *out_w, *out_h get its size (either may be NULL). Returns 0, or -1 with
 * *png NULL. */
int picture_png(const uint32_t *argb, int w, int h, int max_side, unsigned char **png,
                size_t *len, int *out_w, int *out_h);

#endif
