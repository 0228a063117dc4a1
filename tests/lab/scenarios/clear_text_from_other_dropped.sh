#!/usr/bin/env bash
# Scenario 3: gw requires ESP from its whole subnet. "other" speaks no IPsec
# and sends gw clear traffic the negotiate filter matches: gw drops it and the
# nft counter named for the Windows code, STATUS_IPSEC_CLEAR_TEXT_DROP (spec
# §10: clear text where IPsec was required; the issue's "AUTH_FIREWALL_DROP"
# is the code for inbound ESP in authenticated-firewall mode), counts exactly
# those packets. The Windows host in the same subnet still gets through,
# protected.
. "$(dirname "$0")/../lab_lib.sh"

drop_rule="inbound negotiate rule 'Lab subnet' STATUS_IPSEC_CLEAR_TEXT_DROP"
lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/secure-subnet.netsh.bat"
check "the Windows side's configuration loads" win_load secure-subnet.swanctl.conf
before=$(gw_counter "$drop_rule")
expect "the clear-text drop counter starts at 0" "$before" 0
lab_capture_start

# Each probe must wait out its whole timeout (1-1.5 s), so the four run at
# once; each prints one line: 1 or lost (udp), connected or failed (tcp).
probes=()
for port in 7201 7202 7203; do
    udp other gw $port >> "$result/other-probes.txt" &
    probes+=($!)
done
tcp other gw 7204 1500 >> "$result/other-probes.txt" &
wait "${probes[@]}" $!
expect "3 clear UDP datagrams other -> gw are all dropped" "$(grep -cx lost "$result/other-probes.txt")" 3
expect "other -> gw TCP connect fails" "$(grep -x -e connected -e failed "$result/other-probes.txt")" failed
after=$(gw_counter "$drop_rule")
syns=$(wire_count '192\.0\.2\.3\.[0-9]+ > 192\.0\.2\.1\.7204: Flags \[S\]')
expect "STATUS_IPSEC_CLEAR_TEXT_DROP counted each datagram and SYN" "$after" $((3 + syns))
expect "the datagrams did cross the wire in clear (they were dropped at gw)" \
    "$(wire_count '192\.0\.2\.3\.[0-9]+ > 192\.0\.2\.1\.720[123]: UDP')" 3

came=$(udp win gw 7205 8)
check "the Windows host in the same subnet gets through (try $came)" test "$came" != lost
lab_capture_stop
expect_at_least "its traffic crossed as ESP" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 1
expect "the drop counter did not move for it" "$(gw_counter "$drop_rule")" "$after"
in_ns gw "$winipsec" show --counters | grep -F STATUS_IPSEC_CLEAR_TEXT_DROP | sed 's/^/# /'
finish
