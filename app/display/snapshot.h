/* snapshot: a small picture of the frame being drawn, for the screen's report. Reads
 * the current render target back (the picture before rotation and present), shrinks it
 * with a box filter and encodes it as PNG in memory. Owns nothing between calls. */
#ifndef LITFASS_SNAPSHOT_H
#define LITFASS_SNAPSHOT_H

#include <SDL.h>
#include <stddef.h>

/* The w x h frame in sdl's current target as a PNG whose longer side is at most
 * max_side, into a malloc'd *png of *len bytes (the caller frees). Call after drawing,
 * before presenting. Returns 0, or -1 with *png NULL (logged). */
int snapshot_png(SDL_Renderer *sdl, int w, int h, int max_side, unsigned char **png,
                 size_t *len);

#endif
