#!/bin/sh
# vm_init.sh - PID 1 of the lab VM (busybox sh), in two stages.
#  stage 1 (/init of the initramfs): load the virtio/9p/overlay modules, mount
#    the host's / (9p tag "root", read-only) under a tmpfs overlay, fresh
#    /proc /sys /dev /run /tmp /var/tmp, the writable share "out" on
#    /run/lab/out and the raw host root on /run/lab/host (where the host's own
#    /tmp is seen); then switch_root and run this script again as stage 2.
#  stage 2: run /run/lab/out/job.sh with bash under the time limit given as
#    lab.limit=SEC on the kernel command line, write its exit status to
#    /run/lab/out/rc, power off (qemu runs with -no-reboot and exits).
# The console shows "LAB-MARK job-start" / "LAB-MARK job-end rc=N": vm_run.sh
# watches for the first to know the VM booted.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

if [ "${1:-}" = stage2 ]; then
    bb=/run/lab/busybox
    export HOME=/root LC_ALL=C.UTF-8 LAB_OUT=/run/lab/out LAB_HOST=/run/lab/host
    limit=$($bb sed -n 's/.*lab\.limit=\([0-9]*\).*/\1/p' /proc/cmdline)
    cd "$LAB_OUT" || exit 1
    echo "LAB-MARK job-start"
    $bb timeout -s KILL "${limit:-600}" /bin/bash "$LAB_OUT/job.sh" < /dev/null
    rc=$?
    echo "LAB-MARK job-end rc=$rc"
    echo "$rc" > "$LAB_OUT/rc"
    $bb kill -TERM -1 2> /dev/null
    $bb sleep 0.2
    $bb sync
    $bb poweroff -f
    $bb sleep 5
    exit 0
fi

/bin/busybox mount -t devtmpfs devtmpfs /dev
exec < /dev/console > /dev/console 2>&1
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

fail() {
    echo "LAB-ERROR: $*"
    echo "LAB-MARK job-start"
    echo "LAB-MARK job-end rc=126"
    [ -d /mnt/out ] && echo 126 > /mnt/out/rc
    sync
    poweroff -f
    sleep 5
}

while read -r ko; do
    insmod "/lib/lab/$ko" 2> /dev/null || echo "vm_init: insmod $ko failed"
done < /lib/lab/modules.list

# msize: bigger 9p messages make reading binaries much faster.
opts=trans=virtio,version=9p2000.L,msize=512000
mkdir -p /mnt/host /mnt/rw /mnt/out
tries=0
until mount -t 9p -o "$opts,ro,cache=loose" root /mnt/host 2> /dev/null; do
    tries=$((tries + 1))
    # the virtio devices may take seconds to appear when the host is busy
    [ $tries -ge 400 ] && fail "cannot mount the host root (9p tag root)"
    sleep 0.05
done
mount -t 9p -o "$opts,cache=none" out /mnt/out || fail "cannot mount the output share (9p tag out)"
mount -t tmpfs -o mode=755 lab-rw /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work lab-root /newroot ||
    fail "cannot mount the overlay root"

r=/newroot
mount --move /proc $r/proc
mount --move /sys $r/sys
mount --move /dev $r/dev
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs $r/run
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $r/tmp
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $r/var/tmp
mkdir -p $r/dev/pts $r/dev/shm $r/run/lab/host $r/run/lab/out $r/run/lock
# what udev would add: bash's process substitution <(...) opens /dev/fd/N
ln -s /proc/self/fd $r/dev/fd
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $r/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $r/dev/shm
mount --move /mnt/host $r/run/lab/host
mount --move /mnt/out $r/run/lab/out
cp /bin/busybox $r/run/lab/busybox
cp /init $r/run/lab/init
hostname lab
ip link set lo up
exec switch_root $r /run/lab/busybox sh /run/lab/init stage2
fail "switch_root failed"
