/* libFuzzer harness: sites.csv. Any bytes must parse or be rejected with a message
 * naming a row — never crash, leak or read out of bounds. */
#include "content/build.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MapGeo region = { 5.8, 47.2, 15.1, 55.1, NULL, 0 };
    Site *s;
    int n;
    char err[512];
    if (build_parse_sites("fuzz.csv", (const char *)data, size, &region, &s, &n, err,
                          sizeof err) == 0) {
        sites_free(s, n);
    } else if (err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
