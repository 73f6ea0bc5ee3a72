/* The log's levels: info lines reach journald as info and never the status report;
 * warnings and errors carry sd-daemon's "<4>"/"<3>" when stderr is the journal (and only
 * then), reach log_recent, and are still collapsed when repeated and kept one line each.
 * Every case runs in a child process of its own: the log decides once per process
 * whether stderr is the journal, and its stderr is caught in a file. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include "check.h"
#include "base/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <threads.h>
#include <unistd.h>

static const char *tmp;

enum { PLAIN, JOURNAL, OTHER_STREAM };

/* Runs body in a child whose stderr is a fresh file (named as the journal's stream when
 * mode is JOURNAL, as some other file's when OTHER_STREAM); returns the file's text
 * (malloc'd), or NULL when the child's own checks failed. */
static char *in_child(int mode, void (*body)(void))
{
    static int n;
    char *path = test_fmt("%s/stderr-%d.txt", tmp, n++);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 2);
        close(fd);
        struct stat st;
        fstat(2, &st);
        char js[64];
        snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
                 (unsigned long long)st.st_ino + (mode == OTHER_STREAM));
        if (mode == PLAIN) {
            unsetenv("JOURNAL_STREAM");
        } else {
            setenv("JOURNAL_STREAM", js, 1);
        }
        body();
        log_flush();
        fflush(stderr);
        fflush(stdout);
        _exit(check_failed ? 1 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *text = test_read(path, NULL);
    free(path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The same lines at each level; the status gets the warnings and errors only. */
static void levels_body(void)
{
    char got[LOG_RECENT][LOG_RECENT_BYTES];
    unsigned long seen = 0;
    log_msg("test", "screen on until %s", "18:00");
    log_warn("test", "server answered HTTP %d", 500);
    log_warn("test", "server answered HTTP %d", 500);
    log_warn("test", "server answered HTTP %d", 500);
    log_error("test", "no screen");
    log_msg("test", "server answered HTTP 500"); /* same words, another level: printed */
    log_warn("test", "a name\nwith\x1b[2J a line break");
    int n = log_recent(&seen, got, LOG_RECENT);
    CHECK_INT(n, 3);
    CHECK_STR(got[0], "test: server answered HTTP 500");
    CHECK_STR(got[1], "test: no screen");
    CHECK_STR(got[2], "test: a name with\xEF\xBF\xBD[2J a line break");
    CHECK_INT(log_recent(&seen, got, LOG_RECENT), 0); /* nothing new since */
    log_msg("test", "installed version 7");
    CHECK_INT(log_recent(&seen, got, LOG_RECENT), 0); /* an info line is not news */
    log_warn("test", "refused content-8.litfass");
    CHECK_INT(log_recent(&seen, got, LOG_RECENT), 1);
    CHECK_STR(got[0], "test: refused content-8.litfass");
}

TEST(warnings_carry_the_journal_prefix_and_reach_the_status_info_does_not)
{
    char *text = in_child(JOURNAL, levels_body);
    CHECK_STR(text ? text : "", "test: screen on until 18:00\n"
                                "<4>test: server answered HTTP 500\n"
                                "<4>test: server answered HTTP 500 (repeated 2 more times)\n"
                                "<3>test: no screen\n"
                                "test: server answered HTTP 500\n"
                                "<4>test: a name with\xEF\xBF\xBD[2J a line break\n"
                                "test: installed version 7\n"
                                "<4>test: refused content-8.litfass\n");
    free(text);
}

TEST(stderr_that_is_not_the_journal_gets_no_prefix)
{
    const char *want = "test: screen on until 18:00\n"
                       "test: server answered HTTP 500\n"
                       "test: server answered HTTP 500 (repeated 2 more times)\n"
                       "test: no screen\n"
                       "test: server answered HTTP 500\n"
                       "test: a name with\xEF\xBF\xBD[2J a line break\n"
                       "test: installed version 7\n"
                       "test: refused content-8.litfass\n";
    char *text = in_child(PLAIN, levels_body); /* a terminal, a test, a pipe */
    CHECK_STR(text ? text : "", want);
    free(text);
    /* a service whose stderr was redirected still has the journal's variable */
    text = in_child(OTHER_STREAM, levels_body);
    CHECK_STR(text ? text : "", want);
    free(text);
}

/* Only the last LOG_RECENT warnings are kept, however many info lines come between. */
static void ring_body(void)
{
    char got[LOG_RECENT][LOG_RECENT_BYTES];
    unsigned long seen = 0;
    for (int i = 1; i <= 20; i++) {
        log_warn("test", "warning %d", i);
        log_msg("test", "routine %d", i);
    }
    int n = log_recent(&seen, got, LOG_RECENT);
    CHECK_INT(n, LOG_RECENT);
    CHECK_STR(got[0], "test: warning 13");
    CHECK_STR(got[LOG_RECENT - 1], "test: warning 20");
    CHECK_INT(seen, 20);
    /* a caller asking for fewer gets the newest */
    seen = 0;
    CHECK_INT(log_recent(&seen, got, 2), 2);
    CHECK_STR(got[0], "test: warning 19");
    CHECK_STR(got[1], "test: warning 20");
}

TEST(only_the_last_warnings_are_kept_whatever_info_comes_between)
{
    char *text = in_child(PLAIN, ring_body);
    CHECK(text != NULL);
    free(text);
}

static int writer(void *arg)
{
    int id = *(int *)arg;
    for (int i = 0; i < 300; i++) {
        if (i % 2) {
            log_warn("thread", "%d warns %d", id, i);
        } else {
            log_msg("thread", "%d says %d", id, i);
        }
    }
    return 0;
}

static void threads_body(void)
{
    thrd_t t[4];
    int ids[4] = { 0, 1, 2, 3 };
    for (int i = 0; i < 4; i++) {
        thrd_create(&t[i], writer, &ids[i]);
    }
    for (int i = 0; i < 4; i++) {
        thrd_join(t[i], NULL);
    }
    char got[LOG_RECENT][LOG_RECENT_BYTES];
    unsigned long seen = 0;
    CHECK_INT(log_recent(&seen, got, LOG_RECENT), LOG_RECENT);
    CHECK_INT(seen, 4 * 150);
    for (int i = 0; i < LOG_RECENT; i++) {
        CHECK(strstr(got[i], " warns ") != NULL);
    }
}

TEST(threads_logging_at_both_levels_get_whole_lines_with_their_own_prefix)
{
    char *text = in_child(JOURNAL, threads_body);
    int lines = 0, bad = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (!next) {
            bad++;
            break;
        }
        *next++ = '\0';
        int id, i;
        char word[8];
        lines++;
        if (strncmp(line, "<4>thread: ", 11) == 0) {
            bad += sscanf(line + 11, "%d %7s %d", &id, word, &i) != 3 || strcmp(word, "warns");
        } else {
            bad += sscanf(line, "thread: %d %7s %d", &id, word, &i) != 3 || strcmp(word, "says");
        }
    }
    CHECK_INT(lines, 4 * 300);
    CHECK_INT(bad, 0);
    free(text);
}

int main(void)
{
    tmp = test_tmpdir();
    RUN(warnings_carry_the_journal_prefix_and_reach_the_status_info_does_not);
    RUN(stderr_that_is_not_the_journal_gets_no_prefix);
    RUN(only_the_last_warnings_are_kept_whatever_info_comes_between);
    RUN(threads_logging_at_both_levels_get_whole_lines_with_their_own_prefix);
    return check_report();
}
