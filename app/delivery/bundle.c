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
#include <sys/stat.h>
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

/* Reads a small text file whole (at most max bytes). */
static char *slurp(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return NULL;
    }
    char *buf = malloc(max + 1);
    size_t n = 0;
    ssize_t r;
    while (buf && n <= max && (r = read(fd, buf + n, max + 1 - n)) > 0) {
        n += (size_t)r;
    }
    close(fd);
    if (!buf || n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    return buf;
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

/* BLAKE2b-512 of a file, read in blocks. Returns the size or -1. */
static long long hash_file(const char *path, unsigned char out[64], long long max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return -1;
    }
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 64);
    unsigned char buf[65536];
    long long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        total += r;
        if (total > max) {
            close(fd);
            return -1;
        }
        crypto_generichash_update(&st, buf, (unsigned long long)r);
    }
    close(fd);
    if (r < 0) {
        return -1;
    }
    crypto_generichash_final(&st, out, 64);
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

static BundleResult read_sig(const char *sig_path, SigFile *s, char *err, size_t errlen)
{
    size_t len;
    errno = 0;
    char *text = slurp(sig_path, BUNDLE_MAX_SIG_BYTES, &len);
    if (!text) {
        if (errno == ENOENT) {
            return reason(BUNDLE_NO_SIGNATURE, err, errlen, "%s: no signature file", sig_path);
        }
        return reason(BUNDLE_BAD_SIGNATURE, err, errlen, "%s: unreadable or too large", sig_path);
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

/* Reads sig_path and checks its key and its trusted comment's signature. */
static BundleResult authentic_comment(const char *sig_path, const KeyRing *ring, SigFile *s,
                                      const PublicKey **key, TrustedInfo *info, char *err,
                                      size_t errlen)
{
    BundleResult r = read_sig(sig_path, s, err, errlen);
    return r != BUNDLE_OK ? r : check_comment(sig_path, s, ring, key, info, err, errlen);
}

BundleResult bundle_peek(const char *sig_path, const KeyRing *ring, TrustedInfo *info, char *err,
                         size_t errlen)
{
    if (sodium_init() < 0) {
        return reason(BUNDLE_IO, err, errlen, "libsodium cannot initialise");
    }
    SigFile s;
    const PublicKey *key;
    return authentic_comment(sig_path, ring, &s, &key, info, err, errlen);
}

BundleResult bundle_read_comment(const char *sig_path, TrustedInfo *info, char *err,
                                 size_t errlen)
{
    SigFile s;
    BundleResult r = read_sig(sig_path, &s, err, errlen);
    if (r == BUNDLE_OK && parse_comment(s.comment, info) != 0) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen, "%s: not a litfass trusted comment", sig_path);
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
    BundleResult r = authentic_comment(sig_path, ring, &s, &key, info, err, errlen);
    if (r != BUNDLE_OK) {
        return r;
    }
    unsigned char h[64];
    if (hash_file(file, h, 1LL << 40) < 0) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot read: %s", file, strerror(errno));
    }
    if (crypto_sign_verify_detached(s.sig, h, sizeof h, key->pk) != 0) {
        return reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                      "%s: signature does not match the file (changed or damaged)", file);
    }
    return BUNDLE_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int bundle_sign(const char *file, const char *sec_path, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium cannot initialise");
        return -1;
    }
    unsigned char id[8], sk[64], h[64], sig[64], global[64];
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
             (long long)m.content_version, STORE_SCHEMA_VERSION, name ? name : "", size, created);
    model_free(&m);
    if (strchr(base_name(file), ' ')) {
        snprintf(err, errlen, "%s: bundle file names must not contain spaces", file);
        return -1;
    }
    if (read_seckey(sec_path, id, sk, err, errlen) != 0) {
        return -1;
    }
    crypto_sign_detached(sig, NULL, h, sizeof h, sk);
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
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
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

/* Copies src into a new staging file, at most max bytes. */
static BundleResult stage(const char *src, const char *dst, long long max, long long *size,
                          char *err, size_t errlen)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot open: %s", src, strerror(errno));
    }
    struct stat st;
    if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(in);
        return reason(BUNDLE_BAD_NAME, err, errlen, "%s: not a regular file", src);
    }
    if (st.st_size > max) {
        close(in);
        return reason(BUNDLE_TOO_LARGE, err, errlen, "%s: %lld bytes, more than the allowed %lld",
                      src, (long long)st.st_size, max);
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return reason(BUNDLE_IO, err, errlen, "%s: cannot create: %s", dst, strerror(errno));
    }
    unsigned char *buf = malloc(65536);
    if (!buf) {
        abort();
    }
    long long total = 0;
    ssize_t r;
    BundleResult res = BUNDLE_OK;
    while ((r = read(in, buf, 65536)) > 0) {
        total += r;
        if (total > max) { /* the file grew while we read it */
            res = reason(BUNDLE_TOO_LARGE, err, errlen, "%s: more than the allowed %lld bytes",
                         src, max);
            break;
        }
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w <= 0) {
                res = reason(BUNDLE_IO, err, errlen, "%s: cannot write: %s", dst, strerror(errno));
                break;
            }
            off += w;
        }
        if (res != BUNDLE_OK) {
            break;
        }
    }
    if (res == BUNDLE_OK && r < 0) {
        res = reason(BUNDLE_IO, err, errlen, "%s: read error: %s", src, strerror(errno));
    }
    if (res == BUNDLE_OK && fsync(out) != 0) {
        res = reason(BUNDLE_IO, err, errlen, "%s: cannot fsync: %s", dst, strerror(errno));
    }
    free(buf);
    close(in);
    close(out);
    *size = total;
    return res;
}

/* Removes content files that neither pointer names, and staging leftovers. */
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

BundleResult bundle_install(const char *state_dir, const char *bundle_path, const KeyRing *ring,
                            long long max_bytes, TrustedInfo *info, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        return reason(BUNDLE_IO, err, errlen, "libsodium cannot initialise");
    }
    const char *name = base_name(bundle_path);
    if (!safe_name(name)) {
        return reason(BUNDLE_BAD_NAME, err, errlen,
                      "%s: not a bundle name (letters, digits, '-', '_', '.', ending in .litfass)",
                      bundle_path);
    }
    char sig_path[4200], staging[4200], staged[4400], final[4400];
    snprintf(sig_path, sizeof sig_path, "%s.minisig", bundle_path);
    SigFile s;
    const PublicKey *key;
    BundleResult r = authentic_comment(sig_path, ring, &s, &key, info, err, errlen);
    if (r != BUNDLE_OK) {
        return r;
    }
    if (strcmp(info->file, name) != 0) {
        return reason(BUNDLE_BAD_COMMENT, err, errlen,
                      "%s: the signature is for '%s', not for this file", name, info->file);
    }
    BundleState state;
    bundle_state(state_dir, &state, err, errlen);
    if (info->version <= state.highest) {
        return reason(BUNDLE_NOT_NEWER, err, errlen,
                      "%s: version %lld is not newer than the installed %lld", name,
                      info->version, state.highest);
    }
    if (info->size > max_bytes) {
        return reason(BUNDLE_TOO_LARGE, err, errlen, "%s: %lld bytes, more than the allowed %lld",
                      name, info->size, max_bytes);
    }

    /* 1. a private copy */
    snprintf(staging, sizeof staging, "%s/staging", state_dir);
    if (mkdir(state_dir, 0755) != 0 && errno != EEXIST) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot create: %s", state_dir, strerror(errno));
    }
    if (mkdir(staging, 0700) != 0 && errno != EEXIST) {
        return reason(BUNDLE_IO, err, errlen, "%s: cannot create: %s", staging, strerror(errno));
    }
    clear_staging(staging);
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(staged, sizeof staged, "%s/%02x%02x%02x%02x%02x%02x%02x%02x.part", staging, rnd[0],
             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    long long size = 0;
    r = stage(bundle_path, staged, max_bytes, &size, err, errlen);
    if (r != BUNDLE_OK) {
        goto fail;
    }
    /* 2. the signature over the staged bytes, never the source again */
    unsigned char h[64];
    if (hash_file(staged, h, max_bytes) != size) {
        r = reason(BUNDLE_IO, err, errlen, "%s: cannot read the staged copy", name);
        goto fail;
    }
    if (crypto_sign_verify_detached(s.sig, h, sizeof h, key->pk) != 0) {
        r = reason(BUNDLE_BAD_SIGNATURE, err, errlen,
                   "%s: signature does not match the file (changed or damaged)", name);
        goto fail;
    }
    if (size != info->size) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen,
                   "%s: %lld bytes, but the signature names %lld", name, size, info->size);
        goto fail;
    }
    /* 3. only now SQLite may look at it, with its defences up */
    if (info->schema != STORE_SCHEMA_VERSION) {
        r = reason(BUNDLE_BAD_SCHEMA, err, errlen,
                   "%s: schema %d is not supported (this display reads %d)", name, info->schema,
                   STORE_SCHEMA_VERSION);
        goto fail;
    }
    Store *db;
    char why[300];
    if (store_open(staged, &db, why, sizeof why) != 0) {
        r = reason(strstr(why, "schema version") ? BUNDLE_BAD_SCHEMA : BUNDLE_BAD_CONTENT, err,
                   errlen, "%s: %s", name, strstr(why, ": ") ? strstr(why, ": ") + 2 : why);
        goto fail;
    }
    Model m;
    memset(&m, 0, sizeof m);
    int lr = store_load(db, &m, why, sizeof why);
    store_close(db);
    long long content_version = m.content_version;
    model_free(&m);
    if (lr != 0) {
        r = reason(BUNDLE_BAD_CONTENT, err, errlen, "%s: %s", name,
                   strstr(why, ": ") ? strstr(why, ": ") + 2 : why);
        goto fail;
    }
    if (content_version != info->version) {
        r = reason(BUNDLE_BAD_COMMENT, err, errlen,
                   "%s: the database says version %lld, the signature %lld", name,
                   content_version, info->version);
        goto fail;
    }
    /* 4. into place, then the switch */
    char fname[128];
    snprintf(fname, sizeof fname, "content-%lld.litfass", info->version);
    snprintf(final, sizeof final, "%s/%s", state_dir, fname);
    if (rename(staged, final) != 0 || fsync_dir(state_dir) != 0) {
        r = reason(BUNDLE_IO, err, errlen, "%s: cannot move into place: %s", final,
                   strerror(errno));
        goto fail;
    }
    char line[160];
    if (state.current[0]) {
        snprintf(line, sizeof line, "%s\n", state.current);
        if (put_atomic(state_dir, "previous", line) != 0) {
            r = reason(BUNDLE_IO, err, errlen, "%s/previous: cannot write", state_dir);
            goto fail;
        }
    }
    snprintf(line, sizeof line, "%s\n", fname);
    if (put_atomic(state_dir, "current", line) != 0) {
        r = reason(BUNDLE_IO, err, errlen, "%s/current: cannot write", state_dir);
        goto fail;
    }
    snprintf(line, sizeof line, "%lld\n", info->version);
    if (put_atomic(state_dir, "highest", line) != 0) {
        log_msg("bundle", "%s/highest: cannot write (the pointer still counts)", state_dir);
    }
    BundleState now;
    bundle_state(state_dir, &now, err, errlen);
    prune(state_dir, &now);
    err[0] = '\0';
    return BUNDLE_OK;
fail:
    unlink(staged);
    return r;
}

int bundle_rollback(const char *state_dir, char *err, size_t errlen)
{
    BundleState s;
    bundle_state(state_dir, &s, err, errlen);
    if (!s.previous[0] || !strcmp(s.previous, s.current)) {
        snprintf(err, errlen, "%s: no previous version to return to", state_dir);
        return -1;
    }
    char path[4200], line[160];
    snprintf(path, sizeof path, "%s/%s", state_dir, s.previous);
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "%s: the previous version's file is missing", path);
        return -1;
    }
    /* the highest record stays: the rolled-back version is not offered again
     * automatically */
    char hl[64];
    snprintf(hl, sizeof hl, "%lld\n", s.highest);
    snprintf(line, sizeof line, "%s\n", s.previous);
    if (put_atomic(state_dir, "highest", hl) != 0 || put_atomic(state_dir, "current", line) != 0) {
        snprintf(err, errlen, "%s: cannot switch: %s", state_dir, strerror(errno));
        return -1;
    }
    snprintf(line, sizeof line, "%s\n", s.current);
    put_atomic(state_dir, "previous", line);
    return 0;
}

const char *bundle_result_text(BundleResult r)
{
    return ui_str((UiString)(UI_BUNDLE_OK + (int)r));
}
