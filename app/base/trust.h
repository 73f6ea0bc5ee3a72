/* trust: whether the wall clock can be believed. A board without a real-time clock
 * boots offline with the time of its last shutdown, or worse; a display that then says
 * "Jetzt" or shows today's date would say something false. Trust comes from the
 * configuration (clock_trust = yes | no) or, by default, from the system: the kernel's
 * clock is synchronised (adjtimex without STA_UNSYNC, or systemd-timesyncd's flag file
 * written since this boot) or a real-time clock is present. A persisted floor — the last
 * trusted time seen, and the newest content's creation time — is a time the real clock
 * is surely past: a wall clock before it is never trusted. */
#ifndef LITFASS_TRUST_H
#define LITFASS_TRUST_H

#include <stddef.h>
#include <stdint.h>

typedef enum { TRUST_AUTO, TRUST_YES, TRUST_NO } TrustSetting;

/* What the system says about its clock (read by trust_probe, made up by tests). */
typedef struct {
    int synchronised; /* adjtimex or timesyncd */
    int rtc;          /* a hardware real-time clock (/dev/rtc0) */
} TrustSignals;

/* Reads the signals from the kernel and systemd-timesyncd. */
void trust_probe(TrustSignals *out);

/* The decision: 1 when the clock at wall_ms can be believed, 0 when not; why gets the
 * reason for the log ("synchronised", "set by configuration", "before the floor", ...).
 * Pure. */
int trust_decide(TrustSetting setting, const TrustSignals *sig, int64_t wall_ms,
                 int64_t floor_ms, char *why, size_t len);

/* The persisted floor of a state directory (0 when there is none). */
int64_t trust_floor_load(const char *state_dir);

/* Raises the persisted floor to wall_ms (written atomically; a lower value is ignored).
 * Returns 0, or -1 when it cannot be written. */
int trust_floor_store(const char *state_dir, int64_t wall_ms);

#endif
