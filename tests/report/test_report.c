/* Reports against a real nginx with WebDAV PUT and basic auth on loopback: status,
 * picture and plays arrive and parse; a server that is down gets everything later; a
 * wrong password is logged and nothing breaks; a server that never answers costs the
 * display thread nothing; the play log survives a torn line and keeps its bound; the
 * fleet page escapes hostile names and flags a silent screen. */
#include "testutil.h"

#include "check.h"

#include "base/clock.h"
#include "report/fleet.h"
#include "report/picture.h"
#include "report/playlog.h"
#include "report/report.h"

#include <curl/curl.h>
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

static const char *tmp;
static pid_t nginx_pid;
static const char *nginx_answer; /* e.g. "return 507;": what /reports/ says instead */
static const char *nginx_tls; /* "ssl; ssl_certificate ..." after the listen address, and
                               * then no basic auth */

static void msleep(long ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    return ntohs(a.sin_port);
}

/* nginx as the README's example: PUT only under /reports/, bodies up to 1 MB, no
 * listing, basic auth (user "screen", password "right"). */
static void nginx_start(const char *root, int port)
{
    char *dir = test_fmt("%s/nginx", tmp);
    mkdir(dir, 0777);
    chmod(dir, 0777);
    char *pw = test_fmt("%s/htpasswd", dir);
    test_write(pw, "screen:{PLAIN}right\n", 20);
    chmod(pw, 0644);
    char *conf = test_fmt("%s/nginx.conf", dir);
    char *text = test_fmt(
        "worker_processes 1; daemon off; pid %s/nginx.pid; error_log stderr crit;\n"
        "events { worker_connections 256; }\n"
        "http { access_log off; client_body_temp_path %s/body; proxy_temp_path %s;\n"
        " fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
        " server { listen 127.0.0.1:%d %s; root %s; autoindex off;\n"
        "  location / { deny all; }\n"
        "  location /reports/ { %s dav_methods PUT; create_full_put_path on;\n"
        "   dav_access user:rw group:r all:r; client_max_body_size 1m;\n"
        "   %s%s%s\n"
        "   limit_except PUT { deny all; } } } }\n",
        dir, dir, dir, dir, dir, dir, port, nginx_tls ? nginx_tls : "", root,
        nginx_answer ? nginx_answer : "",
        nginx_tls ? "" : "auth_basic \"reports\"; auth_basic_user_file ", nginx_tls ? "" : pw,
        nginx_tls ? "" : ";");
    test_write(conf, text, strlen(text));
    nginx_pid = fork();
    if (nginx_pid == 0) {
        execlp("nginx", "nginx", "-e", "stderr", "-p", dir, "-c", conf, (char *)NULL);
        _exit(127);
    }
    if (!test_wait_port(port)) {
        fprintf(stderr, "nginx did not start (Debian package nginx-light)\n");
    }
    free(dir);
    free(pw);
    free(conf);
    free(text);
}

static void nginx_stop(void)
{
    if (nginx_pid > 0) {
        kill(nginx_pid, SIGTERM);
        waitpid(nginx_pid, NULL, 0);
        nginx_pid = 0;
    }
}

/* A fresh folder the nginx workers (another user when run as root) may write. */
static char *open_dir(const char *name)
{
    char *d = test_fmt("%s/%s", tmp, name);
    mkdir(d, 0777);
    chmod(d, 0777);
    return d;
}

static Clock sys_clock;

static void config(ReportConfig *c, const char *url, const char *state, const char *pwfile)
{
    report_defaults(c);
    c->url = url;
    c->screen = "screen-1";
    c->site = "Berlin <Mitte>";
    c->state_dir = state;
    c->interval_s = 1;
    c->today_s = 0; /* today's plays at every status, so that the tests see them */
    c->user = pwfile ? "screen" : NULL;
    c->password_file = pwfile;
    c->connect_timeout_s = 2;
    c->timeout_s = 3;
    c->clock = &sys_clock;
}

static void facts(Reporter *r)
{
    ReportDisplay d;
    memset(&d, 0, sizeof d);
    d.version = 42;
    d.installed_ms = 1622548800000LL;
    snprintf(d.alert, sizeof d.alert, "Sturm \"heute\"");
    d.clock_trusted = 1;
    d.screen_on = 1;
    snprintf(d.page, sizeof d.page, "campaign");
    snprintf(d.lang, sizeof d.lang, "de");
    report_display(r, &d);
}

static PlayEntry play(int64_t start, const char *page)
{
    PlayEntry e;
    memset(&e, 0, sizeof e);
    e.start_ms = start;
    e.duration_ms = 20000;
    snprintf(e.page, sizeof e.page, "%s", page);
    snprintf(e.lang, sizeof e.lang, "de");
    e.version = 42;
    return e;
}

static void day_name(int64_t ms, char *out)
{
    struct tm t;
    char buf[48];
    clock_local(ms, &t);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Waits up to ms until path exists. */
static int wait_file(const char *path, long ms)
{
    for (long t = 0; t < ms; t += 50) {
        if (file_exists(path)) {
            return 1;
        }
        msleep(50);
    }
    return file_exists(path);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++) {
        n += *s == '\n';
    }
    return n;
}

TEST(status_picture_and_plays_arrive_and_parse)
{
    char *root = open_dir("www1"), *reports = test_fmt("%s/reports", root);
    mkdir(reports, 0777);
    chmod(reports, 0777);
    char *state = test_fmt("%s/state1", tmp), *pw = test_fmt("%s/pw1", tmp);
    mkdir(state, 0755);
    test_write(pw, "right\n", 6);
    int port = free_port();
    nginx_start(root, port);
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state, pw);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    facts(r);
    PlayEntry a = play(now - 86400000LL, "map"), b = play(now - 60000, "campaign"),
              d = play(now - 40000, "schedule");
    report_play(r, &a);
    report_play(r, &b);
    report_play(r, &d);
    unsigned char *png = malloc(8);
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    report_screen(r, png, 8);
    report_now(r, "install");

    char yday[11], today[11];
    day_name(now - 86400000LL, yday);
    day_name(now, today);
    char *status = test_fmt("%s/screen-1/status.json", reports);
    char *shot = test_fmt("%s/screen-1/screen.png", reports);
    char *p_old = test_fmt("%s/screen-1/plays/%s.csv", reports, yday);
    char *p_now = test_fmt("%s/screen-1/plays/%s.csv", reports, today);
    char *local_old = test_fmt("%s/plays/%s.csv", state, yday);
    char *local_now = test_fmt("%s/plays/%s.csv", state, today);
    CHECK(wait_file(p_old, 8000));
    CHECK(wait_file(p_now, 8000));
    for (int i = 0; i < 60 && file_exists(local_old); i++) {
        msleep(50);
    }
    CHECK(wait_file(shot, 3000));
    char *js = test_read(status, NULL);
    char v[200];
    CHECK(js != NULL);
    CHECK_INT(fleet_json_value(js ? js : "", "screen", v, sizeof v), 0);
    CHECK_STR(v, "screen-1");
    fleet_json_value(js ? js : "", "site", v, sizeof v);
    CHECK_STR(v, "Berlin <Mitte>");
    CHECK(js && !strstr(js, "<Mitte>")); /* '<' is escaped in the document itself */
    fleet_json_value(js ? js : "", "content_version", v, sizeof v);
    CHECK_STR(v, "42");
    fleet_json_value(js ? js : "", "alert", v, sizeof v);
    CHECK_STR(v, "Sturm \"heute\"");
    fleet_json_value(js ? js : "", "power", v, sizeof v);
    CHECK_STR(v, "on");
    CHECK(fleet_json_value(js ? js : "", "disk_free_mb", v, sizeof v) == 0 && atol(v) > 0);
    CHECK_HAS(js, "\"log\": [");
    fleet_json_value(js ? js : "", "soc_temp_c", v, sizeof v);
    CHECK(!strcmp(v, "null") || (v[0] >= '0' && v[0] <= '9'));
    fleet_json_value(js ? js : "", "sync", v, sizeof v);
    CHECK_STR(v, "null");
    CHECK(js && strlen(js) > 2 && strcmp(js + strlen(js) - 2, "}\n") == 0);
    CHECK(js && !strstr(js, ": nu,") && !strstr(js, ": nul,"));
    size_t len = 0;
    char *got = test_read(shot, &len);
    CHECK_INT(len, 8);
    free(got);
    char *old = test_read(p_old, NULL);
    CHECK_HAS(old, PLAYLOG_HEADER);
    CHECK_HAS(old, ",20.0,map,de,42\n");
    char *cur = test_read(p_now, NULL);
    CHECK_HAS(cur, ",campaign,de,42\n");
    CHECK_HAS(cur, ",schedule,de,42\n");
    CHECK(!file_exists(local_old)); /* confirmed: removed */
    CHECK(file_exists(local_now));  /* today's goes on growing */
    ReportCounts n;
    report_counts(r, &n);
    CHECK(n.status_ok >= 1);
    CHECK_INT(n.screens_ok, 1);
    report_stop(r);
    nginx_stop();
    free(js);
    free(old);
    free(cur);
}

TEST(server_down_then_up_gets_every_play_later)
{
    char *root = open_dir("www2"), *reports = test_fmt("%s/reports", root);
    mkdir(reports, 0777);
    chmod(reports, 0777);
    char *state = test_fmt("%s/state2", tmp), *pw = test_fmt("%s/pw2", tmp);
    mkdir(state, 0755);
    test_write(pw, "right\n", 6);
    int port = free_port();
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state, pw);
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    facts(r);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char today[11];
    day_name(now, today);
    /* offline: plays of earlier days and today; with fake starts up to 3 days back */
    int n_plays = 0;
    for (int d = 3; d >= 0; d--) {
        for (int i = 0; i < 50; i++) {
            PlayEntry e = play(now - d * 86400000LL - 1000 * i, "campaign");
            report_play(r, &e);
            n_plays++;
        }
        msleep(300);
    }
    msleep(1500);
    ReportCounts n;
    report_counts(r, &n);
    CHECK(n.status_failed >= 1);
    CHECK_INT(n.status_ok, 0);
    char *local = test_fmt("%s/plays/%s.csv", state, today);
    CHECK(file_exists(local)); /* on disk meanwhile */
    nginx_start(root, port);
    char *status = test_fmt("%s/screen-1/status.json", reports);
    CHECK(wait_file(status, 5000));
    char *p_now = test_fmt("%s/screen-1/plays/%s.csv", reports, today);
    CHECK(wait_file(p_now, 5000));
    msleep(1500); /* the earlier days go in the same cycle */
    int lines = 0;
    for (int d = 3; d >= 0; d--) {
        char day[11];
        day_name(now - d * 86400000LL, day);
        char *path = test_fmt("%s/screen-1/plays/%s.csv", reports, day);
        char *s = test_read(path, NULL);
        CHECK(s != NULL);
        lines += count_lines(s) - 1; /* the header */
        free(s);
        free(path);
    }
    CHECK(lines >= n_plays - 2); /* a play at 00:00:00-ish may land on a fourth day back */
    report_stop(r);
    nginx_stop();
}

/* Days dropped over the bound are named in the next status that arrives. */
TEST(a_dropped_day_is_noted_in_the_next_status)
{
    char *root = open_dir("www7"), *reports = test_fmt("%s/reports", root);
    mkdir(reports, 0777);
    chmod(reports, 0777);
    char *state = test_fmt("%s/state7", tmp), *pw = test_fmt("%s/pw7", tmp);
    char *plays = test_fmt("%s/plays", state), *old = test_fmt("%s/2020-01-01.csv", plays);
    mkdir(state, 0755);
    mkdir(plays, 0755);
    char *older = test_fmt("%s/2020-01-02.csv", plays);
    char big[1500];
    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = '\n';
    test_write(old, big, sizeof big); /* two old days over the bound: the first flush drops */
    test_write(older, big, sizeof big); /* the oldest, before anything is sent */
    test_write(pw, "right\n", 6);
    int port = free_port();
    nginx_start(root, port);
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state, pw);
    c.plays_max_bytes = 2000;
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    char *status = test_fmt("%s/screen-1/status.json", reports);
    int noted = 0;
    for (int i = 0; i < 200 && !noted; i++) {
        char *js = test_read(status, NULL);
        noted = js && strstr(js, "plays of 2020-01-01 dropped (play log over 1 KB)") != NULL;
        free(js);
        msleep(20);
    }
    if (!noted) {
        char *js = test_read(status, NULL);
        fprintf(stderr, "last status: %s\n", js ? js : "(none)");
        free(js);
    }
    CHECK(noted);
    CHECK(!file_exists(old));
    report_stop(r);
    free(older);
    nginx_stop();
}

TEST(wrong_password_is_logged_and_breaks_nothing)
{
    char *root = open_dir("www3"), *reports = test_fmt("%s/reports", root);
    mkdir(reports, 0777);
    chmod(reports, 0777);
    char *state = test_fmt("%s/state3", tmp), *pw = test_fmt("%s/pw3", tmp);
    mkdir(state, 0755);
    test_write(pw, "wrong\n", 6);
    int port = free_port();
    nginx_start(root, port);
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state, pw);
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    facts(r);
    PlayEntry e = play(sys_clock.wall_ms(&sys_clock), "map");
    report_play(r, &e);
    msleep(2500);
    ReportCounts n;
    report_counts(r, &n);
    CHECK(n.status_failed >= 2);
    CHECK_INT(n.last_http, 401);
    CHECK_INT(n.status_ok, 0);
    char *status = test_fmt("%s/screen-1/status.json", reports);
    CHECK(!file_exists(status));
    report_stop(r);
    /* the play waits on disk for a right password */
    char day[11];
    day_name(e.start_ms, day);
    char *local = test_fmt("%s/plays/%s.csv", state, day);
    char *s = test_read(local, NULL);
    CHECK_HAS(s, ",map,de,42\n");
    free(s);
    nginx_stop();
}

/* A server that answers every PUT with 507 (its disk is full) or 500: logged, the plays
 * stay on disk, and nothing else happens. */
TEST(server_errors_keep_the_plays_on_disk)
{
    const char *answers[] = { "return 507;", "return 500;" };
    for (int a = 0; a < 2; a++) {
        char *root = open_dir(a ? "www5b" : "www5a"), *reports = test_fmt("%s/reports", root);
        mkdir(reports, 0777);
        chmod(reports, 0777);
        char *state = test_fmt("%s/state5%d", tmp, a), *pw = test_fmt("%s/pw5", tmp);
        mkdir(state, 0755);
        test_write(pw, "right\n", 6);
        int port = free_port();
        nginx_answer = answers[a];
        nginx_start(root, port);
        nginx_answer = NULL;
        char *url = test_fmt("http://127.0.0.1:%d/reports", port);
        ReportConfig c;
        config(&c, url, state, pw);
        Reporter *r;
        CHECK_INT(report_start(&c, &r), 0);
        facts(r);
        int64_t now = sys_clock.wall_ms(&sys_clock);
        PlayEntry e = play(now - 86400000LL, "map");
        report_play(r, &e);
        msleep(2500);
        ReportCounts n;
        report_counts(r, &n);
        CHECK(n.status_failed >= 2);
        CHECK_INT(n.last_http, a ? 500 : 507);
        report_stop(r);
        char day[11];
        day_name(e.start_ms, day);
        char *local = test_fmt("%s/plays/%s.csv", state, day);
        CHECK(file_exists(local)); /* yesterday's plays wait for a server that stores them */
        nginx_stop();
        free(local);
    }
}

/* A CA, a server certificate for 127.0.0.1 and a client certificate, in dir. */
static int make_tls(const char *dir)
{
    char out[4000];
    char *cmd = test_fmt(
        "(cd '%s' && (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-days 2 -subj '/CN=Litfass test CA' -keyout ca.key -out ca.crt && "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-subj '/CN=127.0.0.1' -keyout server.key -out server.csr && "
        "printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > server.ext && "
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile server.ext -out server.crt && "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-subj '/CN=screen-1' -keyout client.key -out client.csr && "
        "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 "
        "-out client.crt) && chmod 644 *.key)",
        dir);
    int rc = test_run(cmd, out, sizeof out);
    free(cmd);
    if (rc != 0) {
        fprintf(stderr, "openssl failed (Debian package openssl): %s\n", out);
    }
    return rc;
}

/* https with a client certificate instead of a password: it arrives with the certificate
 * and the CA; an unknown server certificate (no ca_file) and a missing client certificate
 * are refused. */
TEST(a_tls_client_certificate_reports_and_verification_stays_on)
{
    char *tls = test_fmt("%s/tls", tmp);
    mkdir(tls, 0755);
    CHECK_INT(make_tls(tls), 0);
    char *root = open_dir("www6"), *reports = test_fmt("%s/reports", root);
    mkdir(reports, 0777);
    chmod(reports, 0777);
    int port = free_port();
    char *listen = test_fmt("ssl; ssl_certificate %s/server.crt; ssl_certificate_key "
                            "%s/server.key; ssl_verify_client on; ssl_client_certificate "
                            "%s/ca.crt",
                            tls, tls, tls);
    nginx_tls = listen; /* the certificate instead of a password */
    nginx_start(root, port);
    nginx_tls = NULL;
    char *url = test_fmt("https://127.0.0.1:%d/reports", port);
    char *ca = test_fmt("%s/ca.crt", tls), *cert = test_fmt("%s/client.crt", tls),
         *key = test_fmt("%s/client.key", tls);
    const char *status = test_fmt("%s/screen-1/status.json", reports);
    for (int round = 0; round < 3; round++) {
        char *state = test_fmt("%s/state6%d", tmp, round);
        mkdir(state, 0755);
        ReportConfig c;
        config(&c, url, state, NULL);
        c.ca_file = round == 1 ? NULL : ca;   /* 1: the server's CA is not known */
        c.cert = round == 2 ? NULL : cert;    /* 2: no client certificate */
        c.key = round == 2 ? NULL : key;
        Reporter *r;
        CHECK_INT(report_start(&c, &r), 0);
        if (round == 0) {
            CHECK(wait_file(status, 5000));
        } else {
            msleep(1500);
        }
        ReportCounts n;
        report_counts(r, &n);
        if (round == 0) {
            CHECK(n.status_ok >= 1);
        } else {
            CHECK_INT(n.status_ok, 0);
            CHECK(n.status_failed >= 1);
            CHECK_INT(n.last_http, round == 1 ? 0 : 400); /* nginx: no certificate sent */
        }
        report_stop(r);
        if (round == 0) {
            unlink(status);
        }
        free(state);
    }
    CHECK(!file_exists(status));
    nginx_stop();
}

/* A server that takes the connection and never answers: the display thread's calls stay
 * instant, and stopping aborts the transfer within about a second. */
TEST(a_server_that_never_answers_costs_the_display_nothing)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 16);
    getsockname(s, (struct sockaddr *)&a, &alen);
    char *state = test_fmt("%s/state4", tmp);
    mkdir(state, 0755);
    char *url = test_fmt("http://127.0.0.1:%d/reports", ntohs(a.sin_port));
    ReportConfig c;
    config(&c, url, state, NULL);
    c.timeout_s = 30;
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    msleep(300); /* the first PUT hangs now */
    int64_t t0 = sys_clock.mono_ms(&sys_clock), worst = 0;
    for (int i = 0; i < 2000; i++) {
        int64_t t = sys_clock.mono_ms(&sys_clock);
        PlayEntry e = play(sys_clock.wall_ms(&sys_clock), "campaign");
        report_play(r, &e);
        facts(r);
        report_wants_screen(r);
        int64_t took = sys_clock.mono_ms(&sys_clock) - t;
        worst = took > worst ? took : worst;
    }
    CHECK(worst < 20);
    CHECK(sys_clock.mono_ms(&sys_clock) - t0 < 2000);
    int64_t t1 = sys_clock.mono_ms(&sys_clock);
    report_stop(r); /* writes what fits the batch; the rest is counted */
    CHECK(sys_clock.mono_ms(&sys_clock) - t1 < 2500);
    close(s);
}

TEST(a_torn_last_line_after_a_power_cut_is_ignored)
{
    char *dir = test_fmt("%s/plays5", tmp);
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 1 << 20, &p), 0);
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char day[11];
    day_name(now, day);
    char *file = test_fmt("%s/%s.csv", dir, day);
    const char *torn = PLAYLOG_HEADER "2026-11-27T08:00:00Z,20.0,map,de,42\n"
                                      "2026-11-27T08:00:20Z,20.0,campaign,de,42\n"
                                      "2026-11-27T08:00:40Z,2";
    test_write(file, torn, strlen(torn));
    char *buf;
    size_t len;
    CHECK_INT(playlog_read_day(p, day, &buf, &len), 0);
    CHECK_INT(count_lines(buf), 3);
    CHECK(buf && !strstr(buf, "08:00:40"));
    free(buf);
    PlayEntry e = play(now, "schedule");
    playlog_add(p, &e);
    CHECK_INT(playlog_flush(p, day), 0);
    char *s = test_read(file, NULL);
    CHECK_INT(count_lines(s), 4);
    CHECK(s && !strstr(s, "08:00:40"));
    CHECK_HAS(s, "campaign,de,42\n2");
    CHECK_HAS(s, ",schedule,de,42\n");
    free(s);
    playlog_close(p);
}

TEST(over_the_bound_the_oldest_days_go_with_a_note)
{
    char *dir = test_fmt("%s/plays6", tmp);
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 2000, &p), 0);
    char line[600];
    memset(line, 'x', sizeof line - 2);
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = '\0';
    const char *days[] = { "2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04" };
    for (int i = 0; i < 4; i++) {
        char *f = test_fmt("%s/%s.csv", dir, days[i]);
        test_write(f, line, strlen(line));
        free(f);
    }
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char today[11];
    day_name(now, today);
    PlayEntry e = play(now, "campaign");
    playlog_add(p, &e);
    CHECK_INT(playlog_flush(p, today), 0);
    CHECK(playlog_bytes(p) <= 2000);
    char *f1 = test_fmt("%s/2026-11-01.csv", dir), *f4 = test_fmt("%s/2026-11-04.csv", dir);
    CHECK(!file_exists(f1));
    CHECK(file_exists(f4));
    char note[400];
    playlog_note(p, note, sizeof note);
    CHECK_HAS(note, "2026-11-01");
    CHECK_HAS(note, "dropped");
    char got[8][11];
    int n = playlog_days(p, got, 8);
    CHECK(n >= 1 && strcmp(got[n - 1], today) == 0); /* today's is kept */
    playlog_close(p); /* a restart before the status was delivered keeps the note */
    CHECK_INT(playlog_open(dir, 2000, &p), 0);
    char again[400];
    playlog_note(p, again, sizeof again);
    CHECK_STR(again, note);
    playlog_clear_note(p, note);
    playlog_note(p, note, sizeof note);
    CHECK_STR(note, "");
    playlog_close(p);
    CHECK_INT(playlog_open(dir, 2000, &p), 0);
    playlog_note(p, note, sizeof note);
    CHECK_STR(note, "");
    playlog_close(p);
}

/* A display whose clock was years ahead wrote day files dated in the future. Over the
 * bound they go first (by name they would go last, outliving every real day), furthest
 * first; the real days then go oldest first and today's stays. A play the clock dates
 * beyond the year 9999 (no "YYYY-MM-DD" holds it) or before 1970 is refused and noted,
 * never written under a name the log cannot list, bound or send. */
TEST(days_dated_after_today_go_first_over_the_bound)
{
    char *dir = test_fmt("%s/plays8", tmp);
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 700, &p), 0);
    char line[600];
    memset(line, 'x', sizeof line - 2);
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = '\0';
    const char *days[] = { "2026-10-01", "2099-06-01", "9999-12-31", "2031-03-05" };
    for (int i = 0; i < 4; i++) {
        char *f = test_fmt("%s/%s.csv", dir, days[i]);
        test_write(f, line, strlen(line));
        free(f);
    }
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char today[11];
    day_name(now, today);
    CHECK_INT(playlog_days_after(today, today), 0);
    CHECK(playlog_days_after("2099-06-01", today) > 1);
    CHECK(playlog_days_after("2026-10-01", today) < 0);
    CHECK_INT(playlog_days_after("2027-01-01", "2026-12-31"), 1);
    CHECK_INT(playlog_days_after("2028-03-01", "2028-02-28"), 2); /* a leap year */
    CHECK(playlog_days_after("2026-13-45", today) > 1); /* no date: a stray */
    PlayEntry e = play(now, "campaign");
    playlog_add(p, &e);
    PlayEntry far = play(253402300800000LL + 86400000LL, "map"); /* 10000-01-02 */
    PlayEntry before = play(-86400000LL, "map");                  /* 1969-12-31 */
    playlog_add(p, &far);
    playlog_add(p, &before);
    CHECK_INT(playlog_flush(p, today), 0);
    CHECK(playlog_bytes(p) <= 700);
    char got[8][11];
    int n = playlog_days(p, got, 8);
    CHECK_INT(n, 2); /* 600 bytes each: the three strays went, the real day stays */
    CHECK_STR(n > 0 ? got[0] : "", "2026-10-01");
    CHECK_STR(n > 1 ? got[1] : "", today);
    char note[400];
    playlog_note(p, note, sizeof note);
    CHECK_HAS(note, "plays of 9999-12-31, 2099-06-01, 2031-03-05 dropped");
    CHECK_HAS(note, "2 plays not logged: the clock said a time before 1970 or after the year");
    /* nothing but day files and the note: no name a wrong year made */
    DIR *d = opendir(dir);
    int others = 0;
    for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
        others += de->d_name[0] != '.' && strlen(de->d_name) != 14;
    }
    if (d) {
        closedir(d);
    }
    CHECK_INT(others, 0);
    /* the real days go oldest first; today's stays even alone over the bound */
    playlog_close(p);
    CHECK_INT(playlog_open(dir, 100, &p), 0);
    CHECK_INT(playlog_flush(p, today), 0);
    n = playlog_days(p, got, 8);
    CHECK_INT(n, 1);
    CHECK_STR(n > 0 ? got[0] : "", today);
    playlog_close(p);
}

/* Without a trusted today the log cannot tell a stray from a real day: it keeps the
 * newest, as before, and drops the oldest. */
TEST(without_a_trusted_today_the_newest_day_stays)
{
    char *dir = test_fmt("%s/plays9", tmp);
    PlayLog *p;
    CHECK_INT(playlog_open(dir, 700, &p), 0);
    char line[600];
    memset(line, 'x', sizeof line - 2);
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = '\0';
    const char *days[] = { "2026-10-01", "2099-06-01" };
    for (int i = 0; i < 2; i++) {
        char *f = test_fmt("%s/%s.csv", dir, days[i]);
        test_write(f, line, strlen(line));
        free(f);
    }
    CHECK_INT(playlog_flush(p, NULL), 0);
    char got[8][11];
    int n = playlog_days(p, got, 8);
    CHECK_INT(n, 1);
    CHECK_STR(n > 0 ? got[0] : "", "2099-06-01");
    playlog_close(p);
}

/* The report sends a day dated after today once, removes it when the server took it and
 * says so in the next status (a warning reaches the status's log); while the clock is
 * not trusted it logs no play (noted in the status) and sends or removes no day. */
TEST(a_future_dated_day_is_sent_once_and_an_untrusted_clock_logs_no_play)
{
    char *root = open_dir("www9"), *reports = test_fmt("%s/reports", root);
    mkdir(reports, 0777);
    chmod(reports, 0777);
    char *state = test_fmt("%s/state9", tmp), *pw = test_fmt("%s/pw9", tmp);
    char *plays = test_fmt("%s/plays", state);
    mkdir(state, 0755);
    mkdir(plays, 0755);
    test_write(pw, "right\n", 6);
    const char *rows = PLAYLOG_HEADER "2099-06-01T08:00:00Z,20.0,map,de,42\n";
    char *stray = test_fmt("%s/2099-06-01.csv", plays);
    test_write(stray, rows, strlen(rows));
    int64_t now = sys_clock.wall_ms(&sys_clock);
    char yday[11];
    day_name(now - 86400000LL, yday);
    char *past = test_fmt("%s/%s.csv", plays, yday);
    test_write(past, PLAYLOG_HEADER, strlen(PLAYLOG_HEADER));
    int port = free_port();
    nginx_start(root, port);
    char *url = test_fmt("http://127.0.0.1:%d/reports", port);
    ReportConfig c;
    config(&c, url, state, pw);
    char *status = test_fmt("%s/screen-1/status.json", reports);
    char *sent_stray = test_fmt("%s/screen-1/plays/2099-06-01.csv", reports);
    char *sent_past = test_fmt("%s/screen-1/plays/%s.csv", reports, yday);

    /* the clock not trusted: the status goes, no day does, no play is logged */
    ReportDisplay d;
    memset(&d, 0, sizeof d);
    d.screen_on = 1;
    Reporter *r;
    CHECK_INT(report_start(&c, &r), 0);
    report_display(r, &d);
    PlayEntry e = play(now, "campaign");
    report_play(r, &e);
    report_play(r, &e);
    int noted = 0;
    for (int i = 0; i < 100 && !noted; i++) {
        char *js = test_read(status, NULL);
        noted = js && strstr(js, "plays not logged: the clock was not trusted") != NULL;
        free(js);
        msleep(50);
    }
    CHECK(noted);
    report_stop(r);
    char today[11];
    day_name(now, today);
    char *local_today = test_fmt("%s/%s.csv", plays, today);
    CHECK(!file_exists(local_today));
    CHECK(!file_exists(sent_stray));
    CHECK(!file_exists(sent_past));
    CHECK(file_exists(stray));
    CHECK(file_exists(past));

    /* trusted: the past day and the stray are sent and removed; the status says why */
    CHECK_INT(report_start(&c, &r), 0);
    facts(r);
    report_now(r, "install");
    CHECK(wait_file(sent_stray, 8000));
    CHECK(wait_file(sent_past, 8000));
    for (int i = 0; i < 100 && (file_exists(stray) || file_exists(past)); i++) {
        msleep(50);
    }
    CHECK(!file_exists(stray));
    CHECK(!file_exists(past));
    char *got = test_read(sent_stray, NULL);
    CHECK_HAS(got, "2099-06-01T08:00:00Z,20.0,map,de,42\n");
    free(got);
    int said = 0;
    for (int i = 0; i < 100 && !said; i++) {
        char *js = test_read(status, NULL);
        said = js && strstr(js, "play log 2099-06-01.csv is dated after today") != NULL;
        if (said) {
            CHECK(strstr(js, "plays not logged") == NULL); /* the count went with its status */
        }
        free(js);
        msleep(50);
    }
    CHECK(said);
    report_stop(r);
    free(local_today);
    free(sent_stray);
    free(sent_past);
    free(status);
    free(stray);
    free(past);
    nginx_stop();
}

static void fake_screen(const char *reports, const char *folder, const char *name,
                        const char *reported)
{
    char *d = test_fmt("%s/%s", reports, folder);
    mkdir(d, 0755);
    char *plays = test_fmt("%s/plays", d);
    mkdir(plays, 0755);
    char *js = test_fmt("{\"screen\": \"%s\", \"site\": \"<b>Hof</b> & 'Co'\", \"reported\": "
                        "\"%s\", \"interval_s\": 300, \"content_version\": 7, \"alert\": \"\", "
                        "\"clock_trusted\": true, \"power\": \"on\"}",
                        name, reported);
    char *f = test_fmt("%s/status.json", d);
    test_write(f, js, strlen(js));
    char *png = test_fmt("%s/screen.png", d);
    test_write(png, "png", 3);
    char *csv = test_fmt("%s/2026-11-26.csv", plays);
    const char *rows = PLAYLOG_HEADER "2026-11-26T08:00:00Z,20.0,map,de,7\n"
                                      "2026-11-26T08:00:20Z,40.0,campaign,de,7\n";
    test_write(csv, rows, strlen(rows));
    free(d);
    free(plays);
    free(js);
    free(f);
    free(png);
    free(csv);
}

TEST(fleet_page_escapes_hostile_names_and_flags_silent_screens)
{
    char *reports = test_fmt("%s/fleet", tmp);
    mkdir(reports, 0755);
    fake_screen(reports, "fresh", "Foyer", "2026-11-27T08:58:00Z");
    fake_screen(reports, "x\"><script>alert(1)<\\script>",
                "<img src=x onerror=alert(1)>\\u003cscript\\u003e", "2026-11-27T07:00:00Z");
    char *out = test_fmt("%s/fleet.html", reports);
    char *cmd = test_fmt(LITFASS_TEST_EXEC "%s fleet %s -o %s --now 2026-11-27T09:00:00Z",
                         LITFASSCTL, reports, out);
    char msg[2000];
    CHECK_INT(test_run(cmd, msg, sizeof msg), 0);
    char *html = test_read(out, NULL);
    CHECK(html != NULL);
    CHECK(html && !strstr(html, "<script"));
    CHECK(html && !strstr(html, "<img src=x"));
    CHECK(html && !strstr(html, "<b>"));
    CHECK_HAS(html, "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;");
    CHECK_HAS(html, "&lt;b&gt;Hof&lt;/b&gt; &amp; &#39;Co&#39;");
    CHECK_HAS(html, "src=\"x%22%3E%3Cscript%3Ealert%281%29%3C%5Cscript%3E/screen.png\"");
    CHECK_HAS(html, "src=\"fresh/screen.png\"");
    CHECK_HAS(html, "2026-11-26: 2 Seiten, 0:01 h");
    /* the silent one (2 h) is flagged, the fresh one (2 min) is not */
    const char *fresh = html ? strstr(html, "Foyer") : NULL;
    const char *row = fresh;
    while (row && row > html && strncmp(row, "<tr", 3) != 0) {
        row--;
    }
    CHECK(row && strncmp(row, "<tr>", 4) == 0);
    CHECK_HAS(html, "1 von 2 Bildschirmen veraltet");
    free(html);
    /* written elsewhere: the thumbnail links lead back into the report folder */
    char *other = test_fmt("%s/elsewhere", tmp);
    mkdir(other, 0755);
    char *out2 = test_fmt("%s/fleet.html", other);
    char *cmd2 = test_fmt(LITFASS_TEST_EXEC "%s fleet %s -o %s --now 2026-11-27T09:00:00Z",
                          LITFASSCTL, reports, out2);
    CHECK_INT(test_run(cmd2, msg, sizeof msg), 0);
    html = test_read(out2, NULL);
    CHECK_HAS(html, "src=\"../fleet/fresh/screen.png\"");
    free(html);
}

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* 1920x1080 becomes 480x270, a box filter over fine stripes gives their grey (text does
 * not vanish as it would with nearest-neighbour), and the PNG is well-formed. */
TEST(the_screen_picture_is_shrunk_by_a_box_filter_into_a_png)
{
    int w = 1920, h = 1080;
    uint32_t *px = malloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            px[(size_t)y * w + x] = x % 2 ? 0xffffffffu : 0xff000000u;
        }
    }
    unsigned char *png;
    size_t len;
    int ow, oh;
    CHECK_INT(picture_png(px, w, h, 480, &png, &len, &ow, &oh), 0);
    CHECK_INT(ow, 480);
    CHECK_INT(oh, 270);
    CHECK(len > 33 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    CHECK_INT(be32(png + 16), 480);
    CHECK_INT(be32(png + 20), 270);
    free(png);
    /* portrait: the longer side is bounded */
    CHECK_INT(picture_png(px, 1080, 1920, 480, &png, &len, &ow, &oh), 0);
    CHECK_INT(oh, 480);
    CHECK_INT(ow, 270);
    free(png);
    free(px);
}

/* argv[1] names a group (local, arrive, faults) so that CTest runs each in its own
 * program (each well under 20 s); none runs all. */
int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : "";
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    clock_set_zone("Europe/Berlin");
    sys_clock = clock_system();
    tmp = test_tmpdir();
    chmod(tmp, 0755); /* nginx's workers run as another user */
    if (!*group || !strcmp(group, "local")) {
        RUN(the_screen_picture_is_shrunk_by_a_box_filter_into_a_png);
        RUN(a_torn_last_line_after_a_power_cut_is_ignored);
        RUN(over_the_bound_the_oldest_days_go_with_a_note);
        RUN(days_dated_after_today_go_first_over_the_bound);
        RUN(without_a_trusted_today_the_newest_day_stays);
        RUN(fleet_page_escapes_hostile_names_and_flags_silent_screens);
    }
    if (!*group || !strcmp(group, "arrive")) {
        RUN(status_picture_and_plays_arrive_and_parse);
        RUN(server_down_then_up_gets_every_play_later);
        RUN(a_dropped_day_is_noted_in_the_next_status);
        RUN(a_future_dated_day_is_sent_once_and_an_untrusted_clock_logs_no_play);
    }
    if (!*group || !strcmp(group, "faults")) {
        RUN(wrong_password_is_logged_and_breaks_nothing);
        RUN(server_errors_keep_the_plays_on_disk);
        RUN(a_tls_client_certificate_reports_and_verification_stays_on);
        RUN(a_server_that_never_answers_costs_the_display_nothing);
    }
    return check_report();
}
