/* build_picture: pictures are normalised here, once, on the staff's machine, so that a
 * display only ever decodes baseline JPEG or PNG of a size it can afford. libvips does
 * the work (it is what Debian has for exactly this: shrink-on-load, EXIF autorotate,
 * ICC import/export through lcms with a built-in CMYK fallback profile, PDF pages
 * through poppler); only its PNG, JPEG, WebP and PDF loaders are accepted, and the
 * header is checked against the pixel limit before anything is decoded. Levels are
 * made largest first, each smaller one from the one before (never upscaled). */
#define _POSIX_C_SOURCE 200809L
#include "content/build_picture.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "content/build_limits.h"
#include "content/csv.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#ifdef LITFASS_VIPS
#include <vips/vips.h>
#endif

static BuildPictureLimits limits = { BUILD_PICTURE_MAX_PIXELS, BUILD_PICTURE_MAX_FILE_BYTES,
                                     BUILD_PICTURE_MAX_TOTAL_BYTES };

void build_picture_set_limits(const BuildPictureLimits *l)
{
    limits.max_pixels = l->max_pixels > 0 ? l->max_pixels : BUILD_PICTURE_MAX_PIXELS;
    limits.max_file_bytes = l->max_file_bytes > 0 ? l->max_file_bytes
                                                  : BUILD_PICTURE_MAX_FILE_BYTES;
    limits.max_total_bytes = l->max_total_bytes > 0 ? l->max_total_bytes
                                                    : BUILD_PICTURE_MAX_TOTAL_BYTES;
}

#ifdef LITFASS_VIPS
static int vips_ready(void)
{
    static int state; /* 0 not yet, 1 ready, -1 failed */
    if (state == 0) {
        state = vips_init("litfassctl") == 0 ? 1 : -1;
        if (state == 1) {
            /* no ImageMagick, no other loaders that are not meant for untrusted input */
            vips_block_untrusted_set(TRUE);
            /* ... except poppler for PDF posters: staff's own files, on their machine */
            vips_operation_block_set("VipsForeignLoadPdf", FALSE);
            vips_cache_set_max(0);
            vips_concurrency_set(2);
        }
    }
    return state == 1 ? 0 : -1;
}

#endif

static int has_ext(const char *name, const char *const *exts)
{
    const char *dot = strrchr(name, '.');
    for (int i = 0; dot && exts[i]; i++) {
        if (strcasecmp(dot + 1, exts[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static const char *const picture_exts[] = { "png", "jpg", "jpeg", "webp", "pdf", NULL };

#ifdef LITFASS_VIPS
/* The first line of libvips' error buffer, short, for the staff message. */
static const char *vips_why(char *buf, size_t len)
{
    const char *e = vips_error_buffer();
    size_t n = strcspn(e, "\n");
    if (n == 0) {
        e = "cannot decode";
        n = strlen(e);
    }
    char tmp[200];
    snprintf(tmp, sizeof tmp, "%.*s", (int)(n < 190 ? n : 190), e);
    utf8_copy_cut(buf, len, tmp);
    vips_error_clear();
    return buf;
}

/* Encodes img (8-bit sRGB, 3 or 4 bands) into v: PNG when it has alpha, else JPEG. */
static int encode_level(VipsImage *img, PictureLevel *v)
{
    void *buf = NULL;
    size_t len = 0;
    int alpha = img->Bands == 4;
    int rc = alpha ? vips_pngsave_buffer(img, &buf, &len, "compression", 6, "strip", TRUE, NULL)
                   : vips_jpegsave_buffer(img, &buf, &len, "Q", 85, "strip", TRUE,
                                          "optimize_coding", TRUE, "interlace", FALSE, NULL);
    if (rc != 0) {
        return -1;
    }
    v->data = malloc(len ? len : 1);
    if (!v->data) {
        abort();
    }
    memcpy(v->data, buf, len);
    g_free(buf);
    v->len = len;
    v->width = img->Xsize;
    v->height = img->Ysize;
    v->format = alpha ? PICTURE_PNG : PICTURE_JPEG;
    return 0;
}

/* 8-bit sRGB with 3 bands, or 4 with alpha, whatever came in (grey, 16 bit, CMYK that
 * thumbnail already imported). */
static int to_srgb8(VipsImage *in, VipsImage **out)
{
    VipsImage *c = NULL;
    if (vips_colourspace(in, &c, VIPS_INTERPRETATION_sRGB, NULL)) {
        return -1;
    }
    if (c->BandFmt != VIPS_FORMAT_UCHAR) {
        VipsImage *u = NULL;
        int rc = vips_cast_uchar(c, &u, NULL);
        g_object_unref(c);
        if (rc) {
            return -1;
        }
        c = u;
    }
    if (c->Bands > 4) {
        VipsImage *e = NULL;
        int rc = vips_extract_band(c, &e, 0, "n", 4, NULL);
        g_object_unref(c);
        if (rc) {
            return -1;
        }
        c = e;
    }
    *out = c;
    return 0;
}

#endif

static int safe_relative(const char *rel)
{
    if (!rel[0] || rel[0] == '/' || strstr(rel, "\\")) {
        return 0;
    }
    for (const char *s = rel; *s;) {
        size_t n = strcspn(s, "/");
        if ((n == 2 && s[0] == '.' && s[1] == '.') || n == 0) {
            return 0;
        }
        s += n + (s[n] == '/');
    }
    return 1;
}

int build_picture_load(const char *src_dir, const char *rel, int page, const char *at,
                       int line, Picture *p, BuildReport *r)
{
    char full[4096];
    memset(p, 0, sizeof *p);
    if (!safe_relative(rel)) {
        return build_report_error(r, at, line, BT_PICTURE_PATH, rel);
    }
    snprintf(full, sizeof full, "%s/%s", src_dir, rel);
    struct stat st;
    int found = stat(full, &st) == 0;
    if (!found || !S_ISREG(st.st_mode)) {
        return build_report_error(r, at, line, BT_PICTURE_MISSING, rel,
                                  found ? "not a file" : strerror(errno));
    }
    if ((long long)st.st_size > limits.max_file_bytes) {
        return build_report_error(r, at, line, BT_PICTURE_BYTES, rel, (long long)st.st_size,
                                  limits.max_file_bytes);
    }
#ifndef LITFASS_VIPS
    (void)page;
    return build_report_error(r, at, line, BT_PICTURE_NO_SUPPORT, rel);
#else
    char why[200];
    VipsImage *head = NULL, *img = NULL, *srgb = NULL;
    int rc = -1;
    if (!has_ext(rel, picture_exts) || vips_ready() != 0) {
        return build_report_error(r, at, line, BT_PICTURE_UNSUPPORTED, rel);
    }
    /* the loader is chosen by the file's first bytes; only these four are wanted */
    const char *loader = vips_foreign_find_load(full);
    vips_error_clear();
    int pdf = loader && strcmp(loader, "VipsForeignLoadPdfFile") == 0;
    if (!loader || (strcmp(loader, "VipsForeignLoadPngFile") &&
                    strcmp(loader, "VipsForeignLoadJpegFile") &&
                    strcmp(loader, "VipsForeignLoadWebpFile") && !pdf)) {
        return build_report_error(r, at, line, BT_PICTURE_UNSUPPORTED, rel);
    }
    /* the header only: width and height before a single pixel is decoded */
    head = pdf ? vips_image_new_from_file(full, "page", page > 0 ? page - 1 : 0, NULL)
               : vips_image_new_from_file(full, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (!head) {
        build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel, vips_why(why, sizeof why));
        goto done;
    }
    long long w = head->Xsize, h = head->Ysize;
    static const int sides[] = BUILD_PICTURE_SIDES;
    double scale = 1;
    if (pdf) { /* a page is drawn at the largest level's size, whatever its size in points */
        scale = (double)sides[0] / (double)(w > h ? w : h);
        w = (long long)(w * scale + 0.5);
        h = (long long)(h * scale + 0.5);
    }
    if (w < 1 || h < 1 || w * h > limits.max_pixels) {
        build_report_error(r, at, line, BT_PICTURE_PIXELS, rel, w, h, limits.max_pixels);
        goto done;
    }
    if (pdf) {
        g_object_unref(head);
        head = vips_image_new_from_file(full, "page", page > 0 ? page - 1 : 0, "scale", scale,
                                        NULL);
        if (!head) {
            build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel, vips_why(why, sizeof why));
            goto done;
        }
    }
    /* largest level: autorotated, sRGB (CMYK through the fallback profile); a truncated
     * file is an error (fail_on), not grey rows. Only a picture with a colour profile or
     * in CMYK is converted through lcms: an untagged one is sRGB already, and a round
     * trip through libvips' built-in sRGB profile would shift saturated colours (pure
     * blue came back as 85/15/253). */
    int managed = vips_image_get_typeof(head, VIPS_META_ICC_NAME) != 0 ||
                  head->Type == VIPS_INTERPRETATION_CMYK;
    int thumbnailed = managed ? vips_thumbnail_image(head, &img, sides[0], "height", sides[0],
                                                     "size", VIPS_SIZE_DOWN, "export_profile",
                                                     "srgb", NULL)
                              : vips_thumbnail_image(head, &img, sides[0], "height", sides[0],
                                                     "size", VIPS_SIZE_DOWN, NULL);
    if (thumbnailed || to_srgb8(img, &srgb)) {
        build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel, vips_why(why, sizeof why));
        goto done;
    }
    if (pdf && srgb->Bands == 4) { /* a page is paper: drawn on white, no alpha */
        VipsImage *flat = NULL;
        if (vips_extract_band(srgb, &flat, 0, "n", 3, NULL)) {
            build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel, vips_why(why, sizeof why));
            goto done;
        }
        g_object_unref(srgb);
        srgb = flat;
    }
    VipsImage *mem = vips_image_copy_memory(srgb); /* decodes: damage shows up here */
    if (!mem) {
        build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel, vips_why(why, sizeof why));
        goto done;
    }
    g_object_unref(srgb);
    srgb = mem;
    p->name = strdup(rel);
    if (!p->name) {
        abort();
    }
    for (size_t l = 0; l < sizeof sides / sizeof *sides && l < MODEL_PICTURE_LEVELS; l++) {
        VipsImage *lv = srgb;
        int longest = srgb->Xsize > srgb->Ysize ? srgb->Xsize : srgb->Ysize;
        if (l > 0) {
            if (longest <= sides[l]) {
                continue; /* as large as the picture or larger: never upscaled */
            }
            if (vips_thumbnail_image(srgb, &lv, sides[l], "height", sides[l], "size",
                                     VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL)) {
                build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel,
                                   vips_why(why, sizeof why));
                goto done;
            }
        }
        PictureLevel *v = &p->levels[p->n_levels];
        int enc = encode_level(lv, v);
        if (lv != srgb) {
            g_object_unref(lv);
        }
        if (enc) {
            build_report_error(r, at, line, BT_PICTURE_DAMAGED, rel, vips_why(why, sizeof why));
            goto done;
        }
        p->n_levels++;
        if (v->len > STORE_MAX_PICTURE_BYTES) {
            build_report_error(r, at, line, BT_PICTURE_BYTES, rel, (long long)v->len,
                               (long long)STORE_MAX_PICTURE_BYTES);
            goto done;
        }
    }
    rc = 0;
done:
    if (head) {
        g_object_unref(head);
    }
    if (img) {
        g_object_unref(img);
    }
    if (srgb) {
        g_object_unref(srgb);
    }
    if (rc) {
        free(p->name);
        for (int l = 0; l < p->n_levels; l++) {
            free(p->levels[l].data);
        }
        memset(p, 0, sizeof *p);
    }
    return rc;
#endif
}

int build_picture_add(Model *m, const char *src_dir, const char *rel, int page, const char *at,
                      int line, BuildReport *r)
{
    for (int i = 0; i < m->n_pictures; i++) {
        if (strcmp(m->pictures[i].name, rel) == 0) {
            return m->pictures[i].id;
        }
    }
    Picture p;
    if (build_picture_load(src_dir, rel, page, at, line, &p, r) != 0) {
        return 0;
    }
    Picture *n = realloc(m->pictures, sizeof *n * (size_t)(m->n_pictures + 1));
    if (!n) {
        abort();
    }
    m->pictures = n;
    p.id = m->n_pictures + 1;
    n[m->n_pictures++] = p;
    return p.id;
}

int build_pictures_check_total(const Model *m, const char *src_dir, BuildReport *r)
{
    long long total = 0;
    for (int i = 0; i < m->n_pictures; i++) {
        for (int l = 0; l < m->pictures[i].n_levels; l++) {
            total += (long long)m->pictures[i].levels[l].len;
        }
    }
    if (total > limits.max_total_bytes) {
        return build_report_error(r, src_dir, 0, BT_PICTURES_TOTAL, total,
                                  limits.max_total_bytes);
    }
    if (m->n_pictures > STORE_MAX_PICTURES) {
        return build_report_error(r, src_dir, 0, BT_PICTURES_TOTAL, (long long)m->n_pictures,
                                  (long long)STORE_MAX_PICTURES);
    }
    return 0;
}

/* ---- posters ---- */

enum { PC_FILE, PC_CAPTION, PC_FROM, PC_UNTIL, PC_PAGE, PC_N };
static const CsvColumn poster_cols[PC_N] = {
    { "file", "Datei", "filename|dateiname|bild|picture", 1, 0 },
    { "caption", "Bildunterschrift", "unterschrift|text|titel|title", 0, 1 },
    { "valid_from", "gültig_ab", "ab|from|von", 0, 0 },
    { "valid_until", "gültig_bis", "bis|until", 0, 0 },
    { "page", "Seite", "", 0, 0 },
};

typedef struct {
    char lang[8];
    char *text;
} Caption;

typedef struct {
    char *file; /* "posters/a.pdf" */
    char *caption;
    Caption *tr; /* the caption's translations (caption_ar, Bildunterschrift_uk, ...) */
    int n_tr;
    char from[16], until[16];
    int page, line; /* posters.csv row, 0 when it names none */
} PosterSrc;

static int cmp_src(const void *a, const void *b)
{
    return strcmp(((const PosterSrc *)a)->file, ((const PosterSrc *)b)->file);
}

static char *trim_dup(const char *v)
{
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
        n--;
    }
    char *s = strndup(v, n);
    if (!s) {
        abort();
    }
    return s;
}

static void add_caption(void *ctx, int col, const char *lang, const char *text)
{
    PosterSrc *ps = ctx;
    (void)col; /* only the caption is translatable */
    Caption *t = realloc(ps->tr, sizeof *t * (size_t)(ps->n_tr + 1));
    if (!t) {
        abort();
    }
    ps->tr = t;
    t += ps->n_tr++;
    snprintf(t->lang, sizeof t->lang, "%s", lang);
    t->text = strdup(text);
    if (!t->text) {
        abort();
    }
}

/* posters.csv: the rows' facts onto the folder's files (a row naming no file there is
 * an error at its line). */
static void read_posters_csv(const char *src_dir, PosterSrc *ps, int n, BuildReport *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/posters.csv", src_dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        return;
    }
    char *text = malloc(256 * 1024 + 1);
    if (!text) {
        abort();
    }
    size_t len = fread(text, 1, 256 * 1024, f);
    fclose(f);
    Csv csv;
    char **hdr = NULL, **fl = NULL;
    int nh = 0, nf = 0, line = 0, col[PC_N];
    const char *heading[PC_N];
    if (csv_open_table(&csv, text, len, &hdr, &nh, poster_cols, PC_N, col, heading, r, path,
                       &line) == 0) {
        while (csv_next(&csv, &fl, &nf, &line) == 1) {
            const char *v[PC_N];
            for (int c = 0; c < PC_N; c++) {
                v[c] = col[c] >= 0 && col[c] < nf ? fl[col[c]] : "";
            }
            if (!csv_blank(v[PC_FILE])) {
                char *file = trim_dup(v[PC_FILE]);
                char rel[600];
                snprintf(rel, sizeof rel, "%s%s", strncmp(file, "posters/", 8) ? "posters/" : "",
                         file);
                PosterSrc *hit = NULL;
                for (int i = 0; i < n; i++) {
                    if (strcmp(ps[i].file, rel) == 0) {
                        hit = &ps[i];
                    }
                }
                if (!hit) {
                    build_report_error(r, path, line, BT_PICTURE_MISSING, rel,
                                       strerror(ENOENT));
                } else {
                    hit->line = line;
                    csv_lang_cells(&csv, fl, nf, hdr, BUILD_MAX_FIELD_CHARS, add_caption, hit, r,
                                   path, line);
                    if (!csv_blank(v[PC_CAPTION])) {
                        free(hit->caption);
                        hit->caption = trim_dup(v[PC_CAPTION]);
                    }
                    const char *keys[2] = { heading[PC_FROM], heading[PC_UNTIL] };
                    for (int k = 0; k < 2; k++) {
                        char *d = trim_dup(v[PC_FROM + k]);
                        if (*d && csv_day(d, strlen(d), k ? hit->until : hit->from) != 0) {
                            build_report_error(r, path, line, BT_BAD_DAY, keys[k]);
                        }
                        free(d);
                    }
                    if (hit->from[0] && hit->until[0] && strcmp(hit->until, hit->from) < 0) {
                        build_report_error(r, path, line, BT_UNTIL_BEFORE_FROM);
                    }
                    if (!csv_blank(v[PC_PAGE])) {
                        char *end;
                        long pg = strtol(v[PC_PAGE], &end, 10);
                        while (*end == ' ') {
                            end++;
                        }
                        if (pg < 1 || pg > 10000 || *end) {
                            build_report_error(r, path, line, BT_POSTER_PAGE, v[PC_PAGE]);
                        } else {
                            hit->page = (int)pg;
                        }
                    }
                }
                free(file);
            }
            csv_free(fl, nf);
            fl = NULL;
            nf = 0;
        }
    }
    csv_free(hdr, nh);
    csv_close(&csv);
    free(text);
}

int build_read_posters(const char *src_dir, Model *m, BuildReport *r)
{
    char dir[4096];
    int errors = r->n_errors;
    snprintf(dir, sizeof dir, "%s/posters", src_dir);
    DIR *d = opendir(dir);
    if (!d) {
        return 0; /* no posters folder: no poster page */
    }
    PosterSrc *ps = NULL;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_ext(e->d_name, picture_exts)) {
            continue; /* README, Thumbs.db, ._ files of a Mac: not posters */
        }
        if (n >= STORE_MAX_PICTURES) {
            break;
        }
        PosterSrc *g = realloc(ps, sizeof *g * (size_t)(n + 1));
        if (!g) {
            abort();
        }
        ps = g;
        memset(&ps[n], 0, sizeof ps[n]);
        size_t need = strlen(e->d_name) + 9;
        ps[n].file = malloc(need);
        if (!ps[n].file) {
            abort();
        }
        snprintf(ps[n].file, need, "posters/%s", e->d_name);
        n++;
    }
    closedir(d);
    if (n > 1) {
        qsort(ps, (size_t)n, sizeof *ps, cmp_src);
    }
    read_posters_csv(src_dir, ps, n, r);
    char csv[4096];
    snprintf(csv, sizeof csv, "%s/posters.csv", src_dir);
    for (int i = 0; i < n; i++) {
        /* errors name the CSV row that describes the poster, else the file itself */
        int id = build_picture_add(m, src_dir, ps[i].file, ps[i].page,
                                   ps[i].line ? csv : src_dir, ps[i].line, r);
        if (id) {
            Poster *g = realloc(m->posters, sizeof *g * (size_t)(m->n_posters + 1));
            if (!g) {
                abort();
            }
            m->posters = g;
            g += m->n_posters++;
            memset(g, 0, sizeof *g);
            g->picture = id;
            g->caption = ps[i].caption;
            ps[i].caption = NULL;
            memcpy(g->valid_from, ps[i].from, sizeof g->valid_from);
            memcpy(g->valid_until, ps[i].until, sizeof g->valid_until);
            Picture *p = &m->pictures[id - 1];
            if (g->caption && !p->alt) {
                p->alt = strdup(g->caption);
            }
            char item[32];
            snprintf(item, sizeof item, "poster:%d", m->n_posters - 1);
            for (int k = 0; k < ps[i].n_tr; k++) {
                model_add_variant(m, ps[i].tr[k].lang, item, "caption", ps[i].tr[k].text);
            }
        }
        for (int k = 0; k < ps[i].n_tr; k++) {
            free(ps[i].tr[k].text);
        }
        free(ps[i].tr);
        free(ps[i].file);
        free(ps[i].caption);
    }
    free(ps);
    return r->n_errors > errors ? -1 : 0;
}
