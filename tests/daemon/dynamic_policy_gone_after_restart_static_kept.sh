#!/usr/bin/env bash
# Static policy persists; dynamic policy (ipseccmd without -w, netsh ipsec
# dynamic) lives in the daemon's memory only, as in Windows' Policy Agent:
# written while the daemon runs it applies, after a restart it is gone until
# the file changes again, while the static policy comes straight back.
. "$(dirname "$0")/daemon_lib.sh" "$@"
block_udp_policy "$dir/src/static.bat" 9
sources_yaml="  - path: $dir/src/static.bat
  - path: $dir/src/dynamic.bat
    kind: dynamic"
write_config
check "daemon starts without the dynamic file" start_daemon
echo 'ipseccmd -f [*+0:11:UDP]' > "$dir/src/dynamic.tmp"; mv "$dir/src/dynamic.tmp" "$dir/src/dynamic.bat"
check "dynamic policy applied once written" wait_until 3 table_has ' 11$'
expect "dynamic: UDP 11 blocked" "$(udp 11)" dropped
expect "static: UDP 9 blocked" "$(udp 9)" dropped
check "the dynamic policy is not in last-known-good" sh -c "! grep -q '\"000b\"' $dir/state/last-known-good.json"

kill9_daemon
check "restart" start_daemon
expect "after restart static UDP 9 still blocked" "$(udp 9)" dropped
expect "after restart dynamic UDP 11 gone" "$(udp 11)" delivered
check "status says the dynamic source is not applied" sh -c "ip netns exec $win $winipsec status --socket $dir/control | grep -q 'dynamic.bat (local dynamic): not applied'"
touch "$dir/src/dynamic.bat"
check "a change applies it again" wait_until 3 table_has ' 11$'
finish
