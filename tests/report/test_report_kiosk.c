/* The kiosk's side of reporting on a fake clock: every page shown becomes one play with
 * its own start and duration, in the language and content version shown, and the page on
 * screen when reporting stops is logged too. */
#include "testutil.h"

#include "fixtures.h"

#include "base/trust.h"
#include "check.h"
#include "content/build.h"
#include "display/kiosk.h"
#include "report/report.h"

#include <signal.h>

static Text *text;
static const char *tmp;

TEST(every_page_shown_is_one_play_with_its_duration)
{
    Config cfg;
    config_defaults(&cfg);
    cfg.clock_trust = TRUST_YES;
    snprintf(cfg.pages, sizeof cfg.pages, "campaign");
    snprintf(cfg.languages, sizeof cfg.languages, "de,en");
    char *db = test_fmt("%s/plays.litfass", tmp), err[512];
    CHECK_INT(build_content(LITFASS_CONTENT_DIR, db, 3, 0, NULL, err, sizeof err), 0);
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
    char *state = test_fmt("%s/state", tmp);
    mkdir(state, 0755);
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    int64_t t;
    clock_parse_iso("2021-06-01T15:30:10", &t);
    Clock clock = clock_fake(t), sys = clock_system();
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    ReportConfig rc;
    report_defaults(&rc);
    rc.url = "http://127.0.0.1:1/reports"; /* nobody there: the plays stay on disk */
    rc.screen = "kiosk";
    rc.state_dir = state;
    rc.clock = &sys; /* the worker's own timing; the plays carry the kiosk's times */
    Reporter *r;
    CHECK_INT(report_start(&rc, &r), 0);
    kiosk_set_report(k, r);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    clock_advance(&clock, 20000);
    kiosk_update(k, 1280, 720, &wait);
    CHECK_STR(kiosk_language(k), "en");
    clock_advance(&clock, 20000);
    kiosk_update(k, 1280, 720, &wait);
    CHECK_STR(kiosk_language(k), "de");
    clock_advance(&clock, 5000);
    kiosk_set_report(k, NULL); /* the display stops: the page on screen ends here */
    report_stop(r);             /* writes the batch */
    char *file = test_fmt("%s/plays/2021-06-01.csv", state);
    char *s = test_read(file, NULL);
    CHECK_STR(s, PLAYLOG_HEADER "2021-06-01T13:30:10Z,20.0,campaign,de,3\n"
                                "2021-06-01T13:30:30Z,20.0,campaign,en,3\n"
                                "2021-06-01T13:30:50Z,5.0,campaign,de,3\n");
    free(s);
    free(file);
    kiosk_destroy(k);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    text = test_fonts();
    clock_set_zone("Europe/Berlin");
    tmp = test_tmpdir();
    RUN(every_page_shown_is_one_play_with_its_duration);
    text_close(text);
    return check_report();
}
