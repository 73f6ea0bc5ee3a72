/* snapshot: read back once, shrink in plain C (a box filter keeps text legible where
 * SDL's nearest-neighbour scaling would drop strokes), encode with SDL_image into a
 * growing memory buffer. The costs are measured in the README (figures). */
#define _POSIX_C_SOURCE 200809L
#include "display/snapshot.h"

#include "base/log.h"

#include <SDL_image.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t len, cap;
} MemOut;

static size_t SDLCALL mem_write(SDL_RWops *ctx, const void *p, size_t size, size_t n)
{
    MemOut *m = ctx->hidden.unknown.data1;
    size_t k = size * n;
    if (m->len + k > m->cap) {
        size_t cap = (m->len + k) * 2;
        unsigned char *d = realloc(m->data, cap);
        if (!d) {
            abort();
        }
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, p, k);
    m->len += k;
    return n;
}

static size_t SDLCALL mem_read(SDL_RWops *ctx, void *p, size_t size, size_t n)
{
    (void)ctx;
    (void)p;
    (void)size;
    (void)n;
    return 0; /* write only */
}

static Sint64 SDLCALL mem_size(SDL_RWops *ctx)
{
    return (Sint64)((MemOut *)ctx->hidden.unknown.data1)->len;
}

static Sint64 SDLCALL mem_seek(SDL_RWops *ctx, Sint64 off, int whence)
{
    MemOut *m = ctx->hidden.unknown.data1;
    return whence == RW_SEEK_CUR && off == 0 ? (Sint64)m->len : -1;
}

static int SDLCALL mem_close(SDL_RWops *ctx)
{
    SDL_FreeRW(ctx);
    return 0;
}

int snapshot_png(SDL_Renderer *sdl, int w, int h, int max_side, unsigned char **png,
                 size_t *len)
{
    *png = NULL;
    *len = 0;
    int f = 1;
    while ((w + f - 1) / f > max_side || (h + f - 1) / f > max_side) {
        f++;
    }
    int ow = w / f, oh = h / f;
    uint32_t *full = malloc((size_t)w * (size_t)h * 4);
    SDL_Surface *small = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!full || !small || SDL_RenderReadPixels(sdl, NULL, SDL_PIXELFORMAT_ARGB8888, full,
                                                w * 4) != 0) {
        log_msg("report", "no screen picture: %s", SDL_GetError());
        free(full);
        SDL_FreeSurface(small);
        return -1;
    }
    for (int y = 0; y < oh; y++) {
        uint32_t *row = (uint32_t *)((unsigned char *)small->pixels + (size_t)y * small->pitch);
        for (int x = 0; x < ow; x++) {
            unsigned r = 0, g = 0, b = 0;
            for (int dy = 0; dy < f; dy++) {
                const uint32_t *src = full + (size_t)(y * f + dy) * (size_t)w + (size_t)x * f;
                for (int dx = 0; dx < f; dx++) {
                    r += (src[dx] >> 16) & 0xff;
                    g += (src[dx] >> 8) & 0xff;
                    b += src[dx] & 0xff;
                }
            }
            unsigned n = (unsigned)(f * f);
            row[x] = 0xff000000u | (r / n) << 16 | (g / n) << 8 | (b / n);
        }
    }
    free(full);
    MemOut m = { NULL, 0, 0 };
    SDL_RWops *rw = SDL_AllocRW();
    int rc = -1;
    if (rw) {
        rw->type = SDL_RWOPS_UNKNOWN;
        rw->size = mem_size;
        rw->seek = mem_seek;
        rw->read = mem_read;
        rw->write = mem_write;
        rw->close = mem_close;
        rw->hidden.unknown.data1 = &m;
        rc = IMG_SavePNG_RW(small, rw, 1);
    }
    SDL_FreeSurface(small);
    if (rc != 0) {
        log_msg("report", "no screen picture: %s", IMG_GetError());
        free(m.data);
        return -1;
    }
    *png = m.data;
    *len = m.len;
    return 0;
}
