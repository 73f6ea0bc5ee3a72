/* render: textures that no draw of the last few frames used are released, so a
 * page change frees the previous page's text after its transition. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include "log.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_FRAMES 3

typedef struct {
    uint32_t hash;
    char *key; /* text, or image source */
    ItemKind kind;
    int size, bold;
    uint32_t color;
    SDL_Texture *tex;
    int w, h;
    unsigned long used;
} Entry;

struct Renderer {
    SDL_Renderer *sdl;
    Text *text;
    Entry *cache;
    int n, cap;
    unsigned long frame;
};

int render_create(SDL_Renderer *sdl, Text *text, Renderer **out)
{
    Renderer *r = calloc(1, sizeof *r);
    if (!r) {
        abort();
    }
    r->sdl = sdl;
    r->text = text;
    *out = r;
    return 0;
}

void render_destroy(Renderer *r)
{
    if (!r) {
        return;
    }
    for (int i = 0; i < r->n; i++) {
        SDL_DestroyTexture(r->cache[i].tex);
        free(r->cache[i].key);
    }
    free(r->cache);
    free(r);
}

int render_cached(const Renderer *r)
{
    return r->n;
}

static uint32_t fnv1a(const char *s, uint32_t h)
{
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

/* A QR code as a texture with one pixel per module and a four-module quiet zone. */
static SDL_Texture *qr_texture(SDL_Renderer *sdl, const char *data, int *w, int *h)
{
    QRcode *qr = QRcode_encodeString8bit(data, 0, QR_ECLEVEL_M);
    if (!qr) {
        return NULL;
    }
    int side = qr->width + 8;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Texture *tex = NULL;
    if (s) {
        SDL_FillRect(s, NULL, 0xFFFFFFFFu);
        for (int y = 0; y < qr->width; y++) {
            for (int x = 0; x < qr->width; x++) {
                if (qr->data[y * qr->width + x] & 1) {
                    Uint32 *px = (Uint32 *)((Uint8 *)s->pixels + (y + 4) * s->pitch);
                    px[x + 4] = 0xFF000000u;
                }
            }
        }
        tex = SDL_CreateTextureFromSurface(sdl, s);
        SDL_FreeSurface(s);
    }
    if (tex) {
        SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    }
    *w = *h = side;
    QRcode_free(qr);
    return tex;
}

static Entry *lookup(Renderer *r, const DrawItem *it)
{
    uint32_t h = fnv1a(it->text, 2166136261u) ^ (uint32_t)(it->size * 31 + it->bold) ^
                 (it->color * 2654435761u) ^ (uint32_t)it->kind;
    for (int i = 0; i < r->n; i++) {
        Entry *e = &r->cache[i];
        if (e->hash == h && e->kind == it->kind && e->size == it->size &&
            e->bold == it->bold && e->color == it->color && strcmp(e->key, it->text) == 0) {
            e->used = r->frame;
            return e;
        }
    }
    SDL_Texture *tex = NULL;
    int w = 0, hh = 0;
    if (it->kind == ITEM_TEXT) {
        SDL_Surface *s = text_render(r->text, it->text, it->size, it->bold, it->color);
        if (s) {
            tex = SDL_CreateTextureFromSurface(r->sdl, s);
            w = s->w;
            hh = s->h;
            SDL_FreeSurface(s);
        }
    } else if (strncmp(it->text, "qr:", 3) == 0) {
        tex = qr_texture(r->sdl, it->text + 3, &w, &hh);
    }
    if (!tex) {
        return NULL;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->cache = realloc(r->cache, sizeof *r->cache * (size_t)r->cap);
        if (!r->cache) {
            abort();
        }
    }
    Entry *e = &r->cache[r->n++];
    e->hash = h;
    e->key = strdup(it->text);
    if (!e->key) {
        abort();
    }
    e->kind = it->kind;
    e->size = it->size;
    e->bold = it->bold;
    e->color = it->color;
    e->tex = tex;
    e->w = w;
    e->h = hh;
    e->used = r->frame;
    return e;
}

static void evict(Renderer *r)
{
    int k = 0;
    for (int i = 0; i < r->n; i++) {
        if (r->frame - r->cache[i].used >= KEEP_FRAMES) {
            SDL_DestroyTexture(r->cache[i].tex);
            free(r->cache[i].key);
        } else {
            r->cache[k++] = r->cache[i];
        }
    }
    r->n = k;
}

int render_exec(Renderer *r, const DrawList *dl)
{
    int failed = 0;
    r->frame++;
    uint32_t bg = dl->background;
    SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r->sdl, (Uint8)(bg >> 16), (Uint8)(bg >> 8), (Uint8)bg, 255);
    SDL_RenderClear(r->sdl);
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *it = &dl->items[i];
        if (it->kind == ITEM_RECT) {
            SDL_Rect rc = { it->rect.x, it->rect.y, it->rect.w, it->rect.h };
            SDL_SetRenderDrawColor(r->sdl, (Uint8)(it->color >> 16), (Uint8)(it->color >> 8),
                                   (Uint8)it->color, 255);
            SDL_RenderFillRect(r->sdl, &rc);
            continue;
        }
        if (!it->text || !*it->text) {
            continue;
        }
        Entry *e = lookup(r, it);
        if (!e) {
            log_msg("render", "cannot draw %s '%.40s': %s", it->kind == ITEM_TEXT ? "text" : "image",
                    it->text, SDL_GetError());
            failed++;
            continue;
        }
        SDL_Rect dst = { it->rect.x, it->rect.y, e->w, e->h };
        if (it->kind == ITEM_IMAGE) {
            /* whole pixels per module keep the code sharp and scannable */
            int scale = it->rect.w / e->w;
            if (scale < 1) {
                scale = 1;
            }
            dst.w = dst.h = e->w * scale;
            dst.x += (it->rect.w - dst.w) / 2;
            dst.y += (it->rect.h - dst.h) / 2;
        }
        SDL_RenderCopy(r->sdl, e->tex, NULL, &dst);
    }
    evict(r);
    return failed;
}
