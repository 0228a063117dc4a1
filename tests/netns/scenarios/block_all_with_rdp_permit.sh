#!/usr/bin/env bash
# Spec E2: a block-all with a more specific permit for RDP.
. "$(dirname "$0")/lib.sh" "$@"
check "apply" in_win "$winipsec" apply "$policies/block-all-permit-rdp.netsh.bat"
expect "peer -> win:3389 permitted" "$(tcp peer win 3389)" connected
expect "peer -> win:22 blocked" "$(tcp peer win 22)" dropped
expect "peer -> win UDP 53 blocked" "$(udp peer win 53)" dropped
finish
