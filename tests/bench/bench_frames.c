/* bench_frames: what a page turn and a minute change cost in the display's own loop, in a
 * real window (the SDL video driver of the environment: X11 under Xvfb in
 * `toolchain/dev bench`) at 1920x1080 and 3840x2160, on the default content:
 *   - page change: the kiosk's update at the boundary, then drawing both pages into the
 *     transition's textures (CPU of the whole process, the map raster thread included);
 *   - transition frames: the time of each composed frame up to its present (median, p99,
 *     longest) for a fade and a slide;
 *   - minute change: the kiosk's update (only the footer laid out) and the frame drawn
 *     from cached textures, CPU: back to back, and after 4 s at rest as in the display
 *     (where the machine is cold after a minute of sleep: caches, clock frequency).
 * With a folder as third argument it writes every 6th frame of one fade as PNG (the
 * closing note's frame sequence). Prints numbers; never fails on a timing. */
#define _POSIX_C_SOURCE 200809L
#include "base/clock.h"
#include "base/config.h"
#include "base/trust.h"
#include "content/build.h"
#include "display/kiosk.h"
#include "display/platform.h"
#include "display/render.h"
#include "display/snapshot.h"
#include "display/text.h"
#include "display/transition.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void save_frame(SDL_Renderer *sdl, int w, int h, const char *dir, int i)
{
    uint32_t *px;
    if (snapshot_read(sdl, w, h, &px) != 0) {
        return;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(px, w, h, 32, w * 4,
                                                        SDL_PIXELFORMAT_ARGB8888);
    char path[700];
    snprintf(path, sizeof path, "%s/fade-%dx%d-%02d.png", dir, w, h, i);
    if (s) {
        IMG_SavePNG(s, path);
        SDL_FreeSurface(s);
    }
    free(px);
}

enum { MAX_FRAMES = 4096 };
static double frames[MAX_FRAMES];
static int n_frames;

/* One transition from the kiosk's previous list to its list, frame by frame as the loop
 * does it (the clock advanced by one refresh a frame). */
static void run_transition(Platform *p, Renderer *r, Kiosk *k, int kind, int dur,
                           double *prepare_cpu, const char *dump)
{
    SDL_Renderer *sdl = platform_renderer(p);
    double c0 = ms(CLOCK_PROCESS_CPUTIME_ID);
    Transition *t = transition_prepare(sdl, r, kiosk_previous(k), kiosk_drawlist(k), kind, dur);
    if (!t) {
        printf("  no transition possible on this renderer\n");
        return;
    }
    render_finish(r); /* pictures, the map's land */
    transition_redraw_to(t, r, kiosk_drawlist(k));
    *prepare_cpu = ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    int w = kiosk_drawlist(k)->width, h = kiosk_drawlist(k)->height;
    transition_start(t, 0);
    for (int i = 0;; i++) {
        double f0 = ms(CLOCK_MONOTONIC);
        platform_begin(p);
        int more = transition_frame(t, (int64_t)(i * 1000.0 / 60));
        if (dump && i % 6 == 0) {
            save_frame(sdl, w, h, dump, i / 6);
        }
        platform_present(p);
        if (!dump && n_frames < MAX_FRAMES) {
            frames[n_frames++] = ms(CLOCK_MONOTONIC) - f0;
        }
        if (!more) {
            break;
        }
    }
    transition_free(t);
}

int main(int argc, char **argv)
{
    char err[512];
    const char *build = argc > 1 ? argv[1] : "/tmp";
    int only_w = 0;
    if (argc > 2) {
        only_w = atoi(argv[2]);
    }
    const char *dump = argc > 3 ? argv[3] : NULL;
    Text *text;
    if (text_open(LITFASS_SOURCE_DIR "/fonts", &text, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    clock_set_zone("Europe/Berlin");
    char db[600];
    snprintf(db, sizeof db, "%s/bench-frames.litfass", build);
    if (build_content(LITFASS_CONTENT_DIR, db, 1, 0, NULL, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    static const int sizes[][2] = { { 1920, 1080 }, { 3840, 2160 } };
    for (size_t z = 0; z < 2; z++) {
        int w = sizes[z][0], h = sizes[z][1];
        if (only_w && w != only_w) {
            continue;
        }
        Config cfg;
        config_defaults(&cfg);
        cfg.clock_trust = TRUST_YES;
        cfg.fullscreen = 0;
        cfg.window_w = w;
        cfg.window_h = h;
        snprintf(cfg.db, sizeof cfg.db, "%s", db);
        snprintf(cfg.pages, sizeof cfg.pages, "campaign,map,schedule");
        Platform *p;
        if (platform_open(&cfg, &p, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        SDL_RendererInfo info;
        SDL_GetRendererInfo(platform_renderer(p), &info);
        int pw, ph;
        platform_size(p, &pw, &ph);
        int64_t t0;
        clock_parse_iso("2021-06-01T15:20:05", &t0);
        Clock clock = clock_fake(t0);
        Kiosk *k;
        kiosk_create(&cfg, &clock, text, &k);
        Renderer *r;
        render_create(platform_renderer(p), text, &r);
        render_set_content(r, db);
        int64_t wait;
        kiosk_update(k, pw, ph, &wait);
        platform_begin(p);
        render_exec(r, kiosk_drawlist(k));
        render_finish(r);
        render_exec(r, kiosk_drawlist(k));
        platform_present(p);

        /* page changes: campaign -> map -> schedule -> campaign ..., fades and slides */
        enum { TURNS = 6 };
        double update_cpu[TURNS], prepare_cpu[TURNS];
        n_frames = 0;
        for (int i = 0; i < TURNS; i++) {
            clock_advance(&clock, kiosk_page_ms(k));
            double c0 = ms(CLOCK_PROCESS_CPUTIME_ID);
            kiosk_update(k, pw, ph, &wait);
            update_cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
            run_transition(p, r, k, i % 2 ? TRANSITION_SLIDE : TRANSITION_FADE, 600,
                           &prepare_cpu[i], NULL);
        }
        int nf = n_frames;
        double fmed = pct(frames, nf, 0.5), f99 = pct(frames, nf, 0.99), fmax = frames[nf - 1];
        printf("%dx%d (%s, %s): page change: layout %.1f ms CPU, both pages drawn for the "
               "transition %.1f ms CPU (median of %d)\n",
               pw, ph, SDL_GetCurrentVideoDriver(), info.name, pct(update_cpu, TURNS, 0.5),
               pct(prepare_cpu, TURNS, 0.5), TURNS);
        printf("%dx%d: transition frames (600 ms fade and slide, %d frames): median %.2f ms, "
               "p99 %.2f ms, longest %.2f ms\n", pw, ph, nf, fmed, f99, fmax);

        /* minute changes on a static page (the campaign page alone): the footer only */
        kiosk_destroy(k);
        snprintf(cfg.pages, sizeof cfg.pages, "campaign");
        kiosk_create(&cfg, &clock, text, &k);
        kiosk_update(k, pw, ph, &wait);
        platform_begin(p);
        render_exec(r, kiosk_drawlist(k));
        platform_present(p);
        for (int rest = 0; rest < 2; rest++) {
        int minutes = rest ? 3 : 15;
        double lay[15], draw[15];
        int drawn = 0;
        for (int i = 0; i < minutes; i++) {
            /* to the next minute, staying on the page (its boundary moves with it) */
            int64_t to = clock_ms_to_next_minute(clock.wall_ms(&clock));
            clock_advance(&clock, to);
            if (rest) {
                sleep(4); /* as in the display: a minute of nothing before it */
            }
            double c0 = ms(CLOCK_PROCESS_CPUTIME_ID);
            int changed = kiosk_update(k, pw, ph, &wait);
            double c1 = ms(CLOCK_PROCESS_CPUTIME_ID);
            if (changed) {
                platform_begin(p);
                render_exec(r, kiosk_drawlist(k));
                platform_present(p);
                drawn++;
            }
            lay[i] = c1 - c0;
            draw[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c1;
        }
        printf("%dx%d: minute change on the campaign page%s: layout %.3f ms CPU, frame %.2f ms "
               "CPU (median of %d, %d drawn)\n", pw, ph,
               rest ? " after 4 s at rest" : ", back to back", pct(lay, minutes, 0.5),
               pct(draw, minutes, 0.5), minutes, drawn);
        }
        if (dump) {
            kiosk_destroy(k);
            snprintf(cfg.pages, sizeof cfg.pages, "campaign,map");
            kiosk_create(&cfg, &clock, text, &k);
            kiosk_update(k, pw, ph, &wait);
            clock_advance(&clock, kiosk_page_ms(k));
            kiosk_update(k, pw, ph, &wait);
            double dummy;
            run_transition(p, r, k, TRANSITION_FADE, 600, &dummy, dump);
        }
        render_destroy(r);
        kiosk_destroy(k);
        platform_close(p);
    }
    remove(db);
    text_close(text);
    return 0;
}
