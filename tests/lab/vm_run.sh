#!/usr/bin/env bash
# vm_run.sh - boot a throw-away VM with an ESP-capable kernel and run one job
# script inside it. The VM has no disk image and no network card: Debian's
# kernel (linux-image-amd64, which has esp4) boots under qemu with THIS
# machine's / as its root, shared read-only over 9p with a tmpfs overlay, so
# the guest runs the same binaries (winipsec, charon, tcpdump) as the host.
#
# usage: vm_run.sh [options] OUTDIR JOB
#   OUTDIR  host directory shared writable into the guest as $LAB_OUT; the
#           runner writes console.log, qemu.cmdline, qemu.stderr, timings.txt
#           and rc there
#   JOB     bash script run as root in the guest with cwd $LAB_OUT
# options:
#   -t SEC  whole run limit (default 600); the guest job gets SEC-20
#   -b SEC  boot watchdog: the job must have started after SEC (default 60,
#           a boot takes ~2 s); one retry, since a starved TCG guest can hang
#           while calibrating its clock
#   -v      echo the guest console while it runs
# env: WINIPSEC_LAB_CACHE (default /var/tmp/winipsec-lab) holds the built
# initramfs and the decompressed kernel; WINIPSEC_LAB_KERNEL picks a kernel
# version; WINIPSEC_LAB_APPEND adds kernel arguments (e.g. loglevel=7).
#
# Exit status: the job's; 77 when the VM cannot run here (the reason is
# printed: no qemu, no ESP kernel, no busybox, qemu refused to start); 123 the
# guest never started the job; 124 the run limit struck; 125 no status came
# back.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
limit=600 boot_limit=60 verbose=0
while getopts "t:b:v" opt; do
    case $opt in
        t) limit=$OPTARG ;;
        b) boot_limit=$OPTARG ;;
        v) verbose=1 ;;
        *) sed -n '2,/^set -uo/p' "$0" | sed '$d' >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "usage: vm_run.sh [-t SEC] [-b SEC] [-v] OUTDIR JOB" >&2; exit 2; }
outdir=$1 job=$2

cannot_run() { echo "lab VM cannot run here: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || cannot_run "needs root (the guest must read every file of / over 9p)"
qemu=$(command -v qemu-system-x86_64) || cannot_run "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
[ "$(uname -m)" = x86_64 ] || cannot_run "the host is $(uname -m), the lab boots an amd64 kernel"
busybox=/bin/busybox
"$busybox" --list 2>/dev/null | grep -qx switch_root || cannot_run "no full busybox at $busybox (apt-get install busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked' && cannot_run "$busybox is not static (apt-get install busybox-static)"
for tool in cpio modprobe xz; do
    command -v $tool > /dev/null || cannot_run "$tool missing (apt-get install cpio kmod xz-utils)"
done

# The kernel: the newest installed one that has the ESP transform.
kver=${WINIPSEC_LAB_KERNEL:-}
if [ -z "$kver" ]; then
    for v in $(ls /boot 2> /dev/null | sed -n 's/^vmlinuz-//p' | sort -rV); do
        if compgen -G "/lib/modules/$v/kernel/net/ipv4/esp4.ko*" > /dev/null; then kver=$v; break; fi
    done
fi
[ -n "$kver" ] && [ -r "/boot/vmlinuz-$kver" ] ||
    cannot_run "no /boot/vmlinuz-* with an esp4 module (apt-get install linux-image-amd64)"

cache=${WINIPSEC_LAB_CACHE:-/var/tmp/winipsec-lab}
mkdir -p "$cache" "$outdir" || exit 2
outdir=$(cd "$outdir" && pwd)

# --- initramfs: busybox, the modules that mount the 9p root, vm_init.sh ----
initrd=$cache/initramfs-$kver.cpio
if [ ! -s "$initrd" ] || [ "$here/vm_init.sh" -nt "$initrd" ] || [ "$here/vm_run.sh" -nt "$initrd" ]; then
    stage=$(mktemp -d /tmp/winipsec-lab-initrd.XXXXXX)
    mkdir -p "$stage"/{bin,dev,proc,sys,mnt,newroot,lib/lab}
    cp "$busybox" "$stage/bin/busybox"
    ln -s busybox "$stage/bin/sh"
    mknod -m 600 "$stage/dev/console" c 5 1
    mknod -m 666 "$stage/dev/null" c 1 3
    # virtio_pci for q35's devices; modules that are built in print no insmod.
    for m in virtio_pci 9pnet_virtio 9p overlay virtio_rng; do
        modprobe -S "$kver" --show-depends "$m" 2> /dev/null
    done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' > "$stage/lib/lab/modules.paths"
    while read -r ko; do
        name=$(basename "$ko")
        case $ko in
            *.ko) cp "$ko" "$stage/lib/lab/$name" ;;
            *.ko.xz) name=${name%.xz}; xz -dc "$ko" > "$stage/lib/lab/$name" ;;
            *.ko.zst) name=${name%.zst}; zstd -qdc "$ko" > "$stage/lib/lab/$name" ;;
            *) continue ;;
        esac
        echo "$name" >> "$stage/lib/lab/modules.list"
    done < "$stage/lib/lab/modules.paths"
    install -m 755 "$here/vm_init.sh" "$stage/init"
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$initrd.new" && mv "$initrd.new" "$initrd"
    rm -rf "$stage"
    [ -s "$initrd" ] || { echo "lab VM: building the initramfs failed" >&2; exit 2; }
fi

# --- kernel: Debian's bzImage is xz-compressed and the guest would spend ~2 s
# of emulated time unpacking it; the ELF inside boots through its PVH entry
# point (CONFIG_PVH) instead, unpacked once here.
kernel=/boot/vmlinuz-$kver
vmlinux=$cache/vmlinux-$kver
if [ ! -s "$vmlinux" ] || [ "$kernel" -nt "$vmlinux" ]; then
    offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kernel" | head -n 1 | cut -d: -f1)
    # (xz stops at the end of its stream; a pipe from tail would fail on SIGPIPE)
    if [ -n "$offset" ] && xz -dc --single-stream < <(tail -c +$((offset + 1)) "$kernel") > "$vmlinux.new" 2> /dev/null &&
        [ "$(head -c 4 "$vmlinux.new" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
        mv "$vmlinux.new" "$vmlinux"
    else
        rm -f "$vmlinux.new"
    fi
fi
[ -s "$vmlinux" ] && kernel=$vmlinux

# KVM only where the CPU virtualises for real; nested "PVM" hosts expose
# /dev/kvm but cannot run a stock kernel, so everything else emulates (TCG).
# One TCG thread and a 64 MiB translation cache: as fast as the defaults on
# an idle host, much faster on a busy one, and ~300 MiB instead of ~900.
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
    accel=(-accel kvm -cpu host)
else
    accel=(-accel tcg,thread=single,tb-size=64 -cpu max)
fi

rm -f "$outdir"/{rc,console.log,timings.txt,qemu.stderr}
guest_limit=$((limit > 40 ? limit - 20 : limit))
cp "$job" "$outdir/job.sh" || exit 2
# norandmaps: TCG reuses a translated block only at the virtual address it was
# translated for; with ASLR every process maps ld.so, libc and the rest
# somewhere new and the guest translates them again, so each command the
# scenarios run (hundreds each) cost ~2x as much (60 vs 25 ms for /bin/true).
append="console=ttyS0 quiet loglevel=4 panic=-1 random.trust_cpu=on mitigations=off norandmaps lab.limit=$guest_limit"
append+=" ${WINIPSEC_LAB_APPEND:-}"
qemu_args=(
    -machine q35 "${accel[@]}" -m 1024 -smp 2
    -nodefaults -no-user-config -display none -serial "file:$outdir/console.log" -monitor none -no-reboot
    -kernel "$kernel" -initrd "$initrd" -append "$append"
    -virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap
    -virtfs "local,path=$outdir,mount_tag=out,security_model=none"
    -device virtio-rng-pci
)
printf '%q ' "$qemu" "${qemu_args[@]}" > "$outdir/qemu.cmdline"
echo >> "$outdir/qemu.cmdline"

started() { grep -q 'LAB-MARK job-start' "$outdir/console.log" 2> /dev/null; }
tail_pid= qemu_pid=
# Stopped from outside (meson's timeout, ^C): the VM goes too.
trap 'kill $qemu_pid $tail_pid 2> /dev/null; exit 143' TERM INT
t0=$EPOCHREALTIME
for attempt in 1 2; do
    : > "$outdir/console.log"
    if [ $verbose = 1 ]; then
        tail -n +1 -f "$outdir/console.log" &
        tail_pid=$!
    fi
    timeout -k 5 "$limit" "$qemu" "${qemu_args[@]}" < /dev/null > /dev/null 2> "$outdir/qemu.stderr" &
    qemu_pid=$!
    waited=0
    while ! started && kill -0 $qemu_pid 2> /dev/null && [ $waited -lt $((boot_limit * 5)) ]; do
        sleep 0.2
        waited=$((waited + 1))
    done
    t_job=$EPOCHREALTIME
    if started; then
        wait $qemu_pid
        qemu_rc=$?
    else
        kill $qemu_pid 2> /dev/null
        wait $qemu_pid
        qemu_rc=$?
    fi
    [ -n "$tail_pid" ] && { kill "$tail_pid" 2> /dev/null; wait "$tail_pid" 2> /dev/null; tail_pid=; }
    started && break
    # qemu gave up before the guest printed anything: this machine cannot run it.
    if [ ! -s "$outdir/console.log" ] && [ -s "$outdir/qemu.stderr" ]; then
        cannot_run "qemu refused to start: $(head -n 3 "$outdir/qemu.stderr" | tr '\n' ' ')"
    fi
    echo "lab VM: the job had not started after ${boot_limit}s (attempt $attempt, console: $outdir/console.log)" >&2
done
t1=$EPOCHREALTIME

{
    echo "kernel $kver ($(basename "$kernel")), ${accel[1]}"
    awk -v a="$t0" -v b="$t_job" -v c="$t1" 'BEGIN { printf "boot %.1f s, whole run %.1f s\n", b - a, c - a }'
} > "$outdir/timings.txt"

if [ -s "$outdir/rc" ]; then exit "$(cat "$outdir/rc")"; fi
started || exit 123
[ "$qemu_rc" = 124 ] && { echo "lab VM: run limit of ${limit}s struck" >&2; exit 124; }
echo "lab VM: no exit status came back (console: $outdir/console.log)" >&2
exit 125
