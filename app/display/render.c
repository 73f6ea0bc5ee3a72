/* render: textures that no draw of the last KEEP_FRAMES frames used are released,
 * so old minutes' and old content's text does not pile up; generated images (the
 * rasterised map, QR codes) are kept far longer because they are costly to make and
 * come back with every turn of the page rotation. A QR code that cannot be made (its
 * data is too long for any QR version) is a content problem, not a rendering
 * failure: it is logged once, remembered as missing, and the page goes on without it.
 *
 * The map's land is rasterised on a thread of its own (plain C into a pixel buffer, no
 * SDL there), so that however complex the shapes, the loop that draws frames and pets
 * the watchdog is never held up: until the land is ready the map shows without it,
 * then the owner is woken to draw again. Shapes beyond the rasteriser's limits are,
 * like an impossible QR code, logged once and left out.
 *
 * Pictures are decoded the same way, and everything that touches the disk happens on
 * that thread too: the loop only hands over the content path, the picture's id and
 * level. The thread opens the content database (once per content path: store_open
 * with its integrity check, which can take seconds on a board's SD card), reads the
 * level's bytes, checks the header against the stated size and the budget before
 * allocating, and decodes (tens of milliseconds at 4K on a desktop, several times that
 * on a board). The open Store belongs to the running job while there is one and is
 * kept by the renderer between jobs, untouched; it is closed after a join. Until the
 * pixels are there the picture's place shows the page's background. One picture at a
 * time; a texture is made from the pixels in the loop, within the budget. */
#define _POSIX_C_SOURCE 200809L
#include "display/render.h"

#include "base/log.h"
#include "base/utf8.h"

#include "pages/raster.h"
#include "display/image.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_FRAMES 16        /* text unused for this many frames is freed */
#define KEEP_IMAGE_FRAMES 256 /* images (the map above all) live much longer */

typedef struct {
    uint32_t hash;
    char *key; /* text, or image source */
    ItemKind kind;
    int size, bold;
    uint32_t color;
    SDL_Texture *tex; /* NULL: known to be impossible (a QR code too long); skip */
    int w, h;
    int above; /* text: rows above the line box (Arabic's marks), drawn that much higher */
    int box; /* text: the line box's height below its top, to centre a label */
    unsigned long used;
    size_t bytes; /* a picture: the decoded bytes it holds, counted against the budget */
} Entry;

/* One map raster in the background: a copy of the shapes in, pixels out. */
typedef struct {
    pthread_t thread;
    int joined;
    atomic_int done;
    char *key; /* the map item's source key and colour: the cache identity */
    uint32_t color;
    Shape shape; /* owned copy */
    int w, h;
    uint32_t *px; /* ARGB8888, w * h */
    int ok;       /* 0: the shapes exceeded the rasteriser's limits */
    void (*wake)(void *);
    void *wake_ctx;
} MapJob;

/* One picture read and decoded in the background: content path, id and level in, RGBA
 * pixels out. The job's thread alone uses `store` from start to join. */
typedef struct {
    pthread_t thread;
    int joined;
    atomic_int done;
    char key[48]; /* "picture:ID:LEVEL" */
    int id, level;
    char path[1100];  /* the content database */
    Store *store;     /* in: open already, or NULL (opened here); out: open, or NULL */
    int open_failed;  /* out: store_open refused path (err says why) */
    size_t budget;    /* the picture budget when started: a larger one is not decoded */
    uint8_t *px; /* RGBA, w * h, or NULL when refused */
    int w, h;
    char err[300];
    void (*wake)(void *);
    void *wake_ctx;
} PicJob;

struct Renderer {
    SDL_Renderer *sdl;
    Text *text;
    Entry *cache;
    int n, cap;
    unsigned long frame;
    MapJob *job; /* the running or finished background raster, or NULL */
    /* pictures: read from the content database the shown model came from, on the
     * decoding thread only */
    Store *pics;            /* open for pics_path between jobs (a job holds it meanwhile) */
    char pics_path[1100];
    int pics_failed;        /* store_open refused pics_path: placeholders, no more tries */
    char pics_err[300];
    size_t pic_bytes, pic_budget;
    PicJob *pic_job; /* the picture being decoded, or done and not yet collected */
    int pic_stale;   /* pic_job was started for content shown before: discarded when done */
    void (*wake)(void *);
    void *wake_ctx;
};

int render_create(SDL_Renderer *sdl, Text *text, Renderer **out)
{
    Renderer *r = calloc(1, sizeof *r);
    if (!r) {
        abort();
    }
    r->sdl = sdl;
    r->text = text;
    r->pic_budget = RENDER_PICTURE_BUDGET;
    *out = r;
    return 0;
}

/* Waits for the job's thread; bounded, as the rasteriser's work has limits. */
static void job_join(MapJob *j)
{
    if (!j->joined) {
        pthread_join(j->thread, NULL);
        j->joined = 1;
    }
}

static void job_free(MapJob *j)
{
    if (!j) {
        return;
    }
    job_join(j);
    free(j->key);
    free(j->shape.xy);
    free(j->shape.ring_len);
    free(j->px);
    free(j);
}

/* Waits for the job's thread; bounded: one header check and one decode. */
static void pic_join(PicJob *j)
{
    if (!j->joined) {
        pthread_join(j->thread, NULL);
        j->joined = 1;
    }
}

/* Joins and frees the job, closing the Store it holds (after the join: the thread no
 * longer uses it). Accepts NULL. */
static void pic_job_free(PicJob *j)
{
    if (!j) {
        return;
    }
    pic_join(j);
    store_close(j->store);
    free(j->px);
    free(j);
}

/* The job's thread: opens the content database if the job has none yet, reads the
 * level and decodes it after the header check. Everything here may block on the disk. */
static void *pic_decode(void *arg)
{
    PicJob *j = arg;
    unsigned char *data = NULL;
    size_t len = 0;
    PictureLevel info;
    j->px = NULL;
    if (!j->store && store_open(j->path, &j->store, j->err, sizeof j->err) != 0) {
        j->store = NULL;
        j->open_failed = 1;
    } else if (store_picture_read(j->store, j->id, j->level, &data, &len, &info, j->err,
                                  sizeof j->err) == 0) {
        size_t need = (size_t)(info.width > 0 ? info.width : 0) *
                      (size_t)(info.height > 0 ? info.height : 0) * 4;
        if (need > j->budget) { /* would never fit: not decoded, not allocated */
            snprintf(j->err, sizeof j->err, "%zu bytes do not fit the picture budget of "
                     "%zu bytes", need, j->budget);
        } else if (image_decode(data, len, info.format, info.width, info.height,
                                IMAGE_MAX_PIXELS, &j->px, &j->w, &j->h, j->err,
                                sizeof j->err) != 0) {
            j->px = NULL;
        }
        free(data);
    }
    atomic_store(&j->done, 1);
    if (j->wake) {
        j->wake(j->wake_ctx);
    }
    return NULL;
}

void render_destroy(Renderer *r)
{
    if (!r) {
        return;
    }
    job_free(r->job);
    pic_job_free(r->pic_job); /* waits for a running job: only at the end */
    store_close(r->pics);
    for (int i = 0; i < r->n; i++) {
        if (r->cache[i].tex) {
            SDL_DestroyTexture(r->cache[i].tex);
        }
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

/* A QR code as a texture with one pixel per module and a four-module quiet zone.
 * *missing is set when the data cannot be encoded at all (too long: libqrencode says
 * ERANGE), as opposed to a passing failure such as out of memory. */
static SDL_Texture *qr_texture(SDL_Renderer *sdl, const char *data, int *w, int *h,
                               int *missing)
{
    errno = 0;
    QRcode *qr = QRcode_encodeString8bit(data, 0, QR_ECLEVEL_M);
    if (!qr) {
        *missing = errno == ERANGE || errno == EINVAL;
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

/* A surface with transparent pixels to raster into. */
static SDL_Surface *canvas(int w, int h, Uint32 fill, RasterImage *img)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h > 0 ? h : 1, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (s) {
        SDL_FillRect(s, NULL, fill);
        img->px = s->pixels;
        img->w = s->w;
        img->h = s->h;
        img->stride = s->pitch / 4;
    }
    return s;
}

static SDL_Texture *to_texture(SDL_Renderer *sdl, SDL_Surface *s)
{
    if (!s) {
        return NULL;
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(sdl, s);
    if (t) {
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    }
    SDL_FreeSurface(s);
    return t;
}

/* The map's land: context first, then the region, each filled and outlined. Runs
 * on the job's thread. */
static void *map_raster(void *arg)
{
    MapJob *j = arg;
    const Shape *sh = &j->shape;
    RasterImage img = { j->px, j->w, j->h, j->w };
    for (size_t i = 0; i < (size_t)j->w * (size_t)j->h; i++) {
        j->px[i] = 0xFF000000u | j->color;
    }
    int off = 0;
    for (int i = 0; i < sh->n_focus; i++) {
        off += sh->ring_len[i];
    }
    const float *ctx = sh->xy + 2 * off;
    const int *ctx_len = sh->ring_len + sh->n_focus;
    int n_ctx = sh->n_rings - sh->n_focus;
    j->ok = raster_fill(&img, ctx, ctx_len, n_ctx, sh->context_fill) == 0 &&
            raster_stroke(&img, ctx, ctx_len, n_ctx, sh->context_width, sh->context_line) == 0 &&
            raster_fill(&img, sh->xy, sh->ring_len, sh->n_focus, sh->focus_fill) == 0 &&
            raster_stroke(&img, sh->xy, sh->ring_len, sh->n_focus, sh->focus_width,
                          sh->focus_line) == 0;
    atomic_store(&j->done, 1);
    if (j->wake) {
        j->wake(j->wake_ctx);
    }
    return NULL;
}

/* Starts rasterising the map item in the background. Returns 0, or -1 (nothing started). */
static int map_start(Renderer *r, const DrawItem *it, const char *key)
{
    const Shape *sh = it->shape;
    if (!sh || it->rect.w <= 0 || it->rect.h <= 0) {
        return -1;
    }
    MapJob *j = calloc(1, sizeof *j);
    int points = 0;
    for (int i = 0; i < sh->n_rings; i++) {
        points += sh->ring_len[i];
    }
    if (!j || !(j->key = strdup(key)) ||
        !(j->shape.xy = malloc(sizeof(float) * 2 * (size_t)(points > 0 ? points : 1))) ||
        !(j->shape.ring_len = malloc(sizeof(int) * (size_t)(sh->n_rings > 0 ? sh->n_rings : 1))) ||
        !(j->px = malloc(sizeof(uint32_t) * (size_t)it->rect.w * (size_t)it->rect.h))) {
        abort();
    }
    Shape *copy = &j->shape;
    float *xy = copy->xy;
    int *len = copy->ring_len;
    *copy = *sh;
    copy->xy = xy;
    copy->ring_len = len;
    memcpy(xy, sh->xy, sizeof(float) * 2 * (size_t)points);
    memcpy(len, sh->ring_len, sizeof(int) * (size_t)sh->n_rings);
    j->color = it->color;
    j->w = it->rect.w;
    j->h = it->rect.h;
    j->wake = r->wake;
    j->wake_ctx = r->wake_ctx;
    atomic_init(&j->done, 0);
    if (pthread_create(&j->thread, NULL, map_raster, j) != 0) {
        log_warn("render", "cannot start the map's raster thread");
        free(j->key);
        free(j->shape.xy);
        free(j->shape.ring_len);
        free(j->px);
        free(j);
        return -1;
    }
    r->job = j;
    return 0;
}

/* The finished job's pixels as a texture (NULL when it failed); frees the job. */
static SDL_Texture *map_take(Renderer *r)
{
    MapJob *j = r->job;
    r->job = NULL;
    SDL_Texture *tex = NULL;
    job_join(j);
    if (j->ok) {
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(j->px, j->w, j->h, 32, j->w * 4,
                                                            SDL_PIXELFORMAT_ARGB8888);
        if (s) {
            tex = SDL_CreateTextureFromSurface(r->sdl, s);
            SDL_FreeSurface(s);
        }
        if (tex) {
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
        }
    } else {
        log_warn("render", "the map's land shapes exceed what can be drawn (more than %d edges, "
                "or more than %d crossing one line); the map shows the sites without the land",
                RASTER_MAX_EDGES, RASTER_MAX_ACTIVE);
    }
    job_free(j);
    return tex;
}

/* Markers, cluster pills and the legend's symbols, with a white rim. */
static SDL_Texture *symbol_texture(SDL_Renderer *sdl, const char *which, int w, int h,
                                   uint32_t color)
{
    RasterImage img;
    SDL_Surface *s = canvas(w, h, 0, &img);
    if (!s) {
        return NULL;
    }
    float rim = h >= 16 ? h / 8.0f : 1.5f;
    if (!strcmp(which, "cluster")) {
        float r = h / 2.0f;
        float pill[] = { r, 0, w - r, 0, w - r, (float)h, r, (float)h };
        int four = 4;
        raster_circle(&img, r, r, r, 0xFFFFFF);
        raster_circle(&img, w - r, r, r, 0xFFFFFF);
        raster_fill(&img, pill, &four, 1, 0xFFFFFF);
        float inner[] = { r, rim, w - r, rim, w - r, h - rim, r, h - rim };
        raster_circle(&img, r, r, r - rim, color);
        raster_circle(&img, w - r, r, r - rim, color);
        raster_fill(&img, inner, &four, 1, color);
    } else {
        float r = (w < h ? w : h) / 2.0f;
        raster_circle(&img, w / 2.0f, h / 2.0f, r, 0xFFFFFF);
        raster_circle(&img, w / 2.0f, h / 2.0f, r - rim, color);
        if (!strcmp(which, "own")) { /* a dot in a ring: "you are here" */
            raster_circle(&img, w / 2.0f, h / 2.0f, r * 0.45f, 0xFFFFFF);
            raster_circle(&img, w / 2.0f, h / 2.0f, r * 0.3f, color);
        }
    }
    return to_texture(sdl, s);
}

static Entry *cache_find(Renderer *r, ItemKind kind, const char *key, int size, int bold,
                         uint32_t color, uint32_t *hash)
{
    uint32_t h = fnv1a(key, 2166136261u) ^ (uint32_t)(size * 31 + bold) ^
                 (color * 2654435761u) ^ (uint32_t)kind;
    *hash = h;
    for (int i = 0; i < r->n; i++) {
        Entry *e = &r->cache[i];
        if (e->hash == h && e->kind == kind && e->size == size && e->bold == bold &&
            e->color == color && strcmp(e->key, key) == 0) {
            e->used = r->frame;
            return e;
        }
    }
    return NULL;
}

/* Caches tex under the key; a NULL tex is cached only when missing is set (an
 * image that cannot be made, so that it is neither retried nor logged every frame). */
static Entry *cache_put(Renderer *r, uint32_t hash, ItemKind kind, const char *key, int size,
                        int bold, uint32_t color, SDL_Texture *tex, int missing)
{
    if (!tex && !missing) {
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
    e->hash = hash;
    e->key = strdup(key);
    if (!e->key) {
        abort();
    }
    e->kind = kind;
    e->size = size;
    e->bold = bold;
    e->color = color;
    e->tex = tex;
    e->w = e->h = e->above = e->box = 0;
    e->bytes = 0;
    if (tex) {
        SDL_QueryTexture(tex, NULL, NULL, &e->w, &e->h);
    }
    e->used = r->frame;
    return e;
}

/* The texture for text in a style: made once, then reused. For text with Arabic script
 * the paragraph direction (text_set_direction) is part of the style: a mixed line
 * opening with a Latin word looks different on a right-to-left page. */
static Entry *text_entry(Renderer *r, const char *s, int size, int bold, uint32_t color)
{
    uint32_t h;
    int style = (bold ? 1 : 0) | (text_is_bidi(s) ? (text_direction(r->text) + 1) << 1 : 0);
    Entry *e = cache_find(r, ITEM_TEXT, s, size, style, color, &h);
    if (e) {
        return e;
    }
    int above = 0, box = 0;
    SDL_Surface *surf = text_render_ink(r->text, s, size, bold, color, &above, &box);
    SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(r->sdl, surf) : NULL;
    SDL_FreeSurface(surf);
    e = cache_put(r, h, ITEM_TEXT, s, size, style, color, tex, 0);
    if (e) {
        e->above = above;
        e->box = box;
    }
    return e;
}

void render_set_content(Renderer *r, const char *db_path)
{
    const char *p = db_path ? db_path : "";
    if (strcmp(p, r->pics_path) == 0) {
        return;
    }
    /* new content: its pictures are other pictures (ids are per database). A job still
     * running for the old content is not waited for here (that would hold the loop up
     * for as long as its disk takes): it is discarded with its Store when it is done. */
    if (r->pic_job) {
        r->pic_stale = 1;
    }
    store_close(r->pics); /* not in use: no job holds it */
    r->pics = NULL;
    r->pics_failed = 0;
    r->pics_err[0] = '\0';
    snprintf(r->pics_path, sizeof r->pics_path, "%s", p);
    int k = 0;
    for (int i = 0; i < r->n; i++) {
        if (strncmp(r->cache[i].key, "picture:", 8) == 0) {
            if (r->cache[i].tex) {
                SDL_DestroyTexture(r->cache[i].tex);
            }
            free(r->cache[i].key);
        } else {
            r->cache[k++] = r->cache[i];
        }
    }
    r->n = k;
    r->pic_bytes = 0;
}

void render_set_picture_budget(Renderer *r, size_t bytes)
{
    r->pic_budget = bytes;
}

size_t render_picture_bytes(const Renderer *r)
{
    return r->pic_bytes;
}

/* Frees least recently used pictures not drawn in this frame until `need` more bytes
 * fit the budget. Returns 0 when they fit. */
static int picture_room(Renderer *r, size_t need)
{
    while (r->pic_bytes + need > r->pic_budget) {
        int lru = -1;
        for (int i = 0; i < r->n; i++) {
            Entry *e = &r->cache[i];
            if (e->bytes && e->used != r->frame && (lru < 0 || e->used < r->cache[lru].used)) {
                lru = i;
            }
        }
        if (lru < 0) {
            return -1;
        }
        SDL_DestroyTexture(r->cache[lru].tex);
        free(r->cache[lru].key);
        r->pic_bytes -= r->cache[lru].bytes;
        r->cache[lru] = r->cache[--r->n];
    }
    return 0;
}

/* Starts reading and decoding the stored picture level key ("picture:ID:LEVEL") on the
 * job's thread, which gets the content path, the open Store (if any) and the budget; no
 * disk access here. Returns 0 when started, -1 (err set) when the picture cannot be
 * shown at all. */
static int picture_start(Renderer *r, const char *key, char *err, size_t errlen)
{
    int id = 0, level = -1;
    err[0] = '\0';
    if (sscanf(key, "picture:%d:%d", &id, &level) != 2) {
        snprintf(err, errlen, "not a picture key");
        return -1;
    }
    if (!r->pics_path[0]) {
        snprintf(err, errlen, "no content database to read pictures from");
        return -1;
    }
    if (r->pics_failed) {
        snprintf(err, errlen, "%s", r->pics_err);
        return -1;
    }
    PicJob *j = calloc(1, sizeof *j);
    if (!j) {
        abort();
    }
    snprintf(j->key, sizeof j->key, "%s", key);
    snprintf(j->path, sizeof j->path, "%s", r->pics_path);
    j->id = id;
    j->level = level;
    j->budget = r->pic_budget;
    j->store = r->pics; /* the job's alone until it is joined */
    j->wake = r->wake;
    j->wake_ctx = r->wake_ctx;
    atomic_init(&j->done, 0);
    if (pthread_create(&j->thread, NULL, pic_decode, j) != 0) {
        snprintf(err, errlen, "cannot start a decoding thread");
        free(j);
        return -1;
    }
    r->pics = NULL;
    r->pic_job = j;
    r->pic_stale = 0;
    return 0;
}

/* Takes a finished picture job into the cache (as a texture within the budget, or as a
 * placeholder with the reason logged once), whichever page is up now. */
static void picture_collect(Renderer *r)
{
    PicJob *j = r->pic_job;
    if (!j || !atomic_load(&j->done)) {
        return;
    }
    r->pic_job = NULL;
    pic_join(j); /* done: returns at once */
    if (r->pic_stale) { /* started for content that is no longer shown */
        r->pic_stale = 0;
        pic_job_free(j);
        return;
    }
    /* the Store goes back to the renderer for the next job (or the reason it failed) */
    r->pics = j->store;
    j->store = NULL;
    if (j->open_failed) {
        r->pics_failed = 1;
        snprintf(r->pics_err, sizeof r->pics_err, "%s", j->err);
    }
    SDL_Texture *tex = NULL;
    size_t need = (size_t)j->w * (size_t)j->h * 4;
    if (j->px && picture_room(r, need) != 0) {
        snprintf(j->err, sizeof j->err, "%zu bytes do not fit the picture budget of %zu bytes",
                 need, r->pic_budget);
    } else if (j->px) {
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(j->px, j->w, j->h, 32, j->w * 4,
                                                            SDL_PIXELFORMAT_RGBA32);
        tex = s ? SDL_CreateTextureFromSurface(r->sdl, s) : NULL;
        SDL_FreeSurface(s);
        if (tex) {
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
            SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
        } else {
            snprintf(j->err, sizeof j->err, "no texture: %s", SDL_GetError());
        }
    }
    if (!tex) {
        log_warn("render", "%s is shown as a placeholder: %s", j->key, j->err);
    }
    uint32_t h;
    if (!cache_find(r, ITEM_IMAGE, j->key, 0, 0, 0, &h)) {
        Entry *e = cache_put(r, h, ITEM_IMAGE, j->key, 0, 0, 0, tex, 1);
        if (e && tex) {
            e->bytes = need;
            r->pic_bytes += need;
        }
    } else if (tex) {
        SDL_DestroyTexture(tex);
    }
    pic_job_free(j);
}

/* The cache entry of a picture item: ready (a texture, or a placeholder when it cannot be
 * shown), or NULL while it is being decoded (started here when nothing else is). */
static Entry *picture_entry(Renderer *r, const DrawItem *it)
{
    uint32_t h;
    picture_collect(r);
    Entry *e = cache_find(r, ITEM_IMAGE, it->text, 0, 0, 0, &h);
    if (e || r->pic_job) {
        return e;
    }
    char err[300];
    if (picture_start(r, it->text, err, sizeof err) != 0) {
        log_warn("render", "%s is shown as a placeholder: %s", it->text, err);
        return cache_put(r, h, ITEM_IMAGE, it->text, 0, 0, 0, NULL, 1);
    }
    return NULL;
}

/* The texture for a generated image (QR code, symbol, marker, pill, map). */
static Entry *image_entry(Renderer *r, const DrawItem *it)
{
    char key[200];
    const char *k = key;
    if (it->kind == ITEM_MARKER) {
        snprintf(key, sizeof key, "symbol:%s:%dx%d", it->text ? it->text : "marker", it->rect.w,
                 it->rect.h);
    } else if (it->kind == ITEM_CLUSTER) {
        snprintf(key, sizeof key, "symbol:cluster:%dx%d", it->rect.w, it->rect.h);
    } else if (it->kind == ITEM_IMAGE && strncmp(it->text, "symbol:", 7) == 0) {
        snprintf(key, sizeof key, "%s:%dx%d", it->text, it->rect.w, it->rect.h);
    } else {
        k = it->text;
    }
    uint32_t h;
    Entry *e = cache_find(r, ITEM_IMAGE, k, 0, 0, it->color, &h);
    if (e) {
        return e;
    }
    SDL_Texture *tex = NULL;
    int w, hh, missing = 0;
    if (strncmp(k, "qr:", 3) == 0) {
        tex = qr_texture(r->sdl, k + 3, &w, &hh, &missing);
        if (missing) {
            char shown[64];
            utf8_copy_cut(shown, sizeof shown, k + 3);
            log_warn("render", "no QR code for the web address '%s' (%zu bytes): it does not "
                    "fit into a QR code; the page is shown without it", shown, strlen(k + 3));
        }
    } else if (strncmp(k, "symbol:", 7) == 0) {
        char which[16];
        sscanf(k + 7, "%15[a-z]", which);
        tex = symbol_texture(r->sdl, which, it->rect.w, it->rect.h, it->color);
    }
    return cache_put(r, h, ITEM_IMAGE, k, 0, 0, it->color, tex, missing);
}

/* Takes a finished background raster into the cache under its own key (a refused one is
 * remembered as missing), whether or not the frame being drawn still shows that map. */
static void job_collect(Renderer *r)
{
    if (!r->job || !atomic_load(&r->job->done)) {
        return;
    }
    uint32_t color = r->job->color, h;
    char *key = strdup(r->job->key);
    if (!key) {
        abort();
    }
    SDL_Texture *tex = map_take(r);
    if (!cache_find(r, ITEM_IMAGE, key, 0, 0, color, &h)) {
        cache_put(r, h, ITEM_IMAGE, key, 0, 0, color, tex, 1);
    } else {
        SDL_DestroyTexture(tex);
    }
    free(key);
}

/* The map's land as a texture when it is ready; NULL while it is being rasterised in
 * the background (started here when needed) or when its shapes exceed the limits. */
static Entry *map_entry(Renderer *r, const DrawItem *it)
{
    uint32_t h;
    job_collect(r);
    Entry *e = cache_find(r, ITEM_IMAGE, it->text, 0, 0, it->color, &h);
    if (e) {
        return e->tex ? e : NULL; /* a map refused for its limits is remembered as missing */
    }
    if (!r->job) { /* one raster at a time; its end wakes the owner to draw again */
        map_start(r, it, it->text);
    }
    return NULL;
}

void render_set_wake(Renderer *r, void (*wake)(void *ctx), void *ctx)
{
    r->wake = wake;
    r->wake_ctx = ctx;
}

int render_pending(const Renderer *r)
{
    return r->job != NULL || r->pic_job != NULL;
}

int render_ready(const Renderer *r)
{
    return (r->job && atomic_load(&r->job->done)) ||
           (r->pic_job && atomic_load(&r->pic_job->done));
}

void render_finish(Renderer *r)
{
    if (r->job) {
        job_join(r->job);
    }
    if (r->pic_job) { /* done, not yet collected: the next render_exec takes it */
        pic_join(r->pic_job);
    }
}

static void evict(Renderer *r)
{
    int k = 0;
    for (int i = 0; i < r->n; i++) {
        unsigned long keep = r->cache[i].kind == ITEM_IMAGE ? KEEP_IMAGE_FRAMES : KEEP_FRAMES;
        if (r->frame - r->cache[i].used >= keep) {
            if (r->cache[i].tex) {
                SDL_DestroyTexture(r->cache[i].tex);
            }
            r->pic_bytes -= r->cache[i].bytes;
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
    /* the strings are drawn in the direction they were measured in: the page's */
    text_set_direction(r->text, dl->rtl ? 1 : TEXT_DIR_AUTO);
    job_collect(r); /* a raster that finished while another page was up: keep, not redo */
    picture_collect(r); /* likewise a picture (or a stale job ends), so ready turns 0 */
    picture_room(r, 0); /* a budget lowered since the last frame holds from this one */
    uint32_t bg = dl->background;
    SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r->sdl, (Uint8)(bg >> 16), (Uint8)(bg >> 8), (Uint8)bg, 255);
    SDL_RenderClear(r->sdl);
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *it = &dl->items[i];
        SDL_Rect rc = { it->rect.x, it->rect.y, it->rect.w, it->rect.h };
        if (it->kind == ITEM_RECT) {
            SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_NONE);
            SDL_SetRenderDrawColor(r->sdl, (Uint8)(it->color >> 16), (Uint8)(it->color >> 8),
                                   (Uint8)it->color, 255);
            SDL_RenderFillRect(r->sdl, &rc);
            continue;
        }
        Entry *e = NULL;
        if (it->kind == ITEM_MAP) {
            e = it->text ? map_entry(r, it) : NULL;
            if (e) {
                SDL_RenderCopy(r->sdl, e->tex, NULL, &rc);
            }
            continue; /* not ready yet, or refused (logged): the page goes on without it */
        }
        if (it->kind == ITEM_IMAGE && it->text && !strncmp(it->text, "picture:", 8)) {
            e = picture_entry(r, it);
            if (e && e->tex) {
                SDL_RenderCopy(r->sdl, e->tex, NULL, &rc);
            } else if (e) {
                /* a picture that fails: a neutral placeholder, never a hole or a crash */
                int b = it->rect.w < it->rect.h ? it->rect.w : it->rect.h;
                b = b / 60 > 1 ? b / 60 : 1;
                SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_NONE);
                SDL_SetRenderDrawColor(r->sdl, 0xC8, 0xC4, 0xC0, 255);
                SDL_RenderFillRect(r->sdl, &rc);
                SDL_Rect in = { rc.x + b, rc.y + b, rc.w - 2 * b, rc.h - 2 * b };
                SDL_SetRenderDrawColor(r->sdl, 0xE8, 0xE6, 0xE3, 255);
                SDL_RenderFillRect(r->sdl, &in);
            }
            continue; /* NULL: being decoded; the background shows until it is ready */
        }
        if (it->kind == ITEM_TEXT || it->kind == ITEM_LABEL) {
            if (!it->text || !*it->text) {
                continue;
            }
            e = text_entry(r, it->text, it->size, it->bold, it->color);
            if (e && it->kind == ITEM_LABEL) {
                /* a light halo keeps the label readable over the map */
                SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_BLEND);
                SDL_SetRenderDrawColor(r->sdl, 255, 255, 255, 200);
                SDL_RenderFillRect(r->sdl, &rc);
                rc.x += (it->rect.w - e->w) / 2;
                rc.y += (it->rect.h - e->box) / 2;
            }
            if (e) {
                /* the drawn width may differ from the measured one by a pixel of
                 * rounding: right-aligned text (mirrored pages) keeps its right edge */
                if (it->kind == ITEM_TEXT && it->align == ALIGN_RIGHT) {
                    rc.x += it->rect.w - e->w;
                } else if (it->kind == ITEM_TEXT && it->align == ALIGN_CENTER) {
                    rc.x += (it->rect.w - e->w) / 2;
                }
                rc.y -= e->above;
                rc.w = e->w;
                rc.h = e->h;
            }
        } else {
            e = it->text || it->kind == ITEM_MARKER || it->kind == ITEM_CLUSTER
                    ? image_entry(r, it)
                    : NULL;
            if (e && !e->tex) {
                continue; /* cannot be made; logged once when first found */
            }
            if (e && it->kind == ITEM_IMAGE && strncmp(it->text, "qr:", 3) == 0) {
                /* whole pixels per module keep the code sharp and scannable */
                int scale = it->rect.w / e->w;
                scale = scale < 1 ? 1 : scale;
                rc.w = rc.h = e->w * scale;
                rc.x += (it->rect.w - rc.w) / 2;
                rc.y += (it->rect.h - rc.h) / 2;
            }
        }
        if (!e) {
            char shown[48];
            utf8_copy_cut(shown, sizeof shown, it->text ? it->text : "");
            log_warn("render", "cannot draw item %d ('%s'): %s", i, shown, SDL_GetError());
            failed++;
            continue;
        }
        SDL_RenderCopy(r->sdl, e->tex, NULL, &rc);
        if (it->kind == ITEM_CLUSTER && it->text) {
            Entry *t = text_entry(r, it->text, it->size, 1, 0xFFFFFF);
            if (t) {
                SDL_Rect tr = { it->rect.x + (it->rect.w - t->w) / 2,
                                it->rect.y + (it->rect.h - t->box) / 2 - t->above,
                                t->w, t->h };
                SDL_RenderCopy(r->sdl, t->tex, NULL, &tr);
            }
        }
    }
    evict(r);
    SDL_RenderFlush(r->sdl); /* the pixels are in the target now (screenshots read them) */
    return failed;
}
