/* build: turns the human-editable sources in a content folder (campaign.md; later
 * sites.csv, schedule.csv, *.ics) into an SQLite content database. Owns parsing and
 * validation: whatever it writes, the display can show. Errors name file, line and
 * reason, e.g. "content/campaign.md:3: unknown front matter key 'titel'". */
#ifndef LITFASS_BUILD_H
#define LITFASS_BUILD_H

#include "content/build_limits.h"
#include "content/build_report.h"
#include "store/model.h"

#include <stddef.h>
#include <stdint.h>

/* Parses campaign Markdown with front matter from text[0..len); path is used in
 * messages only. On success fills *out (free with campaign_free) and returns 0;
 * on failure returns -1, leaves *out empty and writes one line to err. */
int build_parse_campaign(const char *path, const char *text, size_t len, Campaign *out,
                         char *err, size_t errlen);

/* The same, reporting every problem (and the encoding it assumed) to r. */
int build_parse_campaign_report(const char *path, const char *text, size_t len,
                                Campaign *out, BuildReport *r);

/* Parses map geometry (see assets/README.md) from text[0..len). Returns 0 and fills
 * *out (free with map_geo_free), or -1 with err "FILE:LINE: reason". */
int build_parse_geo(const char *path, const char *text, size_t len, MapGeo *out, char *err,
                    size_t errlen);
int build_parse_geo_report(const char *path, const char *text, size_t len, MapGeo *out,
                           BuildReport *r);

/* Parses sites CSV (columns by heading, English or German: id, name/Name,
 * organisation/Organisation, city/Stadt, latitude/Breitengrad, longitude/Längengrad,
 * kind/Art, and optional address/Adresse, url/Webseite, demo/Beispieldaten). Sites
 * outside region (when not NULL) are rejected. Returns 0 with out and n set (free with
 * sites_free), or -1 after reporting every bad row to r. */
int build_parse_sites_report(const char *path, const char *text, size_t len,
                             const MapGeo *region, Site **out, int *n, BuildReport *r);

/* The same, with the per-language columns (name_ar, city_uk, ...): each translated
 * cell becomes a variant of "site:<id>" in tr (when not NULL). */
int build_parse_sites_lang_report(const char *path, const char *text, size_t len,
                                  const MapGeo *region, Site **out, int *n, Model *tr,
                                  BuildReport *r);

/* build_parse_sites_report with every error, one a line, in err. */
int build_parse_sites(const char *path, const char *text, size_t len, const MapGeo *region,
                      Site **out, int *n, char *err, size_t errlen);

/* Builds the content database out_path from src_dir with content version `version`
 * and creation time created_ms. The map geometry is src_dir/map.geo when present,
 * else map_path (NULL: the installed default asset). Every source is read and every
 * problem reported to r (notes too, e.g. an encoding assumed); with any error nothing
 * is written. Writes to a temporary file and renames it into place, so a failed build
 * never leaves a partial database. Returns 0 or -1. */
int build_content_report(const char *src_dir, const char *out_path, int64_t version,
                         int64_t created_ms, const char *map_path, BuildReport *r);

/* build_content_report with every error, one a line, in err. */
int build_content(const char *src_dir, const char *out_path, int64_t version,
                  int64_t created_ms, const char *map_path, char *err, size_t errlen);

/* The version a build takes without --version: the local time of now_ms as the
 * number YYYYMMDDHHMM (202106011530), so that it is newer than every earlier build
 * and than any small hand-picked number; if the output file or another *.litfass
 * bundle in its folder already has that version or a higher one, one more than the
 * highest of them, so that two builds within a minute still differ. */
int64_t build_default_version(int64_t now_ms, const char *out_path);

/* The map geometry used when neither the content nor the caller names one. */
extern const char *const build_default_map;

#endif
