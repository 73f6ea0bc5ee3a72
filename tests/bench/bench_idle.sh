#!/usr/bin/env bash
# bench_idle.sh BUILD_DIR [SECONDS]: CPU time and wake-ups of the display showing a
# static page (the campaign page alone, so nothing changes but the footer's minute), in a
# real X window (Xvfb) and with SDL's dummy driver (the path without a wait primitive that
# KMSDRM also takes), with the clock trusted so that the minute is redrawn. Wake-ups are the voluntary context switches of all the process's
# threads (the display loop, the raster thread, the USB watcher). Prints numbers; never
# fails on a timing.
set -euo pipefail
build=${1:?build dir}
secs=${2:-60}
db="$build/content.litfass"

stats() { # pid -> "cpu_ticks voluntary_switches" (all threads)
    local ticks vol
    ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
    vol=$(cat /proc/"$1"/task/*/status 2>/dev/null |
          awk '/^voluntary_ctxt_switches/ {n += $2} END {print n + 0}')
    echo "$ticks $vol"
}

measure() { # label, then the command; start-up (first 5 s) is reported apart
    local label=$1
    shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep 5
    local t0 v0 t1 v1
    read -r t0 v0 < <(stats "$pid")
    sleep "$secs"
    read -r t1 v1 < <(stats "$pid")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    awk -v l="$label" -v a="$t0" -v b="$t1" -v t="$(getconf CLK_TCK)" -v n="$secs" \
        -v w="$((v1 - v0))" \
        'BEGIN { printf "%-28s start-up cpu %5.2f s | next %d s: cpu %5.2f s (%.3f%%), %d wake-ups\n", l, a/t, n, (b-a)/t, 100*(b-a)/t/n, w }'
}

if command -v Xvfb >/dev/null; then
    Xvfb :97 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    DISPLAY=:97 measure "x11 window 1920x1080" "$build/litfass" --db "$db" --fullscreen \
        --pages campaign --clock-trust yes
    kill "$xvfb"
else
    echo "bench_idle: Xvfb not installed, skipping the X11 measurement"
fi
SDL_VIDEODRIVER=dummy measure "dummy driver (KMSDRM's path)" "$build/litfass" --db "$db" \
    --window 1920x1080 --pages campaign --clock-trust yes
