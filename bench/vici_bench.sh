#!/usr/bin/env bash
# IKE load benchmark (issue 5), side by side in one run, as root: a generated
# netsh policy with N negotiate rules (default 1 000, each its own peer,
# mirrored me <-> 10.1.x.y, PSK) loaded into a fresh charon
#  a) by `winipsec apply --vici` (its "IKE: loading took" line with -v: the
#     load-conn/load-shared requests of all connections and keys, without
#     parsing, planning and the kernel state, which are reported apart as
#     "apply total");
#  b) by `swanctl --load-conns` and `swanctl --load-creds` of the equivalent
#     swanctl.conf (`winipsec translate --target swanctl --show-secrets`),
#     each a process as an administrator would run it.
# ratio = a / (load-conns + load-creds), the same work (target <= 1.0); also
# against --load-conns alone, which leaves out the keys winipsec loads.
# Both --ipsec-stack variants: kernel (children with policies = no) and
# libipsec (charon installs a trap policy per child in libipsec).
# Every run uses a fresh charon (tests/ike/charon_lab.sh); medians of RUNS.
# Usage: bench/vici_bench.sh [BUILD_DIR [N [RUNS]]]   (default: build 1000 5)
set -uo pipefail  # no -e: charon_lab.sh is not written for it
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-1000}
runs=${3:-5}
winipsec=$PWD/$build/src/cli/winipsec
[ "$(id -u)" -eq 0 ] || { echo "vici_bench: needs root" >&2; exit 1; }
[ -x "$winipsec" ] || { echo "vici_bench: build $winipsec first" >&2; exit 1; }
export CHARON_LAB_DIR
CHARON_LAB_DIR=$(mktemp -d)
. tests/ike/charon_lab.sh
charon_lab_check >&2 || exit 1
tmp=$CHARON_LAB_DIR
trap charon_lab_cleanup EXIT
ns=wi-vbench-$$
charon_lab_netns "$ns" || exit 1
charon_lab_addr "$ns" 192.0.2.10/24

python3 - "$n" "$tmp/bench.netsh.bat" << 'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write('netsh ipsec static add policy name="bench" mmsecmethods="3DES-SHA1-2 3DES-MD5-2" activatedefaultrule=no\n')
    f.write('netsh ipsec static add filteraction name="Secure" action=negotiate qmsecmethods="ESP[3DES,SHA1] ESP[3DES,MD5]"\n')
    for i in range(n):
        peer = f"10.1.{i // 250}.{i % 250 + 1}"
        f.write(f'netsh ipsec static add filterlist name="peer{i}"\n')
        f.write(f'netsh ipsec static add filter filterlist="peer{i}" srcaddr=me dstaddr={peer} protocol=ANY mirrored=yes\n')
        f.write(f'netsh ipsec static add rule name="peer{i}" policy="bench" filterlist="peer{i}" '
                f'filteraction="Secure" kerberos=no psk="bench-key-{i}"\n')
    f.write('netsh ipsec static set policy name="bench" assign=yes\n')
PY

now_us() { echo $(($(date +%s%N) / 1000)); }
# CPU time charon has used so far (user + system), in microseconds.
charon_cpu_us() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($14 + $15) * 1000000 / hz }' "/proc/$(charon_lab_pid "$1")/stat"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

printf 'vici_bench: %d negotiate rules (distinct peers) -> %d connections + %d keys, median of %d runs, fresh charon each\n' \
    "$n" "$n" "$n" "$runs"
printf '%-9s %13s %13s %13s %13s %13s %13s %7s %7s\n' stack "winipsec IKE" "(charon CPU)" "load-conns" "load-creds" \
    "swanctl sum" "(charon CPU)" ratio "/conns" 
for stack in kernel libipsec; do
    charon_opt=""
    [ $stack = libipsec ] && charon_opt=--libipsec
    ip netns exec "$ns" "$winipsec" translate --target swanctl --show-secrets --me 192.0.2.10 --no-host-lookups \
        --ipsec-stack $stack "$tmp/bench.netsh.bat" > "$tmp/bench.$stack.swanctl.conf"
    for f in ike ikecpu apply conns creds swcpu; do : > "$tmp/$f.$stack"; done
    for run in $(seq "$runs"); do
        charon_lab_start w "$ns" $charon_opt > /dev/null
        c0=$(charon_cpu_us w)
        t0=$(now_us)
        out=$(ip netns exec "$ns" "$winipsec" apply "$tmp/bench.netsh.bat" --me 192.0.2.10 --no-host-lookups \
            --vici "$(charon_lab_uri w)" --ipsec-stack $stack -v 2> /dev/null)
        t1=$(now_us)
        echo $(($(charon_cpu_us w) - c0)) >> "$tmp/ikecpu.$stack"
        ip netns exec "$ns" "$winipsec" flush --vici "$(charon_lab_uri w)" > /dev/null
        charon_lab_stop w
        grep -q "IKE: $n connections and $n keys loaded" <<< "$out" || { echo "$out" >&2; exit 1; }
        sed -n 's/^IKE: loading took \([0-9.]*\) ms$/\1/p' <<< "$out" | awk '{ printf "%d\n", $1 * 1000 }' >> "$tmp/ike.$stack"
        echo $((t1 - t0)) >> "$tmp/apply.$stack"

        charon_lab_start s "$ns" $charon_opt > /dev/null
        c0=$(charon_cpu_us s)
        t0=$(now_us)
        charon_lab_swanctl s --load-conns --file "$tmp/bench.$stack.swanctl.conf" > "$tmp/swanctl.out" 2>&1
        t1=$(now_us)
        charon_lab_swanctl s --load-creds --file "$tmp/bench.$stack.swanctl.conf" >> "$tmp/swanctl.out" 2>&1
        t2=$(now_us)
        echo $(($(charon_cpu_us s) - c0)) >> "$tmp/swcpu.$stack"
        grep -q "successfully loaded $n connections" "$tmp/swanctl.out" || { cat "$tmp/swanctl.out" >&2; exit 1; }
        charon_lab_stop s
        echo $((t1 - t0)) >> "$tmp/conns.$stack"
        echo $((t2 - t1)) >> "$tmp/creds.$stack"
    done
    ike=$(median < "$tmp/ike.$stack")
    apply=$(median < "$tmp/apply.$stack")
    conns=$(median < "$tmp/conns.$stack")
    creds=$(median < "$tmp/creds.$stack")
    ikecpu=$(median < "$tmp/ikecpu.$stack")
    swcpu=$(median < "$tmp/swcpu.$stack")
    printf '%-9s %10s ms %10s ms %10s ms %10s ms %10s ms %10s ms %7s %7s\n' $stack "$(ms "$ike")" "$(ms "$ikecpu")" \
        "$(ms "$conns")" "$(ms "$creds")" "$(ms $((conns + creds)))" "$(ms "$swcpu")" \
        "$(awk -v a="$ike" -v b=$((conns + creds)) 'BEGIN { printf "%.2f", a / b }')" \
        "$(awk -v a="$ike" -v b="$conns" 'BEGIN { printf "%.2f", a / b }')"
    echo "          winipsec apply total (parse, plan, IKE load, kernel state): $(ms "$apply") ms"
done
