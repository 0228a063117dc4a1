#!/usr/bin/env bash
# End-to-end tests of the winipsec command line: what a user types, what they
# see, and the exit status. Usage: run_cli_tests.sh WINIPSEC SOURCE_ROOT
set -u
winipsec=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: some checks cd
root=$2
examples=$root/policies/examples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}

run() {  # run ARGS... -> $out, $err, $rc
  "$winipsec" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

# The bundled example prints exactly the expected netdiag-style listing.
for fmt in ipseccmd netsh; do
  run translate --me 192.0.2.10 "$examples/kb813878-block-udp-1434.$fmt.bat"
  check "kb813878 $fmt exit 0" test "$rc" -eq 0
  check "kb813878 $fmt has 2 filters" grep -q '^There are 2 filters$' "$tmp/out"
  check "kb813878 $fmt inbound block" grep -q '^Flags : Inbound Block$' "$tmp/out"
  check "kb813878 $fmt outbound block" grep -q '^Flags : Outbound Block$' "$tmp/out"
  check "kb813878 $fmt dest 192.0.2.10" grep -q '^Dest Addr : 192.0.2.10 Dest Mask : 255.255.255.255$' "$tmp/out"
  check "kb813878 $fmt port 1434" grep -q '^Tunnel Addr : 0.0.0.0 Src Port : 0 Dest Port : 1434$' "$tmp/out"
  grep -E '^(There are|Src Addr|Dest Addr|Tunnel Addr|Protocol|Flags)' "$tmp/out" >"$tmp/$fmt.filters"
done
check "ipseccmd and netsh forms give the same filters" cmp -s "$tmp/ipseccmd.filters" "$tmp/netsh.filters"
# The expected translations in policies/examples, produced from the source
# root with relative paths (paths appear in the output).
for target in listing plan; do
  (cd "$root" && "$winipsec" translate --me 192.0.2.10 --target "$target" \
     policies/examples/kb813878-block-udp-1434.ipseccmd.bat >"$tmp/expected.$target" 2>/dev/null)
  check "kb813878 $target matches policies/examples/*.$target" \
    diff -u "$examples/kb813878-block-udp-1434.$target" "$tmp/expected.$target"
done

# Exit status contract: 0 ok, 1 input errors, 2 usage, 3 system error.
run translate "$tmp/does-not-exist.bat"
check "missing file is a system error (3)" test "$rc" -eq 3
check "missing file is named" grep -q 'does-not-exist.bat' "$tmp/err"
run translate --define NOEQUALS "$examples/kb813878-block-udp-1434.netsh.bat"
check "bad --define is a usage error (2)" test "$rc" -eq 2
run translate --format nosuch "$examples/kb813878-block-udp-1434.netsh.bat"
check "unknown --format is a usage error (2)" test "$rc" -eq 2
run translate --target nosuch "$examples/kb813878-block-udp-1434.netsh.bat"
check "unknown --target is a usage error (2)" test "$rc" -eq 2
run nosuchverb
check "unknown verb is a usage error (2)" test "$rc" -eq 2
run --help
check "--help exits 0" test "$rc" -eq 0
for verb in translate lint; do
  run "$verb" --help
  check "$verb --help exits 0 and shows usage" bash -c "[ $rc -eq 0 ] && grep -q Usage '$tmp/out'"
done

printf 'netsh ipsec static add policy name=P\nnetsh ipsec static add rule name=R policy=P filterlist=L filteraction=A\n' >"$tmp/bad.bat"
run lint "$tmp/bad.bat"
check "lint of a faulty script exits 1" test "$rc" -eq 1
check "lint lines are file:line:col: severity: CODE: message" \
  grep -qE "^$tmp/bad.bat:2:[0-9]+: error: E-[A-Z0-9-]+: .+" "$tmp/err"
run translate "$tmp/bad.bat"
check "translate withholds output on errors" bash -c "[ $rc -eq 1 ] && [ ! -s '$tmp/out' ]"

# Secrets never reach output unless asked for.
printf '%s\n' 'netsh ipsec static add policy name=P assign=yes' \
  'netsh ipsec static add filteraction name=A action=negotiate qmsecmethods="ESP[3DES,SHA1]"' \
  'netsh ipsec static add filter filterlist=L srcaddr=me dstaddr=192.0.2.0 dstmask=24' \
  'netsh ipsec static add rule name=R policy=P filterlist=L filteraction=A psk="s3cr3t-kEy"' >"$tmp/psk.bat"
run translate --target json "$tmp/psk.bat"
check "json exit 0" test "$rc" -eq 0
check "json redacts the psk" bash -c "! grep -q 's3cr3t-kEy' '$tmp/out' '$tmp/err' && grep -q '\"preshared_key\": \"\\*\\*\\*\\*\\*\\*\\*\\*\"' '$tmp/out'"
run lint "$tmp/psk.bat"
check "lint never prints the psk" bash -c "! grep -q 's3cr3t-kEy' '$tmp/out' '$tmp/err'"
run translate --target json --show-secrets "$tmp/psk.bat"
check "--show-secrets reveals it" grep -q 's3cr3t-kEy' "$tmp/out"

# IKE: the negotiate rule as a charon connection (swanctl.conf), key redacted.
run translate --target swanctl --me 192.0.2.10 --no-host-lookups "$tmp/psk.bat"
check "swanctl exit 0" test "$rc" -eq 0
check "swanctl is IKEv1 main mode" bash -c "grep -q '^        version = 1$' '$tmp/out' && grep -q '^        aggressive = no$' '$tmp/out'"
check "swanctl proposals are explicit Windows defaults" \
  grep -q '^        proposals = 3des-sha1-modp1024, 3des-md5-modp1024, des-sha1-modp768, des-md5-modp768$' "$tmp/out"
check "swanctl child esp 3des-sha1 to the subnet" \
  bash -c "grep -q 'esp_proposals = 3des-sha1$' '$tmp/out' && grep -q 'remote_ts = 192.0.2.0/24$' '$tmp/out'"
check "swanctl redacts the psk" bash -c "! grep -q 's3cr3t-kEy' '$tmp/out' '$tmp/err' && grep -q 'secret = \*\*\*\*\*\*\*\*' '$tmp/out'"
run translate --target swanctl --show-secrets --me 192.0.2.10 --no-host-lookups "$tmp/psk.bat"
check "swanctl --show-secrets reveals it" grep -q 'secret = s3cr3t-kEy' "$tmp/out"
# Kerberos-only (no auth given: Windows' default) is refused with a code.
sed 's/ psk="s3cr3t-kEy"//' "$tmp/psk.bat" >"$tmp/kerberos.bat"
run translate --target swanctl --me 192.0.2.10 --no-host-lookups "$tmp/kerberos.bat"
check "kerberos-only rule is an input error" bash -c "[ $rc -eq 1 ] && grep -q 'E-IKE-KERBEROS-ONLY' '$tmp/err'"
run translate --target swanctl --kerberos-fallback psk:other --me 192.0.2.10 --no-host-lookups "$tmp/kerberos.bat"
check "--kerberos-fallback substitutes a key" bash -c "[ $rc -eq 0 ] && grep -q 'W-IKE-KERBEROS-FALLBACK' '$tmp/err'"
# Counterpart mode: the Windows host's own export, seen from its peer.
run translate --target plan --as-peer-of 192.0.2.10 --me 192.0.2.20 --no-host-lookups "$tmp/psk.bat"
check "counterpart: Windows' outbound is our inbound" \
  bash -c "[ $rc -eq 0 ] && grep -qE 'inbound +negotiate +192.0.2.10 -> 192.0.2.0/24' '$tmp/out'"
run translate --target plan --as-peer-of 192.0.2.10 --me 192.0.2.10 "$tmp/psk.bat"
check "counterpart of our own address is a usage error" test "$rc" -eq 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
