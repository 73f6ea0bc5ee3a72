/* testutil: temporary folders and files for tests. */
#ifndef LITFASS_TESTUTIL_H
#define LITFASS_TESTUTIL_H

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>

/* Prefix for running the project's own programs from a test: empty natively, the
 * emulator (qemu-user with the sysroot) in a cross build. */
#ifndef LITFASS_TEST_EXEC
#define LITFASS_TEST_EXEC ""
#endif

/* printf into a new string exactly as long as it needs (paths under a deep source
 * folder never truncate); exits on out of memory. The caller frees it. */
static inline char *test_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!s) {
        perror("test_fmt");
        exit(2);
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* The folders test_tmpdir made: kept reachable for the whole run. */
static char *test_tmpdirs[64];
static int test_tmpdirs_n;

/* A fresh folder under $TMPDIR; the path stays valid for the whole run. */
static inline const char *test_tmpdir(void)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *buf = test_fmt("%s/litfass-test-XXXXXX", base);
    if (test_tmpdirs_n < 64) {
        test_tmpdirs[test_tmpdirs_n++] = buf;
    }
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        exit(2);
    }
    return buf;
}

static inline void test_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static inline char *test_read(const char *path, size_t *len)
{
    if (len) {
        *len = 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    if (len) {
        *len = got;
    }
    return buf;
}

/* A port on 127.0.0.1 that nothing uses now (the kernel's choice for a bind to port 0), for
 * a server a test or benchmark starts: a port derived from the pid can be taken (a
 * benchmark's thousands of connections before it leave many in use). 0 on failure. */
static inline int test_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0) {
        port = ntohs(a.sin_port);
    }
    if (s >= 0) {
        close(s);
    }
    return port;
}

/* Waits up to 5 s until something listens on 127.0.0.1:port. Returns 1 if it does. */
static inline int test_wait_port(int port)
{
    for (int i = 0; i < 100; i++) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int up = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (up) {
            return 1;
        }
        nanosleep(&(struct timespec){ 0, 50000000L }, NULL);
    }
    return 0;
}

/* Runs a shell command, capturing stdout and stderr together into out (truncated).
 * Returns the exit status. */
static inline int test_run(const char *cmd, char *out, size_t outlen)
{
    char *full = test_fmt("%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    free(full);
    if (!p) {
        return -1;
    }
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

#ifdef LITFASS_CONTENT_DIR
/* Copies the default content folder this build's tests use (LITFASS_CONTENT_DIR: with its
 * pictures where libvips can build them, a copy without them and without the logo line
 * where not) into dir, made if needed, then removes the files or folders named in drop
 * (shell words relative to dir, globs allowed; NULL: none). Tests that change or leave out
 * a file start from here, so what campaign.md names (its logo) comes along. Exits with 2
 * when it fails. */
static inline void test_copy_content(const char *dir, const char *drop)
{
    char out[1024];
    char *cmd = test_fmt("mkdir -p '%s' && cp -r '%s'/. '%s'/ && cd '%s' && rm -rf -- %s", dir,
                         LITFASS_CONTENT_DIR, dir, dir, drop ? drop : "");
    int rc = test_run(cmd, out, sizeof out);
    free(cmd);
    if (rc != 0) {
        fprintf(stderr, "copying the content into %s: %s\n", dir, out);
        exit(2);
    }
}
#endif

#endif
