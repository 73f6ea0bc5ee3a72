/* Two installs at once on one state directory, as the display's USB and network
 * workers or `litfassctl import` next to the running service do: 200 rounds of two
 * real litfassctl processes started together. Every install either succeeds or is
 * refused for a stated reason ("not newer"); afterwards `current` always names an
 * existing, loadable file of the newer version. Then the display's fallback when
 * `current` names a missing file: the previous version, then fallback_db. */
#include "testutil.h"

#include "fixtures.h"

#include "check.h"
#include "content/build.h"
#include "delivery/bundle.h"
#include "display/kiosk.h"
#include "layoututil.h"
#include "store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#define ROUNDS_DEFAULT 200

static const char *tmp;
static const char *ctl = LITFASSCTL; /* $LITFASSCTL: try another build (e.g. an older one) */
static char pub[600], sec[600];
static KeyRing ring;

static void copy_file(const char *src, const char *dst)
{
    size_t len;
    char *data = test_read(src, &len);
    if (!data) {
        perror(src);
        exit(2);
    }
    test_write(dst, data, len);
    free(data);
}

/* tmp/b/content-N.litfass: the base content as version N, signed. */
static void make_bundle(const char *base, long long v, char *path, size_t len)
{
    char err[512];
    snprintf(path, len, "%s/b/content-%lld.litfass", tmp, v);
    copy_file(base, path);
    sqlite3 *db;
    char *sql = test_fmt("UPDATE meta SET value='%lld' WHERE key='content_version'", v);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
        exit(2);
    }
    sqlite3_close(db);
    free(sql);
    if (bundle_sign(path, sec, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
}

/* Starts `litfassctl import bundle --state-dir state -p pub` with stdout and stderr
 * into out_path. Returns the pid. */
static pid_t start_import(const char *bundle, const char *state, const char *out_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        /* through the emulator in a cross build (LITFASS_TEST_EXEC) */
        execl("/bin/sh", "sh", "-c",
              "exec " LITFASS_TEST_EXEC "\"$0\" import \"$1\" --state-dir \"$2\" -p \"$3\"", ctl,
              bundle, state, pub, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits for pid at most 30 s (a hang is a failure, not a stuck test). Returns its
 * exit status, or -1 after killing it. */
static int wait_bounded(pid_t pid)
{
    for (int i = 0; i < 3000; i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
        }
        nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static int odd_shown;

/* One finished import: installed, or refused as not newer; anything else is odd. */
static int judge(int status, const char *out_path, long long v, int *installed)
{
    char *out = test_read(out_path, NULL);
    char want[64];
    snprintf(want, sizeof want, "installed version %lld", v);
    int ok = 0;
    if (status == 0 && out && strstr(out, want)) {
        ok = 1;
        (*installed)++;
    } else if (status == 1 && out && strstr(out, "is not newer than the installed")) {
        ok = 1;
    }
    if (!ok && odd_shown++ < 5) {
        fprintf(stderr, "import of version %lld: status %d: %s", v, status, out ? out : "");
    }
    free(out);
    return ok;
}

static int count_content_files(const char *state)
{
    DIR *d = opendir(state);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        n += strncmp(e->d_name, "content-", 8) == 0;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

TEST(parallel_imports_never_lose_the_current_content)
{
    int rounds = getenv("RACE_ROUNDS") ? atoi(getenv("RACE_ROUNDS")) : ROUNDS_DEFAULT;
    char base[600], state[600], b1[700], err[512];
    snprintf(base, sizeof base, "%s/base.litfass", tmp);
    snprintf(state, sizeof state, "%s/state", tmp);
    make_bundle(base, 1, b1, sizeof b1);
    TrustedInfo info;
    CHECK_INT(bundle_install(state, b1, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
              BUNDLE_OK);
    char (*bundles)[700] = calloc((size_t)(2 * rounds + 4), sizeof *bundles);
    for (int v = 2; v < 2 * rounds + 2; v++) {
        make_bundle(base, v, bundles[v], sizeof bundles[v]);
    }
    int odd = 0, lost = 0, wrong = 0, installed = 0;
    char out_a[700], out_b[700];
    snprintf(out_a, sizeof out_a, "%s/a.txt", tmp);
    snprintf(out_b, sizeof out_b, "%s/b.txt", tmp);
    for (int i = 0; i < rounds; i++) {
        long long va = 2 + 2 * i, vb = 3 + 2 * i;
        pid_t a = start_import(bundles[va], state, out_a);
        pid_t b = start_import(bundles[vb], state, out_b);
        int sa = wait_bounded(a), sb = wait_bounded(b);
        odd += !judge(sa, out_a, va, &installed);
        odd += !judge(sb, out_b, vb, &installed);
        /* the newer one always ends up current, whatever the order */
        char cur[800], why[600];
        Model m;
        memset(&m, 0, sizeof m);
        if (store_current_path(state, cur, sizeof cur, why, sizeof why) != 0 ||
            store_load_path(cur, &m) != 0) {
            if (lost++ < 3) {
                fprintf(stderr, "round %d: current unusable: %s %s\n", i, why, m.problem);
            }
        } else if (m.content_version != vb) {
            wrong++;
        }
        model_free(&m);
    }
    printf("%d rounds of two parallel imports: %d installed, %d refused as not newer, %d odd, "
           "%d times current unusable\n",
           rounds, installed, 2 * rounds - installed - odd, odd, lost);
    CHECK_INT(odd, 0);
    CHECK_INT(lost, 0);
    CHECK_INT(wrong, 0);
    CHECK(installed >= rounds); /* every newer one at least */
    BundleState s;
    bundle_state(state, &s, err, sizeof err);
    CHECK_INT(s.current_version, 2 * rounds + 1);
    CHECK_INT(s.highest, 2 * rounds + 1);
    CHECK(count_content_files(state) <= 2); /* pruned to current and previous */
    free(bundles);
}

/* The kiosk on a state directory whose current file is gone shows what is left. */
static void shows(const char *state, const char *fallback, const char *want)
{
    static Text *text;
    if (!text) {
        text = test_fonts();
    }
    Config cfg;
    config_defaults(&cfg);
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    snprintf(cfg.fallback_db, sizeof cfg.fallback_db, "%s", fallback);
    snprintf(cfg.pages, sizeof cfg.pages, "campaign");
    Clock clock = clock_fake(1622554200000LL);
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    int64_t wait;
    kiosk_update(k, 1280, 720, &wait);
    int found = find_text(kiosk_drawlist(k), want) >= 0;
    if (!found) {
        fprintf(stderr, "expected \"%s\" on screen\n", want);
    }
    CHECK(found);
    kiosk_destroy(k);
}

TEST(a_current_naming_a_missing_file_falls_back_to_previous_then_fallback_db)
{
    char state[600], p[800], err[600], b[700], base[600];
    snprintf(state, sizeof state, "%s/state-fb", tmp);
    snprintf(base, sizeof base, "%s/base.litfass", tmp);
    TrustedInfo info;
    for (int v = 2; v <= 3; v++) {
        snprintf(b, sizeof b, "%s/b/content-%d.litfass", tmp, v);
        CHECK_INT(bundle_install(state, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err),
                  BUNDLE_OK);
    }
    shows(state, "", "Inhalt Version 3");
    /* current's file lost: the previous version, not "no content" */
    snprintf(p, sizeof p, "%s/content-3.litfass", state);
    CHECK_INT(unlink(p), 0);
    char path[900];
    CHECK_INT(store_content_path(state, "", path, sizeof path, err, sizeof err), 0);
    CHECK_HAS(path, "content-2.litfass");
    shows(state, "", "Inhalt Version 2");
    /* previous lost too: the package's default */
    snprintf(p, sizeof p, "%s/content-2.litfass", state);
    CHECK_INT(unlink(p), 0);
    CHECK_INT(store_content_path(state, base, path, sizeof path, err, sizeof err), 0);
    CHECK_STR(path, base);
    shows(state, base, "Inhalt Version 1");
    /* nothing left at all: the reason names what is missing */
    CHECK_INT(store_content_path(state, "", path, sizeof path, err, sizeof err), -1);
    CHECK_HAS(err, "content-3.litfass, which is missing");
    shows(state, "", "Zurzeit kein Inhalt");
}

int main(void)
{
    char err[512];
    tmp = test_tmpdir();
    if (getenv("LITFASSCTL")) {
        ctl = getenv("LITFASSCTL");
    }
    clock_set_zone("Europe/Berlin");
    snprintf(pub, sizeof pub, "%s/litfass.pub", tmp);
    snprintf(sec, sizeof sec, "%s/litfass.sec", tmp);
    if (bundle_keygen(pub, sec, err, sizeof err) != 0 ||
        bundle_ring_add(&ring, pub, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    char base[600], dir[600];
    snprintf(base, sizeof base, "%s/base.litfass", tmp);
    snprintf(dir, sizeof dir, "%s/b", tmp);
    mkdir(dir, 0755);
    if (build_content(LITFASS_CONTENT_DIR, base, 1, 1622554200000LL, NULL, err,
                      sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    RUN(parallel_imports_never_lose_the_current_content);
    RUN(a_current_naming_a_missing_file_falls_back_to_previous_then_fallback_db);
    return check_report();
}
