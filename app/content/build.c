/* build: sources -> Model -> store_create(). Markdown is parsed by cmark; only the
 * small front matter ("key: value" lines between two "---" lines) is read by hand,
 * because it is a line format, not YAML. Everything is validated here, before the
 * display ever sees it: UTF-8, lengths, colours, web address, supported Markdown. */
#define _POSIX_C_SOURCE 200809L
#include "content/build.h"
#include "content/build_picture.h"

#include "content/build_schedule.h"
#include "content/build_screen.h"
#include "content/encoding.h"
#include "base/clock.h"
#include "base/ui.h"
#include "store/store.h"
#include "content/csv.h"
#include "base/utf8.h"

#include <cmark.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <strings.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *path;
    BuildReport *r;
    int saw_title; /* a title line, valid or not: its own error says what is wrong */
} Ctx;

/* Reports what at path:line to the build's report; returns -1. */
static int fail_at(Ctx *cx, int line, BuildText what, ...)
{
    va_list ap;
    va_start(ap, what);
    build_report_verror(cx->r, cx->path, line, what, ap);
    va_end(ap);
    return -1;
}

/* The old single-string interface: every error of r, one a line, into err. */
static int report_to_err(BuildReport *r, int rc, char *err, size_t errlen)
{
    if (errlen > 0) {
        build_report_errors(r, err, errlen);
    }
    build_report_free(r);
    return rc;
}

static char *dup_range(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d) {
        abort(); /* out of memory: nothing sensible to do in a build */
    }
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
                        (*s)[*len - 1] == '\r')) {
        (*len)--;
    }
}

static int parse_color(const char *v, size_t len, uint32_t *out)
{
    if (len != 7 || v[0] != '#') {
        return -1;
    }
    uint32_t c = 0;
    for (size_t i = 1; i < 7; i++) {
        char ch = v[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0) {
            return -1;
        }
        c = c << 4 | (uint32_t)d;
    }
    *out = c;
    return 0;
}

/* Refuses stacked combining marks ("Zalgo" text draws a column of accents over the
 * lines around it), the same rule store_check_model applies at load. */
static int check_marks(Ctx *cx, int line, const char *field, const char *s, size_t len)
{
    size_t run = utf8_mark_run(s, len, NULL);
    if (run > UTF8_MAX_MARK_RUN) {
        return fail_at(cx, line, BT_MARKS, field, run, UTF8_MAX_MARK_RUN);
    }
    return 0;
}

static int set_text_field(Ctx *cx, int line, const char *key, char **field, const char *v,
                          size_t len)
{
    if (*field) {
        return fail_at(cx, line, BT_KEY_TWICE, key);
    }
    if (len == 0) {
        return fail_at(cx, line, BT_KEY_EMPTY, key);
    }
    char *s = dup_range(v, len);
    if (utf8_count(s) > BUILD_MAX_FIELD_CHARS) {
        free(s);
        return fail_at(cx, line, BT_TOO_LONG, key, BUILD_MAX_FIELD_CHARS);
    }
    if (check_marks(cx, line, key, s, len)) {
        free(s);
        return -1;
    }
    *field = s;
    return 0;
}

static int parse_front_line(Ctx *cx, int line, const char *s, size_t len, Campaign *c)
{
    trim(&s, &len);
    if (len == 0) {
        return 0;
    }
    const char *colon = memchr(s, ':', len);
    if (!colon) {
        return fail_at(cx, line, BT_EXPECTED_KEY_VALUE);
    }
    size_t klen = (size_t)(colon - s);
    const char *v = colon + 1;
    size_t vlen = len - klen - 1;
    trim(&s, &klen);
    trim(&v, &vlen);
    if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
        v++;
        vlen -= 2;
    }
    char key[32];
    if (klen == 0 || klen >= sizeof key) {
        return fail_at(cx, line, BT_EXPECTED_KEY_VALUE);
    }
    memcpy(key, s, klen);
    key[klen] = '\0';

    struct {
        const char *name;
        char **field;
    } texts[] = {
        { "title", &c->title },       { "hashtag", &c->hashtag },
        { "subtitle", &c->subtitle }, { "url_label", &c->url_label },
        { "source", &c->source },     { "map_title", &c->map_title },
        { "map_note", &c->map_note },
    };
    cx->saw_title |= strcmp(key, "title") == 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (strcmp(key, texts[i].name) == 0) {
            return set_text_field(cx, line, key, texts[i].field, v, vlen);
        }
    }
    if (strcmp(key, "url") == 0) {
        /* the display's rule (a QR code holds only so much): one check for both */
        char url[BUILD_MAX_URL_BYTES + 1];
        int fits = vlen <= BUILD_MAX_URL_BYTES && vlen <= STORE_MAX_URL_BYTES;
        if (fits) {
            memcpy(url, v, vlen);
            url[vlen] = '\0';
        }
        if (!fits || store_check_url(url) != 0) {
            return fail_at(cx, line, BT_BAD_URL, BUILD_MAX_URL_BYTES, vlen);
        }
        if (c->url) {
            return fail_at(cx, line, BT_KEY_TWICE, "url");
        }
        c->url = dup_range(v, vlen); /* bytes, not characters, bound a web address */
        return 0;
    }
    if (strcmp(key, "figure") == 0) {
        const char *bar = memchr(v, '|', vlen);
        if (!bar) {
            return fail_at(cx, line, BT_FIGURE_FORM);
        }
        const char *fv = v, *fl = bar + 1;
        size_t fvlen = (size_t)(bar - v), fllen = vlen - fvlen - 1;
        trim(&fv, &fvlen);
        trim(&fl, &fllen);
        if (fvlen == 0 || fllen == 0) {
            return fail_at(cx, line, BT_FIGURE_BOTH);
        }
        if (c->n_figures >= BUILD_MAX_FIGURES) {
            return fail_at(cx, line, BT_FIGURES_MANY, BUILD_MAX_FIGURES);
        }
        if (fvlen > 40 || fllen > 80) {
            return fail_at(cx, line, BT_FIGURE_LONG);
        }
        if (check_marks(cx, line, "figure", fv, fvlen) ||
            check_marks(cx, line, "figure", fl, fllen)) {
            return -1;
        }
        Figure *f = realloc(c->figures, sizeof *f * (size_t)(c->n_figures + 1));
        if (!f) {
            abort();
        }
        c->figures = f;
        f[c->n_figures].value = dup_range(fv, fvlen);
        f[c->n_figures].label = dup_range(fl, fllen);
        c->n_figures++;
        return 0;
    }
    if (strcmp(key, "valid_from") == 0 || strcmp(key, "valid_until") == 0) {
        char *day = strcmp(key, "valid_from") == 0 ? c->valid_from : c->valid_until;
        if (csv_day(v, vlen, day) != 0) {
            return fail_at(cx, line, BT_BAD_DAY, key);
        }
        if (c->valid_from[0] && c->valid_until[0] && strcmp(c->valid_until, c->valid_from) < 0) {
            return fail_at(cx, line, BT_UNTIL_BEFORE_FROM);
        }
        return 0;
    }
    if (strcmp(key, "logo") == 0) { /* the file is read with the other pictures */
        if (c->logo_src) {
            return fail_at(cx, line, BT_KEY_TWICE, key);
        }
        if (vlen == 0) {
            return fail_at(cx, line, BT_KEY_EMPTY, key);
        }
        c->logo_src = dup_range(v, vlen);
        c->logo_line = line;
        return 0;
    }
    struct {
        const char *name;
        uint32_t *field;
    } colors[] = {
        { "color_primary", &c->color_primary },
        { "color_background", &c->color_background },
        { "color_text", &c->color_text },
        { "color_accent", &c->color_accent },
    };
    for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++) {
        if (strcmp(key, colors[i].name) == 0) {
            if (parse_color(v, vlen, colors[i].field) != 0) {
                return fail_at(cx, line, BT_BAD_COLOUR, key);
            }
            return 0;
        }
    }
    return fail_at(cx, line, BT_UNKNOWN_KEY, key);
}

/* Appends the inline content of node to block b; the first problem ends the block
 * (reported), the caller goes on with the next one. */
static int add_inlines(Ctx *cx, int line0, cmark_node *node, Block *b)
{
    cmark_iter *it = cmark_iter_new(node);
    int bold = 0, rc = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        int line = line0 + cmark_node_get_start_line(n) - 1;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_STRONG:
            bold += ev == CMARK_EVENT_ENTER ? 1 : -1;
            break;
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *t = cmark_node_get_literal(n);
            size_t tl = strlen(t);
            if (tl > STORE_MAX_TEXT) { /* the display refuses longer texts */
                rc = fail_at(cx, line, BT_PARAGRAPH_LONG, tl, STORE_MAX_TEXT);
                break;
            }
            rc = check_marks(cx, line, "text", t, tl);
            if (rc == 0) {
                rc = block_add_span(b, t, tl, bold > 0);
            }
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            rc = block_add_span(b, " ", 1, bold > 0);
            break;
        case CMARK_NODE_IMAGE:
            rc = fail_at(cx, line, BT_NO_IMAGES);
            break;
        case CMARK_NODE_HTML_INLINE:
            rc = fail_at(cx, line, BT_NO_HTML);
            break;
        default: /* emphasis and links show as plain text */
            break;
        }
        if (rc) {
            break;
        }
    }
    cmark_iter_free(it);
    if (rc == 0 && b->n_spans == 0) {
        rc = block_add_span(b, "", 0, 0);
    }
    return rc;
}

static Block *new_block(Campaign *c, BlockKind kind, int level)
{
    Block *blocks = realloc(c->blocks, sizeof *blocks * (size_t)(c->n_blocks + 1));
    if (!blocks) {
        abort();
    }
    c->blocks = blocks;
    Block *b = &blocks[c->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->level = level;
    return b;
}

/* A paragraph that is one Markdown picture and nothing else ("![alt](file)" on a line of
 * its own) becomes a picture block: its file is read with the other pictures, its alt
 * text kept as the block's span. Returns 1 when it was one, 0 when not, -1 on error. */
static int add_picture_block(Ctx *cx, int line0, cmark_node *para, Campaign *c)
{
    cmark_node *img = cmark_node_first_child(para);
    if (!img || cmark_node_get_type(img) != CMARK_NODE_IMAGE || cmark_node_next(img)) {
        return 0;
    }
    int line = line0 + cmark_node_get_start_line(img) - 1;
    const char *url = cmark_node_get_url(img);
    if (!url || !*url) {
        return fail_at(cx, line, BT_KEY_EMPTY, "![…](…)");
    }
    char alt[BUILD_MAX_FIELD_CHARS * 4 + 1] = "";
    cmark_iter *it = cmark_iter_new(img);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_TEXT) {
            size_t have = strlen(alt);
            snprintf(alt + have, sizeof alt - have, "%s", cmark_node_get_literal(n));
        }
    }
    cmark_iter_free(it);
    if (check_marks(cx, line, "alt", alt, strlen(alt))) {
        return -1;
    }
    Block *b = new_block(c, BLOCK_IMAGE, 0);
    b->src = strdup(url);
    b->line = line;
    if (!b->src || block_add_span(b, alt, strlen(alt), 0)) {
        abort();
    }
    return 1;
}

/* Adds the blocks under parent to c. A block that cannot be shown is reported and
 * skipped, so that one run names every such block. Returns 0, or -1 if any failed. */
static int add_blocks(Ctx *cx, int line0, cmark_node *parent, Campaign *c, int in_item)
{
    int rc = 0;
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        int line = line0 + cmark_node_get_start_line(n) - 1;
        if (c->n_blocks >= BUILD_MAX_BLOCKS) {
            return fail_at(cx, line, BT_BLOCKS_MANY, BUILD_MAX_BLOCKS);
        }
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH: {
            int pic = in_item ? 0 : add_picture_block(cx, line0, n, c);
            if (pic) {
                rc = pic < 0 ? -1 : rc;
                break;
            }
            if (add_inlines(cx, line0, n, new_block(c, in_item ? BLOCK_ITEM : BLOCK_PARAGRAPH, 0))) {
                rc = -1;
            }
            in_item = 0; /* further paragraphs of one item continue as text */
            break;
        }
        case CMARK_NODE_HEADING:
            if (add_inlines(cx, line0, n,
                            new_block(c, BLOCK_HEADING, cmark_node_get_heading_level(n)))) {
                rc = -1;
            }
            break;
        case CMARK_NODE_LIST:
        case CMARK_NODE_ITEM:
            if (add_blocks(cx, line0, n, c, cmark_node_get_type(n) == CMARK_NODE_ITEM)) {
                rc = -1;
            }
            if (c->n_blocks >= BUILD_MAX_BLOCKS && rc) {
                return -1; /* reported once, deeper down */
            }
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            break;
        case CMARK_NODE_CODE_BLOCK:
            rc = fail_at(cx, line, BT_NO_CODE);
            break;
        case CMARK_NODE_HTML_BLOCK:
            rc = fail_at(cx, line, BT_NO_HTML);
            break;
        case CMARK_NODE_BLOCK_QUOTE:
            rc = fail_at(cx, line, BT_NO_QUOTES);
            break;
        default:
            rc = fail_at(cx, line, BT_UNSUPPORTED_MD, cmark_node_get_type_string(n));
            break;
        }
    }
    return rc;
}

int build_parse_campaign_report(const char *path, const char *text, size_t len,
                                Campaign *out, BuildReport *r)
{
    Ctx cx = { path, r, 0 };
    char *owned = NULL;
    int errors = r->n_errors;
    campaign_init(out);
    if (len > BUILD_MAX_SOURCE_BYTES) {
        return fail_at(&cx, 0, BT_FILE_TOO_LARGE, (size_t)BUILD_MAX_SOURCE_BYTES);
    }
    if (encoding_prepare(path, &text, &len, &owned, r)) {
        return -1;
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        pos = 3; /* byte order mark written by some editors */
    }
    /* front matter: every line is checked, a bad one does not hide the next */
    int line = 1;
    const char *eol = memchr(text + pos, '\n', len - pos);
    size_t l0 = eol ? (size_t)(eol - (text + pos)) : len - pos;
    const char *first = text + pos;
    trim(&first, &l0);
    if (l0 != 3 || memcmp(first, "---", 3) != 0) {
        fail_at(&cx, 1, BT_NO_FRONT_MATTER);
        goto fail;
    }
    pos = eol ? (size_t)(eol - text) + 1 : len;
    int closed = 0;
    while (pos < len) {
        line++;
        eol = memchr(text + pos, '\n', len - pos);
        size_t ll = eol ? (size_t)(eol - (text + pos)) : len - pos;
        const char *s = text + pos;
        pos = eol ? (size_t)(eol - text) + 1 : len;
        size_t tl = ll;
        trim(&s, &tl);
        if (tl == 3 && memcmp(s, "---", 3) == 0) {
            closed = 1;
            break;
        }
        if (tl > 0 && s[0] == '#' && (tl == 1 || s[1] == ' ')) {
            continue; /* comment */
        }
        parse_front_line(&cx, line, s, tl, out);
    }
    if (!closed) {
        fail_at(&cx, line, BT_FRONT_NOT_CLOSED);
        goto fail; /* where the text starts is unknown: its lines would be wrong */
    }
    if (!out->title && !cx.saw_title) {
        fail_at(&cx, 1, BT_NO_TITLE);
    }

    cmark_node *doc = cmark_parse_document(text + pos, len - pos, CMARK_OPT_DEFAULT);
    if (!doc) {
        abort();
    }
    add_blocks(&cx, line + 1, doc, out, 0);
    cmark_node_free(doc);
    if (r->n_errors > errors) {
        goto fail;
    }
    free(owned);
    return 0;
fail:
    free(owned);
    campaign_free(out);
    return -1;
}

int build_parse_campaign(const char *path, const char *text, size_t len, Campaign *out,
                         char *err, size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    return report_to_err(&r, build_parse_campaign_report(path, text, len, out, &r), err, errlen);
}

/* Geometry finer than any screen shows is dropped here, once, rather than projected
 * and rasterised on every display: a point closer than MAP_RESOLUTION of the region's
 * extent to the last point kept changes no pixel even at 4K (a tenth of a pixel). A
 * ring that shrinks below three points is smaller than a pixel and goes. O(points). */
#define MAP_RESOLUTION (1.0 / 8000)

static void simplify_geo(MapGeo *g)
{
    double w = g->lon1 - g->lon0, h = g->lat1 - g->lat0;
    float tol = (float)((w > h ? w : h) * MAP_RESOLUTION);
    int kept_rings = 0;
    for (int i = 0; i < g->n_rings; i++) {
        MapRing *r = &g->rings[i];
        int k = 0;
        for (int j = 0; j < r->n; j++) {
            float x = r->lonlat[2 * j], y = r->lonlat[2 * j + 1];
            if (k > 0 && fabsf(x - r->lonlat[2 * k - 2]) < tol &&
                fabsf(y - r->lonlat[2 * k - 1]) < tol) {
                continue;
            }
            r->lonlat[2 * k] = x;
            r->lonlat[2 * k + 1] = y;
            k++;
        }
        r->n = k;
        if (k < 3) {
            free(r->lonlat);
            continue;
        }
        g->rings[kept_rings++] = *r;
    }
    g->n_rings = kept_rings;
}

/* map.geo is a technical asset (see assets/README.md), not something staff type:
 * its messages stay in English, inside a translated frame. */
static int geo_fail(Ctx *cx, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int geo_fail(Ctx *cx, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail_at(cx, line, BT_GEO, msg);
}

int build_parse_geo_report(const char *path, const char *text, size_t len, MapGeo *out,
                           BuildReport *r)
{
    Ctx cx = { path, r, 0 };
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    int line = 0, have_region = 0, total = 0;
    MapRing *ring = NULL;
    int want = 0; /* points still expected for the current ring */
    if (!utf8_valid(text, len, NULL)) {
        return geo_fail(&cx, 0, "not valid UTF-8");
    }
    while (pos < len) {
        const char *s = text + pos;
        const char *eol = memchr(s, '\n', len - pos);
        size_t ll = eol ? (size_t)(eol - s) : len - pos;
        pos += ll + 1;
        line++;
        char buf[128];
        trim(&s, &ll);
        if (ll == 0 || s[0] == '#') {
            continue;
        }
        if (ll >= sizeof buf) {
            geo_fail(&cx, line, "line too long");
            goto fail;
        }
        memcpy(buf, s, ll);
        buf[ll] = '\0';
        char kind[16], name[16], extra;
        int n;
        double a, b, c, d;
        if (want > 0) {
            if (sscanf(buf, "%lf %lf %c", &a, &b, &extra) != 2 || a < -180 || a > 180 ||
                b < -90 || b > 90) {
                geo_fail(&cx, line, "expected 'longitude latitude' in degrees");
                goto fail;
            }
            ring->lonlat[2 * ring->n] = (float)a;
            ring->lonlat[2 * ring->n + 1] = (float)b;
            ring->n++;
            want--;
        } else if (sscanf(buf, "region %lf %lf %lf %lf %c", &a, &b, &c, &d, &extra) == 4) {
            if (!(a < c && b < d && a >= -180 && c <= 180 && b >= -85 && d <= 85)) {
                geo_fail(&cx, line, "region must be 'lon0 lat0 lon1 lat1' with lon0 < lon1, "
                                   "lat0 < lat1");
                goto fail;
            }
            out->lon0 = a;
            out->lat0 = b;
            out->lon1 = c;
            out->lat1 = d;
            have_region = 1;
        } else if (sscanf(buf, "ring %15s %7s %d %c", kind, name, &n, &extra) == 3) {
            int focus = strcmp(kind, "focus") == 0;
            if (!focus && strcmp(kind, "context") != 0) {
                geo_fail(&cx, line, "ring kind must be 'focus' or 'context'");
                goto fail;
            }
            if (n < 3 || n > 100000 || total + n > BUILD_MAX_MAP_POINTS ||
                out->n_rings >= BUILD_MAX_MAP_RINGS) {
                geo_fail(&cx, line, "too many points or rings (at most %d points)",
                        BUILD_MAX_MAP_POINTS);
                goto fail;
            }
            MapRing *rings = realloc(out->rings, sizeof *rings * (size_t)(out->n_rings + 1));
            if (!rings) {
                abort();
            }
            out->rings = rings;
            ring = &rings[out->n_rings++];
            memset(ring, 0, sizeof *ring);
            ring->focus = focus;
            snprintf(ring->name, sizeof ring->name, "%.7s", name);
            ring->lonlat = malloc(sizeof(float) * 2 * (size_t)n);
            if (!ring->lonlat) {
                abort();
            }
            want = n;
            total += n;
        } else {
            geo_fail(&cx, line, "expected 'region ...', 'ring KIND NAME N' or a point");
            goto fail;
        }
    }
    if (want > 0) {
        geo_fail(&cx, line, "the last ring has %d points fewer than announced", want);
        goto fail;
    }
    if (!have_region || out->n_rings == 0) {
        geo_fail(&cx, 0, "no 'region' line or no rings");
        goto fail;
    }
    simplify_geo(out);
    if (out->n_rings == 0) {
        geo_fail(&cx, 0, "every ring is smaller than the map can show (less than 1/8000 of the "
                        "region); check the region line and the units (degrees)");
        goto fail;
    }
    return 0;
fail:
    map_geo_free(out);
    return -1;
}

int build_parse_geo(const char *path, const char *text, size_t len, MapGeo *out, char *err,
                    size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    return report_to_err(&r, build_parse_geo_report(path, text, len, out, &r), err, errlen);
}

enum { COL_ID, COL_NAME, COL_ORG, COL_CITY, COL_LAT, COL_LON, COL_KIND, COL_ADDRESS, COL_URL,
       COL_DEMO, COL_N };

static const CsvColumn site_cols[COL_N] = {
    { "id", "id", "kennung|kürzel|nummer|nr", 1, 0 },
    { "name", "Name", "bezeichnung|projekt", 1, 1 },
    { "organisation", "Organisation", "organization|träger|verband", 1, 1 },
    { "city", "Stadt", "ort", 1, 1 },
    { "latitude", "Breitengrad", "lat|breite", 1, 0 },
    { "longitude", "Längengrad", "lon|lng|länge", 1, 0 },
    { "kind", "Art", "typ|gruppe", 1, 0 },
    { "address", "Adresse", "anschrift", 0, 1 },
    { "url", "Webseite", "website|internet|link|homepage", 0, 0 },
    { "demo", "Beispieldaten", "beispiel|demodaten", 0, 0 },
};

/* A coordinate with a decimal point or a decimal comma ("52,52"). */
static int parse_coord(const char *v, double *out)
{
    char buf[40];
    size_t n = strlen(v);
    while (n && v[n - 1] == ' ') {
        n--;
    }
    while (*v == ' ') {
        v++, n--;
    }
    if (n == 0 || n >= sizeof buf) {
        return -1;
    }
    memcpy(buf, v, n);
    buf[n] = '\0';
    char *comma = strchr(buf, ',');
    if (comma) {
        if (strchr(buf, '.') || strchr(comma + 1, ',')) {
            return -1;
        }
        *comma = '.';
    }
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (errno || *end || end == buf || !isfinite(d)) {
        return -1;
    }
    *out = d;
    return 0;
}

static char *dup_field(const char *v)
{
    const char *s = v;
    size_t n = strlen(s);
    trim(&s, &n);
    return n ? dup_range(s, n) : NULL;
}

static int is_blank(const char *v)
{
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    return *v == '\0';
}

typedef struct {
    int line, first; /* a row repeating an id, and the row that used it first */
} Duplicate;

static const Site *sort_sites;

static int by_id(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    int c = strcmp(sort_sites[x].id, sort_sites[y].id);
    return c ? c : x - y;
}

static int by_line(const void *a, const void *b)
{
    return ((const Duplicate *)a)->line - ((const Duplicate *)b)->line;
}

/* Reports, in file order, every row whose id an earlier row already used. O(n log n). */
static int find_duplicates(Ctx *cx, const Site *sites, const int *lines, int n)
{
    int *idx = malloc(sizeof *idx * (size_t)(n > 0 ? n : 1));
    Duplicate *d = malloc(sizeof *d * (size_t)(n > 0 ? n : 1));
    if (!idx || !d) {
        abort();
    }
    for (int i = 0; i < n; i++) {
        idx[i] = i;
    }
    sort_sites = sites;
    qsort(idx, (size_t)n, sizeof *idx, by_id);
    int nd = 0, first = 0;
    for (int i = 1; i < n; i++) {
        if (strcmp(sites[idx[i]].id, sites[idx[first]].id) != 0 || !sites[idx[i]].id[0]) {
            first = i; /* sorted by id, then by row: the first of a run is the original */
            continue;
        }
        d[nd].line = lines[idx[i]];
        d[nd].first = lines[idx[first]];
        nd++;
    }
    qsort(d, (size_t)nd, sizeof *d, by_line);
    for (int i = 0; i < nd; i++) {
        /* the id of the row, found again by its line */
        for (int k = 0; k < n; k++) {
            if (lines[k] == d[i].line) {
                fail_at(cx, d[i].line, BT_DUPLICATE_ID, sites[k].id, d[i].first);
                break;
            }
        }
    }
    free(idx);
    free(d);
    return nd ? -1 : 0;
}

/* A cell's text for a message: trimmed and cut to a readable length. */
static const char *shown_cell(const char *v, char *buf, size_t len)
{
    const char *s = v;
    size_t n = strlen(s);
    trim(&s, &n);
    char tmp[200];
    snprintf(tmp, sizeof tmp, "%.*s", (int)(n < sizeof tmp - 1 ? n : sizeof tmp - 1), s);
    utf8_copy_cut(buf, len, tmp);
    return buf;
}

/* Checks one row of sites.csv and fills *st (fields owned by st, also on failure).
 * Every problem of the row is reported. Returns 0, or -1. */
static int read_site_row(Ctx *cx, int line, char *vals[COL_N], const char *heading[COL_N],
                         const MapGeo *region, Site *st)
{
    const double margin = 0.5;
    int rc = 0;
    char shown[80];
    memset(st, 0, sizeof *st);
    for (int k = 0; k < COL_N; k++) {
        size_t chars = utf8_count(vals[k]);
        if (chars > BUILD_MAX_FIELD_CHARS) {
            rc = fail_at(cx, line, BT_CELL_TOO_LONG, heading[k], chars, BUILD_MAX_FIELD_CHARS);
            continue;
        }
        size_t run = utf8_mark_run(vals[k], strlen(vals[k]), NULL);
        if (run > UTF8_MAX_MARK_RUN) {
            rc = fail_at(cx, line, BT_CELL_MARKS, heading[k], run, UTF8_MAX_MARK_RUN);
            continue;
        }
        if (site_cols[k].required && is_blank(vals[k])) {
            rc = fail_at(cx, line, BT_CELL_EMPTY, heading[k]);
        }
    }
    st->id = dup_field(vals[COL_ID]);
    st->name = dup_field(vals[COL_NAME]);
    st->organisation = dup_field(vals[COL_ORG]);
    st->city = dup_field(vals[COL_CITY]);
    st->kind = dup_field(vals[COL_KIND]);
    st->address = dup_field(vals[COL_ADDRESS]);
    st->url = dup_field(vals[COL_URL]);
    int coords = 1;
    if (!is_blank(vals[COL_LAT]) &&
        (parse_coord(vals[COL_LAT], &st->lat) || st->lat < -90 || st->lat > 90)) {
        rc = fail_at(cx, line, BT_BAD_LATITUDE, heading[COL_LAT],
                     shown_cell(vals[COL_LAT], shown, sizeof shown));
        coords = 0;
    }
    if (!is_blank(vals[COL_LON]) &&
        (parse_coord(vals[COL_LON], &st->lon) || st->lon < -180 || st->lon > 180)) {
        rc = fail_at(cx, line, BT_BAD_LONGITUDE, heading[COL_LON],
                     shown_cell(vals[COL_LON], shown, sizeof shown));
        coords = 0;
    }
    coords &= !is_blank(vals[COL_LAT]) && !is_blank(vals[COL_LON]);
    if (coords && region &&
        (st->lat < region->lat0 - margin || st->lat > region->lat1 + margin ||
         st->lon < region->lon0 - margin || st->lon > region->lon1 + margin)) {
        rc = fail_at(cx, line, BT_OUTSIDE_MAP, st->id ? st->id : "", st->lat, st->lon,
                     region->lat0, region->lat1, region->lon0, region->lon1);
    }
    if (csv_yes_no(vals[COL_DEMO], &st->demo)) {
        rc = fail_at(cx, line, BT_BAD_YES_NO, heading[COL_DEMO],
                     shown_cell(vals[COL_DEMO], shown, sizeof shown));
    }
    st->demo = st->demo > 0;
    return rc;
}

typedef struct {
    Model *tr;
    const char *id;
} SiteLang;

static void add_site_text(void *ctx, int col, const char *lang, const char *text)
{
    SiteLang *sl = ctx;
    char item[300];
    snprintf(item, sizeof item, "site:%s", sl->id);
    model_add_variant(sl->tr, lang, item, site_cols[col].english, text);
}

int build_parse_sites_report(const char *path, const char *text, size_t len,
                             const MapGeo *region, Site **out, int *n_out, BuildReport *r)
{
    return build_parse_sites_lang_report(path, text, len, region, out, n_out, NULL, r);
}

int build_parse_sites_lang_report(const char *path, const char *text, size_t len,
                                  const MapGeo *region, Site **out, int *n_out, Model *tr,
                                  BuildReport *r)
{
    Ctx cx = { path, r, 0 };
    *out = NULL;
    *n_out = 0;
    Site *sites = NULL;
    int *lines = NULL; /* where each site's row starts */
    int n = 0, cap = 0, line = 1, nf = 0, nh = 0, rc, errors = r->n_errors;
    char **f = NULL, **hdr = NULL, *owned = NULL;
    int col[COL_N];
    const char *heading[COL_N];
    Csv csv;
    memset(&csv, 0, sizeof csv);
    if (encoding_prepare(path, &text, &len, &owned, r)) {
        return -1;
    }
    csv_open(&csv, text, len);
    rc = csv_next(&csv, &hdr, &nh, &line);
    if (rc <= 0) {
        fail_at(&cx, rc < 0 ? line : 1, rc < 0 ? BT_UNTERMINATED_QUOTE : BT_EMPTY_FILE);
        goto fail;
    }
    if (csv_map_header(&csv, hdr, nh, site_cols, COL_N, col, heading, r, path, line)) {
        goto fail; /* without its columns no row can be read */
    }
    while ((rc = csv_next(&csv, &f, &nf, &line)) == 1) {
        int empty = 1, beyond;
        char shown[80];
        for (int i = 0; i < nf; i++) {
            empty &= is_blank(f[i]);
        }
        const char *stray = csv_stray_cell(&csv, f, nf, &beyond);
        if (empty) {
            /* nothing */
        } else if (stray) {
            fail_at(&cx, line, beyond ? BT_TOO_MANY_FIELDS : BT_UNNAMED_COLUMN,
                    shown_cell(stray, shown, sizeof shown));
        } else if (n >= BUILD_MAX_SITES) {
            fail_at(&cx, line, BT_TOO_MANY_ROWS, BUILD_MAX_SITES);
            break;
        } else {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                sites = realloc(sites, sizeof *sites * (size_t)cap);
                lines = realloc(lines, sizeof *lines * (size_t)cap);
                if (!sites || !lines) {
                    abort();
                }
            }
            char *vals[COL_N];
            for (int k = 0; k < COL_N; k++) {
                vals[k] = col[k] >= 0 && col[k] < nf ? f[col[k]] : "";
            }
            lines[n] = line;
            /* a bad row is reported and left out; its id still counts for duplicates */
            int bad = read_site_row(&cx, line, vals, heading, region, &sites[n]);
            SiteLang sl = { tr, sites[n].id };
            if (!bad && tr && sites[n].id) {
                csv_lang_cells(&csv, f, nf, hdr, BUILD_MAX_FIELD_CHARS, add_site_text, &sl, r,
                               path, line);
            }
            n++;
        }
        csv_free(f, nf);
        f = NULL;
        nf = 0;
    }
    if (rc < 0) {
        fail_at(&cx, line, BT_UNTERMINATED_QUOTE);
    }
    for (int i = 0; i < n; i++) {
        if (!sites[i].id) {
            sites[i].id = strdup(""); /* empty ids were reported; never compared as NULL */
        }
    }
    find_duplicates(&cx, sites, lines, n);
    if (r->n_errors > errors) {
        goto fail;
    }
    free(lines);
    free(owned);
    csv_free(hdr, nh);
    csv_close(&csv);
    *out = sites;
    *n_out = n;
    return 0;
fail:
    csv_free(f, nf);
    csv_free(hdr, nh);
    csv_close(&csv);
    free(owned);
    free(lines);
    sites_free(sites, n);
    return -1;
}

int build_parse_sites(const char *path, const char *text, size_t len, const MapGeo *region,
                      Site **out, int *n, char *err, size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    return report_to_err(&r, build_parse_sites_report(path, text, len, region, out, n, &r), err,
                         errlen);
}

/* Reads path whole (at most max bytes) into *out (NUL-terminated; free it). Returns 0,
 * or -1 after reporting why to r. */
static int read_file(const char *path, char **out, size_t *len, size_t max, BuildReport *r)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        return build_report_error(r, path, 0, BT_CANNOT_OPEN, strerror(errno));
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        abort();
    }
    size_t n = fread(buf, 1, max + 1, f);
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) {
        free(buf);
        return build_report_error(r, path, 0, BT_READ_ERROR);
    }
    if (n > max) {
        free(buf);
        return build_report_error(r, path, 0, BT_FILE_TOO_LARGE, max);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

#define BUILD_MAX_TABLE_BYTES (8 * 1024 * 1024)

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* schedule.csv and every *.ics in src_dir (in name order) into m->events; every file
 * is read, whatever the one before it held. Returns 0, or -1 after reporting. */
static int read_schedule(const char *src_dir, int64_t now_ms, Model *m, BuildReport *r)
{
    EventList ev = { 0 };
    ev.tr = m;
    char path[4096];
    char *text = NULL;
    size_t len;
    char *names[256];
    int n_names = 0, errors = r->n_errors;
    snprintf(path, sizeof path, "%s/schedule.csv", src_dir);
    if (access(path, F_OK) == 0 &&
        read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES * 4, r) == 0) {
        build_parse_schedule_csv_report(path, text, len, &ev, r);
    }
    free(text);
    text = NULL;
    DIR *d = opendir(src_dir);
    for (struct dirent *de; d && (de = readdir(d)) && n_names < 256;) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcasecmp(de->d_name + l - 4, ".ics") == 0 && de->d_name[0] != '.') {
            names[n_names++] = strdup(de->d_name);
        }
    }
    if (d) {
        closedir(d);
    }
    qsort(names, (size_t)n_names, sizeof *names, cmp_name);
    for (int i = 0; i < n_names; i++) {
        snprintf(path, sizeof path, "%s/%s", src_dir, names[i]);
        if (read_file(path, &text, &len, BUILD_MAX_TABLE_BYTES, r) == 0) {
            build_parse_ics_report(path, text, len, now_ms, &ev, r);
        }
        free(text);
        text = NULL;
    }
    for (int i = 0; i < n_names; i++) {
        free(names[i]);
    }
    if (r->n_errors > errors) {
        event_list_free(&ev);
        return -1;
    }
    m->events = ev.v;
    m->n_events = ev.n;
    return 0;
}

/* campaign.<lang>.md: the translations of campaign.md, in name order. A code the display
 * does not speak (or "de": that is campaign.md) is an error naming the file. Each is
 * parsed like campaign.md; what is the same in every language (address, colours, days)
 * stays in campaign.md, and a translation adds no figures. */
static void read_translations(const char *src_dir, Model *m, BuildReport *r)
{
    char *names[64];
    int n_names = 0;
    DIR *d = opendir(src_dir);
    for (struct dirent *de; d && (de = readdir(d)) && n_names < 64;) {
        size_t l = strlen(de->d_name);
        if (l > 12 && strncmp(de->d_name, "campaign.", 9) == 0 &&
            strcmp(de->d_name + l - 3, ".md") == 0) {
            names[n_names++] = strdup(de->d_name);
        }
    }
    if (d) {
        closedir(d);
    }
    qsort(names, (size_t)n_names, sizeof *names, cmp_name);
    for (int i = 0; i < n_names; i++) {
        char path[4096], code[16], *text = NULL;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", src_dir, names[i]);
        snprintf(code, sizeof code, "%.*s", (int)(strlen(names[i]) - 12), names[i] + 9);
        const UiLanguage *lang = ui_language_find(code);
        if (!lang || !strcmp(code, "de")) {
            build_report_error(r, path, 0, BT_UNKNOWN_LANGUAGE, names[i], code,
                               ui_language_codes());
            continue;
        }
        CampaignVariant cv;
        memset(&cv, 0, sizeof cv);
        snprintf(cv.lang, sizeof cv.lang, "%s", lang->code);
        campaign_init(&cv.campaign);
        if (read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES, r) != 0 ||
            build_parse_campaign_report(path, text, len, &cv.campaign, r) != 0) {
            free(text);
            campaign_free(&cv.campaign);
            continue;
        }
        free(text);
        const Campaign *t = &cv.campaign;
        const char *german_only = t->url                                     ? "url"
                                  : t->valid_from[0]                         ? "valid_from"
                                  : t->valid_until[0]                        ? "valid_until"
                                  : t->color_primary != MODEL_COLOR_PRIMARY ? "color_primary"
                                  : t->color_background != MODEL_COLOR_BACKGROUND
                                      ? "color_background"
                                  : t->color_text != MODEL_COLOR_TEXT     ? "color_text"
                                  : t->color_accent != MODEL_COLOR_ACCENT ? "color_accent"
                                                                          : NULL;
        int bad = 0;
        if (german_only) {
            bad = build_report_error(r, path, 0, BT_TRANSLATION_KEY, german_only);
        }
        if (t->n_figures > m->campaign.n_figures) {
            bad = build_report_error(r, path, 0, BT_TRANSLATION_FIGURES, t->n_figures,
                                     m->campaign.n_figures);
        }
        if (bad) {
            campaign_free(&cv.campaign);
            continue;
        }
        CampaignVariant *v = realloc(m->campaign_variants,
                                     sizeof *v * (size_t)(m->n_campaign_variants + 1));
        if (!v) {
            abort();
        }
        m->campaign_variants = v;
        v[m->n_campaign_variants++] = cv;
    }
    for (int i = 0; i < n_names; i++) {
        free(names[i]);
    }
}

#ifndef LITFASS_ASSET_DIR
#define LITFASS_ASSET_DIR "/usr/share/litfass/assets"
#endif

const char *const build_default_map = LITFASS_ASSET_DIR "/germany.geo";

int build_content_report(const char *src_dir, const char *out_path, int64_t version,
                         int64_t created_ms, const char *map_path, BuildReport *r)
{
    char path[4096];
    char *text = NULL;
    size_t len;
    int rc = -1, errors = r->n_errors, have_map = 0;
    Model m;
    memset(&m, 0, sizeof m);
    model_free(&m);

    if (version < 1) {
        return build_report_error(r, src_dir, 0, BT_BAD_VERSION);
    }
    /* every source is read even when one before it failed: one run, every problem */
    snprintf(path, sizeof path, "%s/campaign.md", src_dir);
    if (read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES, r) == 0) {
        build_parse_campaign_report(path, text, len, &m.campaign, r);
    }
    free(text);
    text = NULL;
    if (m.campaign.logo_src) {
        m.campaign.logo = build_picture_add(&m, src_dir, m.campaign.logo_src, 0, path,
                                            m.campaign.logo_line, r);
    }
    read_translations(src_dir, &m, r);
    /* Markdown pictures, German and translated: read once each, errors at their line */
    for (int v = -1; v < m.n_campaign_variants; v++) {
        Campaign *c = v < 0 ? &m.campaign : &m.campaign_variants[v].campaign;
        char md[4200];
        if (v < 0) {
            snprintf(md, sizeof md, "%s/campaign.md", src_dir);
        } else {
            snprintf(md, sizeof md, "%s/campaign.%s.md", src_dir, m.campaign_variants[v].lang);
        }
        for (int i = 0; i < c->n_blocks; i++) {
            if (c->blocks[i].kind == BLOCK_IMAGE && c->blocks[i].src) {
                c->blocks[i].picture = build_picture_add(&m, src_dir, c->blocks[i].src, 0, md,
                                                         c->blocks[i].line, r);
                Picture *p = (Picture *)model_picture(&m, c->blocks[i].picture);
                const char *alt = c->blocks[i].spans[0].text;
                if (v < 0 && p && !p->alt && alt[0]) {
                    p->alt = strdup(alt);
                }
            }
        }
    }

    snprintf(path, sizeof path, "%s/map.geo", src_dir);
    if (access(path, F_OK) != 0) {
        snprintf(path, sizeof path, "%s", map_path ? map_path : build_default_map);
    }
    if (read_file(path, &text, &len, BUILD_MAX_TABLE_BYTES, r) == 0) {
        have_map = build_parse_geo_report(path, text, len, &m.map, r) == 0;
    }
    free(text);
    text = NULL;

    snprintf(path, sizeof path, "%s/sites.csv", src_dir);
    if (access(path, F_OK) == 0 && read_file(path, &text, &len, BUILD_MAX_TABLE_BYTES, r) == 0) {
        /* without a map, sites are still checked, only not against its region */
        build_parse_sites_lang_report(path, text, len, have_map ? &m.map : NULL, &m.sites,
                                      &m.n_sites, &m, r);
    }
    free(text);
    text = NULL;

    read_schedule(src_dir, created_ms, &m, r);

    snprintf(path, sizeof path, "%s/screen.csv", src_dir);
    if (access(path, F_OK) == 0 &&
        read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES, r) == 0) {
        build_parse_screen_csv_report(path, text, len, m.screen_on, sizeof m.screen_on,
                                      m.screen_off_days, sizeof m.screen_off_days, r);
    }
    free(text);
    text = NULL;
    build_read_posters(src_dir, &m, r);
    build_pictures_check_total(&m, src_dir, r);
    if (r->n_errors > errors) {
        goto done; /* nothing is written: no partial output */
    }
    m.has_content = 1;
    m.content_version = version;
    clock_format_utc(created_ms, m.created, sizeof m.created);
    /* the display's own rules, so that nothing built here is refused there; the
     * parsers above check the same with file and line, this is the backstop */
    char why[600];
    if (store_check_model(&m, why, sizeof why) != 0) {
        build_report_error(r, src_dir, 0, BT_CHECK_FAILED, why);
        goto done;
    }
    if (store_create(out_path, &m, why, sizeof why) != 0) {
        build_report_error(r, out_path, 0, BT_WRITE_FAILED, why);
        goto done;
    }
    rc = 0;
done:
    free(text);
    model_free(&m);
    return rc;
}

/* The content version of the bundle at path, or 0 if it is none (not ours, broken). */
static int64_t bundle_version(const char *path)
{
    Store *st;
    Model m;
    char err[300];
    int64_t v = 0;
    memset(&m, 0, sizeof m);
    if (store_open(path, &st, err, sizeof err) == 0) {
        if (store_load(st, &m, err, sizeof err) == 0) {
            v = m.content_version;
        }
        model_free(&m);
        store_close(st);
    }
    return v;
}

int64_t build_default_version(int64_t now_ms, const char *out_path)
{
    struct tm tm;
    clock_local(now_ms, &tm);
    int64_t v = (int64_t)(tm.tm_year + 1900) * 100000000 + (int64_t)(tm.tm_mon + 1) * 1000000 +
                (int64_t)tm.tm_mday * 10000 + tm.tm_hour * 100 + tm.tm_min;
    /* the output and its neighbours: where a build a minute ago went */
    char dir[4096], path[4400];
    snprintf(dir, sizeof dir, "%s", out_path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    int64_t highest = bundle_version(out_path);
    DIR *d = opendir(dir[0] ? dir : "/");
    int seen = 0;
    for (struct dirent *de; d && (de = readdir(d)) && seen < 200;) {
        size_t l = strlen(de->d_name);
        if (l > 8 && strcmp(de->d_name + l - 8, ".litfass") == 0 && de->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir[0] ? dir : "", de->d_name);
            int64_t b = bundle_version(path);
            highest = b > highest ? b : highest;
            seen++;
        }
    }
    if (d) {
        closedir(d);
    }
    return highest >= v ? highest + 1 : v;
}

int build_content(const char *src_dir, const char *out_path, int64_t version,
                  int64_t created_ms, const char *map_path, char *err, size_t errlen)
{
    BuildReport r;
    build_report_init(&r);
    return report_to_err(&r, build_content_report(src_dir, out_path, version, created_ms,
                                                  map_path, &r),
                         err, errlen);
}
