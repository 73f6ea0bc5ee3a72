/* transition: one page turning into the next at the display's refresh — a fade or a
 * slide — composed from finished pictures of both pages. Both draw lists are drawn into
 * textures before the first frame (the page change's work, done while the old page is
 * still on screen); each frame only composes the two textures, so no frame of the
 * transition waits for layout, text shaping or decoding. The textures are released when
 * it ends: no full-screen texture is kept between transitions. */
#ifndef LITFASS_TRANSITION_H
#define LITFASS_TRANSITION_H

#include "display/render.h"
#include "pages/drawlist.h"

#include <SDL.h>
#include <stdint.h>

typedef struct Transition Transition;

/* Draws `from` and `to` into two textures through r (kind: TRANSITION_FADE or
 * TRANSITION_SLIDE of config.h; ms > 0). Leaves the render target at NULL. Returns
 * NULL when the renderer cannot make target textures (then cut instead). */
Transition *transition_prepare(SDL_Renderer *sdl, Renderer *r, const DrawList *from,
                               const DrawList *to, int kind, int ms);

/* Draws `to` into its texture again (after pictures or the map's land became ready). */
void transition_redraw_to(Transition *t, Renderer *r, const DrawList *to);

/* Sets the first frame's time (monotonic ms): the transition runs from here. */
void transition_start(Transition *t, int64_t now_ms);

/* Composes the frame for now_ms into the current render target. Returns 1 while the
 * transition runs, 0 when this frame was its last (the `to` page in full). */
int transition_frame(Transition *t, int64_t now_ms);

/* Releases both textures. Accepts NULL. */
void transition_free(Transition *t);

#endif
