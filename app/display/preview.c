/* preview: one rotation is walked exactly as the kiosk walks it — each configured page
 * for max(page_seconds, its panel pages x panel interval), each panel page at its own
 * moment — so that what staff see here is what the screen will show, frame by frame. */
#define _POSIX_C_SOURCE 200809L
#include "display/preview.h"

#include "base/log.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *page;
    int panel, panels;
    int64_t at_ms; /* from the start of the rotation */
    const DrawList *dl;
} Frame;

typedef int (*FrameFn)(void *ctx, int w, int h, const Frame *f);

/* Walks the rotation at w x h, calling fn for every frame; stops at fn's first
 * non-zero result and returns it. */
static int rotation(const Model *m, const TextMetrics *tm, const PreviewOptions *o, int w, int h,
                    FrameFn fn, void *ctx)
{
    char pages[sizeof o->cfg->pages];
    snprintf(pages, sizeof pages, "%s", o->cfg->pages);
    int64_t at = 0;
    int rc = 0;
    for (char *save = NULL, *pg = strtok_r(pages, ",", &save); pg && !rc;
         pg = strtok_r(NULL, ",", &save)) {
        int panels = 1;
        int64_t panel_ms = 0;
        for (int k = 0; k < panels && !rc; k++) {
            DrawList dl;
            drawlist_init(&dl, w, h);
            int64_t page_ms = k * panel_ms;
            const UiLanguage *lang = ui_language_find(o->lang ? o->lang : "de");
            LayoutEnv env = { o->now_ms + at + page_ms, page_ms,
                              o->cfg->site_id[0] ? o->cfg->site_id : NULL, NULL, 0, 0,
                              lang ? lang->code : NULL, lang ? lang->rtl : 0 };
            layout_build(m, pg, w, h, &env, tm, &dl);
            if (k == 0 && dl.panel_pages > 1) {
                panels = dl.panel_pages;
                panel_ms = dl.panel_ms;
            }
            Frame f = { pg, k, panels, at + page_ms, &dl };
            rc = fn(ctx, w, h, &f);
            drawlist_free(&dl);
        }
        int64_t stay = (int64_t)o->cfg->page_seconds * 1000;
        at += panels * panel_ms > stay ? panels * panel_ms : stay;
    }
    return rc;
}

/* The overflows of a frame, each reported once per size and page: printed to warn,
 * or handed to found. */
typedef struct {
    FILE *warn;
    PreviewOverflowFn found;
    void *ctx;
    int count;
    char seen[64][160];
    int n_seen;
} Warnings;

static void warn_frame(Warnings *wn, int w, int h, const Frame *f)
{
    for (int i = 0; i < f->dl->n_overflow; i++) {
        const Overflow *ov = &f->dl->overflow[i];
        char key[160];
        snprintf(key, sizeof key, "%dx%d %s %s %s", w, h, f->page, ov->what, ov->from);
        int dup = 0;
        for (int s = 0; s < wn->n_seen && !dup; s++) {
            dup = strcmp(wn->seen[s], key) == 0;
        }
        if (dup) {
            continue;
        }
        if (wn->n_seen < 64) {
            snprintf(wn->seen[wn->n_seen++], sizeof wn->seen[0], "%s", key);
        }
        wn->count++;
        if (wn->found) {
            wn->found(wn->ctx, w, h, f->page, ov);
        }
        if (wn->warn) {
            char from[200];
            log_sanitize(ov->from, from, sizeof from);
            fprintf(wn->warn,
                    "preview: %dx%d %s: %s does not fit, cut from \xc2\xbb%s\xc2\xab on (%d of %d "
                    "shown in full)\n",
                    w, h, f->page, ov->what, from, ov->shown, ov->total);
        }
    }
}

static int check_frame(void *ctx, int w, int h, const Frame *f)
{
    warn_frame(ctx, w, h, f);
    return 0;
}

int preview_check(const Model *m, Text *text, const PreviewOptions *o, PreviewOverflowFn found,
                  void *ctx)
{
    TextMetrics tm = text_metrics(text);
    const UiLanguage *dir_lang = ui_language_find(o->lang ? o->lang : "de");
    /* a right-to-left language's strings are measured (and drawn) right to left */
    text_set_direction(text, dir_lang && dir_lang->rtl ? 1 : TEXT_DIR_AUTO);
    Warnings wn = { NULL, found, ctx, 0, { { 0 } }, 0 };
    for (int s = 0; s < o->n_sizes; s++) {
        rotation(m, &tm, o, o->w[s], o->h[s], check_frame, &wn);
    }
    return wn.count;
}

static int write_json(const DrawList *dl, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -1;
    }
    int rc = drawlist_write_json(dl, f);
    if (fclose(f) != 0) {
        rc = -1;
    }
    return rc;
}

int preview_shot(Renderer *r, SDL_Surface *surf, const DrawList *dl, const char *png,
                 const char *json, char *err, size_t errlen)
{
    int failed = render_exec(r, dl);
    /* a picture waits for the map's land or for its pictures, decoded one at a time */
    for (int round = 0; !failed && render_pending(r) && round < 64; round++) {
        render_finish(r);
        failed = render_exec(r, dl);
    }
    if (failed) {
        snprintf(err, errlen, "%s: %d items could not be drawn", png, failed);
        return -1;
    }
    if (IMG_SavePNG(surf, png) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", png, IMG_GetError());
        return -1;
    }
    if (write_json(dl, json) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", json, strerror(errno));
        return -1;
    }
    return 0;
}

/* HTML text: <, >, & and quotes escaped. */
static void html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

typedef struct {
    const char *dir;
    Renderer *r;
    SDL_Surface *surf;
    FILE *frames, *index;
    int n, k; /* frames in all, frames of this size */
    Warnings wn;
    char err[600];
} Writer;

static int write_frame(void *ctx, int w, int h, const Frame *f)
{
    Writer *wr = ctx;
    char name[96], png[4200], json[4200];
    if (f->panels > 1) {
        snprintf(name, sizeof name, "%dx%d/%02d-%s-%d", w, h, wr->k, f->page, f->panel + 1);
    } else {
        snprintf(name, sizeof name, "%dx%d/%02d-%s", w, h, wr->k, f->page);
    }
    snprintf(png, sizeof png, "%s/%s.png", wr->dir, name);
    snprintf(json, sizeof json, "%s/%s.json", wr->dir, name);
    if (preview_shot(wr->r, wr->surf, f->dl, png, json, wr->err, sizeof wr->err) != 0) {
        return -1;
    }
    fprintf(wr->frames, "%s\n  {\"size\": \"%dx%d\", \"page\": \"%s\", \"at_ms\": %lld, "
                        "\"png\": \"%s.png\", \"json\": \"%s.json\"}",
            wr->n ? "," : "", w, h, f->page, (long long)f->at_ms, name, name);
    warn_frame(&wr->wn, w, h, f);
    long long s = f->at_ms / 1000;
    fprintf(wr->index, "<figure%s><a href=\"%s.png\"><img src=\"%s.png\" alt=\"\"></a>"
                       "<figcaption>%s",
            f->dl->n_overflow ? " class=\"cut\"" : "", name, name, f->page);
    if (f->panels > 1) {
        fprintf(wr->index, " %d/%d", f->panel + 1, f->panels);
    }
    fprintf(wr->index, " &middot; %lld:%02lld", s / 60, s % 60);
    for (int i = 0; i < f->dl->n_overflow; i++) {
        fputs("<br>nicht vollständig: ", wr->index);
        html(wr->index, f->dl->overflow[i].from);
    }
    fputs("</figcaption></figure>\n", wr->index);
    wr->n++;
    wr->k++;
    return 0;
}

static int make_dir(const char *path, char *err, size_t errlen)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int preview_write(const Model *m, Text *text, const PreviewOptions *o, const char *dir,
                  FILE *warn, char *err, size_t errlen)
{
    TextMetrics tm = text_metrics(text);
    const UiLanguage *dir_lang = ui_language_find(o->lang ? o->lang : "de");
    /* a right-to-left language's strings are measured (and drawn) right to left */
    text_set_direction(text, dir_lang && dir_lang->rtl ? 1 : TEXT_DIR_AUTO);
    char path[4200];
    Writer wr = { dir, NULL, NULL, NULL, NULL, 0, 0, { warn, NULL, NULL, 0, { { 0 } }, 0 }, "" };
    int rc = -1;
    if (make_dir(dir, err, errlen) != 0) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/frames.json", dir);
    wr.frames = fopen(path, "w");
    snprintf(path, sizeof path, "%s/index.html", dir);
    wr.index = fopen(path, "w");
    if (!wr.frames || !wr.index) {
        snprintf(err, errlen, "cannot write into %s: %s", dir, strerror(errno));
        goto fail;
    }
    fputs("[", wr.frames);
    fprintf(wr.index,
            "<!doctype html>\n<html lang=\"de\"><meta charset=\"utf-8\">\n"
            "<title>Litfass: Vorschau</title>\n<style>body{font-family:sans-serif;margin:1em}"
            "figure{display:inline-block;margin:.4em;vertical-align:top;max-width:22em}"
            "img{width:100%%;border:1px solid #ccc}figure.cut img{border:3px solid #e60005}"
            "figcaption{font-size:.85em}</style>\n"
            "<h1>Vorschau: eine volle Runde, Inhalt Version %lld</h1>\n",
            (long long)m->content_version);
    for (int s = 0; s < o->n_sizes; s++) {
        int w = o->w[s], h = o->h[s];
        snprintf(path, sizeof path, "%s/%dx%d", dir, w, h);
        if (make_dir(path, err, errlen) != 0) {
            goto fail;
        }
        wr.surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        SDL_Renderer *sdl = wr.surf ? SDL_CreateSoftwareRenderer(wr.surf) : NULL;
        if (!sdl || render_create(sdl, text, &wr.r) != 0) {
            snprintf(err, errlen, "cannot create a %dx%d software renderer: %s", w, h,
                     SDL_GetError());
            SDL_FreeSurface(wr.surf);
            goto fail;
        }
        render_set_content(wr.r, o->db);
        fprintf(wr.index, "<h2>%dx%d</h2>\n", w, h);
        wr.k = 0;
        int failed = rotation(m, &tm, o, w, h, write_frame, &wr);
        render_destroy(wr.r);
        SDL_DestroyRenderer(sdl);
        SDL_FreeSurface(wr.surf);
        if (failed) {
            snprintf(err, errlen, "%s", wr.err);
            goto fail;
        }
    }
    fputs("\n]\n", wr.frames);
    fprintf(wr.index, "<p>%d %s</p>\n</html>\n", wr.wn.count,
            wr.wn.count == 1 ? "Text passt nicht vollständig (rot umrandet)"
                             : "Texte passen nicht vollständig (rot umrandet)");
    rc = wr.wn.count;
fail:
    if (wr.frames && fclose(wr.frames) != 0 && rc >= 0) {
        snprintf(err, errlen, "cannot write %s/frames.json", dir);
        rc = -1;
    }
    if (wr.index && fclose(wr.index) != 0 && rc >= 0) {
        snprintf(err, errlen, "cannot write %s/index.html", dir);
        rc = -1;
    }
    return rc;
}
