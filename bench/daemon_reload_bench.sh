#!/usr/bin/env bash
# winipsecd reload benchmark (issue 6), as root: a policy of N mirrored block
# filters (default 100 000) is applied by the daemon in a throw-away
# namespace; then one filter is changed in the source file and the daemon's
# own report of that reload (winipsec status --json) is printed: time from
# the file change being read to applied, per phase, and the kernel objects
# touched. A reload that changes nothing is measured too.
# Usage: bench/daemon_reload_bench.sh WINIPSECD WINIPSEC [FILTERS]
set -euo pipefail
ms_since() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }
winipsecd=$1
winipsec=$2
n=${3:-100000}
[ "$(id -u)" -eq 0 ] || { echo "daemon_reload_bench: needs root" >&2; exit 1; }
tmp=$(mktemp -d)
ns=wi-dbench-$$
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set lo up; ip -n "$ns" link set v0 up; ip -n "$ns" link set v1 up
ip -n "$ns" addr add 192.0.2.2/24 dev v0

generate() {  # N FIRST_PORT FILE: N mirrored block filters, one /24 each; the first one's port varies
  awk -v n="$1" -v port="$2" 'BEGIN {
    print "netsh ipsec static add policy name=\"bench\" activatedefaultrule=no"
    print "netsh ipsec static add filteraction name=\"Block\" action=block"
    printf "netsh ipsec static add filter filterlist=\"bl\" srcaddr=10.0.0.0 srcmask=24 dstaddr=me protocol=UDP dstport=%d\n", port
    for (i = 1; i < n; i++) {
      a = 10 * 16777216 + i * 256
      printf "netsh ipsec static add filter filterlist=\"bl\" srcaddr=%d.%d.%d.0 srcmask=24 dstaddr=me\n", int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256
    }
    print "netsh ipsec static add rule name=\"bl\" policy=\"bench\" filterlist=\"bl\" filteraction=\"Block\""
    print "netsh ipsec static set policy name=\"bench\" assign=yes"
  }' > "$3"
}

generate "$n" 9 "$tmp/policy.bat"
cat > "$tmp/winipsec.yaml" <<EOC
sources:
  - path: $tmp/policy.bat
state_directory: $tmp/state
control_socket: $tmp/control
EOC
status() { ip netns exec "$ns" "$winipsec" status --socket "$tmp/control" --json; }
t0=$(date +%s%N)
ip netns exec "$ns" "$winipsecd" --config "$tmp/winipsec.yaml" 2> "$tmp/log" &
pid=$!
until [ -S "$tmp/control" ]; do sleep 0.2; kill -0 "$pid"; done
until status > "$tmp/s.json" 2>/dev/null && jq -e '.reloads >= 1' "$tmp/s.json" > /dev/null; do sleep 0.5; done
echo "start: $n filters applied in $(ms_since $t0) (daemon start to status answering)"
jq -r '.last_reload | "  first apply: \(.milliseconds.total|floor) ms (read \(.milliseconds.read|floor), plan \(.milliseconds.plan|floor), apply \(.milliseconds.apply|floor), persist \(.milliseconds.persist|floor)); nft elements \(.kernel.nft_elements)"' "$tmp/s.json"
echo "  last-known-good file: $(du -h "$tmp/state/last-known-good.json" | cut -f1)"

report() {
  jq -r '.last_reload | "\(.result) (\(.cause)): \(.milliseconds.total|floor) ms = read \(.milliseconds.read|floor) + plan \(.milliseconds.plan|floor) + apply \(.milliseconds.apply|floor) + persist \(.milliseconds.persist|floor) (+ compare \((.milliseconds.total - .milliseconds.read - .milliseconds.plan - .milliseconds.apply - .milliseconds.persist)|floor)); kernel objects: \(if .kernel.nft_table_replaced then "nft table replaced, \(.kernel.nft_elements) set elements and \(.kernel.nft_rules) rules sent" else "nft untouched" end), XFRM +\(.kernel.xfrm_added) ~\(.kernel.xfrm_updated) -\(.kernel.xfrm_removed) =\(.kernel.xfrm_unchanged)"' "$1"
}
wait_reload() {  # wait until the daemon has done reload number $1
  until status > "$tmp/s.json" 2>/dev/null && jq -e ".reloads >= $1" "$tmp/s.json" > /dev/null; do sleep 0.2; done
}

generate "$n" 10 "$tmp/next.bat"
t1=$(date +%s%N)
mv "$tmp/next.bat" "$tmp/policy.bat"
wait_reload 2
echo "one filter changed: file renamed to applied (as seen from outside, incl. 150 ms settle and polling): $(ms_since $t1)"
echo -n "  daemon: "; report "$tmp/s.json"

touch "$tmp/policy.bat"
wait_reload 3
echo -n "nothing changed: "; report "$tmp/s.json"
