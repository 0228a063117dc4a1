#!/usr/bin/env bash
# The unit's hardening keeps CAP_NET_ADMIN only (CapabilityBoundingSet,
# NoNewPrivileges): the daemon applies, reloads and answers its control
# socket with nothing more.
. "$(dirname "$0")/daemon_lib.sh" "$@"
command -v setpriv >/dev/null || { echo "skipped: no setpriv"; exit 77; }
block_udp_policy "$dir/src/local.bat" 9
sources_yaml="  - path: $dir/src/local.bat"
write_config
real=$winipsecd
winipsecd=$dir/capped.sh
cat > "$winipsecd" <<EOS
#!/bin/sh
exec setpriv --no-new-privs --inh-caps=-all --bounding-set=-all,+net_admin $real "\$@"
EOS
chmod +x "$winipsecd"
check "daemon starts with only CAP_NET_ADMIN" start_daemon
check "its bounding set is CAP_NET_ADMIN only" sh -c "grep -q '^CapBnd:.*0000000000001000' /proc/$daemon_pid/status"
expect "UDP 9 blocked" "$(udp 9)" dropped
block_udp_policy "$dir/src/local.bat" 10
check "reloads work" wait_until 3 table_has ' 10$'
check "winipsec reload works" reload
finish
