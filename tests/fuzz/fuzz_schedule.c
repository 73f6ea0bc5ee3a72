/* libFuzzer harness: schedule.csv and iCalendar files (the first byte picks which). */
#include "content/build.h"
#include "content/build_schedule.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    EventList l = { 0 };
    char err[512];
    err[0] = '\0';
    int rc = data[0] & 1
                 ? build_parse_ics("fuzz.ics", (const char *)data + 1, size - 1,
                                   1622548800000LL, &l, err, sizeof err)
                 : build_parse_schedule_csv("fuzz.csv", (const char *)data + 1, size - 1, &l,
                                            err, sizeof err);
    if (rc != 0 && err[0] == '\0') {
        __builtin_trap();
    }
    event_list_free(&l);
    return 0;
}
