# Shared by the namespace scenarios: two hosts on one veth link, "peer"
# (192.0.2.1) and "win" (192.0.2.2, where the Windows policy is applied),
# real packets between them, and assertions a user would make.
# Usage: . lib.sh WINIPSEC PACKET_PROBE   (exit 77 = skipped for meson)
set -u
winipsec=$1
probe=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
policies=$here/policies
if [ "$(id -u)" -ne 0 ]; then echo "skipped: namespace scenarios need root"; exit 77; fi
peer=wi-peer-$$
win=wi-win-$$
if ! ip netns add "$peer" 2>/dev/null; then echo "skipped: cannot create network namespaces"; exit 77; fi
ip netns add "$win"
cleanup() { ip netns del "$peer" 2>/dev/null; ip netns del "$win" 2>/dev/null; }
trap cleanup EXIT
ip link add veth-p netns "$peer" type veth peer name veth-w netns "$win"
ip -n "$peer" addr add 192.0.2.1/24 dev veth-p
ip -n "$win" addr add 192.0.2.2/24 dev veth-w
for ns in "$peer" "$win"; do ip -n "$ns" link set lo up; done
ip -n "$peer" link set veth-p up
ip -n "$win" link set veth-w up
passed=0
failed=0

check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}

in_win() { ip netns exec "$win" "$@"; }
in_peer() { ip netns exec "$peer" "$@"; }
ns_of() { [ "$1" = win ] && echo "$win" || echo "$peer"; }
addr_of() { [ "$1" = win ] && echo 192.0.2.2 || echo 192.0.2.1; }

# udp FROM TO PORT [SPORT] -> prints delivered|dropped
udp() {
  local from to port sport=${4:-40000}
  from=$(ns_of "$1"); to=$(ns_of "$2"); port=$3
  ip netns exec "$to" "$probe" recv udp "$port" 500 & local w=$!
  sleep 0.1
  ip netns exec "$from" "$probe" send udp "$(addr_of "$2")" "$port" "$sport" >/dev/null 2>&1
  if wait "$w"; then echo delivered; else echo dropped; fi
}

# tcp FROM TO PORT -> connected|refused-or-dropped
tcp() {
  local from to; from=$(ns_of "$1"); to=$(ns_of "$2")
  ip netns exec "$to" "$probe" accept tcp "$3" 1500 & local w=$!
  sleep 0.1
  local r=dropped
  ip netns exec "$from" "$probe" connect tcp "$(addr_of "$2")" "$3" 1000 && r=connected
  wait "$w" 2>/dev/null
  echo "$r"
}

# raw FROM TO PROTO -> delivered|dropped
raw() {
  local from to; from=$(ns_of "$1"); to=$(ns_of "$2")
  ip netns exec "$to" "$probe" recv raw "$3" 500 & local w=$!
  sleep 0.1
  ip netns exec "$from" "$probe" send raw "$3" "$(addr_of "$2")" >/dev/null 2>&1
  if wait "$w"; then echo delivered; else echo dropped; fi
}

# counter PATTERN: packets of the first winipsec rule whose comment contains PATTERN
counter() {
  in_win "$winipsec" show --counters | grep -F -- "$1" | head -n 1 |
    sed -n 's/.*packets \([0-9]*\) bytes.*/\1/p'
}

expect() {  # expect WHAT ACTUAL WANTED
  check "$1 (got $2, want $3)" test "$2" = "$3"
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
