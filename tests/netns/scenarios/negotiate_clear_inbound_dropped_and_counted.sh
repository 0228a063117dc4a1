#!/usr/bin/env bash
# A negotiate rule: clear inbound traffic that should have been protected is
# dropped and counted as STATUS_IPSEC_CLEAR_TEXT_DROP (spec §10: the issue named AUTH_FIREWALL_DROP, which is the
# code for inbound ESP in "authenticated firewall" mode, not for clear text).
. "$(dirname "$0")/lib.sh" "$@"
check "apply" in_win "$winipsec" apply "$policies/negotiate-peer.netsh.bat"
expect "peer -> win clear UDP dropped" "$(udp peer win 7000)" dropped
expect "the drop is counted under its Windows name" "$(counter STATUS_IPSEC_CLEAR_TEXT_DROP)" 1
check "XFRM policies installed for the negotiate rule" bash -c "ip netns exec $win ip xfrm policy | grep -q 'proto esp'"
check "show does not print the pre-shared key" bash -c "! ip netns exec $win $winipsec show --counters | grep -q lab-only-key"
finish
