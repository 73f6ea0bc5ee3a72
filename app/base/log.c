/* log: repeated identical lines (a broken stick re-inserted every second, a
 * server down for a day) are collapsed so that journald stays readable. Names from
 * sticks and servers are untrusted text: log_sanitize makes them one visible line,
 * and log_msg filters every line the same way as a second fence. The UTF-8 check is
 * written out here (not utf8.c) because it must also classify what it rejects.
 * Levels: a warning or error carries sd-daemon's "<4>"/"<3>" only when stderr is the
 * journal (systemd sets JOURNAL_STREAM to its device:inode, the test systemd's own
 * log.c makes), so that a person running litfass in a terminal, or a test reading
 * its stderr, sees the same words as before; journald strips the prefix into the
 * priority. Info lines need none (journald's default level for stderr is info). */
#define _POSIX_C_SOURCE 200809L
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>

#define PLACEHOLDER "\xEF\xBF\xBD" /* U+FFFD */
#define ELLIPSIS "\xE2\x80\xA6"    /* U+2026 */

/* Length of the valid UTF-8 character at s, or 0 if s does not start one;
 * *cp receives its code point. */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0) {
        return 0;
    }
    unsigned long v = c & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            return 0;
        }
        v = v << 6 | (s[i] & 0x3F);
    }
    if ((n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (n == 4 && (v < 0x10000 || v > 0x10FFFF))) {
        return 0; /* overlong or surrogate or beyond Unicode */
    }
    *cp = v;
    return n;
}

/* Characters that must not reach a line a person reads as they are. */
static int unsafe(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

char *log_sanitize(const char *in, char *out, size_t outlen)
{
    if (outlen == 0) {
        return out;
    }
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    size_t o = 0;
    while (*p) {
        unsigned long cp = 0;
        size_t n = utf8_decode(p, &cp);
        const char *piece = (const char *)p;
        size_t plen = n;
        if (n == 0 || unsafe(cp)) {
            piece = PLACEHOLDER;
            plen = 3;
            n = n ? n : 1; /* an invalid byte is replaced alone, then decoding resumes */
        }
        /* keep room for the ellipsis unless this is the last character */
        size_t room = outlen - 1 - o;
        int last = p[n] == '\0';
        if (plen > room || (!last && plen + 3 > room)) {
            if (room >= 3) {
                memcpy(out + o, ELLIPSIS, 3);
                o += 3;
            }
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        p += n;
    }
    out[o] = '\0';
    return out;
}

enum { PRIO_ERR = LOG_LEVEL_ERROR, PRIO_WARNING = LOG_LEVEL_WARNING, PRIO_INFO = LOG_LEVEL_INFO };

static mtx_t log_lock;
static once_flag log_once = ONCE_FLAG_INIT;
static int to_journal; /* stderr is the journal's stream: level prefixes are read */
static char last_line[512];
static int last_prio;
static unsigned long repeats;
static char recent[LOG_RECENT][LOG_RECENT_BYTES]; /* ring: line n is at n % LOG_RECENT */
static unsigned long recent_n;                    /* warnings and errors kept so far */

static void log_init(void)
{
    mtx_init(&log_lock, mtx_plain);
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev = 0, ino = 0;
    struct stat st;
    to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
                 (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* "<4>" for a warning, "<3>" for an error, when the journal reads them; else "". */
static const char *prefix(int prio)
{
    if (!to_journal || prio == PRIO_INFO) {
        return "";
    }
    return prio == PRIO_ERR ? "<3>" : "<4>";
}

static void flush_repeats_locked(void)
{
    if (repeats > 0) {
        fprintf(stderr, "%s%s (repeated %lu more times)\n", prefix(last_prio), last_line,
                repeats);
        repeats = 0;
    }
}

static void log_line(int prio, const char *module, const char *fmt, va_list ap)
{
    char raw[512], line[512];
    int n = snprintf(raw, sizeof raw, "%s: ", module);
    if (n > 0 && (size_t)n < sizeof raw) {
        vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
    }
    /* one line each: a newline inside a message would split it in journald */
    for (char *p = raw; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }
    log_sanitize(raw, line, sizeof line);

    call_once(&log_once, log_init);
    mtx_lock(&log_lock);
    if (prio == last_prio && strcmp(line, last_line) == 0) {
        repeats++;
    } else {
        flush_repeats_locked();
        fprintf(stderr, "%s%s\n", prefix(prio), line);
        memcpy(last_line, line, sizeof last_line);
        last_prio = prio;
        if (prio <= PRIO_WARNING) { /* the status reports what went wrong, not routine */
            recent_n++;
            /* kept whole up to the size, cut at a character boundary */
            char *keep = recent[recent_n % LOG_RECENT];
            size_t len = strlen(line);
            if (len >= LOG_RECENT_BYTES) {
                len = LOG_RECENT_BYTES - 1;
                while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80) {
                    len--;
                }
            }
            memcpy(keep, line, len);
            keep[len] = '\0';
        }
    }
    mtx_unlock(&log_lock);
}

void log_msg(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(PRIO_INFO, module, fmt, ap);
    va_end(ap);
}

void log_warn(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(PRIO_WARNING, module, fmt, ap);
    va_end(ap);
}

void log_error(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(PRIO_ERR, module, fmt, ap);
    va_end(ap);
}

void log_at(int level, const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(level <= PRIO_ERR ? PRIO_ERR : level <= PRIO_WARNING ? PRIO_WARNING : PRIO_INFO,
             module, fmt, ap);
    va_end(ap);
}

void log_flush(void)
{
    call_once(&log_once, log_init);
    mtx_lock(&log_lock);
    flush_repeats_locked();
    last_line[0] = '\0';
    mtx_unlock(&log_lock);
}

int log_recent(unsigned long *seen, char (*out)[LOG_RECENT_BYTES], int max)
{
    int n = 0;
    call_once(&log_once, log_init);
    mtx_lock(&log_lock);
    unsigned long from = *seen + 1;
    if (recent_n >= LOG_RECENT && from < recent_n - LOG_RECENT + 1) {
        from = recent_n - LOG_RECENT + 1;
    }
    if (max > 0 && recent_n >= (unsigned long)max && from < recent_n - (unsigned long)max + 1) {
        from = recent_n - (unsigned long)max + 1;
    }
    for (unsigned long i = from; i <= recent_n && n < max; i++) {
        memcpy(out[n++], recent[i % LOG_RECENT], LOG_RECENT_BYTES);
    }
    *seen = recent_n;
    mtx_unlock(&log_lock);
    return n;
}
