/* build: turns the human-editable sources in a content folder (campaign.md; later
 * sites.csv, schedule.csv, *.ics) into an SQLite content database. Owns parsing and
 * validation: whatever it writes, the display can show. Errors name file, line and
 * reason, e.g. "content/campaign.md:3: unknown front matter key 'titel'". */
#ifndef LITFASS_BUILD_H
#define LITFASS_BUILD_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>

#define BUILD_MAX_SOURCE_BYTES (256 * 1024)
#define BUILD_MAX_FIGURES 8
#define BUILD_MAX_BLOCKS 200
#define BUILD_MAX_FIELD_CHARS 160
#define BUILD_MAX_URL_BYTES 256
#define BUILD_MAX_SITES 20000
#define BUILD_MAX_MAP_POINTS 200000
#define BUILD_MAX_MAP_RINGS 5000
#define BUILD_MAX_EVENTS 5000

typedef struct {
    Event *v;
    int n, cap;
} EventList;

void event_list_free(EventList *l);

/* Reads a yes/no cell: 1 (ja, yes, true, 1, x), -1 (nein, no, false, 0), 0 when
 * empty. Returns 0, or -1 for anything else. */
int build_parse_yes_no(const char *v, int *out);

/* Parses schedule.csv (columns by header: start, end, all_day, title, place,
 * description; German names Beginn, Ende, ganztägig, Titel, Ort, Beschreibung too) and
 * appends to out. Dates as 2021-06-01 15:30 or 01.06.2021 15:30; a start without a
 * time is all-day; an all-day end names the last day. Returns 0, or -1 with err
 * "FILE:LINE: reason". */
int build_parse_schedule_csv(const char *path, const char *text, size_t len, EventList *out,
                             char *err, size_t errlen);

/* Parses an iCalendar file with libical and appends its events to out; recurrences
 * are expanded from a year before now_ms to two years after (at most 1000 each).
 * Returns 0, or -1 with err naming the file, the event's line and the reason. */
int build_parse_ics(const char *path, const char *text, size_t len, int64_t now_ms,
                    EventList *out, char *err, size_t errlen);

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
