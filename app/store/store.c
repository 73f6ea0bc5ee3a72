/* store: the content database. Opening is defensive from the start — a content
 * file may come from a USB stick — so the checks that the bundle installer relies
 * on live here, in one place: header, integrity_check, schema objects, user_version,
 * then sanity of every value (UTF-8, lengths) before a Model is filled. */
#define _POSIX_C_SOURCE 200809L
#include "store/store.h"

#include "base/log.h"
#include "base/screentime.h"
#include "base/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

struct Store {
    sqlite3 *db;
    long long schema; /* PRAGMA user_version: 3 or 4 */
    char path[1024];
};

static const char *const schema_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE campaign(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE campaign_figure(pos INTEGER PRIMARY KEY, value TEXT NOT NULL,"
    " label TEXT NOT NULL);"
    "CREATE TABLE campaign_block(pos INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " level INTEGER NOT NULL);"
    "CREATE TABLE campaign_span(block INTEGER NOT NULL, pos INTEGER NOT NULL,"
    " bold INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY(block, pos)) WITHOUT ROWID;"
    "CREATE TABLE map_ring(pos INTEGER PRIMARY KEY, focus INTEGER NOT NULL, name TEXT NOT NULL,"
    " points BLOB NOT NULL);"
    "CREATE TABLE site(id TEXT PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL,"
    " city TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, kind TEXT NOT NULL,"
    " address TEXT, url TEXT, demo INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE event(pos INTEGER PRIMARY KEY, start TEXT NOT NULL, end TEXT NOT NULL,"
    " all_day INTEGER NOT NULL, title TEXT NOT NULL, place TEXT, description TEXT);";

/* Schema 4 adds these to schema 3's tables. */
static const char *const schema4_sql =
    /* translations. item is "campaign", "figure:<pos>", "site:<id>" or
     * "event:<pos>"; a translated campaign text is a whole set of blocks */
    "CREATE TABLE translation(lang TEXT NOT NULL, item TEXT NOT NULL, field TEXT NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY(lang, item, field)) WITHOUT ROWID;"
    "CREATE TABLE translation_block(lang TEXT NOT NULL, pos INTEGER NOT NULL,"
    " kind TEXT NOT NULL, level INTEGER NOT NULL, PRIMARY KEY(lang, pos)) WITHOUT ROWID;"
    "CREATE TABLE translation_span(lang TEXT NOT NULL, block INTEGER NOT NULL,"
    " pos INTEGER NOT NULL, bold INTEGER NOT NULL, text TEXT NOT NULL,"
    " PRIMARY KEY(lang, block, pos)) WITHOUT ROWID;";

/* Schema 5 adds these to schema 4's tables: pictures, as blobs so that a bundle stays
 * one signed file (rowid tables: large blobs belong in overflow pages, not in keys). */
static const char *const schema5_sql =
    "CREATE TABLE picture(id INTEGER PRIMARY KEY, name TEXT NOT NULL, alt TEXT);"
    "CREATE TABLE picture_level(picture INTEGER NOT NULL, level INTEGER NOT NULL,"
    " width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT NOT NULL,"
    " data BLOB NOT NULL, UNIQUE(picture, level));"
    "CREATE TABLE poster(pos INTEGER PRIMARY KEY, picture INTEGER NOT NULL, caption TEXT,"
    " valid_from TEXT NOT NULL, valid_until TEXT NOT NULL);";

/* The only objects a content database may hold. */
static const char *const schema_tables[] = { "meta",          "campaign", "campaign_figure",
                                             "campaign_block", "campaign_span", "map_ring",
                                             "site",          "event",    "translation",
                                             "translation_block", "translation_span",
                                             "picture", "picture_level", "poster" };
#define SCHEMA3_TABLES 8 /* the first ones: a schema 3 database has only these */
#define SCHEMA4_TABLES 11

int store_schema_supported(long long version)
{
    return version >= STORE_SCHEMA_OLDEST && version <= STORE_SCHEMA_VERSION;
}

#define STORE_MAX_RINGS 5000
#define STORE_MAX_POINTS 200000
#define STORE_MAX_SITES 20000
#define STORE_MAX_EVENTS 10000

static int check_header(const char *path, char *err, size_t errlen)
{
    char hdr[16];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fread(hdr, 1, sizeof hdr, f);
    fclose(f);
    if (n != sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0) {
        snprintf(err, errlen, "%s: not an SQLite content database", path);
        return -1;
    }
    return 0;
}

static void harden(sqlite3 *db)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
    /* texts are far shorter; a picture level is the one long value */
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, STORE_MAX_PICTURE_BYTES + 1024);
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
    sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
    sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 50);
    sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
    sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 25000);
    sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50);
    sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 10);
    sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
    sqlite3_exec(db, "PRAGMA cell_size_check=ON; PRAGMA mmap_size=0;", NULL, NULL, NULL);
}

static int check_objects(Store *s, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT type, name FROM sqlite_schema", -1, &st, NULL)) {
        snprintf(err, errlen, "%s: unreadable schema: %s", s->path, sqlite3_errmsg(s->db));
        return -1;
    }
    int seen = 0;
    size_t n_tables = s->schema >= 5   ? sizeof schema_tables / sizeof *schema_tables
                      : s->schema >= 4 ? SCHEMA4_TABLES
                                       : SCHEMA3_TABLES;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int ok = 0;
        for (size_t i = 0; type && name && i < n_tables; i++) {
            if (strcmp(type, "table") == 0 && strcmp(name, schema_tables[i]) == 0) {
                ok = 1;
                seen |= 1 << i;
            }
        }
        if (!ok && type && name && strcmp(type, "index") == 0 &&
            strncmp(name, "sqlite_autoindex_", 17) == 0) {
            ok = 1;
        }
        if (!ok) {
            snprintf(err, errlen, "%s: unexpected %s '%s' in content database", s->path,
                     type ? type : "object", name ? name : "?");
            goto done;
        }
    }
    if (seen != (1 << n_tables) - 1) {
        snprintf(err, errlen, "%s: content database lacks required tables", s->path);
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

static int single_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *st;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int store_open(const char *path, Store **out, char *err, size_t errlen)
{
    *out = NULL;
    Store *s = calloc(1, sizeof *s);
    if (!s) {
        abort();
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    if (check_header(path, err, errlen)) {
        goto fail;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    harden(s->db);

    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: corrupt database: %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    int step = sqlite3_step(st);
    const char *res = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    int intact = res && strcmp(res, "ok") == 0 && sqlite3_step(st) == SQLITE_DONE;
    if (!intact) {
        snprintf(err, errlen, "%s: corrupt database (integrity check: %.80s)", path,
                 res ? res : sqlite3_errmsg(s->db));
    }
    sqlite3_finalize(st);
    if (!intact) {
        goto fail;
    }
    long long version;
    if (single_int(s->db, "PRAGMA user_version", &version)) {
        snprintf(err, errlen, "%s: cannot read schema version", path);
        goto fail;
    }
    if (!store_schema_supported(version)) {
        snprintf(err, errlen, "%s: schema version %lld is not supported (this display reads "
                 "%d to %d)", path, version, STORE_SCHEMA_OLDEST, STORE_SCHEMA_VERSION);
        goto fail;
    }
    s->schema = version;
    if (check_objects(s, err, errlen)) {
        goto fail;
    }
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

int store_schema(const Store *s)
{
    return (int)s->schema;
}

void store_close(Store *s)
{
    if (!s) {
        return;
    }
    sqlite3_close(s->db);
    free(s);
}

/* Copies a text column after checking it: non-NULL, valid UTF-8, bounded. */
static int column_text(Store *s, sqlite3_stmt *st, int col, const char *what, char **out,
                       char *err, size_t errlen)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (!t || n > STORE_MAX_TEXT || !utf8_valid(t, (size_t)n, NULL)) {
        snprintf(err, errlen, "%s: %s is missing, too long (more than %d bytes) or not valid "
                 "UTF-8", s->path, what, STORE_MAX_TEXT);
        return -1;
    }
    *out = strdup(t);
    if (!*out) {
        abort();
    }
    return 0;
}

/* Reads the rows (pos, kind, level, bold, text) of st, ordered by block and span, into
 * c's blocks. Returns 0, or -1 with err set. */
static int read_blocks(Store *s, sqlite3_stmt *st, Campaign *c, char *err, size_t errlen)
{
    long long last = -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long pos = sqlite3_column_int64(st, 0);
        if (pos != last) {
            if (c->n_blocks >= 1000) {
                snprintf(err, errlen, "%s: too many text blocks", s->path);
                return -1;
            }
            Block *b = realloc(c->blocks, sizeof *b * (size_t)(c->n_blocks + 1));
            if (!b) {
                abort();
            }
            c->blocks = b;
            b += c->n_blocks++;
            memset(b, 0, sizeof *b);
            const char *kind = (const char *)sqlite3_column_text(st, 1);
            b->kind = kind && !strcmp(kind, "heading") ? BLOCK_HEADING
                      : kind && !strcmp(kind, "item")  ? BLOCK_ITEM
                      : kind && !strcmp(kind, "image") ? BLOCK_IMAGE
                                                       : BLOCK_PARAGRAPH;
            int level = sqlite3_column_int(st, 2);
            if (b->kind == BLOCK_IMAGE) { /* level holds the picture (checked with them) */
                b->picture = level;
                level = 0;
            }
            b->level = level < 0 ? 0 : level > 6 ? 6 : level;
            last = pos;
        }
        char *text;
        if (column_text(s, st, 4, "campaign text", &text, err, errlen)) {
            return -1;
        }
        Block *b = &c->blocks[c->n_blocks - 1];
        int r = block_add_span(b, text, strlen(text), sqlite3_column_int(st, 3) != 0);
        free(text);
        if (r) {
            abort();
        }
    }
    return 0;
}

static int load_campaign(Store *s, Campaign *c, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM campaign", -1, &st, NULL)) {
        goto sqlfail;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        char **field = NULL;
        uint32_t *color = NULL;
        if (!key) {
            continue;
        }
        if (!strcmp(key, "title")) field = &c->title;
        else if (!strcmp(key, "hashtag")) field = &c->hashtag;
        else if (!strcmp(key, "subtitle")) field = &c->subtitle;
        else if (!strcmp(key, "url")) field = &c->url;
        else if (!strcmp(key, "url_label")) field = &c->url_label;
        else if (!strcmp(key, "source")) field = &c->source;
        else if (!strcmp(key, "map_title")) field = &c->map_title;
        else if (!strcmp(key, "map_note")) field = &c->map_note;
        else if (!strcmp(key, "color_primary")) color = &c->color_primary;
        else if (!strcmp(key, "color_background")) color = &c->color_background;
        else if (!strcmp(key, "color_text")) color = &c->color_text;
        else if (!strcmp(key, "color_accent")) color = &c->color_accent;
        char *day = !strcmp(key, "valid_from")    ? c->valid_from
                    : !strcmp(key, "valid_until") ? c->valid_until
                                                  : NULL;
        if (day) { /* a day "YYYY-MM-DD", nothing else */
            const char *v = (const char *)sqlite3_column_text(st, 1);
            int y, mo, d, n = 0;
            if (!v || sqlite3_column_bytes(st, 1) != 10 ||
                sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10) {
                snprintf(err, errlen, "%s: campaign %s is not a day", s->path, key);
                goto done;
            }
            memcpy(day, v, 11);
        }
        if (!strcmp(key, "logo")) {
            c->logo = (int)sqlite3_column_int64(st, 1); /* checked with the pictures */
        }
        if (field && !*field && column_text(s, st, 1, key, field, err, errlen)) {
            goto done;
        }
        if (color) {
            *color = (uint32_t)sqlite3_column_int64(st, 1) & 0xFFFFFFu;
        }
    }
    sqlite3_finalize(st);
    if (!c->title) {
        snprintf(err, errlen, "%s: campaign has no title", s->path);
        return -1;
    }

    if (sqlite3_prepare_v2(s->db, "SELECT value, label FROM campaign_figure ORDER BY pos", -1,
                           &st, NULL)) {
        goto sqlfail;
    }
    while (sqlite3_step(st) == SQLITE_ROW && c->n_figures < 16) {
        Figure *f = realloc(c->figures, sizeof *f * (size_t)(c->n_figures + 1));
        if (!f) {
            abort();
        }
        c->figures = f;
        f += c->n_figures;
        f->value = f->label = NULL;
        c->n_figures++;
        if (column_text(s, st, 0, "figure value", &f->value, err, errlen) ||
            column_text(s, st, 1, "figure label", &f->label, err, errlen)) {
            goto done;
        }
    }
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(s->db,
                           "SELECT b.pos, b.kind, b.level, s.bold, s.text FROM campaign_block b"
                           " JOIN campaign_span s ON s.block = b.pos ORDER BY b.pos, s.pos",
                           -1, &st, NULL)) {
        goto sqlfail;
    }
    if (read_blocks(s, st, c, err, errlen)) {
        goto done;
    }
    rc = 0;
    goto done;
sqlfail:
    snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
done:
    sqlite3_finalize(st);
    return rc;
}

static int load_map(Store *s, MapGeo *g, const char *region, char *err, size_t errlen)
{
    char extra;
    if (!region || sscanf(region, "%lf %lf %lf %lf %c", &g->lon0, &g->lat0, &g->lon1, &g->lat1,
                          &extra) != 4 ||
        !(g->lon0 < g->lon1 && g->lat0 < g->lat1)) {
        snprintf(err, errlen, "%s: meta has no valid map_region", s->path);
        return -1;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT focus, name, points FROM map_ring ORDER BY pos", -1,
                           &st, NULL)) {
        snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
        return -1;
    }
    int total = 0, rc = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(st, 2);
        int bytes = sqlite3_column_bytes(st, 2);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int n = bytes / (int)(2 * sizeof(float));
        if (!blob || bytes % (int)(2 * sizeof(float)) || n < 3 || g->n_rings >= STORE_MAX_RINGS ||
            total + n > STORE_MAX_POINTS) {
            snprintf(err, errlen, "%s: map geometry is malformed or over the limits", s->path);
            rc = -1;
            break;
        }
        MapRing *r = realloc(g->rings, sizeof *r * (size_t)(g->n_rings + 1));
        if (!r) {
            abort();
        }
        g->rings = r;
        r += g->n_rings++;
        memset(r, 0, sizeof *r);
        r->focus = sqlite3_column_int(st, 0) != 0;
        snprintf(r->name, sizeof r->name, "%s", name && utf8_valid(name, strlen(name), NULL) ? name : "");
        r->lonlat = malloc((size_t)bytes);
        if (!r->lonlat) {
            abort();
        }
        memcpy(r->lonlat, blob, (size_t)bytes);
        r->n = n;
        total += n;
        for (int k = 0; k < 2 * n; k++) {
            float v = r->lonlat[k];
            if (!isfinite(v) || v < -180.0f || v > 180.0f) {
                snprintf(err, errlen, "%s: map geometry has invalid coordinates", s->path);
                rc = -1;
                break;
            }
        }
        if (rc) {
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int load_sites(Store *s, Model *m, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, name, organisation, city, kind, address, url, lat, lon, demo"
                           " FROM site ORDER BY id",
                           -1, &st, NULL)) {
        snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
        return -1;
    }
    int rc = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (m->n_sites >= STORE_MAX_SITES) {
            snprintf(err, errlen, "%s: more than %d sites", s->path, STORE_MAX_SITES);
            rc = -1;
            break;
        }
        if (m->n_sites == cap) {
            cap = cap ? cap * 2 : 64;
            m->sites = realloc(m->sites, sizeof *m->sites * (size_t)cap);
            if (!m->sites) {
                abort();
            }
        }
        Site *t = &m->sites[m->n_sites++];
        memset(t, 0, sizeof *t);
        char **req[] = { &t->id, &t->name, &t->organisation, &t->city, &t->kind };
        for (int k = 0; k < 5 && rc == 0; k++) {
            rc = column_text(s, st, k, "site text", req[k], err, errlen);
        }
        if (rc == 0 && sqlite3_column_type(st, 5) != SQLITE_NULL) {
            rc = column_text(s, st, 5, "site address", &t->address, err, errlen);
        }
        if (rc == 0 && sqlite3_column_type(st, 6) != SQLITE_NULL) {
            rc = column_text(s, st, 6, "site url", &t->url, err, errlen);
        }
        t->lat = sqlite3_column_double(st, 7);
        t->lon = sqlite3_column_double(st, 8);
        t->demo = sqlite3_column_int(st, 9) != 0;
        if (rc == 0 && (!isfinite(t->lat) || !isfinite(t->lon) || fabs(t->lat) > 90 ||
                        fabs(t->lon) > 180)) {
            snprintf(err, errlen, "%s: site '%s' has invalid coordinates", s->path, t->id);
            rc = -1;
        }
        if (rc) {
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int load_events(Store *s, Model *m, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT start, end, all_day, title, place, description FROM event"
                           " ORDER BY pos",
                           -1, &st, NULL)) {
        snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
        return -1;
    }
    int rc = 0, cap = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (m->n_events >= STORE_MAX_EVENTS) {
            snprintf(err, errlen, "%s: more than %d events", s->path, STORE_MAX_EVENTS);
            rc = -1;
            break;
        }
        if (m->n_events == cap) {
            cap = cap ? cap * 2 : 32;
            m->events = realloc(m->events, sizeof *m->events * (size_t)cap);
            if (!m->events) {
                abort();
            }
        }
        Event *e = &m->events[m->n_events++];
        memset(e, 0, sizeof *e);
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        if (!a || !b || strlen(a) >= sizeof e->start || strlen(b) >= sizeof e->end) {
            snprintf(err, errlen, "%s: an event has a malformed time", s->path);
            rc = -1;
            break;
        }
        memcpy(e->start, a, strlen(a) + 1);
        memcpy(e->end, b, strlen(b) + 1);
        e->all_day = sqlite3_column_int(st, 2) != 0;
        rc = column_text(s, st, 3, "event title", &e->title, err, errlen);
        if (rc == 0 && sqlite3_column_type(st, 4) != SQLITE_NULL) {
            rc = column_text(s, st, 4, "event place", &e->place, err, errlen);
        }
        if (rc == 0 && sqlite3_column_type(st, 5) != SQLITE_NULL) {
            rc = column_text(s, st, 5, "event description", &e->description, err, errlen);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Pictures (schema 5): names, alt texts and the levels' sizes; the bytes stay in the
 * database until the renderer asks for them. */
static int load_pictures(Store *s, Model *m, char *err, size_t errlen)
{
    if (s->schema < 5) {
        return 0;
    }
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT id, name, alt FROM picture ORDER BY id", -1, &st,
                           NULL)) {
        goto sqlfail;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (m->n_pictures >= STORE_MAX_PICTURES) {
            snprintf(err, errlen, "%s: more than %d pictures", s->path, STORE_MAX_PICTURES);
            goto done;
        }
        Picture *p = realloc(m->pictures, sizeof *p * (size_t)(m->n_pictures + 1));
        if (!p) {
            abort();
        }
        m->pictures = p;
        p += m->n_pictures++;
        memset(p, 0, sizeof *p);
        p->id = (int)sqlite3_column_int64(st, 0);
        if (column_text(s, st, 1, "picture name", &p->name, err, errlen) ||
            (sqlite3_column_type(st, 2) != SQLITE_NULL &&
             column_text(s, st, 2, "picture alt", &p->alt, err, errlen))) {
            goto done;
        }
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT picture, level, width, height, format FROM "
                           "picture_level ORDER BY picture, level", -1, &st, NULL)) {
        goto sqlfail;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        Picture *p = (Picture *)model_picture(m, (int)sqlite3_column_int64(st, 0));
        long long level = sqlite3_column_int64(st, 1);
        const char *f = (const char *)sqlite3_column_text(st, 4);
        if (p && level >= MODEL_PICTURE_LEVELS && level >= p->n_levels) {
            continue; /* a smaller level than this display knows: not needed */
        }
        if (!p || level != p->n_levels || !f ||
            (strcmp(f, "jpeg") && strcmp(f, "png"))) {
            snprintf(err, errlen, "%s: picture level out of order or of unknown format",
                     s->path);
            goto done;
        }
        PictureLevel *v = &p->levels[p->n_levels++];
        long long w = sqlite3_column_int64(st, 2), h = sqlite3_column_int64(st, 3);
        v->width = w > 0 && w <= STORE_MAX_PICTURE_SIDE ? (int)w : 0;
        v->height = h > 0 && h <= STORE_MAX_PICTURE_SIDE ? (int)h : 0;
        v->format = strcmp(f, "png") ? PICTURE_JPEG : PICTURE_PNG;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT picture, caption, valid_from, valid_until FROM "
                           "poster ORDER BY pos", -1, &st, NULL)) {
        goto sqlfail;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (m->n_posters >= STORE_MAX_PICTURES) {
            snprintf(err, errlen, "%s: more than %d posters", s->path, STORE_MAX_PICTURES);
            goto done;
        }
        Poster *p = realloc(m->posters, sizeof *p * (size_t)(m->n_posters + 1));
        if (!p) {
            abort();
        }
        m->posters = p;
        p += m->n_posters++;
        memset(p, 0, sizeof *p);
        p->picture = (int)sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
            column_text(s, st, 1, "poster caption", &p->caption, err, errlen)) {
            goto done;
        }
        for (int k = 0; k < 2; k++) {
            const char *v = (const char *)sqlite3_column_text(st, 2 + k);
            char *day = k ? p->valid_until : p->valid_from;
            int y, mo, d, n = 0;
            if (v && *v &&
                (sqlite3_column_bytes(st, 2 + k) != 10 ||
                 sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)) {
                snprintf(err, errlen, "%s: poster validity is not a day", s->path);
                goto done;
            }
            snprintf(day, 16, "%s", v ? v : "");
        }
    }
    rc = 0;
    goto done;
sqlfail:
    snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
done:
    sqlite3_finalize(st);
    return rc;
}

int store_picture_read(Store *s, int id, int level, unsigned char **data, size_t *len,
                       PictureLevel *info, char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (s->schema < 5 ||
        sqlite3_prepare_v2(s->db, "SELECT width, height, format, data FROM picture_level "
                           "WHERE picture = ? AND level = ?", -1, &st, NULL)) {
        snprintf(err, errlen, "%s: no pictures in this content database", s->path);
        goto done;
    }
    sqlite3_bind_int(st, 1, id);
    sqlite3_bind_int(st, 2, level);
    if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 3) != SQLITE_BLOB) {
        snprintf(err, errlen, "%s: picture %d level %d is missing", s->path, id, level);
        goto done;
    }
    int n = sqlite3_column_bytes(st, 3);
    const void *b = sqlite3_column_blob(st, 3);
    const char *f = (const char *)sqlite3_column_text(st, 2);
    if (n <= 0 || n > STORE_MAX_PICTURE_BYTES || !b) {
        snprintf(err, errlen, "%s: picture %d level %d is empty or too large", s->path, id,
                 level);
        goto done;
    }
    *data = malloc((size_t)n);
    if (!*data) {
        abort();
    }
    memcpy(*data, b, (size_t)n);
    *len = (size_t)n;
    memset(info, 0, sizeof *info);
    info->width = (int)sqlite3_column_int64(st, 0);
    info->height = (int)sqlite3_column_int64(st, 1);
    info->format = f && !strcmp(f, "png") ? PICTURE_PNG : PICTURE_JPEG;
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

int store_load(Store *s, Model *m, char *err, size_t errlen)
{
    char region[128] = "";
    model_free(m);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM meta", -1, &st, NULL)) {
        snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        if (key && !strcmp(key, "content_version")) {
            m->content_version = sqlite3_column_int64(st, 1);
        } else if (key && !strcmp(key, "map_region")) {
            const char *v = (const char *)sqlite3_column_text(st, 1);
            snprintf(region, sizeof region, "%s", v ? v : "");
        } else if (key && (!strcmp(key, "screen_on") || !strcmp(key, "screen_off_days"))) {
            /* checked below, after the loop, with the screen time parser */
            const char *v = (const char *)sqlite3_column_text(st, 1);
            char *to = !strcmp(key, "screen_on") ? m->screen_on : m->screen_off_days;
            size_t cap = !strcmp(key, "screen_on") ? sizeof m->screen_on
                                                   : sizeof m->screen_off_days;
            if (!v || (size_t)sqlite3_column_bytes(st, 1) >= cap) {
                sqlite3_finalize(st);
                snprintf(err, errlen, "%s: meta %s is too long", s->path, key);
                model_free(m);
                return -1;
            }
            memcpy(to, v, (size_t)sqlite3_column_bytes(st, 1) + 1);
        } else if (key && !strcmp(key, "created")) {
            const char *v = (const char *)sqlite3_column_text(st, 1);
            if (v && utf8_valid(v, strlen(v), NULL)) {
                snprintf(m->created, sizeof m->created, "%s", v);
            }
        }
    }
    sqlite3_finalize(st);
    if (m->content_version < 1) {
        snprintf(err, errlen, "%s: meta has no valid content_version", s->path);
        return -1;
    }
    ScreenTimes times;
    char bad[200];
    if (screentime_parse(m->screen_on, &times, bad, sizeof bad) != 0 ||
        screentime_parse_off(m->screen_off_days, &times, bad, sizeof bad) != 0) {
        snprintf(err, errlen, "%s: meta screen times: %s", s->path, bad);
        model_free(m);
        return -1;
    }
    if (load_campaign(s, &m->campaign, err, errlen) ||
        load_map(s, &m->map, region[0] ? region : NULL, err, errlen) ||
        load_sites(s, m, err, errlen) || load_events(s, m, err, errlen) ||
        load_pictures(s, m, err, errlen)) {
        model_free(m);
        return -1;
    }
    char why[400];
    if (store_check_model(m, why, sizeof why) != 0) {
        utf8_format_cut(err, errlen, "%s: %s", s->path, why);
        model_free(m);
        return -1;
    }
    m->has_content = 1;
    return 0;
}

/* ---- translations: a model in one language ---- */

static int by_site_id(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const Site *)elem)->id);
}

/* The field of item in m that a translation may replace, or NULL when there is none
 * (an id no longer there, a field that is not text): such a row is ignored. */
static char **variant_field(Model *m, const char *item, const char *field)
{
    Campaign *c = &m->campaign;
    if (!strcmp(item, "campaign")) {
        static const char *const keys[] = { "title",  "hashtag",   "subtitle", "url_label",
                                             "source", "map_title", "map_note" };
        char **fields[] = { &c->title,  &c->hashtag,   &c->subtitle, &c->url_label,
                            &c->source, &c->map_title, &c->map_note };
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
            if (!strcmp(field, keys[i])) {
                return fields[i];
            }
        }
        return NULL;
    }
    char *end;
    if (!strncmp(item, "figure:", 7)) {
        long i = strtol(item + 7, &end, 10);
        if (*end || end == item + 7 || i < 0 || i >= c->n_figures) {
            return NULL;
        }
        return !strcmp(field, "value")   ? &c->figures[i].value
               : !strcmp(field, "label") ? &c->figures[i].label
                                         : NULL;
    }
    if (!strncmp(item, "site:", 5)) {
        /* the sites are read ORDER BY id: SQLite's BINARY order is strcmp's */
        Site *t = bsearch(item + 5, m->sites, (size_t)m->n_sites, sizeof *m->sites, by_site_id);
        if (!t) {
            return NULL;
        }
        return !strcmp(field, "name")           ? &t->name
               : !strcmp(field, "organisation") ? &t->organisation
               : !strcmp(field, "city")         ? &t->city
               : !strcmp(field, "address")      ? &t->address
                                                : NULL;
    }
    if (!strncmp(item, "poster:", 7)) {
        long i = strtol(item + 7, &end, 10);
        if (*end || end == item + 7 || i < 0 || i >= m->n_posters) {
            return NULL;
        }
        return !strcmp(field, "caption") ? &m->posters[i].caption : NULL;
    }
    if (!strncmp(item, "event:", 6)) {
        long i = strtol(item + 6, &end, 10);
        if (*end || end == item + 6 || i < 0 || i >= m->n_events) {
            return NULL;
        }
        Event *e = &m->events[i];
        return !strcmp(field, "title")         ? &e->title
               : !strcmp(field, "place")       ? &e->place
               : !strcmp(field, "description") ? &e->description
                                               : NULL;
    }
    return NULL;
}

/* Replaces m's texts by lang's translations. Returns 0, or -1 with err set. */
static int apply_translation(Store *s, const char *lang, Model *m, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT item, field, value FROM translation WHERE lang = ?1",
                           -1, &st, NULL)) {
        goto sqlfail;
    }
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *item = (const char *)sqlite3_column_text(st, 0);
        const char *field = (const char *)sqlite3_column_text(st, 1);
        char **to = item && field ? variant_field(m, item, field) : NULL;
        char *v;
        if (to && (rc = column_text(s, st, 2, "translation", &v, err, errlen)) == 0) {
            free(*to);
            *to = v;
        }
    }
    sqlite3_finalize(st);
    if (rc) {
        return -1;
    }
    /* a translated text replaces the German one whole: no German paragraph among
     * Arabic ones */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT b.pos, b.kind, b.level, s.bold, s.text FROM translation_block b"
                           " JOIN translation_span s ON s.lang = b.lang AND s.block = b.pos"
                           " WHERE b.lang = ?1 ORDER BY b.pos, s.pos",
                           -1, &st, NULL)) {
        goto sqlfail;
    }
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    Campaign t;
    campaign_init(&t);
    rc = read_blocks(s, st, &t, err, errlen);
    sqlite3_finalize(st);
    if (rc == 0 && t.n_blocks > 0) {
        Block *b = m->campaign.blocks;
        int n = m->campaign.n_blocks;
        m->campaign.blocks = t.blocks;
        m->campaign.n_blocks = t.n_blocks;
        t.blocks = b;
        t.n_blocks = n;
    }
    campaign_free(&t);
    return rc;
sqlfail:
    snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
    return -1;
}

int store_load_lang(Store *s, const char *lang, Model *m, char *err, size_t errlen)
{
    if (store_load(s, m, err, errlen) != 0) {
        return -1;
    }
    if (!lang || !strcmp(lang, "de") || s->schema < 4) {
        return 0; /* German is the reference; a schema 3 database has nothing else */
    }
    char why[400];
    if (apply_translation(s, lang, m, err, errlen) != 0) {
        model_free(m);
        return -1;
    }
    if (store_check_model(m, why, sizeof why) != 0) {
        utf8_format_cut(err, errlen, "%s: %s (%s)", s->path, why, lang);
        model_free(m);
        return -1;
    }
    return 0;
}

int store_languages(Store *s, char *buf, size_t len, char *err, size_t errlen)
{
    buf[0] = '\0';
    if (s->schema < 4) {
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT lang FROM translation UNION SELECT lang FROM translation_block"
                           " ORDER BY 1",
                           -1, &st, NULL)) {
        snprintf(err, errlen, "%s: %s", s->path, sqlite3_errmsg(s->db));
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *l = (const char *)sqlite3_column_text(st, 0);
        if (l && strlen(l) < 8 && utf8_valid(l, strlen(l), NULL)) {
            if (buf[0]) {
                utf8_append_cut(buf, len, ",");
            }
            utf8_append_cut(buf, len, l);
        }
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- what a model may hold: one set of rules for the build and the display ---- */

static int check_text(const char *what, const char *name, const char *field, const char *t,
                      char *err, size_t errlen)
{
    if (!t) {
        return 0;
    }
    size_t len = strlen(t);
    if (len > STORE_MAX_TEXT) {
        utf8_format_cut(err, errlen, "%s%s%s: '%s' is %zu bytes long, more than %d", what,
                        name ? " " : "", name ? name : "", field, len, STORE_MAX_TEXT);
        return -1;
    }
    size_t run = utf8_mark_run(t, len, NULL);
    if (run > UTF8_MAX_MARK_RUN) {
        utf8_format_cut(err, errlen,
                        "%s%s%s: '%s' has %zu combining marks in a row (at most %d per "
                        "letter): remove the stacked accents",
                        what, name ? " " : "", name ? name : "", field, run, UTF8_MAX_MARK_RUN);
        return -1;
    }
    return 0;
}

static int finite_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

int store_check_url(const char *url)
{
    size_t n = strlen(url);
    if (n == 0 || n > STORE_MAX_URL_BYTES ||
        (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)url[i] <= ' ' || url[i] == 0x7F) {
            return -1;
        }
    }
    return 0;
}

static int check_map(const MapGeo *g, char *err, size_t errlen)
{
    /* Projection and rasteriser turn degrees into pixels through float and int:
     * NaN, infinities or a region of almost no extent (a scale of 1e12 pixels per
     * degree) would give a blank map, markers at (0,0) and undefined conversions. */
    if (!finite_in(g->lon0, -180, 180) || !finite_in(g->lon1, -180, 180) ||
        !finite_in(g->lat0, -STORE_MAX_REGION_LAT, STORE_MAX_REGION_LAT) ||
        !finite_in(g->lat1, -STORE_MAX_REGION_LAT, STORE_MAX_REGION_LAT) ||
        g->lon1 - g->lon0 < STORE_MIN_REGION_DEG || g->lat1 - g->lat0 < STORE_MIN_REGION_DEG) {
        snprintf(err, errlen,
                 "map region %g %g %g %g is not a box of longitudes -180..180 and latitudes "
                 "-%d..%d at least %g degrees wide and high",
                 g->lon0, g->lat0, g->lon1, g->lat1, STORE_MAX_REGION_LAT, STORE_MAX_REGION_LAT,
                 STORE_MIN_REGION_DEG);
        return -1;
    }
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    int focus = 0;
    for (int i = 0; i < g->n_rings; i++) {
        const MapRing *r = &g->rings[i];
        for (int k = 0; k < r->n; k++) {
            double lon = r->lonlat[2 * k], lat = r->lonlat[2 * k + 1];
            if (!finite_in(lon, -180, 180) || !finite_in(lat, -90, 90)) {
                snprintf(err, errlen, "map ring %d ('%s') point %d is not a longitude -180..180 "
                         "and latitude -90..90", i + 1, r->name, k + 1);
                return -1;
            }
            if (r->focus) {
                focus = 1;
                x0 = fmin(x0, lon), x1 = fmax(x1, lon), y0 = fmin(y0, lat), y1 = fmax(y1, lat);
            }
        }
    }
    /* the focus rings decide the map's scale, as the region does without them */
    if (focus && ((x1 > x0 && x1 - x0 < STORE_MIN_REGION_DEG) ||
                  (y1 > y0 && y1 - y0 < STORE_MIN_REGION_DEG))) {
        snprintf(err, errlen, "the map's focus rings span less than %g degrees",
                 STORE_MIN_REGION_DEG);
        return -1;
    }
    return 0;
}

static int check_pictures(const Model *m, char *err, size_t errlen)
{
    if (m->n_pictures > STORE_MAX_PICTURES || m->n_posters > STORE_MAX_PICTURES) {
        snprintf(err, errlen, "more than %d pictures", STORE_MAX_PICTURES);
        return -1;
    }
    for (int i = 0; i < m->n_pictures; i++) {
        const Picture *p = &m->pictures[i];
        if (p->id <= 0 || model_picture(m, p->id) != p || p->n_levels < 1) {
            snprintf(err, errlen, "picture %d: duplicate id or no stored size", p->id);
            return -1;
        }
        for (int l = 0; l < p->n_levels; l++) {
            if (p->levels[l].width < 1 || p->levels[l].height < 1) {
                utf8_format_cut(err, errlen, "picture %s: stored size out of range (at most "
                                "%d pixels a side)", p->name, STORE_MAX_PICTURE_SIDE);
                return -1;
            }
        }
        if (check_text("picture", p->name, "name", p->name, err, errlen) ||
            check_text("picture", p->name, "alt", p->alt, err, errlen)) {
            return -1;
        }
    }
    for (int i = 0; i < m->n_posters; i++) {
        if (!model_picture(m, m->posters[i].picture) ||
            check_text("poster", NULL, "caption", m->posters[i].caption, err, errlen)) {
            if (!model_picture(m, m->posters[i].picture)) {
                snprintf(err, errlen, "poster %d: no such picture", i + 1);
            }
            return -1;
        }
    }
    for (int v = -1; v < m->n_campaign_variants; v++) {
        const Campaign *c = v < 0 ? &m->campaign : &m->campaign_variants[v].campaign;
        for (int i = 0; i < c->n_blocks; i++) {
            if (c->blocks[i].kind == BLOCK_IMAGE && !model_picture(m, c->blocks[i].picture)) {
                snprintf(err, errlen, "campaign: text block %d names a missing picture", i + 1);
                return -1;
            }
        }
    }
    if (m->campaign.logo && !model_picture(m, m->campaign.logo)) {
        snprintf(err, errlen, "campaign: the logo picture is missing");
        return -1;
    }
    return 0;
}

int store_check_model(const Model *m, char *err, size_t errlen)
{
    if (check_pictures(m, err, errlen)) {
        return -1;
    }
    const Campaign *c = &m->campaign;
    const struct {
        const char *k, *v;
    } texts[] = { { "title", c->title },         { "hashtag", c->hashtag },
                  { "subtitle", c->subtitle },   { "url", c->url },
                  { "url_label", c->url_label }, { "source", c->source },
                  { "map_title", c->map_title }, { "map_note", c->map_note } };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        if (check_text("campaign", NULL, texts[i].k, texts[i].v, err, errlen)) {
            return -1;
        }
    }
    if (c->url && store_check_url(c->url) != 0) {
        snprintf(err, errlen, "campaign: 'url' is not a web address starting with https:// or "
                 "http://, without spaces, of at most %d bytes", STORE_MAX_URL_BYTES);
        return -1;
    }
    for (int i = 0; i < c->n_figures; i++) {
        if (check_text("campaign", "figure", "value", c->figures[i].value, err, errlen) ||
            check_text("campaign", "figure", "label", c->figures[i].label, err, errlen)) {
            return -1;
        }
    }
    for (int i = 0; i < c->n_blocks; i++) {
        for (int j = 0; j < c->blocks[i].n_spans; j++) {
            if (check_text("campaign", "text", "paragraph", c->blocks[i].spans[j].text, err,
                           errlen)) {
                return -1;
            }
        }
    }
    if (check_map(&m->map, err, errlen)) {
        return -1;
    }
    const MapGeo *g = &m->map;
    for (int i = 0; i < m->n_sites; i++) {
        const Site *t = &m->sites[i];
        const char *id = t->id ? t->id : "?";
        const struct {
            const char *k, *v;
        } f[] = { { "id", t->id },     { "name", t->name }, { "organisation", t->organisation },
                  { "city", t->city }, { "kind", t->kind }, { "address", t->address },
                  { "url", t->url } };
        for (size_t k = 0; k < sizeof f / sizeof *f; k++) {
            if (check_text("site", id, f[k].k, f[k].v, err, errlen)) {
                return -1;
            }
        }
        /* the build's rule: on the map, give or take STORE_SITE_MARGIN_DEG (and the
         * rounding of the region to six decimals in meta) */
        double mg = STORE_SITE_MARGIN_DEG + 1e-6;
        if (!finite_in(t->lat, g->lat0 - mg, g->lat1 + mg) ||
            !finite_in(t->lon, g->lon0 - mg, g->lon1 + mg)) {
            utf8_format_cut(err, errlen, "site '%s' at %g, %g lies outside the map region", id,
                            t->lat, t->lon);
            return -1;
        }
    }
    for (int i = 0; i < m->n_events; i++) {
        const Event *e = &m->events[i];
        char name[48];
        snprintf(name, sizeof name, "%d", i + 1);
        if (check_text("event", name, "title", e->title, err, errlen) ||
            check_text("event", name, "place", e->place, err, errlen) ||
            check_text("event", name, "description", e->description, err, errlen)) {
            return -1;
        }
    }
    for (int i = 0; i < m->n_variants; i++) {
        const TextVariant *v = &m->variants[i];
        if (check_text(v->item, v->lang, v->field, v->value, err, errlen)) {
            return -1;
        }
    }
    for (int i = 0; i < m->n_campaign_variants; i++) {
        const Campaign *t = &m->campaign_variants[i].campaign;
        const char *l = m->campaign_variants[i].lang;
        const char *tv[] = { t->title, t->hashtag, t->subtitle, t->url_label, t->source,
                             t->map_title, t->map_note };
        for (size_t k = 0; k < sizeof tv / sizeof *tv; k++) {
            if (check_text("campaign", l, "text", tv[k], err, errlen)) {
                return -1;
            }
        }
        for (int k = 0; k < t->n_figures; k++) {
            if (check_text("campaign", l, "figure", t->figures[k].value, err, errlen) ||
                check_text("campaign", l, "figure", t->figures[k].label, err, errlen)) {
                return -1;
            }
        }
        for (int k = 0; k < t->n_blocks; k++) {
            for (int j = 0; j < t->blocks[k].n_spans; j++) {
                if (check_text("campaign", l, "paragraph", t->blocks[k].spans[j].text, err,
                               errlen)) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

int store_load_path(const char *path, Model *m)
{
    return store_load_lang_path(path, NULL, m);
}

int store_load_lang_path(const char *path, const char *lang, Model *m)
{
    char err[sizeof m->problem];
    Store *s;
    model_free(m);
    if (store_open(path, &s, err, sizeof err) == 0) {
        int rc = store_load_lang(s, lang, m, err, sizeof err);
        store_close(s);
        if (rc == 0) {
            return 0;
        }
    }
    utf8_copy_cut(m->problem, sizeof m->problem, err);
    return -1;
}

static int fsync_path(const char *path, int directory)
{
    int fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int insert_kv(sqlite3 *db, const char *sql, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

static int write_map_and_sites(sqlite3 *db, const Model *m)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO map_ring VALUES(?, ?, ?, ?)", -1, &st, NULL)) {
        return -1;
    }
    for (int i = 0; i < m->map.n_rings; i++) {
        const MapRing *r = &m->map.rings[i];
        /* float32 pairs, little-endian as on every target (x86-64, arm64, armhf) */
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_int(st, 2, r->focus);
        sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, r->lonlat, (int)(sizeof(float) * 2 * (size_t)r->n), SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "INSERT INTO site VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st,
                           NULL)) {
        return -1;
    }
    for (int i = 0; i < m->n_sites; i++) {
        const Site *t = &m->sites[i];
        const char *texts[] = { t->id, t->name, t->organisation, t->city };
        for (int k = 0; k < 4; k++) {
            sqlite3_bind_text(st, k + 1, texts[k], -1, SQLITE_STATIC);
        }
        sqlite3_bind_double(st, 5, t->lat);
        sqlite3_bind_double(st, 6, t->lon);
        sqlite3_bind_text(st, 7, t->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, t->address, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, t->url, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 10, t->demo);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

static int write_events(sqlite3 *db, const Model *m)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO event VALUES(?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL)) {
        return -1;
    }
    for (int i = 0; i < m->n_events; i++) {
        const Event *e = &m->events[i];
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, e->start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->end, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, e->all_day);
        sqlite3_bind_text(st, 5, e->title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, e->place, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, e->description, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

static int insert_translation(sqlite3_stmt *st, const char *lang, const char *item,
                              const char *field, const char *value)
{
    if (!value) {
        return 0;
    }
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, value, -1, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static int write_blocks(sqlite3 *db, const char *lang, const Campaign *c)
{
    static const char *const kinds[] = { "paragraph", "heading", "item", "image" };
    sqlite3_stmt *b = NULL, *sp = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "INSERT INTO translation_block VALUES(?, ?, ?, ?)", -1, &b,
                           NULL) ||
        sqlite3_prepare_v2(db, "INSERT INTO translation_span VALUES(?, ?, ?, ?, ?)", -1, &sp,
                           NULL)) {
        goto done;
    }
    for (int i = 0; i < c->n_blocks; i++) {
        sqlite3_reset(b);
        sqlite3_bind_text(b, 1, lang, -1, SQLITE_STATIC);
        sqlite3_bind_int(b, 2, i);
        sqlite3_bind_text(b, 3, kinds[c->blocks[i].kind], -1, SQLITE_STATIC);
        sqlite3_bind_int(b, 4, c->blocks[i].kind == BLOCK_IMAGE ? c->blocks[i].picture
                                                                 : c->blocks[i].level);
        if (sqlite3_step(b) != SQLITE_DONE) {
            goto done;
        }
        for (int j = 0; j < c->blocks[i].n_spans; j++) {
            sqlite3_reset(sp);
            sqlite3_bind_text(sp, 1, lang, -1, SQLITE_STATIC);
            sqlite3_bind_int(sp, 2, i);
            sqlite3_bind_int(sp, 3, j);
            sqlite3_bind_int(sp, 4, c->blocks[i].spans[j].bold);
            sqlite3_bind_text(sp, 5, c->blocks[i].spans[j].text, -1, SQLITE_STATIC);
            if (sqlite3_step(sp) != SQLITE_DONE) {
                goto done;
            }
        }
    }
    rc = 0;
done:
    sqlite3_finalize(b);
    sqlite3_finalize(sp);
    return rc;
}

static int write_translations(sqlite3 *db, const Model *m)
{
    if (m->n_variants == 0 && m->n_campaign_variants == 0) {
        return 0; /* schema 3: there are no tables for them */
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO translation VALUES(?, ?, ?, ?)", -1, &st,
                           NULL)) {
        return -1;
    }
    int rc = 0;
    for (int i = 0; rc == 0 && i < m->n_campaign_variants; i++) {
        const CampaignVariant *cv = &m->campaign_variants[i];
        const Campaign *t = &cv->campaign;
        const char *keys[] = { "title",  "hashtag",   "subtitle", "url_label",
                               "source", "map_title", "map_note" };
        const char *vals[] = { t->title,  t->hashtag,   t->subtitle, t->url_label,
                               t->source, t->map_title, t->map_note };
        for (size_t k = 0; rc == 0 && k < sizeof keys / sizeof *keys; k++) {
            rc = insert_translation(st, cv->lang, "campaign", keys[k], vals[k]);
        }
        for (int k = 0; rc == 0 && k < t->n_figures; k++) {
            char item[32];
            snprintf(item, sizeof item, "figure:%d", k);
            rc = insert_translation(st, cv->lang, item, "value", t->figures[k].value);
            if (rc == 0) {
                rc = insert_translation(st, cv->lang, item, "label", t->figures[k].label);
            }
        }
        if (rc == 0) {
            rc = write_blocks(db, cv->lang, t);
        }
    }
    for (int i = 0; rc == 0 && i < m->n_variants; i++) {
        const TextVariant *v = &m->variants[i];
        rc = insert_translation(st, v->lang, v->item, v->field, v->value);
    }
    sqlite3_finalize(st);
    return rc;
}

static int write_pictures(sqlite3 *db, const Model *m)
{
    sqlite3_stmt *pi = NULL, *lv = NULL, *po = NULL;
    int rc = -1;
    if (m->n_pictures == 0) {
        return 0; /* schema 3 or 4: there are no tables for them */
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO picture VALUES(?, ?, ?)", -1, &pi, NULL) ||
        sqlite3_prepare_v2(db, "INSERT INTO picture_level VALUES(?, ?, ?, ?, ?, ?)", -1, &lv,
                           NULL) ||
        sqlite3_prepare_v2(db, "INSERT INTO poster VALUES(?, ?, ?, ?, ?)", -1, &po, NULL)) {
        goto done;
    }
    for (int i = 0; i < m->n_pictures; i++) {
        const Picture *p = &m->pictures[i];
        sqlite3_reset(pi);
        sqlite3_bind_int(pi, 1, p->id);
        sqlite3_bind_text(pi, 2, p->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(pi, 3, p->alt, -1, SQLITE_STATIC);
        if (sqlite3_step(pi) != SQLITE_DONE) {
            goto done;
        }
        for (int l = 0; l < p->n_levels; l++) {
            const PictureLevel *v = &p->levels[l];
            sqlite3_reset(lv);
            sqlite3_bind_int(lv, 1, p->id);
            sqlite3_bind_int(lv, 2, l);
            sqlite3_bind_int(lv, 3, v->width);
            sqlite3_bind_int(lv, 4, v->height);
            sqlite3_bind_text(lv, 5, v->format == PICTURE_PNG ? "png" : "jpeg", -1,
                              SQLITE_STATIC);
            sqlite3_bind_blob64(lv, 6, v->data, v->len, SQLITE_STATIC);
            if (sqlite3_step(lv) != SQLITE_DONE) {
                goto done;
            }
        }
    }
    for (int i = 0; i < m->n_posters; i++) {
        const Poster *p = &m->posters[i];
        sqlite3_reset(po);
        sqlite3_bind_int(po, 1, i);
        sqlite3_bind_int(po, 2, p->picture);
        sqlite3_bind_text(po, 3, p->caption, -1, SQLITE_STATIC);
        sqlite3_bind_text(po, 4, p->valid_from, -1, SQLITE_STATIC);
        sqlite3_bind_text(po, 5, p->valid_until, -1, SQLITE_STATIC);
        if (sqlite3_step(po) != SQLITE_DONE) {
            goto done;
        }
    }
    rc = 0;
done:
    sqlite3_finalize(pi);
    sqlite3_finalize(lv);
    sqlite3_finalize(po);
    return rc;
}

static int write_model(sqlite3 *db, const Model *m)
{
    const Campaign *c = &m->campaign;
    char ver[32];
    char ddl[2048];
    snprintf(ver, sizeof ver, "%lld", (long long)m->content_version);
    /* German only: schema 3, which displays from before the translations read too; a
     * bump only where it is needed */
    int pictures = m->n_pictures > 0;
    int translated = pictures || m->n_variants > 0 || m->n_campaign_variants > 0;
    snprintf(ddl, sizeof ddl, "BEGIN; %s %s %s PRAGMA user_version=%d;", schema_sql,
             translated ? schema4_sql : "", pictures ? schema5_sql : "",
             pictures ? 5 : translated ? 4 : 3);
    if (sqlite3_exec(db, ddl, NULL, NULL, NULL) != SQLITE_OK) {
        return -1;
    }
    const char *kv = "INSERT INTO meta(key, value) VALUES(?, ?)";
    char region[128];
    snprintf(region, sizeof region, "%.6f %.6f %.6f %.6f", m->map.lon0, m->map.lat0,
             m->map.lon1, m->map.lat1);
    if (insert_kv(db, kv, "content_version", ver) || insert_kv(db, kv, "created", m->created) ||
        insert_kv(db, kv, "map_region", region)) {
        return -1;
    }
    /* the site's screen times (screen.csv) are not the campaign's: meta, like created */
    if ((m->screen_on[0] && insert_kv(db, kv, "screen_on", m->screen_on)) ||
        (m->screen_off_days[0] && insert_kv(db, kv, "screen_off_days", m->screen_off_days))) {
        return -1;
    }
    if (write_map_and_sites(db, m) || write_events(db, m) || write_translations(db, m) ||
        write_pictures(db, m)) {
        return -1;
    }
    const char *ck = "INSERT INTO campaign(key, value) VALUES(?, ?)";
    const struct {
        const char *k;
        const char *v;
    } texts[] = { { "title", c->title },       { "hashtag", c->hashtag },
                  { "subtitle", c->subtitle }, { "url", c->url },
                  { "url_label", c->url_label }, { "source", c->source },
                  { "map_title", c->map_title }, { "map_note", c->map_note } };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        if (texts[i].v && insert_kv(db, ck, texts[i].k, texts[i].v)) {
            return -1;
        }
    }
    char logo[16];
    snprintf(logo, sizeof logo, "%d", c->logo);
    if ((c->logo && insert_kv(db, ck, "logo", logo)) ||
        (c->valid_from[0] && insert_kv(db, ck, "valid_from", c->valid_from)) ||
        (c->valid_until[0] && insert_kv(db, ck, "valid_until", c->valid_until))) {
        return -1;
    }
    const struct {
        const char *k;
        uint32_t v;
    } colors[] = { { "color_primary", c->color_primary },
                   { "color_background", c->color_background },
                   { "color_text", c->color_text },
                   { "color_accent", c->color_accent } };
    for (size_t i = 0; i < sizeof colors / sizeof *colors; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, ck, -1, &st, NULL) != SQLITE_OK) {
            return -1;
        }
        sqlite3_bind_text(st, 1, colors[i].k, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, colors[i].v);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            return -1;
        }
    }
    for (int i = 0; i < c->n_figures; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "INSERT INTO campaign_figure VALUES(?, ?, ?)", -1, &st,
                               NULL) != SQLITE_OK) {
            return -1;
        }
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, c->figures[i].value, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, c->figures[i].label, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            return -1;
        }
    }
    static const char *const kinds[] = { "paragraph", "heading", "item", "image" };
    for (int i = 0; i < c->n_blocks; i++) {
        const Block *b = &c->blocks[i];
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "INSERT INTO campaign_block VALUES(?, ?, ?)", -1, &st,
                               NULL) != SQLITE_OK) {
            return -1;
        }
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, kinds[b->kind], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, b->kind == BLOCK_IMAGE ? b->picture : b->level);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            return -1;
        }
        for (int j = 0; j < b->n_spans; j++) {
            if (sqlite3_prepare_v2(db, "INSERT INTO campaign_span VALUES(?, ?, ?, ?)", -1, &st,
                                   NULL) != SQLITE_OK) {
                return -1;
            }
            sqlite3_bind_int(st, 1, i);
            sqlite3_bind_int(st, 2, j);
            sqlite3_bind_int(st, 3, b->spans[j].bold);
            sqlite3_bind_text(st, 4, b->spans[j].text, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc != SQLITE_DONE) {
                return -1;
            }
        }
    }
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int store_create(const char *path, const Model *m, char *err, size_t errlen)
{
    char tmp[1100];
    sqlite3 *db = NULL;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, db ? sqlite3_errmsg(db) : "?");
        goto fail;
    }
    if (write_model(db, m) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", tmp, sqlite3_errmsg(db));
        goto fail;
    }
    if (sqlite3_close(db) != SQLITE_OK) {
        db = NULL;
        snprintf(err, errlen, "%s: cannot close", tmp);
        goto fail;
    }
    db = NULL;
    if (fsync_path(tmp, 0) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", path);
    fsync_path(dirname(dir), 1);
    return 0;
fail:
    sqlite3_close(db);
    unlink(tmp);
    return -1;
}

/* Reads the pointer file DIR/which (current or previous) into buf as a path. */
static int read_pointer(const char *state_dir, const char *which, char *buf, size_t len,
                        char *err, size_t errlen)
{
    char ptr[1100], name[256];
    snprintf(ptr, sizeof ptr, "%s/%s", state_dir, which);
    FILE *f = fopen(ptr, "r");
    if (!f) {
        snprintf(err, errlen, "%s: no content installed yet (%s)", ptr, strerror(errno));
        return -1;
    }
    char *got = fgets(name, sizeof name, f);
    fclose(f);
    if (got) {
        name[strcspn(name, "\r\n")] = '\0';
    }
    /* the pointer names a file inside the state directory, never a path */
    if (!got || !name[0] || strchr(name, '/') || name[0] == '.') {
        snprintf(err, errlen, "%s: malformed content pointer", ptr);
        return -1;
    }
    snprintf(buf, len, "%s/%s", state_dir, name);
    return 0;
}

int store_current_path(const char *state_dir, char *buf, size_t len, char *err, size_t errlen)
{
    return read_pointer(state_dir, "current", buf, len, err, errlen);
}

static int regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int store_content_path(const char *state_dir, const char *fallback, char *buf, size_t len,
                       char *err, size_t errlen)
{
    char cur[1400], prev[1400], why[3000];
    int has_cur = read_pointer(state_dir, "current", cur, sizeof cur, err, errlen) == 0;
    if (has_cur && regular_file(cur)) {
        snprintf(buf, len, "%s", cur);
        return 0;
    }
    if (!has_cur) {
        snprintf(why, sizeof why, "%s", err); /* nothing installed yet */
    } else {
        snprintf(why, sizeof why, "%s/current names %s, which is missing", state_dir, cur);
        if (read_pointer(state_dir, "previous", prev, sizeof prev, err, errlen) == 0 &&
            regular_file(prev)) {
            log_warn("store", "%s; showing the previous version %s", why, prev);
            snprintf(buf, len, "%s", prev);
            return 0;
        }
    }
    if (fallback && fallback[0] && access(fallback, R_OK) == 0) {
        if (has_cur) {
            log_warn("store", "%s and there is no previous version; showing %s (fallback_db)", why,
                     fallback);
        }
        snprintf(buf, len, "%s", fallback);
        return 0;
    }
    if (has_cur) {
        snprintf(err, errlen, "%s, and neither a previous version nor fallback_db is there", why);
    }
    return -1;
}
