#!/usr/bin/env bash
# winipsecd applies its source at start, and an edit of the file is applied
# without anyone asking (inotify): UDP 9 blocked, then UDP 10 instead.
# With WatchdogSec= (WATCHDOG_USEC) it sends keep-alives.
. "$(dirname "$0")/daemon_lib.sh" "$@"
block_udp_policy "$dir/src/local.bat" 9
sources_yaml="  - path: $dir/src/local.bat"
write_config
WATCHDOG_USEC=400000
export WATCHDOG_USEC
check "daemon starts and reports READY" start_daemon
unset WATCHDOG_USEC
expect "UDP 9 blocked" "$(udp 9)" dropped
expect "UDP 10 permitted" "$(udp 10)" delivered
check "status exits 0" status_ok
check "watchdog keep-alives" wait_until 2 grep -q 'WATCHDOG=1' "$dir/notify.log"
check "status names the policy" sh -c "ip netns exec $win $winipsec status --socket $dir/control | grep -q \"policy 'Daemon test'\""
check "the control socket is 0600" test "$(stat -c %a "$dir/control")" = 600
check "a non-root user is refused (exit 3)" sh -c "ip netns exec $win setpriv --reuid=65534 --regid=65534 --clear-groups $winipsec status --socket $dir/control 2>&1 | grep -q 'permission denied'"
check "last-known-good written 0600" test "$(stat -c %a "$dir/state/last-known-good.json")" = 600

block_udp_policy "$dir/src/local.bat" 10
check "edit picked up within 3 s" wait_until 3 table_has ' 10$'
expect "after the edit UDP 10 blocked" "$(udp 10)" dropped
expect "after the edit UDP 9 permitted" "$(udp 9)" delivered
check "the reload is recorded as a file change" sh -c \
  "ip netns exec $win $winipsec status --socket $dir/control --json | grep -q '\"cause\": \"file change\"'"
check "winipsec reload applies and exits 0" reload
check "SIGTERM stops the daemon" stop_daemon
expect "the policy stays after the daemon stops" "$(udp 10)" dropped
finish
