#!/usr/bin/env bash
# `me` is every address of the host, followed as addresses come and go
# (rtnetlink): a new address gets the filters that name `me` within moments.
. "$(dirname "$0")/daemon_lib.sh" "$@"
ip -n "$peer" addr add 198.51.100.1/24 dev veth-p
block_udp_policy "$dir/src/local.bat" 9
sources_yaml="  - path: $dir/src/local.bat"
write_config
check "daemon starts" start_daemon
check "me = 192.0.2.2 only" sh -c "! (ip netns exec $win nft list table inet winipsec | grep -q 198.51.100.2)"
ip -n "$win" addr add 198.51.100.2/24 dev veth-w
check "the new address is in the table within 2 s" wait_until 2 sh -c "ip netns exec $win nft list table inet winipsec | grep -q 198.51.100.2"
expect "UDP 9 to the new address blocked" "$(udp_to 198.51.100.2 9)" dropped
expect "UDP 10 to the new address open" "$(udp_to 198.51.100.2 10)" delivered
check "the change is logged" grep -q '`me` now stands for 192.0.2.2, 198.51.100.2' "$dir/daemon.log"
ip -n "$win" addr del 192.0.2.2/24 dev veth-w
check "a removed address leaves the table" wait_until 2 sh -c "! (ip netns exec $win nft list table inet winipsec | grep -q '192.0.2.2 ')"
finish
