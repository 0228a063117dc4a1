#!/usr/bin/env bash
# meson_lab.sh - the lab as meson tests (suite 'lab'): the VM boots once for
# all scenarios, and each scenario is a test of its own that reports the
# result that run left.
#
#   meson_lab.sh vm RUN_DIR BUILD_DIR NAME...
#       test 'vm' (runs first: highest priority, not parallel): boots the VM,
#       runs every NAME, leaves RUN_DIR/results/NAME/. Passes when the VM ran
#       them all, whatever they found; 77 when the VM cannot run here.
#   meson_lab.sh scenario RUN_DIR BUILD_DIR NAME
#       test NAME: prints the scenario's checks and exits with its status.
#       The result is used once (moved to RUN_DIR/evidence/NAME), so a test
#       run on its own (`meson test NAME`) boots a VM for itself instead of
#       reporting an old result.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=$1 run=$2 build=$3
shift 3
mkdir -p "$run"

case $mode in
    vm)
        rm -rf "$run/results" "$run/evidence"
        # Within meson's timeout for this test (900 s), so qemu never outlives it.
        "$here/run_lab.sh" -b "$build" -o "$run" -t 860 "$@"
        rc=$?
        [ $rc = 77 ] && exit 77
        # Every scenario that ran has its rc; a missing one means the VM broke.
        for name in "$@"; do [ -f "$run/results/$name/rc" ] || exit 1; done
        exit 0
        ;;
    scenario)
        name=$1
        if [ ! -f "$run/results/$name/rc" ]; then
            echo "no result of the last VM run: booting one for $name alone"
            "$here/run_lab.sh" -b "$build" -o "$run" -t 280 "$name" > "$run/$name.runner.txt" 2>&1
            rc=$?
            if [ $rc = 77 ]; then
                grep 'cannot run' "$run/$name.runner.txt"
                exit 77
            fi
            [ -f "$run/results/$name/rc" ] || { cat "$run/$name.runner.txt"; exit 1; }
        fi
        mkdir -p "$run/evidence"
        rm -rf "${run:?}/evidence/$name"
        mv "$run/results/$name" "$run/evidence/$name"
        dir=$run/evidence/$name
        cat "$dir/log"
        echo "(${name}: $(cat "$dir/seconds") s in the VM; evidence in $dir)"
        exit "$(cat "$dir/rc")"
        ;;
    *)
        echo "usage: meson_lab.sh vm|scenario RUN_DIR BUILD_DIR NAME..." >&2
        exit 2
        ;;
esac
