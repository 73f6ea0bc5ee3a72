/* litfassctl: the staff's content tool. Only wires modules; each subcommand is a
 * function of a few lines. Errors are one line on stderr naming the file and the
 * reason; the exit status is 0 on success, 1 on a rejection, 2 on bad usage. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
#include "content/build.h"
#include "content/build_picture.h"
#include "content/build_text.h"
#include "delivery/alertfile.h"
#include "delivery/bundle.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"
#include "store/store.h"
#include "delivery/sync.h"
#include "base/ui.h"
#include "delivery/usb.h"
#include "base/utf8.h"
#include "display/coverage.h"
#include "display/preview.h"
#include "report/fleet.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: litfassctl build SRC_DIR -o FILE [--version N] [--map FILE.geo]\n"
               "                        [--lang de|en]   (messages; German by default)\n"
               "                        [--allow-overflow] (texts cut on screen: warn, build)\n"
               "       (without --version: the date and time, YYYYMMDDHHMM, always newer)\n"
               "       litfassctl keygen -p PUB -s SEC\n"
               "       litfassctl sign FILE -s SEC           (writes FILE.minisig)\n"
               "       litfassctl verify FILE -p PUB\n"
               "       litfassctl inspect FILE\n"
               "       litfassctl import FILE --state-dir DIR [-p PUB ...]  (a bundle or an alert)\n"
               "       litfassctl import-usb MOUNT_DIR --state-dir DIR [-p PUB ...]\n"
               "       litfassctl publish FILE DIR            (for any static web server)\n"
               "       litfassctl sync --state-dir DIR --url URL [-p PUB ...] [--ca-file F]\n"
               "       litfassctl status --state-dir DIR\n"
               "       litfassctl rollback --state-dir DIR\n"
               "       litfassctl preview SRC_DIR -o DIR [--size WxH]... [--now ISO-8601]\n"
               "                  (every frame of one rotation as PNG, DIR/index.html to look at)\n"
               "       litfassctl alert TEXT --until ISO-8601 [--from ISO-8601]\n"
               "                  [--level info|warning|danger] [--version N] -s SEC -o DIR\n"
               "       litfassctl alert --clear [--version N] -s SEC -o DIR\n"
               "                  (writes DIR/" ALERT_FILE_NAME " and its .minisig; without\n"
               "                  --version: the UTC date and time, YYYYMMDDHHMMSS)\n"
               "       litfassctl fleet REPORT_DIR -o FILE.html [--now ISO-8601]\n"
               "                  (the screens' reports on one page that opens from a file)\n"
               "Without -p, the trusted keys come from the configuration (--config FILE,\n"
               "default " CONFIG_DEFAULT_PATH ", key trusted_keys).\n");
}

typedef struct {
    const char *file, *dir, *out, *map, *pub[16], *sec, *state_dir, *config, *url, *ca_file;
    const char *size[PREVIEW_MAX_SIZES], *now;
    const char *lang; /* build: the language of its messages */
    const char *until, *from, *level; /* alert */
    int clear;                        /* alert --clear */
    int n_pub, n_size;
    int allow_overflow;
    long long version;
} Args;

/* The configuration named by --config (else the default file, if there is one) into
 * cfg, and its time zone for dates; says why it cannot and returns -1. */
static int load_config(const Args *a, Config *cfg)
{
    char err[600];
    config_defaults(cfg);
    if (config_load(cfg, a->config ? a->config : CONFIG_DEFAULT_PATH, a->config != NULL, err,
                    sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return -1;
    }
    clock_set_zone(cfg->timezone);
    BuildPictureLimits pl = { (long long)cfg->picture_max_megapixels * 1000 * 1000,
                              (long long)cfg->picture_max_file_mb * 1024 * 1024,
                              (long long)cfg->pictures_max_total_mb * 1024 * 1024 };
    build_picture_set_limits(&pl);
    return 0;
}


static int parse_args(int argc, char **argv, Args *a)
{
    memset(a, 0, sizeof *a);
    a->version = 0; /* build: from the date and time */
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "-o") && v) {
            a->out = argv[++i];
        } else if (!strcmp(argv[i], "--map") && v) {
            a->map = argv[++i];
        } else if (!strcmp(argv[i], "-p") && v && a->n_pub < 16) {
            a->pub[a->n_pub++] = argv[++i];
        } else if (!strcmp(argv[i], "-s") && v) {
            a->sec = argv[++i];
        } else if (!strcmp(argv[i], "--state-dir") && v) {
            a->state_dir = argv[++i];
        } else if (!strcmp(argv[i], "--config") && v) {
            a->config = argv[++i];
        } else if (!strcmp(argv[i], "--url") && v) {
            a->url = argv[++i];
        } else if (!strcmp(argv[i], "--lang") && v) {
            a->lang = argv[++i];
        } else if (!strcmp(argv[i], "--ca-file") && v) {
            a->ca_file = argv[++i];
        } else if (!strcmp(argv[i], "--size") && v && a->n_size < PREVIEW_MAX_SIZES) {
            a->size[a->n_size++] = argv[++i];
        } else if (!strcmp(argv[i], "--now") && v) {
            a->now = argv[++i];
        } else if (!strcmp(argv[i], "--until") && v) {
            a->until = argv[++i];
        } else if (!strcmp(argv[i], "--from") && v) {
            a->from = argv[++i];
        } else if (!strcmp(argv[i], "--level") && v) {
            a->level = argv[++i];
        } else if (!strcmp(argv[i], "--clear")) {
            a->clear = 1;
        } else if (!strcmp(argv[i], "--allow-overflow")) {
            a->allow_overflow = 1;
        } else if (!strcmp(argv[i], "--version") && v) {
            char *end;
            errno = 0;
            a->version = strtoll(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || a->version < 1) {
                fprintf(stderr, "litfassctl: --version must be a positive whole number, not "
                                "'%s'\n", argv[i]);
                return -1;
            }
        } else if (argv[i][0] != '-' && !a->file) {
            a->file = argv[i];
        } else if (argv[i][0] != '-' && !a->dir) {
            a->dir = argv[i];
        } else {
            fprintf(stderr, "litfassctl: unexpected argument '%s'\n", argv[i]);
            return -1;
        }
    }
    return 0;
}

/* The trusted keys: -p files, else the configuration's trusted_keys. */
static int load_ring(const Args *a, KeyRing *ring, Config *cfg)
{
    char err[600];
    memset(ring, 0, sizeof *ring);
    config_defaults(cfg);
    if (config_load(cfg, a->config ? a->config : CONFIG_DEFAULT_PATH, a->config != NULL, err,
                    sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return -1;
    }
    if (a->n_pub > 0) {
        for (int i = 0; i < a->n_pub; i++) {
            if (bundle_ring_add(ring, a->pub[i], err, sizeof err) != 0) {
                fprintf(stderr, "litfassctl: %s\n", err);
                return -1;
            }
        }
        return 0;
    }
    /* as on the display: a missing key is said, the others still count */
    UsbKeyProblems kp;
    if (usb_load_keys(cfg->trusted_keys, ring, &kp) != 0) {
        fprintf(stderr, "litfassctl: %s%s (name a key with -p PUB)\n",
                ring->n ? "warning: " : "", kp.detail);
        if (ring->n == 0) {
            return -1;
        }
    }
    return 0;
}

/* Where in the sources a text starts: the first line of campaign.md (campaign.<lang>.md
 * for a language other than German), schedule.csv or sites.csv that holds its first
 * words. 0 when not found (then the folder is named). */
static int find_source_line(const char *src_dir, const char *lang, const char *text, char *file,
                            size_t len)
{
    char needle[40];
    utf8_copy_cut(needle, sizeof needle, text);
    size_t n = strlen(needle);
    if (n >= 3 && !strcmp(needle + n - 3, "\xe2\x80\xa6")) {
        needle[n - 3] = '\0'; /* the cut's own ellipsis */
    }
    if (!needle[0]) {
        return 0;
    }
    static const char *const names[] = { "campaign.md", "schedule.csv", "sites.csv", NULL };
    for (int i = 0; names[i]; i++) {
        char path[4200], line[4096], name[32];
        snprintf(name, sizeof name, "%s", names[i]);
        if (i == 0 && lang && strcmp(lang, "de") != 0) {
            snprintf(name, sizeof name, "campaign.%s.md", lang); /* the translation's text */
        }
        snprintf(path, sizeof path, "%s/%s", src_dir, name);
        FILE *f = fopen(path, "r");
        for (int no = 1; f && fgets(line, sizeof line, f); no++) {
            if (strstr(line, needle)) {
                fclose(f);
                snprintf(file, len, "%s", path);
                return no;
            }
        }
        if (f) {
            fclose(f);
        }
    }
    return 0;
}

typedef struct {
    const char *src_dir;
    int allow;
    const char *lang; /* the language being laid out ("de", "ar") */
} FitCheck;

static void report_overflow(void *ctx, int w, int h, const char *page, const Overflow *ov)
{
    const FitCheck *fc = ctx;
    char file[4200] = "", from[200];
    ui_use_language(NULL); /* the staff's language for the message, not the page's */
    int line = find_source_line(fc->src_dir, fc->lang, ov->from, file, sizeof file);
    log_sanitize(ov->from, from, sizeof from);
    if (line) {
        fprintf(stderr, "%s:%d: ", file, line);
    } else {
        fprintf(stderr, "%s: ", fc->src_dir);
    }
    fprintf(stderr, build_text(fc->allow ? BT_CUT_WARNING : BT_CUT), page, w, h, from, ov->shown,
            ov->total);
    if (strcmp(fc->lang, "de") != 0) {
        fprintf(stderr, " [%s]", fc->lang);
    }
    fputc('\n', stderr);
    ui_use_language(fc->lang);
}

static int check_fit_lang(const Args *a, const char *db, int64_t now_ms, const Config *cfg0,
                          Text *text, const char *lang);

/* Lays out the built content at the four reference sizes over one rotation, now and on
 * each of the programme's days, in German and in every language it has translations
 * for: every text that would not reach the screen in full is reported with file and
 * line. Returns how many; -1 when it cannot check (no fonts). */
static int check_fit(const Args *a, const char *db, int64_t now_ms)
{
    char err[600];
    Config cfg;
    if (load_config(a, &cfg) != 0) {
        return -1;
    }
    Text *text = NULL;
    if (text_open(cfg.font_dir, &text, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: ");
        fprintf(stderr, build_text(BT_CANNOT_CHECK), err);
        fputc('\n', stderr);
        return -1;
    }
    /* German, then every language the content has a translation for */
    char langs[80] = "de", more[64] = "";
    Store *st;
    if (store_open(db, &st, err, sizeof err) == 0) {
        if (store_languages(st, more, sizeof more, err, sizeof err) == 0 && more[0]) {
            snprintf(langs, sizeof langs, "de,%s", more);
        }
        store_close(st);
    }
    int n = 0;
    char *save = NULL;
    for (char *lang = strtok_r(langs, ",", &save); lang && n >= 0;
         lang = strtok_r(NULL, ",", &save)) {
        int k = check_fit_lang(a, db, now_ms, &cfg, text, lang);
        n = k < 0 ? -1 : n + k;
    }
    text_close(text);
    return n;
}

/* check_fit for the content in one language. */
static int check_fit_lang(const Args *a, const char *db, int64_t now_ms, const Config *cfg0,
                          Text *text, const char *lang)
{
    Config cfg = *cfg0;
    Model m;
    memset(&m, 0, sizeof m);
    if (store_load_lang_path(db, lang, &m) != 0) {
        fprintf(stderr, "litfassctl: ");
        fprintf(stderr, build_text(BT_CANNOT_CHECK), m.problem);
        fputc('\n', stderr);
        model_free(&m);
        return -1;
    }
    PreviewOptions o = { 4, { 1280, 1920, 3840, 1080 }, { 720, 1080, 2160, 1920 }, now_ms, &cfg,
                         lang, NULL };
    FitCheck fc = { a->file, a->allow_overflow, lang };
    ui_use_language(lang); /* the pages' own texts in the language laid out */
    int n = preview_check(&m, text, &o, report_overflow, &fc);
    /* the schedule of each day with events (the first 31), at noon */
    snprintf(cfg.pages, sizeof cfg.pages, "schedule");
    int64_t last_day = INT64_MIN;
    for (int i = 0, days = 0; i < m.n_events && days < 31; i++) {
        int64_t t;
        if (clock_parse_iso(m.events[i].start, &t) != 0 || t / 86400000 == last_day) {
            continue;
        }
        last_day = t / 86400000;
        o.now_ms = last_day * 86400000 + 11 * 3600000; /* noon in Europe, about */
        n += preview_check(&m, text, &o, report_overflow, &fc);
        days++;
    }
    ui_use_language(NULL);
    model_free(&m);
    return n;
}

static void report_glyph(void *ctx, const char *path, int line, uint32_t cp, const char *utf8)
{
    (void)ctx;
    fprintf(stderr, "litfassctl: ");
    fprintf(stderr, build_text(BT_NO_GLYPH), (unsigned)cp, utf8, path, line);
    fputc('\n', stderr);
}

/* Every character of the sources must be in the display's fonts (issue 15): each one
 * that is not is reported with file and line. Returns how many; -1 when it cannot check
 * (no configuration or fonts: check_fit reports that right after). */
static int check_glyphs(const Args *a)
{
    char err[600];
    Config cfg;
    Text *text = NULL;
    config_defaults(&cfg);
    if (config_load(&cfg, a->config ? a->config : CONFIG_DEFAULT_PATH, a->config != NULL, err,
                    sizeof err) != 0 ||
        text_open(cfg.font_dir, &text, err, sizeof err) != 0) {
        return -1; /* check_fit says why, as it cannot check either */
    }
    int n = coverage_check(text, a->file, report_glyph, NULL);
    text_close(text);
    return n;
}

/* Every problem of the sources at once, one a line, in the staff's language (German
 * unless --lang en); nothing is written when there is one. */
static int cmd_build(const Args *a)
{
    if (!a->file || !a->out) {
        usage(stderr);
        return 2;
    }
    if (ui_set_language(a->lang ? a->lang : "de") != 0) {
        fprintf(stderr, "litfassctl: --lang must be de or en, not '%s'\n", a->lang);
        return 2;
    }
    Clock clock = clock_system();
    int64_t now = clock.wall_ms(&clock);
    int64_t version = a->version > 0 ? a->version : build_default_version(now, a->out);
    /* built beside the output and checked there: the previous build stays until the new
     * one is complete and fits */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.checking", a->out);
    BuildReport r;
    build_report_init(&r);
    int rc = build_content_report(a->file, tmp, version, now, a->map, &r);
    if (r.notes) {
        /* notes as lines of their own, before the errors they may explain */
        for (char *line = r.notes, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            fprintf(stderr, "litfassctl: %.*s\n", (int)(nl - line), line);
        }
    }
    if (rc != 0) {
        size_t len = (size_t)(BUILD_REPORT_MAX_SHOWN + 1) * 1700;
        char *text = malloc(len);
        if (!text) {
            abort();
        }
        build_report_errors(&r, text, len);
        for (char *line = text, *nl; line; line = nl ? nl + 1 : NULL) {
            nl = strchr(line, '\n');
            fprintf(stderr, "litfassctl: %.*s\n", nl ? (int)(nl - line) : (int)strlen(line),
                    line);
        }
        free(text);
        build_report_free(&r);
        return 1;
    }
    build_report_free(&r);
    int missing = check_glyphs(a);
    if (missing > 0) {
        unlink(tmp); /* no empty boxes on a screen */
        fprintf(stderr, "litfassctl: ");
        fprintf(stderr, build_text(BT_NOT_BUILT_GLYPH), a->out, missing);
        fputc('\n', stderr);
        return 1;
    }
    int cut = check_fit(a, tmp, now);
    if (cut > 0 && !a->allow_overflow) {
        unlink(tmp); /* nothing half-shown leaves the office */
        fprintf(stderr, "litfassctl: ");
        fprintf(stderr, build_text(BT_NOT_BUILT_CUT), a->out, cut);
        fputc('\n', stderr);
        return 1;
    }
    if (rename(tmp, a->out) != 0) {
        fprintf(stderr, "litfassctl: cannot write %s: %s\n", a->out, strerror(errno));
        unlink(tmp);
        return 1;
    }
    printf(build_text(a->version > 0 ? BT_BUILT : BT_BUILT_AUTO), a->out, (long long)version);
    printf("\n");
    return 0;
}

static int cmd_keygen(const Args *a)
{
    char err[600];
    if (!a->pub[0] || !a->sec) {
        usage(stderr);
        return 2;
    }
    if (bundle_keygen(a->pub[0], a->sec, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("public key: %s (copy to each display)\nsecret key: %s (keep it safe)\n", a->pub[0],
           a->sec);
    return 0;
}

static int cmd_sign(const Args *a)
{
    char err[600] = "";
    if (!a->file || !a->sec) {
        usage(stderr);
        return 2;
    }
    if (bundle_sign(a->file, a->sec, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("signed %s -> %s.minisig\n", a->file, a->file);
    return 0;
}

static int cmd_verify(const Args *a)
{
    char err[600], sig[4200];
    KeyRing ring;
    Config cfg;
    if (!a->file) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    if (alertfile_is_alert(a->file)) { /* issue 14: an alert, by the display's rules */
        AlertOutcome ao;
        if (alertfile_verify(a->file, &ring, &ao) != BUNDLE_OK) {
            fprintf(stderr, "litfassctl: %s\nlitfassctl: %s\n", bundle_result_text(ao.result),
                    ao.detail);
            return 1;
        }
        printf("%s: signature ok; alert version %lld, %s\n", a->file, ao.alert.version,
               ao.alert.clear ? "clear" : alert_level_name(ao.alert.level));
        return 0;
    }
    /* the display's rules (bundle_verify_file): the same signature for the same file,
     * the same refusals; the screen's words first, then the reason */
    TrustedInfo info;
    BundleResult r = bundle_verify_file(a->file, &ring, config_max_bundle_bytes(&cfg), &info, sig,
                                        sizeof sig, err, sizeof err);
    char shown[300], shown_sig[300], signed_as[200];
    log_sanitize(a->file, shown, sizeof shown);
    log_sanitize(sig, shown_sig, sizeof shown_sig);
    log_sanitize(info.file, signed_as, sizeof signed_as);
    if (r != BUNDLE_OK) {
        if (r == BUNDLE_RENAMED) {
            fprintf(stderr, "litfassctl: %s: ", shown);
            fprintf(stderr, ui_str(UI_RENAMED_FROM), signed_as);
            fprintf(stderr, "\n");
        } else {
            fprintf(stderr, "litfassctl: %s: %s\n", shown, bundle_result_text(r));
        }
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("%s: signature ok (%s); version %lld, schema %d, file %s, %lld bytes, created %s\n",
           shown, shown_sig, info.version, info.schema, signed_as, info.size, info.created);
    const char *base = strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
    if (strcmp(base, info.file) != 0) {
        printf("%s: renamed; a display installs it as %s, the name it was signed with\n", shown,
               signed_as);
    }
    return 0;
}

static int cmd_inspect(const Args *a)
{
    char err[600];
    if (!a->file) {
        usage(stderr);
        return 2;
    }
    Store *s;
    Model m;
    memset(&m, 0, sizeof m);
    if (store_open(a->file, &s, err, sizeof err) != 0 || store_load(s, &m, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    int schema = store_schema(s);
    store_close(s);
    printf("file:            %s\ncontent version: %lld\nschema:          %d\ncreated:         %s\n"
           "title:           %s\nparagraphs:      %d\nfigures:         %d\nsites:           %d\n"
           "events:          %d\nmap rings:       %d\n",
           a->file, (long long)m.content_version, schema, m.created,
           m.campaign.title, m.campaign.n_blocks, m.campaign.n_figures, m.n_sites, m.n_events,
           m.map.n_rings);
    if (m.screen_on[0] || m.screen_off_days[0]) { /* screen.csv */
        printf("screen on:       %s\nscreen off days: %s\n",
               m.screen_on[0] ? m.screen_on : "(always, but for the days off)",
               m.screen_off_days[0] ? m.screen_off_days : "(none)");
    }
    if (m.n_pictures) { /* schema 5: each picture with its stored sizes */
        printf("pictures:        %d (posters %d%s)\n", m.n_pictures, m.n_posters,
               m.campaign.logo ? ", a logo" : "");
        for (int i = 0; i < m.n_pictures; i++) {
            const Picture *p = &m.pictures[i];
            printf("  %s:", p->name);
            for (int l = 0; l < p->n_levels; l++) {
                printf(" %dx%d %s", p->levels[l].width, p->levels[l].height,
                       p->levels[l].format == PICTURE_PNG ? "PNG" : "JPEG");
            }
            putchar('\n');
        }
    }
    model_free(&m);
    return 0;
}

static int cmd_import(const Args *a)
{
    char err[600];
    KeyRing ring;
    Config cfg;
    if (!a->file || !a->state_dir) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    if (alertfile_is_alert(a->file)) {
        AlertOutcome ao;
        if (alertfile_install(a->state_dir, a->file, &ring, &ao) != BUNDLE_OK) {
            fprintf(stderr, "litfassctl: alert not installed: %s\n", ao.detail);
            return 1;
        }
        printf("installed alert version %lld into %s (%s)\n", ao.alert.version, a->state_dir,
               ao.alert.clear ? "clear" : alert_level_name(ao.alert.level));
        return 0;
    }
    TrustedInfo info;
    BundleResult r = bundle_install(a->state_dir, a->file, &ring,
                                    config_max_bundle_bytes(&cfg), &info, err,
                                    sizeof err);
    if (r != BUNDLE_OK) {
        fprintf(stderr, "litfassctl: not installed: %s\n", err);
        return 1;
    }
    printf("installed version %lld into %s\n", info.version, a->state_dir);
    const char *base = strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
    if (strcmp(base, info.file) != 0) {
        char shown[200];
        printf("(the file was renamed; it was signed as %s)\n",
               log_sanitize(info.file, shown, sizeof shown));
    }
    return 0;
}

static int cmd_import_usb(const Args *a)
{
    KeyRing ring;
    Config cfg;
    if (!a->file || !a->state_dir) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    UsbOutcome o;
    usb_import_dir(a->file, a->state_dir, &ring, config_max_bundle_bytes(&cfg),
                   cfg.device_name, &o);
    printf("%s\n", o.message);
    /* what was found where, whenever it is not simply a bundle in litfass/ */
    if (o.found[0] && (o.result != BUNDLE_OK || strcmp(o.where, "litfass/") != 0)) {
        fprintf(stderr, "litfassctl: found %s\n", o.found); /* names already sanitised */
    }
    if (o.result != BUNDLE_OK && o.detail[0]) {
        fprintf(stderr, "litfassctl: %s\n", o.detail);
    }
    if (o.alert_found && o.alert_result != BUNDLE_OK && o.alert_detail[0] &&
        strcmp(o.alert_detail, o.detail) != 0) {
        fprintf(stderr, "litfassctl: %s\n", o.alert_detail);
    }
    return o.result == BUNDLE_OK ? 0 : 1;
}

/* Copies src to dir/name through a temporary file, fsynced, then renamed. */
static int copy_into(const char *src, const char *dir, const char *name)
{
    char dst[4200], tmp[4300];
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char buf[65536];
    ssize_t r = 0;
    int ok = in >= 0 && out >= 0;
    while (ok && (r = read(in, buf, sizeof buf)) > 0) {
        ok = write(out, buf, (size_t)r) == r;
    }
    ok = ok && r == 0 && fsync(out) == 0;
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    if (!ok || rename(tmp, dst) != 0) {
        unlink(tmp);
        fprintf(stderr, "litfassctl: %s: cannot write: %s\n", dst, strerror(errno));
        return -1;
    }
    return 0;
}

static int cmd_publish(const Args *a)
{
    char err[600], sig[4200], latest[4200];
    if (!a->file || !a->dir) {
        usage(stderr);
        return 2;
    }
    TrustedInfo info, cur;
    snprintf(sig, sizeof sig, "%s.minisig", a->file);
    if (bundle_read_comment(sig, &info, err, sizeof err) != BUNDLE_OK) {
        fprintf(stderr, "litfassctl: %s (sign the bundle first)\n", err);
        return 1;
    }
    const char *name = strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
    if (strcmp(name, info.file) != 0) {
        fprintf(stderr, "litfassctl: %s: the signature is for '%s'\n", a->file, info.file);
        return 1;
    }
    mkdir(a->dir, 0755);
    char sig_name[200];
    snprintf(sig_name, sizeof sig_name, "%s.minisig", name);
    /* the bundle, then its signature, then the manifest: a client never sees a
     * manifest naming a file that is not there yet */
    if (copy_into(a->file, a->dir, name) || copy_into(sig, a->dir, sig_name)) {
        return 1;
    }
    snprintf(latest, sizeof latest, "%s/latest.minisig", a->dir);
    if (bundle_read_comment(latest, &cur, err, sizeof err) == BUNDLE_OK &&
        cur.version > info.version) {
        printf("published %s; latest.minisig still names the newer version %lld\n", name,
               cur.version);
        return 0;
    }
    if (copy_into(sig, a->dir, "latest.minisig")) {
        return 1;
    }
    printf("published %s (version %lld) in %s; latest.minisig names it\n", name, info.version,
           a->dir);
    return 0;
}

static int cmd_sync(const Args *a)
{
    KeyRing ring;
    Config cfg;
    if (!a->state_dir || !a->url) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    SyncConfig sc;
    sync_defaults(&sc);
    sc.url = a->url;
    sc.state_dir = a->state_dir;
    sc.ring = &ring;
    sc.max_bytes = config_max_bundle_bytes(&cfg);
    sc.ca_file = a->ca_file;
    SyncOutcome o;
    int rc = sync_once(&sc, &o);
    static const char *const kinds[] = { "installed", "up to date", "not modified", "failed" };
    if (o.alert_message[0]) {
        printf("%s\n", o.alert_message);
        if (o.alert_result != BUNDLE_OK && o.alert_detail[0]) {
            fprintf(stderr, "litfassctl: %s\n", o.alert_detail);
        }
    }
    if (o.kind == SYNC_INSTALLED) {
        printf("installed version %lld from %s\n", o.version, a->url);
    } else if (o.kind == SYNC_FAILED) {
        fprintf(stderr, "litfassctl: sync failed: %s\n", o.detail);
    } else {
        printf("%s: %s (installed version %lld)\n", kinds[o.kind], o.detail, o.version);
    }
    return rc == 0 ? 0 : 1;
}

static int cmd_status(const Args *a)
{
    char err[600];
    BundleState s;
    if (!a->state_dir) {
        usage(stderr);
        return 2;
    }
    bundle_state(a->state_dir, &s, err, sizeof err);
    Alert al;
    if (alert_load(a->state_dir, &al) == 0) { /* issue 14: the last alert accepted */
        char until[32] = "";
        clock_format_utc(al.until_ms, until, sizeof until);
        printf("alert:    version %lld, %s%s%s\n", al.version,
               al.clear ? "cleared" : alert_level_name(al.level), al.clear ? "" : " until ",
               al.clear ? "" : until);
    }
    if (!s.current[0]) {
        printf("state:    %s\ncurrent:  nothing installed\n", a->state_dir);
        return 0;
    }
    printf("state:    %s\ncurrent:  %s (version %lld)\nprevious: %s\nhighest:  %lld\n",
           a->state_dir, s.current, s.current_version, s.previous[0] ? s.previous : "-", s.highest);
    SyncStatus ss;
    if (sync_read_status(a->state_dir, &ss) == 0) {
        char mark[128], t1[40] = "-", t2[40] = "-";
        sync_status_mark(&ss, mark, sizeof mark);
        if (ss.last_ok_ms) clock_format_utc(ss.last_ok_ms, t1, sizeof t1);
        if (ss.last_update_ms) clock_format_utc(ss.last_update_ms, t2, sizeof t2);
        printf("network:  %s\nlast contact: %s\nlast update:  %s (version %lld)\nlast error:   %s\n",
               mark, t1, t2, ss.last_version, ss.last_error[0] ? ss.last_error : "-");
    }
    return 0;
}

static int cmd_rollback(const Args *a)
{
    char err[600];
    if (!a->state_dir) {
        usage(stderr);
        return 2;
    }
    if (bundle_rollback(a->state_dir, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    BundleState s;
    bundle_state(a->state_dir, &s, err, sizeof err);
    printf("now showing %s (version %lld); the display switches at its next page\n", s.current,
           s.current_version);
    return 0;
}

/* Builds SRC into DIR/preview.litfass and renders one full rotation as the screen will
 * show it (the configuration's pages, page_seconds, site_id and time zone), at the four
 * reference sizes unless --size says otherwise, in German into DIR and in every language
 * the content has a translation for into DIR/<lang>. Texts that do not fit are listed. */
static int cmd_preview(const Args *a)
{
    if (!a->file || !a->out) {
        usage(stderr);
        return 2;
    }
    char err[600];
    Config cfg;
    if (load_config(a, &cfg) != 0) {
        return 1;
    }
    PreviewOptions o = { 0 };
    o.cfg = &cfg;
    Clock clock = clock_system();
    o.now_ms = clock.wall_ms(&clock);
    if (a->now && clock_parse_iso(a->now, &o.now_ms) != 0) {
        fprintf(stderr, "litfassctl: --now must be a time like 2021-06-01T15:30, not '%s'\n",
                a->now);
        return 2;
    }
    static const int ref[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };
    for (int i = 0; i < (a->n_size ? a->n_size : 4); i++) {
        char extra;
        if (!a->n_size) {
            o.w[i] = ref[i][0];
            o.h[i] = ref[i][1];
        } else if (sscanf(a->size[i], "%dx%d%c", &o.w[i], &o.h[i], &extra) != 2 || o.w[i] < 160 ||
                   o.h[i] < 160 || o.w[i] > 8192 || o.h[i] > 8192) {
            fprintf(stderr, "litfassctl: --size must be WIDTHxHEIGHT like 1920x1080, not '%s'\n",
                    a->size[i]);
            return 2;
        }
        o.n_sizes++;
    }
    if (mkdir(a->out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "litfassctl: cannot create %s: %s\n", a->out, strerror(errno));
        return 1;
    }
    char db[4200];
    snprintf(db, sizeof db, "%s/preview.litfass", a->out);
    if (build_content(a->file, db, a->version > 0 ? a->version : 1, o.now_ms, a->map, err,
                      sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    Model m;
    memset(&m, 0, sizeof m);
    if (store_load_path(db, &m) != 0) {
        fprintf(stderr, "litfassctl: %s\n", m.problem);
        return 1;
    }
    o.db = db;
    Text *text;
    if (text_open(cfg.font_dir, &text, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s (set font_dir in the configuration)\n", err);
        model_free(&m);
        return 1;
    }
    int warnings = preview_write(&m, text, &o, a->out, stderr, err, sizeof err);
    model_free(&m);
    /* every language the content has a translation for: the same into DIR/<lang>/ */
    char langs[64] = "";
    Store *st;
    if (warnings >= 0 && store_open(db, &st, err, sizeof err) == 0) {
        store_languages(st, langs, sizeof langs, err, sizeof err);
        store_close(st);
    }
    char *save = NULL;
    for (char *lang = strtok_r(langs, ",", &save); lang && warnings >= 0;
         lang = strtok_r(NULL, ",", &save)) {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/%s", a->out, lang);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            utf8_format_cut(err, sizeof err, "cannot create %s: %s", dir, strerror(errno));
            warnings = -1;
            break;
        }
        if (store_load_lang_path(db, lang, &m) != 0) {
            snprintf(err, sizeof err, "%s", m.problem);
            warnings = -1;
            break;
        }
        o.lang = lang;
        ui_use_language(lang); /* the pages' own texts in that language */
        int w = preview_write(&m, text, &o, dir, stderr, err, sizeof err);
        ui_use_language(NULL);
        model_free(&m);
        warnings = w < 0 ? -1 : warnings + w;
        if (w >= 0) {
            printf("preview in %s: %s/index.html\n", lang, dir);
        }
    }
    text_close(text);
    if (warnings < 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("preview of %s in %s/index.html (frames: %s/frames.json)%s\n", a->file, a->out, a->out,
           warnings ? "; some texts do not fit, see above" : "; every text fits");
    return 0;
}

/* A signed alert (issue 14) into a folder, for a stick or a publish directory. Times
 * without an offset are local to the configured zone. The version is never below the one
 * already in the folder, so a second alert within a second still replaces the first. */
static int cmd_alert(const Args *a)
{
    char err[600] = "", path[4300];
    if (!a->out || !a->sec || (a->clear ? a->file != NULL || a->until || a->from || a->level
                                       : !a->file || !a->until)) {
        usage(stderr);
        return 2;
    }
    Config cfg;
    if (load_config(a, &cfg) != 0) {
        return 1;
    }
    Alert al;
    memset(&al, 0, sizeof al);
    al.clear = a->clear;
    if (!a->clear) {
        if (clock_parse_iso(a->until, &al.until_ms) != 0 ||
            (a->from && clock_parse_iso(a->from, &al.from_ms) != 0)) {
            fprintf(stderr, "litfassctl: --%s must be ISO 8601 like 2026-12-01T18:00, not '%s'\n",
                    a->from && clock_parse_iso(a->from, &al.from_ms) != 0 ? "from" : "until",
                    a->from && clock_parse_iso(a->from, &al.from_ms) != 0 ? a->from : a->until);
            return 2;
        }
        if (a->level && alert_level_parse(a->level, &al.level) != 0) {
            fprintf(stderr, "litfassctl: --level must be info, warning or danger, not '%s'\n",
                    a->level);
            return 2;
        }
        if (!a->level) {
            al.level = ALERT_WARNING;
        }
        if (strlen(a->file) > ALERT_MAX_TEXT) {
            fprintf(stderr, "litfassctl: the alert's text has %zu bytes, at most %d are allowed\n",
                    strlen(a->file), ALERT_MAX_TEXT);
            return 1;
        }
        snprintf(al.text, sizeof al.text, "%s", a->file);
    }
    Clock clock = clock_system();
    int64_t now = clock.wall_ms(&clock);
    if (!a->clear && al.until_ms <= now) {
        fprintf(stderr, "litfassctl: --until %s lies in the past; the alert would never show\n",
                a->until);
        return 1;
    }
    al.version = a->version;
    if (al.version == 0) {
        char stamp[32];
        clock_format_utc(now, stamp, sizeof stamp); /* YYYY-MM-DDTHH:MM:SSZ */
        int y, mo, d, h, mi, se;
        sscanf(stamp, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se);
        al.version = ((((y * 100LL + mo) * 100 + d) * 100 + h) * 100 + mi) * 100 + se;
        Alert old;
        char buf[ALERT_MAX_BYTES + 1], oe[200];
        snprintf(path, sizeof path, "%s/%s", a->out, ALERT_FILE_NAME);
        FILE *f = fopen(path, "rb");
        size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
        if (f) {
            fclose(f);
        }
        if (n > 0 && alert_parse(buf, n, &old, oe, sizeof oe) == 0 && old.version >= al.version) {
            al.version = old.version + 1;
        }
    }
    if (alertfile_write(&al, a->out, a->sec, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    if (al.clear) {
        printf("wrote a signed clear (alert version %lld): %s and %s.minisig\n", al.version, path,
               path);
    } else {
        printf("wrote a signed %s alert (version %lld): %s and %s.minisig\n",
               alert_level_name(al.level), al.version, path, path);
    }
    return 0;
}

/* The relative path from folder from to folder to (both made absolute), with a trailing
 * '/', into buf; "" when they are the same. */
static int relative_dir(const char *from, const char *to, char *buf, size_t len)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(from, a) || !realpath(to, b)) {
        return -1;
    }
    size_t common = 0, i = 0;
    for (; a[i] && a[i] == b[i]; i++) {
        if (a[i] == '/') {
            common = i;
        }
    }
    if (!a[i] && (!b[i] || b[i] == '/')) {
        common = i;
    } else if (!b[i] && a[i] == '/') {
        common = i;
    }
    buf[0] = '\0';
    for (const char *p = a + common; *p; p++) {
        if (*p == '/') {
            utf8_append_cut(buf, len, "../");
        }
    }
    if (b[common]) {
        utf8_append_cut(buf, len, b + common + 1);
        utf8_append_cut(buf, len, "/");
    }
    return 0;
}

/* The fleet overview: REPORT_DIR (one folder per screen) as one HTML page. */
static int cmd_fleet(const Args *a)
{
    char err[600], outdir[PATH_MAX], prefix[PATH_MAX];
    if (!a->file || !a->out) {
        usage(stderr);
        return 2;
    }
    int64_t now = 0;
    if (a->now && clock_parse_iso(a->now, &now) != 0) {
        fprintf(stderr, "litfassctl: --now must be ISO 8601, not '%s'\n", a->now);
        return 2;
    }
    if (!a->now) {
        Clock c = clock_system();
        now = c.wall_ms(&c);
    }
    snprintf(outdir, sizeof outdir, "%s", a->out);
    char *slash = strrchr(outdir, '/');
    if (slash) {
        *slash = '\0';
    } else {
        snprintf(outdir, sizeof outdir, ".");
    }
    if (relative_dir(outdir[0] ? outdir : "/", a->file, prefix, sizeof prefix) != 0) {
        fprintf(stderr, "litfassctl: %s: %s\n", a->file, strerror(errno));
        return 1;
    }
    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", a->out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "litfassctl: cannot write %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    int n = fleet_write(a->file, prefix, now, f, err, sizeof err);
    if (fclose(f) != 0 || n < 0 || rename(tmp, a->out) != 0) {
        fprintf(stderr, "litfassctl: %s\n", n < 0 ? err : strerror(errno));
        unlink(tmp);
        return 1;
    }
    printf("%s: %d screens\n", a->out, n);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(const Args *);
    } cmds[] = {
        { "build", cmd_build },     { "keygen", cmd_keygen },         { "sign", cmd_sign },
        { "verify", cmd_verify },   { "inspect", cmd_inspect },       { "import", cmd_import },
        { "import-usb", cmd_import_usb }, { "status", cmd_status },   { "rollback", cmd_rollback },
        { "publish", cmd_publish },       { "sync", cmd_sync },           { "preview", cmd_preview },
        { "alert", cmd_alert },     { "fleet", cmd_fleet },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (!strcmp(argv[1], cmds[i].name)) {
            Args a;
            if (parse_args(argc - 2, argv + 2, &a) != 0) {
                return 2;
            }
            int rc = cmds[i].fn(&a);
            log_flush();
            return rc;
        }
    }
    fprintf(stderr, "litfassctl: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
