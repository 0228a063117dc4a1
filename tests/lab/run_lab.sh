#!/usr/bin/env bash
# run_lab.sh - the interop lab: boot one VM with a kernel that has ESP (see
# vm_run.sh) and run lab scenarios in it (tests/lab/scenarios/NAME.sh).
#
# usage: tests/lab/run_lab.sh [options] [NAME...]     (as root)
#   NAME      scenarios to run, in this order (default: all, alphabetically)
#   -b DIR    meson build directory with winipsec and packet_probe built
#             (default: build)
#   -o DIR    where results go (default: a new /tmp/winipsec-lab.XXXXXX); per
#             scenario DIR/results/NAME/ holds log, rc, seconds, wire.txt (the
#             tcpdump of the link), the charon logs, XFRM and nft state
#   -t SEC    limit for the whole run (default 120 s + 240 s per scenario)
#   -l        list the scenarios and exit
#   -v        show the VM console while it runs
# Prints one line per scenario and a closing "N passed, N failed, N skipped".
# Exit status: 0 all passed, 1 any failed, 77 the VM cannot run here (why is
# printed), 2 usage.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=build outdir='' verbose='' limit=''
while getopts "b:o:t:lv" opt; do
    case $opt in
        b) build=$OPTARG ;;
        o) outdir=$OPTARG ;;
        t) limit=$OPTARG ;;
        l) for f in "$here"/scenarios/*.sh; do basename "$f" .sh; done; exit 0 ;;
        v) verbose=-v ;;
        *) sed -n '2,/^set -uo/p' "$0" | sed '$d' >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in "$here"/scenarios/*.sh; do names+=("$(basename "$f" .sh)"); done
fi
for name in "${names[@]}"; do
    [ -f "$here/scenarios/$name.sh" ] || { echo "run_lab.sh: no scenario $name (-l lists them)" >&2; exit 2; }
done

build=$(cd "$build" 2> /dev/null && pwd) || { echo "run_lab.sh: no build directory $build" >&2; exit 2; }
for binary in src/cli/winipsec tests/tools/packet_probe; do
    [ -x "$build/$binary" ] || { echo "run_lab.sh: $build/$binary is not built" >&2; exit 2; }
done
[ -n "$outdir" ] || outdir=$(mktemp -d /tmp/winipsec-lab.XXXXXX)
mkdir -p "$outdir" && outdir=$(cd "$outdir" && pwd) || exit 2
rm -rf "$outdir/results"

# The guest sees the host's files at the same paths, except below the
# directories it mounts fresh; the host's copies of those are under
# /run/lab/host (vm_init.sh).
guest_path() {
    case $1 in
        /tmp/* | /run/* | /var/tmp/*) echo "/run/lab/host$1" ;;
        *) echo "$1" ;;
    esac
}

job=$outdir/lab-job.sh
{
    printf 'export LAB_WINIPSEC=%q LAB_PROBE=%q\n' "$(guest_path "$build/src/cli/winipsec")" \
        "$(guest_path "$build/tests/tools/packet_probe")"
    printf 'exec bash %q' "$(guest_path "$here/lab_guest.sh")"
    printf ' %q' "${names[@]}"
    echo
} > "$job"

echo "lab: booting the VM for ${#names[@]} scenario(s); results in $outdir"
"$here/vm_run.sh" $verbose -t "${limit:-$((120 + 240 * ${#names[@]}))}" "$outdir" "$job"
vm_rc=$?
[ $vm_rc = 77 ] && exit 77
[ -f "$outdir/timings.txt" ] && sed 's/^/lab: /' "$outdir/timings.txt"

passed=0 failed=0 skipped=0
for name in "${names[@]}"; do
    dir=$outdir/results/$name
    rc=$(cat "$dir/rc" 2> /dev/null || echo none)
    seconds=$(cat "$dir/seconds" 2> /dev/null || echo '?')
    case $rc in
        0) passed=$((passed + 1)); echo "PASS $name (${seconds} s)" ;;
        77) skipped=$((skipped + 1)); echo "SKIP $name: $(grep '^#' "$dir/log" | tail -n 1)" ;;
        none) failed=$((failed + 1)); echo "FAIL $name: no result came back (VM status $vm_rc, console $outdir/console.log)" ;;
        *)
            failed=$((failed + 1))
            echo "FAIL $name (${seconds} s, rc $rc, evidence in $dir):"
            grep -E '^not ok|^# ' "$dir/log" | sed 's/^/    /'
            ;;
    esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
