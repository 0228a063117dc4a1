#!/usr/bin/env bash
# Kernel back-end benchmark (issue 4), side by side in one run, as root:
#  1. apply time: `winipsec apply` of generated blocklists (10, 1 000, 10 000,
#     100 000 mirrored block filters src X/24 <-> me) against `nft -f` of the
#     same ruleset text (`winipsec translate --target nft`), each into a fresh
#     namespace; ratio = apply / nft -f (target <= 1.0; apply also parses and
#     plans the Windows text, nft -f only loads), in wall and in CPU seconds,
#     with the CPU seconds of `translate --target nft` (the part of apply that
#     is not kernel work);
#  2. packet rate: UDP datagrams/s sent from the policy namespace to a
#     non-matching peer (static neighbour, no ARP), with the 100 000-filter
#     policy vs the 10-filter one; ratio = rate(100 000) / rate(10) (target >= 0.85).
# Usage: bench/kernel_bench.sh [BUILD_DIR]   (default: build)
set -euo pipefail
shopt -s inherit_errexit  # a failed apply or nft -f inside $(...) stops the run
cd "$(dirname "$0")/.."
build=${1:-build}
winipsec=$PWD/$build/src/cli/winipsec
probe=$PWD/$build/tests/tools/packet_probe
[ "$(id -u)" -eq 0 ] || { echo "kernel_bench: needs root" >&2; exit 1; }
tmp=$(mktemp -d)
ns=wi-bench-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

generate() {  # N FILE: N mirrored block filters, distinct /24s from 10.0.0.0 up
  python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write('netsh ipsec static add policy name="bench" activatedefaultrule=no\n')
    f.write('netsh ipsec static add filteraction name="Block" action=block\n')
    for i in range(n):
        a = (10 << 24) + (i << 8)
        f.write(f'netsh ipsec static add filter filterlist="bl" srcaddr={a>>24}.{(a>>16)&255}.{(a>>8)&255}.0 srcmask=24 dstaddr=me\n')
    f.write('netsh ipsec static add rule name="bl" policy="bench" filterlist="bl" filteraction="Block"\n')
    f.write('netsh ipsec static set policy name="bench" assign=yes\n')
PY
}

fresh_ns() {
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  ip -n "$ns" link add v0 type veth peer name v1
  ip -n "$ns" link set lo up; ip -n "$ns" link set v0 up; ip -n "$ns" link set v1 up
  ip -n "$ns" addr add 192.0.2.2/24 dev v0
  ip -n "$ns" route add 203.0.113.0/24 dev v0
  ip -n "$ns" neigh add 203.0.113.1 lladdr 02:00:00:00:00:01 dev v0
}

measure() {  # COMMAND...: "WALL CPU" seconds (CPU = user + sys, children included)
  local TIMEFORMAT='%R %U %S' times wall user sys
  times=$( { time "$@" >/dev/null 2>"$tmp/err"; } 2>&1 ) ||
    { cat "$tmp/err" >&2; echo "kernel_bench: failed: $*" >&2; return 1; }
  read -r wall user sys <<<"$times"
  echo "$wall $(echo "$user + $sys" | bc -l)"
}
ratio() { echo "$1 / $2" | bc -l; }

# Wall time is what a user waits; CPU time is steadier on a busy machine.
# translate = reading and planning the Windows text plus rendering the
# script, no kernel work: what apply spends before it talks to the kernel.
printf '%8s %9s %9s %6s %9s %9s %6s %13s\n' filters "apply s" "nft -f s" ratio \
  "apply cpu" "nft cpu" ratio "translate cpu"
for n in 10 1000 10000 100000; do
  generate "$n" "$tmp/p$n.bat"
  # (assignments, not `read <<<"$(...)"`: only they carry a failure to set -e)
  t=$(measure "$winipsec" translate --target nft --me 192.0.2.2 "$tmp/p$n.bat"); translate_cpu=${t#* }
  "$winipsec" translate --target nft --me 192.0.2.2 "$tmp/p$n.bat" >"$tmp/p$n.nft" 2>/dev/null
  fresh_ns
  t=$(measure ip netns exec "$ns" nft -f "$tmp/p$n.nft"); nft_wall=${t% *} nft_cpu=${t#* }
  fresh_ns
  t=$(measure ip netns exec "$ns" "$winipsec" apply --me 192.0.2.2 "$tmp/p$n.bat"); apply_wall=${t% *} apply_cpu=${t#* }
  printf '%8s %9.3f %9.3f %6.2f %9.3f %9.3f %6.2f %13.3f\n' "$n" "$apply_wall" "$nft_wall" \
    "$(ratio "$apply_wall" "$nft_wall")" "$apply_cpu" "$nft_cpu" "$(ratio "$apply_cpu" "$nft_cpu")" "$translate_cpu"
done

rate() {  # N: median of 3 floods of 200 000 datagrams with the N-filter policy applied
  fresh_ns
  ip netns exec "$ns" "$winipsec" apply --me 192.0.2.2 "$tmp/p$1.bat" >/dev/null
  for _ in 1 2 3; do ip netns exec "$ns" "$probe" flood udp 203.0.113.1 9 200000; done | sort -n | sed -n 2p
}
r10=$(rate 10)
r100k=$(rate 100000)
printf 'UDP packets/s through the output hook: 10 filters %s, 100000 filters %s, ratio %.2f\n' \
  "$r10" "$r100k" "$(ratio "$r100k" "$r10")"
