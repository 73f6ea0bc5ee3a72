/* bench_hostile: the cost of the heaviest content a signed bundle can hold (every
 * text at the store's 8 KB cap, 1 000 campaign blocks, 10 000 events on one day,
 * 20 000 sites, a map of 2 rings x 100 000 zig-zag points): layout of each page and the
 * first draw (the map rasterised) at each screen size. Prints numbers; never fails on a
 * timing. Usage: bench_hostile [SIZE...] (default: all four sizes). */
#define _POSIX_C_SOURCE 200809L
#include "hostile.h"

#include "base/clock.h"
#include "display/render.h"
#include "display/text.h"
#include "pages/layout.h"
#include "pages/raster.h"

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

int main(int argc, char **argv)
{
    char err[512];
    Text *text;
    if (text_open(LITFASS_SOURCE_DIR "/fonts", &text, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    TextMetrics tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    Model m;
    hostile_model(&m);
    static const char *const all[] = { "1280x720", "1920x1080", "3840x2160", "1080x1920" };
    const char *const *sizes = argc > 1 ? (const char *const *)argv + 1 : all;
    int n_sizes = argc > 1 ? argc - 1 : 4;
    static const char *const pages[] = { "campaign", "map", "schedule" };
    printf("%-10s %-9s %12s %12s %10s\n", "size", "page", "layout", "first draw", "items");
    double worst = 0;
    for (int s = 0; s < n_sizes; s++) {
        int w, h;
        if (sscanf(sizes[s], "%dx%d", &w, &h) != 2) {
            fprintf(stderr, "bench_hostile: '%s' is not WIDTHxHEIGHT\n", sizes[s]);
            return 2;
        }
        for (int p = 0; p < 3; p++) {
            DrawList dl;
            drawlist_init(&dl, w, h);
            double t0 = now_ms();
            layout_build(&m, pages[p], w, h, LAYOUT_ENV(HOSTILE_DAY_MS + 9 * 3600000LL), &tm, &dl);
            double tl = now_ms() - t0;
            SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
            SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
            Renderer *r;
            render_create(sdl, text, &r);
            t0 = now_ms();
            render_exec(r, &dl);
            render_finish(r); /* the map's land is rasterised in the background */
            render_exec(r, &dl);
            double td = now_ms() - t0;
            printf("%-10s %-9s %10.1fms %10.1fms %10d\n", sizes[s], pages[p], tl, td, dl.n);
            fflush(stdout);
            worst = tl > worst ? tl : worst;
            render_destroy(r);
            SDL_DestroyRenderer(sdl);
            SDL_FreeSurface(surf);
            drawlist_free(&dl);
        }
    }
    /* the most a raster can be asked to do and still draw: as many edges crossing
     * every line of a 4K map as the limit allows */
    {
        int w = 2200, h = 2000, n = RASTER_MAX_ACTIVE;
        RasterImage img = { calloc((size_t)w * h, 4), w, h, w };
        float *xy = malloc(sizeof(float) * 2 * (size_t)n);
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (float)w * i / n;
            xy[2 * i + 1] = i % 2 ? (float)h : 0;
        }
        double t0 = now_ms();
        int rc = raster_fill(&img, xy, &n, 1, 0x336699);
        printf("raster at its limit (%d edges crossing each of %d lines): %.1f ms, rc %d\n", n, h,
               now_ms() - t0, rc);
        free(img.px);
        free(xy);
    }
    printf("slowest layout: %.1f ms (the main loop's step; the map's raster runs beside it)\n",
           worst);
    model_free(&m);
    text_close(text);
    return 0;
}
