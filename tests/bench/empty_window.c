/* empty_window: the memory floor for bench_memory.sh. An SDL window at the desktop's size
 * with the renderer the display asks for (accelerated with vsync, else software), one
 * cleared frame presented, then asleep until killed: what any SDL program pays at this
 * size before it draws anything of its own.
 * With --texture it also draws one small blended texture (a text line's worth, 512x64
 * ARGB) before presenting: what the renderer itself adds once anything is drawn (Mesa's
 * llvmpipe compiles its shaders with LLVM then), shown beside the floor, not as it. */
#include <SDL.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int texture = argc > 1 && !strcmp(argv[1], "--texture");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "empty_window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_DisplayMode mode;
    int w = 1920, h = 1080;
    if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
        w = mode.w;
        h = mode.h;
    }
    SDL_Window *win = SDL_CreateWindow("empty", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                       w, h,
                                       SDL_WINDOW_SHOWN | SDL_WINDOW_FULLSCREEN_DESKTOP |
                                           SDL_WINDOW_BORDERLESS);
    SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED |
                                                              SDL_RENDERER_PRESENTVSYNC)
                            : NULL;
    if (win && !ren) {
        ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!ren) {
        fprintf(stderr, "empty_window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
    SDL_RenderClear(ren);
    if (texture) {
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 512, 64, 32, SDL_PIXELFORMAT_ARGB8888);
        if (s) {
            for (int y = 0; y < s->h; y++) { /* a gradient of coverage, as text has */
                Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
                for (int x = 0; x < s->w; x++) {
                    row[x] = (Uint32)((x + y) & 0xFF) << 24 | 0x202020;
                }
            }
            SDL_Texture *tex = SDL_CreateTextureFromSurface(ren, s);
            SDL_FreeSurface(s);
            if (tex) {
                SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
                SDL_Rect at = { 32, 32, 512, 64 };
                SDL_RenderCopy(ren, tex, NULL, &at);
                SDL_DestroyTexture(tex); /* what stays is the renderer's, not the texture */
            }
        }
    }
    SDL_RenderPresent(ren);
    for (SDL_Event ev;;) {
        if (SDL_WaitEventTimeout(&ev, 60000) && ev.type == SDL_QUIT) {
            break;
        }
    }
    SDL_DestroyRenderer(ren);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}
