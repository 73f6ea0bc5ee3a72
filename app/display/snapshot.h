/* snapshot: the pixels of the frame being drawn, for the screen's report. Reads the
 * current render target back (the picture before rotation and present); the report
 * worker shrinks and encodes it (report/picture.c), off the display thread. */
#ifndef LITFASS_SNAPSHOT_H
#define LITFASS_SNAPSHOT_H

#include <SDL.h>
#include <stdint.h>

/* The w x h frame in sdl's current target as ARGB8888 (pitch w * 4) into a malloc'd
 * *px (the caller frees). Call after drawing, before presenting. Returns 0, or -1 with
 * *px NULL (logged). */
int snapshot_read(SDL_Renderer *sdl, int w, int h, uint32_t **px);

#endif
