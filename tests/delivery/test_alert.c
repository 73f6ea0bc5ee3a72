/* Signed emergency and priority alerts (issue 14), end to end with the real programs:
 * litfassctl alert writes and signs one (the real minisign verifies it), it arrives by a
 * stick (litfassctl import-usb and the display's own USB watcher), by a real nginx
 * (litfassctl sync: the same cycle as the display's worker) and by hand (litfassctl
 * import), and a headless screenshot of the state directory shows it. Refused: a wrong
 * or missing signature, another key, an older version (also after a clear). On the fake
 * clock the display ends it at its end time without a restart, keeps it through one,
 * and says nothing about times while its clock is not trusted. */
#define _GNU_SOURCE
#include "testutil.h"

#include "fixtures.h"

#include "base/trust.h"
#include "check.h"
#include "delivery/alertfile.h"
#include "delivery/usb.h"
#include "display/kiosk.h"
#include "layoututil.h"
#include "pages/alert_page.h"
#include "store/alert.h"

#include <signal.h>
#include <sys/wait.h>

static const char *tmp, *litfass, *litfassctl;
static char pub[400], sec[400], pub2[400], sec2[400], conf[400], db[400];
static KeyRing ring;
static Text *text;

static void msleep(int ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L }, NULL);
}

/* Runs litfassctl with args; its output (stdout and stderr) in out. */
static int ctl(char *out, size_t len, const char *args)
{
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' %s", litfassctl, args);
    int rc = test_run(cmd, out, len);
    free(cmd);
    return rc;
}

/* A signed alert by litfassctl into dir (text "" makes a clear). */
static int make_alert(const char *dir, const char *msg, const char *level, long long version,
                      const char *key)
{
    char out[2000];
    char *args = msg[0] ? test_fmt("alert '%s' --until 2036-01-01T18:00 --level %s --version %lld "
                                   "-s '%s' -o '%s' --config '%s'",
                                   msg, level, version, key, dir, conf)
                        : test_fmt("alert --clear --version %lld -s '%s' -o '%s' --config '%s'",
                                   version, key, dir, conf);
    int rc = ctl(out, sizeof out, args);
    if (rc != 0) {
        fprintf(stderr, "litfassctl alert: %s\n", out);
    }
    free(args);
    return rc;
}

/* Screenshots of the state directory at 1280x720 on 2035-12-31 10:00 into tmp/name;
 * returns campaign.json's text (the caller frees) or NULL. */
static char *screenshot(const char *state, const char *name, const char *size)
{
    char out[4000];
    char *dir = test_fmt("%s/%s", tmp, name);
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' --config '%s' --db '%s' --state-dir '%s' "
                         "--screenshot '%s' --size %s --now 2035-12-31T10:00",
                         litfass, conf, db, state, dir, size);
    int rc = test_run(cmd, out, sizeof out);
    free(cmd);
    CHECK_INT(rc, 0);
    char *png = test_fmt("%s/campaign.png", dir), *json = test_fmt("%s/campaign.json", dir);
    struct stat st;
    CHECK(stat(png, &st) == 0 && st.st_size > 1000);
    char *t = test_read(json, NULL);
    free(png);
    free(json);
    free(dir);
    return t;
}

static char *new_dir(const char *name)
{
    char *d = test_fmt("%s/%s", tmp, name);
    mkdir(d, 0755);
    return d;
}

TEST(litfassctl_alert_is_signed_so_that_the_real_minisign_verifies_it)
{
    char *dir = new_dir("alert-minisign"), out[2000];
    CHECK_INT(make_alert(dir, "Heute geschlossen", "danger", 5, sec), 0);
    char *cmd = test_fmt("minisign -Vm '%s/" ALERT_FILE_NAME "' -p '%s'", dir, pub);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    CHECK_HAS(out, "file=" ALERT_FILE_NAME);
    free(cmd);
    char *a = test_fmt("%s/" ALERT_FILE_NAME, dir);
    char *t = test_read(a, NULL);
    CHECK_HAS(t, "text=Heute geschlossen");
    CHECK_HAS(t, "until=2036-01-01T17:00:00Z"); /* 18:00 in Berlin, stored in UTC */
    free(t);
    free(a);
    /* an alert must end, and not in the past */
    CHECK(ctl(out, sizeof out, "alert 'x' -s k -o d") != 0);
    char *args = test_fmt("alert 'x' --until 2001-01-01T10:00 -s '%s' -o '%s' --config '%s'", sec,
                          dir, conf);
    CHECK_INT(ctl(out, sizeof out, args), 1);
    CHECK_HAS(out, "in the past");
    free(args);
    free(dir);
}

TEST(a_stick_with_an_alert_shows_it_on_every_page_and_in_the_report)
{
    char *stick = new_dir("stick-alert"), *state = new_dir("state-usb"), out[4000];
    char *folder = test_fmt("%s/litfass", stick);
    CHECK_INT(make_alert(folder, "Heute geschlossen wegen Wasserschaden", "danger", 10, sec), 0);
    char *args = test_fmt("import-usb '%s' --state-dir '%s' --config '%s'", stick, state, conf);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    CHECK_HAS(out, "Meldung übernommen: Heute geschlossen");
    char *rp = test_fmt("%s/litfass-report.txt", folder);
    char *report = test_read(rp, NULL);
    CHECK_HAS(report, "Meldung: Meldung übernommen");
    free(report);
    char *json = screenshot(state, "shot-usb", "1280x720");
    CHECK_HAS(json, "\"alert\": {\"level\": \"danger\", \"shown\": \"page\", \"version\": 10");
    CHECK_HAS(json, "Wasserschaden");
    CHECK_HAS(json, "bis Dienstag, 1. Januar 2036");
    free(json);
    json = screenshot(state, "shot-usb-portrait", "1080x1920");
    CHECK_HAS(json, "\"level\": \"danger\"");
    free(json);
    /* the same stick again: nothing newer, said, and the alert stays */
    CHECK_INT(ctl(out, sizeof out, args), 1);
    CHECK_HAS(out, "Meldung nicht neuer");
    /* a wrong signature is refused with a line in the stick's report */
    CHECK_INT(make_alert(folder, "Falscher Alarm", "danger", 11, sec2), 0);
    CHECK_INT(ctl(out, sizeof out, args), 1);
    CHECK_HAS(out, "Meldung nicht übernommen: Schlüssel nicht vertrauenswürdig");
    report = test_read(rp, NULL);
    CHECK_HAS(report, "Meldung: Meldung nicht übernommen");
    CHECK_HAS(report, "does not trust");
    free(report);
    json = screenshot(state, "shot-usb-2", "1280x720");
    CHECK_HAS(json, "\"version\": 10");
    free(json);
    free(args);
    free(rp);
    free(folder);
    free(stick);
    free(state);
}

TEST(an_alert_at_the_top_of_a_stick_beside_a_bundle_both_install)
{
    char *stick = new_dir("stick-top"), *state = new_dir("state-top"), out[4000];
    CHECK_INT(make_alert(stick, "Neue Öffnungszeiten ab Montag", "info", 3, sec), 0);
    char *folder = test_fmt("%s/litfass", stick);
    mkdir(folder, 0755);
    char *bundle = test_fmt("%s/content-7.litfass", folder), err[400];
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, bundle, 7, 0, NULL, err, sizeof err),
              0);
    CHECK_INT(bundle_sign(bundle, sec, err, sizeof err), 0);
    char *args = test_fmt("import-usb '%s' --state-dir '%s' --config '%s'", stick, state, conf);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    CHECK_HAS(out, "Meldung übernommen: Neue Öffnungszeiten");
    CHECK_HAS(out, "Inhalt aktualisiert: Version 7");
    Alert a;
    CHECK_INT(alert_load(state, &a), 0);
    CHECK_INT(a.version, 3);
    CHECK_INT(a.level, ALERT_INFO);
    char *json = screenshot(state, "shot-info", "1280x720");
    CHECK_HAS(json, "\"shown\": \"band\"");
    CHECK_HAS(json, "Hinweis");
    free(json);
    free(args);
    free(bundle);
    free(folder);
    free(stick);
    free(state);
}

TEST(of_two_alert_copies_on_a_stick_the_newest_signed_one_installs)
{
    char *stick = new_dir("stick-two"), *state = new_dir("state-two"), out[4000];
    char *folder = test_fmt("%s/litfass", stick), *newer = new_dir("newer");
    CHECK_INT(make_alert(newer, "Neuere Meldung", "danger", 60, sec), 0);
    CHECK_INT(make_alert(folder, "Ältere Meldung", "danger", 50, sec), 0);
    /* the computer named the second copy "alert (1)" */
    char *cmd = test_fmt("cp '%s/" ALERT_FILE_NAME "' '%s/alert (1).litfass-alert' && cp '%s/"
                         ALERT_FILE_NAME ".minisig' '%s/alert (1).litfass-alert.minisig'",
                         newer, folder, newer, folder);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    char *args = test_fmt("import-usb '%s' --state-dir '%s' --config '%s'", stick, state, conf);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    CHECK_HAS(out, "Meldung übernommen: Neuere Meldung");
    Alert a;
    CHECK_INT(alert_load(state, &a), 0);
    CHECK_INT(a.version, 60);
    free(args);
    args = test_fmt("status --state-dir '%s'", state);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    CHECK_HAS(out, "alert:    version 60, danger until 2036-01-01T17:00:00Z");
    free(args);
    free(newer);
    free(folder);
    free(stick);
    free(state);
}

TEST(manual_import_refuses_tampering_other_keys_missing_signatures_and_replays)
{
    char *dir = new_dir("manual"), *state = new_dir("state-manual"), out[4000];
    char *file = test_fmt("%s/" ALERT_FILE_NAME, dir);
    char *args = test_fmt("import '%s' --state-dir '%s' --config '%s'", file, state, conf);
    CHECK_INT(make_alert(dir, "Bitte Eingang B benutzen", "warning", 20, sec), 0);
    char *verify0 = test_fmt("verify '%s' --config '%s'", file, conf);
    CHECK_INT(ctl(out, sizeof out, verify0), 0);
    CHECK_HAS(out, "signature ok; alert version 20, warning");
    free(verify0);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    CHECK_HAS(out, "installed alert version 20");
    /* tampered text: the signature no longer matches */
    CHECK_INT(make_alert(dir, "Bitte Eingang A benutzen", "warning", 30, sec), 0);
    char *cmd = test_fmt("sed -i 's/Eingang A/Eingang C/' '%s'", file);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    CHECK_INT(ctl(out, sizeof out, args), 1);
    CHECK_HAS(out, "signature does not match the file");
    char *verify = test_fmt("verify '%s' --config '%s'", file, conf);
    CHECK_INT(ctl(out, sizeof out, verify), 1);
    CHECK_HAS(out, "Signatur ungültig");
    /* another key */
    CHECK_INT(make_alert(dir, "Bitte Eingang D benutzen", "warning", 31, sec2), 0);
    CHECK_INT(ctl(out, sizeof out, args), 1);
    CHECK_HAS(out, "does not trust");
    /* no signature */
    CHECK_INT(make_alert(dir, "Bitte Eingang E benutzen", "warning", 32, sec), 0);
    char *sig = test_fmt("%s.minisig", file);
    unlink(sig);
    CHECK_INT(ctl(out, sizeof out, args), 1);
    CHECK_HAS(out, "no signature file");
    /* a bundle's signature never fits an alert */
    CHECK_INT(make_alert(dir, "Bitte Eingang F benutzen", "warning", 33, sec), 0);
    char *other = test_fmt("%s/content-33.litfass", tmp), err[300];
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, other, 33, 0, NULL, err, sizeof err), 0);
    CHECK_INT(bundle_sign(other, sec, err, sizeof err), 0);
    cmd = test_fmt("cp '%s.minisig' '%s'", other, sig);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    CHECK_INT(ctl(out, sizeof out, args), 1);
    Alert a;
    CHECK_INT(alert_load(state, &a), 0);
    CHECK_INT(a.version, 20); /* nothing refused replaced the alert */
    CHECK_STR(a.text, "Bitte Eingang B benutzen");
    /* a clear, then the old alert once more: a replay, refused */
    char *old = new_dir("manual-old");
    CHECK_INT(make_alert(old, "Bitte Eingang B benutzen", "warning", 20, sec), 0);
    CHECK_INT(make_alert(dir, "", "", 40, sec), 0);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    CHECK_INT(alert_load(state, &a), 0);
    CHECK(a.clear);
    char *json = screenshot(state, "shot-cleared", "1280x720");
    CHECK_HAS(json, "\"alert\": null");
    free(json);
    char *args_old = test_fmt("import '%s/" ALERT_FILE_NAME "' --state-dir '%s' --config '%s'",
                              old, state, conf);
    CHECK_INT(ctl(out, sizeof out, args_old), 1);
    CHECK_HAS(out, "not newer than the last one accepted (40)");
    json = screenshot(state, "shot-replayed", "1280x720");
    CHECK_HAS(json, "\"alert\": null");
    free(json);
    free(args_old);
    free(verify);
    free(old);
    free(other);
    free(sig);
    free(args);
    free(file);
    free(dir);
    free(state);
}

/* ---- nginx ---- */

static pid_t nginx_pid;

static int nginx_start(const char *root, int port)
{
    char *dir = new_dir("nginx");
    char *conf_path = test_fmt("%s/nginx.conf", dir);
    char *text = test_fmt("worker_processes 1; daemon off; pid %s/nginx.pid; error_log stderr crit;\n"
                          "events { worker_connections 64; }\n"
                          "http { access_log off; client_body_temp_path %s; proxy_temp_path %s;\n"
                          " fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
                          " server { listen 127.0.0.1:%d; root %s; etag on; } }\n",
                          dir, dir, dir, dir, dir, dir, port, root);
    test_write(conf_path, text, strlen(text));
    free(text);
    nginx_pid = fork();
    if (nginx_pid == 0) {
        execlp("nginx", "nginx", "-e", "stderr", "-p", dir, "-c", conf_path, (char *)NULL);
        _exit(127);
    }
    free(conf_path);
    free(dir);
    return test_wait_port(port);
}

static void nginx_stop(void)
{
    if (nginx_pid > 0) {
        kill(nginx_pid, SIGTERM);
        waitpid(nginx_pid, NULL, 0);
        nginx_pid = 0;
    }
}

TEST(an_alert_published_next_to_the_content_arrives_with_the_same_poll)
{
    char *pubdir = new_dir("publish"), *state = new_dir("state-sync"), out[4000], err[300];
    int port = 20000 + (int)((getpid() + 7919) % 20000);
    char *bundle = test_fmt("%s/content-5.litfass", tmp);
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, bundle, 5, 0, NULL, err, sizeof err), 0);
    CHECK_INT(bundle_sign(bundle, sec, err, sizeof err), 0);
    char *args = test_fmt("publish '%s' '%s'", bundle, pubdir);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    free(args);
    CHECK_INT(make_alert(pubdir, "Heute ab 14 Uhr geschlossen", "warning", 100, sec), 0);
    if (!nginx_start(pubdir, port)) {
        CHECK(!"nginx did not start (Debian package nginx-light)");
        return;
    }
    char *sync = test_fmt("sync --state-dir '%s' --url http://127.0.0.1:%d --config '%s'", state,
                          port, conf);
    CHECK_INT(ctl(out, sizeof out, sync), 0);
    CHECK_HAS(out, "Meldung übernommen: Heute ab 14 Uhr geschlossen");
    CHECK_HAS(out, "installed version 5");
    char *json = screenshot(state, "shot-sync", "1280x720");
    CHECK_HAS(json, "\"level\": \"warning\"");
    CHECK_HAS(json, "geschlossen");
    free(json);
    /* the next poll: nothing new, nothing said */
    CHECK_INT(ctl(out, sizeof out, sync), 0);
    CHECK(strstr(out, "Meldung") == NULL);
    /* a clear on the server ends it at the next poll (a second later: nginx's ETag is
     * the file's mtime in seconds and its size, and the signatures are equally long) */
    msleep(1100);
    CHECK_INT(make_alert(pubdir, "", "", 101, sec), 0);
    CHECK_INT(ctl(out, sizeof out, sync), 0);
    CHECK_HAS(out, "Meldung aufgehoben");
    json = screenshot(state, "shot-sync-clear", "1280x720");
    CHECK_HAS(json, "\"alert\": null");
    free(json);
    /* an alert with another key on the server: refused, said once */
    msleep(1100);
    CHECK_INT(make_alert(pubdir, "Falscher Alarm", "danger", 102, sec2), 0);
    CHECK_INT(ctl(out, sizeof out, sync), 0);
    CHECK_HAS(out, "Meldung nicht übernommen");
    Alert a;
    CHECK_INT(alert_load(state, &a), 0);
    CHECK_INT(a.version, 101);
    nginx_stop();
    free(sync);
    free(bundle);
    free(pubdir);
    free(state);
}

/* ---- the display on the fake clock ---- */

/* Installs an alert made in process (ends at until, an ISO time) into state. */
static void install(const char *state, const char *msg, AlertLevel level, long long version,
                    const char *from, const char *until)
{
    Alert a;
    memset(&a, 0, sizeof a);
    a.version = version;
    a.level = level;
    snprintf(a.text, sizeof a.text, "%s", msg);
    a.clear = msg[0] == '\0';
    if (from) {
        clock_parse_iso(from, &a.from_ms);
    }
    if (until) {
        clock_parse_iso(until, &a.until_ms);
    }
    char *dir = test_fmt("%s/made-%lld", tmp, version), path[700], err[600];
    CHECK_INT(alertfile_write(&a, dir, sec, path, sizeof path, err, sizeof err), 0);
    AlertOutcome o;
    CHECK_INT(alertfile_install(state, path, &ring, &o), BUNDLE_OK);
    free(dir);
}

static Kiosk *kiosk_for(const char *state, Clock *clock, int trust)
{
    Config cfg;
    config_defaults(&cfg);
    cfg.clock_trust = trust;
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    snprintf(cfg.pages, sizeof cfg.pages, "campaign,map");
    Kiosk *k;
    kiosk_create(&cfg, clock, text, &k);
    return k;
}

static int shows(Kiosk *k, const char *needle)
{
    return find_text(kiosk_drawlist(k), needle) >= 0;
}

TEST(the_display_ends_an_alert_at_its_end_time_and_keeps_it_through_a_restart)
{
    char *state = new_dir("state-clock");
    install(state, "Stromausfall", ALERT_DANGER, 1, "2026-03-02T09:00", "2026-03-02T10:30:30");
    int64_t t;
    clock_parse_iso("2026-03-02T08:59:00", &t);
    Clock clock = clock_fake(t);
    Kiosk *k = kiosk_for(state, &clock, TRUST_YES);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK(!shows(k, "Stromausfall")); /* not yet */
    CHECK_STR(kiosk_drawlist(k)->alert_level, "");
    clock_advance(&clock, 60000);
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
    CHECK(shows(k, "Stromausfall"));
    CHECK_STR(kiosk_drawlist(k)->alert_level, "danger");
    CHECK(shows(k, "bis"));
    kiosk_destroy(k); /* a restart in the middle */
    clock_advance(&clock, 3600000);
    k = kiosk_for(state, &clock, TRUST_YES);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    CHECK(shows(k, "Stromausfall"));
    /* 10:00 + 30 min 30 s: the display wakes at the end time itself, not a minute later */
    clock_advance(&clock, 30 * 60000);
    kiosk_update(k, 1920, 1080, &wait);
    CHECK(shows(k, "Stromausfall"));
    CHECK(wait <= 30000);
    clock_advance(&clock, 30000);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    CHECK(!shows(k, "Stromausfall"));
    CHECK_STR(kiosk_drawlist(k)->alert_level, "");
    kiosk_destroy(k);
    free(state);
}

TEST(the_display_takes_a_stick_alert_at_once_without_waiting_for_a_page)
{
    char *root = new_dir("media"), *state = new_dir("state-watch");
    int64_t t;
    clock_parse_iso("2035-12-31T10:00", &t);
    Clock clock = clock_fake(t);
    Kiosk *k = kiosk_for(state, &clock, TRUST_YES);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK(!shows(k, "Wasserrohrbruch"));
    Usb *u;
    CHECK_INT(usb_start(root, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "screen", 50, NULL, NULL,
                        &u),
              0);
    kiosk_set_usb(k, u);
    /* made beside the root and moved in whole, as a stick appears: the watcher never
     * sees an alert without its signature */
    char *made = test_fmt("%s/stick-made", tmp), *folder = test_fmt("%s/litfass", made);
    char *plugged = test_fmt("%s/STICK", root);
    CHECK_INT(make_alert(folder, "Wasserrohrbruch", "info", 77, sec), 0);
    CHECK_INT(rename(made, plugged), 0);
    free(made);
    free(plugged);
    int seen = 0;
    for (int i = 0; i < 100 && !seen; i++) { /* the fake clock stands still: no page boundary */
        msleep(50);
        kiosk_update(k, 1280, 720, &wait);
        seen = shows(k, "Wasserrohrbruch");
    }
    CHECK(seen);
    CHECK_STR(kiosk_drawlist(k)->alert_shown, "band");
    CHECK(shows(k, "Meldung übernommen")); /* the notice for staff */
    kiosk_set_usb(k, NULL);
    usb_stop(u);
    kiosk_destroy(k);
    free(folder);
    free(root);
    free(state);
}

TEST(without_a_trusted_clock_an_alert_shows_until_the_floor_passes_its_end_and_names_no_time)
{
    char *state = new_dir("state-untrusted");
    install(state, "Heute geschlossen", ALERT_WARNING, 1, "2030-01-01T08:00", "2030-01-02T18:00");
    int64_t t;
    clock_parse_iso("2020-05-05T12:00", &t); /* a board booted with an old time */
    Clock clock = clock_fake(t);
    Kiosk *k = kiosk_for(state, &clock, TRUST_NO);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK(shows(k, "geschlossen"));
    CHECK(!shows(k, "bis"));
    CHECK(shows(k, "Uhrzeit nicht gestellt"));
    kiosk_destroy(k);
    int64_t floor;
    clock_parse_iso("2030-01-03T00:00", &floor); /* a time surely past: after its end */
    CHECK_INT(trust_floor_store(state, floor), 0);
    k = kiosk_for(state, &clock, TRUST_NO);
    kiosk_update(k, 1280, 720, &wait);
    CHECK(!shows(k, "geschlossen"));
    kiosk_destroy(k);
    free(state);
}

TEST(long_alert_text_shrinks_stays_on_screen_and_a_cut_is_recorded)
{
    char msg[ALERT_MAX_TEXT + 1] = "";
    while (strlen(msg) + 12 < ALERT_MAX_TEXT) {
        strcat(msg, "Notausgang! ");
    }
    Alert a;
    memset(&a, 0, sizeof a);
    a.version = 1;
    a.until_ms = 4000000000000LL;
    snprintf(a.text, sizeof a.text, "%s", msg);
    Model m;
    test_default_model(&m);
    TextMetrics tm = text_metrics(text);
    static const int sizes[][2] = { { 1280, 720 }, { 1080, 1920 }, { 3840, 2160 } };
    for (int level = ALERT_INFO; level <= ALERT_DANGER; level++) {
        a.level = (AlertLevel)level;
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            int w = sizes[s][0], h = sizes[s][1];
            DrawList dl;
            drawlist_init(&dl, w, h);
            CHECK_INT(alert_page_build(&m, "campaign", &a, w, h, LAYOUT_ENV(1700000000000LL), &tm,
                                       &dl),
                      0);
            for (int i = 0; i < dl.n; i++) {
                CHECK(rect_inside(dl.items[i].rect, (Rect){ 0, 0, w, h }));
            }
            int min = layout_min_text_size(w, h);
            int alert_text_found = 0;
            for (int i = 0; i < dl.n; i++) {
                if (dl.items[i].kind == ITEM_TEXT && strstr(dl.items[i].text, "Notausgang")) {
                    alert_text_found = 1;
                    CHECK(dl.items[i].size >= min);
                }
            }
            CHECK(alert_text_found);
            if (level == ALERT_INFO) { /* 600 bytes never fit a band: cut, and said */
                CHECK(dl.n_overflow > 0);
            }
            drawlist_free(&dl);
        }
    }
    model_free(&m);
}

TEST(alert_files_are_parsed_strictly)
{
    Alert a;
    char err[200];
    const char *good = "litfass-alert 1\nversion=3\nlevel=info\nuntil=2030-01-01T00:00:00Z\n"
                       "text=Hallo\n";
    CHECK_INT(alert_parse(good, strlen(good), &a, err, sizeof err), 0);
    static const char *const bad[] = {
        "litfass-alert 2\nversion=3\nuntil=2030-01-01T00:00:00Z\ntext=x\n",
        "litfass-alert 1\nuntil=2030-01-01T00:00:00Z\ntext=x\n",
        "litfass-alert 1\nversion=3\ntext=x\n",
        "litfass-alert 1\nversion=3\nuntil=2030-01-01T00:00:00Z\n",
        "litfass-alert 1\nversion=3\nuntil=2030-01-01T00:00:00Z\ntext=x\ntext=y\n",
        "litfass-alert 1\nversion=3\nlevel=red\nuntil=2030-01-01T00:00:00Z\ntext=x\n",
        "litfass-alert 1\nversion=3\nfrom=2030-01-02T00:00:00Z\nuntil=2030-01-01T00:00:00Z\ntext=x\n",
        "litfass-alert 1\nversion=3\nuntil=2030-01-01T00:00:00Z\ntext=\x01x\n",
        "litfass-alert 1\nversion=3\nuntil=2030-01-01T00:00:00Z\ntext=\xff\n",
        "litfass-alert 1\nversion=3\nclear\ntext=x\n",
        "litfass-alert 1\nversion=-3\nclear\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (alert_parse(bad[i], strlen(bad[i]), &a, err, sizeof err) == 0) {
            fprintf(stderr, "accepted: %s\n", bad[i]);
            CHECK(0);
        }
    }
    char big[ALERT_MAX_BYTES + 10];
    memset(big, 'a', sizeof big);
    CHECK(alert_parse(big, sizeof big, &a, err, sizeof err) != 0);
}

/* The screenshot of state at now with the screen times "Mo-Fr 07:30-18:00"; returns
 * campaign.json's text (the caller frees). */
static char *shot_with_times(const char *state, const char *name, const char *now)
{
    char out[4000];
    char *dir = test_fmt("%s/%s", tmp, name);
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' --config '%s' --db '%s' --state-dir '%s' "
                         "--screenshot '%s' --size 1280x720 --now %s --clock-trust yes "
                         "--screen-on 'Mo-Fr 07:30-18:00'",
                         litfass, conf, db, state, dir, now);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    char *json = test_fmt("%s/campaign.json", dir);
    char *t = test_read(json, NULL);
    free(json);
    free(dir);
    return t;
}

/* A danger alert is for whoever is there at any hour: it switches the screen on outside
 * the screen times; info and warning wait for the on-time, and so does the screen once
 * the danger is cleared. */
TEST(a_danger_alert_switches_the_screen_on_outside_its_times_other_levels_do_not)
{
    char *state = new_dir("state-night"), *dir = new_dir("alert-night"), out[4000];
    char *args = test_fmt("import '%s/" ALERT_FILE_NAME "' --state-dir '%s' --config '%s'", dir,
                          state, conf);
    CHECK_INT(make_alert(dir, "Gebäude räumen", "danger", 40, sec), 0);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    char *json = shot_with_times(state, "shot-night-danger", "2035-12-30T03:00"); /* Sunday */
    CHECK_HAS(json, "\"screen\": \"on\"");
    CHECK_HAS(json, "Gebäude räumen");
    free(json);
    json = shot_with_times(state, "shot-day-danger", "2035-12-31T10:00"); /* Monday, on */
    CHECK_HAS(json, "\"screen\": \"on\"");
    CHECK_HAS(json, "Gebäude räumen");
    free(json);
    CHECK_INT(make_alert(dir, "Heute geschlossen", "warning", 41, sec), 0);
    CHECK_INT(ctl(out, sizeof out, args), 0);
    json = shot_with_times(state, "shot-night-warning", "2035-12-30T03:00");
    CHECK_HAS(json, "\"screen\": \"off\"");
    CHECK(!strstr(json, "Heute geschlossen"));
    free(json);
    CHECK_INT(make_alert(dir, "", "danger", 42, sec), 0); /* cleared */
    CHECK_INT(ctl(out, sizeof out, args), 0);
    json = shot_with_times(state, "shot-night-cleared", "2035-12-30T03:00");
    CHECK_HAS(json, "\"screen\": \"off\"");
    free(json);
    free(args);
    free(dir);
    free(state);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_alert LITFASS LITFASSCTL\n");
        return 2;
    }
    litfass = argv[1];
    litfassctl = argv[2];
    tmp = test_tmpdir();
    chmod(tmp, 0755); /* nginx's workers run as another user */
    text = test_fonts();
    char err[600];
    snprintf(pub, sizeof pub, "%s/k.pub", tmp);
    snprintf(sec, sizeof sec, "%s/k.sec", tmp);
    snprintf(pub2, sizeof pub2, "%s/k2.pub", tmp);
    snprintf(sec2, sizeof sec2, "%s/k2.sec", tmp);
    if (bundle_keygen(pub, sec, err, sizeof err) != 0 ||
        bundle_keygen(pub2, sec2, err, sizeof err) != 0 ||
        bundle_ring_add(&ring, pub, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    snprintf(conf, sizeof conf, "%s/litfass.conf", tmp);
    /* the fonts are the build's compiled-in default: a font_dir line with the source
     * folder would pass the 199 bytes a configuration line may have in a deep clone */
    char *c = test_fmt("[bundles]\ntrusted_keys = %s\n", pub);
    test_write(conf, c, strlen(c));
    free(c);
    snprintf(db, sizeof db, "%s/default.litfass", tmp);
    if (build_content(LITFASS_CONTENT_DIR, db, 1, 0, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    clock_set_zone("Europe/Berlin");
    RUN(alert_files_are_parsed_strictly);
    RUN(litfassctl_alert_is_signed_so_that_the_real_minisign_verifies_it);
    RUN(a_stick_with_an_alert_shows_it_on_every_page_and_in_the_report);
    RUN(an_alert_at_the_top_of_a_stick_beside_a_bundle_both_install);
    RUN(of_two_alert_copies_on_a_stick_the_newest_signed_one_installs);
    RUN(manual_import_refuses_tampering_other_keys_missing_signatures_and_replays);
    RUN(an_alert_published_next_to_the_content_arrives_with_the_same_poll);
    RUN(the_display_ends_an_alert_at_its_end_time_and_keeps_it_through_a_restart);
    RUN(the_display_takes_a_stick_alert_at_once_without_waiting_for_a_page);
    RUN(without_a_trusted_clock_an_alert_shows_until_the_floor_passes_its_end_and_names_no_time);
    RUN(long_alert_text_shrinks_stays_on_screen_and_a_cut_is_recorded);
    RUN(a_danger_alert_switches_the_screen_on_outside_its_times_other_levels_do_not);
    nginx_stop();
    text_close(text);
    return check_report();
}
