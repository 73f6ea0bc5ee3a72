/* sync: the server side is any static web server: latest.minisig is the signature
 * of the newest bundle and so a signed manifest. The kiosk asks for it with
 * If-None-Match; only when it names a newer version does it fetch the bundle, into
 * state/sync/, resuming with Range + If-Range (so a file replaced on the server
 * between two attempts is fetched whole again, never spliced), and never more bytes
 * than the signature names. Nothing fetched is trusted before bundle_install. */
#define _POSIX_C_SOURCE 200809L
#include "delivery/sync.h"

#include "base/clock.h"
#include "base/heartbeat.h"
#include "base/log.h"
#include "base/ui.h"
#include "base/utf8.h"
#include "delivery/alertfile.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static once_flag curl_once = ONCE_FLAG_INIT;

static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void sync_defaults(SyncConfig *c)
{
    memset(c, 0, sizeof *c);
    c->max_bytes = BUNDLE_DEFAULT_MAX_BYTES;
    c->connect_timeout_s = 10;
    c->low_speed_bps = 1000;
    c->low_speed_time_s = 20;
}

static int64_t now_ms(void)
{
    Clock c = clock_system();
    return c.wall_ms(&c);
}

typedef struct {
    FILE *f;
    long long written, cap;
    int over;
    char etag[256];
    volatile int *stop;
    Heartbeat *beat; /* NULL when no one watches (litfassctl) */
    CURL *h;
    long long offset; /* resuming from here */
    int checked;
} Transfer;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    Transfer *t = ud;
    size_t len = size * n;
    if (!t->checked) {
        t->checked = 1;
        long status = 0;
        curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &status);
        if (t->offset > 0 && status == 200) {
            /* the server sends the whole file (it changed since the partial download,
             * or it ignores ranges): start the file over, never splice */
            fflush(t->f);
            if (ftruncate(fileno(t->f), 0) != 0 || fseek(t->f, 0, SEEK_SET) != 0) {
                return 0;
            }
            t->cap += t->offset;
            t->offset = 0;
        }
    }
    if (t->written + (long long)len > t->cap) {
        t->over = 1;
        return 0; /* abort: more than the signed size */
    }
    if (fwrite(p, 1, len, t->f) != len) {
        return 0;
    }
    t->written += (long long)len;
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    Transfer *t = ud;
    size_t len = size * n;
    if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
        const char *v = p + 5;
        size_t vl = len - 5;
        while (vl && (*v == ' ' || *v == '\t')) {
            v++, vl--;
        }
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ')) {
            vl--;
        }
        if (vl < sizeof t->etag) {
            memcpy(t->etag, v, vl);
            t->etag[vl] = '\0';
        }
    }
    return len;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    Transfer *t = ud;
    if (t->beat) { /* libcurl calls this about once a second, stalled or not */
        Clock sys = clock_system();
        heartbeat_beat(t->beat, sys.mono_ms(&sys));
    }
    return t->stop && *t->stop ? 1 : 0;
}

/* GET url into f (appending from offset when resuming). Returns the HTTP status, or
 * -1 with err on a transport failure. */
static long http_get(const SyncConfig *c, const char *url, FILE *f, long long cap,
                     const char *if_none_match, const char *if_range, long long offset,
                     volatile int *stop, char *etag, size_t etag_len, int *over, char *err,
                     size_t errlen)
{
    call_once(&curl_once, curl_init);
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "cannot start libcurl");
        return -1;
    }
    Transfer t = { f, 0, cap, 0, "", stop, c->beat, h, if_range && *if_range ? offset : 0, 0 };
    struct curl_slist *hdr = NULL;
    char line[400], cerr[CURL_ERROR_SIZE] = "";
    if (if_none_match && *if_none_match) {
        snprintf(line, sizeof line, "If-None-Match: %s", if_none_match);
        hdr = curl_slist_append(hdr, line);
    }
    if (if_range && *if_range && offset > 0) {
        snprintf(line, sizeof line, "If-Range: %s", if_range);
        hdr = curl_slist_append(hdr, line);
        /* a plain Range header, not RESUME_FROM: libcurl must accept a 200 answer */
        char range[48]; /* libcurl copies option strings */
        snprintf(range, sizeof range, "%lld-", offset);
        curl_easy_setopt(h, CURLOPT_RANGE, range);
        cap += offset; /* a full 200 answer may be as large as the whole file */
        t.cap = cap - offset;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* An https sync URL promises TLS all the way: a redirect may not lead to plain
     * http (a hostile or misconfigured server could otherwise hand the bundle and
     * the manifest's conditional requests to anyone on the path). Plain http URLs
     * may still be moved to https. */
    int tls = strncasecmp(url, "https://", 8) == 0;
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, tls ? "https" : "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, tls ? "https" : "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, c->low_speed_bps);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->low_speed_time_s);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cap);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "litfass/0.1");
    /* TLS verification stays on; an extra CA file may be named */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->ca_file && *c->ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    }
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    char where[300] = "";
    if (rc == CURLE_UNSUPPORTED_PROTOCOL && tls) {
        /* the refused hop: say where the server wanted to send us */
        const char *to = NULL;
        if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &to) != CURLE_OK || !to) {
            curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &to);
        }
        utf8_copy_cut(where, sizeof where, to ? to : "");
    }
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    if (etag) {
        snprintf(etag, etag_len, "%s", t.etag);
    }
    *over = t.over || rc == CURLE_FILESIZE_EXCEEDED;
    if (rc == CURLE_UNSUPPORTED_PROTOCOL && tls) {
        utf8_format_cut(err, errlen,
                        "%s: the server redirects to %s, which is not https; refused (an "
                        "https sync_url only follows redirects to https: fix the server's "
                        "redirect or the sync_url)",
                        url, where[0] ? where : "a non-https address");
        return -1;
    }
    if (rc != CURLE_OK) {
        utf8_format_cut(err, errlen, "%s: %s", url,
                        *over ? "more bytes than the signature names"
                        : cerr[0] ? cerr
                                  : curl_easy_strerror(rc));
        return -1;
    }
    return status;
}

static void path_in(const SyncConfig *c, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/sync/%s", c->state_dir, name);
}

static void read_small(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(buf, (int)len, f)) {
            buf[strcspn(buf, "\r\n")] = '\0';
        }
        fclose(f);
    }
}

static void write_small(const char *path, const char *text)
{
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        return;
    }
    fputs(text, f);
    fflush(f);
    fsync(fileno(f));
    fclose(f);
    rename(tmp, path);
}

int sync_read_status(const char *state_dir, SyncStatus *s)
{
    char path[4200], line[700];
    memset(s, 0, sizeof *s);
    snprintf(path, sizeof path, "%s/sync/status", state_dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq) {
            continue;
        }
        *eq = '\0';
        const char *v = eq + 1;
        if (!strcmp(line, "last_ok")) s->last_ok_ms = atoll(v);
        else if (!strcmp(line, "last_attempt")) s->last_attempt_ms = atoll(v);
        else if (!strcmp(line, "last_update")) s->last_update_ms = atoll(v);
        else if (!strcmp(line, "offline_since")) s->offline_since_ms = atoll(v);
        else if (!strcmp(line, "last_version")) s->last_version = atoll(v);
        else if (!strcmp(line, "last_error")) utf8_copy_cut(s->last_error, sizeof s->last_error, v);
    }
    fclose(f);
    return 0;
}

static void record(const SyncConfig *c, const SyncOutcome *o)
{
    SyncStatus s;
    char path[4200], text[1200];
    sync_read_status(c->state_dir, &s);
    int64_t now = now_ms();
    s.last_attempt_ms = now;
    int reached = o->kind != SYNC_FAILED || o->http_status > 0;
    if (reached) {
        s.last_ok_ms = now;
        s.offline_since_ms = 0;
    } else if (s.offline_since_ms == 0) {
        s.offline_since_ms = now;
    }
    if (o->kind == SYNC_INSTALLED) {
        s.last_update_ms = now;
        s.last_version = o->version;
    }
    if (o->kind == SYNC_FAILED) {
        utf8_copy_cut(s.last_error, sizeof s.last_error, o->detail);
    }
    snprintf(text, sizeof text,
             "last_attempt=%lld\nlast_ok=%lld\nlast_update=%lld\nlast_version=%lld\n"
             "offline_since=%lld\nlast_error=%s\n",
             s.last_attempt_ms, s.last_ok_ms, s.last_update_ms, s.last_version,
             s.offline_since_ms, s.last_error);
    path_in(c, "status", path, sizeof path);
    write_small(path, text);
}

void sync_status_mark(const SyncStatus *s, char *buf, size_t len)
{
    char t[16];
    buf[0] = '\0';
    if (s->last_attempt_ms == 0) {
        return;
    }
    if (s->offline_since_ms) {
        ui_format_time(s->offline_since_ms, t, sizeof t);
        snprintf(buf, len, ui_str(UI_OFFLINE_SINCE), t);
    } else if (s->last_update_ms) {
        ui_format_time(s->last_update_ms, t, sizeof t);
        snprintf(buf, len, ui_str(UI_ONLINE_UPDATED), t);
    } else {
        snprintf(buf, len, "%s", ui_str(UI_ONLINE));
    }
}

static int fail(SyncOutcome *o, long status, BundleResult r, const char *fmt, const char *a)
{
    o->kind = SYNC_FAILED;
    o->http_status = status;
    o->result = r;
    utf8_format_cut(o->detail, sizeof o->detail, fmt, a);
    return -1;
}

static int cycle(const SyncConfig *c, SyncOutcome *o, volatile int *stop)
{
    char dir[4200], url[1400], sig_path[4200], etag_path[4200], etag[256], new_etag[256],
        err[600];
    BundleState st;
    bundle_state(c->state_dir, &st, err, sizeof err);
    o->version = st.current_version;
    snprintf(dir, sizeof dir, "%s/sync", c->state_dir);
    mkdir(c->state_dir, 0755);
    mkdir(dir, 0700);

    /* 1. the manifest, conditionally */
    path_in(c, "latest.minisig", sig_path, sizeof sig_path);
    path_in(c, "latest.etag", etag_path, sizeof etag_path);
    read_small(etag_path, etag, sizeof etag);
    if (access(sig_path, F_OK) != 0) {
        etag[0] = '\0'; /* no copy to fall back on: ask unconditionally */
    }
    char part[4300];
    snprintf(part, sizeof part, "%s.part", sig_path);
    FILE *f = fopen(part, "wb");
    if (!f) {
        return fail(o, 0, BUNDLE_IO, "%s: cannot write", part);
    }
    snprintf(url, sizeof url, "%s/latest.minisig", c->url);
    int over;
    long status = http_get(c, url, f, BUNDLE_MAX_SIG_BYTES, etag, NULL, 0, stop, new_etag,
                           sizeof new_etag, &over, err, sizeof err);
    fclose(f);
    if (status < 0 || (status != 200 && status != 304)) {
        unlink(part);
        if (status > 0) {
            utf8_format_cut(err, sizeof err, "%s: HTTP %ld", url, status);
        }
        return fail(o, status > 0 ? status : 0, BUNDLE_IO, "%s", err);
    }
    o->http_status = status;
    if (status == 304) {
        unlink(part);
        o->kind = SYNC_NOT_MODIFIED;
        utf8_format_cut(o->detail, sizeof o->detail, "%s: not modified", url);
        return 0;
    }
    TrustedInfo info;
    BundleResult r = bundle_peek(part, c->ring, &info, err, sizeof err);
    if (r != BUNDLE_OK) {
        unlink(part);
        return fail(o, status, r, "%s", err);
    }
    rename(part, sig_path);
    write_small(etag_path, new_etag);
    if (info.version <= st.highest) {
        o->kind = SYNC_UP_TO_DATE;
        snprintf(o->detail, sizeof o->detail, "the server's version %lld is not newer than %lld",
                 info.version, st.highest);
        return 0;
    }
    if (info.size > c->max_bytes) {
        utf8_format_cut(err, sizeof err, "%s: %lld bytes, more than the allowed %lld", info.file,
                 info.size, c->max_bytes);
        return fail(o, status, BUNDLE_TOO_LARGE, "%s", err);
    }
    /* 2. the bundle it names, resuming a partial download when the server's file is
     * still the same one */
    char file[4400], file_etag_path[4500], file_etag[256], sig_copy[4600];
    if (strchr(info.file, '/') || info.file[0] == '.') {
        return fail(o, status, BUNDLE_BAD_NAME, "manifest names an unsafe file '%s'", info.file);
    }
    snprintf(file, sizeof file, "%s/%s", dir, info.file);
    snprintf(file_etag_path, sizeof file_etag_path, "%s.etag", file);
    read_small(file_etag_path, file_etag, sizeof file_etag);
    struct stat fs;
    long long have = stat(file, &fs) == 0 ? (long long)fs.st_size : 0;
    if (have > 0 && (!file_etag[0] || have >= info.size)) {
        have = 0; /* no validator, or nothing left: start over */
    }
    f = fopen(file, have > 0 ? "ab" : "wb");
    if (!f) {
        return fail(o, status, BUNDLE_IO, "%s: cannot write", file);
    }
    snprintf(url, sizeof url, "%s/%s", c->url, info.file);
    long s2 = http_get(c, url, f, info.size - have, NULL, file_etag, have, stop, new_etag,
                       sizeof new_etag, &over, err, sizeof err);
    fclose(f);
    write_small(file_etag_path, new_etag);
    if (s2 < 0 || over) {
        if (over) { /* never keep bytes beyond what was signed */
            unlink(file);
            unlink(file_etag_path);
        }
        return fail(o, s2 < 0 ? 0 : s2, over ? BUNDLE_TOO_LARGE : BUNDLE_IO, "%s", err);
    }
    if (s2 != 200 && s2 != 206) {
        unlink(file);
        unlink(file_etag_path);
        utf8_format_cut(err, sizeof err, "%s: HTTP %ld", url, s2);
        return fail(o, s2, BUNDLE_IO, "%s", err);
    }
    stat(file, &fs);
    if (fs.st_size != info.size) {
        utf8_format_cut(err, sizeof err, "%s: %lld of %lld bytes so far", info.file,
                 (long long)fs.st_size, info.size);
        return fail(o, s2, BUNDLE_IO, "%s", err); /* resumed next time */
    }
    /* 3. the one install path */
    snprintf(sig_copy, sizeof sig_copy, "%s.minisig", file);
    char cmd_buf[8192];
    FILE *in = fopen(sig_path, "rb"), *outf = fopen(sig_copy, "wb");
    size_t n = in ? fread(cmd_buf, 1, sizeof cmd_buf, in) : 0;
    if (outf) {
        fwrite(cmd_buf, 1, n, outf);
        fclose(outf);
    }
    if (in) {
        fclose(in);
    }
    TrustedInfo got;
    r = bundle_install(c->state_dir, file, c->ring, c->max_bytes, &got, err, sizeof err);
    unlink(file);
    unlink(sig_copy);
    unlink(file_etag_path);
    if (r != BUNDLE_OK) {
        return fail(o, s2, r, "%s", err);
    }
    o->kind = SYNC_INSTALLED;
    o->version = got.version;
    return 0;
}

/* The alert beside the content: its signature is asked for with If-None-Match (a 404
 * means none is published); only a newer version than the installed alert is fetched,
 * at most the signed size, and installed through alertfile. A problem here is said in
 * out->alert_* and never fails the content's cycle. */
static void alert_poll(const SyncConfig *c, SyncOutcome *o, volatile int *stop)
{
    char sig_path[4300], etag_path[4300], etag[256], new_etag[256], url[1400], err[600];
    char part[4400], file[4300], dir[4200];
    o->alert_result = BUNDLE_NO_BUNDLE;
    snprintf(dir, sizeof dir, "%s/sync", c->state_dir);
    path_in(c, ALERT_FILE_NAME ".minisig", sig_path, sizeof sig_path);
    path_in(c, "alert.etag", etag_path, sizeof etag_path);
    path_in(c, ALERT_FILE_NAME, file, sizeof file);
    read_small(etag_path, etag, sizeof etag);
    if (access(sig_path, F_OK) != 0) {
        etag[0] = '\0';
    }
    snprintf(part, sizeof part, "%s.part", sig_path);
    FILE *f = fopen(part, "wb");
    if (!f) {
        return;
    }
    snprintf(url, sizeof url, "%s/%s.minisig", c->url, ALERT_FILE_NAME);
    int over;
    long status = http_get(c, url, f, BUNDLE_MAX_SIG_BYTES, etag, NULL, 0, stop, new_etag,
                           sizeof new_etag, &over, err, sizeof err);
    fclose(f);
    if (status != 200) { /* 304: nothing new; 404: no alert published; else next time */
        unlink(part);
        if (status < 0 || (status != 304 && status != 404)) {
            log_warn("sync", "alert: %s", status < 0 ? err : "unexpected HTTP status");
        }
        return;
    }
    rename(part, sig_path);
    TrustedInfo info;
    Alert cur;
    long long installed = alert_load(c->state_dir, &cur) == 0 ? cur.version : 0;
    BundleResult r = bundle_peek(sig_path, c->ring, &info, err, sizeof err);
    if (r == BUNDLE_OK && info.version <= installed) {
        write_small(etag_path, new_etag); /* the one shown already, or an old one: quiet */
        return;
    }
    if (r == BUNDLE_OK) {
        f = fopen(file, "wb");
        if (!f) {
            return;
        }
        snprintf(url, sizeof url, "%s/%s", c->url, ALERT_FILE_NAME);
        long s2 = http_get(c, url, f, info.size < ALERT_MAX_BYTES ? info.size : ALERT_MAX_BYTES,
                           NULL, NULL, 0, stop, NULL, 0, &over, err, sizeof err);
        fclose(f);
        if (s2 != 200 && !over) {
            unlink(file);
            log_warn("sync", "alert: %s", s2 < 0 ? err : "cannot fetch the alert file");
            return; /* the etag is not kept: asked again next time */
        }
    }
    AlertOutcome ao;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r == BUNDLE_OK && dfd >= 0) {
        r = alertfile_install_at(c->state_dir, dfd, ALERT_FILE_NAME, c->ring, url, &ao);
    } else {
        memset(&ao, 0, sizeof ao);
        utf8_format_cut(ao.detail, sizeof ao.detail, "%s", r == BUNDLE_OK ? dir : err);
        r = r == BUNDLE_OK ? BUNDLE_IO : r;
        utf8_format_cut(ao.message, sizeof ao.message, ui_str(UI_ALERT_NOT_TAKEN),
                        bundle_result_text(r));
    }
    if (dfd >= 0) {
        close(dfd);
    }
    unlink(file);
    write_small(etag_path, new_etag); /* decided: not asked again until it changes */
    o->alert_result = r;
    snprintf(o->alert_detail, sizeof o->alert_detail, "%s", ao.detail);
    if (r != BUNDLE_NOT_NEWER) {
        snprintf(o->alert_message, sizeof o->alert_message, "%s", ao.message);
    }
    log_at(r == BUNDLE_OK || r == BUNDLE_NOT_NEWER ? LOG_LEVEL_INFO : LOG_LEVEL_WARNING, "sync",
           "%s%s%s", ao.message, ao.detail[0] ? " — " : "", ao.detail);
}

static int sync_run(const SyncConfig *c, SyncOutcome *out, volatile int *stop)
{
    memset(out, 0, sizeof *out);
    int rc = cycle(c, out, stop);
    out->alert_result = BUNDLE_NO_BUNDLE;
    if (out->kind != SYNC_FAILED || out->http_status > 0) { /* the server answered */
        alert_poll(c, out, stop);
    }
    switch (out->kind) {
    case SYNC_INSTALLED:
        snprintf(out->message, sizeof out->message, ui_str(UI_UPDATED), out->version);
        break;
    case SYNC_FAILED:
        utf8_format_cut(out->message, sizeof out->message, ui_str(UI_NOT_TAKEN),
                 out->http_status ? bundle_result_text(out->result) : ui_str(UI_OFFLINE));
        break;
    default:
        snprintf(out->message, sizeof out->message, "%s", ui_str(UI_ONLINE));
        break;
    }
    record(c, out);
    return rc;
}

int sync_once(const SyncConfig *c, SyncOutcome *out)
{
    return sync_run(c, out, NULL);
}

struct SyncWorker {
    SyncConfig cfg;
    KeyRing ring;
    char url[1024], state_dir[1024], ca_file[1024];
    int interval_s;
    void (*notify)(void *);
    void *ctx;
    thrd_t thread;
    mtx_t lock;
    cnd_t wake;
    volatile int stop;
    int have;
    SyncOutcome last;
    Heartbeat beat; /* while a cycle runs (and at every transfer progress callback) */
};

static int worker(void *arg)
{
    SyncWorker *w = arg;
    int failures = 0;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)w;
    while (!w->stop) {
        SyncOutcome o;
        Clock c = clock_system();
        heartbeat_beat(&w->beat, c.mono_ms(&c));
        sync_run(&w->cfg, &o, &w->stop);
        heartbeat_idle(&w->beat);
        if (w->stop) {
            break;
        }
        if (o.kind == SYNC_FAILED) {
            log_warn("sync", "%s", o.detail);
        } else if (o.kind == SYNC_INSTALLED) {
            log_msg("sync", "installed version %lld from %s", o.version, w->url);
        }
        mtx_lock(&w->lock);
        w->last = o;
        w->have = 1;
        mtx_unlock(&w->lock);
        if (w->notify) {
            w->notify(w->ctx);
        }
        /* exponential backoff with jitter after failures, the interval otherwise */
        failures = o.kind == SYNC_FAILED ? failures + 1 : 0;
        double wait = w->interval_s;
        if (failures) {
            wait = 15.0 * (1 << (failures < 8 ? failures - 1 : 7));
            if (wait > 3600) {
                wait = 3600;
            }
        }
        wait *= 0.8 + 0.4 * (rand_r(&seed) / (double)RAND_MAX);
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        ts.tv_sec += (time_t)wait;
        mtx_lock(&w->lock);
        if (!w->stop) {
            cnd_timedwait(&w->wake, &w->lock, &ts);
        }
        mtx_unlock(&w->lock);
    }
    return 0;
}

int sync_start(const SyncConfig *c, int interval_s, void (*notify)(void *), void *ctx,
               SyncWorker **out)
{
    SyncWorker *w = calloc(1, sizeof *w);
    if (!w) {
        abort();
    }
    w->cfg = *c;
    w->ring = *c->ring;
    snprintf(w->url, sizeof w->url, "%s", c->url);
    snprintf(w->state_dir, sizeof w->state_dir, "%s", c->state_dir);
    snprintf(w->ca_file, sizeof w->ca_file, "%s", c->ca_file ? c->ca_file : "");
    w->cfg.url = w->url;
    w->cfg.state_dir = w->state_dir;
    w->cfg.ca_file = w->ca_file;
    w->cfg.ring = &w->ring;
    w->cfg.beat = &w->beat;
    w->interval_s = interval_s > 0 ? interval_s : 300;
    w->notify = notify;
    w->ctx = ctx;
    mtx_init(&w->lock, mtx_plain);
    cnd_init(&w->wake);
    if (thrd_create(&w->thread, worker, w) != thrd_success) {
        free(w);
        *out = NULL;
        return -1;
    }
    *out = w;
    return 0;
}

int sync_take(SyncWorker *w, SyncOutcome *out)
{
    mtx_lock(&w->lock);
    int got = w->have;
    if (got) {
        *out = w->last;
        w->have = 0;
    }
    mtx_unlock(&w->lock);
    return got;
}

const Heartbeat *sync_heartbeat(const SyncWorker *w)
{
    return w ? &w->beat : NULL;
}

void sync_stop(SyncWorker *w)
{
    if (!w) {
        return;
    }
    mtx_lock(&w->lock);
    w->stop = 1;
    cnd_signal(&w->wake);
    mtx_unlock(&w->lock);
    thrd_join(w->thread, NULL);
    mtx_destroy(&w->lock);
    cnd_destroy(&w->wake);
    free(w);
}
