#!/usr/bin/env bash
# Scenario 6: a Windows tunnel rule pair - one rule per direction, each with
# the tunnel endpoint its traffic goes to - between gw's LAN 198.51.100.0/24
# and the Windows host's LAN 203.0.113.0/24. winipsec joins the pair into one
# tunnel-mode child; the kernel carries it as ESP in tunnel mode between
# 192.0.2.1 and 192.0.2.2, and no LAN address ever shows on the wire.
. "$(dirname "$0")/../lab_lib.sh"

# Each LAN is one address on a dummy interface; routes pick it as source.
ip -n gw link add lan0 type dummy && ip -n gw addr add 198.51.100.1/24 dev lan0 && ip -n gw link set lan0 up
ip -n win link add lan0 type dummy && ip -n win addr add 203.0.113.1/24 dev lan0 && ip -n win link set lan0 up
ip -n gw route add 203.0.113.0/24 via 192.0.2.2 dev eth0 src 198.51.100.1
ip -n win route add 198.51.100.0/24 via 192.0.2.1 dev eth0 src 203.0.113.1

lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/tunnel.netsh.bat"
check "the Windows side's configuration loads" win_load tunnel.swanctl.conf
lab_capture_start

came=$(udp gw win 7601 8 203.0.113.1)
check "gw's LAN -> win's LAN UDP arrives once IKE is done (try $came)" test "$came" != lost
expect "win's LAN -> gw's LAN UDP arrives on the first try" "$(udp win gw 7602 1 198.51.100.1)" 1
expect "gw's LAN pings win's LAN: 3 replies" "$(in_ns gw ping -n -q -c 3 -i 0.3 -W 1 -I 198.51.100.1 203.0.113.1 |
    sed -n 's/.* \([0-9]*\) received.*/\1/p')" 3
lab_capture_stop

expect_at_least "ESP 192.0.2.1 -> 192.0.2.2 on the wire" "$(wire_count '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=')" 4
expect_at_least "ESP 192.0.2.2 -> 192.0.2.1 on the wire" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 4
expect "no LAN address on the wire" "$(wire_count '198\.51\.100\.|203\.0\.113\.')" 0
expect "gw's kernel holds two tunnel-mode ESP SAs" "$(esp_states gw tunnel)" 2
check "they run between the two tunnel endpoints" \
    bash -c "ip netns exec gw ip xfrm state | grep -q '^src 192.0.2.1 dst 192.0.2.2' && ip netns exec gw ip xfrm state | grep -q '^src 192.0.2.2 dst 192.0.2.1'"
show=$(gw_winipsec show 2>&1)
check "show lists one tunnel CHILD SA between the LANs" \
    grep -q 'INSTALLED TUNNEL ESP .*198\.51\.100\.0/24 === 203\.0\.113\.0/24' <<< "$show"
expect_at_least "gw's nft accepted the decapsulated packets as protected" \
    "$(gw_counter "(protected)")" 4
finish
