/* bench_report BUILD_DIR [SCREENS]: a load simulation of a fleet reporting to one nginx
 * (WebDAV PUT, basic auth) on loopback. SCREENS (default 1000) simulated screens PUT at
 * once with libcurl's multi interface, each as its own client: a status.json as
 * report.c writes it, then a screen.png of PICTURE bytes, then a full day of plays (a
 * page every 20 s for 24 h). Prints requests per second and bytes; never fails on a
 * timing. */
#define _GNU_SOURCE
#include "testutil.h"

#include "base/clock.h"
#include "report/playlog.h"
#include "report/report.h"

#include <curl/curl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return s * n;
}

/* Every screen PUTs len bytes of body to its own <i>/<name>; returns seconds taken. */
static double put_all(int n, int port, const char *name, const char *body, size_t len, int *ok)
{
    CURLM *m = curl_multi_init();
    CURL **hs = calloc((size_t)n, sizeof *hs);
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)n);
    for (int i = 0; i < n; i++) {
        char url[300];
        snprintf(url, sizeof url, "http://127.0.0.1:%d/reports/screen-%04d/%s", port, i, name);
        CURL *h = curl_easy_init();
        hs[i] = h;
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERPWD, "screen:right");
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L); /* each screen is its own client */
        curl_multi_add_handle(m, h);
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
    *ok = 0;
    for (int i = 0; i < n; i++) {
        long st = 0;
        curl_easy_getinfo(hs[i], CURLINFO_RESPONSE_CODE, &st);
        *ok += st >= 200 && st <= 299;
        curl_multi_remove_handle(m, hs[i]);
        curl_easy_cleanup(hs[i]);
    }
    free(hs);
    curl_multi_cleanup(m);
    return t;
}

int main(int argc, char **argv)
{
    char build_abs[4096];
    const char *build = realpath(argc > 1 ? argv[1] : "build", build_abs) ? build_abs : "build";
    int n = argc > 2 ? atoi(argv[2]) : 1000;
    size_t picture = argc > 3 ? (size_t)atol(argv[3]) : 60000;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    char *dir = test_fmt("%s/bench-report", build);
    char *cmd = test_fmt("rm -rf '%s' && mkdir -p '%s/www/reports' && chmod 755 '%s' '%s/www' && "
                         "chmod 777 '%s/www/reports'", dir, dir, dir, dir, dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    char *pw = test_fmt("%s/htpasswd", dir);
    test_write(pw, "screen:{PLAIN}right\n", 20);
    chmod(pw, 0644);
    chmod(dir, 0777);
    int port = test_free_port();
    char *conf = test_fmt("%s/nginx.conf", dir);
    FILE *f = fopen(conf, "w");
    fprintf(f,
            "worker_processes 2; daemon off; pid %s/nginx.pid; error_log stderr crit;\n"
            "worker_rlimit_nofile 8192; events { worker_connections 4096; }\n"
            "http { access_log off; client_body_temp_path %s/body; proxy_temp_path %s;\n"
            " fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
            " server { listen 127.0.0.1:%d backlog=4096; root %s/www;\n"
            "  location /reports/ { dav_methods PUT; create_full_put_path on;\n"
            "   client_max_body_size 2m; auth_basic r; auth_basic_user_file %s;\n"
            "   limit_except PUT { deny all; } } } }\n",
            dir, dir, dir, dir, dir, dir, port, dir, pw);
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
    curl_global_init(CURL_GLOBAL_DEFAULT);
    clock_set_zone("Europe/Berlin");
    Clock c = clock_fake(1795852800000LL); /* 2026-11-27 */
    ReportConfig rc;
    report_defaults(&rc);
    rc.screen = "screen-0000";
    rc.site = "site-17";
    rc.state_dir = dir;
    rc.clock = &c;
    ReportDisplay d;
    memset(&d, 0, sizeof d);
    d.version = 202611270800LL;
    d.installed_ms = 1795852800000LL;
    d.clock_trusted = d.screen_on = 1;
    snprintf(d.page, sizeof d.page, "campaign");
    snprintf(d.lang, sizeof d.lang, "de");
    char log[3][240] = { "sync: no answer from https://cdn.example.org/litfass/latest.minisig",
                         "kiosk: showing content version 202611270800 from /var/lib/litfass/c",
                         "usb: stick /media/usb0 has no litfass/ folder" };
    char *status = report_status_json(&rc, &d, "interval", 86400000, "", log, 3);
    char *png = malloc(picture);
    for (size_t i = 0; i < picture; i++) {
        png[i] = (char)(i * 2654435761u >> 13);
    }
    /* a day of plays: a page every 20 s */
    size_t cap = 4320 * 80 + 100, len = 0;
    char *plays = malloc(cap);
    len += (size_t)snprintf(plays, cap, "%s", PLAYLOG_HEADER);
    const char *pages[] = { "campaign", "map", "schedule" };
    for (int i = 0; i < 4320; i++) {
        char t[32];
        clock_format_utc(1795852800000LL + (int64_t)i * 20000, t, sizeof t);
        len += (size_t)snprintf(plays + len, cap - len, "%s,20.0,%s,de,202611270800\n", t,
                                pages[i % 3]);
    }
    int ok;
    double t = put_all(n, port, "status.json", status, strlen(status), &ok);
    printf("%d screens, status.json: %5d x 2xx in %.3f s = %7.0f req/s, %zu bytes each\n", n, ok,
           t, n / t, strlen(status));
    t = put_all(n, port, "status.json", status, strlen(status), &ok);
    printf("%d screens, status again: %5d x 2xx in %.3f s = %7.0f req/s (files replaced)\n", n,
           ok, t, n / t);
    t = put_all(n, port, "screen.png", png, picture, &ok);
    printf("%d screens, screen.png:  %5d x 2xx in %.3f s = %7.0f req/s, %zu bytes each "
           "(%.1f MB/s)\n", n, ok, t, n / t, picture, n * (double)picture / 1e6 / t);
    t = put_all(n, port, "plays/2026-11-27.csv", plays, len, &ok);
    printf("%d screens, a day of plays: %5d x 2xx in %.3f s = %7.0f req/s, %zu bytes each "
           "(%.1f MB/s)\n", n, ok, t, n / t, len, n * (double)len / 1e6 / t);
    kill(ng, SIGTERM);
    waitpid(ng, NULL, 0);
    free(status);
    free(png);
    free(plays);
    return 0;
}
