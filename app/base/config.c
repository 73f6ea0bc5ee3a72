/* config: one table drives the INI parser, the flags and the documentation, so a
 * key cannot exist in one and be missing in another. */
#define _POSIX_C_SOURCE 200809L
#include "base/config.h"

#include "base/clock.h"
#include "base/screentime.h"
#include "base/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The longest line inih reads whole: its buffer holds INI_MAX_LINE bytes with the
 * terminator, and the line's '\n' may come in the next read. */
#define CONFIG_MAX_LINE (INI_MAX_LINE - 1)
#define CONFIG_MAX_FILE_BYTES (64 * 1024)

#ifndef LITFASS_FONT_DIR
#define LITFASS_FONT_DIR "/usr/share/litfass/fonts"
#endif

const ConfigKeyInfo config_keys[] = {
    { "content", "state_dir", "state directory with the installed content (default /var/lib/litfass)" },
    { "content", "db", "show this content database instead of the state directory's" },
    { "content", "fallback_db", "content shown until the first bundle is installed (the package's default)" },
    { "display", "fullscreen", "true: full screen without cursor; false: a window" },
    { "display", "window", "window size WxH when not full screen (default 1280x720)" },
    { "display", "pages", "pages in rotation, comma-separated (default campaign,map,schedule,posters)" },
    { "display", "page_seconds", "seconds each page stays on screen (3..3600, default 20)" },
    { "display", "rotate", "screen rotation in degrees: 0, 90, 180 or 270" },
    { "display", "site_id", "id of this kiosk's own site (highlighted on the map)" },
    { "display", "font_dir", "folder with NotoSans-Regular.ttf and NotoSans-Bold.ttf" },
    { "bundles", "trusted_keys", "public keys (minisign) whose bundles are accepted, comma-separated" },
    { "bundles", "max_bundle_mb", "largest bundle accepted, in MB (1..4096, default 64)" },
    { "display", "transition",
      "how one page turns into the next: fade, slide or cut (default fade)" },
    { "display", "transition_ms",
      "how long a fade or slide takes, in milliseconds (0..3000, default 600; 0: a cut)" },
    { "display", "picture_cache_mb",
      "decoded pictures kept for drawing, in MB (8..2048, default 128; 4 bytes a pixel)" },
    { "build", "picture_max_megapixels",
      "litfassctl build: largest source picture, in megapixels (1..1000, default 64)" },
    { "build", "picture_max_file_mb",
      "litfassctl build: largest source picture file, in MB (1..1024, default 50)" },
    { "build", "pictures_max_total_mb",
      "litfassctl build: all pictures of a bundle together, in MB (1..4096, default 48; keep "
      "it below max_bundle_mb)" },
    { "bundles", "usb_roots", "where USB sticks are mounted, comma-separated (default /media,/run/media,/mnt)" },
    { "bundles", "device_name", "this display's name in reports (default: the host name)" },
    { "sync", "sync_url", "publish directory to poll, e.g. https://cdn.example.org/litfass (empty: off)" },
    { "sync", "sync_interval_s", "seconds between polls (30..86400, default 300)" },
    { "sync", "ca_file", "extra CA certificates for HTTPS (TLS verification is always on)" },
    { "report", "report_url",
      "where the screen reports to with HTTP PUT, e.g. https://fleet.example.org/reports (empty: "
      "off); the screen's folder is device_name" },
    { "report", "report_interval_s", "seconds between status reports (30..86400, default 300)" },
    { "report", "report_user", "HTTP basic auth user for reports (not a content key)" },
    { "report", "report_password_file", "file whose first line is report_user's password" },
    { "report", "report_cert", "TLS client certificate (PEM) for reports, with report_key" },
    { "report", "report_key", "private key (PEM) of report_cert" },
    { "report", "report_picture_s",
      "at most one screen picture per this many seconds (0: none, else 30..86400, default 3600)" },
    { "report", "report_plays_kb",
      "bound of the local play log in KB (64..1048576, default 4096); the oldest days go first" },
    { "locale", "timezone", "tz database zone for the clock (default Europe/Berlin)" },
    { "locale", "language",
      "language of the display's own texts (de, en, ar, fa, uk or tr) when `languages` is not "
      "set" },
    { "locale", "languages",
      "languages the screen shows in turn, comma-separated, e.g. 'de, ar, uk, en' (default: "
      "`language`); the first is also the language of notices and reports" },
    { "display", "screen_on",
      "when the screen is on, e.g. 'Mo-Fr 07:30-18:00, Sa 09:00-13:00' (empty: always)" },
    { "display", "screen_off_days", "whole days the screen stays off, e.g. '2026-12-24, 2026-12-25'" },
    { "locale", "clock_trust",
      "auto, yes or no: may the wall clock be believed (auto: when synchronised or kept by a "
      "real-time clock; --now sets it by hand)" },
    { NULL, NULL, NULL },
};

const char *const config_pages[] = { "campaign", "map", "schedule", "posters", NULL };

int config_page_known(const char *page)
{
    for (int i = 0; config_pages[i]; i++) {
        if (strcmp(config_pages[i], page) == 0) {
            return 1;
        }
    }
    return 0;
}

void config_defaults(Config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->state_dir, sizeof c->state_dir, "/var/lib/litfass");
    c->fullscreen = 1;
    c->window_w = 1280;
    c->window_h = 720;
    snprintf(c->pages, sizeof c->pages, "campaign,map,schedule,posters");
    c->page_seconds = 20;
    snprintf(c->timezone, sizeof c->timezone, "Europe/Berlin");
    snprintf(c->language, sizeof c->language, "de");
    snprintf(c->font_dir, sizeof c->font_dir, "%s", LITFASS_FONT_DIR);
    snprintf(c->trusted_keys, sizeof c->trusted_keys, "/etc/litfass/keys/litfass.pub");
    c->max_bundle_mb = 64;
    c->picture_cache_mb = 128;
    c->transition = TRANSITION_FADE;
    c->transition_ms = 600;
    c->picture_max_megapixels = 64;
    c->picture_max_file_mb = 50;
    c->pictures_max_total_mb = 48;
    snprintf(c->usb_roots, sizeof c->usb_roots, "/media,/run/media,/mnt");
    c->sync_interval_s = 300;
    c->report_interval_s = 300;
    c->report_plays_kb = 4096;
    c->report_picture_s = 3600;
}

long long config_max_bundle_bytes(const Config *c)
{
    return (long long)c->max_bundle_mb * 1024 * 1024;
}

static int set_str(char *dst, size_t cap, const char *key, const char *v, char *err, size_t errlen)
{
    if (strlen(v) >= cap) {
        snprintf(err, errlen, "value of '%s' is too long (at most %zu bytes)", key, cap - 1);
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int parse_int(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) {
        return -1;
    }
    *out = n;
    return 0;
}

int config_set(Config *c, const char *key, const char *v, char *err, size_t errlen)
{
    long n;
    if (!strcmp(key, "state_dir")) {
        return set_str(c->state_dir, sizeof c->state_dir, key, v, err, errlen);
    }
    if (!strcmp(key, "db")) {
        return set_str(c->db, sizeof c->db, key, v, err, errlen);
    }
    if (!strcmp(key, "fallback_db")) {
        return set_str(c->fallback_db, sizeof c->fallback_db, key, v, err, errlen);
    }
    if (!strcmp(key, "font_dir")) {
        return set_str(c->font_dir, sizeof c->font_dir, key, v, err, errlen);
    }
    if (!strcmp(key, "site_id")) {
        return set_str(c->site_id, sizeof c->site_id, key, v, err, errlen);
    }
    if (!strcmp(key, "trusted_keys")) {
        return set_str(c->trusted_keys, sizeof c->trusted_keys, key, v, err, errlen);
    }
    if (!strcmp(key, "usb_roots")) {
        return set_str(c->usb_roots, sizeof c->usb_roots, key, v, err, errlen);
    }
    if (!strcmp(key, "device_name")) {
        return set_str(c->device_name, sizeof c->device_name, key, v, err, errlen);
    }
    if (!strcmp(key, "sync_url")) {
        if (*v && strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) {
            snprintf(err, errlen, "'sync_url' must start with https:// or http://");
            return -1;
        }
        return set_str(c->sync_url, sizeof c->sync_url, key, v, err, errlen);
    }
    if (!strcmp(key, "report_url")) {
        if (*v && strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) {
            snprintf(err, errlen, "'report_url' must start with https:// or http://");
            return -1;
        }
        return set_str(c->report_url, sizeof c->report_url, key, v, err, errlen);
    }
    if (!strcmp(key, "report_user")) {
        return set_str(c->report_user, sizeof c->report_user, key, v, err, errlen);
    }
    if (!strcmp(key, "report_password_file")) {
        return set_str(c->report_password_file, sizeof c->report_password_file, key, v, err,
                       errlen);
    }
    if (!strcmp(key, "report_cert")) {
        return set_str(c->report_cert, sizeof c->report_cert, key, v, err, errlen);
    }
    if (!strcmp(key, "report_key")) {
        return set_str(c->report_key, sizeof c->report_key, key, v, err, errlen);
    }
    if (!strcmp(key, "report_interval_s")) {
        if (parse_int(v, 30, 86400, &n)) {
            snprintf(err, errlen, "'report_interval_s' must be a whole number from 30 to 86400");
            return -1;
        }
        c->report_interval_s = (int)n;
        return 0;
    }
    if (!strcmp(key, "report_picture_s")) {
        if (parse_int(v, 0, 86400, &n) || (n > 0 && n < 30)) {
            snprintf(err, errlen, "'report_picture_s' must be 0 or a whole number from 30 to "
                     "86400");
            return -1;
        }
        c->report_picture_s = (int)n;
        return 0;
    }
    if (!strcmp(key, "report_plays_kb")) {
        if (parse_int(v, 64, 1048576, &n)) {
            snprintf(err, errlen, "'report_plays_kb' must be a whole number from 64 to 1048576");
            return -1;
        }
        c->report_plays_kb = (int)n;
        return 0;
    }
    if (!strcmp(key, "ca_file")) {
        return set_str(c->ca_file, sizeof c->ca_file, key, v, err, errlen);
    }
    if (!strcmp(key, "sync_interval_s")) {
        if (parse_int(v, 30, 86400, &n)) {
            snprintf(err, errlen, "'sync_interval_s' must be a whole number from 30 to 86400");
            return -1;
        }
        c->sync_interval_s = (int)n;
        return 0;
    }
    static const struct {
        const char *key;
        long lo, hi;
        size_t off;
    } ints[] = {
        { "picture_cache_mb", 8, 2048, offsetof(Config, picture_cache_mb) },
        { "transition_ms", 0, 3000, offsetof(Config, transition_ms) },
        { "picture_max_megapixels", 1, 1000, offsetof(Config, picture_max_megapixels) },
        { "picture_max_file_mb", 1, 1024, offsetof(Config, picture_max_file_mb) },
        { "pictures_max_total_mb", 1, 4096, offsetof(Config, pictures_max_total_mb) },
    };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        if (!strcmp(key, ints[i].key)) {
            if (parse_int(v, ints[i].lo, ints[i].hi, &n)) {
                snprintf(err, errlen, "'%s' must be a whole number from %ld to %ld", key,
                         ints[i].lo, ints[i].hi);
                return -1;
            }
            *(int *)((char *)c + ints[i].off) = (int)n;
            return 0;
        }
    }
    if (!strcmp(key, "max_bundle_mb")) {
        if (parse_int(v, 1, 4096, &n)) {
            snprintf(err, errlen, "'max_bundle_mb' must be a whole number from 1 to 4096");
            return -1;
        }
        c->max_bundle_mb = (int)n;
        return 0;
    }
    if (!strcmp(key, "transition")) {
        static const char *names[] = { "fade", "slide", "cut" };
        for (int i = 0; i < 3; i++) {
            if (!strcmp(v, names[i])) {
                c->transition = i;
                return 0;
            }
        }
        snprintf(err, errlen, "'transition' must be fade, slide or cut, not '%s'", v);
        return -1;
    }
    if (!strcmp(key, "fullscreen")) {
        if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1")) {
            c->fullscreen = 1;
        } else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0")) {
            c->fullscreen = 0;
        } else {
            snprintf(err, errlen, "'fullscreen' must be true or false, not '%s'", v);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "window")) {
        int w, h;
        char extra;
        if (sscanf(v, "%dx%d%c", &w, &h, &extra) != 2 || w < 160 || h < 160 || w > 16384 ||
            h > 16384) {
            snprintf(err, errlen, "'window' must be WIDTHxHEIGHT like 1280x720, not '%s'", v);
            return -1;
        }
        c->window_w = w;
        c->window_h = h;
        return 0;
    }
    if (!strcmp(key, "pages")) {
        char buf[sizeof c->pages];
        if (set_str(buf, sizeof buf, key, v, err, errlen)) {
            return -1;
        }
        int count = 0;
        for (char *save = NULL, *p = strtok_r(buf, ",", &save); p;
             p = strtok_r(NULL, ",", &save)) {
            if (!config_page_known(p)) {
                snprintf(err, errlen, "unknown page '%s' in 'pages' (known: campaign, map, schedule, posters)", p);
                return -1;
            }
            count++;
        }
        if (count == 0) {
            snprintf(err, errlen, "'pages' names no page");
            return -1;
        }
        return set_str(c->pages, sizeof c->pages, key, v, err, errlen);
    }
    if (!strcmp(key, "page_seconds")) {
        if (parse_int(v, 3, 3600, &n)) {
            snprintf(err, errlen, "'page_seconds' must be a whole number from 3 to 3600");
            return -1;
        }
        c->page_seconds = (int)n;
        return 0;
    }
    if (!strcmp(key, "rotate")) {
        if (parse_int(v, 0, 270, &n) || n % 90) {
            snprintf(err, errlen, "'rotate' must be 0, 90, 180 or 270");
            return -1;
        }
        c->rotate = (int)n;
        return 0;
    }
    if (!strcmp(key, "timezone")) {
        if (clock_set_zone(v) != 0) {
            snprintf(err, errlen, "unknown time zone '%s' (use a tz database name like "
                                  "Europe/Berlin)", v);
            return -1;
        }
        return set_str(c->timezone, sizeof c->timezone, key, v, err, errlen);
    }
    if (!strcmp(key, "screen_on") || !strcmp(key, "screen_off_days")) {
        ScreenTimes st;
        char why[160];
        int bad = !strcmp(key, "screen_on") ? screentime_parse(v, &st, why, sizeof why)
                                            : screentime_parse_off(v, &st, why, sizeof why);
        if (bad) {
            snprintf(err, errlen, "'%s': %s", key, why);
            return -1;
        }
        return !strcmp(key, "screen_on")
                   ? set_str(c->screen_on, sizeof c->screen_on, key, v, err, errlen)
                   : set_str(c->screen_off_days, sizeof c->screen_off_days, key, v, err, errlen);
    }
    if (!strcmp(key, "clock_trust")) {
        static const char *const names[] = { "auto", "yes", "no" };
        for (int i = 0; i < 3; i++) {
            if (!strcmp(v, names[i])) {
                c->clock_trust = i; /* TRUST_AUTO, TRUST_YES, TRUST_NO */
                return 0;
            }
        }
        snprintf(err, errlen, "'clock_trust' must be auto, yes or no, not '%s'", v);
        return -1;
    }
    if (!strcmp(key, "language")) {
        if (!ui_language_find(v)) {
            snprintf(err, errlen, "unknown language '%s' (known: %s)", v, ui_language_codes());
            return -1;
        }
        if (!c->languages[0]) {
            ui_set_language(v); /* at start-up: litfass sets the first of `languages` later */
        }
        return set_str(c->language, sizeof c->language, key, v, err, errlen);
    }
    if (!strcmp(key, "languages")) {
        char norm[sizeof c->languages];
        if (config_parse_languages(v, norm, sizeof norm, err, errlen) != 0) {
            return -1;
        }
        return set_str(c->languages, sizeof c->languages, key, norm, err, errlen);
    }
    snprintf(err, errlen, "unknown key '%s'", key);
    return -1;
}

int config_parse_languages(const char *v, char *out, size_t outlen, char *err, size_t errlen)
{
    const char *seen[UI_MAX_LANGUAGES];
    int n = 0;
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = v;;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, ", \t");
        const char *end = p + len;
        end += strspn(end, " \t");
        if (*end && *end != ',') {
            snprintf(err, errlen, "'languages': codes are separated by commas, e.g. 'de, ar, uk'");
            return -1;
        }
        if (len == 0) {
            snprintf(err, errlen, "'languages': an empty entry in '%.60s' (e.g. 'de, ar, uk')", v);
            return -1;
        }
        char code[16];
        snprintf(code, sizeof code, "%.*s", (int)(len < 15 ? len : 15), p);
        const UiLanguage *l = ui_language_find(code);
        if (!l || len > 15) {
            snprintf(err, errlen, "'languages': unknown language '%s' (known: %s)", code,
                     ui_language_codes());
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (seen[i] == l->code) {
                snprintf(err, errlen, "'languages': '%s' is named twice", code);
                return -1;
            }
        }
        if (n == UI_MAX_LANGUAGES || o + len + 2 > outlen) {
            snprintf(err, errlen, "'languages': too many languages");
            return -1;
        }
        seen[n++] = l->code;
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", o ? "," : "", l->code);
        if (!*end) {
            break;
        }
        p = end + 1;
    }
    return 0;
}

int config_languages(const Config *c, const char *codes[], int max)
{
    int n = 0;
    const char *p = c->languages;
    while (*p && n < max) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        for (int i = 0; i < ui_language_count(); i++) {
            const UiLanguage *l = ui_language_at(i);
            if (strlen(l->code) == len && strncmp(l->code, p, len) == 0) {
                codes[n++] = l->code; /* static strings: valid after c is gone */
            }
        }
        p += len + (comma != NULL);
    }
    if (n == 0 && max > 0) {
        const UiLanguage *l = ui_language_find(c->language);
        codes[n++] = l ? l->code : "de";
    }
    return n;
}

typedef struct {
    Config *c;
    const char *path;
    char *err;
    size_t errlen;
    int failed;
    char msg[300];
} LoadCtx;

/* inih reports the line of the first failing handler call; the message is kept
 * here and prefixed with that line afterwards. */
static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    LoadCtx *lc = user;
    if (lc->failed) {
        return 1;
    }
    for (int i = 0; config_keys[i].key; i++) {
        if (strcmp(config_keys[i].key, name) == 0 && strcmp(config_keys[i].section, section)) {
            snprintf(lc->msg, sizeof lc->msg, "key '%s' belongs in section [%s]", name,
                     config_keys[i].section);
            lc->failed = 1;
            return 0;
        }
    }
    if (config_set(lc->c, name, value, lc->msg, sizeof lc->msg)) {
        lc->failed = 1;
        return 0;
    }
    return 1;
}

/* Reads the whole file at path into a new buffer (the caller frees it). Refuses
 * anything but a regular file of at most CONFIG_MAX_FILE_BYTES: inih reading a
 * directory sees an empty file, and a FIFO would block the display's start. */
static int read_config_file(const char *path, int required, char **out, size_t *len,
                            char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (!required && errno == ENOENT) {
            return 0;
        }
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: is %s, not a configuration file; name the INI file itself, "
                 "e.g. %s", path, S_ISDIR(st.st_mode) ? "a directory" : "not a regular file",
                 CONFIG_DEFAULT_PATH);
        goto fail;
    }
    if (st.st_size > CONFIG_MAX_FILE_BYTES) {
        snprintf(err, errlen, "%s: is %lld bytes, more than the %d a configuration file may have",
                 path, (long long)st.st_size, CONFIG_MAX_FILE_BYTES);
        goto fail;
    }
    buf = malloc(CONFIG_MAX_FILE_BYTES + 1);
    if (!buf) {
        abort(); /* out of memory at start-up */
    }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, CONFIG_MAX_FILE_BYTES + 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            goto fail;
        }
        if (r == 0) {
            break;
        }
        n += (size_t)r;
        if (n > CONFIG_MAX_FILE_BYTES) { /* grew while we read */
            snprintf(err, errlen, "%s: more than the %d bytes a configuration file may have",
                     path, CONFIG_MAX_FILE_BYTES);
            goto fail;
        }
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
fail:
    free(buf);
    close(fd);
    return -1;
}

/* inih (Debian builds it with INI_MAX_LINE 200 and no realloc) reads a longer line in
 * pieces and parses the rest as a line of its own: the tail of a long usb_roots
 * value could set another key. So every line must fit whole, and NUL bytes (which
 * would end the text early) are refused. Returns 0, or -1 with err "FILE:LINE: ...". */
static int check_lines(const char *path, const char *text, size_t len, char *err,
                       size_t errlen)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] == '\0') {
            snprintf(err, errlen, "%s:%d: contains a NUL byte; save the file as plain text",
                     path, line);
            return -1;
        }
        if (i == len || text[i] == '\n') {
            if (i - start > CONFIG_MAX_LINE) {
                snprintf(err, errlen, "%s:%d: line is %zu bytes long, more than the %d a line "
                         "may have; shorten it (e.g. fewer entries in a list)",
                         path, line, i - start, CONFIG_MAX_LINE);
                return -1;
            }
            line++;
            start = i + 1;
        }
    }
    return 0;
}

int config_load(Config *c, const char *path, int required, char *err, size_t errlen)
{
    char *text;
    size_t len;
    if (read_config_file(path, required, &text, &len, err, errlen)) {
        return -1;
    }
    if (!text) {
        return 0; /* an optional file that does not exist */
    }
    if (check_lines(path, text, len, err, errlen)) {
        free(text);
        return -1;
    }
    LoadCtx lc = { c, path, err, errlen, 0, "" };
    int rc = ini_parse_string(text, on_ini, &lc);
    free(text);
    if (rc != 0) {
        snprintf(err, errlen, "%s:%d: %s", path, rc,
                 lc.failed ? lc.msg : "not a 'key = value' line or [section]");
    }
    return rc == 0 && !lc.failed ? 0 : -1;
}

int config_flag(Config *c, const char *flag, const char *value, char *err, size_t errlen)
{
    if (strncmp(flag, "--", 2) != 0) {
        return 0;
    }
    if (!strcmp(flag, "--fullscreen")) {
        c->fullscreen = 1;
        return 1;
    }
    char key[64];
    if (strlen(flag + 2) >= sizeof key) {
        return 0;
    }
    int known = 0;
    for (size_t i = 0; flag[i + 2]; i++) {
        key[i] = flag[i + 2] == '-' ? '_' : flag[i + 2];
        key[i + 1] = '\0';
    }
    for (int i = 0; config_keys[i].key; i++) {
        known |= strcmp(config_keys[i].key, key) == 0;
    }
    if (!known) {
        return 0;
    }
    if (!value) {
        snprintf(err, errlen, "%s needs a value", flag);
        return -1;
    }
    char msg[300];
    if (config_set(c, key, value, msg, sizeof msg)) {
        snprintf(err, errlen, "%s: %s", flag, msg);
        return -1;
    }
    if (!strcmp(key, "window")) {
        c->fullscreen = 0;
    }
    return 2;
}
