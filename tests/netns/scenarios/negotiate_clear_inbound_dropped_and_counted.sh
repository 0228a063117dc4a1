#!/usr/bin/env bash
# A negotiate rule: clear inbound traffic that should have been protected is
# dropped and counted as STATUS_IPSEC_CLEAR_TEXT_DROP (spec §10: the issue named AUTH_FIREWALL_DROP, which is the
# code for inbound ESP in "authenticated firewall" mode, not for clear text).
. "$(dirname "$0")/lib.sh" "$@"
# Without charon the negotiate rules could not be keyed: apply refuses and
# installs nothing (exit 3), unless told to leave IKE to someone else.
in_win "$winipsec" apply --vici unix:///nonexistent/charon.vici "$policies/negotiate-peer.netsh.bat" >/dev/null 2>&1
expect "apply without charon is refused (exit 3)" "$?" 3
check "and leaves no table behind" bash -c "! ip netns exec $win nft list table inet winipsec >/dev/null 2>&1"
check "apply" in_win "$winipsec" apply --no-ike "$policies/negotiate-peer.netsh.bat"
expect "peer -> win clear UDP dropped" "$(udp peer win 7000)" dropped
expect "the drop is counted under its Windows name" "$(counter STATUS_IPSEC_CLEAR_TEXT_DROP)" 1
check "XFRM policies installed for the negotiate rule" bash -c "ip netns exec $win ip xfrm policy | grep -q 'proto esp'"
check "show does not print the pre-shared key" bash -c "! ip netns exec $win $winipsec show --counters | grep -q lab-only-key"
finish
