/* Reports against hostile surroundings: a report server written here in Python that
 * redirects, answers without end (body or headers), answers byte by byte, closes in the
 * middle of an upload or says 200 without storing; a play log folder whose day files or
 * note are links or FIFOs or sit on a full disk; a report folder for `litfassctl fleet`
 * with FIFOs, links, a huge and a malformed status.json and thousands of screens.
 * Each must cost the display nothing, follow no link, wait on no FIFO, keep memory bounded
 * and lose no play that the server did not take. */
#include "testutil.h"

#include "check.h"

#include "base/clock.h"
#include "report/playlog.h"
#include "report/report.h"

#include <curl/curl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static const char *tmp;
static Clock sys_clock;

static PlayEntry play(int64_t start, const char *page)
{
    PlayEntry e;
    memset(&e, 0, sizeof e);
    e.start_ms = start;
    e.duration_ms = 20000;
    snprintf(e.page, sizeof e.page, "%s", page);
    snprintf(e.lang, sizeof e.lang, "de");
    e.version = 7;
    return e;
}

static void day_name(int64_t ms, char *out)
{
    struct tm t;
    char buf[48];
    clock_local(ms, &t);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

/* ---- the play log on the screen's own disk ---- */

/* Runs fn in a child with an alarm: a hang (a FIFO waited on) or a crash (a double
 * fclose on a full disk) fails the test instead of the whole program. */
static int in_child(void (*fn)(const char *), const char *dir, int seconds)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        alarm((unsigned)seconds);
        int before = check_failed; /* failures of earlier tests are not this one's */
        fn(dir);
        fflush(NULL);
        _exit(check_failed > before ? 1 : 0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "  the child died of signal %d (%s)\n", WTERMSIG(st),
                WTERMSIG(st) == SIGALRM ? "it hung" : "a crash");
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void links_and_fifos(const char *dir)
{
    char *secret = test_fmt("%s/../secret.txt", dir);
    test_write(secret, "password=hunter2\nno newline at the end", 38);
    char *note = test_fmt("%s/.note", dir), *fifo_day = test_fmt("%s/2026-11-20.csv", dir),
         *link_day = test_fmt("%s/2026-11-21.csv", dir);
    CHECK_INT(mkfifo(note, 0644), 0);
    CHECK_INT(mkfifo(fifo_day, 0644), 0);
    CHECK_INT(symlink(secret, link_day), 0);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char today[11];
    day_name(now, today);
    char *link_today = test_fmt("%s/%s.csv", dir, today);
    CHECK_INT(symlink(secret, link_today), 0);
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0); /* .note is a FIFO: not waited on */
    char *buf = NULL;
    size_t len;
    CHECK_INT(playlog_read_day(p, "2026-11-20", &buf, &len), -1); /* FIFO */
    CHECK_INT(playlog_read_day(p, "2026-11-21", &buf, &len), -1); /* link: not sent */
    CHECK(buf == NULL);
    PlayEntry e = play(now, "campaign");
    playlog_add(p, &e);
    CHECK_INT(playlog_flush(p, NULL), -1); /* today's file is a link: not written through */
    char *s = test_read(secret, NULL);
    CHECK_STR(s, "password=hunter2\nno newline at the end"); /* neither cut nor appended */
    free(s);
    playlog_close(p);
}

/* Day files and the note that are links or FIFOs: never followed, never waited on. */
TEST(play_log_links_and_fifos_are_neither_followed_nor_waited_on)
{
    char *dir = test_fmt("%s/plays-links", tmp);
    mkdir(dir, 0755);
    CHECK_INT(in_child(links_and_fifos, dir, 10), 0);
    free(dir);
}

/* A full disk for files of this process (RLIMIT_FSIZE stands in for ENOSPC: writes past
 * max bytes fail short) from now on, or no limit again with max < 0. */
static void disk_full_at(long long max)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl;
    getrlimit(RLIMIT_FSIZE, &rl);
    rl.rlim_cur = max < 0 ? rl.rlim_max : (rlim_t)max;
    CHECK_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void full_disk_note(const char *dir)
{
    char *tmpnote = test_fmt("%s/.note.tmp", dir), *victim = test_fmt("%s.victim", dir);
    test_write(victim, "keep\n", 5);
    CHECK_INT(symlink(victim, tmpnote), 0); /* a link left there: not written through */
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    for (int i = 0; i < PLAYLOG_BATCH + 5; i++) {
        PlayEntry e = play(now, "campaign");
        playlog_add(p, &e); /* 5 too many: a note is written */
    }
    disk_full_at(1);
    CHECK_INT(playlog_flush(p, NULL), -1); /* neither the plays nor the note fit */
    disk_full_at(-1);
    char note[400];
    playlog_note(p, note, sizeof note);
    CHECK_HAS(note, "5 plays not logged"); /* kept in memory for the next status */
    playlog_close(p);
    char *kept = test_read(victim, NULL);
    CHECK_STR(kept, "keep\n");
    free(kept);
    free(tmpnote);
    free(victim);
}

/* The note cannot be written (a full disk): no crash, the note stays in memory. */
TEST(a_full_disk_under_the_note_costs_no_crash)
{
    char *dir = test_fmt("%s/plays-full", tmp);
    mkdir(dir, 0755);
    CHECK_INT(in_child(full_disk_note, dir, 10), 0);
    free(dir);
}

/* Appending the plays on a full disk (RLIMIT_FSIZE stands in for ENOSPC: the write
 * fails short): no crash, the loss is noted, and what was written before stays whole. */
static void full_disk_append(const char *dir)
{
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    PlayEntry e = play(now, "campaign");
    playlog_add(p, &e);
    CHECK_INT(playlog_flush(p, NULL), 0);
    char day[11];
    day_name(now, day);
    char *file = test_fmt("%s/%s.csv", dir, day);
    struct stat st;
    stat(file, &st);
    disk_full_at((long long)st.st_size + 10);
    for (int i = 0; i < 10; i++) {
        playlog_add(p, &e);
    }
    CHECK_INT(playlog_flush(p, NULL), -1);
    char note[400];
    playlog_note(p, note, sizeof note);
    CHECK_HAS(note, "not written: No space left on device"); /* not a stale errno */
    disk_full_at(-1);
    char *buf;
    size_t len;
    CHECK_INT(playlog_read_day(p, day, &buf, &len), 0);
    CHECK(buf && len > 0 && buf[len - 1] == '\n'); /* the torn tail is never sent */
    free(buf);
    playlog_close(p);
    free(file);
}

TEST(a_full_disk_on_append_is_noted_not_fatal)
{
    char *dir = test_fmt("%s/plays-enospc", tmp);
    mkdir(dir, 0755);
    CHECK_INT(in_child(full_disk_append, dir, 10), 0);
    free(dir);
}

/* A day file that is a link to a big file: its target's size is not counted, so no real
 * day is dropped for it (before: every older day went, the link last). */
static void link_over_bound(const char *dir)
{
    char *big = test_fmt("%s.big", dir), *link = test_fmt("%s/2026-11-25.csv", dir),
         *real = test_fmt("%s/2026-11-01.csv", dir);
    FILE *f = fopen(big, "wb");
    fseek(f, 10L * 1024 * 1024, SEEK_SET);
    fputs("\n", f);
    fclose(f);
    CHECK_INT(symlink(big, link), 0);
    const char *rows = PLAYLOG_HEADER "2026-11-01T08:00:00Z,20.0,map,de,7\n";
    test_write(real, rows, strlen(rows));
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0);
    CHECK(playlog_bytes(p) < 1 << 20);
    PlayEntry e = play(sys_clock.wall_ms(&sys_clock), "campaign");
    playlog_add(p, &e);
    CHECK_INT(playlog_flush(p, NULL), 0);
    struct stat st;
    CHECK(stat(real, &st) == 0); /* the real day is still there */
    CHECK(stat(big, &st) == 0 && st.st_size > 1 << 20);
    playlog_close(p);
    free(big);
    free(link);
    free(real);
}

TEST(a_linked_day_file_costs_no_real_day_its_place)
{
    char *dir = test_fmt("%s/plays-linkbound", tmp);
    mkdir(dir, 0755);
    CHECK_INT(in_child(link_over_bound, dir, 10), 0);
    free(dir);
}

/* Names that look like a day to sscanf but are none ("+026-01-01.csv", " 026-01-01.csv",
 * "2026-+1-01.csv"): not days of the log (curl refuses a URL with a space, and such a
 * day, sorted first, held back every later day at every try). */
TEST(only_true_day_names_are_days_of_the_play_log)
{
    char *dir = test_fmt("%s/plays-names", tmp);
    mkdir(dir, 0755);
    const char *bad[] = { "+026-01-01.csv", " 026-01-01.csv", "-026-01-01.csv", "2026-+1-01.csv",
                          "2026- 1-01.csv", "2026-01-01.csx", "2026_01_01.csv" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *f = test_fmt("%s/%s", dir, bad[i]);
        test_write(f, PLAYLOG_HEADER, strlen(PLAYLOG_HEADER));
        free(f);
    }
    char *good = test_fmt("%s/2026-11-02.csv", dir);
    test_write(good, PLAYLOG_HEADER, strlen(PLAYLOG_HEADER));
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0);
    char days[16][11];
    int n = playlog_days(p, days, 16);
    CHECK_INT(n, 1);
    CHECK_STR(n > 0 ? days[0] : "", "2026-11-02");
    playlog_close(p);
    free(good);
    free(dir);
}

/* Device and screen names with quotes, backslashes, control bytes, invalid UTF-8, path
 * segments and great length: the folder name (the URL's path segment) stays one segment
 * of safe bytes, and status.json stays one valid document. */
TEST(hostile_names_stay_one_safe_folder_and_valid_json)
{
    const char *names[] = { "../../etc", "..", ".", "/abs/path", "a/../../b", "x\"y\\z",
                            "tab\there\nnl", "\xff\xfe invalid", "%2e%2e%2fup", "a?b#c d",
                            "" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char out[64];
        report_folder_name(names[i], out, sizeof out);
        CHECK(out[0] != '\0' && out[0] != '.');
        CHECK(strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
              strlen(out));
        CHECK(strstr(out, "..") == NULL || strchr(out, '/') == NULL);
    }
    char longname[5000];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    char out[64];
    report_folder_name(longname, out, sizeof out);
    CHECK_INT((int)strlen(out), 63);
    ReportConfig c;
    report_defaults(&c);
    c.screen = "x\"y\\z\n\x01\xff</script>";
    c.site = longname;
    ReportDisplay d;
    memset(&d, 0, sizeof d);
    snprintf(d.alert, sizeof d.alert, "a\"b\\c\r\n\x7f\xc3");
    char lines[2][240] = { "log \"x\" \\ \x1b[31m", "\xed\xa0\x80 surrogate" };
    char *json = report_status_json(&c, &d, "start", 0, "note\n\"q\"", lines, 2);
    char *path = test_fmt("%s/status-hostile.json", tmp);
    test_write(path, json, strlen(json));
    char *cmd = test_fmt("python3 -c 'import json,sys; d=json.load(open(sys.argv[1], "
                         "encoding=\"utf-8\", errors=\"strict\")); print(len(d))' %s",
                         path);
    char msg[2000];
    CHECK_INT(test_run(cmd, msg, sizeof msg), 0);
    CHECK(strstr(json, "</script>") == NULL);
    CHECK(strstr(json, "hunter") == NULL);
    free(json);
    free(path);
    free(cmd);
}


static void garbage_days(const char *dir)
{
    char *past = test_fmt("%s/2026-11-01.csv", dir);
    FILE *f = fopen(past, "wb"); /* 100 MB: garbage, then a hole */
    fputs("\x01\xff\xfe garbage, \"quotes\" <b>\n", f);
    fseek(f, 100L * 1024 * 1024, SEEK_SET);
    fputs("tail\n", f);
    fclose(f);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char today[11];
    day_name(now, today);
    char *cur = test_fmt("%s/%s.csv", dir, today);
    f = fopen(cur, "wb"); /* today's: 20 MB without a single newline */
    fputs("garbage", f);
    fseek(f, 20L * 1024 * 1024, SEEK_SET);
    fputs("x", f);
    fclose(f);
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0);
    char *buf = NULL;
    size_t len;
    CHECK_INT(playlog_read_day(p, "2026-11-01", &buf, &len), -1); /* over the bound: not read */
    CHECK(buf == NULL);
    int64_t t0 = sys_clock.mono_ms(&sys_clock);
    PlayEntry e = play(now, "campaign");
    playlog_add(p, &e);
    CHECK_INT(playlog_flush(p, NULL), 0);
    CHECK(sys_clock.mono_ms(&sys_clock) - t0 < 5000);
    CHECK(playlog_bytes(p) <= 1 << 20); /* the old day dropped, today's torn line cut */
    char note[400];
    playlog_note(p, note, sizeof note);
    CHECK_HAS(note, "2026-11-01");
    CHECK_INT(playlog_read_day(p, today, &buf, &len), 0);
    CHECK(buf && strncmp(buf, PLAYLOG_HEADER, strlen(PLAYLOG_HEADER)) == 0);
    CHECK_HAS(buf, ",campaign,de,7\n");
    free(buf);
    playlog_close(p);
    free(past);
    free(cur);
}

/* A 100 MB day of garbage and a today's file of 20 MB without a line end: never read
 * whole into memory, dropped over the bound with a note, today's cut back to whole lines. */
TEST(garbage_and_huge_play_log_files_are_read_bounded)
{
    char *dir = test_fmt("%s/plays-garbage", tmp);
    mkdir(dir, 0755);
    CHECK_INT(in_child(garbage_days, dir, 15), 0);
    free(dir);
}
/* ---- the fleet page on the server ---- */

/* A report folder with a FIFO for a status.json and for a day of plays, links, a 100 MB
 * status.json, malformed JSON, HTML in names and an absurd interval_s: the page is written
 * at once, bounded, escaped, and the silent screen is flagged. */
TEST(fleet_page_waits_on_no_fifo_and_escapes_what_it_reads)
{
    char *reports = test_fmt("%s/fleet-hostile", tmp);
    mkdir(reports, 0755);
    const char *folders[] = { "fifo", "huge", "broken", "html", "loop", "silent" };
    for (int i = 0; i < 6; i++) {
        char *d = test_fmt("%s/%s", reports, folders[i]), *pl = test_fmt("%s/plays", d);
        mkdir(d, 0755);
        mkdir(pl, 0755);
        free(d);
        free(pl);
    }
    char *p = test_fmt("%s/fifo/status.json", reports);
    CHECK_INT(mkfifo(p, 0644), 0);
    free(p);
    p = test_fmt("%s/fifo/plays/2026-11-26.csv", reports);
    CHECK_INT(mkfifo(p, 0644), 0);
    free(p);
    p = test_fmt("%s/huge/status.json", reports); /* 100 MB, sparse: "{" then zeros */
    FILE *f = fopen(p, "wb");
    fputs("{\"screen\": \"Huge\", ", f);
    fseek(f, 100L * 1024 * 1024, SEEK_SET);
    fputs("\"site\": \"far\"}", f);
    fclose(f);
    free(p);
    p = test_fmt("%s/broken/status.json", reports);
    const char *broken = "{\"screen\": \"Bro\\u00\"site\": \\";
    test_write(p, broken, strlen(broken));
    free(p);
    p = test_fmt("%s/html/plays/2026-11-26.csv", reports); /* durations that are garbage */
    const char *rows = PLAYLOG_HEADER "2026-11-26T08:00:00Z,1e308,map,de,7\n"
                                      "2026-11-26T08:00:01Z,nan,map,de,7\n"
                                      "2026-11-26T08:00:02Z,-1e308,map,de,7\n"
                                      "2026-11-26T08:00:03Z,inf,map,de,7\n"
                                      "2026-11-26T08:00:04Z,120.0,map,de,7\n";
    test_write(p, rows, strlen(rows));
    free(p);
    p = test_fmt("%s/html/status.json", reports);
    const char *html = "{\"screen\": \"<script>alert(1)</script>\", \"site\": "
                       "\"\\u003cb\\u003e\", \"alert\": \"<img src=x onerror=alert(2)>\"}";
    test_write(p, html, strlen(html));
    free(p);
    p = test_fmt("%s/silent/status.json", reports); /* absurd interval: no overflow */
    const char *silent = "{\"screen\": \"Silent\", \"reported\": \"2026-11-20T08:00:00Z\", "
                         "\"interval_s\": 9223372036854775807}";
    test_write(p, silent, strlen(silent));
    free(p);
    p = test_fmt("%s/loop/status.json", reports);
    CHECK_INT(symlink(p, p), 0); /* a link to itself */
    free(p);
    p = test_fmt("%s/loop/plays/2026-11-26.csv", reports);
    CHECK_INT(symlink("/dev/zero", p), 0);
    free(p);
    char *out = test_fmt("%s/fleet.html", tmp);
    char *cmd = test_fmt("timeout 10 " LITFASS_TEST_EXEC
                         "%s fleet %s -o %s --now 2026-11-27T09:00:00Z",
                         LITFASSCTL, reports, out);
    char msg[2000];
    int64_t t0 = sys_clock.mono_ms(&sys_clock);
    CHECK_INT(test_run(cmd, msg, sizeof msg), 0);
    CHECK(sys_clock.mono_ms(&sys_clock) - t0 < 5000);
    char *page = test_read(out, NULL);
    CHECK(page != NULL);
    CHECK(page && strstr(page, "<script") == NULL);
    CHECK(page && strstr(page, "<img src=x") == NULL);
    CHECK_HAS(page, "Huge");
    CHECK_HAS(page, "Bildschirme (6)");
    CHECK_HAS(page, "2026-11-26: 5 Seiten, 0:02 h"); /* the garbage durations add nothing */
    const char *row = page ? strstr(page, "Silent") : NULL; /* silent for a week: stale */
    while (row && row > page && strncmp(row, "<tr", 3) != 0) {
        row--;
    }
    CHECK(row && strncmp(row, "<tr class=\"stale\">", 18) == 0);
    free(page);
    free(cmd);
    free(out);
    free(reports);
}

/* A folder of more screens than one page shows: the page says how many are left out
 * instead of dropping them silently. */
TEST(fleet_page_says_what_it_leaves_out)
{
    char *reports = test_fmt("%s/fleet-over", tmp);
    mkdir(reports, 0755);
    for (int i = 0; i < 20005; i++) { /* 5 over the page's 20 000 */
        char *d = test_fmt("%s/s%05d", reports, i);
        mkdir(d, 0755);
        free(d);
    }
    char *out = test_fmt("%s/fleet-over.html", tmp);
    char *cmd = test_fmt("timeout 15 " LITFASS_TEST_EXEC
                         "%s fleet %s -o %s --now 2026-11-27T09:00:00Z",
                         LITFASSCTL, reports, out);
    char msg[2000];
    int64_t t0 = sys_clock.mono_ms(&sys_clock);
    CHECK_INT(test_run(cmd, msg, sizeof msg), 0);
    printf("  fleet page of 20 005 folders: %lld ms\n",
           (long long)(sys_clock.mono_ms(&sys_clock) - t0));
    char *page = test_read(out, NULL);
    CHECK_HAS(page, "5 weitere Bildschirme sind nicht aufgeführt");
    free(page);
    free(cmd);
    free(out);
    free(reports);
}

/* 3 000 screens, each with a status, a picture and three days of plays: timed. */
TEST(fleet_page_of_thousands_of_screens_is_quick)
{
    char *reports = test_fmt("%s/fleet-many", tmp);
    mkdir(reports, 0755);
    const char *rows = PLAYLOG_HEADER "2026-11-26T08:00:00Z,20.0,map,de,7\n"
                                      "2026-11-26T08:00:20Z,40.0,campaign,de,7\n";
    for (int i = 0; i < 3000; i++) {
        char *d = test_fmt("%s/screen-%04d", reports, i), *pl = test_fmt("%s/plays", d);
        mkdir(d, 0755);
        mkdir(pl, 0755);
        char *js = test_fmt("{\"screen\": \"screen-%04d\", \"site\": \"Hof\", \"reported\": "
                            "\"2026-11-27T08:58:00Z\", \"interval_s\": 300}",
                            i);
        char *f = test_fmt("%s/status.json", d);
        test_write(f, js, strlen(js));
        free(f);
        f = test_fmt("%s/screen.png", d);
        test_write(f, "png", 3);
        free(f);
        for (int day = 24; day < 27; day++) {
            f = test_fmt("%s/2026-11-%02d.csv", pl, day);
            test_write(f, rows, strlen(rows));
            free(f);
        }
        free(js);
        free(d);
        free(pl);
    }
    char *out = test_fmt("%s/fleet-many.html", tmp);
    char *cmd = test_fmt("timeout 15 " LITFASS_TEST_EXEC
                         "%s fleet %s -o %s --now 2026-11-27T09:00:00Z",
                         LITFASSCTL, reports, out);
    char msg[2000];
    int64_t t0 = sys_clock.mono_ms(&sys_clock);
    CHECK_INT(test_run(cmd, msg, sizeof msg), 0);
    int64_t took = sys_clock.mono_ms(&sys_clock) - t0;
    printf("  fleet page of 3000 screens: %lld ms\n", (long long)took);
    CHECK(took < 5000);
    free(cmd);
    free(out);
    free(reports);
}

/* ---- a hostile report server ---- */

static void msleep(long ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    return ntohs(a.sin_port);
}

static int file_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The hostile server: python3 SCRIPT MODE PORT LOG [ARG]; every request line it reads
 * is appended to LOG. */
static const char *server_py =
    "import socket, sys, threading, time\n"
    "mode, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
    "arg = sys.argv[4] if len(sys.argv) > 4 else ''\n"
    "def request(c, whole=True):\n"
    "    data = b''\n"
    "    while b'\\r\\n\\r\\n' not in data:\n"
    "        got = c.recv(4096)\n"
    "        if not got: return None\n"
    "        data += got\n"
    "    head, body = data.split(b'\\r\\n\\r\\n', 1)\n"
    "    with open(log, 'a') as f: f.write(head.split(b'\\r\\n')[0].decode() + '\\n')\n"
    "    n = 0\n"
    "    for line in head.split(b'\\r\\n'):\n"
    "        if line.lower().startswith(b'content-length:'): n = int(line.split(b':')[1])\n"
    "    while whole and len(body) < n:\n"
    "        got = c.recv(65536)\n"
    "        if not got: break\n"
    "        body += got\n"
    "    return body\n"
    "def serve(c):\n"
    "    try:\n"
    "        if mode == 'close':\n"
    "            request(c, False); c.close(); return\n"
    "        if request(c) is None: return\n"
    "        if mode == 'redirect':\n"
    "            c.sendall(b'HTTP/1.1 301 Moved\\r\\nLocation: ' + arg.encode() +\n"
    "                      b'\\r\\nContent-Length: 0\\r\\n\\r\\n')\n"
    "        elif mode == 'portal':\n"
    "            page = b'<html><body>Please log in to the free WiFi</body></html>'\n"
    "            c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html; charset=utf-8\\r\\n'\n"
    "                      b'Content-Length: %d\\r\\n\\r\\n' % len(page) + page)\n"
    "        elif mode == 'store':\n"
    "            c.sendall(b'HTTP/1.1 201 Created\\r\\nContent-Length: 0\\r\\n\\r\\n')\n"
    "        elif mode == 'body':\n"
    "            c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n')\n"
    "            while True: c.sendall(b'x' * 65536)\n"
    "        elif mode == 'headers':\n"
    "            c.sendall(b'HTTP/1.1 200 OK\\r\\n')\n"
    "            while True: c.sendall(b'X-Junk: ' + b'a' * 200 + b'\\r\\n')\n"
    "        elif mode == 'slow':\n"
    "            for b in b'HTTP/1.1 201 Created\\r\\nContent-Length: 0\\r\\n\\r\\n':\n"
    "                c.sendall(bytes([b])); time.sleep(0.5)\n"
    "    except OSError:\n"
    "        pass\n"
    "    finally:\n"
    "        c.close()\n"
    "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "s.bind(('127.0.0.1', port)); s.listen(64)\n"
    "if mode.startswith('tls-'):\n" /* cert.pem and key.pem beside the log */
    "    import os, ssl\n"
    "    mode = mode[4:]\n"
    "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
    "    d = os.path.dirname(log)\n"
    "    ctx.load_cert_chain(d + '/cert.pem', d + '/key.pem')\n"
    "    s = ctx.wrap_socket(s, server_side=True)\n"
    "while True:\n"
    "    try:\n"
    "        c, _ = s.accept()\n"
    "    except OSError:\n"
    "        continue\n"
    "    threading.Thread(target=serve, args=(c,), daemon=True).start()\n";

static pid_t server_start(const char *mode, int port, const char *log, const char *arg)
{
    char *script = test_fmt("%s/server.py", tmp), *p = test_fmt("%d", port);
    test_write(script, server_py, strlen(server_py));
    pid_t pid = fork();
    if (pid == 0) {
        execlp("python3", "python3", script, mode, p, log, arg ? arg : "", (char *)NULL);
        _exit(127);
    }
    if (!test_wait_port(port)) {
        fprintf(stderr, "the test server did not start (python3)\n");
    }
    free(script);
    free(p);
    return pid;
}

static void server_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

static void config(ReportConfig *c, const char *url, const char *state)
{
    report_defaults(c);
    c->url = url;
    c->screen = "screen-1";
    c->site = "Hof";
    c->state_dir = state;
    c->interval_s = 1;
    c->today_s = 0;
    c->connect_timeout_s = 2;
    c->timeout_s = 10;
    c->clock = &sys_clock;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmRSS: %ld", &kb) == 1) {
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return kb;
}

/* The display's facts as a kiosk with a trusted clock tells them: plays are logged. */
static void trust(Reporter *r)
{
    ReportDisplay d;
    memset(&d, 0, sizeof d);
    d.clock_trusted = 1;
    d.screen_on = 1;
    report_display(r, &d);
}

/* Reports to a server in mode for up to wait_ms, until a status failed; returns how long
 * that took (ms), or -1; the display thread's calls meanwhile are timed into *worst. */
static int64_t first_failure(const char *mode, const char *arg, int port, const char *state,
                             long wait_ms, ReportCounts *n, int64_t *worst)
{
    char *log = test_fmt("%s/%s.log", tmp, mode);
    pid_t pid = server_start(mode, port, log, arg);
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state);
    Reporter *r;
    int64_t t0 = sys_clock.mono_ms(&sys_clock), took = -1;
    *worst = 0;
    if (report_start(&c, &r) != 0) {
        return -1;
    }
    trust(r);
    int64_t yesterday = sys_clock.wall_ms(&sys_clock) - 86400000LL;
    PlayEntry e = play(yesterday, "map");
    report_play(r, &e);
    report_now(r, "install"); /* the play reaches the disk before the first status */
    while (sys_clock.mono_ms(&sys_clock) - t0 < wait_ms) {
        int64_t t = sys_clock.mono_ms(&sys_clock);
        PlayEntry p = play(sys_clock.wall_ms(&sys_clock), "campaign");
        report_play(r, &p);
        report_wants_screen(r);
        int64_t d = sys_clock.mono_ms(&sys_clock) - t;
        *worst = d > *worst ? d : *worst;
        report_counts(r, n);
        if (n->status_failed > 0 || n->status_ok > 0) {
            took = sys_clock.mono_ms(&sys_clock) - t0;
            break;
        }
        msleep(20);
    }
    int64_t s0 = sys_clock.mono_ms(&sys_clock);
    report_stop(r);
    CHECK(sys_clock.mono_ms(&sys_clock) - s0 < 2500); /* a hostile server never holds a stop */
    server_stop(pid);
    free(log);
    free(url);
    return took;
}

/* A 301 to another server is not followed there (nothing arrives at it), counts as not
 * stored, and yesterday's plays stay on disk. */
TEST(a_redirect_is_never_followed)
{
    int target = free_port(), port = free_port();
    char *tlog = test_fmt("%s/target.log", tmp);
    pid_t other = server_start("store", target, tlog, NULL);
    char *where = test_fmt("http://127.0.0.1:%d/elsewhere/", target);
    char *state = test_fmt("%s/state-redirect", tmp);
    mkdir(state, 0755);
    ReportCounts n;
    int64_t worst;
    int64_t took = first_failure("redirect", where, port, state, 5000, &n, &worst);
    CHECK(took >= 0);
    CHECK_INT(n.status_ok, 0);
    CHECK_INT(n.last_http, 301);
    CHECK(!file_exists(tlog)); /* no request reached the other server */
    char day[11];
    day_name(sys_clock.wall_ms(&sys_clock) - 86400000LL, day);
    char *kept = test_fmt("%s/plays/%s.csv", state, day);
    CHECK(file_exists(kept));
    server_stop(other);
    free(tlog);
    free(where);
    free(state);
    free(kept);
}

/* Over https, a 301 to http:// on another port is not followed either (and the answer
 * really came over TLS: its code is seen). */
TEST(an_https_redirect_to_http_is_never_followed)
{
    char out[4000];
    char *cmd = test_fmt("cd '%s' && openssl req -x509 -newkey ec -pkeyopt "
                         "ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=127.0.0.1' "
                         "-addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem",
                         tmp);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    int target = free_port(), port = free_port();
    char *tlog = test_fmt("%s/target-tls.log", tmp), *log = test_fmt("%s/tls.log", tmp);
    pid_t other = server_start("store", target, tlog, NULL);
    char *where = test_fmt("http://127.0.0.1:%d/elsewhere/", target);
    pid_t pid = server_start("tls-redirect", port, log, where);
    char *url = test_fmt("https://127.0.0.1:%d/reports", port), *ca = test_fmt("%s/cert.pem", tmp);
    char *state = test_fmt("%s/state-tls", tmp);
    mkdir(state, 0755);
    ReportConfig c;
    config(&c, url, state);
    c.ca_file = ca;
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    ReportCounts n = { 0 };
    for (int i = 0; i < 100 && n.status_failed == 0; i++) {
        msleep(50);
        report_counts(r, &n);
    }
    report_stop(r);
    CHECK(n.status_failed >= 1);
    CHECK_INT(n.status_ok, 0);
    CHECK_INT(n.last_http, 301);
    CHECK(file_exists(log));   /* the request reached the https server */
    CHECK(!file_exists(tlog)); /* and nothing the http one */
    server_stop(pid);
    server_stop(other);
    free(cmd);
    free(tlog);
    free(log);
    free(where);
    free(url);
    free(ca);
    free(state);
}

/* A 200 followed by a body without end: cut off at once (not held until the 10 s
 * timeout), counted as not stored, memory flat. */
TEST(an_endless_answer_body_is_cut_off_at_once)
{
    char *state = test_fmt("%s/state-body", tmp);
    mkdir(state, 0755);
    long before = rss_kb();
    ReportCounts n;
    int64_t worst;
    int64_t took = first_failure("body", NULL, free_port(), state, 9000, &n, &worst);
    CHECK(took >= 0 && took < 3000);
    CHECK_INT(n.status_ok, 0);
    CHECK(worst < 20);
    CHECK(rss_kb() - before < 16 * 1024);
    free(state);
}

/* Header lines without end: the same (libcurl's own limit or ours, whichever is first). */
TEST(endless_answer_headers_are_cut_off_at_once)
{
    char *state = test_fmt("%s/state-headers", tmp);
    mkdir(state, 0755);
    long before = rss_kb();
    ReportCounts n;
    int64_t worst;
    int64_t took = first_failure("headers", NULL, free_port(), state, 9000, &n, &worst);
    CHECK(took >= 0 && took < 3000);
    CHECK_INT(n.status_ok, 0);
    CHECK(worst < 20);
    CHECK(rss_kb() - before < 16 * 1024);
    free(state);
}

/* An answer one byte each half second: the request ends at its timeout (3 s here), the
 * display thread's calls stay instant meanwhile. */
TEST(a_server_answering_byte_by_byte_ends_at_the_timeout)
{
    char *state = test_fmt("%s/state-slow", tmp);
    mkdir(state, 0755);
    char *log = test_fmt("%s/slow.log", tmp);
    int port = free_port();
    pid_t pid = server_start("slow", port, log, NULL);
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state);
    c.timeout_s = 3;
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    trust(r);
    int64_t t0 = sys_clock.mono_ms(&sys_clock), worst = 0;
    ReportCounts n = { 0 };
    while (sys_clock.mono_ms(&sys_clock) - t0 < 8000 && n.status_failed == 0) {
        int64_t t = sys_clock.mono_ms(&sys_clock);
        PlayEntry p = play(sys_clock.wall_ms(&sys_clock), "campaign");
        report_play(r, &p);
        int64_t d = sys_clock.mono_ms(&sys_clock) - t;
        worst = d > worst ? d : worst;
        report_counts(r, &n);
        msleep(20);
    }
    int64_t took = sys_clock.mono_ms(&sys_clock) - t0;
    CHECK(n.status_failed >= 1);
    CHECK(took >= 2500 && took < 5000);
    CHECK(worst < 20);
    int64_t s0 = sys_clock.mono_ms(&sys_clock);
    report_stop(r);
    CHECK(sys_clock.mono_ms(&sys_clock) - s0 < 2500);
    server_stop(pid);
    free(state);
    free(log);
    free(url);
}

/* A captive portal on an http URL answers every request 200 with its login page: that
 * is no store of the file, so yesterday's plays stay on disk (before: removed). */
TEST(a_captive_portal_answering_200_with_a_page_removes_no_play)
{
    char *state = test_fmt("%s/state-portal", tmp);
    mkdir(state, 0755);
    ReportCounts n;
    int64_t worst;
    int64_t took = first_failure("portal", NULL, free_port(), state, 5000, &n, &worst);
    CHECK(took >= 0 && took < 3000);
    CHECK_INT(n.status_ok, 0);
    CHECK_INT(n.plays_ok, 0);
    CHECK_INT(n.last_http, 200);
    char day[11];
    day_name(sys_clock.wall_ms(&sys_clock) - 86400000LL, day);
    char *kept = test_fmt("%s/plays/%s.csv", state, day);
    CHECK(file_exists(kept));
    free(kept);
    free(state);
}

/* A server that closes in the middle of the upload: not stored, the plays stay. */
TEST(a_server_closing_mid_upload_keeps_the_plays)
{
    char *state = test_fmt("%s/state-close", tmp);
    mkdir(state, 0755);
    ReportCounts n;
    int64_t worst;
    int64_t took = first_failure("close", NULL, free_port(), state, 5000, &n, &worst);
    CHECK(took >= 0 && took < 3000);
    CHECK_INT(n.status_ok, 0);
    char day[11];
    day_name(sys_clock.wall_ms(&sys_clock) - 86400000LL, day);
    char *kept = test_fmt("%s/plays/%s.csv", state, day);
    CHECK(file_exists(kept));
    free(kept);
    free(state);
}

/* The password is never in a status nor in the log, whatever the server answers. */
TEST(the_password_is_never_logged_nor_reported)
{
    char *state = test_fmt("%s/state-pw", tmp);
    mkdir(state, 0755);
    char *pw = test_fmt("%s/pw", tmp);
    test_write(pw, "hunter2-secret\n", 15);
    char *log = test_fmt("%s/pw.log", tmp);
    int port = free_port();
    pid_t pid = server_start("redirect", port, log, "http://127.0.0.1:1/");
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state);
    c.user = "screen";
    c.password_file = pw;
    /* the log goes to stderr: catch it in a file */
    char *err = test_fmt("%s/stderr.txt", tmp);
    fflush(stderr);
    int saved = dup(2);
    FILE *f = fopen(err, "w");
    dup2(fileno(f), 2);
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    msleep(1500);
    report_stop(r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(f);
    char *text = test_read(err, NULL);
    CHECK(text && strstr(text, "report") != NULL);
    CHECK(text && strstr(text, "can be read by every user") != NULL); /* mode 0644 */
    CHECK(text && strstr(text, "hunter2") == NULL);
    /* a password in report_url itself (curl would use it) is not logged either */
    char *url2 = test_fmt("http://screen:url-secret@127.0.0.1:%d/reports", port);
    c.url = url2;
    c.user = NULL;
    c.screen = "screen-2"; /* another line than the last (the log collapses repeats) */
    fflush(stderr);
    saved = dup(2);
    f = fopen(err, "w");
    dup2(fileno(f), 2);
    CHECK_INT(report_start(&c, &r), 0);
    msleep(1500);
    report_stop(r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(f);
    free(text);
    text = test_read(err, NULL);
    CHECK_HAS(text, "http://127.0.0.1:");
    CHECK(text && strstr(text, "url-secret") == NULL);
    free(url2);
    c.url = url;
    /* a password longer than the worker reads is not cut (and then refused): it is said;
     * and basic auth over http is warned about */
    char longpw[400];
    memset(longpw, 'p', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\n';
    test_write(pw, longpw, sizeof longpw);
    chmod(pw, 0600);
    c.user = "screen";
    c.screen = "screen-3";
    fflush(stderr);
    saved = dup(2);
    f = fopen(err, "w");
    dup2(fileno(f), 2);
    CHECK_INT(report_start(&c, &r), 0);
    msleep(800);
    ReportCounts n;
    report_counts(r, &n);
    report_stop(r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(f);
    free(text);
    text = test_read(err, NULL);
    CHECK_HAS(text, "longer than 255 bytes: not used");
    CHECK_HAS(text, "in clear text");
    CHECK(text && strstr(text, "can be read by every user") == NULL); /* 0600 now */
    CHECK_INT(n.last_http, 0); /* nothing was sent */
    char *json = report_status_json(&c, &(ReportDisplay){ 0 }, "start", 0, "", NULL, 0);
    CHECK(strstr(json, "hunter2") == NULL);
    free(json);
    free(text);
    server_stop(pid);
    free(state);
    free(pw);
    free(log);
    free(url);
    free(err);
}

/* argv[1] names a group (server, local, fleet), each its own CTest entry under 20 s. */
int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : "";
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    clock_set_zone("Europe/Berlin");
    sys_clock = clock_system();
    tmp = test_tmpdir();
    if (!*group || !strcmp(group, "server")) {
        RUN(a_redirect_is_never_followed);
        RUN(an_https_redirect_to_http_is_never_followed);
        RUN(an_endless_answer_body_is_cut_off_at_once);
        RUN(endless_answer_headers_are_cut_off_at_once);
        RUN(a_server_answering_byte_by_byte_ends_at_the_timeout);
        RUN(a_server_closing_mid_upload_keeps_the_plays);
        RUN(a_captive_portal_answering_200_with_a_page_removes_no_play);
        RUN(the_password_is_never_logged_nor_reported);
    }
    if (!*group || !strcmp(group, "local")) {
        RUN(play_log_links_and_fifos_are_neither_followed_nor_waited_on);
        RUN(a_full_disk_under_the_note_costs_no_crash);
        RUN(a_full_disk_on_append_is_noted_not_fatal);
        RUN(garbage_and_huge_play_log_files_are_read_bounded);
        RUN(only_true_day_names_are_days_of_the_play_log);
        RUN(a_linked_day_file_costs_no_real_day_its_place);
        RUN(hostile_names_stay_one_safe_folder_and_valid_json);
    }
    if (!*group || !strcmp(group, "fleet")) {
        RUN(fleet_page_waits_on_no_fifo_and_escapes_what_it_reads);
        RUN(fleet_page_of_thousands_of_screens_is_quick);
        RUN(fleet_page_says_what_it_leaves_out);
    }
    return check_report();
}
