/* Clock and UI strings: ISO parsing, tz-database local time across DST, minute
 * boundaries, the German footer date; the configuration file's limits. */
#include "testutil.h"

#include "check.h"
#include "base/screentime.h"
#include "base/trust.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/ui.h"

TEST(iso_times_with_offsets_and_local_times)
{
    int64_t t;
    CHECK_INT(clock_parse_iso("2021-06-01T13:30:00Z", &t), 0);
    CHECK_INT(t, 1622554200000LL);
    CHECK_INT(clock_parse_iso("2021-06-01T15:30+02:00", &t), 0);
    CHECK_INT(t, 1622554200000LL);
    CHECK_INT(clock_parse_iso("2021-06-01T15:30", &t), 0); /* Berlin summer time */
    CHECK_INT(t, 1622554200000LL);
    CHECK_INT(clock_parse_iso("2021-12-01T15:30", &t), 0); /* Berlin winter time */
    CHECK_INT(t, 1638369000000LL);
    CHECK_INT(clock_parse_iso("2021-06-01", &t), 0);
    CHECK_INT(t, 1622498400000LL);
    CHECK_INT(clock_parse_iso("2021-02-29T10:00", &t), -1);
    CHECK_INT(clock_parse_iso("2021-06-01T25:00", &t), -1);
    CHECK_INT(clock_parse_iso("01.06.2021", &t), -1);
    CHECK_INT(clock_parse_iso("2021-06-01T15:30 trailing", &t), -1);
}

TEST(local_time_follows_both_dst_changes_in_berlin)
{
    struct tm tm;
    int64_t t;
    clock_parse_iso("2021-03-28T00:59:00Z", &t); /* 01:59 CET */
    clock_local(t, &tm);
    CHECK_INT(tm.tm_hour, 1);
    clock_local(t + 60000, &tm); /* 03:00 CEST: 02:00 does not exist */
    CHECK_INT(tm.tm_hour, 3);
    CHECK_INT(tm.tm_min, 0);
    clock_parse_iso("2021-10-31T00:59:00Z", &t); /* 02:59 CEST */
    clock_local(t, &tm);
    CHECK_INT(tm.tm_hour, 2);
    clock_local(t + 60000, &tm); /* back to 02:00 CET */
    CHECK_INT(tm.tm_hour, 2);
    CHECK_INT(tm.tm_min, 0);
}

TEST(unknown_zone_is_refused)
{
    CHECK_INT(clock_set_zone("Europe/Atlantis"), -1);
    CHECK_INT(clock_set_zone("../../etc/passwd"), -1);
    CHECK_INT(clock_set_zone("Europe/Berlin"), 0);
}

TEST(minute_boundaries)
{
    CHECK_INT(clock_ms_to_next_minute(1622554200000LL), 60000);
    CHECK_INT(clock_ms_to_next_minute(1622554200000LL + 59999), 1);
    CHECK_INT(clock_ms_to_next_minute(1622554200000LL + 12345), 60000 - 12345);
}

TEST(fake_clock_moves_only_when_told)
{
    Clock c = clock_fake(1000);
    CHECK_INT(c.wall_ms(&c), 1000);
    int64_t m0 = c.mono_ms(&c);
    clock_advance(&c, 61000);
    CHECK_INT(c.wall_ms(&c), 62000);
    CHECK_INT(c.mono_ms(&c) - m0, 61000);
}

TEST(footer_date_in_german_and_english)
{
    char buf[128];
    int64_t t;
    clock_parse_iso("2021-06-01T15:30", &t);
    ui_set_language("de");
    ui_format_datetime(t, buf, sizeof buf);
    CHECK_STR(buf, "Dienstag, 1. Juni 2021 \xc2\xb7 15:30 Uhr");
    clock_parse_iso("2021-03-07T09:05", &t);
    ui_format_datetime(t, buf, sizeof buf);
    CHECK_STR(buf, "Sonntag, 7. März 2021 \xc2\xb7 09:05 Uhr");
    CHECK_STR(ui_str(UI_NO_CONTENT_TITLE), "Zurzeit kein Inhalt");
    CHECK_INT(ui_set_language("en"), 0);
    ui_format_datetime(t, buf, sizeof buf);
    CHECK_STR(buf, "Sunday, 7 March 2021 \xc2\xb7 09:05");
    CHECK_INT(ui_set_language("xx"), -1);
    ui_set_language("de");
}

/* Writes "[bundles]\n" + a line "usb_roots = /media,/mnt/xxx..." exactly n bytes long
 * (without its newline) + tail into path. */
static void write_conf(const char *path, size_t n, const char *eol, const char *tail)
{
    char *line = malloc(n + 1);
    const char *head = "usb_roots = /media,/mnt/";
    memcpy(line, head, strlen(head));
    memset(line + strlen(head), 'x', n - strlen(head));
    line[n] = '\0';
    char *text = test_fmt("[bundles]%s%s%s%s", eol, line, eol, tail);
    test_write(path, text, strlen(text));
    free(text);
    free(line);
}

TEST(config_refuses_long_lines_and_what_is_not_a_file)
{
    const char *dir = test_tmpdir();
    char *path = test_fmt("%s/litfass.conf", dir);
    char err[600] = "";
    Config c;
    /* a line inih would read in pieces: the tail "max_bundle_mb = 1" was applied */
    config_defaults(&c);
    char *text = test_fmt("[bundles]\nusb_roots = /media,/mnt/%0174d,max_bundle_mb = 1\n", 0);
    test_write(path, text, strlen(text)); /* inih's 199 bytes end just before "max_" */
    free(text);
    CHECK_INT(config_load(&c, path, 1, err, sizeof err), -1);
    CHECK_HAS(err, "litfass.conf:2: line is 216 bytes long, more than the 199");
    CHECK_INT(c.max_bundle_mb, 64);
    CHECK_STR(c.usb_roots, "/media,/run/media,/mnt");
    /* the longest line that is read whole works, also with CRLF; one byte more does not */
    config_defaults(&c);
    write_conf(path, 199, "\n", "max_bundle_mb = 8\n");
    CHECK_INT(config_load(&c, path, 1, err, sizeof err), 0);
    CHECK_INT(strlen(c.usb_roots), 199 - strlen("usb_roots = "));
    CHECK_INT(c.max_bundle_mb, 8);
    config_defaults(&c);
    write_conf(path, 198, "\r\n", "max_bundle_mb = 9\r\n");
    CHECK_INT(config_load(&c, path, 1, err, sizeof err), 0);
    CHECK_INT(c.max_bundle_mb, 9);
    config_defaults(&c);
    write_conf(path, 200, "\n", "");
    CHECK_INT(config_load(&c, path, 1, err, sizeof err), -1);
    CHECK_HAS(err, ":2: line is 200 bytes long");
    /* a NUL byte would end the text early */
    test_write(path, "[bundles]\nmax_bundle_mb = 2\0\nmax_bundle_mb = 3\n", 46);
    CHECK_INT(config_load(&c, path, 1, err, sizeof err), -1);
    CHECK_HAS(err, ":2: contains a NUL byte");
    /* --config DIR: an error naming the path, never an empty configuration */
    CHECK_INT(config_load(&c, dir, 1, err, sizeof err), -1);
    CHECK_HAS(err, dir);
    CHECK_HAS(err, "is a directory, not a configuration file");
    CHECK_INT(config_load(&c, dir, 0, err, sizeof err), -1);
    CHECK_INT(config_load(&c, "/dev/null", 1, err, sizeof err), -1);
    CHECK_HAS(err, "/dev/null: is not a regular file");
    /* a missing default file is fine, a missing named one is not */
    char *missing = test_fmt("%s/none.conf", dir);
    CHECK_INT(config_load(&c, missing, 0, err, sizeof err), 0);
    CHECK_INT(config_load(&c, missing, 1, err, sizeof err), -1);
    CHECK_HAS(err, "none.conf: cannot open");
    free(missing);
    free(path);
}

TEST(the_clock_is_trusted_only_when_something_vouches_for_it)
{
    char why[160];
    TrustSignals none = { 0, 0 }, synced = { 1, 0 }, rtc = { 0, 1 };
    int64_t t = 1622554200000LL, floor = t + 86400000; /* a floor a day later */
    CHECK_INT(trust_decide(TRUST_AUTO, &none, t, 0, why, sizeof why), 0);
    CHECK_HAS(why, "not synchronised");
    CHECK_INT(trust_decide(TRUST_AUTO, &synced, t, 0, why, sizeof why), 1);
    CHECK_INT(trust_decide(TRUST_AUTO, &rtc, t, 0, why, sizeof why), 1);
    /* never before content that exists, however synchronised it claims to be */
    CHECK_INT(trust_decide(TRUST_AUTO, &synced, t, floor, why, sizeof why), 0);
    CHECK_HAS(why, "before");
    CHECK_INT(trust_decide(TRUST_AUTO, &synced, floor + 1, floor, why, sizeof why), 1);
    /* the configuration decides when it says so */
    CHECK_INT(trust_decide(TRUST_YES, &none, t, floor, why, sizeof why), 1);
    CHECK_INT(trust_decide(TRUST_NO, &synced, t, 0, why, sizeof why), 0);
}

TEST(the_floor_only_rises_and_survives_in_the_state_directory)
{
    const char *dir = test_tmpdir();
    CHECK(trust_floor_load(dir) == 0);
    CHECK_INT(trust_floor_store(dir, 1622554200000LL), 0);
    CHECK(trust_floor_load(dir) == 1622554200000LL);
    CHECK_INT(trust_floor_store(dir, 1000), 0); /* lower: ignored */
    CHECK(trust_floor_load(dir) == 1622554200000LL);
    CHECK_INT(trust_floor_store(dir, 1622554200001LL), 0);
    CHECK(trust_floor_load(dir) == 1622554200001LL);
    CHECK(trust_floor_store("/nonexistent/dir", 5) == -1);
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    clock_parse_iso(iso, &t);
    return t;
}

TEST(screen_times_follow_the_local_clock_across_dst_and_midnight)
{
    ScreenTimes st;
    char err[200];
    CHECK_INT(screentime_parse("Mo-Fr 07:30-18:00, Sa 09:00-13:00, So 7:30-18, Fr 20:00-02:00", &st,
                               err, sizeof err), 0);
    int64_t next;
    CHECK_INT(screentime_on(&st, at("2021-06-01T07:29"), &next), 0); /* a Tuesday */
    CHECK(next == at("2021-06-01T07:30"));
    CHECK_INT(screentime_on(&st, at("2021-06-01T07:30"), &next), 1);
    CHECK(next == at("2021-06-01T18:00"));
    CHECK_INT(screentime_on(&st, at("2021-06-05T13:00"), &next), 0); /* Saturday, after 13:00 */
    CHECK(next == at("2021-06-06T07:30"));
    CHECK_INT(screentime_on(&st, at("2021-06-05T01:59"), NULL), 1); /* Friday night runs on */
    CHECK_INT(screentime_on(&st, at("2021-06-05T02:00"), NULL), 0);
    /* the 23-hour and the 25-hour Sunday: 07:30 is 07:30 local on both */
    CHECK_INT(screentime_on(&st, at("2021-03-28T07:29"), &next), 0);
    CHECK(next == at("2021-03-28T07:30"));
    CHECK_INT(screentime_on(&st, at("2021-03-28T07:30"), NULL), 1);
    CHECK_INT(screentime_on(&st, at("2021-10-31T07:30"), NULL), 1);
    CHECK_INT(screentime_on(&st, at("2021-10-31T07:29"), &next), 0);
    CHECK(next == at("2021-10-31T07:30"));
    /* whole days off, and nothing configured: always on */
    CHECK_INT(screentime_parse_off("2026-12-24, 2026-12-25", &st, err, sizeof err), 0);
    CHECK_INT(screentime_on(&st, at("2026-12-24T10:00"), NULL), 0); /* a Thursday */
    CHECK_INT(screentime_on(&st, at("2026-12-23T10:00"), NULL), 1);
    ScreenTimes none = { 0 };
    CHECK_INT(screentime_on(&none, at("2026-12-24T03:00"), &next), 1);
    CHECK(next == 0);
    /* what staff mistype is refused with the part */
    CHECK_INT(screentime_parse("Mo-Fr 07:30", &st, err, sizeof err), -1);
    CHECK_HAS(err, "'Mo-Fr 07:30'");
    CHECK_INT(screentime_parse("Xy 07:30-09:00", &st, err, sizeof err), -1);
    CHECK_INT(screentime_parse_off("24.12.2026", &st, err, sizeof err), -1);
    CHECK_HAS(err, "2026-12-24");
}

int main(void)
{
    clock_set_zone("Europe/Berlin");
    RUN(iso_times_with_offsets_and_local_times);
    RUN(local_time_follows_both_dst_changes_in_berlin);
    RUN(unknown_zone_is_refused);
    RUN(minute_boundaries);
    RUN(fake_clock_moves_only_when_told);
    RUN(footer_date_in_german_and_english);
    RUN(config_refuses_long_lines_and_what_is_not_a_file);
        RUN(the_clock_is_trusted_only_when_something_vouches_for_it);
    RUN(the_floor_only_rises_and_survives_in_the_state_directory);
    RUN(screen_times_follow_the_local_clock_across_dst_and_midnight);
return check_report();
}
