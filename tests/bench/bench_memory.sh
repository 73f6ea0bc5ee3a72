#!/usr/bin/env bash
# bench_memory.sh BUILD_DIR: resident memory of the display on one static page (the campaign
# page, fullscreen under Xvfb) against the floor of an empty SDL window with the same renderer
# at the same size (tests/bench/empty_window.c), at 1920x1080 and 3840x2160, measured in the
# same run. RSS and PSS from /proc/PID/smaps_rollup after the page settled. Beside the floor
# it shows the same window after drawing one small texture (empty_window --texture): what the
# renderer itself adds once anything is drawn (under Mesa's llvmpipe the pages of LLVM that
# compile the shaders, about 17 MiB), which every SDL program that shows something pays.
# Prints numbers; never fails on a size.
set -euo pipefail
build=${1:?build dir}
db="$build/content.litfass" # toolchain/dev builds it; a plain CMake build has the default
[ -f "$db" ] || db="$build/default.litfass"
settle=${2:-8}

mem() { # pid -> "rss_kib pss_kib"
    awk '/^Rss:/ {r = $2} /^Pss:/ {p = $2} END {print r + 0, p + 0}' "/proc/$1/smaps_rollup"
}

line() { # label rss_kib pss_kib
    awk -v l="$1" -v r="$2" -v p="$3" \
        'BEGIN { printf "  %-34s RSS %6.1f MiB  PSS %6.1f MiB\n", l, r / 1024, p / 1024 }'
}

run() { # label, command... -> prints and sets RSS PSS
    "${@:2}" >/dev/null 2>&1 &
    local pid=$!
    sleep "$settle"
    read -r RSS PSS < <(mem "$pid")
    HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    line "$1" "$RSS" "$PSS"
}

if ! command -v Xvfb >/dev/null; then
    echo "bench_memory: Xvfb not installed, skipping"
    exit 0
fi
for size in 1920x1080 3840x2160; do
    Xvfb :96 -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    if ! kill -0 "$xvfb" 2>/dev/null; then
        echo "bench_memory: Xvfb :96 did not start at $size (display in use?)"
        exit 1
    fi
    echo "memory at $size (Xvfb, fullscreen, after ${settle} s):"
    export DISPLAY=:96
    run "empty SDL window (the floor)" "$build/tests/empty_window"
    floor_rss=$RSS floor_pss=$PSS
    run "SDL window, one texture drawn" "$build/tests/empty_window" --texture
    drawn_rss=$RSS drawn_pss=$PSS
    run "litfass, campaign page" "$build/litfass" --db "$db" --fullscreen --pages campaign
    line "litfass above the floor" "$((RSS - floor_rss))" "$((PSS - floor_pss))"
    line "litfass above the drawn window" "$((RSS - drawn_rss))" "$((PSS - drawn_pss))"
    # every page shown at least once (3 s each) before the figure is read
    settle=$((settle + 10)) run "litfass, rotation at 3 s a page" "$build/litfass" --db "$db" \
        --fullscreen --page-seconds 3
    line "rotation above the floor" "$((RSS - floor_rss))" "$((PSS - floor_pss))"
    awk -v h="$HWM" -v f="$floor_rss" 'BEGIN { printf "  %-34s RSS %6.1f MiB (peak)\n",
        "rotation at its peak, above floor", (h - f) / 1024 }'
    unset DISPLAY
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
done
