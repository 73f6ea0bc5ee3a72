/* usb: polling a handful of directories every two seconds costs nothing and works
 * with every automounter (udisks under /media/USER, systemd-mount, a manual mount
 * under /mnt); a stick is recognised by the device and inode of its litfass folder,
 * so re-plugging the same stick imports again. */
#define _POSIX_C_SOURCE 200809L
#include "delivery/usb.h"

#include "base/clock.h"
#include "base/log.h"
#include "base/ui.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#define MAX_STICKS 16
#define MAX_CANDIDATES 64
#define QUEUE 8

int usb_load_keys(const char *list, KeyRing *ring, char *err, size_t errlen)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    memset(ring, 0, sizeof *ring);
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ') {
            p++;
        }
        if (*p && bundle_ring_add(ring, p, err, errlen) != 0) {
            return -1;
        }
    }
    if (ring->n == 0) {
        snprintf(err, errlen, "no trusted public key configured");
        return -1;
    }
    return 0;
}

typedef struct {
    char name[128];
    TrustedInfo info;
    BundleResult peek;
    char why[600];
} Candidate;

static int by_version_desc(const void *a, const void *b)
{
    const Candidate *x = a, *y = b;
    if (x->peek != y->peek) { /* verifiable ones first */
        return x->peek == BUNDLE_OK ? -1 : y->peek == BUNDLE_OK ? 1 : 0;
    }
    return x->info.version < y->info.version ? 1 : x->info.version > y->info.version ? -1 : 0;
}

static void write_report(const char *dir, const char *device, const UsbOutcome *o,
                         const char *file)
{
    char path[4400], tmp[4400], when[32], text[2048], local[64];
    Clock c = clock_system();
    int64_t now = c.wall_ms(&c);
    clock_format_utc(now, when, sizeof when);
    ui_format_datetime(now, local, sizeof local);
    snprintf(text, sizeof text,
             "Litfass – Bericht\n"
             "Zeit: %s (%s)\n"
             "Gerät: %s\n"
             "Ergebnis: %s\n"
             "Datei: %s\n"
             "Grund: %s\n"
             "Installierte Version: %lld\n",
             local, when, device, o->message, file[0] ? file : "-",
             o->detail[0] ? o->detail : "-", o->version);
    snprintf(path, sizeof path, "%s/litfass-report.txt", dir);
    snprintf(tmp, sizeof tmp, "%s/.litfass-report.tmp", dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        log_msg("usb", "%s: stick not writable, no report (%s)", dir, strerror(errno));
        return;
    }
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        log_msg("usb", "%s: cannot write the report", path);
    }
}

void usb_import_dir(const char *mount_dir, const char *state_dir, const KeyRing *ring,
                    long long max_bytes, const char *device, UsbOutcome *out)
{
    char dir[4200], err[600];
    char host[64] = "";
    memset(out, 0, sizeof *out);
    if (!device || !*device) {
        gethostname(host, sizeof host - 1);
        device = host;
    }
    snprintf(dir, sizeof dir, "%s/litfass", mount_dir);
    BundleState st;
    bundle_state(state_dir, &st, err, sizeof err);
    out->version = st.current_version;

    Candidate *c = calloc(MAX_CANDIDATES, sizeof *c);
    int n = 0;
    DIR *d = c ? opendir(dir) : NULL;
    for (struct dirent *e; d && (e = readdir(d)) && n < MAX_CANDIDATES;) {
        size_t l = strlen(e->d_name);
        if (l > 8 && !strcmp(e->d_name + l - 8, ".litfass") && e->d_name[0] != '.' &&
            l < sizeof c[0].name) {
            char sig[4600];
            snprintf(c[n].name, sizeof c[n].name, "%.127s", e->d_name);
            snprintf(sig, sizeof sig, "%s/%.127s.minisig", dir, e->d_name);
            c[n].peek = bundle_peek(sig, ring, &c[n].info, c[n].why, sizeof c[n].why);
            n++;
        }
    }
    if (d) {
        closedir(d);
    }
    const char *file = "";
    if (n == 0) {
        out->result = BUNDLE_NO_SIGNATURE;
        snprintf(out->detail, sizeof out->detail, "%.500s: no *.litfass bundle found", dir);
        snprintf(out->message, sizeof out->message, ui_str(UI_NOT_TAKEN),
                 "kein Inhaltspaket gefunden");
    } else {
        qsort(c, (size_t)n, sizeof *c, by_version_desc);
        int done = 0;
        for (int i = 0; i < n && !done; i++) {
            char path[4400];
            TrustedInfo info;
            if (c[i].peek == BUNDLE_OK && c[i].info.version <= st.highest) {
                if (i == 0) { /* the newest signed one is not newer than ours */
                    out->result = BUNDLE_NOT_NEWER;
                    out->nothing_new = 1;
                    file = c[i].name;
                    snprintf(out->detail, sizeof out->detail,
                             "%s: version %lld is not newer than the installed %lld", c[i].name,
                             c[i].info.version, st.highest);
                }
                break;
            }
            if (c[i].peek != BUNDLE_OK) {
                if (i == 0) {
                    out->result = c[i].peek;
                    file = c[i].name;
                    snprintf(out->detail, sizeof out->detail, "%s", c[i].why);
                }
                continue;
            }
            snprintf(path, sizeof path, "%s/%s", dir, c[i].name);
            BundleResult r = bundle_install(state_dir, path, ring, max_bytes, &info, err,
                                            sizeof err);
            if (r == BUNDLE_OK) {
                out->result = BUNDLE_OK;
                out->version = info.version;
                file = c[i].name;
                out->detail[0] = '\0';
                done = 1;
            } else if (i == 0 || out->result == BUNDLE_OK) {
                out->result = r;
                file = c[i].name;
                snprintf(out->detail, sizeof out->detail, "%s", err);
            }
        }
        if (out->result == BUNDLE_OK) {
            snprintf(out->message, sizeof out->message, ui_str(UI_UPDATED), out->version);
        } else if (out->nothing_new) {
            snprintf(out->message, sizeof out->message, ui_str(UI_NOTHING_NEW), st.highest);
        } else {
            snprintf(out->message, sizeof out->message, ui_str(UI_NOT_TAKEN),
                     bundle_result_text(out->result));
        }
    }
    char file_copy[128];
    snprintf(file_copy, sizeof file_copy, "%s", file);
    free(c);
    log_msg("usb", "%s: %s%s%s", mount_dir, out->message, out->detail[0] ? " — " : "",
            out->detail);
    write_report(dir, device, out, file_copy);
}

struct Usb {
    char roots[512], state_dir[1024], device[64];
    KeyRing ring;
    long long max_bytes;
    int interval_ms;
    void (*notify)(void *);
    void *ctx;
    thrd_t thread;
    mtx_t lock;
    cnd_t wake;
    int stop;
    struct {
        dev_t dev;
        ino_t ino;
    } seen[MAX_STICKS];
    int n_seen;
    UsbOutcome queue[QUEUE];
    int q_head, q_len;
};

/* A mount point with a litfass/ folder: its identity, or 0 if none. */
static int stick_at(const char *dir, dev_t *dev, ino_t *ino)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/litfass", dir);
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return 0;
    }
    *dev = st.st_dev;
    *ino = st.st_ino;
    return 1;
}

typedef struct {
    char path[MAX_STICKS][1024];
    dev_t dev[MAX_STICKS];
    ino_t ino[MAX_STICKS];
    int n;
} Found;

static void look(const char *dir, int depth, Found *f)
{
    dev_t dev;
    ino_t ino;
    if (f->n >= MAX_STICKS) {
        return;
    }
    if (stick_at(dir, &dev, &ino)) {
        snprintf(f->path[f->n], sizeof f->path[0], "%s", dir);
        f->dev[f->n] = dev;
        f->ino[f->n] = ino;
        f->n++;
        return;
    }
    if (depth == 0) {
        return;
    }
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char sub[1024];
        struct stat st;
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
            look(sub, depth - 1, f);
        }
    }
    if (d) {
        closedir(d);
    }
}

static void scan(Usb *u)
{
    Found f;
    f.n = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", u->roots);
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        look(p, 2, &f); /* /media/USER/LABEL, /media/LABEL, /mnt/X */
    }
    for (int i = 0; i < f.n; i++) {
        int known = 0;
        for (int k = 0; k < u->n_seen; k++) {
            known |= u->seen[k].dev == f.dev[i] && u->seen[k].ino == f.ino[i];
        }
        if (known) {
            continue;
        }
        UsbOutcome o;
        usb_import_dir(f.path[i], u->state_dir, &u->ring, u->max_bytes, u->device, &o);
        mtx_lock(&u->lock);
        if (u->q_len < QUEUE) {
            u->queue[(u->q_head + u->q_len) % QUEUE] = o;
            u->q_len++;
        }
        mtx_unlock(&u->lock);
        if (u->notify) {
            u->notify(u->ctx);
        }
    }
    /* remember what is plugged in now; a stick pulled and plugged again imports again */
    u->n_seen = 0;
    for (int i = 0; i < f.n; i++) {
        u->seen[u->n_seen].dev = f.dev[i];
        u->seen[u->n_seen].ino = f.ino[i];
        u->n_seen++;
    }
}

static int run(void *arg)
{
    Usb *u = arg;
    mtx_lock(&u->lock);
    while (!u->stop) {
        mtx_unlock(&u->lock);
        scan(u);
        mtx_lock(&u->lock);
        if (u->stop) {
            break;
        }
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        ts.tv_sec += u->interval_ms / 1000;
        ts.tv_nsec += (long)(u->interval_ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        cnd_timedwait(&u->wake, &u->lock, &ts);
    }
    mtx_unlock(&u->lock);
    return 0;
}

int usb_start(const char *roots, const char *state_dir, const KeyRing *ring, long long max_bytes,
              const char *device, int interval_ms, void (*notify)(void *ctx), void *ctx,
              Usb **out)
{
    Usb *u = calloc(1, sizeof *u);
    if (!u) {
        abort();
    }
    snprintf(u->roots, sizeof u->roots, "%s", roots);
    snprintf(u->state_dir, sizeof u->state_dir, "%s", state_dir);
    snprintf(u->device, sizeof u->device, "%s", device ? device : "");
    u->ring = *ring;
    u->max_bytes = max_bytes;
    u->interval_ms = interval_ms > 0 ? interval_ms : 2000;
    u->notify = notify;
    u->ctx = ctx;
    mtx_init(&u->lock, mtx_plain);
    cnd_init(&u->wake);
    if (thrd_create(&u->thread, run, u) != thrd_success) {
        mtx_destroy(&u->lock);
        cnd_destroy(&u->wake);
        free(u);
        *out = NULL;
        return -1;
    }
    *out = u;
    return 0;
}

int usb_take(Usb *u, UsbOutcome *out)
{
    int got = 0;
    mtx_lock(&u->lock);
    if (u->q_len > 0) {
        *out = u->queue[u->q_head];
        u->q_head = (u->q_head + 1) % QUEUE;
        u->q_len--;
        got = 1;
    }
    mtx_unlock(&u->lock);
    return got;
}

void usb_stop(Usb *u)
{
    if (!u) {
        return;
    }
    mtx_lock(&u->lock);
    u->stop = 1;
    cnd_signal(&u->wake);
    mtx_unlock(&u->lock);
    thrd_join(u->thread, NULL);
    mtx_destroy(&u->lock);
    cnd_destroy(&u->wake);
    free(u);
}
