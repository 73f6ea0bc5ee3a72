/* Kiosk behaviour on a fake clock: a new frame only when something visible
 * changed, the rotation, and new content picked up at a page boundary only,
 * never replacing good content with bad. */
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "check.h"
#include "base/trust.h"
#include "display/kiosk.h"
#include "layoututil.h"
#include "store/alert.h"
#include "store/store.h"
#include "display/text.h"
#include "base/ui.h"

static Text *text;
static const char *tmp;

static void build_version(const char *path, int version)
{
    char err[512];
    const char *src = LITFASS_CONTENT_DIR;
    CHECK_INT(build_content(src, path, version, 0, NULL, err, sizeof err), 0);
}

/* Points the state directory at file name (as the installer will: rename). */
static void point_to(const char *state, const char *name)
{
    char p[600], q[600];
    snprintf(p, sizeof p, "%s/current.tmp", state);
    snprintf(q, sizeof q, "%s/current", state);
    char line[300];
    snprintf(line, sizeof line, "%s\n", name);
    test_write(p, line, strlen(line));
    rename(p, q);
}

static int shows(Kiosk *k, const char *needle)
{
    return find_text(kiosk_drawlist(k), needle) >= 0;
}

TEST(a_static_page_is_drawn_once_per_minute)
{
    Config cfg;
    config_defaults(&cfg);
    cfg.clock_trust = TRUST_YES; /* this machine's clock may be unsynchronised */
    snprintf(cfg.pages, sizeof cfg.pages, "campaign");
    char db[400];
    snprintf(db, sizeof db, "%s/static.litfass", tmp);
    build_version(db, 3);
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    int64_t t;
    clock_parse_iso("2021-06-01T15:30:10", &t);
    Clock clock = clock_fake(t);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    /* one page in one language: nothing turns, so the loop sleeps until the minute,
     * through the page boundaries (issue 17: no wake-up without a change) */
    CHECK_INT(wait, 50000);
    CHECK(shows(k, "15:30 Uhr"));
    CHECK(shows(k, "Inhalt Version 3"));
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 0);
    clock_advance(&clock, 20000); /* a page boundary all the same: nothing to draw */
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 0);
    CHECK_INT(wait, 30000);
    clock_advance(&clock, 30000);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    CHECK(shows(k, "15:31 Uhr"));
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1); /* resized */
    CHECK_INT(kiosk_drawlist(k)->width, 1280);
    kiosk_destroy(k);
}

TEST(pages_rotate_at_the_configured_interval)
{
    Config cfg;
    config_defaults(&cfg);
    char err[300];
    CHECK_INT(config_set(&cfg, "pages", "campaign,campaign", err, sizeof err), 0);
    CHECK_INT(config_set(&cfg, "page_seconds", "5", err, sizeof err), 0);
    snprintf(cfg.db, sizeof cfg.db, "%s/static.litfass", tmp);
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 800, 600, &wait);
    CHECK_INT(kiosk_page_index(k), 0);
    CHECK_INT(wait, 5000);
    clock_advance(&clock, 4999);
    kiosk_update(k, 800, 600, &wait);
    CHECK_INT(kiosk_page_index(k), 0);
    clock_advance(&clock, 1);
    /* the same page twice looks the same: the index moves, nothing is redrawn */
    CHECK_INT(kiosk_update(k, 800, 600, &wait), 0);
    CHECK_INT(kiosk_page_index(k), 1);
    clock_advance(&clock, 5000);
    kiosk_update(k, 800, 600, &wait);
    CHECK_INT(kiosk_page_index(k), 0);
    kiosk_destroy(k);

    /* the default rotation: campaign, then map, each drawn when it comes on */
    config_defaults(&cfg);
    snprintf(cfg.db, sizeof cfg.db, "%s/static.litfass", tmp);
    kiosk_create(&cfg, &clock, text, &k);
    CHECK_INT(kiosk_update(k, 800, 600, &wait), 1);
    CHECK_STR(kiosk_page(k), "campaign");
    clock_advance(&clock, 20000);
    CHECK_INT(kiosk_update(k, 800, 600, &wait), 1);
    CHECK_STR(kiosk_page(k), "map");
    CHECK(shows(k, "DRK an 19 Standorten"));
    /* the site list pages every 8 s: the kiosk wakes up for it, not earlier */
    CHECK_INT(wait, 8000);
    clock_advance(&clock, 8000);
    CHECK_INT(kiosk_update(k, 800, 600, &wait), 1);
    CHECK(shows(k, "Seite 2 von"));
    kiosk_destroy(k);
}

TEST(new_content_appears_at_the_next_page_boundary_and_bad_content_never)
{
    char state[400], p[700];
    snprintf(state, sizeof state, "%s/state", tmp);
    mkdir(state, 0755);
    Config cfg;
    config_defaults(&cfg);
    snprintf(cfg.pages, sizeof cfg.pages, "campaign");
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k); /* nothing installed yet */
    int64_t wait;
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    CHECK(shows(k, "Zurzeit kein Inhalt"));

    snprintf(p, sizeof p, "%s/content-1.litfass", state);
    build_version(p, 1);
    point_to(state, "content-1.litfass");
    clock_advance(&clock, 1000);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 0); /* mid-page: wait */
    CHECK(shows(k, "Zurzeit kein Inhalt"));
    clock_advance(&clock, 19000);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    CHECK(shows(k, "Inhalt Version 1"));

    snprintf(p, sizeof p, "%s/content-2.litfass", state);
    build_version(p, 2);
    point_to(state, "content-2.litfass");
    clock_advance(&clock, 10000);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 0);
    CHECK(shows(k, "Inhalt Version 1"));
    clock_advance(&clock, 10000);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1);
    CHECK(shows(k, "Inhalt Version 2"));

    /* a corrupt file or a dangling pointer never replaces what is on screen */
    snprintf(p, sizeof p, "%s/content-3.litfass", state);
    test_write(p, "SQLite format 3\0garbage garbage garbage", 40);
    point_to(state, "content-3.litfass");
    clock_advance(&clock, 20000);
    kiosk_update(k, 1920, 1080, &wait);
    CHECK(shows(k, "Inhalt Version 2"));
    snprintf(p, sizeof p, "%s/current", state);
    unlink(p);
    clock_advance(&clock, 20000);
    kiosk_update(k, 1920, 1080, &wait);
    CHECK(shows(k, "Inhalt Version 2"));
    kiosk_destroy(k);
}

TEST(corrupt_content_at_start_shows_the_no_content_page)
{
    char db[400];
    snprintf(db, sizeof db, "%s/corrupt.litfass", tmp);
    build_version(db, 1);
    size_t len;
    char *data = test_read(db, &len);
    for (size_t i = 200; i < len; i += 97) {
        data[i] ^= 0x5A; /* flip bits all over the file */
    }
    test_write(db, data, len);
    free(data);
    Config cfg;
    config_defaults(&cfg);
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    CHECK_INT(kiosk_update(k, 1280, 720, &wait), 1);
    CHECK(shows(k, "Zurzeit kein Inhalt"));
    kiosk_destroy(k);
}

TEST(a_stuck_worker_stops_the_watchdog_and_a_waiting_one_never_does)
{
    Config cfg;
    config_defaults(&cfg);
    snprintf(cfg.pages, sizeof cfg.pages, "campaign");
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    Heartbeat worker = { 0 };
    kiosk_watch(k, "test", &worker, 60000);
    CHECK_INT(kiosk_alive(k), 1); /* never started: waiting */
    heartbeat_beat(&worker, clock.mono_ms(&clock));
    clock_advance(&clock, 59000);
    CHECK_INT(kiosk_alive(k), 1); /* working, within its bound */
    heartbeat_beat(&worker, clock.mono_ms(&clock));
    clock_advance(&clock, 59000);
    CHECK_INT(kiosk_alive(k), 1); /* progress resets the bound */
    clock_advance(&clock, 2000);
    CHECK_INT(kiosk_alive(k), 0); /* 61 s without progress: stuck, the watchdog runs out */
    clock_advance(&clock, 3600000);
    CHECK_INT(kiosk_alive(k), 0);
    heartbeat_beat(&worker, clock.mono_ms(&clock));
    CHECK_INT(kiosk_alive(k), 1); /* it came back */
    heartbeat_idle(&worker);
    clock_advance(&clock, 10 * 3600000LL);
    CHECK_INT(kiosk_alive(k), 1); /* waiting between polls is never stuck */
    kiosk_destroy(k);
}

TEST(a_page_stays_until_every_page_of_its_list_was_shown)
{
    Config cfg;
    config_defaults(&cfg);
    char err[300];
    CHECK_INT(config_set(&cfg, "pages", "map,campaign", err, sizeof err), 0);
    snprintf(cfg.db, sizeof cfg.db, "%s/static.litfass", tmp);
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_STR(kiosk_page(k), "map");
    int panels = kiosk_drawlist(k)->panel_pages; /* 19 sites: four pages at 1920x1080 */
    CHECK(panels >= 3);
    CHECK(kiosk_page_ms(k) == panels * 8000LL && kiosk_page_ms(k) > 20000);
    for (int i = 1; i <= panels; i++) { /* page_seconds (20 s) alone would cut it short */
        char want[32];
        snprintf(want, sizeof want, "Seite %d von %d", i, panels);
        CHECK(shows(k, want));
        CHECK_STR(kiosk_page(k), "map");
        clock_advance(&clock, 8000);
        kiosk_update(k, 1920, 1080, &wait);
    }
    CHECK_STR(kiosk_page(k), "campaign"); /* then, and only then, the next page */
    CHECK(kiosk_page_ms(k) == 20000);
    kiosk_destroy(k);
}

TEST(an_untrusted_clock_makes_no_claims_about_now)
{
    Config cfg;
    config_defaults(&cfg);
    char err[300];
    CHECK_INT(config_set(&cfg, "pages", "schedule", err, sizeof err), 0);
    CHECK_INT(config_set(&cfg, "clock_trust", "no", err, sizeof err), 0);
    CHECK(config_set(&cfg, "clock_trust", "maybe", err, sizeof err) == -1);
    snprintf(cfg.db, sizeof cfg.db, "%s/static.litfass", tmp);
    int64_t t;
    clock_parse_iso("2021-06-01T15:05", &t);
    Clock clock = clock_fake(t);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 1920, 1080, &wait);
    CHECK(shows(k, "Uhrzeit nicht gestellt")); /* a mark for staff instead of the time */
    CHECK(!shows(k, "15:05"));
    CHECK(!shows(k, "Jetzt") && !shows(k, "Als N\xc3\xa4" "chstes")); /* no claims about now */
    CHECK(shows(k, "Kurzfilm")); /* the programme, by its date */
    kiosk_destroy(k);
    /* the same moment with a trusted clock: the countdown to the film */
    cfg.clock_trust = TRUST_YES;
    kiosk_create(&cfg, &clock, text, &k);
    kiosk_update(k, 1920, 1080, &wait);
    CHECK(shows(k, "15:05 Uhr"));
    CHECK(shows(k, "Als N\xc3\xa4" "chstes"));
    kiosk_destroy(k);
}

/* The default content with extra front matter lines, built as version v into db. */
static void build_with_front(const char *db, const char *front, int v)
{
    char *src = test_fmt("%s/src-%d", tmp, v), out[512], err[512];
    char *cmd = test_fmt("rm -rf '%s' && cp -r '%s' '%s' && sed -i '2i %s' '%s/campaign.md'",
                         src, LITFASS_CONTENT_DIR, src, front, src);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    CHECK_INT(build_content(src, db, v, 0, NULL, err, sizeof err), 0);
    free(cmd);
    free(src);
}

TEST(stale_content_leaves_the_rotation_and_nothing_old_is_shown_as_current)
{
    char *db = test_fmt("%s/until.litfass", tmp);
    build_with_front(db, "valid_until: 01.06.2021", 21);
    Config cfg;
    config_defaults(&cfg);
    char err[300];
    CHECK_INT(config_set(&cfg, "pages", "campaign,map", err, sizeof err), 0);
    cfg.clock_trust = TRUST_YES;
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    int64_t t;
    clock_parse_iso("2021-06-01T23:59:50", &t);
    Clock clock = clock_fake(t);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_STR(kiosk_page(k), "campaign"); /* its last day */
    clock_advance(&clock, 20000);        /* past midnight, at the page boundary */
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_STR(kiosk_page(k), "map");
    clock_advance(&clock, kiosk_page_ms(k));
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_STR(kiosk_page(k), "map"); /* the campaign is out of the rotation for good */
    kiosk_destroy(k);

    /* nothing valid left: the neutral page, never the old campaign as current */
    CHECK_INT(config_set(&cfg, "pages", "campaign", err, sizeof err), 0);
    clock_parse_iso("2021-06-03T10:00", &t);
    clock = clock_fake(t);
    kiosk_create(&cfg, &clock, text, &k);
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_STR(kiosk_page(k), "idle");
    CHECK(shows(k, "Zurzeit keine aktuellen Inhalte"));
    CHECK(shows(k, "10:00 Uhr"));
    CHECK(!shows(k, "Menschen st\xc3\xa4rken Menschen"));
    kiosk_destroy(k);

    /* not yet valid: the rotation waits for its first day */
    build_with_front(db, "valid_from: 2021-06-05", 22);
    CHECK_INT(config_set(&cfg, "pages", "campaign,map", err, sizeof err), 0);
    kiosk_create(&cfg, &clock, text, &k);
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_STR(kiosk_page(k), "map");
    kiosk_destroy(k);
    free(db);
}

TEST(the_screen_sleeps_outside_its_times_and_wakes_at_the_next)
{
    Config cfg;
    config_defaults(&cfg);
    char err[300];
    CHECK_INT(config_set(&cfg, "screen_on", "Mo-Fr 07:30-18:00, Sa 09:00-13:00", err, sizeof err),
              0);
    CHECK(config_set(&cfg, "screen_on", "Mo-Fr 7:30", err, sizeof err) == -1);
    cfg.clock_trust = TRUST_YES;
    snprintf(cfg.db, sizeof cfg.db, "%s/static.litfass", tmp);
    int64_t t, monday;
    clock_parse_iso("2021-06-05T12:59", &t); /* a Saturday */
    clock_parse_iso("2021-06-07T07:30", &monday);
    Clock clock = clock_fake(t);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 1920, 1080, &wait);
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    clock_advance(&clock, 60000);
    kiosk_update(k, 1920, 1080, &wait); /* 13:00: off */
    CHECK_INT(kiosk_drawlist(k)->screen_off, 1);
    CHECK_INT(kiosk_drawlist(k)->n, 0); /* nothing laid out, nothing drawn */
    CHECK_INT(wait, 60000); /* asleep, looking at the clock once a minute */
    int steps = 0;
    while (clock.wall_ms(&clock) + wait < monday && steps++ < 5000) { /* off all weekend */
        clock_advance(&clock, wait);
        kiosk_update(k, 1920, 1080, &wait);
        if (!kiosk_drawlist(k)->screen_off || wait <= 0 || wait > 60000) {
            CHECK(!"on (or awake) before Monday 07:30");
            break;
        }
    }
    CHECK(clock.wall_ms(&clock) + wait == monday); /* the last sleep ends at the on-time */
    clock_advance(&clock, wait);
    CHECK_INT(kiosk_update(k, 1920, 1080, &wait), 1); /* on again, at once */
    CHECK_INT(kiosk_drawlist(k)->screen_off, 0);
    CHECK(shows(k, "07:30 Uhr"));
    kiosk_destroy(k);
}

/* Issue 17: a minute change lays out only the footer of a page whose other items stay
 * all day; what reaches the screen must be exactly what a full layout gives at that
 * minute, in a left-to-right and a right-to-left language, landscape and portrait, also
 * under an info alert's band (which moves the page down). */
TEST(a_minute_change_redraws_the_footer_exactly_as_a_full_layout_would)
{
    const char *langs[] = { "de", "ar" };
    const int sizes[][2] = { { 1920, 1080 }, { 1080, 1920 } };
    char db[400], state[400], err[300];
    snprintf(db, sizeof db, "%s/static.litfass", tmp);
    snprintf(state, sizeof state, "%s/minute-state", tmp);
    mkdir(state, 0755);
    for (int band = 0; band < 2; band++) {
        for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
            for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
                Config cfg;
                config_defaults(&cfg);
                cfg.clock_trust = TRUST_YES;
                snprintf(cfg.pages, sizeof cfg.pages, "campaign");
                snprintf(cfg.db, sizeof cfg.db, "%s", db);
                CHECK_INT(config_set(&cfg, "language", langs[l], err, sizeof err), 0);
                CHECK_INT(config_set(&cfg, "page_seconds", "600", err, sizeof err), 0);
                if (band) {
                    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
                    Alert a;
                    memset(&a, 0, sizeof a);
                    a.version = 7;
                    a.level = ALERT_INFO;
                    clock_parse_iso("2021-06-01T18:00:00", &a.until_ms);
                    snprintf(a.text, sizeof a.text, "Heute ab 14 Uhr im Saal 2");
                    char buf[2048];
                    int n = alert_format(&a, buf, sizeof buf, err, sizeof err);
                    CHECK(n > 0);
                    CHECK_INT(alert_store(state, buf, (size_t)n), 0);
                }
                int64_t t;
                clock_parse_iso("2021-06-01T15:30:10", &t);
                Clock clock = clock_fake(t);
                Kiosk *k;
                CHECK_INT(kiosk_create(&cfg, &clock, text, &k), 0);
                int64_t wait;
                int w = sizes[z][0], h = sizes[z][1];
                CHECK_INT(kiosk_update(k, w, h, &wait), 1);
                CHECK_INT(wait, 50000);
                CHECK(kiosk_drawlist(k)->minute_static);
                CHECK(kiosk_drawlist(k)->footer_n > 0);
                CHECK_INT(!!kiosk_drawlist(k)->alert_level[0], band);
                clock_advance(&clock, 50000); /* 15:31:00 */
                CHECK_INT(kiosk_update(k, w, h, &wait), 1);
                CHECK(shows(k, "15:31"));

                Clock fresh = clock_fake(t + 50000);
                Kiosk *b;
                CHECK_INT(kiosk_create(&cfg, &fresh, text, &b), 0);
                CHECK_INT(kiosk_update(b, w, h, &wait), 1);
                if (!drawlist_equal(kiosk_drawlist(k), kiosk_drawlist(b))) {
                    fprintf(stderr, "  differs: %s %dx%d%s\n", langs[l], w, h,
                            band ? " with an info band" : "");
                    CHECK(0);
                }
                kiosk_destroy(b);
                kiosk_destroy(k);
            }
        }
    }
}

int main(void)
{
    text = test_fonts();
    clock_set_zone("Europe/Berlin");
    tmp = test_tmpdir();
    RUN(a_static_page_is_drawn_once_per_minute);
    RUN(pages_rotate_at_the_configured_interval);
    RUN(new_content_appears_at_the_next_page_boundary_and_bad_content_never);
    RUN(corrupt_content_at_start_shows_the_no_content_page);
    RUN(a_stuck_worker_stops_the_watchdog_and_a_waiting_one_never_does);
    RUN(a_page_stays_until_every_page_of_its_list_was_shown);
    RUN(an_untrusted_clock_makes_no_claims_about_now);
    RUN(stale_content_leaves_the_rotation_and_nothing_old_is_shown_as_current);
    RUN(the_screen_sleeps_outside_its_times_and_wakes_at_the_next);
    RUN(a_minute_change_redraws_the_footer_exactly_as_a_full_layout_would);
    text_close(text);
    return check_report();
}
