/* text: the fonts and how a string becomes pixels. Owns the font files (read once into
 * memory) and one SDL_ttf font object per face, set to each call's pixel size; splits
 * every string into bidi runs (GNU FriBidi), gives each run its face (Noto Sans for
 * Latin, Cyrillic and Turkish, Noto Sans Arabic for Arabic and Persian), shapes it with
 * SDL_ttf's HarfBuzz in the run's direction and script, and lays the runs out in visual
 * order. Layout measures
 * through TextMetrics exactly what text_render draws. */
#ifndef LITFASS_TEXT_H
#define LITFASS_TEXT_H

#include "pages/drawlist.h"

#include <SDL.h>
#include <stdint.h>

typedef struct Text Text;

#define TEXT_FONT_REGULAR "NotoSans-Regular.ttf"
#define TEXT_FONT_BOLD "NotoSans-Bold.ttf"
#define TEXT_FONT_ARABIC "NotoSansArabic-Regular.ttf"
#define TEXT_FONT_ARABIC_BOLD "NotoSansArabic-Bold.ttf"

/* The paragraph direction text_set_direction takes besides 0 (left to right) and 1. */
#define TEXT_DIR_AUTO (-1)

/* Initialises SDL_ttf and loads the four faces from font_dir. Returns 0, or -1 with err
 * naming the missing or unreadable file; *out is NULL then. */
int text_open(const char *font_dir, Text **out, char *err, size_t errlen);

/* Frees the fonts. Accepts NULL. */
void text_close(Text *t);

/* The base direction of the strings measured and drawn from now on: TEXT_DIR_AUTO (the
 * default) takes it from each string's first strong character; 1 (a right-to-left page)
 * lays out every string that holds an Arabic-script letter right to left, so that
 * "DRK بدأ" reads as Arabic, while a purely Latin one (a URL, a hashtag) stays as
 * written and one of punctuation alone (a piece of a line split at a change of style)
 * reads right to left; a "#" or "@" before a Latin word stays before it ("#DRK" in an
 * Arabic line); 0 lays out every string left to right. Set it before a page is laid out and
 * keep it until the page is drawn: measuring and drawing must agree. */
void text_set_direction(Text *t, int rtl);

/* The direction text_set_direction set last. A cache of rendered strings keys on it for
 * strings text_is_bidi names: a mixed string that opens with a Latin word looks
 * different on a right-to-left page. */
int text_direction(const Text *t);

/* 1 when s holds a right-to-left letter or a bidi control, or is punctuation alone with
 * a mirrored character ("«", "» ("), so that its look may depend on the direction; 0 for
 * everything else (drawn alike in every direction). */
int text_is_bidi(const char *s);

/* Measuring callbacks for layout, bound to t. */
TextMetrics text_metrics(Text *t);

/* Renders s in colour 0xRRGGBB; caller frees the surface. NULL on failure. The surface
 * is as wide as TextMetrics measures s; its top is the line box's top and its baseline
 * lies where Noto Sans puts it; what reaches above the line box is cut. */
SDL_Surface *text_render(Text *t, const char *s, int size, int bold, uint32_t color);

/* The same, uncut: *above gets how many rows of the surface lie above the line box
 * (Arabic's marks reach 1.25 em above the baseline, Noto Sans's box 1.07 em); draw the
 * surface that much higher than the line's top. 0 for most strings. */
SDL_Surface *text_render_above(Text *t, const char *s, int size, int bold, uint32_t color,
                               int *above);

/* The same, with the rows that hold no ink cut at the top and the bottom (the room a
 * line box keeps for accents and descenders the string does not have: a fifth to a
 * third of a Latin line's texture). *above gets the rows the surface starts above the
 * line box's top, negative when it starts below it (draw it at top - *above, as with
 * text_render_above); *box_h gets the height text_render_above's surface has below the
 * line box's top, to centre the line in a box as before. Drawn so, the pixels are
 * those of text_render_above: only rows of alpha 0 are gone. A string without ink
 * (spaces alone) keeps its whole surface. NULL on failure. */
SDL_Surface *text_render_ink(Text *t, const char *s, int size, int bold, uint32_t color,
                             int *above, int *box_h);

/* 1 when the shipped fonts draw cp in both weights, or cp is never drawn (a control or
 * format character: ZWNJ, ZWJ, bidi marks, variation selectors); 0 when it would show
 * as an empty box. */
int text_can_draw(Text *t, uint32_t cp);

#endif
