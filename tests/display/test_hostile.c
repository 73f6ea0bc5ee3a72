/* The heaviest content a signed bundle can carry, end to end with the real programs:
 * written as a content database, signed, installed by `litfassctl import`, and shown by
 * `litfass --screenshot` at every screen size. Every page must render (exit 0) with the
 * overflow visible to the visitor ("…", "… und N weitere") instead of stalling the
 * display. How long each run took is printed, not asserted (CTest's timeout only guards
 * against a hang). Usage: test_hostile LITFASS LITFASSCTL */
#include "testutil.h"

#include "hostile.h"

#include "check.h"
#include "delivery/bundle.h"
#include "store/store.h"

static const char *litfass, *litfassctl, *tmp;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST(hostile_bundle_installs_and_every_page_renders_at_every_size)
{
    char err[512], out[4096];
    char *db = test_fmt("%s/content-7.litfass", tmp);
    char *pub = test_fmt("%s/k.pub", tmp), *sec = test_fmt("%s/k.sec", tmp);
    char *state = test_fmt("%s/state", tmp);
    Model m;
    hostile_model(&m);
    snprintf(m.created, sizeof m.created, "2021-06-01T00:00:00Z");
    CHECK_INT(store_create(db, &m, err, sizeof err), 0);
    model_free(&m);
    CHECK_INT(bundle_keygen(pub, sec, err, sizeof err), 0);
    CHECK_INT(bundle_sign(db, sec, err, sizeof err), 0);
    struct stat st;
    CHECK_INT(stat(db, &st), 0);
    printf("  hostile bundle: %.1f MB\n", st.st_size / 1e6);

    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' import '%s' --state-dir '%s' -p '%s'", litfassctl,
                         db, state, pub);
    int rc = test_run(cmd, out, sizeof out);
    CHECK_INT(rc, 0);
    if (rc != 0) {
        fprintf(stderr, "%s\n", out);
    }
    free(cmd);

    static const char *const sizes[] = { "1280x720", "1920x1080", "3840x2160", "1080x1920" };
    for (int i = 0; i < 4; i++) {
        char *dir = test_fmt("%s/shots-%s", tmp, sizes[i]);
        cmd = test_fmt(LITFASS_TEST_EXEC "'%s' --state-dir '%s' --screenshot '%s' --size %s "
                       "--now 2021-06-01T09:00",
                       litfass, state, dir, sizes[i]);
        double t0 = now_s();
        rc = test_run(cmd, out, sizeof out);
        printf("  %-9s all three pages in %.1f s (exit %d)\n", sizes[i], now_s() - t0, rc);
        CHECK_INT(rc, 0);
        char *path = test_fmt("%s/campaign.json", dir);
        char *json = test_read(path, NULL);
        CHECK(json && strstr(json, "\xe2\x80\xa6\"")); /* a text cut with an ellipsis */
        free(json);
        free(path);
        path = test_fmt("%s/schedule.json", dir);
        json = test_read(path, NULL);
        CHECK(json && strstr(json, "weitere")); /* "… und N weitere" */
        free(json);
        free(path);
        path = test_fmt("%s/map.json", dir);
        json = test_read(path, NULL);
        CHECK(json && strstr(json, "\"kind\": \"map\"") && strstr(json, "\"kind\": \"cluster\""));
        free(json);
        free(path);
        free(dir);
        free(cmd);
    }
    free(db);
    free(pub);
    free(sec);
    free(state);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_hostile LITFASS LITFASSCTL\n");
        return 2;
    }
    litfass = argv[1];
    litfassctl = argv[2];
    tmp = test_tmpdir();
    RUN(hostile_bundle_installs_and_every_page_renders_at_every_size);
    return check_report();
}
