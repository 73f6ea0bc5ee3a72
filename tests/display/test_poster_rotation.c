/* The poster page in the kiosk's rotation: its posters' validity days (posters.csv) switch
 * it in and out with the trusted clock, and staff are told once, in one line, why it is
 * left out and what to do — not at every page boundary. */
#include "testutil.h"

#include "fixtures.h"

#include "base/log.h"
#include "base/trust.h"
#include "base/ui.h"
#include "check.h"
#include "content/build.h"
#include "display/kiosk.h"
#include "pages/poster_page.h"

static Text *text;
static unsigned long seen;

/* The default content with posters.csv giving its poster the days from..until, built as
 * version v into a new database; returns its path. */
static char *build_with_days(const char *from, const char *until, int v)
{
    const char *d = test_tmpdir();
    char *src = test_fmt("%s/src", d), err[512];
    test_copy_content(src, NULL);
    char *csv = test_fmt("file;caption;valid_from;valid_until\npatenschaften.png;;%s;%s\n", from,
                         until);
    test_write(test_fmt("%s/posters.csv", src), csv, strlen(csv));
    char *db = test_fmt("%s/posters.litfass", d);
    CHECK_INT(build_content(src, db, v, 0, NULL, err, sizeof err), 0);
    return db;
}

/* How many log lines since the last call contain needle. */
static int logged(const char *needle)
{
    char lines[LOG_RECENT][LOG_RECENT_BYTES];
    int n = log_recent(&seen, lines, LOG_RECENT), hits = 0;
    for (int i = 0; i < n; i++) {
        hits += strstr(lines[i], needle) != NULL;
    }
    return hits;
}

/* Moves the clock to the next page boundary and updates; returns the page on screen. */
static const char *next_page(Kiosk *k, Clock *clock)
{
    int64_t wait;
    clock_advance(clock, kiosk_page_ms(k));
    kiosk_update(k, 1280, 720, &wait);
    return kiosk_page(k);
}

TEST(poster_days_switch_the_page_in_and_out_with_the_clock)
{
    char *db = build_with_days("2026-06-01", "2026-06-30", 5);
    Config cfg;
    config_defaults(&cfg);
    char err[300];
    CHECK_INT(config_set(&cfg, "pages", "campaign,posters", err, sizeof err), 0);
    cfg.clock_trust = TRUST_YES;
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    int64_t t, wait;
    clock_parse_iso("2026-05-31T23:58:00", &t);
    Clock clock = clock_fake(t);
    Kiosk *k;
    logged("");
    CHECK_INT(kiosk_create(&cfg, &clock, text, &k), 0);
    kiosk_update(k, 1280, 720, &wait);
    CHECK_STR(kiosk_page(k), "campaign");
    /* the day before its first: the campaign alone, and one line that says why */
    CHECK_STR(next_page(k, &clock), "campaign");
    CHECK_STR(next_page(k, &clock), "campaign");
    CHECK_STR(next_page(k, &clock), "campaign");
    char lines[LOG_RECENT][LOG_RECENT_BYTES];
    unsigned long peek = seen;
    int n = log_recent(&peek, lines, LOG_RECENT);
    int once = 0;
    for (int i = 0; i < n; i++) {
        if (strstr(lines[i], "poster page left out")) {
            once++;
            CHECK_HAS(lines[i], "kiosk: poster page left out: its one poster "
                                "(posters/patenschaften.png) is not valid on 2026-05-31 "
                                "(it starts on 2026-06-01); check the valid_from/valid_until "
                                "(g\xc3\xbcltig_ab/g\xc3\xbcltig_bis) columns of posters.csv");
        }
    }
    CHECK_INT(once, 1); /* not at every page boundary */
    logged("");
    /* past midnight: its first day, the poster page comes into the rotation */
    while (clock.wall_ms(&clock) < t + 2 * 60000) {
        next_page(k, &clock);
    }
    const char *a = next_page(k, &clock), *b = next_page(k, &clock);
    CHECK(strcmp(a, b) != 0);
    CHECK(!strcmp(a, "posters") || !strcmp(b, "posters"));
    CHECK_INT(logged("poster page left out"), 0); /* good news is not a warning */
    kiosk_destroy(k);

    /* its last day ends: out again, said once */
    clock_parse_iso("2026-06-30T23:59:00", &t);
    clock = clock_fake(t);
    CHECK_INT(kiosk_create(&cfg, &clock, text, &k), 0);
    kiosk_update(k, 1280, 720, &wait);
    CHECK_STR(kiosk_page(k), "campaign");
    CHECK_STR(next_page(k, &clock), "posters"); /* 23:59:20: still its last day */
    logged("");
    int64_t july;
    clock_parse_iso("2026-07-01T00:00:30", &july);
    while (clock.wall_ms(&clock) < july) { /* into 1 July */
        next_page(k, &clock);
    }
    CHECK_STR(next_page(k, &clock), "campaign");
    CHECK_STR(next_page(k, &clock), "campaign");
    CHECK_INT(logged("it ended on 2026-06-30"), 1);
    kiosk_destroy(k);

    /* a clock that is not believed does not judge a start: the poster is shown */
    cfg.clock_trust = TRUST_NO;
    clock_parse_iso("2026-05-20T12:00:00", &t);
    clock = clock_fake(t);
    CHECK_INT(kiosk_create(&cfg, &clock, text, &k), 0);
    kiosk_update(k, 1280, 720, &wait);
    CHECK_STR(next_page(k, &clock), "posters");
    kiosk_destroy(k);
    free(db);
}

TEST(poster_page_left_out_names_how_many_and_why)
{
    Model m;
    CHECK_INT(test_default_model(&m), 0);
    CHECK(m.n_posters >= 1);
    char why[400];
    int64_t t;
    clock_parse_iso("2026-11-27T10:00:00", &t);
    CHECK_INT(poster_left_out(&m, t, 0, 0, why, sizeof why), 0); /* no days: always valid */
    CHECK_STR(why, "");
    /* three posters, two ended, one later */
    Poster ps[3];
    memset(ps, 0, sizeof ps);
    for (int i = 0; i < 3; i++) {
        ps[i].picture = m.posters[0].picture;
    }
    snprintf(ps[0].valid_until, sizeof ps[0].valid_until, "2026-11-01");
    snprintf(ps[1].valid_until, sizeof ps[1].valid_until, "2026-11-26");
    snprintf(ps[2].valid_from, sizeof ps[2].valid_from, "2026-12-01");
    Poster *keep = m.posters;
    int keep_n = m.n_posters;
    m.posters = ps;
    m.n_posters = 3;
    CHECK_INT(poster_left_out(&m, t, 0, 0, why, sizeof why), 1);
    CHECK_STR(why, "poster page left out: none of the 3 posters in posters.csv is valid on "
                   "2026-11-27 (2 ended, 1 starts later); check the valid_from/valid_until "
                   "(g\xc3\xbcltig_ab/g\xc3\xbcltig_bis) columns");
    /* untrusted: only a day known to be past ends them; the start is not judged */
    CHECK_INT(poster_left_out(&m, t, 1, t, why, sizeof why), 0);
    int64_t dec;
    clock_parse_iso("2026-12-02T10:00:00", &dec);
    ps[2].valid_until[0] = '\0';
    snprintf(ps[2].valid_until, sizeof ps[2].valid_until, "2026-12-01");
    CHECK_INT(poster_left_out(&m, t, 1, dec, why, sizeof why), 1);
    CHECK_HAS(why, "all 3 posters in posters.csv ended before 2026-12-02");
    CHECK_HAS(why, "the clock is not trusted");
    m.n_posters = 0;
    CHECK_INT(poster_left_out(&m, t, 0, 0, why, sizeof why), 1);
    CHECK_HAS(why, "the content has no posters");
    m.posters = keep;
    m.n_posters = keep_n;
    model_free(&m);
}

int main(void)
{
    text = test_fonts();
    clock_set_zone("Europe/Berlin");
    ui_set_language("de");
    RUN(poster_days_switch_the_page_in_and_out_with_the_clock);
    RUN(poster_page_left_out_names_how_many_and_why);
    text_close(text);
    return check_report();
}
