#!/usr/bin/env bash
# Scenario 1: a mirrored negotiate filter gw <-> win, transport mode, PSK.
# The Windows host starts (its first packet to gw triggers IKE), then traffic
# flows both ways as ESP - protocol 50 on the wire, not UDP-encapsulated -
# and `winipsec show` lists the SAs with their counters.
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply loads the policy into the kernel and charon" \
    gw_winipsec apply "$lab_policies/secure-peer.netsh.bat"
check "the Windows side's hand-written configuration loads" win_load secure-peer.swanctl.conf
lab_capture_start

came=$(udp win gw 7001 8)
check "win -> gw UDP arrives once IKE is done (try $came)" test "$came" != lost
expect "gw -> win UDP arrives on the first try" "$(udp gw win 7002)" 1
for i in 1 2 3; do
    udp win gw 7003 > /dev/null
    udp gw win 7004 > /dev/null
done
came=0
for i in 1 2 3; do [ "$(udp win gw 7005)" = 1 ] && came=$((came + 1)); done
expect "3 more datagrams win -> gw arrive" "$came" 3
lab_capture_stop

expect_at_least "main mode on the wire" "$(wire_count 'isakmp: phase 1 . ident')" 1
expect_at_least "quick mode on the wire" "$(wire_count 'isakmp: phase 2/others . oakley-quick')" 1
expect_at_least "ESP gw -> win on the wire" "$(wire_count '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=')" 4
expect_at_least "ESP win -> gw on the wire" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 7
expect "no ESP in UDP (port 4500) on the wire" "$(wire_count '\.4500[ :]')" 0
expect "no clear UDP of the test flows on the wire" "$(wire_count '\.700[0-9]: UDP')" 0

expect "gw's kernel holds two transport ESP SAs" "$(esp_states gw transport)" 2
reqid=$(in_ns gw ip xfrm policy | sed -n 's/.*proto esp reqid \([0-9]*\) mode transport.*/\1/p' | head -n 1)
check "gw's SAs carry the reqid of winipsec's templates ($reqid)" \
    bash -c "[ -n '$reqid' ] && [ \$(ip netns exec gw ip xfrm state | grep -c 'reqid $reqid mode transport') = 2 ]"
show=$(gw_winipsec show --counters 2>&1)
echo "$show" | sed -n '/^IKE/,$p' | sed 's/^/# /'
check "show lists the IKE SA as ESTABLISHED, IKEv1" bash -c "grep -q 'winipsec-Lab_peer-Windows_host #[0-9]* IKEv1 ESTABLISHED' <<< \"\$1\"" _ "$show"
check "show lists the CHILD SA as INSTALLED TRANSPORT ESP" bash -c "grep -q 'winipsec-Lab_peer-Windows_host-f1 INSTALLED TRANSPORT ESP' <<< \"\$1\"" _ "$show"
check "show says the SA is not UDP-encapsulated" bash -c "! grep -q 'UDP-encapsulated' <<< \"\$1\"" _ "$show"
packets_in=$(echo "$show" | sed -n 's/^ *in \([0-9]*\) packets.*/\1/p' | head -n 1)
expect_at_least "show counts the packets the SA decrypted" "$packets_in" 7
check "show never prints the pre-shared key" bash -c "! grep -q lab-only-key <<< \"\$1\"" _ "$show"
finish
