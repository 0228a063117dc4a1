#!/usr/bin/env bash
# The main job on the bundled example, the KB 813878 policy that blocks SQL
# Slammer (UDP 1434) with two one-way ipseccmd filters:
#  1. `winipsec translate`: the filters as Windows' netdiag would list them
#     for a host whose address is 192.0.2.2;
#  2. a live lab: two network namespaces joined by a veth pair ("peer"
#     192.0.2.1, "win" 192.0.2.2), the policy applied in "win" with
#     `winipsec apply`, real packets sent both ways, and a table of what was
#     expected, what arrived and what winipsec's counters saw. The namespaces
#     are removed afterwards. Needs root (it skips the lab otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
winipsec_install_missing
winipsec_configure build
winipsec_compile build src/cli/winipsec tests/tools/packet_probe
winipsec=$PWD/build/src/cli/winipsec
probe=$PWD/build/tests/tools/packet_probe
example=policies/examples/kb813878-block-udp-1434.ipseccmd.bat

echo "\$ winipsec translate --me 192.0.2.2 $example"
"$winipsec" translate --me 192.0.2.2 "$example"
echo

if [ "$(id -u)" -ne 0 ] || ! ip netns add winipsec-demo-probe 2>/dev/null; then
  echo "live lab skipped: it needs root and network namespaces"
  exit 0
fi
ip netns del winipsec-demo-probe

peer=winipsec-demo-peer
win=winipsec-demo-win
cleanup() { ip netns del "$peer" 2>/dev/null || true; ip netns del "$win" 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add "$peer"
ip netns add "$win"
ip link add veth-peer netns "$peer" type veth peer name veth-win netns "$win"
ip -n "$peer" addr add 192.0.2.1/24 dev veth-peer
ip -n "$win" addr add 192.0.2.2/24 dev veth-win
for ns in "$peer" "$win"; do ip -n "$ns" link set lo up; done
ip -n "$peer" link set veth-peer up
ip -n "$win" link set veth-win up

echo "\$ ip netns exec $win winipsec apply $example"
ip netns exec "$win" "$winipsec" apply "$example"
echo

# counter CLASS: packets counted by winipsec's rule for that class in "win"
counter() {
  ip netns exec "$win" "$winipsec" show --counters |
    sed -n "s/^  [a-z]* *packets \([0-9]*\) bytes [0-9]* $1 .*/\1/p" | head -n 1
}

printf '%-44s %-10s %-10s %s\n' "flow" "expected" "seen" "drop counter"
run_flow() {  # FROM TO TO_ADDR PORT SPORT WHAT EXPECTED CLASS
  local before after result
  before=$(counter "$8")
  ( ip netns exec "$2" "$probe" recv udp "$4" 600 ) & local waiter=$!
  sleep 0.15
  ip netns exec "$1" "$probe" send udp "$3" "$4" "$5" >/dev/null 2>&1 || true
  if wait "$waiter"; then result=delivered; else result=dropped; fi
  after=$(counter "$8")
  printf '%-44s %-10s %-10s %s\n' "$6" "$7" "$result" "+$((after - before)) ($8)"
  [ "$result" = "$7" ] || mismatches=$((mismatches + 1))
}
mismatches=0
run_flow "$peer" "$win" 192.0.2.2 1434 40000 "peer:40000 -> win:1434 UDP (Slammer, inbound)" dropped c0
run_flow "$peer" "$win" 192.0.2.2 1435 40000 "peer:40000 -> win:1435 UDP" delivered c0
run_flow "$win" "$peer" 192.0.2.1 1434 40000 "win:40000 -> peer:1434 UDP (outbound)" dropped c1
run_flow "$peer" "$win" 192.0.2.2 5000 1434 "peer:1434 -> win:5000 UDP (one-way filters)" delivered c0
echo
echo "\$ ip netns exec $win winipsec show --counters"
ip netns exec "$win" "$winipsec" show --counters
if [ "$mismatches" -ne 0 ]; then
  echo "demo: $mismatches flow(s) did not behave as Windows would" >&2
  exit 1
fi
echo "every flow behaved as Windows would"
