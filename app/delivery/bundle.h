/* bundle: signed content bundles and their installation. Owns the minisign file
 * formats (public key, secret key, signature with trusted comment; Ed25519 over the
 * BLAKE2b-512 prehash, libsodium), the install path shared by USB and network, and
 * the state directory: versioned content files, the `current` and `previous`
 * pointers, the `highest` version record and `staging/`. */
#ifndef LITFASS_BUNDLE_H
#define LITFASS_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define BUNDLE_MAX_SIG_BYTES 4096
#define BUNDLE_DEFAULT_MAX_BYTES (64LL * 1024 * 1024)
/* How long an install waits for another one on the same state directory. */
#define BUNDLE_LOCK_WAIT_MS 30000

typedef struct {
    unsigned char id[8];
    unsigned char pk[32];
} PublicKey;

typedef struct {
    PublicKey keys[16];
    int n;
} KeyRing;

/* The facts a signed trusted comment carries. */
typedef struct {
    long long version;
    int schema;
    char file[128];
    long long size;
    char created[32];
} TrustedInfo;

/* Why an install did not happen; each has a short text for the screen (ui). */
typedef enum {
    BUNDLE_OK = 0,
    BUNDLE_NO_SIGNATURE,   /* no .minisig next to the bundle */
    BUNDLE_BAD_SIGNATURE,  /* does not verify, or malformed */
    BUNDLE_UNTRUSTED_KEY,  /* signed by a key this kiosk does not trust */
    BUNDLE_BAD_COMMENT,    /* trusted comment missing, malformed, other file or size */
    BUNDLE_NOT_NEWER,      /* version not above the highest ever installed */
    BUNDLE_TOO_LARGE,      /* over the configured maximum */
    BUNDLE_BAD_SCHEMA,     /* a schema version this display does not read */
    BUNDLE_BAD_CONTENT,    /* not SQLite, corrupt, unexpected objects, over limits, bad text */
    BUNDLE_BAD_NAME,       /* file name leaving the folder or otherwise unsafe */
    BUNDLE_IO,             /* reading or writing failed */
    BUNDLE_SIG_UNREADABLE, /* the .minisig is there but cannot be read (I/O error, no file) */
    BUNDLE_READ_FAILED,    /* the bundle ended early or failed to read: stick pulled */
    BUNDLE_NOT_REGULAR,    /* a symbolic link, FIFO, device or folder instead of a file */
    BUNDLE_BUSY,           /* another install held the state directory too long */
    BUNDLE_TOO_MANY,       /* more files in a stick's folder than are ever considered */
    BUNDLE_RENAMED,        /* renamed, and no signature could be matched to it by its name,
                            * size or the signed name (the signature names another file) */
    BUNDLE_NO_BUNDLE,      /* no bundle at all where one was looked for */
} BundleResult;

/* Reads a minisign public key file. Returns 0, or -1 with err. */
int bundle_read_pubkey(const char *path, PublicKey *out, char *err, size_t errlen);

/* Adds the key in path to ring. Returns 0, or -1 with err. */
int bundle_ring_add(KeyRing *ring, const char *path, char *err, size_t errlen);

/* Creates a key pair: pub_path (minisign public key) and sec_path (minisign secret key
 * without password, as `minisign -G -W` writes it; mode 0600). Refuses to overwrite. */
int bundle_keygen(const char *pub_path, const char *sec_path, char *err, size_t errlen);

/* Signs file with the secret key: writes file.minisig with the trusted comment read
 * from the content database itself (version, schema, name, size, creation time). */
int bundle_sign(const char *file, const char *sec_path, char *err, size_t errlen);

/* Signs a file that is not a content database (an alert) with the facts given:
 * the trusted comment names version, schema (the file's format version), the file's
 * base name, its size and created. Writes file.minisig. Returns 0, or -1 with err. */
int bundle_sign_facts(const char *file, long long version, int schema, const char *created,
                      const char *sec_path, char *err, size_t errlen);

/* For small signed files (alerts): reads the regular file name in dirfd whole (at most
 * max bytes; no link followed) and verifies sig_name in dirfd over exactly those bytes,
 * with its key in ring and its trusted comment (size= must be the size read). Returns
 * BUNDLE_OK with the bytes in *data (NUL-terminated; the caller frees) and *len, or the
 * reason with err (*data NULL). Does not check file=. */
BundleResult bundle_read_verified_at(int dirfd, const char *name, const char *sig_name,
                                     const KeyRing *ring, size_t max, char **data, size_t *len,
                                     TrustedInfo *info, char *err, size_t errlen);

/* Verifies file against sig_path with the ring and parses the trusted comment into
 * *info. Returns BUNDLE_OK or the reason, with err. Does not check file= or size=. */
BundleResult bundle_verify(const char *file, const char *sig_path, const KeyRing *ring,
                           TrustedInfo *info, char *err, size_t errlen);

/* Verifies only the signature file's trusted comment (cheap: no file hash), for
 * choosing among bundles. Returns BUNDLE_OK or the reason. */
BundleResult bundle_peek(const char *sig_path, const KeyRing *ring, TrustedInfo *info,
                         char *err, size_t errlen);

/* bundle_peek for the signature file sig_name inside the open folder dirfd (a
 * stick's litfass/): a symbolic link, FIFO or device there is refused, never
 * followed or opened for reading. */
BundleResult bundle_peek_at(int dirfd, const char *sig_name, const KeyRing *ring,
                            TrustedInfo *info, char *err, size_t errlen);

/* Reads a signature file's trusted comment without verifying it (for publishing
 * one's own bundles). Returns BUNDLE_OK or the reason. */
BundleResult bundle_read_comment(const char *sig_path, TrustedInfo *info, char *err,
                                 size_t errlen);

/* The install path: find the bundle's signature by the pairing rule (BundlePair,
 * below) and read it; open the bundle only if it is a regular file
 * (no link is followed, a FIFO or device never blocks) whose size is the signed size
 * (at most max_bytes); take the state directory's lock (flock on DIR/lock, shared by
 * every process; waits at most BUNDLE_LOCK_WAIT_MS, then BUNDLE_BUSY); copy exactly
 * the signed bytes into private staging, verify the signature over the staged bytes,
 * check version (above the highest ever installed, read again under the lock) and
 * schema, open with SQLite's defences and check the content, then fsync and switch
 * `current` atomically, keeping the previous version for rollback; prune files no
 * pointer names. A failure leaves no new file behind and the content on screen as it
 * was. Never opens an unverified file with SQLite. Returns BUNDLE_OK (info filled) or
 * the reason, with err in one line (names sanitised with log_sanitize). */
BundleResult bundle_install(const char *state_dir, const char *bundle_path,
                            const KeyRing *ring, long long max_bytes, TrustedInfo *info,
                            char *err, size_t errlen);

/* bundle_install for the bundle name (its signature by the pairing rule) inside the
 * open folder dirfd,
 * so that a stick's folder is opened once and nothing under it follows a link. */
BundleResult bundle_install_at(const char *state_dir, int dirfd, const char *name,
                               const KeyRing *ring, long long max_bytes, TrustedInfo *info,
                               char *err, size_t errlen);

/* A bundle in a folder and the signature the pairing rule found for it. The rule
 * (bundle_pairs_at; the same for the display, litfassctl import, import-usb and
 * verify): a bundle's name is not part of its identity, the signed file= is.
 *   1. NAME.minisig next to NAME is its signature, whatever file= it names;
 *   2. else a signature whose own bundle (its name without .minisig) is absent and
 *      whose file= is NAME (Windows' "content-46 (1).litfass.minisig");
 *   3. else an orphan signature (its own bundle and its signed file both absent)
 *      whose size= only NAME among the unpaired bundles has (a bundle renamed on
 *      its own);
 *   4. else, when orphan signatures remain, NAME was renamed and cannot be matched:
 *      BUNDLE_RENAMED with the signed name; with none, BUNDLE_NO_SIGNATURE.
 * A pair whose file= differs from NAME installs under the signed name (renamed). */
typedef struct {
    char name[256];    /* the bundle file in the folder */
    char sig[256];     /* its signature file in the folder; "" when none matched */
    BundleResult peek; /* BUNDLE_OK when sig is authentic (info filled), else why */
    TrustedInfo info;  /* the signed facts (info.file: the signed name) */
    int renamed;       /* info.file differs from name (peek is BUNDLE_OK) */
    char why[600];     /* the reason when peek is not BUNDLE_OK, names sanitised */
} BundlePair;

/* Pairs every bundle (*.litfass, not hidden) in the open folder dirfd with its
 * signature by the rule above and checks each signature's key and trusted comment
 * (cheap: no file hash). Reads at most max_entries directory entries and accepts at
 * most max_bundles bundles and as many signatures. Returns the count (the array in
 * *out, which the caller frees; NULL for 0), or -1 (*out NULL) when over a limit or
 * the folder cannot be read. Opens nothing but regular files, follows no link. */
int bundle_pairs_at(int dirfd, const KeyRing *ring, int max_bundles, int max_entries,
                    BundlePair **out);

/* The pair for the one bundle name in dirfd by the same rule (name.minisig first,
 * without looking at the rest of the folder). Fills *pair; returns pair->peek. */
BundleResult bundle_match_at(int dirfd, const char *name, const KeyRing *ring,
                             BundlePair *pair);

/* bundle_install for a pair found by bundle_pairs_at in dirfd: the install path with
 * the pair's signature (a pair without one returns its reason). */
BundleResult bundle_install_pair(const char *state_dir, int dirfd, const BundlePair *pair,
                                 const KeyRing *ring, long long max_bytes, TrustedInfo *info,
                                 char *err, size_t errlen);

/* What `litfassctl verify` checks, by the display's rules: the signature found by
 * the pairing rule in file's folder, its key and comment, the signed name, size (at
 * most max_bytes, and the file's size) and schema, and the signature over the file's
 * bytes. Not the content itself (import does that). sig_used gets the signature's
 * path. Returns BUNDLE_OK (info filled) or the reason, with err. */
BundleResult bundle_verify_file(const char *file, const KeyRing *ring, long long max_bytes,
                                TrustedInfo *info, char *sig_used, size_t siglen, char *err,
                                size_t errlen);

typedef struct {
    char current[128];  /* file name, "" when nothing installed */
    char previous[128];
    long long current_version, previous_version;
    long long highest; /* the highest version ever installed (downgrade protection) */
} BundleState;

/* Takes the state directory's install lock (the one every install holds; waits at most
 * BUNDLE_LOCK_WAIT_MS), for other files installed there (alerts). Returns its fd (close
 * it to release), or -1 with *r (BUNDLE_BUSY or BUNDLE_IO) and err. */
int bundle_lock(const char *state_dir, BundleResult *r, char *err, size_t errlen);

/* Reads the state directory. Returns 0 (also when empty), or -1 with err. */
int bundle_state(const char *state_dir, BundleState *out, char *err, size_t errlen);

/* Switches back to the previous version on purpose (the highest record stays), under
 * the install lock. Returns 0, or -1 with err. */
int bundle_rollback(const char *state_dir, char *err, size_t errlen);

/* A short text for the screen and the report, e.g. "Signatur ungültig". */
const char *bundle_result_text(BundleResult r);

#endif
