/* Screen power over time, on a fake clock: a start inside an off period stays dark and
 * tells the panel once; the content's screen.csv wins over the configured screen_on and
 * is right on both DST change days; a new bundle arriving while off is looked at; a
 * headless screenshot of such content says "screen": "off"; a clock that is not believed
 * switches nothing off. */
#include "testutil.h"

#include "fixtures.h"

#include "base/trust.h"
#include "base/ui.h"
#include "check.h"
#include "content/build.h"
#include "display/kiosk.h"
#include "display/panel.h"
#include "display/text.h"
#include "layoututil.h"

static Text *text;
static const char *tmp;
static const char *litfass;

static int64_t at(const char *iso)
{
    int64_t t = 0;
    CHECK_INT(clock_parse_iso(iso, &t), 0);
    return t;
}

/* Builds the default campaign with screen.csv as given (NULL: none) into
 * outdir/name.litfass and returns that path (malloc'd). */
static char *build_in(const char *outdir, const char *name, const char *screen_csv)
{
    char *dir = test_fmt("%s/src-%s", tmp, name), *p;
    test_copy_content(dir, "sites.csv schedule.csv posters posters.csv 'campaign.'*.md");
    if (screen_csv) {
        p = test_fmt("%s/screen.csv", dir);
        test_write(p, screen_csv, strlen(screen_csv));
        free(p);
    }
    char *db = test_fmt("%s/%s.litfass", outdir, name);
    char err[1000];
    CHECK_INT(build_content(dir, db, 2, 0, NULL, err, sizeof err), 0);
    free(dir);
    return db;
}

static char *build_with(const char *name, const char *screen_csv)
{
    return build_in(tmp, name, screen_csv);
}

static void config_for(Config *cfg, const char *db)
{
    config_defaults(cfg);
    cfg->clock_trust = TRUST_YES;
    snprintf(cfg->pages, sizeof cfg->pages, "campaign");
    snprintf(cfg->db, sizeof cfg->db, "%s", db ? db : "");
}

TEST(a_start_inside_an_off_period_stays_off_and_tells_the_panel_once)
{
    Config cfg;
    char err[300];
    char *db = build_with("plain", NULL);
    config_for(&cfg, db);
    CHECK_INT(config_set(&cfg, "screen_on", "Mo-Fr 07:30-18:00", err, sizeof err), 0);
    for (int start = 0; start < 2; start++) { /* the first start, and a restart after it */
        Clock clock = clock_fake(at(start ? "2026-11-28T23:59" : "2026-11-28T20:00"));
        Kiosk *k;
        Panel *panel;
        kiosk_create(&cfg, &clock, text, &k);
        panel_open(NULL, "", &panel);
        kiosk_set_panel(k, panel);
        CHECK_INT(panel_state(panel), -1); /* nothing known before the first update */
        int64_t wait;
        kiosk_update(k, 1280, 720, &wait);
        CHECK_INT(kiosk_drawlist(k)->screen_off, 1); /* black from the first frame */
        CHECK_INT(panel_state(panel), 0);
        CHECK_INT(panel_switches(panel), 1);
        int64_t monday = at("2026-11-30T07:30");
        for (int i = 0; i < 4000 && clock.wall_ms(&clock) + wait < monday; i++) {
            clock_advance(&clock, wait);
            kiosk_update(k, 1280, 720, &wait);
        }
        CHECK_INT(panel_switches(panel), 1); /* told once, not once a minute */
        CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
        clock_advance(&clock, wait);
        CHECK_INT(clock.wall_ms(&clock), monday);
        CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
        CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
        CHECK_INT(panel_state(panel), 1); /* on at the on-time, not a minute later */
        CHECK_INT(panel_switches(panel), 2);
        kiosk_destroy(k);
        panel_close(panel);
    }
    free(db);
}

/* Advances the fake clock to wall (forward only) and updates the kiosk. */
static void go(Kiosk *k, Clock *c, const char *iso)
{
    int64_t wait;
    clock_advance(c, at(iso) - c->wall_ms(c));
    kiosk_update(k, 1280, 720, &wait);
}

/* The kiosk's screen state after a sleep of exactly ms from now (in steps as it asks). */
static int64_t wakes_after(Kiosk *k, Clock *c)
{
    int64_t wait, t0 = c->wall_ms(c);
    kiosk_update(k, 1280, 720, &wait);
    for (int i = 0; i < 2000 && kiosk_drawlist(k)->screen_off; i++) {
        clock_advance(c, wait);
        kiosk_update(k, 1280, 720, &wait);
    }
    return c->wall_ms(c) - t0;
}

TEST(content_screen_times_win_over_the_configuration_on_both_dst_days)
{
    /* Saturday night into Sunday across the change of the clocks, Sunday morning on */
    char *db = build_with("dst", "Tag;von;bis;Bemerkung\n"
                                 "Sa;22:00;03:00;lange Nacht\n"
                                 "So;07:30;18:00;\n"
                                 "01.11.2026;;;Allerheiligen: aus\n");
    Config cfg;
    char err[300];
    config_for(&cfg, db);
    CHECK_INT(config_set(&cfg, "screen_on", "Mo-So 00:00-24:00", err, sizeof err), 0);
    CHECK_INT(config_set(&cfg, "screen_off_days", "2026-11-08", err, sizeof err), 0);
    Clock clock = clock_fake(at("2026-03-28T21:59"));
    Kiosk *k;
    Panel *panel;
    kiosk_create(&cfg, &clock, text, &k);
    panel_open(NULL, "", &panel);
    kiosk_set_panel(k, panel);
    go(k, &clock, "2026-03-28T21:59");
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1); /* the configuration's "always" is not used */
    CHECK_INT(wakes_after(k, &clock), 60000);    /* 22:00 */
    /* spring: 02:00 is 03:00, the night is an hour short: 4 h from 22:00 to 03:00 */
    int64_t t22 = clock.wall_ms(&clock);
    clock_advance(&clock, 4 * 3600000LL - 60000);
    go(k, &clock, "2026-03-29T01:59"); /* 01:59 CET, the last minute before the jump */
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    go(k, &clock, "2026-03-29T03:00"); /* 03:00 CEST */
    CHECK_INT(clock.wall_ms(&clock) - t22, 4 * 3600000LL);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    CHECK_INT(wakes_after(k, &clock), 4 * 3600000LL + 30 * 60000); /* on at 07:30 CEST */
    CHECK_INT(clock.wall_ms(&clock), at("2026-03-29T07:30"));
    int spring = panel_switches(panel);
    CHECK_INT(spring, 4); /* off at start, on 22:00, off 03:00, on 07:30 */

    /* autumn: 03:00 comes twice, the night is an hour long: 6 h from 22:00 to 03:00 */
    go(k, &clock, "2026-10-24T21:59");
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    go(k, &clock, "2026-10-24T22:00");
    t22 = clock.wall_ms(&clock);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    clock_advance(&clock, 6 * 3600000LL - 60000);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0); /* 02:59 CET, the second 02:59 */
    clock_advance(&clock, 60000);
    kiosk_update(k, 1280, 720, &wait);
    CHECK_INT(clock.wall_ms(&clock), at("2026-10-25T03:00"));
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    CHECK_INT(wakes_after(k, &clock), 4 * 3600000LL + 30 * 60000);
    CHECK_INT(clock.wall_ms(&clock), at("2026-10-25T07:30"));
    (void)t22;

    /* days off: the content's and the configuration's, both */
    go(k, &clock, "2026-11-01T10:00"); /* a Sunday, off by screen.csv */
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    go(k, &clock, "2026-11-08T10:00"); /* a Sunday, off by screen_off_days */
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    go(k, &clock, "2026-11-15T10:00");
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    kiosk_destroy(k);
    panel_close(panel);
    free(db);
}

/* Points the state directory at its file name.litfass, as the installer does. */
static void point_to(const char *state, const char *name)
{
    char *p = test_fmt("%s/current.tmp", state), *q = test_fmt("%s/current", state);
    char *line = test_fmt("%s.litfass\n", name);
    test_write(p, line, strlen(line));
    rename(p, q);
    free(p);
    free(q);
    free(line);
}

TEST(new_content_arriving_while_off_is_looked_at_with_its_times)
{
    char *state = test_fmt("%s/state-new", tmp);
    mkdir(state, 0755);
    char *closed = build_in(state, "closed", "Tag;von;bis\nMo-Fr;07:30;18:00\n");
    char *late = build_in(state, "late", "Tag;von;bis\nMo-So;07:30;22:00\n");
    point_to(state, "closed");
    Config cfg;
    config_for(&cfg, NULL);
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    Clock clock = clock_fake(at("2026-11-28T19:00")); /* a Saturday evening */
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    point_to(state, "late"); /* a stick with longer hours, while the screen sleeps */
    clock_advance(&clock, wait);
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    kiosk_destroy(k);
    free(closed);
    free(late);
    free(state);
}

TEST(a_screenshot_of_content_with_screen_csv_says_off_at_an_off_time)
{
    char *state = test_fmt("%s/state-shot", tmp);
    mkdir(state, 0755);
    char *db = build_in(state, "shot", "Tag;von;bis\nMo-Fr;07:30;18:00\n24.12.2026;;\n");
    point_to(state, "shot");
    const char *now[] = { "2026-12-23T12:00", "2026-12-24T12:00", "2026-12-23T19:00" };
    const char *want[] = { "\"screen\": \"on\"", "\"screen\": \"off\"", "\"screen\": \"off\"" };
    for (int i = 0; i < 3; i++) {
        char out[4000];
        char *cmd = test_fmt(LITFASS_TEST_EXEC "%s --state-dir %s --clock-trust yes --pages "
                             "campaign --screenshot %s/shot%d --size 640x360 --now %s",
                             litfass, state, tmp, i, now[i]);
        CHECK_INT(test_run(cmd, out, sizeof out), 0);
        if (i == 0) {
            CHECK_HAS(out, "screen times from the content (screen.csv)");
        }
        free(cmd);
        char *json = test_fmt("%s/shot%d/campaign.json", tmp, i);
        size_t len;
        char *j = test_read(json, &len);
        CHECK_HAS(j, want[i]);
        free(j);
        free(json);
    }
    free(db);
    free(state);
}

TEST(a_clock_that_is_not_believed_keeps_the_screen_on)
{
    /* after an offline boot the clock may say last night: the screen must not stay dark
     * through the opening hours because of it */
    char *db = build_with("untrusted", "Tag;von;bis\nMo-Fr;07:30;18:00\n");
    Config cfg;
    config_for(&cfg, db);
    cfg.clock_trust = TRUST_NO;
    Clock clock = clock_fake(at("2026-11-28T23:00")); /* off, if the clock were right */
    Kiosk *k;
    Panel *panel;
    kiosk_create(&cfg, &clock, text, &k);
    panel_open(NULL, "", &panel);
    kiosk_set_panel(k, panel);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    CHECK_INT(panel_state(panel), 1);
    CHECK(wait <= 60000); /* and it looks at the clock again within a minute */
    kiosk_destroy(k);
    panel_close(panel);
    free(db);
}

TEST(a_stick_while_off_lights_the_screen_for_staff_then_off_again)
{
    char *db = build_with("wake", "Tag;von;bis\nMo-Fr;07:30;18:00\n");
    Config cfg;
    config_for(&cfg, db);
    Clock clock = clock_fake(at("2026-11-28T20:00")); /* Saturday evening: off */
    Kiosk *k;
    Panel *panel;
    kiosk_create(&cfg, &clock, text, &k);
    panel_open(NULL, "", &panel);
    kiosk_set_panel(k, panel);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    CHECK_INT(panel_state(panel), 0);
    clock_advance(&clock, 30000);
    kiosk_notice(k, "Neuer Inhalt installiert", 1); /* what the USB loop does */
    kiosk_wake(k, KIOSK_WAKE_MS);
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    CHECK_INT(panel_state(panel), 1);
    CHECK(find_text(kiosk_drawlist(k), "Neuer Inhalt installiert") >= 0);
    int64_t woke = clock.mono_ms(&clock);
    for (int i = 0; i < 100 && !kiosk_drawlist(k)->screen_off; i++) {
        clock_advance(&clock, wait);
        kiosk_update(k, 1280, 720, &wait);
        if (!kiosk_drawlist(k)->screen_off) {
            CHECK(find_text(kiosk_drawlist(k), "Neuer Inhalt installiert") >= 0);
        }
    }
    CHECK_INT(clock.mono_ms(&clock) - woke, KIOSK_WAKE_MS); /* off again, exactly then */
    CHECK_INT(panel_state(panel), 0);
    CHECK_INT(panel_switches(panel), 3);
    kiosk_destroy(k);
    panel_close(panel);
    free(db);
}

int main(int argc, char **argv)
{
    litfass = argc > 1 ? argv[1] : "./litfass";
    text = test_fonts();
    clock_set_zone("Europe/Berlin");
    tmp = test_tmpdir();
    ui_set_language("de");
    RUN(a_start_inside_an_off_period_stays_off_and_tells_the_panel_once);
    RUN(content_screen_times_win_over_the_configuration_on_both_dst_days);
    RUN(new_content_arriving_while_off_is_looked_at_with_its_times);
    RUN(a_screenshot_of_content_with_screen_csv_says_off_at_an_off_time);
    RUN(a_clock_that_is_not_believed_keeps_the_screen_on);
    RUN(a_stick_while_off_lights_the_screen_for_staff_then_off_again);
    text_close(text);
    return check_report();
}
