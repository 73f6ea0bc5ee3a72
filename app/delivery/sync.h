/* sync: content from a web server. Owns the poll-and-install cycle over HTTP(S)
 * with libcurl (conditional request for latest.minisig, resumable download of the
 * bundle it names, byte cap from the signed size, timeouts, TLS verification always
 * on), the sync status record in the state directory, and the worker thread of the
 * display with exponential backoff. Installs go through bundle_install. */
#ifndef LITFASS_SYNC_H
#define LITFASS_SYNC_H

#include "base/heartbeat.h"
#include "delivery/bundle.h"

typedef struct {
    const char *url;       /* the publish directory, e.g. https://example.org/litfass */
    const char *state_dir;
    const KeyRing *ring;
    long long max_bytes;
    const char *ca_file;   /* extra CA bundle, or NULL for the system's */
    long connect_timeout_s;
    long low_speed_bps;    /* slower than this for low_speed_time_s aborts */
    long low_speed_time_s;
    Heartbeat *beat; /* beaten as the cycle makes progress; NULL: none */
} SyncConfig;

typedef enum {
    SYNC_INSTALLED,    /* a newer version was installed */
    SYNC_UP_TO_DATE,   /* latest.minisig names nothing newer */
    SYNC_NOT_MODIFIED, /* 304: nothing changed on the server */
    SYNC_FAILED,       /* network, server or bundle problem; nothing installed */
} SyncKind;

typedef struct {
    SyncKind kind;
    BundleResult result; /* for bundle problems */
    long http_status;
    long long version; /* installed (or current) version */
    char message[256]; /* one line for the screen */
    char detail[600];  /* the reason, for the log and `litfassctl status` */
    /* issue 14: the publish directory's alert, polled in the same cycle */
    BundleResult alert_result; /* BUNDLE_NO_BUNDLE: none, or nothing new */
    char alert_message[256];   /* for the screen; "" when there is nothing to say */
    char alert_detail[600];
} SyncOutcome;

/* Sets defaults for the timeouts. */
void sync_defaults(SyncConfig *c);

/* One poll-and-install cycle. Returns 0 unless it failed (then out->kind is
 * SYNC_FAILED); never leaves anything half-installed. The same cycle asks for the
 * publish directory's ALERT_FILE_NAME.minisig (conditionally) and installs a newer
 * alert through alertfile; its outcome is in out->alert_*, not in the return value. */
int sync_once(const SyncConfig *c, SyncOutcome *out);

/* The status record: last contact, last update, last error, offline since. */
typedef struct {
    long long last_ok_ms, last_attempt_ms, last_update_ms, offline_since_ms, last_version;
    char last_error[600];
} SyncStatus;

int sync_read_status(const char *state_dir, SyncStatus *out);

/* A short mark for the screen: "online", "offline seit 13:20", "" when never used. */
void sync_status_mark(const SyncStatus *s, char *buf, size_t len);

typedef struct SyncWorker SyncWorker;

/* Starts polling every interval_s (with backoff and jitter after failures). notify is
 * called from the worker thread after each cycle. The config's strings are copied. */
int sync_start(const SyncConfig *c, int interval_s, void (*notify)(void *), void *ctx,
               SyncWorker **out);

/* Takes the outcome of the last cycle if one is waiting. Thread-safe. */
int sync_take(SyncWorker *w, SyncOutcome *out);

/* Stops the worker (aborting a transfer within a second) and frees. Accepts NULL. */
void sync_stop(SyncWorker *w);

/* The worker's heartbeat (see base/heartbeat.h): beats while a cycle runs, at least
 * once a second during a transfer. NULL for NULL. A cycle silent for SYNC_STALL_MS
 * counts as stuck (the transfer's own low-speed limit ends a slow one long before). */
#define SYNC_STALL_MS (5 * 60 * 1000)
const Heartbeat *sync_heartbeat(const SyncWorker *w);

#endif
