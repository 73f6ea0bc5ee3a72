/* libFuzzer harness: alert files (issue 14). Any input must either parse into an Alert
 * or be rejected with a message; a parsed alert written back must parse to the same
 * alert — never crash, leak or read out of bounds. Built with -DLITFASS_FUZZ=ON under
 * clang. */
#include "store/alert.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Alert a, b;
    char err[256], buf[ALERT_MAX_BYTES + 1];
    if (alert_parse((const char *)data, size, &a, err, sizeof err) != 0) {
        if (err[0] == '\0') {
            __builtin_trap(); /* a rejection must say why */
        }
        return 0;
    }
    /* times are kept to the second on the wire */
    a.from_ms -= a.from_ms % 1000;
    a.until_ms -= a.until_ms % 1000;
    int n = alert_format(&a, buf, sizeof buf, err, sizeof err);
    if (n >= 0 && (alert_parse(buf, (size_t)n, &b, err, sizeof err) != 0 ||
                   b.version != a.version || b.clear != a.clear ||
                   (!a.clear && (b.level != a.level || b.until_ms != a.until_ms ||
                                 strcmp(b.text, a.text) != 0)))) {
        __builtin_trap();
    }
    return 0;
}
