#!/usr/bin/env bash
# Builds winipsec and runs every test suite (meson test). Warnings are errors.
# The corpus suite needs ../shared (it reports "skipped" without it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
winipsec_install_missing
winipsec_build build-test --werror
meson test -C build-test --print-errorlogs "$@"
