/* compare_png [--ignore-bottom ROWS] A.png B.png [...pairs]: the pictures match when the mean difference
 * per channel is under 1 (of 255) and fewer than 0.5 % of the pixels differ by more
 * than 32 — room for rounding in a different CPU's floating point, none for a
 * different layout. Used to check the ARM build against the host build, and the virtual
 * board's screen against the host's render (--ignore-bottom leaves out the footer, whose
 * network mark a headless render of a database cannot know). */
#include "check.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>

static int ignore_bottom;

static int compare(const char *a, const char *b)
{
    SDL_Surface *x0 = IMG_Load(a), *y0 = IMG_Load(b);
    if (!x0 || !y0) {
        fprintf(stderr, "cannot load %s or %s\n", a, b);
        return -1;
    }
    SDL_Surface *x = SDL_ConvertSurfaceFormat(x0, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_Surface *y = SDL_ConvertSurfaceFormat(y0, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(x0);
    SDL_FreeSurface(y0);
    if (x->w != y->w || x->h != y->h) {
        fprintf(stderr, "%s: %dx%d, %s: %dx%d\n", a, x->w, x->h, b, y->w, y->h);
        return -1;
    }
    double sum = 0;
    int rows = x->h - ignore_bottom > 1 ? x->h - ignore_bottom : 1;
    long far = 0, n = (long)x->w * rows;
    for (int r = 0; r < rows; r++) {
        Uint32 *p = (Uint32 *)((Uint8 *)x->pixels + r * x->pitch);
        Uint32 *q = (Uint32 *)((Uint8 *)y->pixels + r * y->pitch);
        for (int c = 0; c < x->w; c++) {
            int worst = 0;
            for (int sh = 0; sh <= 16; sh += 8) {
                int d = abs((int)((p[c] >> sh) & 255) - (int)((q[c] >> sh) & 255));
                sum += d;
                worst = d > worst ? d : worst;
            }
            far += worst > 32;
        }
    }
    double mean = sum / (3.0 * n), frac = 100.0 * far / n;
    printf("%s vs %s: mean difference %.3f, %.3f %% of pixels differ by more than 32\n", a, b,
           mean, frac);
    SDL_FreeSurface(x);
    SDL_FreeSurface(y);
    return mean < 1.0 && frac < 0.5 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--ignore-bottom") == 0) {
        ignore_bottom = atoi(argv[2]);
        first = 3;
    }
    for (int i = first; i + 1 < argc; i += 2) {
        check_current = argv[i + 1];
        CHECK_INT(compare(argv[i], argv[i + 1]), 0);
    }
    return check_report();
}
