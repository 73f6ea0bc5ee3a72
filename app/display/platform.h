/* platform: everything that differs between a desktop window, full screen on
 * KMSDRM without X11, and rotation of the picture. Owns the SDL window, the SDL
 * renderer and the rotation target. The rest of the display sees a logical screen
 * size and a renderer to draw into. */
#ifndef LITFASS_PLATFORM_H
#define LITFASS_PLATFORM_H

#include "base/config.h"

#include <SDL.h>
#include <stdint.h>

typedef struct Platform Platform;

enum {
    PLATFORM_QUIT = 1,   /* window closed, SIGTERM, SIGINT */
    PLATFORM_REDRAW = 2, /* exposed or resized: the picture must be drawn again */
};

/* Opens the window (or the full screen) as configured. Returns 0, or -1 with err. */
int platform_open(const Config *cfg, Platform **out, char *err, size_t errlen);

/* Closes everything. Accepts NULL. */
void platform_close(Platform *p);

SDL_Renderer *platform_renderer(Platform *p);

/* What switches the screen itself off and on (DRM, HDMI-CEC; see panel.h), owned by p. */
typedef struct Panel Panel;
Panel *platform_panel(Platform *p);

/* The logical screen size pages are laid out for (rotation applied). */
void platform_size(Platform *p, int *w, int *h);

/* Makes the renderer draw into the logical screen; platform_present() shows it. */
void platform_begin(Platform *p);
void platform_present(Platform *p);

/* How long to wait between frames of an animation: 0 when presenting already waits for
 * the display's refresh (vsync), else one refresh period of the display (ms). */
int platform_frame_pacing_ms(Platform *p);

/* Sleeps until an event arrives or timeout_ms passes; returns PLATFORM_* flags. Does
 * not spin: with nothing happening the process stays asleep. */
int platform_wait(Platform *p, int64_t timeout_ms);

/* Wakes platform_wait from any thread (workers with news, the raster thread); the
 * loop then looks at what changed. Needs no Platform: callable before one exists. */
void platform_wake(void);

/* Tells the service manager (systemd) that the display is up. No-op elsewhere. */
void platform_service_ready(void);

/* Pets the service manager's watchdog when alive is set (otherwise lets it run out, so
 * that the service is restarted); returns the longest the caller may sleep before the
 * next call (ms), or -1 when there is no watchdog. */
int64_t platform_service_alive(int alive);

#endif
