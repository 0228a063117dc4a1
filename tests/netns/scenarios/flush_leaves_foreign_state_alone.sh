#!/usr/bin/env bash
# flush removes winipsec's table and XFRM policies and nothing else.
. "$(dirname "$0")/lib.sh" "$@"
in_win nft add table inet other
in_win nft add chain inet other c
in_win ip xfrm policy add src 198.51.100.0/24 dst 203.0.113.0/24 dir out priority 500000 action block
check "apply negotiate policy" in_win "$winipsec" apply --no-ike "$policies/negotiate-peer.netsh.bat"
check "flush" in_win "$winipsec" flush
check "winipsec table gone" bash -c "! ip netns exec $win nft list table inet winipsec >/dev/null 2>&1"
check "foreign table kept" in_win nft list table inet other
check "foreign XFRM policy kept" bash -c "ip netns exec $win ip xfrm policy | grep -q '198.51.100.0/24'"
expect "only the foreign XFRM policy is left" "$(in_win ip xfrm policy | grep -c '^src')" 1
check "flush again is fine" in_win "$winipsec" flush
finish
