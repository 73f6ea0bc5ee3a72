/* playlog: the display thread must never wait for the SD card, so it only copies a
 * play into a memory batch under a mutex; the report worker writes the batch (append,
 * fsync of each file touched, fsync of the folder when a file was created). A power cut
 * can tear the last line of a day file: it is cut off before the next append and left
 * out on read, so a file always holds whole lines. The bound is in bytes over all day
 * files: a week offline on a busy screen drops the oldest days, and the next status
 * says which. */
#define _POSIX_C_SOURCE 200809L
#include "report/playlog.h"

#include "base/clock.h"
#include "base/log.h"

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

#define MAX_DAYS 400

struct PlayLog {
    char dir[512];
    long long max_bytes;
    mtx_t lock;
    PlayEntry batch[PLAYLOG_BATCH];
    int n;
    PlayEntry io[PLAYLOG_BATCH]; /* the worker's copy while writing */
    long lost;                   /* plays that found no room or no disk */
    char note[400];
};

/* Opens a file of the log that must be a plain file of its own: a link is not followed
 * (an append would write, a cut would truncate, a read would send its target) and a FIFO
 * or device is not waited on. Returns the fd (blocking again), or -1 (logged). */
static int open_plain(const char *path, int flags)
{
    int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        log_msg("report", "play log: %s %s", path,
                fd < 0 ? (errno == ELOOP ? "is a link, not followed" : strerror(errno))
                       : "is not a plain file, left alone");
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int playlog_open(const char *dir, long long max_bytes, PlayLog **out)
{
    *out = NULL;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        log_msg("report", "cannot create the play log folder %s: %s", dir, strerror(errno));
        return -1;
    }
    PlayLog *p = calloc(1, sizeof *p);
    if (!p) {
        abort();
    }
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    p->max_bytes = max_bytes;
    mtx_init(&p->lock, mtx_plain);
    char path[600];
    snprintf(path, sizeof path, "%s/.note", dir);
    int fd = access(path, F_OK) == 0 ? open_plain(path, O_RDONLY) : -1;
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f && fd >= 0) {
        close(fd);
    }
    if (f) { /* what was lost before a restart, not yet reported */
        if (!fgets(p->note, sizeof p->note, f)) {
            p->note[0] = '\0';
        }
        p->note[strcspn(p->note, "\n")] = '\0';
        fclose(f);
    }
    *out = p;
    return 0;
}

void playlog_close(PlayLog *p)
{
    if (!p) {
        return;
    }
    playlog_flush(p);
    mtx_destroy(&p->lock);
    free(p);
}

void playlog_add(PlayLog *p, const PlayEntry *e)
{
    mtx_lock(&p->lock);
    if (p->n < PLAYLOG_BATCH) {
        p->batch[p->n++] = *e;
    } else {
        p->lost++;
    }
    mtx_unlock(&p->lock);
}

/* Keeps the note in DIR/.note (under the lock), so that a restart before the next status
 * was delivered does not forget what was lost. */
static void save_note_locked(PlayLog *p)
{
    char path[600], tmp[610];
    snprintf(path, sizeof path, "%s/.note", p->dir);
    if (!p->note[0]) {
        unlink(path);
        return;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    /* a fresh file of our own: never written through a link left there, never waiting
     * on a FIFO (the display thread may be waiting for this lock); a full disk keeps the
     * old note, which says less, and costs no crash */
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0) {
        log_msg("report", "play log: cannot keep the note in %s: %s", tmp, strerror(errno));
        return;
    }
    size_t len = strlen(p->note);
    int ok = write(fd, p->note, len) == (ssize_t)len;
    if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
        log_msg("report", "play log: cannot keep the note in %s: %s", path, strerror(errno));
        unlink(tmp);
    }
}

/* Appends to the note (under the lock). */
static void note_locked(PlayLog *p, const char *what)
{
    size_t have = strlen(p->note);
    if (have + strlen(what) + 3 < sizeof p->note) {
        snprintf(p->note + have, sizeof p->note - have, "%s%s", have ? "; " : "", what);
        save_note_locked(p);
    }
}

/* "YYYY-MM-DD.csv" with digits exactly there: the name goes into the URL, and one that
 * cannot be sent (" 026-...": curl refuses the space; sscanf's %d let it through) would
 * sort first and hold back every later day at every try. */
static int valid_day(const char *name)
{
    static const char form[] = "dddd-dd-dd.csv";
    if (strlen(name) != sizeof form - 1) {
        return 0;
    }
    for (size_t i = 0; form[i]; i++) {
        if (form[i] == 'd' ? name[i] < '0' || name[i] > '9' : name[i] != form[i]) {
            return 0;
        }
    }
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

int playlog_days(PlayLog *p, char (*days)[11], int max)
{
    DIR *d = opendir(p->dir);
    int n = 0;
    if (!d) {
        return 0;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL && n < max;) {
        if (valid_day(e->d_name)) {
            memcpy(days[n], e->d_name, 10);
            days[n][10] = '\0';
            n++;
        }
    }
    closedir(d);
    qsort(days, (size_t)n, sizeof days[0], by_name);
    return n;
}

long long playlog_bytes(PlayLog *p)
{
    char days[MAX_DAYS][11], path[600];
    long long total = 0;
    int n = playlog_days(p, days, MAX_DAYS);
    for (int i = 0; i < n; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%.10s.csv", p->dir, days[i]);
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) { /* not a link's target */
            total += st.st_size;
        }
    }
    return total;
}

/* Opens a day file for appending; cuts a torn last line first; writes the header into a
 * new file. Sets *created. Returns the fd or -1. */
static int open_day(PlayLog *p, const char *day, int *created)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s.csv", p->dir, day);
    int fd = open_plain(path, O_RDWR | O_CREAT);
    if (fd < 0) {
        return -1;
    }
    off_t end = lseek(fd, 0, SEEK_END);
    *created = end == 0;
    if (end > 0) {
        /* find the last newline from the end, in blocks */
        char buf[512];
        off_t keep = 0, pos = end;
        while (pos > 0 && keep == 0) {
            off_t from = pos > (off_t)sizeof buf ? pos - (off_t)sizeof buf : 0;
            ssize_t got = pread(fd, buf, (size_t)(pos - from), from);
            if (got <= 0) {
                break;
            }
            for (ssize_t i = got - 1; i >= 0; i--) {
                if (buf[i] == '\n') {
                    keep = from + i + 1;
                    break;
                }
            }
            pos = from;
        }
        if (keep != end) {
            log_msg("report", "play log %s.csv: a torn last line (a power cut) is cut off", day);
            if (ftruncate(fd, keep) != 0) {
                close(fd);
                return -1;
            }
            *created = keep == 0;
        }
    }
    if (lseek(fd, 0, SEEK_END) < 0 ||
        (*created && write(fd, PLAYLOG_HEADER, strlen(PLAYLOG_HEADER)) < 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void day_of(int64_t ms, char *day)
{
    struct tm t;
    char buf[48];
    clock_local(ms, &t);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
    memcpy(day, buf, 10);
    day[10] = '\0';
}

/* Drops the oldest days but keep (today) while over the bound. */
static void enforce_bound(PlayLog *p, const char *keep)
{
    char days[MAX_DAYS][11], path[600], dropped[300] = "";
    int n = playlog_days(p, days, MAX_DAYS);
    long long total = playlog_bytes(p);
    for (int i = 0; i < n && total > p->max_bytes; i++) {
        if (strcmp(days[i], keep) == 0) {
            continue;
        }
        struct stat st;
        snprintf(path, sizeof path, "%s/%.10s.csv", p->dir, days[i]);
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0) {
            total -= st.st_size;
            size_t have = strlen(dropped);
            snprintf(dropped + have, sizeof dropped - have, "%s%.10s", have ? ", " : "", days[i]);
        }
    }
    if (dropped[0]) {
        char what[400];
        snprintf(what, sizeof what, "plays of %s dropped (play log over %lld KB)", dropped,
                 p->max_bytes / 1024);
        log_msg("report", "%s", what);
        mtx_lock(&p->lock);
        note_locked(p, what);
        mtx_unlock(&p->lock);
    }
}

int playlog_flush(PlayLog *p)
{
    mtx_lock(&p->lock);
    int n = p->n;
    memcpy(p->io, p->batch, (size_t)n * sizeof p->batch[0]);
    p->n = 0;
    long lost = p->lost;
    p->lost = 0;
    if (lost > 0) {
        char what[120];
        snprintf(what, sizeof what, "%ld plays not logged (more than %d between two writes)",
                 lost, PLAYLOG_BATCH);
        note_locked(p, what);
    }
    mtx_unlock(&p->lock);

    int failed = 0, any_created = 0;
    char newest[11] = "";
    for (int i = 0; i < n;) {
        char day[11];
        day_of(p->io[i].start_ms, day);
        int created = 0, fd = open_day(p, day, &created);
        any_created |= created;
        /* every play of this day in the batch, in one write */
        char buf[PLAYLOG_BATCH * 16];
        size_t len = 0;
        int j = i;
        for (; j < n; j++) {
            char d[11], start[32];
            day_of(p->io[j].start_ms, d);
            if (strcmp(d, day) != 0 || len + 200 > sizeof buf) {
                break;
            }
            clock_format_utc(p->io[j].start_ms, start, sizeof start);
            int w = snprintf(buf + len, sizeof buf - len, "%s,%lld.%01lld,%s,%s,%lld\n", start,
                             (long long)(p->io[j].duration_ms / 1000),
                             (long long)(p->io[j].duration_ms % 1000 / 100), p->io[j].page,
                             p->io[j].lang, p->io[j].version);
            if (w > 0 && (size_t)w < sizeof buf - len) {
                len += (size_t)w;
            }
        }
        ssize_t wrote = fd < 0 ? -1 : write(fd, buf, len);
        if (wrote >= 0 && wrote != (ssize_t)len) {
            errno = ENOSPC; /* a short write sets no errno: the disk (or the file) is full */
        }
        if (fd < 0 || wrote != (ssize_t)len || fsync(fd) != 0) {
            char what[160];
            snprintf(what, sizeof what, "%d plays of %s not written: %s", j - i, day,
                     strerror(errno));
            log_msg("report", "play log: %s", what);
            mtx_lock(&p->lock);
            note_locked(p, what);
            mtx_unlock(&p->lock);
            failed = 1;
        }
        if (fd >= 0) {
            close(fd);
        }
        if (strcmp(day, newest) > 0) {
            memcpy(newest, day, sizeof newest);
        }
        i = j;
    }
    if (any_created) { /* a new file's name must survive the cut too */
        int dfd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    if (!newest[0]) {
        char days[MAX_DAYS][11];
        int nd = playlog_days(p, days, MAX_DAYS);
        if (nd > 0) {
            memcpy(newest, days[nd - 1], sizeof newest);
        }
    }
    enforce_bound(p, newest);
    return failed ? -1 : 0;
}

int playlog_read_day(PlayLog *p, const char *day, char **buf, size_t *len)
{
    char path[600];
    *buf = NULL;
    *len = 0;
    snprintf(path, sizeof path, "%s/%s.csv", p->dir, day);
    int fd = open_plain(path, O_RDONLY);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size > p->max_bytes + 65536) {
        fclose(f);
        return -1;
    }
    char *b = malloc((size_t)st.st_size + 1);
    if (!b) {
        abort();
    }
    size_t got = fread(b, 1, (size_t)st.st_size, f);
    fclose(f);
    while (got > 0 && b[got - 1] != '\n') { /* a torn last line */
        got--;
    }
    b[got] = '\0';
    *buf = b;
    *len = got;
    return 0;
}

int playlog_remove_day(PlayLog *p, const char *day)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s.csv", p->dir, day);
    return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

void playlog_note(PlayLog *p, char *buf, size_t len)
{
    mtx_lock(&p->lock);
    snprintf(buf, len, "%s", p->note);
    mtx_unlock(&p->lock);
}

void playlog_clear_note(PlayLog *p, const char *sent)
{
    size_t n = strlen(sent);
    mtx_lock(&p->lock);
    if (strncmp(p->note, sent, n) == 0) {
        const char *rest = p->note + n;
        rest += strncmp(rest, "; ", 2) == 0 ? 2 : 0;
        memmove(p->note, rest, strlen(rest) + 1);
        save_note_locked(p);
    }
    mtx_unlock(&p->lock);
}
