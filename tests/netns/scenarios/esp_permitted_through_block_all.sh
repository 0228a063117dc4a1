#!/usr/bin/env bash
# Spec E8: raw protocol-50 packets pass a block-all when a permit names protocol 50; GRE does not.
. "$(dirname "$0")/lib.sh" "$@"
check "apply" in_win "$winipsec" apply "$policies/block-all-permit-esp.netsh.bat"
expect "peer -> win ESP (50) permitted" "$(raw peer win 50)" delivered
expect "peer -> win GRE (47) blocked" "$(raw peer win 47)" dropped
finish
