/* log: repeated identical lines (a broken stick re-inserted every second, a
 * server down for a day) are collapsed so that journald stays readable. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

static mtx_t log_lock;
static once_flag log_once = ONCE_FLAG_INIT;
static char last_line[512];
static unsigned long repeats;

static void log_init(void)
{
    mtx_init(&log_lock, mtx_plain);
}

static void flush_repeats_locked(void)
{
    if (repeats > 0) {
        fprintf(stderr, "%s (repeated %lu more times)\n", last_line, repeats);
        repeats = 0;
    }
}

void log_msg(const char *module, const char *fmt, ...)
{
    char line[512];
    int n = snprintf(line, sizeof line, "%s: ", module);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line) {
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    }
    va_end(ap);
    /* one line each: a newline inside a message would split it in journald */
    for (char *p = line; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }

    call_once(&log_once, log_init);
    mtx_lock(&log_lock);
    if (strcmp(line, last_line) == 0) {
        repeats++;
    } else {
        flush_repeats_locked();
        fprintf(stderr, "%s\n", line);
        memcpy(last_line, line, sizeof last_line);
    }
    mtx_unlock(&log_lock);
}

void log_flush(void)
{
    call_once(&log_once, log_init);
    mtx_lock(&log_lock);
    flush_repeats_locked();
    last_line[0] = '\0';
    mtx_unlock(&log_lock);
}
