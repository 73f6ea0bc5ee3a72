/* kiosk: the display's behaviour over time. Owns the loaded Model, the page
 * rotation and the current draw list, and decides when a new frame is needed (the
 * minute changed, the page changed, new content arrived at a page boundary, the
 * screen size changed) — and otherwise lets the process sleep. */
#ifndef LITFASS_KIOSK_H
#define LITFASS_KIOSK_H

#include "base/clock.h"
#include "base/config.h"
#include "pages/layout.h"
#include "display/panel.h"
#include "display/platform.h"
#include "delivery/sync.h"
#include "display/text.h"
#include "delivery/usb.h"
#include "report/report.h"

typedef struct Kiosk Kiosk;

/* Creates the kiosk and loads the content named by cfg (db, else state_dir); missing
 * or bad content gives the "no content" page and a log line, never a failure. */
int kiosk_create(const Config *cfg, const Clock *clock, Text *text, Kiosk **out);
/* (clock and text stay owned by the caller and must outlive the kiosk) */

/* Frees the kiosk. Accepts NULL. */
void kiosk_destroy(Kiosk *k);

/* Advances the rotation to wall/monotonic time and rebuilds the draw list for a
 * w x h screen when something that changes the picture happened. Returns 1 when the
 * picture changed and must be drawn, 0 otherwise; *wait_ms is how long nothing can
 * change. */
int kiosk_update(Kiosk *k, int w, int h, int64_t *wait_ms);

/* How long the current page stays: page_seconds, or longer when its list turns through
 * panel pages, until every one of them has been shown once. */
int64_t kiosk_page_ms(const Kiosk *k);

/* The draw list of the current page, valid until the next kiosk_update(). */
const DrawList *kiosk_drawlist(const Kiosk *k);

/* The list before the last full rebuild (what a transition leaves), and a counter of
 * page turns: it moves when the page, its language, its panel page or the alert changes
 * (a minute, a notice or a new size are not turns). */
const DrawList *kiosk_previous(const Kiosk *k);
unsigned kiosk_turn(const Kiosk *k);

/* The name and the position in the rotation of the page on screen. */
const char *kiosk_page(const Kiosk *k);
int kiosk_page_index(const Kiosk *k);

/* The code of the language the page on screen is in ("de", "ar"). The rotation shows
 * each page once in every configured language (`languages`), then the next page. */
const char *kiosk_language(const Kiosk *k);

/* Shows a message over every page for KIOSK_NOTICE_MS (ok: a confirmation; else a
 * refusal). Copies text. */
#define KIOSK_NOTICE_MS 10000
void kiosk_notice(Kiosk *k, const char *text, int ok);

/* Keeps the screen on for ms from now, also outside the screen times (the panel is
 * switched on), and then a notice on screen as long: staff who plug a USB stick in while
 * the screen is off see what it did. The USB outcomes do this by themselves. */
#define KIOSK_WAKE_MS 120000
void kiosk_wake(Kiosk *k, int64_t ms);

/* Takes the network worker's outcomes (if w is not NULL): installs become notices,
 * and the footer shows the network mark. */
void kiosk_set_sync(Kiosk *k, SyncWorker *w);

/* A problem with the trusted keys, for staff: notice is shown like a refusal (for
 * KIOSK_NOTICE_MS), mark stays in the footer (next to the network mark) until
 * replaced; "" clears either. Copies both. */
void kiosk_set_key_problem(Kiosk *k, const char *notice, const char *mark);

/* Takes the USB watcher's outcomes (if u is not NULL) and shows them as notices. */
void kiosk_set_usb(Kiosk *k, Usb *u);

/* Watches a worker's heartbeat (kept by the caller; the USB and sync workers are
 * watched by kiosk_set_usb and kiosk_set_sync): when it works without a beat for
 * longer than bound_ms, kiosk_alive() says no. At most KIOSK_MAX_WATCHED. */
#define KIOSK_MAX_WATCHED 4
void kiosk_watch(Kiosk *k, const char *name, const Heartbeat *beat, int64_t bound_ms);

/* 1 while every watched worker makes progress (the display loop then pets systemd's
 * watchdog); 0 when one is stuck. Logs each stall and each recovery once. */
int kiosk_alive(Kiosk *k);

/* Lets the kiosk switch the screen itself at the screen times through panel (kept by
 * the caller; NULL: none). It is told the state at the first update (a start inside an
 * off period switches off at once) and then at each change only. kiosk_run sets the
 * platform's panel. */
void kiosk_set_panel(Kiosk *k, Panel *panel);

/* Reports to r (issue 18; kept by the caller; NULL: none): every page shown becomes a
 * play, the display's facts go with each status, a start, install, refusal or alert asks
 * for a status at once, and at a page boundary at most once per interval the frame is
 * handed over as a small PNG. Watches the worker's heartbeat. */
void kiosk_set_report(Kiosk *k, Reporter *r);

/* Renders every configured page in every configured language headless (software
 * renderer, no display) at w x h: dir/<page>.png and .json in the first language,
 * dir/<page>.<lang>.png and .json in the others. Returns 0 only if all rendered. */
int kiosk_screenshot(Kiosk *k, const char *dir, int w, int h);

/* The file name (without .png/.json) of page's screenshot in lang; lang NULL or "":
 * the first language ("campaign"), else "campaign.ar". */
void kiosk_shot_name(const char *page, const char *lang, char *buf, size_t len);

/* Runs the display on p until it is asked to quit. Returns the exit status. */
int kiosk_run(Kiosk *k, Platform *p);

#endif
