/* libFuzzer harness: campaign Markdown with front matter. Any input must either
 * parse into a Campaign or be rejected with a message — never crash, leak or read
 * out of bounds. Built with -DLITFASS_FUZZ=ON under clang. */
#include "content/build.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Campaign c;
    char err[512];
    if (build_parse_campaign("fuzz.md", (const char *)data, size, &c, err, sizeof err) == 0) {
        campaign_free(&c);
    } else if (err[0] == '\0') {
        __builtin_trap(); /* a rejection must say why */
    }
    return 0;
}
