/* build: sources -> Model -> store_create(). Markdown is parsed by cmark; only the
 * small front matter ("key: value" lines between two "---" lines) is read by hand,
 * because it is a line format, not YAML. Everything is validated here, before the
 * display ever sees it: UTF-8, lengths, colours, web address, supported Markdown. */
#define _POSIX_C_SOURCE 200809L
#include "build.h"

#include "clock.h"
#include "store.h"
#include "utf8.h"

#include <cmark.h>
#include <errno.h>
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
    *field = s;
    return 0;
}

/* s[0..len) is not NUL-terminated: compare within its length only */
static int starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
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
        { "source", &c->source },
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (strcmp(key, texts[i].name) == 0) {
            return set_text_field(cx, line, key, texts[i].field, v, vlen);
        }
    }
    if (strcmp(key, "url") == 0) {
        if (vlen > BUILD_MAX_URL_BYTES ||
            !(starts_with(v, vlen, "https://") || starts_with(v, vlen, "http://")) ||
            memchr(v, ' ', vlen)) {
            return fail_at(cx, line,
                           "'url' must be a web address starting with https:// or http://, "
                           "without spaces, at most %d bytes",
                           BUILD_MAX_URL_BYTES);
        }
        return set_text_field(cx, line, key, &c->url, v, vlen);
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
                   "url_label, source, figure, color_primary, color_background, color_text, "
                   "color_accent)",
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
            rc = block_add_span(b, t, strlen(t), bold > 0);
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

int build_content(const char *src_dir, const char *out_path, int64_t version,
                  int64_t created_ms, char *err, size_t errlen)
{
    char path[4096];
    char *text = NULL;
    size_t len;
    Model m;
    memset(&m, 0, sizeof m);
    campaign_init(&m.campaign);

    if (version < 1) {
        snprintf(err, errlen, "--version must be a positive whole number");
        return -1;
    }
    snprintf(path, sizeof path, "%s/campaign.md", src_dir);
    if (read_file(path, &text, &len, BUILD_MAX_SOURCE_BYTES, err, errlen)) {
        return -1;
    }
    int rc = build_parse_campaign(path, text, len, &m.campaign, err, errlen);
    free(text);
    if (rc) {
        return -1;
    }
    m.has_content = 1;
    m.content_version = version;
    clock_format_utc(created_ms, m.created, sizeof m.created);
    rc = store_create(out_path, &m, err, errlen);
    model_free(&m);
    return rc;
}
