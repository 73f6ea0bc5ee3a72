/* litfassctl: the staff's content tool. Only wires modules; each subcommand is a
 * function of a few lines. Errors are one line on stderr naming the file and the
 * reason; the exit status is 0 on success, 1 on a rejection, 2 on bad usage. */
#define _POSIX_C_SOURCE 200809L
#include "content/build.h"
#include "delivery/bundle.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"
#include "store/store.h"
#include "delivery/sync.h"
#include "base/ui.h"
#include "delivery/usb.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: litfassctl build SRC_DIR -o FILE [--version N] [--map FILE.geo]\n"
               "                        [--lang de|en]   (messages; German by default)\n"
               "       (without --version: the date and time, YYYYMMDDHHMM, always newer)\n"
               "       litfassctl keygen -p PUB -s SEC\n"
               "       litfassctl sign FILE -s SEC           (writes FILE.minisig)\n"
               "       litfassctl verify FILE -p PUB\n"
               "       litfassctl inspect FILE\n"
               "       litfassctl import FILE --state-dir DIR [-p PUB ...]\n"
               "       litfassctl import-usb MOUNT_DIR --state-dir DIR [-p PUB ...]\n"
               "       litfassctl publish FILE DIR            (for any static web server)\n"
               "       litfassctl sync --state-dir DIR --url URL [-p PUB ...] [--ca-file F]\n"
               "       litfassctl status --state-dir DIR\n"
               "       litfassctl rollback --state-dir DIR\n"
               "Without -p, the trusted keys come from the configuration (--config FILE,\n"
               "default " CONFIG_DEFAULT_PATH ", key trusted_keys).\n");
}

typedef struct {
    const char *file, *dir, *out, *map, *pub[16], *sec, *state_dir, *config, *url, *ca_file;
    const char *lang; /* build: the language of its messages */
    int n_pub;
    long long version;
} Args;

static int parse_args(int argc, char **argv, Args *a)
{
    memset(a, 0, sizeof *a);
    a->version = 0; /* build: from the date and time */
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "-o") && v) {
            a->out = argv[++i];
        } else if (!strcmp(argv[i], "--map") && v) {
            a->map = argv[++i];
        } else if (!strcmp(argv[i], "-p") && v && a->n_pub < 16) {
            a->pub[a->n_pub++] = argv[++i];
        } else if (!strcmp(argv[i], "-s") && v) {
            a->sec = argv[++i];
        } else if (!strcmp(argv[i], "--state-dir") && v) {
            a->state_dir = argv[++i];
        } else if (!strcmp(argv[i], "--config") && v) {
            a->config = argv[++i];
        } else if (!strcmp(argv[i], "--url") && v) {
            a->url = argv[++i];
        } else if (!strcmp(argv[i], "--lang") && v) {
            a->lang = argv[++i];
        } else if (!strcmp(argv[i], "--ca-file") && v) {
            a->ca_file = argv[++i];
        } else if (!strcmp(argv[i], "--version") && v) {
            char *end;
            errno = 0;
            a->version = strtoll(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || a->version < 1) {
                fprintf(stderr, "litfassctl: --version must be a positive whole number, not "
                                "'%s'\n", argv[i]);
                return -1;
            }
        } else if (argv[i][0] != '-' && !a->file) {
            a->file = argv[i];
        } else if (argv[i][0] != '-' && !a->dir) {
            a->dir = argv[i];
        } else {
            fprintf(stderr, "litfassctl: unexpected argument '%s'\n", argv[i]);
            return -1;
        }
    }
    return 0;
}

/* The trusted keys: -p files, else the configuration's trusted_keys. */
static int load_ring(const Args *a, KeyRing *ring, Config *cfg)
{
    char err[600];
    memset(ring, 0, sizeof *ring);
    config_defaults(cfg);
    if (config_load(cfg, a->config ? a->config : CONFIG_DEFAULT_PATH, a->config != NULL, err,
                    sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return -1;
    }
    if (a->n_pub > 0) {
        for (int i = 0; i < a->n_pub; i++) {
            if (bundle_ring_add(ring, a->pub[i], err, sizeof err) != 0) {
                fprintf(stderr, "litfassctl: %s\n", err);
                return -1;
            }
        }
        return 0;
    }
    if (usb_load_keys(cfg->trusted_keys, ring, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s (name a key with -p PUB)\n", err);
        return -1;
    }
    return 0;
}

/* Every problem of the sources at once, one a line, in the staff's language (German
 * unless --lang en); nothing is written when there is one. */
static int cmd_build(const Args *a)
{
    if (!a->file || !a->out) {
        usage(stderr);
        return 2;
    }
    if (ui_set_language(a->lang ? a->lang : "de") != 0) {
        fprintf(stderr, "litfassctl: --lang must be de or en, not '%s'\n", a->lang);
        return 2;
    }
    Clock clock = clock_system();
    int64_t now = clock.wall_ms(&clock);
    int64_t version = a->version > 0 ? a->version : build_default_version(now, a->out);
    BuildReport r;
    build_report_init(&r);
    int rc = build_content_report(a->file, a->out, version, now, a->map, &r);
    if (r.notes) {
        /* notes as lines of their own, before the errors they may explain */
        for (char *line = r.notes, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            fprintf(stderr, "litfassctl: %.*s\n", (int)(nl - line), line);
        }
    }
    if (rc != 0) {
        size_t len = (size_t)(BUILD_REPORT_MAX_SHOWN + 1) * 1700;
        char *text = malloc(len);
        if (!text) {
            abort();
        }
        build_report_errors(&r, text, len);
        for (char *line = text, *nl; line; line = nl ? nl + 1 : NULL) {
            nl = strchr(line, '\n');
            fprintf(stderr, "litfassctl: %.*s\n", nl ? (int)(nl - line) : (int)strlen(line),
                    line);
        }
        free(text);
        build_report_free(&r);
        return 1;
    }
    build_report_free(&r);
    printf(build_text(a->version > 0 ? BT_BUILT : BT_BUILT_AUTO), a->out, (long long)version);
    printf("\n");
    return 0;
}

static int cmd_keygen(const Args *a)
{
    char err[600];
    if (!a->pub[0] || !a->sec) {
        usage(stderr);
        return 2;
    }
    if (bundle_keygen(a->pub[0], a->sec, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("public key: %s (copy to each display)\nsecret key: %s (keep it safe)\n", a->pub[0],
           a->sec);
    return 0;
}

static int cmd_sign(const Args *a)
{
    char err[600] = "";
    if (!a->file || !a->sec) {
        usage(stderr);
        return 2;
    }
    if (bundle_sign(a->file, a->sec, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("signed %s -> %s.minisig\n", a->file, a->file);
    return 0;
}

static int cmd_verify(const Args *a)
{
    char err[600], sig[4200];
    KeyRing ring;
    Config cfg;
    if (!a->file) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    TrustedInfo info;
    snprintf(sig, sizeof sig, "%s.minisig", a->file);
    BundleResult r = bundle_verify(a->file, sig, &ring, &info, err, sizeof err);
    if (r != BUNDLE_OK) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    printf("%s: signature ok; version %lld, schema %d, file %s, %lld bytes, created %s\n", a->file,
           info.version, info.schema, info.file, info.size, info.created);
    return 0;
}

static int cmd_inspect(const Args *a)
{
    char err[600];
    if (!a->file) {
        usage(stderr);
        return 2;
    }
    Store *s;
    Model m;
    memset(&m, 0, sizeof m);
    if (store_open(a->file, &s, err, sizeof err) != 0 || store_load(s, &m, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    store_close(s);
    printf("file:            %s\ncontent version: %lld\nschema:          %d\ncreated:         %s\n"
           "title:           %s\nparagraphs:      %d\nfigures:         %d\nsites:           %d\n"
           "events:          %d\nmap rings:       %d\n",
           a->file, (long long)m.content_version, STORE_SCHEMA_VERSION, m.created,
           m.campaign.title, m.campaign.n_blocks, m.campaign.n_figures, m.n_sites, m.n_events,
           m.map.n_rings);
    model_free(&m);
    return 0;
}

static int cmd_import(const Args *a)
{
    char err[600];
    KeyRing ring;
    Config cfg;
    if (!a->file || !a->state_dir) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    TrustedInfo info;
    BundleResult r = bundle_install(a->state_dir, a->file, &ring,
                                    config_max_bundle_bytes(&cfg), &info, err,
                                    sizeof err);
    if (r != BUNDLE_OK) {
        fprintf(stderr, "litfassctl: not installed: %s\n", err);
        return 1;
    }
    printf("installed version %lld into %s\n", info.version, a->state_dir);
    return 0;
}

static int cmd_import_usb(const Args *a)
{
    KeyRing ring;
    Config cfg;
    if (!a->file || !a->state_dir) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    UsbOutcome o;
    usb_import_dir(a->file, a->state_dir, &ring, config_max_bundle_bytes(&cfg),
                   cfg.device_name, &o);
    printf("%s\n", o.message);
    if (o.result != BUNDLE_OK && o.detail[0]) {
        fprintf(stderr, "litfassctl: %s\n", o.detail); /* names already sanitised */
    }
    return o.result == BUNDLE_OK ? 0 : 1;
}

/* Copies src to dir/name through a temporary file, fsynced, then renamed. */
static int copy_into(const char *src, const char *dir, const char *name)
{
    char dst[4200], tmp[4300];
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char buf[65536];
    ssize_t r = 0;
    int ok = in >= 0 && out >= 0;
    while (ok && (r = read(in, buf, sizeof buf)) > 0) {
        ok = write(out, buf, (size_t)r) == r;
    }
    ok = ok && r == 0 && fsync(out) == 0;
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    if (!ok || rename(tmp, dst) != 0) {
        unlink(tmp);
        fprintf(stderr, "litfassctl: %s: cannot write: %s\n", dst, strerror(errno));
        return -1;
    }
    return 0;
}

static int cmd_publish(const Args *a)
{
    char err[600], sig[4200], latest[4200];
    if (!a->file || !a->dir) {
        usage(stderr);
        return 2;
    }
    TrustedInfo info, cur;
    snprintf(sig, sizeof sig, "%s.minisig", a->file);
    if (bundle_read_comment(sig, &info, err, sizeof err) != BUNDLE_OK) {
        fprintf(stderr, "litfassctl: %s (sign the bundle first)\n", err);
        return 1;
    }
    const char *name = strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
    if (strcmp(name, info.file) != 0) {
        fprintf(stderr, "litfassctl: %s: the signature is for '%s'\n", a->file, info.file);
        return 1;
    }
    mkdir(a->dir, 0755);
    char sig_name[200];
    snprintf(sig_name, sizeof sig_name, "%s.minisig", name);
    /* the bundle, then its signature, then the manifest: a client never sees a
     * manifest naming a file that is not there yet */
    if (copy_into(a->file, a->dir, name) || copy_into(sig, a->dir, sig_name)) {
        return 1;
    }
    snprintf(latest, sizeof latest, "%s/latest.minisig", a->dir);
    if (bundle_read_comment(latest, &cur, err, sizeof err) == BUNDLE_OK &&
        cur.version > info.version) {
        printf("published %s; latest.minisig still names the newer version %lld\n", name,
               cur.version);
        return 0;
    }
    if (copy_into(sig, a->dir, "latest.minisig")) {
        return 1;
    }
    printf("published %s (version %lld) in %s; latest.minisig names it\n", name, info.version,
           a->dir);
    return 0;
}

static int cmd_sync(const Args *a)
{
    KeyRing ring;
    Config cfg;
    if (!a->state_dir || !a->url) {
        usage(stderr);
        return 2;
    }
    if (load_ring(a, &ring, &cfg) != 0) {
        return 1;
    }
    SyncConfig sc;
    sync_defaults(&sc);
    sc.url = a->url;
    sc.state_dir = a->state_dir;
    sc.ring = &ring;
    sc.max_bytes = config_max_bundle_bytes(&cfg);
    sc.ca_file = a->ca_file;
    SyncOutcome o;
    int rc = sync_once(&sc, &o);
    static const char *const kinds[] = { "installed", "up to date", "not modified", "failed" };
    if (o.kind == SYNC_INSTALLED) {
        printf("installed version %lld from %s\n", o.version, a->url);
    } else if (o.kind == SYNC_FAILED) {
        fprintf(stderr, "litfassctl: sync failed: %s\n", o.detail);
    } else {
        printf("%s: %s (installed version %lld)\n", kinds[o.kind], o.detail, o.version);
    }
    return rc == 0 ? 0 : 1;
}

static int cmd_status(const Args *a)
{
    char err[600];
    BundleState s;
    if (!a->state_dir) {
        usage(stderr);
        return 2;
    }
    bundle_state(a->state_dir, &s, err, sizeof err);
    if (!s.current[0]) {
        printf("state:    %s\ncurrent:  nothing installed\n", a->state_dir);
        return 0;
    }
    printf("state:    %s\ncurrent:  %s (version %lld)\nprevious: %s\nhighest:  %lld\n",
           a->state_dir, s.current, s.current_version, s.previous[0] ? s.previous : "-", s.highest);
    SyncStatus ss;
    if (sync_read_status(a->state_dir, &ss) == 0) {
        char mark[128], t1[40] = "-", t2[40] = "-";
        sync_status_mark(&ss, mark, sizeof mark);
        if (ss.last_ok_ms) clock_format_utc(ss.last_ok_ms, t1, sizeof t1);
        if (ss.last_update_ms) clock_format_utc(ss.last_update_ms, t2, sizeof t2);
        printf("network:  %s\nlast contact: %s\nlast update:  %s (version %lld)\nlast error:   %s\n",
               mark, t1, t2, ss.last_version, ss.last_error[0] ? ss.last_error : "-");
    }
    return 0;
}

static int cmd_rollback(const Args *a)
{
    char err[600];
    if (!a->state_dir) {
        usage(stderr);
        return 2;
    }
    if (bundle_rollback(a->state_dir, err, sizeof err) != 0) {
        fprintf(stderr, "litfassctl: %s\n", err);
        return 1;
    }
    BundleState s;
    bundle_state(a->state_dir, &s, err, sizeof err);
    printf("now showing %s (version %lld); the display switches at its next page\n", s.current,
           s.current_version);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(const Args *);
    } cmds[] = {
        { "build", cmd_build },     { "keygen", cmd_keygen },         { "sign", cmd_sign },
        { "verify", cmd_verify },   { "inspect", cmd_inspect },       { "import", cmd_import },
        { "import-usb", cmd_import_usb }, { "status", cmd_status },   { "rollback", cmd_rollback },
        { "publish", cmd_publish },       { "sync", cmd_sync },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (!strcmp(argv[1], cmds[i].name)) {
            Args a;
            if (parse_args(argc - 2, argv + 2, &a) != 0) {
                return 2;
            }
            int rc = cmds[i].fn(&a);
            log_flush();
            return rc;
        }
    }
    fprintf(stderr, "litfassctl: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
