# Shared by the daemon scenarios: two hosts on one veth link, "peer"
# (192.0.2.1) and "win" (192.0.2.2, where winipsecd runs), a scratch
# directory with the configuration, sources, state and control socket, and
# a stand-in for systemd's notification socket.
# Usage: . daemon_lib.sh WINIPSECD WINIPSEC PACKET_PROBE NOTIFY_LISTENER FLOW_COUNTER
#        (exit 77 = skipped for meson)
set -u
winipsecd=$1
winipsec=$2
probe=$3
listener=$4
flow=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "skipped: daemon scenarios need root"; exit 77; fi
peer=wd-peer-$$
win=wd-win-$$
if ! ip netns add "$peer" 2>/dev/null; then echo "skipped: cannot create network namespaces"; exit 77; fi
ip netns add "$win"
dir=$(mktemp -d /tmp/winipsecd-test.XXXXXX)
mkdir -p "$dir/src" "$dir/state"
daemon_pid=
listener_pid=
passed=0
failed=0

cleanup() {
  [ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
  [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null
  wait 2>/dev/null
  ip netns del "$peer" 2>/dev/null
  ip netns del "$win" 2>/dev/null
  if [ "$failed" -ne 0 ] || [ "${KEEP:-0}" = 1 ]; then
    echo "--- daemon log ($dir/daemon.log)"; tail -n 40 "$dir/daemon.log" 2>/dev/null
    echo "--- notifications"; cat "$dir/notify.log" 2>/dev/null
  else
    rm -rf "$dir"
  fi
}
trap cleanup EXIT

ip link add veth-p netns "$peer" type veth peer name veth-w netns "$win"
ip -n "$peer" addr add 192.0.2.1/24 dev veth-p
ip -n "$win" addr add 192.0.2.2/24 dev veth-w
for ns in "$peer" "$win"; do ip -n "$ns" link set lo up; done
ip -n "$peer" link set veth-p up
ip -n "$win" link set veth-w up

in_win() { ip netns exec "$win" "$@"; }
in_peer() { ip netns exec "$peer" "$@"; }

check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}
expect() {  # expect WHAT ACTUAL WANTED
  check "$1 (got $2, want $3)" test "$2" = "$3"
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# write_config [EXTRA YAML LINES...]: sources come from $sources_yaml.
sources_yaml=""
write_config() {
  {
    echo "sources:"
    printf '%s\n' "$sources_yaml"
    echo "state_directory: $dir/state"
    echo "control_socket: $dir/control"
    echo "log_level: debug"
    local line
    for line in "$@"; do echo "$line"; done
  } > "$dir/winipsec.yaml"
}

# block_udp_policy FILE PORT...: a static netsh policy blocking inbound UDP
# to `me` on each PORT (one filter list per port, so files differ by port).
block_udp_policy() {
  local file=$1; shift
  {
    echo 'netsh ipsec static add policy name="Daemon test" activatedefaultrule=no'
    echo 'netsh ipsec static add filteraction name="Block" action=block'
    local p
    for p in "$@"; do
      echo "netsh ipsec static add filter filterlist=\"udp$p\" srcaddr=any dstaddr=me protocol=UDP dstport=$p"
      echo "netsh ipsec static add rule name=\"block $p\" policy=\"Daemon test\" filterlist=\"udp$p\" filteraction=\"Block\""
    done
    echo 'netsh ipsec static set policy name="Daemon test" assign=yes'
  } > "$file.tmp"
  mv "$file.tmp" "$file"  # as editors and configuration tools do: one rename
}

# start_daemon: runs winipsecd in "win" with NOTIFY_SOCKET pointing at the
# listener; waits for READY=1 (10 s). Returns non-zero when it never came.
start_daemon() {
  if [ -z "$listener_pid" ]; then
    "$listener" "$dir/notify" >> "$dir/notify.log" &
    listener_pid=$!
    local i
    for i in $(seq 50); do [ -S "$dir/notify" ] && break; sleep 0.02; done
  fi
  local before
  before=$(grep -c 'READY=1' "$dir/notify.log")
  NOTIFY_SOCKET=$dir/notify ip netns exec "$win" "$winipsecd" --config "$dir/winipsec.yaml" "$@" >> "$dir/daemon.log" 2>&1 &
  daemon_pid=$!
  local i
  for i in $(seq 200); do
    [ "$(grep -c 'READY=1' "$dir/notify.log")" -gt "$before" ] && return 0
    kill -0 "$daemon_pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

stop_daemon() {
  [ -n "$daemon_pid" ] || return 0
  kill -TERM "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=
}
kill9_daemon() {
  [ -n "$daemon_pid" ] || return 0
  kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=
}

status() { in_win "$winipsec" status --socket "$dir/control" "$@"; }
status_ok() { status > /dev/null 2>&1; }
reload() { in_win "$winipsec" reload --socket "$dir/control" -q; }

# wait_until SECONDS COMMAND...: polls every 50 ms.
wait_until() {
  local limit=$1; shift
  local i
  for i in $(seq $((limit * 20))); do "$@" && return 0; sleep 0.05; done
  return 1
}

# udp_to ADDRESS PORT -> delivered|dropped (peer -> win)
udp_to() {
  in_win "$probe" recv udp "$2" 400 & local w=$!
  sleep 0.1
  in_peer "$probe" send udp "$1" "$2" >/dev/null 2>&1
  if wait "$w"; then echo delivered; else echo dropped; fi
}
udp() { udp_to 192.0.2.2 "$1"; }

# The winipsec table's set elements, one per line (the applied filters).
nft_elements() { in_win nft list table inet winipsec 2>/dev/null | grep -o '[0-9a-f.:]* \. udp \. [0-9]*' | sort -u; }
table_has() { nft_elements | grep -q -- "$1"; }
