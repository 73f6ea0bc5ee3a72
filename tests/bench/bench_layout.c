/* bench_layout: time to lay out and to draw each page (software renderer) at each
 * target resolution, on the default content. Prints numbers; never fails on a
 * timing. */
#define _POSIX_C_SOURCE 200809L
#include "content/build.h"
#include "base/clock.h"
#include "pages/layout.h"
#include "display/render.h"
#include "store/store.h"
#include "display/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    char err[512];
    const char *dir = LITFASS_SOURCE_DIR "/fonts";
    const char *path = LITFASS_SOURCE_DIR "/content/campaign.md";
    Text *text;
    if (text_open(dir, &text, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    TextMetrics tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    char db[600];
    const char *src = LITFASS_CONTENT_DIR;
    snprintf(db, sizeof db, "%s/bench-layout.litfass", argc > 1 ? argv[1] : "/tmp");
    if (build_content(src, db, 1, 0, NULL, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    (void)path;
    Model m;
    memset(&m, 0, sizeof m);
    store_load_path(db, &m);
    remove(db);
    int64_t t;
    clock_parse_iso("2021-06-01T15:20", &t);

    static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };
    printf("%-9s %-10s %10s %6s %13s %13s\n", "page", "size", "layout ms", "items",
           "draw cold ms", "draw warm ms");
    static const char *const pages[] = { "campaign", "map", "schedule" };
    for (size_t pg = 0; pg < 3; pg++)
    for (size_t i = 0; i < 4; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        enum { N = 15 };
        double lt[N];
        DrawList dl;
        drawlist_init(&dl, w, h);
        for (int k = 0; k < N; k++) {
            double t0 = now_ms();
            layout_build(&m, pages[pg], w, h, LAYOUT_ENV(t + k * 60000), &tm, &dl);
            lt[k] = now_ms() - t0;
        }
        qsort(lt, N, sizeof lt[0], cmp);
        SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
        Renderer *r;
        render_create(sdl, text, &r);
        double t0 = now_ms();
        render_exec(r, &dl);
        render_finish(r); /* the map's land, rasterised beside the loop */
        render_exec(r, &dl);
        double cold = now_ms() - t0;
        double wt[N];
        for (int k = 0; k < N; k++) {
            t0 = now_ms();
            render_exec(r, &dl);
            wt[k] = now_ms() - t0;
        }
        qsort(wt, N, sizeof wt[0], cmp);
        printf("%-9s %4dx%-5d %10.2f %6d %13.2f %13.2f\n", pages[pg], w, h, lt[N / 2], dl.n, cold,
               wt[N / 2]);
        render_destroy(r);
        SDL_DestroyRenderer(sdl);
        SDL_FreeSurface(surf);
        drawlist_free(&dl);
    }
    printf("(median of 15; layout = the whole page: text measuring, wrapping and fitting;\n"
           " draw = software renderer, cold = first frame with text textures created)\n");
    model_free(&m);
    text_close(text);
    return 0;
}
