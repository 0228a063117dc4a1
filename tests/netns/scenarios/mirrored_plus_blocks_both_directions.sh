#!/usr/bin/env bash
# ipsecpol `+` is mirrored: any -> me:80 and me:80 -> any are both blocked.
. "$(dirname "$0")/lib.sh" "$@"
check "apply" in_win "$winipsec" apply "$policies/mirrored-block-80.ipsecpol.bat"
expect "peer -> win:80 blocked" "$(tcp peer win 80)" dropped
expect "win:80 -> peer UDP is TCP-only filter: passes" "$(udp win peer 9000 80)" delivered
expect "peer -> win:81 works" "$(tcp peer win 81)" connected
finish
