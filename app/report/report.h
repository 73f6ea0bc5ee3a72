/* report: what goes back out to the fleet's web server (issue 18). Owns the report
 * worker thread: HTTP PUT with libcurl of <url>/<screen>/status.json every interval and
 * at once on a reason, <screen>/screen.png when the display hands one over, and the play
 * log's days as <screen>/plays/YYYY-MM-DD.csv (a past day at every status until the
 * server took it, then removed locally; today's so far at most hourly; nothing while
 * the display's clock is not trusted). Its
 * credentials (basic auth or a TLS client certificate) are its own, apart from content
 * trust. Memory is bounded by construction: one status (rebuilt each time), at most one
 * picture, the play log's memory batch; everything else waits on disk. The display
 * thread's calls only copy under a mutex; the worker never touches SDL. */
#ifndef LITFASS_REPORT_H
#define LITFASS_REPORT_H

#include "base/clock.h"
#include "base/heartbeat.h"
#include "report/playlog.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *url;       /* the reports folder, e.g. https://fleet.example.org/reports */
    const char *screen;    /* this screen's name (its folder); made safe for a path */
    const char *site;
    const char *state_dir; /* sync status, free disk; the play log in state_dir/plays */
    int interval_s;
    int picture_s; /* at most one picture per this many seconds; 0: none */
    int today_s;   /* today's plays so far (a growing file, sent whole) at most this often */
    const char *user, *password_file; /* basic auth (both or neither) */
    const char *cert, *key;           /* TLS client certificate */
    const char *ca_file;              /* extra CA certificates, or NULL/"" */
    long long plays_max_bytes;
    long connect_timeout_s, timeout_s; /* per request */
    const Clock *clock;                /* wall: report times, play days; mono: uptime */
} ReportConfig;

/* Defaults for the timeouts and the bound. */
void report_defaults(ReportConfig *c);

/* What the display knows and the worker cannot read itself (set by the kiosk). */
typedef struct {
    long long version;    /* content version on screen (0: none) */
    int64_t installed_ms; /* when that content file was written (0: unknown) */
    char alert[200];      /* the active alert's text, "" for none */
    int clock_trusted;
    int screen_on;
    char page[32], lang[8]; /* what is on screen */
    char usb[256];          /* the last USB outcome, "" when none yet */
    int64_t usb_ms;
} ReportDisplay;

typedef struct Reporter Reporter;

/* Starts the worker; the first status goes out at once (reason "start"). Strings are
 * copied. Returns 0, or -1 with *out NULL (the play log folder cannot be made). */
int report_start(const ReportConfig *c, Reporter **out);

/* Stops the worker (a transfer is aborted within a second), writes the pending plays and
 * frees. Accepts NULL. */
void report_stop(Reporter *r);

/* Replaces what the display knows (copied). */
void report_display(Reporter *r, const ReportDisplay *d);

/* Asks for a status at once: reason "install", "alert", "refusal" (copied). */
void report_now(Reporter *r, const char *reason);

/* Adds a play to the log (copied; no disk access on the caller's thread) when the
 * display's clock is trusted (report_display's clock_trusted, as last told); otherwise
 * only counts it, for the next status ("N plays not logged: the clock was not
 * trusted"). */
void report_play(Reporter *r, const PlayEntry *e);

/* 1 when the worker wants a new screen picture (at most once per picture_s); the display
 * then hands one over with report_frame. */
int report_wants_screen(Reporter *r);

/* Hands a PNG of the screen to the worker, which takes ownership of png (malloc'd);
 * it replaces one not yet sent. */
void report_screen(Reporter *r, unsigned char *png, size_t len);

/* Hands the frame's pixels (w x h ARGB8888, pitch w * 4, malloc'd; the worker takes
 * ownership) to the worker, which shrinks them to REPORT_PICTURE_SIDE and encodes the
 * PNG on its own thread. Replaces a frame not yet encoded (at most one is held). */
#define REPORT_PICTURE_SIDE 480
void report_frame(Reporter *r, uint32_t *argb, int w, int h);

/* Records what reading the frame back cost the display thread: logged with the first
 * picture and for any that took longer than 50 ms (the integrator's figure). */
void report_picture_cost(Reporter *r, int64_t ms);

/* The worker's heartbeat (beats during transfers). NULL for NULL. */
#define REPORT_STALL_MS (5 * 60 * 1000)
const Heartbeat *report_heartbeat(const Reporter *r);

/* The screen's folder name: name with every byte outside [A-Za-z0-9._-] as '_', never
 * starting with '.', "screen" when empty. */
void report_folder_name(const char *name, char *out, size_t len);

/* One status document as JSON (for tests and the worker): the fields of d and of the
 * machine at this moment. notes and log lines are sanitised. Returns a malloc'd string. */
char *report_status_json(const ReportConfig *c, const ReportDisplay *d, const char *reason,
                         int64_t uptime_ms, const char *notes, char (*log)[240], int n_log);

/* Counters for tests and the log. */
typedef struct {
    long status_ok, status_failed, screens_ok, plays_ok, plays_failed;
    long last_http; /* the last response's status, 0: no answer */
} ReportCounts;
void report_counts(Reporter *r, ReportCounts *out);

#endif
