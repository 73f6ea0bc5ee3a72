/* usb: content from USB sticks. Owns the watcher thread that looks for a folder
 * `litfass/` at the top of sticks mounted under the configured roots, imports the
 * newest valid bundle through the one install path (bundle_install), writes
 * `litfass/litfass-report.txt` on the stick and hands the outcome to the display.
 * The thread never touches SDL: it calls the notify callback the display gave it. */
#ifndef LITFASS_USB_H
#define LITFASS_USB_H

#include "base/heartbeat.h"
#include "delivery/bundle.h"

typedef struct {
    BundleResult result;
    long long version;  /* installed version (or the installed one when nothing new) */
    int nothing_new;    /* the stick had no bundle newer than the installed one */
    char message[256];  /* one line for the screen, e.g. "Inhalt aktualisiert: Version 42" */
    char detail[600];   /* the technical reason, for the log and the report */
} UsbOutcome;

/* Loads the comma-separated public key files into ring. Returns 0, or -1 with err. */
int usb_load_keys(const char *list, KeyRing *ring, char *err, size_t errlen);

/* Imports from mount_dir/litfass: the bundle pairs there are tried newest first (by
 * their signed version) until one installs. Writes the report file when the stick is
 * writable. Fills *out. */
void usb_import_dir(const char *mount_dir, const char *state_dir, const KeyRing *ring,
                    long long max_bytes, const char *device, UsbOutcome *out);

typedef struct Usb Usb;

/* Starts watching the comma-separated mount roots every interval_ms. notify(ctx) is
 * called from the watcher thread after each import. Returns 0, or -1. */
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
