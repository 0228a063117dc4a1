#!/usr/bin/env bash
# Builds winipsec and runs every test suite (meson test). Warnings are errors.
# The corpus suite needs ../shared (it reports "skipped" without it); the
# netns suite needs root and network namespaces (skipped otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
winipsec_install_missing
winipsec_configure build-test --werror
winipsec_compile build-test
status=0
meson test -C build-test --print-errorlogs "$@" || status=$?
# One closing line in the plain "N passed, N failed" form.
log=build-test/meson-logs/testlog.txt
count() { sed -n "s/^$1: *\([0-9]*\) *\$/\1/p" "$log" | tail -n 1; }
if [ -f "$log" ]; then
  printf '%s passed, %s failed, %s skipped\n' "$(count Ok)" "$(( $(count Fail) + $(count Timeout) ))" "$(count Skipped)"
fi
exit "$status"
