/* libFuzzer harness: screen.csv. Any bytes must parse into screen times the display
 * reads back, or be rejected with a message naming a row — never crash, leak or read
 * out of bounds. */
#include "base/screentime.h"
#include "content/build_screen.h"
#include "store/model.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char on[MODEL_SCREEN_ON_BYTES], off[MODEL_SCREEN_OFF_BYTES], why[200];
    BuildReport r;
    build_report_init(&r);
    if (build_parse_screen_csv_report("fuzz.csv", (const char *)data, size, on, sizeof on, off,
                                      sizeof off, &r) == 0) {
        ScreenTimes st; /* what the build accepts, a display must take */
        if (screentime_parse(on, &st, why, sizeof why) != 0 ||
            screentime_parse_off(off, &st, why, sizeof why) != 0) {
            __builtin_trap();
        }
    } else if (r.n_errors == 0) {
        __builtin_trap();
    }
    build_report_free(&r);
    return 0;
}
