/* build: sources -> Model -> store_create(). Markdown is parsed by cmark; only the
 * small front matter ("key: value" lines between two "---" lines) is read by hand,
 * because it is a line format, not YAML. Everything is validated here, before the
 * display ever sees it: UTF-8, lengths, colours, web address, supported Markdown. */
#define _POSIX_C_SOURCE 200809L
#include "content/build.h"

#include "content/build_schedule.h"
#include "base/clock.h"
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
    char *err;
    size_t errlen;
} Ctx;

static int fail_at(Ctx *cx, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0) {
        snprintf(cx->err, cx->errlen, "%s:%d: %s", cx->path, line, msg);
    } else {
        snprintf(cx->err, cx->errlen, "%s: %s", cx->path, msg);
    }
    return -1;
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

static int line_of_offset(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++) {
        line += text[i] == '\n';
    }
    return line;
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
        return fail_at(cx, line,
                       "'%s' has %zu combining marks in a row (at most %d per letter): remove "
                       "the stacked accents",
                       field, run, UTF8_MAX_MARK_RUN);
    }
    return 0;
}

static int set_text_field(Ctx *cx, int line, const char *key, char **field, const char *v,
                          size_t len)
{
    if (*field) {
        return fail_at(cx, line, "front matter key '%s' appears twice", key);
    }
    if (len == 0) {
        return fail_at(cx, line, "front matter key '%s' has an empty value", key);
    }
    char *s = dup_range(v, len);
    if (utf8_count(s) > BUILD_MAX_FIELD_CHARS) {
        free(s);
        return fail_at(cx, line, "'%s' is longer than %d characters", key,
                       BUILD_MAX_FIELD_CHARS);
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
        return fail_at(cx, line, "expected 'key: value' in the front matter");
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
        return fail_at(cx, line, "expected 'key: value' in the front matter");
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
            return fail_at(cx, line,
                           "'url' must be a web address starting with https:// or http://, "
                           "without spaces, at most %d bytes (this one has %zu)",
                           BUILD_MAX_URL_BYTES, vlen);
        }
        if (c->url) {
            return fail_at(cx, line, "front matter key 'url' appears twice");
        }
        c->url = dup_range(v, vlen); /* bytes, not characters, bound a web address */
        return 0;
    }
    if (strcmp(key, "figure") == 0) {
        const char *bar = memchr(v, '|', vlen);
        if (!bar) {
            return fail_at(cx, line, "'figure' must be 'value | label', e.g. '900 | Standorte'");
        }
        const char *fv = v, *fl = bar + 1;
        size_t fvlen = (size_t)(bar - v), fllen = vlen - fvlen - 1;
        trim(&fv, &fvlen);
        trim(&fl, &fllen);
        if (fvlen == 0 || fllen == 0) {
            return fail_at(cx, line, "'figure' needs both a value and a label");
        }
        if (c->n_figures >= BUILD_MAX_FIGURES) {
            return fail_at(cx, line, "more than %d figures", BUILD_MAX_FIGURES);
        }
        if (fvlen > 40 || fllen > 80) {
            return fail_at(cx, line, "figure value or label too long (40/80 bytes at most)");
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
                return fail_at(cx, line, "'%s' must be a colour like #E60005", key);
            }
            return 0;
        }
    }
    return fail_at(cx, line,
                   "unknown front matter key '%s' (known: title, hashtag, subtitle, url, "
                   "url_label, source, figure, map_title, map_note, color_primary, "
                   "color_background, color_text, color_accent)",
                   key);
}

/* Appends the inline content of node to block b. */
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
                rc = fail_at(cx, line, "a paragraph is %zu bytes long, more than %d: split it",
                             tl, STORE_MAX_TEXT);
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
            rc = fail_at(cx, line, "images are not supported in the campaign text");
            break;
        case CMARK_NODE_HTML_INLINE:
            rc = fail_at(cx, line, "HTML is not supported in the campaign text");
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

static int add_blocks(Ctx *cx, int line0, cmark_node *parent, Campaign *c, int in_item)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        int line = line0 + cmark_node_get_start_line(n) - 1;
        if (c->n_blocks >= BUILD_MAX_BLOCKS) {
            return fail_at(cx, line, "more than %d paragraphs, headings and list items",
                           BUILD_MAX_BLOCKS);
        }
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            if (add_inlines(cx, line0, n, new_block(c, in_item ? BLOCK_ITEM : BLOCK_PARAGRAPH, 0))) {
                return -1;
            }
            in_item = 0; /* further paragraphs of one item continue as text */
            break;
        case CMARK_NODE_HEADING:
            if (add_inlines(cx, line0, n,
                            new_block(c, BLOCK_HEADING, cmark_node_get_heading_level(n)))) {
                return -1;
            }
            break;
        case CMARK_NODE_LIST:
            if (add_blocks(cx, line0, n, c, 0)) {
                return -1;
            }
            break;
        case CMARK_NODE_ITEM:
            if (add_blocks(cx, line0, n, c, 1)) {
                return -1;
            }
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            break;
        case CMARK_NODE_CODE_BLOCK:
            return fail_at(cx, line, "code blocks are not supported (use paragraphs, "
                                     "headings and lists)");
        case CMARK_NODE_HTML_BLOCK:
            return fail_at(cx, line, "HTML is not supported in the campaign text");
        case CMARK_NODE_BLOCK_QUOTE:
            return fail_at(cx, line, "block quotes are not supported (use paragraphs, "
                                     "headings and lists)");
        default:
            return fail_at(cx, line, "unsupported Markdown element '%s'",
                           cmark_node_get_type_string(n));
        }
    }
    return 0;
}

int build_parse_campaign(const char *path, const char *text, size_t len, Campaign *out,
                         char *err, size_t errlen)
{
    Ctx cx = { path, err, errlen };
    campaign_init(out);
    size_t bad;
    if (len > BUILD_MAX_SOURCE_BYTES) {
        return fail_at(&cx, 0, "file is larger than %d bytes", BUILD_MAX_SOURCE_BYTES);
    }
    if (!utf8_valid(text, len, &bad)) {
        return fail_at(&cx, line_of_offset(text, bad),
                       "invalid UTF-8 at byte %zu (save the file as UTF-8)", bad);
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        pos = 3; /* byte order mark written by some editors */
    }
    /* front matter */
    int line = 1;
    const char *eol = memchr(text + pos, '\n', len - pos);
    size_t l0 = eol ? (size_t)(eol - (text + pos)) : len - pos;
    const char *first = text + pos;
    trim(&first, &l0);
    if (l0 != 3 || memcmp(first, "---", 3) != 0) {
        return fail_at(&cx, 1, "must start with front matter: a line '---', then "
                               "'title: ...' and the other keys, then '---'");
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
        if (parse_front_line(&cx, line, s, tl, out)) {
            goto fail;
        }
    }
    if (!closed) {
        fail_at(&cx, line, "front matter is not closed by a line '---'");
        goto fail;
    }
    if (!out->title) {
        fail_at(&cx, 1, "front matter has no 'title'");
        goto fail;
    }

    cmark_node *doc = cmark_parse_document(text + pos, len - pos, CMARK_OPT_DEFAULT);
    if (!doc) {
        abort();
    }
    int rc = add_blocks(&cx, line + 1, doc, out, 0);
    cmark_node_free(doc);
    if (rc) {
        goto fail;
    }
    return 0;
fail:
    campaign_free(out);
    return -1;
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

int build_parse_geo(const char *path, const char *text, size_t len, MapGeo *out, char *err,
                    size_t errlen)
{
    Ctx cx = { path, err, errlen };
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    int line = 0, have_region = 0, total = 0;
    MapRing *ring = NULL;
    int want = 0; /* points still expected for the current ring */
    if (!utf8_valid(text, len, NULL)) {
        return fail_at(&cx, 0, "not valid UTF-8");
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
            fail_at(&cx, line, "line too long");
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
                fail_at(&cx, line, "expected 'longitude latitude' in degrees");
                goto fail;
            }
            ring->lonlat[2 * ring->n] = (float)a;
            ring->lonlat[2 * ring->n + 1] = (float)b;
            ring->n++;
            want--;
        } else if (sscanf(buf, "region %lf %lf %lf %lf %c", &a, &b, &c, &d, &extra) == 4) {
            if (!(a < c && b < d && a >= -180 && c <= 180 && b >= -85 && d <= 85)) {
                fail_at(&cx, line, "region must be 'lon0 lat0 lon1 lat1' with lon0 < lon1, "
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
                fail_at(&cx, line, "ring kind must be 'focus' or 'context'");
                goto fail;
            }
            if (n < 3 || n > 100000 || total + n > BUILD_MAX_MAP_POINTS ||
                out->n_rings >= BUILD_MAX_MAP_RINGS) {
                fail_at(&cx, line, "too many points or rings (at most %d points)",
                        BUILD_MAX_MAP_POINTS);
                goto fail;
            }
            MapRing *r = realloc(out->rings, sizeof *r * (size_t)(out->n_rings + 1));
            if (!r) {
                abort();
            }
            out->rings = r;
            ring = &r[out->n_rings++];
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
            fail_at(&cx, line, "expected 'region ...', 'ring KIND NAME N' or a point");
            goto fail;
        }
    }
    if (want > 0) {
        fail_at(&cx, line, "the last ring has %d points fewer than announced", want);
        goto fail;
    }
    if (!have_region || out->n_rings == 0) {
        fail_at(&cx, 0, "no 'region' line or no rings");
        goto fail;
    }
    simplify_geo(out);
    if (out->n_rings == 0) {
        fail_at(&cx, 0, "every ring is smaller than the map can show (less than 1/8000 of the "
                        "region); check the region line and the units (degrees)");
        goto fail;
    }
    return 0;
fail:
    map_geo_free(out);
    return -1;
}

enum { COL_ID, COL_NAME, COL_ORG, COL_CITY, COL_LAT, COL_LON, COL_KIND, COL_ADDRESS, COL_URL,
       COL_DEMO, COL_N };

static const struct {
    const char *name;
    const char *alias;
    int required;
} site_cols[COL_N] = {
    { "id", NULL, 1 },           { "name", NULL, 1 },       { "organisation", "organization", 1 },
    { "city", NULL, 1 },         { "latitude", "lat", 1 },  { "longitude", "lon", 1 },
    { "kind", NULL, 1 },         { "address", NULL, 0 },    { "url", NULL, 0 },
    { "demo", NULL, 0 },
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

static const Site *sort_sites;

static int by_id(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    int c = strcmp(sort_sites[x].id, sort_sites[y].id);
    return c ? c : x - y;
}

/* Reports the first row (in file order) whose id an earlier row already used. */
static int find_duplicate(Ctx *cx, const Site *sites, const int *lines, int n)
{
    int *idx = malloc(sizeof *idx * (size_t)(n > 0 ? n : 1));
    if (!idx) {
        abort();
    }
    for (int i = 0; i < n; i++) {
        idx[i] = i;
    }
    sort_sites = sites;
    qsort(idx, (size_t)n, sizeof *idx, by_id);
    int worst = -1, first = -1;
    for (int i = 1; i < n; i++) {
        if (strcmp(sites[idx[i]].id, sites[idx[i - 1]].id) == 0 &&
            (worst < 0 || idx[i] < worst)) {
            worst = idx[i];
            int j = i - 1;
            while (j > 0 && strcmp(sites[idx[j - 1]].id, sites[idx[i]].id) == 0) {
                j--;
            }
            first = idx[j];
        }
    }
    free(idx);
    if (worst >= 0) {
        return fail_at(cx, lines[worst], "duplicate id '%s' (already used in line %d)",
                       sites[worst].id, lines[first]);
    }
    return 0;
}

int build_parse_sites(const char *path, const char *text, size_t len, const MapGeo *region,
                      Site **out, int *n_out, char *err, size_t errlen)
{
    Ctx cx = { path, err, errlen };
    *out = NULL;
    *n_out = 0;
    Site *sites = NULL;
    int *lines = NULL; /* where each site's row starts */
    int n = 0, cap = 0, line = 1, nf = 0, rc;
    char **f = NULL;
    int col[COL_N];
    size_t bad;
    if (!utf8_valid(text, len, &bad)) {
        return fail_at(&cx, line_of_offset(text, bad),
                       "invalid UTF-8 at byte %zu (save the file as UTF-8)", bad);
    }
    Csv csv;
    csv_open(&csv, text, len);
    rc = csv_next(&csv, &f, &nf, &line);
    if (rc <= 0) {
        return fail_at(&cx, rc < 0 ? line : 1, rc < 0 ? "unterminated quote" : "empty file");
    }
    for (int k = 0; k < COL_N; k++) {
        col[k] = -1;
    }
    for (int i = 0; i < nf; i++) {
        char *h = dup_field(f[i]);
        int found = -1;
        for (int k = 0; h && k < COL_N; k++) {
            if (!strcasecmp(h, site_cols[k].name) ||
                (site_cols[k].alias && !strcasecmp(h, site_cols[k].alias))) {
                found = k;
            }
        }
        if (found < 0 || col[found] >= 0) {
            fail_at(&cx, line,
                    found < 0 ? "unknown column '%s' (known: id, name, organisation, city, "
                                "latitude, longitude, kind, address, url, demo)"
                              : "column '%s' appears twice",
                    h ? h : "");
            free(h);
            goto fail;
        }
        col[found] = i;
        free(h);
    }
    for (int k = 0; k < COL_N; k++) {
        if (site_cols[k].required && col[k] < 0) {
            fail_at(&cx, line, "required column '%s' is missing", site_cols[k].name);
            goto fail;
        }
    }
    int n_header = nf;
    csv_free(f, nf);
    f = NULL;
    double margin = 0.5;
    while ((rc = csv_next(&csv, &f, &nf, &line)) == 1) {
        int empty = 1;
        for (int i = 0; i < nf; i++) {
            const char *p = f[i];
            while (*p == ' ') {
                p++;
            }
            empty &= *p == '\0';
        }
        if (empty) {
            csv_free(f, nf);
            f = NULL;
            continue;
        }
        if (nf > n_header) {
            fail_at(&cx, line, "row has %d fields but the header only %d (a '%c' inside a "
                               "text that is not in quotes?)",
                    nf, n_header, csv.sep);
            goto fail;
        }
        if (n >= BUILD_MAX_SITES) {
            fail_at(&cx, line, "more than %d sites", BUILD_MAX_SITES);
            goto fail;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            sites = realloc(sites, sizeof *sites * (size_t)cap);
            if (!sites) {
                abort();
            }
        }
        Site *st = &sites[n++];
        memset(st, 0, sizeof *st);
        char *vals[COL_N];
        for (int k = 0; k < COL_N; k++) {
            vals[k] = col[k] >= 0 && col[k] < nf ? f[col[k]] : "";
            if (utf8_count(vals[k]) > BUILD_MAX_FIELD_CHARS) {
                fail_at(&cx, line, "'%s' is longer than %d characters", site_cols[k].name,
                        BUILD_MAX_FIELD_CHARS);
                goto fail;
            }
            if (check_marks(&cx, line, site_cols[k].name, vals[k], strlen(vals[k]))) {
                goto fail;
            }
        }
        for (int k = 0; k < COL_N; k++) {
            if (site_cols[k].required && is_blank(vals[k])) {
                fail_at(&cx, line, "'%s' is empty", site_cols[k].name);
                goto fail;
            }
        }
        st->id = dup_field(vals[COL_ID]);
        st->name = dup_field(vals[COL_NAME]);
        st->organisation = dup_field(vals[COL_ORG]);
        st->city = dup_field(vals[COL_CITY]);
        st->kind = dup_field(vals[COL_KIND]);
        st->address = dup_field(vals[COL_ADDRESS]);
        st->url = dup_field(vals[COL_URL]);
        if (parse_coord(vals[COL_LAT], &st->lat) || st->lat < -90 || st->lat > 90) {
            fail_at(&cx, line, "latitude '%s' is not a number from -90 to 90", vals[COL_LAT]);
            goto fail;
        }
        if (parse_coord(vals[COL_LON], &st->lon) || st->lon < -180 || st->lon > 180) {
            fail_at(&cx, line, "longitude '%s' is not a number from -180 to 180",
                    vals[COL_LON]);
            goto fail;
        }
        if (region && (st->lat < region->lat0 - margin || st->lat > region->lat1 + margin ||
                       st->lon < region->lon0 - margin || st->lon > region->lon1 + margin)) {
            fail_at(&cx, line,
                    "site '%s' at %.4f, %.4f lies outside the map region (latitude %.1f to "
                    "%.1f, longitude %.1f to %.1f); latitude and longitude swapped?",
                    st->id, st->lat, st->lon, region->lat0, region->lat1, region->lon0,
                    region->lon1);
            goto fail;
        }
        if (csv_yes_no(vals[COL_DEMO], &st->demo)) {
            fail_at(&cx, line, "'demo' must be ja/nein, yes/no or 1/0, not '%s'", vals[COL_DEMO]);
            goto fail;
        }
        st->demo = st->demo > 0;
        lines = realloc(lines, sizeof *lines * (size_t)cap);
        if (!lines) {
            abort();
        }
        lines[n - 1] = line;
        csv_free(f, nf);
        f = NULL;
    }
    if (rc < 0) {
        fail_at(&cx, line, "unterminated quote");
        goto fail;
    }
    if (find_duplicate(&cx, sites, lines, n)) {
        goto fail;
    }
    free(lines);
    *out = sites;
    *n_out = n;
    return 0;
fail:
    csv_free(f, nf);
    free(lines);
    sites_free(sites, n);
    return -1;
}

static int read_file(const char *path, char **out, size_t *len, size_t max, char *err,
                     size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        abort();
    }
    size_t n = fread(buf, 1, max + 1, f);
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        return -1;
    }
    if (n > max) {
        snprintf(err, errlen, "%s: file is larger than %zu bytes", path, max);
        free(buf);
        return -1;
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

/* schedule.csv and every *.ics in src_dir (in name order) into m->events. */
static int read_schedule(const char *src_dir, int64_t now_ms, Model *m, char *err, size_t errlen)
{
    EventList ev = { 0 };
    char path[4096];
    char *text = NULL;
    size_t len;
    char *names[256];
    int n_names = 0, rc = -1;
    snprintf(path, sizeof path, "%s/schedule.csv", src_dir);
    if (access(path, F_OK) == 0 &&
        (read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES * 4, err, errlen) ||
         build_parse_schedule_csv(path, text, len, &ev, err, errlen))) {
        goto done;
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
        if (read_file(path, &text, &len, BUILD_MAX_TABLE_BYTES, err, errlen) ||
            build_parse_ics(path, text, len, now_ms, &ev, err, errlen)) {
            goto done;
        }
        free(text);
        text = NULL;
    }
    m->events = ev.v;
    m->n_events = ev.n;
    ev.v = NULL;
    ev.n = 0;
    rc = 0;
done:
    free(text);
    for (int i = 0; i < n_names; i++) {
        free(names[i]);
    }
    event_list_free(&ev);
    return rc;
}

#ifndef LITFASS_ASSET_DIR
#define LITFASS_ASSET_DIR "/usr/share/litfass/assets"
#endif

const char *const build_default_map = LITFASS_ASSET_DIR "/germany.geo";


int build_content(const char *src_dir, const char *out_path, int64_t version,
                  int64_t created_ms, const char *map_path, char *err, size_t errlen)
{
    char path[4096];
    char *text = NULL;
    size_t len;
    int rc = -1;
    Model m;
    memset(&m, 0, sizeof m);
    model_free(&m);

    if (version < 1) {
        snprintf(err, errlen, "--version must be a positive whole number");
        return -1;
    }
    snprintf(path, sizeof path, "%s/campaign.md", src_dir);
    if (read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES, err, errlen) ||
        build_parse_campaign(path, text, len, &m.campaign, err, errlen)) {
        goto done;
    }
    free(text);
    text = NULL;

    snprintf(path, sizeof path, "%s/map.geo", src_dir);
    if (access(path, F_OK) != 0) {
        snprintf(path, sizeof path, "%s", map_path ? map_path : build_default_map);
    }
    if (read_file(path, &text, &len, BUILD_MAX_TABLE_BYTES, err, errlen) ||
        build_parse_geo(path, text, len, &m.map, err, errlen)) {
        goto done;
    }
    free(text);
    text = NULL;

    snprintf(path, sizeof path, "%s/sites.csv", src_dir);
    if (access(path, F_OK) == 0 &&
        (read_file(path, &text, &len, BUILD_MAX_TABLE_BYTES, err, errlen) ||
         build_parse_sites(path, text, len, &m.map, &m.sites, &m.n_sites, err, errlen))) {
        goto done;
    }
    free(text);
    text = NULL;

    if (read_schedule(src_dir, created_ms, &m, err, errlen)) {
        goto done;
    }
    m.has_content = 1;
    m.content_version = version;
    clock_format_utc(created_ms, m.created, sizeof m.created);
    /* the display's own rules, so that nothing built here is refused there; the
     * parsers above check the same with file and line, this is the backstop */
    char why[400];
    if (store_check_model(&m, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", src_dir, why);
        goto done;
    }
    rc = store_create(out_path, &m, err, errlen);
done:
    free(text);
    model_free(&m);
    return rc;
}
