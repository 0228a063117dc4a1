#!/usr/bin/env bash
# Scenario 8: the policy is applied again, changed (telnet blocked as well),
# while an SA carries a ping flow and the Windows host keeps sending to gw's
# blocked discard port (UDP 9). The ping flow loses nothing, the SA is the
# same one afterwards (no renegotiation), not one datagram of the blocked
# flow reaches gw's UDP layer, and the new block is in force.
# The Windows host's own policy only requires ESP with gw (secure-peer), so
# it does send the discard datagrams - protected - and gw has to stop them.
. "$(dirname "$0")/../lab_lib.sh"

udp_no_ports() { in_ns gw awk '/^Udp:/ { if (seen++) print $4 }' /proc/net/snmp; }

lab_charons || exit 1
check "winipsec apply (before)" gw_winipsec apply "$lab_policies/reload-before.netsh.bat"
check "the Windows side's configuration loads" win_load secure-peer.swanctl.conf
came=$(udp win gw 7801 8)
check "win -> gw UDP arrives once IKE is done (try $came)" test "$came" != lost
spis_before=$(in_ns gw ip xfrm state | sed -n 's/.*proto esp spi \(0x[0-9a-f]*\).*/\1/p' | sort | tr '\n' ' ')
no_ports_before=$(udp_no_ports)
lab_capture_start

# Both flows run ~4 s; the apply starts after 1 s and takes well under 2 s
# (checked below: the flows must outlast it).
in_ns win ping -n -q -c 40 -i 0.1 -W 1 -I 192.0.2.2 192.0.2.1 > "$result/ping.txt" 2>&1 &
pinger=$!
(for ((i = 0; i < 20; i++)); do
    in_ns win "$probe" send udp 192.0.2.1 9 > /dev/null 2>&1
    lab_nap 0.1
done) &
discarder=$!
lab_nap 1
blocked_before=$(gw_counter "inbound block rule 'Blocked'")
check "winipsec apply (after), while both flows run" gw_winipsec apply "$lab_policies/reload-after.netsh.bat"
check "both flows were still running when the apply returned" kill -0 $pinger $discarder
wait $pinger
wait $discarder
blocked_after=$(gw_counter "inbound block rule 'Blocked'")
lab_capture_stop

received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$result/ping.txt")
expect "the ping flow through the SA lost nothing (40 sent)" "$received" 40
spis_after=$(in_ns gw ip xfrm state | sed -n 's/.*proto esp spi \(0x[0-9a-f]*\).*/\1/p' | sort | tr '\n' ' ')
expect "the same SA pair carries it after the reload" "$spis_after" "$spis_before"
expect "no quick mode during the reload" "$(wire_count 'oakley-quick')" 0
expect "not one discard datagram reached gw's UDP layer" "$(udp_no_ports)" "$no_ports_before"
expect_at_least "the old table's block rule dropped discard datagrams" "${blocked_before:-0}" 1
expect_at_least "the new table's block rule dropped discard datagrams" "${blocked_after:-0}" 1
expect_at_least "they crossed the wire protected" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 50
expect "gw -> win telnet is blocked now" "$(tcp gw win 23 1500)" failed
expect "the ping flow still works" "$(ping_received win 192.0.2.1 2 0.3)" 2
finish
