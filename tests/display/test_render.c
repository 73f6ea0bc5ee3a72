/* Renderer: a QR code that cannot be made (data too long for any QR version) is
 * skipped and logged once; the rest of the page is drawn and render_exec reports no
 * failure, so that a screenshot run still exits 0. Drawn with SDL's software
 * renderer into a surface and read back. */
#define _GNU_SOURCE
#include "testutil.h"

#include "fixtures.h"

#include "check.h"
#include "display/render.h"
#include "display/text.h"
#include "pages/drawlist.h"

#include <fcntl.h>

static SDL_Surface *surf;

/* Pixels in r that are not the background (white). */
static int inked(Rect r)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + y * surf->pitch);
        for (int x = r.x; x < r.x + r.w; x++) {
            n += (row[x] & 0xFFFFFFu) != 0xFFFFFFu;
        }
    }
    return n;
}

static void add(DrawList *dl, ItemKind kind, Rect r, uint32_t color, const char *text, int size)
{
    DrawItem *it = drawlist_add(dl, kind, r, color);
    it->text = strdup(text);
    it->size = size;
}

/* Runs render_exec with stderr going to a file; returns what it printed (free it). */
static char *render_logged(Renderer *rr, const DrawList *dl, int *failed)
{
    static const char *dir;
    if (!dir) {
        dir = test_tmpdir();
    }
    char *path = test_fmt("%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    *failed = render_exec(rr, dl);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *out = test_read(path, NULL);
    free(path);
    return out;
}

TEST(a_qr_code_that_cannot_be_made_is_skipped_and_logged_once)
{
    surf = SDL_CreateRGBSurfaceWithFormat(0, 800, 400, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(surf);
    CHECK(sdl != NULL);
    Text *text = test_fonts();
    Renderer *rr;
    CHECK_INT(render_create(sdl, text, &rr), 0);
    /* an 8 KB address (more than a QR code holds, 2331 bytes at level M) beside a
     * normal one and a text */
    char *big = malloc(8200);
    int n = snprintf(big, 8200, "qr:https://example.org/");
    memset(big + n, 'a', 8100 - (size_t)n);
    big[8100] = '\0';
    Rect r_big = { 20, 20, 240, 240 }, r_ok = { 300, 20, 240, 240 }, r_text = { 580, 20, 200, 60 };
    DrawList dl;
    drawlist_init(&dl, 800, 400);
    dl.background = 0xFFFFFF;
    add(&dl, ITEM_IMAGE, r_big, 0x000000, big, 0);
    add(&dl, ITEM_IMAGE, r_ok, 0x000000, "qr:https://msm-chancenpatenschaften.de/", 0);
    add(&dl, ITEM_TEXT, r_text, 0x1A1A1A, "Mehr erfahren", 32);
    int failed = -1;
    char *log = render_logged(rr, &dl, &failed);
    CHECK_INT(failed, 0); /* the page counts as rendered: the screenshot exits 0 */
    CHECK_HAS(log, "render: no QR code for the web address");
    CHECK_HAS(log, "(8097 bytes)");
    CHECK_INT(inked(r_big), 0); /* nothing drawn where the impossible code would be */
    CHECK(inked(r_ok) > 1000);  /* the other code and the text are there */
    CHECK(inked(r_text) > 50);
    free(log);
    /* the next frames: no retry, no second log line */
    log = render_logged(rr, &dl, &failed);
    CHECK_INT(failed, 0);
    CHECK(strstr(log, "QR code") == NULL);
    free(log);
    drawlist_free(&dl);
    free(big);
    render_destroy(rr);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
    text_close(text);
}

int main(void)
{
    RUN(a_qr_code_that_cannot_be_made_is_skipped_and_logged_once);
    return check_report();
}
