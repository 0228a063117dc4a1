#!/usr/bin/env bash
# kill -9 while the daemon reloads in a loop, then restart with a source that
# no longer parses: the last-known-good file is intact, its state is in the
# kernel before READY=1 (the STATUS line saying so comes first), and it is
# one whole policy, never a mix.
. "$(dirname "$0")/daemon_lib.sh" "$@"
block_udp_policy "$dir/src/a.bat" 9 19
block_udp_policy "$dir/src/b.bat" 10 20
cp "$dir/src/a.bat" "$dir/src/local.bat"
sources_yaml="  - path: $dir/src/local.bat"
write_config
check "daemon starts" start_daemon
(
  for i in $(seq 200); do
    if [ $((i % 2)) -eq 0 ]; then cp "$dir/src/a.bat" "$dir/src/x"; else cp "$dir/src/b.bat" "$dir/src/x"; fi
    mv "$dir/src/x" "$dir/src/local.bat"
    in_win "$winipsec" reload --socket "$dir/control" -q 2>/dev/null
  done
) &
loop=$!
sleep 1.5
kill9_daemon
kill "$loop" 2>/dev/null; wait "$loop" 2>/dev/null
check "the last-known-good file is whole JSON" jq -e '.format == "winipsec-last-known-good"' "$dir/state/last-known-good.json" >/dev/null

echo 'netsh ipsec static add filter filterlist="x" srcaddr=any dstaddr=me bogus=yes' > "$dir/src/local.bat"  # does not parse
: > "$dir/notify.log"
check "restart reports READY although the source is broken" start_daemon
ready_line=$(grep -n 'READY=1' "$dir/notify.log" | head -n 1 | cut -d: -f1)
lkg_line=$(grep -n 'STATUS=last-known-good of .* applied' "$dir/notify.log" | head -n 1 | cut -d: -f1)
check "last-known-good applied before READY" test -n "$lkg_line" -a -n "$ready_line" -a "${lkg_line:-0}" -lt "${ready_line:-0}"
elements=$(nft_elements | awk '{print $5}' | sort -n | tr '\n' ' ')
check "the state is one whole policy (got ports: $elements)" test "$elements" = "9 19 " -o "$elements" = "10 20 "
check "status shows the source error" sh -c "! ip netns exec $win $winipsec status --socket $dir/control | grep -q 'enforcing: .*last-known-good' || ip netns exec $win $winipsec status --socket $dir/control | grep -q error"
if [ "$elements" = "9 19 " ]; then expect "UDP 9 blocked" "$(udp 9)" dropped; else expect "UDP 10 blocked" "$(udp 10)" dropped; fi
finish
