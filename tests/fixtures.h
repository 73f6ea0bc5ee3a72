/* fixtures: what many tests and benchmarks start from — the project's fonts (SDL_ttf
 * needs no display) and the default content, built and loaded as the display does. */
#ifndef LITFASS_FIXTURES_H
#define LITFASS_FIXTURES_H

#include "testutil.h"

#include "content/build.h"
#include "store/store.h"
#include "display/text.h"

/* The fonts from the source tree; exits with status 2 when they cannot be opened. */
static inline Text *test_fonts(void)
{
    char err[512];
    Text *t;
    char *dir = test_fmt("%s/fonts", LITFASS_SOURCE_DIR);
    int rc = text_open(dir, &t, err, sizeof err);
    free(dir);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    return t;
}

/* The default content as version 1, built once per test program into a temporary
 * folder and loaded into *m (release with model_free). Returns store_load_path's result. */
static inline int test_default_model(Model *m)
{
    static char *db;
    char err[512];
    if (!db) {
        db = test_fmt("%s/default.litfass", test_tmpdir());
        if (build_content(LITFASS_CONTENT_DIR, db, 1, 0, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            exit(2);
        }
    }
    memset(m, 0, sizeof *m);
    return store_load_path(db, m);
}

#endif
