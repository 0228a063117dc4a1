#!/usr/bin/env bash
# The main job on the bundled example: the KB 813878 policy (block SQL Slammer,
# UDP 1434) as ipseccmd commands, translated into the filters Windows'
# netdiag would show for a host whose address is 192.0.2.10.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
winipsec_install_missing
winipsec_build build
example=policies/examples/kb813878-block-udp-1434.ipseccmd.bat
echo "\$ winipsec translate --me 192.0.2.10 $example" >&2
exec ./build/src/cli/winipsec translate --me 192.0.2.10 "$example"
