#!/usr/bin/env bash
# Scenario 7: counterpart mode. gw is given the Windows host's OWN export (its
# filter is "me <-> 192.0.2.1") and applies it with --as-peer-of 192.0.2.2:
# winipsec builds gw's side of that policy, and gw interoperates with the
# Windows host configured from the same export - both directions, ESP only.
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply --as-peer-of the Windows host" \
    gw_winipsec apply --as-peer-of 192.0.2.2 "$lab_policies/windows-host-export.netsh.bat"
check "the Windows side's configuration loads" win_load secure-peer.swanctl.conf
check "gw's outbound policy to the Windows host requires ESP" \
    bash -c "ip netns exec gw ip xfrm policy | grep -A3 'src 192.0.2.1/32 dst 192.0.2.2/32' | grep -q 'proto esp'"
lab_capture_start

came=$(udp gw win 7701 8)
check "gw -> win UDP arrives once IKE is done (try $came)" test "$came" != lost
expect "win -> gw UDP arrives on the first try" "$(udp win gw 7702)" 1
expect "gw pings win: 3 replies" "$(ping_received gw 192.0.2.2 3 0.3)" 3
lab_capture_stop

expect_at_least "ESP gw -> win on the wire" "$(wire_count '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=')" 4
expect_at_least "ESP win -> gw on the wire" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 4
expect "no clear UDP or ICMP on the wire" "$(wire_count ': UDP|ICMP echo')" 0
show=$(gw_winipsec show 2>&1)
check "show lists the CHILD SA of the Windows host's rule" \
    grep -q 'winipsec-Secure_gateway-Gateway-f1 INSTALLED TRANSPORT ESP' <<< "$show"
finish
