#!/usr/bin/env python3
"""System test on the virtual board (toolchain/dev system-test amd64).

Boots the cached Debian bookworm image (toolchain/vm/image) in QEMU, installs the .deb
offline as an integrator would, and checks named scenarios, each printing PASS or FAIL,
then "N passed, N failed". Arguments: --image-dir D --deb F --work W --host-build B
--fonts F [--cuts N] [--only a,b] [--keep].
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "toolchain", "vm"))
from vm import Guest  # noqa: E402

SIZE = "1280x800"
# The guest runs on its own clock (systemd moves a clock older than its own build date
# forward, so a fixed RTC in 2021 does not hold); the host renders each reference at the
# guest's time, read just before the screendump.


def log(msg):
    print(msg, flush=True)


class Env:
    def __init__(self, a):
        self.a = a
        self.image = a.image_dir
        self.work = a.work
        self.results = []
        self.figures = []

    def sh(self, *cmd, **kw):
        return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout

    def fresh_disk(self, name):
        disk = os.path.join(self.work, name + ".qcow2")
        if os.path.exists(disk):
            os.unlink(disk)
        self.sh("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                os.path.join(self.image, "root.img"), disk)
        return disk

    def guest(self, disk, **kw):
        run_dir = os.path.join(self.work, "run")
        os.makedirs(run_dir, exist_ok=True)
        return Guest(self.image, run_dir, disk, payload=self.payload, log=log,
                     accel=self.a.accel, **kw)

    # --- host side: keys, bundles, reference pictures ---------------------------------
    def prepare(self):
        a = self.a
        p = os.path.join(self.work, "payload")
        shutil.rmtree(p, ignore_errors=True)
        os.makedirs(p)
        shutil.copy(a.deb, os.path.join(p, "litfass.deb"))
        ctl = os.path.join(a.host_build, "litfassctl")
        for f in ("litfass.sec", "other.sec", "other.pub"):
            if os.path.exists(os.path.join(self.work, f)):
                os.unlink(os.path.join(self.work, f))
        self.sh(ctl, "keygen", "-p", os.path.join(p, "litfass.pub"), "-s",
                os.path.join(self.work, "litfass.sec"))
        self.payload = os.path.join(self.work, "payload.img")
        if os.path.exists(self.payload):
            os.unlink(self.payload)
        self.sh("mkfs.ext4", "-q", "-F", "-d", p, self.payload, "64M")
        self.pub = os.path.join(p, "litfass.pub")
        # the packaged default content and the host's headless render of it
        x = os.path.join(self.work, "deb")
        shutil.rmtree(x, ignore_errors=True)
        self.sh("dpkg-deb", "-x", a.deb, x)
        self.default_db = os.path.join(x, "usr/share/litfass/default.litfass")

    def render(self, db, now):
        """The host's headless render of DB at the guest's time NOW (cached per minute)."""
        out = os.path.join(self.work, "ref-%s-%s" % (os.path.basename(db), now))
        if not os.path.isdir(out):
            self.sh(os.path.join(self.a.host_build, "litfass"), "--db", db, "--screenshot",
                    out, "--size", SIZE, "--now", now, "--font-dir", self.a.fonts,
                    "--trusted-keys", self.pub, env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
        return out

    def matches(self, shot, ref_dir, pages=("campaign", "map", "schedule")):
        """Which page of REF_DIR the screendump SHOT shows (None: none of them)."""
        cmp = os.path.join(self.a.host_build, "tests", "compare_png")
        for page in pages:
            r = subprocess.run([cmp, shot, os.path.join(ref_dir, page + ".png")],
                               capture_output=True, text=True)
            if r.returncode == 0:
                return page
        return None

    def wait_for_page(self, g, db, name, timeout=90):
        """Screendumps until the screen shows a page of DB as the host renders it at the
        guest's time; the page or None."""
        deadline = time.monotonic() + timeout
        n = 0
        while time.monotonic() < deadline:
            n += 1
            now = g.check("TZ=Europe/Berlin date +%Y-%m-%dT%H:%M").strip().splitlines()[-1]
            shot = g.screendump(os.path.join(self.work, "%s-%d.ppm" % (name, n)))
            page = self.matches(shot, self.render(db, now))
            if page:
                return page
            time.sleep(3)
        return None

    def result(self, name, ok, detail=""):
        self.results.append((name, ok))
        log("%s: %s%s" % ("PASS" if ok else "FAIL", name, (" — " + detail) if detail else ""))


GUEST_ENV = "export SYSTEMD_PAGER=cat SYSTEMD_COLORS=0 PAGER=cat"


def wait_active(g, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rc, out = g.run("systemctl is-active litfass", timeout=30)
        if out.strip() == "active":
            return True
        time.sleep(2)
    return False


def first_frame_s(g):
    """Seconds from kernel start to the service's READY (sent after its first frame)."""
    out = g.check("systemctl show litfass -p ActiveEnterTimestampMonotonic --value")
    return int(out.strip()) / 1e6


def install(env):
    """Scenario 1: offline apt install of the .deb, the service at boot, the picture."""
    g = env.guest(env.fresh_disk("installed"))
    try:
        g.boot()
        g.check(GUEST_ENV)
        g.check("mkdir -p /mnt/payload && mount -o ro /dev/vdb /mnt/payload")
        g.check("mkdir -p /etc/litfass/keys && cp /mnt/payload/litfass.pub /etc/litfass/keys/")
        rc, out = g.run("apt-get install -y --no-install-recommends /mnt/payload/litfass.deb", 600)
        if rc != 0:
            env.result("install: offline apt install", False, out.strip()[-600:])
            return False
        env.result("install: offline apt install pulls in every dependency", True)
        rc, out = g.run("ldd /usr/bin/litfass /usr/bin/litfassctl | grep 'not found'")
        env.result("install: every library found", rc != 0, out.strip())
        rc, out = g.run("systemctl is-enabled litfass")
        enabled = out.strip() == "enabled"
        if not enabled:
            log("NOTE: the package does not enable litfass.service (%s); "
                "the test enables it (TEST-ONLY)" % out.strip())
            g.check("systemctl enable litfass")
        g.check("sync")
        g.shutdown()
        # the next power-on: nobody logs in on the screen; the service must come up
        g.boot()
        g.check(GUEST_ENV)
        if not wait_active(g):
            rc, out = g.run("journalctl -b -u litfass --no-pager | tail -30")
            env.result("install: service active after boot", False, out)
            return False
        t = first_frame_s(g)
        env.figures.append("boot to first frame (kernel start to READY): %.1f s (%s)"
                           % (t, g.accel_used))
        page = env.wait_for_page(g, env.default_db, "install")
        rc, out = g.run("journalctl -b -u litfass --no-pager | tail -8")
        log(out)
        env.result("install: default content on screen (screendump = headless render)",
                   page is not None, "page %s, first frame %.1f s after kernel start" % (page, t))
        return page is not None
    finally:
        g.shutdown()


SCENARIOS = [("install", install)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image-dir", required=True)
    ap.add_argument("--deb", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--host-build", required=True)
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--only", default="")
    ap.add_argument("--accel", default="auto")
    a = ap.parse_args()
    for k in ("image_dir", "deb", "work", "host_build", "fonts"):
        setattr(a, k, os.path.abspath(getattr(a, k)))
    os.makedirs(a.work, exist_ok=True)
    env = Env(a)
    env.prepare()
    only = [s for s in a.only.split(",") if s]
    t0 = time.monotonic()
    for name, fn in SCENARIOS:
        if only and name not in only:
            continue
        s0 = time.monotonic()
        try:
            fn(env)
        except Exception as e:  # a broken scenario is a failure, the others still run
            env.result(name, False, "%s: %s" % (type(e).__name__, e))
        log("(%s took %.0f s)" % (name, time.monotonic() - s0))
    for f in env.figures:
        log("figure: " + f)
    passed = sum(1 for _, ok in env.results if ok)
    failed = len(env.results) - passed
    log("%d passed, %d failed (%.0f s)" % (passed, failed, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
