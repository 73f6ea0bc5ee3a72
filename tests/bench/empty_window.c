/* empty_window: the memory floor for bench_memory.sh. An SDL window at the desktop's size
 * with the renderer the display asks for (accelerated with vsync, else software), one
 * cleared frame presented, then asleep until killed: what any SDL program pays at this
 * size before it draws anything of its own. */
#include <SDL.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
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
