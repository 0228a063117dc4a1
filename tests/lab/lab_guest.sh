#!/usr/bin/env bash
# lab_guest.sh - inside the lab VM: run the named scenarios, each in a fresh
# topology (its own namespaces and charons), and leave for the host, under
# $LAB_OUT/results/NAME/: log (the scenario's checks), rc, seconds, and its
# evidence (wire.txt, charon logs, XFRM and nft state).
# The scenarios run one after another, except those whose header has the
# line "# lab: alongside": they mostly wait (for lifetimes to run out), so
# each starts at once and runs beside the others. Every scenario has a mount
# namespace of its own with fresh /run/netns and /tmp, so two of them can
# both name their namespaces gw, win, ... and keep charons in /tmp.
# usage (from the job vm_run.sh runs): lab_guest.sh NAME...
# env: LAB_WINIPSEC, LAB_PROBE (guest paths of the binaries), LAB_OUT.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
results=$LAB_OUT/results
mkdir -p "$results"

# Modules loaded up front: autoloading one mid-scenario (modprobe over 9p,
# the crypto self-tests, all emulated) took 20 s for 3DES, long enough for
# quick mode to time out and start over. A throw-away SA with the cipher
# suite the scenarios negotiate (ESP[3DES,SHA1], what Windows 2003 offers
# first) makes the kernel load exactly what ESP will ask for.
warm_start=$(date +%s.%N)
modprobe -qa esp4 xfrm_user xfrm4_tunnel veth bridge dummy nf_tables nft_ct nf_conntrack nf_defrag_ipv4 2> /dev/null
ip netns add lab-warm-up
ip -n lab-warm-up xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 mode transport \
    enc 'cbc(des3_ede)' "0x$(printf '%048d' 1)" auth-trunc 'hmac(sha1)' "0x$(printf '%040d' 1)" 96 ||
    echo "lab: the kernel refused ESP with 3DES and SHA-1"
ip netns delete lab-warm-up
echo "LAB-WARM-UP $(awk -v a="$warm_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

# A scenario runs in a mount namespace of its own (unshare -m), where fresh
# tmpfs on /run/netns and /tmp hold its namespace names and charon
# directories; whatever a failed scenario left behind goes with it.
mkdir -p /run/netns
in_own_mounts='mount -t tmpfs lab-netns /run/netns && mount -t tmpfs lab-tmp /tmp || exit 2
bash "$1"
rc=$?
ip -all netns delete 2> /dev/null
exit $rc'

run_scenario() {
    local name=$1 dir=$results/$1 start=${EPOCHREALTIME/./} rc tenths
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "LAB-SCENARIO $name start"
    if [ -f "$here/scenarios/$name.sh" ]; then
        LAB_RESULT=$dir timeout -k 5 240 unshare -m --propagation private \
            bash -c "$in_own_mounts" lab-scenario "$here/scenarios/$name.sh" > "$dir/log" 2>&1
        rc=$?
        [ $rc = 124 ] && echo "not ok - the scenario ran out of time (240 s)" >> "$dir/log"
    else
        echo "no scenario named $name (tests/lab/scenarios/$name.sh)" > "$dir/log"
        rc=2
    fi
    tenths=$(((${EPOCHREALTIME/./} - start) / 100000))
    echo "$((tenths / 10)).$((tenths % 10))" > "$dir/seconds"
    echo "$rc" > "$dir/rc"
    echo "LAB-SCENARIO $name rc=$rc $((tenths / 10)).$((tenths % 10)) s"
}

in_turn=()
for name in "$@"; do
    if grep -qx '# lab: alongside.*' "$here/scenarios/$name.sh" 2> /dev/null; then
        run_scenario "$name" &
    else
        in_turn+=("$name")
    fi
done
for name in "${in_turn[@]}"; do run_scenario "$name"; done
wait
exit 0
