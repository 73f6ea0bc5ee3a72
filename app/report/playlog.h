/* playlog: proof of play. Owns the local, append-only play log in DIR (the state
 * directory's plays/): one CSV file per local day, YYYY-MM-DD.csv, a line per page shown
 * (start, duration, page, language, content version). The display thread only adds to a
 * bounded memory batch; the report worker writes batches with fsync, keeps the folder
 * within its byte bound by dropping first the days dated after today (a wrong clock's),
 * then the oldest (noted for the next status) and removes a day only after the server
 * confirmed it. Thread-safe. */
#ifndef LITFASS_PLAYLOG_H
#define LITFASS_PLAYLOG_H

#include <stddef.h>
#include <stdint.h>

typedef struct PlayLog PlayLog;

typedef struct {
    int64_t start_ms;    /* wall clock, UTC ms */
    int64_t duration_ms;
    char page[32];
    char lang[8];
    long long version; /* content version shown (0: none) */
} PlayEntry;

/* Plays kept in memory between two writes; more are counted as lost (noted). */
#define PLAYLOG_BATCH 512

#define PLAYLOG_HEADER "start,duration_s,page,language,content_version\n"

/* Opens (creates) the play log in dir, bounded to max_bytes on disk. Returns 0, or -1
 * with *out NULL when dir cannot be created. */
int playlog_open(const char *dir, long long max_bytes, PlayLog **out);

/* Writes what is pending (playlog_flush) and frees. Accepts NULL. */
void playlog_close(PlayLog *p);

/* Adds a play to the memory batch (copied; never touches the disk, never blocks on it).
 * A play dated before 1970 or after the year 9999 (no day name holds it) is not kept,
 * only counted for the note. */
void playlog_add(PlayLog *p, const PlayEntry *e);

/* Appends the batch to the day files with fsync (a torn last line left by a power cut is
 * cut off first), then, while the folder is over its bound, drops days: given today
 * ("YYYY-MM-DD" of a trusted clock), first the days more than one day after it (the
 * furthest first), then the oldest, never today's; with today NULL (the clock not
 * trusted), the oldest, never the newest day written or on disk. Returns 0, or -1 when
 * a write failed (those plays are lost and noted). Call from one thread only (the
 * report worker). */
int playlog_flush(PlayLog *p, const char *today);

/* Days from today to day (both "YYYY-MM-DD"): 0 for today, 1 for tomorrow, negative for
 * a past day, 1000000 when day is no date (a month 13), 0 when today is none. More than
 * 1 marks a day a wrong clock wrote. */
int playlog_days_after(const char *day, const char *today);

/* The days on disk, oldest first, as "YYYY-MM-DD" into days (the oldest max of them).
 * Returns their number. */
int playlog_days(PlayLog *p, char (*days)[11], int max);

/* Reads one day's file into a malloc'd *buf (caller frees) of *len bytes, without a torn
 * last line (one not ending in a newline). Returns 0, or -1 with *buf NULL. */
int playlog_read_day(PlayLog *p, const char *day, char **buf, size_t *len);

/* Removes a day's file (after the server confirmed it). Returns 0 or -1. */
int playlog_remove_day(PlayLog *p, const char *day);

/* What was lost since the note was last cleared (kept in DIR/.note across restarts) ("dropped 2026-11-01, 2026-11-02 (over
 * 4096 KB)"; "" when nothing), copied into buf. */
void playlog_note(PlayLog *p, char *buf, size_t len);

/* Clears sent from the start of the note (after a status carrying it was delivered);
 * what was noted since stays. */
void playlog_clear_note(PlayLog *p, const char *sent);

/* Bytes of the day files on disk. */
long long playlog_bytes(PlayLog *p);

#endif
