#!/usr/bin/env bash
# An edited filter line in a big policy is a quick reload: only that
# filter's set elements change in the kernel (the chains keep their rule
# handles, an untouched element keeps its counter), traffic follows the edit,
# and the full re-plan that follows agrees. An edit the quick path cannot
# vouch for (a mask change moves the filter to another shape class) is
# applied by a full reload, and says why.
. "$(dirname "$0")/daemon_lib.sh" "$@"

policy() {  # FILE PORT MASK: UDP 7 and UDP PORT blocked, and 2000 subnets of 10/8 with MASK on the first
  {
    echo 'netsh ipsec static add policy name="Daemon test" activatedefaultrule=no'
    echo 'netsh ipsec static add filteraction name="Block" action=block'
    echo 'netsh ipsec static add filter filterlist="bl" srcaddr=any dstaddr=me protocol=UDP dstport=7'
    echo "netsh ipsec static add filter filterlist=\"bl\" srcaddr=any dstaddr=me protocol=UDP dstport=$2"
    echo "netsh ipsec static add filter filterlist=\"bl\" srcaddr=10.0.0.0 srcmask=$3 dstaddr=me"
    local i
    for i in $(seq 1 2000); do
      echo "netsh ipsec static add filter filterlist=\"bl\" srcaddr=10.$((i / 256)).$((i % 256)).0 srcmask=24 dstaddr=me"
    done
    echo 'netsh ipsec static add rule name="bl" policy="Daemon test" filterlist="bl" filteraction="Block"'
    echo 'netsh ipsec static set policy name="Daemon test" assign=yes'
  } > "$1.tmp"
  mv "$1.tmp" "$1"
}
reloads() { status --json | jq -r .reloads; }
last() { status --json | jq -r ".last_reload.$1"; }
handles() { in_win nft -a list chain inet winipsec input | grep -o 'handle [0-9]*' | sort; }
udp7_counters() { in_win nft list table inet winipsec | grep -o 'udp \. 7 counter packets [0-9]*' | sort; }

policy "$dir/src/local.bat" 9 24
sources_yaml="  - path: $dir/src/local.bat"
write_config
check "daemon starts and reports READY" start_daemon
expect "UDP 9 blocked" "$(udp 9)" dropped
expect "UDP 10 permitted" "$(udp 10)" delivered
expect "UDP 7 blocked" "$(udp 7)" dropped
counters_before=$(udp7_counters)
check "the UDP 7 element counted the packet" sh -c "echo '$counters_before' | grep -q 'packets [1-9]'"
handles_before=$(handles)

n=$(reloads)
policy "$dir/src/local.bat" 10 24
check "the edit is applied" wait_until 5 sh -c "[ \$(ip netns exec $win $winipsec status --socket $dir/control --json | jq -r .reloads) -gt $n ]"
expect "it was a quick reload" "$(last quick)" true
expect "2 set elements removed (the filter and its mirror)" "$(last kernel.nft_elements_removed)" 2
expect "2 set elements added" "$(last kernel.nft_elements_added)" 2
expect "the table was not replaced" "$(last kernel.nft_table_replaced)" false
expect "the chains keep their rules (same handles)" "$(handles)" "$handles_before"
expect "the untouched UDP 7 element keeps its counter" "$(udp7_counters)" "$counters_before"
expect "after the edit UDP 10 blocked" "$(udp 10)" dropped
expect "after the edit UDP 9 permitted" "$(udp 9)" delivered
check "the full re-plan follows and agrees" wait_until 10 sh -c \
  "ip netns exec $win $winipsec status --socket $dir/control --json | jq -e '.last_reload.cause == \"full re-plan after a quick reload\" and .last_reload.result == \"unchanged\"' > /dev/null"
check "the log says what the quick reload touched" grep -q 'quick reload (file change): 1 filter(s) edited' "$dir/daemon.log"

n=$(reloads)
policy "$dir/src/local.bat" 10 16
check "a mask change is applied" wait_until 10 sh -c "[ \$(ip netns exec $win $winipsec status --socket $dir/control --json | jq -r .reloads) -gt $n ]"
expect "by a full reload" "$(last quick)" false
check "which says why" sh -c "ip netns exec $win $winipsec status --socket $dir/control --json | jq -r .last_reload.full_because | grep -q 'shape class'"
expect "and applied it" "$(last result)" applied
expect "UDP 10 still blocked" "$(udp 10)" dropped
check "SIGTERM stops the daemon" stop_daemon
finish
