#!/usr/bin/env bash
# KB 813878's warning: with NoDefaultExempt 0 anything from source port 88
# bypasses block filters; with 3 (Server 2003 default) it is blocked.
. "$(dirname "$0")/lib.sh" "$@"
check "apply with NoDefaultExempt 0" in_win "$winipsec" apply --nodefaultexempt 0 "$policies/block-all-permit-rdp.netsh.bat"
expect "peer:88 -> win:445 UDP exempt" "$(udp peer win 445 88)" delivered
expect "peer:89 -> win:445 UDP blocked" "$(udp peer win 445 89)" dropped
check "apply with NoDefaultExempt 3" in_win "$winipsec" apply --nodefaultexempt 3 "$policies/block-all-permit-rdp.netsh.bat"
expect "peer:88 -> win:445 UDP now blocked" "$(udp peer win 445 88)" dropped
finish
