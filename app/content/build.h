/* build: turns the human-editable sources in a content folder (campaign.md; later
 * sites.csv, schedule.csv, *.ics) into an SQLite content database. Owns parsing and
 * validation: whatever it writes, the display can show. Errors name file, line and
 * reason, e.g. "content/campaign.md:3: unknown front matter key 'titel'". */
#ifndef LITFASS_BUILD_H
#define LITFASS_BUILD_H

#include "content/build_limits.h"
#include "store/model.h"

#include <stddef.h>
#include <stdint.h>

/* Parses campaign Markdown with front matter from text[0..len); path is used in
 * messages only. On success fills *out (free with campaign_free) and returns 0;
 * on failure returns -1, leaves *out empty and writes one line to err. */
int build_parse_campaign(const char *path, const char *text, size_t len, Campaign *out,
                         char *err, size_t errlen);

/* Parses map geometry (see assets/README.md) from text[0..len). Returns 0 and fills
 * *out (free with map_geo_free), or -1 with err "FILE:LINE: reason". */
int build_parse_geo(const char *path, const char *text, size_t len, MapGeo *out, char *err,
                    size_t errlen);

/* Parses sites CSV (columns by header name: id, name, organisation, city, latitude,
 * longitude, kind, and optional address, url, demo). Sites outside region (when not
 * NULL) are rejected. Returns 0 with out and n set (free with sites_free), or -1 with err
 * "FILE:LINE: reason" naming the row. */
int build_parse_sites(const char *path, const char *text, size_t len, const MapGeo *region,
                      Site **out, int *n, char *err, size_t errlen);

/* Builds the content database out_path from src_dir with content version `version`
 * and creation time created_ms. The map geometry is src_dir/map.geo when present,
 * else map_path (NULL: the installed default asset). Writes to a temporary file and
 * renames it into place, so a failed build never leaves a partial database. Returns 0
 * or -1 with err set. */
int build_content(const char *src_dir, const char *out_path, int64_t version,
                  int64_t created_ms, const char *map_path, char *err, size_t errlen);

/* The map geometry used when neither the content nor the caller names one. */
extern const char *const build_default_map;

#endif
