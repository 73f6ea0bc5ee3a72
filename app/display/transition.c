/* transition: see transition.h. A fade draws the old page and the new one over it with
 * rising opacity; a slide moves both by the same offset, the new page coming in from the
 * side its reading starts on (right for a left-to-right page, left for a mirrored one). */
#include "display/transition.h"

#include "base/config.h"
#include "base/log.h"

#include <math.h>
#include <stdlib.h>

struct Transition {
    SDL_Renderer *sdl;
    SDL_Texture *from, *to;
    int w, h, kind, ms, rtl;
    int64_t start;
};

static SDL_Texture *page_texture(SDL_Renderer *sdl, Renderer *r, const DrawList *dl)
{
    SDL_Texture *t = SDL_CreateTexture(sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                       dl->width, dl->height);
    if (!t) {
        return NULL;
    }
    if (SDL_SetRenderTarget(sdl, t) != 0) {
        SDL_DestroyTexture(t);
        return NULL;
    }
    render_exec(r, dl);
    SDL_SetRenderTarget(sdl, NULL);
    return t;
}

Transition *transition_prepare(SDL_Renderer *sdl, Renderer *r, const DrawList *from,
                               const DrawList *to, int kind, int ms)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(sdl, &info) != 0 || !(info.flags & SDL_RENDERER_TARGETTEXTURE) ||
        from->width != to->width || from->height != to->height || ms <= 0) {
        return NULL;
    }
    Transition *t = calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    t->sdl = sdl;
    t->w = to->width;
    t->h = to->height;
    t->kind = kind;
    t->ms = ms;
    t->rtl = to->rtl;
    t->from = page_texture(sdl, r, from);
    t->to = t->from ? page_texture(sdl, r, to) : NULL;
    if (!t->to) {
        log_msg("transition", "no texture for a transition (%s): a cut instead", SDL_GetError());
        transition_free(t);
        return NULL;
    }
    return t;
}

void transition_redraw_to(Transition *t, Renderer *r, const DrawList *to)
{
    if (SDL_SetRenderTarget(t->sdl, t->to) == 0) {
        render_exec(r, to);
    }
    SDL_SetRenderTarget(t->sdl, NULL);
}

void transition_start(Transition *t, int64_t now_ms)
{
    t->start = now_ms;
}

int transition_frame(Transition *t, int64_t now_ms)
{
    double x = (double)(now_ms - t->start) / t->ms;
    int running = x < 1.0;
    if (x < 0) {
        x = 0;
    } else if (x > 1) {
        x = 1;
    }
    double e = x * x * (3 - 2 * x); /* smoothstep: starts and ends gently */
    SDL_Rect all = { 0, 0, t->w, t->h };
    if (t->kind == TRANSITION_SLIDE) {
        int off = (int)lround(e * t->w) * (t->rtl ? -1 : 1);
        SDL_Rect a = { -off, 0, t->w, t->h }, b = { (t->rtl ? -t->w : t->w) - off, 0, t->w, t->h };
        SDL_SetTextureBlendMode(t->from, SDL_BLENDMODE_NONE);
        SDL_SetTextureBlendMode(t->to, SDL_BLENDMODE_NONE);
        SDL_RenderCopy(t->sdl, t->from, NULL, &a);
        SDL_RenderCopy(t->sdl, t->to, NULL, &b);
        return running;
    }
    SDL_SetTextureBlendMode(t->from, SDL_BLENDMODE_NONE);
    SDL_RenderCopy(t->sdl, t->from, NULL, &all);
    SDL_SetTextureBlendMode(t->to, running ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    SDL_SetTextureAlphaMod(t->to, (Uint8)lround(e * 255));
    SDL_RenderCopy(t->sdl, t->to, NULL, &all);
    SDL_SetTextureAlphaMod(t->to, 255);
    return running;
}

void transition_free(Transition *t)
{
    if (!t) {
        return;
    }
    if (t->from) {
        SDL_DestroyTexture(t->from);
    }
    if (t->to) {
        SDL_DestroyTexture(t->to);
    }
    free(t);
}
