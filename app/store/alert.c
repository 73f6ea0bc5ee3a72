/* alert: the file is a handful of "key=value" lines after a first line naming the
 * format, so that staff can read it and a parser needs nothing but this file:
 *
 *     litfass-alert 1
 *     version=20261127091500
 *     level=danger
 *     from=2026-11-27T08:15:00Z
 *     until=2026-12-01T17:00:00Z
 *     text=Heute geschlossen
 *
 * or "clear" instead of level/from/until/text. Times are stored in UTC so that a
 * display in another zone reads the same moment. The installed alert lives in the
 * state directory as one file, so that the version that guards against replay and the
 * alert itself change together in one rename. */
#define _POSIX_C_SOURCE 200809L
#include "store/alert.h"

#include "base/clock.h"
#include "base/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER "litfass-alert 1"

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

const char *alert_level_name(AlertLevel l)
{
    return l == ALERT_DANGER ? "danger" : l == ALERT_WARNING ? "warning" : "info";
}

int alert_level_parse(const char *name, AlertLevel *out)
{
    static const AlertLevel all[] = { ALERT_INFO, ALERT_WARNING, ALERT_DANGER };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (name && strcmp(name, alert_level_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return -1;
}

/* The message: valid UTF-8, at most ALERT_MAX_TEXT bytes, no control characters (one
 * line on the wire), not only spaces. */
static int text_ok(const char *t, char *err, size_t errlen)
{
    size_t n = strlen(t);
    if (n == 0 || n > ALERT_MAX_TEXT) {
        return bad(err, errlen, "text: %s (at most %d bytes)", n ? "too long" : "empty",
                   ALERT_MAX_TEXT);
    }
    if (!utf8_valid(t, n, NULL)) {
        return bad(err, errlen, "text: not valid UTF-8");
    }
    int visible = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return bad(err, errlen, "text: control characters (such as line breaks) are not "
                                    "allowed");
        }
        visible |= *p != ' ';
    }
    if (utf8_mark_run(t, n, NULL) > UTF8_MAX_MARK_RUN) {
        return bad(err, errlen, "text: too many combining marks in a row");
    }
    return visible ? 0 : bad(err, errlen, "text: empty");
}

int alert_parse(const char *data, size_t len, Alert *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len > ALERT_MAX_BYTES) {
        return bad(err, errlen, "more than %d bytes, not an alert", ALERT_MAX_BYTES);
    }
    if (memchr(data, '\0', len) || !utf8_valid(data, len, NULL)) {
        return bad(err, errlen, "not UTF-8 text");
    }
    char buf[ALERT_MAX_BYTES + 1];
    memcpy(buf, data, len);
    buf[len] = '\0';
    int seen_version = 0, seen_level = 0, seen_from = 0, seen_until = 0, seen_text = 0;
    int line_no = 0;
    for (char *save = NULL, *ln = strtok_r(buf, "\n", &save); ln;
         ln = strtok_r(NULL, "\n", &save)) {
        size_t l = strlen(ln);
        if (l && ln[l - 1] == '\r') {
            ln[--l] = '\0';
        }
        if (++line_no == 1) {
            if (strcmp(ln, HEADER) != 0) {
                return bad(err, errlen, "first line is not '%s'", HEADER);
            }
            continue;
        }
        if (!*ln) {
            continue;
        }
        if (!strcmp(ln, "clear")) {
            if (out->clear) {
                return bad(err, errlen, "line %d: 'clear' twice", line_no);
            }
            out->clear = 1;
            continue;
        }
        char *eq = strchr(ln, '=');
        if (!eq) {
            return bad(err, errlen, "line %d: not key=value", line_no);
        }
        *eq = '\0';
        const char *k = ln, *v = eq + 1;
        char *end;
        if (!strcmp(k, "version") && !seen_version++) {
            errno = 0;
            out->version = strtoll(v, &end, 10);
            if (errno || *end || end == v || out->version < 1) {
                return bad(err, errlen, "version: not a positive whole number");
            }
        } else if (!strcmp(k, "level") && !seen_level++) {
            if (alert_level_parse(v, &out->level) != 0) {
                return bad(err, errlen, "level: must be info, warning or danger");
            }
        } else if (!strcmp(k, "from") && !seen_from++) {
            if (clock_parse_iso(v, &out->from_ms) != 0 || out->from_ms <= 0) {
                return bad(err, errlen, "from: not an ISO 8601 time");
            }
        } else if (!strcmp(k, "until") && !seen_until++) {
            if (clock_parse_iso(v, &out->until_ms) != 0 || out->until_ms <= 0) {
                return bad(err, errlen, "until: not an ISO 8601 time");
            }
        } else if (!strcmp(k, "text") && !seen_text++) {
            if (text_ok(v, err, errlen) != 0) {
                return -1;
            }
            snprintf(out->text, sizeof out->text, "%s", v);
        } else {
            return bad(err, errlen, "line %d: unknown or repeated key '%.20s'", line_no, k);
        }
    }
    if (line_no == 0) {
        return bad(err, errlen, "empty file");
    }
    if (!seen_version) {
        return bad(err, errlen, "version: missing");
    }
    if (out->clear) {
        if (seen_level || seen_from || seen_until || seen_text) {
            return bad(err, errlen, "a clear carries no level, times or text");
        }
        return 0;
    }
    if (!seen_text) {
        return bad(err, errlen, "text: missing");
    }
    if (!seen_until) {
        return bad(err, errlen, "until: missing (an alert must end)");
    }
    if (out->until_ms <= out->from_ms) {
        return bad(err, errlen, "until: not after from");
    }
    return 0;
}

int alert_format(const Alert *a, char *buf, size_t len, char *err, size_t errlen)
{
    char from[32] = "", until[32] = "";
    int n;
    if (a->version < 1) {
        return bad(err, errlen, "version: must be positive");
    }
    if (a->clear) {
        n = snprintf(buf, len, HEADER "\nversion=%lld\nclear\n", a->version);
    } else {
        if (text_ok(a->text, err, errlen) != 0) {
            return -1;
        }
        if (a->until_ms <= a->from_ms) {
            return bad(err, errlen, "until: not after from");
        }
        if (a->from_ms > 0) {
            clock_format_utc(a->from_ms, from, sizeof from);
        }
        clock_format_utc(a->until_ms, until, sizeof until);
        n = snprintf(buf, len, HEADER "\nversion=%lld\nlevel=%s\n%s%s%suntil=%s\ntext=%s\n",
                     a->version, alert_level_name(a->level), from[0] ? "from=" : "", from,
                     from[0] ? "\n" : "", until, a->text);
    }
    if (n < 0 || (size_t)n >= len || n > ALERT_MAX_BYTES) {
        return bad(err, errlen, "more than %d bytes", ALERT_MAX_BYTES);
    }
    return n;
}

int alert_load(const char *state_dir, Alert *out)
{
    char path[4200], buf[ALERT_MAX_BYTES + 1], err[200];
    memset(out, 0, sizeof *out);
    if (!state_dir || !*state_dir) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/alert", state_dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        return -1;
    }
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        n = read(fd, buf, sizeof buf); /* a file over the cap fails to parse */
    }
    close(fd);
    if (n < 0 || alert_parse(buf, (size_t)n, out, err, sizeof err) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

int alert_store(const char *state_dir, const char *data, size_t len)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/alert", state_dir);
    snprintf(tmp, sizeof tmp, "%s/.alert.tmp", state_dir);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -1;
    }
    int ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
    int e = errno;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        e = ok ? errno : e;
        unlink(tmp);
        errno = e;
        return -1;
    }
    int dfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int alert_active(const Alert *a, int64_t now, int trusted, int64_t floor_ms)
{
    if (!a || a->clear || a->version < 1 || !a->text[0]) {
        return 0;
    }
    if (!trusted) {
        return a->until_ms > floor_ms;
    }
    return now >= a->from_ms && now < a->until_ms;
}

int64_t alert_next_change(const Alert *a, int64_t now)
{
    if (!a || a->clear || a->version < 1) {
        return 0;
    }
    if (a->from_ms > now) {
        return a->from_ms;
    }
    return a->until_ms > now ? a->until_ms : 0;
}
