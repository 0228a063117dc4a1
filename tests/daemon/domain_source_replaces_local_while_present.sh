#!/usr/bin/env bash
# A domain (GPO) policy replaces the local one entirely while it is there
# (KB 813878, no merge); when it goes, the local policy is back. The domain
# file's directory does not exist at start (no GPO yet) and goes with it.
. "$(dirname "$0")/daemon_lib.sh" "$@"
block_udp_policy "$dir/src/local.bat" 9
sources_yaml="  - path: $dir/src/local.bat
  - path: $dir/src/gpo/domain.bat
    role: domain"
write_config
check "daemon starts (no domain policy yet)" start_daemon
expect "local: UDP 9 blocked" "$(udp 9)" dropped
expect "local: UDP 10 open" "$(udp 10)" delivered
mkdir "$dir/src/gpo"
block_udp_policy "$dir/src/gpo/domain.bat" 10
check "domain policy applied" wait_until 3 table_has ' 10$'
expect "domain: UDP 10 blocked" "$(udp 10)" dropped
expect "domain: local UDP 9 block gone (no merge)" "$(udp 9)" delivered
check "status says local is replaced" sh -c "ip netns exec $win $winipsec status --socket $dir/control | grep -q 'replaced by the domain'"
rm -r "$dir/src/gpo"
check "local policy back" wait_until 3 table_has ' 9$'
expect "back to local: UDP 9 blocked" "$(udp 9)" dropped
expect "back to local: UDP 10 open" "$(udp 10)" delivered
finish
