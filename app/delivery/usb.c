/* usb: polling a handful of directories every two seconds costs nothing and works
 * with every automounter (udisks under /media/USER, systemd-mount, a manual mount
 * under /mnt); a stick is recognised by the device and inode of its litfass folder
 * (once per scan, however many roots reach it), so re-plugging the same stick
 * imports again. A stick is untrusted: its folder is opened once without following
 * links, and everything under it is opened relative to that folder, regular files
 * only; every name from it is sanitised before it reaches the log or the report. */
#define _POSIX_C_SOURCE 200809L
#include "delivery/usb.h"

#include "base/clock.h"
#include "base/heartbeat.h"
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
/* Every bundle in a stick's folder is considered (by its signed version), up to this
 * many; more is refused as a whole rather than silently choosing among a part. */
#define MAX_BUNDLES 2000
/* Directory entries read in a stick's folder at most (bundles, signatures, other). */
#define MAX_ENTRIES 20000
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
    char name[256];
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

/* Writes litfass-report.txt into the open folder dirfd (the stick's litfass/, or its
 * root when that folder is not usable). Nothing is followed: the temporary file is
 * created anew (O_EXCL|O_NOFOLLOW) and renamed over the report, so a link or FIFO
 * planted under either name is replaced, never written through. */
static void write_report(int dirfd, const char *shown_dir, const char *device,
                         const UsbOutcome *o, const char *file)
{
    char when[32], text[2048], local[64], dev[128], shown_file[300];
    Clock c = clock_system();
    int64_t now = c.wall_ms(&c);
    clock_format_utc(now, when, sizeof when);
    ui_format_datetime(now, local, sizeof local);
    log_sanitize(device, dev, sizeof dev);
    log_sanitize(file, shown_file, sizeof shown_file);
    snprintf(text, sizeof text,
             "Litfass – Bericht\n"
             "Zeit: %s (%s)\n"
             "Gerät: %s\n"
             "Ergebnis: %s\n"
             "Datei: %s\n"
             "Grund: %s\n"
             "Installierte Version: %lld\n",
             local, when, dev, o->message, shown_file[0] ? shown_file : "-",
             o->detail[0] ? o->detail : "-", o->version);
    const char *tmp = ".litfass-report.tmp";
    unlinkat(dirfd, tmp, 0);
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                    0644);
    if (fd < 0) {
        log_msg("usb", "%s: stick not writable, no report (%s)", shown_dir, strerror(errno));
        return;
    }
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || renameat(dirfd, tmp, dirfd, "litfass-report.txt") != 0) {
        unlinkat(dirfd, tmp, 0);
        log_msg("usb", "%s/litfass-report.txt: cannot write the report", shown_dir);
    }
}

/* Sets *out to "not taken" with result r; the caller has written out->detail. */
static void not_taken(UsbOutcome *out, BundleResult r)
{
    out->result = r;
    snprintf(out->message, sizeof out->message, ui_str(UI_NOT_TAKEN),
             r == BUNDLE_NO_SIGNATURE ? "kein Inhaltspaket gefunden" : bundle_result_text(r));
}

/* Reads the candidates in the open folder lfd: every *.litfass entry with its
 * signature peeked. Returns the count (the array in *out, to free), or -1 when the
 * folder holds more than MAX_BUNDLES bundles or MAX_ENTRIES entries. */
static int gather(int lfd, const KeyRing *ring, Candidate **out)
{
    Candidate *c = NULL;
    int n = 0, cap = 0, entries = 0, over = 0;
    int dfd = dup(lfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d && dfd >= 0) {
        close(dfd);
    }
    for (struct dirent *e; d && (e = readdir(d));) {
        if (++entries > MAX_ENTRIES) {
            over = 1;
            break;
        }
        size_t l = strlen(e->d_name);
        if (l <= 8 || strcmp(e->d_name + l - 8, ".litfass") != 0 || e->d_name[0] == '.' ||
            l >= sizeof c[0].name) {
            continue;
        }
        if (n == MAX_BUNDLES) {
            over = 1;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            Candidate *g = realloc(c, (size_t)cap * sizeof *c);
            if (!g) {
                abort();
            }
            c = g;
        }
        char sig[300];
        memset(&c[n], 0, sizeof c[n]);
        snprintf(c[n].name, sizeof c[n].name, "%s", e->d_name);
        snprintf(sig, sizeof sig, "%s.minisig", e->d_name);
        c[n].peek = bundle_peek_at(lfd, sig, ring, &c[n].info, c[n].why, sizeof c[n].why);
        n++;
    }
    if (d) {
        closedir(d);
    }
    if (over) {
        free(c);
        *out = NULL;
        return -1;
    }
    *out = c;
    return n;
}

void usb_import_dir(const char *mount_dir, const char *state_dir, const KeyRing *ring,
                    long long max_bytes, const char *device, UsbOutcome *out)
{
    char shown_dir[320], err[600];
    char host[64] = "";
    memset(out, 0, sizeof *out);
    if (!device || !*device) {
        gethostname(host, sizeof host - 1);
        device = host;
    }
    char sanitized_mount[300];
    log_sanitize(mount_dir, sanitized_mount, sizeof sanitized_mount);
    snprintf(shown_dir, sizeof shown_dir, "%s/litfass", sanitized_mount);
    BundleState st;
    bundle_state(state_dir, &st, err, sizeof err);
    out->version = st.current_version;

    /* the stick: its root as named (a mount point), then litfass/ inside it without
     * following a link, so nothing on the stick can point us elsewhere */
    int mfd = open(mount_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
    int lfd = -1, report_fd = -1;
    Candidate *c = NULL;
    int n = 0;
    const char *file = "";
    if (mfd < 0) {
        snprintf(out->detail, sizeof out->detail, "%s: cannot open the stick (%s)",
                 sanitized_mount, strerror(errno));
        not_taken(out, BUNDLE_IO);
    } else {
        lfd = openat(mfd, "litfass", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        int e = errno;
        struct stat ls;
        if (lfd < 0 && fstatat(mfd, "litfass", &ls, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(ls.st_mode)) {
            snprintf(out->detail, sizeof out->detail,
                     "%s: is a symbolic link; Litfass reads only a real folder named litfass "
                     "on the stick: replace the link by the folder with the bundles",
                     shown_dir);
            not_taken(out, BUNDLE_NOT_REGULAR);
            report_fd = mfd; /* the report goes to the stick's root instead */
        } else if (lfd < 0 && e == ENOENT) {
            snprintf(out->detail, sizeof out->detail,
                     "%s: no folder litfass on the stick; put the bundles into a folder "
                     "litfass at its top", sanitized_mount);
            not_taken(out, BUNDLE_NO_SIGNATURE);
        } else if (lfd < 0) {
            snprintf(out->detail, sizeof out->detail, "%s: cannot open the folder (%s)",
                     shown_dir, strerror(e));
            not_taken(out, e == ENOTDIR ? BUNDLE_NOT_REGULAR : BUNDLE_READ_FAILED);
            report_fd = mfd;
        } else {
            report_fd = lfd;
            n = gather(lfd, ring, &c);
        }
    }
    if (lfd >= 0 && n < 0) {
        snprintf(out->detail, sizeof out->detail,
                 "%s: more than %d bundles (or %d files) in the folder; nothing was installed: "
                 "keep only the newest bundles there", shown_dir, MAX_BUNDLES, MAX_ENTRIES);
        not_taken(out, BUNDLE_TOO_MANY);
    } else if (lfd >= 0 && n == 0) {
        out->result = BUNDLE_NO_SIGNATURE;
        snprintf(out->detail, sizeof out->detail, "%s: no *.litfass bundle found", shown_dir);
        snprintf(out->message, sizeof out->message, ui_str(UI_NOT_TAKEN),
                 "kein Inhaltspaket gefunden");
    } else if (lfd >= 0) {
        qsort(c, (size_t)n, sizeof *c, by_version_desc);
        int done = 0;
        for (int i = 0; i < n && !done; i++) {
            TrustedInfo info;
            char name[300];
            log_sanitize(c[i].name, name, sizeof name);
            if (c[i].peek == BUNDLE_OK && c[i].info.version <= st.highest) {
                if (i == 0) { /* the newest signed one is not newer than ours */
                    out->result = BUNDLE_NOT_NEWER;
                    out->nothing_new = 1;
                    file = c[i].name;
                    snprintf(out->detail, sizeof out->detail,
                             "%s: version %lld is not newer than the installed %lld; "
                             "build a newer one with 'litfassctl build' without --version",
                             name,
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
            BundleResult r = bundle_install_at(state_dir, lfd, c[i].name, ring, max_bytes, &info,
                                               err, sizeof err);
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
            if (r == BUNDLE_BUSY) {
                break; /* the others would wait just as long; the watcher tries again */
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
    char file_copy[256];
    snprintf(file_copy, sizeof file_copy, "%s", file);
    free(c);
    log_msg("usb", "%s: %s%s%s", sanitized_mount, out->message, out->detail[0] ? " — " : "",
            out->detail);
    if (report_fd >= 0) {
        write_report(report_fd, report_fd == lfd ? shown_dir : sanitized_mount, device, out,
                     file_copy);
    }
    if (lfd >= 0) {
        close(lfd);
    }
    if (mfd >= 0) {
        close(mfd);
    }
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
    Heartbeat beat; /* while scanning and importing; idle between scans */
};

static int64_t mono_now(void)
{
    Clock c = clock_system();
    return c.mono_ms(&c);
}

typedef struct {
    char path[MAX_STICKS][1024];
    dev_t dev[MAX_STICKS];
    ino_t ino[MAX_STICKS];
    int n;
} Found;

/* Adds the stick at path with the identity of its litfass entry, once: the same
 * stick reached through two overlapping roots (/media and /media/usb) is one. */
static void add_stick(Found *f, const char *path, const struct stat *id)
{
    for (int i = 0; i < f->n; i++) {
        if (f->dev[i] == id->st_dev && f->ino[i] == id->st_ino) {
            return;
        }
    }
    if (f->n < MAX_STICKS) {
        snprintf(f->path[f->n], sizeof f->path[0], "%s", path);
        f->dev[f->n] = id->st_dev;
        f->ino[f->n] = id->st_ino;
        f->n++;
    }
}

/* Looks at the open folder fd (path, depth levels left to descend). It is a stick
 * when its entry `litfass` is a folder on the same file system: a `litfass` that is
 * a mount point is itself a stick mounted at a folder named litfass (the README's
 * fstab example), found one level down, never the bundle folder of fd. A root is a
 * stick only when it is a mount point itself (a stick mounted right at /mnt). A
 * `litfass` that is a symbolic link counts as a stick too, so that it is refused
 * with a report rather than ignored. Only real folders are descended into. */
static void look(int fd, const char *path, int depth, int is_root, Found *f)
{
    struct stat self, ls;
    if (f->n >= MAX_STICKS || fstat(fd, &self) != 0) {
        return;
    }
    if (fstatat(fd, "litfass", &ls, AT_SYMLINK_NOFOLLOW) == 0) {
        int stick = S_ISLNK(ls.st_mode) || (S_ISDIR(ls.st_mode) && ls.st_dev == self.st_dev);
        if (stick && is_root) {
            struct stat up;
            stick = fstatat(fd, "..", &up, 0) == 0 && up.st_dev != self.st_dev;
        }
        if (stick) {
            add_stick(f, path, &ls);
            return;
        }
    }
    if (depth == 0) {
        return;
    }
    int dfd = dup(fd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d && dfd >= 0) {
        close(dfd);
    }
    for (struct dirent *e; d && (e = readdir(d));) {
        struct stat st;
        if (e->d_name[0] == '.' || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(st.st_mode)) {
            continue;
        }
        char sub[1024];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub) {
            continue;
        }
        int cfd = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW |
                                            O_NONBLOCK);
        if (cfd >= 0) {
            look(cfd, sub, depth - 1, 0, f);
            close(cfd);
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
        while (*p == ' ') {
            p++;
        }
        /* a root is configured, so it may be a link (e.g. /media -> /run/media) */
        int fd = *p ? open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK) : -1;
        if (fd >= 0) {
            look(fd, p, 2, 1, &f); /* /media/USER/LABEL, /media/LABEL, /mnt/X */
            close(fd);
        }
    }
    int retry[MAX_STICKS] = { 0 };
    for (int i = 0; i < f.n; i++) {
        int known = 0;
        for (int k = 0; k < u->n_seen; k++) {
            known |= u->seen[k].dev == f.dev[i] && u->seen[k].ino == f.ino[i];
        }
        if (known) {
            continue;
        }
        UsbOutcome o;
        heartbeat_beat(&u->beat, mono_now()); /* one stick done, the next begins */
        usb_import_dir(f.path[i], u->state_dir, &u->ring, u->max_bytes, u->device, &o);
        retry[i] = o.result == BUNDLE_BUSY; /* another install ran too long: next scan */
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
        if (!retry[i]) {
            u->seen[u->n_seen].dev = f.dev[i];
            u->seen[u->n_seen].ino = f.ino[i];
            u->n_seen++;
        }
    }
}

static int run(void *arg)
{
    Usb *u = arg;
    mtx_lock(&u->lock);
    while (!u->stop) {
        mtx_unlock(&u->lock);
        heartbeat_beat(&u->beat, mono_now());
        scan(u);
        heartbeat_idle(&u->beat);
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

const Heartbeat *usb_heartbeat(const Usb *u)
{
    return u ? &u->beat : NULL;
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
