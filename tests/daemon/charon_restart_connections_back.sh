#!/usr/bin/env bash
# charon restarts (its VICI socket goes and comes back): winipsecd loads the
# negotiate rules' connections and keys again, within 5 s, unasked. Also:
# charon started after the daemon gets them, and the key never reaches the
# daemon's log or `winipsec status`.
. "$(dirname "$0")/daemon_lib.sh" "$@"
ms_since() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }
. "$here/../ike/charon_lab.sh"
charon_lab_check || exit 77
trap 'charon_lab_cleanup; cleanup' EXIT
cat > "$dir/src/local.bat" <<'POL'
netsh ipsec static add policy name="Secure peer" activatedefaultrule=no
netsh ipsec static add filteraction name="Require ESP" action=negotiate qmsecmethods="ESP[3DES,SHA1]"
netsh ipsec static add filter filterlist="Peer" srcaddr=me dstaddr=192.0.2.1
netsh ipsec static add rule name="secure" policy="Secure peer" filterlist="Peer" filteraction="Require ESP" psk="lab-only-key-4711"
netsh ipsec static set policy name="Secure peer" assign=yes
POL
sources_yaml="  - path: $dir/src/local.bat"
write_config "ike: {vici: \"$(charon_lab_uri win)\"}"
has_conns() { charon_lab_swanctl win --list-conns 2>/dev/null | grep -q '^winipsec-'; }
check "daemon starts before charon" start_daemon
check "charon starts" charon_lab_start win "$win"
check "connections loaded once charon answers (5 s)" wait_until 5 has_conns
check "the key is loaded" grep -q "1 connections and 1 keys loaded" "$dir/daemon.log"
kill -9 "$(charon_lab_pid win)"; wait "$(charon_lab_pid win)" 2>/dev/null
unset "CHARON_LAB_PIDS[win]"
start=$(date +%s%N)
check "charon restarts" charon_lab_start win "$win"
check "connections back within 5 s" wait_until 5 has_conns
echo "connections back $(ms_since $start) after charon was started again"
check "status says charon is connected" sh -c "ip netns exec $win $winipsec status --socket $dir/control | grep -q 'charon at .*: connected'"
check "the key is in neither the log nor status" sh -c "! grep -q lab-only-key-4711 $dir/daemon.log && ! (ip netns exec $win $winipsec status --socket $dir/control --json | grep -q lab-only-key-4711)"
finish
