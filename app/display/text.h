/* text: the fonts. Owns the font files (read once into memory) and the SDL_ttf
 * font objects per (face, pixel size); measures text for layout through
 * TextMetrics and renders strings to surfaces for the renderer. */
#ifndef LITFASS_TEXT_H
#define LITFASS_TEXT_H

#include "pages/drawlist.h"

#include <SDL.h>

typedef struct Text Text;

#define TEXT_FONT_REGULAR "NotoSans-Regular.ttf"
#define TEXT_FONT_BOLD "NotoSans-Bold.ttf"

/* Initialises SDL_ttf and loads the regular and bold faces from font_dir. Returns 0,
 * or -1 with err naming the missing or unreadable file; *out is NULL then. */
int text_open(const char *font_dir, Text **out, char *err, size_t errlen);

/* Frees the fonts. Accepts NULL. */
void text_close(Text *t);

/* Measuring callbacks for layout, bound to t. */
TextMetrics text_metrics(Text *t);

/* Renders s in colour 0xRRGGBB; caller frees the surface. NULL on failure. */
SDL_Surface *text_render(Text *t, const char *s, int size, int bold, uint32_t color);

#endif
