#!/usr/bin/env bash
# Zero gap: a permitted and a blocked UDP flow in each direction run while
# the policy is reloaded 100 times. Each reload moves an unrelated negotiate
# filter to another port, so every one really replaces the nft table and
# swaps XFRM policies (make-before-break).
# Blocked packets that got through must be 0, permitted packets lost must be 0.
. "$(dirname "$0")/daemon_lib.sh" "$@"
ms_since() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }
# policy PORT: block inbound UDP 9 and 19 to me (mirrored), negotiate UDP
# to PORT on 203.0.113.0/24 (nobody there; charon is not asked).
policy() {
  {
    echo 'netsh ipsec static add policy name="Zero gap" activatedefaultrule=no'
    echo 'netsh ipsec static add filteraction name="Block" action=block'
    echo 'netsh ipsec static add filteraction name="Secure" action=negotiate qmsecmethods="ESP[3DES,SHA1]"'
    echo 'netsh ipsec static add filter filterlist="udp9" srcaddr=any dstaddr=me protocol=UDP dstport=9'
    echo 'netsh ipsec static add filter filterlist="udp19" srcaddr=any dstaddr=me protocol=UDP dstport=19'
    echo "netsh ipsec static add filter filterlist=\"far\" srcaddr=me dstaddr=203.0.113.0 dstmask=24 protocol=UDP dstport=$1"
    echo 'netsh ipsec static add rule name="b9" policy="Zero gap" filterlist="udp9" filteraction="Block"'
    echo 'netsh ipsec static add rule name="b19" policy="Zero gap" filterlist="udp19" filteraction="Block"'
    echo 'netsh ipsec static add rule name="far" policy="Zero gap" filterlist="far" filteraction="Secure" psk="zero-gap-lab"'
    echo 'netsh ipsec static set policy name="Zero gap" assign=yes'
  } > "$dir/src/next.bat"
  mv "$dir/src/next.bat" "$dir/src/local.bat"
}
policy 7000
sources_yaml="  - path: $dir/src/local.bat"
# A socket nobody listens on: the host's own charon must not get our connections.
write_config "ike: {vici: \"unix://$dir/no-charon.vici\"}"
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
start=$(date +%s%N)
reload_failures=0
for i in $(seq 100); do
  policy $((7000 + i))
  reload || reload_failures=$((reload_failures + 1))
done
took=$(ms_since $start)
sleep 0.5
kill -TERM $s1 $s2 $s3 $s4; wait $s1 $s2 $s3 $s4
sleep 0.5
kill -TERM $r1 $r2 $r3 $r4; wait $r1 $r2 $r3 $r4
expect "100 reloads succeeded" "$reload_failures" 0
check "all 100 were applied" sh -c "ip netns exec $win $winipsec status --socket $dir/control --json | jq -e '.reloads >= 101' >/dev/null"
xfrm_swaps=$(grep -c 'applied (winipsec reload).*XFRM +[1-9][0-9]* ~[0-9]* -[1-9]' "$dir/daemon.log")
check "XFRM policies were swapped on the reloads (got $xfrm_swaps)" test "$xfrm_swaps" -ge 99
read -r sent_in _ < "$dir/in_permitted_sent"; got_in=$(cat "$dir/in_permitted")
read -r sent_out _ < "$dir/out_permitted_sent"; got_out=$(cat "$dir/out_permitted")
read -r _ tried_in_blocked < "$dir/in_blocked_sent"; through_in=$(cat "$dir/in_blocked")
# An output-hook drop refuses the send (EPERM): attempted, not sent.
read -r sent_out_blocked tried_out_blocked < "$dir/out_blocked_sent"; through_out=$(cat "$dir/out_blocked")
echo "100 reloads in $took; permitted delivered: inbound $got_in of $sent_in, outbound $got_out of $sent_out;" \
  "blocked that got through: inbound $through_in of $tried_in_blocked, outbound $through_out of $tried_out_blocked" \
  "($sent_out_blocked left the socket)"
check "flows ran (over 1000 packets each)" test "$sent_in" -gt 1000 -a "$sent_out" -gt 1000 -a "$tried_in_blocked" -gt 1000 -a "$tried_out_blocked" -gt 1000
expect "inbound permitted packets lost" "$((sent_in - got_in))" 0
expect "outbound permitted packets lost" "$((sent_out - got_out))" 0
expect "inbound blocked packets through" "$through_in" 0
expect "outbound blocked packets through" "$through_out" 0
expect "outbound blocked packets that left the socket" "$sent_out_blocked" 0
finish
