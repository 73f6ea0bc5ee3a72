#!/bin/sh
# cross_screenshots.sh EMULATOR... -- TARGET_LITFASS HOST_BUILD: renders every page with
# the cross-built litfass (under the emulator) and with the host build, and compares the
# pictures with the host's compare_png.
set -eu
emu=""
while [ "$1" != "--" ]; do emu="$emu $1"; shift; done
shift
target=$1
host=$2
out=$(mktemp -d)
"$host/litfassctl" build "$(dirname "$0")/../content" -o "$out/content.litfass" >/dev/null
pairs=""
for size in 1280x720 1080x1920; do
    for who in host target; do
        if [ $who = host ]; then bin="$host/litfass"; pre=""; else bin="$target"; pre="$emu"; fi
        $pre "$bin" --db "$out/content.litfass" --screenshot "$out/$who-$size" --size "$size" \
            --now 2021-06-01T15:20 --font-dir "$(dirname "$0")/../fonts" >/dev/null
    done
    for page in campaign map schedule; do
        pairs="$pairs $out/host-$size/$page.png $out/target-$size/$page.png"
    done
done
"$host/tests/compare_png" $pairs
