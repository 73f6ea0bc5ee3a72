/* snapshot: one SDL_RenderReadPixels, nothing else on the display thread. */
#include "display/snapshot.h"

#include "base/log.h"

#include <stdlib.h>

int snapshot_read(SDL_Renderer *sdl, int w, int h, uint32_t **px)
{
    *px = NULL;
    if (w <= 0 || h <= 0) {
        return -1;
    }
    uint32_t *buf = malloc((size_t)w * (size_t)h * 4);
    if (!buf) {
        abort();
    }
    if (SDL_RenderReadPixels(sdl, NULL, SDL_PIXELFORMAT_ARGB8888, buf, w * 4) != 0) {
        log_warn("report", "no screen picture: %s", SDL_GetError());
        free(buf);
        return -1;
    }
    *px = buf;
    return 0;
}
