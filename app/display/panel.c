/* panel: the legacy connector property "DPMS" rather than an atomic commit of the CRTC's
 * ACTIVE: SDL's KMSDRM backend (2.26) drives the output with legacy calls
 * (drmModeSetCrtc, drmModePageFlip), and on atomic drivers the kernel turns the legacy
 * DPMS property into ACTIVE itself, so one call suits both kinds of driver, on the fd
 * that is already DRM master. Connectors are read with drmModeGetConnectorCurrent, which
 * does not probe (an EDID read can take a long time). CEC runs on a non-blocking file
 * descriptor: a transmit is queued and the kernel sends it on its own. */
#define _DEFAULT_SOURCE
#include "display/panel.h"

#include "base/log.h"

#include <SDL_syswm.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

struct Panel {
    int drm_fd;  /* SDL's, not ours to close; -1: none */
    int cec_fd;  /* ours; -1: none */
    char cec_path[300];
    int state;   /* 1 on, 0 off, -1 never set */
    int switches;
    int last;    /* what panel_set returned for state */
    int drm_failed_logged, cec_failed_logged;
};

int panel_cec_message(int on, int from, unsigned char out[2])
{
    out[0] = (unsigned char)(((from & 0xf) << 4) | CEC_LOG_ADDR_TV);
    out[1] = on ? CEC_MSG_IMAGE_VIEW_ON : CEC_MSG_STANDBY;
    return 2;
}

int panel_dpms_value(int on)
{
    return on ? DRM_MODE_DPMS_ON : DRM_MODE_DPMS_OFF;
}

/* The first /dev/cecN in dir, opened non-blocking; -1 when there is none. */
static int open_cec(const char *dir, char *path, size_t len)
{
    DIR *d = opendir(dir);
    char best[64] = "";
    if (!d) {
        return -1;
    }
    for (struct dirent *de; (de = readdir(d));) {
        if (strncmp(de->d_name, "cec", 3) == 0 && de->d_name[3] >= '0' && de->d_name[3] <= '9' &&
            strlen(de->d_name) < sizeof best && (!best[0] || strcmp(de->d_name, best) < 0)) {
            memcpy(best, de->d_name, strlen(de->d_name) + 1); /* fits: checked */
        }
    }
    closedir(d);
    if (!best[0]) {
        return -1;
    }
    snprintf(path, len, "%s/%s", dir, best);
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        log_warn("panel", "cannot open %s (%s): the TV is not switched by HDMI-CEC; the "
                 "service user needs the video group", path, strerror(errno));
    }
    return fd;
}

/* Claims a playback device's logical address when the adapter has none, so that the TV
 * accepts our messages from a real address (the kernel keeps the request and claims
 * again whenever the TV's hot-plug line comes back). Non-blocking: the kernel claims it
 * in the background. Without an address, messages go out from "unregistered" (15):
 * the kernel lets an unconfigured adapter send <Image View On> to the TV that way, so a
 * TV that dropped its hot-plug line in standby still wakes; <Standby> needs the
 * address. */
static void claim_cec(Panel *p)
{
    struct cec_caps caps;
    struct cec_log_addrs la;
    memset(&caps, 0, sizeof caps);
    memset(&la, 0, sizeof la);
    if (ioctl(p->cec_fd, CEC_ADAP_G_CAPS, &caps) != 0 ||
        ioctl(p->cec_fd, CEC_ADAP_G_LOG_ADDRS, &la) != 0) {
        log_warn("panel", "%s does not answer (%s): the TV is not switched by HDMI-CEC",
                 p->cec_path, strerror(errno));
        close(p->cec_fd);
        p->cec_fd = -1;
        return;
    }
    if (la.num_log_addrs > 0 || !(caps.capabilities & CEC_CAP_LOG_ADDRS)) {
        log_msg("panel", "HDMI-CEC on %s (%s), logical address %s", p->cec_path, caps.driver,
                la.num_log_addrs > 0 ? "already claimed" : "set by the driver");
        return;
    }
    memset(&la, 0, sizeof la);
    la.cec_version = CEC_OP_CEC_VERSION_1_4;
    la.vendor_id = CEC_VENDOR_ID_NONE;
    la.num_log_addrs = 1;
    la.log_addr_type[0] = CEC_LOG_ADDR_TYPE_PLAYBACK;
    la.primary_device_type[0] = CEC_OP_PRIM_DEVTYPE_PLAYBACK;
    la.all_device_types[0] = CEC_OP_ALL_DEVTYPE_PLAYBACK;
    snprintf(la.osd_name, sizeof la.osd_name, "Litfass");
    if (ioctl(p->cec_fd, CEC_ADAP_S_LOG_ADDRS, &la) != 0) {
        log_warn("panel", "HDMI-CEC on %s (%s): cannot claim a playback address (%s); "
                 "messages go out unregistered", p->cec_path, caps.driver, strerror(errno));
        return;
    }
    log_msg("panel", "HDMI-CEC on %s (%s), claiming a playback address", p->cec_path,
            caps.driver);
}

int panel_open(SDL_Window *win, const char *cec_dir, Panel **out)
{
    int drm_fd = -1;
    if (win) {
        SDL_SysWMinfo info;
        SDL_VERSION(&info.version);
#if defined(SDL_VIDEO_DRIVER_KMSDRM)
        if (SDL_GetWindowWMInfo(win, &info) && info.subsystem == SDL_SYSWM_KMSDRM) {
            drm_fd = info.info.kmsdrm.drm_fd;
        }
#else
        (void)info;
#endif
        if (drm_fd < 0) {
            const char *drv = SDL_GetCurrentVideoDriver();
            log_msg("panel", "on %s the screen is not switched off at off times, only shown "
                    "black", drv ? drv : "this video driver");
        }
    }
    return panel_open_fd(drm_fd, cec_dir, out);
}

int panel_open_fd(int drm_fd, const char *cec_dir, Panel **out)
{
    if (!out) {
        return -1;
    }
    Panel *p = calloc(1, sizeof *p);
    if (!p) {
        abort();
    }
    p->drm_fd = drm_fd;
    p->cec_fd = -1;
    p->state = -1;
    if (p->drm_fd >= 0) {
        /* CEC only with the board's own output: a desktop's TV is not ours to switch */
        p->cec_fd = cec_dir && !*cec_dir
                        ? -1
                        : open_cec(cec_dir ? cec_dir : "/dev", p->cec_path, sizeof p->cec_path);
        if (p->cec_fd >= 0) {
            claim_cec(p);
        }
        log_msg("panel", "off times switch the output off (DRM DPMS)%s",
                p->cec_fd >= 0 ? " and the TV to standby (HDMI-CEC)" : "");
    }
    *out = p;
    return 0;
}

void panel_close(Panel *p)
{
    if (!p) {
        return;
    }
    if (p->cec_fd >= 0) {
        close(p->cec_fd);
    }
    free(p);
}

/* Sets DPMS on every connector that drives a CRTC. Returns how many. */
static int set_dpms(Panel *p, int on)
{
    drmModeRes *res = drmModeGetResources(p->drm_fd);
    int done = 0, tried = 0, err = 0;
    for (int i = 0; res && i < res->count_connectors; i++) {
        drmModeConnector *c = drmModeGetConnectorCurrent(p->drm_fd, res->connectors[i]);
        if (!c) {
            continue;
        }
        /* every connector that drives a CRTC, connected or not: a TV in standby may have
         * pulled its hot-plug line down, and its output must still come on again */
        if (c->encoder_id) {
            for (int k = 0; k < c->count_props; k++) {
                drmModePropertyRes *prop = drmModeGetProperty(p->drm_fd, c->props[k]);
                if (prop && strcmp(prop->name, "DPMS") == 0) {
                    tried++;
                    if (drmModeConnectorSetProperty(p->drm_fd, c->connector_id, prop->prop_id,
                                                    (uint64_t)panel_dpms_value(on)) == 0) {
                        done++;
                    } else {
                        err = errno;
                    }
                }
                drmModeFreeProperty(prop);
            }
        }
        drmModeFreeConnector(c);
    }
    if (!res) {
        err = errno;
    }
    drmModeFreeResources(res);
    if (!done && !p->drm_failed_logged) {
        p->drm_failed_logged = 1;
        log_warn("panel", "cannot switch the output %s: %s; the screen is shown black instead",
                 on ? "on" : "off",
                 tried ? strerror(err) : res ? "no output in use with a DPMS property"
                                             : strerror(err));
    }
    return done;
}

/* Reads what the kernel reports about earlier transmits (non-blocking: returns at once)
 * and logs, once, when the TV did not acknowledge one: it is off the bus, or no TV. */
static void drain_cec(Panel *p)
{
    struct cec_msg msg;
    for (int i = 0; i < 64; i++) {
        memset(&msg, 0, sizeof msg);
        if (ioctl(p->cec_fd, CEC_RECEIVE, &msg) != 0) {
            return; /* EAGAIN: nothing (more) */
        }
        if (msg.sequence && (msg.tx_status & (CEC_TX_STATUS_NACK | CEC_TX_STATUS_ERROR |
                                              CEC_TX_STATUS_MAX_RETRIES)) &&
            !p->cec_failed_logged) {
            p->cec_failed_logged = 1;
            log_warn("panel", "HDMI-CEC on %s: the TV did not acknowledge a message (status "
                     "0x%02x): is the TV's CEC function (Anynet+, Bravia Sync, SimpLink, …) on?",
                     p->cec_path, (unsigned)msg.tx_status);
        }
    }
}

/* Queues <Image View On> or <Standby> for the TV; on also <Active Source>, so that the
 * TV switches to our input, when we have a logical address to send it from. */
static void send_cec(Panel *p, int on)
{
    drain_cec(p);
    struct cec_log_addrs la;
    memset(&la, 0, sizeof la);
    int from = CEC_LOG_ADDR_UNREGISTERED;
    if (ioctl(p->cec_fd, CEC_ADAP_G_LOG_ADDRS, &la) == 0 && la.num_log_addrs > 0 &&
        la.log_addr[0] != CEC_LOG_ADDR_INVALID) {
        from = la.log_addr[0];
    }
    struct cec_msg msg;
    memset(&msg, 0, sizeof msg);
    msg.len = (__u32)panel_cec_message(on, from, msg.msg);
    msg.timeout = 0; /* no reply awaited; non-blocking: queued */
    int rc = ioctl(p->cec_fd, CEC_TRANSMIT, &msg);
    __u16 pa = CEC_PHYS_ADDR_INVALID;
    if (rc == 0 && on && from != CEC_LOG_ADDR_UNREGISTERED &&
        ioctl(p->cec_fd, CEC_ADAP_G_PHYS_ADDR, &pa) == 0 && pa != CEC_PHYS_ADDR_INVALID) {
        memset(&msg, 0, sizeof msg);
        msg.len = 4;
        msg.msg[0] = (__u8)((from << 4) | CEC_LOG_ADDR_BROADCAST);
        msg.msg[1] = CEC_MSG_ACTIVE_SOURCE;
        msg.msg[2] = (__u8)(pa >> 8);
        msg.msg[3] = (__u8)(pa & 0xff);
        rc = ioctl(p->cec_fd, CEC_TRANSMIT, &msg);
    }
    if (rc != 0 && !p->cec_failed_logged) {
        p->cec_failed_logged = 1;
        log_warn("panel", "HDMI-CEC on %s: cannot send %s to the TV: %s", p->cec_path,
                 on ? "Image View On" : "Standby",
                 errno == ENONET ? "no HDMI connection or no address" : strerror(errno));
    }
}

int panel_set(Panel *p, int on)
{
    if (!p) {
        return -1;
    }
    on = on != 0;
    if (p->state == on) {
        return p->last;
    }
    p->switches++;
    p->state = on;
    int dark = 0;
    if (on && p->cec_fd >= 0) {
        send_cec(p, on); /* the TV first: it takes seconds to wake */
    }
    if (p->drm_fd >= 0) {
        dark = set_dpms(p, on) > 0;
    }
    if (!on && p->cec_fd >= 0) {
        send_cec(p, on);
    }
    p->last = dark;
    return dark;
}

int panel_state(const Panel *p)
{
    return p ? p->state : -1;
}

int panel_switches(const Panel *p)
{
    return p ? p->switches : 0;
}
