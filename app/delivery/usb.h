/* usb: content from USB sticks. Owns the watcher thread that looks for sticks
 * mounted under the configured roots (a mount point, or a folder with `litfass/`),
 * imports the newest valid bundle through the one install path (bundle_install), writes
 * `litfass/litfass-report.txt` on the stick and hands the outcome to the display.
 * The thread never touches SDL: it calls the notify callback the display gave it. */
#ifndef LITFASS_USB_H
#define LITFASS_USB_H

#include "base/heartbeat.h"
#include "delivery/alertfile.h"
#include "delivery/bundle.h"

typedef struct {
    BundleResult result;
    long long version;  /* installed version (or the installed one when nothing new) */
    int nothing_new;    /* the stick had no bundle newer than the installed one */
    char message[256];  /* one line for the screen, e.g. "Inhalt aktualisiert: Version 42" */
    char detail[600];   /* the technical reason, for the log and the report */
    char where[160];    /* the folder the outcome's bundle was in, sanitised: "litfass/",
                         * "" for the stick's top, "NAME/" one folder down */
    char found[300];    /* what was found where, e.g. "2 bundles at the top of the stick" */
    /* issue 14: an alert in litfass/ or at the top, installed before any bundle */
    int alert_found;
    BundleResult alert_result; /* BUNDLE_NO_BUNDLE when there was none */
    char alert_message[256];   /* for the screen (also part of message) */
    char alert_detail[600];    /* the reason, for the log and the report */
} UsbOutcome;

/* What loading the trusted keys found wrong. */
typedef struct {
    int n_failed;      /* key files named but not loaded */
    char first[300];   /* the first of them, sanitised */
    int first_missing; /* it does not exist (else it is unreadable or not a key) */
    char detail[1024]; /* every failure, "PATH: reason; ...", for the log */
} UsbKeyProblems;

/* Loads every key file of the comma-separated list it can into ring: a missing or
 * unusable one is skipped (and described in *kp), the others keep working. Returns
 * 0 when every named key loaded, -1 when one failed or none is named (ring->n says
 * how many loaded; with 0 nothing can be verified). */
int usb_load_keys(const char *list, KeyRing *ring, UsbKeyProblems *kp);

/* The key problems for staff on screen: notice the full sentence (UI_KEY_MISSING,
 * UI_KEY_UNUSABLE or UI_NO_KEYS), mark a short footer mark; both "" when all is
 * well. */
void usb_key_texts(const UsbKeyProblems *kp, const KeyRing *ring, char *notice,
                   size_t notice_len, char *mark, size_t mark_len);

/* Imports from the stick at mount_dir: the bundle pairs in its folder litfass/, at
 * its top and one folder down (staff put them there too) are tried newest first (by
 * their signed version) until one installs; one found outside litfass/ says where
 * it was and that it belongs in litfass/. No bundle anywhere is an outcome of its
 * own (UI_USB_NO_BUNDLE). A signed alert (ALERT_FILE_NAME or another *.litfass-alert
 * with its .minisig) in litfass/ or at the top is installed first; with no bundle it
 * is the outcome. Writes the report file (into litfass/, else the top) when
 * the stick is writable. Fills *out. */
void usb_import_dir(const char *mount_dir, const char *state_dir, const KeyRing *ring,
                    long long max_bytes, const char *device, UsbOutcome *out);

typedef struct Usb Usb;

/* Without an event, the watcher looks at the roots again after this long (a stick no
 * event announced: a root made after the start, a file system without inotify). */
#define USB_RESCAN_MS (10 * 60 * 1000)

/* Starts watching the comma-separated mount roots: at once, then whenever the mount
 * table or a root's folders change, and every interval_ms without an event (0: every
 * USB_RESCAN_MS). notify(ctx) is called from the watcher thread after each import.
 * Returns 0, or -1. */
int usb_start(const char *roots, const char *state_dir, const KeyRing *ring,
              long long max_bytes, const char *device, int interval_ms,
              void (*notify)(void *ctx), void *ctx, Usb **out);

/* Takes the oldest outcome not yet taken. Returns 1 if there was one. Thread-safe. */
int usb_take(Usb *u, UsbOutcome *out);

/* Stops the thread and frees. Accepts NULL. */
void usb_stop(Usb *u);

/* The watcher thread's heartbeat (see base/heartbeat.h): beats while it scans and
 * imports. NULL for NULL. An import that makes no progress for USB_STALL_MS counts as
 * stuck (a whole 64 MB install from a slow stick takes far less). */
#define USB_STALL_MS (5 * 60 * 1000)
const Heartbeat *usb_heartbeat(const Usb *u);

#endif
