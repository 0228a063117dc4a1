#!/usr/bin/env bash
# Scenario 2: gw starts. Its first packet to the Windows host hits winipsec's
# XFRM policy, the kernel sends charon an ACQUIRE carrying the template's
# reqid, and charon - whose child has `policies = no` and that same reqid -
# negotiates main mode and quick mode. Nobody calls initiate.
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/secure-peer.netsh.bat"
check "the Windows side's configuration loads" win_load secure-peer.swanctl.conf
reqid=$(in_ns gw ip xfrm policy | sed -n 's/.*proto esp reqid \([0-9]*\) mode transport.*/\1/p' | head -n 1)
check "winipsec's outbound policy has an ESP template with a reqid ($reqid)" test -n "$reqid"
lab_capture_start

came=$(udp gw win 7101 8)
check "gw -> win UDP arrives once IKE is done (try $came)" test "$came" != lost
expect "win -> gw UDP arrives on the first try" "$(udp win gw 7102)" 1
expect "gw -> win UDP arrives on the first try" "$(udp gw win 7103)" 1
lab_capture_stop

log=$(charon_lab_log gw)
check "gw's charon got the kernel's ACQUIRE for winipsec's reqid" \
    grep -qE "creating acquire job for policy 192\.0\.2\.1/32.* === 192\.0\.2\.2/32.* with reqid \{$reqid\}" "$log"
check "gw's charon initiated main mode itself" grep -q "initiating Main Mode IKE_SA winipsec-Lab_peer-Windows_host" "$log"
check "nobody asked charon to initiate over VICI" bash -c "! grep -q 'requests: initiate' '$log'"
first=$(grep -m 1 'isakmp' "$result/wire.txt")
check "the first IKE packet on the wire is gw's main mode (${first#* IP })" \
    grep -qE '192\.0\.2\.1\.500 > 192\.0\.2\.2\.500: isakmp: phase 1 I ident' <<< "$first"
expect_at_least "ESP gw -> win on the wire" "$(wire_count '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=')" 2
expect_at_least "ESP win -> gw on the wire" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 1
expect "no clear UDP of the test flows on the wire" "$(wire_count '\.710[0-9]: UDP')" 0
show=$(gw_winipsec show 2>&1)
check "show says gw initiated the IKE SA" grep -q 'ESTABLISHED .*(we initiated)' <<< "$show"
expect "one CHILD SA, INSTALLED" "$(grep -c 'INSTALLED TRANSPORT ESP' <<< "$show")" 1
expect "gw's kernel holds two transport ESP SAs with winipsec's reqid" \
    "$(in_ns gw ip xfrm state | grep -c "reqid $reqid mode transport")" 2
finish
