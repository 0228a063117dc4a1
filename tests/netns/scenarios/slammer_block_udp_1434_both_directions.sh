#!/usr/bin/env bash
# KB 813878 Slammer: first only the inbound rule, then both one-way rules.
. "$(dirname "$0")/lib.sh" "$@"
check "apply inbound-only policy" in_win "$winipsec" apply "$policies/slammer-inbound-only.ipseccmd.bat"
expect "peer -> win:1434 blocked" "$(udp peer win 1434)" dropped
expect "peer -> win:1435 passes" "$(udp peer win 1435)" delivered
expect "win -> peer:1434 passes (no outbound rule yet)" "$(udp win peer 1434)" delivered
expect "peer:1434 -> win:5000 passes (one-way filter)" "$(udp peer win 5000 1434)" delivered
expect "the drop counter counted the Slammer packet" "$(counter "inbound block")" 1
check "apply both rules" in_win "$winipsec" apply "$policies/slammer.ipseccmd.bat"
expect "win -> peer:1434 now blocked" "$(udp win peer 1434)" dropped
expect "peer -> win:1434 still blocked" "$(udp peer win 1434)" dropped
finish
