#!/usr/bin/env bash
# check_deps_test.sh CHECK_DEPS: toolchain/check-deps refuses the trees it must refuse
# (a made-up app/ each time) and accepts one in order. Prints "N passed, N failed".
set -uo pipefail
check=${1:?usage: check_deps_test.sh toolchain/check-deps}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

expect() { # rc want-regex name -- args
    local want_rc=$1 want=$2 name=$3 out rc
    shift 4
    out=$("$check" "$@" 2>&1)
    rc=$?
    if [ $rc -eq "$want_rc" ] && grep -qE -- "$want" <<<"$out"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s: rc %s (want %s), output:\n%s\n' "$name" "$rc" "$want_rc" "$out"
    fi
}

tree() { # name: a fresh app/ with base/ and pages/
    rm -rf "${work:?}/$1"
    mkdir -p "$work/$1/app/base" "$work/$1/app/pages" "$work/$1/app/content"
    printf '#include "base/log.h"\n' >"$work/$1/app/base/log.c"
    printf '#pragma once\n' >"$work/$1/app/base/log.h"
    printf '#include "pages/page.h"\n#include "base/log.h"\n' >"$work/$1/app/pages/page.c"
    printf '#pragma once\n#include "base/log.h"\n#include <stdio.h>\n' >"$work/$1/app/pages/page.h"
}

tree good
expect 0 'no cycles' tree_in_order -- "$work/good/app"

tree cycle
printf '#pragma once\n#include "pages/page.h"\n' >"$work/cycle/app/pages/flow.h"
printf '#pragma once\n#include "pages/flow.h"\n' >"$work/cycle/app/pages/page.h"
expect 1 'cycle between modules' include_cycle -- "$work/cycle/app"

tree upward
printf '#pragma once\n#include "pages/page.h"\n' >"$work/upward/app/base/log.h"
expect 1 'base/log.h includes pages/page.h' lower_stage_includes_higher -- "$work/upward/app"

tree sibling
printf '#pragma once\n' >"$work/sibling/app/content/build.h"
mkdir -p "$work/sibling/app/delivery"
printf '#include "content/build.h"\n' >"$work/sibling/app/delivery/bundle.c"
expect 1 'delivery stage may only include' sibling_stages -- "$work/sibling/app"

tree stray
mkdir -p "$work/stray/app/misc"
printf 'int x;\n' >"$work/stray/app/misc/x.c"
expect 1 'no stage' folder_not_a_stage -- "$work/stray/app"

tree bare
printf '#include "log.h"\n' >"$work/bare/app/base/log.c"
expect 1 'without its stage' include_without_stage -- "$work/bare/app"

# two files calling each other through one header: invisible to includes, seen in the objects
tree calls
a=$work/calls/app/content
printf '#pragma once\nint a(int);\nint b(int);\n' >"$a/build.h"
printf '#include "content/build.h"\nint a(int x) { return x ? b(x - 1) : 0; }\n' >"$a/build.c"
printf '#include "content/build.h"\nint b(int x) { return x ? a(x - 1) : 1; }\n' >"$a/sched.c"
objs=$work/calls/build/CMakeFiles/litfass_content.dir/app/content
mkdir -p "$objs"
for f in build sched; do
    cc -c -I "$work/calls/app" "$a/$f.c" -o "$objs/$f.c.o"
done
expect 0 'no cycles' call_cycle_unseen_without_objects -- "$work/calls/app"
expect 1 'calls between compiled files' call_cycle_in_objects -- --objects "$work/calls/build" "$work/calls/app"

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
