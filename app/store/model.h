/* model: what the display shows, as plain C structs with no SDL or SQLite in
 * them. The store fills a Model; layout reads it. All strings are UTF-8 and owned
 * by the Model; model_free() releases them. */
#ifndef LITFASS_MODEL_H
#define LITFASS_MODEL_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *text;
    int bold;
} Span;

/* BLOCK_IMAGE: a Markdown picture on a line of its own, placed in the text flow; its one
 * span is the alt text. */
typedef enum { BLOCK_PARAGRAPH, BLOCK_HEADING, BLOCK_ITEM, BLOCK_IMAGE } BlockKind;

typedef struct {
    BlockKind kind;
    int level; /* heading level 1..6; 0 otherwise */
    Span *spans;
    int n_spans;
    int picture; /* BLOCK_IMAGE: the Picture's id */
    char *src;   /* BLOCK_IMAGE, build only: the file as the Markdown names it */
    int line;    /* BLOCK_IMAGE, build only: the Markdown line naming it */
} Block;

typedef struct {
    char *value; /* "900" */
    char *label; /* "Standorte bundesweit" */
} Figure;

/* Colours are 0xRRGGBB. */
typedef struct {
    char *title;
    char *hashtag;
    char *subtitle;
    char *url;
    char *url_label;
    char *source;
    uint32_t color_primary;
    uint32_t color_background;
    uint32_t color_text;
    uint32_t color_accent;
    Figure *figures;
    int n_figures;
    Block *blocks;
    int n_blocks;
    char *map_title; /* heading of the map page */
    char *map_note;  /* e.g. "900 Standorte bundesweit" */
    char valid_from[16];  /* "YYYY-MM-DD": the campaign page is shown from this day on, or "" */
    char valid_until[16]; /* "YYYY-MM-DD": the last day it is shown, or "" (no end) */
    int logo; /* front matter logo: the id of a Picture shown in the title band; 0: none */
    char *logo_src; /* build only: the logo's file as campaign.md names it, and the line */
    int logo_line;
} Campaign;

/* A picture as the build stored it: normalised once (orientation applied, sRGB) and
 * encoded at a few sizes, largest first, none larger than the source. A display's
 * model holds the levels' sizes only (data NULL); the bytes stay in the content
 * database until the renderer needs them (store_picture_read). */
#define MODEL_PICTURE_LEVELS 5
typedef enum { PICTURE_JPEG = 0, PICTURE_PNG = 1 } PictureFormat;

typedef struct {
    int width, height;
    PictureFormat format;
    unsigned char *data; /* build only: the encoded bytes */
    size_t len;
} PictureLevel;

typedef struct {
    int id;     /* > 0, the key in the content database */
    char *name; /* where it came from, relative to the content folder: "posters/a.png" */
    char *alt;  /* what it shows, in words (Markdown alt text, poster caption); may be NULL */
    PictureLevel levels[MODEL_PICTURE_LEVELS];
    int n_levels;
} Picture;

/* A poster: a picture shown full screen as a page of its own (posters/ folder). */
typedef struct {
    int picture;          /* Picture id */
    char *caption;        /* may be NULL */
    char valid_from[16];  /* "YYYY-MM-DD" or "" */
    char valid_until[16]; /* "YYYY-MM-DD" or "" */
} Poster;

/* A ring of the map geometry: lon/lat pairs in degrees (WGS84). */
typedef struct {
    int focus; /* 1: the region itself (Germany); 0: context (neighbours) */
    char name[8];
    float *lonlat; /* 2 * n floats */
    int n;
} MapRing;

typedef struct {
    double lon0, lat0, lon1, lat1; /* bounding box of the focus rings */
    MapRing *rings;
    int n_rings;
} MapGeo;

typedef struct {
    char *id;
    char *name;
    char *organisation;
    char *city;
    char *kind;    /* groups sites in the legend, e.g. "DRK" */
    char *address; /* optional */
    char *url;     /* optional */
    double lat, lon;
    int demo; /* example data, marked "Beispieldaten" on screen */
} Site;

/* A programme entry. Times are ISO 8601 text, resolved in the display's zone:
 * "2021-06-01" a date (all-day; end exclusive), "2021-06-01T15:30:00" local wall time,
 * "2021-06-01T13:30:00Z" an absolute time. end may be empty (a moment). */
typedef struct {
    char start[32];
    char end[32];
    int all_day;
    char *title;
    char *place;       /* may be NULL */
    char *description; /* may be NULL */
} Event;

/* One translated text of a site or an event (sites.csv's and schedule.csv's per-language
 * columns, e.g. name_ar, title_uk). The build fills these; a display reads them into the
 * model of one language instead (store_load_lang), so pages never see them. */
typedef struct {
    char lang[8];   /* "ar" */
    char *item;     /* "site:<id>" or "event:<position>" */
    char field[16]; /* "name", "title", ... */
    char *value;
} TextVariant;

/* campaign.<lang>.md: texts that replace the German ones field by field (NULL: German
 * stays); figures replace the German figure at the same position; blocks, when any,
 * replace the whole German text. Colours, address and dates are the German file's. */
typedef struct {
    char lang[8];
    Campaign campaign;
} CampaignVariant;

#define MODEL_SCREEN_ON_BYTES 640  /* 28 ranges "Mo 07:30-18:00, " */
#define MODEL_SCREEN_OFF_BYTES 800 /* 64 days "2026-12-24, " */

typedef struct {
    int has_content;   /* 0: show the "no content" page */
    char problem[256]; /* why there is no content, for the log */
    int64_t content_version;
    char created[32];
    /* the site's screen times from screen.csv, in the form of the configuration's
     * screen_on and screen_off_days ("" when the content has none) */
    char screen_on[MODEL_SCREEN_ON_BYTES];
    char screen_off_days[MODEL_SCREEN_OFF_BYTES];
    Campaign campaign;
    MapGeo map;
    Site *sites;
    int n_sites;
    Event *events;
    int n_events;
    Picture *pictures; /* every picture, each once, by id */
    int n_pictures;
    Poster *posters; /* in the order they are shown */
    int n_posters;
    /* translations, written by the build (empty in a model loaded for display) */
    CampaignVariant *campaign_variants;
    int n_campaign_variants;
    TextVariant *variants;
    int n_variants;
} Model;

/* Default theme, used when a source names no colours. */
#define MODEL_COLOR_PRIMARY 0xE60005u
#define MODEL_COLOR_BACKGROUND 0xFFFFFFu
#define MODEL_COLOR_TEXT 0x1A1A1Au
#define MODEL_COLOR_ACCENT 0x554F4Au

void campaign_init(Campaign *c);
/* Frees everything a Campaign owns and re-initialises it. Accepts NULL. */
void campaign_free(Campaign *c);
/* Frees everything a Model owns and resets it to "no content". Accepts NULL. */
void model_free(Model *m);

/* Frees what a MapGeo / the sites own. Accept NULL. */
void map_geo_free(MapGeo *g);
void sites_free(Site *sites, int n);
void events_free(Event *events, int n);
void pictures_free(Picture *p, int n);
void posters_free(Poster *p, int n);

/* The picture with this id, or NULL. */
const Picture *model_picture(const Model *m, int id);

/* Index of the stored level to draw a picture into a box of w x h pixels: the smallest
 * level that still covers the picture contained in the box (nearest above the need),
 * the largest level when none does. -1 for a picture without levels. */
int model_picture_level(const Picture *p, int w, int h);

/* Adds a translated text (copied) of item's field in lang to m. Returns 0. */
int model_add_variant(Model *m, const char *lang, const char *item, const char *field,
                      const char *value);

/* Appends a span to block b (the text is copied). Returns 0 or -1 on out of memory. */
int block_add_span(Block *b, const char *text, size_t len, int bold);

#endif
