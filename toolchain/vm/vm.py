"""The virtual board: one QEMU guest booted from toolchain/vm/image's disk.

Owns the QEMU process, its monitor (HMP over a unix socket) and the root shell on the
guest's second serial port (ttyS1, autologin). The kernel console (ttyS0) goes to a log
file. Killing the process is the power cut. Used by tests/system/system_test.py.
"""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time


_kvm_failed = False  # once KVM gave no kernel output, the later boots go straight to TCG


def sock_dir(run_dir):
    """The short folder for RUN_DIR's sockets, named in RUN_DIR/sockets (made once)."""
    note = os.path.join(run_dir, "sockets")
    if os.path.exists(note):
        d = open(note).read().strip()
        if os.path.isdir(d):
            return d
    d = tempfile.mkdtemp(prefix="litfass-vm-")
    with open(note, "w") as f:
        f.write(d + "\n")
    return d


def kvm_usable():
    return not _kvm_failed and os.access("/dev/kvm", os.R_OK | os.W_OK)


class Guest:
    def __init__(self, image_dir, run_dir, disk, payload=None, accel="auto", mem=1536,
                 rtc=None, nic=False, gpu=True, arch="amd64", log=print):
        self.image_dir, self.run_dir, self.disk = image_dir, run_dir, disk
        self.arch = arch
        self.payload, self.accel, self.mem, self.rtc, self.nic = payload, accel, mem, rtc, nic
        self.gpu = gpu
        # the sockets live in a short folder of their own: a unix socket's path has at most
        # 107 bytes, and the run folder may be deep (CI runs from a 198-character path)
        self.sock_dir = sock_dir(run_dir)
        self.log = log
        self.proc = None
        self.mon = None
        self.sh = None
        self.boots = 0

    # --- life cycle -------------------------------------------------------------------
    def _cmd(self, accel):
        d = self.run_dir
        shell = "socket,id=shell,path=%s,server=on,wait=off" % os.path.join(self.sock_dir,
                                                                          "shell.sock")
        if self.arch == "arm64":
            # QEMU's arm board: one UART (the kernel console), the shell on a virtio console
            cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72"]
            console, extra = "ttyAMA0", ["-device", "virtio-serial-pci", "-chardev", shell,
                                         "-device", "virtconsole,chardev=shell"]
        else:
            cmd = ["qemu-system-x86_64", "-vga", "none"]
            console, extra = "ttyS0", ["-chardev", shell, "-serial", "chardev:shell"]
        cmd += ["-m", str(self.mem), "-smp", "2",
                "-kernel", os.path.join(self.image_dir, "vmlinuz"),
                "-initrd", os.path.join(self.image_dir, "initrd.img"),
                "-append", "root=/dev/vda rw console=%s loglevel=5 "
                           "systemd.show_status=0" % console,
                "-drive", "file=%s,if=virtio,format=qcow2" % self.disk,
                "-display", "none",
                "-device", "qemu-xhci,id=xhci",
                "-serial", "file:%s" % os.path.join(d, "console-%d.log" % self.boots)] + extra + [
                "-monitor", "unix:%s,server=on,wait=off" % os.path.join(self.sock_dir, "mon.sock")]
        if self.gpu:
            cmd += ["-device", "virtio-gpu-pci"]
        if self.payload:
            cmd += ["-drive", "file=%s,if=virtio,format=raw,readonly=on" % self.payload]
        # the user network: the guest reaches the host's loopback at 10.0.2.2
        cmd += ["-nic", "user,model=virtio-net-pci" if self.nic else "none"]
        if self.rtc:
            cmd += ["-rtc", "base=%s,clock=vm" % self.rtc]
        if self.arch == "arm64":
            cmd += ["-accel", "tcg,thread=multi"]
        elif accel == "kvm":
            cmd += ["-accel", "kvm", "-cpu", "host"]
        else:
            # Not "-cpu max": QEMU 7.2's TCG emulates AVX2 wrongly enough that Mesa's
            # llvmpipe (the guest's GL without a GPU) faulted in a vpgatherdd of its
            # vertex fetch, at base + 0x80000000 (core dump of the USB scenario, 2026-11-27).
            # A CPU without AVX makes LLVM use SSE4.2, which TCG gets right.
            cmd += ["-accel", "tcg,thread=multi", "-cpu", "Nehalem"]
        return cmd

    # what a guest that stopped for a person at its console prints: a failed boot of
    # the board itself, never retried
    RESCUE = re.compile(r"emergency mode|\(initramfs\)|Give root password|"
                        r"RUN fsck MANUALLY|Kernel panic", re.I)

    def console_tail(self, lines=25):
        """The last LINES of the kernel console of the latest boot, printable ASCII only."""
        log = os.path.join(self.run_dir, "console-%d.log" % (self.boots - 1))
        try:
            with open(log, "rb") as f:
                f.seek(max(0, os.path.getsize(log) - 16384))
                text = f.read().decode("ascii", "replace")
        except OSError:
            return []
        text = re.sub(r"[^\x20-\x7e\n]", "?", text.replace("\r", ""))
        return [l for l in text.splitlines() if l.strip()][-lines:]

    def boot(self, timeout=240):
        """Starts QEMU and waits for the root shell; KVM when it works, else TCG.

        A TCG guest that neither reached its shell nor stopped at a rescue prompt is an
        emulator that hung (seen once in 400 boots on a loaded 2-core host: cut 15 of CI's
        run of 2026-11-27): it is booted once more, and both the console's last lines and
        the retry are printed. A guest at a rescue prompt fails at once."""
        if self.arch != "amd64":
            timeout *= 4  # an emulated foreign CPU
        order = ["kvm", "tcg"] if self.accel == "auto" and kvm_usable() and \
            self.arch == "amd64" else \
            ["tcg"] if self.accel == "auto" else [self.accel]
        order = order + [order[-1]]  # one more try of the last accelerator
        for n, accel in enumerate(order):
            t0 = time.monotonic()
            for f in ("shell.sock", "mon.sock"):
                try:
                    os.unlink(os.path.join(self.sock_dir, f))
                except FileNotFoundError:
                    pass
            self.proc = subprocess.Popen(self._cmd(accel), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL,
                                         stderr=open(os.path.join(self.run_dir, "qemu.err"), "a"))
            self.boots += 1
            try:
                if accel == "kvm" and "tcg" in order:
                    # KVM here has also printed a kernel log and then hung: it gets a
                    # minute for the shell (TCG needs about 30 s), then TCG takes over
                    self._kernel_speaks(20)
                    self._connect(60)
                else:
                    self._connect(timeout)
                self.accel_used = accel
                self.log("vm: booted with %s, shell after %.0f s" % (accel, time.monotonic() - t0))
                return
            except Exception as e:
                global _kvm_failed
                if accel == "kvm":
                    _kvm_failed = True
                self.log("vm: no shell with %s (%s)" % (accel, e))
                tail = self.console_tail()
                self.power_cut()
                if accel != "kvm":
                    Guest.retries += 1
                    self.log("vm: the console's last lines:\n    " + "\n    ".join(tail))
                    rescue = [l for l in tail if self.RESCUE.search(l)]
                    if rescue:
                        raise RuntimeError("the guest stopped at a rescue prompt: %s"
                                           % rescue[-1].strip())
                if n + 1 < len(order):
                    self.log("vm: booting again with %s" % order[n + 1])
        raise RuntimeError("the guest did not boot")

    def _kernel_speaks(self, timeout):
        """A working KVM has the kernel print within seconds; here it once printed nothing."""
        log = os.path.join(self.run_dir, "console-%d.log" % (self.boots - 1))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("qemu exited with %d" % self.proc.returncode)
            if os.path.exists(log) and os.path.getsize(log) > 0:
                return
            time.sleep(0.5)
        raise RuntimeError("no kernel output within %d s" % timeout)

    def _connect(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("qemu exited with %d" % self.proc.returncode)
            try:
                self.mon = socket.socket(socket.AF_UNIX)
                self.mon.connect(os.path.join(self.sock_dir, "mon.sock"))
                self.sh = socket.socket(socket.AF_UNIX)
                self.sh.connect(os.path.join(self.sock_dir, "shell.sock"))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("no sockets")
                time.sleep(0.2)
        self._mon_read()
        # the shell answers once agetty logged root in
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("no shell prompt within %d s" % timeout)
            try:
                self.sh.sendall(b"\n")
                self.run("stty -echo; export PS1='# ' PS2='' TERM=dumb; echo up", timeout=min(10, left))
                return
            except TimeoutError:
                continue

    def power_cut(self):
        """Kills QEMU: the guest loses what it had not written to its disk."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        for s in (self.mon, self.sh):
            if s:
                s.close()
        self.mon = self.sh = None

    def shutdown(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.monitor("quit")
            except OSError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        self.power_cut()

    # --- the root shell ---------------------------------------------------------------
    _n = 0
    retries = 0  # boots of all guests that reached no shell (KVM's fallback not counted)

    def run(self, command, timeout=60):
        """Runs COMMAND in the guest's root shell; returns (status, output)."""
        Guest._n += 1
        tag = "@@%d@%d@@" % (os.getpid(), Guest._n)
        line = "{ %s\n} 2>&1; echo \"%s $?\"\n" % (command, tag)
        self.sh.settimeout(1)
        # drop what came before
        try:
            while self.sh.recv(65536):
                pass
        except (socket.timeout, BlockingIOError):
            pass
        self.sh.sendall(line.encode())
        buf = b""
        deadline = time.monotonic() + timeout
        pat = re.compile(re.escape(tag.encode()) + rb" (\d+)\r?\n")
        while True:
            m = None
            for m in pat.finditer(buf):
                pass
            if m:
                out = buf[:m.start()].decode(errors="replace")
                return int(m.group(1)), out.replace("\r", "")
            if time.monotonic() > deadline:
                raise TimeoutError("guest command timed out: %s" % command)
            try:
                chunk = self.sh.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise OSError("guest shell closed")
            buf += chunk

    def check(self, command, timeout=60):
        rc, out = self.run(command, timeout)
        if rc != 0:
            raise RuntimeError("guest: `%s` failed (%d): %s" % (command, rc, out.strip()[-800:]))
        return out

    # --- the monitor ------------------------------------------------------------------
    def _mon_read(self, timeout=10):
        self.mon.settimeout(timeout)
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.mon.recv(65536)
            if not chunk:
                raise OSError("monitor closed")
            buf += chunk
        return buf.decode(errors="replace")

    def monitor(self, command, timeout=30):
        self.mon.sendall(command.encode() + b"\n")
        return self._mon_read(timeout)

    def screendump(self, path):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        self.monitor("screendump %s" % path)
        for _ in range(50):
            if os.path.exists(path) and os.path.getsize(path) > 0:
                return path
            time.sleep(0.1)
        raise RuntimeError("no screendump")


def attach(run_dir):
    """Connects to a guest that is already running (for poking at it by hand)."""
    g = Guest(None, run_dir, None)
    g.mon = socket.socket(socket.AF_UNIX)
    g.mon.connect(os.path.join(sock_dir(run_dir), "mon.sock"))
    g._mon_read()
    g.sh = socket.socket(socket.AF_UNIX)
    g.sh.connect(os.path.join(sock_dir(run_dir), "shell.sock"))
    return g
