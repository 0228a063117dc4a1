#!/usr/bin/env bash
# boot: fail-closed with no last-known-good and a broken source: everything
# but loopback is dropped; once a source applies, the policy takes over.
. "$(dirname "$0")/daemon_lib.sh" "$@"
echo 'netsh ipsec static add filter filterlist="x" srcaddr=any dstaddr=me bogus=yes' > "$dir/src/local.bat"
sources_yaml="  - path: $dir/src/local.bat"
write_config "boot: fail-closed"
check "daemon starts" start_daemon
expect "fail-closed: UDP 10 dropped" "$(udp 10)" dropped
check "loopback still works" sh -c "ip netns exec $win $probe recv udp 7000 500 & sleep 0.1; ip netns exec $win $probe send udp 127.0.0.1 7000 >/dev/null; wait \$!"
check "status says fail-closed" sh -c "ip netns exec $win $winipsec status --socket $dir/control | grep -q 'fail-closed'"
block_udp_policy "$dir/src/local.bat" 9
check "the policy replaces the drop-all table" wait_until 3 table_has ' 9$'
expect "UDP 10 open again" "$(udp 10)" delivered
expect "UDP 9 blocked" "$(udp 9)" dropped
finish
