/* libFuzzer harness: map geometry files (map.geo). */
#include "content/build.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MapGeo g;
    char err[512];
    if (build_parse_geo("fuzz.geo", (const char *)data, size, &g, err, sizeof err) == 0) {
        map_geo_free(&g);
    } else if (err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
