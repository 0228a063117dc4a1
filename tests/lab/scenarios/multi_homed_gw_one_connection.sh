#!/usr/bin/env bash
# Scenario 2c: gw has a second address (198.51.100.1 on another interface),
# so Windows' `me` stands for two addresses. winipsec's XFRM templates carry
# one reqid per Windows rule and charon 5.9.8 answers an ACQUIRE with the
# first trap of that reqid: with one connection per local address, gw's
# first packet started main mode from 198.51.100.1, an address the Windows
# host does not know, and nothing came up. The rule must be one connection
# (local_addrs %any) that starts from the address the kernel routes to the
# peer - and both directions then work.
. "$(dirname "$0")/../lab_lib.sh"

ip -n gw link add lan0 type dummy && ip -n gw addr add 198.51.100.1/24 dev lan0 && ip -n gw link set lan0 up
lab_charons || exit 1
check "winipsec apply (me = 192.0.2.1 and 198.51.100.1)" gw_winipsec apply "$lab_policies/secure-peer.netsh.bat"
check "the Windows side's configuration loads" win_load secure-peer.swanctl.conf
expect "the Windows rule is one connection in charon" \
    "$(charon_lab_swanctl gw --list-conns | grep -c '^winipsec-Lab_peer-Windows_host')" 1
lab_capture_start
came=$(udp gw win 7121 8)
check "gw -> win UDP arrives once IKE is done (try $came)" test "$came" != lost
expect "win -> gw UDP arrives on the first try" "$(udp win gw 7122)" 1
lab_capture_stop

expect "no IKE packet from gw's other address" "$(wire_count '198\.51\.100\.1\.500 >')" 0
check "gw's main mode started from 192.0.2.1" \
    grep -qE '192\.0\.2\.1\.500 > 192\.0\.2\.2\.500: isakmp: phase 1 I ident' "$result/wire.txt"
show=$(gw_winipsec show 2>&1)
check "show lists the IKE SA between the routed addresses" \
    grep -q 'ESTABLISHED 192\.0\.2\.1\[192\.0\.2\.1\] <-> 192\.0\.2\.2\[192\.0\.2\.2\]' <<< "$show"
expect_at_least "ESP both ways on the wire" "$(wire_count '192\.0\.2\.[12] > 192\.0\.2\.[12]: ESP\(spi=')" 2
finish
