#!/usr/bin/env bash
# A policy with errors applies nothing; the running policy keeps working.
. "$(dirname "$0")/lib.sh" "$@"
check "apply Slammer policy" in_win "$winipsec" apply "$policies/slammer.ipseccmd.bat"
before=$(in_win nft list table inet winipsec)
in_win "$winipsec" apply "$policies/broken.netsh.bat" 2>/dev/null
expect "broken input exits 1" "$?" 1
after=$(in_win nft list table inet winipsec)
check "nft table unchanged" test "$before" = "$after"
expect "peer -> win:1434 still blocked" "$(udp peer win 1434)" dropped
finish
