/* bundle: the minisign formats are small and fixed, so they are read and written
 * here with libsodium's primitives (Ed25519, BLAKE2b, base64) rather than by calling
 * the minisign program. The install path follows DESIGN.md step by step; every step
 * that can fail leaves the content on screen untouched, and every state change is a
 * rename of a fully written and fsynced file, so a power cut at any instant leaves
 * either the old or the new version in place. */
#define _POSIX_C_SOURCE 200809L
#include "delivery/bundle.h"

#include "base/log.h"
#include "store/store.h"
#include "base/ui.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIG_PREHASHED "ED"
#define ALG_ED "Ed"

static BundleResult reason(BundleResult r, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return r;
}

/* What a non-regular directory entry is, for a message a person reads. */
static const char *file_kind(mode_t m)
{
    return S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO (named pipe)" :
           S_ISDIR(m) ? "a folder" : S_ISSOCK(m) ? "a socket" :
           S_ISCHR(m) || S_ISBLK(m) ? "a device" : "not a regular file";
}

/* Opens name (relative to dirfd; AT_FDCWD for a plain path) for reading, but only
 * a regular file: a symbolic link in the last component is never followed, a FIFO
 * or device is never opened for real (its type is checked before opening, and
 * O_NONBLOCK keeps a FIFO swapped in between from blocking), and the type is checked
 * again on the opened file, so nothing swapped in can slip through. Returns the fd
 * with *st filled; -1 with errno when opening failed; -2 when name is not a regular
 * file (st->st_mode tells what it is). */
static int open_regular(int dirfd, const char *name, struct stat *st)
{
    if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) != 0) {
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        return -2;
    }
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        return -1;
    }
    if (fstat(fd, st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return -2;
    }
    return fd;
}

/* read() that retries on EINTR. */
static ssize_t read_some(int fd, void *buf, size_t len)
{
    ssize_t r;
    do {
        r = read(fd, buf, len);
    } while (r < 0 && errno == EINTR);
    return r;
}

typedef enum { SLURP_OK, SLURP_ERRNO, SLURP_NOT_REGULAR, SLURP_TOO_LARGE } SlurpStatus;

/* Reads a small regular file whole (at most max bytes) into a new string (the
 * caller frees it). On failure returns NULL with *why (errno says more for
 * SLURP_ERRNO; *mode the type for SLURP_NOT_REGULAR). */
static char *slurp_at(int dirfd, const char *name, size_t max, size_t *len, SlurpStatus *why,
                      mode_t *mode)
{
    struct stat st;
    SlurpStatus dummy;
    why = why ? why : &dummy;
    int fd = open_regular(dirfd, name, &st);
    if (fd < 0) {
        *why = fd == -2 ? SLURP_NOT_REGULAR : SLURP_ERRNO;
        if (mode) {
            *mode = st.st_mode;
        }
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        abort();
    }
    size_t n = 0;
    ssize_t r = 0;
    while (n <= max && (r = read_some(fd, buf + n, max + 1 - n)) > 0) {
        n += (size_t)r;
    }
    int e = errno;
    close(fd);
    if (r < 0 || n > max) {
        free(buf);
        *why = r < 0 ? SLURP_ERRNO : SLURP_TOO_LARGE;
        errno = e;
        return NULL;
    }
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    *why = SLURP_OK;
    return buf;
}

static char *slurp(const char *path, size_t max, size_t *len)
{
    return slurp_at(AT_FDCWD, path, max, len, NULL, NULL);
}

/* Splits text into lines in place (at most max), dropping CR. */
static int lines(char *text, char **out, int max)
{
    int n = 0;
    for (char *p = text; *p && n < max;) {
        out[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) {
            break;
        }
        *nl = '\0';
        if (nl > p && nl[-1] == '\r') {
            nl[-1] = '\0';
        }
        p = nl + 1;
    }
    return n;
}

static int b64_decode(const char *in, unsigned char *out, size_t want)
{
    size_t got = 0;
    if (sodium_base642bin(out, want, in, strlen(in), NULL, &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        return -1;
    }
    return got == want ? 0 : -1;
}

static void b64_encode(const unsigned char *in, size_t len, char *out, size_t outlen)
{
    sodium_bin2base64(out, outlen, in, len, sodium_base64_VARIANT_ORIGINAL);
}

int bundle_read_pubkey(const char *path, PublicKey *out, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot initialise");
        return -1;
    }
    char *text = slurp(path, 1024, NULL);
    char *ln[4] = { NULL, NULL, NULL, NULL };
    unsigned char raw[42];
    if (!text) {
        snprintf(err, errlen, "%s: cannot read public key: %s", path, strerror(errno));
        return -1;
    }
    int n = lines(text, ln, 4);
    /* "untrusted comment: ..." then the key; a bare key line is accepted too */
    const char *key = n < 1 ? "" : n >= 2 && strncmp(ln[0], "untrusted comment:", 18) == 0 ? ln[1] : ln[0];
    int rc = b64_decode(key, raw, sizeof raw) == 0 && memcmp(raw, ALG_ED, 2) == 0 ? 0 : -1;
    if (rc == 0) {
        memcpy(out->id, raw + 2, 8);
        memcpy(out->pk, raw + 10, 32);
    } else {
        snprintf(err, errlen, "%s: not a minisign public key", path);
    }
    free(text);
    return rc;
}

int bundle_ring_add(KeyRing *ring, const char *path, char *err, size_t errlen)
{
    if (ring->n >= (int)(sizeof ring->keys / sizeof ring->keys[0])) {
        snprintf(err, errlen, "%s: too many trusted keys (16 at most)", path);
        return -1;
    }
    if (bundle_read_pubkey(path, &ring->keys[ring->n], err, errlen) != 0) {
        return -1;
    }
    ring->n++;
    return 0;
}

static int write_new_file(const char *path, const char *data, mode_t mode, char *err,
                          size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    size_t len = strlen(data);
    int ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok) {
        unlink(path);
        snprintf(err, errlen, "%s: cannot write", path);
        return -1;
    }
    return 0;
}

int bundle_keygen(const char *pub_path, const char *sec_path, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot initialise");
        return -1;
    }
    unsigned char pk[32], sk[64], id[8];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(id, sizeof id);
    /* public: "Ed" || keyid || pk */
    unsigned char pub[42];
    memcpy(pub, ALG_ED, 2);
    memcpy(pub + 2, id, 8);
    memcpy(pub + 10, pk, 32);
    /* secret: "Ed" || kdf "\0\0" (no password) || "B2" || salt[32] || ops[8] || mem[8]
     *         || keyid[8] || sk[64] || BLAKE2b-256("Ed" || keyid || sk) */
    unsigned char sec[2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32];
    memset(sec, 0, sizeof sec);
    memcpy(sec, ALG_ED, 2);
    memcpy(sec + 4, "B2", 2);
    randombytes_buf(sec + 6, 32);
    memcpy(sec + 54, id, 8);
    memcpy(sec + 62, sk, 64);
    unsigned char chk_in[2 + 8 + 64];
    memcpy(chk_in, ALG_ED, 2);
    memcpy(chk_in + 2, id, 8);
    memcpy(chk_in + 10, sk, 64);
    crypto_generichash(sec + 126, 32, chk_in, sizeof chk_in, NULL, 0);
    char b_pub[128], b_sec[512], text[1024];
    unsigned long long num = 0;
    for (int i = 7; i >= 0; i--) {
        num = num << 8 | id[i];
    }
    b64_encode(pub, sizeof pub, b_pub, sizeof b_pub);
    b64_encode(sec, sizeof sec, b_sec, sizeof b_sec);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(sec, sizeof sec);
    sodium_memzero(chk_in, sizeof chk_in);
    snprintf(text, sizeof text, "untrusted comment: minisign encrypted secret key\n%s\n", b_sec);
    sodium_memzero(b_sec, sizeof b_sec);
    if (write_new_file(sec_path, text, 0600, err, errlen) != 0) {
        sodium_memzero(text, sizeof text);
        return -1;
    }
    sodium_memzero(text, sizeof text);
    snprintf(text, sizeof text, "untrusted comment: minisign public key %016llX\n%s\n", num, b_pub);
    if (write_new_file(pub_path, text, 0644, err, errlen) != 0) {
        unlink(sec_path);
        return -1;
    }
    return 0;
}

static int read_seckey(const char *path, unsigned char id[8], unsigned char sk[64], char *err,
                       size_t errlen)
{
    char *text = slurp(path, 2048, NULL);
    char *ln[4];
    unsigned char raw[158];
    if (!text) {
        snprintf(err, errlen, "%s: cannot read secret key: %s", path, strerror(errno));
        return -1;
    }
    int n = lines(text, ln, 4), rc = -1;
    if (n < 2 || b64_decode(ln[1], raw, sizeof raw) != 0 || memcmp(raw, ALG_ED, 2) != 0 ||
        memcmp(raw + 4, "B2", 2) != 0) {
        snprintf(err, errlen, "%s: not a minisign secret key", path);
    } else if (raw[2] != 0 || raw[3] != 0) {
        snprintf(err, errlen, "%s: the secret key is password-protected; litfassctl reads keys "
                              "made by 'litfassctl keygen' or 'minisign -G -W'", path);
    } else {
        unsigned char chk_in[74], chk[32];
        memcpy(chk_in, ALG_ED, 2);
        memcpy(chk_in + 2, raw + 54, 72);
        crypto_generichash(chk, 32, chk_in, sizeof chk_in, NULL, 0);
        /* minisign -G -W writes a checksum it does not check itself; a key whose
         * halves agree (the seed gives back the same key pair) is intact either way */
        unsigned char pk2[32], sk2[64];
        crypto_sign_seed_keypair(pk2, sk2, raw + 62);
        int intact = sodium_memcmp(chk, raw + 126, 32) == 0 || sodium_memcmp(sk2, raw + 62, 64) == 0;
        sodium_memzero(sk2, sizeof sk2);
        if (!intact) {
            snprintf(err, errlen, "%s: secret key is damaged (checksum and key do not agree)", path);
        } else {
            memcpy(id, raw + 54, 8);
            memcpy(sk, raw + 62, 64);
            rc = 0;
        }
        sodium_memzero(chk_in, sizeof chk_in);
    }
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(text, strlen(text));
    free(text);
    return rc;
}

/* BLAKE2b-512 of a regular file, read in blocks (at most max bytes). Returns the
 * size, or -1. */
static long long hash_file(const char *path, unsigned char out[64], long long max)
{
    struct stat st;
    int fd = open_regular(AT_FDCWD, path, &st);
    if (fd < 0) {
        if (fd == -2) {
            errno = EINVAL;
        }
        return -1;
    }
    crypto_generichash_state st_h;
    crypto_generichash_init(&st_h, NULL, 0, 64);
    unsigned char *buf = malloc(65536);
    if (!buf) {
        abort();
    }
    long long total = 0;
    ssize_t r;
    while ((r = read_some(fd, buf, 65536)) > 0) {
        total += r;
        if (total > max) {
            break;
        }
        crypto_generichash_update(&st_h, buf, (unsigned long long)r);
    }
    free(buf);
    close(fd);
    if (r < 0 || total > max) {
        return -1;
    }
    crypto_generichash_final(&st_h, out, 64);
    return total;
}

/* Parses "litfass version=N schema=S file=NAME size=BYTES created=ISO". */
static int parse_comment(const char *c, TrustedInfo *info)
{
    char buf[512];
    memset(info, 0, sizeof *info);
    if (strlen(c) >= sizeof buf) {
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", c);
    char *save = NULL, *tok = strtok_r(buf, " ", &save);
    if (!tok || strcmp(tok, "litfass") != 0) {
        return -1;
    }
    int seen = 0;
    while ((tok = strtok_r(NULL, " ", &save))) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            return -1;
        }
        *eq = '\0';
        const char *v = eq + 1;
        char *end;
        if (!strcmp(tok, "version") && !(seen & 1)) {
            info->version = strtoll(v, &end, 10);
            if (*end || end == v || info->version < 1) return -1;
            seen |= 1;
        } else if (!strcmp(tok, "schema") && !(seen & 2)) {
            long s = strtol(v, &end, 10);
            if (*end || end == v || s < 1 || s > 1000) return -1;
            info->schema = (int)s;
            seen |= 2;
        } else if (!strcmp(tok, "file") && !(seen & 4)) {
            if (!*v || strlen(v) >= sizeof info->file) return -1;
            snprintf(info->file, sizeof info->file, "%s", v);
            seen |= 4;
        } else if (!strcmp(tok, "size") && !(seen & 8)) {
            info->size = strtoll(v, &end, 10);
            if (*end || end == v || info->size < 1) return -1;
            seen |= 8;
        } else if (!strcmp(tok, "created") && !(seen & 16)) {
            if (strlen(v) >= sizeof info->created) return -1;
            snprintf(info->created, sizeof info->created, "%s", v);
            seen |= 16;
        } else {
            return -1;
        }
    }
    return seen == 31 ? 0 : -1;
}

typedef struct {
    unsigned char alg[2], id[8], sig[64], global[64];
    char comment[512];
} SigFile;

/* Reads the signature file sig_name in dirfd; shown names it in messages (already
 * sanitised). */
static BundleResult read_sig(int dirfd, const char *sig_name, const char *sig_path, SigFile *s,
                             char *err, size_t errlen)
{
    size_t len;
    SlurpStatus why;
    mode_t mode = 0;
    errno = 0;
    char *text = slurp_at(dirfd, sig_name, BUNDLE_MAX_SIG_BYTES, &len, &why, &mode);
    if (!text) {
        if (why == SLURP_ERRNO && errno == ENOENT) {
            return reason(BUNDLE_NO_SIGNATURE, err, errlen,
                          "%s: no signature file; copy it next to the bundle", sig_path);
        }
        if (why == SLURP_TOO_LARGE) {
            return reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                          "%s: more than %d bytes, not a minisign signature", sig_path,
                          BUNDLE_MAX_SIG_BYTES);
        }
        if (why == SLURP_NOT_REGULAR) {
            return reason(BUNDLE_SIG_UNREADABLE, err, errlen,
                          "%s: is %s, not a signature file; copy the real .minisig file "
                          "again", sig_path, file_kind(mode));
        }
        return reason(BUNDLE_SIG_UNREADABLE, err, errlen,
                      "%s: cannot be read (%s); copy the signature file again or use another "
                      "stick", sig_path, strerror(errno));
    }
    char *ln[5];
    unsigned char raw[74];
    int n = lines(text, ln, 5);
    BundleResult r = BUNDLE_OK;
    if (n < 4 || strncmp(ln[0], "untrusted comment:", 18) != 0 ||
        b64_decode(ln[1], raw, sizeof raw) != 0) {
        r = reason(BUNDLE_BAD_SIGNATURE, err, errlen, "%s: not a minisign signature", sig_path);
    } else if (strncmp(ln[2], "trusted comment: ", 17) != 0 ||
               strlen(ln[2] + 17) >= sizeof s->comment) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen, "%s: trusted comment missing or too long",
                   sig_path);
    } else if (b64_decode(ln[3], s->global, 64) != 0) {
        r = reason(BUNDLE_BAD_SIGNATURE, err, errlen, "%s: malformed global signature", sig_path);
    } else {
        memcpy(s->alg, raw, 2);
        memcpy(s->id, raw + 2, 8);
        memcpy(s->sig, raw + 10, 64);
        snprintf(s->comment, sizeof s->comment, "%s", ln[2] + 17);
        if (memcmp(s->alg, SIG_PREHASHED, 2) != 0) {
            r = reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                       "%s: legacy (non-prehashed) signature; sign with minisign 0.10 or later",
                       sig_path);
        }
    }
    free(text);
    return r;
}

/* Checks the key and the global signature over sig || trusted comment. */
static BundleResult check_comment(const char *sig_path, const SigFile *s, const KeyRing *ring,
                                  const PublicKey **key, TrustedInfo *info, char *err,
                                  size_t errlen)
{
    *key = NULL;
    for (int i = 0; i < ring->n; i++) {
        if (memcmp(ring->keys[i].id, s->id, 8) == 0) {
            *key = &ring->keys[i];
        }
    }
    if (!*key) {
        return reason(BUNDLE_UNTRUSTED_KEY, err, errlen,
                      "%s: signed by a key this display does not trust", sig_path);
    }
    size_t cl = strlen(s->comment);
    unsigned char msg[64 + 512];
    memcpy(msg, s->sig, 64);
    memcpy(msg + 64, s->comment, cl);
    if (crypto_sign_verify_detached(s->global, msg, 64 + cl, (*key)->pk) != 0) {
        return reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                      "%s: the trusted comment's signature does not match", sig_path);
    }
    if (parse_comment(s->comment, info) != 0) {
        return reason(BUNDLE_BAD_COMMENT, err, errlen,
                      "%s: trusted comment is not 'litfass version=N schema=S file=NAME size=BYTES "
                      "created=...'",
                      sig_path);
    }
    return BUNDLE_OK;
}

/* Reads sig_name in dirfd and checks its key and its trusted comment's signature;
 * shown names the file in messages. */
static BundleResult authentic_comment(int dirfd, const char *sig_name, const char *shown,
                                      const KeyRing *ring, SigFile *s, const PublicKey **key,
                                      TrustedInfo *info, char *err, size_t errlen)
{
    BundleResult r = read_sig(dirfd, sig_name, shown, s, err, errlen);
    return r != BUNDLE_OK ? r : check_comment(shown, s, ring, key, info, err, errlen);
}

BundleResult bundle_peek_at(int dirfd, const char *sig_name, const KeyRing *ring,
                            TrustedInfo *info, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        return reason(BUNDLE_IO, err, errlen, "libsodium cannot initialise");
    }
    SigFile s;
    const PublicKey *key;
    char shown[300];
    log_sanitize(sig_name, shown, sizeof shown);
    return authentic_comment(dirfd, sig_name, shown, ring, &s, &key, info, err, errlen);
}

BundleResult bundle_peek(const char *sig_path, const KeyRing *ring, TrustedInfo *info, char *err,
                         size_t errlen)
{
    return bundle_peek_at(AT_FDCWD, sig_path, ring, info, err, errlen);
}

BundleResult bundle_read_comment(const char *sig_path, TrustedInfo *info, char *err,
                                 size_t errlen)
{
    SigFile s;
    char shown[300];
    log_sanitize(sig_path, shown, sizeof shown);
    BundleResult r = read_sig(AT_FDCWD, sig_path, shown, &s, err, errlen);
    if (r == BUNDLE_OK && parse_comment(s.comment, info) != 0) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen, "%s: not a litfass trusted comment", shown);
    }
    return r;
}

BundleResult bundle_verify(const char *file, const char *sig_path, const KeyRing *ring,
                           TrustedInfo *info, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        return reason(BUNDLE_IO, err, errlen, "libsodium cannot initialise");
    }
    SigFile s;
    const PublicKey *key;
    char shown_sig[300], shown[300];
    log_sanitize(sig_path, shown_sig, sizeof shown_sig);
    log_sanitize(file, shown, sizeof shown);
    BundleResult r = authentic_comment(AT_FDCWD, sig_path, shown_sig, ring, &s, &key, info, err,
                                       errlen);
    if (r != BUNDLE_OK) {
        return r;
    }
    unsigned char h[64];
    if (hash_file(file, h, 1LL << 40) < 0) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot read: %s", shown,
                      errno == EINVAL ? "not a regular file" : strerror(errno));
    }
    if (crypto_sign_verify_detached(s.sig, h, sizeof h, key->pk) != 0) {
        return reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                      "%s: signature does not match the file (changed or damaged)", shown);
    }
    return BUNDLE_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Signs the file whose BLAKE2b-512 is h with the secret key and the trusted comment:
 * writes file.minisig (temporary file, then rename). Returns 0, or -1 with err. */
static int sign_hashed(const char *file, const unsigned char h[64], const char *comment,
                       const char *sec_path, char *err, size_t errlen)
{
    unsigned char id[8], sk[64], sig[64], global[64];
    if (read_seckey(sec_path, id, sk, err, errlen) != 0) {
        return -1;
    }
    crypto_sign_detached(sig, NULL, h, 64, sk);
    unsigned char msg[64 + 512];
    size_t cl = strlen(comment);
    memcpy(msg, sig, 64);
    memcpy(msg + 64, comment, cl);
    crypto_sign_detached(global, NULL, msg, 64 + cl, sk);
    sodium_memzero(sk, sizeof sk);
    unsigned char raw[74];
    memcpy(raw, SIG_PREHASHED, 2);
    memcpy(raw + 2, id, 8);
    memcpy(raw + 10, sig, 64);
    char b1[128], b2[128], text[1024], path[4096], tmp[4200];
    b64_encode(raw, sizeof raw, b1, sizeof b1);
    b64_encode(global, sizeof global, b2, sizeof b2);
    snprintf(text, sizeof text,
             "untrusted comment: signature from litfassctl secret key\n%s\ntrusted comment: %s\n%s\n",
             b1, comment, b2);
    snprintf(path, sizeof path, "%s.minisig", file);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    if (write_new_file(tmp, text, 0644, err, errlen) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        if (!err[0]) {
            snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        }
        return -1;
    }
    return 0;
}

int bundle_sign(const char *file, const char *sec_path, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot initialise");
        return -1;
    }
    unsigned char h[64];
    /* the facts come from the database itself: it is ours, just built */
    Model m;
    memset(&m, 0, sizeof m);
    Store *st;
    char why[300];
    if (store_open(file, &st, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    int lr = store_load(st, &m, why, sizeof why);
    int schema = store_schema(st); /* the file's own: German-only content stays schema 3 */
    store_close(st);
    if (lr != 0) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    long long size = hash_file(file, h, 1LL << 40);
    if (size < 0) {
        model_free(&m);
        snprintf(err, errlen, "%s: cannot read", file);
        return -1;
    }
    char comment[512], created[32];
    const char *name = base_name(file);
    snprintf(created, sizeof created, "%s", m.created[0] ? m.created : "unknown");
    snprintf(comment, sizeof comment, "litfass version=%lld schema=%d file=%s size=%lld created=%s",
             (long long)m.content_version, schema, name ? name : "", size, created);
    model_free(&m);
    if (strchr(base_name(file), ' ')) {
        snprintf(err, errlen, "%s: bundle file names must not contain spaces", file);
        return -1;
    }
    return sign_hashed(file, h, comment, sec_path, err, errlen);
}

int bundle_sign_facts(const char *file, long long version, int schema, const char *created,
                      const char *sec_path, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot initialise");
        return -1;
    }
    unsigned char h[64];
    long long size = hash_file(file, h, 1LL << 40);
    const char *name = base_name(file);
    if (size < 1) {
        snprintf(err, errlen, "%s: cannot read%s", file, size == 0 ? " (empty)" : "");
        return -1;
    }
    if (!*name || strchr(name, ' ') || strchr(created, ' ')) {
        snprintf(err, errlen, "%s: signed file names must not contain spaces", file);
        return -1;
    }
    char comment[512];
    snprintf(comment, sizeof comment, "litfass version=%lld schema=%d file=%s size=%lld created=%s",
             version, schema, name, size, created);
    return sign_hashed(file, h, comment, sec_path, err, errlen);
}

BundleResult bundle_read_verified_at(int dirfd, const char *name, const char *sig_name,
                                     const KeyRing *ring, size_t max, char **data, size_t *len,
                                     TrustedInfo *info, char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    if (sodium_init() < 0) {
        return reason(BUNDLE_IO, err, errlen, "libsodium cannot initialise");
    }
    SigFile s;
    const PublicKey *key;
    char shown[300], shown_sig[300];
    log_sanitize(name, shown, sizeof shown);
    log_sanitize(sig_name, shown_sig, sizeof shown_sig);
    BundleResult r = authentic_comment(dirfd, sig_name, shown_sig, ring, &s, &key, info, err,
                                       errlen);
    if (r != BUNDLE_OK) {
        return r;
    }
    if (info->size < 1 || (unsigned long long)info->size > max) {
        return reason(BUNDLE_TOO_LARGE, err, errlen, "%s: the signature names %lld bytes, more "
                      "than the allowed %zu", shown, info->size, max);
    }
    SlurpStatus why;
    mode_t mode = 0;
    size_t n = 0;
    errno = 0;
    char *buf = slurp_at(dirfd, name, max, &n, &why, &mode);
    if (!buf) {
        if (why == SLURP_NOT_REGULAR) {
            return reason(BUNDLE_NOT_REGULAR, err, errlen, "%s: is %s, not a file", shown,
                          file_kind(mode));
        }
        if (why == SLURP_TOO_LARGE) {
            return reason(BUNDLE_TOO_LARGE, err, errlen, "%s: more than %zu bytes", shown, max);
        }
        return reason(errno == ENOENT ? BUNDLE_NO_BUNDLE : BUNDLE_READ_FAILED, err, errlen,
                      "%s: cannot be read (%s)", shown, strerror(errno));
    }
    unsigned char h[64];
    crypto_generichash(h, sizeof h, (const unsigned char *)buf, n, NULL, 0);
    if ((long long)n != info->size) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen, "%s: %zu bytes, but the signature names %lld",
                   shown, n, info->size);
    } else if (crypto_sign_verify_detached(s.sig, h, sizeof h, key->pk) != 0) {
        r = reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                   "%s: signature does not match the file (changed or damaged)", shown);
    }
    if (r != BUNDLE_OK) {
        free(buf);
        return r;
    }
    *data = buf;
    *len = n;
    return BUNDLE_OK;
}

/* ---- pairing bundles with their signatures ---- */

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

/* The signed name and size a signature claims, read without checking the key: it
 * only chooses which signature to try; the install checks the one chosen in full.
 * Returns 0, or -1 when sig_name is not a readable litfass signature. */
static int claimed_by(int dirfd, const char *sig_name, TrustedInfo *info)
{
    SigFile s;
    char ignore[300];
    return read_sig(dirfd, sig_name, "", &s, ignore, sizeof ignore) == BUNDLE_OK &&
                   parse_comment(s.comment, info) == 0
               ? 0
               : -1;
}

/* Fills p->peek, p->info, p->renamed and p->why from p->sig (already chosen). */
static void pair_check(int dirfd, BundlePair *p, const KeyRing *ring)
{
    p->peek = bundle_peek_at(dirfd, p->sig, ring, &p->info, p->why, sizeof p->why);
    p->renamed = p->peek == BUNDLE_OK && strcmp(p->info.file, p->name) != 0;
    if (p->peek == BUNDLE_OK) {
        p->why[0] = '\0';
    }
}

typedef struct {
    char name[256];
    int claimed;    /* taken by a bundle */
    int own_absent; /* its own bundle (name without .minisig) is not in the folder */
    int readable;   /* info holds what it claims */
    int target_absent; /* the file it claims is not in the folder either */
    TrustedInfo info;
} Orphan;

static int name_in(char (*names)[256], int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The rule of BundlePair over the bundles b[0..nb) and signatures sg[0..ns) of
 * dirfd; fills out[0..nb). */
static void pair_all(int dirfd, const KeyRing *ring, char (*b)[256], int nb, Orphan *sg, int ns,
                     BundlePair *out)
{
    char own[300];
    for (int j = 0; j < ns; j++) {
        snprintf(own, sizeof own, "%.*s", (int)(strlen(sg[j].name) - 8), sg[j].name);
        sg[j].own_absent = !name_in(b, nb, own);
    }
    /* 1. NAME.minisig */
    for (int i = 0; i < nb; i++) {
        memset(&out[i], 0, sizeof out[i]);
        snprintf(out[i].name, sizeof out[i].name, "%s", b[i]);
        out[i].peek = BUNDLE_NO_SIGNATURE;
        snprintf(own, sizeof own, "%s.minisig", b[i]);
        for (int j = 0; j < ns; j++) {
            if (!sg[j].own_absent && strcmp(sg[j].name, own) == 0) {
                snprintf(out[i].sig, sizeof out[i].sig, "%s", sg[j].name);
                sg[j].claimed = 1;
                break;
            }
        }
    }
    /* what the remaining signatures claim */
    for (int j = 0; j < ns; j++) {
        if (!sg[j].claimed) {
            sg[j].readable = claimed_by(dirfd, sg[j].name, &sg[j].info) == 0;
            sg[j].target_absent = sg[j].readable && !name_in(b, nb, sg[j].info.file);
        }
    }
    /* 2. a signature whose own bundle is absent and which names NAME */
    for (int i = 0; i < nb; i++) {
        for (int j = 0; j < ns && !out[i].sig[0]; j++) {
            if (!sg[j].claimed && sg[j].readable && strcmp(sg[j].info.file, b[i]) == 0) {
                snprintf(out[i].sig, sizeof out[i].sig, "%s", sg[j].name);
                sg[j].claimed = 1;
            }
        }
    }
    /* 3. an orphan signature (its own bundle and its signed file both absent) and
     * the one unpaired bundle of its signed size */
    long long *size = calloc(nb > 0 ? (size_t)nb : 1, sizeof *size);
    if (!size) {
        abort();
    }
    for (int i = 0; i < nb; i++) {
        struct stat st;
        size[i] = fstatat(dirfd, b[i], &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_size : -1;
    }
    for (int j = 0; j < ns; j++) {
        if (sg[j].claimed || !sg[j].target_absent) {
            continue;
        }
        int fit = -1, fits = 0;
        for (int i = 0; i < nb; i++) {
            if (!out[i].sig[0] && size[i] == sg[j].info.size) {
                fit = fits++ ? fit : i;
            }
        }
        if (fits == 1) {
            snprintf(out[fit].sig, sizeof out[fit].sig, "%s", sg[j].name);
            sg[j].claimed = 1;
        }
    }
    free(size);
    /* 4. why the others have none */
    for (int i = 0; i < nb; i++) {
        if (out[i].sig[0]) {
            continue;
        }
        int orphan = -1;
        for (int j = 0; j < ns && orphan < 0; j++) {
            if (!sg[j].claimed && sg[j].target_absent) {
                orphan = j;
            }
        }
        char shown[300], other[200];
        log_sanitize(b[i], shown, sizeof shown);
        if (orphan >= 0) {
            out[i].peek = BUNDLE_RENAMED;
            snprintf(out[i].info.file, sizeof out[i].info.file, "%s", sg[orphan].info.file);
            snprintf(out[i].why, sizeof out[i].why,
                     "%s: no signature of its own, and the signatures here are for files that "
                     "are not here (such as '%s'); the bundle was renamed: give it its original "
                     "name again, or copy the pair anew",
                     shown, log_sanitize(sg[orphan].info.file, other, sizeof other));
        } else {
            snprintf(out[i].why, sizeof out[i].why,
                     "%s.minisig: no signature file; copy it next to the bundle", shown);
        }
    }
    for (int i = 0; i < nb; i++) {
        if (out[i].sig[0]) {
            pair_check(dirfd, &out[i], ring);
        }
    }
}

int bundle_pairs_at(int dirfd, const KeyRing *ring, int max_bundles, int max_entries,
                    BundlePair **out)
{
    *out = NULL;
    char(*b)[256] = NULL;
    Orphan *sg = NULL;
    int nb = 0, ns = 0, cap_b = 0, cap_s = 0, entries = 0, over = 0;
    int dfd = dup(dirfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0) {
            close(dfd);
        }
        return -1;
    }
    rewinddir(d); /* a dup shares the offset: the folder may have been read before */
    for (struct dirent *e; (e = readdir(d));) {
        if (++entries > max_entries) {
            over = 1;
            break;
        }
        const char *n = e->d_name;
        /* hidden entries are never bundles: macOS leaves "._NAME" twins on sticks */
        if (n[0] == '.' || strlen(n) >= 256) {
            continue;
        }
        if (ends_with(n, ".litfass")) {
            if (nb == max_bundles) {
                over = 1;
                break;
            }
            if (nb == cap_b) {
                cap_b = cap_b ? cap_b * 2 : 16;
                b = realloc(b, (size_t)cap_b * sizeof *b);
                if (!b) {
                    abort();
                }
            }
            snprintf(b[nb++], sizeof b[0], "%s", n);
        } else if (ends_with(n, ".minisig")) {
            if (ns == max_bundles) {
                over = 1;
                break;
            }
            if (ns == cap_s) {
                cap_s = cap_s ? cap_s * 2 : 16;
                sg = realloc(sg, (size_t)cap_s * sizeof *sg);
                if (!sg) {
                    abort();
                }
            }
            memset(&sg[ns], 0, sizeof sg[ns]);
            snprintf(sg[ns++].name, sizeof sg[0].name, "%s", n);
        }
    }
    closedir(d);
    BundlePair *p = NULL;
    if (!over && nb > 0) {
        p = calloc((size_t)nb, sizeof *p);
        if (!p) {
            abort();
        }
        pair_all(dirfd, ring, b, nb, sg, ns, p);
    }
    free(b);
    free(sg);
    if (over) {
        return -1;
    }
    *out = p;
    return nb;
}

BundleResult bundle_match_at(int dirfd, const char *name, const KeyRing *ring, BundlePair *pair)
{
    memset(pair, 0, sizeof *pair);
    snprintf(pair->name, sizeof pair->name, "%s", name);
    char sig[300];
    struct stat st;
    snprintf(sig, sizeof sig, "%s.minisig", name);
    if (strlen(name) < 200 && fstatat(dirfd, sig, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        memcpy(pair->sig, sig, strlen(sig) + 1); /* rule 1, the usual case (< 256 bytes) */
        pair_check(dirfd, pair, ring);
        return pair->peek;
    }
    BundlePair *all;
    int n = bundle_pairs_at(dirfd, ring, 2000, 20000, &all);
    for (int i = 0; i < n; i++) {
        if (strcmp(all[i].name, name) == 0) {
            *pair = all[i];
        }
    }
    free(all);
    if (!pair->sig[0] && !pair->why[0]) {
        char shown[300];
        log_sanitize(name, shown, sizeof shown);
        pair->peek = BUNDLE_NO_SIGNATURE;
        snprintf(pair->why, sizeof pair->why, "%s.minisig: no signature file%s", shown,
                 n < 0 ? " (and too many files in the folder to look for a renamed one)"
                       : "; copy it next to the bundle");
    }
    return pair->peek;
}

/* ---- the state directory ---- */

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Replaces dir/name with content atomically: temp file, fsync, rename, fsync dir. */
static int put_atomic(const char *dir, const char *name, const char *content)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -1;
    }
    size_t len = strlen(content);
    int ok = write(fd, content, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return fsync_dir(dir);
}

static int get_line(const char *dir, const char *name, char *buf, size_t len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *t = slurp(path, 256, NULL);
    if (!t) {
        buf[0] = '\0';
        return -1;
    }
    t[strcspn(t, "\r\n")] = '\0';
    snprintf(buf, len, "%s", t);
    free(t);
    return 0;
}

/* "content-42.litfass" -> 42; 0 if not of that form. */
static long long version_of(const char *name)
{
    long long v = 0;
    char tail[16];
    if (sscanf(name, "content-%lld.%15s", &v, tail) == 2 && !strcmp(tail, "litfass") && v > 0) {
        return v;
    }
    return 0;
}

int bundle_state(const char *state_dir, BundleState *out, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    memset(out, 0, sizeof *out);
    char buf[64];
    get_line(state_dir, "current", out->current, sizeof out->current);
    get_line(state_dir, "previous", out->previous, sizeof out->previous);
    out->current_version = version_of(out->current);
    out->previous_version = version_of(out->previous);
    if (get_line(state_dir, "highest", buf, sizeof buf) == 0) {
        out->highest = strtoll(buf, NULL, 10);
    }
    /* the pointers count too: a cut between switching and recording loses nothing */
    if (out->current_version > out->highest) {
        out->highest = out->current_version;
    }
    if (out->previous_version > out->highest) {
        out->highest = out->previous_version;
    }
    return 0;
}

static int safe_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 9 || n > 100 || name[0] == '.' || strcmp(name + n - 8, ".litfass") != 0) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.')) {
            return 0;
        }
    }
    return strstr(name, "..") == NULL;
}

/* A bundle's name in the folder it is read from: any visible entry ending in
 * .litfass. It is only ever opened relative to its folder (readdir gives no '/'),
 * so spaces and "(1)" are harmless; the signed name is checked by safe_name. */
static int source_name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 8 && n < 256 && name[0] != '.' && !strchr(name, '/') &&
           strcmp(name + n - 8, ".litfass") == 0;
}

/* Holds the state directory's install lock: flock on DIR/lock, which every
 * installer takes (the display's USB and network workers, litfassctl import and
 * rollback, in any process), so staging, the pointers and pruning never interleave.
 * Waits at most BUNDLE_LOCK_WAIT_MS, counting its sleeps rather than reading a
 * clock. Returns the lock's fd (closing it releases the lock), or -1 with *r
 * (BUNDLE_BUSY or BUNDLE_IO) and err. */
static int lock_state(const char *state_dir, BundleResult *r, char *err, size_t errlen)
{
    char path[4200];
    if (mkdir(state_dir, 0755) != 0 && errno != EEXIST) {
        *r = reason(BUNDLE_IO, err, errlen, "%s: cannot create: %s", state_dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/lock", state_dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    if (fd < 0) {
        *r = reason(BUNDLE_IO, err, errlen, "%s: cannot open the install lock: %s", path,
                    strerror(errno));
        return -1;
    }
    const int step_ms = 5;
    for (int waited = 0;; waited += step_ms) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            return fd;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            *r = reason(BUNDLE_IO, err, errlen, "%s: cannot take the install lock: %s", path,
                        strerror(errno));
            break;
        }
        if (waited >= BUNDLE_LOCK_WAIT_MS) {
            *r = reason(BUNDLE_BUSY, err, errlen,
                        "%s: another install (the display's USB or network worker, or "
                        "litfassctl) has been running for %d s; try again when it is done",
                        state_dir, BUNDLE_LOCK_WAIT_MS / 1000);
            break;
        }
        nanosleep(&(struct timespec){ 0, step_ms * 1000000L }, NULL);
    }
    close(fd);
    return -1;
}

int bundle_lock(const char *state_dir, BundleResult *r, char *err, size_t errlen)
{
    return lock_state(state_dir, r, err, errlen);
}

/* Copies exactly want bytes (the signed size, already compared with the source's
 * fstat) from the opened source into a new staging file and fsyncs it. A source
 * that ends early or fails to read was most likely pulled out mid-copy; one with
 * more bytes grew after the size check. Never reads more than want + 1 bytes. */
static BundleResult stage(int in, const char *shown, const char *dst, long long want, char *err,
                          size_t errlen)
{
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (out < 0) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot create: %s", dst, strerror(errno));
    }
    unsigned char *buf = malloc(65536);
    if (!buf) {
        abort();
    }
    long long total = 0;
    ssize_t r = 0;
    BundleResult res = BUNDLE_OK;
    while (res == BUNDLE_OK && total < want) {
        long long left = want - total;
        r = read_some(in, buf, left < 65536 ? (size_t)left : 65536);
        if (r <= 0) {
            break;
        }
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w <= 0) {
                res = reason(BUNDLE_IO, err, errlen, "%s: cannot write: %s", dst,
                             w < 0 ? strerror(errno) : "disk full");
                break;
            }
            off += w;
        }
        total += r;
    }
    if (res == BUNDLE_OK && r < 0) {
        res = reason(BUNDLE_READ_FAILED, err, errlen,
                     "%s: read error after %lld of %lld bytes (%s): the stick was pulled out or "
                     "is failing; plug it in again and leave it in until the message shows",
                     shown, total, want, strerror(errno));
    } else if (res == BUNDLE_OK && total < want) {
        res = reason(BUNDLE_READ_FAILED, err, errlen,
                     "%s: the file ended after %lld of %lld bytes: the stick was pulled out "
                     "during copying; plug it in again and leave it in until the message shows",
                     shown, total, want);
    } else if (res == BUNDLE_OK && read_some(in, buf, 1) > 0) {
        res = reason(BUNDLE_BAD_COMMENT, err, errlen,
                     "%s: grew beyond the signed %lld bytes while being copied", shown, want);
    }
    if (res == BUNDLE_OK && fsync(out) != 0) {
        res = reason(BUNDLE_IO, err, errlen, "%s: cannot fsync: %s", dst, strerror(errno));
    }
    free(buf);
    close(out);
    return res;
}

/* Removes content files that neither pointer names. Call with the lock held and
 * keep read under it, so that no other install's pointer can be missed. */
static void prune(const char *state_dir, const BundleState *keep)
{
    char path[4600];
    DIR *d = opendir(state_dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (version_of(e->d_name) && strcmp(e->d_name, keep->current) &&
            strcmp(e->d_name, keep->previous)) {
            snprintf(path, sizeof path, "%s/%s", state_dir, e->d_name);
            unlink(path);
        }
    }
    if (d) {
        closedir(d);
    }
}

/* Removes what an interrupted install left in staging (lock held). */
static void clear_staging(const char *staging)
{
    char path[4600];
    DIR *d = opendir(staging);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", staging, e->d_name);
            unlink(path);
        }
    }
    if (d) {
        closedir(d);
    }
}

/* The install path (see bundle_install) for name in dirfd; shown names the bundle
 * in messages and is already sanitised. */
static BundleResult install(const char *state_dir, int dirfd, const char *name,
                            const char *shown, const char *sig_name, const KeyRing *ring,
                            long long max_bytes, TrustedInfo *info, char *err, size_t errlen)
{
    int src = -1, lock = -1, placed = 0;
    char sig_shown[320], staging[4200], staged[4400] = "", final[4400] = "";
    char fname[128] = "";
    BundleResult r;
    if (sodium_init() < 0) {
        return reason(BUNDLE_IO, err, errlen, "libsodium cannot initialise");
    }
    if (!source_name_ok(name)) {
        return reason(BUNDLE_BAD_NAME, err, errlen,
                      "%s: not a bundle name (a visible file ending in .litfass)", shown);
    }
    log_sanitize(sig_name, sig_shown, sizeof sig_shown);
    SigFile s;
    const PublicKey *key;
    r = authentic_comment(dirfd, sig_name, sig_shown, ring, &s, &key, info, err, errlen);
    if (r != BUNDLE_OK) {
        return r;
    }
    /* the name on the stick may differ (renamed, Windows' "(1)" copies): the signed
     * name is the bundle's identity, so it must be one a display would write itself */
    if (!safe_name(info->file)) {
        char other[200];
        return reason(BUNDLE_BAD_COMMENT, err, errlen,
                      "%s: the signature is for '%s', which is not a bundle name", shown,
                      log_sanitize(info->file, other, sizeof other));
    }
    if (info->size > max_bytes) {
        return reason(BUNDLE_TOO_LARGE, err, errlen, "%s: %lld bytes, more than the allowed %lld",
                      shown, info->size, max_bytes);
    }
    BundleState state; /* a first look, to refuse old bundles without waiting for the lock */
    bundle_state(state_dir, &state, err, errlen);
    if (info->version <= state.highest) {
        return reason(BUNDLE_NOT_NEWER, err, errlen,
                      "%s: version %lld is not newer than the installed %lld; build a newer "
                      "one with 'litfassctl build' without --version", shown,
                      info->version, state.highest);
    }

    /* 1. the source: a regular file of exactly the signed size, checked before a
     * single byte is copied */
    struct stat st;
    src = open_regular(dirfd, name, &st);
    if (src == -2) {
        r = reason(BUNDLE_NOT_REGULAR, err, errlen,
                   "%s: is %s, not a regular file; copy the bundle file itself", shown,
                   file_kind(st.st_mode));
        goto fail;
    }
    if (src < 0) {
        r = reason(errno == ENOENT || errno == EACCES ? BUNDLE_IO : BUNDLE_READ_FAILED, err,
                   errlen, "%s: cannot open: %s", shown, strerror(errno));
        goto fail;
    }
    if ((long long)st.st_size != info->size) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen, "%s: %lld bytes, but the signature names %lld",
                   shown, (long long)st.st_size, info->size);
        goto fail;
    }

    /* 2. one install at a time; the state is read again under the lock */
    lock = lock_state(state_dir, &r, err, errlen);
    if (lock < 0) {
        goto fail;
    }
    bundle_state(state_dir, &state, err, errlen);
    if (info->version <= state.highest) {
        r = reason(BUNDLE_NOT_NEWER, err, errlen,
                   "%s: version %lld is not newer than the installed %lld; build a newer "
                   "one with 'litfassctl build' without --version", shown,
                   info->version, state.highest);
        goto fail;
    }

    /* 3. a private copy */
    snprintf(staging, sizeof staging, "%s/staging", state_dir);
    if (mkdir(staging, 0700) != 0 && errno != EEXIST) {
        r = reason(BUNDLE_IO, err, errlen, "%s: cannot create: %s", staging, strerror(errno));
        goto fail;
    }
    clear_staging(staging);
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(staged, sizeof staged, "%s/%02x%02x%02x%02x%02x%02x%02x%02x.part", staging, rnd[0],
             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    r = stage(src, shown, staged, info->size, err, errlen);
    close(src);
    src = -1;
    if (r != BUNDLE_OK) {
        goto fail;
    }
    /* 4. the signature over the staged bytes, never the source again */
    unsigned char h[64];
    if (hash_file(staged, h, max_bytes) != info->size) {
        r = reason(BUNDLE_IO, err, errlen, "%s: cannot read the staged copy", shown);
        goto fail;
    }
    if (crypto_sign_verify_detached(s.sig, h, sizeof h, key->pk) != 0) {
        r = reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                   "%s: signature does not match the file (changed or damaged)", shown);
        goto fail;
    }
    /* 5. only now SQLite may look at it, with its defences up */
    if (!store_schema_supported(info->schema)) {
        r = reason(BUNDLE_BAD_SCHEMA, err, errlen,
                   "%s: schema %d is not supported (this display reads %d to %d)", shown,
                   info->schema, STORE_SCHEMA_OLDEST, STORE_SCHEMA_VERSION);
        goto fail;
    }
    Store *db;
    char why[300];
    if (store_open(staged, &db, why, sizeof why) != 0) {
        r = reason(strstr(why, "schema version") ? BUNDLE_BAD_SCHEMA : BUNDLE_BAD_CONTENT, err,
                   errlen, "%s: %s", shown, strstr(why, ": ") ? strstr(why, ": ") + 2 : why);
        goto fail;
    }
    Model m;
    memset(&m, 0, sizeof m);
    int lr = store_load(db, &m, why, sizeof why);
    store_close(db);
    long long content_version = m.content_version;
    model_free(&m);
    if (lr != 0) {
        r = reason(BUNDLE_BAD_CONTENT, err, errlen, "%s: %s", shown,
                   strstr(why, ": ") ? strstr(why, ": ") + 2 : why);
        goto fail;
    }
    if (content_version != info->version) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen,
                   "%s: the database says version %lld, the signature %lld", shown,
                   content_version, info->version);
        goto fail;
    }
    /* 6. into place, then the switch */
    snprintf(fname, sizeof fname, "content-%lld.litfass", info->version);
    snprintf(final, sizeof final, "%s/%s", state_dir, fname);
    if (rename(staged, final) != 0) {
        r = reason(BUNDLE_IO, err, errlen, "%s: cannot move into place: %s", final,
                   strerror(errno));
        goto fail;
    }
    staged[0] = '\0';
    placed = 1;
    if (fsync_dir(state_dir) != 0) {
        r = reason(BUNDLE_IO, err, errlen, "%s: cannot fsync: %s", state_dir, strerror(errno));
        goto fail;
    }
    char line[160];
    if (state.current[0]) {
        snprintf(line, sizeof line, "%s\n", state.current);
        if (put_atomic(state_dir, "previous", line) != 0) {
            r = reason(BUNDLE_IO, err, errlen, "%s/previous: cannot write: %s", state_dir,
                       strerror(errno));
            goto fail;
        }
    }
    snprintf(line, sizeof line, "%s\n", fname);
    if (put_atomic(state_dir, "current", line) != 0) {
        r = reason(BUNDLE_IO, err, errlen, "%s/current: cannot write: %s", state_dir,
                   strerror(errno));
        goto fail;
    }
    snprintf(line, sizeof line, "%lld\n", info->version);
    if (put_atomic(state_dir, "highest", line) != 0) {
        log_warn("bundle", "%s/highest: cannot write (the pointer still counts)", state_dir);
    }
    BundleState now;
    bundle_state(state_dir, &now, err, errlen);
    prune(state_dir, &now);
    err[0] = '\0';
    r = BUNDLE_OK;
fail:
    if (staged[0]) {
        unlink(staged);
    }
    if (placed && r != BUNDLE_OK) {
        /* in place but never switched to: no pointer names it, so it goes */
        BundleState after;
        char ignore[64];
        bundle_state(state_dir, &after, ignore, sizeof ignore);
        if (strcmp(after.current, fname) != 0 && strcmp(after.previous, fname) != 0) {
            unlink(final);
            fsync_dir(state_dir);
        }
    }
    if (src >= 0) {
        close(src);
    }
    if (lock >= 0) {
        close(lock); /* releases the lock */
    }
    return r;
}

BundleResult bundle_install_pair(const char *state_dir, int dirfd, const BundlePair *pair,
                                 const KeyRing *ring, long long max_bytes, TrustedInfo *info,
                                 char *err, size_t errlen)
{
    char shown[300];
    memset(info, 0, sizeof *info);
    if (!pair->sig[0]) {
        return reason(pair->peek, err, errlen, "%s", pair->why);
    }
    log_sanitize(pair->name, shown, sizeof shown);
    return install(state_dir, dirfd, pair->name, shown, pair->sig, ring, max_bytes, info, err,
                   errlen);
}

BundleResult bundle_install_at(const char *state_dir, int dirfd, const char *name,
                               const KeyRing *ring, long long max_bytes, TrustedInfo *info,
                               char *err, size_t errlen)
{
    BundlePair pair;
    bundle_match_at(dirfd, name, ring, &pair);
    return bundle_install_pair(state_dir, dirfd, &pair, ring, max_bytes, info, err, errlen);
}

BundleResult bundle_install(const char *state_dir, const char *bundle_path, const KeyRing *ring,
                            long long max_bytes, TrustedInfo *info, char *err, size_t errlen)
{
    char shown[300], dir[4200];
    log_sanitize(bundle_path, shown, sizeof shown);
    const char *name = base_name(bundle_path);
    size_t dl = (size_t)(name - bundle_path);
    if (dl == 0) {
        snprintf(dir, sizeof dir, ".");
    } else if (dl == 1) {
        snprintf(dir, sizeof dir, "/");
    } else {
        snprintf(dir, sizeof dir, "%.*s", (int)(dl - 1), bundle_path);
    }
    /* the folder as the caller named it; from there on nothing follows a link */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot open its folder: %s", shown,
                      strerror(errno));
    }
    BundleResult r = bundle_install_at(state_dir, dfd, name, ring, max_bytes, info, err, errlen);
    close(dfd);
    return r;
}

int bundle_rollback(const char *state_dir, char *err, size_t errlen)
{
    BundleResult why;
    int lock = lock_state(state_dir, &why, err, errlen);
    if (lock < 0) {
        return -1;
    }
    int rc = -1;
    BundleState s;
    bundle_state(state_dir, &s, err, errlen);
    char path[4200], line[160], hl[64];
    if (!s.previous[0] || !strcmp(s.previous, s.current)) {
        snprintf(err, errlen, "%s: no previous version to return to", state_dir);
        goto fail;
    }
    snprintf(path, sizeof path, "%s/%s", state_dir, s.previous);
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "%s: the previous version's file is missing", path);
        goto fail;
    }
    /* the highest record stays: the rolled-back version is not offered again
     * automatically */
    snprintf(hl, sizeof hl, "%lld\n", s.highest);
    snprintf(line, sizeof line, "%s\n", s.previous);
    if (put_atomic(state_dir, "highest", hl) != 0 || put_atomic(state_dir, "current", line) != 0) {
        snprintf(err, errlen, "%s: cannot switch: %s", state_dir, strerror(errno));
        goto fail;
    }
    snprintf(line, sizeof line, "%s\n", s.current);
    put_atomic(state_dir, "previous", line);
    rc = 0;
fail:
    close(lock);
    return rc;
}

const char *bundle_result_text(BundleResult r)
{
    /* the results added after BUNDLE_TOO_MANY have their strings at the table's end */
    if (r == BUNDLE_RENAMED) {
        return ui_str(UI_BUNDLE_RENAMED);
    }
    if (r == BUNDLE_NO_BUNDLE) {
        return ui_str(UI_BUNDLE_NO_BUNDLE);
    }
    return ui_str((UiString)(UI_BUNDLE_OK + (int)r));
}

BundleResult bundle_verify_file(const char *file, const KeyRing *ring, long long max_bytes,
                                TrustedInfo *info, char *sig_used, size_t siglen, char *err,
                                size_t errlen)
{
    char shown[300], dir[4200];
    memset(info, 0, sizeof *info);
    sig_used[0] = '\0';
    log_sanitize(file, shown, sizeof shown);
    const char *name = base_name(file);
    size_t dl = (size_t)(name - file);
    if (dl == 0) {
        snprintf(dir, sizeof dir, ".");
    } else {
        snprintf(dir, sizeof dir, "%.*s", dl == 1 ? 1 : (int)(dl - 1), file);
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot open its folder: %s", shown,
                      strerror(errno));
    }
    BundlePair pair;
    BundleResult r = source_name_ok(name) ? bundle_match_at(dfd, name, ring, &pair)
                                          : reason(BUNDLE_BAD_NAME, pair.why, sizeof pair.why,
                                                   "%s: not a bundle name (a visible file "
                                                   "ending in .litfass)", shown);
    struct stat st;
    int fd = -1;
    if (r != BUNDLE_OK) {
        if (r == BUNDLE_RENAMED) {
            *info = pair.info; /* the name to give it back */
        }
        reason(r, err, errlen, "%s", pair.why);
        goto done;
    }
    snprintf(sig_used, siglen, "%.*s%s", (int)dl, file, pair.sig);
    *info = pair.info;
    char other[200];
    if (!safe_name(info->file)) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen,
                   "%s: the signature is for '%s', which is not a bundle name", shown,
                   log_sanitize(info->file, other, sizeof other));
        goto done;
    }
    if (info->size > max_bytes) {
        r = reason(BUNDLE_TOO_LARGE, err, errlen, "%s: %lld bytes, more than the allowed %lld",
                   shown, info->size, max_bytes);
        goto done;
    }
    fd = open_regular(dfd, name, &st);
    if (fd < 0) {
        r = reason(fd == -2 ? BUNDLE_NOT_REGULAR : BUNDLE_IO, err, errlen, "%s: %s", shown,
                   fd == -2 ? "not a regular file" : strerror(errno));
        goto done;
    }
    close(fd);
    fd = -1;
    if ((long long)st.st_size != info->size) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen, "%s: %lld bytes, but the signature names %lld",
                   shown, (long long)st.st_size, info->size);
        goto done;
    }
    if (!store_schema_supported(info->schema)) {
        r = reason(BUNDLE_BAD_SCHEMA, err, errlen,
                   "%s: schema %d is not supported (this display reads %d to %d)", shown,
                   info->schema, STORE_SCHEMA_OLDEST, STORE_SCHEMA_VERSION);
        goto done;
    }
    /* the bytes last (the costly part), with the signature the rule chose */
    r = bundle_verify(file, sig_used, ring, info, err, errlen);
done:
    if (fd >= 0) {
        close(fd);
    }
    close(dfd);
    return r;
}
