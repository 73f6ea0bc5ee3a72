/* config: the display's settings. Defaults, then the INI file (inih), then
 * command-line flags: every key can be given as --key-name VALUE. Owns validation
 * of values, so that the rest of the program can trust a loaded Config. */
#ifndef LITFASS_CONFIG_H
#define LITFASS_CONFIG_H

#include <stddef.h>

#define CONFIG_DEFAULT_PATH "/etc/litfass/litfass.conf"

enum { TRANSITION_FADE, TRANSITION_SLIDE, TRANSITION_CUT };

typedef struct {
    char state_dir[512];
    char db[512]; /* when set, overrides state_dir's current content */
    char fallback_db[512]; /* shown while the state directory has nothing installed */
    int fullscreen;
    int window_w, window_h;
    char pages[256]; /* comma-separated page names */
    int page_seconds;
    int rotate;
    char timezone[64];
    char language[8];
    char languages[64]; /* "de,ar,uk,en" (normalised); empty: just `language` */
    int clock_trust; /* TrustSetting: auto (the system's signals), yes, no */
    char screen_on[256];       /* "Mo-Fr 07:30-18:00, Sa 09:00-13:00"; empty: always on */
    char screen_off_days[800]; /* "2026-12-24, 2026-12-25" */
    char font_dir[4096]; /* PATH_MAX: the default is compiled in from the build folder */
    char site_id[64];
    char trusted_keys[1024]; /* comma-separated public key files */
    int max_bundle_mb;
    int picture_cache_mb;       /* decoded pictures the display keeps, in MB */
    int transition;    /* issue 17: TRANSITION_FADE, TRANSITION_SLIDE or TRANSITION_CUT */
    int transition_ms; /* how long a page change takes (0: a cut) */
    int picture_max_megapixels; /* litfassctl build: pixels of one source picture */
    int picture_max_file_mb;    /* litfassctl build: bytes of one source picture file */
    int pictures_max_total_mb;  /* litfassctl build: all stored pictures of a bundle */
    char usb_roots[512]; /* comma-separated mount roots */
    char device_name[64];
    char sync_url[512]; /* empty: no network sync */
    int sync_interval_s;
    char ca_file[512];
    /* issue 18: reports to the fleet's web server; credentials apart from content trust */
    char report_url[512]; /* empty: no reports */
    int report_interval_s;
    char report_user[128];          /* HTTP basic auth user, with report_password_file */
    char report_password_file[512]; /* the password, first line of this file */
    char report_cert[512];          /* TLS client certificate (PEM), with report_key */
    char report_key[512];
    int report_plays_kb; /* bound of the local play log */
    int report_picture_s; /* at most one screen.png per this many seconds; 0: none */
} Config;

typedef struct {
    const char *section;
    const char *key;
    const char *help;
} ConfigKeyInfo;

/* Every key, for --help and the README. Terminated by a NULL key. */
extern const ConfigKeyInfo config_keys[];

/* The pages the display knows, in their default order; NULL-terminated. */
extern const char *const config_pages[];
int config_page_known(const char *page);

void config_defaults(Config *c);

/* The largest bundle accepted, in bytes (max_bundle_mb). */
long long config_max_bundle_bytes(const Config *c);

/* Reads an INI file. A missing file is an error only when required; anything that
 * is not a regular file (a directory, a FIFO), a file over 64 KB, a line longer than
 * inih reads whole (199 bytes) or a NUL byte is always an error. Returns 0, or -1
 * with err "FILE:LINE: reason" (or "FILE: reason"). */
int config_load(Config *c, const char *path, int required, char *err, size_t errlen);

/* Sets one key from text (as in the INI file). Returns 0, or -1 with err. */
int config_set(Config *c, const char *key, const char *value, char *err, size_t errlen);

/* The languages the screen shows, in order: `languages`, or `language` alone when
 * that is not set. Fills codes (static strings, at most max) and returns
 * their number (at least 1). The first is the process's language (reports, notices). */
int config_languages(const Config *c, const char *codes[], int max);

/* Checks and normalises a language list "de, ar ,uk" into out ("de,ar,uk"): known
 * codes, none twice, at least one. Returns 0, or -1 with err naming the bad code. */
int config_parse_languages(const char *v, char *out, size_t outlen, char *err, size_t errlen);

/* Applies a flag "--key-name" with its value (NULL for --fullscreen). Returns the
 * number of argv entries used (1 or 2), 0 if the flag is not a config key, or -1 on a
 * bad value (err set). */
int config_flag(Config *c, const char *flag, const char *value, char *err, size_t errlen);

#endif
