/* flow: greedy line breaking over exact measurements. A candidate line is always
 * measured the way it will be drawn (merged same-style runs), so a line that fits
 * in the test fits on screen; no estimate with a fudge factor. Sizes are searched
 * by bisection because the height of wrapped text grows with the size. */
#define _POSIX_C_SOURCE 200809L
#include "pages/flow.h"

#include "base/utf8.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6"
#define BULLET "\xe2\x80\xa2"

typedef struct {
    const char *s;
    size_t len;
    int bold;
    int space_before;
    int hyphen;   /* draw "-" after this segment (word split at the end of a line) */
    int ellipsis; /* draw "…" after this segment */
} Seg;

typedef struct {
    int first, n; /* segs */
    int para;
    int size, bold, lh, indent;
} Line;

typedef struct {
    const TextMetrics *tm;
    int line_cap;  /* bytes: a line holding more cannot fit (no need to measure it) */
    int lines_left; /* lines the current paragraph may still start before the box overflows */
    Seg *segs;
    int nseg, capseg;
    Line *lines;
    int nline, capline;
    char *buf; /* scratch for run text */
    size_t capbuf;
} Work;

static void *grow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap) {
        return p;
    }
    int c = *cap ? *cap * 2 : 64;
    while (c < need) {
        c *= 2;
    }
    p = realloc(p, (size_t)c * elem);
    if (!p) {
        abort();
    }
    *cap = c;
    return p;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Zero-width format characters: ZWSP, ZWNJ, ZWJ, LRM, RLM, the bidi embeddings and
 * isolates, word joiner, invisible operators, BOM, Arabic letter mark. They are part of
 * the word they stand in (Persian writes ZWNJ inside words), never a place to break it. */
static int is_zero_width(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
           cp == 0x061C;
}

/* Length of the cluster at s[0..len): one character with the combining marks after it
 * (Arabic vowel signs, accents), and zero-width characters together with the characters
 * on both sides of them. The smallest piece a word is split or cut into, so that no
 * mark loses its letter and no joiner is dropped or stranded at a line end. */
static size_t cluster_len(const char *s, size_t len)
{
    uint32_t cp;
    size_t n = utf8_decode(s, len, &cp);
    int hold = is_zero_width(cp); /* the next character belongs here too */
    while (n < len) {
        size_t k = utf8_decode(s + n, len - n, &cp);
        int zw = is_zero_width(cp);
        if (!hold && !zw && !utf8_is_mark(cp)) {
            break;
        }
        hold = zw;
        n += k;
    }
    return n;
}

/* Builds the text of the run starting at seg i (segments of one style); returns
 * the index after the run. The leading space of the first segment is not part of
 * the run (it is a gap before it). */
static int run_text(Work *w, int i, int end, size_t *len)
{
    size_t n = 0;
    int bold = w->segs[i].bold;
    int j = i;
    for (; j < end && (j == i || w->segs[j].bold == bold); j++) {
        const Seg *s = &w->segs[j];
        size_t need = n + s->len + 8;
        if (need > w->capbuf) {
            w->capbuf = need * 2;
            w->buf = realloc(w->buf, w->capbuf);
            if (!w->buf) {
                abort();
            }
        }
        if (j > i && s->space_before) {
            w->buf[n++] = ' ';
        }
        memcpy(w->buf + n, s->s, s->len);
        n += s->len;
        if (s->hyphen) {
            w->buf[n++] = '-';
        }
        if (s->ellipsis) {
            memcpy(w->buf + n, ELLIPSIS, 3);
            n += 3;
        }
    }
    w->buf[n] = '\0';
    *len = n;
    return j;
}

/* Width of segs[first, first+n) drawn as runs at size; INT_MAX without measuring when
 * the segments hold more bytes than any line can show, so that the text measured per
 * line is bounded by the screen, not by the content. */
static int segs_width(Work *w, int first, int n, int size, int bold_all)
{
    int x = 0, end = first + n;
    size_t bytes = 0;
    for (int i = first; i < end; i++) {
        bytes += w->segs[i].len + 1;
    }
    if (bytes > (size_t)w->line_cap) {
        return INT_MAX;
    }
    for (int i = first; i < end;) {
        size_t len;
        if (i > first && w->segs[i].space_before) {
            x += w->tm->width(w->tm->ctx, " ", 1, size, w->segs[i].bold || bold_all);
        }
        int next = run_text(w, i, end, &len);
        x += w->tm->width(w->tm->ctx, w->buf, len, size, w->segs[i].bold || bold_all);
        i = next;
    }
    return x;
}

static Seg *push_seg(Work *w, const char *s, size_t len, int bold, int space_before)
{
    w->segs = grow(w->segs, &w->capseg, w->nseg + 1, sizeof *w->segs);
    Seg *g = &w->segs[w->nseg++];
    memset(g, 0, sizeof *g);
    g->s = s;
    g->len = len;
    g->bold = bold;
    g->space_before = space_before;
    return g;
}

/* Starts a line, or returns NULL when the paragraph has used up the lines the box can
 * show (the layout is then known to overflow; what follows is never looked at). */
static Line *push_line(Work *w, int first, int para, int size, int bold, int lh, int indent)
{
    if (w->lines_left <= 0) {
        return NULL;
    }
    w->lines_left--;
    w->lines = grow(w->lines, &w->capline, w->nline + 1, sizeof *w->lines);
    Line *l = &w->lines[w->nline++];
    l->first = first;
    l->n = 0;
    l->para = para;
    l->size = size;
    l->bold = bold;
    l->lh = lh;
    l->indent = indent;
    return l;
}

/* A piece of a word: a word (text between spaces) may cross spans of different
 * style, so it is a run of pieces. */
typedef struct {
    const char *s;
    size_t len;
    int bold;
} Piece;

/* Whether the space at t[j] separates digit groups ("140 000", as German, French,
 * Ukrainian and the Arabic translations write thousands): a digit before it and exactly
 * three after it. Such a space is part of the number, never a line break (the text
 * engine keeps the number together in right-to-left lines too). */
static int digit_group(const char *t, size_t len, size_t j)
{
    if (t[j] != ' ' || j == 0 || j + 3 >= len || !isdigit((unsigned char)t[j - 1])) {
        return 0;
    }
    for (size_t k = 1; k <= 3; k++) {
        if (!isdigit((unsigned char)t[j + k])) {
            return 0;
        }
    }
    return j + 4 >= len || !isdigit((unsigned char)t[j + 4]);
}

/* Splits paragraph p into words; each word is a run of Pieces. Caller frees. */
static int split_words(const FlowPara *p, Piece **pieces_out, int **word_start_out)
{
    Piece *pieces = NULL;
    int *starts = NULL;
    int np = 0, cp = 0, nw = 0, cw = 0;
    int in_word = 0;
    for (int k = 0; k < p->n_spans; k++) {
        const char *t = p->spans[k].text;
        int bold = p->spans[k].bold || p->bold_all;
        size_t i = 0, len = strlen(t);
        while (i < len) {
            if (is_space(t[i])) {
                in_word = 0;
                i++;
                continue;
            }
            size_t j = i;
            while (j < len && (!is_space(t[j]) || digit_group(t, len, j))) {
                j++;
            }
            if (!in_word) {
                starts = grow(starts, &cw, nw + 2, sizeof *starts);
                starts[nw++] = np;
            }
            pieces = grow(pieces, &cp, np + 1, sizeof *pieces);
            pieces[np].s = t + i;
            pieces[np].len = j - i;
            pieces[np].bold = bold;
            np++;
            in_word = 1;
            i = j;
        }
    }
    starts = grow(starts, &cw, nw + 1, sizeof *starts);
    starts[nw] = np;
    *pieces_out = pieces;
    *word_start_out = starts;
    return nw;
}

/* The number of words in line ln (a word may be several segments of different style). */
static int line_words(const Work *w, const Line *ln)
{
    int words = 0;
    for (int i = ln->first; i < ln->first + ln->n; i++) {
        words += i == ln->first || w->segs[i].space_before;
    }
    return words;
}

/* A paragraph's last line of one word (a widow) takes the word before it down from the
 * line above when that line keeps two words or more and the last line still fits: the
 * paragraph keeps its number of lines, so nothing else moves. Lines with a word split by
 * a hyphen are left as they are. */
static void balance_last_line(Work *w, int para, int avail, int fs, int bold)
{
    if (w->nline < 2) {
        return;
    }
    Line *last = &w->lines[w->nline - 1], *prev = &w->lines[w->nline - 2];
    if (last->para != para || prev->para != para || last->n == 0 ||
        line_words(w, last) != 1 || line_words(w, prev) < 3) {
        return;
    }
    for (int i = prev->first; i < last->first + last->n; i++) {
        if (w->segs[i].hyphen || w->segs[i].ellipsis) {
            return;
        }
    }
    int j = prev->first + prev->n - 1; /* the first segment of prev's last word */
    while (j > prev->first && !w->segs[j].space_before) {
        j--;
    }
    int old_first = last->first, old_n = last->n, old_prev_n = prev->n;
    prev->n = j - prev->first;
    last->first = j;
    last->n = old_first + old_n - j;
    w->segs[j].space_before = 0;
    w->segs[old_first].space_before = 1;
    if (segs_width(w, last->first, last->n, fs, bold) > avail) { /* undo */
        w->segs[old_first].space_before = 0;
        w->segs[j].space_before = 1;
        prev->n = old_prev_n;
        last->first = old_first;
        last->n = old_n;
    }
}

/* Breaks paragraph p into lines of at most `width` at font size fs. Without
 * allow_split a word wider than the line makes it fail (-1). Returns 1 when it stopped
 * because the box overflows (w->lines_left used up), 0 when the paragraph is done. */
static int break_para(Work *w, const FlowPara *p, int para, int fs, int width, int allow_split)
{
    Piece *pieces;
    int *starts;
    int nw = split_words(p, &pieces, &starts);
    int bold = p->bold_all;
    int lh = w->tm->line_height(w->tm->ctx, fs, bold);
    int indent = 0;
    if (p->bullet) {
        indent = w->tm->width(w->tm->ctx, BULLET "  ", strlen(BULLET "  "), fs, bold);
    }
    int avail = width - indent;
    int rc = 0;
    Line *line = push_line(w, w->nseg, para, fs, bold, lh, indent);
    if (!line) {
        free(pieces);
        free(starts);
        return 1;
    }
    for (int k = 0; k < nw; k++) {
        int seg0 = w->nseg;
        int had = line->n > 0;
        for (int q = starts[k]; q < starts[k + 1]; q++) {
            push_seg(w, pieces[q].s, pieces[q].len, pieces[q].bold, q == starts[k] && had);
        }
        if (segs_width(w, line->first, w->nseg - line->first, fs, bold) <= avail) {
            line->n = w->nseg - line->first;
            continue;
        }
        if (had) { /* move the word to a new line */
            w->nseg = seg0;
            line = push_line(w, w->nseg, para, fs, bold, lh, indent);
            if (!line) {
                rc = 1;
                break;
            }
            for (int q = starts[k]; q < starts[k + 1]; q++) {
                push_seg(w, pieces[q].s, pieces[q].len, pieces[q].bold, 0);
            }
            line = &w->lines[w->nline - 1];
            if (segs_width(w, line->first, w->nseg - line->first, fs, bold) <= avail) {
                line->n = w->nseg - line->first;
                continue;
            }
            seg0 = line->first;
        }
        if (!allow_split) {
            rc = -1;
            break;
        }
        /* the word alone is too wide: split it between characters with a hyphen */
        w->nseg = seg0;
        for (int q = starts[k]; q < starts[k + 1]; q++) {
            const char *s = pieces[q].s;
            size_t off = 0;
            Seg *g = NULL;
            while (off < pieces[q].len) {
                size_t cl = cluster_len(s + off, pieces[q].len - off);
                if (!g) {
                    g = push_seg(w, s + off, 0, pieces[q].bold, 0);
                }
                g->len += cl;
                g->hyphen = 1;
                int wd = segs_width(w, line->first, w->nseg - line->first, fs, bold);
                g->hyphen = 0;
                if (wd > avail && g->len > cl) {
                    g->len -= cl;
                    g->hyphen = 1;
                    line->n = w->nseg - line->first;
                    line = push_line(w, w->nseg, para, fs, bold, lh, indent);
                    if (!line) {
                        rc = 1;
                        goto done;
                    }
                    g = push_seg(w, s + off, cl, pieces[q].bold, 0);
                } else if (wd > avail && w->nseg - line->first > 1) {
                    /* a new piece's first character did not fit: wrap before it */
                    w->segs[w->nseg - 2].hyphen = 1;
                    w->nseg--;
                    line->n = w->nseg - line->first;
                    line = push_line(w, w->nseg, para, fs, bold, lh, indent);
                    if (!line) {
                        rc = 1;
                        goto done;
                    }
                    g = push_seg(w, s + off, cl, pieces[q].bold, 0);
                }
                off += cl;
            }
        }
        line->n = w->nseg - line->first;
    }
done:
    if (rc == 0 && line->n == 0 && w->nline > 1 && w->lines[w->nline - 2].para == para) {
        w->nline--; /* drop an empty trailing line */
    }
    if (rc == 0) {
        balance_last_line(w, para, avail, fs, bold);
    }
    free(pieces);
    free(starts);
    return rc;
}

/* Lays out the paragraphs at base size; returns the total height, or -1 if a word
 * does not fit. Stops as soon as the height passes max_h (a line beyond it is enough
 * to know, and to cut with an ellipsis), so the work is bounded by what fits in the
 * box, never by how much text there is. Line y positions follow from the order and
 * lh/gap. */
static int layout_at(Work *w, const FlowPara *paras, int n, int size, int width, int allow_split,
                     int max_h)
{
    w->nseg = w->nline = 0;
    int h = 0;
    for (int i = 0; i < n; i++) {
        int fs = size * (paras[i].scale ? paras[i].scale : 100) / 100;
        int lh = w->tm->line_height(w->tm->ctx, fs, paras[i].bold_all);
        w->lines_left = lh > 0 ? (max_h - h) / lh + 2 : INT_MAX;
        int first_line = w->nline;
        int rc = break_para(w, &paras[i], i, fs, width, allow_split);
        if (rc < 0) {
            return -1;
        }
        if (i > 0 && w->nline > first_line) {
            h += w->lines[first_line].lh * paras[i].gap / 100;
        }
        for (int l = first_line; l < w->nline; l++) {
            h += w->lines[l].lh;
        }
        if (rc > 0 || h > max_h) {
            return h;
        }
    }
    return h;
}

/* Cuts the layout to the lines that fit in max_h and ends the last with "…". */
static int truncate_to(Work *w, const FlowPara *paras, int max_h, int width)
{
    int h = 0, keep = 0;
    for (int l = 0; l < w->nline; l++) {
        const Line *ln = &w->lines[l];
        int gap = (l > 0 && ln->para != w->lines[l - 1].para)
                      ? ln->lh * paras[ln->para].gap / 100
                      : 0;
        if (h + gap + ln->lh > max_h) {
            break;
        }
        h += gap + ln->lh;
        keep = l + 1;
    }
    if (keep == 0) {
        w->nline = 0;
        return 0;
    }
    w->nline = keep;
    Line *ln = &w->lines[keep - 1];
    int avail = width - ln->indent;
    while (ln->n > 0) {
        Seg *g = &w->segs[ln->first + ln->n - 1];
        g->hyphen = 0;
        g->ellipsis = 1;
        if (segs_width(w, ln->first, ln->n, ln->size, ln->bold) <= avail) {
            break;
        }
        g->ellipsis = 0;
        /* drop the last character (with its marks and joiners), then the segment */
        size_t cut = 0;
        for (size_t off = 0; off < g->len; off += cluster_len(g->s + off, g->len - off)) {
            cut = off;
        }
        g->len = cut;
        if (g->len == 0) {
            ln->n--;
        }
    }
    return h;
}

/* A piece of a line for bidi_line: bytes [start, end) of the paragraph's text, one
 * style and one embedding level. */
typedef struct {
    size_t start, end;
    int bold, level;
} BidiPiece;

/* The text of a paragraph's lines [l0, l1) as the bidi algorithm sees it: the lines'
 * segments with the spaces between them, a space between lines; the style of every byte
 * (a space takes the next word's) and the byte where each line starts (l1 - l0 + 1 of
 * them). Caller frees *text and *bold. */
typedef struct {
    char *text;
    unsigned char *bold, *lv;
    size_t *line_at;
    size_t n;
    int mode; /* TextMetrics.bidi's answer for the paragraph */
} ParaText;

static void para_text(Work *w, int l0, int l1, ParaText *pt)
{
    size_t cap = 1;
    for (int l = l0; l < l1; l++) {
        for (int i = w->lines[l].first; i < w->lines[l].first + w->lines[l].n; i++) {
            cap += w->segs[i].len + 8;
        }
        cap++;
    }
    pt->text = malloc(cap);
    pt->bold = malloc(cap);
    pt->lv = malloc(cap);
    pt->line_at = malloc((size_t)(l1 - l0 + 1) * sizeof *pt->line_at);
    if (!pt->text || !pt->bold || !pt->lv || !pt->line_at) {
        abort();
    }
    size_t n = 0;
    for (int l = l0; l < l1; l++) {
        const Line *ln = &w->lines[l];
        if (l > l0) {
            pt->bold[n] = (unsigned char)ln->bold;
            pt->text[n++] = ' ';
        }
        pt->line_at[l - l0] = n;
        for (int i = ln->first; i < ln->first + ln->n; i++) {
            const Seg *g = &w->segs[i];
            unsigned char b = (unsigned char)(g->bold || ln->bold);
            if (i > ln->first && g->space_before) {
                pt->bold[n] = b;
                pt->text[n++] = ' ';
            }
            memcpy(pt->text + n, g->s, g->len);
            memset(pt->bold + n, b, g->len);
            n += g->len;
            if (g->hyphen) {
                pt->bold[n] = b;
                pt->text[n++] = '-';
            }
            if (g->ellipsis) {
                memcpy(pt->text + n, ELLIPSIS, 3);
                memset(pt->bold + n, b, 3);
                n += 3;
            }
        }
    }
    pt->line_at[l1 - l0] = n;
    pt->text[n] = '\0';
    pt->n = n;
    pt->mode = w->tm->bidi(w->tm->ctx, pt->text, n, pt->lv);
}

static void para_text_free(ParaText *pt)
{
    free(pt->text);
    free(pt->bold);
    free(pt->lv);
    free(pt->line_at);
    memset(pt, 0, sizeof *pt);
}

/* Emits the line at bytes [from, to) of the paragraph's text pt, starting at x, in
 * visual order: the bidi algorithm ran once over the whole paragraph (so that brackets,
 * guillemets and the spaces between spans take the paragraph's direction, not each
 * span's, and a bracket opened on one line pairs with its closing one on the next), its
 * level runs are cut where the style changes, and the pieces are placed in visual order
 * (rule L2, per line). On a page mirrored afterwards they are placed in reverse, so that
 * mirroring puts them in visual order. Each item keeps its text in logical order and run
 * 0: its place is final. */
static void bidi_line(Work *w, DrawList *dl, const ParaText *pt, size_t from, size_t to,
                      const Line *ln, const FlowPara *p, int x, int y, int align)
{
    BidiPiece *pc = malloc((to - from + 1) * sizeof *pc);
    if (!pc) {
        abort();
    }
    int np = 0, hi = 0, lo = 255;
    for (size_t a = from; a < to;) {
        size_t b = a + 1;
        while (b < to && pt->lv[b] == pt->lv[a] && pt->bold[b] == pt->bold[a]) {
            b++;
        }
        BidiPiece q = { a, b, pt->bold[a], pt->lv[a] };
        pc[np++] = q;
        hi = q.level > hi ? q.level : hi;
        lo = q.level < lo ? q.level : lo;
        a = b;
    }
    for (int l = hi; l >= (lo | 1); l--) { /* rule L2 over the pieces */
        for (int i = 0; i < np;) {
            if (pc[i].level < l) {
                i++;
                continue;
            }
            int j = i;
            while (j < np && pc[j].level >= l) {
                j++;
            }
            for (int a = i, b = j - 1; a < b; a++, b--) {
                BidiPiece t = pc[a];
                pc[a] = pc[b];
                pc[b] = t;
            }
            i = j;
        }
    }
    const char *text = pt->text;
    for (int k = 0; k < np; k++) {
        const BidiPiece *q = &pc[pt->mode == 2 ? np - 1 - k : k];
        size_t a = q->start, b = q->end;
        int sp = w->tm->width(w->tm->ctx, " ", 1, ln->size, q->bold);
        int lead = 0, trail = 0;
        while (a < b && text[a] == ' ') {
            a++;
            lead++;
        }
        while (b > a && text[b - 1] == ' ') {
            b--;
            trail++;
        }
        /* the spaces on the side laid out first (the visual left, or on a mirrored page
         * the visual right) */
        int first = (q->level & 1) ? trail : lead, last = (q->level & 1) ? lead : trail;
        if (pt->mode == 2) {
            int tmp = first;
            first = last;
            last = tmp;
        }
        x += first * sp;
        if (b > a) {
            int rw = w->tm->width(w->tm->ctx, text + a, b - a, ln->size, q->bold);
            DrawItem *it = drawlist_add(dl, ITEM_TEXT, (Rect){ x, y, rw, ln->lh }, p->color);
            it->text = strndup(text + a, b - a);
            if (!it->text) {
                abort();
            }
            it->size = ln->size;
            it->bold = q->bold;
            it->align = align;
            it->run = 0;
            x += rw;
        }
        x += last * sp;
    }
    free(pc);
}

/* 1 when text[from, to) holds a letter of a right-to-left script (Hebrew, Arabic). */
static int has_rtl_letter(const char *text, size_t from, size_t to)
{
    for (size_t at = from; at < to;) {
        uint32_t cp;
        at += utf8_decode(text + at, to - at, &cp);
        if ((cp >= 0x590 && cp <= 0x8FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
            (cp >= 0xFE70 && cp <= 0xFEFE)) {
            return 1;
        }
    }
    return 0;
}

/* The number of runs of one style in line ln. */
static int line_runs(const Work *w, const Line *ln)
{
    int runs = 0;
    for (int i = ln->first; i < ln->first + ln->n; i++) {
        runs += i == ln->first ||
                (w->segs[i].bold || ln->bold) != (w->segs[i - 1].bold || ln->bold);
    }
    return runs;
}

static void emit(Work *w, DrawList *dl, const FlowPara *paras, Rect box, int align, int y0)
{
    int y = y0, pt_first = 0;
    ParaText pt = { 0 };
    for (int l = 0; l < w->nline; l++) {
        const Line *ln = &w->lines[l];
        const FlowPara *p = &paras[ln->para];
        if (l > 0 && ln->para != w->lines[l - 1].para) {
            y += ln->lh * p->gap / 100;
        }
        int lw = segs_width(w, ln->first, ln->n, ln->size, ln->bold);
        int x = box.x + ln->indent;
        int avail = box.w - ln->indent;
        if (align == FLOW_CENTER) {
            x += (avail - lw) / 2;
        } else if (align == FLOW_RIGHT) {
            x += avail - lw;
        }
        if (p->bullet && (l == 0 || w->lines[l - 1].para != ln->para)) {
            int bw = w->tm->width(w->tm->ctx, BULLET, strlen(BULLET), ln->size, ln->bold);
            DrawItem *it = drawlist_add(dl, ITEM_TEXT, (Rect){ box.x, y, bw, ln->lh }, p->color);
            it->text = strdup(BULLET);
            it->size = ln->size;
            it->bold = ln->bold;
            it->align = align;
        }
        if (l == 0 || ln->para != w->lines[l - 1].para) { /* a paragraph starts */
            para_text_free(&pt);
            pt_first = l;
            int l1 = l;
            while (l1 < w->nline && w->lines[l1].para == ln->para) {
                l1++;
            }
            if (w->tm->bidi) {
                para_text(w, l, l1, &pt);
            }
        }
        int end = ln->first + ln->n, run = 0;
        /* in a paragraph that mixes directions, a line of several styles, or a line
         * without a right-to-left letter (a Latin fragment of a wrapped Arabic sentence,
         * "stärken Menschen»", whose "»" belongs to the Arabic), is placed by the
         * paragraph's levels; any other line is one item per style, drawn as a whole */
        if (pt.mode != 0) {
            size_t from = pt.line_at[l - pt_first], to = pt.line_at[l - pt_first + 1];
            if (line_runs(w, ln) > 1 || !has_rtl_letter(pt.text, from, to)) {
                bidi_line(w, dl, &pt, from, to, ln, p, x, y, align);
                y += ln->lh;
                continue;
            }
        }
        for (int i = ln->first; i < end;) {
            const int bold = w->segs[i].bold || ln->bold;
            if (i > ln->first && w->segs[i].space_before) {
                x += w->tm->width(w->tm->ctx, " ", 1, ln->size, bold);
            }
            size_t len;
            int next = run_text(w, i, end, &len);
            int rw = w->tm->width(w->tm->ctx, w->buf, len, ln->size, bold);
            DrawItem *it = drawlist_add(dl, ITEM_TEXT, (Rect){ x, y, rw, ln->lh }, p->color);
            it->text = strdup(w->buf);
            if (!it->text) {
                abort();
            }
            it->size = ln->size;
            it->bold = bold;
            it->align = align;
            it->run = run++;
            x += rw;
            i = next;
        }
        y += ln->lh;
    }
    para_text_free(&pt);
}

int flow_fit(DrawList *dl, const TextMetrics *tm, const FlowPara *paras, int n, Rect box,
             int max_size, int min_size, int align, int vcenter, int *used_h)
{
    Work w = { 0 };
    w.tm = tm;
    if (max_size < min_size) {
        max_size = min_size;
    }
    /* no line can hold more characters than its width over the narrowest advance;
     * 20 bytes each leaves room for UTF-8 and combining marks */
    int adv = tm->width(tm->ctx, ".", 1, min_size, 0);
    int sp = tm->width(tm->ctx, " ", 1, min_size, 0);
    adv = sp < adv ? sp : adv;
    w.line_cap = (box.w / (adv > 0 ? adv : 1) + 2) * 20;
    int lo = min_size, hi = max_size, best = -1, h;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        h = layout_at(&w, paras, n, mid, box.w, 0, box.h);
        if (h >= 0 && h <= box.h) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    /* wrapped height is not strictly monotonic in the size: look a little above */
    for (int up = best + 1; best >= 0 && up <= max_size && up <= best + 3; up++) {
        h = layout_at(&w, paras, n, up, box.w, 0, box.h);
        if (h >= 0 && h <= box.h) {
            best = up;
        }
    }
    if (best >= 0) {
        h = layout_at(&w, paras, n, best, box.w, 0, box.h);
    } else {
        best = min_size;
        h = layout_at(&w, paras, n, best, box.w, 1, box.h);
        if (h > box.h) {
            int all = w.nline;
            h = truncate_to(&w, paras, box.h, box.w);
            if (dl && w.nline < all) { /* staff must learn what did not fit */
                const Line *cut = &w.lines[w.nline];
                drawlist_overflow(dl, "text", w.segs[cut->first].s, cut->para, n, box);
            }
        }
    }
    if (dl) {
        emit(&w, dl, paras, box, align, box.y + (vcenter ? (box.h - h) / 2 : 0));
    }
    if (used_h) {
        *used_h = h;
    }
    free(w.segs);
    free(w.lines);
    free(w.buf);
    return best;
}
