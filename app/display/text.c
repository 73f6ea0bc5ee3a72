/* text: a string is itemised the way Pango and libraqm do it, in three steps:
 *   1. FriBidi gives every character its embedding level (the paragraph's base direction
 *      from text_set_direction or the first strong character), with rule L1 applied as
 *      for one line: every string layout hands us is one line;
 *   2. every character gets a family (Noto Sans or Noto Sans Arabic) and a script;
 *      characters of no script of their own (spaces, digits, punctuation, joiners) go
 *      with their neighbour, so "برنامج 2024" stays one Arabic run and "DRK 2024" one
 *      Latin run; a character the family lacks falls back to the other one;
 *   3. runs of one level, family and script are shaped one by one with SDL_ttf's
 *      HarfBuzz (RTL on odd levels, which also mirrors brackets) and placed in visual
 *      order (rule L2 over runs).
 * Strings of Latin, Cyrillic and Turkish alone skip FriBidi and make one run, as before.
 * The levels of step 1 also serve flow (TextMetrics.bidi): a paragraph of several
 * styles is resolved once as a whole, and each piece it draws has one level, so that
 * drawing the piece alone gives what it shows in the paragraph.
 * SDL_ttf keeps direction and script per font object, so a run sets them each time
 * (two stores). Each face is opened once, as one SDL_ttf font (one FreeType face, one
 * HarfBuzz face), and set to the pixel size a call asks for (TTF_SetFontSize, which
 * gives what opening the face at that size gives): a font object per size would hold
 * its own FreeType face and its own HarfBuzz copies of the layout tables (GSUB, GPOS,
 * about 0.3 MB per Noto Sans size), 10 MB for the sizes one page uses. Resizing drops
 * the face's glyph cache, so layout keeps measuring at one size at a time where it can.
 * The texture cache of the renderer keeps the result, so none of this runs per frame. */
#define _POSIX_C_SOURCE 200809L
#include "display/text.h"

#include "base/log.h"
#include "base/utf8.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <fribidi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEXT_MAX_SIZE 1000

/* faces: family * 2 + bold */
enum { FAMILY_SANS, FAMILY_ARABIC, FAMILIES };
#define FACES (FAMILIES * 2)

typedef enum { SCRIPT_COMMON, SCRIPT_LATIN, SCRIPT_CYRILLIC, SCRIPT_ARABIC, SCRIPT_OTHER } Script;

/* One measured width: the string's 64-bit hash and length, the size, weight and
 * direction setting it was measured with. */
typedef struct {
    uint64_t hash;
    uint32_t len;
    int16_t size;
    int8_t bold, dir; /* dir: t->dir + 2; 0 marks an empty slot */
    int width;
} WidthMemo;

/* Widths remembered for layout (24 bytes each): the fit search measures the same words
 * at the same sizes again and again, and with one font object per face each change of
 * size drops SDL_ttf's glyph cache, so measuring anew costs more than it did. */
#define WIDTH_MEMO 4096

typedef struct {
    int start, end; /* characters [start, end) in logical order */
    int level, family;
    Script script;
} Run;

struct Text {
    void *file[FACES]; /* whole font files */
    size_t file_len[FACES];
    TTF_Font *font[FACES]; /* per face, at the pixel size size[face] */
    int size[FACES];
    int dir; /* TEXT_DIR_AUTO, 0 or 1 */
    WidthMemo memo[WIDTH_MEMO];
    char *scratch;
    size_t scratch_len;
    /* one string's characters, byte offsets (n + 1), bidi data, families and scripts */
    size_t cap;
    FriBidiChar *cps;
    size_t *offs;
    FriBidiCharType *types;
    FriBidiBracketType *brackets;
    FriBidiLevel *levels;
    unsigned char *family;
    unsigned char *script;
    Run *runs;
};

static const char *const face_file[FACES] = { TEXT_FONT_REGULAR, TEXT_FONT_BOLD, TEXT_FONT_ARABIC,
                                              TEXT_FONT_ARABIC_BOLD };

/* Maps the font file read-only: FreeType and HarfBuzz read it in place, and only the
 * pages they touch (the tables, the glyphs drawn) become resident, as clean pages the
 * kernel can drop and read again, where a copy on the heap would hold all 1.5 MB of
 * the four files for good. The fonts are installed files, replaced by rename. */
static int load_file(const char *path, void **data, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "text: cannot open font %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        st.st_size > 64L * 1024 * 1024) {
        close(fd);
        snprintf(err, errlen, "text: font %s is not a file, empty or too large", path);
        return -1;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        snprintf(err, errlen, "text: cannot read font %s: %s", path, strerror(errno));
        return -1;
    }
    *data = map;
    *len = (size_t)st.st_size;
    return 0;
}

/* The face's font at the pixel size; NULL when SDL_ttf cannot set that size. A later
 * call for the same face at another size changes the size of the font returned here. */
static TTF_Font *font_get(Text *t, int face, int size)
{
    if (size < 1) {
        size = 1;
    } else if (size > TEXT_MAX_SIZE) {
        size = TEXT_MAX_SIZE;
    }
    if (t->size[face] != size) {
        if (TTF_SetFontSize(t->font[face], size) != 0) {
            log_warn("text", "cannot set %s to size %d: %s", face_file[face], size,
                    TTF_GetError());
            t->size[face] = 0;
            return NULL;
        }
        t->size[face] = size;
    }
    return t->font[face];
}

int text_open(const char *font_dir, Text **out, char *err, size_t errlen)
{
    *out = NULL;
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "text: cannot initialise SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    Text *t = calloc(1, sizeof *t);
    if (!t) {
        abort();
    }
    t->dir = TEXT_DIR_AUTO;
    for (int i = 0; i < FACES; i++) {
        char path[4096 + 64];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", font_dir, face_file[i]) >= sizeof path) {
            snprintf(err, errlen, "text: the font folder's path is too long (%zu bytes)",
                     strlen(font_dir));
            text_close(t);
            return -1;
        }
        if (load_file(path, &t->file[i], &t->file_len[i], err, errlen)) {
            text_close(t);
            return -1;
        }
        SDL_RWops *rw = SDL_RWFromConstMem(t->file[i], (int)t->file_len[i]);
        t->font[i] = rw ? TTF_OpenFontRW(rw, 1, 20) : NULL;
        if (!t->font[i]) {
            snprintf(err, errlen, "text: %s is not a usable font: %s", path, TTF_GetError());
            text_close(t);
            return -1;
        }
        TTF_SetFontHinting(t->font[i], TTF_HINTING_LIGHT);
        t->size[i] = 20;
    }
    *out = t;
    return 0;
}

void text_close(Text *t)
{
    if (!t) {
        return;
    }
    for (int i = 0; i < FACES; i++) {
        if (t->font[i]) {
            TTF_CloseFont(t->font[i]);
        }
        if (t->file[i]) {
            munmap(t->file[i], t->file_len[i]);
        }
    }
    free(t->scratch);
    free(t->cps);
    free(t->offs);
    free(t->types);
    free(t->brackets);
    free(t->levels);
    free(t->family);
    free(t->script);
    free(t->runs);
    free(t);
    TTF_Quit();
}

void text_set_direction(Text *t, int rtl)
{
    t->dir = rtl < 0 ? TEXT_DIR_AUTO : rtl ? 1 : 0;
}

int text_direction(const Text *t)
{
    return t->dir;
}

/* ---- characters ---- */

/* Never drawn: C0/C1 controls, soft hyphen, joiners, bidi marks and embeddings,
 * variation selectors, the byte order mark, tags. */
static int ignorable(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x34F ||
           cp == 0x61C || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* Right-to-left letters and the explicit bidi controls: only strings with one of these
 * need FriBidi; all others are one left-to-right paragraph. */
static int needs_bidi(uint32_t cp)
{
    return (cp >= 0x590 && cp <= 0x8FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFE) || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x10800 && cp <= 0x10FFF) ||
           (cp >= 0x1E800 && cp <= 0x1EFFF);
}

int text_is_bidi(const char *s)
{
    int strong = 0, mirrored = 0;
    for (size_t len = strlen(s), at = 0; at < len;) {
        uint32_t cp;
        at += utf8_decode(s + at, len - at, &cp);
        if (needs_bidi(cp)) {
            return 1;
        }
        FriBidiCharType type = fribidi_get_bidi_type(cp);
        FriBidiChar mirror;
        strong |= FRIBIDI_IS_LETTER(type) || FRIBIDI_IS_NUMBER(type);
        mirrored |= fribidi_get_mirror_char(cp, &mirror);
    }
    /* punctuation alone is drawn right to left on a right-to-left page (base_dir):
     * a bracket or guillemet then looks the other way */
    return !strong && mirrored;
}

static Script script_of(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == 0xAA || cp == 0xBA ||
        (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
        (cp >= 0x1E00 && cp <= 0x1EFF)) {
        return SCRIPT_LATIN;
    }
    if ((cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
        (cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F)) {
        return SCRIPT_CYRILLIC;
    }
    /* the whole Arabic blocks, its comma, tatweel, marks and digits included: only Noto
     * Sans Arabic has them */
    if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F) ||
        (cp >= 0x8A0 && cp <= 0x8FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFE)) {
        return SCRIPT_ARABIC;
    }
    /* letters of other scripts that Noto Sans has (Greek, Latin extensions, ...) */
    if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF)) {
        return SCRIPT_OTHER;
    }
    return SCRIPT_COMMON; /* spaces, digits, punctuation, symbols, combining marks */
}

static const char *script_tag(const Run *r)
{
    if (r->family == FAMILY_ARABIC) {
        return "Arab";
    }
    switch (r->script) {
    case SCRIPT_CYRILLIC:
        return "Cyrl";
    case SCRIPT_OTHER:
        return "Zyyy"; /* HarfBuzz's common script: the default shaper */
    default:
        return "Latn";
    }
}

static int has_glyph(const Text *t, int family, uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F) {
        return family == FAMILY_SANS || TTF_GlyphIsProvided32(t->font[family * 2], cp);
    }
    return TTF_GlyphIsProvided32(t->font[family * 2], cp) != 0;
}

int text_can_draw(Text *t, uint32_t cp)
{
    if (ignorable(cp)) {
        return 1;
    }
    for (int bold = 0; bold < 2; bold++) {
        int found = 0;
        for (int fam = 0; fam < FAMILIES && !found; fam++) {
            found = TTF_GlyphIsProvided32(t->font[fam * 2 + bold], cp) != 0;
        }
        if (!found) {
            return 0;
        }
    }
    return 1;
}

static void *grow(void *p, size_t n, size_t size)
{
    p = realloc(p, n * size);
    if (!p) {
        abort();
    }
    return p;
}

static void reserve(Text *t, size_t n)
{
    if (n <= t->cap) {
        return;
    }
    t->cap = n * 2;
    t->cps = grow(t->cps, t->cap, sizeof *t->cps);
    t->offs = grow(t->offs, t->cap + 1, sizeof *t->offs);
    t->types = grow(t->types, t->cap, sizeof *t->types);
    t->brackets = grow(t->brackets, t->cap, sizeof *t->brackets);
    t->levels = grow(t->levels, t->cap, sizeof *t->levels);
    t->family = grow(t->family, t->cap, 1);
    t->script = grow(t->script, t->cap, 1);
    t->runs = grow(t->runs, t->cap, sizeof *t->runs);
}

static int digit_at(const Text *t, int i, int n)
{
    if (i < 0 || i >= n) {
        return 0;
    }
    uint32_t c = t->cps[i];
    return (c >= '0' && c <= '9') || (c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9);
}

/* Content writes thousands the German way, "140 000" (and its translations keep that),
 * but to the bidi algorithm a space splits the number in two, and a right-to-left line
 * shows "000 140". A space after a digit and before exactly three digits is a number
 * separator (CS, like U+202F) here, so the number stays whole; a date with a time
 * ("01.06.2021 15:30") is two numbers still. */
static void group_digits(Text *t, int n)
{
    for (int i = 1; i + 3 < n + 1; i++) {
        if (t->cps[i] == ' ' && digit_at(t, i - 1, n) && digit_at(t, i + 1, n) &&
            digit_at(t, i + 2, n) && digit_at(t, i + 3, n) && !digit_at(t, i + 4, n)) {
            t->types[i] = FRIBIDI_TYPE_CS;
        }
    }
}

/* 1 when none of the n characters (bidi types in t->types) is a letter or a digit:
 * punctuation, symbols and spaces only. */
static int neutral_only(const Text *t, int n)
{
    for (int i = 0; i < n; i++) {
        if (FRIBIDI_IS_LETTER(t->types[i]) || FRIBIDI_IS_NUMBER(t->types[i])) {
            return 0;
        }
    }
    return 1;
}

/* The paragraph direction for n characters with bidi types already in t->types. */
static FriBidiParType base_dir(const Text *t, int n)
{
    if (t->dir == 0) {
        return FRIBIDI_PAR_LTR;
    }
    if (t->dir == TEXT_DIR_AUTO) {
        return FRIBIDI_PAR_ON; /* the first strong character; left to right without one */
    }
    /* a right-to-left letter, or a character of a right-to-left script's own (the
     * Arabic comma closing a wrapped line's Latin fragment, "(MsM،", is not a letter) */
    for (int i = 0; i < n; i++) {
        if ((FRIBIDI_IS_LETTER(t->types[i]) && FRIBIDI_IS_RTL(t->types[i])) ||
            needs_bidi(t->cps[i])) {
            return FRIBIDI_PAR_RTL;
        }
    }
    /* punctuation alone on a right-to-left page stands in a right-to-left line: the
     * piece "«" of a line split at a change of style is mirrored as in the whole line */
    return neutral_only(t, n) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
}

/* A hashtag or handle, "#DRK", "@msm": the sign before a Latin letter is one word with
 * it (UAX #9 makes "#" a neutral that a right-to-left line puts on the other side of
 * the word, "DRK#"). Typed as a left-to-right letter, it stays before its word: the
 * effect of wrapping the word in LRI ... PDI without a character added to the text. */
static void bind_tags(Text *t, int n)
{
    for (int i = 0; i + 1 < n; i++) {
        uint32_t c = t->cps[i];
        if ((c == '#' || c == '@') && script_of(t->cps[i + 1]) == SCRIPT_LATIN &&
            (i == 0 || !(FRIBIDI_IS_LETTER(t->types[i - 1]) ||
                         FRIBIDI_IS_NUMBER(t->types[i - 1])))) {
            t->types[i] = FRIBIDI_TYPE_LTR;
        }
    }
}

/* Decodes s[0..len) into t->cps and t->offs and resolves every character's embedding
 * level into t->levels (all 0 for a string that reads left to right). Returns the
 * number of characters. */
static int resolve_levels(Text *t, const char *s, size_t len)
{
    reserve(t, len + 1); /* never more characters than bytes */
    int n = 0, rtl = 0;
    for (size_t at = 0; at < len; n++) {
        uint32_t cp;
        size_t k = utf8_decode(s + at, len - at, &cp);
        if (k == 1 && (unsigned char)s[at] >= 0x80) {
            cp = 0xFFFD; /* a stray byte: the layout never crashes on it */
        }
        t->cps[n] = cp;
        t->offs[n] = at;
        at += k;
        rtl |= needs_bidi(cp);
    }
    t->offs[n] = len;
    if (n == 0) {
        return 0;
    }
    if (rtl || t->dir == 1) {
        fribidi_get_bidi_types(t->cps, n, t->types);
        rtl = rtl || neutral_only(t, n);
    }
    if (rtl) {
        FriBidiParType dir;
        group_digits(t, n);
        bind_tags(t, n);
        fribidi_get_bracket_types(t->cps, n, t->types, t->brackets);
        dir = base_dir(t, n);
        /* rule L1 (trailing spaces at the base level) comes with reordering the line */
        if (!fribidi_get_par_embedding_levels_ex(t->types, t->brackets, n, &dir, t->levels) ||
            !fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, t->types, n, 0, dir, t->levels, NULL,
                                  NULL)) {
            memset(t->levels, 0, (size_t)n * sizeof *t->levels);
        }
    } else {
        memset(t->levels, 0, (size_t)n * sizeof *t->levels);
    }
    return n;
}

/* Splits s[0..len) into runs, in visual order in t->runs; returns how many. */
static int itemise(Text *t, const char *s, size_t len)
{
    /* 1. levels */
    int n = resolve_levels(t, s, len);
    if (n == 0) {
        return 0;
    }
    /* 2. scripts: a common character takes the script before it in its level, or else
     * the next one's */
    for (int i = 0; i < n; i++) {
        t->script[i] = (unsigned char)script_of(t->cps[i]);
    }
    for (int i = 0; i < n; i++) {
        if (t->script[i] != SCRIPT_COMMON) {
            continue;
        }
        if (i > 0 && t->levels[i - 1] == t->levels[i]) {
            t->script[i] = t->script[i - 1];
            continue;
        }
        for (int j = i + 1; j < n && t->levels[j] == t->levels[i]; j++) {
            if (t->script[j] != SCRIPT_COMMON) {
                t->script[i] = t->script[j];
                break;
            }
        }
    }
    /* families: by script, falling back to the other family for what one lacks; a
     * common character stays with its neighbour's family when that has it */
    for (int i = 0; i < n; i++) {
        uint32_t cp = t->cps[i];
        int fam = t->script[i] == SCRIPT_ARABIC ? FAMILY_ARABIC : FAMILY_SANS;
        if (script_of(cp) == SCRIPT_COMMON && i > 0 && t->levels[i - 1] == t->levels[i] &&
            (ignorable(cp) || has_glyph(t, t->family[i - 1], cp))) {
            fam = t->family[i - 1];
        } else if (!ignorable(cp) && !has_glyph(t, fam, cp) && has_glyph(t, !fam, cp)) {
            fam = !fam;
        }
        t->family[i] = (unsigned char)fam;
    }
    /* 3. runs in logical order, then rule L2: from the highest level down to the lowest
     * odd one, reverse every sequence of runs at that level or higher */
    int nr = 0, hi = 0, lo = 127;
    for (int i = 0; i < n; i++) {
        Run *prev = nr ? &t->runs[nr - 1] : NULL;
        if (prev && prev->level == t->levels[i] && prev->family == t->family[i] &&
            (prev->script == t->script[i] || prev->family == FAMILY_ARABIC)) {
            prev->end = i + 1;
            continue;
        }
        Run r = { i, i + 1, t->levels[i], t->family[i], (Script)t->script[i] };
        t->runs[nr++] = r;
        hi = r.level > hi ? r.level : hi;
        lo = r.level < lo ? r.level : lo;
    }
    for (int lv = hi; lv >= (lo | 1); lv--) { /* down to the lowest odd level */
        for (int i = 0; i < nr;) {
            if (t->runs[i].level < lv) {
                i++;
                continue;
            }
            int j = i;
            while (j < nr && t->runs[j].level >= lv) {
                j++;
            }
            for (int a = i, b = j - 1; a < b; a++, b--) {
                Run tmp = t->runs[a];
                t->runs[a] = t->runs[b];
                t->runs[b] = tmp;
            }
            i = j;
        }
    }
    return nr;
}

static const char *terminated(Text *t, const char *s, size_t len)
{
    if (len + 1 > t->scratch_len) {
        t->scratch_len = (len + 1) * 2;
        t->scratch = realloc(t->scratch, t->scratch_len);
        if (!t->scratch) {
            abort();
        }
    }
    memcpy(t->scratch, s, len);
    t->scratch[len] = '\0';
    return t->scratch;
}

/* The run's font, set to its direction and script, and its text (in t->scratch). */
static TTF_Font *run_font(Text *t, const Run *r, const char *s, int size, int bold,
                          const char **text)
{
    TTF_Font *f = font_get(t, r->family * 2 + (bold ? 1 : 0), size);
    if (!f) {
        return NULL;
    }
    TTF_SetFontDirection(f, r->level & 1 ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, script_tag(r));
    *text = terminated(t, s + t->offs[r->start], t->offs[r->end] - t->offs[r->start]);
    return f;
}

/* The width of the run (its surface's width); 0 when it cannot be measured. */
static int run_width(Text *t, const Run *r, const char *s, int size, int bold)
{
    const char *text;
    TTF_Font *f = run_font(t, r, s, size, bold, &text);
    int w = 0, h = 0;
    if (!f || TTF_SizeUTF8(f, text, &w, &h) != 0) {
        return 0;
    }
    return w;
}

static int metric_width(void *ctx, const char *s, size_t len, int size, int bold)
{
    Text *t = ctx;
    uint64_t hash = 14695981039346656037ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        hash = (hash ^ (unsigned char)s[i]) * 1099511628211ULL;
    }
    hash = (hash ^ (uint64_t)size) * 1099511628211ULL;
    WidthMemo *m = &t->memo[(hash ^ (hash >> 32) ^ (uint64_t)bold) % WIDTH_MEMO];
    int8_t dir = (int8_t)(t->dir + 2);
    if (m->dir == dir && m->hash == hash && m->len == len && m->size == size &&
        m->bold == !!bold) {
        return m->width;
    }
    int nr = itemise(t, s, len), w = 0;
    for (int i = 0; i < nr; i++) {
        w += run_width(t, &t->runs[i], s, size, bold);
    }
    if (len <= UINT32_MAX && size <= TEXT_MAX_SIZE) {
        *m = (WidthMemo){ hash, (uint32_t)len, (int16_t)size, (int8_t)!!bold, dir, w };
    }
    return w;
}

/* The levels of a whole line for flow (TextMetrics.bidi), byte by byte. */
static int metric_bidi(void *ctx, const char *s, size_t len, unsigned char *levels)
{
    Text *t = ctx;
    int n = resolve_levels(t, s, len), any = 0;
    for (int i = 0; i < n; i++) {
        memset(levels + t->offs[i], t->levels[i], t->offs[i + 1] - t->offs[i]);
        any |= t->levels[i] != 0;
    }
    return !any ? 0 : t->dir == 1 ? 2 : 1;
}

static int metric_line_height(void *ctx, int size, int bold)
{
    TTF_Font *f = font_get(ctx, bold ? 1 : 0, size);
    return f ? TTF_FontLineSkip(f) : size;
}

TextMetrics text_metrics(Text *t)
{
    TextMetrics m = { t, metric_width, metric_line_height, metric_bidi };
    return m;
}

/* 1 when row y of s (ARGB8888) holds a pixel that is not fully transparent. */
static int row_has_ink(const SDL_Surface *s, int y)
{
    const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
    for (int x = 0; x < s->w; x++) {
        if (row[x] >> 24) {
            return 1;
        }
    }
    return 0;
}

/* Rows [y0, y1) of s as a surface of their own, s freed; NULL (s kept) when none can be
 * made. */
static SDL_Surface *crop_rows(SDL_Surface *s, int y0, int y1)
{
    SDL_Surface *cut = SDL_CreateRGBSurfaceWithFormat(0, s->w, y1 - y0, 32,
                                                      SDL_PIXELFORMAT_ARGB8888);
    if (!cut) {
        return NULL;
    }
    SDL_Rect from = { 0, y0, s->w, y1 - y0 };
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
    SDL_BlitSurface(s, &from, cut, NULL);
    SDL_SetSurfaceBlendMode(cut, SDL_BLENDMODE_BLEND);
    SDL_FreeSurface(s);
    return cut;
}

/* s without the rows above its highest and below its lowest ink, keeping at least the
 * rows [top, top + line_h) (the line box). *top gets the rows left above the line box.
 * Frees s when it makes a new surface. */
static SDL_Surface *trim(SDL_Surface *s, int *top, int line_h)
{
    int y0 = 0, y1 = s->h;
    while (y0 < *top && !row_has_ink(s, y0)) { /* rows above the line box without ink go */
        y0++;
    }
    while (y1 > *top + line_h && !row_has_ink(s, y1 - 1)) { /* and rows below it */
        y1--;
    }
    if (y0 == 0 && y1 == s->h) {
        return s;
    }
    SDL_Surface *cut = crop_rows(s, y0, y1);
    if (!cut) {
        return s;
    }
    *top -= y0;
    return cut;
}

SDL_Surface *text_render_ink(Text *t, const char *s, int size, int bold, uint32_t color,
                             int *above, int *box_h)
{
    *above = 0;
    *box_h = 0;
    SDL_Surface *surf = text_render_above(t, s, size, bold, color, above);
    if (!surf) {
        return NULL;
    }
    *box_h = surf->h - *above;
    if (SDL_MUSTLOCK(surf) || surf->format->format != SDL_PIXELFORMAT_ARGB8888) {
        return surf; /* not what SDL_ttf's blended rendering gives: left whole */
    }
    int y0 = 0, y1 = surf->h;
    while (y0 < y1 && !row_has_ink(surf, y0)) {
        y0++;
    }
    while (y1 > y0 && !row_has_ink(surf, y1 - 1)) {
        y1--;
    }
    if (y1 == y0 || (y0 == 0 && y1 == surf->h)) {
        return surf; /* no ink at all (spaces) is left whole too: an empty line drawn */
    }
    SDL_Surface *cut = crop_rows(surf, y0, y1);
    if (!cut) {
        return surf;
    }
    *above -= y0;
    return cut;
}

SDL_Surface *text_render(Text *t, const char *s, int size, int bold, uint32_t color)
{
    int above;
    SDL_Surface *surf = text_render_above(t, s, size, bold, color, &above);
    if (surf && above > 0) { /* the line box only: marks above it are cut */
        SDL_Surface *cut = crop_rows(surf, above, surf->h);
        if (!cut) {
            SDL_FreeSurface(surf);
        }
        surf = cut;
    }
    return surf;
}

SDL_Surface *text_render_above(Text *t, const char *s, int size, int bold, uint32_t color,
                               int *above)
{
    SDL_Color c = { (Uint8)(color >> 16), (Uint8)(color >> 8), (Uint8)color, 255 };
    size_t len = strlen(s);
    int nr = itemise(t, s, len);
    *above = 0;
    if (nr == 0) {
        return NULL;
    }
    const char *text;
    if (nr == 1 && t->runs[0].family == FAMILY_SANS) {
        TTF_Font *f = run_font(t, &t->runs[0], s, size, bold, &text);
        return f ? TTF_RenderUTF8_Blended(f, text, c) : NULL;
    }
    /* Several runs, or Arabic: one surface with the baseline where Noto Sans has it (so
     * that Arabic and Latin lines sit alike in their boxes), with room above the line
     * box for Arabic's marks (up to 1.25 em high, Noto Sans's box ends at 1.07 em) and
     * below it for Arabic's descenders; what no ink needs is trimmed again. */
    TTF_Font *sans = font_get(t, bold ? 1 : 0, size);
    if (!sans) {
        return NULL;
    }
    int ascent = TTF_FontAscent(sans), descent = -TTF_FontDescent(sans), w = 0, extra = 0;
    int line_h = TTF_FontHeight(sans);
    for (int i = 0; i < nr; i++) {
        w += run_width(t, &t->runs[i], s, size, bold);
        TTF_Font *f = font_get(t, t->runs[i].family * 2 + (bold ? 1 : 0), size);
        if (f && -TTF_FontDescent(f) > descent) {
            descent = -TTF_FontDescent(f);
        }
        if (f && TTF_FontAscent(f) - ascent > extra) {
            extra = TTF_FontAscent(f) - ascent;
        }
    }
    if (w <= 0) {
        return NULL;
    }
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, extra + ascent + descent + 1, 32,
                                                      SDL_PIXELFORMAT_ARGB8888);
    if (!out) {
        return NULL;
    }
    SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, c.r, c.g, c.b, 0));
    int x = 0;
    for (int i = 0; i < nr; i++) {
        TTF_Font *f = run_font(t, &t->runs[i], s, size, bold, &text);
        SDL_Surface *part = f ? TTF_RenderUTF8_Blended(f, text, c) : NULL;
        if (!part) {
            continue; /* an empty run (a lone joiner): nothing to draw */
        }
        /* the runs do not overlap: copying keeps their coverage in alpha */
        SDL_SetSurfaceBlendMode(part, SDL_BLENDMODE_NONE);
        SDL_Rect at = { x, extra + ascent - TTF_FontAscent(f), part->w, part->h };
        SDL_BlitSurface(part, NULL, out, &at);
        x += part->w;
        SDL_FreeSurface(part);
    }
    *above = extra;
    return trim(out, above, line_h);
}
