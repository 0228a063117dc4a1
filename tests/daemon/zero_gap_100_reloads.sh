#!/usr/bin/env bash
# Zero gap: a permitted and a blocked UDP flow in each direction run while
# the policy is reloaded 100 times (each time a different unrelated filter,
# so every reload really replaces the nft table and reconciles XFRM).
# Blocked packets that got through must be 0, permitted packets lost must be 0.
. "$(dirname "$0")/daemon_lib.sh" "$@"
block_udp_policy "$dir/src/local.bat" 9 19 7000
sources_yaml="  - path: $dir/src/local.bat"
write_config
check "daemon starts" start_daemon
# Started with ip netns exec itself (it execs): $! is the counter's pid.
# Outbound block: the mirror of the port 19 filter, from me with source port 19.
rate=2000
ip netns exec "$win" "$flow" recv 5001 > "$dir/in_permitted" & r1=$!
ip netns exec "$win" "$flow" recv 9 > "$dir/in_blocked" & r2=$!
ip netns exec "$peer" "$flow" recv 5002 > "$dir/out_permitted" & r3=$!
ip netns exec "$peer" "$flow" recv 6009 > "$dir/out_blocked" & r4=$!
sleep 0.3
ip netns exec "$peer" "$flow" send 192.0.2.2 5001 40001 $rate > "$dir/in_permitted_sent" & s1=$!
ip netns exec "$peer" "$flow" send 192.0.2.2 9 40002 $rate > "$dir/in_blocked_sent" & s2=$!
ip netns exec "$win" "$flow" send 192.0.2.1 5002 40003 $rate > "$dir/out_permitted_sent" & s3=$!
ip netns exec "$win" "$flow" send 192.0.2.1 6009 19 $rate > "$dir/out_blocked_sent" & s4=$!
sleep 0.5
start=$(date +%s.%N)
reload_failures=0
for i in $(seq 100); do
  block_udp_policy "$dir/src/local.bat" 9 19 $((7000 + i))
  reload || reload_failures=$((reload_failures + 1))
done
took=$(echo "$(date +%s.%N) - $start" | bc)
sleep 0.5
kill -TERM $s1 $s2 $s3 $s4; wait $s1 $s2 $s3 $s4
sleep 0.5
kill -TERM $r1 $r2 $r3 $r4; wait $r1 $r2 $r3 $r4
expect "100 reloads succeeded" "$reload_failures" 0
check "all 100 were applied" sh -c "ip netns exec $win $winipsec status --socket $dir/control --json | jq -e '.reloads >= 101' >/dev/null"
read -r sent_in _ < "$dir/in_permitted_sent"; got_in=$(cat "$dir/in_permitted")
read -r sent_out _ < "$dir/out_permitted_sent"; got_out=$(cat "$dir/out_permitted")
read -r _ tried_in_blocked < "$dir/in_blocked_sent"; through_in=$(cat "$dir/in_blocked")
# An output-hook drop refuses the send (EPERM): attempted, not sent.
read -r sent_out_blocked tried_out_blocked < "$dir/out_blocked_sent"; through_out=$(cat "$dir/out_blocked")
echo "100 reloads in $took s; permitted delivered: inbound $got_in of $sent_in, outbound $got_out of $sent_out;" \
  "blocked that got through: inbound $through_in of $tried_in_blocked, outbound $through_out of $tried_out_blocked" \
  "($sent_out_blocked left the socket)"
check "flows ran (over 1000 packets each)" test "$sent_in" -gt 1000 -a "$sent_out" -gt 1000 -a "$tried_in_blocked" -gt 1000 -a "$tried_out_blocked" -gt 1000
expect "inbound permitted packets lost" "$((sent_in - got_in))" 0
expect "outbound permitted packets lost" "$((sent_out - got_out))" 0
expect "inbound blocked packets through" "$through_in" 0
expect "outbound blocked packets through" "$through_out" 0
expect "outbound blocked packets that left the socket" "$sent_out_blocked" 0
finish
