/* heartbeat: one atomic timestamp per worker; 0 means "waiting", so a worker asleep
 * between polls is never mistaken for a stuck one. */
#include "base/heartbeat.h"

void heartbeat_beat(Heartbeat *h, int64_t now_ms)
{
    atomic_store(&h->last, now_ms > 0 ? now_ms : 1);
}

void heartbeat_idle(Heartbeat *h)
{
    atomic_store(&h->last, 0);
}

int64_t heartbeat_silent_ms(const Heartbeat *h, int64_t now_ms)
{
    if (!h) {
        return 0;
    }
    long long last = atomic_load(&h->last);
    return last > 0 && now_ms > last ? now_ms - last : 0;
}
