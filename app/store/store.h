/* store: owns the content database — its schema (PRAGMA user_version), writing a
 * Model into a new database, and opening one read-only with SQLite's defences for
 * files that came from elsewhere. Nothing else in Litfass talks to SQLite. */
#ifndef LITFASS_STORE_H
#define LITFASS_STORE_H

#include "store/model.h"

#include <stddef.h>

/* 5 adds pictures (tables picture, picture_level, poster; campaign key logo);
 * 4 adds the translations (tables translation, translation_block, translation_span);
 * 3 (German only) is still read. The build writes the oldest schema that holds the
 * content, so that content without pictures still reaches displays from before. */
#define STORE_SCHEMA_VERSION 5
#define STORE_SCHEMA_OLDEST 3

/* 1 if a display reads content databases of this schema version. */
int store_schema_supported(long long version);

/* What a content database may hold (the build checks the same before it writes). */
#define STORE_MAX_TEXT 8192          /* bytes of any one text */
#define STORE_MAX_URL_BYTES 256      /* the campaign's web address (a QR code) */
#define STORE_MAX_REGION_LAT 85      /* the map region's latitudes, -85..85 */
#define STORE_MIN_REGION_DEG 0.01    /* the map region's (and focus rings') least extent */
#define STORE_SITE_MARGIN_DEG 0.5    /* how far a site may lie outside the region */
#define STORE_MAX_PICTURES 200       /* pictures in one content database */
#define STORE_MAX_PICTURE_BYTES (12 * 1024 * 1024) /* one encoded picture level */
#define STORE_MAX_PICTURE_SIDE 8192  /* pixels of a stored level's longer side */

typedef struct Store Store;

/* Opens the content database at path read-only and checks it: SQLite header,
 * integrity, schema version, required tables. On success *out is the handle and 0 is
 * returned; on failure *out is NULL, -1 is returned and err says why in one line. */
int store_open(const char *path, Store **out, char *err, size_t errlen);

/* The schema version of the open database (3 or 4): what a signature names. */
int store_schema(const Store *s);

/* Closes the handle. Accepts NULL. */
void store_close(Store *s);

/* Reads the whole content into *m (release with model_free). Returns 0, or -1 with
 * err set when the content is not sane (then *m is left with has_content = 0). */
int store_load(Store *s, Model *m, char *err, size_t errlen);

/* Reads the content in language lang ("ar"; NULL or "de": German, the reference) into
 * *m: every text with a translation in lang replaced by it, every other one German.
 * Pages get this model and need not know about languages. Returns as store_load. */
int store_load_lang(Store *s, const char *lang, Model *m, char *err, size_t errlen);

/* The languages other than German that the content has translations for, as codes
 * separated by commas ("ar,en"), into buf ("" for none). Returns 0, or -1 with err. */
int store_languages(Store *s, char *buf, size_t len, char *err, size_t errlen);

/* Reads the encoded bytes of level `level` of picture `id` into a new buffer *data
 * (free() it) of *len bytes, with the level's size and format as the database states
 * them (the decoder checks that the bytes agree). Returns 0, or -1 with err set. */
int store_picture_read(Store *s, int id, int level, unsigned char **data, size_t *len,
                       PictureLevel *info, char *err, size_t errlen);

/* store_load_path in language lang (see store_load_lang). */
int store_load_lang_path(const char *path, const char *lang, Model *m);

/* Opens, loads and closes path in one go; on any failure *m says "no content" with
 * the reason in m->problem. Returns 0 when content was loaded. */
int store_load_path(const char *path, Model *m);

/* Checks what a model may hold beyond valid UTF-8: every text at most STORE_MAX_TEXT
 * bytes and without more than UTF8_MAX_MARK_RUN combining marks in a row, the web
 * address, the map region and rings (finite, in range, not vanishingly small), sites
 * on the map. store_load runs it on what it read; the build runs it before writing,
 * so that nothing the build accepts is refused by a display. Returns 0, or -1 with
 * err naming the item and field (without a file name). */
int store_check_model(const Model *m, char *err, size_t errlen);

/* 0 if url is a web address the display shows as a QR code: http:// or https://, at
 * most STORE_MAX_URL_BYTES, no spaces or control characters; else -1. */
int store_check_url(const char *url);

/* Writes m into a new content database at path (via a temporary file, fsync and
 * rename): schema 4 when m has translations, else schema 3, which displays from before
 * the translations read as well. Returns 0, or -1 with err set; on failure no file is
 * left at path. */
int store_create(const char *path, const Model *m, char *err, size_t errlen);

/* Resolves the content database of a state directory: DIR/current names the file.
 * Writes the path into buf and returns 0, or -1 with err set. */
int store_current_path(const char *state_dir, char *buf, size_t len, char *err,
                       size_t errlen);

/* Resolves what a display shows from a state directory: the file `current` names;
 * if that file is missing (lost, or removed by hand), the file `previous` names; then
 * fallback (a content database path; NULL or "" for none) — each step down logged
 * with what is missing. Writes the path into buf and returns 0, or -1 with err set
 * ("no content installed yet" when there is no pointer and no fallback). */
int store_content_path(const char *state_dir, const char *fallback, char *buf, size_t len,
                       char *err, size_t errlen);

#endif
