/* panel: switches the screen itself off and on — not only the picture — at the screen
 * times. Owns the way to the hardware: the DRM connectors' "DPMS" property through the
 * file descriptor SDL's KMSDRM backend exposes (the board's HDMI output goes dark, a
 * monitor goes to standby), and, where /dev/cec* exists, the kernel's HDMI-CEC adapter
 * (a TV is sent "Standby" and "Image View On"). Anything missing or failing is logged
 * once and never stops the display: the black picture the kiosk shows while off is
 * then what visitors see. In a window (X11, Wayland) or headless nothing is switched. */
#ifndef LITFASS_PANEL_H
#define LITFASS_PANEL_H

#include <SDL.h>
#include <stddef.h>

typedef struct Panel Panel;

/* Opens what can switch the screen of win: DRM when win is on KMSDRM, then the first
 * CEC adapter in cec_dir (NULL: "/dev"; "" for none). win may be NULL (nothing to
 * switch; panel_set still keeps the state, for tests and the headless case). Never
 * fails for want of hardware; returns 0 (-1 only when out is NULL). Claims a CEC
 * playback address when the adapter has none (in the background, not waited for). */
int panel_open(SDL_Window *win, const char *cec_dir, Panel **out);

/* panel_open for a DRM device fd already open and DRM master (-1: none; not closed by
 * the panel). Tests pass any fd to see that a device refusing the calls is survived. */
int panel_open_fd(int drm_fd, const char *cec_dir, Panel **out);

/* Closes the devices; the screen stays as it is. Accepts NULL. */
void panel_close(Panel *p);

/* Switches the screen on (1) or off (0). Does nothing when it is already in that state
 * (the first call always acts: after a restart the hardware's state is not known).
 * Never blocks for long: CEC messages are queued, not waited for. Returns 1 when an
 * output was really switched (DRM), 0 when only the picture can show it (no DRM, or
 * it failed), -1 when p is NULL. */
int panel_set(Panel *p, int on);

/* The state last asked for (1 on, 0 off, -1 never asked), and how often panel_set acted
 * (the first call included; repeats of the same state are not counted). */
int panel_state(const Panel *p);
int panel_switches(const Panel *p);

/* The CEC message that turns a TV at logical address 0 off (on = 0: <Standby>) or on
 * (<Image View On>), sent from logical address from (15 while none is claimed): writes
 * its bytes to out[0..2) and returns the length, 2. */
int panel_cec_message(int on, int from, unsigned char out[2]);

/* The value of the DRM connector property "DPMS" for on or off. */
int panel_dpms_value(int on);

#endif
