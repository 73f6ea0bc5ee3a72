/* report: one worker thread that sleeps on a condition variable until the next status
 * is due, a reason arrives, or the play batch is due for the disk (every
 * REPORT_FLUSH_MS). A cycle is: write the plays; PUT status.json; if that worked, PUT the
 * waiting picture and every day of the play log (a past day is removed after a 2xx).
 * A failure ends the cycle and the next try comes after at most a minute, so a dead or
 * slow server costs one bounded request per try and nothing else: the status is rebuilt
 * from the current facts, the picture replaced by a newer one, the plays wait on disk
 * within their bound. Redirects are not followed (a PUT has no business moving), and
 * only https is spoken when the URL is https.
 * Plays are proof for someone else, so their dates must be true: a play is logged only
 * while the display says its clock is trusted (ReportDisplay.clock_trusted, as last
 * told; the others are counted for the status), and while it is not, no day is sent or
 * removed, because which day is past is then unknown (a clock years ahead would make
 * today's growing file look past, removed after its upload and then overwritten on the
 * server by what follows). A day file dated more than a day after the trusted today
 * was written while the clock was wrong: it is sent once and removed like a past day. */
#define _POSIX_C_SOURCE 200809L
#include "report/report.h"

#include "base/log.h"
#include "base/utf8.h"
#include "delivery/sync.h"
#include "report/picture.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <threads.h>
#include <time.h>

#define REPORT_FLUSH_MS 60000 /* plays reach the disk at least this often */
#define REPORT_RETRY_MS 60000 /* after a failed cycle */
#define MAX_DAYS 400

struct Reporter {
    ReportConfig cfg;
    char url[512], screen[64], site[64], state_dir[512], user[128], password_file[512],
        cert[512], key[512], ca_file[512];
    PlayLog *plays;
    thrd_t thread;
    mtx_t lock;
    cnd_t wake;
    int stop;
    atomic_int stopping; /* read by curl's progress callback */
    char reason[32];     /* a status is asked for at once; "" when not */
    ReportDisplay display;
    unsigned char *png; /* the waiting picture, or NULL */
    size_t png_len;
    int64_t screen_due; /* mono ms when the next picture is wanted */
    int64_t started;    /* mono ms */
    unsigned long log_seen;
    ReportCounts counts;
    long pictures;       /* taken (the display thread's count) */
    uint32_t *frame;     /* pixels waiting to become the picture, or NULL */
    int frame_w, frame_h;
    int64_t read_ms;     /* what the last read-back cost the display thread */
    int64_t today_sent;  /* mono ms when today's plays were last sent; 0: not yet */
    size_t today_len;    /* and how long they were then */
    char today[11];      /* the day they were of */
    long untrusted;      /* plays not logged while the clock was not trusted, not yet
                            reported */
    Heartbeat beat;
};

void report_defaults(ReportConfig *c)
{
    memset(c, 0, sizeof *c);
    c->interval_s = 300;
    c->picture_s = 3600;
    c->today_s = 3600;
    c->plays_max_bytes = 4096LL * 1024;
    c->connect_timeout_s = 10;
    c->timeout_s = 60;
}

void report_folder_name(const char *name, char *out, size_t len)
{
    size_t o = 0;
    for (const char *s = name ? name : ""; *s && o + 1 < len; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || (c == '.' && o > 0);
        out[o++] = ok ? c : '_';
    }
    out[o] = '\0';
    if (o == 0) {
        snprintf(out, len, "screen");
    }
}

/* ---- the status document ---- */

typedef struct {
    char *s;
    size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            abort();
        }
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

#define PUT_LIT(b, lit) put(b, lit, sizeof lit - 1)

static void putf(Buf *b, const char *fmt, ...) LOG_PRINTF(2, 3);
static void putf(Buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) {
        put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    }
}

/* A JSON string of untrusted text: sanitised (one visible line of valid UTF-8), then
 * quotes, backslashes and any control character escaped. */
static void put_str(Buf *b, const char *raw)
{
    char clean[600];
    log_sanitize(raw ? raw : "", clean, sizeof clean);
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = { '\\', (char)*p };
            put(b, e, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            putf(b, "\\u%04x", *p);
        } else if (*p == '<') { /* so that the document is safe inside HTML too */
            put(b, "\\u003c", 6);
        } else {
            put(b, (const char *)p, 1);
        }
    }
    put(b, "\"", 1);
}

static void put_time(Buf *b, int64_t ms)
{
    if (ms <= 0) {
        put(b, "null", 4);
        return;
    }
    char t[32];
    clock_format_utc(ms, t, sizeof t);
    put_str(b, t);
}

/* The SoC temperature in tenths of a degree from the first thermal zone, or -1000. */
static int soc_temp_dc(void)
{
    FILE *f = fopen("/sys/class/thermal/thermal_zone0/temp", "r");
    long milli = 0;
    int ok = f && fscanf(f, "%ld", &milli) == 1;
    if (f) {
        fclose(f);
    }
    return ok ? (int)(milli / 100) : -1000;
}

static long long system_uptime_s(void)
{
    FILE *f = fopen("/proc/uptime", "r");
    double up = -1;
    if (f) {
        if (fscanf(f, "%lf", &up) != 1) {
            up = -1;
        }
        fclose(f);
    }
    return (long long)up;
}

char *report_status_json(const ReportConfig *c, const ReportDisplay *d, const char *reason,
                         int64_t uptime_ms, const char *notes, char (*log)[240], int n_log)
{
    Buf b = { NULL, 0, 0 };
    int64_t now = c->clock ? c->clock->wall_ms(c->clock) : 0;
    PUT_LIT(&b, "{\n  \"screen\": ");
    put_str(&b, c->screen);
    PUT_LIT(&b, ",\n  \"site\": ");
    put_str(&b, c->site);
    PUT_LIT(&b, ",\n  \"reported\": ");
    put_time(&b, now);
    PUT_LIT(&b, ",\n  \"reason\": ");
    put_str(&b, reason);
    putf(&b, ",\n  \"interval_s\": %d", c->interval_s);
    putf(&b, ",\n  \"content_version\": %lld", d->version);
    PUT_LIT(&b, ",\n  \"content_installed\": ");
    put_time(&b, d->installed_ms);
    PUT_LIT(&b, ",\n  \"alert\": ");
    put_str(&b, d->alert);
    putf(&b, ",\n  \"clock_trusted\": %s", d->clock_trusted ? "true" : "false");
    putf(&b, ",\n  \"power\": \"%s\"", d->screen_on ? "on" : "off");
    PUT_LIT(&b, ",\n  \"page\": ");
    put_str(&b, d->page);
    PUT_LIT(&b, ",\n  \"language\": ");
    put_str(&b, d->lang);
    SyncStatus s;
    if (c->state_dir && sync_read_status(c->state_dir, &s) == 0 && s.last_attempt_ms > 0) {
        PUT_LIT(&b, ",\n  \"sync\": {\"last_ok\": ");
        put_time(&b, s.last_ok_ms);
        PUT_LIT(&b, ", \"last_attempt\": ");
        put_time(&b, s.last_attempt_ms);
        PUT_LIT(&b, ", \"offline_since\": ");
        put_time(&b, s.offline_since_ms);
        PUT_LIT(&b, ", \"error\": ");
        put_str(&b, s.last_error);
        PUT_LIT(&b, "}");
    } else {
        PUT_LIT(&b, ",\n  \"sync\": null");
    }
    PUT_LIT(&b, ",\n  \"usb\": ");
    if (d->usb[0]) {
        PUT_LIT(&b, "{\"at\": ");
        put_time(&b, d->usb_ms);
        PUT_LIT(&b, ", \"outcome\": ");
        put_str(&b, d->usb);
        PUT_LIT(&b, "}");
    } else {
        PUT_LIT(&b, "null");
    }
    putf(&b, ",\n  \"running_s\": %lld", (long long)(uptime_ms / 1000));
    putf(&b, ",\n  \"uptime_s\": %lld", system_uptime_s());
    struct statvfs vfs;
    if (c->state_dir && statvfs(c->state_dir, &vfs) == 0) {
        putf(&b, ",\n  \"disk_free_mb\": %lld",
             (long long)((unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024 * 1024)));
    } else {
        PUT_LIT(&b, ",\n  \"disk_free_mb\": null");
    }
    int t = soc_temp_dc();
    if (t > -1000) {
        putf(&b, ",\n  \"soc_temp_c\": %d.%d", t / 10, (t < 0 ? -t : t) % 10);
    } else {
        PUT_LIT(&b, ",\n  \"soc_temp_c\": null");
    }
    PUT_LIT(&b, ",\n  \"notes\": ");
    put_str(&b, notes);
    PUT_LIT(&b, ",\n  \"log\": [");
    for (int i = 0; i < n_log; i++) {
        put(&b, i ? ",\n    " : "\n    ", i ? 6 : 5);
        put_str(&b, log[i]);
    }
    put(&b, n_log ? "\n  ]\n}\n" : "]\n}\n", n_log ? 7 : 4);
    return b.s;
}

/* ---- HTTP PUT ---- */

typedef struct {
    const unsigned char *data;
    size_t len, at;
    Reporter *r;
    size_t answer; /* bytes of the answer's headers and body so far */
} Upload;

/* What a server may answer to a PUT (headers and body): a few hundred bytes is usual; a
 * server that sends more (an endless body or header stream) is cut off at once instead
 * of holding the worker and the line until the timeout, and that PUT counts as failed. */
#define REPORT_MAX_ANSWER (64 * 1024)

static size_t on_read(char *buf, size_t size, size_t n, void *ctx)
{
    Upload *u = ctx;
    size_t want = size * n, left = u->len - u->at;
    size_t k = want < left ? want : left;
    memcpy(buf, u->data + u->at, k);
    u->at += k;
    return k;
}

/* The server's answer body and headers are not needed, only counted against the cap
 * (returning less than given aborts the transfer). */
static size_t on_answer(char *buf, size_t size, size_t n, void *ctx)
{
    (void)buf;
    Upload *u = ctx;
    u->answer += size * n;
    return u->answer > REPORT_MAX_ANSWER ? 0 : size * n;
}

static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    Upload *u = ctx;
    if (u->r->cfg.clock) {
        heartbeat_beat(&u->r->beat, u->r->cfg.clock->mono_ms(u->r->cfg.clock));
    }
    return atomic_load(&u->r->stopping) ? 1 : 0;
}

/* The password: the first line of password_file, read at each request (a changed file
 * counts at once). Returns 0, or -1 (logged). */
static int read_password(const Reporter *r, char *buf, size_t len)
{
    FILE *f = fopen(r->password_file, "r");
    if (!f || !fgets(buf, (int)len, f)) {
        log_warn("report", "cannot read the report password from %s: %s", r->password_file,
                 f ? "empty" : strerror(errno));
        if (f) {
            fclose(f);
        }
        return -1;
    }
    int next = strchr(buf, '\n') || feof(f) ? EOF : fgetc(f);
    int whole = next == EOF || next == '\n' || next == '\r';
    fclose(f);
    if (!whole) { /* cut, it would only be refused with a misleading message */
        log_warn("report", "the report password in %s is longer than %zu bytes: not used",
                 r->password_file, len - 1);
        memset(buf, 0, len);
        return -1;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* The URL as it may be logged: sanitised, and without a user:password@ part (curl takes
 * one from report_url too, and journald is no place for it). */
static void url_for_log(const char *url, char *out, size_t len)
{
    log_sanitize(url, out, len);
    char *host = strstr(out, "://");
    host = host ? host + 3 : out;
    char *at = strchr(host, '@'), *slash = strchr(host, '/');
    if (at && (!slash || at < slash)) {
        memmove(host, at + 1, strlen(at + 1) + 1);
    }
}

/* PUTs data to <url>/<screen>/<name>. Returns the HTTP status (2xx: stored), or 0 when
 * there was no answer (logged either way when not 2xx). */
static long put_file(Reporter *r, const char *name, const char *type, const void *data,
                     size_t len)
{
    char url[1200], cerr[CURL_ERROR_SIZE] = "", pw[256] = "";
    snprintf(url, sizeof url, "%s%s%s/%s", r->url,
             r->url[0] && r->url[strlen(r->url) - 1] == '/' ? "" : "/", r->screen, name);
    if (r->user[0] && read_password(r, pw, sizeof pw) != 0) {
        return 0;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        return 0;
    }
    Upload u = { data, len, 0, r, 0 };
    char ctype[80];
    snprintf(ctype, sizeof ctype, "Content-Type: %s", type);
    struct curl_slist *hdr = curl_slist_append(NULL, ctype);
    hdr = curl_slist_append(hdr, "Expect:"); /* small bodies: no 100-continue round trip */
    int tls = strncmp(r->url, "https://", 8) == 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_answer);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &u);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_answer);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &u);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &u);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, tls ? "https" : "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* a PUT is never redirected */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, r->cfg.connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, r->cfg.timeout_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 100L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 20L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "litfass/0.1");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (r->ca_file[0]) {
        curl_easy_setopt(h, CURLOPT_CAINFO, r->ca_file);
    }
    if (r->user[0]) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, r->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, pw);
    }
    if (r->cert[0]) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, r->cert);
        curl_easy_setopt(h, CURLOPT_SSLKEY, r->key[0] ? r->key : r->cert);
    }
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    int page = 0; /* a 200 that is a web page: not a stored PUT (below) */
    if (rc == CURLE_OK) {
        char *ct = NULL;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
        page = code == 200 && ct && strncasecmp(ct, "text/html", 9) == 0;
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    memset(pw, 0, sizeof pw);
    mtx_lock(&r->lock);
    r->counts.last_http = code;
    mtx_unlock(&r->lock);
    if (atomic_load(&r->stopping)) {
        return 0;
    }
    char where[700];
    url_for_log(url, where, sizeof where);
    if (rc != CURLE_OK && u.answer > REPORT_MAX_ANSWER) {
        log_warn("report", "no report to %s: its answer went on past %d KB, cut off", where,
                 REPORT_MAX_ANSWER / 1024);
    } else if (rc != CURLE_OK) {
        log_warn("report", "no report to %s: %s", where, cerr[0] ? cerr : curl_easy_strerror(rc));
    } else if (code == 401 || code == 403) {
        log_warn("report", "%s refused the report credentials (HTTP %ld): check report_user, "
                 "report_password_file or report_cert", where, code);
    } else if (code < 200 || code > 299) {
        log_warn("report", "%s answered HTTP %ld", where, code);
    } else if (page) {
        /* what a captive portal (or a web server without PUT) says to anything on an
         * http URL; a server that stored a PUT answers 201 or 204 (WebDAV) or 200 with
         * no page (S3). Taken as not stored, so that no play is removed for it. */
        log_warn("report", "%s answered HTTP 200 with a web page, not as a store of the file: "
                 "taken as not stored (a captive portal? a server without WebDAV PUT?)",
                 where);
        return 0;
    }
    return code;
}

/* ---- the worker ---- */

static int64_t mono(const Reporter *r)
{
    return r->cfg.clock->mono_ms(r->cfg.clock);
}

/* Today's day name by the wall clock into today (11 bytes) when the display trusts its
 * clock; returns NULL (today "") when it does not. */
static const char *trusted_today(Reporter *r, char *today)
{
    mtx_lock(&r->lock);
    int trusted = r->display.clock_trusted;
    mtx_unlock(&r->lock);
    today[0] = '\0';
    int64_t wall = r->cfg.clock->wall_ms(r->cfg.clock);
    if (!trusted || wall < 0 || wall > 253402128000000LL) { /* no four-digit year */
        return NULL;
    }
    struct tm t;
    clock_local(wall, &t);
    char ymd[48];
    snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
    memcpy(today, ymd, 10);
    today[10] = '\0';
    return today;
}

/* Sends the waiting plays of every day on disk while the clock is trusted: today's at
 * most every today_s (it grows), tomorrow's not yet (only a change of time zone makes
 * one), any other once, removed when confirmed (a past day, or a stray of a wrong
 * clock). */
static int send_plays(Reporter *r)
{
    char days[MAX_DAYS][11], today[11], name[40];
    if (!trusted_today(r, today)) {
        return 0; /* they wait on disk */
    }
    if (strcmp(today, r->today) != 0) { /* a new day: its file is new */
        memcpy(r->today, today, sizeof r->today);
        r->today_sent = 0;
        r->today_len = 0;
    }
    int64_t today_every = (int64_t)r->cfg.today_s * 1000;
    int n = playlog_days(r->plays, days, MAX_DAYS);
    for (int i = 0; i < n && !atomic_load(&r->stopping); i++) {
        int after = playlog_days_after(days[i], today);
        int is_today = after == 0;
        if (after == 1) {
            continue;
        }
        if (is_today && r->today_sent > 0 && mono(r) - r->today_sent < today_every) {
            continue; /* a growing file sent whole each time: hourly is enough */
        }
        char *buf;
        size_t len;
        if (playlog_read_day(r->plays, days[i], &buf, &len) != 0) {
            continue;
        }
        if (is_today && len == r->today_len && r->today_sent > 0) {
            free(buf); /* nothing shown since */
            continue;
        }
        snprintf(name, sizeof name, "plays/%.10s.csv", days[i]);
        long code = put_file(r, name, "text/csv; charset=utf-8", buf, len);
        free(buf);
        int ok = code >= 200 && code <= 299;
        mtx_lock(&r->lock);
        if (ok) {
            r->counts.plays_ok++;
        } else {
            r->counts.plays_failed++;
        }
        mtx_unlock(&r->lock);
        if (!ok) {
            return -1;
        }
        if (!is_today) {
            if (after > 1) {
                log_warn("report", "play log %.10s.csv is dated after today (%s): written while "
                         "the clock was wrong; sent, then removed", days[i], today);
            }
            playlog_remove_day(r->plays, days[i]);
        } else {
            r->today_sent = mono(r);
            r->today_len = len;
        }
    }
    return 0;
}

/* One cycle. Returns 0 when everything was delivered. */
static int cycle(Reporter *r, const char *reason)
{
    char notes[400], all[520], log[LOG_RECENT][LOG_RECENT_BYTES];
    playlog_note(r->plays, notes, sizeof notes);
    mtx_lock(&r->lock);
    long untrusted = r->untrusted;
    mtx_unlock(&r->lock);
    if (untrusted > 0) {
        snprintf(all, sizeof all, "%s%s%ld plays not logged: the clock was not trusted", notes,
                 notes[0] ? "; " : "", untrusted);
    } else {
        snprintf(all, sizeof all, "%s", notes);
    }
    unsigned long seen = r->log_seen;
    int n_log = log_recent(&seen, log, LOG_RECENT);
    ReportDisplay d;
    mtx_lock(&r->lock);
    d = r->display;
    mtx_unlock(&r->lock);
    char *json = report_status_json(&r->cfg, &d, reason, mono(r) - r->started, all, log,
                                    n_log);
    long code = put_file(r, "status.json", "application/json", json, strlen(json));
    free(json);
    int ok = code >= 200 && code <= 299;
    mtx_lock(&r->lock);
    if (ok) {
        r->counts.status_ok++;
    } else {
        r->counts.status_failed++;
    }
    mtx_unlock(&r->lock);
    if (!ok) {
        return -1; /* the log lines and notes go with the next status that arrives */
    }
    r->log_seen = seen;
    if (notes[0]) {
        playlog_clear_note(r->plays, notes);
    }
    mtx_lock(&r->lock);
    r->untrusted -= untrusted; /* those counted since go with the next status */
    mtx_unlock(&r->lock);
    mtx_lock(&r->lock);
    unsigned char *png = r->png;
    size_t png_len = r->png_len;
    r->png = NULL;
    mtx_unlock(&r->lock);
    if (png) {
        code = put_file(r, "screen.png", "image/png", png, png_len);
        mtx_lock(&r->lock);
        if (code >= 200 && code <= 299) {
            r->counts.screens_ok++;
            free(png);
        } else if (!r->png) { /* keep it for the next try unless a newer one came */
            r->png = png;
            r->png_len = png_len;
        } else {
            free(png);
        }
        mtx_unlock(&r->lock);
    }
    return send_plays(r);
}

static void encode_frame(Reporter *r);

static int worker(void *arg)
{
    Reporter *r = arg;
    int64_t next_status = mono(r), next_flush = mono(r) + REPORT_FLUSH_MS;
    char reason[32] = "start";
    for (;;) {
        mtx_lock(&r->lock);
        for (;;) {
            int64_t now = mono(r);
            if (r->stop || r->reason[0] || r->frame || now >= next_status ||
                now >= next_flush) {
                break;
            }
            int64_t until = next_status < next_flush ? next_status : next_flush;
            struct timespec ts;
            timespec_get(&ts, TIME_UTC);
            int64_t wait = until - now;
            ts.tv_sec += wait / 1000;
            ts.tv_nsec += (long)(wait % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            cnd_timedwait(&r->wake, &r->lock, &ts);
        }
        int stop = r->stop;
        if (r->reason[0]) {
            snprintf(reason, sizeof reason, "%s", r->reason);
            r->reason[0] = '\0';
            next_status = 0;
        }
        mtx_unlock(&r->lock);
        if (stop) {
            break;
        }
        heartbeat_beat(&r->beat, mono(r));
        encode_frame(r);
        char today[11];
        playlog_flush(r->plays, trusted_today(r, today));
        next_flush = mono(r) + REPORT_FLUSH_MS;
        if (mono(r) >= next_status) {
            int failed = cycle(r, reason[0] ? reason : "interval") != 0;
            int64_t every = (int64_t)r->cfg.interval_s * 1000;
            next_status = mono(r) + (failed && every > REPORT_RETRY_MS ? REPORT_RETRY_MS : every);
            reason[0] = '\0';
        }
        heartbeat_idle(&r->beat);
    }
    return 0;
}

/* Says once, at the start, when a secret of the reports (the password file, the client
 * certificate's key) can be read by every user of the machine: it still works (the
 * screen goes on reporting), but anyone with a shell on the board could write reports. */
static void warn_if_open(const char *what, const char *path)
{
    struct stat st;
    if (path[0] && stat(path, &st) == 0 && (st.st_mode & S_IROTH)) {
        log_warn("report", "%s %s can be read by every user of this machine (mode %04o): "
                 "make it 0600, owned by the service user", what, path,
                 (unsigned)(st.st_mode & 07777));
    }
}

static once_flag curl_once = ONCE_FLAG_INIT;

static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before the thread: it is not thread-safe */
}

int report_start(const ReportConfig *c, Reporter **out)
{
    *out = NULL;
    call_once(&curl_once, curl_init);
    Reporter *r = calloc(1, sizeof *r);
    if (!r) {
        abort();
    }
    r->cfg = *c;
#define COPY(f) snprintf(r->f, sizeof r->f, "%s", c->f ? c->f : "")
    COPY(url);
    COPY(site);
    COPY(state_dir);
    COPY(user);
    COPY(password_file);
    COPY(cert);
    COPY(key);
    COPY(ca_file);
#undef COPY
    report_folder_name(c->screen, r->screen, sizeof r->screen);
    if (r->user[0]) {
        warn_if_open("report_password_file", r->password_file);
        if (strncmp(r->url, "https://", 8) != 0) {
            log_warn("report", "report_url is not https: the report password goes over the "
                     "network in clear text");
        }
    }
    warn_if_open("report_key", r->key[0] ? r->key : r->cert);
    r->cfg.url = r->url;
    r->cfg.screen = r->screen;
    r->cfg.site = r->site;
    r->cfg.state_dir = r->state_dir;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/plays", r->state_dir);
    if (playlog_open(dir, c->plays_max_bytes, &r->plays) != 0) {
        free(r);
        return -1;
    }
    mtx_init(&r->lock, mtx_plain);
    cnd_init(&r->wake);
    r->started = mono(r);
    r->screen_due = r->started;
    snprintf(r->reason, sizeof r->reason, "start");
    if (thrd_create(&r->thread, worker, r) != thrd_success) {
        playlog_close(r->plays);
        mtx_destroy(&r->lock);
        cnd_destroy(&r->wake);
        free(r);
        return -1;
    }
    char where[600];
    url_for_log(r->url, where, sizeof where); /* no password of the URL in the log */
    log_msg("report", "reporting to %s as %s every %d s", where, r->screen, r->cfg.interval_s);
    *out = r;
    return 0;
}

void report_stop(Reporter *r)
{
    if (!r) {
        return;
    }
    atomic_store(&r->stopping, 1);
    mtx_lock(&r->lock);
    r->stop = 1;
    cnd_signal(&r->wake);
    mtx_unlock(&r->lock);
    thrd_join(r->thread, NULL);
    char today[11];
    playlog_flush(r->plays, trusted_today(r, today)); /* the last plays reach the disk */
    playlog_close(r->plays);
    mtx_destroy(&r->lock);
    cnd_destroy(&r->wake);
    free(r->png);
    free(r->frame);
    free(r);
}

void report_display(Reporter *r, const ReportDisplay *d)
{
    mtx_lock(&r->lock);
    r->display = *d;
    mtx_unlock(&r->lock);
}

void report_now(Reporter *r, const char *reason)
{
    mtx_lock(&r->lock);
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    cnd_signal(&r->wake);
    mtx_unlock(&r->lock);
}

void report_play(Reporter *r, const PlayEntry *e)
{
    mtx_lock(&r->lock);
    int trusted = r->display.clock_trusted;
    if (!trusted) {
        r->untrusted++;
    }
    mtx_unlock(&r->lock);
    if (trusted) {
        playlog_add(r->plays, e);
    }
}

int report_wants_screen(Reporter *r)
{
    mtx_lock(&r->lock);
    int64_t now = mono(r);
    int want = r->cfg.picture_s > 0 && now >= r->screen_due;
    if (want) {
        r->screen_due = now + (int64_t)r->cfg.picture_s * 1000;
    }
    mtx_unlock(&r->lock);
    return want;
}

void report_screen(Reporter *r, unsigned char *png, size_t len)
{
    mtx_lock(&r->lock);
    free(r->png);
    r->png = png;
    r->png_len = len;
    mtx_unlock(&r->lock);
}

void report_picture_cost(Reporter *r, int64_t ms)
{
    mtx_lock(&r->lock);
    r->read_ms = ms;
    mtx_unlock(&r->lock);
}

void report_frame(Reporter *r, uint32_t *argb, int w, int h)
{
    mtx_lock(&r->lock);
    free(r->frame);
    r->frame = argb;
    r->frame_w = w;
    r->frame_h = h;
    cnd_signal(&r->wake); /* encoded now: the frame's memory is not held until the status */
    mtx_unlock(&r->lock);
}

/* Shrinks and encodes a waiting frame into the waiting picture (worker thread). */
static void encode_frame(Reporter *r)
{
    mtx_lock(&r->lock);
    uint32_t *px = r->frame;
    int w = r->frame_w, h = r->frame_h;
    int64_t read_ms = r->read_ms;
    r->frame = NULL;
    mtx_unlock(&r->lock);
    if (!px) {
        return;
    }
    unsigned char *png;
    size_t len;
    int ow, oh;
    int64_t t0 = mono(r);
    int rc = picture_png(px, w, h, REPORT_PICTURE_SIDE, &png, &len, &ow, &oh);
    free(px);
    if (rc != 0) {
        log_warn("report", "the screen picture could not be encoded");
        return;
    }
    if (!r->pictures++ || read_ms > 50) {
        log_msg("report", "screen picture %dx%d, %zu bytes: %lld ms on the display thread (read "
                "back), %lld ms on the report thread (shrink, PNG)", ow, oh, len,
                (long long)read_ms, (long long)(mono(r) - t0));
    }
    report_screen(r, png, len);
}

const Heartbeat *report_heartbeat(const Reporter *r)
{
    return r ? &r->beat : NULL;
}

void report_counts(Reporter *r, ReportCounts *out)
{
    mtx_lock(&r->lock);
    *out = r->counts;
    mtx_unlock(&r->lock);
}
