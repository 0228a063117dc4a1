#!/usr/bin/env bash
# systemd-analyze verify on the shipped unit (with ExecStart pointing at the
# built daemon, since verify checks the binary exists) and the tmpfiles entry.
set -u
winipsecd=$(realpath "$1")  # the unit needs an absolute path
units=$2
command -v systemd-analyze >/dev/null || { echo "skipped: no systemd-analyze"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/sbin/winipsecd|$winipsecd|" "$units/winipsecd.service" > "$tmp/winipsecd.service"
out=$(systemd-analyze verify "$tmp/winipsecd.service" 2>&1)
if [ -n "$out" ]; then echo "FAIL: systemd-analyze verify:"; echo "$out"; exit 1; fi
grep -q '^Type=notify' "$tmp/winipsecd.service" || { echo "FAIL: not Type=notify"; exit 1; }
grep -q '^Before=.*network-pre.target' "$tmp/winipsecd.service" || { echo "FAIL: not before network-pre"; exit 1; }
if command -v systemd-tmpfiles >/dev/null; then
  mkdir -p "$tmp/root"
  cp "$units/winipsecd.tmpfiles.conf" "$tmp/winipsecd.conf"
  if ! systemd-tmpfiles --root="$tmp/root" --create "$tmp/winipsecd.conf" 2>"$tmp/err"; then
    echo "FAIL: tmpfiles:"; cat "$tmp/err"; exit 1
  fi
  for d in var/lib/winipsec run/winipsec etc/winipsec; do
    [ "$(stat -c %a "$tmp/root/$d")" = 700 ] || { echo "FAIL: $d is not 0700"; exit 1; }
  done
fi
echo "unit and tmpfiles entry verified"
