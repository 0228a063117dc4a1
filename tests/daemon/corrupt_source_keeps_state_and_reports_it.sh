#!/usr/bin/env bash
# A source that no longer parses leaves the running state exactly as it was;
# the error, with file:line:column, is in `winipsec status` and the log.
. "$(dirname "$0")/daemon_lib.sh" "$@"
block_udp_policy "$dir/src/local.bat" 9
sources_yaml="  - path: $dir/src/local.bat"
write_config
check "daemon starts" start_daemon
before=$(in_win nft list table inet winipsec)
xfrm_before=$(in_win ip xfrm policy)
# A filter on an undefined filter list's rule: an input error at line 3.
{
  echo 'netsh ipsec static add policy name="Daemon test" activatedefaultrule=no'
  echo 'netsh ipsec static add filteraction name="Block" action=block'
  echo 'netsh ipsec static add filter filterlist="udp11" srcaddr=any dstaddr=me protocol=UDP dstport=11 bogus=yes'
  echo 'netsh ipsec static add rule name="r" policy="Daemon test" filterlist="udp11" filteraction="Block"'
  echo 'netsh ipsec static set policy name="Daemon test" assign=yes'
} > "$dir/src/new.bat"
mv "$dir/src/new.bat" "$dir/src/local.bat"
check "the failed reload shows in status (exit 1)" wait_until 3 sh -c "! ip netns exec $win $winipsec status --socket $dir/control > $dir/status.txt"
check "status names file:line:col" grep -q "$dir/src/local.bat:3:[0-9]*: error" "$dir/status.txt"
check "status says the previous state is enforced" grep -q "still enforced" "$dir/status.txt"
check "the log has the same location" grep -q "$dir/src/local.bat:3:[0-9]*: error" "$dir/daemon.log"
expect "nft table unchanged" "$(in_win nft list table inet winipsec)" "$before"
expect "XFRM unchanged" "$(in_win ip xfrm policy)" "$xfrm_before"
expect "UDP 9 still blocked" "$(udp 9)" dropped
expect "UDP 11 not blocked" "$(udp 11)" delivered
check "winipsec reload fails with exit 1" sh -c "ip netns exec $win $winipsec reload --socket $dir/control 2>/dev/null; [ \$? -eq 1 ]"
block_udp_policy "$dir/src/local.bat" 11
check "a fixed file clears the error" wait_until 3 status_ok
expect "UDP 11 now blocked" "$(udp 11)" dropped
finish
