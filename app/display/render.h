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

/* Textures currently cached (for tests and benchmarks). */
int render_cached(const Renderer *r);

#endif
