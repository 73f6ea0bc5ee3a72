/* usb: sticks are found by events, not by polling: the kernel marks /proc/self/mountinfo
 * when the mount table changes (poll() returns POLLPRI), and inotify on the mount roots
 * and their direct subfolders sees a folder moved or made there; each wakes the watcher,
 * which waits a moment for the stick to settle and then scans. A slow rescan (the
 * interval given to usb_start) catches what no event announced. Scanning looks at a
 * handful of directories, which works with every automounter (udisks under
 * /media/USER, systemd-mount, a manual mount under /mnt); a stick is recognised by the
 * device and inode of its litfass folder (once per scan, however many roots reach it),
 * so re-plugging the same stick imports again. A stick is untrusted: its folder is
 * opened once without following links, and everything under it is opened relative to
 * that folder, regular files only; every name from it is sanitised before it reaches
 * the log or the report. */
#define _GNU_SOURCE /* statx: a mount's id */
#include "delivery/usb.h"

#include "base/clock.h"
#include "base/heartbeat.h"
#include "base/log.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
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

int usb_load_keys(const char *list, KeyRing *ring, UsbKeyProblems *kp)
{
    char buf[1024], err[600];
    snprintf(buf, sizeof buf, "%s", list);
    memset(ring, 0, sizeof *ring);
    memset(kp, 0, sizeof *kp);
    int named = 0;
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ') {
            p++;
        }
        size_t l = strlen(p);
        while (l > 0 && p[l - 1] == ' ') {
            p[--l] = '\0';
        }
        if (!*p) {
            continue;
        }
        named++;
        struct stat st;
        int missing = stat(p, &st) != 0 && errno == ENOENT;
        if (bundle_ring_add(ring, p, err, sizeof err) == 0) {
            continue;
        }
        /* one bad key must not switch the others off: note it and go on */
        if (kp->n_failed++ == 0) {
            log_sanitize(p, kp->first, sizeof kp->first);
            kp->first_missing = missing;
        }
        char shown[700];
        log_sanitize(err, shown, sizeof shown);
        size_t used = strlen(kp->detail);
        snprintf(kp->detail + used, sizeof kp->detail - used, "%s%s", used ? "; " : "", shown);
    }
    if (named == 0) {
        snprintf(kp->detail, sizeof kp->detail, "no trusted public key configured (trusted_keys)");
    }
    return kp->n_failed == 0 && ring->n > 0 ? 0 : -1;
}

void usb_key_texts(const UsbKeyProblems *kp, const KeyRing *ring, char *notice,
                   size_t notice_len, char *mark, size_t mark_len)
{
    notice[0] = mark[0] = '\0';
    if (ring->n == 0) { /* which files: the log says; the screen says what it means */
        snprintf(notice, notice_len, "%s", ui_str(UI_NO_KEYS));
        snprintf(mark, mark_len, "%s", ui_str(UI_NO_KEYS_MARK));
    } else if (kp->n_failed > 0) {
        snprintf(notice, notice_len, ui_str(kp->first_missing ? UI_KEY_MISSING : UI_KEY_UNUSABLE),
                 kp->first);
        const char *slash = strrchr(kp->first, '/');
        snprintf(mark, mark_len, ui_str(UI_KEY_MARK), slash ? slash + 1 : kp->first);
    }
}

typedef struct {
    BundlePair p;
    int folder; /* index into the stick's folders */
} Candidate;

static int by_version_desc(const void *a, const void *b)
{
    const Candidate *x = a, *y = b;
    if (x->p.peek != y->p.peek) { /* verifiable ones first */
        return x->p.peek == BUNDLE_OK ? -1 : y->p.peek == BUNDLE_OK ? 1 : 0;
    }
    if (x->p.info.version != y->p.info.version) {
        return x->p.info.version < y->p.info.version ? 1 : -1;
    }
    return x->folder - y->folder; /* litfass/ before the top before other folders */
}

/* Writes litfass-report.txt into the open folder dirfd (the stick's litfass/, or its
 * root when that folder is not usable). Nothing is followed: the temporary file is
 * created anew (O_EXCL|O_NOFOLLOW) and renamed over the report, so a link or FIFO
 * planted under either name is replaced, never written through. file is shown as
 * it is, after sanitising. */
static void write_report(int dirfd, const char *shown_dir, const char *device,
                         const UsbOutcome *o, const char *file)
{
    char when[32], text[2048], local[64], dev[128], shown_file[400];
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
    if (o->alert_found) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "Meldung: %s\nMeldung Grund: %s\n",
                 o->alert_message, o->alert_detail[0] ? o->alert_detail : "-");
    }
    const char *tmp = ".litfass-report.tmp";
    unlinkat(dirfd, tmp, 0);
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                    0644);
    if (fd < 0) {
        int e = errno;
        log_warn("usb", "%s: %s, so no report was left on it", shown_dir,
                 e == EROFS || e == EACCES || e == EPERM ? "the stick is write-protected"
                                                         : strerror(e));
        return;
    }
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || renameat(dirfd, tmp, dirfd, "litfass-report.txt") != 0) {
        unlinkat(dirfd, tmp, 0);
        log_warn("usb", "%s/litfass-report.txt: cannot write the report", shown_dir);
        return;
    }
    /* the new name is on the stick only once its folder and, on FAT, the allocation
     * table are written: staff pull the stick seconds after the notice. fsync of the
     * folder was not enough on vfat (the virtual board's kernel logged the directory
     * block as a "lost async page write" when the stick was pulled 14 s later); syncfs
     * writes everything of this one small file system out. */
    if (syncfs(dirfd) != 0) {
        fsync(dirfd);
    }
}

/* Sets *out to "not taken" with result r; the caller has written out->detail. */
static void not_taken(UsbOutcome *out, BundleResult r)
{
    out->result = r;
    snprintf(out->message, sizeof out->message, ui_str(UI_NOT_TAKEN), bundle_result_text(r));
}

/* A stick's folders that may hold bundles: litfass/ (index 0 when usable), the top,
 * and the real folders one level down. */
#define MAX_FOLDERS 34
typedef struct {
    int fd[MAX_FOLDERS];
    char shown[MAX_FOLDERS][160]; /* "litfass/", "" (the top), "NAME/" (sanitised) */
    int n, n_skipped;             /* n_skipped: folders one down not looked into */
} Folders;

/* Adds the real folders one level down from the stick's top mfd (not hidden, not
 * litfass, no links: each is opened without following one). */
static void add_subfolders(int mfd, Folders *fo)
{
    int dfd = dup(mfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d && dfd >= 0) {
        close(dfd);
    }
    int entries = 0;
    if (d) {
        rewinddir(d); /* a dup shares the offset with mfd */
    }
    for (struct dirent *e; d && (e = readdir(d)) && ++entries <= MAX_ENTRIES;) {
        struct stat st;
        /* hidden ones hold no staff files ($RECYCLE.BIN and System Volume Information
         * are skipped as the system's own) */
        if (e->d_name[0] == '.' || e->d_name[0] == '$' || !strcmp(e->d_name, "litfass") ||
            !strcmp(e->d_name, "System Volume Information") ||
            fstatat(mfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
            continue;
        }
        if (fo->n == MAX_FOLDERS) {
            fo->n_skipped++;
            continue;
        }
        int fd = openat(mfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW |
                                            O_NONBLOCK);
        if (fd >= 0) {
            char name[150];
            log_sanitize(e->d_name, name, sizeof name);
            fo->fd[fo->n] = fd;
            snprintf(fo->shown[fo->n], sizeof fo->shown[0], "%s/", name);
            fo->n++;
        }
    }
    if (d) {
        closedir(d);
    }
}

/* Appends "N bundle(s) in WHERE" to found. */
static void note_found(char *found, size_t len, int n, const char *shown)
{
    size_t used = strlen(found);
    char where[200];
    if (shown[0]) {
        snprintf(where, sizeof where, "in %s", shown);
    } else {
        snprintf(where, sizeof where, "at the top of the stick");
    }
    snprintf(found + used, len - used, "%s%d bundle%s %s", used ? ", " : "", n,
             n == 1 ? "" : "s", where);
}

/* An outcome that is worth a warning: a bundle or alert that was there and not taken
 * (installed, nothing newer and a stick without bundles are routine). */
static int worth_a_warning(int result)
{
    return result != BUNDLE_OK && result != BUNDLE_NOT_NEWER && result != BUNDLE_NO_BUNDLE;
}

/* The screen message for the outcome, with where the bundle was when that is not
 * litfass/. */
static void set_message(UsbOutcome *out, long long highest, const char *renamed_from)
{
    char m[256];
    if (out->result == BUNDLE_OK) {
        snprintf(m, sizeof m, ui_str(UI_UPDATED), out->version);
    } else if (out->nothing_new) {
        snprintf(m, sizeof m, ui_str(UI_NOTHING_NEW), highest);
    } else if (out->result == BUNDLE_RENAMED && renamed_from[0]) {
        char why[200];
        snprintf(why, sizeof why, ui_str(UI_RENAMED_FROM), renamed_from);
        snprintf(m, sizeof m, ui_str(UI_NOT_TAKEN), why);
    } else {
        snprintf(m, sizeof m, ui_str(UI_NOT_TAKEN), bundle_result_text(out->result));
    }
    if (strcmp(out->where, "litfass/") == 0) {
        snprintf(out->message, sizeof out->message, "%s", m);
    } else if (!out->where[0]) {
        utf8_format_cut(out->message, sizeof out->message, ui_str(UI_USB_FOUND_AT_TOP), m);
    } else {
        utf8_format_cut(out->message, sizeof out->message, ui_str(UI_USB_FOUND_IN), m,
                        out->where);
    }
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
    Folders fo;
    fo.n = fo.n_skipped = 0;
    int mfd = open(mount_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
    int lfd = -1, report_fd = -1, refused = 0;
    if (mfd < 0) {
        snprintf(out->detail, sizeof out->detail, "%s: cannot open the stick (%s)",
                 sanitized_mount, strerror(errno));
        not_taken(out, BUNDLE_IO);
        refused = 1;
    } else {
        lfd = openat(mfd, "litfass", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        int e = errno;
        struct stat ls;
        report_fd = lfd >= 0 ? lfd : mfd; /* the report goes to the top without litfass/ */
        if (lfd < 0 && fstatat(mfd, "litfass", &ls, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(ls.st_mode)) {
            snprintf(out->detail, sizeof out->detail,
                     "%s: is a symbolic link; Litfass reads only a real folder named litfass "
                     "on the stick: replace the link by the folder with the bundles",
                     shown_dir);
            not_taken(out, BUNDLE_NOT_REGULAR);
            refused = 1;
        } else if (lfd < 0 && e != ENOENT) {
            snprintf(out->detail, sizeof out->detail, "%s: cannot open the folder (%s)",
                     shown_dir, strerror(e));
            not_taken(out, e == ENOTDIR ? BUNDLE_NOT_REGULAR : BUNDLE_READ_FAILED);
            refused = 1;
        } else {
            if (lfd >= 0) {
                fo.fd[fo.n] = lfd;
                snprintf(fo.shown[fo.n++], sizeof fo.shown[0], "litfass/");
            }
            fo.fd[fo.n] = mfd;
            fo.shown[fo.n++][0] = '\0';
            add_subfolders(mfd, &fo);
        }
    }

    /* an alert first: it is urgent and small, and a bundle on the same stick must not
     * delay it (only litfass/ and the top: where litfassctl alert -o puts it) */
    out->alert_result = BUNDLE_NO_BUNDLE;
    for (int f = 0; f < fo.n && !refused && !out->alert_found; f++) {
        char an[256], shown_a[600];
        if ((fo.shown[f][0] && strcmp(fo.shown[f], "litfass/") != 0) ||
            !alertfile_find_at(fo.fd[f], ring, an, sizeof an)) {
            continue;
        }
        char shown_an[300];
        log_sanitize(an, shown_an, sizeof shown_an);
        snprintf(shown_a, sizeof shown_a, "%s/%s%s", sanitized_mount, fo.shown[f], shown_an);
        AlertOutcome ao;
        alertfile_install_at(state_dir, fo.fd[f], an, ring, shown_a, &ao);
        out->alert_found = 1;
        out->alert_result = ao.result;
        snprintf(out->alert_message, sizeof out->alert_message, "%s", ao.message);
        snprintf(out->alert_detail, sizeof out->alert_detail, "%s", ao.detail);
        log_at(worth_a_warning(ao.result) ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO, "usb", "%s: %s%s%s",
               shown_a, ao.message, ao.detail[0] ? " — " : "", ao.detail);
    }

    /* every bundle in every folder, paired with its signature by bundle's one rule */
    Candidate *c = NULL;
    int n = 0;
    for (int f = 0; f < fo.n && !refused; f++) {
        BundlePair *pairs;
        int k = bundle_pairs_at(fo.fd[f], ring, MAX_BUNDLES - n, MAX_ENTRIES, &pairs);
        if (k < 0 && fo.fd[f] == lfd) {
            snprintf(out->detail, sizeof out->detail,
                     "%s: more than %d bundles (or %d files) in the folder; nothing was "
                     "installed: keep only the newest bundles there",
                     shown_dir, MAX_BUNDLES, MAX_ENTRIES);
            not_taken(out, BUNDLE_TOO_MANY);
            refused = 1;
            break;
        }
        if (k < 0) { /* a folder of photos or the like: not where bundles are */
            log_msg("usb", "%s/%s: too many files to look for bundles, skipped",
                    sanitized_mount, fo.shown[f]);
            continue;
        }
        if (k > 0) {
            note_found(out->found, sizeof out->found, k, fo.shown[f]);
            Candidate *g = realloc(c, (size_t)(n + k) * sizeof *c);
            if (!g) {
                abort();
            }
            c = g;
            for (int i = 0; i < k; i++) {
                c[n + i].p = pairs[i];
                c[n + i].folder = f;
            }
            n += k;
        }
        free(pairs);
    }
    char file_line[600] = "", renamed_from[200] = "";
    if (!refused && n == 0 && out->alert_found) { /* a stick with only an alert */
        out->result = out->alert_result;
        snprintf(out->where, sizeof out->where, "litfass/");
        snprintf(out->message, sizeof out->message, "%s", out->alert_message);
        snprintf(out->detail, sizeof out->detail, "%s", out->alert_detail);
        snprintf(out->found, sizeof out->found, "an alert and no bundle");
    } else if (!refused && n == 0) {
        out->result = BUNDLE_NO_BUNDLE;
        snprintf(out->where, sizeof out->where, "litfass/");
        snprintf(out->found, sizeof out->found,
                 "no bundle in litfass/, at the top of the stick or one folder down%s",
                 fo.n_skipped ? " (some folders not looked into)" : "");
        snprintf(out->detail, sizeof out->detail,
                 "%s: no *.litfass bundle in litfass/, at the top or one folder down; put the "
                 "bundle and its .minisig into the folder litfass at the stick's top",
                 sanitized_mount);
        snprintf(out->message, sizeof out->message, "%s", ui_str(UI_USB_NO_BUNDLE));
    } else if (!refused) {
        qsort(c, (size_t)n, sizeof *c, by_version_desc);
        int done = 0, chosen = -1;
        for (int i = 0; i < n && !done; i++) {
            TrustedInfo info;
            char name[300];
            log_sanitize(c[i].p.name, name, sizeof name);
            if (c[i].p.peek == BUNDLE_OK && c[i].p.info.version <= st.highest) {
                if (i == 0) { /* the newest signed one is not newer than ours */
                    out->result = BUNDLE_NOT_NEWER;
                    out->nothing_new = 1;
                    chosen = i;
                    snprintf(out->detail, sizeof out->detail,
                             "%s: version %lld is not newer than the installed %lld; "
                             "build a newer one with 'litfassctl build' without --version",
                             name, c[i].p.info.version, st.highest);
                }
                break;
            }
            if (c[i].p.peek != BUNDLE_OK) {
                if (i == 0) {
                    out->result = c[i].p.peek;
                    chosen = i;
                    snprintf(out->detail, sizeof out->detail, "%s", c[i].p.why);
                }
                continue;
            }
            BundleResult r = bundle_install_pair(state_dir, fo.fd[c[i].folder], &c[i].p, ring,
                                                 max_bytes, &info, err, sizeof err);
            if (r == BUNDLE_OK) {
                out->result = BUNDLE_OK;
                out->version = info.version;
                chosen = i;
                out->detail[0] = '\0';
                done = 1;
            } else if (i == 0 || out->result == BUNDLE_OK) {
                out->result = r;
                chosen = i;
                snprintf(out->detail, sizeof out->detail, "%s", err);
            }
            if (r == BUNDLE_BUSY) {
                break; /* the others would wait just as long; the watcher tries again */
            }
        }
        if (chosen >= 0) {
            const BundlePair *p = &c[chosen].p;
            char signed_as[200];
            snprintf(out->where, sizeof out->where, "%s", fo.shown[c[chosen].folder]);
            log_sanitize(p->info.file, signed_as, sizeof signed_as);
            if (p->peek == BUNDLE_RENAMED) {
                snprintf(renamed_from, sizeof renamed_from, "%s", signed_as);
            }
            /* the report names the file where staff find it, and the name it is known
             * by when that differs */
            char shown_name[300];
            log_sanitize(p->name, shown_name, sizeof shown_name);
            utf8_format_cut(file_line, sizeof file_line, "%s%s%s%s%s",
                     strcmp(out->where, "litfass/") ? out->where : "", shown_name,
                     p->renamed ? " (signiert als " : "", p->renamed ? signed_as : "",
                     p->renamed ? ")" : "");
            if (p->renamed && out->result == BUNDLE_OK) {
                utf8_format_cut(out->detail, sizeof out->detail,
                         "%s%s: installed as %s, the name it was signed with", out->where,
                         shown_name, signed_as);
            }
        }
        set_message(out, st.highest, renamed_from);
        if (out->alert_found) { /* both on one line: the alert's outcome first */
            char both[256];
            utf8_format_cut(both, sizeof both, "%s \xc2\xb7 %s", out->alert_message,
                            out->message);
            snprintf(out->message, sizeof out->message, "%s", both);
        }
    } else {
        snprintf(out->where, sizeof out->where, "litfass/");
    }
    free(c);
    int warn = worth_a_warning(out->result) ||
               (out->alert_found && worth_a_warning(out->alert_result));
    log_at(warn ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO, "usb", "%s: %s%s%s", sanitized_mount,
           out->message, out->detail[0] ? " — " : "", out->detail);
    if (report_fd >= 0) {
        write_report(report_fd, report_fd == lfd ? shown_dir : sanitized_mount, device, out,
                     file_line);
    }
    for (int f = 0; f < fo.n; f++) {
        if (fo.fd[f] != mfd && fo.fd[f] != lfd) {
            close(fo.fd[f]);
        }
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
    int stop_fd; /* an eventfd: usb_stop writes it */
    int busy;    /* the last scan left a stick for later (another install ran) */
    struct {
        dev_t dev;
        ino_t ino;
        uint64_t mnt;
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
    uint64_t mnt[MAX_STICKS];
    int n;
} Found;

/* The id of the mount that name (in folder fd; "" for fd itself) is on, 0 when the
 * kernel does not say. Device and inode alone do not tell sticks apart: the next stick
 * in the same port is /dev/sda again, and a freshly formatted FAT stick has the same
 * inode numbers, so a stick swapped for another between two scans would look like the
 * one already answered. A new mount has a new id. */
static uint64_t mount_id(int fd, const char *name)
{
    struct statx sx;
    if (statx(fd, name, (*name ? 0 : AT_EMPTY_PATH) | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID,
              &sx) != 0 || !(sx.stx_mask & STATX_MNT_ID)) {
        return 0;
    }
    return sx.stx_mnt_id;
}

/* Adds the stick at path with the identity of its litfass entry (and the mount it is
 * on), once: the same stick reached through two overlapping roots (/media and
 * /media/usb) is one. */
static void add_stick(Found *f, const char *path, const struct stat *id, uint64_t mnt)
{
    for (int i = 0; i < f->n; i++) {
        if (f->dev[i] == id->st_dev && f->ino[i] == id->st_ino && f->mnt[i] == mnt) {
            return;
        }
    }
    if (f->n < MAX_STICKS) {
        snprintf(f->path[f->n], sizeof f->path[0], "%s", path);
        f->dev[f->n] = id->st_dev;
        f->ino[f->n] = id->st_ino;
        f->mnt[f->n] = mnt;
        f->n++;
    }
}

/* Looks at the open folder fd (path, depth levels left to descend). It is a stick
 * when its entry `litfass` is a folder on the same file system: a `litfass` that is
 * a mount point is itself a stick mounted at a folder named litfass (the README's
 * fstab example), found one level down, never the bundle folder of fd. Below a root,
 * a mount point is a stick too, with or without litfass/ (so that a stick with its
 * bundle at the top, or none at all, is answered rather than ignored); a plain
 * folder without litfass/ is not. A root is a stick only when a stick is mounted
 * right on it and has litfass/ (a root that is a file system of its own, such as a
 * tmpfs /media, is not a stick). A `litfass` that is a symbolic link counts as a
 * stick too, so that it is refused with a report rather than ignored. Only real
 * folders are descended into. */
static void look(int fd, const char *path, int depth, int is_root, Found *f)
{
    struct stat self, ls, up;
    if (f->n >= MAX_STICKS || fstat(fd, &self) != 0) {
        return;
    }
    int mounted = fstatat(fd, "..", &up, 0) == 0 && up.st_dev != self.st_dev;
    if (fstatat(fd, "litfass", &ls, AT_SYMLINK_NOFOLLOW) == 0) {
        int stick = S_ISLNK(ls.st_mode) || (S_ISDIR(ls.st_mode) && ls.st_dev == self.st_dev);
        if (stick && (!is_root || mounted)) {
            add_stick(f, path, &ls, mount_id(fd, "litfass"));
            return;
        }
    }
    if (mounted && !is_root) {
        add_stick(f, path, &self, mount_id(fd, ""));
        return;
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
            known |= u->seen[k].dev == f.dev[i] && u->seen[k].ino == f.ino[i] &&
                     u->seen[k].mnt == f.mnt[i];
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
    u->busy = 0;
    for (int i = 0; i < f.n; i++) {
        u->busy |= retry[i];
    }
    u->n_seen = 0;
    for (int i = 0; i < f.n; i++) {
        if (!retry[i]) {
            u->seen[u->n_seen].dev = f.dev[i];
            u->seen[u->n_seen].ino = f.ino[i];
            u->seen[u->n_seen].mnt = f.mnt[i];
            u->n_seen++;
        }
    }
}

/* Watches each root and its direct subfolders (/media and /media/USER) for folders made,
 * moved or removed there. Watching an inode twice is harmless: inotify gives the same
 * watch; a removed folder's watch goes by itself. */
static void watch_roots(const Usb *u, int ino)
{
    const uint32_t mask = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", u->roots);
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ') {
            p++;
        }
        if (!*p || inotify_add_watch(ino, p, mask) < 0) {
            continue;
        }
        DIR *d = opendir(p);
        for (struct dirent *e; d && (e = readdir(d));) {
            char sub[1024];
            struct stat st;
            if (e->d_name[0] == '.' ||
                (size_t)snprintf(sub, sizeof sub, "%s/%s", p, e->d_name) >= sizeof sub ||
                lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) {
                continue;
            }
            inotify_add_watch(ino, sub, mask | IN_DONT_FOLLOW);
        }
        if (d) {
            closedir(d);
        }
    }
}

/* Waits up to ms for news: 1 when a mount or a root changed, 0 when the time ran out,
 * -1 when the watcher is to stop. */
static int wait_news(Usb *u, int ino, int mounts, int ms)
{
    struct pollfd p[3] = {
        { .fd = u->stop_fd, .events = POLLIN },
        { .fd = ino, .events = POLLIN },
        { .fd = mounts, .events = POLLPRI },
    };
    int n = poll(p, 3, ms);
    if (n < 0 && errno != EINTR) {
        return -1;
    }
    if (n <= 0) {
        return 0;
    }
    if (p[0].revents) {
        return -1;
    }
    if (p[1].revents & POLLIN) {
        char ev[4096];
        while (read(ino, ev, sizeof ev) > 0) {
        }
    }
    if (p[2].revents) {
        /* the mark stays until the table is read again from the start */
        char buf[4096];
        lseek(mounts, 0, SEEK_SET);
        while (read(mounts, buf, sizeof buf) > 0) {
        }
    }
    return 1;
}

static int run(void *arg)
{
    Usb *u = arg;
    int ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    int mounts = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (mounts >= 0) {
        char buf[4096];
        while (read(mounts, buf, sizeof buf) > 0) {
        }
    }
    if (ino < 0 || mounts < 0) {
        log_warn("usb", "no mount or folder events (%s); looking every %d s instead",
                 strerror(errno), u->interval_ms / 1000);
    }
    for (;;) {
        if (ino >= 0) {
            watch_roots(u, ino);
        }
        heartbeat_beat(&u->beat, mono_now());
        scan(u);
        heartbeat_idle(&u->beat);
        /* a stick left for later is looked at again in two seconds */
        int r = wait_news(u, ino, mounts, u->busy ? 2000 : u->interval_ms);
        /* a stick's folders and files appear over a moment: let it settle, then scan
         * once for all the events of that moment */
        while (r > 0) {
            r = wait_news(u, ino, mounts, 300) < 0 ? -1 : 0;
        }
        if (r < 0) {
            break;
        }
    }
    if (ino >= 0) {
        close(ino);
    }
    if (mounts >= 0) {
        close(mounts);
    }
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
    u->interval_ms = interval_ms > 0 ? interval_ms : USB_RESCAN_MS;
    u->notify = notify;
    u->ctx = ctx;
    u->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    mtx_init(&u->lock, mtx_plain);
    if (u->stop_fd < 0 || thrd_create(&u->thread, run, u) != thrd_success) {
        if (u->stop_fd >= 0) {
            close(u->stop_fd);
        }
        mtx_destroy(&u->lock);
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
    uint64_t one = 1;
    if (write(u->stop_fd, &one, sizeof one) != sizeof one) {
        abort(); /* an eventfd write of 1 cannot fail short of a bug */
    }
    thrd_join(u->thread, NULL);
    close(u->stop_fd);
    mtx_destroy(&u->lock);
    free(u);
}
