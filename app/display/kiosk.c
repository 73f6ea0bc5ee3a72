/* kiosk: a generation-style scheme (after tmux's redraw flags): the draw list is
 * rebuilt only on a reason — minute, page, content, size — and drawn only if it
 * differs from the one on screen. Between reasons the process sleeps until the
 * earliest moment one can occur. New content is looked for at page boundaries only,
 * so a page never changes under a visitor's eyes. */
#define _POSIX_C_SOURCE 200809L
#include "display/kiosk.h"

#include "base/log.h"
#include "base/screentime.h"
#include "base/trust.h"
#include "base/ui.h"
#include "base/utf8.h"
#include "display/panel.h"
#include "display/preview.h"
#include "display/render.h"
#include "display/snapshot.h"
#include "display/transition.h"
#include "pages/alert_page.h"
#include "pages/page.h"
#include "pages/poster_page.h"
#include "store/alert.h"
#include "store/store.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAGES 8
#define DIRTY_MINUTE 2 /* k->dirty: only the minute changed */

struct Kiosk {
    Config cfg;
    const Clock *clock; /* owned by the caller */
    Text *text;
    TextMetrics tm;
    Model model; /* in the first configured language: the one every decision reads */
    /* languages in rotation (static codes) and the model in each; lang_models[0] is
     * unused (model) */
    const char *langs[UI_MAX_LANGUAGES];
    int n_langs, lang; /* lang: the index of the language on screen */
    Model lang_models[UI_MAX_LANGUAGES];
    int lang_shown[UI_MAX_LANGUAGES]; /* 0: the content has no text in it, left out */
    char content_path[1100];
    struct stat content_st; /* identity of the loaded content file */
    const char *pages[MAX_PAGES];
    char page_names[MAX_PAGES][32];
    int n_pages, page;
    int64_t page_started; /* monotonic ms */
    int64_t minute;       /* wall minute of the current draw list */
    int w, h;
    int dirty;          /* the draw list must be rebuilt */
    int64_t rebuild_at; /* monotonic ms when the list asked to be rebuilt, or 0 */
    char notice[256];
    int notice_ok;
    int64_t notice_until; /* monotonic ms; 0: no notice */
    Usb *usb;
    SyncWorker *sync;
    char status[96]; /* network mark */
    char key_mark[128]; /* lasting mark of a key problem, "" when none */
    DrawList list;
    DrawList prev;  /* the list before the last full rebuild: the page a transition leaves */
    unsigned turn;  /* counts page turns: page, language, panel page or alert changed */
    struct {
        const char *name;
        const Heartbeat *beat;
        int64_t bound_ms;
        int stalled; /* reported */
    } watched[KIOSK_MAX_WATCHED];
    int n_watched;
    int trusted;      /* the wall clock can be believed (checked every minute) */
    int64_t floor_ms; /* a time surely past: the persisted floor, the content's creation */
    int64_t floor_saved; /* wall ms when the floor was last written */
    int64_t floor_file;  /* the persisted floor: read once at start, kept as written */
    const char *shown; /* the page on screen: pages[page], or "idle" when nothing is valid */
    char poster_note[400]; /* why the poster page is left out, as last logged; "": it is not */
    ScreenTimes times; /* in force: the content's (screen.csv) or the configuration's */
    ScreenTimes cfg_times; /* screen_on, screen_off_days */
    int screen_on;     /* -1 until the first update */
    Alert alert;          /* the installed alert (issue 14); version 0: none */
    struct stat alert_st; /* identity of the alert file it was read from */
    int alert_on;         /* it was active at the last update */
    Panel *panel;      /* switches the screen itself; NULL: only the picture goes black */
    int panel_dark;    /* the panel really switched the output off: nothing to present */
    int untrusted_logged; /* "screen times not applied" said since the clock was last believed */
    int64_t wake_until;   /* monotonic ms: on for staff outside the screen times; 0: not */
    Reporter *report;     /* issue 18: NULL when the screen does not report */
    ReportDisplay facts;  /* what the report worker was last told */
    int64_t play_wall;    /* wall ms when the page on screen started, 0: none on screen */
    int64_t play_mono;    /* the same start, monotonic */
    int picture_wanted;   /* hand the next drawn frame to the report worker */
};

/* ---- issue 18: reports. Everything the kiosk tells the report worker is here; each
 * call only copies under the worker's mutex (no disk, no network on this thread). ---- */

/* Ends the play of the page on screen (if one is on screen and it is on) at mono. */
static void report_play_end(Kiosk *k, int64_t mono)
{
    if (k->report && k->play_wall > 0 && k->shown && k->screen_on == 1) {
        PlayEntry e;
        memset(&e, 0, sizeof e);
        e.start_ms = k->play_wall;
        e.duration_ms = mono - k->play_mono;
        snprintf(e.page, sizeof e.page, "%s", k->alert_on ? "alert" : k->shown);
        snprintf(e.lang, sizeof e.lang, "%s", k->langs[k->lang]);
        e.version = k->model.has_content ? (long long)k->model.content_version : 0;
        report_play(k->report, &e);
    }
    k->play_wall = 0;
}

/* Tells the worker the display's facts; reason (not NULL) asks for a status at once. */
static void report_facts(Kiosk *k, const char *reason, const char *usb)
{
    if (!k->report) {
        return;
    }
    ReportDisplay *d = &k->facts;
    d->version = k->model.has_content ? (long long)k->model.content_version : 0;
    d->installed_ms = (int64_t)k->content_st.st_mtim.tv_sec * 1000;
    utf8_copy_cut(d->alert, sizeof d->alert, k->alert_on ? k->alert.text : "");
    d->clock_trusted = k->trusted > 0;
    d->screen_on = k->screen_on != 0;
    snprintf(d->page, sizeof d->page, "%s", kiosk_page(k));
    snprintf(d->lang, sizeof d->lang, "%s", k->langs[k->lang]);
    if (usb) {
        utf8_copy_cut(d->usb, sizeof d->usb, usb);
        d->usb_ms = k->clock->wall_ms(k->clock);
    }
    report_display(k->report, d);
    if (reason) {
        report_now(k->report, reason);
    }
}

/* A play starts now (the page on screen, or the alert over it). */
static void report_play_start(Kiosk *k, int64_t mono, int64_t wall)
{
    k->play_wall = wall;
    k->play_mono = mono;
}

/* After a page boundary (the page that ended was logged before it): the next play starts;
 * a picture of the new page is wanted when the worker asks for one. */
static void report_page_boundary(Kiosk *k, int64_t mono, int64_t wall)
{
    if (!k->report) {
        return;
    }
    report_play_start(k, mono, wall);
    report_facts(k, NULL, NULL);
    k->picture_wanted = k->screen_on == 1 && report_wants_screen(k->report);
}

void kiosk_set_report(Kiosk *k, Reporter *r)
{
    if (k->report && r != k->report) {
        report_play_end(k, k->clock->mono_ms(k->clock)); /* the page on screen at a stop */
    }
    k->report = r;
    if (r) {
        kiosk_watch(k, "report", report_heartbeat(r), REPORT_STALL_MS);
    }
}

/* Picks the screen times in force: the content's weekly times (screen.csv) over the
 * configuration's screen_on, and the days off of both. Logs them when they change. */
static void choose_times(Kiosk *k, int first)
{
    ScreenTimes t = k->cfg_times, c;
    memset(&c, 0, sizeof c);
    char why[160], on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES];
    const char *from = k->cfg.screen_on[0] ? "the configuration (screen_on)" : "";
    if (k->model.has_content && (k->model.screen_on[0] || k->model.screen_off_days[0]) &&
        screentime_parse(k->model.screen_on, &c, why, sizeof why) == 0 &&
        screentime_parse_off(k->model.screen_off_days, &c, why, sizeof why) == 0) {
        if (c.n > 0) {
            t.n = c.n;
            memcpy(t.range, c.range, sizeof t.range);
            from = k->cfg.screen_on[0] ? "the content (screen.csv), not the configuration's "
                                         "screen_on"
                                       : "the content (screen.csv)";
        }
        if (screentime_add_off(&t, &c) != 0) {
            log_warn("kiosk", "more than %d days off in content and configuration together: "
                    "the content's last ones are left out", SCREENTIME_MAX_OFF_DAYS);
        }
    }
    if (!first && memcmp(&t, &k->times, sizeof t) == 0) {
        return;
    }
    k->times = t;
    if (screentime_format(&t, on, sizeof on, off, sizeof off) != 0) {
        on[0] = off[0] = '\0';
    }
    log_msg("kiosk", "screen times%s%s: %s%s%s", from[0] ? " from " : "", from,
            t.n ? on : "always on", off[0] ? "; off all day on " : "", off);
}

/* Whether the screen is on at wall, and when that changes (*next, 0: not known). A clock
 * that is not believed decides nothing: after an offline boot it may be last night's
 * time, and a screen dark through the opening hours looks broken, while one lit at night
 * only costs power. So the screen stays on until the clock can be believed (checked every
 * minute, so the times apply within a minute of that). */
static int screen_state(Kiosk *k, int64_t wall, int64_t *next)
{
    *next = 0;
    if (!k->trusted && (k->times.n > 0 || k->times.n_off > 0)) {
        if (!k->untrusted_logged) {
            log_msg("kiosk", "screen times not applied while the clock is not trusted: the "
                    "screen stays on");
            k->untrusted_logged = 1;
        }
        return 1;
    }
    k->untrusted_logged = 0;
    return screentime_on(&k->times, wall, next);
}

/* Tells the panel the state of the screen (it acts only on a change). */
static void tell_panel(Kiosk *k)
{
    if (k->panel && k->screen_on >= 0) {
        k->panel_dark = panel_set(k->panel, k->screen_on) == 1 && !k->screen_on;
    }
}

/* Local midnight at the start of day ("YYYY-MM-DD") plus days. */
static int64_t day_start(const char *day, int days)
{
    char d[16];
    int64_t t = 0;
    if (clock_date_add(day, days, d, sizeof d) != 0 || clock_parse_iso(d, &t) != 0) {
        return 0;
    }
    return t;
}

/* Whether a page's content may be shown now: the campaign only from the first day of its
 * valid_from to the end of its valid_until. While the clock is not believed, only the
 * floor (a time surely past) can tell that content has ended; its start is not judged. */
static int page_valid(const Kiosk *k, const char *page, int64_t wall)
{
    const Campaign *c = &k->model.campaign;
    if (!strcmp(page, "posters") && k->model.has_content) {
        int idx[1]; /* shown while at least one poster is */
        return poster_valid(&k->model, wall, !k->trusted, k->floor_ms, idx, 1) > 0;
    }
    if (strcmp(page, "campaign") != 0 || !k->model.has_content) {
        return 1;
    }
    int64_t now = k->trusted ? wall : k->floor_ms;
    if (c->valid_until[0] && now >= day_start(c->valid_until, 1)) {
        return 0;
    }
    return !k->trusted || !c->valid_from[0] || wall >= day_start(c->valid_from, 0);
}

/* The configured page at k->page when it is valid, else the next valid one in the
 * rotation (k->page moves there), else the neutral page. */
static const char *choose_page(Kiosk *k, int64_t wall)
{
    /* staff hear once why the poster page is left out (and when it is back), not at
     * every page boundary: the line is logged when it changes (at most once a day) */
    for (int i = 0; i < k->n_pages; i++) {
        if (strcmp(k->pages[i], "posters") != 0) {
            continue;
        }
        char why[sizeof k->poster_note];
        if (!k->model.has_content ||
            !poster_left_out(&k->model, wall, !k->trusted, k->floor_ms, why, sizeof why)) {
            if (k->poster_note[0] && k->model.has_content) {
                log_msg("kiosk", "poster page back in the rotation: a poster is valid again");
            }
            k->poster_note[0] = '\0';
        } else if (strcmp(why, k->poster_note) != 0) {
            /* a warning: a configured page that shows nothing reaches the status report */
            log_warn("kiosk", "%s", why);
            snprintf(k->poster_note, sizeof k->poster_note, "%s", why);
        }
        break;
    }
    for (int i = 0; i < k->n_pages; i++) {
        int at = (k->page + i) % k->n_pages;
        if (page_valid(k, k->pages[at], wall)) {
            k->page = at;
            return k->pages[at];
        }
    }
    return "idle";
}

/* Checks once a minute whether the wall clock can be believed and keeps the floor:
 * raised (at most hourly, to spare the SD card) while the clock is trusted, never below
 * the loaded content's creation time. Returns 1 when the answer changed. */
static int check_trust(Kiosk *k, int64_t wall)
{
    int64_t created = 0;
    if (k->model.has_content && k->model.created[0]) {
        clock_parse_iso(k->model.created, &created);
    }
    k->floor_ms = k->floor_file > created ? k->floor_file : created;
    TrustSignals sig;
    trust_probe(&sig);
    char why[160];
    int trusted = trust_decide(k->cfg.clock_trust, &sig, wall, k->floor_ms, why, sizeof why);
    if (trusted && wall - k->floor_saved >= 3600000) {
        if (trust_floor_store(k->cfg.state_dir, wall) == 0 && wall > k->floor_file) {
            k->floor_file = wall; /* no state dir (--db): nothing kept */
        }
        k->floor_saved = wall;
    }
    int changed = trusted != k->trusted;
    if (changed) {
        log_msg("kiosk", "%s: %s", trusted ? "clock trusted" : "clock not trusted (no claims "
                                                           "about now on screen)", why);
    }
    k->trusted = trusted;
    return changed;
}

static int same_file(const struct stat *a, const struct stat *b);

/* Reads the state directory's alert again when its file changed (an install by USB,
 * network or litfassctl replaces it by rename). Returns 1 when the alert changed. */
static int reload_alert(Kiosk *k)
{
    char path[1100];
    struct stat st;
    memset(&st, 0, sizeof st);
    snprintf(path, sizeof path, "%s/alert", k->cfg.state_dir);
    if (stat(path, &st) != 0) {
        memset(&st, 0, sizeof st);
    }
    if (same_file(&st, &k->alert_st) && k->alert.version > 0) {
        return 0;
    }
    k->alert_st = st;
    Alert next;
    if (alert_load(k->cfg.state_dir, &next) != 0 || next.version == k->alert.version) {
        return 0;
    }
    k->alert = next;
    if (next.clear) {
        log_msg("kiosk", "alert version %lld: cleared", next.version);
    } else {
        char until[32];
        clock_format_utc(next.until_ms, until, sizeof until);
        log_msg("kiosk", "alert version %lld (%s) until %s", next.version,
                alert_level_name(next.level), until);
    }
    return 1;
}

/* The alert to show now, or NULL. */
static const Alert *active_alert(const Kiosk *k, int64_t wall)
{
    return alert_active(&k->alert, wall, k->trusted > 0, k->floor_ms) ? &k->alert : NULL;
}

/* Where the content is: the configured db, or what the state directory points to. */
static int content_path(const Kiosk *k, char *buf, size_t len, char *err, size_t errlen)
{
    if (k->cfg.db[0]) {
        snprintf(buf, len, "%s", k->cfg.db);
        return 0;
    }
    /* current; if its file is missing, previous; then fallback_db (the package's default) */
    return store_content_path(k->cfg.state_dir, k->cfg.fallback_db, buf, len, err, errlen);
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The model of language i of the rotation. */
static const Model *lang_model(const Kiosk *k, int i)
{
    return i > 0 && i < k->n_langs ? &k->lang_models[i] : &k->model;
}

/* Loads the model of every further language from path (k->model, the first, is loaded),
 * opening the database once for all of them (its integrity check is the costly part).
 * A language that fails to load shows the first language's text (logged). */
static void load_languages(Kiosk *k, const char *path)
{
    Store *s = NULL;
    char err[300], has[64] = "";
    for (int i = 0; i < k->n_langs; i++) {
        k->lang_shown[i] = 1;
    }
    for (int i = 1; i < k->n_langs; i++) {
        Model *m = &k->lang_models[i];
        model_free(m);
        if (!k->model.has_content) {
            continue; /* the "no content" page, in every language */
        }
        if (!s) {
            if (store_open(path, &s, err, sizeof err) != 0) {
                log_warn("kiosk", "content in %s not loaded: %s", k->langs[i], err);
                s = NULL;
                continue;
            }
            if (store_languages(s, has, sizeof has, err, sizeof err) != 0) {
                has[0] = '\0';
            }
        }
        /* a language the content says nothing in would show the first language's text
         * under another language's name: it waits until content in it arrives (German,
         * the reference, is always there) */
        char want[16];
        snprintf(want, sizeof want, ",%s,", k->langs[i]);
        char list[80];
        snprintf(list, sizeof list, ",%s,", has);
        if (strcmp(k->langs[i], "de") != 0 && !strstr(list, want)) {
            k->lang_shown[i] = 0;
            log_warn("kiosk", "the content has no text in %s: left out of the rotation until it "
                    "has", k->langs[i]);
        }
        if (store_load_lang(s, k->langs[i], m, err, sizeof err) != 0) {
            log_warn("kiosk", "content in %s not loaded, showing %s instead: %s", k->langs[i],
                    k->langs[0], err);
            if (store_load_lang(s, k->langs[0], m, err, sizeof err) != 0) {
                utf8_copy_cut(m->problem, sizeof m->problem, err);
            }
        }
    }
    store_close(s);
}

/* Loads the content if it is not the one already loaded. Content that fails to
 * load never replaces content on screen; it only replaces the "no content" page
 * (with a better reason). Returns 1 if the model changed. */
static int reload(Kiosk *k, int force)
{
    char path[sizeof k->content_path], err[300];
    struct stat st;
    memset(&st, 0, sizeof st);
    if (content_path(k, path, sizeof path, err, sizeof err) != 0) {
        if (!force) {
            return 0; /* keep what is on screen */
        }
        model_free(&k->model);
        utf8_copy_cut(k->model.problem, sizeof k->model.problem, err);
        log_error("kiosk", "no content: %s", err);
        load_languages(k, "");
        return 1;
    }
    int exists = stat(path, &st) == 0;
    if (!force && exists && strcmp(path, k->content_path) == 0 &&
        same_file(&st, &k->content_st)) {
        return 0;
    }
    snprintf(k->content_path, sizeof k->content_path, "%s", path);
    k->content_st = st;
    Model next;
    memset(&next, 0, sizeof next);
    model_free(&next);
    if (store_load_lang_path(path, k->langs[0], &next) == 0) {
        log_msg("kiosk", "showing content version %lld from %s",
                (long long)next.content_version, path);
    } else if (k->model.has_content) {
        log_warn("kiosk", "keeping content version %lld: %s",
                (long long)k->model.content_version, next.problem);
        model_free(&next);
        return 0;
    } else {
        log_error("kiosk", "no content: %s", next.problem);
    }
    model_free(&k->model);
    k->model = next;
    load_languages(k, path);
    return 1;
}

int kiosk_create(const Config *cfg, const Clock *clock, Text *text, Kiosk **out)
{
    Kiosk *k = calloc(1, sizeof *k);
    if (!k) {
        abort();
    }
    k->cfg = *cfg;
    k->clock = clock;
    k->text = text;
    k->tm = text_metrics(text);
    model_free(&k->model);
    k->n_langs = config_languages(cfg, k->langs, UI_MAX_LANGUAGES);
    for (int i = 0; i < UI_MAX_LANGUAGES; i++) {
        memset(&k->lang_models[i], 0, sizeof k->lang_models[i]);
        model_free(&k->lang_models[i]);
    }
    drawlist_init(&k->list, 0, 0);
    drawlist_init(&k->prev, 0, 0);
    char buf[sizeof cfg->pages];
    snprintf(buf, sizeof buf, "%s", cfg->pages);
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p && k->n_pages < MAX_PAGES;
         p = strtok_r(NULL, ",", &save)) {
        snprintf(k->page_names[k->n_pages], sizeof k->page_names[0], "%s", p);
        k->pages[k->n_pages] = k->page_names[k->n_pages];
        k->n_pages++;
    }
    if (k->n_pages == 0) {
        k->pages[k->n_pages++] = config_pages[0];
    }
    reload(k, 1);
    k->page_started = k->clock->mono_ms(k->clock);
    k->minute = -1;
    k->dirty = 1;
    k->trusted = -1; /* the first update decides */
    k->floor_file = trust_floor_load(cfg->state_dir); /* the only writer afterwards is us */
    k->screen_on = -1;
    reload_alert(k);
    char why[160];
    if (screentime_parse(cfg->screen_on, &k->cfg_times, why, sizeof why) != 0 ||
        screentime_parse_off(cfg->screen_off_days, &k->cfg_times, why, sizeof why) != 0) {
        log_warn("kiosk", "screen times ignored: %s", why); /* config_set refuses these */
        memset(&k->cfg_times, 0, sizeof k->cfg_times);
    }
    choose_times(k, 1);
    *out = k;
    return 0;
}

void kiosk_destroy(Kiosk *k)
{
    if (!k) {
        return;
    }
    model_free(&k->model);
    for (int i = 0; i < UI_MAX_LANGUAGES; i++) {
        model_free(&k->lang_models[i]);
    }
    drawlist_free(&k->list);
    drawlist_free(&k->prev);
    free(k);
}

void kiosk_wake(Kiosk *k, int64_t ms)
{
    int64_t mono = k->clock->mono_ms(k->clock);
    k->wake_until = mono + ms;
    k->dirty = 1;
}

void kiosk_set_panel(Kiosk *k, Panel *panel)
{
    k->panel = panel;
    tell_panel(k);
}

const DrawList *kiosk_drawlist(const Kiosk *k)
{
    return &k->list;
}

const DrawList *kiosk_previous(const Kiosk *k)
{
    return &k->prev;
}

unsigned kiosk_turn(const Kiosk *k)
{
    return k->turn;
}

const char *kiosk_page(const Kiosk *k)
{
    return k->shown ? k->shown : k->pages[k->page];
}

int kiosk_page_index(const Kiosk *k)
{
    return k->page;
}

const char *kiosk_language(const Kiosk *k)
{
    return k->langs[k->lang];
}

void kiosk_notice(Kiosk *k, const char *text, int ok)
{
    utf8_copy_cut(k->notice, sizeof k->notice, text);
    k->notice_ok = ok;
    k->notice_until = k->clock->mono_ms(k->clock) + KIOSK_NOTICE_MS;
    k->dirty = 1;
}

void kiosk_set_key_problem(Kiosk *k, const char *notice, const char *mark)
{
    if (notice && *notice) {
        kiosk_notice(k, notice, 0);
    }
    utf8_copy_cut(k->key_mark, sizeof k->key_mark, mark ? mark : "");
    k->dirty = 1;
}

void kiosk_set_usb(Kiosk *k, Usb *u)
{
    k->usb = u;
    if (u) {
        kiosk_watch(k, "usb", usb_heartbeat(u), USB_STALL_MS);
    }
}

void kiosk_watch(Kiosk *k, const char *name, const Heartbeat *beat, int64_t bound_ms)
{
    if (k->n_watched < KIOSK_MAX_WATCHED) {
        k->watched[k->n_watched].name = name;
        k->watched[k->n_watched].beat = beat;
        k->watched[k->n_watched].bound_ms = bound_ms;
        k->watched[k->n_watched].stalled = 0;
        k->n_watched++;
    }
}

int kiosk_alive(Kiosk *k)
{
    int alive = 1;
    int64_t now = k->clock->mono_ms(k->clock);
    for (int i = 0; i < k->n_watched; i++) {
        int64_t silent = heartbeat_silent_ms(k->watched[i].beat, now);
        int stalled = silent > k->watched[i].bound_ms;
        if (stalled && !k->watched[i].stalled) {
            log_error("kiosk", "the %s worker has made no progress for %lld s; no longer telling "
                    "systemd the display is alive, so that it restarts the service",
                    k->watched[i].name, (long long)(silent / 1000));
        } else if (!stalled && k->watched[i].stalled) {
            log_msg("kiosk", "the %s worker is making progress again", k->watched[i].name);
        }
        k->watched[i].stalled = stalled;
        alive = alive && !stalled;
    }
    return alive;
}

static void refresh_status(Kiosk *k)
{
    SyncStatus s;
    char mark[96] = "";
    if (k->sync && sync_read_status(k->cfg.state_dir, &s) == 0) {
        sync_status_mark(&s, mark, sizeof mark);
    }
    if (strcmp(mark, k->status) != 0) {
        snprintf(k->status, sizeof k->status, "%s", mark);
        k->dirty = 1;
    }
}

void kiosk_set_sync(Kiosk *k, SyncWorker *w)
{
    k->sync = w;
    if (w) {
        kiosk_watch(k, "network sync", sync_heartbeat(w), SYNC_STALL_MS);
    }
    refresh_status(k);
}

int64_t kiosk_page_ms(const Kiosk *k)
{
    int64_t page_ms = (int64_t)k->cfg.page_seconds * 1000;
    int64_t panels = (int64_t)k->list.panel_pages * k->list.panel_ms;
    return panels > page_ms ? panels : page_ms;
}

/* The footer's right-hand mark: the language's own name when the screen speaks more
 * than one (a visitor sees that another language comes next), the network mark, the
 * key problem. */
static void compose_status(const Kiosk *k, const UiLanguage *lang, char *buf, size_t len)
{
    snprintf(buf, len, "%s", k->n_langs > 1 ? lang->name : "");
    const char *parts[] = { k->status, k->key_mark };
    for (int i = 0; i < 2; i++) {
        if (parts[i][0]) {
            if (buf[0]) {
                utf8_append_cut(buf, len, " \xc2\xb7 ");
            }
            utf8_append_cut(buf, len, parts[i]);
        }
    }
}

/* Whether two wall minutes fall on the same local day. */
static int same_day(int64_t a, int64_t b)
{
    time_t ta = (time_t)(a * 60), tb = (time_t)(b * 60);
    struct tm da, db;
    if (!localtime_r(&ta, &da) || !localtime_r(&tb, &db)) {
        return 0;
    }
    return da.tm_year == db.tm_year && da.tm_yday == db.tm_yday;
}

int kiosk_update(Kiosk *k, int w, int h, int64_t *wait_ms)
{
    int64_t mono = k->clock->mono_ms(k->clock);
    int64_t wall = k->clock->wall_ms(k->clock);
    int64_t page_ms = kiosk_page_ms(k);
    UsbOutcome o;
    int took = 0;
    while (k->usb && usb_take(k->usb, &o)) {
        kiosk_notice(k, o.message, o.result == BUNDLE_OK || o.alert_result == BUNDLE_OK);
        kiosk_wake(k, KIOSK_WAKE_MS); /* staff at the stick see what it did, also when off */
        took = 1;
        report_facts(k, o.result == BUNDLE_OK || o.alert_result == BUNDLE_OK ? "install"
                                                                             : "refusal",
                     o.message);
    }
    SyncOutcome so;
    if (k->sync && sync_take(k->sync, &so)) {
        if (so.kind == SYNC_INSTALLED && so.alert_message[0]) { /* both in one poll */
            char both[sizeof so.message + sizeof so.alert_message + 8];
            snprintf(both, sizeof both, "%s \xc2\xb7 %s", so.alert_message, so.message);
            kiosk_notice(k, both, 1);
        } else if (so.kind == SYNC_INSTALLED) {
            kiosk_notice(k, so.message, 1);
        } else if (so.alert_message[0]) {
            kiosk_notice(k, so.alert_message, so.alert_result == BUNDLE_OK);
        }
        took = 1;
        refresh_status(k);
        if (so.kind == SYNC_INSTALLED || so.alert_result == BUNDLE_OK) {
            report_facts(k, "install", NULL);
        } else if (so.kind == SYNC_FAILED && so.result != BUNDLE_OK && so.http_status == 200) {
            report_facts(k, "refusal", NULL); /* the server answered, the bundle was refused */
        }
    }
    if (k->notice_until > 0 && mono >= k->notice_until) {
        k->notice_until = 0;
        k->dirty = 1;
    }

    int64_t minute = wall >= 0 ? wall / 60000 : (wall - 59999) / 60000;
    if (minute != k->minute && check_trust(k, wall)) {
        k->dirty = 1;
        report_facts(k, NULL, NULL); /* plays are logged only while the clock is trusted */
    }
    /* an alert is looked for after every worker's outcome and once a minute (one stat),
     * and takes over at once, not at a page boundary: it is urgent */
    if ((took || minute != k->minute) && reload_alert(k)) {
        k->dirty = 1;
    }
    const Alert *alert = active_alert(k, wall);
    if ((alert != NULL) != k->alert_on) {
        report_play_end(k, mono); /* the alert's time on screen is a play of its own */
        k->alert_on = alert != NULL;
        k->dirty = 1;
        k->turn++;
        report_play_start(k, mono, wall);
        report_facts(k, "alert", NULL);
    }
    if (k->screen_on == 0 && reload(k, 0)) {
        /* new content while off (the page boundaries sleep): its times may differ */
        k->dirty = 1;
        choose_times(k, 0);
    }
    int64_t screen_change = 0;
    int on = screen_state(k, wall, &screen_change), woken = 0, urgent = 0;
    /* a danger alert is for whoever is there, at any hour: it switches the screen on
     * outside the screen times until it ends (info and warning wait for the on-time) */
    if (!on && alert && alert->level == ALERT_DANGER) {
        on = urgent = 1;
    }
    if (k->wake_until > 0 && mono >= k->wake_until) {
        k->wake_until = 0;
    } else if (k->wake_until > 0 && !on) {
        on = woken = 1;
        if (k->notice_until > 0 && k->notice_until < k->wake_until) {
            k->notice_until = k->wake_until; /* a TV woken over CEC takes seconds to show */
        }
    }
    if (on != k->screen_on) {
        if (urgent) {
            log_msg("kiosk", "screen on outside the screen times for a danger alert, until it "
                    "ends");
        } else if (woken) {
            log_msg("kiosk", "screen on for %lld s outside the screen times, for staff at a USB "
                    "stick", (long long)((k->wake_until - mono + 999) / 1000));
        } else if (k->screen_on != -1 || !on) {
            char when[64] = "";
            if (screen_change > 0) {
                ui_format_datetime(screen_change, when, sizeof when);
            }
            log_msg("kiosk", "screen %s%s%s", on ? "on" : "off", when[0] ? " until " : "", when);
        }
        report_play_end(k, mono); /* off: the page on screen ends here */
        if (on && k->shown) {
            report_play_start(k, mono, wall);
        }
        k->screen_on = on;
        k->dirty = 1;
        tell_panel(k); /* at the transitions only; the first one after a start included */
        report_facts(k, NULL, NULL);
    }
    if (on && (mono - k->page_started >= page_ms || !k->shown)) {
        /* a page boundary: the place to switch page and to pick up new content */
        report_play_end(k, mono);
        int was_lang = k->lang, was_page = k->page;
        if (k->shown) {
            k->page_started = mono;
            /* each page once in every language, then the next page: a visitor who
             * cannot read this one waits one page, not a whole rotation, for theirs */
            do {
                if (++k->lang >= k->n_langs) {
                    k->lang = 0;
                    if (k->n_pages > 1) {
                        k->page = (k->page + 1) % k->n_pages;
                    }
                }
            } while (!k->lang_shown[k->lang]); /* the first is always shown */
            k->dirty |= k->n_pages > 1 || k->n_langs > 1;
            if (reload(k, 0)) {
                k->dirty = 1;
                choose_times(k, 0);
            }
        }
        const char *was = k->shown;
        int at = k->page;
        k->shown = choose_page(k, wall);
        if (k->page != at) {
            k->lang = 0; /* a page left out: the next one starts in the first language */
        }
        k->dirty |= was != k->shown;
        if (was != k->shown || was_lang != k->lang || was_page != k->page) {
            k->turn++;
        }
        report_page_boundary(k, mono, wall);
    }
    if (k->rebuild_at > 0 && mono >= k->rebuild_at) {
        k->dirty = 1;
        k->turn++; /* the next panel page of a list */
    }
    if (w != k->w || h != k->h) {
        k->dirty = 1;
    } else if (minute != k->minute && !k->dirty) {
        k->dirty = DIRTY_MINUTE;
    }
    int changed = 0;
    if (k->dirty == DIRTY_MINUTE && on && k->list.minute_static && !k->list.screen_off &&
        same_day(k->minute, minute)) {
        /* only the minute changed, on a page whose items but the footer stay as they are
         * all day: the footer is laid out again, not the page (issue 17) */
        char status[sizeof k->status + sizeof k->key_mark + 80];
        const UiLanguage *lang = ui_language_find(k->langs[k->lang]);
        compose_status(k, lang, status, sizeof status);
        LayoutEnv env = { wall, mono - k->page_started, k->cfg.site_id, status, !k->trusted,
                          k->floor_ms, lang->code, lang->rtl };
        ui_use_language(lang->code);
        text_set_direction(k->text, lang->rtl ? 1 : TEXT_DIR_AUTO);
        int rc = page_footer_refresh(&k->list, lang_model(k, k->lang), &env, &k->tm);
        ui_use_language(NULL);
        if (rc >= 0) {
            changed = rc;
            k->minute = minute;
            k->dirty = 0;
        }
    }
    if (k->dirty) {
        DrawList next;
        drawlist_init(&next, w, h);
        char status[sizeof k->status + sizeof k->key_mark + 80];
        const UiLanguage *lang = ui_language_find(k->langs[k->lang]);
        compose_status(k, lang, status, sizeof status);
        LayoutEnv env = { wall, mono - k->page_started, k->cfg.site_id, status, !k->trusted,
                          k->floor_ms, lang->code, lang->rtl };
        if (!on) { /* off: a black picture, nothing laid out */
            next.background = 0x000000u;
            next.screen_off = 1;
        } else {
            ui_use_language(lang->code); /* this thread's UI strings, for the pages */
            text_set_direction(k->text, lang->rtl ? 1 : TEXT_DIR_AUTO); /* measured so */
            alert_page_build(lang_model(k, k->lang), k->shown ? k->shown : k->pages[k->page],
                             alert, w, h, &env, &k->tm, &next);
            ui_use_language(NULL);
        }
        if (on && k->notice_until > 0) {
            layout_notice(&next, &k->tm, k->notice, k->notice_ok);
        }
        changed = !drawlist_equal(&next, &k->list);
        drawlist_free(&k->prev);
        k->prev = k->list;
        k->list = next;
        k->minute = minute;
        k->w = w;
        k->h = h;
        k->dirty = 0;
        k->rebuild_at = k->list.valid_ms > 0 ? mono + k->list.valid_ms : 0;
    }
    if (!on) { /* asleep until the screen's next on-time, looking at the clock once a
                 * minute: a clock set right (or a new bundle) may move the on-time */
        *wait_ms = screen_change > wall ? screen_change - wall : 86400000;
        if (*wait_ms > 60000) {
            *wait_ms = 60000;
        }
        return changed;
    }
    int64_t to_minute = clock_ms_to_next_minute(wall);
    int64_t to_page = kiosk_page_ms(k) - (mono - k->page_started); /* the new list's */
    if (k->n_pages == 1 && k->n_langs == 1) {
        /* nothing turns: no wake-up for a boundary (issue 17); the boundary's work, a
         * look for new content, is done at the minute instead (workers' news wakes the
         * loop at once anyway) */
        to_page = to_minute;
    }
    *wait_ms = to_minute < to_page ? to_minute : to_page;
    if (k->rebuild_at > 0 && k->rebuild_at - mono < *wait_ms) {
        *wait_ms = k->rebuild_at - mono;
    }
    if (k->notice_until > 0 && k->notice_until - mono < *wait_ms) {
        *wait_ms = k->notice_until - mono;
    }
    int64_t alert_change = k->trusted > 0 ? alert_next_change(&k->alert, wall) : 0;
    if (alert_change > wall && alert_change - wall < *wait_ms) {
        *wait_ms = alert_change - wall; /* it starts or ends on time, not at the next minute */
    }
    if (k->wake_until > 0 && k->wake_until - mono < *wait_ms) {
        *wait_ms = k->wake_until - mono;
    }
    return changed;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

void kiosk_shot_name(const char *page, const char *lang, char *buf, size_t len)
{
    if (lang && *lang) {
        snprintf(buf, len, "%s.%s", page, lang);
    } else {
        snprintf(buf, len, "%s", page);
    }
}

int kiosk_screenshot(Kiosk *k, const char *dir, int w, int h)
{
    int failed = 0;
    if (make_dirs(dir) != 0) {
        log_error("kiosk", "cannot create screenshot folder %s: %s", dir, strerror(errno));
        return -1;
    }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    Renderer *r = NULL;
    if (!sdl || render_create(sdl, k->text, &r) != 0) {
        log_error("kiosk", "cannot create a %dx%d software renderer: %s", w, h, SDL_GetError());
        SDL_FreeSurface(surf);
        return -1;
    }
    render_set_content(r, k->model.has_content ? k->content_path : NULL);
    render_set_picture_budget(r, (size_t)k->cfg.picture_cache_mb * 1024 * 1024);
    int64_t wall = k->clock->wall_ms(k->clock);
    check_trust(k, wall);
    reload_alert(k);
    const Alert *alert = active_alert(k, wall);
    for (int slot = 0; slot < k->n_pages * k->n_langs; slot++) {
        int i = slot / k->n_langs, li = slot % k->n_langs;
        const UiLanguage *lang = ui_language_find(k->langs[li]);
        DrawList dl;
        char png[1200], json[1200], name[64], status[sizeof k->status + sizeof k->key_mark + 80];
        drawlist_init(&dl, w, h);
        kiosk_shot_name(k->pages[i], li == 0 ? NULL : lang->code, name, sizeof name);
        snprintf(png, sizeof png, "%s/%s.png", dir, name);
        snprintf(json, sizeof json, "%s/%s.json", dir, name);
        compose_status(k, lang, status, sizeof status);
        LayoutEnv env = { wall, 0, k->cfg.site_id, status, !k->trusted, k->floor_ms, lang->code,
                          lang->rtl };
        int bad = 0;
        int64_t next;
        if (screen_state(k, wall, &next) || (alert && alert->level == ALERT_DANGER)) {
            ui_use_language(lang->code);
            text_set_direction(k->text, lang->rtl ? 1 : TEXT_DIR_AUTO);
            bad = alert_page_build(lang_model(k, li), k->pages[i], alert, w, h, &env, &k->tm,
                                   &dl) != 0;
            ui_use_language(NULL);
        } else { /* the screen is off at this moment: black, and the JSON says so */
            dl.background = 0x000000u;
            dl.screen_off = 1;
        }
        char err[600];
        if (!bad && preview_shot(r, surf, &dl, png, json, err, sizeof err) != 0) {
            log_error("kiosk", "%s", err);
            bad = 1;
        }
        if (!bad) {
            printf("%s\n%s\n", png, json);
        }
        failed += bad;
        drawlist_free(&dl);
    }
    render_destroy(r);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
    return failed ? -1 : 0;
}

/* Called on the renderer's raster thread: wakes platform_wait. */
static void wake_loop(void *ctx)
{
    (void)ctx;
    platform_wake();
}

/* Whether the change on screen is a page turn to show with a transition: a turn of a page
 * that was on screen, to one that is on, at the same size. */
static int wants_transition(const Kiosk *k, unsigned turn_drawn)
{
    const DrawList *from = &k->prev, *to = &k->list;
    return k->cfg.transition != TRANSITION_CUT && k->cfg.transition_ms > 0 &&
           k->turn != turn_drawn && from->n > 0 && !from->screen_off && !to->screen_off &&
           from->width == to->width && from->height == to->height;
}

/* The longest a transition waits for the next page's pictures or map land before it
 * starts anyway (the loop goes on meanwhile; the old page stays). */
#define TRANSITION_PREPARE_MS 1500

int kiosk_run(Kiosk *k, Platform *p)
{
    Renderer *r;
    SDL_Renderer *sdl = platform_renderer(p);
    render_create(sdl, k->text, &r);
    render_set_picture_budget(r, (size_t)k->cfg.picture_cache_mb * 1024 * 1024);
    kiosk_set_panel(k, platform_panel(p));
    render_set_wake(r, wake_loop, NULL);
    int redraw = 1, ready = 0;
    unsigned turn_drawn = k->turn;
    Transition *tr = NULL;
    int tr_running = 0;       /* 0: being prepared (old page on screen), 1: frames */
    int64_t tr_deadline = 0;  /* preparing: start at the latest then */
    int pacing = platform_frame_pacing_ms(p);
    for (;;) {
        int w, h;
        int64_t wait;
        platform_size(p, &w, &h);
        int changed = kiosk_update(k, w, h, &wait);
        int64_t now = k->clock->mono_ms(k->clock);
        render_set_content(r, k->model.has_content ? k->content_path : NULL);
        render_set_picture_budget(r, (size_t)k->cfg.picture_cache_mb * 1024 * 1024);
        if (changed && tr) { /* a change during a transition: the new picture at once */
            transition_free(tr);
            tr = NULL;
            redraw = 1;
        } else if (changed && wants_transition(k, turn_drawn)) {
            tr = transition_prepare(sdl, r, &k->prev, &k->list, k->cfg.transition,
                                    k->cfg.transition_ms);
            tr_running = 0;
            tr_deadline = now + TRANSITION_PREPARE_MS;
            changed = tr == NULL; /* no textures: a cut */
        }
        turn_drawn = k->turn;
        if (tr && !tr_running) {
            if (render_ready(r)) { /* a picture or the land of the next page is done */
                transition_redraw_to(tr, r, &k->list);
            }
            if (!render_pending(r) || now >= tr_deadline) {
                tr_running = 1;
                transition_start(tr, now);
            } else if (tr_deadline - now < wait) {
                wait = tr_deadline - now;
            }
        }
        if (tr && tr_running) {
            platform_begin(p);
            int more = transition_frame(tr, now);
            platform_present(p);
            if (more) {
                wait = pacing; /* the next frame: at once after a vsync'd present */
            } else {
                transition_free(tr);
                tr = NULL;
                redraw = 1; /* the page itself, drawn as always (and its report picture) */
                wait = 0;
            }
        } else if (!tr && (changed || redraw || render_ready(r)) &&
                   !(k->list.screen_off && k->panel_dark)) {
            /* with the output switched off there is nothing to present (page flips would
             * fail on an inactive CRTC); the frame is drawn when it is on again */
            platform_begin(p);
            render_exec(r, &k->list);
            if (k->picture_wanted && k->report) { /* issue 18: one per report_picture_s */
                uint32_t *px;
                int64_t t0 = k->clock->mono_ms(k->clock);
                k->picture_wanted = 0;
                int sw = k->list.width, sh = k->list.height;
                if (snapshot_read(sdl, sw, sh, &px) == 0) {
                    report_picture_cost(k->report, k->clock->mono_ms(k->clock) - t0);
                    report_frame(k->report, px, sw, sh);
                }
            }
            platform_present(p);
            redraw = 0;
        }
        if (!ready) {
            platform_service_ready();
            ready = 1;
        }
        /* the watchdog is petted from this loop while every worker makes progress, so a
         * hung loop or a stuck worker gets the service restarted */
        int64_t pet = platform_service_alive(kiosk_alive(k));
        if (pet >= 0 && pet < wait) {
            wait = pet;
        }
        int ev = platform_wait(p, wait);
        if (ev & PLATFORM_QUIT) {
            break;
        }
        if (ev & PLATFORM_REDRAW) {
            redraw = 1;
        }
    }
    transition_free(tr);
    render_destroy(r);
    return 0;
}
