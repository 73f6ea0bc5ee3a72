/* bench_sync BUILD_DIR [KIOSKS]: a load simulation of a fleet polling one publish
 * directory served by a real nginx on loopback. KIOSKS (default 1000) simulated
 * kiosks poll at once with libcurl's multi interface: first unconditionally, then
 * five rounds of conditional polls (If-None-Match, answered 304), then all download
 * the bundle. Prints requests per second and bytes; never fails on a timing. */
#define _GNU_SOURCE
#include "testutil.h"

#include "content/build.h"
#include "delivery/bundle.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    (void)p;
    *(long long *)ud += (long long)(s * n);
    return s * n;
}

typedef struct {
    CURL *h;
    long long body, header;
    char etag[128];
    struct curl_slist *hdr;
} Kiosk;

static size_t on_header(char *p, size_t s, size_t n, void *ud)
{
    Kiosk *k = ud;
    size_t len = s * n;
    k->header += (long long)len;
    if (len > 6 && strncasecmp(p, "ETag: ", 6) == 0 && len - 6 < sizeof k->etag) {
        memcpy(k->etag, p + 6, len - 6);
        k->etag[strcspn(k->etag, "\r\n")] = '\0';
    }
    return len;
}

/* All kiosks fetch url at once; returns the seconds taken; counts statuses. */
static double round_trip(Kiosk *ks, int n, const char *url, int conditional, int *ok, int *not_mod,
                         long long *bytes)
{
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)n);
    for (int i = 0; i < n; i++) {
        Kiosk *k = &ks[i];
        k->h = curl_easy_init();
        k->body = k->header = 0;
        curl_slist_free_all(k->hdr);
        k->hdr = NULL;
        if (conditional && k->etag[0]) {
            char line[200];
            snprintf(line, sizeof line, "If-None-Match: %s", k->etag);
            k->hdr = curl_slist_append(NULL, line);
        }
        curl_easy_setopt(k->h, CURLOPT_URL, url);
        curl_easy_setopt(k->h, CURLOPT_HTTPHEADER, k->hdr);
        curl_easy_setopt(k->h, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(k->h, CURLOPT_WRITEDATA, &k->body);
        curl_easy_setopt(k->h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(k->h, CURLOPT_HEADERDATA, k);
        curl_easy_setopt(k->h, CURLOPT_FORBID_REUSE, 1L); /* each kiosk is its own client */
        curl_multi_add_handle(m, k->h);
    }
    double t0 = now_s();
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        if (running) {
            curl_multi_poll(m, NULL, 0, 100, NULL);
        }
    }
    double t = now_s() - t0;
    *ok = *not_mod = 0;
    for (int i = 0; i < n; i++) {
        long st = 0;
        curl_easy_getinfo(ks[i].h, CURLINFO_RESPONSE_CODE, &st);
        *ok += st == 200;
        *not_mod += st == 304;
        *bytes += ks[i].body + ks[i].header;
        curl_multi_remove_handle(m, ks[i].h);
        curl_easy_cleanup(ks[i].h);
    }
    curl_multi_cleanup(m);
    return t;
}

int main(int argc, char **argv)
{
    char build_abs[4096];
    const char *build = realpath(argc > 1 ? argv[1] : "build", build_abs) ? build_abs : "build";
    int n = argc > 2 ? atoi(argv[2]) : 1000;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    char err[512];
    char *dir = test_fmt("%s/bench-sync", build);
    char *cmd = test_fmt(
             "rm -rf '%s' && mkdir -p '%s/pub' && chmod 755 '%s' && '%s/litfassctl' keygen -p '%s/k.pub' -s '%s/k.sec' >/dev/null && "
             "'%s/litfassctl' build '%s/content' -o '%s/content-1.litfass' >/dev/null && "
             "'%s/litfassctl' sign '%s/content-1.litfass' -s '%s/k.sec' >/dev/null && "
             "'%s/litfassctl' publish '%s/content-1.litfass' '%s/pub' >/dev/null",
             dir, dir, dir, build, dir, dir, build, LITFASS_SOURCE_DIR, dir, build, dir, dir, build, dir, dir);
    int setup_rc = system(cmd);
    free(cmd);
    if (setup_rc != 0) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    int port = test_free_port();
    char *conf = test_fmt("%s/nginx.conf", dir);
    FILE *f = fopen(conf, "w");
    fprintf(f,
            "worker_processes 2; daemon off; pid %s/nginx.pid; error_log stderr crit;\n"
            "worker_rlimit_nofile 8192; events { worker_connections 4096; }\n"
            "http { access_log off; client_body_temp_path %s; proxy_temp_path %s;\n"
            " fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
            " server { listen 127.0.0.1:%d backlog=4096; root %s/pub; etag on; } }\n",
            dir, dir, dir, dir, dir, dir, port, dir);
    fclose(f);
    pid_t ng = fork();
    if (ng == 0) {
        execlp("nginx", "nginx", "-e", "stderr", "-p", dir, "-c", conf, (char *)NULL);
        _exit(127);
    }
    if (!test_wait_port(port)) {
        fprintf(stderr, "nginx did not start\n");
        return 1;
    }
    (void)err;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    Kiosk *ks = calloc((size_t)n, sizeof *ks);
    char url[200], burl[200];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/latest.minisig", port);
    snprintf(burl, sizeof burl, "http://127.0.0.1:%d/content-1.litfass", port);
    int ok, nm;
    long long bytes = 0;
    double t = round_trip(ks, n, url, 0, &ok, &nm, &bytes);
    printf("%d kiosks, first poll:       %5d x 200 in %.3f s = %7.0f req/s, %lld bytes (%.0f per poll)\n",
           n, ok, t, n / t, bytes, (double)bytes / n);
    double tt = 0;
    long long b2 = 0;
    int nm_total = 0;
    for (int r = 0; r < 5; r++) {
        tt += round_trip(ks, n, url, 1, &ok, &nm, &b2);
        nm_total += nm;
    }
    printf("%d kiosks, 5 polls unchanged: %5d x 304 in %.3f s = %7.0f req/s, %lld bytes (%.0f per poll)\n",
           n, nm_total, tt, 5 * n / tt, b2, (double)b2 / (5.0 * n));
    long long b3 = 0;
    t = round_trip(ks, n, burl, 0, &ok, &nm, &b3);
    printf("%d kiosks, bundle download:   %5d x 200 in %.3f s = %7.0f req/s, %.1f MB (%.1f MB/s)\n",
           n, ok, t, n / t, b3 / 1e6, b3 / 1e6 / t);
    kill(ng, SIGTERM);
    waitpid(ng, NULL, 0);
    free(ks);
    return 0;
}
