/* text: SDL_ttf opens one TTF_Font per pixel size; opening from the in-memory
 * file is cheap, and the small cache below keeps the sizes a page uses. Layout's
 * size search touches a few dozen sizes, so the cache evicts the least recently
 * used entry instead of growing. */
#include "display/text.h"

#include "base/log.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_CACHE 48
#define TEXT_MAX_SIZE 1000

typedef struct {
    TTF_Font *font;
    int size, bold;
    unsigned long used;
} FontSlot;

struct Text {
    void *file[2]; /* regular, bold: whole font files */
    size_t file_len[2];
    FontSlot slots[FONT_CACHE];
    unsigned long tick;
    char *scratch;
    size_t scratch_len;
};

static int load_file(const char *path, void **data, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "text: cannot open font %s: %s", path, strerror(errno));
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n <= 0 || n > 64L * 1024 * 1024) {
        fclose(f);
        snprintf(err, errlen, "text: font %s is empty or too large", path);
        return -1;
    }
    *data = malloc((size_t)n);
    if (!*data) {
        abort();
    }
    size_t got = fread(*data, 1, (size_t)n, f);
    fclose(f);
    if (got != (size_t)n) {
        snprintf(err, errlen, "text: cannot read font %s", path);
        return -1;
    }
    *len = (size_t)n;
    return 0;
}

static TTF_Font *font_get(Text *t, int size, int bold)
{
    bold = bold ? 1 : 0;
    if (size < 1) {
        size = 1;
    } else if (size > TEXT_MAX_SIZE) {
        size = TEXT_MAX_SIZE;
    }
    FontSlot *victim = &t->slots[0];
    t->tick++;
    for (int i = 0; i < FONT_CACHE; i++) {
        FontSlot *s = &t->slots[i];
        if (s->font && s->size == size && s->bold == bold) {
            s->used = t->tick;
            return s->font;
        }
        if (!s->font || (victim->font && s->used < victim->used)) {
            victim = s;
        }
    }
    if (victim->font) {
        TTF_CloseFont(victim->font);
    }
    SDL_RWops *rw = SDL_RWFromConstMem(t->file[bold], (int)t->file_len[bold]);
    victim->font = rw ? TTF_OpenFontRW(rw, 1, size) : NULL;
    if (!victim->font) {
        log_msg("text", "cannot open font at size %d: %s", size, TTF_GetError());
        return NULL;
    }
    TTF_SetFontHinting(victim->font, TTF_HINTING_LIGHT);
    victim->size = size;
    victim->bold = bold;
    victim->used = t->tick;
    return victim->font;
}

int text_open(const char *font_dir, Text **out, char *err, size_t errlen)
{
    *out = NULL;
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "text: cannot initialise SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    Text *t = calloc(1, sizeof *t);
    if (!t) {
        abort();
    }
    const char *names[2] = { TEXT_FONT_REGULAR, TEXT_FONT_BOLD };
    for (int i = 0; i < 2; i++) {
        char path[4096 + 64];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", font_dir, names[i]) >= sizeof path) {
            snprintf(err, errlen, "text: the font folder's path is too long (%zu bytes)",
                     strlen(font_dir));
            text_close(t);
            return -1;
        }
        if (load_file(path, &t->file[i], &t->file_len[i], err, errlen)) {
            text_close(t);
            return -1;
        }
        if (!font_get(t, 20, i)) {
            snprintf(err, errlen, "text: %s is not a usable font: %s", path, TTF_GetError());
            text_close(t);
            return -1;
        }
    }
    *out = t;
    return 0;
}

void text_close(Text *t)
{
    if (!t) {
        return;
    }
    for (int i = 0; i < FONT_CACHE; i++) {
        if (t->slots[i].font) {
            TTF_CloseFont(t->slots[i].font);
        }
    }
    free(t->file[0]);
    free(t->file[1]);
    free(t->scratch);
    free(t);
    TTF_Quit();
}

static const char *terminated(Text *t, const char *s, size_t len)
{
    if (len + 1 > t->scratch_len) {
        t->scratch_len = (len + 1) * 2;
        t->scratch = realloc(t->scratch, t->scratch_len);
        if (!t->scratch) {
            abort();
        }
    }
    memcpy(t->scratch, s, len);
    t->scratch[len] = '\0';
    return t->scratch;
}

static int metric_width(void *ctx, const char *s, size_t len, int size, int bold)
{
    Text *t = ctx;
    TTF_Font *f = font_get(t, size, bold);
    int w = 0, h = 0;
    if (!f || len == 0) {
        return 0;
    }
    if (TTF_SizeUTF8(f, terminated(t, s, len), &w, &h) != 0) {
        return 0;
    }
    return w;
}

static int metric_line_height(void *ctx, int size, int bold)
{
    TTF_Font *f = font_get(ctx, size, bold);
    return f ? TTF_FontLineSkip(f) : size;
}

TextMetrics text_metrics(Text *t)
{
    TextMetrics m = { t, metric_width, metric_line_height };
    return m;
}

SDL_Surface *text_render(Text *t, const char *s, int size, int bold, uint32_t color)
{
    TTF_Font *f = font_get(t, size, bold);
    if (!f || !*s) {
        return NULL;
    }
    SDL_Color c = { (Uint8)(color >> 16), (Uint8)(color >> 8), (Uint8)color, 255 };
    return TTF_RenderUTF8_Blended(f, s, c);
}
