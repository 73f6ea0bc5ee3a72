/* coverage: the sources are read as they are, line by line, rather than the built
 * model: a character is named where staff wrote it, whatever field or translation it
 * belongs to (campaign*.md, so campaign.ar.md too, every *.csv and *.ics; a README
 * beside them is not shown and not checked). A few characters in the sources are never
 * shown (front-matter keys, CSV headers), but they are ASCII, which the fonts have. */
#define _POSIX_C_SOURCE 200809L
#include "display/coverage.h"

#include "base/utf8.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FILES 512
#define MAX_SEEN 256 /* distinct characters reported per file */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_source(const char *name)
{
    size_t l = strlen(name);
    return name[0] != '.' &&
           ((l > 3 && !strcasecmp(name + l - 3, ".md")) ||
            (l > 4 && !strcasecmp(name + l - 4, ".csv")) ||
            (l > 4 && !strcasecmp(name + l - 4, ".ics")));
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        return NULL;
    }
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = (n + 65536 + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                abort();
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, 65536, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int check_file(Text *t, const char *path, CoverageFn found, void *ctx)
{
    size_t len;
    char *text = read_all(path, &len);
    if (!text) {
        return 0; /* the build has read it already; nothing more to say here */
    }
    if (!utf8_valid(text, len, NULL)) {
        free(text);
        return 0;
    }
    uint32_t seen[MAX_SEEN];
    int n_seen = 0, count = 0, line = 1;
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        size_t k = utf8_decode(text + at, len - at, &cp);
        if (cp == '\n') {
            line++;
        } else if (!text_can_draw(t, cp)) {
            int dup = 0;
            for (int i = 0; i < n_seen && !dup; i++) {
                dup = seen[i] == cp;
            }
            if (!dup && n_seen < MAX_SEEN) {
                char utf8[8];
                memcpy(utf8, text + at, k);
                utf8[k] = '\0';
                seen[n_seen++] = cp;
                count++;
                found(ctx, path, line, cp, utf8);
            }
        }
        at += k;
    }
    free(text);
    return count;
}

int coverage_check(Text *t, const char *src_dir, CoverageFn found, void *ctx)
{
    char *names[MAX_FILES];
    int n = 0, count = 0;
    DIR *d = opendir(src_dir);
    for (struct dirent *de; d && (de = readdir(d)) && n < MAX_FILES;) {
        if (is_source(de->d_name)) {
            names[n] = strdup(de->d_name);
            if (!names[n]) {
                abort();
            }
            n++;
        }
    }
    if (d) {
        closedir(d);
    }
    qsort(names, (size_t)n, sizeof *names, cmp_name);
    for (int i = 0; i < n; i++) {
        size_t plen = strlen(src_dir) + strlen(names[i]) + 2;
        char *path = malloc(plen);
        if (!path) {
            abort();
        }
        snprintf(path, plen, "%s/%s", src_dir, names[i]);
        count += check_file(t, path, found, ctx);
        free(path);
        free(names[i]);
    }
    return count;
}
