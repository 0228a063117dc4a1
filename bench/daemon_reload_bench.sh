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

generate() {  # N FIRST_PORT MIDDLE_OCTET EXTRA FILE: N mirrored block filters, one /24 each; the first
  # one's port, the third octet of the middle one, and whether one more filter is appended, vary
  awk -v n="$1" -v port="$2" -v mid="$3" -v extra="$4" 'BEGIN {
    print "netsh ipsec static add policy name=\"bench\" activatedefaultrule=no"
    print "netsh ipsec static add filteraction name=\"Block\" action=block"
    printf "netsh ipsec static add filter filterlist=\"bl\" srcaddr=10.0.0.0 srcmask=24 dstaddr=me protocol=UDP dstport=%d\n", port
    for (i = 1; i < n; i++) {
      a = 10 * 16777216 + i * 256
      if (i == int(n / 2)) a = 9 * 16777216 + mid * 256
      printf "netsh ipsec static add filter filterlist=\"bl\" srcaddr=%d.%d.%d.0 srcmask=24 dstaddr=me\n", int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256
    }
    if (extra) print "netsh ipsec static add filter filterlist=\"bl\" srcaddr=12.0.0.0 srcmask=24 dstaddr=me"
    print "netsh ipsec static add rule name=\"bl\" policy=\"bench\" filterlist=\"bl\" filteraction=\"Block\""
    print "netsh ipsec static set policy name=\"bench\" assign=yes"
  }' > "$5"
}

generate "$n" 9 1 0 "$tmp/policy.bat"
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
  jq -r '.last_reload | "\(.result) (\(.cause))\(if .quick then ", quick" else "" end): \(.milliseconds.read + .milliseconds.plan + .milliseconds.apply | . * 10 | floor / 10) ms to applied = read \(.milliseconds.read * 10 | floor / 10) + plan \(.milliseconds.plan * 10 | floor / 10) + apply \(.milliseconds.apply * 10 | floor / 10); then persist \(.milliseconds.persist|floor) ms (total \(.milliseconds.total|floor) ms)\n    kernel objects: \(if .kernel.nft_table_replaced then "nft table replaced (\(.kernel.nft_elements) set elements, \(.kernel.nft_rules) rules)" elif (.kernel.nft_elements_added + .kernel.nft_elements_removed) > 0 then "nft set elements -\(.kernel.nft_elements_removed) +\(.kernel.nft_elements_added) (of \(.kernel.nft_elements))" else "nft untouched" end), XFRM +\(.kernel.xfrm_added) ~\(.kernel.xfrm_updated) -\(.kernel.xfrm_removed) =\(.kernel.xfrm_unchanged)\(if .full_because != "" then "\n    full reload because: \(.full_because)" else "" end)"' "$1"
}
reloads() { jq -r .reloads "$tmp/s.json"; }
wait_reload() {  # wait until the daemon has done reload number $1
  until status > "$tmp/s.json" 2>/dev/null && jq -e ".reloads >= $1" "$tmp/s.json" > /dev/null; do sleep 0.1; done
}
edit() {  # LABEL FIRST_PORT MIDDLE_OCTET EXTRA: rewrite the policy, wait for the reload and for its full check
  local before; status > "$tmp/s.json"; before=$(reloads)
  generate "$n" "$2" "$3" "$4" "$tmp/next.bat"
  mv "$tmp/next.bat" "$tmp/policy.bat"
  wait_reload $((before + 1))
  echo "$1:"; echo -n "  "; report "$tmp/s.json"
  if jq -e '.last_reload.quick and .last_reload.result == "applied"' "$tmp/s.json" > /dev/null; then
    wait_reload $((before + 2))  # the full re-plan that checks a quick reload
    echo -n "  check: "; report "$tmp/s.json" | head -n 1
  fi
}

edit "one filter changed (port of a filter alone in its shape class)" 10 1 0
edit "one filter changed (address of the middle filter of the $((n - 1))-filter class)" 10 2 0
edit "one filter added at the end (lines added: full reload, set-element diff)" 10 2 1
touch "$tmp/policy.bat"
status > "$tmp/s.json"; before=$(reloads); wait_reload $((before + 1))
echo -n "nothing changed (touch): "; report "$tmp/s.json"
