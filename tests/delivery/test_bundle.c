/* Signed bundles: both minisign directions, every bad input of the install path
 * (each refused with its reason, the content on screen untouched), rollback, and
 * the USB path from a stick folder to the new content on screen. */
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "delivery/bundle.h"
#include "check.h"
#include "display/kiosk.h"
#include "layoututil.h"
#include "store/store.h"
#include "display/text.h"
#include "delivery/usb.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <time.h>

static const char *tmp;
static char pub[600], sec[600], pub2[600], sec2[600];
static KeyRing ring;
static Text *text;

static void build_v(const char *path, int version)
{
    char err[512];
    const char *src = LITFASS_CONTENT_DIR;
    CHECK_INT(build_content(src, path, version, 1622554200000LL, NULL, err, sizeof err), 0);
}

/* Signs with the real minisign tool and our key, with any trusted comment. */
static void msign(const char *file, const char *key, const char *comment)
{
    char cmd[3000], out[2048];
    snprintf(cmd, sizeof cmd, "minisign -S -s '%s' -m '%s' -t '%s' < /dev/null", key, file,
             comment);
    int rc = test_run(cmd, out, sizeof out);
    if (rc != 0) {
        fprintf(stderr, "minisign failed: %s\n", out);
    }
    CHECK_INT(rc, 0);
}

static long long fsize(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

static const char *name_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A state directory with version 1 installed. */
static void fresh_state(const char *state)
{
    char cmd[700], b[700], err[512], out[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state);
    test_run(cmd, out, sizeof out);
    snprintf(b, sizeof b, "%s/content-1.litfass", tmp);
    TrustedInfo info;
    CHECK_INT(bundle_install(state, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
              BUNDLE_OK);
}

static int staging_empty(const char *state)
{
    char p[700];
    snprintf(p, sizeof p, "%s/staging", state);
    DIR *d = opendir(p);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        n += e->d_name[0] != '.';
    }
    if (d) {
        closedir(d);
    }
    return n == 0;
}

/* Installing path must fail with `want`, leaving version 1 on screen. */
static void refused(const char *path, BundleResult want, const char *msg, long long max)
{
    char state[600], err[600] = "";
    snprintf(state, sizeof state, "%s/state-bad", tmp);
    fresh_state(state);
    TrustedInfo info;
    BundleResult r = bundle_install(state, path, &ring, max, &info, err, sizeof err);
    if (r != want) {
        fprintf(stderr, "%s: got %d (%s), want %d\n", name_of(path), r, err, want);
    }
    CHECK_INT(r, want);
    CHECK_HAS(err, msg);
    BundleState s;
    bundle_state(state, &s, err, sizeof err);
    CHECK_STR(s.current, "content-1.litfass"); /* untouched */
    CHECK(staging_empty(state));
    Model m;
    char cur[700];
    snprintf(cur, sizeof cur, "%s/content-1.litfass", state);
    memset(&m, 0, sizeof m);
    CHECK_INT(store_load_path(cur, &m), 0);
    CHECK_INT(m.content_version, 1);
    model_free(&m);
}

/* A copy of src at dst, signed by minisign with a comment made for dst. */
static void signed_copy(const char *src, const char *dst, const char *extra_sql)
{
    char cmd[2000], out[512];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, dst);
    test_run(cmd, out, sizeof out);
    if (extra_sql) {
        sqlite3 *db;
        sqlite3_open(dst, &db);
        CHECK_INT(sqlite3_exec(db, extra_sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    char comment[512];
    snprintf(comment, sizeof comment,
             "litfass version=2 schema=%d file=%s size=%lld created=2021-06-01T13:30:00Z",
             STORE_SCHEMA_VERSION, name_of(dst), fsize(dst));
    msign(dst, sec, comment);
}

TEST(minisign_verifies_what_litfassctl_signs)
{
    char b[600], cmd[2000], out[1024];
    snprintf(b, sizeof b, "%s/content-2.litfass", tmp);
    build_v(b, 2);
    char err[512];
    CHECK_INT(bundle_sign(b, sec, err, sizeof err), 0);
    snprintf(cmd, sizeof cmd, "minisign -V -m '%s' -p '%s'", b, pub);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    CHECK_HAS(out, "Signature and comment signature verified");
    CHECK_HAS(out, "rusted comment: litfass version=2 schema=");
    CHECK_HAS(out, "file=content-2.litfass size=");
}

TEST(litfassctl_accepts_what_minisign_signs)
{
    char b[600], err[512], sig[700];
    snprintf(b, sizeof b, "%s/content-3.litfass", tmp);
    build_v(b, 3);
    char comment[512];
    snprintf(comment, sizeof comment,
             "litfass version=3 schema=%d file=content-3.litfass size=%lld created=2021-06-01T13:30:00Z",
             STORE_SCHEMA_VERSION, fsize(b));
    msign(b, sec2, comment); /* a key made by minisign -G -W itself */
    KeyRing r2 = ring;
    CHECK_INT(bundle_ring_add(&r2, pub2, err, sizeof err), 0);
    TrustedInfo info;
    snprintf(sig, sizeof sig, "%s.minisig", b);
    CHECK_INT(bundle_verify(b, sig, &r2, &info, err, sizeof err), BUNDLE_OK);
    CHECK_INT(info.version, 3);
    char state[600];
    snprintf(state, sizeof state, "%s/state-mini", tmp);
    fresh_state(state);
    CHECK_INT(bundle_install(state, b, &r2, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
              BUNDLE_OK);
    /* and our own key file works in minisign for signing too */
    CHECK_INT(bundle_verify(b, sig, &ring, &info, err, sizeof err), BUNDLE_UNTRUSTED_KEY);
}

TEST(every_bad_bundle_is_refused_and_the_content_stays)
{
    char good[600], p[700], cmd[2000], out[512];
    snprintf(good, sizeof good, "%s/content-2.litfass", tmp);
    /* unsigned */
    snprintf(p, sizeof p, "%s/bad/unsigned.litfass", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/bad && cp '%s' '%s'", tmp, good, p);
    test_run(cmd, out, sizeof out);
    refused(p, BUNDLE_NO_SIGNATURE, "no signature file", BUNDLE_DEFAULT_MAX_BYTES);
    /* signed by a key this display does not trust */
    snprintf(p, sizeof p, "%s/bad/untrusted.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    char comment[512];
    snprintf(comment, sizeof comment, "litfass version=2 schema=%d file=untrusted.litfass size=%lld created=x",
             STORE_SCHEMA_VERSION, fsize(p));
    msign(p, sec2, comment);
    refused(p, BUNDLE_UNTRUSTED_KEY, "does not trust", BUNDLE_DEFAULT_MAX_BYTES);
    /* the signature of another file with the same name and facts */
    snprintf(p, sizeof p, "%s/bad/swapped.litfass", tmp);
    signed_copy(good, p, NULL);
    { /* same name and size class, other bytes */
        sqlite3 *db;
        sqlite3_open(p, &db);
        CHECK_INT(sqlite3_exec(db, "UPDATE campaign SET value='Fremd' WHERE key='title'", NULL,
                               NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    refused(p, BUNDLE_BAD_SIGNATURE, "signature does not match the file", BUNDLE_DEFAULT_MAX_BYTES);
    /* truncated, and one bit flipped */
    snprintf(p, sizeof p, "%s/bad/truncated.litfass", tmp);
    signed_copy(good, p, NULL);
    truncate(p, fsize(p) / 2);
    /* refused on its size alone, before a byte is copied */
    refused(p, BUNDLE_BAD_COMMENT, "but the signature names", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/flipped.litfass", tmp);
    signed_copy(good, p, NULL);
    size_t len;
    char *data = test_read(p, &len);
    data[len / 3] ^= 0x04;
    test_write(p, data, len);
    free(data);
    refused(p, BUNDLE_BAD_SIGNATURE, "signature does not match", BUNDLE_DEFAULT_MAX_BYTES);
    /* trusted comment: missing, malformed, naming another file, another size */
    snprintf(p, sizeof p, "%s/bad/nocomment.litfass", tmp);
    signed_copy(good, p, NULL);
    char sig[800];
    snprintf(sig, sizeof sig, "%s.minisig", p);
    char *s = test_read(sig, NULL);
    char *third = strstr(s, "trusted comment:");
    *third = '\0'; /* cut the trusted comment and the global signature */
    test_write(sig, s, strlen(s));
    free(s);
    refused(p, BUNDLE_BAD_SIGNATURE, "not a minisign signature", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/malformed.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    msign(p, sec, "timestamp:1622554200\tfile:malformed.litfass");
    refused(p, BUNDLE_BAD_COMMENT, "trusted comment is not", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/other.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    snprintf(comment, sizeof comment, "litfass version=2 schema=%d file=content-2.litfass size=%lld created=x",
             STORE_SCHEMA_VERSION, fsize(p));
    msign(p, sec, comment);
    {
        /* a renamed pair, signed as content-2.litfass. This used to be refused here
         * ("Signatur passt nicht zur Datei") while litfassctl verify passed it; since
         * issue 12 the signed name is the identity and the pair installs. */
        char renamed_state[600], e2[600] = "";
        snprintf(renamed_state, sizeof renamed_state, "%s/state-renamed", tmp);
        fresh_state(renamed_state);
        TrustedInfo ri;
        CHECK_INT(bundle_install(renamed_state, p, &ring, BUNDLE_DEFAULT_MAX_BYTES, &ri, e2,
                                 sizeof e2),
                  BUNDLE_OK);
        CHECK_STR(ri.file, "content-2.litfass");
    }
    snprintf(p, sizeof p, "%s/bad/size.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    snprintf(comment, sizeof comment, "litfass version=2 schema=%d file=size.litfass size=%lld created=x",
             STORE_SCHEMA_VERSION, fsize(p) + 1);
    msign(p, sec, comment);
    refused(p, BUNDLE_BAD_COMMENT, "but the signature names", BUNDLE_DEFAULT_MAX_BYTES);
    /* same and older version */
    snprintf(p, sizeof p, "%s/content-1.litfass", tmp);
    refused(p, BUNDLE_NOT_NEWER, "version 1 is not newer than the installed 1", BUNDLE_DEFAULT_MAX_BYTES);
    /* unknown schema */
    snprintf(p, sizeof p, "%s/bad/schema.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    snprintf(comment, sizeof comment, "litfass version=2 schema=99 file=schema.litfass size=%lld created=x", fsize(p));
    msign(p, sec, comment);
    refused(p, BUNDLE_BAD_SCHEMA, "schema 99 is not supported", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/uv.litfass", tmp);
    signed_copy(good, p, "PRAGMA user_version=99");
    refused(p, BUNDLE_BAD_SCHEMA, "schema version 99 is not supported", BUNDLE_DEFAULT_MAX_BYTES);
    /* not SQLite at all, and corrupt SQLite */
    snprintf(p, sizeof p, "%s/bad/text.litfass", tmp);
    test_write(p, "this is a text file, not a database\n", 36);
    snprintf(comment, sizeof comment, "litfass version=2 schema=%d file=text.litfass size=36 created=x",
             STORE_SCHEMA_VERSION);
    msign(p, sec, comment);
    refused(p, BUNDLE_BAD_CONTENT, "not an SQLite content database", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/corrupt.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    data = test_read(p, &len);
    for (size_t i = 1024; i < len; i += 61) {
        data[i] ^= 0x5A;
    }
    test_write(p, data, len);
    free(data);
    snprintf(comment, sizeof comment, "litfass version=2 schema=%d file=corrupt.litfass size=%zu created=x",
             STORE_SCHEMA_VERSION, len);
    msign(p, sec, comment);
    refused(p, BUNDLE_BAD_CONTENT, "corrupt", BUNDLE_DEFAULT_MAX_BYTES);
    /* objects designed to run code */
    snprintf(p, sizeof p, "%s/bad/trigger.litfass", tmp);
    signed_copy(good, p, "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM site; END");
    refused(p, BUNDLE_BAD_CONTENT, "unexpected trigger", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/view.litfass", tmp);
    signed_copy(good, p, "CREATE VIEW v AS SELECT * FROM site");
    refused(p, BUNDLE_BAD_CONTENT, "unexpected view", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/extra.litfass", tmp);
    signed_copy(good, p, "CREATE TABLE payload(x BLOB)");
    refused(p, BUNDLE_BAD_CONTENT, "unexpected table 'payload'", BUNDLE_DEFAULT_MAX_BYTES);
    /* over the limits: a 20 000-character title; 25 000 sites */
    snprintf(p, sizeof p, "%s/bad/long.litfass", tmp);
    signed_copy(good, p, "UPDATE campaign SET value = printf('%.20000c', 'x') WHERE key='title'");
    refused(p, BUNDLE_BAD_CONTENT, "too long", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/rows.litfass", tmp);
    signed_copy(good, p,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 25000) "
                "INSERT INTO site SELECT 'x'||i, 'n', 'o', 'c', 50, 10, 'k', NULL, NULL, 0 FROM n");
    refused(p, BUNDLE_BAD_CONTENT, "more than 20000 sites", BUNDLE_DEFAULT_MAX_BYTES);
    /* invalid UTF-8 in the content */
    snprintf(p, sizeof p, "%s/bad/utf8.litfass", tmp);
    signed_copy(good, p, "UPDATE campaign SET value = CAST(X'4142FF43' AS TEXT) WHERE key='title'");
    refused(p, BUNDLE_BAD_CONTENT, "not valid UTF-8", BUNDLE_DEFAULT_MAX_BYTES);
    /* larger than the configured maximum */
    snprintf(p, sizeof p, "%s/bad/big.litfass", tmp);
    signed_copy(good, p, NULL);
    refused(p, BUNDLE_TOO_LARGE, "more than the allowed 4096", 4096);
    /* names leaving the folder, in the file name or in the signed comment */
    snprintf(p, sizeof p, "%s/bad/..evil.litfass", tmp);
    signed_copy(good, p, NULL);
    refused(p, BUNDLE_BAD_NAME, "not a bundle name", BUNDLE_DEFAULT_MAX_BYTES);
    snprintf(p, sizeof p, "%s/bad/escape.litfass", tmp);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
    test_run(cmd, out, sizeof out);
    snprintf(comment, sizeof comment, "litfass version=2 schema=%d file=../../etc/escape.litfass size=%lld created=x",
             STORE_SCHEMA_VERSION, fsize(p));
    msign(p, sec, comment);
    refused(p, BUNDLE_BAD_COMMENT, "the signature is for '../../etc/escape.litfass'", BUNDLE_DEFAULT_MAX_BYTES);
}

TEST(install_keeps_the_previous_version_and_rollback_returns_to_it)
{
    char state[600], b[700], err[600];
    snprintf(state, sizeof state, "%s/state-rb", tmp);
    fresh_state(state);
    snprintf(b, sizeof b, "%s/content-2.litfass", tmp);
    TrustedInfo info;
    CHECK_INT(bundle_install(state, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err), BUNDLE_OK);
    BundleState s;
    bundle_state(state, &s, err, sizeof err);
    CHECK_STR(s.current, "content-2.litfass");
    CHECK_STR(s.previous, "content-1.litfass");
    CHECK_INT(s.highest, 2);
    CHECK_INT(bundle_rollback(state, err, sizeof err), 0);
    bundle_state(state, &s, err, sizeof err);
    CHECK_STR(s.current, "content-1.litfass");
    CHECK_INT(s.highest, 2); /* the rolled-back version is not taken again by itself */
    CHECK_INT(bundle_install(state, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
              BUNDLE_NOT_NEWER);
    /* a replay after losing the highest record is still refused: the pointers count */
    char h[700];
    snprintf(h, sizeof h, "%s/highest", state);
    unlink(h);
    bundle_state(state, &s, err, sizeof err);
    CHECK_INT(s.highest, 2);
}

/* Bytes this process has read through read() so far (the kernel's count). */
static long long bytes_read(void)
{
    char io[1024];
    int fd = open("/proc/self/io", O_RDONLY); /* size 0 in stat: read it, not ftell */
    ssize_t n = fd >= 0 ? read(fd, io, sizeof io - 1) : -1;
    if (fd >= 0) {
        close(fd);
    }
    io[n > 0 ? n : 0] = '\0';
    const char *p = strstr(io, "rchar: ");
    return p ? atoll(p + 7) : -1;
}

TEST(a_bundle_of_the_wrong_size_is_refused_before_it_is_copied)
{
    char state[600], p[700], err[600];
    snprintf(state, sizeof state, "%s/state-size", tmp);
    fresh_state(state);
    /* 40 MB on disk (sparse, no real I/O), the signature names 1000 bytes */
    snprintf(p, sizeof p, "%s/bad/huge.litfass", tmp);
    FILE *f = fopen(p, "wb");
    CHECK(f && ftruncate(fileno(f), 40LL * 1024 * 1024) == 0);
    fclose(f);
    char comment[512];
    snprintf(comment, sizeof comment,
             "litfass version=2 schema=%d file=huge.litfass size=1000 created=x",
             STORE_SCHEMA_VERSION);
    msign(p, sec, comment);
    TrustedInfo info;
    long long before = bytes_read();
    BundleResult r = bundle_install(state, p, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err,
                                    sizeof err);
    long long read_now = bytes_read() - before;
    CHECK_INT(r, BUNDLE_BAD_COMMENT);
    CHECK_HAS(err, "41943040 bytes, but the signature names 1000");
    printf("refusing a 40 MB bundle signed as 1000 bytes read %lld bytes\n", read_now);
    CHECK(before >= 0 && read_now < 64 * 1024);
    CHECK(staging_empty(state));
}

TEST(a_failed_switch_leaves_no_new_content_file_behind)
{
    char state[600], b[700], blocker[800], p[800], err[600], cmd[2000], out[64];
    snprintf(state, sizeof state, "%s/state-switch", tmp);
    fresh_state(state);
    /* the pointer's temporary name taken by a folder: writing `current` fails after
     * the new file was moved into place */
    snprintf(blocker, sizeof blocker, "%s/.current.tmp", state);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/x'", blocker);
    test_run(cmd, out, sizeof out);
    snprintf(b, sizeof b, "%s/content-2.litfass", tmp);
    TrustedInfo info;
    CHECK_INT(bundle_install(state, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
              BUNDLE_IO);
    CHECK_HAS(err, "current: cannot write");
    snprintf(p, sizeof p, "%s/content-2.litfass", state);
    CHECK(access(p, F_OK) != 0);
    BundleState s;
    bundle_state(state, &s, err, sizeof err);
    CHECK_STR(s.current, "content-1.litfass");
    CHECK_INT(s.highest, 1); /* version 2 may come again */
    CHECK(staging_empty(state));
    /* and once the obstacle is gone it installs */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", blocker);
    test_run(cmd, out, sizeof out);
    CHECK_INT(bundle_install(state, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
              BUNDLE_OK);
}

static void stick(const char *mount, const char *const *bundles, int n)
{
    char cmd[3000], out[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/litfass'", mount, mount);
    test_run(cmd, out, sizeof out);
    for (int i = 0; i < n; i++) {
        snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/%s.minisig' '%s/litfass/'", tmp, bundles[i], tmp,
                 bundles[i], mount);
        test_run(cmd, out, sizeof out);
    }
}

TEST(usb_stick_imports_the_newest_bundle_and_reports)
{
    char mount[600], state[600], report[700];
    snprintf(mount, sizeof mount, "%s/media/stick", tmp);
    snprintf(state, sizeof state, "%s/state-usb", tmp);
    fresh_state(state);
    const char *both[] = { "content-1.litfass", "content-2.litfass" };
    stick(mount, both, 2);
    UsbOutcome o;
    usb_import_dir(mount, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "kiosk-test", &o);
    CHECK_INT(o.result, BUNDLE_OK);
    CHECK_STR(o.message, "Inhalt aktualisiert: Version 2");
    snprintf(report, sizeof report, "%s/litfass/litfass-report.txt", mount);
    char *r = test_read(report, NULL);
    CHECK_HAS(r, "Ergebnis: Inhalt aktualisiert: Version 2");
    CHECK_HAS(r, "Gerät: kiosk-test");
    CHECK_HAS(r, "Installierte Version: 2");
    free(r);
    /* the same stick again: nothing newer */
    usb_import_dir(mount, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "kiosk-test", &o);
    CHECK_INT(o.nothing_new, 1);
    CHECK_HAS(o.message, "Keine neuere Version");
    /* a stick with a newer bundle damaged after signing: refused, with the reason on
     * screen and on the stick */
    char b9[700], err[512], on_stick[800];
    snprintf(b9, sizeof b9, "%s/content-9.litfass", tmp);
    build_v(b9, 9);
    CHECK_INT(bundle_sign(b9, sec, err, sizeof err), 0);
    const char *nine[] = { "content-9.litfass" };
    stick(mount, nine, 1);
    snprintf(on_stick, sizeof on_stick, "%s/litfass/content-9.litfass", mount);
    size_t len;
    char *data = test_read(on_stick, &len);
    data[len / 2] ^= 0x01;
    test_write(on_stick, data, len);
    free(data);
    usb_import_dir(mount, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "kiosk-test", &o);
    CHECK_INT(o.result, BUNDLE_BAD_SIGNATURE);
    CHECK_STR(o.message, "Nicht übernommen: Signatur ungültig");
    r = test_read(report, NULL);
    CHECK_HAS(r, "Nicht übernommen");
    free(r);
}

TEST(usb_watcher_to_new_content_on_screen)
{
    char root[600], mount[700], state[400], b[700], err[600];
    snprintf(root, sizeof root, "%s/run-media", tmp);
    snprintf(mount, sizeof mount, "%s/user/STICK", root);
    snprintf(state, sizeof state, "%s/state-screen", tmp);
    fresh_state(state);
    snprintf(b, sizeof b, "%s/content-4.litfass", tmp);
    build_v(b, 4);
    CHECK_INT(bundle_sign(b, sec, err, sizeof err), 0);
    Config cfg;
    config_defaults(&cfg);
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    snprintf(cfg.pages, sizeof cfg.pages, "campaign");
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    Usb *u;
    CHECK_INT(usb_start(root, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "screen", 50, NULL, NULL, &u), 0);
    int64_t wait;
    kiosk_set_usb(k, u);
    kiosk_update(k, 1280, 720, &wait);
    CHECK(find_text(kiosk_drawlist(k), "Inhalt Version 1") >= 0);
    /* plug it in: the stick appears with its files, as a mount does */
    const char *four[] = { "content-4.litfass" };
    char staged_stick[800], cmd2[4000], out2[64];
    snprintf(staged_stick, sizeof staged_stick, "%s/stick-being-prepared", tmp);
    stick(staged_stick, four, 1);
    snprintf(cmd2, sizeof cmd2, "mkdir -p '%s/user' && mv '%s' '%s'", root, staged_stick, mount);
    CHECK_INT(test_run(cmd2, out2, sizeof out2), 0);
    int shown = 0;
    for (int i = 0; i < 1500 && !shown; i++) { /* up to 30 s: slow under emulation */
        nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
        kiosk_update(k, 1280, 720, &wait);
        shown = find_text(kiosk_drawlist(k), "Inhalt aktualisiert: Version 4") >= 0;
    }
    CHECK(shown);
    CHECK(find_text(kiosk_drawlist(k), "Inhalt Version 1") >= 0); /* not mid-page */
    clock_advance(&clock, 20000);                                  /* the page boundary */
    kiosk_update(k, 1280, 720, &wait);
    CHECK(find_text(kiosk_drawlist(k), "Inhalt Version 4") >= 0);
    clock_advance(&clock, KIOSK_NOTICE_MS);
    kiosk_update(k, 1280, 720, &wait);
    CHECK(find_text(kiosk_drawlist(k), "Inhalt aktualisiert") < 0); /* the notice goes away */
    /* pulling the stick changes nothing on screen */
    char cmd[800], out[64];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", mount);
    test_run(cmd, out, sizeof out);
    nanosleep(&(struct timespec){ 0, 200000000L }, NULL);
    clock_advance(&clock, 20000);
    kiosk_update(k, 1280, 720, &wait);
    CHECK(find_text(kiosk_drawlist(k), "Inhalt Version 4") >= 0);
    usb_stop(u);
    kiosk_destroy(k);
}

int main(void)
{
    char out[1024], cmd[2000], err[512];
    tmp = test_tmpdir();
    text = test_fonts();
    clock_set_zone("Europe/Berlin");
    snprintf(pub, sizeof pub, "%s/litfass.pub", tmp);
    snprintf(sec, sizeof sec, "%s/litfass.sec", tmp);
    snprintf(pub2, sizeof pub2, "%s/minisign.pub", tmp);
    snprintf(sec2, sizeof sec2, "%s/minisign.sec", tmp);
    if (bundle_keygen(pub, sec, err, sizeof err) != 0 || bundle_ring_add(&ring, pub, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    snprintf(cmd, sizeof cmd, "minisign -G -W -p '%s' -s '%s' < /dev/null", pub2, sec2);
    if (test_run(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "minisign is needed (Debian package minisign): %s\n", out);
        return 2;
    }
    char b[600];
    snprintf(b, sizeof b, "%s/content-1.litfass", tmp);
    build_v(b, 1);
    CHECK_INT(bundle_sign(b, sec, err, sizeof err), 0);
    RUN(minisign_verifies_what_litfassctl_signs);
    RUN(litfassctl_accepts_what_minisign_signs);
    RUN(every_bad_bundle_is_refused_and_the_content_stays);
    RUN(install_keeps_the_previous_version_and_rollback_returns_to_it);
    RUN(a_bundle_of_the_wrong_size_is_refused_before_it_is_copied);
    RUN(a_failed_switch_leaves_no_new_content_file_behind);
    RUN(usb_stick_imports_the_newest_bundle_and_reports);
    RUN(usb_watcher_to_new_content_on_screen);
    text_close(text);
    return check_report();
}
