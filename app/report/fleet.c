/* fleet: reads only what it needs from each status.json with a small scanner (the
 * documents are flat and written by report.c; a hostile one can at worst show wrong
 * text, escaped) and counts the plays per day from the CSV files. */
#define _POSIX_C_SOURCE 200809L
#include "report/fleet.h"

#include "base/clock.h"
#include "base/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLEET_MAX_SCREENS 20000
#define FLEET_MAX_JSON (64 * 1024)

int fleet_json_value(const char *json, const char *key, char *out, size_t len)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = json;
    out[0] = '\0';
    while ((p = strstr(p, pat)) != NULL) {
        p += strlen(pat);
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        }
        if (*p == ':') {
            break;
        }
    }
    if (!p) {
        return -1;
    }
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
        p++;
    }
    size_t o = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"' && o + 1 < len; p++) {
            if (*p == '\\' && p[1]) {
                p++;
                if (*p == 'u') {
                    unsigned v = 0;
                    if (sscanf(p + 1, "%4x", &v) == 1 && strlen(p + 1) >= 4) {
                        p += 4;
                    }
                    out[o++] = v >= 0x20 && v < 0x7f ? (char)v : '?';
                } else {
                    out[o++] = *p == 'n' || *p == 't' || *p == 'r' ? ' ' : *p;
                }
            } else {
                out[o++] = *p;
            }
        }
    } else {
        while (*p && *p != ',' && *p != '}' && *p != '\n' && o + 1 < len) {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return 0;
}

/* HTML text of untrusted bytes: made one line of valid UTF-8, then escaped. */
static void html(FILE *f, const char *raw)
{
    char s[1200];
    log_sanitize(raw, s, sizeof s);
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*p, f);
        }
    }
}

/* A path for an href: everything but [A-Za-z0-9._-] (and '/' where slash) percent-encoded. */
static void href_path(FILE *f, const char *s, int slash)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '_' || *p == '-' || (slash && *p == '/')) {
            fputc(*p, f);
        } else {
            fprintf(f, "%%%02X", *p);
        }
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir that are folders (or, with csv, files ending in .csv), sorted: at most
 * FLEET_MAX_SCREENS (the first the folder lists); *more (may be NULL) gets how many
 * more there were. */
static int list(const char *dir, int csv, char ***out, long *more)
{
    DIR *d = opendir(dir);
    int n = 0, cap = 0;
    *out = NULL;
    if (more) {
        *more = 0;
    }
    if (!d) {
        return -1;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(e->d_name);
        if (stat(path, &st) != 0 || (csv ? !S_ISREG(st.st_mode) || l < 5 ||
                                               strcmp(e->d_name + l - 4, ".csv") != 0
                                         : !S_ISDIR(st.st_mode))) {
            continue;
        }
        if (n >= FLEET_MAX_SCREENS) { /* bounded memory and page, but never silently */
            if (more) {
                (*more)++;
            }
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = realloc(*out, (size_t)cap * sizeof **out);
            if (!*out) {
                abort();
            }
        }
        if (!((*out)[n++] = strdup(e->d_name))) {
            abort();
        }
    }
    closedir(d);
    if (n > 0) {
        qsort(*out, (size_t)n, sizeof **out, by_name);
    }
    return n;
}

static void free_list(char **l, int n)
{
    for (int i = 0; i < n; i++) {
        free(l[i]);
    }
    free(l);
}

/* Opens a file of a screen's folder for reading when it is a plain file: a FIFO or a
 * device (anyone who can write the folder can make one) is never waited on. The folder
 * is the server's, so a link is followed (a copy may be made of links), but only to a
 * plain file. Returns NULL otherwise. */
static FILE *open_plain(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
    }
    return f;
}

static char *read_small(const char *path)
{
    FILE *f = open_plain(path);
    if (!f) {
        return NULL;
    }
    char *b = malloc(FLEET_MAX_JSON + 1);
    size_t n = b ? fread(b, 1, FLEET_MAX_JSON, f) : 0;
    fclose(f);
    if (b) {
        b[n] = '\0';
    }
    return b;
}

/* Plays of one day: lines after the header, and their summed duration in seconds. */
static void day_plays(const char *path, long *plays, double *seconds)
{
    FILE *f = open_plain(path);
    char line[512];
    *plays = 0;
    *seconds = 0;
    if (!f) {
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *c = strchr(line, ',');
        if (!c || !strchr(line, '\n') || strncmp(line, "start,", 6) == 0) {
            continue;
        }
        (*plays)++;
        double d = strtod(c + 1, NULL);
        if (d > 0 && d <= 86400) { /* garbage (nan, 1e308, negative) adds no time: a play */
            *seconds += d;        /* lasts at most a day, and (long) of inf is undefined */
        }
    }
    fclose(f);
}

int fleet_write(const char *dir, const char *prefix, int64_t now_ms, FILE *out, char *err,
                size_t errlen)
{
    char **screens;
    long more;
    int n = list(dir, 0, &screens, &more);
    if (n < 0) {
        snprintf(err, errlen, "%s: cannot read the report folder: %s", dir, strerror(errno));
        return -1;
    }
    char now[32];
    clock_format_utc(now_ms, now, sizeof now);
    fputs("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
          "<title>Litfass: Bildschirme</title>\n<style>\n"
          "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}"
          ".stale{background:#fdd}.alert{color:#b00;font-weight:bold}"
          "img{max-width:240px;max-height:240px}\n</style></head><body>\n",
          out);
    fprintf(out, "<h1>Bildschirme (%d)</h1>\n<p>Stand %s</p>\n", n, now);
    if (more > 0) {
        fprintf(out, "<p class=\"alert\">%ld weitere Bildschirme sind nicht aufgeführt: eine "
                     "Seite zeigt höchstens %d.</p>\n",
                more, FLEET_MAX_SCREENS);
    }
    fputs("<table>\n<tr><th>Bildschirm</th><th>Standort</th><th>Zuletzt gemeldet</th>"
          "<th>Inhalt</th><th>Alarm</th><th>Uhr</th><th>An/aus</th><th>Bild</th>"
          "<th>Wiedergaben pro Tag</th></tr>\n",
          out);
    int stale_n = 0;
    for (int i = 0; i < n; i++) {
        char path[4400], name[200], site[200], reported[64], version[32], alert[400],
            clock_ok[16], power[16], interval[16];
        snprintf(path, sizeof path, "%s/%s/status.json", dir, screens[i]);
        char *json = read_small(path);
        const char *j = json ? json : "";
        if (fleet_json_value(j, "screen", name, sizeof name) != 0) {
            snprintf(name, sizeof name, "%s", screens[i]);
        }
        fleet_json_value(j, "site", site, sizeof site);
        fleet_json_value(j, "reported", reported, sizeof reported);
        fleet_json_value(j, "content_version", version, sizeof version);
        fleet_json_value(j, "alert", alert, sizeof alert);
        fleet_json_value(j, "clock_trusted", clock_ok, sizeof clock_ok);
        fleet_json_value(j, "power", power, sizeof power);
        fleet_json_value(j, "interval_s", interval, sizeof interval);
        free(json);
        int64_t seen = 0;
        long every = strtol(interval, NULL, 10);
        every = every >= 30 && every <= 86400 ? every : 300; /* the configuration's range */
        int stale = clock_parse_iso(reported, &seen) != 0 || now_ms - seen > 2 * every * 1000;
        stale_n += stale;
        fprintf(out, "<tr%s><td>", stale ? " class=\"stale\"" : "");
        html(out, name);
        fputs("</td><td>", out);
        html(out, site);
        fputs("</td><td>", out);
        html(out, reported[0] ? reported : "nie");
        if (stale) {
            fputs(" <strong>(veraltet)</strong>", out);
        }
        fputs("</td><td>", out);
        html(out, version);
        fputs("</td><td class=\"alert\">", out);
        html(out, alert);
        fprintf(out, "</td><td>%s</td><td>%s</td><td>",
                !strcmp(clock_ok, "true") ? "stimmt" : "unsicher",
                !strcmp(power, "off") ? "aus" : !strcmp(power, "on") ? "an" : "?");
        snprintf(path, sizeof path, "%s/%s/screen.png", dir, screens[i]);
        struct stat st;
        if (stat(path, &st) == 0) {
            fputs("<a href=\"", out);
            href_path(out, prefix ? prefix : "", 1);
            href_path(out, screens[i], 0);
            fputs("/screen.png\"><img alt=\"\" src=\"", out);
            href_path(out, prefix ? prefix : "", 1);
            href_path(out, screens[i], 0);
            fputs("/screen.png\"></a>", out);
        }
        fputs("</td><td>", out);
        char **days;
        snprintf(path, sizeof path, "%s/%s/plays", dir, screens[i]);
        int nd = list(path, 1, &days, NULL);
        for (int d = 0; d < nd; d++) {
            long plays;
            double secs;
            snprintf(path, sizeof path, "%s/%s/plays/%s", dir, screens[i], days[d]);
            day_plays(path, &plays, &secs);
            days[d][strlen(days[d]) - 4] = '\0'; /* without ".csv" */
            html(out, days[d]);
            fprintf(out, ": %ld Seiten, %ld:%02ld h<br>\n", plays, (long)(secs / 3600),
                    (long)secs % 3600 / 60);
        }
        free_list(days, nd > 0 ? nd : 0);
        fputs("</td></tr>\n", out);
    }
    fprintf(out, "</table>\n<p>%d von %d Bildschirmen veraltet (länger als zwei "
                 "Meldeabstände still).</p>\n</body></html>\n",
            stale_n, n);
    free_list(screens, n);
    return n;
}
