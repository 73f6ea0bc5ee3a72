/* litfassctl: the staff's content tool. Only wires modules; each subcommand is a
 * function of a few lines. */
#include "build.h"
#include "clock.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: litfassctl build SRC_DIR -o FILE [--version N] [--map FILE.geo]\n");
}

static int cmd_build(int argc, char **argv)
{
    const char *src = NULL, *out = NULL, *map = NULL;
    long long version = 1;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--map") && i + 1 < argc) {
            map = argv[++i];
        } else if (!strcmp(argv[i], "--version") && i + 1 < argc) {
            char *end;
            errno = 0;
            version = strtoll(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || version < 1) {
                fprintf(stderr, "litfassctl: --version must be a positive whole number, not "
                                "'%s'\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] != '-' && !src) {
            src = argv[i];
        } else {
            fprintf(stderr, "litfassctl: build: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!src || !out) {
        usage(stderr);
        return 2;
    }
    char err[600];
    Clock clock = clock_system();
    if (build_content(src, out, version, clock.wall_ms(&clock), map, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("built %s (content version %lld)\n", out, version);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "build")) {
        return cmd_build(argc - 2, argv + 2);
    }
    fprintf(stderr, "litfassctl: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
