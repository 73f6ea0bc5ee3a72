/* The panel module without hardware: the CEC message bytes and DPMS values it would
 * send, that it acts once per change (never per frame), and that without KMSDRM (a
 * dummy or X11 window, or none) it switches nothing and never fails. What DRM and CEC
 * devices do with the calls cannot be tested here: there are none on a build machine. */
#include "check.h"
#include "display/panel.h"

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

int main(void)
{
    RUN(cec_messages_are_standby_and_image_view_on_for_the_tv);
    RUN(the_panel_acts_once_per_change_and_first_after_a_start);
    RUN(a_window_that_is_not_kmsdrm_switches_nothing);
    return check_report();
}
