/* The panel module without hardware: the CEC message bytes and DPMS values it would
 * send, that it acts once per change (never per frame), and that without KMSDRM (a
 * dummy or X11 window, or none) it switches nothing and never fails. What DRM and CEC
 * devices do with the calls cannot be tested here: there are none on a build machine. */
#include "testutil.h"

#include "check.h"
#include "display/panel.h"

#include <fcntl.h>

#include <linux/cec.h>
#include <xf86drmMode.h>

TEST(cec_messages_are_standby_and_image_view_on_for_the_tv)
{
    unsigned char m[2];
    CHECK_INT(panel_cec_message(0, 4, m), 2); /* from playback device 1 (4) to the TV (0) */
    CHECK_INT(m[0], 0x40);
    CHECK_INT(m[1], 0x36); /* <Standby> */
    CHECK_INT(panel_cec_message(1, 4, m), 2);
    CHECK_INT(m[0], 0x40);
    CHECK_INT(m[1], 0x04); /* <Image View On> */
    CHECK_INT(panel_cec_message(1, CEC_LOG_ADDR_UNREGISTERED, m), 2);
    CHECK_INT(m[0], 0xF0); /* unregistered: what the kernel lets an unconfigured adapter send */
    CHECK_INT(panel_dpms_value(0), DRM_MODE_DPMS_OFF);
    CHECK_INT(panel_dpms_value(1), DRM_MODE_DPMS_ON);
}

TEST(the_panel_acts_once_per_change_and_first_after_a_start)
{
    Panel *p;
    CHECK_INT(panel_open(NULL, "", &p), 0);
    CHECK_INT(panel_state(p), -1);
    CHECK_INT(panel_set(p, 0), 0); /* nothing really switched: no output to switch */
    CHECK_INT(panel_state(p), 0);
    CHECK_INT(panel_switches(p), 1);
    for (int i = 0; i < 100; i++) {
        panel_set(p, 0); /* called again and again: acts once */
    }
    CHECK_INT(panel_switches(p), 1);
    panel_set(p, 1);
    panel_set(p, 7); /* any non-zero is on */
    CHECK_INT(panel_state(p), 1);
    CHECK_INT(panel_switches(p), 2);
    panel_close(p);
    CHECK_INT(panel_set(NULL, 0), -1);
    CHECK_INT(panel_state(NULL), -1);
    panel_close(NULL);
    CHECK_INT(panel_open(NULL, NULL, NULL), -1);
}

TEST(a_window_that_is_not_kmsdrm_switches_nothing)
{
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "skipped: no SDL dummy video driver: %s\n", SDL_GetError());
        return;
    }
    SDL_Window *w = SDL_CreateWindow("t", 0, 0, 64, 64, 0);
    CHECK(w != NULL);
    Panel *p;
    CHECK_INT(panel_open(w, NULL, &p), 0); /* /dev is not looked at without DRM */
    CHECK_INT(panel_set(p, 0), 0);
    CHECK_INT(panel_set(p, 1), 0);
    CHECK_INT(panel_switches(p), 2);
    panel_close(p);
    SDL_DestroyWindow(w);
    SDL_Quit();
}

/* Runs fn with stderr going to a file; returns what was written (malloc'd). */
static char *stderr_of(void (*fn)(const char *), const char *arg)
{
    char *path = test_fmt("%s/stderr.txt", arg);
    fflush(stderr);
    int saved = dup(2), fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    dup2(fd, 2);
    close(fd);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    size_t len;
    char *text = test_read(path, &len);
    free(path);
    return text;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) {
        n++;
    }
    return n;
}

/* A "DRM device" and a "/dev/cec0" that refuse every call: plain files. */
static void refusing_devices(const char *dir)
{
    char *drm = test_fmt("%s/card0", dir), *cec = test_fmt("%s/cec0", dir);
    test_write(drm, "", 0);
    test_write(cec, "", 0);
    int fd = open(drm, O_RDWR);
    Panel *p;
    CHECK_INT(panel_open_fd(fd, dir, &p), 0);
    for (int i = 0; i < 5; i++) {
        CHECK_INT(panel_set(p, i % 2), 0); /* nothing really switched, and no failure */
    }
    CHECK_INT(panel_switches(p), 5);
    CHECK_INT(panel_state(p), 0);
    panel_close(p);
    close(fd); /* the panel does not close the DRM fd: SDL owns it */
    free(drm);
    free(cec);
}

TEST(devices_that_refuse_are_logged_once_and_survived)
{
    const char *dir = test_tmpdir();
    char *log = stderr_of(refusing_devices, dir);
    CHECK_INT(count(log, "panel: cannot switch the output"), 1);
    CHECK_INT(count(log, "does not answer"), 1); /* the CEC adapter, dropped at open */
    CHECK_INT(count(log, "HDMI-CEC on"), 0);     /* nothing sent to it afterwards */
    free(log);
}

int main(void)
{
    RUN(cec_messages_are_standby_and_image_view_on_for_the_tv);
    RUN(the_panel_acts_once_per_change_and_first_after_a_start);
    RUN(a_window_that_is_not_kmsdrm_switches_nothing);
    RUN(devices_that_refuse_are_logged_once_and_survived);
    return check_report();
}
