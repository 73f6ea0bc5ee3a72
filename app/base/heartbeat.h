/* heartbeat: how a worker thread shows that it is not stuck. A worker beats while it
 * works — at every step, and as a copy or a transfer makes progress — and says when it
 * only waits for its next turn. The display loop pets systemd's watchdog only while no
 * working worker has gone longer than its bound without a beat, so a worker stuck for
 * good gets the service restarted instead of going unnoticed. Lock-free: written by
 * one thread, read by another. */
#ifndef LITFASS_HEARTBEAT_H
#define LITFASS_HEARTBEAT_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct {
    atomic_llong last; /* monotonic ms of the last beat while working; 0 while waiting */
} Heartbeat;

/* The worker makes progress at now_ms (monotonic). */
void heartbeat_beat(Heartbeat *h, int64_t now_ms);

/* The worker waits for its next turn: no time limit applies. */
void heartbeat_idle(Heartbeat *h);

/* How long (ms) the worker has been working without a beat at now_ms; 0 while it
 * waits. Accepts NULL (no worker: 0). */
int64_t heartbeat_silent_ms(const Heartbeat *h, int64_t now_ms);

#endif
