/* playlog: the display thread must never wait for the SD card, so it only copies a
 * play into a memory batch under a mutex; the report worker writes the batch (append,
 * fsync of each file touched, fsync of the folder when a file was created). A power cut
 * can tear the last line of a day file: it is cut off before the next append and left
 * out on read, so a file always holds whole lines. The bound is in bytes over all day
 * files: a week offline on a busy screen drops the oldest days, and the next status
 * says which.
 * Dates come from the display's wall clock, which can be wrong (a board without a
 * real-time clock, a configuration that trusts a clock it should not). The report
 * hands plays over only while the clock is trusted, but a day file dated after today
 * can still be there (written before the clock was corrected): by date it would be
 * the last to go, outliving every real day, and would be "today" until its date
 * came. So with a trusted today, a day more than one day after it is a stray: dropped
 * first when over the bound (and sent, then removed, by the report). One day ahead is
 * allowed for a change of time zone. A year beyond 9999 would make a name that is not
 * a day (never listed, never bounded, never sent): such a play is refused. */
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

/* The last start a day name of four-digit years can hold in any time zone:
 * 9999-12-30T00:00:00Z. */
#define LAST_START_MS 253402128000000LL

struct PlayLog {
    char dir[512];
    long long max_bytes;
    mtx_t lock;
    PlayEntry batch[PLAYLOG_BATCH];
    int n;
    PlayEntry io[PLAYLOG_BATCH]; /* the worker's copy while writing */
    long lost;                   /* plays that found no room or no disk */
    long impossible;             /* plays dated before 1970 or after the year 9999 */
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
        log_warn("report", "play log: %s %s", path,
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
        log_error("report", "cannot create the play log folder %s: %s", dir, strerror(errno));
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
    playlog_flush(p, NULL);
    mtx_destroy(&p->lock);
    free(p);
}

void playlog_add(PlayLog *p, const PlayEntry *e)
{
    mtx_lock(&p->lock);
    if (e->start_ms < 0 || e->start_ms > LAST_START_MS) {
        p->impossible++;
    } else if (p->n < PLAYLOG_BATCH) {
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
        log_warn("report", "play log: cannot keep the note in %s: %s", tmp, strerror(errno));
        return;
    }
    size_t len = strlen(p->note);
    int ok = write(fd, p->note, len) == (ssize_t)len;
    if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
        log_warn("report", "play log: cannot keep the note in %s: %s", path, strerror(errno));
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

/* Every day on disk, oldest first, into a malloc'd *out (caller frees; NULL when none):
 * all of them, however many a wrong clock made, so that the bound sees every byte.
 * Returns their number. */
static int list_days(PlayLog *p, char (**out)[11])
{
    char(*days)[11] = NULL;
    int n = 0, cap = 0;
    *out = NULL;
    DIR *d = opendir(p->dir);
    if (!d) {
        return 0;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!valid_day(e->d_name)) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            days = realloc(days, (size_t)cap * sizeof days[0]);
            if (!days) {
                abort();
            }
        }
        memcpy(days[n], e->d_name, 10);
        days[n][10] = '\0';
        n++;
    }
    closedir(d);
    if (n > 0) {
        qsort(days, (size_t)n, sizeof days[0], by_name);
    }
    *out = days;
    return n;
}

int playlog_days(PlayLog *p, char (*days)[11], int max)
{
    char(*all)[11];
    int n = list_days(p, &all);
    n = n < max ? n : max;
    if (n > 0) {
        memcpy(days, all, (size_t)n * sizeof all[0]);
    }
    free(all);
    return n;
}

/* Size of a day's file (0 when it is not a plain file: a link's target is not ours). */
static long long day_bytes(PlayLog *p, const char *day)
{
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/%.10s.csv", p->dir, day);
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : 0;
}

long long playlog_bytes(PlayLog *p)
{
    char(*days)[11];
    long long total = 0;
    int n = list_days(p, &days);
    for (int i = 0; i < n; i++) {
        total += day_bytes(p, days[i]);
    }
    free(days);
    return total;
}

/* Sets *out to the day number of "YYYY-MM-DD" (days since 1970-01-01) and returns 0;
 * returns -1 (*out 0) for a name that is no date. */
static int day_number(const char *day, int64_t *out)
{
    int y, m, d;
    char extra;
    if (sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        *out = 0;
        return -1;
    }
    *out = clock_days_from_civil(y, m, d);
    return 0;
}

int playlog_days_after(const char *day, const char *today)
{
    int64_t a, b;
    if (day_number(today, &b) != 0) {
        return 0;
    }
    if (day_number(day, &a) != 0) {
        return 1000000; /* "2026-13-45": no day at all, a stray like the furthest */
    }
    int64_t apart = a - b;
    return apart > 1000000 ? 1000000 : apart < -1000000 ? -1000000 : (int)apart;
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

/* Drops one day's file for the bound; adds its name to dropped (cut with "…" when
 * long) and returns its bytes, or 0 when it was not removed. */
static long long drop_day(PlayLog *p, const char *day, char *dropped, size_t len)
{
    char path[600];
    long long bytes = day_bytes(p, day);
    snprintf(path, sizeof path, "%s/%.10s.csv", p->dir, day);
    if (bytes == 0 || unlink(path) != 0) {
        return 0;
    }
    size_t have = strlen(dropped);
    if (have + 20 < len) {
        snprintf(dropped + have, len - have, "%s%.10s", have ? ", " : "", day);
    } else if (have + 6 < len && !strstr(dropped, "\xE2\x80\xA6")) {
        snprintf(dropped + have, len - have, ", \xE2\x80\xA6");
    }
    return bytes;
}

/* While over the bound: with a trusted today, the strays (days more than one day after
 * it), furthest first, then the oldest days, never today; without one (the clock not
 * trusted), the oldest days but keep (the newest written or on disk). */
static void enforce_bound(PlayLog *p, const char *today, const char *keep)
{
    char(*days)[11], dropped[300] = "";
    int n = list_days(p, &days);
    long long total = 0;
    for (int i = 0; i < n; i++) {
        total += day_bytes(p, days[i]);
    }
    if (today) {
        for (int i = n - 1; i >= 0 && total > p->max_bytes; i--) {
            if (playlog_days_after(days[i], today) > 1) {
                total -= drop_day(p, days[i], dropped, sizeof dropped);
            }
        }
    }
    for (int i = 0; i < n && total > p->max_bytes; i++) {
        if (today ? strcmp(days[i], today) == 0 || playlog_days_after(days[i], today) > 1
                  : strcmp(days[i], keep) == 0) {
            continue; /* today's, or a stray already gone */
        }
        total -= drop_day(p, days[i], dropped, sizeof dropped);
    }
    free(days);
    if (dropped[0]) {
        char what[400];
        snprintf(what, sizeof what, "plays of %s dropped (play log over %lld KB)", dropped,
                 p->max_bytes / 1024);
        log_warn("report", "%s", what);
        mtx_lock(&p->lock);
        note_locked(p, what);
        mtx_unlock(&p->lock);
    }
}

int playlog_flush(PlayLog *p, const char *today)
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
    if (p->impossible > 0) {
        char what[120];
        snprintf(what, sizeof what, "%ld plays not logged: the clock said a time before 1970 "
                 "or after the year 9999", p->impossible);
        p->impossible = 0;
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
            log_warn("report", "play log: %s", what);
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
    if (!newest[0] && !today) {
        char(*days)[11];
        int nd = list_days(p, &days);
        if (nd > 0) {
            memcpy(newest, days[nd - 1], sizeof newest);
        }
        free(days);
    }
    enforce_bound(p, today, newest);
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
