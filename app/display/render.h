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

/* The decoded pictures the renderer keeps at most, in bytes (4 a pixel). */
#define RENDER_PICTURE_BUDGET ((size_t)128 * 1024 * 1024)

/* Names the content database that "picture:ID:LEVEL" items are read from (the file
 * the shown model came from; only a database that store_open accepts is read). A
 * different path drops the cached pictures. NULL or "": no pictures (placeholders). */
void render_set_content(Renderer *r, const char *db_path);

/* Sets the byte budget of decoded pictures (default RENDER_PICTURE_BUDGET): the least
 * recently drawn are released to make room; one that does not fit is a placeholder. */
void render_set_picture_budget(Renderer *r, size_t bytes);

/* Bytes of decoded pictures held now (tests, benchmarks). */
size_t render_picture_bytes(const Renderer *r);

/* Textures currently cached (for tests and benchmarks). */
int render_cached(const Renderer *r);

#endif
