/* render: carries out a draw list with SDL. Owns the texture cache: each text run
 * and QR code becomes a texture once and is reused while its string, size and
 * colour stay the same. Never queries content, never decides layout. */
#ifndef LITFASS_RENDER_H
#define LITFASS_RENDER_H

#include "pages/drawlist.h"
#include "display/text.h"

#include <SDL.h>

typedef struct Renderer Renderer;

/* Binds to an SDL renderer and the fonts (both stay owned by the caller). */
int render_create(SDL_Renderer *sdl, Text *text, Renderer **out);

/* Frees all cached textures. Accepts NULL. */
void render_destroy(Renderer *r);

/* Draws dl into the current render target (without presenting). Items that fail
 * are logged and skipped. Returns the number of items that failed. */
int render_exec(Renderer *r, const DrawList *dl);

/* Sets the function the background map raster calls (on its own thread) when it is
 * done, so that the owner's loop wakes up and draws again. */
void render_set_wake(Renderer *r, void (*wake)(void *ctx), void *ctx);

/* 1 while the map's land is being rasterised in the background (or is done and not yet
 * drawn); render_exec draws the map without its land meanwhile. */
int render_pending(const Renderer *r);

/* 1 when a background raster has finished: the next render_exec draws more. */
int render_ready(const Renderer *r);

/* Waits until the background raster is done (screenshots and benchmarks; never the
 * display loop). */
void render_finish(Renderer *r);

/* Textures currently cached (for tests and benchmarks). */
int render_cached(const Renderer *r);

#endif
