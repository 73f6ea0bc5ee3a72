/* litfass: the display program. Only wires modules: config -> clock -> text ->
 * kiosk, then either headless screenshots or the window / full-screen loop. */
#define _POSIX_C_SOURCE 200809L /* gethostname */
#include "base/clock.h"
#include "base/config.h"
#include "display/kiosk.h"
#include "base/log.h"
#include "base/trust.h"
#include "display/platform.h"
#include "display/text.h"
#include "base/ui.h"
#include "delivery/sync.h"
#include "delivery/usb.h"
#include "report/report.h"

#include <SDL.h>
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

/* Called from the USB and sync worker threads: wakes the display's loop (the workers
 * themselves know nothing of SDL). */
static void wake_display(void *ctx)
{
    (void)ctx;
    platform_wake();
}

static void usage(FILE *f)
{
    fprintf(f, "usage: litfass [--config FILE] [--state-dir DIR | --db FILE]\n"
               "               [--fullscreen | --window WxH] [--pages campaign]\n"
               "               [--rotate 0|90|180|270] [--now ISO-8601] [--KEY VALUE ...]\n"
               "       litfass --screenshot DIR --size WxH [--now ISO-8601] [--languages de,ar]"
               " [...]\n"
               "configuration keys (INI file sections, or flags --key-name VALUE):\n");
    for (int i = 0; config_keys[i].key; i++) {
        fprintf(f, "  [%s] %-13s %s\n", config_keys[i].section, config_keys[i].key,
                config_keys[i].help);
    }
}

/* Opens the screen. A window that cannot be opened is a mistake to report (exit 1);
 * a full screen that is not there (no GPU, no monitor yet, a driver still loading) is a
 * state to wait out: one log line, then a retry after 10 s, less and less often (up to
 * 5 min), the service manager told we are alive, and a new line only when the reason
 * changes — not a restart loop that floods the journal. Returns 0, or -1 when asked to
 * quit while waiting or when a window fails. */
static int open_display(const Config *cfg, Platform **p)
{
    char err[512], last[512] = "";
    int wait_s = 10;
    for (;;) {
        if (platform_open(cfg, p, err, sizeof err) == 0) {
            if (last[0]) {
                log_msg("litfass", "the screen is there now");
            }
            return 0;
        }
        if (!cfg->fullscreen) {
            log_error("litfass", "%s", err);
            return -1;
        }
        if (strcmp(err, last) != 0) {
            log_warn("litfass", "%s; trying again in %d s, then less often", err, wait_s);
            snprintf(last, sizeof last, "%s", err);
            platform_service_ready(); /* waiting is what it should be doing now */
        }
        for (int t = 0; t < wait_s; t++) {
            platform_service_alive(1);
            SDL_PumpEvents();
            if (SDL_QuitRequested()) {
                return -1;
            }
            SDL_Delay(1000);
        }
        wait_s = wait_s * 2 < 300 ? wait_s * 2 : 300;
    }
}

int main(int argc, char **argv)
{
    Config cfg;
    char err[512];
    const char *config_path = CONFIG_DEFAULT_PATH, *shot_dir = NULL, *now = NULL;
    int config_required = 0, shot_w = 0, shot_h = 0;

    /* A fixed threshold: every block of 256 KB or more is its own mapping, returned to the
     * system when freed. glibc otherwise raises the threshold to the size of the largest
     * block freed (up to 32 MB), and the two full-screen textures of every page turn
     * (8 MB each at 1080p, 33 MB at 4K in a software renderer) then stay resident. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    config_defaults(&cfg);
    for (int i = 1; i < argc; i++) { /* the file first, so that flags override it */
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            config_path = argv[++i];
            config_required = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
    }
    if (config_load(&cfg, config_path, config_required, err, sizeof err)) {
        log_error("config", "%s", err);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--config")) {
            i++;
        } else if (!strcmp(a, "--screenshot") && v) {
            shot_dir = v;
            i++;
        } else if (!strcmp(a, "--size") && v) {
            char extra;
            if (sscanf(v, "%dx%d%c", &shot_w, &shot_h, &extra) != 2 || shot_w < 64 ||
                shot_h < 64 || shot_w > 16384 || shot_h > 16384) {
                log_error("litfass", "--size must be WIDTHxHEIGHT like 1920x1080, not '%s'", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--now") && v) {
            now = v;
            i++;
        } else {
            int used = config_flag(&cfg, a, v, err, sizeof err);
            if (used < 0) {
                log_error("config", "%s", err);
                return 2;
            }
            if (used == 0) {
                log_error("litfass", "unknown argument '%s' (see litfass --help)", a);
                return 2;
            }
            i += used - 1;
        }
    }
    /* the first language is the process's: notices, the workers' reports, the log's
     * dates; the kiosk lays each page out in its own language */
    const char *langs[UI_MAX_LANGUAGES];
    config_languages(&cfg, langs, UI_MAX_LANGUAGES);
    if (clock_set_zone(cfg.timezone) != 0 || ui_set_language(langs[0]) != 0) {
        log_error("config", "unknown time zone '%s' or language '%s'", cfg.timezone, langs[0]);
        return 2;
    }
    Clock clock = clock_system();
    if (now) {
        int64_t t;
        if (clock_parse_iso(now, &t) != 0) {
            log_error("litfass", "--now must be ISO 8601 like 2021-06-01T15:30, not '%s'", now);
            return 2;
        }
        clock = shot_dir ? clock_fake(t) : clock_starting_at(t);
        if (cfg.clock_trust == TRUST_AUTO) {
            cfg.clock_trust = TRUST_YES; /* a time given by hand is believed (--clock-trust no
                                          * shows the untrusted screen at that time) */
        }
    }
    if (shot_dir && (shot_w == 0 || shot_h == 0)) {
        log_error("litfass", "--screenshot needs --size WxH");
        return 2;
    }

    Text *text;
    if (text_open(cfg.font_dir, &text, err, sizeof err) != 0) {
        log_error("litfass", "%s (set font_dir in the configuration or --font-dir)", err);
        return 2;
    }
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int status;
    if (shot_dir) {
        status = kiosk_screenshot(k, shot_dir, shot_w, shot_h) == 0 ? 0 : 1;
    } else {
        Platform *p;
        if (open_display(&cfg, &p) != 0) {
            status = 1;
        } else {
            KeyRing ring;
            UsbKeyProblems kp;
            Usb *usb = NULL;
            /* a key that is missing switches off only what it signs: the others keep
             * USB and sync going, and staff see the problem on screen */
            if (usb_load_keys(cfg.trusted_keys, &ring, &kp) != 0) {
                char notice[300], mark[128];
                usb_key_texts(&kp, &ring, notice, sizeof notice, mark, sizeof mark);
                kiosk_set_key_problem(k, notice, mark);
                log_warn("usb", "%s%s; %d trusted key%s loaded", ring.n ? "" : "USB import and "
                         "network sync are off: ", kp.detail, ring.n, ring.n == 1 ? "" : "s");
            }
            if (ring.n > 0 && usb_start(cfg.usb_roots, cfg.state_dir, &ring,
                                 config_max_bundle_bytes(&cfg), cfg.device_name,
                                 0, wake_display, NULL, &usb) == 0) {
                log_msg("usb", "watching %s for sticks", cfg.usb_roots);
                kiosk_set_usb(k, usb);
            }
            SyncWorker *sync = NULL;
            if (cfg.sync_url[0] && ring.n > 0) {
                SyncConfig sc;
                sync_defaults(&sc);
                sc.url = cfg.sync_url;
                sc.state_dir = cfg.state_dir;
                sc.ring = &ring;
                sc.max_bytes = config_max_bundle_bytes(&cfg);
                sc.ca_file = cfg.ca_file;
                if (sync_start(&sc, cfg.sync_interval_s, wake_display, NULL, &sync) == 0) {
                    log_msg("sync", "polling %s every %d s", cfg.sync_url, cfg.sync_interval_s);
                    kiosk_set_sync(k, sync);
                }
            }
            Reporter *report = NULL;
            if (cfg.report_url[0]) {
                ReportConfig rc;
                char host[64] = "";
                report_defaults(&rc);
                if (!cfg.device_name[0] && gethostname(host, sizeof host - 1) != 0) {
                    host[0] = '\0';
                }
                rc.url = cfg.report_url;
                rc.screen = cfg.device_name[0] ? cfg.device_name : host;
                rc.site = cfg.site_id;
                rc.state_dir = cfg.state_dir;
                rc.interval_s = cfg.report_interval_s;
                rc.picture_s = cfg.report_picture_s;
                rc.user = cfg.report_user;
                rc.password_file = cfg.report_password_file;
                rc.cert = cfg.report_cert;
                rc.key = cfg.report_key;
                rc.ca_file = cfg.ca_file;
                rc.plays_max_bytes = (long long)cfg.report_plays_kb * 1024;
                rc.clock = &clock;
                if (report_start(&rc, &report) == 0) { /* it logs where, without a password */
                    kiosk_set_report(k, report);
                }
            }
            status = kiosk_run(k, p);
            kiosk_set_report(k, NULL);
            report_stop(report);
            sync_stop(sync);
            usb_stop(usb);
            platform_close(p);
        }
    }
    kiosk_destroy(k);
    text_close(text);
    SDL_Quit();
    log_flush();
    return status;
}
