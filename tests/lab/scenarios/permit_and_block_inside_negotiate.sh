#!/usr/bin/env bash
# Scenario 4: inside gw's "require ESP from the subnet" filter, a permit
# filter for ICMP and a block filter for telnet (TCP 23). Windows consults the
# more specific filters first: ICMP crosses in clear, telnet is dropped, and
# neither ever starts IKE - no ACQUIRE, no SA, no ISAKMP packet on the wire.
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/secure-subnet.netsh.bat"
check "the Windows side's configuration loads" win_load secure-subnet.swanctl.conf
lab_capture_start

# The block filter's mirror: packets from a subnet host's port 23 to gw. Its
# SYNs go unanswered for 1.5 s, while the pings and telnet run.
before=$(gw_counter "inbound block rule 'No telnet'")
in_ns other "$probe" connect tcp 192.0.2.1 7301 1500 23 > /dev/null 2>&1 &
other_syns=$!
expect "gw pings win: 3 replies" "$(ping_received gw 192.0.2.2 3 0.3)" 3
expect "win pings gw: 3 replies" "$(ping_received win 192.0.2.1 3 0.3)" 3
expect "gw -> win telnet (TCP 23) is refused at once" "$(tcp gw win 23 1500)" failed
wait $other_syns
lab_capture_stop

expect_at_least "ICMP echo requests in clear on the wire" "$(wire_count 'ICMP echo request')" 6
expect_at_least "ICMP echo replies in clear on the wire" "$(wire_count 'ICMP echo reply')" 6
expect "no telnet SYN from gw left it" "$(wire_count '192\.0\.2\.1\.[0-9]+ > 192\.0\.2\.2\.23: Flags \[S\]')" 0
syns=$(wire_count '192\.0\.2\.3\.23 > 192\.0\.2\.1\.7301: Flags \[S\]')
expect_at_least "other's SYNs from port 23 crossed the wire" "$syns" 1
expect "gw's block rule counted each of them" "$(gw_counter "inbound block rule 'No telnet'")" $((before + syns))
expect "gw's charon never got an ACQUIRE for ICMP or telnet" \
    "$(grep -c 'received a XFRM_MSG_ACQUIRE' "$(charon_lab_log gw)")" 0
expect "no ISAKMP packet on the wire" "$(wire_count 'isakmp')" 0
expect "no ESP on the wire" "$(wire_count 'ESP\(spi=')" 0
expect "gw's kernel holds no SA at all" "$(in_ns gw ip xfrm state | grep -c '^src')" 0
check "show lists no IKE SA" bash -c "ip netns exec gw '$winipsec' show --vici '$(gw_uri)' | grep -q \"IKE SAs of winipsec's connections.*: 0\""
finish
