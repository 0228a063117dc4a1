#!/usr/bin/env bash
# Scenario 5: inpass. gw's negotiate filter accepts clear traffic from the
# Windows host (Windows' "accept unsecured communication, but always respond
# using IPsec"); the Windows host runs "Client (Respond Only)" and sends in
# clear. Its datagram is accepted, and what gw sends back brings up IKE (gw's
# ACQUIRE) and leaves protected - never in clear.
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/inpass.netsh.bat"
check "the Windows side's configuration loads" win_load respond-only.swanctl.conf
lab_capture_start

expect "win -> gw clear UDP is accepted on the first try" "$(udp win gw 7501)" 1
accepted=$(gw_counter "inbound negotiate-inpass rule 'Windows host' (clear accepted)")
expect_at_least "gw's inpass rule counted it" "$accepted" 1
came=$(udp gw win 7502 8)
check "gw's answer arrives once IKE is done (try $came)" test "$came" != lost
expect "win -> gw UDP arrives on the first try" "$(udp win gw 7503)" 1
expect "gw -> win UDP arrives on the first try" "$(udp gw win 7504)" 1
lab_capture_stop

expect "win's first datagram crossed in clear" "$(wire_count '192\.0\.2\.2\.[0-9]+ > 192\.0\.2\.1\.7501: UDP')" 1
expect "nothing from gw to win crossed in clear" "$(wire_count '192\.0\.2\.1\.[0-9]+ > 192\.0\.2\.2\.[0-9]+: UDP')" 0
expect "gw's charon started main mode on its ACQUIRE" \
    "$(grep -c 'initiating Main Mode IKE_SA winipsec-Lab_inpass-Windows_host' "$(charon_lab_log gw)")" 1
expect_at_least "ESP gw -> win on the wire" "$(wire_count '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=')" 2
expect_at_least "once the SAs were up, win's traffic crossed as ESP too" \
    "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 1
expect "win's later datagram was not in clear" "$(wire_count '192\.0\.2\.2\.[0-9]+ > 192\.0\.2\.1\.7503: UDP')" 0
finish
