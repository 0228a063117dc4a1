#!/usr/bin/env bash
# KB 813878 Code Red: inbound TCP 80 blocked; the host's own web clients still work.
. "$(dirname "$0")/lib.sh" "$@"
check "apply" in_win "$winipsec" apply "$policies/codered.ipseccmd.bat"
expect "peer -> win:80 blocked" "$(tcp peer win 80)" dropped
expect "win -> peer:80 works" "$(tcp win peer 80)" connected
expect "peer -> win:8080 works" "$(tcp peer win 8080)" connected
finish
