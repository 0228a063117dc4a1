#!/usr/bin/env bash
# Scenario 9: lifetimes far below Windows' minimums - quick mode SAs of 20 s
# (rekeyed at ~18 s), main mode of 1 minute (gw re-authenticates at ~50 s,
# the Windows host at 60 s) - while a ping flows for 65 s. The flow must
# survive every rekey and the re-authentication: SPIs change on the wire,
# main mode runs again, and the pings keep being answered.
# lab: alongside - it mostly waits for the lifetimes to run out
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/short-lifetimes.netsh.bat"
check "the Windows side's configuration loads" win_load short-lifetimes.swanctl.conf
lab_capture_start
came=$(udp win gw 7901 8)
check "win -> gw UDP arrives once IKE is done (try $came)" test "$came" != lost

in_ns gw ping -n -c 130 -i 0.5 -W 1 -I 192.0.2.1 192.0.2.2 > "$result/ping.txt" 2>&1
lab_capture_stop

received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$result/ping.txt")
lost=$((130 - ${received:-0}))
note "pings lost: $lost of 130: $(grep -o 'icmp_seq=[0-9]*' "$result/ping.txt" | sed 's/icmp_seq=//' |
    awk 'BEGIN { n = 1 } { while (n < $1) printf "%d ", n++; n = $1 + 1 }')"
expect "every ping answered across the rekeys and the re-authentication" "$lost" 0
spis=$(grep -oE '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=0x[0-9a-f]+' "$result/wire.txt" | sort -u | wc -l)
expect_at_least "gw's outbound SPI changed at least twice on the wire" "$spis" 3
expect_at_least "a second IKE SA was established (re-authentication)" \
    "$(grep -c 'IKE_SA winipsec-Lab_short_lifetimes-Windows_host\[[0-9]*\] established' "$(charon_lab_log gw)")" 2
expect "still ESP only: no clear ICMP on the wire" "$(wire_count 'ICMP echo')" 0
expect "gw -> win UDP arrives on the first try afterwards" "$(udp gw win 7902)" 1
show=$(gw_winipsec show 2>&1)
echo "$show" | sed -n '/^IKE/,$p' | sed 's/^/# /'
check "show lists an ESTABLISHED IKE SA" grep -q 'IKEv1 ESTABLISHED' <<< "$show"
finish
