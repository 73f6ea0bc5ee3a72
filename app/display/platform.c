/* platform: SDL's own WaitEventTimeout truly blocks only on backends that have a
 * wait primitive (X11, Wayland); on KMSDRM it would poll every millisecond. There the
 * loop blocks in poll() on an eventfd instead, until the next deadline or until a
 * worker calls platform_wake: no wake-up between deadlines. A kiosk on KMSDRM has no
 * input to wait for; SIGTERM's SDL_QUIT interrupts poll() (a signal always does). */
#include "display/platform.h"

#include "base/log.h"
#include "display/panel.h"

#ifdef LITFASS_SYSTEMD
#include <systemd/sd-daemon.h>
#endif
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <threads.h>
#include <unistd.h>

static int wake_fd = -1;
static once_flag wake_once = ONCE_FLAG_INIT;

static void wake_init(void)
{
    wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

void platform_wake(void)
{
    call_once(&wake_once, wake_init);
    if (wake_fd >= 0) {
        uint64_t one = 1;
        /* a full counter (never, at 2^64 - 1) is still readable: nothing lost */
        if (write(wake_fd, &one, sizeof one) < 0 && errno != EAGAIN) {
            log_warn("platform", "cannot wake the display loop: %s", strerror(errno));
        }
    }
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = SDL_USEREVENT;
    SDL_PushEvent(&ev); /* wakes SDL_WaitEventTimeout on X11 and Wayland */
}

struct Platform {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *target; /* rotation only */
    int rotate;
    int can_block;
    Panel *panel; /* screen power at the screen times */
};

int platform_open(const Config *cfg, Platform **out, char *err, size_t errlen)
{
    *out = NULL;
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, errlen, "platform: no display available: %s", SDL_GetError());
        return -1;
    }
    Platform *p = SDL_calloc(1, sizeof *p);
    if (!p) {
        abort();
    }
    p->rotate = cfg->rotate;
    Uint32 flags = SDL_WINDOW_SHOWN;
    int w = cfg->window_w, h = cfg->window_h;
    if (cfg->fullscreen) {
        /* create it at the desktop's size too: without a window manager (a bare X
         * server) the window would otherwise keep its initial size */
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
            w = mode.w;
            h = mode.h;
        }
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    } else {
        flags |= SDL_WINDOW_RESIZABLE;
        if (p->rotate == 90 || p->rotate == 270) {
            int t = w;
            w = h;
            h = t;
        }
    }
    p->win = SDL_CreateWindow("Litfass", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                              flags);
    if (!p->win) {
        snprintf(err, errlen, "platform: cannot open a window: %s", SDL_GetError());
        goto fail;
    }
    /* On KMSDRM SDL's desktop-OpenGL renderer (its first choice) presents frames that hold
     * only the clear colour (Mesa over GBM: seen as a white screen on the virtual board);
     * its OpenGL ES 2 renderer, the path SDL's KMSDRM backend is built around, shows the
     * page. SDL_RENDER_DRIVER in the environment still wins over this default. */
    const char *vdrv = SDL_GetCurrentVideoDriver();
    if (vdrv && !strcmp(vdrv, "KMSDRM")) {
        SDL_SetHintWithPriority(SDL_HINT_RENDER_DRIVER, "opengles2", SDL_HINT_DEFAULT);
    }
    p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!p->ren) {
        log_warn("platform", "no accelerated renderer (%s), using software", SDL_GetError());
        p->ren = SDL_CreateRenderer(p->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!p->ren) {
        snprintf(err, errlen, "platform: cannot create a renderer: %s", SDL_GetError());
        goto fail;
    }
    if (cfg->fullscreen) {
        SDL_ShowCursor(SDL_DISABLE);
    }
    SDL_DisableScreenSaver();
    const char *drv = SDL_GetCurrentVideoDriver();
    p->can_block = drv && (!strcmp(drv, "x11") || !strcmp(drv, "wayland"));
    SDL_RendererInfo info;
    SDL_GetRendererInfo(p->ren, &info);
    int ow, oh;
    SDL_GetRendererOutputSize(p->ren, &ow, &oh);
    log_msg("platform", "%s %dx%d on %s, renderer %s, rotation %d", 
            cfg->fullscreen ? "full screen" : "window", ow, oh, drv ? drv : "?", info.name,
            p->rotate);
    panel_open(p->win, NULL, &p->panel);
    *out = p;
    return 0;
fail:
    platform_close(p);
    return -1;
}

void platform_close(Platform *p)
{
    if (!p) {
        return;
    }
    panel_close(p->panel); /* an off screen stays off: a restart inside an off period */
    if (p->target) {
        SDL_DestroyTexture(p->target);
    }
    if (p->ren) {
        SDL_DestroyRenderer(p->ren);
    }
    if (p->win) {
        SDL_DestroyWindow(p->win);
    }
    SDL_free(p);
    SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
}

Panel *platform_panel(Platform *p)
{
    return p->panel;
}

SDL_Renderer *platform_renderer(Platform *p)
{
    return p->ren;
}

void platform_size(Platform *p, int *w, int *h)
{
    SDL_GetRendererOutputSize(p->ren, w, h);
    if (p->rotate == 90 || p->rotate == 270) {
        int t = *w;
        *w = *h;
        *h = t;
    }
}

void platform_begin(Platform *p)
{
    if (p->rotate == 0) {
        SDL_SetRenderTarget(p->ren, NULL);
        return;
    }
    int w, h, tw = 0, th = 0;
    platform_size(p, &w, &h);
    if (p->target) {
        SDL_QueryTexture(p->target, NULL, NULL, &tw, &th);
    }
    if (!p->target || tw != w || th != h) {
        if (p->target) {
            SDL_DestroyTexture(p->target);
        }
        p->target = SDL_CreateTexture(p->ren, SDL_PIXELFORMAT_ARGB8888,
                                      SDL_TEXTUREACCESS_TARGET, w, h);
    }
    SDL_SetRenderTarget(p->ren, p->target);
}

int platform_frame_pacing_ms(Platform *p)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(p->ren, &info) == 0 && (info.flags & SDL_RENDERER_PRESENTVSYNC)) {
        return 0; /* SDL_RenderPresent waits for the display's refresh */
    }
    SDL_DisplayMode mode;
    int idx = SDL_GetWindowDisplayIndex(p->win);
    if (idx >= 0 && SDL_GetCurrentDisplayMode(idx, &mode) == 0 && mode.refresh_rate >= 24) {
        return (1000 + mode.refresh_rate / 2) / mode.refresh_rate;
    }
    return 17; /* 60 Hz */
}

void platform_present(Platform *p)
{
    if (p->rotate != 0 && p->target) {
        int ow, oh, w, h;
        SDL_SetRenderTarget(p->ren, NULL);
        SDL_GetRendererOutputSize(p->ren, &ow, &oh);
        platform_size(p, &w, &h);
        /* the rotated texture is centred on the output, its sides swapped */
        SDL_Rect dst = { (ow - w) / 2, (oh - h) / 2, w, h };
        SDL_RenderCopyEx(p->ren, p->target, NULL, &dst, p->rotate, NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(p->ren);
}

static int handle(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        return PLATFORM_QUIT;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
            ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            return PLATFORM_REDRAW;
        }
        return 0;
    case SDL_KEYDOWN:
        /* only a windowed display can be closed from the keyboard */
        if ((ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_q) &&
            !(SDL_GetWindowFlags(SDL_GetWindowFromID(ev->key.windowID)) &
              SDL_WINDOW_FULLSCREEN)) {
            return PLATFORM_QUIT;
        }
        return 0;
    default:
        return 0;
    }
}

int platform_wait(Platform *p, int64_t timeout_ms)
{
    SDL_Event ev;
    int flags = 0;
    if (timeout_ms < 0) {
        timeout_ms = 0;
    }
    if (p->can_block) {
        if (SDL_WaitEventTimeout(&ev, (int)(timeout_ms > 600000 ? 600000 : timeout_ms))) {
            flags |= handle(&ev);
        }
    } else {
        call_once(&wake_once, wake_init);
        Uint32 start = SDL_GetTicks();
        for (;;) {
            SDL_PumpEvents();
            if (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) {
                flags |= handle(&ev);
                break;
            }
            int64_t left = timeout_ms - (int64_t)(SDL_GetTicks() - start);
            if (left <= 0) {
                break;
            }
            struct pollfd pf = { .fd = wake_fd, .events = POLLIN };
            int n = poll(&pf, wake_fd >= 0 ? 1 : 0, (int)(left > 600000 ? 600000 : left));
            if (n > 0) {
                uint64_t count;
                if (read(wake_fd, &count, sizeof count) < 0 && errno != EAGAIN) {
                    log_warn("platform", "cannot read the wake-up: %s", strerror(errno));
                }
                /* the pushed SDL event (or the change it announces) is taken above */
            }
        }
    }
    while (SDL_PollEvent(&ev)) {
        flags |= handle(&ev);
    }
    return flags;
}

void platform_service_ready(void)
{
#ifdef LITFASS_SYSTEMD
    sd_notify(0, "READY=1\nSTATUS=showing content");
#endif
}

int64_t platform_service_alive(int alive)
{
#ifdef LITFASS_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        if (alive) {
            sd_notify(0, "WATCHDOG=1");
        }
        /* due at three quarters of the period: with the package's 90 s that is after the
         * minute's wake-up, which pets it, so the watchdog costs no wake-up of its own */
        return (int64_t)(usec / 1000 * 3 / 4);
    }
#else
    (void)alive;
#endif
    return -1;
}
