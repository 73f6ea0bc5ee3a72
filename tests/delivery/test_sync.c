/* Network sync against a real nginx on loopback (first sync, 304, update, refusal of
 * an older version, recovery after the server was down) and against a
 * fault-injecting server in this program (500s, a reset mid-body, a slow drip, short
 * and long bodies, more than the signed size, a bad signature, a file replaced
 * between two resume attempts, an unknown key): nothing bad is ever installed and
 * the content stays. */
#define _GNU_SOURCE
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "delivery/bundle.h"
#include "check.h"
#include "store/store.h"
#include "delivery/sync.h"
#include "display/kiosk.h"
#include "display/text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <threads.h>
#include <time.h>

static const char *tmp;
static char sec[600], sec2[600];
static KeyRing ring;

static void msleep(int ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L }, NULL);
}

static void build_signed(const char *path, int version, const char *key, const char *title)
{
    char src[700], err[512], out[256];
    snprintf(src, sizeof src, "%s/src-%d", tmp, version);
    test_copy_content(src, "posters posters.csv 'campaign.'*.md");
    char *cmd = test_fmt("sed -i 's/^title: .*/title: %s/' '%s/campaign.md'", title, src);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    CHECK_INT(build_content(src, path, version, 1622554200000LL, NULL, err, sizeof err), 0);
    CHECK_INT(bundle_sign(path, key, err, sizeof err), 0);
}

static void publish(const char *bundle, const char *dir)
{
    char out[512];
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' publish '%s' '%s'", LITFASSCTL, bundle, dir);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
}

static long long installed(const char *state)
{
    BundleState s;
    char err[256];
    bundle_state(state, &s, err, sizeof err);
    return s.current_version;
}

static SyncOutcome run_sync_ca(const char *url, const char *state, const char *ca_file)
{
    SyncConfig c;
    sync_defaults(&c);
    c.url = url;
    c.state_dir = state;
    c.ca_file = ca_file;
    c.ring = &ring;
    c.connect_timeout_s = 3;
    c.low_speed_bps = 2000;
    c.low_speed_time_s = 2;
    SyncOutcome o;
    sync_once(&c, &o);
    return o;
}

static SyncOutcome run_sync(const char *url, const char *state)
{
    return run_sync_ca(url, state, NULL);
}

/* ---- nginx ---- */

static pid_t nginx_pid;

/* Starts nginx with the given server blocks; waits until port answers. */
static void nginx_start_servers(const char *servers, int port)
{
    char conf[700], dir[600];
    snprintf(dir, sizeof dir, "%s/nginx", tmp);
    mkdir(dir, 0755);
    snprintf(conf, sizeof conf, "%s/nginx.conf", dir);
    char *text = test_fmt("worker_processes 1; daemon off; pid %s/nginx.pid; error_log stderr crit;\n"
                          "events { worker_connections 2048; }\n"
                          "http { access_log off; client_body_temp_path %s; proxy_temp_path %s;\n"
                          " fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;\n"
                          "%s }\n",
                          dir, dir, dir, dir, dir, dir, servers);
    test_write(conf, text, strlen(text));
    free(text);
    nginx_pid = fork();
    if (nginx_pid == 0) {
        execlp("nginx", "nginx", "-e", "stderr", "-p", dir, "-c", conf, (char *)NULL);
        _exit(127);
    }
    if (test_wait_port(port)) {
        return;
    }
    fprintf(stderr, "nginx did not start (Debian package nginx-light)\n");
}

static void nginx_start(const char *root, int port)
{
    char *servers = test_fmt(" server { listen 127.0.0.1:%d; root %s; etag on; }", port, root);
    nginx_start_servers(servers, port);
    free(servers);
}

static void nginx_stop(void)
{
    if (nginx_pid > 0) {
        kill(nginx_pid, SIGTERM);
        waitpid(nginx_pid, NULL, 0);
        nginx_pid = 0;
    }
}

TEST(nginx_first_sync_304_update_older_refused_and_recovery)
{
    char pubdir[600], state[600], url[128], b1[600], b2[600], b0[600];
    int port = 20000 + (int)(getpid() % 20000);
    snprintf(pubdir, sizeof pubdir, "%s/publish", tmp);
    snprintf(state, sizeof state, "%s/state-nginx", tmp);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    snprintf(b1, sizeof b1, "%s/content-11.litfass", tmp);
    snprintf(b2, sizeof b2, "%s/content-12.litfass", tmp);
    snprintf(b0, sizeof b0, "%s/content-10.litfass", tmp);
    build_signed(b1, 11, sec, "Eins");
    build_signed(b2, 12, sec, "Zwei");
    build_signed(b0, 10, sec, "Null");
    publish(b1, pubdir);
    nginx_start(pubdir, port);
    SyncOutcome o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_INSTALLED);
    CHECK_INT(installed(state), 11);
    o = run_sync(url, state); /* nothing changed: a 304, nothing downloaded */
    CHECK_INT(o.kind, SYNC_NOT_MODIFIED);
    CHECK_INT(o.http_status, 304);
    msleep(1100); /* nginx's ETag is mtime (seconds) and size */
    publish(b2, pubdir);
    o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_INSTALLED);
    CHECK_INT(installed(state), 12);
    /* a server that goes back to an older version is not followed */
    char cmd[4000], out[128];
    msleep(1100);
    snprintf(cmd, sizeof cmd, "cp '%s.minisig' '%s/latest.minisig' && cp '%s' '%s/'", b0, pubdir, b0, pubdir);
    test_run(cmd, out, sizeof out);
    o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_UP_TO_DATE);
    CHECK_INT(installed(state), 12);
    /* the server goes away: offline, content kept; it comes back: recovery */
    nginx_stop();
    o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_FAILED);
    CHECK_INT(installed(state), 12);
    SyncStatus st;
    CHECK_INT(sync_read_status(state, &st), 0);
    CHECK(st.offline_since_ms > 0);
    char mark[96];
    sync_status_mark(&st, mark, sizeof mark);
    CHECK_HAS(mark, "offline seit");
    char b3[600];
    snprintf(b3, sizeof b3, "%s/content-13.litfass", tmp);
    build_signed(b3, 13, sec, "Drei");
    msleep(1100);
    publish(b3, pubdir);
    nginx_start(pubdir, port);
    o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_INSTALLED);
    CHECK_INT(installed(state), 13);
    sync_read_status(state, &st);
    CHECK_INT(st.offline_since_ms, 0);
    nginx_stop();
}

/* ---- TLS: a throw-away CA and server certificate made with the openssl command ---- */

/* Makes ca.crt and a certificate for 127.0.0.1 signed by it in dir. Returns 0. */
static int make_tls(const char *dir)
{
    char out[2048];
    char *cmd = test_fmt(
        "(cd '%s' && "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj '/CN=Litfass test CA' -keyout ca.key -out ca.crt && "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-subj '/CN=127.0.0.1' -keyout server.key -out server.csr && "
        "printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > server.ext && "
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile server.ext -out server.crt)",
        dir);
    int rc = test_run(cmd, out, sizeof out);
    free(cmd);
    if (rc != 0) {
        fprintf(stderr, "openssl failed (Debian package openssl): %s\n", out);
    }
    return rc;
}

TEST(https_sync_verifies_tls_and_never_follows_a_redirect_to_http)
{
    char dir[600], pubdir[600], b1[600], b2[600], ca[700];
    int port = 20000 + (int)((getpid() + 7919) % 20000), plain = port + 1;
    snprintf(dir, sizeof dir, "%s/tls", tmp);
    snprintf(pubdir, sizeof pubdir, "%s/publish-tls", tmp);
    snprintf(b1, sizeof b1, "%s/content-51.litfass", tmp);
    snprintf(b2, sizeof b2, "%s/content-52.litfass", tmp);
    snprintf(ca, sizeof ca, "%s/ca.crt", dir);
    mkdir(dir, 0755);
    CHECK_INT(make_tls(dir), 0);
    build_signed(b1, 51, sec, "Sicher");
    build_signed(b2, 52, sec, "Umgeleitet");
    publish(b1, pubdir);
    /* one https server with three ways into the same publish folder — directly, via a
     * redirect to http:// (a plain server on another port that would serve the files
     * if the client followed), via a redirect to https — plus a folder whose
     * manifest is served over https but whose bundle redirects to http:// */
    char *servers = test_fmt(
        " server { listen 127.0.0.1:%d ssl; ssl_certificate %s/server.crt;"
        " ssl_certificate_key %s/server.key; root %s; etag on;\n"
        "  location /to-http/ { rewrite ^/to-http/(.*)$ http://127.0.0.1:%d/$1 permanent; }\n"
        "  location /to-https/ { rewrite ^/to-https/(.*)$ https://127.0.0.1:%d/$1 redirect; }\n"
        "  location ~ ^/bundle-to-http/(.*[.]litfass)$ { return 302 http://127.0.0.1:%d/$1; }\n"
        "  location /bundle-to-http/ { alias %s/; } }\n"
        " server { listen 127.0.0.1:%d; root %s; etag on; }",
        port, dir, dir, pubdir, plain, port, plain, pubdir, plain, pubdir);
    nginx_start_servers(servers, port);
    free(servers);
    CHECK(test_wait_port(plain));
    char url[200], state[700];

    /* TLS verification is on: the system's CAs do not know the test CA */
    snprintf(url, sizeof url, "https://127.0.0.1:%d", port);
    snprintf(state, sizeof state, "%s/state-tls-noca", tmp);
    SyncOutcome o = run_sync_ca(url, state, NULL);
    CHECK_INT(o.kind, SYNC_FAILED);
    CHECK_INT(installed(state), 0);

    /* with --ca-file the same server works */
    snprintf(state, sizeof state, "%s/state-tls", tmp);
    o = run_sync_ca(url, state, ca);
    if (o.kind != SYNC_INSTALLED) {
        fprintf(stderr, "https sync: %s\n", o.detail);
    }
    CHECK_INT(o.kind, SYNC_INSTALLED);
    CHECK_INT(installed(state), 51);

    /* the manifest redirected to http://: refused, with a reason, nothing installed */
    snprintf(url, sizeof url, "https://127.0.0.1:%d/to-http", port);
    snprintf(state, sizeof state, "%s/state-tls-downgrade", tmp);
    o = run_sync_ca(url, state, ca);
    CHECK_INT(o.kind, SYNC_FAILED);
    CHECK_HAS(o.detail, "not https");
    CHECK_HAS(o.detail, "http://127.0.0.1");
    CHECK_INT(installed(state), 0);
    SyncStatus st;
    CHECK_INT(sync_read_status(state, &st), 0);
    CHECK_HAS(st.last_error, "not https");

    /* only the bundle redirected to http://: refused too, nothing installed */
    snprintf(url, sizeof url, "https://127.0.0.1:%d/bundle-to-http", port);
    snprintf(state, sizeof state, "%s/state-tls-bundle-downgrade", tmp);
    o = run_sync_ca(url, state, ca);
    CHECK_INT(o.kind, SYNC_FAILED);
    CHECK_HAS(o.detail, "content-51.litfass");
    CHECK_HAS(o.detail, "not https");
    CHECK_INT(installed(state), 0);

    /* a redirect that stays on https is followed */
    msleep(1100); /* nginx's ETag is mtime (seconds) and size */
    publish(b2, pubdir);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/to-https", port);
    snprintf(state, sizeof state, "%s/state-tls", tmp);
    o = run_sync_ca(url, state, ca);
    if (o.kind != SYNC_INSTALLED) {
        fprintf(stderr, "https->https: %s\n", o.detail);
    }
    CHECK_INT(o.kind, SYNC_INSTALLED);
    CHECK_INT(installed(state), 52);
    nginx_stop();
}

/* ---- the fault-injecting server ---- */

typedef enum { FAULT_OK, FAULT_500, FAULT_RESET, FAULT_DRIP, FAULT_SHORT, FAULT_LONG, FAULT_BIG, FAULT_NAIVE_RANGE } Fault;

static struct {
    int fd, port;
    char root[600];
    volatile Fault fault;
    volatile int stop;
    volatile int requests;
} srv;

static int send_all(int c, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t w = send(c, b, n, MSG_NOSIGNAL);
        if (w <= 0) {
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static void serve(int c)
{
    char req[4096];
    ssize_t n = recv(c, req, sizeof req - 1, 0);
    if (n <= 0) {
        return;
    }
    req[n] = '\0';
    srv.requests++;
    char path[512];
    if (sscanf(req, "GET %511s", path) != 1) {
        return;
    }
    char file[1200], hdr[512];
    snprintf(file, sizeof file, "%s%s", srv.root, path);
    size_t len;
    char *body = test_read(file, &len);
    struct stat st;
    stat(file, &st);
    char etag[64];
    snprintf(etag, sizeof etag, "\"%zx-%lx\"", len, (long)st.st_mtime);
    Fault f = srv.fault;
    int is_bundle = strstr(path, ".litfass") && !strstr(path, ".minisig");
    if (!body) {
        const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        send_all(c, nf, strlen(nf));
        return;
    }
    if (f == FAULT_500) {
        const char *e = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\nerror";
        send_all(c, e, strlen(e));
        free(body);
        return;
    }
    long long from = 0;
    char *rg = strcasestr(req, "\r\nRange: bytes=");
    char *ir = strcasestr(req, "\r\nIf-Range: ");
    int range_ok = rg && (f == FAULT_NAIVE_RANGE || (ir && strncmp(ir + 12, etag, strlen(etag)) == 0));
    if (range_ok) {
        from = atoll(rg + 15);
    }
    if (!is_bundle || f == FAULT_OK || f == FAULT_NAIVE_RANGE) {
        if (range_ok && from < (long long)len) {
            snprintf(hdr, sizeof hdr, "HTTP/1.1 206 Partial Content\r\nContent-Length: %lld\r\nETag: %s\r\n"
                     "Content-Range: bytes %lld-%zu/%zu\r\nConnection: close\r\n\r\n",
                     (long long)len - from, etag, from, len - 1, len);
        } else {
            from = 0;
            snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nETag: %s\r\nConnection: close\r\n\r\n",
                     len, etag);
        }
        send_all(c, hdr, strlen(hdr));
        send_all(c, body + from, len - (size_t)from);
    } else if (f == FAULT_RESET || f == FAULT_SHORT) {
        snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nETag: %s\r\nConnection: close\r\n\r\n", len, etag);
        send_all(c, hdr, strlen(hdr));
        send_all(c, body, len / 2);
        if (f == FAULT_RESET) { /* a reset, not a close */
            struct linger lg = { 1, 0 };
            setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        }
    } else if (f == FAULT_DRIP) {
        snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nETag: %s\r\nConnection: close\r\n\r\n", len, etag);
        send_all(c, hdr, strlen(hdr));
        for (size_t i = 0; i < len && !srv.stop && i < 30; i++) {
            if (send_all(c, body + i, 1) != 0) {
                break; /* the client gave up */
            }
            msleep(300);
        }
    } else if (f == FAULT_LONG) { /* no length, the file and then more */
        snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nETag: %s\r\nConnection: close\r\n\r\n", etag);
        send_all(c, hdr, strlen(hdr));
        send_all(c, body, len);
        send_all(c, "trailing garbage beyond the signed size", 39);
    } else if (f == FAULT_BIG) { /* announces more than the signature names */
        snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nETag: %s\r\nConnection: close\r\n\r\n", len + 4096, etag);
        send_all(c, hdr, strlen(hdr));
        send_all(c, body, len);
        char zero[4096] = { 0 };
        send_all(c, zero, sizeof zero);
    }
    free(body);
}

static int server(void *arg)
{
    (void)arg;
    while (!srv.stop) {
        int c = accept(srv.fd, NULL, NULL);
        if (c < 0) {
            continue;
        }
        serve(c);
        close(c);
    }
    return 0;
}

static void server_start(const char *root)
{
    snprintf(srv.root, sizeof srv.root, "%s", root);
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(srv.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(srv.fd, (struct sockaddr *)&a, sizeof a);
    socklen_t l = sizeof a;
    getsockname(srv.fd, (struct sockaddr *)&a, &l);
    srv.port = ntohs(a.sin_port);
    listen(srv.fd, 16);
    thrd_t t;
    thrd_create(&t, server, NULL);
    thrd_detach(t);
}

TEST(faults_never_install_anything_bad)
{
    char pubdir[600], state[600], url[128], b1[600], b2[600], cmd[4000], out[256];
    snprintf(pubdir, sizeof pubdir, "%s/publish-faults", tmp);
    snprintf(state, sizeof state, "%s/state-faults", tmp);
    snprintf(b1, sizeof b1, "%s/content-21.litfass", tmp);
    snprintf(b2, sizeof b2, "%s/content-22.litfass", tmp);
    build_signed(b1, 21, sec, "Einundzwanzig");
    build_signed(b2, 22, sec, "Zweiundzwanzig");
    server_start(pubdir);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv.port);
    publish(b1, pubdir);
    srv.fault = FAULT_OK;
    CHECK_INT(run_sync(url, state).kind, SYNC_INSTALLED);
    CHECK_INT(installed(state), 21);
    publish(b2, pubdir);

    struct {
        Fault f;
        const char *name;
    } faults[] = { { FAULT_500, "HTTP 500" }, { FAULT_RESET, "reset mid-body" }, { FAULT_SHORT, "short body" },
                   { FAULT_DRIP, "slow drip" }, { FAULT_LONG, "longer than signed" },
                   { FAULT_BIG, "announces more than signed" } };
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        srv.fault = faults[i].f;
        SyncOutcome o = run_sync(url, state);
        if (o.kind != SYNC_FAILED || installed(state) != 21) {
            fprintf(stderr, "fault '%s': kind %d, installed %lld\n", faults[i].name, o.kind, installed(state));
        }
        CHECK_INT(o.kind, SYNC_FAILED);
        CHECK_INT(installed(state), 21);
    }
    /* a bad signature, and a manifest signed by an unknown key */
    char sigp[700], *s;
    snprintf(sigp, sizeof sigp, "%s/latest.minisig", pubdir);
    s = test_read(sigp, NULL);
    char *good_sig = strdup(s);
    char *last = strrchr(s, '\n');
    last[-3] = last[-3] == 'A' ? 'B' : 'A'; /* damage the global signature */
    test_write(sigp, s, strlen(s));
    free(s);
    srv.fault = FAULT_OK;
    SyncOutcome o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_FAILED);
    CHECK_INT(o.result, BUNDLE_BAD_SIGNATURE);
    CHECK_INT(installed(state), 21);
    char b9[600];
    snprintf(b9, sizeof b9, "%s/content-29.litfass", tmp);
    build_signed(b9, 29, sec2, "Fremd");
    snprintf(cmd, sizeof cmd, "cp '%s.minisig' '%s/latest.minisig' && cp '%s' '%s/'", b9, pubdir, b9, pubdir);
    test_run(cmd, out, sizeof out);
    o = run_sync(url, state);
    CHECK_INT(o.kind, SYNC_FAILED);
    CHECK_INT(o.result, BUNDLE_UNTRUSTED_KEY);
    CHECK_INT(installed(state), 21);
    test_write(sigp, good_sig, strlen(good_sig));
    free(good_sig);

    /* a file replaced on the server between two resume attempts: the partial copy of
     * the old file is never spliced with the new one */
    srv.fault = FAULT_RESET;
    CHECK_INT(run_sync(url, state).kind, SYNC_FAILED); /* half of version 22 is kept */
    char b22b[600];
    snprintf(b22b, sizeof b22b, "%s/other/content-22.litfass", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/other", tmp);
    test_run(cmd, out, sizeof out);
    build_signed(b22b, 22, sec, "Neu");
    msleep(1100); /* another mtime, another ETag */
    publish(b22b, pubdir);
    srv.fault = FAULT_NAIVE_RANGE; /* a server that ignores If-Range splices: refused */
    o = run_sync(url, state);
    CHECK(o.kind == SYNC_FAILED || o.kind == SYNC_INSTALLED);
    if (o.kind == SYNC_INSTALLED) { /* only if the old part happened to be identical */
        CHECK_INT(installed(state), 22);
    }
    if (o.kind == SYNC_FAILED) {
        CHECK_INT(installed(state), 21);
        srv.fault = FAULT_RESET;
        run_sync(url, state); /* a new partial download of the new file ... */
        srv.fault = FAULT_OK;     /* ... then a correct server resumes it */
        o = run_sync(url, state);
        CHECK_INT(o.kind, SYNC_INSTALLED);
        CHECK_INT(installed(state), 22);
    }
    char cur[800];
    Model m;
    memset(&m, 0, sizeof m);
    snprintf(cur, sizeof cur, "%s/content-22.litfass", state);
    CHECK_INT(store_load_path(cur, &m), 0);
    CHECK_STR(m.campaign.title, "Neu"); /* the new file, whole */
    model_free(&m);
    srv.stop = 1;
}

TEST(a_file_replaced_between_resume_attempts_is_fetched_whole)
{
    char pubdir[600], state[600], url[128], b1[600], b2[600], b2b[600], cmd[4000], out[256];
    snprintf(pubdir, sizeof pubdir, "%s/publish-replace", tmp);
    snprintf(state, sizeof state, "%s/state-replace", tmp);
    snprintf(b1, sizeof b1, "%s/content-31.litfass", tmp);
    snprintf(b2, sizeof b2, "%s/content-32.litfass", tmp);
    snprintf(b2b, sizeof b2b, "%s/other2/content-32.litfass", tmp);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/other2", tmp);
    test_run(cmd, out, sizeof out);
    build_signed(b1, 31, sec, "A");
    build_signed(b2, 32, sec, "B alt");
    build_signed(b2b, 32, sec, "B neu");
    srv.stop = 0;
    server_start(pubdir);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv.port);
    publish(b1, pubdir);
    srv.fault = FAULT_OK;
    CHECK_INT(run_sync(url, state).kind, SYNC_INSTALLED);
    publish(b2, pubdir);
    srv.fault = FAULT_RESET;
    CHECK_INT(run_sync(url, state).kind, SYNC_FAILED); /* half of "B alt" */
    msleep(1100);
    publish(b2b, pubdir); /* replaced, re-signed */
    srv.fault = FAULT_OK;     /* honours If-Range: the old validator no longer matches */
    SyncOutcome o = run_sync(url, state);
    if (o.kind != SYNC_INSTALLED) {
        fprintf(stderr, "replaced: %s\n", o.detail);
    }
    CHECK_INT(o.kind, SYNC_INSTALLED);
    Model m;
    char cur[800];
    memset(&m, 0, sizeof m);
    snprintf(cur, sizeof cur, "%s/content-32.litfass", state);
    CHECK_INT(store_load_path(cur, &m), 0);
    CHECK_STR(m.campaign.title, "B neu");
    model_free(&m);
    srv.stop = 1;
}

TEST(the_display_loop_never_waits_for_a_slow_server)
{
    char pubdir[600], state[400], url[128], b1[600];
    snprintf(pubdir, sizeof pubdir, "%s/publish-slow", tmp);
    snprintf(state, sizeof state, "%s/state-slow", tmp);
    snprintf(b1, sizeof b1, "%s/content-41.litfass", tmp);
    build_signed(b1, 41, sec, "Langsam");
    publish(b1, pubdir);
    srv.stop = 0;
    server_start(pubdir);
    srv.fault = FAULT_DRIP; /* the bundle trickles in at ~3 bytes a second */
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv.port);
    Text *text = test_fonts();
    Config cfg;
    config_defaults(&cfg);
    snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", state);
    snprintf(cfg.pages, sizeof cfg.pages, "campaign,schedule");
    cfg.page_seconds = 3;
    Clock clock = clock_system();
    Kiosk *k;
    kiosk_create(&cfg, &clock, text, &k);
    SyncConfig sc;
    sync_defaults(&sc);
    sc.url = url;
    sc.state_dir = state;
    sc.ring = &ring;
    sc.low_speed_bps = 2000;
    sc.low_speed_time_s = 2;
    SyncWorker *w;
    CHECK_INT(sync_start(&sc, 60, NULL, NULL, &w), 0);
    kiosk_set_sync(k, w);
    /* the display's loop at 60 frames a second for 4 s, rebuilding a page each time */
    struct timespec a, b;
    double worst = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 240; i++) {
        int64_t wait;
        kiosk_update(k, 1280, 720, &wait);
        msleep(16);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double gap = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
        worst = gap > worst ? gap : worst;
        a = b;
    }
    printf("longest gap between frames while syncing from a slow server: %.1f ms\n", worst);
    CHECK(worst < 1500); /* a wait on the network would take the 2 s low-speed timeout */
    sync_stop(w); /* aborts the transfer */
    kiosk_destroy(k);
    text_close(text);
    srv.stop = 1;
}

int main(void)
{
    char pub[600], pub2[600], err[512];
    signal(SIGPIPE, SIG_IGN);
    tmp = test_tmpdir();
    chmod(tmp, 0755); /* nginx's workers run as another user */
    snprintf(pub, sizeof pub, "%s/k.pub", tmp);
    snprintf(sec, sizeof sec, "%s/k.sec", tmp);
    snprintf(pub2, sizeof pub2, "%s/k2.pub", tmp);
    snprintf(sec2, sizeof sec2, "%s/k2.sec", tmp);
    if (bundle_keygen(pub, sec, err, sizeof err) || bundle_keygen(pub2, sec2, err, sizeof err) ||
        bundle_ring_add(&ring, pub, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    RUN(nginx_first_sync_304_update_older_refused_and_recovery);
    RUN(https_sync_verifies_tls_and_never_follows_a_redirect_to_http);
    RUN(faults_never_install_anything_bad);
    RUN(a_file_replaced_between_resume_attempts_is_fetched_whole);
    RUN(the_display_loop_never_waits_for_a_slow_server);
    return check_report();
}
