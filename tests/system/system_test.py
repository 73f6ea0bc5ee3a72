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
        # a private copy of the cached image: the cache may be replaced by another run
        # while this one's disks are overlays on it
        self.image = os.path.join(a.work, "image")
        if "install" in (a.only or "install") or not os.path.isdir(self.image):
            shutil.rmtree(self.image, ignore_errors=True)
            os.makedirs(self.image)
            for f in ("vmlinuz", "initrd.img", "root.img"):
                subprocess.run(["cp", "--sparse=always", os.path.join(a.image_dir, f),
                                self.image], check=True)
        self.work = a.work
        self.results = []
        self.installed_ok = os.path.exists(os.path.join(a.work, "installed.qcow2")) and \
            "install" not in (a.only or "install")
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
                     accel=self.a.accel, arch=self.a.arch, **kw)

    # --- host side: keys, bundles, reference pictures ---------------------------------
    def prepare(self):
        a = self.a
        p = os.path.join(self.work, "payload")
        shutil.rmtree(p, ignore_errors=True)
        os.makedirs(p)
        shutil.copy(a.deb, os.path.join(p, "litfass.deb"))
        ctl = os.path.join(a.host_build, "litfassctl")
        for f in ("other.sec", "other.pub"):
            if os.path.exists(os.path.join(self.work, f)):
                os.unlink(os.path.join(self.work, f))
        sec = os.path.join(self.work, "litfass.sec")
        keep = os.path.join(self.work, "litfass.pub")
        if "install" in (a.only or "install") or not os.path.exists(sec):
            # a new board gets a new key; later scenarios reuse the installed board's
            for f in (sec, keep):
                if os.path.exists(f):
                    os.unlink(f)
            self.sh(ctl, "keygen", "-p", keep, "-s", sec)
        shutil.copy(keep, os.path.join(p, "litfass.pub"))
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

    def matches(self, shot, ref_dir, pages=("campaign", "map", "schedule"), footer=True):
        """Which page of REF_DIR the screendump SHOT shows (None: none of them); without
        footer, the bottom tenth (the footer, with the network mark) is left out."""
        cmp = os.path.join(self.a.host_build, "tests", "compare_png")
        opt = [] if footer else ["--ignore-bottom", str(int(SIZE.split("x")[1]) // 10)]
        for page in pages:
            r = subprocess.run([cmp] + opt + [shot, os.path.join(ref_dir, page + ".png")],
                               capture_output=True, text=True)
            if r.returncode == 0:
                return page
        return None

    def wait_for_page(self, g, db, name, timeout=90):
        """Screendumps until the screen shows a page of DB as the host renders it at the
        guest's time; the page or None."""
        deadline = time.monotonic() + timeout * SLOW
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


SLOW = 1  # how many times slower than an emulated amd64 the guest is (arm64: 4)


def wait_active(g, timeout=120):
    deadline = time.monotonic() + timeout * SLOW
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
        rc, out = g.run("apt-get install -y --no-install-recommends /mnt/payload/litfass.deb",
                        600 * SLOW)
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
        t_active = time.monotonic()
        t = first_frame_s(g)
        env.figures.append("boot to first frame (kernel start to READY): %.1f s (%s)"
                           % (t, g.accel_used))
        page = env.wait_for_page(g, env.default_db, "install")
        rc, out = g.run("journalctl -b -u litfass --no-pager | tail -8")
        log(out)
        env.result("install: default content on screen (screendump = headless render)",
                   page is not None, "page %s, first frame %.1f s after kernel start" % (page, t))
        env.installed_ok = page is not None
        # a display that crashes and is restarted still shows a page now and then
        time.sleep(max(0, 90 - (time.monotonic() - t_active)))
        n = g.check("systemctl show litfass -p NRestarts --value").strip()
        rc, out = g.run("journalctl -b -u litfass --no-pager -o short-monotonic | "
                        "grep -E 'SEGV|watchdog|Failed' | head -5")
        env.result("install: no restarts in the first 90 s on the default content",
                   n == "0", "NRestarts=%s %s" % (n, out.strip()))
        return page is not None
    finally:
        g.shutdown()


def installed_overlay(env, name):
    """A disk for one scenario: an overlay on the board the install scenario left."""
    base = os.path.join(env.work, "installed.qcow2")
    if not env.installed_ok:
        raise RuntimeError("needs the install scenario to pass first")
    disk = os.path.join(env.work, name + ".qcow2")
    if os.path.exists(disk):
        os.unlink(disk)
    env.sh("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, disk)
    return disk


def boot_active(env, g):
    g.boot()
    g.check(GUEST_ENV)
    if not wait_active(g):
        raise RuntimeError("litfass not active after boot")


def status_version(g):
    """The installed content version from litfassctl status (None: nothing installed)."""
    out = g.check("litfassctl status --state-dir /var/lib/litfass")
    import re
    m = re.search(r"^current:.*\(version (\d+)\)", out, re.M)
    return int(m.group(1)) if m else None


def make_stick(env, name, files):
    stick = os.path.join(env.work, name + ".img")
    if os.path.exists(stick):
        os.unlink(stick)
    env.sh("mkfs.vfat", "-C", stick, "32768")
    env.sh("mmd", "-i", stick, "::litfass")
    for f in files:
        env.sh("mcopy", "-i", stick, f, "::litfass/")
    return stick


def plug(g, stick, sid, wait_mount=True, read_bps=0):
    """Plugs the stick image into the guest's USB bus. The package's udev rule mounts it
    (packaging/mount-stick, at /media/litfass-sdX); with wait_mount, returns the mount
    point once it is there. read_bps > 0 makes it a slow stick (QEMU's I/O throttling)."""
    g.monitor("drive_add 0 if=none,id=%s,file=%s,format=raw%s"
              % (sid, stick, ",throttling.bps-read=%d" % read_bps if read_bps else ""))
    g.monitor("device_add usb-storage,bus=xhci.0,drive=%s,id=%s" % (sid, sid))
    if not wait_mount:
        return None
    # (in a subshell: an exit in the guest's shell itself would end the session)
    rc, out = g.run("(for i in $(seq 120); do m=$(findmnt -rn -o TARGET | "
                    "grep '^/media/litfass-' | head -n1); [ -n \"$m\" ] && "
                    "{ echo \"$m\"; exit 0; }; sleep 0.5; done; exit 1)", 150)
    if rc != 0:
        rc2, log = g.run("journalctl -b --no-pager -o cat | grep -iE 'mount|sda|usb' | tail -15")
        raise RuntimeError("the package did not mount the stick within 60 s:\n" + log)
    return out.strip().splitlines()[-1]


def unplug(g, sid):
    """Pulls the stick (no unmount first: staff pull sticks); the mount must go away."""
    g.monitor("device_del %s" % sid)
    rc, _ = g.run("(for i in $(seq 40); do findmnt -rn -o TARGET | grep -q '^/media/litfass-' "
                  "|| exit 0; sleep 0.5; done; exit 1)", 90)
    return rc == 0


def wait_version(g, want, timeout=90):
    deadline = time.monotonic() + timeout
    v = None
    while time.monotonic() < deadline:
        v = status_version(g)
        if v == want:
            return v
        time.sleep(2)
    return v


def bundles(env):
    """Signed bundles: version 5 with a new title (trusted key) and version 6 signed by a
    key the board does not trust."""
    if getattr(env, "bundle_new", None):
        return
    src = os.path.join(env.work, "content-new")
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(os.path.join(os.path.dirname(env.a.fonts), "content"), src)
    md = os.path.join(src, "campaign.md")
    text = open(md, encoding="utf-8").read().replace(
        "title: Menschen stärken Menschen", "title: Systemtest Version 5", 1)
    open(md, "w", encoding="utf-8").write(text)
    ctl = os.path.join(env.a.host_build, "litfassctl")
    d = os.path.join(env.work, "bundles")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    env.bundle_new = os.path.join(d, "content-5.litfass")
    env.sh(ctl, "build", src, "-o", env.bundle_new, "--version", "5")
    env.sh(ctl, "sign", env.bundle_new, "-s", os.path.join(env.work, "litfass.sec"))
    env.sh(ctl, "keygen", "-p", os.path.join(env.work, "other.pub"), "-s",
           os.path.join(env.work, "other.sec"))
    env.bundle_bad = os.path.join(d, "content-6.litfass")
    env.sh(ctl, "build", src, "-o", env.bundle_bad, "--version", "6")
    env.sh(ctl, "sign", env.bundle_bad, "-s", os.path.join(env.work, "other.sec"))


def read_report(env, stick):
    r = subprocess.run(["mtype", "-i", stick, "::litfass/litfass-report.txt"],
                       capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def big_bundle(env, n, mb=24):
    """A valid signed bundle of version N padded to about MB megabytes (free pages of a
    dropped table: SQLite keeps the file's size), so that copying it takes seconds."""
    d = os.path.join(env.work, "bundles")
    out = os.path.join(d, "content-%d.litfass" % n)
    src = os.path.join(env.work, "content-%d" % n)
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(os.path.join(os.path.dirname(env.a.fonts), "content"), src)
    ctl = os.path.join(env.a.host_build, "litfassctl")
    env.sh(ctl, "build", src, "-o", out, "--version", str(n))
    import sqlite3
    db = sqlite3.connect(out)
    db.execute("CREATE TABLE padding(x BLOB)")
    db.execute("INSERT INTO padding VALUES (randomblob(?))", (mb * 1000 * 1000,))
    db.commit()
    db.execute("DROP TABLE padding")
    db.commit()
    db.close()
    env.sh(ctl, "sign", out, "-s", os.path.join(env.work, "litfass.sec"))
    return out


def usb(env):
    """Scenario 2, on the package as installed (its udev rule mounts sticks): a signed
    bundle → new content and a report on the stick; a bundle signed with a key the board
    does not trust → refused, content unchanged; a stick pulled in the middle of an import
    → content unchanged."""
    bundles(env)
    g = env.guest(installed_overlay(env, "usb"))
    try:
        boot_active(env, g)
        stick = make_stick(env, "stick-good", [env.bundle_new, env.bundle_new + ".minisig"])
        where = plug(g, stick, "stick1")
        log("stick mounted by the package at %s" % where)
        v = wait_version(g, 5)
        page = env.wait_for_page(g, env.bundle_new, "usb-new", timeout=90) if v == 5 else None
        gone = unplug(g, "stick1")
        report = read_report(env, stick)
        env.result("usb: signed bundle installed and shown", v == 5 and page is not None,
                   "version %s, screen shows %s" % (v, page))
        rc, out = g.run("journalctl -b -u litfass --no-pager -o cat | grep -E '^(usb|bundle|install)'")
        log("guest log (usb):\n" + out.strip())
        env.result("usb: report on the stick, written by the service's user",
                   bool(report) and ("aktualisiert" in report or "installiert: 5" in report),
                   (report or "no litfass/litfass-report.txt").strip().replace("\n", " | ")[:300])
        env.result("usb: pulling the stick ends its mount", gone)
        bad = make_stick(env, "stick-bad", [env.bundle_bad, env.bundle_bad + ".minisig"])
        plug(g, bad, "stick2")
        report = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "6" not in report:
            time.sleep(3)
            rc, report = g.run("cat /media/litfass-*/litfass/litfass-report.txt 2>/dev/null")
        v2 = status_version(g)
        page = env.wait_for_page(g, env.bundle_new, "usb-bad", timeout=60)
        unplug(g, "stick2")
        report = read_report(env, bad) or ""
        if not report.strip():
            rc, out = g.run("journalctl -b --no-pager -o short-monotonic | "
                            "grep -E 'litfass\\[|mount|sda' | tail -25; findmnt | grep media")
            log("guest log (no report on the second stick):\n" + out.strip())
        env.result("usb: untrusted bundle refused with a report, content unchanged",
                   v2 == 5 and page is not None and bool(report.strip()),
                   "version %s, screen shows %s, report: %s"
                   % (v2, page, report.strip().replace("\n", " | ")[:300]))
        # A slow stick (3 MB/s, so its 24 MB bundle takes 8 s to read), pulled 2 s after
        # it was mounted: the watcher starts at the mount's event, so the pull lands in the
        # middle of the copy (a fast virtual stick was read whole within the first second)
        big = big_bundle(env, 900)
        pulled = make_stick(env, "stick-pulled", [big, big + ".minisig"])
        plug(g, pulled, "stick3", read_bps=3000000)
        time.sleep(2)
        unplug(g, "stick3")
        time.sleep(10)
        v3 = status_version(g)
        page = env.wait_for_page(g, env.bundle_new, "usb-pulled", timeout=60)
        rc, out = g.run("journalctl -b -u litfass --no-pager -o cat | grep '^usb' | tail -3")
        n = g.check("systemctl show litfass -p NRestarts --value").strip()
        answered = "900" not in out.splitlines()[-1] if out.strip() else False
        env.result("usb: stick pulled during the import, content unchanged",
                   v3 == 5 and page is not None and n == "0" and answered,
                   "version %s, screen shows %s, restarts %s; log: %s"
                   % (v3, page, n, out.strip().replace("\n", " | ")[-300:]))
    finally:
        g.shutdown()


def versioned_bundle(env, n):
    """A bundle of version N whose title names N (so the screen tells versions apart),
    signed with the board's key. A folder of its own: the usb scenario's bundle 6 is
    signed with a key the board does not trust, and sharing its name made every cut after
    version 5 offer that one (CI's first full run: 13 cuts in a row kept version 5)."""
    d = os.path.join(env.work, "bundles", "cuts")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, "content-%d.litfass" % n)
    if os.path.exists(out + ".minisig"):
        return out
    src = os.path.join(env.work, "content-%d" % n)
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(os.path.join(os.path.dirname(env.a.fonts), "content"), src)
    md = os.path.join(src, "campaign.md")
    text = open(md, encoding="utf-8").read().replace(
        "title: Menschen stärken Menschen", "title: Systemtest Version %d" % n, 1)
    open(md, "w", encoding="utf-8").write(text)
    ctl = os.path.join(env.a.host_build, "litfassctl")
    env.sh(ctl, "build", src, "-o", out, "--version", str(n))
    env.sh(ctl, "sign", out, "-s", os.path.join(env.work, "litfass.sec"))
    return out


class Nginx:
    """A real nginx on the host's loopback serving a publish folder; the guest reaches it
    through QEMU's user network at 10.0.2.2."""

    def __init__(self, work):
        import socket as so
        self.dir = os.path.join(work, "nginx")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.pub = os.path.join(self.dir, "pub")
        os.makedirs(self.pub)
        s = so.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write("worker_processes 1; daemon off; pid %s/nginx.pid; error_log stderr crit;\n"
                    "events {}\nhttp { access_log off; client_body_temp_path %s;\n"
                    "server { listen 127.0.0.1:%d; root %s; } }\n"
                    % (self.dir, self.dir, self.port, self.pub))
        self.proc = subprocess.Popen(["nginx", "-e", "stderr", "-p", self.dir, "-c", conf])
        time.sleep(0.5)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def guest_network(g, port):
    """The guest's network (systemd-networkd, QEMU's user network) and sync from the
    host's nginx every 30 s."""
    g.check("mkdir -p /etc/systemd/network && printf '[Match]\\nName=en* eth*\\n[Network]\\n"
            "Address=10.0.2.15/24\\nGateway=10.0.2.2\\n' >/etc/systemd/network/50-qemu.network"
            " && systemctl enable --now systemd-networkd")
    g.check("sed -i 's|^sync_url =.*|sync_url = http://10.0.2.2:%d|; "
            "s|^sync_interval_s =.*|sync_interval_s = 30|' /etc/litfass/litfass.conf && sync"
            % port)


def powercut(env):
    """Scenario 3: power cuts at random moments of USB installs (odd cuts) and network
    installs (even cuts), each followed by a real boot: litfassctl status and the screen
    show the complete old or the complete new version."""
    rnd = random.Random(os.environ.get("LITFASS_VM_SEED", str(time.time())))
    nginx = Nginx(env.work)
    g = env.guest(installed_overlay(env, "powercut"), nic=True)
    db = {1: env.default_db}
    current = 1
    outcomes = {"old": 0, "new": 0}
    kinds = {"usb": 0, "network": 0}
    bad = []
    try:
        for i in range(env.a.cuts + 1):
            boot_active(env, g)
            if i == 0:
                guest_network(g, nginx.port)
                g.check("systemctl restart litfass")
                wait_active(g)
            # the screen must show what status says; a network install may finish while
            # this looks, so both are read again until they agree
            deadline = time.monotonic() + 120
            v = page = None
            n = 0
            while time.monotonic() < deadline:
                n += 1
                v = status_version(g)
                v = 1 if v is None else v
                shot = g.screendump(os.path.join(env.work, "cut%d-%d.ppm" % (i, n)))
                # the campaign page names the version in its title; the footer carries
                # the network mark the host's render cannot know
                page = env.matches(shot, env.render(db.get(v, env.default_db),
                                                    guest_time(g)),
                                   pages=("campaign",), footer=False)
                if page and (status_version(g) or 1) == v:
                    break
                page = None
                time.sleep(3)
            candidates = (current, current + 1) if i else (current,)
            ok = v in candidates and page is not None
            if i:
                outcomes["new" if v == current + 1 else "old"] += 1
                log("cut %d: afterwards version %s on screen (%s)%s"
                    % (i, v, page, "" if ok else "  <-- NOT the old or the new one"))
            if not ok:
                bad.append("cut %d: version %s, screen %s" % (i, v, page))
            current = max(v, current)
            if i == env.a.cuts:
                break
            n = current + 1
            b = versioned_bundle(env, n)
            db[n] = b
            if (i + 1) % 2:
                kinds["usb"] += 1
                stick = make_stick(env, "stick-cut", [b, b + ".minisig"])
                plug(g, stick, "cut%d" % i)
                delay = rnd.uniform(0, 4)
                time.sleep(delay)
                log("cut %d: power cut %.1f s after the package mounted the stick"
                    % (i + 1, delay))
            else:
                kinds["network"] += 1
                env.sh(os.path.join(env.a.host_build, "litfassctl"), "publish", b, nginx.pub)
                g.check("systemctl restart litfass")  # polls at start
                delay = rnd.uniform(0, 6)
                time.sleep(delay)
                log("cut %d: power cut %.1f s after the display restarted to sync version %d"
                    % (i + 1, delay, n))
            g.power_cut()
        env.result("powercut: %d cuts (%d during USB, %d during network installs), the old "
                   "or the new version each time" % (env.a.cuts, kinds["usb"],
                                                     kinds["network"]), not bad,
                   "%d old, %d new%s" % (outcomes["old"], outcomes["new"],
                                         "; " + "; ".join(bad) if bad else ""))
        env.figures.append("power cuts: %d (%d USB, %d network), afterwards %d times the old "
                           "version, %d times the new one, %d broken"
                           % (env.a.cuts, kinds["usb"], kinds["network"], outcomes["old"],
                              outcomes["new"], len(bad)))
    finally:
        g.shutdown()
        nginx.stop()


def guest_time(g):
    return g.check("TZ=Europe/Berlin date +%Y-%m-%dT%H:%M").strip().splitlines()[-1]


def journal(g, unit="litfass", n=6):
    rc, out = g.run("journalctl -b -u %s --no-pager -o cat | tail -%d" % (unit, n))
    return out.strip().replace("\n", " | ")


def degraded(env):
    """Scenario 4: a board whose network never comes up, one without a GPU, a hung
    display, a deleted state directory, and a clock set years back with no network."""
    # (a) network-online.target held back for 120 s (as NetworkManager-wait-online does
    # on a board without a network): the first frame must not wait for it
    g = env.guest(installed_overlay(env, "offline"))
    try:
        g.boot()
        g.check(GUEST_ENV)
        g.check("printf '[Unit]\\nDefaultDependencies=no\\nBefore=network-online.target\\n"
                "[Service]\\nType=oneshot\\nExecStart=/bin/sleep 120\\n[Install]\\n"
                "WantedBy=network-online.target\\n' >/etc/systemd/system/slow-online.service "
                "&& systemctl enable slow-online.service && sync")
        g.shutdown()
        g.boot()
        g.check(GUEST_ENV)
        ok = wait_active(g, 150)
        t = first_frame_s(g) if ok else None
        online = g.check("systemctl show network-online.target "
                         "-p ActiveEnterTimestampMonotonic --value").strip()
        online_s = int(online) / 1e6 if online.isdigit() else 0
        env.result("degraded: no network, first frame not held back by network-online.target",
                   ok and (online_s == 0 or t < online_s),
                   "first frame %s s after kernel start, network-online.target %s"
                   % ("%.1f" % t if t else "never",
                      "%.1f s" % online_s if online_s else "not reached"))
        # (b) the display hung: the watchdog ends it and systemd starts it again
        pid = g.check("systemctl show litfass -p MainPID --value").strip()
        g.check("kill -STOP %s" % pid)
        t0 = time.monotonic()
        back = False
        while time.monotonic() - t0 < 180:
            time.sleep(5)
            newpid = g.check("systemctl show litfass -p MainPID --value").strip()
            rc, st = g.run("systemctl is-active litfass")
            if newpid not in ("0", pid) and st.strip() == "active":
                back = True
                break
        took = time.monotonic() - t0
        page = env.wait_for_page(g, env.default_db, "stopped", timeout=90) if back else None
        env.result("degraded: a hung display (kill -STOP) is restarted by the watchdog",
                   back and page is not None,
                   "back after %.0f s (WatchdogSec=90), screen shows %s" % (took, page))
        # (c) the state directory deleted: the default content comes back
        g.check("systemctl stop litfass && rm -rf /var/lib/litfass && systemctl start litfass",
                120)
        page = env.wait_for_page(g, env.default_db, "nostate", timeout=120) \
            if wait_active(g) else None
        env.result("degraded: state directory deleted, default content shown",
                   page is not None, "screen shows %s; %s" % (page, journal(g, n=3)))
    finally:
        g.shutdown()
    # (d) no GPU: one clear line, then a quiet retry; no restart loop
    g = env.guest(installed_overlay(env, "nogpu"), gpu=False)
    try:
        g.boot()
        g.check(GUEST_ENV)
        time.sleep(75)
        n = g.check("systemctl show litfass -p NRestarts --value").strip()
        lines = g.check("journalctl -b -u litfass --no-pager -o cat | grep -c . || true").strip()
        rc, st = g.run("systemctl is-active litfass")
        env.result("degraded: no GPU, one clear log line and a slow retry, no restarts",
                   n == "0" and st.strip() == "active" and int(lines or 0) <= 12,
                   "NRestarts=%s, %s, %s journal lines: %s" % (n, st.strip(), lines,
                                                               journal(g, n=4)))
    finally:
        g.shutdown()
    # (e) the clock years back, no network: the board's clock is before the time the
    # display has already seen (its floor), so the screen makes no claims about now
    g = env.guest(installed_overlay(env, "oldclock"), rtc="2023-03-01T09:00:00")
    try:
        boot_active(env, g)
        now = guest_time(g)
        rc, out = g.run("journalctl -b -u litfass --no-pager -o cat | grep 'kiosk: clock'")
        ref = os.path.join(env.work, "ref-untrusted-%s" % now)
        if not os.path.isdir(ref):
            env.sh(os.path.join(env.a.host_build, "litfass"), "--db", env.default_db,
                   "--screenshot", ref, "--size", SIZE, "--now", now, "--clock-trust", "no",
                   "--font-dir", env.a.fonts, "--pages", "campaign",
                   env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
        page = None
        deadline = time.monotonic() + 90
        n = 0
        while page is None and time.monotonic() < deadline:
            n += 1
            shot = g.screendump(os.path.join(env.work, "oldclock-%d.ppm" % n))
            page = env.matches(shot, ref, pages=("campaign",))
            time.sleep(3)
        env.result("degraded: clock set years back, offline: not trusted, no claims about now",
                   "not trusted" in out and page is not None,
                   "guest time %s, %s, screen = untrusted campaign render: %s"
                   % (now, out.strip().splitlines()[-1] if out.strip() else "no log line",
                      page is not None))
    finally:
        g.shutdown()


def idle(env):
    """Scenario 5: the service on a static page (campaign only) on KMSDRM in the guest:
    CPU time and wake-ups per minute over all its threads, and its PSS."""
    g = env.guest(installed_overlay(env, "idle"))
    try:
        g.boot()
        g.check(GUEST_ENV)
        g.check("mkdir -p /etc/systemd/system/litfass.service.d && printf '[Service]\\n"
                "ExecStart=\\nExecStart=/usr/bin/litfass --config /etc/litfass/litfass.conf "
                "--fullscreen --pages campaign\\n' "
                ">/etc/systemd/system/litfass.service.d/static.conf && systemctl daemon-reload "
                "&& systemctl restart litfass")
        if not wait_active(g):
            raise RuntimeError("litfass not active")
        time.sleep(30)  # past the first frames and the first minute change
        probe = ("p=$(systemctl show litfass -p MainPID --value); "
                 "w=0; for t in /proc/$p/task/*; do "
                 "w=$((w + $(awk '/ctxt_switches/ {s+=$2} END {print s}' $t/status))); done; "
                 "c=$(awk '{print $14 + $15}' /proc/$p/stat); "
                 "echo $p $w $c $(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup)")
        a = g.check(probe).split()
        time.sleep(60)
        b = g.check(probe).split()
        if a[0] != b[0]:
            raise RuntimeError("the service restarted while being measured")
        wake = int(b[1]) - int(a[1])
        ticks = int(b[2]) - int(a[2])
        pss = int(b[3]) / 1024
        env.figures.append("idle on KMSDRM in the VM (static campaign page, 60 s, all threads):"
                           " %d wake-ups/min, %.2f s CPU/min (%s), PSS %.0f MiB"
                           % (wake, ticks / 100, g.accel_used, pss))
        env.result("idle: measured on a static page", True,
                   "%d wake-ups/min, %.2f s CPU/min, PSS %.0f MiB" % (wake, ticks / 100, pss))
    finally:
        g.shutdown()


SCENARIOS = [("install", install), ("usb", usb), ("powercut", powercut),
             ("degraded", degraded), ("idle", idle)]


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
    ap.add_argument("--arch", default="amd64", choices=("amd64", "arm64"))
    a = ap.parse_args()
    global SLOW
    SLOW = 4 if a.arch == "arm64" else 1
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
    env.figures.append("boots that reached no shell and were booted again (an emulator "
                       "that hung; the console's last lines are above): %d" % Guest.retries)
    for f in env.figures:
        log("figure: " + f)
    passed = sum(1 for _, ok in env.results if ok)
    failed = len(env.results) - passed
    log("%d passed, %d failed (%.0f s)" % (passed, failed, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
