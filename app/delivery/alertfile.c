/* alertfile: an alert is a few hundred bytes, so it is read whole into memory once and
 * everything — signature, format, version — is decided on those bytes; what is stored
 * is exactly what was verified. The signature reuses the bundle's code and keys, so an
 * alert is trusted exactly as much as a bundle: a bundle's signature never fits an
 * alert (file= must end in .litfass-alert, and its version must be the one inside). */
#define _POSIX_C_SOURCE 200809L
#include "delivery/alertfile.h"

#include "base/clock.h"
#include "base/log.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

int alertfile_is_alert(const char *path)
{
    return ends_with(path, ALERT_SUFFIX);
}

int alertfile_write(const Alert *a, const char *dir, const char *sec_path, char *path,
                    size_t path_len, char *err, size_t errlen)
{
    char buf[ALERT_MAX_BYTES + 1], tmp[4300], created[32];
    err[0] = '\0';
    int n = alert_format(a, buf, sizeof buf, err, errlen);
    if (n < 0) {
        return -1;
    }
    char parents[4200];
    snprintf(parents, sizeof parents, "%s", dir);
    for (char *q = parents + 1; *q; q++) { /* a stick's litfass/ may not exist yet */
        if (*q == '/') {
            *q = '\0';
            mkdir(parents, 0755);
            *q = '/';
        }
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(path, path_len, "%s/%s", dir, ALERT_FILE_NAME);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, ALERT_FILE_NAME);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    int ok = fd >= 0 && write(fd, buf, (size_t)n) == n && fsync(fd) == 0;
    if (fd >= 0) {
        close(fd);
    }
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    Clock c = clock_system();
    clock_format_utc(c.wall_ms(&c), created, sizeof created);
    if (bundle_sign_facts(path, a->version, ALERTFILE_SCHEMA, created, sec_path, err, errlen) !=
        0) {
        unlink(path); /* never leave an alert behind without its signature */
        return -1;
    }
    return 0;
}

int alertfile_find_at(int dirfd, const KeyRing *ring, char *name, size_t len)
{
    struct stat st;
    int found = 0, verified = 0, entries = 0, peeked = 0;
    long long best = 0;
    if (fstatat(dirfd, ALERT_FILE_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        snprintf(name, len, "%s", ALERT_FILE_NAME);
        found = 1;
    }
    int dfd = dup(dirfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0) {
            close(dfd);
        }
        return found;
    }
    rewinddir(d);
    for (struct dirent *e; (e = readdir(d)) && ++entries <= 20000 && peeked < 64;) {
        char sig[300], err[600];
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ALERT_SUFFIX) ||
            strlen(e->d_name) >= len || strlen(e->d_name) > 250) {
            continue;
        }
        snprintf(sig, sizeof sig, "%s.minisig", e->d_name);
        if (fstatat(dirfd, sig, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            continue;
        }
        peeked++;
        TrustedInfo info;
        if (bundle_peek_at(dirfd, sig, ring, &info, err, sizeof err) == BUNDLE_OK &&
            (!verified || info.version > best)) {
            snprintf(name, len, "%s", e->d_name);
            best = info.version;
            verified = found = 1;
        } else if (!found) {
            snprintf(name, len, "%s", e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

static BundleResult finish(AlertOutcome *out, BundleResult r)
{
    out->result = r;
    if (r == BUNDLE_OK && out->alert.clear) {
        snprintf(out->message, sizeof out->message, "%s", ui_str(UI_ALERT_CLEARED));
    } else if (r == BUNDLE_OK) {
        char start[80];
        utf8_copy_cut(start, sizeof start, out->alert.text);
        utf8_format_cut(out->message, sizeof out->message, ui_str(UI_ALERT_TAKEN), start);
    } else if (r == BUNDLE_NOT_NEWER) {
        snprintf(out->message, sizeof out->message, ui_str(UI_ALERT_NOT_NEWER), out->installed);
    } else {
        utf8_format_cut(out->message, sizeof out->message, ui_str(UI_ALERT_NOT_TAKEN),
                        bundle_result_text(r));
    }
    return r;
}

/* Reads name from dirfd and decides on its bytes: signature (key, comment, size,
 * hash), signed name and format, the alert itself, and that the signed version is the
 * one inside. Returns BUNDLE_OK with the verified bytes in *data (the caller frees), or
 * the reason in out->detail (*data NULL). */
static BundleResult check(int dirfd, const char *name, const KeyRing *ring, const char *shown,
                          AlertOutcome *out, char **data, size_t *len)
{
    char sig[300], err[600], other[200];
    *data = NULL;
    if (strlen(name) > 250) {
        snprintf(out->detail, sizeof out->detail, "%s: name too long", shown);
        return BUNDLE_BAD_NAME;
    }
    snprintf(sig, sizeof sig, "%s.minisig", name);
    TrustedInfo info;
    BundleResult r = bundle_read_verified_at(dirfd, name, sig, ring, ALERT_MAX_BYTES, data, len,
                                             &info, err, sizeof err);
    if (r != BUNDLE_OK) {
        utf8_format_cut(out->detail, sizeof out->detail, "%s", err);
        return r;
    }
    if (!ends_with(info.file, ALERT_SUFFIX)) {
        utf8_format_cut(out->detail, sizeof out->detail,
                        "%s: the signature is for '%s', which is not an alert", shown,
                        log_sanitize(info.file, other, sizeof other));
        r = BUNDLE_BAD_COMMENT;
    } else if (info.schema != ALERTFILE_SCHEMA) {
        utf8_format_cut(out->detail, sizeof out->detail,
                        "%s: alert format %d is not supported (this display reads %d)", shown,
                        info.schema, ALERTFILE_SCHEMA);
        r = BUNDLE_BAD_SCHEMA;
    } else if (alert_parse(*data, *len, &out->alert, err, sizeof err) != 0) {
        utf8_format_cut(out->detail, sizeof out->detail, "%s: %s", shown, err);
        r = BUNDLE_BAD_CONTENT;
    } else if (out->alert.version != info.version) {
        utf8_format_cut(out->detail, sizeof out->detail,
                        "%s: version %lld inside, but the signature names %lld", shown,
                        out->alert.version, info.version);
        r = BUNDLE_BAD_COMMENT;
    }
    if (r != BUNDLE_OK) {
        free(*data);
        *data = NULL;
    }
    return r;
}

BundleResult alertfile_install_at(const char *state_dir, int dirfd, const char *name,
                                  const KeyRing *ring, const char *shown, AlertOutcome *out)
{
    char err[600];
    memset(out, 0, sizeof *out);
    Alert cur;
    if (alert_load(state_dir, &cur) == 0) {
        out->installed = cur.version;
    }
    char *data;
    size_t len = 0;
    BundleResult r = check(dirfd, name, ring, shown, out, &data, &len);
    if (r != BUNDLE_OK) {
        return finish(out, r);
    }
    /* the version is decided again under the lock, so two installers never let an
     * older alert replace a newer one */
    int lock = bundle_lock(state_dir, &r, err, sizeof err);
    if (lock < 0) {
        free(data);
        utf8_format_cut(out->detail, sizeof out->detail, "%s", err);
        return finish(out, r);
    }
    out->installed = alert_load(state_dir, &cur) == 0 ? cur.version : 0;
    if (out->alert.version <= out->installed) {
        utf8_format_cut(out->detail, sizeof out->detail,
                        "%s: alert version %lld is not newer than the last one accepted (%lld); "
                        "make a new one with 'litfassctl alert' without --version",
                        shown, out->alert.version, out->installed);
        r = BUNDLE_NOT_NEWER;
    } else if (alert_store(state_dir, data, len) != 0) {
        utf8_format_cut(out->detail, sizeof out->detail, "%s/alert: cannot write: %s",
                        state_dir, strerror(errno));
        r = BUNDLE_IO;
    }
    close(lock);
    free(data);
    return finish(out, r);
}

/* Opens path's folder; returns its fd with name and shown set, or -1 (out filled). */
static int open_folder(const char *path, const char **name, char *shown, size_t shown_len,
                       AlertOutcome *out)
{
    char dir[4200];
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    if (!slash) {
        snprintf(dir, sizeof dir, ".");
    } else {
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    }
    log_sanitize(path, shown, shown_len);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        memset(out, 0, sizeof *out);
        utf8_format_cut(out->detail, sizeof out->detail, "%s: cannot open its folder: %s", shown,
                        strerror(errno));
        finish(out, BUNDLE_IO);
    }
    return dfd;
}

BundleResult alertfile_verify(const char *path, const KeyRing *ring, AlertOutcome *out)
{
    char shown[300];
    const char *name;
    int dfd = open_folder(path, &name, shown, sizeof shown, out);
    if (dfd < 0) {
        return out->result;
    }
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    BundleResult r = check(dfd, name, ring, shown, out, &data, &len);
    free(data);
    close(dfd);
    out->result = r;
    return r;
}

BundleResult alertfile_install(const char *state_dir, const char *path, const KeyRing *ring,
                               AlertOutcome *out)
{
    char shown[300];
    const char *name;
    int dfd = open_folder(path, &name, shown, sizeof shown, out);
    if (dfd < 0) {
        return out->result;
    }
    BundleResult r = alertfile_install_at(state_dir, dfd, name, ring, shown, out);
    close(dfd);
    return r;
}
