/* Hostile sticks against the real litfassctl and the real USB watcher: FIFOs where
 * files should be, symbolic links out of the stick, names that try to forge report
 * lines, more bundles than a quick look covers, a stick mounted at a folder named
 * litfass, one stick under two overlapping roots, unreadable signatures and a bundle
 * that ends early (a pulled stick). Nothing may hang (every run has a deadline),
 * follow a link, or claim "Inhalt aktualisiert" for the wrong version. */
#define _GNU_SOURCE /* unshare, mount: a real mount point for the detection test */
#include "testutil.h"

#include "check.h"
#include "content/build.h"
#include "base/clock.h"
#include "base/log.h"
#include "delivery/bundle.h"
#include "delivery/usb.h"
#include "store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

static const char *tmp;
static const char *ctl = LITFASSCTL; /* $LITFASSCTL: try another build (e.g. an older one) */
static const char *ctl_prefix = LITFASS_TEST_EXEC; /* the emulator in a cross build */
static char pub[600], sec[600];
static KeyRing ring;

/* the default content as version v, built once each (tmp/src/vN.litfass) */
static const char *source_of(int v)
{
    static char path[16][600];
    char err[512];
    if (!path[v][0]) {
        snprintf(path[v], sizeof path[v], "%s/src/v%d.litfass", tmp, v);
        if (build_content(LITFASS_CONTENT_DIR, path[v], v, 1622554200000LL, NULL, err,
                          sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            exit(2);
        }
    }
    return path[v];
}

static void copy_file(const char *src, const char *dst)
{
    size_t len;
    char *data = test_read(src, &len);
    if (!data) {
        perror(src);
        exit(2);
    }
    test_write(dst, data, len);
    free(data);
}

/* dir/name: version v, signed for that name. */
static void put_bundle(const char *dir, const char *name, int v)
{
    char *p = test_fmt("%s/%s", dir, name), err[512];
    copy_file(source_of(v), p);
    if (bundle_sign(p, sec, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    free(p);
}

static void sh(const char *fmt, const char *a, const char *b)
{
    char out[512];
    char *cmd = test_fmt(fmt, a, b);
    if (test_run(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "%s: %s\n", cmd, out);
        exit(2);
    }
    free(cmd);
}

/* A fresh stick folder (with litfass/ unless bare) and a fresh state dir with v1. */
static char *new_stick(const char *name, int bare)
{
    char *s = test_fmt("%s/%s", tmp, name);
    sh("rm -rf '%s' && mkdir -p '%s'", s, s);
    if (!bare) {
        char *l = test_fmt("%s/litfass", s);
        mkdir(l, 0755);
        free(l);
    }
    return s;
}

static char *new_state(const char *name)
{
    char *st = test_fmt("%s/%s", tmp, name), err[600];
    sh("rm -rf '%s'%s", st, "");
    char *b = test_fmt("%s/src/content-1.litfass", tmp);
    put_bundle(tmp, "src/content-1.litfass", 1);
    TrustedInfo info;
    if (bundle_install(st, b, &ring, BUNDLE_DEFAULT_MAX_BYTES, &info, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    free(b);
    return st;
}

typedef struct {
    int status; /* exit status; -1: still running at the deadline (killed) */
    double seconds;
    char out[4096], err[4096];
} Run;

/* Runs litfassctl with args (a shell word list) with a deadline; a run that does
 * not end in time is killed and reported as status -1. */
static void run_ctl(const char *args, int deadline_s, Run *r)
{
    char *o = test_fmt("%s/run.out", tmp), *e = test_fmt("%s/run.err", tmp);
    char *cmd = test_fmt("exec %s'%s' %s >'%s' 2>'%s'", ctl_prefix, ctl, args, o, e);
    memset(r, 0, sizeof *r);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    r->status = -1;
    int ticks = 0;
    for (; ticks < deadline_s * 100; ticks++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
            break;
        }
        nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
    }
    if (r->status == -1) {
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fprintf(stderr, "litfassctl %s: still running after %d s, killed\n", args, deadline_s);
    }
    r->seconds = ticks / 100.0;
    char *t = test_read(o, NULL);
    snprintf(r->out, sizeof r->out, "%s", t ? t : "");
    free(t);
    t = test_read(e, NULL);
    snprintf(r->err, sizeof r->err, "%s", t ? t : "");
    free(t);
    free(o);
    free(e);
    free(cmd);
}

static void import_usb(const char *stick, const char *state, Run *r)
{
    char *args = test_fmt("import-usb '%s' --state-dir '%s' -p '%s'", stick, state, pub);
    run_ctl(args, 15, r);
    free(args);
}

static long long current_version(const char *state)
{
    BundleState s;
    char err[256];
    bundle_state(state, &s, err, sizeof err);
    return s.current_version;
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "test_hostile_usb: the USB watcher hung (deadline passed)\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(1);
}

/* Waits up to 10 s for the watcher's next outcome. Returns 1 if there was one. */
static int next_outcome(Usb *u, UsbOutcome *o)
{
    for (int i = 0; i < 1000; i++) {
        if (usb_take(u, o)) {
            return 1;
        }
        nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
    }
    return 0;
}

TEST(a_fifo_on_a_stick_never_blocks_an_import)
{
    char *state = new_state("state-fifo");
    /* a signature that is a FIFO (no key needed to make one) */
    char *s1 = new_stick("fifo-sig", 0);
    char *p = test_fmt("%s/litfass/x.litfass", s1);
    copy_file(source_of(2), p);
    free(p);
    p = test_fmt("%s/litfass/x.litfass.minisig", s1);
    CHECK_INT(mkfifo(p, 0644), 0);
    free(p);
    Run r;
    import_usb(s1, state, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.out, "Nicht übernommen: Signatur nicht lesbar");
    CHECK_HAS(r.err, "x.litfass.minisig: is a FIFO (named pipe), not a signature file");
    /* a FIFO named like a bundle, next to a real signature for that name */
    char *s2 = new_stick("fifo-bundle", 0);
    char *l2 = test_fmt("%s/litfass", s2);
    put_bundle(l2, "content-5.litfass", 5);
    p = test_fmt("%s/content-5.litfass", l2);
    unlink(p);
    CHECK_INT(mkfifo(p, 0644), 0);
    import_usb(s2, state, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.out, "Nicht übernommen: Verknüpfung oder Sonderdatei statt normaler Datei");
    CHECK_HAS(r.err, "content-5.litfass: is a FIFO (named pipe), not a regular file");
    char *args = test_fmt("import '%s' --state-dir '%s' -p '%s'", p, state, pub);
    run_ctl(args, 15, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.err, "is a FIFO (named pipe)");
    CHECK_INT(current_version(state), 1);
    free(args);
    free(p);

    /* the display's watcher: the FIFO stick is reported, a later stick still imports,
     * and stopping (SIGTERM's path) returns */
    char *root = test_fmt("%s/media-fifo", tmp);
    sh("rm -rf '%s' && mkdir -p '%s'", root, root);
    sh("mv '%s' '%s/a'", s1, root);
    signal(SIGALRM, on_alarm);
    alarm(30);
    Usb *u;
    CHECK_INT(usb_start(root, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "screen", 50, NULL, NULL, &u),
              0);
    UsbOutcome o;
    CHECK(next_outcome(u, &o));
    CHECK_INT(o.result, BUNDLE_SIG_UNREADABLE);
    char *s3 = new_stick("good", 0);
    char *l3 = test_fmt("%s/litfass", s3);
    put_bundle(l3, "content-2.litfass", 2);
    sh("mv '%s' '%s/b'", s3, root);
    CHECK(next_outcome(u, &o));
    CHECK_INT(o.result, BUNDLE_OK);
    CHECK_STR(o.message, "Inhalt aktualisiert: Version 2");
    usb_stop(u);
    alarm(0);
    CHECK_INT(current_version(state), 2);
    free(root);
    free(l2);
    free(l3);
    free(s1);
    free(s2);
    free(s3);
    free(state);
}

TEST(symbolic_links_on_a_stick_are_never_followed)
{
    char *state = new_state("state-link");
    /* elsewhere on the system: a valid newer bundle, and a file that must stay */
    char *outside = test_fmt("%s/outside", tmp);
    sh("rm -rf '%s' && mkdir -p '%s'", outside, outside);
    put_bundle(outside, "content-3.litfass", 3);
    char *victim = test_fmt("%s/victim.txt", outside);
    test_write(victim, "keep me\n", 8);

    /* litfass/ itself a link out of the stick */
    char *s1 = new_stick("link-folder", 1);
    sh("ln -s '%s' '%s/litfass'", outside, s1);
    Run r;
    import_usb(s1, state, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.out, "Nicht übernommen: Verknüpfung oder Sonderdatei statt normaler Datei");
    CHECK_HAS(r.err, "litfass: is a symbolic link");
    CHECK_INT(current_version(state), 1);
    char *rep = test_fmt("%s/litfass-report.txt", outside);
    CHECK(access(rep, F_OK) != 0); /* nothing written through the link */
    free(rep);
    rep = test_fmt("%s/litfass-report.txt", s1); /* the report is at the stick's root */
    char *t = test_read(rep, NULL);
    CHECK_HAS(t, "Grund: ");
    CHECK_HAS(t, "is a symbolic link");
    free(t);
    free(rep);

    /* a real folder whose bundle, signature and report are links */
    char *s2 = new_stick("link-files", 0);
    sh("ln -s '%s/content-3.litfass' '%s/litfass/content-3.litfass'", outside, s2);
    sh("cp '%s/content-3.litfass.minisig' '%s/litfass/'", outside, s2);
    sh("ln -s '%s' '%s/litfass/litfass-report.txt'", victim, s2);
    sh("ln -s '%s' '%s/litfass/.litfass-report.tmp'", victim, s2);
    import_usb(s2, state, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.err, "content-3.litfass: is a symbolic link, not a regular file");
    CHECK_INT(current_version(state), 1);
    t = test_read(victim, NULL);
    CHECK_STR(t, "keep me\n");
    free(t);
    rep = test_fmt("%s/litfass/litfass-report.txt", s2);
    struct stat st;
    CHECK(lstat(rep, &st) == 0 && S_ISREG(st.st_mode)); /* the link replaced, not followed */
    free(rep);
    /* a signature that is a link */
    char *s3 = new_stick("link-sig", 0);
    sh("cp '%s/content-3.litfass' '%s/litfass/'", outside, s3);
    sh("ln -s '%s/content-3.litfass.minisig' '%s/litfass/content-3.litfass.minisig'", outside, s3);
    import_usb(s3, state, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.out, "Signatur nicht lesbar");
    CHECK_HAS(r.err, "is a symbolic link, not a signature file");
    CHECK_INT(current_version(state), 1);
    free(s1);
    free(s2);
    free(s3);
    free(victim);
    free(outside);
    free(state);
}

TEST(names_from_a_stick_cannot_forge_report_or_log_lines)
{
    char out[64];
    /* the helper itself: placeholders, bounds, valid text untouched */
    CHECK_STR(log_sanitize("Grüße – ok.litfass", out, sizeof out), "Grüße – ok.litfass");
    CHECK_STR(log_sanitize("a\nb\033[2J\xff", out, sizeof out),
              "a\xEF\xBF\xBD" "b\xEF\xBF\xBD[2J\xEF\xBF\xBD");
    CHECK_STR(log_sanitize("\xE2\x80\xAEtxt.exe", out, sizeof out), "\xEF\xBF\xBDtxt.exe");
    CHECK_STR(log_sanitize("\xC0\xAF", out, sizeof out), "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    CHECK_STR(log_sanitize(NULL, out, sizeof out), "");
    char small[8];
    CHECK_STR(log_sanitize("abcdefghijk", small, sizeof small), "abcd\xE2\x80\xA6");
    CHECK_STR(log_sanitize("abcäöü", small, sizeof small), "abc\xE2\x80\xA6"); /* no half ä */

    char *state = new_state("state-names");
    char *s = new_stick("forged", 0);
    char *p = test_fmt("%s/litfass/a\nErgebnis: Inhalt aktualisiert: Version 999\n"
                       "\033[2J\xff.litfass", s);
    copy_file(source_of(2), p);
    Run r;
    import_usb(s, state, &r);
    CHECK_INT(r.status, 1);
    char *rep = test_fmt("%s/litfass/litfass-report.txt", s);
    char *t = test_read(rep, NULL);
    CHECK(t && strstr(t, "\nErgebnis: Nicht übernommen: Signatur fehlt\n"));
    CHECK(t && !strstr(t, "\nErgebnis: Inhalt aktualisiert"));
    CHECK(t && !strchr(t, '\033') && !strchr(t, '\xff'));
    CHECK_HAS(t, "Datei: a\xEF\xBF\xBD" "Ergebnis: Inhalt aktualisiert: Version 999\xEF\xBF\xBD");
    int lines = 0;
    for (char *c = t; c && *c; c++) {
        lines += *c == '\n';
    }
    CHECK_INT(lines, 7); /* the report's seven lines, no more */
    /* stderr: one line per message, no escape sequences, no invalid UTF-8 */
    CHECK(!strchr(r.err, '\033') && !strchr(r.err, '\xff'));
    for (char *line = r.err; *line;) {
        CHECK(strncmp(line, "usb: ", 5) == 0 || strncmp(line, "litfassctl: ", 12) == 0);
        char *nl = strchr(line, '\n');
        if (!nl) {
            break;
        }
        line = nl + 1;
    }
    free(t);
    free(rep);
    free(p);
    free(s);
    free(state);
}

/* Index of name among the *.litfass entries of dir in readdir order, or -1. */
static int readdir_index(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    int i = 0, at = -1;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > 8 && !strcmp(e->d_name + l - 8, ".litfass")) {
            if (!strcmp(e->d_name, name)) {
                at = i;
            }
            i++;
        }
    }
    if (d) {
        closedir(d);
    }
    return at;
}

TEST(the_newest_of_many_bundles_is_installed_whatever_the_directory_order)
{
    char *state = new_state("state-many");
    char *s = new_stick("many", 0);
    char *l = test_fmt("%s/litfass", s);
    for (int i = 0; i < 80; i++) {
        char name[64];
        snprintf(name, sizeof name, "old-%02d.litfass", i);
        put_bundle(l, name, 2);
    }
    /* a name for the newest that readdir returns after the 64th bundle */
    char newest[64] = "", *np = NULL;
    for (int k = 0; k < 400 && !newest[0]; k++) {
        char cand[64];
        snprintf(cand, sizeof cand, "new-%d.litfass", k);
        char *cp = test_fmt("%s/%s", l, cand);
        test_write(cp, "", 0);
        if (readdir_index(l, cand) >= 64) {
            snprintf(newest, sizeof newest, "%s", cand);
        }
        unlink(cp);
        free(cp);
    }
    CHECK(newest[0]);
    put_bundle(l, newest, 9);
    np = test_fmt("%s/%s", l, newest);
    int at = readdir_index(l, newest);
    printf("newest bundle %s is number %d of 81 in directory order\n", newest, at + 1);
    CHECK(at >= 64); /* the precondition: the old code's first 64 do not include it */
    Run r;
    import_usb(s, state, &r);
    CHECK_INT(r.status, 0);
    CHECK_STR(r.out, "Inhalt aktualisiert: Version 9\n");
    CHECK_INT(current_version(state), 9);

    /* more bundles than are ever considered: refused as a whole, and said so */
    char *state2 = new_state("state-too-many");
    for (int i = 0; i < 2001; i++) {
        char *e = test_fmt("%s/e-%04d.litfass", l, i);
        test_write(e, "", 0);
        free(e);
    }
    import_usb(s, state2, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.out, "Nicht übernommen: Zu viele Inhaltspakete im Ordner litfass");
    CHECK_HAS(r.err, "more than 2000 bundles");
    CHECK_INT(current_version(state2), 1);
    free(np);
    free(l);
    free(s);
    free(state);
    free(state2);
}

TEST(a_stick_mounted_at_a_folder_named_litfass_is_read_from_its_own_folder)
{
    /* /media/litfass as in the README's fstab example: the stick's root is named
     * litfass and holds litfass/ with the bundles */
    char *state = new_state("state-mountname");
    char *root = test_fmt("%s/media-named", tmp);
    sh("rm -rf '%s' && mkdir -p '%s/litfass/litfass'", root, root);
    char *l = test_fmt("%s/litfass/litfass", root);
    put_bundle(l, "content-3.litfass", 3);
    signal(SIGALRM, on_alarm);
    alarm(30);
    Usb *u;
    CHECK_INT(usb_start(root, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "screen", 50, NULL, NULL, &u),
              0);
    UsbOutcome o;
    CHECK(next_outcome(u, &o));
    CHECK_STR(o.message, "Inhalt aktualisiert: Version 3");
    usb_stop(u);
    alarm(0);
    char *rep = test_fmt("%s/litfass-report.txt", l);
    CHECK(access(rep, F_OK) == 0);
    free(rep);
    rep = test_fmt("%s/litfass/litfass-report.txt", root); /* not at the stick's root */
    CHECK(access(rep, F_OK) != 0);
    free(rep);
    free(l);
    free(root);
    free(state);
}

/* In a child with its own mount namespace: a tmpfs "stick" labelled litfass mounted
 * at ROOT/pi/litfass (as udisks mounts it under /media/USER/LABEL). Exit 0 when the
 * watcher installs the stick's bundle, 1 when not, 77 when mounting is not allowed. */
static int mounted_stick_child(const char *root, const char *state)
{
    char *mnt = test_fmt("%s/pi/litfass", root);
    sh("rm -rf '%s' && mkdir -p '%s'", root, mnt);
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("litfass-stick", mnt, "tmpfs", 0, "size=16m") != 0) {
        return 77;
    }
    char *l = test_fmt("%s/litfass", mnt);
    mkdir(l, 0755);
    put_bundle(l, "content-3.litfass", 3);
    Usb *u;
    if (usb_start(root, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "screen", 50, NULL, NULL,
                  &u) != 0) {
        return 1;
    }
    UsbOutcome o;
    int got = next_outcome(u, &o);
    usb_stop(u);
    umount(mnt);
    if (!got || strcmp(o.message, "Inhalt aktualisiert: Version 3") != 0) {
        fprintf(stderr, "mounted stick: %s (%s)\n", got ? o.message : "no outcome", o.detail);
        return 1;
    }
    return 0;
}

TEST(a_stick_mounted_at_user_folder_slash_litfass_is_found)
{
    char *state = new_state("state-mounted");
    char *root = test_fmt("%s/media-mounted", tmp);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGALRM, on_alarm);
        alarm(30);
        _exit(mounted_stick_child(root, state));
    }
    int st = 0;
    waitpid(pid, &st, 0);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    if (rc == 77) {
        printf("skipped: mounting is not allowed here, so the mount-point case is not checked\n");
    } else {
        CHECK_INT(rc, 0);
        CHECK_INT(current_version(state), 3);
    }
    free(root);
    free(state);
}

TEST(one_stick_under_two_overlapping_roots_is_imported_once)
{
    char *state = new_state("state-overlap");
    char *root = test_fmt("%s/media-overlap", tmp);
    sh("rm -rf '%s' && mkdir -p '%s/usb/STICK/litfass'", root, root);
    char *l = test_fmt("%s/usb/STICK/litfass", root);
    put_bundle(l, "content-4.litfass", 4);
    char *roots = test_fmt("%s,%s/usb", root, root);
    signal(SIGALRM, on_alarm);
    alarm(30);
    Usb *u;
    CHECK_INT(
        usb_start(roots, state, &ring, BUNDLE_DEFAULT_MAX_BYTES, "screen", 20, NULL, NULL, &u), 0);
    UsbOutcome o;
    CHECK(next_outcome(u, &o));
    CHECK_STR(o.message, "Inhalt aktualisiert: Version 4");
    nanosleep(&(struct timespec){ 0, 300000000L }, NULL); /* about 15 more scans */
    int more = 0;
    while (usb_take(u, &o)) {
        fprintf(stderr, "again: %s\n", o.message);
        more++;
    }
    CHECK_INT(more, 0);
    usb_stop(u);
    alarm(0);
    free(roots);
    free(l);
    free(root);
    free(state);
}

TEST(an_unreadable_signature_and_a_pulled_stick_say_what_happened)
{
    char *state = new_state("state-unreadable");
    /* a signature that is a folder */
    char *s = new_stick("sig-folder", 0);
    char *l = test_fmt("%s/litfass", s);
    put_bundle(l, "content-6.litfass", 6);
    sh("rm '%s/content-6.litfass.minisig' && mkdir '%s/content-6.litfass.minisig'", l, l);
    Run r;
    import_usb(s, state, &r);
    CHECK_INT(r.status, 1);
    CHECK_HAS(r.out, "Nicht übernommen: Signatur nicht lesbar");
    CHECK_HAS(r.err, "is a folder, not a signature file");

    /* real kernel behaviour needs a mount: a file whose reads end before its size (as
     * a stick pulled mid-copy leaves it) and one that cannot be read at all */
    char out[256];
    if (test_run("unshare -r -m true", out, sizeof out) != 0) {
        printf("skipped: no user and mount namespaces here (unshare -r -m), so the pulled-stick "
               "case is not checked\n");
        goto done;
    }
    {
        /* content-7.litfass: 4096 bytes signed; the kernel file bound over it reports
         * 4096 bytes but reads only a few, like a stick pulled out during copying */
        const char *sys = "/sys/devices/system/cpu/online";
        struct stat st;
        if (stat(sys, &st) != 0 || st.st_size != 4096) {
            printf("skipped: %s is not a 4096-byte sysfs file here\n", sys);
            goto done;
        }
        char *b = test_fmt("%s/content-7.litfass", l);
        char *zeros = calloc(1, 4096);
        test_write(b, zeros, 4096);
        free(zeros);
        char *cmd = test_fmt("minisign -S -s '%s' -m '%s' -t 'litfass version=7 schema=%d "
                             "file=content-7.litfass size=4096 created=x' </dev/null",
                             sec, b, STORE_SCHEMA_VERSION);
        CHECK_INT(test_run(cmd, out, sizeof out), 0);
        free(cmd);
        char *script = test_fmt("%s/bind-and-import.sh", tmp);
        const char *text = "mount --bind \"$1\" \"$2\" && exec " LITFASS_TEST_EXEC
                           "\"$3\" import-usb \"$4\" "
                           "--state-dir \"$5\" -p \"$6\"\n";
        test_write(script, text, strlen(text));
        char *args = test_fmt("-r -m sh '%s' '%s' '%s' '%s' '%s' '%s' '%s'", script, sys, b, ctl, s,
                              state, pub);
        const char *saved = ctl;
        ctl = "unshare"; /* the real litfassctl, started inside the namespace */
        ctl_prefix = ""; /* unshare is the host's; the script runs litfassctl emulated */
        run_ctl(args, 15, &r);
        ctl = saved;
        ctl_prefix = LITFASS_TEST_EXEC;
        free(script);
        CHECK_INT(r.status, 1);
        CHECK_HAS(r.out,
                  "Nicht übernommen: Stick während des Kopierens entfernt oder Lesefehler");
        CHECK_HAS(r.err, "content-7.litfass: the file ended after");
        CHECK_HAS(r.err, "of 4096 bytes: the stick was pulled out during copying");
        CHECK_INT(current_version(state), 1);
        free(args);
        free(b);
    }
done:
    free(l);
    free(s);
    free(state);
}

int main(void)
{
    char err[512];
    tmp = test_tmpdir();
    if (getenv("LITFASSCTL")) {
        ctl = getenv("LITFASSCTL");
    }
    clock_set_zone("Europe/Berlin");
    snprintf(pub, sizeof pub, "%s/litfass.pub", tmp);
    snprintf(sec, sizeof sec, "%s/litfass.sec", tmp);
    char *src = test_fmt("%s/src", tmp);
    mkdir(src, 0755);
    free(src);
    if (bundle_keygen(pub, sec, err, sizeof err) != 0 ||
        bundle_ring_add(&ring, pub, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    RUN(a_fifo_on_a_stick_never_blocks_an_import);
    RUN(symbolic_links_on_a_stick_are_never_followed);
    RUN(names_from_a_stick_cannot_forge_report_or_log_lines);
    RUN(the_newest_of_many_bundles_is_installed_whatever_the_directory_order);
    RUN(a_stick_mounted_at_a_folder_named_litfass_is_read_from_its_own_folder);
    RUN(a_stick_mounted_at_user_folder_slash_litfass_is_found);
    RUN(one_stick_under_two_overlapping_roots_is_imported_once);
    RUN(an_unreadable_signature_and_a_pulled_stick_say_what_happened);
    return check_report();
}
