#!/bin/sh
# Self-test of scripts/layers on fixture objects, independent of the real tree.
#
#   sh selftest.sh ROOT WORKDIR CC LAYERS [ARG...]
#
# ROOT is this folder: clean/ holds a small tree in the real layer folders whose arrows all point
# down (and a generated plots_embedded.c), forbidden/ adds phy/config.c calling a presets function,
# cycle/ adds phy/link/link.c <-> link_analysis.c. Each file is compiled once with `CC -c`; every
# case then lays out a fake CMake build tree in WORKDIR/CASE (CMakeFiles/lanesim.dir/..., cli/ and
# plots/ in CMakeFiles/lanesim_cli.dir/, a CMakeCache.txt naming the case's source tree) and runs
# LAYERS [ARG...] on it (e.g. python3 scripts/layers), checking the exit status and the output.
set -eu
[ $# -ge 4 ] || { echo "usage: selftest.sh ROOT WORKDIR CC LAYERS [ARG...]" >&2; exit 2; }
root=$(cd "$1" && pwd); work=$2; cc=$3; shift 3
rm -rf "$work"; mkdir -p "$work/obj"
work=$(cd "$work" && pwd)
fails=0

# compile every fixture file once: obj/OVERLAY/PATH.o
for f in $(cd "$root" && find clean forbidden cycle -name '*.c' | sort); do
    mkdir -p "$work/obj/$(dirname "$f")"
    "$cc" -std=c11 -c -o "$work/obj/$f.o" "$root/$f"
done

# tree CASE OVERLAY...: the fake build tree WORKDIR/CASE/build of the overlays' files (sources in CASE/src)
tree() {
    case_dir=$work/$1; shift
    mkdir -p "$case_dir/src" "$case_dir/build"
    printf 'CMAKE_HOME_DIRECTORY:INTERNAL=%s\n' "$case_dir/src" >"$case_dir/build/CMakeCache.txt"
    for o in "$@"; do
        for f in $(cd "$root/$o" && find . -name '*.c' | sed 's|^\./||'); do
            case $f in
                plots_embedded.c) t=lanesim_cli; cp "$root/$o/$f" "$case_dir/build/$f" ;;
                cli/*|plots/*) t=lanesim_cli ;;
                *) t=lanesim ;;
            esac
            if [ "$f" != plots_embedded.c ]; then
                mkdir -p "$case_dir/src/$(dirname "$f")"; cp "$root/$o/$f" "$case_dir/src/$f"
            fi
            obj=$case_dir/build/CMakeFiles/$t.dir/$f.o
            mkdir -p "$(dirname "$obj")"; cp "$work/obj/$o/$f.o" "$obj"
        done
    done
}

# expect NAME STATUS PATTERN|- -- LAYERS-ARGS...: run the check, compare status, grep -F the pattern
expect() {
    name=$1; want=$2; pat=$3; shift 4
    set +e; "$@" >"$work/$name.out" 2>&1; got=$?; set -e
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"; sed 's/^/    /' "$work/$name.out"; fails=$((fails + 1))
    elif [ "$pat" != - ] && ! grep -qF -- "$pat" "$work/$name.out"; then
        echo "FAIL $name: no '$pat' in the output"; sed 's/^/    /' "$work/$name.out"; fails=$((fails + 1))
    else
        echo "ok   $name"
    fi
}

: >"$work/empty.allow"
tree clean clean
tree forbidden clean forbidden
tree cycle clean cycle
tree both clean forbidden cycle
tree stale_obj clean forbidden
rm "$work/stale_obj/src/phy/config.c"
printf '# known\nphy/config.c channels/presets/presets.c  # fx_preset_find\ncycle phy/link/link_analysis.c phy/link/link.c\n' \
    >"$work/known.allow"
printf 'phy/config.c channels/presets/presets.c\ncycle phy/link/link.c\n' >"$work/bad.allow"

A="--allow $work/empty.allow"
expect clean 0 '9 files, 11 edges, 0 violations' -- "$@" $A "$work/clean/build"
expect clean_strict 0 '0 violations' -- "$@" --strict $A "$work/clean/build"
expect forbidden 1 'layers: forbidden phy -> presets: phy/config.c -> channels/presets/presets.c (fx_preset_find)' \
    -- "$@" $A "$work/forbidden/build"
expect cycle 1 'layers: cycle: phy/link/link.c -> phy/link/link_analysis.c (fx_link_solve) -> phy/link/link.c (fx_link_convolve)' \
    -- "$@" $A "$work/cycle/build"
expect allowed 0 'layers: allowed (known.allow:2): forbidden phy -> presets: phy/config.c' \
    -- "$@" --allow "$work/known.allow" "$work/both/build"
expect allowed_cycle 0 'layers: allowed (known.allow:3): cycle: phy/link/link.c' \
    -- "$@" --allow "$work/known.allow" "$work/both/build"
expect strict_ignores_allowlist 1 'layers: forbidden phy -> presets' -- "$@" --strict --allow "$work/known.allow" "$work/both/build"
expect stale 0 'stale allowlist entry (known.allow:2): phy/config.c channels/presets/presets.c' \
    -- "$@" --allow "$work/known.allow" "$work/clean/build"
expect stale_strict 1 'stale allowlist entry (known.allow:3): cycle phy/link/link.c phy/link/link_analysis.c' \
    -- "$@" --strict --allow "$work/known.allow" "$work/clean/build"
expect stale_object 0 'no longer exists (stale object)' -- "$@" $A "$work/stale_obj/build"
expect bad_option 2 'unknown option' -- "$@" --bogus "$work/clean/build"
expect no_build_dir 2 'no BUILD_DIR' -- "$@"
expect missing_build_dir 2 'no build directory' -- "$@" $A "$work/nonexistent"
expect no_objects 2 'no objects' -- "$@" $A "$work/obj"
expect missing_allowlist 2 'no allowlist' -- "$@" --allow "$work/nonexistent.allow" "$work/clean/build"
expect bad_allowlist 2 'bad.allow:2' -- "$@" --allow "$work/bad.allow" "$work/clean/build"

if [ "$fails" -ne 0 ]; then echo "layers selftest: $fails case(s) failed (outputs in $work)"; exit 1; fi
echo "layers selftest: all cases passed"
rm -rf "$work"
