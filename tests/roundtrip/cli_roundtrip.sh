#!/usr/bin/env bash
# The netsh round trip as a user runs it: `winipsec translate --target netsh`
# writes a script; translating that script gives the same plan as the input
# (source locations aside). Usage: cli_roundtrip.sh WINIPSEC SOURCE_ROOT
set -u
winipsec=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}

plan_without_locations() {  # FILE -> the plan, with "at file:line:col" cut
  "$winipsec" translate --me 192.0.2.10 --server dns=192.0.2.53 --server gateway=192.0.2.1 --target plan "$1" \
    2>/dev/null | sed -E 's/ at [^ ]+:[0-9]+:[0-9]+//'
}

for input in "$root"/tests/roundtrip/spec_examples/* "$root"/policies/examples/*.bat; do
  name=$(basename "$input")
  "$winipsec" translate --target netsh --show-secrets "$input" >"$tmp/script.cmd" 2>"$tmp/err"
  check "$name: exit 0" test $? -eq 0
  check "$name: nothing the writer had to warn about" bash -c "! grep -q EXPORT '$tmp/err'"
  check "$name: CRLF line ends only" test "$(grep -c $'[^\r]$' "$tmp/script.cmd")" -eq 0
  plan_without_locations "$input" >"$tmp/before.plan"
  plan_without_locations "$tmp/script.cmd" >"$tmp/after.plan"
  check "$name: same plan after the round trip" cmp -s "$tmp/before.plan" "$tmp/after.plan"
  check "$name: the plan is not empty" grep -q '^# policy' "$tmp/before.plan"
done

# Keys: redacted unless --show-secrets, with a warning that names the rule.
e01=$root/tests/roundtrip/spec_examples/e01-mirrored-filter-with-port.netsh.cmd
"$winipsec" translate --target netsh "$e01" >"$tmp/out" 2>"$tmp/err"
check "redacted: exit 0 (a warning)" test $? -eq 0
check "redacted: placeholder" grep -q 'psk="<REDACTED>"' "$tmp/out"
check "redacted: no key" bash -c "! grep -q s3cret '$tmp/out' '$tmp/err'"
check "redacted: warning" grep -q "W-EXPORT-PSK-REDACTED: the pre-shared key of rule 'SecHTTP'" "$tmp/err"
"$winipsec" translate --target netsh --show-secrets "$e01" >"$tmp/out" 2>"$tmp/err"
check "--show-secrets: the key" grep -q 'psk="s3cret"' "$tmp/out"

# An input with errors prints no script (exit 1) unless --keep-going.
printf 'netsh ipsec static add rule name=r policy=none filterlist=x filteraction=y\r\n' >"$tmp/bad.cmd"
"$winipsec" translate --target netsh "$tmp/bad.cmd" >"$tmp/out" 2>/dev/null
check "errors: exit 1" test $? -eq 1
check "errors: no script" test ! -s "$tmp/out"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
