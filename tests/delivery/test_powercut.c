/* Power cut during an install: a child process installs a new bundle and is killed
 * with SIGKILL at a random moment; afterwards the state must open to the complete
 * old or the complete new version, and the display must start on it.
 *   test_powercut [RUNS]   (default 200; CI runs 200, longer runs take more)
 * SIGKILL stops the process at any instruction, but the kernel keeps what was
 * written: this tests the ordering of renames and pointer switches, not lost
 * page-cache writes (those are covered by fsync before each rename). */
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "delivery/bundle.h"
#include "check.h"
#include "display/kiosk.h"
#include "layoututil.h"
#include "store/store.h"
#include "display/text.h"

#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static const char *tmp;
static KeyRing ring;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long long fsize_of(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

static void reset(const char *state, const char *v1)
{
    char cmd[1200], out[64], err[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state);
    test_run(cmd, out, sizeof out);
    TrustedInfo info;
    if (bundle_install(state, v1, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err) !=
        BUNDLE_OK) {
        fprintf(stderr, "setup: %s\n", err);
        exit(2);
    }
}

/* A bundle large enough that the install takes a while: 12 000 sites. */
static void make_bundle(const char *src_dir, const char *path, int version, const char *sec)
{
    char err[512];
    if (build_content(src_dir, path, version, 1622554200000LL, NULL, err, sizeof err) ||
        bundle_sign(path, sec, err, sizeof err)) {
        fprintf(stderr, "setup: %s\n", err);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 200;
    char pub[600], sec[600], src[600], v1[700], v2[700], state[400], err[512],
        out[256];
    tmp = test_tmpdir();
    snprintf(pub, sizeof pub, "%s/k.pub", tmp);
    snprintf(sec, sizeof sec, "%s/k.sec", tmp);
    if (bundle_keygen(pub, sec, err, sizeof err) || bundle_ring_add(&ring, pub, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    snprintf(src, sizeof src, "%s/src", tmp);
    test_copy_content(src, "sites.csv schedule.csv posters posters.csv 'campaign.'*.md");
    char *setup = test_fmt(LITFASS_TEST_EXEC "'%s' 12000 > '%s/sites.csv'", GEN_SITES, src);
    int setup_rc = test_run(setup, out, sizeof out);
    free(setup);
    if (setup_rc != 0) {
        fprintf(stderr, "setup: %s\n", out);
        return 2;
    }
    snprintf(v1, sizeof v1, "%s/content-1.litfass", tmp);
    snprintf(v2, sizeof v2, "%s/content-2.litfass", tmp);
    make_bundle(src, v1, 1, sec);
    make_bundle(src, v2, 2, sec);
    snprintf(state, sizeof state, "%s/state", tmp);
    Text *text = test_fonts();
    clock_set_zone("Europe/Berlin");

    /* how long an undisturbed install takes in a child, fork included, to spread the
     * kills over it */
    TrustedInfo info;
    double span = 0;
    for (int k = 0; k < 3; k++) {
        reset(state, v1);
        double t0 = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
            _exit(bundle_install(state, v2, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err,
                                 sizeof err) == BUNDLE_OK ? 0 : 1);
        }
        int st;
        waitpid(pid, &st, 0);
        double t = now_ms() - t0;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "setup: the undisturbed install failed\n");
            return 2;
        }
        span = t > span ? t : span;
    }
    span *= 1.1;
    printf("install of %s (%lld bytes) takes up to %.1f ms in a child; killing at random "
           "points in 0..%.1f ms\n", v2, (long long)fsize_of(v2), span / 1.1, span);

    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    int old_v = 0, new_v = 0, failures = 0;
    for (int i = 0; i < runs; i++) {
        reset(state, v1);
        double delay = span * rand() / (double)RAND_MAX;
        pid_t pid = fork();
        if (pid == 0) {
            bundle_install(state, v2, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err);
            _exit(0);
        }
        struct timespec ts = { (time_t)(delay / 1000), (long)(fmod(delay, 1000) * 1e6) };
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);

        /* the state opens to one complete version ... */
        char path[800], why[300];
        Model m;
        memset(&m, 0, sizeof m);
        int ok = store_current_path(state, path, sizeof path, why, sizeof why) == 0 &&
                 store_load_path(path, &m) == 0 &&
                 (m.content_version == 1 || m.content_version == 2) && m.n_sites == 12000;
        long long v = m.content_version;
        model_free(&m);
        /* ... and the display starts on it */
        Config cfg;
        config_defaults(&cfg);
        snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
        snprintf(cfg.pages, sizeof cfg.pages, "campaign");
        Clock clock = clock_fake(1622554200000LL);
        Kiosk *k;
        kiosk_create(&cfg, &clock, text, &k);
        int64_t wait;
        kiosk_update(k, 640, 360, &wait);
        char want[64];
        snprintf(want, sizeof want, "Inhalt Version %lld", v);
        ok = ok && find_text(kiosk_drawlist(k), want) >= 0;
        kiosk_destroy(k);
        /* and a later install still works from whatever was left behind */
        if (ok && v == 1) {
            ok = bundle_install(state, v2, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err,
                                sizeof err) == BUNDLE_OK;
        }
        if (!ok) {
            failures++;
            fprintf(stderr, "run %d (kill after %.2f ms): state does not open to a complete "
                            "version (%s)\n", i, delay, why);
        }
        old_v += v == 1;
        new_v += v == 2;
    }
    printf("%d runs (seed %u): %d ended on the old version, %d on the new, %d failures\n", runs,
           seed, old_v, new_v, failures);
    CHECK_INT(failures, 0);
    CHECK(old_v > 0 && new_v > 0); /* the kills really landed on both sides of the switch */
    text_close(text);
    return check_report();
}
