/* trust: the signals are cheap to read (one syscall, two stats), so the kiosk asks
 * once a minute and the screen corrects itself within a minute of the clock being set.
 * The floor is a small text file in the state directory, written by rename. */
#define _GNU_SOURCE /* adjtimex */
#include "base/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

void trust_probe(TrustSignals *out)
{
    memset(out, 0, sizeof *out);
    struct timex tx;
    memset(&tx, 0, sizeof tx); /* modes 0: read only */
    int state = adjtimex(&tx);
    if (state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC)) {
        out->synchronised = 1;
    }
    /* timesyncd touches this file whenever it synchronised; it counts only when written
     * since this boot (a file from before a power cut proves nothing) */
    struct stat st;
    struct timespec now, up;
    if (!out->synchronised && stat("/run/systemd/timesync/synchronized", &st) == 0 &&
        clock_gettime(CLOCK_REALTIME, &now) == 0 && clock_gettime(CLOCK_BOOTTIME, &up) == 0 &&
        st.st_mtime >= now.tv_sec - up.tv_sec) {
        out->synchronised = 1;
    }
    out->rtc = access("/dev/rtc0", F_OK) == 0;
}

int trust_decide(TrustSetting setting, const TrustSignals *sig, int64_t wall_ms,
                 int64_t floor_ms, char *why, size_t len)
{
    if (setting == TRUST_YES) {
        snprintf(why, len, "trusted by the configuration (clock_trust = yes)");
        return 1;
    }
    if (setting == TRUST_NO) {
        snprintf(why, len, "not trusted by the configuration (clock_trust = no)");
        return 0;
    }
    if (floor_ms > 0 && wall_ms < floor_ms) {
        snprintf(why, len, "the clock is before a time already seen or content already made");
        return 0;
    }
    if (sig->synchronised) {
        snprintf(why, len, "synchronised");
        return 1;
    }
    if (sig->rtc) {
        snprintf(why, len, "a real-time clock keeps it");
        return 1;
    }
    snprintf(why, len, "not synchronised and no real-time clock");
    return 0;
}

static void floor_path(const char *state_dir, char *buf, size_t len, const char *suffix)
{
    snprintf(buf, len, "%s/clock-floor%s", state_dir, suffix);
}

int64_t trust_floor_load(const char *state_dir)
{
    char path[4200], text[32] = "";
    floor_path(state_dir, path, sizeof path, "");
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    char *ok = fgets(text, sizeof text, f);
    fclose(f);
    char *end;
    long long v = ok ? strtoll(text, &end, 10) : 0;
    return ok && end != text && v > 0 ? v : 0;
}

int trust_floor_store(const char *state_dir, int64_t wall_ms)
{
    if (wall_ms <= trust_floor_load(state_dir)) {
        return 0;
    }
    char path[4200], tmp[4200];
    floor_path(state_dir, path, sizeof path, "");
    floor_path(state_dir, tmp, sizeof tmp, ".tmp");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -1;
    }
    char text[32];
    int n = snprintf(text, sizeof text, "%lld\n", (long long)wall_ms);
    int rc = write(fd, text, (size_t)n) == n && fsync(fd) == 0 ? 0 : -1;
    if (close(fd) != 0 || rc != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}
