#!/usr/bin/env bash
# Re-applying a different policy replaces the old one completely.
. "$(dirname "$0")/lib.sh" "$@"
check "apply negotiate policy" in_win "$winipsec" apply --no-ike "$policies/negotiate-peer.netsh.bat"
check "apply Slammer policy instead" in_win "$winipsec" apply "$policies/slammer.ipseccmd.bat"
check "no XFRM policy left from the negotiate rule" bash -c "[ -z \"\$(ip netns exec $win ip xfrm policy)\" ]"
check "no STATUS_IPSEC_CLEAR_TEXT_DROP rule left" bash -c "! ip netns exec $win nft list table inet winipsec | grep -q STATUS_IPSEC"
expect "peer -> win:7000 clear now passes" "$(udp peer win 7000)" delivered
expect "peer -> win:1434 blocked" "$(udp peer win 1434)" dropped
finish
