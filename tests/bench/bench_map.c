/* bench_map: the map page's costs for 19, 900 and 10 000 sites — projection,
 * clustering, the whole page layout (clustering, label placement, legend, list),
 * and drawing (cold: the map rasterised into its texture; warm: cached). Prints
 * numbers; never fails on a timing. */
#define _POSIX_C_SOURCE 200809L
#include "content/build.h"
#include "base/clock.h"
#include "pages/layout.h"
#include "pages/map.h"
#include "display/render.h"
#include "store/store.h"
#include "display/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static void generate(Model *m, int n)
{
    sites_free(m->sites, m->n_sites);
    m->sites = calloc((size_t)n, sizeof *m->sites);
    m->n_sites = n;
    unsigned long long seed = 11;
    for (int i = 0; i < n; i++) {
        char buf[32];
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double a = (seed >> 11) / 9007199254740992.0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double b = (seed >> 11) / 9007199254740992.0;
        Site *s = &m->sites[i];
        s->lat = i % 2 ? 52.52 + (a - 0.5) * 0.4 : 47.6 + a * 7.2;
        s->lon = i % 2 ? 13.40 + (b - 0.5) * 0.6 : 6.2 + b * 8.6;
        snprintf(buf, sizeof buf, "s%05d", i);
        s->id = strdup(buf);
        s->name = strdup(buf);
        s->organisation = strdup("DRK");
        s->city = strdup(i % 5 ? "Neustadt" : "Altdorf an der Weinstraße");
        s->kind = strdup("DRK");
    }
}

int main(int argc, char **argv)
{
    char err[512], db[600];
    const char *dir = LITFASS_SOURCE_DIR "/fonts";
    const char *src = LITFASS_CONTENT_DIR;
    snprintf(db, sizeof db, "%s/bench-map.litfass", argc > 1 ? argv[1] : "/tmp");
    Text *text;
    if (text_open(dir, &text, err, sizeof err) || build_content(src, db, 1, 0, NULL, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    TextMetrics tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    Model m;
    memset(&m, 0, sizeof m);
    store_load_path(db, &m);
    const int counts[] = { 19, 900, 10000 };
    const int sizes[][2] = { { 1920, 1080 }, { 3840, 2160 } };
    printf("%-6s %-9s %9s %9s %11s %10s %10s\n", "sites", "size", "project", "cluster",
           "map layout", "draw cold", "draw warm");
    for (int c = 0; c < 3; c++) {
        if (counts[c] != 19) {
            generate(&m, counts[c]);
        }
        for (int s = 0; s < 2; s++) {
            int w = sizes[s][0], h = sizes[s][1];
            enum { N = 11 };
            double tp[N], tc[N], tl[N], tw[N];
            Projection proj;
            MapFit fit;
            map_projection(&m.map, &proj);
            map_fit(&proj, &m.map, (Rect){ 0, 0, w * 55 / 100, h * 70 / 100 }, &fit);
            float *xy = malloc(sizeof(float) * 2 * (size_t)m.n_sites);
            DrawList dl;
            drawlist_init(&dl, w, h);
            for (int k = 0; k < N; k++) {
                double t0 = now_ms();
                for (int i = 0; i < m.n_sites; i++) {
                    double x, y, sx, sy;
                    map_project(&proj, m.sites[i].lat, m.sites[i].lon, &x, &y);
                    map_to_screen(&fit, x, y, &sx, &sy);
                    xy[2 * i] = (float)sx;
                    xy[2 * i + 1] = (float)sy;
                }
                double t1 = now_ms();
                MapCluster *cl;
                map_cluster(xy, m.n_sites, h / 20.0f, -1, &cl, NULL);
                double t2 = now_ms();
                free(cl);
                LayoutEnv env = { 0, 0, "s00003", NULL, 0, 0, NULL, 0 };
                layout_build(&m, "map", w, h, &env, &tm, &dl);
                double t3 = now_ms();
                tp[k] = t1 - t0;
                tc[k] = t2 - t1;
                tl[k] = t3 - t2;
            }
            SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
            SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
            Renderer *r;
            render_create(sdl, text, &r);
            double t0 = now_ms();
            render_exec(r, &dl);
            render_finish(r); /* the map's land, rasterised beside the loop */
            render_exec(r, &dl);
            double cold = now_ms() - t0;
            for (int k = 0; k < N; k++) {
                t0 = now_ms();
                render_exec(r, &dl);
                tw[k] = now_ms() - t0;
            }
            printf("%-6d %4dx%-4d %7.3fms %7.3fms %9.2fms %8.1fms %8.2fms\n", m.n_sites, w, h,
                   median(tp, N), median(tc, N), median(tl, N), cold, median(tw, N));
            render_destroy(r);
            SDL_DestroyRenderer(sdl);
            SDL_FreeSurface(surf);
            drawlist_free(&dl);
            free(xy);
        }
    }
    printf("(median of 11; map layout = the whole map page: projection, clustering, label\n"
           " placement, legend and list with text measuring; draw = software renderer)\n");
    model_free(&m);
    text_close(text);
    unlink(db);
    return 0;
}
