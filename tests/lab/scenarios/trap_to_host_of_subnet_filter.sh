#!/usr/bin/env bash
# Scenario 2b: gw requires ESP with its whole subnet (remote_addrs is the
# CIDR 192.0.2.0/24, which charon cannot initiate to by itself) and sends the
# first packet, to the Windows host. charon has to take the peer's address
# from the ACQUIRE's selector, and propose host selectors in transport mode.
. "$(dirname "$0")/../lab_lib.sh"

lab_charons || exit 1
check "winipsec apply" gw_winipsec apply "$lab_policies/secure-subnet.netsh.bat"
check "the Windows side's configuration loads" win_load secure-subnet.swanctl.conf
lab_capture_start
came=$(udp gw win 7111 8)
check "gw -> win UDP arrives once IKE is done (try $came)" test "$came" != lost
expect "win -> gw UDP arrives on the first try" "$(udp win gw 7112)" 1
lab_capture_stop

log=$(charon_lab_log gw)
check "gw's charon initiated main mode to the Windows host" \
    grep -q 'initiating Main Mode IKE_SA winipsec-Lab_subnet-Lab_subnet\[[0-9]*\] to 192\.0\.2\.2' "$log"
first=$(grep -m 1 'isakmp' "$result/wire.txt")
check "the first IKE packet on the wire is gw's (${first#* IP })" \
    grep -qE '192\.0\.2\.1\.500 > 192\.0\.2\.2\.500: isakmp: phase 1 I ident' <<< "$first"
show=$(gw_winipsec show 2>&1)
check "the CHILD SA is host to host" grep -q 'INSTALLED TRANSPORT ESP .*192\.0\.2\.1/32 === 192\.0\.2\.2/32' <<< "$show"
expect_at_least "ESP gw -> win on the wire" "$(wire_count '192\.0\.2\.1 > 192\.0\.2\.2: ESP\(spi=')" 1
expect_at_least "ESP win -> gw on the wire" "$(wire_count '192\.0\.2\.2 > 192\.0\.2\.1: ESP\(spi=')" 1
expect "no clear UDP of the test flows on the wire" "$(wire_count '\.711[0-9]: UDP')" 0
finish
