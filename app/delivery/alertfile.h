/* alertfile: signed alerts in (issue 14). Owns the alert's signature rules — the
 * bundle's minisign format and keys, with the trusted comment "litfass version=N
 * schema=ALERTFILE_SCHEMA file=NAME.litfass-alert size=BYTES created=ISO" whose version
 * is the alert's own — and installing one into a state directory: read once into
 * memory (capped), verified over those bytes, newer than the alert installed last (a
 * clear included, so no old alert can be replayed), stored atomically under the
 * install lock. Shared by USB, sync and litfassctl import. */
#ifndef LITFASS_ALERTFILE_H
#define LITFASS_ALERTFILE_H

#include "delivery/bundle.h"
#include "store/alert.h"

#define ALERTFILE_SCHEMA 1

typedef struct {
    BundleResult result;   /* BUNDLE_OK: installed; BUNDLE_NOT_NEWER: replay or the same */
    Alert alert;           /* what was installed (or offered, when it was parsed) */
    long long installed;   /* the version installed before (0: none) */
    char message[256];     /* one line for the screen */
    char detail[600];      /* the reason, for the log and the stick's report */
} AlertOutcome;

/* Writes dir/ALERT_FILE_NAME for a (its version set) and signs it with sec_path
 * (dir/ALERT_FILE_NAME.minisig). path gets the alert file's path. Returns 0, or -1
 * with err. */
int alertfile_write(const Alert *a, const char *dir, const char *sec_path, char *path,
                    size_t path_len, char *err, size_t errlen);

/* The name of the alert file in the open folder dirfd: of the visible *.litfass-alert
 * files with a signature next to them (ALERT_FILE_NAME, or a copy renamed by the
 * computer, "alert (1).litfass-alert"), the one whose signature verifies with ring and
 * names the highest version; when none verifies, ALERT_FILE_NAME or the first found (so
 * that the refusal is said). Reads at most 20 000 entries, peeks at most 64 signatures.
 * Returns 1 with name, 0 when there is none. */
int alertfile_find_at(int dirfd, const KeyRing *ring, char *name, size_t len);

/* Installs the alert name (its signature name.minisig) from the open folder dirfd.
 * shown names where it came from in messages. Fills *out; returns out->result. */
BundleResult alertfile_install_at(const char *state_dir, int dirfd, const char *name,
                                  const KeyRing *ring, const char *shown, AlertOutcome *out);

/* alertfile_install_at for a path (litfassctl import). */
BundleResult alertfile_install(const char *state_dir, const char *path, const KeyRing *ring,
                               AlertOutcome *out);

/* What `litfassctl verify` checks for an alert, by the display's rules: its signature
 * (path.minisig) over its bytes, signed name, format and version; not whether it is newer
 * than an installed one. Fills out->alert and out->detail; returns out->result. */
BundleResult alertfile_verify(const char *path, const KeyRing *ring, AlertOutcome *out);

/* 1 when path names an alert file (ends in .litfass-alert). */
int alertfile_is_alert(const char *path);

#endif
